// Package indicators keeps the time series of the plan's indicators: each
// value with its period, price basis, release date and vintage, where it
// came from, and every version. Values go 填报 → 审核 → 发布; only
// published values reach leaders and the public. See doc/monitoring.md.
package indicators

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
)

// Status is where a value stands in its workflow.
type Status string

// Statuses.
const (
	Draft     Status = "draft"     // 填报
	Reviewed  Status = "reviewed"  // 已审核
	Published Status = "published" // 已发布
	Returned  Status = "returned"  // 退回
)

// Label is the status in Chinese.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "已填报"
	case Reviewed:
		return "已审核"
	case Published:
		return "已发布"
	case Returned:
		return "已退回"
	}
	return ""
}

// Source says where a value came from.
type Source string

// Sources.
const (
	Entered  Source = "entered"  // typed in by a unit
	Imported Source = "imported" // from a published table
	Computed Source = "computed" // from the directory and the reports
)

// Label is the source in Chinese.
func (s Source) Label() string {
	switch s {
	case Entered:
		return "填报"
	case Imported:
		return "导入"
	case Computed:
		return "平台计算"
	}
	return ""
}

// Value is one version of an indicator's value for a unit and period.
type Value struct {
	ID         int64     `json:"id"`
	Indicator  string    `json:"indicator"`
	Unit       string    `json:"unit"`   // the district's code for the whole district
	Period     string    `json:"period"` // 2025, 2025Q3, 2025-09
	Version    int       `json:"version"`
	Value      string    `json:"value"`       // decimal, in the indicator's unit
	PriceBasis string    `json:"price_basis"` // current, constant or ""
	ReleasedOn string    `json:"released_on"` // YYYY-MM-DD or ""
	Vintage    string    `json:"vintage"`     // 初步核算, 核实, 年报 … or ""
	Status     Status    `json:"status"`
	Source     Source    `json:"source"`
	SourceRef  string    `json:"source_ref"`
	Reason     string    `json:"reason"`
	EnteredBy  string    `json:"entered_by"`
	EnteredAt  time.Time `json:"entered_at"`
}

// Rat is the value as an exact number.
func (v *Value) Rat() *big.Rat {
	r, _ := new(big.Rat).SetString(v.Value)
	return r
}

// Key names a series point.
type Key struct{ Indicator, Unit, Period string }

// Store keeps values, every version.
type Store interface {
	// Append saves v as the next version of its key, setting ID and
	// Version, with the audit entry, in one transaction. It fails with
	// a conflict if the latest version is no longer expected.
	Append(ctx context.Context, v *Value, expected int, e audit.Entry) error
	// AppendAll saves several values in one transaction: all or none.
	AppendAll(ctx context.Context, vs []*Value, expected []int, es []audit.Entry) error
	// Latest returns the latest version of every key of an indicator
	// and unit ("" for all units); published only when asked.
	Latest(ctx context.Context, indicator, unit string, publishedOnly bool) ([]Value, error)
	// PublishedIn returns the latest published version of every unit's
	// value of each of the indicators for one period, with its version,
	// vintage and release date (not its source or who entered it).
	PublishedIn(ctx context.Context, indicators []string, period string) ([]Value, error)
	// History returns every version of one key, newest first.
	History(ctx context.Context, k Key) ([]Value, error)
	// Version changes whenever a value is saved.
	Version(ctx context.Context) (int64, error)
}

// Service enters, reviews, publishes and reads indicator values.
type Service struct {
	store Store
	plans *plan.Service
	now   func() time.Time
}

// NewService returns the indicator values service.
func NewService(store Store, plans *plan.Service, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, now: now}
}

// Input is a value as a user or an import gives it.
type Input struct {
	Indicator  string `json:"indicator"`
	Unit       string `json:"unit"`
	Period     string `json:"period"`
	Value      string `json:"value"`
	PriceBasis string `json:"price_basis"`
	ReleasedOn string `json:"released_on"`
	Vintage    string `json:"vintage"`
	Reason     string `json:"reason"`
	Source     Source `json:"-"`
	SourceRef  string `json:"-"`
	// Publish publishes at once (administrators only): the path of
	// figures copied from a bureau's release.
	Publish bool `json:"publish"`
}

