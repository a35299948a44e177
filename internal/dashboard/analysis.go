package dashboard

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"sort"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
	"svcplan/internal/reports"
)

// Query narrows the revenue analysis: a period (0 for the latest the user
// may see), a unit, a field, an industry division.
type Query struct {
	Period   reports.Period
	Unit     string
	Field    string
	Division string
}

// Cell is one line of a breakdown.
type Cell struct {
	Key   string
	Label string
	Firms int
	// FirmsPrev reported 上年同期: the firms the growth rate compares.
	FirmsPrev int
	Cur       int64 // fen, 1-本月
	Prev      int64 // fen, 上年同期 of the same firms
	Growth    string
	Share     string // % of the breakdown's total
	// GrowthRate and ShareRate are Growth and Share as exact fractions
	// (0.25 is 25.0%), for exports; nil where there is none.
	GrowthRate, ShareRate *big.Rat
	Yi                    string // Cur in 亿元, as printed
	// Hidden: built from too few firms (or hidden so that such a cell
	// cannot be worked out from the total); its figures are not shown.
	Hidden bool
	Href   string
}

// Analysis is the above-size service revenue of one period, broken down
// at the level the query asks for.
type Analysis struct {
	Form      *reports.Form
	Period    reports.Period
	Periods   []reports.Period // those the user may choose
	Query     Query
	UnitName  string
	FieldName string
	DivName   string
	Level     string // what Rows break down by: 领域, 行业大类, 行业小类
	Total     Cell   // of the scope: the sum of Rows
	Rows      []Cell
	Units     []Cell // towns, largest first
	// UnitsTotal is the sum of Units: in a town's drill-down every town
	// is listed, so it is the district's in the field and division, not
	// Total.
	UnitsTotal Cell
	// Categories are 生产性服务业 and 生活性服务业 (by the plan's field
	// groups, which follow the NBS classifications of 2019), and 其他.
	Categories []Cell
	// Trend: the year-to-date value and same-firm growth of every period
	// of the last three years, for the scope.
	Trend     []TrendPoint
	Firms     []reports.Report // single firms: only for those who may see them
	SeesFirms bool
	Released  bool // the period is published; false: staff view before release
	// Charts are the composition, the town ranking and the trend, as the
	// JSON static/charts.js draws.
	Charts []Chart
}

// Chart is a chart's container id and its JSON specification.
type Chart struct {
	ID   string
	JSON string
}

// TrendPoint is one period of the trend.
type TrendPoint struct {
	Period reports.Period
	Cur    int64
	Growth *big.Rat
}

// Industry labels come from the plan's reference (see Labels).
type Labels interface {
	Division(code string) string
	Class(code string) string
}

// Analysis builds the revenue analysis for a user. Users who see the same
// (whether they see unpublished periods, single firms, and which unit's
// firms) share it until the data change.
func (s *Service) Analysis(ctx context.Context, u *auth.User, q Query, names Labels) (*Analysis, error) {
	key, err := s.dataKey(ctx)
	if err != nil {
		return nil, err
	}
	firms, unit := u != nil && u.CanSeeFirms(), ""
	if firms {
		unit = u.Unit
	}
	key = fmt.Sprintf("analysis/%s/%v/%v/%s/%v", key, indicators.SeesDrafts(u), firms, unit, q)
	return memo(s, key, func() (*Analysis, error) { return s.analysis(ctx, u, q, names) })
}

