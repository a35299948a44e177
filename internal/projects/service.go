package projects

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/settings"
)

const rulesKey = "projects.rules"

// Service keeps the ledger.
type Service struct {
	// Directory, when set, is where RecordAttraction checks a firm's
	// inclusion in the statistics.
	Directory Directory
	store     Store
	plans     *plan.Service
	settings  settings.Store
	now       func() time.Time
	mu        sync.Mutex
	rules     Rules
	rulesGen  int // counts the changes of rules, for the counts kept
	// ledgerMu guards snap, the whole ledger as last read, reused while
	// the ledger's version stays the same: the counts are asked for on
	// every dashboard and list page.
	ledgerMu sync.Mutex
	snap     *snapshot
	// flagsMu guards flags, the district's warnings as last computed,
	// reused while neither the ledger nor the rounds change, that day.
	flagsMu sync.Mutex
	flags   *flagSnapshot
}

type flagSnapshot struct {
	ledger    *snapshot // the ledger it was computed on
	progress  int64
	day       string
	rules     FlagRules
	all       []Flag              // in ledger order
	own       map[string][]Flag   // each project's warnings from its stages and filings
	filed     map[string]Progress // each project's latest filing of the year
	mu        sync.Mutex
	summaries map[string]*FlagSummary // by the user's unit, "" for the district
}

// FlagSummary counts the projects with warnings: those with a red one,
// those with yellow ones only, and all of them in code order.
type FlagSummary struct {
	Red, Yellow int
	Projects    []string
}

type snapshot struct {
	version int64
	all     []Project      // in code order
	index   map[string]int // code → position in all
	// prev is the version of the snapshot this one was made from by
	// reading the projects changed since (changed), or -1 when it was
	// read whole.
	prev    int64
	changed []string
	mu      sync.Mutex
	tallies map[tallyKey]map[Stage]*Tally // counted once per year and rules
}

// project returns the project of a code in the snapshot, or nil.
func (sn *snapshot) project(code string) *Project {
	if i, ok := sn.index[code]; ok {
		return &sn.all[i]
	}
	return nil
}

// indexed returns a snapshot of projects in code order.
func indexed(version int64, all []Project) *snapshot {
	sn := &snapshot{version: version, all: all, index: make(map[string]int, len(all)), prev: -1}
	for i := range all {
		sn.index[all[i].Code] = i
	}
	return sn
}

// with returns the snapshot at version v made of this one and the
// projects changed since. The projects' parts are shared, never changed.
func (sn *snapshot) with(v int64, changed []Project) *snapshot {
	all := slices.Clone(sn.all)
	var added []Project
	codes := make([]string, len(changed))
	for i, p := range changed {
		codes[i] = p.Code
		if at, ok := sn.index[p.Code]; ok {
			all[at] = p
		} else {
			added = append(added, p)
		}
	}
	next := &snapshot{version: v, all: all, index: sn.index, prev: sn.version, changed: codes}
	if len(added) > 0 {
		all = append(all, added...)
		sort.Slice(all, func(i, j int) bool { return all[i].Code < all[j].Code })
		next = indexed(v, all)
		next.prev, next.changed = sn.version, codes
	}
	return next
}

type tallyKey struct {
	year  int
	rules int // the rules' generation
}

// ledger returns every project, read again only when the ledger changed.
// The result is shared: callers must not change it.
func (s *Service) ledger(ctx context.Context) ([]Project, error) {
	snap, err := s.ledgerSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.all, nil
}

// ledgerSnapshot returns the ledger with the version it was read at (a
// version read before the projects, so that it is never newer than them).
// After a change only the projects changed since the last snapshot are
// read.
func (s *Service) ledgerSnapshot(ctx context.Context) (*snapshot, error) {
	v, err := s.store.ProjectsVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.ledgerMu.Lock()
	defer s.ledgerMu.Unlock()
	switch old := s.snap; {
	case old != nil && old.version == v:
		return old, nil
	case old != nil && old.version < v:
		changed, err := s.store.ChangedProjects(ctx, old.version)
		if err != nil {
			return nil, err
		}
		s.snap = old.with(v, changed)
	default:
		all, err := s.store.AllProjects(ctx)
		if err != nil {
			return nil, err
		}
		s.snap = indexed(v, all)
	}
	return s.snap, nil
}

