package forecast

import "math"

// ACF returns the sample autocorrelations r(1..maxLag) of x, as R's acf:
// r(k) = Σ_{t<n-k} (x_t−x̄)(x_{t+k}−x̄) / Σ (x_t−x̄)².
// A constant series has all autocorrelations 0.
func ACF(x []float64, maxLag int) []float64 {
	n := len(x)
	r := make([]float64, maxLag)
	if n == 0 {
		return r
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	var den float64
	for _, v := range x {
		den += (v - mean) * (v - mean)
	}
	if den == 0 || math.IsNaN(den) || math.IsInf(den, 0) {
		return r
	}
	for k := 1; k <= maxLag && k < n; k++ {
		var s float64
		for t := 0; t+k < n; t++ {
			s += (x[t] - mean) * (x[t+k] - mean)
		}
		r[k-1] = s / den
	}
	return r
}

// IsSeasonal is the 90% autocorrelation test of the M4 benchmarks: with
// period m and n observations the series is seasonal when
//
//	|r(m)| > 1.645·sqrt((1 + 2·Σ_{k<m} r(k)²) / n).
//
// Series with m ≤ 1 or fewer than 3m observations are not tested (false).
func IsSeasonal(x []float64, m int) bool {
	n := len(x)
	if m <= 1 || n < 3*m {
		return false
	}
	r := ACF(x, m)
	s := 1.0
	for k := 1; k < m; k++ {
		s += 2 * r[k-1] * r[k-1]
	}
	return math.Abs(r[m-1]) > 1.645*math.Sqrt(s/float64(n))
}

// SeasonalIndices is the seasonal figure of the classical multiplicative
// decomposition (R's decompose(type="multiplicative")): the ratios of x to
// its centred moving average of order m (2×m for even m), averaged by
// position in the cycle and normalised to mean 1. Position i is that of
// observation i (0-based) modulo m. It returns nil when it cannot be
// computed (m ≤ 1, fewer than 2m observations, non-positive values).
func SeasonalIndices(x []float64, m int) []float64 {
	n := len(x)
	if m <= 1 || n < 2*m {
		return nil
	}
	for _, v := range x {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil
		}
	}
	// Centred moving-average weights.
	var w []float64
	if m%2 == 0 {
		w = make([]float64, m+1)
		for i := range w {
			w[i] = 1 / float64(m)
		}
		w[0], w[m] = 0.5/float64(m), 0.5/float64(m)
	} else {
		w = make([]float64, m)
		for i := range w {
			w[i] = 1 / float64(m)
		}
	}
	half := len(w) / 2
	sum := make([]float64, m)
	cnt := make([]int, m)
	for t := half; t+half < n; t++ {
		var tr float64
		for j, wj := range w {
			tr += wj * x[t-half+j]
		}
		if tr <= 0 {
			return nil
		}
		sum[t%m] += x[t] / tr
		cnt[t%m]++
	}
	fig := make([]float64, m)
	var mean float64
	for i := range fig {
		if cnt[i] == 0 {
			return nil
		}
		fig[i] = sum[i] / float64(cnt[i])
		mean += fig[i]
	}
	mean /= float64(m)
	for i := range fig {
		fig[i] /= mean
	}
	return fig
}

// Decomposition is the multiplicative seasonal adjustment of a series.
type Decomposition struct {
	Period  int
	Indices []float64 // by position 0..Period-1; nil when not seasonal
	Start   int       // cycle position of the first observation
}

// Factor is the seasonal index of observation t (0-based; t ≥ n is the
// future), 1 when there is no seasonality.
func (d Decomposition) Factor(t int) float64 {
	if d.Indices == nil {
		return 1
	}
	p := (t + d.Start) % d.Period
	if p < 0 {
		p += d.Period
	}
	return d.Indices[p]
}

// Adjust returns x divided by its seasonal indices.
func (d Decomposition) Adjust(x []float64) []float64 {
	out := make([]float64, len(x))
	for t, v := range x {
		out[t] = v / d.Factor(t)
	}
	return out
}
