package demo

import (
	"math"
	"math/rand/v2"
	"time"
)

// season is each month's share of a year's revenue, per mille: 1-2月
// together 13% (春节), December the strongest month.
var season = [12]float64{58, 72, 84, 80, 81, 88, 79, 78, 86, 80, 84, 130}

// Firm growth: each year a firm's revenue rate grows by N(6%, 10%),
// clipped to [−20%, +40%].
const (
	growthMean = 0.06
	growthSD   = 0.10
	growthMin  = -0.20
	growthMax  = 0.40
)

// sizeYear is the year whose revenue sizeFirms draws: the first year
// reported, so that later years grow from it by the firms' growth rates
// (carrying sizes back to earlier years divides by them, which would bias
// same-firm growth downwards).
const sizeYear = 2023

// simulate works out every firm's yearly revenue rates, its monthly
// figures and when it entered the statistics.
func (g *generator) simulate() {
	r := g.rng(streamSeries)
	lastYear, _ := yearMonth(g.last)
	costFrom := monthIndex(firstPeriod.Year()-1, 1) // 上年同期 of the first period needs last year's months
	for _, f := range g.firms {
		g.rates(r, f, lastYear)
		g.months(r, f)
		g.include(f, lastYear, r.Float64() < monthlyDoor)
		if f.register == registerServices {
			g.costs(r, f, costFrom)
		}
	}
}

// rates sets the firm's revenue rate of each year: its size in sizeYear,
// carried back and forth by the yearly growth rates.
func (g *generator) rates(r *rand.Rand, f *firm, lastYear int) {
	f.firstYear = f.founded.Year()
	lo, hi := min(f.firstYear, sizeYear), max(lastYear, sizeYear)
	growth := make([]float64, hi-lo+1) // growth[i]: from year lo+i−1 to lo+i
	for i := range growth {
		growth[i] = clip(growthMean+growthSD*r.NormFloat64(), growthMin, growthMax)
	}
	rate := make([]float64, hi-lo+1)
	anchor := sizeYear - lo
	rate[anchor] = f.size
	for i := anchor - 1; i >= 0; i-- {
		rate[i] = rate[i+1] / (1 + growth[i+1])
	}
	for i := anchor + 1; i < len(rate); i++ {
		rate[i] = rate[i-1] * (1 + growth[i])
	}
	f.annual = rate[f.firstYear-lo : lastYear-lo+1]
	for i := range f.annual {
		f.annual[i] *= maturity(f.founded, f.firstYear+i)
	}
}

// Young firms grow into their size: a firm runs at 75% of it in its first
// months and at its full size from its second year on.
const (
	startSize = 0.75
	growUp    = 2.0 // years
)

// maturity is the share of its size a firm founded on founded has reached
// in the middle of year y.
func maturity(founded time.Time, y int) float64 {
	age := time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC).Sub(founded).Hours() / 24 / 365.25
	return clip(startSize+(1-startSize)*age/growUp, startSize, 1)
}

// months spreads the yearly rates over the months from the founding month
// on, with the seasonal profile and ±5% noise; the founding month counts
// from the founding day.
func (g *generator) months(r *rand.Rand, f *firm) {
	f.start = monthOf(f.founded)
	f.revenue = make([]int64, g.last-f.start+1)
	for i := range f.revenue {
		y, mo := yearMonth(f.start + i)
		v := f.annual[y-f.firstYear] * season[mo-1] / 1000 * (1 + clip(0.05*r.NormFloat64(), -0.12, 0.12))
		if i == 0 {
			days := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			v *= float64(days-f.founded.Day()+1) / float64(days)
		}
		f.revenue[i] = int64(math.Round(v))
	}
}

// monthlyDoor is the share of new firms that apply to enter in the month
// they qualify; the others are found at the annual review.
const monthlyDoor = 0.3

// include decides the firm's register and the month it entered it, by the
// two doors of cn-stats-conventions §3.1: a new firm (founded since 1
// October of the year before) that applies (monthly) in the month its
// year-to-date revenue reaches the threshold; any firm in January after
// the annual review of a year whose revenue, annualised over its months
// of operation, reached it.
func (g *generator) include(f *firm, lastYear int, monthly bool) {
	f.register = registerNone
	if f.class.register == "" {
		return
	}
	threshold := f.class.threshold
	for y := f.firstYear; y <= lastYear; y++ {
		isNew := monthly && !f.founded.Before(time.Date(y-1, 10, 1, 0, 0, 0, 0, time.UTC))
		var ytd int64
		months := 0
		for mo := 1; mo <= 12; mo++ {
			m := monthIndex(y, mo)
			if m > g.last {
				return
			}
			if m < f.start {
				continue
			}
			ytd += f.revenue[m-f.start]
			months++
			if isNew && ytd >= threshold {
				f.register, f.included = f.class.register, m
				return
			}
		}
		if next := monthIndex(y+1, 1); ytd*12/int64(months) >= threshold && next <= g.last {
			f.register, f.included = f.class.register, next
			return
		}
	}
}

// costs derives the firm's 营业成本, 应付职工薪酬 and 税金及附加 from its
// revenue from month costFrom on: each a share of the month's revenue
// that varies a little around the firm's own.
func (g *generator) costs(r *rand.Rand, f *firm, costFrom int) {
	f.costRate = 0.72 + 0.11*r.Float64()
	f.payRate = 0.09 + 0.09*r.Float64()
	f.taxRate = 0.006 + 0.012*r.Float64()
	f.yuanPerPerson = g.profileOf(f.class).wanPerPerson * 10_000 * (0.7 + 0.7*r.Float64())
	f.costStart = max(costFrom, f.start)
	n := g.last - f.costStart + 1
	f.cost, f.payroll, f.taxes = make([]int64, n), make([]int64, n), make([]int64, n)
	for i := range n {
		rev := float64(f.revenue[f.costStart+i-f.start])
		f.cost[i] = int64(math.Round(rev * clip(f.costRate+0.015*r.NormFloat64(), 0.70, 0.85)))
		f.payroll[i] = int64(math.Round(rev * clip(f.payRate+0.01*r.NormFloat64(), 0.08, 0.20)))
		f.taxes[i] = int64(math.Round(rev * clip(f.taxRate+0.0008*r.NormFloat64(), 0.005, 0.02)))
	}
}

// staff is the firm's headcount at the end of month m: its revenue rate of
// the year over its revenue per person, give or take a few percent from
// month to month.
func (f *firm) staff(m int) int64 {
	y, _ := yearMonth(m)
	wobble := 1 + 0.03*math.Sin(float64(m)*1.7+f.yuanPerPerson)
	return max(3, int64(math.Round(f.annual[y-f.firstYear]/f.yuanPerPerson*wobble)))
}

func clip(x, lo, hi float64) float64 { return min(max(x, lo), hi) }
