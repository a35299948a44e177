package projects

import (
	"context"
	"maps"
	"sort"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/monitor"
)

// RoundLine is a project of a month's round with what was filed for it.
type RoundLine struct {
	Project Project
	Latest  *Progress // nil when nothing was filed
}

// File records a unit's figures of a project for a month. Reporters file
// for their unit's projects; a figure already published changes only with
// a reason.
func (s *Service) File(ctx context.Context, actor audit.Actor, u *auth.User, in ProgressInput) (*Progress, error) {
	if err := auth.Check(u, auth.PermProgressWrite, ""); err != nil {
		return nil, err
	}
	p, err := s.store.FindProject(ctx, in.Project)
	if err != nil {
		return nil, err
	}
	if !inScope(u, p) {
		return nil, apperr.Forbiddenf("项目%s不是本单位的项目,不能填报", in.Project)
	}
	if _, ok := parseMonth(in.Period); ok && !inRound(p, in.Period) {
		return nil, apperr.Invalidf("项目%s已于%s年前竣工,不再参加调度", p.Code, in.Period[:4])
	}
	history, err := s.store.ProjectProgress(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	var current, prev *Progress
	for i := range history {
		h := &history[i]
		if h.Period == in.Period && current == nil {
			current = h
		}
		if h.Period < in.Period && prev == nil {
			prev = h
		}
	}
	now := s.now()
	in.Image, in.Reason = strings.TrimSpace(in.Image), strings.TrimSpace(in.Reason)
	if err := invalid(checkProgress(p, in, prev, current, now)); err != nil {
		return nil, err
	}
	unit := u.Unit
	if unit == "" {
		unit = p.Lead()
	}
	next := Progress{Project: p.Code, Period: in.Period, Version: 1, YTDFen: in.YTDFen, SinceStartFen: in.SinceStartFen,
		Image: in.Image, InFAI: in.InFAI, FAIMonth: in.FAIMonth, Status: Submitted, Reason: in.Reason, Unit: unit,
		EnteredBy: actor.Name, EnteredAt: now.UTC()}
	var before any
	if current != nil {
		next.Version, before = current.Version+1, current
	}
	e := audit.New(next.EnteredAt, actor, "project.progress", "project", p.Code+"/"+in.Period, before, next)
	if err := s.store.AppendProgress(ctx, []Progress{next}, e); err != nil {
		return nil, err
	}
	return &next, nil
}

// Return sends a filed figure back to its unit with the reason.
func (s *Service) Return(ctx context.Context, actor audit.Actor, u *auth.User, code, period, reason string) (*Progress, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, apperr.Invalidf("退回须说明原因")
	}
	p, err := s.store.FindProject(ctx, code)
	if err != nil {
		return nil, err
	}
	if !inScope(u, p) {
		return nil, apperr.Forbiddenf("该项目不在您的数据范围内")
	}
	history, err := s.store.ProjectProgress(ctx, code)
	if err != nil {
		return nil, err
	}
	for _, h := range history {
		if h.Period != period {
			continue
		}
		if h.Status != Submitted {
			return nil, apperr.Conflictf("%s的数据%s,不能退回", period, h.Status.Label())
		}
		next := h
		next.Version, next.Status, next.Reason = h.Version+1, Returned, strings.TrimSpace(reason)
		next.EnteredBy, next.EnteredAt = actor.Name, s.now().UTC()
		e := audit.New(next.EnteredAt, actor, "project.progress_return", "project", code+"/"+period, h, next)
		if err := s.store.AppendProgress(ctx, []Progress{next}, e); err != nil {
			return nil, err
		}
		return &next, nil
	}
	return nil, apperr.NotFoundf("项目%s没有%s的调度数据", code, period)
}

// Publish publishes every submitted figure of a month's round and returns
// how many it published.
func (s *Service) Publish(ctx context.Context, actor audit.Actor, u *auth.User, period string) (int, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return 0, err
	}
	if u.Unit != "" {
		return 0, apperr.Forbiddenf("发布调度数据须由全区范围的统计员或管理员进行")
	}
	if _, ok := parseMonth(period); !ok {
		return 0, apperr.Invalidf("调度月份“%s”应为2026-03这样的年月", period)
	}
	month, err := s.store.MonthProgress(ctx, period)
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	var out []Progress
	var codes []string
	for _, m := range month {
		if m.Status != Submitted {
			continue
		}
		m.Version, m.Status, m.EnteredBy, m.EnteredAt = m.Version+1, Published, actor.Name, now
		out = append(out, m)
		codes = append(codes, m.Project)
	}
	if len(out) == 0 {
		return 0, apperr.Invalidf("%s没有待发布的调度数据", period)
	}
	e := audit.New(now, actor, "project.round_publish", "round", period, nil, map[string]any{"projects": codes})
	if err := s.store.AppendProgress(ctx, out, e); err != nil {
		return 0, err
	}
	return len(out), nil
}

