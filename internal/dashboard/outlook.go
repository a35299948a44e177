package dashboard

import (
	"fmt"
	"math"

	"svcplan/internal/forecast"
	"svcplan/internal/indicators"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
)

// outlook estimates a flow indicator's year-end value from its values so
// far this year and the same point of earlier years, with the chance of
// reaching this year's target and the growth still needed; and, when the
// plan's target lies later, the forecast for that year. Only flows known
// within the year (quarterly or monthly year-to-date values) get one.
func outlook(ind plan.Indicator, vs []indicators.Value, per monitor.Period, target float64, hasTarget bool) (now, later *forecast.Outlook, fan *Fan) {
	if ind.Kind != plan.KindAnnual && ind.Kind != plan.KindYearlyNew || per.Quarter == 0 && per.Month == 0 {
		return nil, nil, nil
	}
	n, pos := 12, per.Month-1
	if per.Quarter != 0 {
		n, pos = 4, per.Quarter-1
	}
	byYear := map[int]*forecast.YearData{}
	year := func(y int) *forecast.YearData {
		if byYear[y] == nil {
			d := &forecast.YearData{Year: y, YTD: make([]float64, n), Total: math.NaN()}
			for i := range d.YTD {
				d.YTD[i] = math.NaN()
			}
			byYear[y] = d
		}
		return byYear[y]
	}
	for _, v := range vs {
		p, err := monitor.ParsePeriod(v.Period)
		if err != nil {
			continue
		}
		f, _ := v.Rat().Float64()
		switch {
		case p.Quarter == 0 && p.Month == 0:
			d := year(p.Year)
			d.Total, d.YTD[n-1] = f, f
		case n == 4 && p.Quarter != 0:
			d := year(p.Year)
			d.YTD[p.Quarter-1] = f
			if p.Quarter == 4 {
				d.Total = f // 1-4季度 is the year
			}
		case n == 12 && p.Month != 0:
			d := year(p.Year)
			d.YTD[p.Month-1] = f
			if p.Month == 12 {
				d.Total = f // 1-12月 is the year
			}
		}
	}
	cur, ok := byYear[per.Year]
	if !ok {
		return nil, nil, nil
	}
	var past []forecast.YearData
	var totals []float64
	var years []int
	for y := per.Year - 10; y < per.Year; y++ {
		if d, ok := byYear[y]; ok && !math.IsNaN(d.Total) {
			past = append(past, *d)
			totals = append(totals, d.Total)
			years = append(years, y)
		}
	}
	down := ind.Direction == plan.Down
	integer := ind.Unit == "家" || ind.Unit == "个"
	if !hasTarget {
		target = math.NaN() // an estimate without a chance or a growth needed
	}
	o := forecast.YearEnd(past, *cur, pos, target, down, integer)
	now = &o
	// A yearly target (每年新增) is judged each year; a later target of a
	// year total (680亿元 by 2027) gets its own forecast.
	if !math.IsNaN(now.Estimate) && ind.Kind == plan.KindAnnual {
		for _, t := range ind.Targets {
			if t.Year > per.Year {
				goal, _ := t.Value.Rat()
				g, _ := goal.Float64()
				o := forecast.Later(append(totals, now.Estimate), per.Year, t.Year, g, down)
				later = &o
				fan = fanOf(years, totals, per.Year, now.Estimate, &o, t.Year, g)
				break
			}
		}
	}
	return now, later, fan
}

// fanOf lays out the years, what is known of them and what is forecast.
func fanOf(years []int, totals []float64, year int, estimate float64, o *forecast.Outlook, targetYear int, target float64) *Fan {
	if o.Path == nil {
		return nil
	}
	f := &Fan{TargetYear: targetYear, Target: target}
	nan := math.NaN()
	add := func(y int, actual, point, lo80, hi80, lo95, hi95 float64) {
		f.Years = append(f.Years, y)
		f.Actual, f.Point = append(f.Actual, actual), append(f.Point, point)
		f.Lo80, f.Hi80, f.Lo95, f.Hi95 = append(f.Lo80, lo80), append(f.Hi80, hi80), append(f.Lo95, lo95), append(f.Hi95, hi95)
	}
	for i, y := range years {
		if i == len(years)-1 { // the forecast line starts from the last known year
			v := totals[i]
			add(y, v, v, v, v, v, v)
			continue
		}
		add(y, totals[i], nan, nan, nan, nan, nan)
	}
	// This year: the estimate starts the forecast line.
	add(year, nan, estimate, estimate, estimate, estimate, estimate)
	p := o.Path
	for h := range p.Point {
		add(year+1+h, nan, p.Point[h], p.Lo80[h], p.Hi80[h], p.Lo95[h], p.Hi95[h])
	}
	return f
}

// outlookText is how the dashboard prints an outlook.
func outlookText(o *forecast.Outlook, unit string) (estimate, probability, required string) {
	if o == nil || math.IsNaN(o.Estimate) {
		return "", "", ""
	}
	decimals := 2
	if unit == "家" || unit == "个" {
		decimals = 0
	}
	estimate = fmt.Sprintf("%.*f%s", decimals, o.Estimate, unit)
	switch p := o.Probability; {
	case math.IsNaN(p):
	case p < 0.005:
		probability = "<1%"
	case p > 0.995:
		probability = ">99%"
	default:
		probability = fmt.Sprintf("%.0f%%", p*100)
	}
	switch r := o.Required; {
	case math.IsNaN(r):
	case r <= 0:
		required = "有余量" // even no growth (or a fall) reaches it
	default:
		required = fmt.Sprintf("%.1f%%", r*100)
	}
	return estimate, probability, required
}
