package store

import (
	"context"
	"database/sql"
	"fmt"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/indicators"
)

// IndicatorStore keeps indicator values, every version. It implements
// indicators.Store.
type IndicatorStore struct{ db *DB }

var _ indicators.Store = (*IndicatorStore)(nil)

// NewIndicatorStore returns an indicator value store over db.
func NewIndicatorStore(db *DB) *IndicatorStore { return &IndicatorStore{db: db} }

const valueColumns = `id, indicator, unit_code, period, version, value, price_basis, released_on, vintage, status, source,
	source_ref, reason, entered_by, entered_at`

func scanValue(row interface{ Scan(...any) error }, v *indicators.Value) error {
	var status, source string
	err := row.Scan(&v.ID, &v.Indicator, &v.Unit, &v.Period, &v.Version, &v.Value, &v.PriceBasis, &v.ReleasedOn, &v.Vintage,
		&status, &source, &v.SourceRef, &v.Reason, &v.EnteredBy, scanTime(&v.EnteredAt))
	v.Status, v.Source = indicators.Status(status), indicators.Source(source)
	return err
}

// Append saves v as the next version of its key with its audit entry.
func (s *IndicatorStore) Append(ctx context.Context, v *indicators.Value, expected int, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error { return appendValue(ctx, t, v, expected, e) })
}

// AppendAll saves values in one transaction: all of them, or none.
func (s *IndicatorStore) AppendAll(ctx context.Context, vs []*indicators.Value, expected []int, es []audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		for i, v := range vs {
			if err := appendValue(ctx, t, v, expected[i], es[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func appendValue(ctx context.Context, t *tx, v *indicators.Value, expected int, e audit.Entry) error {
	var latest int
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM indicator_values
WHERE indicator = ? AND unit_code = ? AND period = ?`, v.Indicator, v.Unit, v.Period).Scan(&latest); err != nil {
		return fmt.Errorf("store: latest value version: %w", err)
	}
	if latest != expected {
		return apperr.Conflictf("该数值已被他人修改(现为第%d版),请刷新后重试", latest)
	}
	v.Version = latest + 1
	err := t.QueryRowContext(ctx, `INSERT INTO indicator_values (indicator, unit_code, period, version, value, price_basis,
	released_on, vintage, status, source, source_ref, reason, entered_by, entered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.Indicator, v.Unit, v.Period, v.Version, v.Value,
		v.PriceBasis, v.ReleasedOn, v.Vintage, string(v.Status), string(v.Source), v.SourceRef, v.Reason, v.EnteredBy,
		t.dialect.timeArg(v.EnteredAt)).Scan(&v.ID)
	if err != nil {
		return fmt.Errorf("store: append value: %w", err)
	}
	return appendAudit(ctx, t, e)
}

// Latest returns, for each period and unit of an indicator, its latest
// version, or its latest published version.
func (s *IndicatorStore) Latest(ctx context.Context, indicator, unit string, publishedOnly bool) ([]indicators.Value, error) {
	cond, args := "", []any{indicator}
	if unit != "" {
		cond, args = " AND v.unit_code = ?", append(args, unit)
	}
	pub := ""
	if publishedOnly {
		pub = " AND w.status = 'published'"
		cond += " AND v.status = 'published'"
	}
	rows, err := s.db.query(ctx, `SELECT `+prefixed("v.", valueColumns)+` FROM indicator_values v
WHERE v.indicator = ?`+cond+`
  AND v.version = (SELECT MAX(w.version) FROM indicator_values w
                   WHERE w.indicator = v.indicator AND w.unit_code = v.unit_code AND w.period = v.period`+pub+`)
ORDER BY v.unit_code, v.period`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: indicator values: %w", err)
	}
	defer rows.Close()
	var out []indicators.Value
	for rows.Next() {
		var v indicators.Value
		if err := scanValue(rows, &v); err != nil {
			return nil, fmt.Errorf("store: indicator values: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PublishedIn returns the latest published version of every unit's value
// of each of the indicators for one period: its indicator, unit, period,
// version, value, vintage and release date (what a score cites).
func (s *IndicatorStore) PublishedIn(ctx context.Context, codes []string, period string) ([]indicators.Value, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(codes)+1)
	for _, c := range codes {
		args = append(args, c)
	}
	args = append(args, period)
	// Every published version, the latest of each key first: one pass,
	// no subquery per row.
	rows, err := s.db.query(ctx, `SELECT indicator, unit_code, version, value, vintage, released_on FROM indicator_values
WHERE indicator IN (`+marks(len(codes))+`) AND period = ? AND status = 'published'
ORDER BY indicator, unit_code, version DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: published values: %w", err)
	}
	defer rows.Close()
	var out []indicators.Value
	for rows.Next() {
		v := indicators.Value{Period: period, Status: indicators.Published}
		if err := rows.Scan(&v.Indicator, &v.Unit, &v.Version, &v.Value, &v.Vintage, &v.ReleasedOn); err != nil {
			return nil, fmt.Errorf("store: published values: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].Indicator == v.Indicator && out[n-1].Unit == v.Unit {
			continue // an earlier version
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// History returns every version of one value, newest first.
func (s *IndicatorStore) History(ctx context.Context, k indicators.Key) ([]indicators.Value, error) {
	rows, err := s.db.query(ctx, `SELECT `+valueColumns+` FROM indicator_values
WHERE indicator = ? AND unit_code = ? AND period = ? ORDER BY version DESC`, k.Indicator, k.Unit, k.Period)
	if err != nil {
		return nil, fmt.Errorf("store: value history: %w", err)
	}
	defer rows.Close()
	var out []indicators.Value
	for rows.Next() {
		var v indicators.Value
		if err := scanValue(rows, &v); err != nil {
			return nil, fmt.Errorf("store: value history: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Version is the latest value's id: it changes whenever a value is saved,
// for caches to check.
func (s *IndicatorStore) Version(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	if err := s.db.queryRow(ctx, `SELECT MAX(id) FROM indicator_values`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: values version: %w", err)
	}
	return v.Int64, nil
}
