package reports

import (
	"math/big"
	"sort"
	"svcplan/internal/money"
)

// Query selects rollups or firm reports. Empty fields select all.
type Query struct {
	Form     string
	Periods  []Period
	Unit     string
	Division string // two-digit 大类: every class in it
	Industry string // one class
	// RevenueOnly reads the main measure alone (the other sums are
	// left zero): what the dashboard needs, at half the cost.
	RevenueOnly bool
	// ByPeriod sums the selected rollups in the database into one row a
	// period (Unit and Industry left empty): a trend without reading
	// every unit's and class's row.
	ByPeriod bool
}

// Sum is a measure summed over firms: this year's cumulative value and
// last year's same period (of the same firms).
type Sum struct{ Cur, Prev int64 }

// Rollup is the sums of one form, period, unit and industry class.
type Rollup struct {
	Form      string
	Period    Period
	Unit      string
	Industry  string
	Firms     int // firms that reported
	FirmsPrev int // of which reported 上年同期 of the main measure
	Sums      [measureCount]Sum
}

// Total is rollups added up under one key.
type Total struct {
	Key       string
	Firms     int
	FirmsPrev int
	Sums      [measureCount]Sum
}

// Add adds a rollup to the total.
func (t *Total) Add(r *Rollup) {
	t.Firms += r.Firms
	t.FirmsPrev += r.FirmsPrev
	for m := range t.Sums {
		t.Sums[m].Cur += r.Sums[m].Cur
		t.Sums[m].Prev += r.Sums[m].Prev
	}
}

// Growth is the same-firm year-on-year growth of a measure (同口径,
// conventions §2.2): Σ1-本月 / Σ上年同期 − 1 over the firms in scope now,
// as a fraction. ok is false when Σ上年同期 ≤ 0: there is no rate.
func (t *Total) Growth(m Measure) (*big.Rat, bool) {
	return money.Growth(t.Sums[m].Cur, t.Sums[m].Prev)
}

// GroupBy adds rollups up by a key, in key order.
func GroupBy(rs []Rollup, key func(*Rollup) string) []Total {
	idx := map[string]int{}
	var out []Total
	for i := range rs {
		k := key(&rs[i])
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, Total{Key: k})
		}
		out[j].Add(&rs[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
