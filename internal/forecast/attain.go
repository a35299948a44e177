package forecast

import "math"

// Target attainment: "can we still make it?" For a flow indicator (a year
// total such as 服务业增加值, or the firms newly included in a year), known
// year to date, the year-end value is estimated the way statistics offices
// do (按上年同期进度推算): this year's year-to-date value divided by the
// share of the year the same months made last year. How wrong that
// estimate has been in earlier years, from the same point of the year,
// gives its uncertainty; the probability of reaching the target follows
// from it. Later years' values are forecast from the yearly totals.

// YearData is one year of a flow: its year-to-date values by period of the
// year (index 0 = first period; NaN when not known) and its total (NaN
// while the year runs).
type YearData struct {
	Year  int
	YTD   []float64
	Total float64
}

// Outlook is the estimate for a target year.
type Outlook struct {
	Year     int
	Estimate float64 // the year-end value expected
	Lo80     float64
	Hi80     float64
	// Probability of the year-end value reaching the target (meeting it
	// from below when more is better, staying under it when less is).
	Probability float64
	// Required is the growth the rest of the way needs: for this year,
	// over the same remaining periods of last year; for a later year, a
	// year on average. NaN when it cannot be said.
	Required float64
	Method   string // 按上年同期进度推算, or the forecasting method
	Note     string
	// Path is the yearly forecast up to the target year (Later only),
	// for a fan chart.
	Path *Result
}

// minRelativeError floors the estimate's error when the past gives too
// few or too lucky years: a year-end estimate of a district's total is
// rarely better than ±2%.
const minRelativeError = 0.02

// YearEnd estimates the current year's total from its year-to-date value
// at period p (0-based) and the earlier years (oldest first), and the
// probability of reaching target (more is better unless down). Integer
// totals (counts) are estimated as whole numbers.
func YearEnd(years []YearData, cur YearData, p int, target float64, down, integer bool) Outlook {
	o := Outlook{Year: cur.Year, Method: "按上年同期进度推算", Required: math.NaN(), Probability: math.NaN()}
	if p < 0 || p >= len(cur.YTD) || math.IsNaN(cur.YTD[p]) {
		o.Estimate, o.Lo80, o.Hi80 = math.NaN(), math.NaN(), math.NaN()
		o.Note = "本年尚无累计数据"
		return o
	}
	now := cur.YTD[p]
	// Shares of the year reached at period p, and how wrong the estimate
	// from the year before's share was in each earlier year.
	var errs []float64
	share := math.NaN()
	for i, y := range years {
		s := shareAt(y, p)
		if math.IsNaN(s) {
			continue
		}
		if i > 0 && !math.IsNaN(share) && y.Total > 0 {
			est := y.YTD[p] / share
			errs = append(errs, (y.Total-est)/est)
		}
		share = s
	}
	if math.IsNaN(share) || share <= 0 {
		// No earlier year to go by: what remains is unknown; assume the
		// pace so far continues evenly.
		share = float64(p+1) / float64(len(cur.YTD))
		o.Method, o.Note = "按序时进度推算", "缺少上年同期数据,按已过时间平均推算全年"
	}
	o.Estimate = now / share
	sd := minRelativeError
	if len(errs) >= 2 {
		sd = math.Max(sd, stddev(errs))
	} else if len(errs) == 1 {
		sd = math.Max(sd, math.Abs(errs[0]))
	}
	spread := math.Abs(o.Estimate) * sd
	o.Lo80, o.Hi80 = o.Estimate-z80*spread, o.Estimate+z80*spread
	o.Lo80 = math.Max(o.Lo80, now) // a year-to-date value cannot fall back (flows)
	if integer {
		o.Estimate, o.Lo80, o.Hi80 = math.Round(o.Estimate), math.Floor(o.Lo80), math.Ceil(o.Hi80)
		target = math.Ceil(target)
	}
	o.Probability = reach(o.Estimate, spread, target, down, now)
	if len(years) > 0 {
		last := years[len(years)-1]
		if lastRest := last.Total - ytdAt(last, p); !math.IsNaN(lastRest) && lastRest > 0 {
			o.Required = (target-now)/lastRest - 1
		}
	}
	return o
}

// Later forecasts a later year's total from the yearly totals (oldest
// first, the current year's estimate last) with the forecaster, and gives
// the probability of reaching target and the yearly growth it needs.
func Later(totals []float64, year, targetYear int, target float64, down bool) Outlook {
	h := targetYear - year
	o := Outlook{Year: targetYear, Required: math.NaN(), Probability: math.NaN()}
	if h < 1 || len(totals) == 0 {
		o.Estimate, o.Lo80, o.Hi80 = math.NaN(), math.NaN(), math.NaN()
		return o
	}
	r, err := Predict(totals, Options{Method: "comb", Period: 1, Horizon: h})
	if err != nil {
		o.Estimate, o.Lo80, o.Hi80, o.Note = math.NaN(), math.NaN(), math.NaN(), err.Error()
		return o
	}
	o.Method, o.Note, o.Path = r.Method, r.Note, &r
	o.Estimate, o.Lo80, o.Hi80 = r.Point[h-1], r.Lo80[h-1], r.Hi80[h-1]
	spread := (o.Hi80 - o.Lo80) / (2 * z80)
	o.Probability = reach(o.Estimate, spread, target, down, math.Inf(-1))
	if last := totals[len(totals)-1]; last > 0 && target > 0 {
		o.Required = math.Pow(target/last, 1/float64(h)) - 1
	}
	return o
}

// reach is the probability that a value estimated at est with standard
// error sd (normal) meets the target, given it cannot fall below floor.
func reach(est, sd, target float64, down bool, floor float64) float64 {
	if !down && floor >= target {
		return 1
	}
	if sd <= 0 || math.IsNaN(sd) {
		if down == (est <= target) || !down && est >= target {
			return 1
		}
		return 0
	}
	p := 0.5 * math.Erfc(-(est-target)/(sd*math.Sqrt2)) // P(value ≥ target)
	if down {
		p = 1 - p
	}
	return math.Min(1, math.Max(0, p))
}

// shareAt is the share of its total a year had reached by period p.
func shareAt(y YearData, p int) float64 {
	v := ytdAt(y, p)
	if math.IsNaN(v) || math.IsNaN(y.Total) || y.Total <= 0 {
		return math.NaN()
	}
	return v / y.Total
}

func ytdAt(y YearData, p int) float64 {
	if p < 0 || p >= len(y.YTD) {
		return math.NaN()
	}
	return y.YTD[p]
}

func stddev(xs []float64) float64 {
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}
