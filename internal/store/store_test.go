package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/apperr"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// allMigrations are the migrations a new database gets, in order.
var allMigrations = []string{"0001_plan", "0002_accounts_audit", "0003_progress", "0004_plan_industries", "0005_directory",
	"0006_reference_tables", "0007_reports", "0008_indicator_values", "0009_settings", "0010_park_members", "0011_codes_restored",
	"0012_industry_2011", "0013_projects", "0014_project_rounds", "0015_project_fai", "0016_change_seq", "0017_assess", "0018_supervise",
	"0019_buildings", "0020_building_visits", "0021_append_only_inserts"}

func TestOpenAndMigrate(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if want := t.Name()[strings.LastIndex(t.Name(), "/")+1:]; db.Dialect() != want {
			t.Errorf("Dialect() = %q, want %q", db.Dialect(), want)
		}
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}

		current, latest, err := db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if current != 0 || latest < 1 {
			t.Errorf("new database: MigrationStatus() = %d, %d; want 0, >= 1", current, latest)
		}
		err = db.CheckSchema(ctx)
		wantMsg := fmt.Sprintf("数据库结构需要升级(当前 0,最新 %d),请先运行 svcplan migrate", len(allMigrations))
		if apperr.KindOf(err) != apperr.Conflict || apperr.Message(err) != wantMsg {
			t.Errorf("CheckSchema() on a new database = %v, want Conflict %q", err, wantMsg)
		}

		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(allMigrations, applied); diff != "" {
			t.Errorf("first Migrate() applied (-want +got):\n%s", diff)
		}
		applied, err = db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate() applied %v, want nothing", applied)
		}
		current, latest, err = db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if current != latest {
			t.Errorf("after Migrate: MigrationStatus() = %d, %d; want equal", current, latest)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Errorf("CheckSchema() after Migrate: %v", err)
		}
	})
}

func TestMigrateConcurrently(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		const n = 3
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			applied []string
		)
		for range n {
			db, err := store.Open(t.Context(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			wg.Go(func() {
				names, err := db.Migrate(t.Context())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				applied = append(applied, names...)
				mu.Unlock()
			})
		}
		wg.Wait()
		// Each migration once, whoever applied it.
		slices.Sort(applied)
		if diff := cmp.Diff(allMigrations, applied); diff != "" {
			t.Errorf("concurrent migrations applied (-want +got):\n%s", diff)
		}
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		_, err := store.SQLDB(db).ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at)
VALUES (999, '0999_future', CURRENT_TIMESTAMP)`)
		if err != nil {
			t.Fatal(err)
		}
		wantMsg := fmt.Sprintf("数据库结构版本 999 比本程序支持的 %d 新,请升级 svcplan", len(allMigrations))
		for name, call := range map[string]func() error{
			"Migrate":     func() error { _, err := db.Migrate(ctx); return err },
			"CheckSchema": func() error { return db.CheckSchema(ctx) },
		} {
			err := call()
			if apperr.KindOf(err) != apperr.Conflict || apperr.Message(err) != wantMsg {
				t.Errorf("%s() = %v, want Conflict %q", name, err, wantMsg)
			}
		}
	})
}

func TestOpenUnreachablePostgres(t *testing.T) {
	start := time.Now()
	db, err := store.Open(t.Context(), "postgres://svcplan:s3cret-pw@127.0.0.1:1/svcplan?sslmode=disable")
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on port 1")
	}
	if elapsed := time.Since(start); elapsed > 6*time.Second {
		t.Errorf("Open took %v to fail", elapsed)
	}
	msg := err.Error()
	wantPrefix := "无法连接数据库 postgres://svcplan:***@127.0.0.1:1/svcplan?sslmode=disable: "
	if !strings.HasPrefix(msg, wantPrefix) {
		t.Errorf("error = %q, want prefix %q", msg, wantPrefix)
	}
	if strings.Contains(msg, "s3cret-pw") {
		t.Errorf("error %q shows the password", msg)
	}
}

func TestOpenSQLiteCreatesDirectory(t *testing.T) {
	// A path with characters that mean something in a URI.
	dir := filepath.Join(t.TempDir(), "a b#c?d%20e")
	path := filepath.Join(dir, "sub", "svcplan.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not at the path given: %v", err)
	}
	info, err := os.Stat(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&^0o750 != 0 {
		t.Errorf("directory mode = %v, want at most 0750", perm)
	}
}

func TestSQLiteSettings(t *testing.T) {
	db := storetest.MustOpen(t, storetest.SQLiteDSN(t))
	sqlDB := store.SQLDB(db)
	sqlDB.SetMaxOpenConns(3)

	// Every connection of the pool has the settings, not only the first.
	ctx := t.Context()
	var conns []interface{ Close() error }
	for i := range 3 {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		for _, tc := range []struct {
			pragma string
			want   string
		}{
			{"foreign_keys", "1"},
			{"journal_mode", "wal"},
			{"busy_timeout", "5000"},
		} {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("connection %d: PRAGMA %s = %q, want %q", i, tc.pragma, got, tc.want)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}

	// And foreign keys are enforced.
	_, err := sqlDB.ExecContext(ctx, `INSERT INTO plan_units (plan_id, unit_id, sort) VALUES (12345, 67890, 0)`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("insert violating foreign keys: err = %v, want a FOREIGN KEY error", err)
	}
}

func TestMaskDSN(t *testing.T) {
	tests := []struct {
		name, dsn, want string
	}{
		{"sqlite path", "data/svcplan.db", "data/svcplan.db"},
		{"no password", "postgres://svcplan@db.example:5432/svcplan", "postgres://svcplan@db.example:5432/svcplan"},
		{"password", "postgres://svcplan:s3cret@db.example/svcplan?sslmode=require",
			"postgres://svcplan:***@db.example/svcplan?sslmode=require"},
		{"postgresql scheme", "postgresql://u:p%40ss@h/d", "postgresql://u:***@h/d"},
		{"password in query", "postgres://h/d?user=u&password=s3cret&sslmode=disable",
			"postgres://h/d?user=u&password=***&sslmode=disable"},
		{"unparseable", "postgres://u:s3cret@h:port/d", "postgres://***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.MaskDSN(tt.dsn); got != tt.want {
				t.Errorf("MaskDSN(%q) = %q, want %q", tt.dsn, got, tt.want)
			}
		})
	}
}

// Both dialects must have the same migrations, by number and name.
func TestMigrationFoldersMatch(t *testing.T) {
	names := func(dialect string) []string {
		entries, err := os.ReadDir(filepath.Join("migrations", dialect))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		slices.Sort(out)
		return out
	}
	sqlite, postgres := names("sqlite"), names("postgres")
	if len(sqlite) == 0 {
		t.Fatal("no migrations")
	}
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("migration files differ (-sqlite +postgres):\n%s", diff)
	}
	for i, name := range sqlite {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(name, want) || !strings.HasSuffix(name, ".sql") {
			t.Errorf("migration %s: want name %s<name>.sql, numbered without gaps", name, want)
		}
	}
}
