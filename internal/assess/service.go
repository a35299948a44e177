package assess

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/table"
)

// Status is where a scheme version stands.
type Status string

// Statuses. A published version is superseded once a later version is
// published.
const (
	Draft     Status = "draft"
	Published Status = "published"
)

// Version is one stored version of a scheme.
type Version struct {
	Code    string    `json:"code"`
	Version int       `json:"version"`
	Year    int       `json:"year"`
	Name    string    `json:"name"`
	Status  Status    `json:"status"`
	Body    string    `json:"body"`             // the scheme file
	Reason  string    `json:"reason,omitempty"` // why it supersedes the version published before
	SavedBy string    `json:"saved_by"`
	SavedAt time.Time `json:"saved_at"`
}

// Fact is a figure an administrator enters for an item of a scheme (加分,
// 扣分 and 否决 items, or any item whose source is entered), with its
// evidence; every version kept.
type Fact struct {
	Scheme    string    `json:"scheme"`
	Group     string    `json:"group"`
	Item      string    `json:"item"`
	Unit      string    `json:"unit"`
	Version   int       `json:"version"`
	Value     string    `json:"value"`
	Evidence  string    `json:"evidence"`
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// Run is an explicit scoring of a published scheme version.
type Run struct {
	ID       int64     `json:"id"`
	Scheme   string    `json:"scheme"`
	Version  int       `json:"scheme_version"`
	Sheet    *Record   `json:"sheet"`
	ScoredBy string    `json:"scored_by"`
	ScoredAt time.Time `json:"scored_at"`
}

// Store keeps the schemes, facts and runs, every version.
type Store interface {
	// AppendScheme adds a version with its audit entry; a version
	// already taken is a conflict.
	AppendScheme(ctx context.Context, v Version, e audit.Entry) error
	// SchemeVersions returns every version of a scheme, newest first.
	SchemeVersions(ctx context.Context, code string) ([]Version, error)
	// Schemes returns the latest version of every scheme, by year (newest
	// first) and code.
	Schemes(ctx context.Context) ([]Version, error)
	// AppendFact adds a version of a fact; a version taken is a conflict.
	AppendFact(ctx context.Context, f Fact, e audit.Entry) error
	// Facts returns the latest version of every fact of a scheme.
	Facts(ctx context.Context, scheme string) ([]Fact, error)
	// AppendRun stores a run, setting its ID, with its audit entry.
	AppendRun(ctx context.Context, r *Run, e audit.Entry) error
	// LatestRun returns a scheme's latest run, or NotFound.
	LatestRun(ctx context.Context, scheme string) (*Run, error)
}

// Sources are the figures of the other capabilities, read through their
// services (wired in internal/app).
type Sources interface {
	// Indicators returns each unit's latest published value of each of
	// the indicators for a period, by indicator and unit.
	Indicators(ctx context.Context, codes []string, period string) (map[string]map[string]Figure, error)
	// Projects returns each unit's count of the ledger's projects of a
	// stage (signed, started, completed) in a year: a town or park's
	// projects there, a department's projects it answers for.
	Projects(ctx context.Context, stage string, year int) (map[string]Figure, error)
	// Version changes whenever any of these figures may have.
	Version(ctx context.Context) (string, error)
}

// Service keeps the assessment.
type Service struct {
	store   Store
	plans   *plan.Service
	sources Sources
	now     func() time.Time
	// parsed keeps schemes already read, by the plan they were checked
	// against and their text (a stored version never changes).
	mu     sync.Mutex
	parsed map[parseKey]*Scheme
	scored map[scoreKey]*Record // sheets on the figures of now, while they stay
}

type scoreKey struct {
	plan           *plan.Stored
	code           string
	version        int
	figures, facts string
}

type parseKey struct {
	plan *plan.Stored
	body string
}

// NewService returns the assessment's service.
func NewService(store Store, plans *plan.Service, sources Sources, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, sources: sources, now: now}
}

// maxSchemeBytes bounds a scheme file.
const maxSchemeBytes = 1 << 20

