package store

import (
	"context"
	"fmt"
	"strings"

	"svcplan/internal/table"
)

// Every importer records its runs in a table of its own (imports for the
// directory, report_imports for the bureau's reports), with the columns of
// table.Run and a few of its own in front. These helpers write and read
// the common part once.

// runColumns are the columns of a table.Run, in the order of runArgs and
// runDest.
const runColumns = `file_name, sha256, size, mode, user_name, started_at, finished_at,
	rows_read, rows_new, rows_changed, rows_same, rows_rejected, codes_restored, outcome, message`

func (d dialect) runArgs(r *table.Run) []any {
	outcome := r.Outcome
	if outcome == "" {
		outcome = table.Running
	}
	return []any{r.FileName, r.SHA256, r.Size, string(r.Mode), r.User, d.timeArg(r.StartedAt), d.nullTimeArg(r.FinishedAt),
		r.Read, r.New, r.Changed, r.Same, r.Rejected, r.Restored, outcome, r.Message}
}

// runDest are the scan targets of runColumns; mode is scanned into a
// string the caller converts (scanMode).
func runDest(r *table.Run, mode *string) []any {
	return []any{&r.FileName, &r.SHA256, &r.Size, mode, &r.User, scanTime(&r.StartedAt), scanTime(&r.FinishedAt),
		&r.Read, &r.New, &r.Changed, &r.Same, &r.Rejected, &r.Restored, &r.Outcome, &r.Message}
}

// insertRun adds a run to runs (a table name, never user input), with the
// importer's own columns and values first, and sets the run's ID.
func insertRun(ctx context.Context, t *tx, runs string, own []string, ownArgs []any, r *table.Run) error {
	args := append(ownArgs, t.dialect.runArgs(r)...)
	q := `INSERT INTO ` + runs + ` (` + strings.Join(own, ", ") + `, ` + runColumns + `) VALUES (` + marks(len(args)) + `) RETURNING id`
	if err := t.QueryRowContext(ctx, q, args...).Scan(&r.ID); err != nil {
		return fmt.Errorf("store: record import: %w", err)
	}
	return nil
}

// finishRun writes how a run ended.
func finishRun(ctx context.Context, t *tx, runs string, r *table.Run) error {
	_, err := t.ExecContext(ctx, `UPDATE `+runs+` SET finished_at = ?, rows_read = ?, rows_new = ?, rows_changed = ?,
	rows_same = ?, rows_rejected = ?, codes_restored = ?, outcome = ?, message = ? WHERE id = ?`,
		t.dialect.nullTimeArg(r.FinishedAt), r.Read, r.New, r.Changed, r.Same, r.Rejected, r.Restored, r.Outcome, r.Message, r.ID)
	if err != nil {
		return fmt.Errorf("store: record import: %w", err)
	}
	return nil
}