func (s *Service) analysis(ctx context.Context, u *auth.User, q Query, names Labels) (*Analysis, error) {
	st, err := s.src.Plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	p := st.Plan
	form, _ := reports.FormByCode(s.src.ServedForm)
	// The breakdowns by field, division and class are of q.Unit's firms
	// (all units' without one); the one by unit is across units.
	a := &Analysis{Form: form, Query: q, SeesFirms: u.CanSeeFirmsIn(q.Unit)}
	acrossUnits := u.CanSeeFirmsIn("")
	all, err := s.periods(ctx, form.Code)
	if err != nil {
		return nil, err
	}
	released, err := s.releasedPeriod(ctx, u, p)
	if err != nil {
		return nil, err
	}
	for _, per := range all {
		if indicators.SeesDrafts(u) || per <= released {
			a.Periods = append(a.Periods, per)
		}
	}
	sort.Slice(a.Periods, func(i, j int) bool { return a.Periods[i] > a.Periods[j] })
	if len(a.Periods) == 0 {
		return a, nil
	}
	a.Period = a.Periods[0]
	if q.Period != 0 {
		if !containsPeriod(a.Periods, q.Period) {
			return nil, apperr.NotFoundf("%s的数据尚未发布或尚未导入", q.Period.Label())
		}
		a.Period = q.Period
	}
	a.Released = a.Period <= released

	if q.Unit != "" {
		unit, ok := p.Unit(q.Unit)
		if !ok {
			return nil, apperr.NotFoundf("没有编码为“%s”的单位", q.Unit)
		}
		a.UnitName = unit.Name
	}
	if q.Field != "" {
		f, ok := p.Field(q.Field)
		if !ok {
			return nil, apperr.NotFoundf("没有编码为“%s”的领域", q.Field)
		}
		a.FieldName = f.Name
	}
	if q.Division != "" {
		a.DivName = names.Division(q.Division)
	}

	// The period and the same period of the trend's years, one query.
	rolls, err := s.rollups(ctx, reports.Query{Form: form.Code, Periods: []reports.Period{a.Period}})
	if err != nil {
		return nil, err
	}
	fields := map[string]string{} // class → field, looked up once each
	fieldOf := func(class string) string {
		code, ok := fields[class]
		if !ok {
			if f, found := p.FieldOfIndustry(class); found {
				code = f.Code
			}
			fields[class] = code
		}
		return code
	}
	inScope := func(r *reports.Rollup, withUnit bool) bool {
		return (!withUnit || q.Unit == "" || r.Unit == q.Unit) &&
			(q.Field == "" || fieldOf(r.Industry) == q.Field) &&
			(q.Division == "" || len(r.Industry) >= 2 && r.Industry[:2] == q.Division)
	}
	var scoped, byUnit []reports.Rollup
	for i := range rolls {
		if inScope(&rolls[i], true) {
			scoped = append(scoped, rolls[i])
		}
		if inScope(&rolls[i], false) {
			byUnit = append(byUnit, rolls[i])
		}
	}

	// Rows: fields, then the field's divisions, then the division's classes.
	var key func(*reports.Rollup) string
	var label func(string) string
	var next func(string) url.Values
	switch {
	case q.Division != "":
		a.Level = "行业小类"
		key = func(r *reports.Rollup) string { return r.Industry }
		label = func(k string) string { return k + " " + names.Class(k) }
	case q.Field != "":
		a.Level = "行业大类"
		key = func(r *reports.Rollup) string { return r.Industry[:2] }
		label = func(k string) string { return k + " " + names.Division(k) }
		next = func(k string) url.Values { return url.Values{"division": {k}} }
	default:
		a.Level = "领域"
		key = func(r *reports.Rollup) string { return fieldOf(r.Industry) }
		label = func(k string) string {
			if f, ok := p.Field(k); ok {
				return f.Name
			}
			return "其他行业"
		}
		next = func(k string) url.Values { return url.Values{"field": {k}} }
	}
	var hideTotal, hideCats, hideUnits bool
	a.Rows, hideTotal = s.cells(reports.GroupBy(scoped, key), label, func(k string) string {
		if next == nil || k == "" {
			return ""
		}
		return a.href(next(k))
	}, a.SeesFirms)
	a.Total = total(scoped)
	categoryOf := func(class string) string {
		if f, ok := p.Field(fieldOf(class)); ok {
			for _, g := range p.FieldGroups {
				if g.Code == f.Group {
					return g.Category
				}
			}
		}
		return ""
	}
	a.Categories, hideCats = s.cells(reports.GroupBy(scoped, func(r *reports.Rollup) string { return categoryOf(r.Industry) }),
		func(k string) string {
			return map[string]string{"producer": "生产性服务业", "life": "生活性服务业"}[k] + map[bool]string{true: "其他行业"}[k == ""]
		}, func(string) string { return "" }, a.SeesFirms)
	if hideTotal || hideCats {
		a.Total = a.Total.hidden()
	}
	a.Units, hideUnits = s.cells(reports.GroupBy(byUnit, func(r *reports.Rollup) string { return r.Unit }), func(k string) string {
		if unit, ok := p.Unit(k); ok {
			return unit.Name
		}
		return k
	}, func(k string) string { return a.href(url.Values{"unit": {k}}) }, acrossUnits)
	sort.SliceStable(a.Units, func(i, j int) bool {
		if a.Units[i].Hidden != a.Units[j].Hidden {
			return !a.Units[i].Hidden
		}
		return a.Units[i].Cur > a.Units[j].Cur
	})
	a.UnitsTotal = total(byUnit)
	if hideUnits {
		a.UnitsTotal = a.UnitsTotal.hidden()
	}

	if err := s.trend(ctx, a, inScope, released, u); err != nil {
		return nil, err
	}
	a.Charts = a.charts()
	if a.SeesFirms && (q.Division != "" || q.Unit != "" && q.Field != "") {
		reps, err := s.src.Reports.Reports(ctx, u, reports.Query{Form: form.Code, Periods: []reports.Period{a.Period}, Unit: q.Unit, Division: q.Division})
		if err != nil {
			return nil, err
		}
		for _, r := range reps {
			if q.Field == "" || fieldOf(r.Industry) == q.Field {
				a.Firms = append(a.Firms, r)
			}
		}
	}
	return a, nil
}