// parse reads a stored or given scheme against the plan in force.
func (s *Service) parse(ctx context.Context, name string, body []byte) (*Scheme, error) {
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	if len(body) > maxSchemeBytes {
		return nil, apperr.Invalidf("方案文件过大(%d字节),上限为%d字节", len(body), maxSchemeBytes)
	}
	key := parseKey{st, string(body)}
	s.mu.Lock()
	sc, ok := s.parsed[key]
	s.mu.Unlock()
	if ok {
		return sc, nil // shared: never changed after parsing
	}
	sc, err = Parse(name, body, st.Plan)
	if err == nil {
		s.mu.Lock()
		if s.parsed == nil || len(s.parsed) >= 64 {
			s.parsed = map[parseKey]*Scheme{}
		}
		s.parsed[key] = sc
		s.mu.Unlock()
	}
	if probs, ok := err.(plan.Problems); ok {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.String()
		}
		return nil, apperr.InvalidFields(msgs, nil)
	}
	return sc, err
}

// SaveDraft checks a scheme file and keeps it as the scheme's next draft
// version. A scheme already published may get a draft that will
// supersede it when published.
func (s *Service) SaveDraft(ctx context.Context, actor audit.Actor, u *auth.User, name string, body []byte) (*Version, error) {
	if err := auth.Check(u, auth.PermAssessManage, ""); err != nil {
		return nil, err
	}
	sc, err := s.parse(ctx, name, body)
	if err != nil {
		return nil, err
	}
	versions, err := s.store.SchemeVersions(ctx, sc.Code)
	if err != nil {
		return nil, err
	}
	v := Version{Code: sc.Code, Version: 1, Year: sc.Year, Name: sc.Name, Status: Draft, Body: string(body), SavedBy: actor.Name,
		SavedAt: s.now().UTC()}
	var before any
	if len(versions) > 0 {
		last := versions[0]
		if last.Year != sc.Year {
			return nil, apperr.Invalidf("方案%s是%d年度的,不能改为%d年度(请另用一个方案编号)", sc.Code, last.Year, sc.Year)
		}
		v.Version, before = last.Version+1, map[string]any{"version": last.Version, "status": last.Status}
	}
	e := audit.New(v.SavedAt, actor, "assess.scheme_save", "assess_scheme", sc.Code, before, map[string]any{"version": v.Version, "file": name})
	if err := s.store.AppendScheme(ctx, v, e); err != nil {
		return nil, err
	}
	return &v, nil
}

// Publish publishes a scheme's latest draft, which then cannot change. A
// draft superseding a version published before needs a reason.
func (s *Service) Publish(ctx context.Context, actor audit.Actor, u *auth.User, code string, version int, reason string) (*Version, error) {
	if err := auth.Check(u, auth.PermAssessManage, ""); err != nil {
		return nil, err
	}
	versions, err := s.store.SchemeVersions(ctx, code)
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 {
		return nil, apperr.NotFoundf("没有编号为“%s”的考核方案", code)
	}
	last := versions[0]
	switch {
	case last.Version != version:
		return nil, apperr.Conflictf("方案%s已有第%d版,请刷新后再发布", code, last.Version)
	case last.Status != Draft:
		return nil, apperr.Conflictf("方案%s第%d版已发布", code, last.Version)
	}
	reason = strings.TrimSpace(reason)
	for _, v := range versions[1:] {
		if v.Status == Published && reason == "" {
			return nil, apperr.InvalidFields([]string{fmt.Sprintf("方案已于第%d版发布,替代须说明原因", v.Version)},
				map[string]string{"reason": "替代已发布的方案须说明原因"})
		}
	}
	if _, err := s.parse(ctx, code+".yaml", []byte(last.Body)); err != nil {
		return nil, err // the plan changed since it was saved
	}
	next := last
	next.Version, next.Status, next.Reason, next.SavedBy, next.SavedAt = last.Version+1, Published, reason, actor.Name, s.now().UTC()
	e := audit.New(next.SavedAt, actor, "assess.scheme_publish", "assess_scheme", code, map[string]any{"version": last.Version},
		map[string]any{"version": next.Version, "reason": reason})
	if err := s.store.AppendScheme(ctx, next, e); err != nil {
		return nil, err
	}
	return &next, nil
}

// Schemes lists the latest version of every scheme.
func (s *Service) Schemes(ctx context.Context, u *auth.User) ([]Version, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	return s.store.Schemes(ctx)
}

