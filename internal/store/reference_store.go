package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
)

// ReferenceTable is a version of a national reference table an admin
// loaded in place of the embedded one.
type ReferenceTable struct {
	Kind     string // "industries" (GB/T 4754) or "thresholds" (四上 size rules)
	Version  int
	FileName string
	SHA256   string
	Content  []byte // the CSV file as loaded; empty in lists
	LoadedBy string
	LoadedAt time.Time
}

// ReferenceStore keeps the loaded reference tables, append-only.
type ReferenceStore struct{ db *DB }

// NewReferenceStore returns the store of reference tables over db.
func NewReferenceStore(db *DB) *ReferenceStore { return &ReferenceStore{db: db} }

// SaveReference stores t as the next version of its kind, with its audit
// entry, and sets t.Version.
func (s *ReferenceStore) SaveReference(ctx context.Context, t *ReferenceTable, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM reference_tables WHERE kind = ?`,
			t.Kind).Scan(&t.Version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reference_tables
	(kind, version, file_name, sha256, content, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.Kind, t.Version, t.FileName, t.SHA256, string(t.Content), t.LoadedBy, tx.dialect.timeArg(t.LoadedAt)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: save reference table: %w", err)
	}
	return nil
}

// LatestReference returns the version of a kind in force; NotFound when
// none was loaded (the embedded table applies).
func (s *ReferenceStore) LatestReference(ctx context.Context, kind string) (*ReferenceTable, error) {
	t := ReferenceTable{Kind: kind}
	var content string
	err := s.db.queryRow(ctx, `SELECT version, file_name, sha256, content, loaded_by, loaded_at FROM reference_tables
WHERE kind = ? ORDER BY version DESC LIMIT 1`, kind).Scan(&t.Version, &t.FileName, &t.SHA256, &content, &t.LoadedBy, scanTime(&t.LoadedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("没有载入过%s", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest reference table: %w", err)
	}
	t.Content = []byte(content)
	return &t, nil
}

// ListReferences returns every loaded version, without contents, newest
// first within each kind.
func (s *ReferenceStore) ListReferences(ctx context.Context) ([]ReferenceTable, error) {
	rows, err := s.db.query(ctx, `SELECT kind, version, file_name, sha256, loaded_by, loaded_at FROM reference_tables
ORDER BY kind, version DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: list reference tables: %w", err)
	}
	defer rows.Close()
	var out []ReferenceTable
	for rows.Next() {
		var t ReferenceTable
		if err := rows.Scan(&t.Kind, &t.Version, &t.FileName, &t.SHA256, &t.LoadedBy, scanTime(&t.LoadedAt)); err != nil {
			return nil, fmt.Errorf("store: list reference tables: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
