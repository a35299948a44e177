package config

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
}

func TestFromEnv(t *testing.T) {
	env := map[string]string{
		"SVCPLAN_ADDR":              "0.0.0.0:9000",
		"SVCPLAN_DB":                "postgres://u:p@db/svc",
		"SVCPLAN_MIGRATE":           "false",
		"SVCPLAN_SESSION_IDLE":      "45m",
		"SVCPLAN_LOCKOUT_THRESHOLD": "6",
	}
	c := Default()
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DB != "postgres://u:p@db/svc" || c.Migrate || c.LogFormat != "text" ||
		c.SessionIdle != 45*time.Minute || c.LockoutThreshold != 6 || c.LockoutDuration != 15*time.Minute {
		t.Errorf("FromEnv gave %+v", c)
	}
	bad := Default()
	if err := bad.FromEnv(func(k string) string {
		if k == "SVCPLAN_MIGRATE" {
			return "maybe"
		}
		return ""
	}); err == nil {
		t.Error("SVCPLAN_MIGRATE=maybe accepted")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"addr without port", func(c *Config) { c.Addr = "localhost" }, "want HOST:PORT"},
		{"empty db", func(c *Config) { c.DB = " " }, "db: empty"},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, "log format"},
		{"log level", func(c *Config) { c.LogLevel = "loud" }, "log level"},
		{"weak passwords", func(c *Config) { c.PasswordMinLength = 6 }, "password min length 6: want 8 to 128"},
		{"no lockout", func(c *Config) { c.LockoutThreshold = 100 }, "lockout threshold"},
		{"idle longer than lifetime", func(c *Config) { c.SessionIdle, c.SessionMax = 2*time.Hour, time.Hour }, "longer than the session lifetime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.want)
			}
		})
	}
}