// Versions returns every version of a scheme, newest first.
func (s *Service) Versions(ctx context.Context, u *auth.User, code string) ([]Version, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	vs, err := s.store.SchemeVersions(ctx, code)
	if err == nil && len(vs) == 0 {
		err = apperr.NotFoundf("没有编号为“%s”的考核方案", code)
	}
	return vs, err
}

// Scheme returns a scheme's latest version as read against the plan. The
// result is shared: callers must not change it.
func (s *Service) Scheme(ctx context.Context, u *auth.User, code string) (*Scheme, error) {
	vs, err := s.Versions(ctx, u, code)
	if err != nil {
		return nil, err
	}
	return s.parse(ctx, code+".yaml", []byte(vs[0].Body))
}

// Preview scores a scheme's latest version (a draft, or the published
// one) on the figures as they stand, storing nothing.
func (s *Service) Preview(ctx context.Context, u *auth.User, code string) (*Record, error) {
	vs, err := s.Versions(ctx, u, code)
	if err != nil {
		return nil, err
	}
	rec, err := s.score(ctx, vs[0])
	if err != nil {
		return nil, err
	}
	return scoped(u, rec), nil
}

// score works out a stored version's sheet from the figures of now, kept
// while neither the figures nor the scheme's facts change. The result is
// shared: callers must not change it.
func (s *Service) score(ctx context.Context, v Version) (*Record, error) {
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	figVersion, err := s.sources.Version(ctx)
	if err != nil {
		return nil, err
	}
	facts, err := s.store.Facts(ctx, v.Code)
	if err != nil {
		return nil, err
	}
	stamp := 0
	for _, f := range facts {
		stamp += f.Version // every new version adds to it
	}
	key := scoreKey{st, v.Code, v.Version, figVersion, fmt.Sprintf("%d/%d", len(facts), stamp)}
	s.mu.Lock()
	rec, ok := s.scored[key]
	s.mu.Unlock()
	if ok {
		return rec, nil
	}
	sc, err := s.parse(ctx, v.Code+".yaml", []byte(v.Body))
	if err != nil {
		return nil, err
	}
	figs, err := s.figures(ctx, sc, facts)
	if err != nil {
		return nil, err
	}
	rec = RecordOf(Score(sc, figs), v.Version)
	s.mu.Lock()
	if s.scored == nil || len(s.scored) >= 32 {
		s.scored = map[scoreKey]*Record{}
	}
	s.scored[key] = rec
	s.mu.Unlock()
	return rec, nil
}

// figures gathers every item's figures: published indicator values, the
// ledger's counts, the facts entered.
func (s *Service) figures(ctx context.Context, sc *Scheme, facts []Fact) (Figures, error) {
	type key struct{ group, item, unit string }
	got := map[key]Figure{}
	var codes []string
	for _, g := range sc.Groups {
		for _, it := range g.Items {
			if it.Source == FromIndicator && !slices.Contains(codes, it.Indicator) {
				codes = append(codes, it.Indicator)
			}
		}
	}
	indicators, err := s.sources.Indicators(ctx, codes, sc.Period)
	if err != nil {
		return nil, err
	}
	counts := map[Source]map[string]Figure{}
	for _, f := range facts {
		r, _ := plan.Number(f.Value).Rat()
		got[key{f.Group, f.Item, f.Unit}] = Figure{Value: r, Text: f.Value, Source: "考核办录入:" + f.Evidence,
			Ref: fmt.Sprintf("录入第%d版", f.Version)}
	}
	for _, g := range sc.Groups {
		for _, it := range g.Items {
			var byUnit map[string]Figure
			switch it.Source {
			case FromIndicator:
				byUnit = indicators[it.Indicator]
			case FromSigned, FromStarted, FromCompleted:
				if counts[it.Source] == nil {
					m, err := s.sources.Projects(ctx, strings.TrimPrefix(string(it.Source), "projects_"), sc.Year)
					if err != nil {
						return nil, err
					}
					counts[it.Source] = m
				}
				byUnit = counts[it.Source]
			default:
				continue
			}
			for _, u := range g.Units {
				if f, ok := byUnit[u]; ok {
					got[key{g.Code, it.Code, u}] = f
				}
			}
		}
	}
	return func(group, item, unit string) (Figure, bool) {
		f, ok := got[key{group, item, unit}]
		return f, ok
	}, nil
}

