package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"svcplan/internal/table"

	"svcplan/internal/audit"
	"svcplan/internal/reports"
)

// ReportStore keeps enterprise reports and their rollups. It implements
// reports.Store.
type ReportStore struct{ db *DB }

var _ reports.Store = (*ReportStore)(nil)

// NewReportStore returns a report store over db.
func NewReportStore(db *DB) *ReportStore { return &ReportStore{db: db} }

// measureColumns are the value columns of firm_reports and report_rollups,
// in reports.Measures order, each with its _prev twin.
var measureColumns = func() string {
	names := []string{"revenue", "cost", "payroll", "taxes", "employees"}
	var cols []string
	for _, n := range names {
		cols = append(cols, n, n+"_prev")
	}
	return strings.Join(cols, ", ")
}()

const reportColumnsHead = `form, period, uscc, name, area_code, unit_code, industry, division, `
const reportColumnsTail = `, version, import_id, imported_at, imported_by`

var firmReportColumns = reportColumnsHead + measureColumns + reportColumnsTail

// firmReportColumnCount is the number of firmReportColumns.
const firmReportColumnCount = 8 + 2*5 + 4

func (d dialect) reportArgs(args []any, r *reports.Report) []any {
	args = append(args, r.Form, int(r.Period), r.USCC, r.Name, r.Area, r.Unit, r.Industry, r.Division)
	for _, v := range r.Values {
		args = append(args, nullInt(v.Cur, v.HasCur), nullInt(v.Prev, v.HasPrev))
	}
	return append(args, r.Version, r.ImportID, d.timeArg(r.ImportedAt), r.ImportedBy)
}

func nullInt(v int64, ok bool) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: ok} }

func scanReport(row interface{ Scan(...any) error }, r *reports.Report) error {
	var period int
	var vals [2 * 5]sql.NullInt64
	dst := []any{&r.Form, &period, &r.USCC, &r.Name, &r.Area, &r.Unit, &r.Industry, &r.Division}
	for i := range vals {
		dst = append(dst, &vals[i])
	}
	dst = append(dst, &r.Version, &r.ImportID, scanTime(&r.ImportedAt), &r.ImportedBy)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	r.Period = reports.Period(period)
	for m := range r.Values {
		cur, prev := vals[2*m], vals[2*m+1]
		r.Values[m] = reports.Value{Cur: cur.Int64, HasCur: cur.Valid, Prev: prev.Int64, HasPrev: prev.Valid}
	}
	return nil
}

// FirmsByUSCC returns the directory's firms among these codes.
func (s *ReportStore) FirmsByUSCC(ctx context.Context, usccs []string) (map[string]reports.Firm, error) {
	out := make(map[string]reports.Firm, len(usccs))
	err := s.inChunks(ctx, usccs, `SELECT uscc, industry FROM enterprises WHERE uscc IN (%s)`, func(f reports.Firm) {
		out[f.USCC] = f
	})
	return out, err
}

// FirmsByOrgCode returns the directory's firms whose USCC holds one of
// these organisation codes (characters 9–17), keyed by the organisation
// code. It reads the whole directory once: only old files need it.
func (s *ReportStore) FirmsByOrgCode(ctx context.Context, orgs []string) (map[string]reports.Firm, error) {
	want := make(map[string]bool, len(orgs))
	for _, o := range orgs {
		want[o] = true
	}
	rows, err := s.db.query(ctx, `SELECT uscc, industry FROM enterprises`)
	if err != nil {
		return nil, fmt.Errorf("store: firms by organisation code: %w", err)
	}
	defer rows.Close()
	out := map[string]reports.Firm{}
	for rows.Next() {
		var f reports.Firm
		if err := rows.Scan(&f.USCC, &f.Industry); err != nil {
			return nil, err
		}
		if len(f.USCC) == 18 && want[f.USCC[8:17]] {
			out[f.USCC[8:17]] = f
		}
	}
	return out, rows.Err()
}