// Save checks an input and appends it as a new draft (or published, when
// an administrator publishes at once). Revising a value that has been
// published needs a reason.
func (s *Service) Save(ctx context.Context, actor audit.Actor, u *auth.User, in Input) (*Value, error) {
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	p := st.Plan
	if in.Unit == "" {
		in.Unit = p.DistrictCode()
	}
	if err := auth.Check(u, auth.PermValuesEnter, in.Unit); err != nil {
		return nil, err
	}
	if in.Publish {
		if err := auth.Check(u, auth.PermValuesPublish, ""); err != nil {
			return nil, err
		}
	}
	v, hist, err := s.prepare(ctx, p, in)
	if err != nil {
		return nil, err
	}
	return s.append(ctx, actor, v, hist, "indicator_value.save")
}

// prepare checks an input and reads the value's history: what a save
// needs.
func (s *Service) prepare(ctx context.Context, p *plan.Plan, in Input) (*Value, []Value, error) {
	v, err := check(p, in)
	if err != nil {
		return nil, nil, err
	}
	hist, err := s.store.History(ctx, Key{v.Indicator, v.Unit, v.Period})
	if err != nil {
		return nil, nil, err
	}
	if wasPublished(hist) && strings.TrimSpace(in.Reason) == "" {
		return nil, nil, apperr.Invalidf("该数值已发布,修订须填写原因")
	}
	v.Status = Draft
	if in.Publish {
		v.Status = Published
	}
	return v, hist, nil
}

// wasPublished reports whether any version was published.
func wasPublished(hist []Value) bool {
	for _, h := range hist {
		if h.Status == Published {
			return true
		}
	}
	return false
}

func (s *Service) append(ctx context.Context, actor audit.Actor, v *Value, hist []Value, action string) (*Value, error) {
	expected, e := s.stamp(actor, v, hist, action)
	if err := s.store.Append(ctx, v, expected, e); err != nil {
		return nil, err
	}
	return v, nil
}

// stamp marks who saves v and when, and makes its audit entry; expected
// is the version the store must still find latest.
func (s *Service) stamp(actor audit.Actor, v *Value, hist []Value, action string) (expected int, e audit.Entry) {
	var before any
	if len(hist) > 0 {
		expected, before = hist[0].Version, hist[0]
	}
	v.EnteredBy, v.EnteredAt = actor.Name, s.now().UTC()
	e = audit.New(v.EnteredAt, actor, action, "indicator_value", v.Indicator+"/"+v.Unit+"/"+v.Period, before, v)
	e.Reason = v.Reason
	return expected, e
}

// check validates an input against the plan.
func check(p *plan.Plan, in Input) (*Value, error) {
	ind, ok := p.Indicator(in.Indicator)
	if !ok {
		return nil, apperr.Invalidf("没有编码为“%s”的指标", in.Indicator)
	}
	if _, ok := p.Unit(in.Unit); !ok {
		return nil, apperr.Invalidf("没有编码为“%s”的单位", in.Unit)
	}
	per, err := monitor.ParsePeriod(in.Period)
	if err != nil {
		return nil, err
	}
	first := p.Meta.StartYear - 3 // the baseline year and two before it
	if per.Year < first || per.Year > p.Meta.EndYear {
		return nil, apperr.Invalidf("期别%s不在%d—%d年之间(规划期及其前三年)", per.Label(), first, p.Meta.EndYear)
	}
	val := strings.TrimSpace(strings.ReplaceAll(in.Value, ",", ""))
	if !plan.Number(val).Valid() {
		return nil, apperr.Invalidf("数值“%s”应为十进制数(如 462.35)", in.Value)
	}
	if r, _ := plan.Number(val).Rat(); r.Sign() < 0 && !signedKind(ind.Kind) {
		return nil, apperr.Invalidf("%s不能为负数", ind.Name)
	}
	basis := in.PriceBasis
	if basis == "" {
		basis = ind.PriceBasis
	}
	if basis != "" && basis != "current" && basis != "constant" {
		return nil, apperr.Invalidf("价格口径应为现价(current)或不变价(constant)")
	}
	if in.ReleasedOn != "" {
		if _, err := time.Parse("2006-01-02", in.ReleasedOn); err != nil {
			return nil, apperr.Invalidf("发布日期“%s”应为YYYY-MM-DD", in.ReleasedOn)
		}
	}
	src := in.Source
	if src == "" {
		src = Entered
	}
	return &Value{Indicator: ind.Code, Unit: in.Unit, Period: per.String(), Value: canonical(val), PriceBasis: basis,
		ReleasedOn: in.ReleasedOn, Vintage: strings.TrimSpace(in.Vintage), Source: src, SourceRef: in.SourceRef,
		Reason: strings.TrimSpace(in.Reason)}, nil
}