// NewService returns the ledger's service with the default rules; call
// LoadRules at start for the saved ones.
func NewService(store Store, plans *plan.Service, st settings.Store, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, settings: st, now: now, rules: DefaultRules()}
}

// CountsVersion changes whenever the counts may: a project changed, or
// the counting rules did.
func (s *Service) CountsVersion(ctx context.Context) (string, error) {
	v, err := s.store.ProjectsVersion(ctx)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%d/%d", v, s.rulesGen), nil
}

// Warm reads the ledger and works out this year's counts and the
// warnings, as the first page would.
func (s *Service) Warm(ctx context.Context) error {
	if _, err := s.Counts(ctx, s.now().Year()); err != nil {
		return err
	}
	_, err := s.allFlags(ctx)
	return err
}

// LoadRules puts the latest saved counting rules in force.
func (s *Service) LoadRules(ctx context.Context) error {
	r := DefaultRules() // a rule saved before it existed keeps its default
	if found, err := settings.Load(ctx, s.settings, rulesKey, &r); err != nil || !found {
		return err
	}
	s.mu.Lock()
	s.rules = r
	s.rulesGen++
	s.mu.Unlock()
	return nil
}

// Rules are the counting rules in force.
func (s *Service) Rules() Rules {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rules
}

// SaveRules changes the counting rules (administrators), keeping every
// version.
func (s *Service) SaveRules(ctx context.Context, actor audit.Actor, u *auth.User, r Rules) error {
	if err := auth.Check(u, auth.PermValuesPublish, ""); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return apperr.Invalidf("%s", err.Error())
	}
	if err := settings.Save(ctx, s.settings, rulesKey, "settings.projects", actor, s.now().UTC(), s.Rules(), r); err != nil {
		return err
	}
	s.mu.Lock()
	s.rules = r
	s.rulesGen++
	s.mu.Unlock()
	return nil
}

// world is what validation needs of the plan in force.
func (s *Service) world(ctx context.Context) (World, error) {
	st, err := s.plans.Active(ctx)
	if err != nil {
		return World{}, err
	}
	p := st.Plan
	return World{
		Field: func(code string) bool { _, ok := p.Field(code); return ok },
		Place: func(code string) bool {
			u, ok := p.Unit(code)
			return ok && (u.Kind == plan.KindTown || u.Kind == plan.KindSubdistrict || u.Kind == plan.KindPark)
		},
		Unit: func(code string) bool { _, ok := p.Unit(code); return ok },
		Now:  s.now(),
	}, nil
}

// invalid turns field errors into one Invalid error naming each field.
func invalid(errs []FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	fields := map[string]string{}
	for i, e := range errs {
		msgs[i] = e.Msg
		if _, ok := fields[e.Field]; !ok {
			fields[e.Field] = e.Msg
		}
	}
	return apperr.InvalidFields(msgs, fields)
}

// inScope reports whether a user may see a project: the whole district,
// or the projects their unit hosts or answers for.
func inScope(u *auth.User, p *Project) bool { return u.Unit == "" || p.HasUnit(u.Unit) }

