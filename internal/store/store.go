// Package store keeps svcplan's data in a SQL database: SQLite by default,
// through a pure-Go driver, or PostgreSQL. It implements the Store
// interfaces of the domain packages with plain database/sql and hand-written
// SQL that both engines accept; dialect.go holds the few differences.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// pingTimeout bounds how long Open waits for the database to answer.
const pingTimeout = 5 * time.Second

// DB is an open database.
type DB struct {
	sql     *sql.DB
	dialect dialect
}

// Open opens the database dsn names and checks that it answers. A dsn
// starting with postgres:// or postgresql:// is a PostgreSQL URL; anything
// else is the path of a SQLite file, whose directory is created if needed.
// Open does not migrate the schema; see Migrate and CheckSchema.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, errors.New("无法连接数据库: 未指定数据库")
	}
	fail := func(err error) error {
		return fmt.Errorf("无法连接数据库 %s: %w", MaskDSN(dsn), redact(err, dsn))
	}

	d := dialectOf(dsn)
	sqlDB, err := d.open(dsn)
	if err != nil {
		return nil, fail(err)
	}
	db := &DB{sql: sqlDB, dialect: d}
	// Keep the connections a busy server uses open: by default
	// database/sql keeps two idle, so fifty concurrent pages would open
	// and close connections (and, on SQLite, apply the pragmas again)
	// for every query. A bound on open ones stops a burst of requests from
	// opening hundreds.
	db.sql.SetMaxOpenConns(maxOpenConns)
	db.sql.SetMaxIdleConns(maxOpenConns)

	pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := db.sql.PingContext(pingCtx); err != nil {
		db.sql.Close()
		return nil, fail(err)
	}
	return db, nil
}

// maxOpenConns bounds the pool: enough for a government office's load on
// a small server, few enough for PostgreSQL's default max_connections.
const maxOpenConns = 16

// IsPostgres reports whether dsn is a PostgreSQL URL rather than a SQLite path.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// MaskDSN returns dsn fit for messages and logs: the password of a
// PostgreSQL URL, in its user info or its query, is replaced by ***.
// Anything else (a SQLite path) is returned as it is.
func MaskDSN(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// Unparseable: keep only the scheme, rather than risk a password.
		scheme, _, _ := strings.Cut(dsn, "://")
		return scheme + "://***"
	}
	if u.RawQuery != "" {
		// Rewrite the query by hand: url.Values.Encode would escape ***.
		parts := strings.Split(u.RawQuery, "&")
		for i, part := range parts {
			key, _, _ := strings.Cut(part, "=")
			if k, err := url.QueryUnescape(key); err == nil && strings.Contains(strings.ToLower(k), "password") {
				parts[i] = key + "=***"
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if _, ok := u.User.Password(); ok {
		// Write the user info by hand too: URL.String would escape ***.
		user := url.User(u.User.Username()).String()
		u.User = nil
		return u.Scheme + "://" + user + ":***@" + strings.TrimPrefix(u.String(), u.Scheme+"://")
	}
	return u.String()
}

// redact returns err with the password of dsn, should a driver ever quote
// it, replaced by ***.
func redact(err error, dsn string) error {
	if !IsPostgres(dsn) {
		return err
	}
	u, perr := url.Parse(dsn)
	if perr != nil {
		return errors.New("无法解析数据库地址")
	}
	var secrets []string
	if pw, ok := u.User.Password(); ok && pw != "" {
		secrets = append(secrets, pw)
	}
	for k, vs := range u.Query() {
		if strings.Contains(strings.ToLower(k), "password") {
			for _, v := range vs {
				if v != "" {
					secrets = append(secrets, v)
				}
			}
		}
	}
	msg := err.Error()
	for _, s := range secrets {
		if strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "***")
		}
	}
	if msg != err.Error() {
		return errors.New(msg)
	}
	return err
}

// Dialect names the database engine: "sqlite" or "postgres".
func (db *DB) Dialect() string { return string(db.dialect) }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	if err := db.sql.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// queryRow, query and exec run one statement outside a transaction, with ?
// placeholders rebound for the engine.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.sql.QueryRowContext(ctx, db.dialect.rebind(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.sql.QueryContext(ctx, db.dialect.rebind(query), args...)
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.sql.ExecContext(ctx, db.dialect.rebind(query), args...)
}

// tx is a transaction whose statements are written with ? placeholders and
// rebound for the engine.
type tx struct {
	tx      *sql.Tx
	dialect dialect
	// conn is the transaction's connection, for PostgreSQL's COPY, when
	// it was begun by inBulkTx; nil otherwise.
	conn *sql.Conn
}

func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.dialect.rebind(query), args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.dialect.rebind(query), args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.dialect.rebind(query), args...)
}

// PrepareContext prepares a statement for the transaction; it is closed
// when the transaction ends.
func (t *tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, t.dialect.rebind(query))
}

// inTx runs fn in a write transaction and commits it if fn returns nil; it
// rolls it back if fn fails or panics. On SQLite the transaction begins
// IMMEDIATE (see sqliteDSN), taking the write lock at once.
func (db *DB) inTx(ctx context.Context, fn func(tx *tx) error) error {
	return db.runTx(ctx, &sql.TxOptions{}, fn)
}

// inBulkTx is inTx on a connection of its own, tuned for a bulk write:
// insertRows writes with COPY on PostgreSQL there.
func (db *DB) inBulkTx(ctx context.Context, fn func(tx *tx) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	if err := db.dialect.beginBulk(ctx, conn); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer db.dialect.endBulk(conn)
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return db.finishTx(sqlTx, &tx{tx: sqlTx, dialect: db.dialect, conn: conn}, fn)
}

// inReadTx runs fn in a read-only transaction that sees one snapshot of the
// database: on SQLite a deferred transaction in WAL mode does, on
// PostgreSQL it takes REPEATABLE READ (which SQLite ignores).
func (db *DB) inReadTx(ctx context.Context, fn func(tx *tx) error) error {
	return db.runTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
}

func (db *DB) runTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *tx) error) error {
	sqlTx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return db.finishTx(sqlTx, &tx{tx: sqlTx, dialect: db.dialect}, fn)
}

// finishTx runs fn in a begun transaction and commits it if fn returns
// nil; it rolls it back if fn fails or panics.
func (db *DB) finishTx(sqlTx *sql.Tx, t *tx, fn func(tx *tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// rowScanner is a row to scan: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// querier runs a query written with ? placeholders: a *tx, or the *DB
// outside a transaction.
type querier interface {
	queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (t *tx) queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, query, args...)
}

func (db *DB) queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.query(ctx, query, args...)
}

// queryAll runs query in q and returns what scan makes of each row, in
// order; nil if there are none.
func queryAll[T any](ctx context.Context, q querier, query string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := q.queryRows(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// marks returns n comma-separated ? placeholders.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// likePattern is a LIKE pattern (with ESCAPE '\') that finds q anywhere,
// q's own wildcards escaped.
func likePattern(q string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
}