// href is a dashboard link that keeps the query and sets more.
func (a *Analysis) href(set url.Values) string {
	v := url.Values{}
	if a.Query.Period != 0 {
		v.Set("period", a.Query.Period.String())
	}
	for k, val := range map[string]string{"unit": a.Query.Unit, "field": a.Query.Field, "division": a.Query.Division} {
		if val != "" {
			v.Set(k, val)
		}
	}
	for k, vals := range set {
		v[k] = vals
	}
	return "/dashboard?" + v.Encode() + "#revenue-h"
}

// Href is a link to this analysis with some parameters changed ("" drops
// one).
func (a *Analysis) Href(pairs ...string) string {
	set := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		set[pairs[i]] = []string{pairs[i+1]}
	}
	u, _ := url.Parse(a.href(set))
	v := u.Query()
	for k := range v {
		if v.Get(k) == "" {
			v.Del(k) // emptied: dropped
		}
	}
	return "/dashboard?" + v.Encode() + "#revenue-h"
}

// cells turns totals into cells, suppressing small ones (and those that
// would give them away) unless the user sees the firms; hideTotal says
// whether the cells' total must be suppressed too.
func (s *Service) cells(ts []reports.Total, label func(string) string, href func(string) string, sees bool) (out []Cell, hideTotal bool) {
	var sum int64
	for _, t := range ts {
		sum += t.Sums[reports.Revenue].Cur
	}
	out = make([]Cell, len(ts))
	counts := make([]int, len(ts))
	for i, t := range ts {
		c := Cell{Key: t.Key, Label: label(t.Key), Firms: t.Firms, Cur: t.Sums[reports.Revenue].Cur,
			Prev: t.Sums[reports.Revenue].Prev, Href: href(t.Key), Yi: money.Fen(t.Sums[reports.Revenue].Cur).Text(money.YiYuan, 2)}
		c.GrowthRate, _ = t.Growth(reports.Revenue)
		c.Growth = money.Percent(c.GrowthRate, 1)
		if sum > 0 {
			c.ShareRate = big.NewRat(c.Cur, sum)
			c.Share = money.Percent(c.ShareRate, 1)
		}
		out[i], counts[i] = c, t.Firms
	}
	if !sees {
		hide := monitor.Suppress([][]int{counts}, s.src.MinFirms)
		for i := range out {
			if hide.Cells[0][i] {
				out[i] = out[i].hidden()
			}
		}
		hideTotal = hide.RowTotals[0] || hide.Total
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Cur > out[j].Cur })
	return out, hideTotal
}

// hidden is the cell with its figures suppressed: its key and label stay.
func (c Cell) hidden() Cell { return Cell{Key: c.Key, Label: c.Label, Hidden: true} }

// total is the 合计 of the rollups: their sums, and the same-firm growth
// of those sums (not a sum or mean of the rows' rates).
func total(rs []reports.Rollup) Cell {
	t := reports.GroupBy(rs, func(*reports.Rollup) string { return "" })
	if len(t) == 0 {
		return Cell{Label: "合计", Growth: money.NoValue, Yi: "0.00"}
	}
	cur := t[0].Sums[reports.Revenue].Cur
	g, _ := t[0].Growth(reports.Revenue)
	return Cell{Label: "合计", Firms: t[0].Firms, FirmsPrev: t[0].FirmsPrev, Cur: cur, Prev: t[0].Sums[reports.Revenue].Prev,
		Growth: money.Percent(g, 1), GrowthRate: g, Share: "100.0", ShareRate: big.NewRat(1, 1), Yi: money.Fen(cur).Text(money.YiYuan, 2)}
}