func (s *ReportStore) inChunks(ctx context.Context, keys []string, query string, each func(reports.Firm)) error {
	for start := 0; start < len(keys); start += 1000 {
		part := keys[start:min(start+1000, len(keys))]
		args := make([]any, len(part))
		for i, k := range part {
			args[i] = k
		}
		rows, err := s.db.query(ctx, fmt.Sprintf(query, marks(len(part))), args...)
		if err != nil {
			return fmt.Errorf("store: firms: %w", err)
		}
		for rows.Next() {
			var f reports.Firm
			if err := rows.Scan(&f.USCC, &f.Industry); err != nil {
				rows.Close()
				return err
			}
			each(f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// reportTx is a report import's transaction.
type reportTx struct {
	tx *tx
	db *DB
}

// BeginReportImport starts a report import's transaction and records the
// import in it. Imports of reports run one at a time.
func (s *ReportStore) BeginReportImport(ctx context.Context, imp *reports.Import) (reports.ImportTx, error) {
	sqlTx, err := s.db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin report import: %w", err)
	}
	t := &reportTx{tx: &tx{tx: sqlTx, dialect: s.db.dialect}, db: s.db}
	if err := s.db.dialect.lock(ctx, t.tx, reportImportsLock); err != nil {
		sqlTx.Rollback()
		return nil, fmt.Errorf("store: lock report imports: %w", err)
	}
	if err := insertReportImport(ctx, t.tx, imp); err != nil {
		sqlTx.Rollback()
		return nil, err
	}
	return t, nil
}

func insertReportImport(ctx context.Context, t *tx, imp *reports.Import) error {
	return insertRun(ctx, t, "report_imports", []string{"form", "period"}, []any{imp.Form, int(imp.Period)}, &imp.Run)
}

// Current returns the current reports of these firms for a form and period.
func (t *reportTx) Current(ctx context.Context, form string, period reports.Period, usccs []string) (map[string]reports.Report, error) {
	out := make(map[string]reports.Report, len(usccs))
	for start := 0; start < len(usccs); start += 1000 {
		part := usccs[start:min(start+1000, len(usccs))]
		args := []any{form, int(period)}
		for _, u := range part {
			args = append(args, u)
		}
		rows, err := t.tx.QueryContext(ctx, `SELECT `+firmReportColumns+` FROM firm_reports
WHERE form = ? AND period = ? AND uscc IN (`+marks(len(part))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: current reports: %w", err)
		}
		for rows.Next() {
			var r reports.Report
			if err := scanReport(rows, &r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: current reports: %w", err)
			}
			out[r.USCC] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// reportChunk rows of 22 values stay inside SQLite's 32,766 parameters.
const reportChunk = 500

// Insert adds reports.
func (t *reportTx) Insert(ctx context.Context, rs []reports.Report) error {
	return t.insert(ctx, "firm_reports", firmReportColumns, rs, nil)
}

func (t *reportTx) insert(ctx context.Context, table, cols string, rs []reports.Report, extra func(*reports.Report) []any) error {
	d := t.db.dialect
	n := firmReportColumnCount
	if extra != nil {
		n += len(extra(&reports.Report{}))
	}
	args := make([]any, 0, reportChunk*n)
	for start := 0; start < len(rs); start += reportChunk {
		part := rs[start:min(start+reportChunk, len(rs))]
		args = args[:0]
		for i := range part {
			args = d.reportArgs(args, &part[i])
			if extra != nil {
				args = append(args, extra(&part[i])...)
			}
		}
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES `+placeholders(len(part), n), args...); err != nil {
			return fmt.Errorf("store: insert into %s: %w", table, err)
		}
	}
	return nil
}

// Replace keeps each old report in firm_report_versions and makes the new
// one current.
func (t *reportTx) Replace(ctx context.Context, old, new []reports.Report, imp *reports.Import) error {
	if len(old) == 0 {
		return nil
	}
	replacedBy := func(*reports.Report) []any { return []any{imp.ID} }
	if err := t.insert(ctx, "firm_report_versions", firmReportColumns+", replaced_by", old, replacedBy); err != nil {
		return err
	}
	for i := range old {
		r := &old[i]
		res, err := t.tx.ExecContext(ctx, `DELETE FROM firm_reports WHERE form = ? AND period = ? AND uscc = ? AND version = ?`,
			r.Form, int(r.Period), r.USCC, r.Version)
		if err != nil {
			return fmt.Errorf("store: replace report: %w", err)
		}
		if k, err := res.RowsAffected(); err == nil && k != 1 {
			return fmt.Errorf("store: report of %s changed during the import", r.USCC)
		}
	}
	return t.Insert(ctx, new)
}

// Rollup recomputes the rollups of one form and period from the firm rows.
func (t *reportTx) Rollup(ctx context.Context, form string, period reports.Period) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM report_rollups WHERE form = ? AND period = ?`, form, int(period)); err != nil {
		return fmt.Errorf("store: rollup: %w", err)
	}
	var sums []string
	for _, c := range strings.Split(measureColumns, ", ") {
		sums = append(sums, "COALESCE(SUM("+c+"), 0)")
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO report_rollups (form, period, unit_code, industry, firms, firms_prev, `+measureColumns+`)
SELECT form, period, unit_code, industry, COUNT(*), COUNT(revenue_prev), `+strings.Join(sums, ", ")+`
FROM firm_reports WHERE form = ? AND period = ?
GROUP BY form, period, unit_code, industry`, form, int(period))
	if err != nil {
		return fmt.Errorf("store: rollup: %w", err)
	}
	return nil
}

// Commit records the import's outcome and audit entry and commits.
func (t *reportTx) Commit(ctx context.Context, imp *reports.Import, e audit.Entry) error {
	err := finishRun(ctx, t.tx, "report_imports", &imp.Run)
	if err == nil {
		err = appendAudit(ctx, t.tx, e)
	}
	if err != nil {
		t.tx.tx.Rollback()
		return fmt.Errorf("store: record report import: %w", err)
	}
	if err := t.tx.tx.Commit(); err != nil {
		return fmt.Errorf("store: commit report import: %w", err)
	}
	return nil
}

// Rollback abandons the import.
func (t *reportTx) Rollback() error { return t.tx.tx.Rollback() }

// RecordReportImport records an import that wrote nothing, with its audit
// entry.
func (s *ReportStore) RecordReportImport(ctx context.Context, imp *reports.Import, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		if err := insertReportImport(ctx, t, imp); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

const reportImportColumns = `id, form, period, ` + runColumns

// ReportImports lists the latest report imports, newest first.
func (s *ReportStore) ReportImports(ctx context.Context, limit int) ([]reports.Import, error) {
	rows, err := s.db.query(ctx, `SELECT `+reportImportColumns+` FROM report_imports ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: report imports: %w", err)
	}
	defer rows.Close()
	var out []reports.Import
	for rows.Next() {
		var imp reports.Import
		var period int
		var mode string
		if err := rows.Scan(append([]any{&imp.ID, &imp.Form, &period}, runDest(&imp.Run, &mode)...)...); err != nil {
			return nil, fmt.Errorf("store: report imports: %w", err)
		}
		imp.Period, imp.Mode = reports.Period(period), table.Mode(mode)
		out = append(out, imp)
	}
	return out, rows.Err()
}

// rollupWhere turns a query into a WHERE clause.
func rollupWhere(q reports.Query) (string, []any) {
	var conds []string
	var args []any
	if q.Form != "" {
		conds, args = append(conds, "form = ?"), append(args, q.Form)
	}
	if len(q.Periods) > 0 {
		conds = append(conds, "period IN ("+marks(len(q.Periods))+")")
		for _, p := range q.Periods {
			args = append(args, int(p))
		}
	}
	if q.Unit != "" {
		conds, args = append(conds, "unit_code = ?"), append(args, q.Unit)
	}
	if q.Division != "" {
		conds, args = append(conds, "industry LIKE ?"), append(args, q.Division+"%")
	}
	if q.Industry != "" {
		conds, args = append(conds, "industry = ?"), append(args, q.Industry)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Rollups returns the rollup rows a query selects.
func (s *ReportStore) Rollups(ctx context.Context, q reports.Query) ([]reports.Rollup, error) {
	where, args := rollupWhere(q)
	cols := measureColumns
	if q.RevenueOnly {
		cols = "revenue, revenue_prev"
	}
	query := `SELECT form, period, unit_code, industry, firms, firms_prev, ` + cols + `
FROM report_rollups` + where + ` ORDER BY form, period, unit_code, industry`
	if q.ByPeriod {
		var sums []string
		for _, c := range strings.Split(cols, ", ") {
			sums = append(sums, "SUM("+c+")")
		}
		query = `SELECT form, period, '', '', SUM(firms), SUM(firms_prev), ` + strings.Join(sums, ", ") + `
FROM report_rollups` + where + ` GROUP BY form, period ORDER BY form, period`
	}
	rows, err := s.db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rollups: %w", err)
	}
	defer rows.Close()
	var out []reports.Rollup
	for rows.Next() {
		var r reports.Rollup
		var period int
		dst := []any{&r.Form, &period, &r.Unit, &r.Industry, &r.Firms, &r.FirmsPrev}
		for m := range r.Sums {
			if q.RevenueOnly && reports.Measure(m) != reports.Revenue {
				continue
			}
			dst = append(dst, &r.Sums[m].Cur, &r.Sums[m].Prev)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("store: rollups: %w", err)
		}
		r.Period = reports.Period(period)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Reports returns the current firm reports a query selects, largest
// revenue first.
func (s *ReportStore) Reports(ctx context.Context, q reports.Query) ([]reports.Report, error) {
	where, args := rollupWhere(q)
	rows, err := s.db.query(ctx, `SELECT `+firmReportColumns+` FROM firm_reports`+where+` ORDER BY revenue DESC, uscc`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	defer rows.Close()
	var out []reports.Report
	for rows.Next() {
		var r reports.Report
		if err := scanReport(rows, &r); err != nil {
			return nil, fmt.Errorf("store: reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Periods lists the periods a form has rollups for.
func (s *ReportStore) Periods(ctx context.Context, form string) ([]reports.Period, error) {
	rows, err := s.db.query(ctx, `SELECT DISTINCT period FROM report_rollups WHERE form = ?`, form)
	if err != nil {
		return nil, fmt.Errorf("store: report periods: %w", err)
	}
	defer rows.Close()
	var out []reports.Period
	for rows.Next() {
		var p int
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, reports.Period(p))
	}
	return out, rows.Err()
}

// History returns every version of a firm's reports: the current ones and
// those replaced, by form, period (newest first) and version (newest
// first).
func (s *ReportStore) History(ctx context.Context, uscc string) ([]reports.Report, error) {
	rows, err := s.db.query(ctx, `SELECT `+firmReportColumns+` FROM firm_reports WHERE uscc = ?
UNION ALL SELECT `+firmReportColumns+` FROM firm_report_versions WHERE uscc = ?
ORDER BY form, period DESC, version DESC`, uscc, uscc)
	if err != nil {
		return nil, fmt.Errorf("store: report history: %w", err)
	}
	defer rows.Close()
	var out []reports.Report
	for rows.Next() {
		var r reports.Report
		if err := scanReport(rows, &r); err != nil {
			return nil, fmt.Errorf("store: report history: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Version is the latest successful report import: it changes whenever
// the reports (and so the rollups) do, for caches to check.
func (s *ReportStore) Version(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	if err := s.db.queryRow(ctx, `SELECT MAX(id) FROM report_imports WHERE outcome = 'ok'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: report version: %w", err)
	}
	return v.Int64, nil
}

// ParkMembers returns the park mapping, every line in load order.
func (s *ReportStore) ParkMembers(ctx context.Context) ([]reports.ParkMember, error) {
	rows, err := s.db.query(ctx, `SELECT park_code, member_kind, member, valid_from, valid_to, file_name, loaded_by, loaded_at
FROM park_members ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: park members: %w", err)
	}
	defer rows.Close()
	var out []reports.ParkMember
	for rows.Next() {
		var m reports.ParkMember
		if err := rows.Scan(&m.Park, &m.Kind, &m.Member, &m.ValidFrom, &m.ValidTo, &m.FileName, &m.LoadedBy, scanTime(&m.LoadedAt)); err != nil {
			return nil, fmt.Errorf("store: park members: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddParkMembers appends lines of the park mapping with the audit entry.
func (s *ReportStore) AddParkMembers(ctx context.Context, ms []reports.ParkMember, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		for _, m := range ms {
			if _, err := t.ExecContext(ctx, `INSERT INTO park_members (park_code, member_kind, member, valid_from, valid_to,
	file_name, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.Park, m.Kind, m.Member, m.ValidFrom, m.ValidTo,
				m.FileName, m.LoadedBy, t.dialect.timeArg(m.LoadedAt)); err != nil {
				return fmt.Errorf("store: add park member: %w", err)
			}
		}
		return appendAudit(ctx, t, e)
	})
}
