package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/registry"
	"svcplan/internal/table"
)

// RegistryStore keeps the enterprise directory. It implements
// registry.Store.
type RegistryStore struct{ db *DB }

var _ registry.Store = (*RegistryStore)(nil)

// NewRegistryStore returns a directory store over db.
func NewRegistryStore(db *DB) *RegistryStore { return &RegistryStore{db: db} }

// enterpriseColumns are the columns of enterprises, in the order every
// query here reads and writes them.
const enterpriseColumns = ownColumns + `, ` + stampColumns

// ownColumns describe the firm; stampColumns stamp its last change.
const (
	ownColumns = `uscc, name, industry, unit_code, address, building, registered_on, status, register,
	included_on, exited_on, uscc_flag, industry_2011`
	stampColumns = `version, updated_at, updated_by, import_id`
)

const enterpriseColumnCount = 17

func (d dialect) enterpriseArgs(args []any, e *registry.Enterprise) []any {
	var imp sql.NullInt64
	if e.ImportID != 0 {
		imp = sql.NullInt64{Int64: e.ImportID, Valid: true}
	}
	return append(args, e.USCC, e.Name, e.Industry, e.Unit, e.Address, e.Building, e.RegisteredOn, string(e.Status),
		string(e.Register), e.IncludedOn, e.ExitedOn, e.USCCFlag, e.Industry2011, e.Version, d.timeArg(e.UpdatedAt), e.UpdatedBy, imp)
}

func scanEnterprise(row interface{ Scan(...any) error }, e *registry.Enterprise, extra ...any) error {
	var status, register string
	var imp sql.NullInt64
	dst := append([]any{&e.USCC, &e.Name, &e.Industry, &e.Unit, &e.Address, &e.Building, &e.RegisteredOn, &status, &register,
		&e.IncludedOn, &e.ExitedOn, &e.USCCFlag, &e.Industry2011, &e.Version, scanTime(&e.UpdatedAt), &e.UpdatedBy, &imp}, extra...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	e.Status, e.Register, e.ImportID = registry.Status(status), registry.Register(register), imp.Int64
	return nil
}

// placeholders returns "(?, ?, …), (…)" for n rows of cols values.
func placeholders(n, cols int) string {
	row := "(" + marks(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// importTx is an import's transaction on a connection of its own (so that
// PostgreSQL's COPY can run inside it).
type importTx struct {
	conn *sql.Conn
	tx   *tx
	db   *DB
	// insertStmts caches the prepared multi-row INSERT of each row count.
	insertStmts map[insertKey]*sql.Stmt
	// copyBuf is reused by the COPY of each batch (PostgreSQL).
	copyBuf []byte
	// stream is the one COPY that takes every firm of a load into an
	// empty PostgreSQL directory (nothing else runs on the connection
	// then): the server never waits between batches.
	stream *copyStream
	// empty: the directory had no firm when the import began, so no firm
	// of the file can exist yet (the file's own duplicates are refused
	// before they reach the store).
	empty bool
	// rebuild holds the CREATE INDEX statements of the secondary indexes
	// dropped for a bulk load into an empty directory, run again before
	// commit: building an index once from all rows is much cheaper than
	// growing it row by row. SQLite's readers keep their snapshot (WAL);
	// PostgreSQL's wait for the commit (DROP INDEX locks the table), which
	// only a first load into an empty directory does.
	rebuild []string
}

// insertChunk is how many rows one multi-row INSERT carries on SQLite:
// 500 rows of 17 columns stay well inside SQLite's 32,766 parameters, and
// measured fastest.
const insertChunk = 500

// BeginImport starts an import's transaction and records the import in it.
// Imports run one at a time: SQLite's write lock, PostgreSQL's advisory
// lock.
func (s *RegistryStore) BeginImport(ctx context.Context, imp *registry.Import) (registry.ImportTx, error) {
	conn, err := s.db.sql.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: begin import: %w", err)
	}
	// A bulk write: reset when it ends (close).
	if err := s.db.dialect.beginBulk(ctx, conn); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: begin import: %w", err)
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: begin import: %w", err)
	}
	t := &importTx{conn: conn, tx: &tx{tx: sqlTx, dialect: s.db.dialect}, db: s.db, insertStmts: map[insertKey]*sql.Stmt{}}
	if err := s.db.dialect.lock(ctx, t.tx, importsLock); err != nil {
		t.Rollback()
		return nil, fmt.Errorf("store: lock imports: %w", err)
	}
	if err := insertImport(ctx, t.tx, imp); err != nil {
		t.Rollback()
		return nil, fmt.Errorf("store: begin import: %w", err)
	}
	if imp.Kind == registry.KindEnterprises {
		if err := t.prepareBulk(ctx); err != nil {
			t.Rollback()
			return nil, err
		}
	}
	return t, nil
}

// prepareBulk notes an empty directory and drops its secondary indexes
// until commit.
func (t *importTx) prepareBulk(ctx context.Context) error {
	var any int
	err := t.tx.QueryRowContext(ctx, `SELECT 1 FROM enterprises LIMIT 1`).Scan(&any)
	if errors.Is(err, sql.ErrNoRows) {
		t.empty = true
	} else if err != nil {
		return fmt.Errorf("store: begin import: %w", err)
	}
	if !t.empty {
		return nil
	}
	// The secondary indexes (not the primary key, which the import needs).
	rows, err := t.tx.QueryContext(ctx, t.db.dialect.enterpriseIndexesSQL())
	if err != nil {
		return fmt.Errorf("store: begin import: %w", err)
	}
	var names []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return fmt.Errorf("store: begin import: %w", err)
		}
		names = append(names, name)
		t.rebuild = append(t.rebuild, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: begin import: %w", err)
	}
	for _, name := range names {
		if _, err := t.tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return fmt.Errorf("store: begin import: %w", err)
		}
	}
	return nil
}

