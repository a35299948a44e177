package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/money"
	"svcplan/internal/projects"
)

// ProjectStore keeps the major-project ledger. It implements
// projects.Store.
type ProjectStore struct{ db *DB }

var _ projects.Store = (*ProjectStore)(nil)

// NewProjectStore returns a ledger store over db.
func NewProjectStore(db *DB) *ProjectStore { return &ProjectStore{db: db} }

const projectColumns = `code, name, builder, builder_uscc, field, unit_code, leader, level, level_list, level_year,
	total_fen, currency, foreign_minor, conversion, planned_start, planned_end, stage, version, updated_at, updated_by`

func (d dialect) projectArgs(p *projects.Project) []any {
	inv := p.Investment
	return []any{p.Code, p.Name, p.Builder, p.BuilderUSCC, p.Field, p.Unit, p.Leader, string(p.Level), p.LevelList, p.LevelYear,
		int64(inv.TotalFen), inv.Currency, inv.ForeignMinor, inv.Conversion, p.PlannedStart, p.PlannedEnd, string(p.Stage()),
		p.Version, d.timeArg(p.UpdatedAt), p.UpdatedBy}
}

func scanProject(row interface{ Scan(...any) error }, p *projects.Project) error {
	var level, stage string
	var total int64
	err := row.Scan(&p.Code, &p.Name, &p.Builder, &p.BuilderUSCC, &p.Field, &p.Unit, &p.Leader, &level, &p.LevelList, &p.LevelYear,
		&total, &p.Investment.Currency, &p.Investment.ForeignMinor, &p.Investment.Conversion, &p.PlannedStart, &p.PlannedEnd,
		&stage, &p.Version, scanTime(&p.UpdatedAt), &p.UpdatedBy)
	p.Level, p.Investment.TotalFen = projects.Level(level), money.Fen(total)
	return err
}

// bump counts a change of the ledger's projects or rounds (column is a
// constant, never user input).
func bump(ctx context.Context, t *tx, column string) error {
	_, err := bumped(ctx, t, column)
	return err
}

// bumped is bump returning the new count. The row stays locked until the
// transaction ends, so counts are taken in the order changes commit.
func bumped(ctx context.Context, t *tx, column string) (int64, error) {
	if _, err := t.ExecContext(ctx, `UPDATE ledger_changes SET `+column+` = `+column+` + 1`); err != nil {
		return 0, fmt.Errorf("store: count ledger change: %w", err)
	}
	var n int64
	if err := t.QueryRowContext(ctx, `SELECT `+column+` FROM ledger_changes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count ledger change: %w", err)
	}
	return n, nil
}

// CreateProject adds a project; a code in use is a conflict.
func (s *ProjectStore) CreateProject(ctx context.Context, p projects.Project, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM projects WHERE code = ?`, p.Code).Scan(&n); err != nil {
			return fmt.Errorf("store: create project: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("项目编号“%s”已被使用", p.Code)
		}
		seq, err := bumped(ctx, t, "projects")
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO projects (`+projectColumns+`, change_seq) VALUES (`+marks(21)+`)`,
			append(t.dialect.projectArgs(&p), seq)...); err != nil {
			return fmt.Errorf("store: create project: %w", err)
		}
		if err := writeProjectParts(ctx, t, &p); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

// writeProjectParts writes a project's units, plans and events (after
// the old ones, if any, are deleted).
func writeProjectParts(ctx context.Context, t *tx, p *projects.Project) error {
	for _, u := range p.Units {
		if _, err := t.ExecContext(ctx, `INSERT INTO project_units (project, unit_code, role) VALUES (?, ?, ?)`,
			p.Code, u.Unit, string(u.Role)); err != nil {
			return fmt.Errorf("store: project units: %w", err)
		}
	}
	for _, y := range p.Plans {
		if _, err := t.ExecContext(ctx, `INSERT INTO project_plans (project, year, planned_fen) VALUES (?, ?, ?)`,
			p.Code, y.Year, int64(y.Fen)); err != nil {
			return fmt.Errorf("store: project plans: %w", err)
		}
	}
	for i, e := range p.Events {
		c := projects.Certification{}
		if e.Certified != nil {
			c = *e.Certified
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO project_events (project, seq, stage, on_date, evidence, attachment, reason,
	entered_by, entered_at, cert_on, cert_body, cert_by, cert_at) VALUES (`+marks(13)+`)`,
			p.Code, i+1, string(e.Stage), e.On, e.Evidence, e.Attachment, e.Reason, e.By, t.dialect.timeArg(e.EnteredAt),
			c.On, c.Body, c.By, t.dialect.nullTimeArg(c.EnteredAt)); err != nil {
			return fmt.Errorf("store: project events: %w", err)
		}
	}
	return nil
}

