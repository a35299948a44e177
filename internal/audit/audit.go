// Package audit is the append-only record of who did what: every write,
// with the state before and after, and every refusal. Entries are written
// by the stores in the same transaction as the write they describe.
package audit

import (
	"context"
	"encoding/json"
	"time"
)

// Outcome is how an audited action ended.
type Outcome string

// Outcomes.
const (
	OK     Outcome = "ok"     // done
	Denied Outcome = "denied" // refused: not signed in, not allowed, bad CSRF token, locked
	Failed Outcome = "failed" // attempted and failed, e.g. a wrong password
)

// Label is the outcome's Chinese name.
func (o Outcome) Label() string {
	switch o {
	case OK:
		return "成功"
	case Denied:
		return "拒绝"
	case Failed:
		return "失败"
	}
	return string(o)
}

// Actor is who acts: a signed-in user, a script with a user's token, the
// command line, or an anonymous visitor.
type Actor struct {
	UserID    int64  // 0 when not a user
	Name      string // user name, "cli:<os user>", "system" or "" (anonymous)
	Role      string
	Unit      string // the user's data scope; "" is the whole district
	Addr      string // remote address, or "local" for the command line
	RequestID string
}

// Entry is one audit record.
type Entry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	Actor      Actor           `json:"-"`
	Action     string          `json:"action"`      // e.g. user.create, login, progress.submit
	ObjectType string          `json:"object_type"` // e.g. user, plan, progress
	ObjectID   string          `json:"object_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	Outcome    Outcome         `json:"outcome"`
}

// New returns an entry of a successful action by actor at the given time.
// Before and after are marshalled to JSON; nil stays empty.
func New(at time.Time, actor Actor, action, objectType, objectID string, before, after any) Entry {
	return Entry{
		At: at.UTC(), Actor: actor, Action: action, ObjectType: objectType, ObjectID: objectID,
		Before: marshal(before), After: marshal(after), Outcome: OK,
	}
}

func marshal(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Our own value types always marshal; keep the record anyway.
		return json.RawMessage(`{"error":"unmarshallable"}`)
	}
	return b
}

// Filter selects entries; zero fields select everything.
type Filter struct {
	From, To   time.Time // To is exclusive
	Actor      string    // user name
	Action     string    // exact, or a prefix ending in "." (e.g. "user.")
	ObjectType string
	ObjectID   string
	Outcome    Outcome
	BeforeID   int64 // entries older than this id (paging, newest first)
	Limit      int
}

// Store appends entries and reads them back.
type Store interface {
	// AppendAudit writes one entry on its own (a refusal or a login
	// attempt); writes of data append theirs in their own transaction.
	AppendAudit(ctx context.Context, e Entry) error
	// ListAudit returns entries newest first.
	ListAudit(ctx context.Context, f Filter) ([]Entry, error)
}
