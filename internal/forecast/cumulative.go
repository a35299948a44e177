package forecast

import "math"

// Statistics arrive as year-to-date values (1-本月累计), and a model needs
// the value of each period. FromYTD and ToYTD convert between the two for
// a series whose years have n periods, the first observation being period
// start (0-based) of its year. For F203 a year has 11 periods: 1-2月 is
// reported as one (January is not collected), then March … December; so
// n = 11 and period 0 is 1-2月.
//
// A missing value (NaN) stays missing, and so does the next period's
// value, which cannot be told from the cumulative without it.

// FromYTD turns year-to-date values into period values: a year's first
// period keeps its value, every later one is the difference from the
// previous cumulative value.
func FromYTD(ytd []float64, n, start int) []float64 {
	out := make([]float64, len(ytd))
	for i, v := range ytd {
		pos := (start + i) % max(n, 1)
		switch {
		case pos == 0:
			out[i] = v
		case i == 0:
			out[i] = math.NaN() // the year began before the data: its earlier periods are unknown
		default:
			out[i] = v - ytd[i-1]
		}
	}
	return out
}

// ToYTD turns period values into year-to-date values, restarting at each
// year's first period. A series starting inside a year is cumulated from
// its first value.
func ToYTD(periods []float64, n, start int) []float64 {
	out := make([]float64, len(periods))
	sum := 0.0
	for i, v := range periods {
		if (start+i)%max(n, 1) == 0 {
			sum = 0
		}
		sum += v
		out[i] = sum
	}
	return out
}
