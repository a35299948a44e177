package store

import (
	"testing"
	"time"
)

func TestRebind(t *testing.T) {
	tests := []struct {
		name, query, sqlite, postgres string
	}{
		{"none", "SELECT 1", "SELECT 1", "SELECT 1"},
		{"two", "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = ? AND c = ?",
			"SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"quoted", `SELECT '?', "a?" FROM t WHERE b = ?`, `SELECT '?', "a?" FROM t WHERE b = ?`,
			`SELECT '?', "a?" FROM t WHERE b = $1`},
		{"escaped quote", `SELECT 'it''s ?' WHERE a = ?`, `SELECT 'it''s ?' WHERE a = ?`,
			`SELECT 'it''s ?' WHERE a = $1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sqliteDialect.rebind(tt.query); got != tt.sqlite {
				t.Errorf("sqlite: rebind(%q) = %q, want %q", tt.query, got, tt.sqlite)
			}
			if got := postgresDialect.rebind(tt.query); got != tt.postgres {
				t.Errorf("postgres: rebind(%q) = %q, want %q", tt.query, got, tt.postgres)
			}
		})
	}
}

func TestSQLiteTime(t *testing.T) {
	in := time.Date(2025, 11, 20, 8, 30, 0, 5, time.FixedZone("CST", 8*3600))
	arg := sqliteDialect.timeArg(in)
	if want := "2025-11-20T00:30:00.000000005Z"; arg != want {
		t.Errorf("timeArg(%v) = %v, want %q", in, arg, want)
	}
	var got time.Time
	if err := scanTime(&got).Scan(arg); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(in) || got.Location() != time.UTC {
		t.Errorf("scanned %v, want %v in UTC", got, in)
	}
}
