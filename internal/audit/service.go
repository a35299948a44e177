package audit

import (
	"context"
	"time"
)

// Service records the actions that write no data of their own (a refused
// request, a sign-in attempt, an export of firms) and reads the log back.
// Writes of data do not come here: their stores append the entry in the
// write's own transaction.
//
// Reading the log is for those with auth.PermAuditRead; the route table
// checks it before a handler calls List (this package cannot ask auth,
// which records through it).
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the audit service over st, timing entries by now.
func NewService(st Store, now func() time.Time) *Service {
	return &Service{store: st, now: now}
}

// Record appends an entry of an action actor took now; detail, if not
// nil, is kept as the entry's after-state (for an export, its filter).
func (s *Service) Record(ctx context.Context, actor Actor, action, objectType, objectID string, detail any) error {
	return s.store.AppendAudit(ctx, New(s.now(), actor, action, objectType, objectID, nil, detail))
}

// Deny appends the refusal of an action, with the reason given.
func (s *Service) Deny(ctx context.Context, actor Actor, action, objectType, objectID, reason string) error {
	e := New(s.now(), actor, action, objectType, objectID, nil, nil)
	e.Outcome, e.Reason = Denied, reason
	return s.store.AppendAudit(ctx, e)
}

// List returns the entries f selects, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Entry, error) {
	return s.store.ListAudit(ctx, f)
}

// Each calls fn with every entry f selects, newest first, reading pages
// of f.Limit entries (default 5000), for exports.
func (s *Service) Each(ctx context.Context, f Filter, fn func(Entry) error) error {
	if f.Limit <= 0 {
		f.Limit = 5000
	}
	for {
		entries, err := s.store.ListAudit(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(entries) < f.Limit {
			return nil
		}
		f.BeforeID = entries[len(entries)-1].ID
	}
}