// trend fills the scope's value and growth for the periods of the last
// three years up to the analysed one (those the user may see).
func (s *Service) trend(ctx context.Context, a *Analysis, inScope func(*reports.Rollup, bool) bool, released reports.Period, u *auth.User) error {
	var want []reports.Period
	for _, per := range a.Periods {
		if per <= a.Period && per.Year() > a.Period.Year()-3 {
			want = append(want, per)
		}
	}
	// Without a field (which maps classes, in Go) the database sums the
	// trend: one row a period instead of every unit's and class's.
	q := reports.Query{Form: a.Form.Code, Periods: want, Unit: a.Query.Unit, Division: a.Query.Division,
		ByPeriod: a.Query.Field == ""}
	rolls, err := s.rollups(ctx, q)
	if err != nil {
		return err
	}
	byPeriod := map[reports.Period]*reports.Total{}
	for i := range rolls {
		r := &rolls[i]
		if !q.ByPeriod && !inScope(r, true) { // summed rows are in scope already
			continue
		}
		t := byPeriod[r.Period]
		if t == nil {
			t = &reports.Total{}
			byPeriod[r.Period] = t
		}
		t.Add(r)
	}
	for _, per := range want {
		t, ok := byPeriod[per]
		if !ok {
			continue
		}
		pt := TrendPoint{Period: per, Cur: t.Sums[reports.Revenue].Cur}
		if g, ok := t.Growth(reports.Revenue); ok {
			pt.Growth = g
		}
		if !a.SeesFirms && t.Firms < s.src.MinFirms {
			pt = TrendPoint{Period: per, Cur: -1}
		}
		a.Trend = append(a.Trend, pt)
	}
	slices.SortFunc(a.Trend, func(x, y TrendPoint) int { return int(x.Period - y.Period) })
	return nil
}

func containsPeriod(ps []reports.Period, p reports.Period) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// releasedPeriod is the latest report period whose figures an
// administrator has published (by publishing the computed revenue
// indicator for it); 0 when none.
func (s *Service) releasedPeriod(ctx context.Context, u *auth.User, p *plan.Plan) (reports.Period, error) {
	v, err := s.src.Values.Version(ctx)
	if err != nil {
		return 0, err
	}
	return memo(s, fmt.Sprintf("released/%d", v), func() (reports.Period, error) { return s.findReleased(ctx, p) })
}

func (s *Service) findReleased(ctx context.Context, p *plan.Plan) (reports.Period, error) {
	code := ""
	for _, ind := range p.Indicators {
		if ind.Compute == plan.ComputeRevenue && ind.Field == "" {
			code = ind.Code
			break
		}
	}
	if code == "" {
		return 0, nil
	}
	vs, err := s.src.Values.Series(ctx, nil, code, p.DistrictCode())
	if err != nil {
		return 0, err
	}
	var latest reports.Period
	for _, v := range vs {
		if v.Status != indicators.Published || v.Source != indicators.Computed {
			continue
		}
		if per, err := reports.ParsePeriodCode(v.Period); err == nil && per > latest {
			latest = per
		}
	}
	return latest, nil
}

// Release publishes the computed indicators as of the latest report
// period (administrators): the figures leaders and the public then see, and
// with them that period's revenue analysis. Firm counts are the
// directory's as of the release. It returns the period and how many values
// it published.
func (s *Service) Release(ctx context.Context, actor audit.Actor, u *auth.User) (reports.Period, int, error) {
	all, err := s.src.Reports.Periods(ctx, s.src.ServedForm)
	if err != nil {
		return 0, 0, err
	}
	var per reports.Period
	for _, x := range all {
		per = max(per, x)
	}
	if per == 0 {
		return 0, 0, apperr.Invalidf("尚未导入%s报表,没有可发布的计算值", s.src.ServedForm)
	}
	n, err := s.ReleasePeriod(ctx, actor, u, per)
	return per, n, err
}

// ReleasePeriod publishes the computed indicators as of one report period.
// For a period before the latest, only what the data still tell about it
// is published: revenue, and the firms included in its year; the number
// of firms at that time, or since the plan began, is not (the directory
// holds firms as they are now).
func (s *Service) ReleasePeriod(ctx context.Context, actor audit.Actor, u *auth.User, per reports.Period) (int, error) {
	if err := auth.Check(u, auth.PermValuesPublish, ""); err != nil {
		return 0, err
	}
	st, err := s.src.Plans.Active(ctx)
	if err != nil {
		return 0, err
	}
	p := st.Plan
	all, err := s.src.Reports.Periods(ctx, s.src.ServedForm)
	if err != nil {
		return 0, err
	}
	latest := !slices.ContainsFunc(all, func(x reports.Period) bool { return x > per })
	if !slices.Contains(all, per) || !latest && per.Month() != 12 {
		return 0, apperr.Invalidf("只能发布最新一期或往年12月的计算值(%s)", per.Label())
	}
	s.Invalidate()
	vals, err := s.computed(ctx, p, per.Year())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ind := range p.Indicators {
		v, ok := vals[ind.Code]
		if !ok || !latest && ind.Compute == plan.ComputeFirms && ind.Kind != plan.KindYearlyNew {
			continue
		}
		_, err := s.src.Values.Save(ctx, actor, u, indicators.Input{Indicator: ind.Code, Period: per.String(), Value: v.text,
			Source: indicators.Computed, SourceRef: fmt.Sprintf("名录库及%s %s", s.src.ServedForm, per.Label()),
			Reason: "发布平台计算值", Publish: true})
		if err != nil {
			return n, err
		}
		n++
	}
	s.Invalidate()
	return n, nil
}
