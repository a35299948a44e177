package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
)

// AuthStore keeps accounts, sessions and API tokens. It implements
// auth.Store; every change is audited in its own transaction.
type AuthStore struct{ db *DB }

var _ auth.Store = (*AuthStore)(nil)

// NewAuthStore returns an auth store over db.
func NewAuthStore(db *DB) *AuthStore { return &AuthStore{db: db} }

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateUser inserts u; with onlyFirst it refuses when any user exists.
func (s *AuthStore) CreateUser(ctx context.Context, u *auth.User, onlyFirst bool, e audit.Entry) error {
	d := s.db.dialect
	err := s.db.inTx(ctx, func(tx *tx) error {
		if onlyFirst {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return apperr.Conflictf("已有账户,初始设置链接已失效")
			}
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = ?`, u.Username).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return apperr.Conflictf("用户名“%s”已被使用", u.Username)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users
	(username, name, role, unit_code, firm_access, disabled, must_change_password, password_hash,
	 failed_logins, locked_until, last_login_at, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id`,
			u.Username, u.Name, string(u.Role), nullString(u.Unit), u.FirmAccess, u.Disabled, u.MustChangePassword,
			u.PasswordHash, u.FailedLogins, d.nullTimeArg(u.LockedUntil), d.nullTimeArg(u.LastLoginAt),
			d.timeArg(u.CreatedAt), d.timeArg(u.UpdatedAt)).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		e.ObjectID = u.Username
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: create user %s: %w", u.Username, err)
	}
	return nil
}

func updateUser(ctx context.Context, tx *tx, u *auth.User) error {
	d := tx.dialect
	res, err := tx.ExecContext(ctx, `UPDATE users SET
	name = ?, role = ?, unit_code = ?, firm_access = ?, disabled = ?, must_change_password = ?,
	password_hash = ?, failed_logins = ?, locked_until = ?, last_login_at = ?, updated_at = ?
WHERE id = ?`,
		u.Name, string(u.Role), nullString(u.Unit), u.FirmAccess, u.Disabled, u.MustChangePassword,
		u.PasswordHash, u.FailedLogins, d.nullTimeArg(u.LockedUntil), d.nullTimeArg(u.LastLoginAt),
		d.timeArg(u.UpdatedAt), u.ID)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return apperr.NotFoundf("账户不存在")
	}
	return nil
}

// UpdateUser writes u and, when revokeSessionsAt is set, revokes the
// user's other sessions.
func (s *AuthStore) UpdateUser(ctx context.Context, u *auth.User, revokeSessionsAt time.Time, keepSession int64, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		if err := updateUser(ctx, tx, u); err != nil {
			return err
		}
		if !revokeSessionsAt.IsZero() {
			if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ?
WHERE user_id = ? AND id <> ? AND revoked_at IS NULL`, tx.dialect.timeArg(revokeSessionsAt), u.ID, keepSession); err != nil {
				return fmt.Errorf("revoke sessions: %w", err)
			}
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: update user %s: %w", u.Username, err)
	}
	return nil
}

const userColumns = `id, username, name, role, COALESCE(unit_code, ''), firm_access, disabled, must_change_password,
	password_hash, failed_logins, locked_until, last_login_at, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }, u *auth.User) error {
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.Unit, &u.FirmAccess, &u.Disabled, &u.MustChangePassword,
		&u.PasswordHash, &u.FailedLogins, scanTime(&u.LockedUntil), scanTime(&u.LastLoginAt),
		scanTime(&u.CreatedAt), scanTime(&u.UpdatedAt))
	u.Role = auth.Role(role)
	return err
}

func (s *AuthStore) findUser(ctx context.Context, where string, arg any) (*auth.User, error) {
	u := &auth.User{}
	err := scanUser(s.db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg), u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("账户不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find user: %w", err)
	}
	return u, nil
}

// FindUser returns the user with id.
func (s *AuthStore) FindUser(ctx context.Context, id int64) (*auth.User, error) {
	return s.findUser(ctx, "id = ?", id)
}

// FindUserByName returns the user with a user name.
func (s *AuthStore) FindUserByName(ctx context.Context, username string) (*auth.User, error) {
	return s.findUser(ctx, "username = ?", username)
}