func insertImport(ctx context.Context, t *tx, imp *registry.Import) error {
	return insertRun(ctx, t, "imports", []string{"kind", "source", "industry_edition", "codes_converted", "industry_unsure"},
		[]any{imp.Kind, imp.Source, imp.Edition, imp.Converted, imp.Unsure}, &imp.Run)
}

// Existing returns the current rows of the given codes.
func (t *importTx) Existing(ctx context.Context, usccs []string) (map[string]registry.Enterprise, error) {
	out := make(map[string]registry.Enterprise, len(usccs))
	if t.empty {
		return out, nil
	}
	for start := 0; start < len(usccs); start += 1000 {
		part := usccs[start:min(start+1000, len(usccs))]
		args := make([]any, len(part))
		for i, u := range part {
			args[i] = u
		}
		rows, err := t.tx.QueryContext(ctx, `SELECT `+enterpriseColumns+` FROM enterprises WHERE uscc IN (`+
			marks(len(part))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: existing enterprises: %w", err)
		}
		for rows.Next() {
			var e registry.Enterprise
			if err := scanEnterprise(rows, &e); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: existing enterprises: %w", err)
			}
			out[e.USCC] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: existing enterprises: %w", err)
		}
	}
	return out, nil
}

// Insert adds new firms: PostgreSQL's COPY, or multi-row INSERTs on SQLite.
func (t *importTx) Insert(ctx context.Context, es []registry.Enterprise) error {
	if t.db.dialect.hasCopy() {
		if t.empty {
			return t.streamEnterprises(ctx, es)
		}
		return t.copyEnterprises(ctx, es)
	}
	args := make([]any, 0, insertChunk*enterpriseColumnCount)
	for start := 0; start < len(es); start += insertChunk {
		part := es[start:min(start+insertChunk, len(es))]
		shared := sameStamp(part)
		stmt, err := t.insertStmt(ctx, len(part), shared)
		if err != nil {
			return err
		}
		args = args[:0]
		if shared {
			// The stamp (version, time, user, import) once, then each
			// firm's own columns: a quarter fewer values to bind.
			args = t.db.dialect.enterpriseArgs(args, &part[0])[ownColumnCount:]
			for i := range part {
				args = t.db.dialect.enterpriseArgs(args, &part[i])[:len(args)+ownColumnCount]
			}
		} else {
			for i := range part {
				args = t.db.dialect.enterpriseArgs(args, &part[i])
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store: insert enterprises: %w", err)
		}
	}
	return nil
}

// ownColumnCount is the number of ownColumns.
const ownColumnCount = 13

// sameStamp reports whether the firms carry one stamp, as the new firms of
// one import do.
func sameStamp(es []registry.Enterprise) bool {
	for i := range es {
		if es[i].Version != es[0].Version || !es[i].UpdatedAt.Equal(es[0].UpdatedAt) ||
			es[i].UpdatedBy != es[0].UpdatedBy || es[i].ImportID != es[0].ImportID {
			return false
		}
	}
	return true
}

type insertKey struct {
	rows   int
	shared bool
}

// insertStmt prepares the multi-row INSERT of n firms. With a shared
// stamp, the stamp is bound once as ?1…?4, which every row names again;
// the rest are anonymous: SQLite looks each named parameter up in a list,
// so thousands of them would make binding quadratic.
func (t *importTx) insertStmt(ctx context.Context, n int, shared bool) (*sql.Stmt, error) {
	key := insertKey{n, shared}
	if st, ok := t.insertStmts[key]; ok {
		return st, nil
	}
	query := `INSERT OR FAIL INTO enterprises (` + enterpriseColumns + `) VALUES ` + placeholders(n, enterpriseColumnCount)
	if shared {
		// The stamp's columns first in each row: an anonymous ? takes
		// the largest number used so far + 1, so the rows' own values
		// are ?5, ?6, … in the order they are bound.
		row := "(?1, ?2, ?3, ?4" + strings.Repeat(", ?", ownColumnCount) + ")"
		query = `INSERT OR FAIL INTO enterprises (` + stampColumns + `, ` + ownColumns + `) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	st, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: prepare insert: %w", err)
	}
	t.insertStmts[key] = st
	return st, nil
}

// copyEnterprises writes new firms with PostgreSQL's COPY, inside the
// import's transaction.
func (t *importTx) copyEnterprises(ctx context.Context, es []registry.Enterprise) error {
	t.copyBuf = appendCopyRows(t.copyBuf[:0], es)
	if err := copyFrom(ctx, t.conn, copyEnterprisesSQL, bytes.NewReader(t.copyBuf)); err != nil {
		return fmt.Errorf("store: copy enterprises: %w", err)
	}
	return nil
}

const copyEnterprisesSQL = `COPY enterprises (` + enterpriseColumns + `) FROM STDIN`

// copyStream is a COPY fed batch by batch through a pipe.
type copyStream struct {
	w    *io.PipeWriter
	done chan error
}

// streamEnterprises sends firms down the import's one COPY, starting it
// on the first batch.
func (t *importTx) streamEnterprises(ctx context.Context, es []registry.Enterprise) error {
	if t.stream == nil {
		r, w := io.Pipe()
		st := &copyStream{w: w, done: make(chan error, 1)}
		t.stream = st
		go func() {
			err := copyFrom(ctx, t.conn, copyEnterprisesSQL, r)
			r.CloseWithError(err) // a writer still sending learns of the failure
			st.done <- err
		}()
	}
	t.copyBuf = appendCopyRows(t.copyBuf[:0], es)
	if _, err := t.stream.w.Write(t.copyBuf); err != nil {
		return fmt.Errorf("store: copy enterprises: %w", err)
	}
	return nil
}

// endStream finishes the COPY, with failed when the import is abandoned.
func (t *importTx) endStream(failed error) error {
	if t.stream == nil {
		return nil
	}
	st := t.stream
	t.stream = nil
	st.w.CloseWithError(failed)
	if err := <-st.done; err != nil && failed == nil {
		return fmt.Errorf("store: copy enterprises: %w", err)
	}
	return nil
}

// appendCopyRows appends firms in COPY's text format: writing the text
// ourselves costs a fraction of encoding each value through pgx.
func appendCopyRows(buf []byte, es []registry.Enterprise) []byte {
	for i := range es {
		e := &es[i]
		for _, v := range []string{e.USCC, e.Name, e.Industry, e.Unit, e.Address, e.Building, e.RegisteredOn, string(e.Status),
			string(e.Register), e.IncludedOn, e.ExitedOn, e.USCCFlag, e.Industry2011} {
			buf = appendCopyText(buf, v)
			buf = append(buf, '\t')
		}
		buf = strconv.AppendInt(buf, int64(e.Version), 10)
		buf = append(buf, '\t')
		buf = e.UpdatedAt.UTC().AppendFormat(buf, time.RFC3339Nano)
		buf = append(buf, '\t')
		buf = appendCopyText(buf, e.UpdatedBy)
		buf = append(buf, '\t')
		if e.ImportID != 0 {
			buf = strconv.AppendInt(buf, e.ImportID, 10)
		} else {
			buf = append(buf, `\N`...)
		}
		buf = append(buf, '\n')
	}
	return buf
}

// appendCopyText appends s escaped for COPY's text format.
func appendCopyText(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// Update changes firms, keeping each previous state in enterprise_versions.
func (t *importTx) Update(ctx context.Context, cs []registry.Change) error {
	return updateEnterprises(ctx, t.tx, cs)
}

// Amend changes one firm outside an import, with its audit entry.
func (s *RegistryStore) Amend(ctx context.Context, c registry.Change, e audit.Entry) error {
	return s.db.inTx(ctx, func(tx *tx) error {
		if err := updateEnterprises(ctx, tx, []registry.Change{c}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE directory_amendments SET n = n + 1`); err != nil {
			return fmt.Errorf("store: count amendment: %w", err)
		}
		if err := appendAudit(ctx, tx, e); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
}

// updateEnterprises changes firms, keeping each previous state in
// enterprise_versions; a firm changed since it was read is a conflict.
func updateEnterprises(ctx context.Context, t *tx, cs []registry.Change) error {
	d := t.dialect
	ver, err := t.PrepareContext(ctx, `INSERT INTO enterprise_versions
	(uscc, version, name, industry, unit_code, address, building, registered_on, status, register,
	 included_on, exited_on, uscc_flag, industry_2011, updated_at, updated_by, import_id, changed, superseded_at, superseded_by)
SELECT uscc, version, name, industry, unit_code, address, building, registered_on, status, register,
	included_on, exited_on, uscc_flag, industry_2011, updated_at, updated_by, import_id, ?, ?, ?
FROM enterprises WHERE uscc = ?`)
	if err != nil {
		return fmt.Errorf("store: prepare version: %w", err)
	}
	defer ver.Close()
	upd, err := t.PrepareContext(ctx, `UPDATE enterprises SET
	name = ?, industry = ?, unit_code = ?, address = ?, building = ?, registered_on = ?, status = ?, register = ?,
	included_on = ?, exited_on = ?, uscc_flag = ?, industry_2011 = ?, version = ?, updated_at = ?, updated_by = ?, import_id = ?
WHERE uscc = ? AND version = ?`)
	if err != nil {
		return fmt.Errorf("store: prepare update: %w", err)
	}
	defer upd.Close()
	for _, c := range cs {
		n := c.New
		// The state being superseded is copied first; a stale version
		// fails the update below and the transaction with it.
		if _, err := ver.ExecContext(ctx, strings.Join(c.Changed, ","), d.timeArg(n.UpdatedAt), n.UpdatedBy, n.USCC); err != nil {
			return fmt.Errorf("store: keep version of %s: %w", n.USCC, err)
		}
		var imp sql.NullInt64
		if n.ImportID != 0 {
			imp = sql.NullInt64{Int64: n.ImportID, Valid: true}
		}
		res, err := upd.ExecContext(ctx, n.Name, n.Industry, n.Unit, n.Address, n.Building, n.RegisteredOn, string(n.Status),
			string(n.Register), n.IncludedOn, n.ExitedOn, n.USCCFlag, n.Industry2011, n.Version, d.timeArg(n.UpdatedAt), n.UpdatedBy, imp,
			n.USCC, c.Old.Version)
		if err != nil {
			return fmt.Errorf("store: update %s: %w", n.USCC, err)
		}
		if k, err := res.RowsAffected(); err == nil && k != 1 {
			return apperr.Conflictf("企业%s已被他人修改,请刷新后重试", n.USCC)
		}
	}
	return nil
}

// AppendRevenue adds revenue figures as new versions.
func (t *importTx) AppendRevenue(ctx context.Context, rs []registry.Revenue) error {
	d := t.db.dialect
	const cols = 9
	args := make([]any, 0, insertChunk*cols)
	for start := 0; start < len(rs); start += insertChunk {
		part := rs[start:min(start+insertChunk, len(rs))]
		args = args[:0]
		for _, r := range part {
			var imp sql.NullInt64
			if r.ImportID != 0 {
				imp = sql.NullInt64{Int64: r.ImportID, Valid: true}
			}
			args = append(args, r.USCC, r.Period, string(r.Source), r.Version, r.Months, r.AmountFen, imp, r.EnteredBy, d.timeArg(r.EnteredAt))
		}
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO enterprise_revenue
	(uscc, period, source, version, months, amount_fen, import_id, entered_by, entered_at) VALUES `+placeholders(len(part), cols), args...); err != nil {
			return fmt.Errorf("store: append revenue: %w", err)
		}
	}
	return nil
}

// CurrentRevenue returns the latest version of each (firm, period, source)
// given, keyed as registry.RevenueKey.
func (t *importTx) CurrentRevenue(ctx context.Context, usccs []string) (map[string]registry.Revenue, error) {
	out := map[string]registry.Revenue{}
	for start := 0; start < len(usccs); start += 1000 {
		part := usccs[start:min(start+1000, len(usccs))]
		args := make([]any, len(part))
		for i, u := range part {
			args[i] = u
		}
		rows, err := t.tx.QueryContext(ctx, `SELECT `+revenueColumns+` FROM enterprise_revenue r
WHERE r.uscc IN (`+marks(len(part))+`)
  AND r.version = (SELECT MAX(v.version) FROM enterprise_revenue v
                   WHERE v.uscc = r.uscc AND v.period = r.period AND v.source = r.source)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: current revenue: %w", err)
		}
		for rows.Next() {
			var r registry.Revenue
			if err := scanRevenue(rows, &r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: current revenue: %w", err)
			}
			out[registry.RevenueKey(r.USCC, r.Period, r.Source)] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Commit records the import's outcome and audit entry and commits.
func (t *importTx) Commit(ctx context.Context, imp *registry.Import, e audit.Entry) error {
	defer t.close()
	if err := t.endStream(nil); err != nil {
		t.tx.tx.Rollback()
		return err
	}
	for _, create := range t.rebuild {
		if _, err := t.tx.ExecContext(ctx, create); err != nil {
			t.tx.tx.Rollback()
			return fmt.Errorf("store: rebuild index: %w", err)
		}
	}
	if err := finishRun(ctx, t.tx, "imports", &imp.Run); err != nil {
		t.tx.tx.Rollback()
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE imports SET codes_converted = ?, industry_unsure = ? WHERE id = ?`,
		imp.Converted, imp.Unsure, imp.ID); err != nil {
		t.tx.tx.Rollback()
		return fmt.Errorf("store: record import: %w", err)
	}
	if err := appendAudit(ctx, t.tx, e); err != nil {
		t.tx.tx.Rollback()
		return fmt.Errorf("store: %w", err)
	}
	if err := t.tx.tx.Commit(); err != nil {
		return fmt.Errorf("store: commit import: %w", err)
	}
	return nil
}

// Rollback abandons the import: nothing it wrote stays.
func (t *importTx) Rollback() error {
	defer t.close()
	t.endStream(errors.New("import abandoned"))
	if err := t.tx.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("store: roll back import: %w", err)
	}
	return nil
}

func (t *importTx) close() {
	for _, st := range t.insertStmts {
		st.Close()
	}
	t.db.dialect.endBulk(t.conn)
	t.conn.Close()
}

// RecordImport records an import that wrote nothing, with its audit entry.
func (s *RegistryStore) RecordImport(ctx context.Context, imp *registry.Import, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		if err := insertImport(ctx, tx, imp); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: record import: %w", err)
	}
	return nil
}

// FindEnterprise returns one firm.
func (s *RegistryStore) FindEnterprise(ctx context.Context, uscc string) (*registry.Enterprise, error) {
	var e registry.Enterprise
	err := scanEnterprise(s.db.queryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises WHERE uscc = ?`, uscc), &e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("名录库中没有统一社会信用代码为%s的企业", uscc)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find enterprise: %w", err)
	}
	return &e, nil
}

// History returns a firm's earlier states, newest first.
func (s *RegistryStore) History(ctx context.Context, uscc string) ([]registry.Version, error) {
	rows, err := s.db.query(ctx, `SELECT `+enterpriseColumns+`, changed FROM enterprise_versions
WHERE uscc = ? ORDER BY version DESC`, uscc)
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var out []registry.Version
	for rows.Next() {
		var v registry.Version
		var changed string
		if err := scanEnterprise(rows, &v.Enterprise, &changed); err != nil {
			return nil, fmt.Errorf("store: history: %w", err)
		}
		if changed != "" {
			v.Changed = strings.Split(changed, ",")
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const revenueColumns = `r.uscc, r.period, r.source, r.version, r.months, r.amount_fen, COALESCE(r.import_id, 0), r.entered_by, r.entered_at`

func scanRevenue(row interface{ Scan(...any) error }, r *registry.Revenue) error {
	var source string
	if err := row.Scan(&r.USCC, &r.Period, &source, &r.Version, &r.Months, &r.AmountFen, &r.ImportID, &r.EnteredBy,
		scanTime(&r.EnteredAt)); err != nil {
		return err
	}
	r.Source = registry.Source(source)
	return nil
}

// RevenueOf returns a firm's figures, every version, newest period first.
func (s *RegistryStore) RevenueOf(ctx context.Context, uscc string) ([]registry.Revenue, error) {
	rows, err := s.db.query(ctx, `SELECT `+revenueColumns+` FROM enterprise_revenue r
WHERE r.uscc = ? ORDER BY r.period DESC, r.source, r.version DESC`, uscc)
	if err != nil {
		return nil, fmt.Errorf("store: revenue: %w", err)
	}
	defer rows.Close()
	var out []registry.Revenue
	for rows.Next() {
		var r registry.Revenue
		if err := scanRevenue(rows, &r); err != nil {
			return nil, fmt.Errorf("store: revenue: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// where builds the WHERE clause of a filter over enterprises aliased e.
func where(f registry.Filter) (string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+marks(len(vals))+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// A code typed in full or in part matches from its start; anything
		// else is looked for in the name (LIKE wildcards in q escaped).
		like := likePattern(q)
		conds = append(conds, `(substr(e.uscc, 1, ?) = ? OR e.name LIKE ? ESCAPE '\')`)
		args = append(args, len(q), strings.ToUpper(q), like)
	}
	in("e.unit_code", f.Units)
	in("e.industry", f.Classes)
	if f.Prefix != "" {
		conds = append(conds, "substr(e.industry, 1, ?) = ?")
		args = append(args, len(f.Prefix), f.Prefix)
	}
	regs := make([]string, len(f.Registers))
	for i, r := range f.Registers {
		regs[i] = string(r)
	}
	in("e.register", regs)
	sts := make([]string, len(f.Statuses))
	for i, st := range f.Statuses {
		sts[i] = string(st)
	}
	in("e.status", sts)
	if f.Unsure {
		conds = append(conds, "e.industry_2011 <> ''")
	}
	if f.Flagged {
		conds = append(conds, "e.uscc_flag <> ''")
	}
	if f.IncludedFrom != "" {
		conds = append(conds, "e.included_on >= ?")
		args = append(args, f.IncludedFrom)
	}
	if f.After != "" {
		conds = append(conds, "e.uscc > ?")
		args = append(args, f.After)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListEnterprises returns a page of firms by name, and the count of all.
func (s *RegistryStore) ListEnterprises(ctx context.Context, f registry.Filter) ([]registry.Enterprise, int, error) {
	w, args := where(f)
	total := -1
	if f.After == "" {
		if err := s.db.queryRow(ctx, `SELECT count(*) FROM enterprises e`+w, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: count enterprises: %w", err)
		}
	}
	rows, err := s.db.query(ctx, `SELECT `+prefixed("e.", enterpriseColumns)+` FROM enterprises e`+w+
		fmt.Sprintf(" ORDER BY e.uscc LIMIT %d OFFSET %d", max(f.Limit, 1), max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list enterprises: %w", err)
	}
	defer rows.Close()
	var out []registry.Enterprise
	for rows.Next() {
		var e registry.Enterprise
		if err := scanEnterprise(rows, &e); err != nil {
			return nil, 0, fmt.Errorf("store: list enterprises: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// CountEnterprises counts the active firms by class, unit and register.
func (s *RegistryStore) CountEnterprises(ctx context.Context, f registry.Filter) ([]registry.Count, error) {
	if len(f.Statuses) == 0 {
		f.Statuses = []registry.Status{registry.StatusActive}
	}
	w, args := where(f)
	// Grouped in the order of the index enterprises_unit, which covers
	// the query: no sort, no table pages.
	rows, err := s.db.query(ctx, `SELECT e.industry, e.unit_code, e.register, count(*) FROM enterprises e`+w+`
GROUP BY e.unit_code, e.industry, e.register`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: count enterprises: %w", err)
	}
	defer rows.Close()
	var out []registry.Count
	for rows.Next() {
		var c registry.Count
		var reg string
		if err := rows.Scan(&c.Industry, &c.Unit, &reg, &c.N); err != nil {
			return nil, fmt.Errorf("store: count enterprises: %w", err)
		}
		c.Register = registry.Register(reg)
		out = append(out, c)
	}
	return out, rows.Err()
}

// sourceRank orders the sources of one period: the statistics' own figure
// first, then tax, market regulation and the firm's own word.
var sourceRank = map[registry.Source]int{registry.SourceStatistics: 0, registry.SourceTax: 1, registry.SourceMarket: 2, registry.SourceSelf: 3}

// Candidates returns active firms outside the statistics with their latest
// figure: the latest period; within it, the most official source.
func (s *RegistryStore) Candidates(ctx context.Context, f registry.Filter) ([]registry.Candidate, error) {
	f.Registers = []registry.Register{registry.RegisterNone}
	f.Statuses = []registry.Status{registry.StatusActive}
	w, args := where(f)
	rows, err := s.db.query(ctx, `SELECT `+prefixed("e.", enterpriseColumns)+`, r.period, r.source, r.months, r.amount_fen
FROM enterprises e
JOIN enterprise_revenue r ON r.uscc = e.uscc`+w+`
  AND r.version = (SELECT MAX(v.version) FROM enterprise_revenue v
                   WHERE v.uscc = r.uscc AND v.period = r.period AND v.source = r.source)
ORDER BY e.uscc`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	defer rows.Close()
	var out []registry.Candidate
	for rows.Next() {
		var c registry.Candidate
		var source string
		if err := scanEnterprise(rows, &c.Enterprise, &c.Figure.Period, &source, &c.Figure.Months, &c.Figure.AmountFen); err != nil {
			return nil, fmt.Errorf("store: candidates: %w", err)
		}
		c.Figure.Source = registry.Source(source)
		if n := len(out); n > 0 && out[n-1].USCC == c.USCC {
			prev := &out[n-1]
			if newerFigure(c.Figure, prev.Figure) {
				prev.Figure = c.Figure
			}
			continue
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// newerFigure reports whether a is preferred to b: a later period (a year
// counts as its December), then a more official source.
func newerFigure(a, b registry.Figure) bool {
	pa, pb := a.Period, b.Period
	if len(pa) == 4 {
		pa += "-12"
	}
	if len(pb) == 4 {
		pb += "-12"
	}
	if pa != pb {
		return pa > pb
	}
	if len(a.Period) != len(b.Period) {
		return len(a.Period) == 4 // a full year before December's year-to-date
	}
	return sourceRank[a.Source] < sourceRank[b.Source]
}

const importColumns = `id, kind, source, industry_edition, codes_converted, industry_unsure, ` + runColumns

func scanImport(row interface{ Scan(...any) error }, imp *registry.Import) error {
	var mode string
	err := row.Scan(append([]any{&imp.ID, &imp.Kind, &imp.Source, &imp.Edition, &imp.Converted, &imp.Unsure},
		runDest(&imp.Run, &mode)...)...)
	imp.Mode = table.Mode(mode)
	return err
}

// ListImports returns the latest imports, newest first.
func (s *RegistryStore) ListImports(ctx context.Context, limit int) ([]registry.Import, error) {
	rows, err := s.db.query(ctx, `SELECT `+importColumns+` FROM imports ORDER BY id DESC LIMIT `+fmt.Sprint(max(limit, 1)))
	if err != nil {
		return nil, fmt.Errorf("store: list imports: %w", err)
	}
	defer rows.Close()
	var out []registry.Import
	for rows.Next() {
		var imp registry.Import
		if err := scanImport(rows, &imp); err != nil {
			return nil, fmt.Errorf("store: list imports: %w", err)
		}
		out = append(out, imp)
	}
	return out, rows.Err()
}

// FindImport returns one import.
func (s *RegistryStore) FindImport(ctx context.Context, id int64) (*registry.Import, error) {
	var imp registry.Import
	err := scanImport(s.db.queryRow(ctx, `SELECT `+importColumns+` FROM imports WHERE id = ?`, id), &imp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("没有编号为%d的导入记录", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find import: %w", err)
	}
	return &imp, nil
}

// CountByInclusion counts the firms in business in the given registers by
// unit, industry class and the year they entered their register ("" when not
// known): one pass over the directory for every firm-count indicator.
func (s *RegistryStore) CountByInclusion(ctx context.Context, regs []registry.Register) ([]registry.InclusionCount, error) {
	f := registry.Filter{Registers: regs, Statuses: []registry.Status{registry.StatusActive}}
	w, args := where(f)
	rows, err := s.db.query(ctx, `SELECT e.unit_code, e.industry, substr(e.included_on, 1, 4), count(*) FROM enterprises e`+w+`
GROUP BY e.unit_code, e.industry, substr(e.included_on, 1, 4)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: count by inclusion: %w", err)
	}
	defer rows.Close()
	var out []registry.InclusionCount
	for rows.Next() {
		var c registry.InclusionCount
		if err := rows.Scan(&c.Unit, &c.Industry, &c.Year, &c.N); err != nil {
			return nil, fmt.Errorf("store: count by inclusion: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Version is the latest successful directory import plus the number of
// amendments: it changes whenever the directory does, for caches to check.
func (s *RegistryStore) Version(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	// Both terms only grow: their sum changes with every change.
	if err := s.db.queryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM imports WHERE outcome = 'ok') +
	(SELECT n FROM directory_amendments)`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: directory version: %w", err)
	}
	return v.Int64, nil
}
