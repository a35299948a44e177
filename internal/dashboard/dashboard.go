// Package dashboard assembles the leaders' dashboard (驾驶舱): every target
// with its progress and light, and the above-size service revenue by
// field, town and industry with same-firm growth, drilled down from the
// district to single firms. What a user sees follows their role: firms
// only for those who may see them, small cells suppressed for the rest,
// unpublished figures only for the staff who produce them. See
// doc/monitoring.md.
package dashboard

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
)

// Sources are the services the dashboard reads.
type Sources struct {
	Plans      *plan.Service
	Values     *indicators.Service
	Reports    Reports
	Directory  Directory
	Projects   Projects
	Rules      func() monitor.Rules
	Now        func() time.Time
	MinFirms   int           // suppression threshold; default 3
	CacheFor   time.Duration // how long computed figures are reused; default 30 s
	ServedForm string        // the form whose main measure is shown; default F203
	// YoYBound (percent, default 50) and OutlierMADs (default 3) tune
	// the data-quality checks.
	YoYBound    int
	OutlierMADs int
}

// Reports is what the dashboard asks of the bureau's reports (a
// reports.Service): totals for everyone, firms' own reports only for those
// who may see them.
type Reports interface {
	Rollups(ctx context.Context, q reports.Query) ([]reports.Rollup, error)
	Reports(ctx context.Context, u *auth.User, q reports.Query) ([]reports.Report, error)
	Periods(ctx context.Context, form string) ([]reports.Period, error)
	// Version changes whenever an import changes the reports.
	Version(ctx context.Context) (int64, error)
}

// Projects is what the dashboard asks of the project ledger (a
// projects.Service): the counts of a year by the rules in force.
type Projects interface {
	Counts(ctx context.Context, year int) (map[projects.Stage]*projects.Tally, error)
	// Version changes whenever the ledger does.
	Version(ctx context.Context) (int64, error)
}

// Directory is what the dashboard asks of the enterprise directory (a
// registry.Service).
type Directory interface {
	CountByInclusion(ctx context.Context, regs []registry.Register) ([]registry.InclusionCount, error)
	// Version changes whenever an import changes the directory.
	Version(ctx context.Context) (int64, error)
}

// Service builds dashboards.
type Service struct {
	src     Sources
	mu      sync.Mutex
	cache   map[string]cached
	flights map[string]*sync.Mutex
	rc      *rollupCache
	// keyMu guards the data key and when it was read.
	keyMu sync.Mutex
	key   string
	keyAt time.Time
}

type cached struct {
	at  time.Time
	val any
}

// NewService returns the dashboard service.
func NewService(src Sources) *Service {
	if src.MinFirms == 0 {
		src.MinFirms = monitor.DefaultMinFirms
	}
	if src.CacheFor == 0 {
		src.CacheFor = 30 * time.Second
	}
	if src.ServedForm == "" {
		src.ServedForm = "F203"
	}
	if src.Rules == nil {
		src.Rules = monitor.DefaultRules
	}
	if src.YoYBound == 0 {
		src.YoYBound = 50
	}
	if src.OutlierMADs == 0 {
		src.OutlierMADs = 3
	}
	return &Service{src: src, cache: map[string]cached{}, flights: map[string]*sync.Mutex{}}
}

// Invalidate drops cached figures (after an import).
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.cache, s.rc = map[string]cached{}, nil
	s.mu.Unlock()
	s.keyMu.Lock()
	s.key = ""
	s.keyMu.Unlock()
}

// memo returns a cached value or computes it. One caller computes while
// the others for the same key wait for its result: fifty dashboards asked
// at once must not run fifty counts of the directory.
func memo[T any](s *Service, key string, f func() (T, error)) (T, error) {
	s.mu.Lock()
	c, ok := s.cache[key]
	if ok && s.src.Now().Sub(c.at) < s.src.CacheFor {
		s.mu.Unlock()
		return c.val.(T), nil
	}
	flight, busy := s.flights[key]
	if !busy {
		flight = &sync.Mutex{}
		s.flights[key] = flight
	}
	s.mu.Unlock()

	flight.Lock()
	defer flight.Unlock()
	s.mu.Lock()
	if c, ok := s.cache[key]; ok && s.src.Now().Sub(c.at) < s.src.CacheFor {
		s.mu.Unlock()
		return c.val.(T), nil // computed while we waited
	}
	s.mu.Unlock()
	v, err := f()
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	if len(s.cache) >= maxMemos {
		s.cache = map[string]cached{} // a crawler walking every drill-down must not fill memory
	}
	s.cache[key] = cached{at: s.src.Now(), val: v}
	delete(s.flights, key)
	s.mu.Unlock()
	return v, nil
}

