package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"svcplan/internal/audit"
)

// AuditStore reads and appends the audit log. It implements audit.Store.
type AuditStore struct{ db *DB }

var _ audit.Store = (*AuditStore)(nil)

// NewAuditStore returns an audit store over db.
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

// appendAudit inserts e in the caller's transaction: a write and its
// record commit or roll back together.
func appendAudit(ctx context.Context, tx *tx, e audit.Entry) error {
	var userID sql.NullInt64
	if e.Actor.UserID != 0 {
		userID = sql.NullInt64{Int64: e.Actor.UserID, Valid: true}
	}
	rawOrNull := func(b json.RawMessage) any {
		if len(b) == 0 {
			return nil
		}
		return string(b)
	}
	outcome := e.Outcome
	if outcome == "" {
		outcome = audit.OK
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log
	(at, actor_user_id, actor_name, actor_role, actor_unit, addr, request_id, action, object_type, object_id,
	 before_json, after_json, reason, outcome)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.dialect.timeArg(e.At), userID, e.Actor.Name, e.Actor.Role, e.Actor.Unit, e.Actor.Addr, e.Actor.RequestID,
		e.Action, e.ObjectType, e.ObjectID, rawOrNull(e.Before), rawOrNull(e.After), e.Reason, string(outcome))
	if err != nil {
		return fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return nil
}

// AppendAudit writes one entry in a transaction of its own.
func (s *AuditStore) AppendAudit(ctx context.Context, e audit.Entry) error {
	if err := s.db.inTx(ctx, func(tx *tx) error { return appendAudit(ctx, tx, e) }); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// ListAudit returns the entries the filter selects, newest first; at most
// f.Limit (default 100, at most 10000).
func (s *AuditStore) ListAudit(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if !f.From.IsZero() {
		add("at >= ?", s.db.dialect.timeArg(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", s.db.dialect.timeArg(f.To))
	}
	if f.Actor != "" {
		add("actor_name = ?", f.Actor)
	}
	if strings.HasSuffix(f.Action, ".") {
		// A prefix such as "user.": compared as text, no LIKE wildcards.
		where = append(where, "substr(action, 1, ?) = ?")
		args = append(args, len([]rune(f.Action)), f.Action)
	} else if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.Outcome != "" {
		add("outcome = ?", string(f.Outcome))
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 10000)
	q := `SELECT id, at, COALESCE(actor_user_id, 0), actor_name, actor_role, actor_unit, addr, request_id,
	action, object_type, object_id, COALESCE(before_json, ''), COALESCE(after_json, ''), reason, outcome
FROM audit_log`
	if len(where) > 0 {
		q += "\nWHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf("\nORDER BY id DESC\nLIMIT %d", limit)

	var out []audit.Entry
	err := s.db.inReadTx(ctx, func(tx *tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e audit.Entry
			var before, after, outcome string
			if err := rows.Scan(&e.ID, scanTime(&e.At), &e.Actor.UserID, &e.Actor.Name, &e.Actor.Role, &e.Actor.Unit,
				&e.Actor.Addr, &e.Actor.RequestID, &e.Action, &e.ObjectType, &e.ObjectID, &before, &after,
				&e.Reason, &outcome); err != nil {
				return err
			}
			if before != "" {
				e.Before = json.RawMessage(before)
			}
			if after != "" {
				e.After = json.RawMessage(after)
			}
			e.Outcome = audit.Outcome(outcome)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list audit: %w", err)
	}
	return out, nil
}
