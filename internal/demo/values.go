package demo

import (
	"math"
	"math/big"
	"strconv"
	"time"

	"svcplan/internal/indicators"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
)

// series describes the made-up values of one indicator. Values are
// year-to-date, like the bureau's: a flow's 2025Q3 is 1-3季度 cumulative.
type series struct {
	shape shape
	// years holds the value of each year: a flow's annual total, a
	// level's value at the year's end. Later years take the last one
	// given, grown by growth.
	years  map[int]float64
	growth float64
	// cum is a flow's cumulative share of its year at the end of each
	// quarter (the last is 1); months in between are interpolated.
	cum [4]float64
	// offsets are what a level differs from its year-end value by at the
	// end of quarters 1–3.
	offsets [3]float64
	// events are the months (YYYY-MM) something a period target counts
	// happened, e.g. a park recognised.
	events   []string
	decimals int
	// monthly gives the current year month by month (1-9月 …) rather than
	// by quarter.
	monthly bool
	release release
}

type shape int

const (
	flow       shape = iota // annual totals and yearly counts, cumulated within the year
	level                   // rates, shares, their changes, stocks: a level at each period
	sinceStart              // counts since the plan began (period_new)
)

// release says when and how a figure is published.
type release struct {
	day     int    // day of the month after the period's end
	yearDay string // MM-DD of the following year for the whole year; "" for day of January
	vintage string // e.g. 初步核算; "" when the source has none
	revised string // MM-DD of the following year of the 核实 figure, if any
}

var (
	accounts = release{day: 20, yearDay: "01-25", vintage: "初步核算", revised: "09-15"} // the statistics bureau's
	counts   = release{day: 12}
)

// designed are the series of the shipped plan's indicators. The current
// year (2026 at the time of writing) is made to show every light: some
// figures behind 序时进度, some ahead.
var designed = map[string]series{
	// 服务业增加值, 亿元 at current prices: ≈560 in 2024, about 6% a year, and
	// in 2026 a little slower than the road to 680 needs.
	"SVC_VALUE_ADDED": {shape: flow, decimals: 2, release: accounts, growth: 0.06,
		years: map[int]float64{2023: 527.36, 2024: 560.12, 2025: 595.83, 2026: 627.41},
		cum:   [4]float64{0.228, 0.479, 0.737, 1}},
	// Growth at constant prices, %: lower early in the year.
	"SVC_VALUE_ADDED_GROWTH": {shape: level, decimals: 1, release: accounts,
		years:   map[int]float64{2023: 5.8, 2024: 6.1, 2025: 5.6, 2026: 5.4, 2027: 5.9},
		offsets: [3]float64{-0.4, -0.2, -0.1}},
	// Producer services' share of value added, % (52 in 2024 by the plan).
	"PRODUCER_SVC_VA_SHARE": {shape: level, decimals: 1, release: accounts,
		years:   map[int]float64{2023: 51.3, 2024: 52.0, 2025: 52.8, 2026: 53.6, 2027: 55.1},
		offsets: [3]float64{-0.8, -0.4, -0.2}},
	// Its change on the same period of the year before, 百分点: the same
	// figures differenced (the quarters' offsets cancel out).
	"PRODUCER_SVC_VA_SHARE_GAIN": {shape: level, decimals: 1, release: accounts,
		years: map[int]float64{2023: 0.7, 2024: 0.7, 2025: 0.8, 2026: 0.8, 2027: 1.5}},
	"DIGITAL_CORE_GROWTH_GAP": {shape: level, decimals: 1, release: release{day: 25},
		years:   map[int]float64{2023: 1.6, 2024: 2.3, 2025: 1.8, 2026: 2.5, 2027: 2.2},
		offsets: [3]float64{0.6, 0.3, 0.1}},
	"NEW_ENTERPRISE_RD_INSTITUTES": {shape: flow, release: counts, monthly: true,
		years: map[int]float64{2023: 18, 2024: 22, 2025: 23, 2026: 24, 2027: 22},
		cum:   [4]float64{0.22, 0.48, 0.74, 1}},
	"NEW_INCUBATION_PROJECTS": {shape: flow, release: counts, monthly: true,
		years: map[int]float64{2023: 35, 2024: 42, 2025: 44, 2026: 38, 2027: 41},
		cum:   [4]float64{0.16, 0.42, 0.70, 1}},
	// Period targets, counted since the plan began.
	"NEW_PROV_SVC_CLUSTERS":        {shape: sinceStart, release: counts, events: []string{"2025-08", "2026-05", "2027-06"}},
	"NEW_PROV_TWO_INDUSTRY_PILOTS": {shape: sinceStart, release: counts, events: []string{"2027-06"}},
	"NEW_HR_SERVICE_PARKS":         {shape: sinceStart, release: counts, events: []string{"2025-09"}},
	"HOUSEKEEPING_LEADERS":         {shape: sinceStart, release: counts, events: []string{"2025-05", "2025-11", "2026-05", "2027-04", "2027-09"}},
	"TIME_HONORED_BRANDS":          {shape: sinceStart, release: counts, events: []string{"2026-07", "2027-05"}},
}

