package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"

	"svcplan/internal/apperr"
)

// sqliteMagic begins every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// Backup writes a consistent copy of the SQLite database to file, while
// other connections, such as a running server's, go on reading and
// writing. It runs VACUUM INTO, which copies one snapshot of the database
// (a read transaction, which in WAL mode blocks no writer) into a new,
// compact database file. The copy is written to a temporary file in the
// same directory, synced and then renamed to file, so file never holds a
// partial copy; it is readable by its owner only. Backup refuses to
// overwrite an existing file (apperr Conflict). A PostgreSQL database is
// refused with an apperr Invalid error that tells how to use pg_dump.
func (db *DB) Backup(ctx context.Context, file string) (err error) {
	if err := db.dialect.refuseBackup(); err != nil {
		return err
	}
	// An absolute path is never read as a file: URI by VACUUM INTO.
	path, err := filepath.Abs(file)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := checkNotExist(path, file); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// CreateTemp makes the file with mode 0600; VACUUM INTO accepts an
	// empty file and keeps its mode.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()

	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// VACUUM INTO does not sync the file it writes.
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := checkNotExist(path, file); err != nil {
		return err
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// Make the rename durable too; not every system can sync a directory.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// checkNotExist returns an apperr Conflict error if path exists; name is
// the path as the user gave it.
func checkNotExist(path, name string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return apperr.Conflictf("备份文件已存在: %s", name)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// RestoreResult tells what Restore put in the database.
type RestoreResult struct {
	// Version is the schema version of the backup.
	Version int
	// Applied names the migrations run after restoring, which bring an
	// older backup up to this program's schema.
	Applied []string
	// Rows counts the rows of each table of the restored database.
	Rows map[string]int64
}

// Restore replaces the content of the SQLite database at dsn with that of
// the backup file, which Backup wrote, and then migrates it to the current
// schema. It first checks the backup and refuses, with an apperr error and
// the database left as it was, a file that is not a SQLite database, is
// damaged (PRAGMA integrity_check), is not an svcplan database (has no
// schema_migrations) or has a schema newer than this program. It copies
// the backup with SQLite's online backup API, in one step on a connection
// to the database at dsn, so SQLite replaces the content in one write
// transaction: other connections see the old database or the new one,
// never a mixture. The database at dsn is created if it does not exist.
//
// Stop the server (svcplan serve) before restoring and start it again
// afterwards: it keeps the active plan in memory and would go on showing
// the plan it had. A PostgreSQL dsn is refused with an apperr Invalid
// error that tells how to use pg_restore.
func Restore(ctx context.Context, file, dsn string) (RestoreResult, error) {
	if err := dialectOf(dsn).refuseBackup(); err != nil {
		return RestoreResult{}, err
	}
	version, err := checkBackup(ctx, file)
	if err != nil {
		return RestoreResult{}, err
	}
	if err := createPrivate(file, dsn); err != nil {
		return RestoreResult{}, err
	}

	db, err := Open(ctx, dsn)
	if err != nil {
		return RestoreResult{}, err
	}
	defer db.Close()
	if err := db.restoreFrom(ctx, file); err != nil {
		return RestoreResult{}, fmt.Errorf("store: restore: %w", err)
	}
	res := RestoreResult{Version: version}
	if res.Applied, err = db.Migrate(ctx); err != nil {
		return res, err
	}
	if res.Rows, err = db.countRows(ctx); err != nil {
		return res, fmt.Errorf("store: restore: %w", err)
	}
	return res, nil
}

// createPrivate creates the empty SQLite file at dsn, readable by its
// owner only, if it does not exist; SQLite gives its -wal and -shm files
// the same mode. It refuses to restore a backup into itself.
func createPrivate(backup, dsn string) error {
	target, err := os.Stat(dsn)
	if err == nil {
		if src, err := os.Stat(backup); err == nil && os.SameFile(src, target) {
			return apperr.Invalidf("备份文件 %s 就是要恢复的数据库,未恢复", backup)
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: restore: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dsn), 0o750); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	f, err := os.OpenFile(dsn, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return f.Close()
}

// checkBackup checks that file is an undamaged svcplan SQLite database
// whose schema this program knows, and returns its schema version.
func checkBackup(ctx context.Context, file string) (version int, err error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, apperr.NotFoundf("备份文件不存在: %s", file)
	}
	if err != nil {
		return 0, &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("无法读取备份文件 %s,未恢复", file), Err: err}
	}
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	f.Close()
	switch {
	case err != nil && err != io.EOF && err != io.ErrUnexpectedEOF:
		return 0, &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("无法读取备份文件 %s,未恢复", file), Err: err}
	case n == 0:
		return 0, apperr.Invalidf("备份文件 %s 是空文件,未恢复", file)
	case !bytes.Equal(head[:n], []byte(sqliteMagic)):
		return 0, apperr.Invalidf("备份文件 %s 不是 SQLite 数据库文件,未恢复", file)
	}

	sqlDB, err := sql.Open("sqlite", sqliteURI(file)+"?mode=ro")
	if err != nil {
		return 0, fmt.Errorf("store: restore: check backup: %w", err)
	}
	defer sqlDB.Close()
	damaged := func(err error) error {
		return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf("备份文件 %s 已损坏或不完整,未恢复", file), Err: err}
	}
	rows, err := sqlDB.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return 0, damaged(err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, damaged(err)
		}
		problems = append(problems, s)
	}
	if err := rows.Err(); err != nil {
		return 0, damaged(err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return 0, damaged(errors.New("integrity_check: " + strings.Join(problems[:min(len(problems), 3)], "; ")))
	}

	backup := &DB{sql: sqlDB, dialect: sqliteDialect}
	current, latest, err := backup.MigrationStatus(ctx)
	if err != nil {
		return 0, damaged(err)
	}
	switch {
	case current == 0:
		return 0, apperr.Invalidf("备份文件 %s 不是 svcplan 数据库(没有 schema_migrations 记录),未恢复", file)
	case current > latest:
		return 0, apperr.Conflictf("备份文件 %s 的数据库结构版本 %d 比本程序支持的 %d 新,未恢复;请先升级 svcplan", file, current, latest)
	}
	return current, nil
}

// sqliteURI is the file: URI of the SQLite file at path, without the
// parameters sqliteDSN adds.
func sqliteURI(path string) string {
	uri, _, _ := strings.Cut(sqliteDSN(path), "?")
	return uri
}

// restoreFrom copies the SQLite database file into db with the online
// backup API, in one step: SQLite takes db's write lock, writes every page
// in one transaction (through the WAL) and commits.
func (db *DB) restoreFrom(ctx context.Context, file string) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(srcURI string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("driver connection %T cannot restore", dc)
		}
		b, err := r.NewRestore(sqliteURI(file) + "?mode=ro")
		if err != nil {
			return err
		}
		more := true
		for more && err == nil {
			more, err = b.Step(-1)
		}
		if ferr := b.Finish(); err == nil {
			err = ferr
		}
		return err
	})
}

// countRows counts the rows of every table of a SQLite database.
func (db *DB) countRows(ctx context.Context) (map[string]int64, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts := make(map[string]int64, len(tables))
	for _, t := range tables {
		var n int64
		q := `SELECT count(*) FROM "` + strings.ReplaceAll(t, `"`, `""`) + `"`
		if err := db.sql.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		counts[t] = n
	}
	return counts, nil
}
