package auth

import (
	"context"
	"time"

	"svcplan/internal/audit"
)

// Store keeps accounts, sessions and API tokens. Every method that changes
// data takes the audit entry describing the change and writes it in the
// same transaction.
type Store interface {
	// CreateUser inserts u and sets its ID; an apperr Conflict if the user
	// name is taken. With onlyFirst, it fails with Conflict unless no user
	// exists yet (the one-time setup).
	CreateUser(ctx context.Context, u *User, onlyFirst bool, e audit.Entry) error
	// UpdateUser writes every field of u. revokeSessionsAt, when not zero,
	// also revokes the user's sessions other than keepSession.
	UpdateUser(ctx context.Context, u *User, revokeSessionsAt time.Time, keepSession int64, e audit.Entry) error
	FindUser(ctx context.Context, id int64) (*User, error)
	FindUserByName(ctx context.Context, username string) (*User, error)
	ListUsers(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)

	// CreateSession inserts s and writes u (its last login and failure
	// count) in one transaction.
	CreateSession(ctx context.Context, s *Session, u *User, e audit.Entry) error
	FindSession(ctx context.Context, tokenHash string) (*Session, error)
	// TouchSession records that a session was used; bookkeeping, not audited.
	TouchSession(ctx context.Context, id int64, at time.Time) error
	// RevokeSessions revokes one session (sessionID) or, with sessionID 0,
	// all sessions of userID.
	RevokeSessions(ctx context.Context, userID, sessionID int64, at time.Time, e audit.Entry) error

	CreateToken(ctx context.Context, t *Token, e audit.Entry) error
	FindToken(ctx context.Context, hash string) (*Token, error)
	ListTokens(ctx context.Context, userID int64) ([]Token, error)
	RevokeToken(ctx context.Context, id int64, at time.Time, e audit.Entry) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
}