// signedKind reports kinds whose values may be negative (a growth rate, a
// change, a gap).
func signedKind(k plan.Kind) bool {
	return k == plan.KindChange || k == plan.KindAvgGrowth || k == plan.KindGrowthGap
}

// canonical writes a decimal without a redundant sign or leading zeros.
func canonical(s string) string {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	frac := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac = len(s) - i - 1
	}
	return r.FloatString(frac)
}

// Transition moves the latest version of a value: reviewed (statistics
// staff), published (administrators) or returned with a reason.
func (s *Service) Transition(ctx context.Context, actor audit.Actor, u *auth.User, k Key, to Status, reason string) (*Value, error) {
	perm := map[Status]auth.Perm{Reviewed: auth.PermValuesReview, Published: auth.PermValuesPublish, Returned: auth.PermValuesReview}[to]
	if perm == "" {
		return nil, apperr.Invalidf("无效的状态“%s”", to)
	}
	if err := auth.Check(u, perm, k.Unit); err != nil {
		return nil, err
	}
	hist, err := s.store.History(ctx, k)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 {
		return nil, apperr.NotFoundf("该指标在此期别尚无数值")
	}
	cur := hist[0]
	allowed := map[Status][]Status{Reviewed: {Draft}, Published: {Draft, Reviewed}, Returned: {Draft, Reviewed}}[to]
	if !contains(allowed, cur.Status) {
		return nil, apperr.Conflictf("%s的数值不能改为%s", cur.Status.Label(), to.Label())
	}
	if to == Returned && strings.TrimSpace(reason) == "" {
		return nil, apperr.Invalidf("退回须填写原因")
	}
	next := cur
	next.ID, next.Status, next.Reason = 0, to, strings.TrimSpace(reason)
	return s.append(ctx, actor, &next, hist, "indicator_value."+string(to))
}

func contains(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Series returns the values of an indicator for a unit ("" for all), in
// period order: the latest versions for the statistics staff and for a
// unit's own reporters on their unit, the published ones for everyone
// else (unpublished statistics stay with those who make them).
func (s *Service) Series(ctx context.Context, u *auth.User, indicator, unit string) ([]Value, error) {
	drafts := SeesDrafts(u) || u != nil && (u.Can(auth.PermValuesEnter) || u.Can(auth.PermValuesReview)) && u.Unit != "" && u.Unit == unit
	vs, err := s.store.Latest(ctx, indicator, unit, !drafts)
	if err != nil {
		return nil, err
	}
	sortByPeriod(vs)
	return vs, nil
}

// Published returns every unit's latest published value of each of the
// indicators for a period: what assessments and releases read, whoever
// asks (never a draft).
func (s *Service) Published(ctx context.Context, indicators []string, period string) ([]Value, error) {
	return s.store.PublishedIn(ctx, indicators, period)
}

// Version changes whenever a value is saved, for caches to check.
func (s *Service) Version(ctx context.Context) (int64, error) { return s.store.Version(ctx) }

// SeesDrafts reports whether a user sees the values of every unit and of
// the district before they are published: the district's statistics
// staff who check them. Staff scoped to a unit see their unit's drafts
// only (Series), and the district's figures once published.
func SeesDrafts(u *auth.User) bool {
	return u != nil && u.Can(auth.PermValuesReview) && u.Unit == ""
}

func sortByPeriod(vs []Value) {
	key := func(v Value) monitor.Period {
		p, _ := monitor.ParsePeriod(v.Period)
		return p
	}
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && (vs[j].Unit < vs[j-1].Unit || vs[j].Unit == vs[j-1].Unit && key(vs[j]).Before(key(vs[j-1]))); j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}

// YearValue is the latest value within a year: the year itself if there
// is one, else the period covering the most months.
func YearValue(vs []Value, year int) (*Value, monitor.Period, bool) {
	var best *Value
	var bestP monitor.Period
	for i := range vs {
		p, err := monitor.ParsePeriod(vs[i].Period)
		if err != nil || p.Year != year {
			continue
		}
		if best == nil || bestP.Before(p) {
			best, bestP = &vs[i], p
		}
	}
	return best, bestP, best != nil
}

// String describes a value for messages.
func (v *Value) String() string {
	return fmt.Sprintf("%s %s %s = %s (v%d %s)", v.Indicator, v.Unit, v.Period, v.Value, v.Version, v.Status)
}
