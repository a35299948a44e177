package store

import (
	"context"
	"fmt"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/money"
	"svcplan/internal/projects"
)

const faiColumns = `project, period, version, ytd_fen, source_file, source_sha256, source_row, imported_by, imported_at`

// AppendFAI adds versions of the statistics bureau's figures, all or
// none; a version already taken is a conflict.
func (s *ProjectStore) AppendFAI(ctx context.Context, fs []projects.FAI, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		if len(fs) == 0 {
			return appendAudit(ctx, t, e)
		}
		rows, err := t.QueryContext(ctx, `SELECT project, MAX(version) FROM project_fai WHERE period = ? GROUP BY project`, fs[0].Period)
		if err != nil {
			return fmt.Errorf("store: append fai: %w", err)
		}
		taken := map[string]int{}
		for rows.Next() {
			var code string
			var v int
			if err := rows.Scan(&code, &v); err != nil {
				rows.Close()
				return fmt.Errorf("store: append fai: %w", err)
			}
			taken[code] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: append fai: %w", err)
		}
		for _, f := range fs {
			if f.Period != fs[0].Period {
				return fmt.Errorf("store: append fai: one month at a time (%s, %s)", fs[0].Period, f.Period)
			}
			if taken[f.Project] >= f.Version {
				return apperr.Conflictf("%s的统计局固定资产投资数据已被他人导入,请刷新后重试", f.Period)
			}
		}
		if err := insertRows(ctx, t, "project_fai", faiColumns, 9, len(fs), func(i int) []any {
			f := &fs[i]
			return []any{f.Project, f.Period, f.Version, int64(f.YTDFen), f.SourceFile, f.SourceSHA256, f.SourceRow, f.ImportedBy,
				t.dialect.timeArg(f.ImportedAt)}
		}); err != nil {
			return err
		}
		return appendAudit(ctx, t, e)
	})
}

func (s *ProjectStore) faiRows(ctx context.Context, query string, args ...any) ([]projects.FAI, error) {
	out, err := queryAll(ctx, s.db, query, args, func(row rowScanner) (projects.FAI, error) {
		var f projects.FAI
		var ytd int64
		err := row.Scan(&f.Project, &f.Period, &f.Version, &ytd, &f.SourceFile, &f.SourceSHA256, &f.SourceRow, &f.ImportedBy,
			scanTime(&f.ImportedAt))
		f.YTDFen = money.Fen(ytd)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: fai: %w", err)
	}
	return out, nil
}

// MonthFAI returns the latest version of every project's figure of a
// month, in project order.
func (s *ProjectStore) MonthFAI(ctx context.Context, period string) ([]projects.FAI, error) {
	return s.faiRows(ctx, `SELECT `+prefixed("f.", faiColumns)+` FROM project_fai f
WHERE f.period = ? AND f.version = (SELECT MAX(g.version) FROM project_fai g WHERE g.project = f.project AND g.period = f.period)
ORDER BY f.project`, period)
}

// ProjectFAI returns every version of a project's figures.
func (s *ProjectStore) ProjectFAI(ctx context.Context, code string) ([]projects.FAI, error) {
	return s.faiRows(ctx, `SELECT `+faiColumns+` FROM project_fai WHERE project = ? ORDER BY period DESC, version DESC`, code)
}