// maxMemos bounds the computed views kept.
const maxMemos = 1024

// Target is one indicator's line on the dashboard.
type Target struct {
	Indicator plan.Indicator
	Value     string // formatted, in the indicator's unit; "" for none
	Period    string // the data's period label
	// Published is false for a figure the user sees before release (staff
	// only); Source says where it came from.
	Published bool
	Source    string
	// Interim is set when the plan has no target for the year and the
	// dashboard derived one from a later target (see interimTarget).
	Interim  string
	Progress monitor.Progress
	// As printed: completion and 序时进度 in percent ("68.0%", or —),
	// the light's name.
	Completion, TimeProgress, LightLabel string
	// Outlook: the year-end estimate of a flow known within the year, the
	// chance of reaching this year's target and the growth the rest of the
	// year needs over last year's same months (预计全年 / 达成概率 / 尚需增速);
	// Later, the plan's later target likewise (yearly growth needed).
	Estimate, Probability, Required string
	Later                           string
	// Fan is the yearly history and forecast to the plan's later target,
	// for the indicator page's fan chart; nil when there is none.
	Fan *Fan
}

// Fan is a yearly series with its forecast: actual totals of past years,
// this year's estimate, then the forecast with its 80% and 95% bands.
type Fan struct {
	Years             []int
	Actual            []float64 // NaN where the year is forecast
	Point, Lo80, Hi80 []float64 // NaN where the year is known
	Lo95, Hi95        []float64
	TargetYear        int
	Target            float64
}

// Board is the dashboard of one year.
type Board struct {
	Year    int
	Targets []Target
	Lights  map[monitor.Light]int
}

// Board builds the targets overview for the year of the latest data. It is
// the same for every user who sees unpublished figures, and for every user
// who does not, so it is kept until the data change.
func (s *Service) Board(ctx context.Context, u *auth.User) (*Board, error) {
	key, err := s.dataKey(ctx)
	if err != nil {
		return nil, err
	}
	return memo(s, fmt.Sprintf("board/%v/%s", indicators.SeesDrafts(u), key), func() (*Board, error) { return s.board(ctx, u) })
}

// dataKey names the state of the data the dashboard reads: the plan
// revision and the versions of the directory, the reports and the values.
// It is asked at most once a second (keyFor): under load the dashboard
// then answers from memory, a second behind an import at worst.
func (s *Service) dataKey(ctx context.Context) (string, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if now := s.src.Now(); s.key != "" && now.Sub(s.keyAt) < keyFor && !now.Before(s.keyAt) {
		return s.key, nil
	}
	key, err := s.readDataKey(ctx)
	if err != nil {
		return "", err
	}
	s.key, s.keyAt = key, s.src.Now()
	return key, nil
}

// keyFor is how long a data key is trusted.
const keyFor = time.Second