// Create adds a project to the ledger.
func (s *Service) Create(ctx context.Context, actor audit.Actor, u *auth.User, p Project) (*Project, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return nil, err
	}
	w, err := s.world(ctx)
	if err != nil {
		return nil, err
	}
	p.Events = nil // stages are added one by one, each checked
	if err := invalid(p.Validate(w)); err != nil {
		return nil, err
	}
	if !inScope(u, &p) {
		return nil, apperr.Forbiddenf("只能登记本单位的项目")
	}
	sortPlans(&p)
	p.Version, p.UpdatedAt, p.UpdatedBy = 1, s.now().UTC(), actor.Name
	e := audit.New(p.UpdatedAt, actor, "project.create", "project", p.Code, nil, p)
	if err := s.store.CreateProject(ctx, p, e); err != nil {
		return nil, err
	}
	return &p, nil
}

// edit applies a change to a project the user may edit, at the version
// they saw, and stores it with its history and audit entry.
func (s *Service) edit(ctx context.Context, actor audit.Actor, u *auth.User, code string, version int, action string,
	change func(old Project, next *Project) error) (*Project, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return nil, err
	}
	old, err := s.store.FindProject(ctx, code)
	if err != nil {
		return nil, err
	}
	if !inScope(u, old) {
		return nil, apperr.Forbiddenf("该项目不在您的数据范围内")
	}
	if old.Version != version {
		return nil, apperr.Conflictf("项目%s已被他人修改(现为第%d版),请刷新后重试", code, old.Version)
	}
	next := clone(*old)
	if err := change(*old, &next); err != nil {
		return nil, err
	}
	changed := diff(*old, next)
	if len(changed) == 0 {
		return old, nil
	}
	next.Version, next.UpdatedAt, next.UpdatedBy = old.Version+1, s.now().UTC(), actor.Name
	e := audit.New(next.UpdatedAt, actor, action, "project", code, old, next)
	if err := s.store.UpdateProject(ctx, *old, next, changed, e); err != nil {
		return nil, err
	}
	return &next, nil
}

// Update changes a project's own fields (not its stages).
func (s *Service) Update(ctx context.Context, actor audit.Actor, u *auth.User, code string, version int, p Project) (*Project, error) {
	w, err := s.world(ctx)
	if err != nil {
		return nil, err
	}
	return s.edit(ctx, actor, u, code, version, "project.update", func(old Project, next *Project) error {
		if p.Code != code {
			return apperr.Invalidf("项目编号不能修改")
		}
		p.Events, p.Version, p.UpdatedAt, p.UpdatedBy = old.Events, old.Version, old.UpdatedAt, old.UpdatedBy
		if err := invalid(p.Validate(w)); err != nil {
			return err
		}
		if !inScope(u, &p) {
			return apperr.Forbiddenf("不能把项目移出本单位的范围")
		}
		sortPlans(&p)
		*next = p
		return nil
	})
}

// AddEvent records that a project reached a stage.
func (s *Service) AddEvent(ctx context.Context, actor audit.Actor, u *auth.User, code string, version int, e Event) (*Project, error) {
	return s.edit(ctx, actor, u, code, version, "project.stage", func(old Project, next *Project) error {
		now := s.now()
		if err := invalid(old.checkEvent(e, now)); err != nil {
			return err
		}
		e.By, e.EnteredAt, e.Certified = actor.Name, now.UTC(), nil
		next.Events = append(next.Events, e)
		return nil
	})
}

// Certify records the certification of a project's event (seq, 1-based,
// in the order the events were entered).
func (s *Service) Certify(ctx context.Context, actor audit.Actor, u *auth.User, code string, version, seq int, c Certification) (*Project, error) {
	return s.edit(ctx, actor, u, code, version, "project.certify", func(old Project, next *Project) error {
		if seq < 1 || seq > len(next.Events) {
			return apperr.Invalidf("项目%s没有第%d条阶段记录", code, seq)
		}
		ev := &next.Events[seq-1]
		if ev.Certified != nil {
			return apperr.Conflictf("%s(%s)已于%s认定", ev.Stage.Label(), ev.On, ev.Certified.On)
		}
		now := s.now()
		if err := invalid(checkCertification(ev, c, now)); err != nil {
			return err
		}
		c.By, c.EnteredAt = actor.Name, now.UTC()
		ev.Certified = &c
		return nil
	})
}