// firstValueYear is the first year values are made for.
const firstValueYear = 2023

// values makes the published values of the plan's indicators that the
// platform neither computes nor sets per unit, for the district, from
// 2023 (period targets: from the plan's first year) to the last month
// with data, as far as released before Through.
func (g *generator) values() []indicators.Input {
	lastYear, lastMonth := yearMonth(g.last)
	var out []indicators.Input
	for i := range g.plan.Indicators {
		ind := &g.plan.Indicators[i]
		if ind.Compute != "" || ind.PerUnitKind != "" {
			continue
		}
		s, ok := designed[ind.Code]
		if !ok {
			s = fallback(ind, g.plan.Meta.StartYear)
		}
		from := max(firstValueYear, g.plan.Meta.StartYear-3)
		if s.shape == sinceStart {
			from = g.plan.Meta.StartYear
		}
		for y := from; y <= min(lastYear, g.plan.Meta.EndYear); y++ {
			months := 12
			if y == lastYear {
				months = lastMonth
			}
			for _, per := range periodsOf(y, months, s.monthly && y == lastYear) {
				v := s.value(per)
				on, vintage := s.release.of(per, g.through)
				if !on.Before(g.through) {
					continue
				}
				out = append(out, indicators.Input{Indicator: ind.Code, Period: per.String(), Value: v,
					PriceBasis: ind.PriceBasis, ReleasedOn: on.Format(time.DateOnly), Vintage: vintage,
					Source: indicators.Imported, SourceRef: SourceRef, Publish: true})
			}
		}
	}
	return out
}

// periodsOf lists the periods of a year with data for its first months
// months: quarters 1–3 and the year when complete, else the quarters it
// covers, or every month when monthly.
func periodsOf(year, months int, monthly bool) []monitor.Period {
	var out []monitor.Period
	if monthly && months < 12 {
		for m := 1; m <= months; m++ {
			out = append(out, monitor.Period{Year: year, Month: m})
		}
		return out
	}
	for q := 1; q <= 3 && 3*q <= months; q++ {
		out = append(out, monitor.Period{Year: year, Quarter: q})
	}
	if months == 12 {
		out = append(out, monitor.Period{Year: year})
	}
	return out
}

// value is the series' value for a period, as decimal text.
func (s series) value(per monitor.Period) string {
	months := per.MonthsCovered()
	switch s.shape {
	case flow:
		return decimal(s.yearValue(per.Year)*s.share(months), s.decimals)
	case level:
		v := s.yearValue(per.Year)
		if months < 12 {
			q := (months - 1) / 3 // a month counts with its quarter
			v += s.offsets[q]
		}
		return decimal(v, s.decimals)
	default: // sinceStart
		end := monthIndex(per.Year, months)
		n := 0
		for _, e := range s.events {
			t, err := time.Parse("2006-01", e)
			if err == nil && monthOf(t) <= end {
				n++
			}
		}
		return strconv.Itoa(n)
	}
}