func (s *Service) readDataKey(ctx context.Context) (string, error) {
	st, err := s.src.Plans.Active(ctx)
	if err != nil {
		return "", err
	}
	dirV, err := s.src.Directory.Version(ctx)
	if err != nil {
		return "", err
	}
	repV, err := s.src.Reports.Version(ctx)
	if err != nil {
		return "", err
	}
	valV, err := s.src.Values.Version(ctx)
	if err != nil {
		return "", err
	}
	projV, err := s.src.Projects.Version(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d/%d/%d/%d/%d/%d", st.Revision.Number, s.year(st.Plan), dirV, repV, valV, projV), nil
}

func (s *Service) board(ctx context.Context, u *auth.User) (*Board, error) {
	st, err := s.src.Plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	p := st.Plan
	year := s.year(p)
	district := p.DistrictCode()
	staff := indicators.SeesDrafts(u)
	computed, err := s.computed(ctx, p, year)
	if err != nil {
		return nil, err
	}
	b := &Board{Year: year, Lights: map[monitor.Light]int{}}
	opts := monitor.Options{PlanStartYear: p.Meta.StartYear, PlanEndYear: p.Meta.EndYear}
	for _, ind := range p.Indicators {
		if ind.PerUnitKind != "" {
			continue // a target for each unit: on the units' pages
		}
		t := Target{Indicator: ind}
		vs, err := s.src.Values.Series(ctx, u, ind.Code, district)
		if err != nil {
			return nil, err
		}
		var actual, prev *big.Rat
		var per monitor.Period
		if v, vp, ok := indicators.YearValue(vs, year); ok {
			actual, per = v.Rat(), vp
			t.Value, t.Period, t.Published = v.Value, vp.Label(), v.Status == indicators.Published
			t.Source = v.Source.Label()
			if v.Status != indicators.Published {
				t.Source += "·" + v.Status.Label()
			}
		}
		if c, ok := computed[ind.Code]; ok && staff && (actual == nil || per.Before(c.period)) {
			// Staff see the live figure; others see it once published.
			actual, per = c.value, c.period
			t.Value, t.Period, t.Published, t.Source = c.text, c.period.Label(), false, "平台计算·未发布"
		}
		if v, _, ok := indicators.YearValue(vs, year-1); ok {
			prev = v.Rat()
		}
		if actual == nil {
			per = monitor.Period{Year: year}
		}
		ind2, note, derived := withInterimTarget(ind, year, prev)
		t.Progress = monitor.Compute(ind2, year, per, actual, prev, s.src.Rules(), opts)
		switch {
		case derived:
			t.Interim = note
		case note != "":
			t.Progress.Explain = note // no target could be derived: say why
		}
		t.Completion, t.TimeProgress = percentText(t.Progress.Completion), percentText(t.Progress.TimeProgress)
		if actual == nil {
			t.TimeProgress = money.NoValue // no data: no period to measure the pace by
		}
		t.LightLabel = t.Progress.Light.Label()
		if actual != nil {
			target, has := 0.0, t.Progress.Target != nil && t.Progress.TargetYear == year
			if has {
				target, _ = t.Progress.Target.Float64()
			}
			now, later, fan := outlook(ind, vs, per, target, has)
			t.Fan = fan
			t.Estimate, t.Probability, t.Required = outlookText(now, ind.Unit)
			if !has {
				t.Probability, t.Required = "", ""
			}
			if e, p, r := outlookText(later, ind.Unit); e != "" {
				t.Later = fmt.Sprintf("%d年预计%s,达成概率%s,尚需年均增长%s", later.Year, e, p, r)
				if r == "有余量" {
					t.Later = fmt.Sprintf("%d年预计%s,达成概率%s,按现有水平即可达到", later.Year, e, p)
				}
			}
		}
		b.Lights[t.Progress.Light]++
		b.Targets = append(b.Targets, t)
	}
	return b, nil
}

// year is the year the dashboard shows: this year, within the plan period.
func (s *Service) year(p *plan.Plan) int {
	return min(max(s.src.Now().Year(), p.Meta.StartYear), p.Meta.EndYear)
}

// percentText prints a fraction as a percentage with one decimal, or —.
func percentText(r *big.Rat) string {
	if r == nil {
		return money.NoValue
	}
	return money.Percent(r, 1) + "%"
}

// withInterimTarget gives an indicator whose plan target lies in a later
// year a target for this year, with a note saying it is derived, not the
// plan's:
//   - an average growth rate (年均增速) applies to every year: this year's
//     target is the later one's value;
//   - a flow, a stock or a share moves from last year's value to the later
//     target in equal steps: this year's is last year's value plus one
//     step (exact; counts rounded up to whole units, since 1.5 firms
//     cannot be reached).
//
// Without last year's value a stepped target cannot be derived: the note
// then says so, and derived is false.
func withInterimTarget(ind plan.Indicator, year int, prev *big.Rat) (_ plan.Indicator, note string, derived bool) {
	var later *plan.Target
	for i := range ind.Targets {
		t := &ind.Targets[i]
		if t.Year == year {
			return ind, "", false
		}
		if t.Year > year && (later == nil || t.Year < later.Year) {
			later = t
		}
	}
	if later == nil {
		return ind, "", false
	}
	goal, ok := later.Value.Rat()
	if !ok {
		return ind, "", false
	}
	var interim *big.Rat
	how := ""
	switch ind.Kind {
	case plan.KindAvgGrowth:
		interim, how = goal, "年均增速目标逐年适用"
	case plan.KindAnnual, plan.KindLevel, plan.KindShare:
		if prev == nil {
			return ind, fmt.Sprintf("方案只定%d年目标(%s%s);缺少上年数值,无法分解本年目标", later.Year, later.Text(), ind.Unit), false
		}
		step := new(big.Rat).Sub(goal, prev)
		step.Quo(step, big.NewRat(int64(later.Year-year+1), 1))
		interim, how = new(big.Rat).Add(prev, step), fmt.Sprintf("按上年数值至%d年目标逐年平均分解", later.Year)
		if ind.Unit == "家" || ind.Unit == "个" {
			interim = ceil(interim)
		}
	default:
		return ind, "", false
	}
	text := strings.TrimRight(strings.TrimRight(interim.FloatString(2), "0"), ".")
	ind.Targets = append(append([]plan.Target(nil), ind.Targets...), plan.Target{Year: year, Op: later.Op, Value: plan.Number(text)})
	return ind, fmt.Sprintf("方案只定%d年目标(%s%s),本年目标%s%s为平台%s所得,非方案原文", later.Year, later.Text(), ind.Unit,
		text, ind.Unit, how), true
}

// ceil rounds r up to a whole number.
func ceil(r *big.Rat) *big.Rat {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return new(big.Rat).SetInt(q)
}

// computedValue is an indicator's value the platform works out.
type computedValue struct {
	value  *big.Rat
	text   string
	period monitor.Period
	units  map[string]UnitFigure // the value's part in each unit
}

// UnitFigure is a unit's part of a computed indicator.
type UnitFigure struct {
	Text string // as the indicator's unit counts it: 12, 3.45 (亿元)
	// Confidential is set on a sum of firms' figures that roles without
	// firm access may not see: built from too few firms, or hidden so
	// that such a part cannot be worked out from the others and the total.
	Confidential bool
}

// computed works out the indicators the plan marks compute, for year.
func (s *Service) computed(ctx context.Context, p *plan.Plan, year int) (map[string]computedValue, error) {
	key, err := s.dataKey(ctx)
	if err != nil {
		return nil, err
	}
	// Keyed by the data's state: recomputed after an import only.
	return memo(s, fmt.Sprintf("computed/%d/%s", year, key), func() (map[string]computedValue, error) {
		out := map[string]computedValue{}
		now := s.src.Now()
		rev, revPeriod, err := s.latestRollups(ctx, year)
		if err != nil {
			return nil, err
		}
		// Firm counts are the directory's now, dated by the latest
		// reports of the year when there are some, else by this month.
		month := monitor.Period{Year: year, Month: 12}
		if now.Year() == year {
			month.Month = max(int(now.Month()), 2)
		}
		if revPeriod != 0 {
			month.Month = revPeriod.Month()
		}
		counts, err := s.src.Directory.CountByInclusion(ctx, []registry.Register{registry.RegisterServices, registry.RegisterTrade})
		if err != nil {
			return nil, err
		}
		tallies, err := s.src.Projects.Counts(ctx, year)
		if err != nil {
			return nil, err
		}
		for _, ind := range p.Indicators {
			inField := func(class string) bool { return true }
			if ind.Field != "" {
				code := ind.Field
				inField = func(class string) bool {
					f, ok := p.FieldOfIndustry(class)
					return ok && f.Code == code
				}
			}
			switch ind.Compute {
			case plan.ComputeFirms:
				n, byUnit := 0, map[string]int{}
				for _, c := range counts {
					in := c.Year != "" && c.Year >= strconv.Itoa(p.Meta.StartYear)
					switch ind.Kind {
					case plan.KindLevel:
						in = true
					case plan.KindYearlyNew:
						in = c.Year == strconv.Itoa(year)
					}
					if in && inField(c.Industry) {
						n += c.N
						byUnit[c.Unit] += c.N
					}
				}
				// A count of firms tells nothing of any one firm's figures.
				units := map[string]UnitFigure{}
				for unit, k := range byUnit {
					units[unit] = UnitFigure{Text: fmt.Sprint(k)}
				}
				out[ind.Code] = computedValue{value: big.NewRat(int64(n), 1), text: fmt.Sprint(n), period: month, units: units}
			case plan.ComputeProjectsSigned, plan.ComputeProjectsStarted, plan.ComputeProjectsCompleted:
				n := tallies[projectStages[ind.Compute]].Total
				out[ind.Code] = computedValue{value: big.NewRat(int64(n), 1), text: fmt.Sprint(n), period: month}
			case plan.ComputeRevenue:
				if revPeriod == 0 {
					continue
				}
				var fen money.Fen
				byUnit, firms := map[string]money.Fen{}, map[string]int{}
				for _, r := range rev {
					if inField(r.Industry) {
						fen += money.Fen(r.Sums[reports.Revenue].Cur)
						byUnit[r.Unit] += money.Fen(r.Sums[reports.Revenue].Cur)
						firms[r.Unit] += r.Firms
					}
				}
				out[ind.Code] = computedValue{value: fen.In(money.YiYuan), text: fen.Text(money.YiYuan, 2),
					period: monitor.Period{Year: revPeriod.Year(), Month: revPeriod.Month()},
					units:  s.unitSums(byUnit, firms)}
			}
		}
		return out, nil
	})
}

// unitSums are the units' parts of a sum of firms' figures, in 亿元, with
// the parts roles without firm access may not see marked: the units are
// one row of a table whose total (the district's) is shown.
func (s *Service) unitSums(sums map[string]money.Fen, firms map[string]int) map[string]UnitFigure {
	units := slices.Sorted(maps.Keys(sums))
	counts := make([]int, len(units))
	for i, u := range units {
		counts[i] = firms[u]
	}
	hide := monitor.Suppress([][]int{counts}, s.src.MinFirms)
	out := make(map[string]UnitFigure, len(units))
	for i, u := range units {
		out[u] = UnitFigure{Text: sums[u].Text(money.YiYuan, 2), Confidential: hide.Cells[0][i]}
	}
	return out
}

// UnitFigures are the units' parts of a computed indicator and the month
// they stand at.
type UnitFigures struct {
	Period monitor.Period
	Units  map[string]UnitFigure
}

// UnitFigures returns each unit's part of a computed indicator (firm
// counts, 营业收入) in year: what 督查督办 holds a unit's task against; nil
// for an indicator svcplan does not compute or a year without its data.
func (s *Service) UnitFigures(ctx context.Context, indicator string, year int) (*UnitFigures, error) {
	st, err := s.src.Plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	vals, err := s.computed(ctx, st.Plan, year)
	if err != nil {
		return nil, err
	}
	v, ok := vals[indicator]
	if !ok {
		return nil, nil
	}
	return &UnitFigures{Period: v.period, Units: v.units}, nil
}

// projectStages are the ledger's stages the project computations count.
var projectStages = map[plan.Computation]projects.Stage{plan.ComputeProjectsSigned: projects.StageSigned,
	plan.ComputeProjectsStarted: projects.StageStarted, plan.ComputeProjectsCompleted: projects.StageCompleted}

// latestRollups returns the rollups of the latest period of year.
func (s *Service) latestRollups(ctx context.Context, year int) ([]reports.Rollup, reports.Period, error) {
	ps, err := s.periods(ctx, s.src.ServedForm)
	if err != nil {
		return nil, 0, err
	}
	var latest reports.Period
	for _, p := range ps {
		if p.Year() == year && p > latest {
			latest = p
		}
	}
	if latest == 0 {
		return nil, 0, nil
	}
	rs, err := s.rollups(ctx, reports.Query{Form: s.src.ServedForm, Periods: []reports.Period{latest}})
	return rs, latest, err
}

// sortedLights lists the lights worst first, for summaries.
var sortedLights = []monitor.Light{monitor.Red, monitor.Yellow, monitor.Green, monitor.Gray}

// LightCounts lists the lights with their counts, worst first.
func (b *Board) LightCounts() []struct {
	Light monitor.Light
	N     int
} {
	var out []struct {
		Light monitor.Light
		N     int
	}
	for _, l := range sortedLights {
		out = append(out, struct {
			Light monitor.Light
			N     int
		}{l, b.Lights[l]})
	}
	return out
}

// Attention lists the red and yellow targets, red first.
func (b *Board) Attention() []Target {
	var out []Target
	for _, t := range b.Targets {
		if t.Progress.Light == monitor.Red || t.Progress.Light == monitor.Yellow {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Progress.Light == monitor.Red && out[j].Progress.Light != monitor.Red
	})
	return out
}

// IndicatorView is one indicator's monitoring: its progress this year and
// its series.
type IndicatorView struct {
	Target *Target
	Series []indicators.Value
	Year   int
}

// Indicator builds the monitoring of one indicator (district scope).
func (s *Service) Indicator(ctx context.Context, u *auth.User, code string) (*IndicatorView, error) {
	b, err := s.Board(ctx, u)
	if err != nil {
		return nil, err
	}
	st, err := s.src.Plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	v := &IndicatorView{Year: b.Year}
	for i := range b.Targets {
		if b.Targets[i].Indicator.Code == code {
			v.Target = &b.Targets[i]
		}
	}
	v.Series, err = s.src.Values.Series(ctx, u, code, st.Plan.DistrictCode())
	return v, err
}
