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

// SettingsStore keeps settings, every version. It implements
// dashboard.SettingsStore.
type SettingsStore struct{ db *DB }

// NewSettingsStore returns a settings store over db.
func NewSettingsStore(db *DB) *SettingsStore { return &SettingsStore{db: db} }

// LatestSetting returns the latest value of a key.
func (s *SettingsStore) LatestSetting(ctx context.Context, key string) ([]byte, error) {
	var v string
	err := s.db.queryRow(ctx, `SELECT value FROM settings WHERE key = ? ORDER BY version DESC LIMIT 1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("没有设置“%s”", key)
	}
	if err != nil {
		return nil, fmt.Errorf("store: setting %s: %w", key, err)
	}
	return []byte(v), nil
}

// SaveSetting appends a version of a key with its audit entry.
func (s *SettingsStore) SaveSetting(ctx context.Context, key string, value []byte, by string, at time.Time, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `INSERT INTO settings (key, version, value, updated_by, updated_at)
SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM settings WHERE key = ?`, key, string(value), by, t.dialect.timeArg(at), key)
		if err != nil {
			return fmt.Errorf("store: save setting %s: %w", key, err)
		}
		return appendAudit(ctx, t, e)
	})
}