// Round lists a month's round within the user's scope: every project that
// reports that month, with its latest filing, in code order.
func (s *Service) Round(ctx context.Context, u *auth.User, period string) ([]RoundLine, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	if _, ok := parseMonth(period); !ok {
		return nil, apperr.Invalidf("调度月份“%s”应为2026-03这样的年月", period)
	}
	all, err := s.ledger(ctx)
	if err != nil {
		return nil, err
	}
	month, err := s.store.MonthProgress(ctx, period)
	if err != nil {
		return nil, err
	}
	filed := make(map[string]*Progress, len(month))
	for i := range month {
		filed[month[i].Project] = &month[i]
	}
	var out []RoundLine
	for _, p := range all {
		if inScope(u, &p) && inRound(&p, period) {
			out = append(out, RoundLine{Project: p, Latest: filed[p.Code]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Project.Code < out[j].Project.Code })
	return out, nil
}

// ProgressOf returns every version of a project's figures the user may see.
func (s *Service) ProgressOf(ctx context.Context, u *auth.User, code string) ([]Progress, error) {
	if _, err := s.Find(ctx, u, code); err != nil {
		return nil, err
	}
	return s.store.ProjectProgress(ctx, code)
}

// Flags returns the delay warnings of the projects in the user's scope on
// the day, by the rules in force, in project order.
func (s *Service) Flags(ctx context.Context, u *auth.User) ([]Flag, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	snap, err := s.allFlags(ctx)
	if err != nil {
		return nil, err
	}
	if u.Unit == "" {
		return snap.all, nil
	}
	var out []Flag
	for _, f := range snap.all {
		if inScope(u, snap.ledger.project(f.Project)) {
			out = append(out, f)
		}
	}
	return out, nil
}

// FlagSummary counts the projects with warnings in the user's scope.
// The result is shared: callers must not change it.
func (s *Service) FlagSummary(ctx context.Context, u *auth.User) (*FlagSummary, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	snap, err := s.allFlags(ctx)
	if err != nil {
		return nil, err
	}
	snap.mu.Lock()
	defer snap.mu.Unlock()
	if sum, ok := snap.summaries[u.Unit]; ok {
		return sum, nil
	}
	worst := map[string]bool{} // project → has a red warning
	sum := &FlagSummary{}
	for _, f := range snap.all {
		if u.Unit != "" && !inScope(u, snap.ledger.project(f.Project)) {
			continue
		}
		red, seen := worst[f.Project]
		if !seen {
			sum.Projects = append(sum.Projects, f.Project)
		}
		worst[f.Project] = red || f.Light == monitor.Red
	}
	for _, red := range worst {
		if red {
			sum.Red++
		} else {
			sum.Yellow++
		}
	}
	if snap.summaries == nil {
		snap.summaries = map[string]*FlagSummary{}
	}
	snap.summaries[u.Unit] = sum
	return sum, nil
}

// allFlags returns the district's warnings, computed again only when the
// ledger, the rounds, the rules or the day changed. After filings or
// project changes only the projects filed or changed since are looked at
// again (project_latest and projects keep the count of changes each row
// was written at); the problems' warnings are taken afresh from the open
// problems.
func (s *Service) allFlags(ctx context.Context) (*flagSnapshot, error) {
	pv, err := s.store.ProgressVersion(ctx) // read before the figures, never newer than them
	if err != nil {
		return nil, err
	}
	ledger, err := s.ledgerSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	today, rules := s.now(), s.Rules().Flags
	day := today.Format("2006-01-02")
	s.flagsMu.Lock()
	defer s.flagsMu.Unlock()
	old := s.flags
	if old != nil && old.ledger == ledger && old.progress == pv && old.day == day && old.rules == rules {
		return old, nil
	}
	snap := &flagSnapshot{ledger: ledger, progress: pv, day: day, rules: rules}
	since := int64(-1)
	var redo []string // the projects whose warnings are worked out again
	sameLedger := old != nil && old.ledger == ledger
	nextLedger := old != nil && ledger.prev >= 0 && ledger.prev == old.ledger.version
	if old != nil && (sameLedger || nextLedger) && old.day == day && old.rules == rules && old.progress <= pv {
		since = old.progress
		snap.own, snap.filed = maps.Clone(old.own), maps.Clone(old.filed)
		if nextLedger {
			redo = append(redo, ledger.changed...)
		}
	} else {
		snap.own, snap.filed = make(map[string][]Flag, len(ledger.all)), make(map[string]Progress, len(ledger.all))
	}
	latest, err := s.store.LatestProgress(ctx, today.Year(), since)
	if err != nil {
		return nil, err
	}
	for _, l := range latest {
		snap.filed[l.Project] = l
		redo = append(redo, l.Project)
	}
	flags := func(p *Project) {
		var latest *Progress
		if l, ok := snap.filed[p.Code]; ok {
			latest = &l
		}
		if f := rules.Flags(p, latest, today); len(f) > 0 {
			snap.own[p.Code] = f
		} else {
			delete(snap.own, p.Code)
		}
	}
	if since < 0 {
		for i := range ledger.all {
			flags(&ledger.all[i])
		}
	} else {
		for _, code := range redo {
			if p := ledger.project(code); p != nil { // a filing for a project newer than the ledger read waits for it
				flags(p)
			}
		}
	}
	open, err := s.store.OpenProblems(ctx)
	if err != nil {
		return nil, err
	}
	problems := map[string][]Flag{}
	for i := range open {
		if f, ok := rules.problemFlag(&open[i], today); ok {
			problems[open[i].Project] = append(problems[open[i].Project], f)
		}
	}
	for i := range ledger.all {
		code := ledger.all[i].Code
		snap.all = append(snap.all, snap.own[code]...)
		snap.all = append(snap.all, problems[code]...)
	}
	s.flags = snap
	return snap, nil
}

// FlagsOf returns one project's warnings.
func (s *Service) FlagsOf(ctx context.Context, u *auth.User, code string) ([]Flag, error) {
	d, err := s.Detail(ctx, u, code)
	if err != nil {
		return nil, err
	}
	return d.Flags, nil
}

// Detail is a project with all its page shows: its earlier states, every
// version of its monthly figures and of the statistics bureau's, its
// problems and its warnings today.
type Detail struct {
	Project  *Project
	History  []Version
	Progress []Progress
	FAI      []FAI
	Problems []Problem
	Flags    []Flag
}

// Detail returns a project the user may see with its history, filings,
// problems and warnings, its scope checked once.
func (s *Service) Detail(ctx context.Context, u *auth.User, code string) (*Detail, error) {
	p, err := s.Find(ctx, u, code)
	if err != nil {
		return nil, err
	}
	d := &Detail{Project: p}
	if d.History, err = s.store.ProjectHistory(ctx, code); err != nil {
		return nil, err
	}
	if d.Progress, err = s.store.ProjectProgress(ctx, code); err != nil {
		return nil, err
	}
	if d.FAI, err = s.store.ProjectFAI(ctx, code); err != nil {
		return nil, err
	}
	if d.Problems, err = s.store.ProjectProblems(ctx, code); err != nil {
		return nil, err
	}
	today := s.now()
	var latest *Progress
	if len(d.Progress) > 0 && d.Progress[0].Period[:4] == today.Format("2006") {
		latest = &d.Progress[0] // the latest month first, its latest version first
	}
	rules := s.Rules().Flags
	d.Flags = rules.Flags(p, latest, today)
	for i := range d.Problems {
		if f, ok := rules.problemFlag(&d.Problems[i], today); ok {
			d.Flags = append(d.Flags, f)
		}
	}
	return d, nil
}

// Pick returns the projects of codes the user may see, in the order
// given, from the ledger in memory: the projects a count or a warning
// list is made of.
func (s *Service) Pick(ctx context.Context, u *auth.User, codes []string) ([]Project, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	snap, err := s.ledgerSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	var out []Project
	for _, c := range codes {
		if p := snap.project(c); p != nil && inScope(u, p) {
			out = append(out, *p)
		}
	}
	return out, nil
}