// ListUsers returns every user, by user name.
func (s *AuthStore) ListUsers(ctx context.Context) ([]auth.User, error) {
	rows, err := s.db.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var users []auth.User
	for rows.Next() {
		var u auth.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("store: list users: %w", err)
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// CountUsers returns how many accounts exist.
func (s *AuthStore) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.queryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// CreateSession inserts a session and writes its user (last login, reset
// failure count) in one transaction.
func (s *AuthStore) CreateSession(ctx context.Context, sess *auth.Session, u *auth.User, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		d := tx.dialect
		err := tx.QueryRowContext(ctx, `INSERT INTO sessions
	(user_id, token_hash, csrf_token, addr, user_agent, created_at, last_seen_at, expires_at, revoked_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
RETURNING id`,
			sess.UserID, sess.TokenHash, sess.CSRFToken, sess.Addr, sess.UserAgent,
			d.timeArg(sess.CreatedAt), d.timeArg(sess.LastSeenAt), d.timeArg(sess.ExpiresAt)).Scan(&sess.ID)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		if err := updateUser(ctx, tx, u); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// FindSession returns the session with a token hash.
func (s *AuthStore) FindSession(ctx context.Context, tokenHash string) (*auth.Session, error) {
	sess := &auth.Session{}
	err := s.db.queryRow(ctx, `SELECT id, user_id, token_hash, csrf_token, addr, user_agent,
	created_at, last_seen_at, expires_at, revoked_at
FROM sessions WHERE token_hash = ?`, tokenHash).Scan(&sess.ID, &sess.UserID, &sess.TokenHash, &sess.CSRFToken,
		&sess.Addr, &sess.UserAgent, scanTime(&sess.CreatedAt), scanTime(&sess.LastSeenAt),
		scanTime(&sess.ExpiresAt), scanTime(&sess.RevokedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("会话不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find session: %w", err)
	}
	return sess, nil
}

// TouchSession records the last use of a session.
func (s *AuthStore) TouchSession(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`,
		s.db.dialect.timeArg(at), id)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// RevokeSessions revokes one session, or all of a user's with sessionID 0.
func (s *AuthStore) RevokeSessions(ctx context.Context, userID, sessionID int64, at time.Time, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		q := `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`
		args := []any{tx.dialect.timeArg(at), userID}
		if sessionID != 0 {
			q += ` AND id = ?`
			args = append(args, sessionID)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("revoke sessions: %w", err)
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// CreateToken inserts an API token.
func (s *AuthStore) CreateToken(ctx context.Context, t *auth.Token, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		d := tx.dialect
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens
	(user_id, name, prefix, token_hash, created_at, expires_at, last_used_at, revoked_at)
VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)
RETURNING id`, t.UserID, t.Name, t.Prefix, t.Hash, d.timeArg(t.CreatedAt), d.nullTimeArg(t.ExpiresAt)).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

const tokenColumns = `id, user_id, name, prefix, token_hash, created_at, expires_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }, t *auth.Token) error {
	return row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Hash, scanTime(&t.CreatedAt), scanTime(&t.ExpiresAt),
		scanTime(&t.LastUsedAt), scanTime(&t.RevokedAt))
}

// FindToken returns the API token with a hash.
func (s *AuthStore) FindToken(ctx context.Context, hash string) (*auth.Token, error) {
	t := &auth.Token{}
	err := scanToken(s.db.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash), t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("令牌不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find token: %w", err)
	}
	return t, nil
}

// ListTokens returns a user's tokens, newest first.
func (s *AuthStore) ListTokens(ctx context.Context, userID int64) ([]auth.Token, error) {
	rows, err := s.db.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		var t auth.Token
		if err := scanToken(rows, &t); err != nil {
			return nil, fmt.Errorf("store: list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes an API token.
func (s *AuthStore) RevokeToken(ctx context.Context, id int64, at time.Time, e audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
			tx.dialect.timeArg(at), id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// TouchToken records the last use of an API token.
func (s *AuthStore) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`,
		s.db.dialect.timeArg(at), id)
	if err != nil {
		return fmt.Errorf("store: touch token: %w", err)
	}
	return nil
}
