package supervise

import (
	"context"
	"time"

	"svcplan/internal/audit"
)

// Kind says where an item comes from.
type Kind string

// Kinds.
const (
	KindTask  Kind = "task"  // a task of the plan
	KindAdhoc Kind = "adhoc" // a 交办事项: a meeting's decision, a leader's instruction …
)

// Milestone is a step of an item with its date.
type Milestone struct {
	Title string `json:"title"`
	Due   string `json:"due"` // YYYY-MM-DD
}

// Extension is a 延期申请 awaiting a decision.
type Extension struct {
	Deadline string    `json:"deadline"`
	Reason   string    `json:"reason"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// Item is one version of a supervised item.
type Item struct {
	ID         int64       `json:"id"`
	Version    int         `json:"version"`
	Kind       Kind        `json:"kind"`
	Task       string      `json:"task,omitempty"` // the plan task's code
	Title      string      `json:"title"`
	Source     string      `json:"source"` // 来源: 方案任务, 区委常委会议纪要〔2026〕3号, 区长批示 …
	Lead       string      `json:"lead"`   // the lead unit
	Partners   []string    `json:"partners"`
	AssignedOn string      `json:"assigned_on"`
	Deadline   string      `json:"deadline"`
	Milestones []Milestone `json:"milestones"`
	// Indicator and Target: an item with a number in svcplan, whose light
	// the data decides (the lead unit's published value of the year).
	Indicator string     `json:"indicator,omitempty"`
	Target    string     `json:"target,omitempty"`
	Status    Status     `json:"status"`
	Pending   *Extension `json:"pending,omitempty"`
	UpdatedBy string     `json:"updated_by"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// HasUnit reports whether a unit leads or partners the item.
func (it *Item) HasUnit(unit string) bool {
	if it.Lead == unit {
		return true
	}
	for _, p := range it.Partners {
		if p == unit {
			return true
		}
	}
	return false
}

// Event is something done to an item, in the order done.
type Event struct {
	Item        int64          `json:"item"`
	Seq         int            `json:"seq"`
	Act         Act            `json:"act"`
	Unit        string         `json:"unit,omitempty"` // the unit that acted, "" for the office
	By          string         `json:"by"`
	At          time.Time      `json:"at"`
	Text        string         `json:"text,omitempty"`  // 形象进度, the reason, the request …
	Value       string         `json:"value,omitempty"` // 完成值, where the item has a number
	NewDeadline string         `json:"new_deadline,omitempty"`
	Files       []EvidenceInfo `json:"files,omitempty"`
}

// EvidenceInfo describes a stored evidence file.
type EvidenceInfo struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Evidence is an evidence file with its content.
type Evidence struct {
	EvidenceInfo
	Item int64
	Data []byte
}

// Store keeps the items, their events and evidence, every version.
type Store interface {
	// AddItem stores a new item's first version and its 交办 event,
	// setting its ID.
	AddItem(ctx context.Context, it *Item, ev Event, e audit.Entry) error
	// Act stores an item's next version (next.Version, the one after the
	// version it was made from: a taken one is a conflict), the event
	// and its files.
	Act(ctx context.Context, next Item, ev Event, files []Evidence, e audit.Entry) error
	// Items returns the latest version of every item, by ID.
	Items(ctx context.Context) ([]Item, error)
	// Item returns an item's latest version and its events, oldest first.
	Item(ctx context.Context, id int64) (*Item, []Event, error)
	// Evidence returns a stored file.
	Evidence(ctx context.Context, id int64) (*Evidence, error)
	// Events returns the events since a time, oldest first (the inbox
	// and the digest).
	Events(ctx context.Context, since time.Time) ([]Event, error)
}
