package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"svcplan/internal/apperr"
	"svcplan/internal/assess"
	"svcplan/internal/audit"
)

// AssessStore keeps the assessment's schemes, facts and runs
// (assess.Store).
type AssessStore struct{ db *DB }

// NewAssessStore returns the assessment's store.
func NewAssessStore(db *DB) *AssessStore { return &AssessStore{db: db} }

const schemeColumns = `code, version, year, name, status, body, reason, saved_by, saved_at`

// AppendScheme adds a version of a scheme; a version taken is a conflict.
func (s *AssessStore) AppendScheme(ctx context.Context, v assess.Version, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM assess_schemes WHERE code = ? AND version >= ?`, v.Code, v.Version).Scan(&n); err != nil {
			return fmt.Errorf("store: append scheme: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("方案%s已被他人修改,请刷新后重试", v.Code)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO assess_schemes (`+schemeColumns+`) VALUES (`+marks(9)+`)`, v.Code, v.Version, v.Year,
			v.Name, string(v.Status), v.Body, v.Reason, v.SavedBy, t.dialect.timeArg(v.SavedAt)); err != nil {
			return fmt.Errorf("store: append scheme: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

func (s *AssessStore) schemeRows(ctx context.Context, query string, args ...any) ([]assess.Version, error) {
	out, err := queryAll(ctx, s.db, query, args, func(row rowScanner) (assess.Version, error) {
		var v assess.Version
		var status string
		err := row.Scan(&v.Code, &v.Version, &v.Year, &v.Name, &status, &v.Body, &v.Reason, &v.SavedBy, scanTime(&v.SavedAt))
		v.Status = assess.Status(status)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: schemes: %w", err)
	}
	return out, nil
}

// SchemeVersions returns every version of a scheme, newest first.
func (s *AssessStore) SchemeVersions(ctx context.Context, code string) ([]assess.Version, error) {
	return s.schemeRows(ctx, `SELECT `+schemeColumns+` FROM assess_schemes WHERE code = ? ORDER BY version DESC`, code)
}

// Schemes returns the latest version of every scheme.
func (s *AssessStore) Schemes(ctx context.Context) ([]assess.Version, error) {
	return s.schemeRows(ctx, `SELECT `+prefixed("a.", schemeColumns)+` FROM assess_schemes a
WHERE a.version = (SELECT MAX(b.version) FROM assess_schemes b WHERE b.code = a.code) ORDER BY a.year DESC, a.code`)
}

// AppendFact adds a version of a fact; a version taken is a conflict.
func (s *AssessStore) AppendFact(ctx context.Context, f assess.Fact, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM assess_facts WHERE scheme = ? AND group_code = ? AND item = ? AND unit_code = ?
AND version >= ?`, f.Scheme, f.Group, f.Item, f.Unit, f.Version).Scan(&n); err != nil {
			return fmt.Errorf("store: append fact: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("该完成值已被他人修改,请刷新后重试")
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO assess_facts (scheme, group_code, item, unit_code, version, value, evidence,
	entered_by, entered_at) VALUES (`+marks(9)+`)`, f.Scheme, f.Group, f.Item, f.Unit, f.Version, f.Value, f.Evidence, f.EnteredBy,
			t.dialect.timeArg(f.EnteredAt)); err != nil {
			return fmt.Errorf("store: append fact: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

// Facts returns the latest version of every fact of a scheme.
func (s *AssessStore) Facts(ctx context.Context, scheme string) ([]assess.Fact, error) {
	out, err := queryAll(ctx, s.db, `SELECT f.scheme, f.group_code, f.item, f.unit_code, f.version, f.value, f.evidence, f.entered_by,
	f.entered_at FROM assess_facts f WHERE f.scheme = ? AND f.version = (SELECT MAX(g.version) FROM assess_facts g
	WHERE g.scheme = f.scheme AND g.group_code = f.group_code AND g.item = f.item AND g.unit_code = f.unit_code)
ORDER BY f.group_code, f.item, f.unit_code`, []any{scheme}, func(row rowScanner) (assess.Fact, error) {
		var f assess.Fact
		err := row.Scan(&f.Scheme, &f.Group, &f.Item, &f.Unit, &f.Version, &f.Value, &f.Evidence, &f.EnteredBy, scanTime(&f.EnteredAt))
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: facts: %w", err)
	}
	return out, nil
}

// AppendRun stores a run with the next number.
func (s *AssessStore) AppendRun(ctx context.Context, r *assess.Run, e audit.Entry) error {
	sheet, err := json.Marshal(r.Sheet)
	if err != nil {
		return fmt.Errorf("store: append run: %w", err)
	}
	return s.db.inTx(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM assess_runs`).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: append run: %w", err)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO assess_runs (id, scheme, scheme_version, sheet, scored_by, scored_at)
VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.Scheme, r.Version, string(sheet), r.ScoredBy, t.dialect.timeArg(r.ScoredAt)); err != nil {
			return fmt.Errorf("store: append run: %w", err)
		}
		e.ObjectID = fmt.Sprintf("%s/计分%d", r.Scheme, r.ID)
		return appendAudit(ctx, t, e)
	})
}

// LatestRun returns a scheme's latest run.
func (s *AssessStore) LatestRun(ctx context.Context, scheme string) (*assess.Run, error) {
	var r assess.Run
	var sheet string
	err := s.db.queryRow(ctx, `SELECT id, scheme, scheme_version, sheet, scored_by, scored_at FROM assess_runs
WHERE scheme = ? ORDER BY id DESC LIMIT 1`, scheme).Scan(&r.ID, &r.Scheme, &r.Version, &sheet, &r.ScoredBy, scanTime(&r.ScoredAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("方案%s还没有正式计分", scheme)
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest run: %w", err)
	}
	if err := json.Unmarshal([]byte(sheet), &r.Sheet); err != nil {
		return nil, fmt.Errorf("store: latest run: %w", err)
	}
	return &r, nil
}
