// Package config holds svcplan's settings: defaults that work on a fresh
// machine, overridden by SVCPLAN_* environment variables and then by
// command-line flags.
package config

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Config is every setting svcplan reads.
type Config struct {
	// Addr is where the web server listens.
	Addr string
	// DB is a SQLite file path or a postgres:// URL.
	DB string
	// PlanFile, when set, is loaded as the active plan at start; otherwise
	// the stored plan is used, or the shipped default on first run.
	PlanFile string
	// Migrate applies pending database migrations at start.
	Migrate bool
	// LogFormat is text (for a terminal) or json (for a log collector).
	LogFormat string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// DevDir, when set, serves templates and static files from this
	// directory so edits show without a rebuild.
	DevDir string
}

// Default returns the settings used when nothing is configured.
func Default() Config {
	return Config{
		Addr:      "127.0.0.1:8080",
		DB:        "./data/svcplan.db",
		Migrate:   true,
		LogFormat: "text",
		LogLevel:  "info",
	}
}

// FromEnv overrides c with the SVCPLAN_* variables that getenv returns.
func (c *Config) FromEnv(getenv func(string) string) error {
	set := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	set("SVCPLAN_ADDR", &c.Addr)
	set("SVCPLAN_DB", &c.DB)
	set("SVCPLAN_PLAN", &c.PlanFile)
	set("SVCPLAN_LOG_FORMAT", &c.LogFormat)
	set("SVCPLAN_LOG_LEVEL", &c.LogLevel)
	set("SVCPLAN_DEV_DIR", &c.DevDir)
	if v := getenv("SVCPLAN_MIGRATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("SVCPLAN_MIGRATE=%q: want true or false", v)
		}
		c.Migrate = b
	}
	return nil
}

// Validate reports every setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", c.Addr))
	}
	if strings.TrimSpace(c.DB) == "" {
		errs = append(errs, errors.New("db: empty; give a SQLite file path or a postgres:// URL"))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log format %q: want text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// Setting is one effective setting, for printing.
type Setting struct {
	Name, Env, Value string
}

// Settings lists the effective settings with secrets masked.
func (c Config) Settings(mask func(string) string) []Setting {
	return []Setting{
		{"addr", "SVCPLAN_ADDR", c.Addr},
		{"db", "SVCPLAN_DB", mask(c.DB)},
		{"plan", "SVCPLAN_PLAN", c.PlanFile},
		{"migrate", "SVCPLAN_MIGRATE", strconv.FormatBool(c.Migrate)},
		{"log-format", "SVCPLAN_LOG_FORMAT", c.LogFormat},
		{"log-level", "SVCPLAN_LOG_LEVEL", c.LogLevel},
		{"dev-dir", "SVCPLAN_DEV_DIR", c.DevDir},
	}
}
