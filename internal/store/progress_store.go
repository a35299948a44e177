package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/progress"
)

// ProgressStore keeps task progress reports, every version. It implements
// progress.Store.
type ProgressStore struct{ db *DB }

var _ progress.Store = (*ProgressStore)(nil)

// NewProgressStore returns a progress store over db.
func NewProgressStore(db *DB) *ProgressStore { return &ProgressStore{db: db} }

// AppendReport inserts the next version of a report under the active plan.
func (s *ProgressStore) AppendReport(ctx context.Context, r *progress.Report, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		var taskID int64
		err := tx.QueryRowContext(ctx, `SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id
WHERE p.active AND t.code = ?`, r.Task).Scan(&taskID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFoundf("没有编码为“%s”的任务", r.Task)
		}
		if err != nil {
			return fmt.Errorf("find task: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM progress_reports
WHERE task_id = ? AND unit_code = ? AND period = ?`, taskID, r.Unit, r.Period).Scan(&r.Version); err != nil {
			return fmt.Errorf("next version: %w", err)
		}
		var enteredByID sql.NullInt64
		if r.EnteredByID != 0 {
			enteredByID = sql.NullInt64{Int64: r.EnteredByID, Valid: true}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO progress_reports
	(task_id, unit_code, period, version, status, progress, issues, entered_by_id, entered_by, entered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id`, taskID, r.Unit, r.Period, r.Version, string(r.Status), r.Progress, r.Issues,
			enteredByID, r.EnteredBy, tx.dialect.timeArg(r.EnteredAt)).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert report: %w", err)
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: append report: %w", err)
	}
	return nil
}

const reportColumns = `r.id, t.code, r.unit_code, r.period, r.version, r.status, r.progress, r.issues,
	COALESCE(r.entered_by_id, 0), r.entered_by, r.entered_at`

func (s *ProgressStore) reports(ctx context.Context, q string, args ...any) ([]progress.Report, error) {
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []progress.Report
	for rows.Next() {
		var r progress.Report
		var status string
		if err := rows.Scan(&r.ID, &r.Task, &r.Unit, &r.Period, &r.Version, &status, &r.Progress, &r.Issues,
			&r.EnteredByID, &r.EnteredBy, scanTime(&r.EnteredAt)); err != nil {
			return nil, err
		}
		r.Status = progress.Status(status)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LatestReports returns the current version of each of a unit's reports
// for a period, under the active plan.
func (s *ProgressStore) LatestReports(ctx context.Context, unit, period string) ([]progress.Report, error) {
	out, err := s.reports(ctx, `SELECT `+reportColumns+`
FROM progress_reports r
JOIN tasks t ON t.id = r.task_id
JOIN plans p ON p.id = t.plan_id AND p.active
WHERE r.unit_code = ? AND r.period = ?
  AND r.version = (SELECT MAX(v.version) FROM progress_reports v
                   WHERE v.task_id = r.task_id AND v.unit_code = r.unit_code AND v.period = r.period)
ORDER BY t.id`, unit, period)
	if err != nil {
		return nil, fmt.Errorf("store: latest reports: %w", err)
	}
	return out, nil
}

// ReportHistory returns every version of one report, newest first.
func (s *ProgressStore) ReportHistory(ctx context.Context, unit, task, period string) ([]progress.Report, error) {
	out, err := s.reports(ctx, `SELECT `+reportColumns+`
FROM progress_reports r
JOIN tasks t ON t.id = r.task_id
JOIN plans p ON p.id = t.plan_id AND p.active
WHERE r.unit_code = ? AND t.code = ? AND r.period = ?
ORDER BY r.version DESC`, unit, task, period)
	if err != nil {
		return nil, fmt.Errorf("store: report history: %w", err)
	}
	return out, nil
}

// CountReported counts, per unit, the tasks with a report for a period.
func (s *ProgressStore) CountReported(ctx context.Context, period string) (map[string]int, error) {
	rows, err := s.db.query(ctx, `SELECT r.unit_code, COUNT(DISTINCT r.task_id)
FROM progress_reports r
JOIN tasks t ON t.id = r.task_id
JOIN plans p ON p.id = t.plan_id AND p.active
WHERE r.period = ?
GROUP BY r.unit_code`, period)
	if err != nil {
		return nil, fmt.Errorf("store: count reports: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var unit string
		var n int
		if err := rows.Scan(&unit, &n); err != nil {
			return nil, fmt.Errorf("store: count reports: %w", err)
		}
		out[unit] = n
	}
	return out, rows.Err()
}