// scoped keeps, for a reporter, only the rows of their own unit (with the
// place it holds); everyone else reads every unit.
func scoped(u *auth.User, rec *Record) *Record {
	if u == nil || u.Role != auth.RoleReporter {
		return rec
	}
	out := *rec
	out.Groups = nil
	for _, g := range rec.Groups {
		g2 := g
		g2.Rows = nil
		for _, r := range g.Rows {
			if r.Unit == u.Unit {
				g2.Rows = append(g2.Rows, r)
			}
		}
		out.Groups = append(out.Groups, g2)
	}
	return &out
}

// ScoreRun scores a scheme's published version on the figures of now and
// keeps the sheet: an explicit, audited act.
func (s *Service) ScoreRun(ctx context.Context, actor audit.Actor, u *auth.User, code string) (*Run, error) {
	if err := auth.Check(u, auth.PermAssessManage, ""); err != nil {
		return nil, err
	}
	vs, err := s.Versions(ctx, u, code)
	if err != nil {
		return nil, err
	}
	var pub *Version
	for i := range vs {
		if vs[i].Status == Published {
			pub = &vs[i]
			break
		}
	}
	if pub == nil {
		return nil, apperr.Invalidf("方案%s尚未发布,发布后才能正式计分(草稿可预览)", code)
	}
	rec, err := s.score(ctx, *pub)
	if err != nil {
		return nil, err
	}
	run := &Run{Scheme: code, Version: pub.Version, Sheet: rec, ScoredBy: actor.Name, ScoredAt: s.now().UTC()}
	e := audit.New(run.ScoredAt, actor, "assess.score", "assess_scheme", code, nil, map[string]any{"scheme_version": pub.Version})
	if err := s.store.AppendRun(ctx, run, e); err != nil {
		return nil, err
	}
	return run, nil
}

// Result is a scheme's latest run and what later revisions of its
// figures would change.
type Result struct {
	Run     *Run
	Changes []Change
}

// Latest returns a scheme's latest run, in the user's scope, with the
// cells revised figures would change.
func (s *Service) Latest(ctx context.Context, u *auth.User, code string) (*Result, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	run, err := s.store.LatestRun(ctx, code)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.SchemeVersions(ctx, code)
	if err != nil {
		return nil, err
	}
	res := &Result{Run: run}
	for _, v := range vs {
		if v.Version == run.Version {
			now, err := s.score(ctx, v)
			if err != nil {
				return nil, err
			}
			res.Changes = Changes(run.Sheet, now)
		}
	}
	if u.Role == auth.RoleReporter {
		scopedRun := *run
		scopedRun.Sheet = scoped(u, run.Sheet)
		res.Run = &scopedRun
		var mine []Change
		for _, c := range res.Changes {
			if c.Unit == u.Unit {
				mine = append(mine, c)
			}
		}
		res.Changes = mine
	}
	return res, nil
}

