package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
)

// migrationFS holds the schema migrations, one folder per dialect:
// migrations/<dialect>/NNNN_name.sql. Both folders hold the same file names.
//
//go:embed migrations
var migrationFS embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string // file name without .sql, e.g. "0001_plan"
	sql     string
}

// migrations returns the dialect's migrations in version order.
func (d dialect) migrations() ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok || e.IsDir() {
			continue
		}
		num, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if err != nil || version <= 0 || len(num) != 4 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same number", other, name)
		}
		seen[version] = name
		data, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: version, name: name, sql: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies the migrations the database has not had yet, in order,
// each in its own transaction together with its schema_migrations row. It
// returns the names of those it applied; none when the schema is current.
// It refuses a database whose schema is newer than this program knows.
// Concurrent calls are safe: they take turns, and each migration is
// applied once.
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	ms, err := db.dialect.migrations()
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	err = db.inTx(ctx, func(tx *tx) error {
		if err := db.dialect.lockMigrations(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.dialect.migrationsTableSQL())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: migrate: create schema_migrations: %w", err)
	}
	current, latest, err := db.MigrationStatus(ctx)
	if err != nil {
		return nil, err
	}
	if current > latest {
		return nil, schemaTooNew(current, latest)
	}

	for _, m := range ms {
		done := false
		err := db.inTx(ctx, func(tx *tx) error {
			if err := db.dialect.lockMigrations(ctx, tx); err != nil {
				return err
			}
			// Another process may have applied it while we waited.
			var n int
			err := tx.QueryRowContext(ctx,
				`SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n)
			if err != nil || n > 0 {
				return err
			}
			// Run the file as it is, not rebound: it has no parameters.
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, db.dialect.timeArg(time.Now()))
			if err != nil {
				return err
			}
			done = true
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("store: migrate %s: %w", m.name, err)
		}
		if done {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// MigrationStatus returns the schema version of the database (the highest
// migration applied; 0 for a new database) and the latest version this
// program knows.
func (db *DB) MigrationStatus(ctx context.Context) (current, latest int, err error) {
	ms, err := db.dialect.migrations()
	if err != nil {
		return 0, 0, fmt.Errorf("store: migration status: %w", err)
	}
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	var tables int
	err = db.sql.QueryRowContext(ctx, db.dialect.migrationsTableExistsSQL()).Scan(&tables)
	if err != nil {
		return 0, 0, fmt.Errorf("store: migration status: %w", err)
	}
	if tables == 0 {
		return 0, latest, nil
	}
	err = db.sql.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current)
	if err != nil {
		return 0, 0, fmt.Errorf("store: migration status: %w", err)
	}
	return current, latest, nil
}

// CheckSchema returns an apperr Conflict error unless the database schema
// is exactly the one this program knows: migrations are pending, or the
// schema is newer than the program.
func (db *DB) CheckSchema(ctx context.Context) error {
	current, latest, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	switch {
	case current > latest:
		return schemaTooNew(current, latest)
	case current < latest:
		return apperr.Conflictf("数据库结构需要升级(当前 %d,最新 %d),请先运行 svcplan migrate", current, latest)
	}
	return nil
}

func schemaTooNew(current, latest int) error {
	return apperr.Conflictf("数据库结构版本 %d 比本程序支持的 %d 新,请升级 svcplan", current, latest)
}