// yearValue is the value of a year: as given, or grown from the last
// year given.
func (s series) yearValue(y int) float64 {
	if v, ok := s.years[y]; ok {
		return v
	}
	last := 0
	for yy := range s.years {
		if yy < y && yy > last {
			last = yy
		}
	}
	if last == 0 {
		return 0
	}
	return s.years[last] * math.Pow(1+s.growth, float64(y-last))
}

// share is the cumulative share of the year a flow has reached after
// months months.
func (s series) share(months int) float64 {
	q := (months - 1) / 3
	prev := 0.0
	if q > 0 {
		prev = s.cum[q-1]
	}
	return prev + (s.cum[q]-prev)*float64(months-3*q)/3
}

// of is the date a period's figure is released, and its vintage: the
// whole year on yearDay of the next year (or, when that has passed
// before through, the revised figure), a part of it on day of the month
// after.
func (r release) of(per monitor.Period, through time.Time) (time.Time, string) {
	if per.Quarter == 0 && per.Month == 0 {
		if r.revised != "" {
			on, _ := time.Parse(time.DateOnly, strconv.Itoa(per.Year+1)+"-"+r.revised)
			if on.Before(through) {
				return on, "核实"
			}
		}
		if r.yearDay != "" {
			on, _ := time.Parse(time.DateOnly, strconv.Itoa(per.Year+1)+"-"+r.yearDay)
			return on, r.vintage
		}
	}
	y, m := yearMonth(monthIndex(per.Year, per.MonthsCovered()) + 1)
	return time.Date(y, time.Month(m), r.day, 0, 0, 0, 0, time.UTC), r.vintage
}

// fallback makes a series for an indicator of another plan from its
// targets: flows at 95% of their target, stocks at 90%, rates a little
// below it, period targets 90% reached in even steps.
func fallback(ind *plan.Indicator, startYear int) series {
	target := func(y int) float64 {
		best, bestYear := 0.0, 0
		for _, t := range ind.Targets {
			if v, ok := t.Value.Rat(); ok && (bestYear == 0 || abs(t.Year-y) < abs(bestYear-y)) {
				best, bestYear = ratFloat(v), t.Year
			}
		}
		return best
	}
	decimals := 0
	if ind.Unit == "亿元" || ind.Unit == "万元" {
		decimals = 2
	}
	s := series{years: map[int]float64{}, decimals: decimals, release: counts, cum: [4]float64{0.2, 0.45, 0.72, 1}}
	switch ind.Kind {
	case plan.KindShare, plan.KindChange, plan.KindAvgGrowth, plan.KindGrowthGap:
		s.shape, s.decimals = level, 1
		for y := firstValueYear; y <= firstValueYear+10; y++ {
			s.years[y] = target(y) - 0.2
		}
	case plan.KindLevel: // a stock: the same level all year
		s.shape = level
		for y := firstValueYear; y <= firstValueYear+10; y++ {
			s.years[y] = target(y) * 0.9
		}
	case plan.KindPeriodNew:
		s.shape = sinceStart
		n := int(math.Round(target(startYear) * 0.9))
		for i := range n {
			s.events = append(s.events, monthText(monthIndex(startYear, 3)+i*30/max(n, 1)))
		}
	default:
		for y := firstValueYear; y <= firstValueYear+10; y++ {
			s.years[y] = target(y) * 0.95
		}
	}
	return s
}

// decimal writes x rounded half away from zero to d decimals, exactly.
func decimal(x float64, d int) string {
	scale := math.Pow10(d)
	n := int64(math.Round(x * scale))
	return new(big.Rat).SetFrac64(n, int64(scale)).FloatString(d)
}

func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

func abs(x int) int { return max(x, -x) }