// EnterFact keeps a figure for an entered item of a scheme, with its
// evidence.
func (s *Service) EnterFact(ctx context.Context, actor audit.Actor, u *auth.User, f Fact) (*Fact, error) {
	if err := auth.Check(u, auth.PermAssessManage, ""); err != nil {
		return nil, err
	}
	vs, err := s.Versions(ctx, u, f.Scheme)
	if err != nil {
		return nil, err
	}
	sc, err := s.parse(ctx, f.Scheme+".yaml", []byte(vs[0].Body))
	if err != nil {
		return nil, err
	}
	var item *Item
	for gi := range sc.Groups {
		g := &sc.Groups[gi]
		if g.Code != f.Group {
			continue
		}
		for ii := range g.Items {
			if g.Items[ii].Code == f.Item {
				item = &g.Items[ii]
			}
		}
		if item != nil && !slices.Contains(g.Units, f.Unit) {
			return nil, apperr.Invalidf("单位“%s”不是分组%s的考核对象", f.Unit, g.Name)
		}
	}
	switch r, ok := plan.Number(strings.TrimSpace(f.Value)).Rat(); {
	case item == nil:
		return nil, apperr.NotFoundf("方案%s没有分组%s的考核项%s", f.Scheme, f.Group, f.Item)
	case item.Source != FromEntered:
		return nil, apperr.Invalidf("%s的完成值来自%s,不能录入", item.Name, item.Source.Label())
	case !ok:
		return nil, apperr.InvalidFields([]string{fmt.Sprintf("完成值“%s”应为数字", f.Value)}, map[string]string{"value": "应为数字"})
	case !item.Rule.Family.Base() && r.Sign() < 0:
		return nil, apperr.InvalidFields([]string{"事项数不能为负数"}, map[string]string{"value": "不能为负数"})
	case strings.TrimSpace(f.Evidence) == "":
		return nil, apperr.InvalidFields([]string{"录入完成值须写明佐证(文件名称、文号或说明)"}, map[string]string{"evidence": "须写明佐证"})
	}
	facts, err := s.store.Facts(ctx, f.Scheme)
	if err != nil {
		return nil, err
	}
	f.Version = 1
	var before any
	for _, old := range facts {
		if old.Group == f.Group && old.Item == f.Item && old.Unit == f.Unit {
			f.Version, before = old.Version+1, old
		}
	}
	f.Value, f.Evidence = strings.TrimSpace(f.Value), strings.TrimSpace(f.Evidence)
	f.EnteredBy, f.EnteredAt = actor.Name, s.now().UTC()
	e := audit.New(f.EnteredAt, actor, "assess.fact", "assess_scheme", f.Scheme+"/"+f.Group+"/"+f.Item+"/"+f.Unit, before, f)
	if err := s.store.AppendFact(ctx, f, e); err != nil {
		return nil, err
	}
	return &f, nil
}

// SheetMeta is what a 评分细则 sheet does not carry: the scheme's own
// settings. For a scheme already kept, empty fields keep its latest
// version's.
type SheetMeta struct {
	Code, Name, Period, Total, Ties string
	Year                            int
	// Grades as 优秀 90 20;良好 80;合格 60;不合格 0 (name, lowest total,
	// quota percent).
	Grades string
}

// SaveDraftSheet reads a 评分细则 sheet into a scheme with meta's settings
// and keeps it as the scheme's next draft, all or nothing: the mistakes
// are returned with their rows and columns and nothing is saved.
func (s *Service) SaveDraftSheet(ctx context.Context, actor audit.Actor, u *auth.User, meta SheetMeta, rows table.Rows,
	file table.File) (*Version, []table.RowError, error) {
	if err := auth.Check(u, auth.PermAssessManage, ""); err != nil {
		return nil, nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, nil, err
	}
	sc := &Scheme{Code: strings.TrimSpace(meta.Code)}
	if vs, err := s.store.SchemeVersions(ctx, sc.Code); err != nil {
		return nil, nil, err
	} else if len(vs) > 0 {
		if sc, err = s.parse(ctx, sc.Code+".yaml", []byte(vs[0].Body)); err != nil {
			return nil, nil, err
		}
		copied := *sc // the kept scheme is shared: change a copy
		sc = &copied
	}
	if meta.Name != "" {
		sc.Name = meta.Name
	}
	if meta.Year != 0 {
		sc.Year = meta.Year
	}
	if meta.Period != "" {
		sc.Period = meta.Period
	}
	if meta.Total != "" {
		sc.Total = plan.Number(meta.Total)
	}
	if meta.Ties != "" {
		sc.Ties = meta.Ties
	}
	if meta.Grades != "" {
		sc.Grades = nil
		for _, g := range strings.FieldsFunc(meta.Grades, func(r rune) bool { return r == ';' || r == '\uff1b' }) {
			f := strings.Fields(g)
			gr := Grade{Name: f[0]}
			if len(f) > 1 {
				gr.Min = plan.Number(f[1])
			}
			if len(f) > 2 {
				gr.QuotaPct, _ = strconv.Atoi(strings.TrimSuffix(f[2], "%"))
			}
			sc.Grades = append(sc.Grades, gr)
		}
	}
	groups, at, errs, err := ReadSheet(rows, st.Plan)
	if err != nil {
		return nil, nil, apperr.Invalidf("%s", err.Error())
	}
	sc.Groups = groups
	if len(errs) == 0 {
		errs = SheetErrors(Validate(sc, st.Plan), at)
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	body, err := sc.YAML()
	if err != nil {
		return nil, nil, err
	}
	v, err := s.SaveDraft(ctx, actor, u, file.Name, body)
	return v, nil, err
}