// UpdateProject replaces a project's state, keeping the old one whole.
func (s *ProjectStore) UpdateProject(ctx context.Context, old, next projects.Project, changed []string, e audit.Entry) error {
	state, err := json.Marshal(old)
	if err != nil {
		return fmt.Errorf("store: keep project version: %w", err)
	}
	return s.db.inTx(ctx, func(t *tx) error {
		d := t.dialect
		seq, err := bumped(ctx, t, "projects")
		if err != nil {
			return err
		}
		args := d.projectArgs(&next)[1:] // all but the code
		res, err := t.ExecContext(ctx, `UPDATE projects SET name = ?, builder = ?, builder_uscc = ?, field = ?, unit_code = ?,
	leader = ?, level = ?, level_list = ?, level_year = ?, total_fen = ?, currency = ?, foreign_minor = ?, conversion = ?,
	planned_start = ?, planned_end = ?, stage = ?, version = ?, updated_at = ?, updated_by = ?, change_seq = ?
WHERE code = ? AND version = ?`, append(args, seq, next.Code, old.Version)...)
		if err != nil {
			return fmt.Errorf("store: update project: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n != 1 {
			return apperr.Conflictf("项目%s已被他人修改,请刷新后重试", next.Code)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO project_versions (project, version, state, changed, superseded_at, superseded_by)
VALUES (?, ?, ?, ?, ?, ?)`, old.Code, old.Version, string(state), strings.Join(changed, ","), d.timeArg(next.UpdatedAt),
			next.UpdatedBy); err != nil {
			return fmt.Errorf("store: keep project version: %w", err)
		}
		for _, table := range []string{"project_units", "project_plans", "project_events"} {
			if _, err := t.ExecContext(ctx, `DELETE FROM `+table+` WHERE project = ?`, next.Code); err != nil {
				return fmt.Errorf("store: update project: %w", err)
			}
		}
		if err := writeProjectParts(ctx, t, &next); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

// FindProject returns one project.
func (s *ProjectStore) FindProject(ctx context.Context, code string) (*projects.Project, error) {
	var p projects.Project
	err := s.db.inReadTx(ctx, func(t *tx) error {
		if err := scanProject(t.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE code = ?`, code), &p); err != nil {
			return err
		}
		ps := []projects.Project{p}
		if err := readProjectParts(ctx, t, ps, `WHERE project = ?`, code); err != nil {
			return err
		}
		p = ps[0]
		return nil
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("没有编号为“%s”的项目", code)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find project: %w", err)
	}
	return &p, nil
}

// readProjectParts fills the units, plans and events of ps (in code
// order) from the rows a condition on project selects.
func readProjectParts(ctx context.Context, t *tx, ps []projects.Project, where string, args ...any) error {
	at := make(map[string]*projects.Project, len(ps))
	for i := range ps {
		at[ps[i].Code] = &ps[i]
	}
	each := func(query string, scan func(rows *sql.Rows, p *projects.Project) error) error {
		rows, err := t.QueryContext(ctx, query+` `+where+` ORDER BY project, 2`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var p projects.Project
			if err := scan(rows, &p); err != nil {
				return err
			}
			code = p.Code
			if dst, ok := at[code]; ok {
				dst.Units = append(dst.Units, p.Units...)
				dst.Plans = append(dst.Plans, p.Plans...)
				dst.Events = append(dst.Events, p.Events...)
			}
		}
		return rows.Err()
	}
	err := each(`SELECT project, CASE role WHEN 'lead' THEN 0 ELSE 1 END, unit_code, role FROM project_units`,
		func(rows *sql.Rows, p *projects.Project) error {
			var u projects.UnitRole
			var order int
			var role string
			err := rows.Scan(&p.Code, &order, &u.Unit, &role)
			u.Role = projects.Role(role)
			p.Units = []projects.UnitRole{u}
			return err
		})
	if err != nil {
		return fmt.Errorf("project units: %w", err)
	}
	err = each(`SELECT project, year, planned_fen FROM project_plans`, func(rows *sql.Rows, p *projects.Project) error {
		var y projects.YearPlan
		var fen int64
		err := rows.Scan(&p.Code, &y.Year, &fen)
		y.Fen = money.Fen(fen)
		p.Plans = []projects.YearPlan{y}
		return err
	})
	if err != nil {
		return fmt.Errorf("project plans: %w", err)
	}
	err = each(`SELECT project, seq, stage, on_date, evidence, attachment, reason, entered_by, entered_at,
	cert_on, cert_body, cert_by, cert_at FROM project_events`, func(rows *sql.Rows, p *projects.Project) error {
		var e projects.Event
		var seq int
		var stage string
		var c projects.Certification
		err := rows.Scan(&p.Code, &seq, &stage, &e.On, &e.Evidence, &e.Attachment, &e.Reason, &e.By, scanTime(&e.EnteredAt),
			&c.On, &c.Body, &c.By, scanTime(&c.EnteredAt))
		e.Stage = projects.Stage(stage)
		if c.On != "" {
			e.Certified = &c
		}
		p.Events = []projects.Event{e}
		return err
	})
	if err != nil {
		return fmt.Errorf("project events: %w", err)
	}
	return nil
}

// ProjectHistory returns the earlier states of a project, newest first.
func (s *ProjectStore) ProjectHistory(ctx context.Context, code string) ([]projects.Version, error) {
	rows, err := s.db.query(ctx, `SELECT state, changed, superseded_at, superseded_by FROM project_versions
WHERE project = ? ORDER BY version DESC`, code)
	if err != nil {
		return nil, fmt.Errorf("store: project history: %w", err)
	}
	defer rows.Close()
	var out []projects.Version
	for rows.Next() {
		var v projects.Version
		var state, changed string
		if err := rows.Scan(&state, &changed, scanTime(&v.SupersededAt), &v.SupersededBy); err != nil {
			return nil, fmt.Errorf("store: project history: %w", err)
		}
		if err := json.Unmarshal([]byte(state), &v.Project); err != nil {
			return nil, fmt.Errorf("store: project history: %w", err)
		}
		if changed != "" {
			v.Changed = strings.Split(changed, ",")
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// projectWhere builds the condition of a filter.
func projectWhere(f projects.Filter) (string, []any) {
	var conds []string
	var args []any
	if f.Query != "" {
		like := likePattern(f.Query)
		conds = append(conds, `(p.name LIKE ? ESCAPE '\' OR p.code LIKE ? ESCAPE '\' OR p.builder LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	for _, c := range []struct {
		col, v string
	}{{"p.field", f.Field}, {"p.unit_code", f.Place}, {"p.stage", string(f.Stage)}, {"p.level", string(f.Level)}} {
		if c.v != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.Unit != "" {
		conds = append(conds, `(p.unit_code = ? OR EXISTS (SELECT 1 FROM project_units u WHERE u.project = p.code AND u.unit_code = ?))`)
		args = append(args, f.Unit, f.Unit)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListProjects returns one page of the projects a filter selects.
func (s *ProjectStore) ListProjects(ctx context.Context, f projects.Filter) ([]projects.Project, int, error) {
	where, args := projectWhere(f)
	var out []projects.Project
	var total int
	err := s.db.inReadTx(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM projects p`+where, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.QueryContext(ctx, `SELECT `+prefixed("p.", projectColumns)+` FROM projects p`+where+
			fmt.Sprintf(` ORDER BY p.code LIMIT %d OFFSET %d`, max(f.Limit, 1), max(f.Offset, 0)), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var codes []any
		for rows.Next() {
			var p projects.Project
			if err := scanProject(rows, &p); err != nil {
				return err
			}
			out = append(out, p)
			codes = append(codes, p.Code)
		}
		if err := rows.Err(); err != nil || len(out) == 0 {
			return err
		}
		return readProjectParts(ctx, t, out, `WHERE project IN (`+marks(len(codes))+`)`, codes...)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: list projects: %w", err)
	}
	return out, total, nil
}

// AllProjects returns the whole ledger, with every project's parts.
func (s *ProjectStore) AllProjects(ctx context.Context) ([]projects.Project, error) {
	return s.projectsSince(ctx, -1)
}

// ChangedProjects returns the projects written after the ledger's change
// count was since, with their parts.
func (s *ProjectStore) ChangedProjects(ctx context.Context, since int64) ([]projects.Project, error) {
	return s.projectsSince(ctx, since)
}

func (s *ProjectStore) projectsSince(ctx context.Context, since int64) ([]projects.Project, error) {
	var out []projects.Project
	err := s.db.inReadTx(ctx, func(t *tx) error {
		where, args := "", []any(nil)
		if since >= 0 {
			where, args = ` WHERE change_seq > ?`, []any{since}
		}
		rows, err := t.QueryContext(ctx, `SELECT `+projectColumns+` FROM projects`+where+` ORDER BY code`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p projects.Project
			if err := scanProject(rows, &p); err != nil {
				return err
			}
			out = append(out, p)
		}
		if err := rows.Err(); err != nil || len(out) == 0 {
			return err
		}
		if since < 0 {
			return readProjectParts(ctx, t, out, "")
		}
		return readProjectParts(ctx, t, out, `WHERE project IN (SELECT code FROM projects WHERE change_seq > ?)`, since)
	})
	if err != nil {
		return nil, fmt.Errorf("store: projects: %w", err)
	}
	return out, nil
}

// ProjectsVersion changes whenever a project does.
func (s *ProjectStore) ProjectsVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.queryRow(ctx, `SELECT projects FROM ledger_changes`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: projects version: %w", err)
	}
	return v, nil
}

// ProgressVersion changes whenever a round's figures do.
func (s *ProjectStore) ProgressVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.queryRow(ctx, `SELECT progress FROM ledger_changes`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: progress version: %w", err)
	}
	return v, nil
}

const progressColumns = `project, period, version, ytd_fen, since_start_fen, image, in_fai, fai_month, status, reason,
	unit_code, entered_by, entered_at`

// AppendProgress adds versions of monthly figures; a version already
// taken is a conflict.
func (s *ProjectStore) AppendProgress(ctx context.Context, ps []projects.Progress, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		for _, p := range ps {
			var n int
			if err := t.QueryRowContext(ctx, `SELECT count(*) FROM project_progress WHERE project = ? AND period = ? AND version >= ?`,
				p.Project, p.Period, p.Version).Scan(&n); err != nil {
				return fmt.Errorf("store: append progress: %w", err)
			}
			if n > 0 {
				return apperr.Conflictf("项目%s %s的调度数据已被他人修改,请刷新后重试", p.Project, p.Period)
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO project_progress (`+progressColumns+`) VALUES (`+marks(13)+`)`,
				p.Project, p.Period, p.Version, int64(p.YTDFen), int64(p.SinceStartFen), p.Image, p.InFAI, p.FAIMonth,
				string(p.Status), p.Reason, p.Unit, p.EnteredBy, t.dialect.timeArg(p.EnteredAt)); err != nil {
				return fmt.Errorf("store: append progress: %w", err)
			}
		}
		seq, err := bumped(ctx, t, "progress")
		if err != nil {
			return err
		}
		if err := noteLatest(ctx, t, ps, seq); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

// noteLatest keeps project_latest: each project's latest month of each
// year and that month's latest version, of the rows just written at the
// rounds' change count seq.
func noteLatest(ctx context.Context, t *tx, ps []projects.Progress, seq int64) error {
	type key struct {
		project string
		year    string
	}
	latest := map[key]*projects.Progress{}
	var keys []key
	for i := range ps {
		p := &ps[i]
		k := key{p.Project, p.Period[:4]}
		cur, ok := latest[k]
		if !ok {
			keys = append(keys, k)
		}
		if !ok || p.Period > cur.Period || p.Period == cur.Period && p.Version > cur.Version {
			latest[k] = p
		}
	}
	return insertRowsWith(ctx, t, "project_latest", "year, project, period, version, ytd_fen, in_fai, change_seq", 7, len(keys), func(i int) []any {
		p := latest[keys[i]]
		year, _ := strconv.Atoi(keys[i].year) // the first four digits of a checked YYYY-MM
		return []any{year, p.Project, p.Period, p.Version, int64(p.YTDFen), p.InFAI, seq}
	}, ` ON CONFLICT (year, project) DO UPDATE SET period = excluded.period, version = excluded.version,
	ytd_fen = excluded.ytd_fen, in_fai = excluded.in_fai, change_seq = excluded.change_seq
WHERE excluded.period > project_latest.period
   OR (excluded.period = project_latest.period AND excluded.version > project_latest.version)`)
}

func scanProgress(rows rowScanner) (projects.Progress, error) {
	var p projects.Progress
	var ytd, since int64
	var status string
	err := rows.Scan(&p.Project, &p.Period, &p.Version, &ytd, &since, &p.Image, &p.InFAI, &p.FAIMonth, &status, &p.Reason,
		&p.Unit, &p.EnteredBy, scanTime(&p.EnteredAt))
	p.YTDFen, p.SinceStartFen, p.Status = money.Fen(ytd), money.Fen(since), projects.ProgressStatus(status)
	return p, err
}

func (s *ProjectStore) progressRows(ctx context.Context, query string, args ...any) ([]projects.Progress, error) {
	out, err := queryAll(ctx, s.db, query, args, scanProgress)
	if err != nil {
		return nil, fmt.Errorf("store: progress: %w", err)
	}
	return out, nil
}

// MonthProgress returns the latest version of every project's figures
// for a month, in project order.
func (s *ProjectStore) MonthProgress(ctx context.Context, period string) ([]projects.Progress, error) {
	return s.progressRows(ctx, `SELECT `+prefixed("p.", progressColumns)+` FROM project_progress p
WHERE p.period = ? AND p.version = (SELECT MAX(q.version) FROM project_progress q WHERE q.project = p.project AND q.period = p.period)
ORDER BY p.project`, period)
}

// ProjectProgress returns every version of a project's figures.
func (s *ProjectStore) ProjectProgress(ctx context.Context, code string) ([]projects.Progress, error) {
	return s.progressRows(ctx, `SELECT `+progressColumns+` FROM project_progress WHERE project = ? ORDER BY period DESC, version DESC`, code)
}

// LatestProgress returns every project's latest filing of a year, with
// the figures the warnings read: period, version, year to date, 入库;
// with since ≥ 0, only those written after the rounds' change count since.
func (s *ProjectStore) LatestProgress(ctx context.Context, year int, since int64) ([]projects.Progress, error) {
	rows, err := s.db.query(ctx, `SELECT project, period, version, ytd_fen, in_fai FROM project_latest
WHERE year = ? AND change_seq > ? ORDER BY project`, year, since)
	if err != nil {
		return nil, fmt.Errorf("store: latest progress: %w", err)
	}
	defer rows.Close()
	var out []projects.Progress
	for rows.Next() {
		var p projects.Progress
		var ytd int64
		if err := rows.Scan(&p.Project, &p.Period, &p.Version, &ytd, &p.InFAI); err != nil {
			return nil, fmt.Errorf("store: latest progress: %w", err)
		}
		p.YTDFen = money.Fen(ytd)
		out = append(out, p)
	}
	return out, rows.Err()
}

// insertRows writes n rows into a table: with PostgreSQL's COPY in a
// bulk transaction (inBulkTx), else with multi-row INSERTs of at most 500
// rows (500 × 21 columns of projects, the widest table here, stays inside
// both engines' parameter limits), the statement of a full chunk prepared
// once.
func insertRows(ctx context.Context, t *tx, table, cols string, ncols, n int, row func(i int) []any) error {
	if t.conn != nil && t.dialect.hasCopy() {
		return copyRows(ctx, t, table, cols, n, row)
	}
	return insertRowsWith(ctx, t, table, cols, ncols, n, row, "")
}

// insertRowsWith is insertRows by INSERTs, with a clause after the values
// (ON CONFLICT …).
func insertRowsWith(ctx context.Context, t *tx, table, cols string, ncols, n int, row func(i int) []any, after string) error {
	const chunk = 500
	args := make([]any, 0, chunk*ncols)
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < n; start += chunk {
		end := min(start+chunk, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, row(i)...)
		}
		query := `INSERT INTO ` + table + ` (` + cols + `) VALUES ` + placeholders(end-start, ncols) + after
		var err error
		switch {
		case end-start < chunk:
			_, err = t.ExecContext(ctx, query, args...)
		case full == nil:
			if full, err = t.PrepareContext(ctx, query); err == nil {
				_, err = full.ExecContext(ctx, args...)
			}
		default:
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("store: insert %s: %w", table, err)
		}
	}
	return nil
}

// copyRows writes n rows into a table with PostgreSQL's COPY, in its text
// format.
func copyRows(ctx context.Context, t *tx, table, cols string, n int, row func(i int) []any) error {
	var buf []byte
	for i := range n {
		for j, v := range row(i) {
			if j > 0 {
				buf = append(buf, '\t')
			}
			var err error
			if buf, err = appendCopyValue(buf, v); err != nil {
				return fmt.Errorf("store: copy %s: %w", table, err)
			}
		}
		buf = append(buf, '\n')
	}
	if err := copyFrom(ctx, t.conn, `COPY `+table+` (`+cols+`) FROM STDIN`, bytes.NewReader(buf)); err != nil {
		return fmt.Errorf("store: copy %s: %w", table, err)
	}
	return nil
}

// appendCopyValue appends a value as COPY's text format writes it.
func appendCopyValue(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, `\N`...), nil
	case string:
		return appendCopyText(buf, v), nil
	case int:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(buf, v, 10), nil
	case bool:
		return strconv.AppendBool(buf, v), nil
	case time.Time:
		return v.UTC().AppendFormat(buf, time.RFC3339Nano), nil
	}
	return buf, fmt.Errorf("no COPY text for %T", v)
}

// ImportProjects adds new projects, all or none, in one transaction with
// its audit entry; a code in use is a conflict.
func (s *ProjectStore) ImportProjects(ctx context.Context, ps []projects.Project, e audit.Entry) error {
	return s.db.inBulkTx(ctx, func(t *tx) error {
		for start := 0; start < len(ps); start += 500 {
			part := ps[start:min(start+500, len(ps))]
			codes := make([]any, len(part))
			for i := range part {
				codes[i] = part[i].Code
			}
			var taken sql.NullString
			if err := t.QueryRowContext(ctx, `SELECT MIN(code) FROM projects WHERE code IN (`+marks(len(codes))+`)`, codes...).Scan(&taken); err != nil {
				return fmt.Errorf("store: import projects: %w", err)
			}
			if taken.Valid {
				return apperr.Conflictf("项目编号“%s”已被使用", taken.String)
			}
		}
		seq, err := bumped(ctx, t, "projects")
		if err != nil {
			return err
		}
		if err := insertRows(ctx, t, "projects", projectColumns+", change_seq", 21, len(ps), func(i int) []any {
			return append(t.dialect.projectArgs(&ps[i]), seq)
		}); err != nil {
			return err
		}
		type part struct {
			p *projects.Project
			i int
		}
		var units, plans, events []part
		for i := range ps {
			for j := range ps[i].Units {
				units = append(units, part{&ps[i], j})
			}
			for j := range ps[i].Plans {
				plans = append(plans, part{&ps[i], j})
			}
			for j := range ps[i].Events {
				events = append(events, part{&ps[i], j})
			}
		}
		if err := insertRows(ctx, t, "project_units", "project, unit_code, role", 3, len(units), func(i int) []any {
			u := units[i].p.Units[units[i].i]
			return []any{units[i].p.Code, u.Unit, string(u.Role)}
		}); err != nil {
			return err
		}
		if err := insertRows(ctx, t, "project_plans", "project, year, planned_fen", 3, len(plans), func(i int) []any {
			y := plans[i].p.Plans[plans[i].i]
			return []any{plans[i].p.Code, y.Year, int64(y.Fen)}
		}); err != nil {
			return err
		}
		if err := insertRows(ctx, t, "project_events", `project, seq, stage, on_date, evidence, attachment, reason,
	entered_by, entered_at, cert_on, cert_body, cert_by, cert_at`, 13, len(events), func(i int) []any {
			ev := events[i].p.Events[events[i].i]
			c := projects.Certification{}
			if ev.Certified != nil {
				c = *ev.Certified
			}
			return []any{events[i].p.Code, events[i].i + 1, string(ev.Stage), ev.On, ev.Evidence, ev.Attachment, ev.Reason, ev.By,
				t.dialect.timeArg(ev.EnteredAt), c.On, c.Body, c.By, t.dialect.nullTimeArg(c.EnteredAt)}
		}); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

// ImportProgress adds first versions of monthly figures, all or none.
func (s *ProjectStore) ImportProgress(ctx context.Context, ps []projects.Progress, e audit.Entry) error {
	return s.db.inBulkTx(ctx, func(t *tx) error {
		if err := insertRows(ctx, t, "project_progress", progressColumns, 13, len(ps), func(i int) []any {
			p := &ps[i]
			return []any{p.Project, p.Period, p.Version, int64(p.YTDFen), int64(p.SinceStartFen), p.Image, p.InFAI, p.FAIMonth,
				string(p.Status), p.Reason, p.Unit, p.EnteredBy, t.dialect.timeArg(p.EnteredAt)}
		}); err != nil {
			return err
		}
		seq, err := bumped(ctx, t, "progress")
		if err != nil {
			return err
		}
		if err := noteLatest(ctx, t, ps, seq); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

const problemColumns = `id, version, project, raised_on, text, owner_unit, deadline, status, note, updated_by, updated_at`

// AppendProblem adds a version of a problem; a new one (ID 0) gets the
// next number.
func (s *ProjectStore) AppendProblem(ctx context.Context, p *projects.Problem, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		if p.ID == 0 {
			if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM project_problems`).Scan(&p.ID); err != nil {
				return fmt.Errorf("store: append problem: %w", err)
			}
		} else {
			var n int
			if err := t.QueryRowContext(ctx, `SELECT count(*) FROM project_problems WHERE id = ? AND version >= ?`, p.ID, p.Version).Scan(&n); err != nil {
				return fmt.Errorf("store: append problem: %w", err)
			}
			if n > 0 {
				return apperr.Conflictf("该问题已被他人更新,请刷新后重试")
			}
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO project_problems (`+problemColumns+`) VALUES (`+marks(11)+`)`,
			p.ID, p.Version, p.Project, p.RaisedOn, p.Text, p.Owner, p.Deadline, string(p.Status), p.Note, p.UpdatedBy,
			t.dialect.timeArg(p.UpdatedAt)); err != nil {
			return fmt.Errorf("store: append problem: %w", err)
		}
		e.ObjectID = fmt.Sprintf("%s/问题%d", p.Project, p.ID)
		if err := bump(ctx, t, "progress"); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

func (s *ProjectStore) problemRows(ctx context.Context, where string, args ...any) ([]projects.Problem, error) {
	out, err := queryAll(ctx, s.db, `SELECT `+prefixed("p.", problemColumns)+` FROM project_problems p
WHERE p.version = (SELECT MAX(q.version) FROM project_problems q WHERE q.id = p.id)`+where+` ORDER BY p.id DESC`, args,
		func(row rowScanner) (projects.Problem, error) {
			var p projects.Problem
			var status string
			err := row.Scan(&p.ID, &p.Version, &p.Project, &p.RaisedOn, &p.Text, &p.Owner, &p.Deadline, &status, &p.Note,
				&p.UpdatedBy, scanTime(&p.UpdatedAt))
			p.Status = projects.ProblemStatus(status)
			return p, err
		})
	if err != nil {
		return nil, fmt.Errorf("store: problems: %w", err)
	}
	return out, nil
}

// ProjectProblems returns the latest version of a project's problems.
func (s *ProjectStore) ProjectProblems(ctx context.Context, code string) ([]projects.Problem, error) {
	return s.problemRows(ctx, ` AND p.project = ?`, code)
}

// OpenProblems returns the latest version of every unsolved problem.
func (s *ProjectStore) OpenProblems(ctx context.Context) ([]projects.Problem, error) {
	return s.problemRows(ctx, ` AND p.status <> 'solved'`)
}

// AppendAttraction adds a version of a firm's attraction record.
func (s *ProjectStore) AppendAttraction(ctx context.Context, a projects.Attraction, e audit.Entry) error {
	credits, err := json.Marshal(a.Credits)
	if err != nil {
		return fmt.Errorf("store: append attraction: %w", err)
	}
	return s.db.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM attractions WHERE year = ? AND uscc = ? AND version >= ?`,
			a.Year, a.USCC, a.Version).Scan(&n); err != nil {
			return fmt.Errorf("store: append attraction: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("%s %d年的招引记录已被他人修改,请刷新后重试", a.FirmName, a.Year)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO attractions (year, uscc, version, firm_name, credits, note, entered_by, entered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.Year, a.USCC, a.Version, a.FirmName, string(credits), a.Note, a.EnteredBy,
			t.dialect.timeArg(a.EnteredAt)); err != nil {
			return fmt.Errorf("store: append attraction: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

// Attractions returns the latest version of every record of a year.
func (s *ProjectStore) Attractions(ctx context.Context, year int) ([]projects.Attraction, error) {
	rows, err := s.db.query(ctx, `SELECT a.year, a.uscc, a.version, a.firm_name, a.credits, a.note, a.entered_by, a.entered_at
FROM attractions a WHERE a.year = ?
AND a.version = (SELECT MAX(b.version) FROM attractions b WHERE b.year = a.year AND b.uscc = a.uscc) ORDER BY a.uscc`, year)
	if err != nil {
		return nil, fmt.Errorf("store: attractions: %w", err)
	}
	defer rows.Close()
	var out []projects.Attraction
	for rows.Next() {
		var a projects.Attraction
		var credits string
		if err := rows.Scan(&a.Year, &a.USCC, &a.Version, &a.FirmName, &credits, &a.Note, &a.EnteredBy, scanTime(&a.EnteredAt)); err != nil {
			return nil, fmt.Errorf("store: attractions: %w", err)
		}
		if err := json.Unmarshal([]byte(credits), &a.Credits); err != nil {
			return nil, fmt.Errorf("store: attractions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
