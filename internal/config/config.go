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
	"time"
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

	// CookieSecure marks session cookies Secure even when a request came
	// over plain HTTP (set it behind an HTTPS proxy).
	CookieSecure bool
	// TrustProxy takes the client address and scheme from the proxy's
	// X-Forwarded-* / X-Real-IP headers; only behind a proxy that sets them.
	TrustProxy bool

	// Security policy (等保2.0 三级 defaults).
	PasswordMinLength  int
	PasswordMinClasses int
	LockoutThreshold   int
	LockoutDuration    time.Duration
	SessionIdle        time.Duration
	SessionMax         time.Duration
}

// Default returns the settings used when nothing is configured.
func Default() Config {
	return Config{
		Addr:      "127.0.0.1:8080",
		DB:        "./data/svcplan.db",
		Migrate:   true,
		LogFormat: "text",
		LogLevel:  "info",

		PasswordMinLength:  8,
		PasswordMinClasses: 3,
		LockoutThreshold:   5,
		LockoutDuration:    15 * time.Minute,
		SessionIdle:        30 * time.Minute,
		SessionMax:         12 * time.Hour,
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
	var errs []error
	setBool := func(name string, dst *bool) {
		if v := getenv(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want true or false", name, v))
			}
			*dst = b
		}
	}
	setInt := func(name string, dst *int) {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want a whole number", name, v))
			}
			*dst = n
		}
	}
	setDuration := func(name string, dst *time.Duration) {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want a duration such as 15m or 12h", name, v))
			}
			*dst = d
		}
	}
	setBool("SVCPLAN_MIGRATE", &c.Migrate)
	setBool("SVCPLAN_COOKIE_SECURE", &c.CookieSecure)
	setBool("SVCPLAN_TRUST_PROXY", &c.TrustProxy)
	setInt("SVCPLAN_PASSWORD_MIN_LENGTH", &c.PasswordMinLength)
	setInt("SVCPLAN_PASSWORD_MIN_CLASSES", &c.PasswordMinClasses)
	setInt("SVCPLAN_LOCKOUT_THRESHOLD", &c.LockoutThreshold)
	setDuration("SVCPLAN_LOCKOUT_DURATION", &c.LockoutDuration)
	setDuration("SVCPLAN_SESSION_IDLE", &c.SessionIdle)
	setDuration("SVCPLAN_SESSION_MAX", &c.SessionMax)
	return errors.Join(errs...)
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
	between := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("%s %d: want %d to %d", name, v, lo, hi))
		}
	}
	between("password min length", c.PasswordMinLength, 8, 128)
	between("password min classes", c.PasswordMinClasses, 2, 4)
	between("lockout threshold", c.LockoutThreshold, 3, 10)
	durBetween := func(name string, d, lo, hi time.Duration) {
		if d < lo || d > hi {
			errs = append(errs, fmt.Errorf("%s %v: want %v to %v", name, d, lo, hi))
		}
	}
	durBetween("lockout duration", c.LockoutDuration, time.Minute, 24*time.Hour)
	durBetween("session idle timeout", c.SessionIdle, time.Minute, 8*time.Hour)
	durBetween("session lifetime", c.SessionMax, 10*time.Minute, 7*24*time.Hour)
	if c.SessionIdle > c.SessionMax {
		errs = append(errs, fmt.Errorf("session idle timeout %v is longer than the session lifetime %v", c.SessionIdle, c.SessionMax))
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
		{"cookie-secure", "SVCPLAN_COOKIE_SECURE", strconv.FormatBool(c.CookieSecure)},
		{"trust-proxy", "SVCPLAN_TRUST_PROXY", strconv.FormatBool(c.TrustProxy)},
		{"password-min-length", "SVCPLAN_PASSWORD_MIN_LENGTH", strconv.Itoa(c.PasswordMinLength)},
		{"password-min-classes", "SVCPLAN_PASSWORD_MIN_CLASSES", strconv.Itoa(c.PasswordMinClasses)},
		{"lockout-threshold", "SVCPLAN_LOCKOUT_THRESHOLD", strconv.Itoa(c.LockoutThreshold)},
		{"lockout-duration", "SVCPLAN_LOCKOUT_DURATION", c.LockoutDuration.String()},
		{"session-idle", "SVCPLAN_SESSION_IDLE", c.SessionIdle.String()},
		{"session-max", "SVCPLAN_SESSION_MAX", c.SessionMax.String()},
	}
}
