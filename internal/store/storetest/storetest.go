// Package storetest gives tests a fresh database on every engine the store
// supports: SQLite always, and PostgreSQL when the environment variable
// SVCPLAN_TEST_POSTGRES holds the URL of a database the tests may create
// schemas in, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
//
// A typical test:
//
//	storetest.Each(t, func(t *testing.T, db *store.DB) {
//		s := store.NewPlanStore(db)
//		...
//	})
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", for creating schemas

	"svcplan/internal/store"
)

// PostgresEnv names the environment variable with the PostgreSQL test URL.
const PostgresEnv = "SVCPLAN_TEST_POSTGRES"

// Each runs fn as the subtests "sqlite" and "postgres", each with a fresh,
// migrated database that is closed and removed when the subtest ends. The
// postgres subtest is skipped when SVCPLAN_TEST_POSTGRES is not set.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	EachDSN(t, func(t *testing.T, dsn string) {
		fn(t, MustOpen(t, dsn))
	})
}

// EachDSN runs fn as the subtests "sqlite" and "postgres", each with the DSN
// of a fresh, empty database, for tests of opening and migrating.
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresDSN(t)) })
}

// MustOpen opens and migrates the database at dsn, and closes it when the
// test ends.
func MustOpen(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

// SQLiteDSN returns the path of a SQLite database that does not exist yet,
// in a directory that does not exist yet either, under t.TempDir().
func SQLiteDSN(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "data", "svcplan.db")
}

// PostgresDSN creates an empty schema in the database SVCPLAN_TEST_POSTGRES
// names and returns a URL whose connections use it (search_path). The
// schema is dropped when the test ends; close connections to it before
// then, as MustOpen does. It skips the test when the variable is not set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip("SVCPLAN_TEST_POSTGRES not set: skipping PostgreSQL")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "svcplan_test_" + hex.EncodeToString(b[:])

	// admin runs one statement on the base database.
	admin := func(ctx context.Context, query string) error {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, query)
		return err
	}
	if err := admin(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema (%s): %v", store.MaskDSN(base), err)
	}
	t.Cleanup(func() {
		// t.Context is done by the time cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := admin(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Engine is an engine the benchmarks run on, with the DSN of a fresh
// database for it.
type Engine struct {
	Name string
	DSN  func(testing.TB) string
}

// Engines are SQLite and PostgreSQL (skipped without SVCPLAN_TEST_POSTGRES).
var Engines = []Engine{{"sqlite", SQLiteDSN}, {"postgres", PostgresDSN}}

// BenchSize is a benchmark's size: the environment variable env when set
// (e.g. the city scale), else def.
func BenchSize(b *testing.B, env string, def int) int {
	b.Helper()
	v := os.Getenv(env)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		b.Fatalf("%s=%q: %v", env, v, err)
	}
	return n
}
