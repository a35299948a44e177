package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"svcplan/internal/audit"
)

// Store keeps plans. Implementations save a plan and its revision in one
// transaction.
type Store interface {
	// SavePlan stores p, with the original text it quotes, as the active
	// plan: it inserts or updates the plan by its code, replaces its items,
	// and appends a revision. When the active plan already has exactly this
	// content, it changes nothing and returns the existing revision with
	// Changed false. The audit entry is written in the same transaction,
	// only when something changed.
	SavePlan(ctx context.Context, p *Plan, text string, info RevisionInfo, e audit.Entry) (Revision, error)
	// ActivePlan returns the active plan; an apperr NotFound error if no
	// plan has been loaded.
	ActivePlan(ctx context.Context) (*Stored, error)
	// ListRevisions returns the revisions of the plan with the given code,
	// newest first.
	ListRevisions(ctx context.Context, planCode string) ([]Revision, error)
}

// RevisionInfo says where a plan being saved came from.
type RevisionInfo struct {
	FileName   string    `json:"file_name"`
	FileSHA256 string    `json:"file_sha256"` // of the plan file as read
	LoadedBy   string    `json:"loaded_by"`   // who loaded it: a user, or "system" for the default
	LoadedAt   time.Time `json:"loaded_at"`
}

// Revision is one saved version of a plan.
type Revision struct {
	PlanCode string `json:"plan_code"`
	Number   int    `json:"number"`
	RevisionInfo
	// Changed is false when saving found the same content already active.
	Changed bool `json:"-"`
}

// Stored is a plan as read back from a store.
type Stored struct {
	Plan     *Plan
	Text     string
	Revision Revision
	// Paragraphs is Text split into its non-empty lines, which source
	// quotes are located in; the service fills it.
	Paragraphs []string
}

// splitParagraphs splits a plan's original text into its non-empty lines.
func splitParagraphs(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Paragraph returns the number (from 1) of the paragraph of the original
// text that holds quote, or 0 when no paragraph does.
func (st *Stored) Paragraph(quote string) int {
	if quote == "" {
		return 0
	}
	for i, p := range st.Paragraphs {
		if strings.Contains(p, quote) {
			return i + 1
		}
	}
	return 0
}

// Service holds the active plan. It reads it from the store once and keeps
// it in memory; loading a plan replaces it.
type Service struct {
	store  Store
	now    func() time.Time
	active atomic.Pointer[Stored]
}

// NewService returns a service over store; now is the clock.
func NewService(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Load saves a parsed plan as the active plan; actor is who loads it.
func (s *Service) Load(ctx context.Context, actor audit.Actor, parsed *Parsed, fileName string) (Revision, error) {
	sum := sha256.Sum256(parsed.Raw)
	info := RevisionInfo{
		FileName:   fileName,
		FileSHA256: hex.EncodeToString(sum[:]),
		LoadedBy:   actor.Name,
		LoadedAt:   s.now().UTC(),
	}
	p := parsed.Plan
	tasks := 0
	for _, f := range p.Fields {
		tasks += len(f.Tasks)
	}
	e := audit.New(info.LoadedAt, actor, "plan.load", "plan", p.Meta.Code, nil, map[string]any{
		"file_name": fileName, "file_sha256": info.FileSHA256, "title": p.Meta.Title,
		"indicators": len(p.Indicators), "tasks": tasks, "units": len(p.Units),
	})
	rev, err := s.store.SavePlan(ctx, p, parsed.Text, info, e)
	if err != nil {
		return Revision{}, fmt.Errorf("plan: load %s: %w", fileName, err)
	}
	s.active.Store(nil) // reread on next use
	return rev, nil
}

// Active returns the active plan.
func (s *Service) Active(ctx context.Context) (*Stored, error) {
	if st := s.active.Load(); st != nil {
		return st, nil
	}
	st, err := s.store.ActivePlan(ctx)
	if err != nil {
		return nil, err
	}
	st.Paragraphs = splitParagraphs(st.Text)
	s.active.Store(st)
	return st, nil
}

// Revisions lists the active plan's revisions, newest first.
func (s *Service) Revisions(ctx context.Context) ([]Revision, error) {
	st, err := s.Active(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.ListRevisions(ctx, st.Plan.Meta.Code)
}