// Find returns a project the user may see.
func (s *Service) Find(ctx context.Context, u *auth.User, code string) (*Project, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	p, err := s.store.FindProject(ctx, code)
	if err != nil {
		return nil, err
	}
	if !inScope(u, p) {
		return nil, apperr.Forbiddenf("该项目不在您的数据范围内")
	}
	return p, nil
}

// History returns the earlier states of a project the user may see.
func (s *Service) History(ctx context.Context, u *auth.User, code string) ([]Version, error) {
	if _, err := s.Find(ctx, u, code); err != nil {
		return nil, err
	}
	return s.store.ProjectHistory(ctx, code)
}

// MaxLimit is the most projects a page of List holds.
const MaxLimit = 500

// List returns one page of the projects a filter selects within the
// user's scope: f.Limit of them (50 when not set, at most MaxLimit).
func (s *Service) List(ctx context.Context, u *auth.User, f Filter) ([]Project, int, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, 0, err
	}
	if u.Unit != "" {
		if f.Unit != "" && f.Unit != u.Unit {
			return nil, 0, apperr.Forbiddenf("无权查看其他单位的项目")
		}
		f.Unit = u.Unit
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, MaxLimit)
	return s.store.ListProjects(ctx, f)
}

// Counts tallies the signed, started and completed projects of a year by
// the rules in force: aggregates, open to everyone.
//
// The result is shared: callers must not change it.
func (s *Service) Counts(ctx context.Context, year int) (map[Stage]*Tally, error) {
	snap, err := s.ledgerSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	rules, key := s.rules, tallyKey{year, s.rulesGen}
	s.mu.Unlock()
	snap.mu.Lock()
	defer snap.mu.Unlock()
	if t, ok := snap.tallies[key]; ok {
		return t, nil
	}
	t := rules.Count(snap.all, year)
	if snap.tallies == nil {
		snap.tallies = map[tallyKey]map[Stage]*Tally{}
	}
	snap.tallies[key] = t
	return t, nil
}

// Version changes whenever the ledger does.
func (s *Service) Version(ctx context.Context) (int64, error) { return s.store.ProjectsVersion(ctx) }

func sortPlans(p *Project) {
	sort.Slice(p.Plans, func(i, j int) bool { return p.Plans[i].Year < p.Plans[j].Year })
}

// clone copies a project deeply enough to change it.
func clone(p Project) Project {
	p.Units = slices.Clone(p.Units)
	p.Plans = slices.Clone(p.Plans)
	p.Events = slices.Clone(p.Events)
	for i := range p.Events {
		if c := p.Events[i].Certified; c != nil {
			cc := *c
			p.Events[i].Certified = &cc
		}
	}
	return p
}

// diff names the fields in which two states of a project differ.
func diff(a, b Project) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"name", a.Name == b.Name}, {"builder", a.Builder == b.Builder && a.BuilderUSCC == b.BuilderUSCC},
		{"field", a.Field == b.Field}, {"unit", a.Unit == b.Unit}, {"units", slices.Equal(a.Units, b.Units)},
		{"leader", a.Leader == b.Leader},
		{"level", a.Level == b.Level && a.LevelList == b.LevelList && a.LevelYear == b.LevelYear},
		{"investment", a.Investment == b.Investment}, {"plans", slices.Equal(a.Plans, b.Plans)},
		{"planned_dates", a.PlannedStart == b.PlannedStart && a.PlannedEnd == b.PlannedEnd},
		{"events", sameEvents(a.Events, b.Events)},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

func sameEvents(a, b []Event) bool {
	return slices.EqualFunc(a, b, func(x, y Event) bool {
		cx, cy := x.Certified, y.Certified
		x.Certified, y.Certified = nil, nil
		return x == y && (cx == nil) == (cy == nil) && (cx == nil || *cx == *cy)
	})
}
