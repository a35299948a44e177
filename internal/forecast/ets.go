package forecast

import (
	"math"
)

// etsKind names the non-seasonal exponential-smoothing models with
// additive errors (Hyndman et al. 2008): ANN (simple exponential
// smoothing), AAN (Holt's linear trend) and AAdN (damped trend).
type etsKind int

const (
	etsANN etsKind = iota
	etsAAN
	etsAAdN
)

func (k etsKind) String() string {
	return [...]string{"ses", "holt", "damped"}[k]
}

// etsFit is a fitted model. The state equations are
//
//	ŷ_t = ℓ_{t-1} + φ·b_{t-1},  e_t = y_t − ŷ_t,
//	ℓ_t = ℓ_{t-1} + φ·b_{t-1} + α·e_t,  b_t = φ·b_{t-1} + β·e_t
//
// with φ = 1 for Holt and b ≡ 0 for SES.
type etsFit struct {
	kind          etsKind
	alpha, beta   float64
	phi           float64
	l0, b0        float64 // initial states
	level, trend  float64 // final states
	sse           float64
	n, k          int // observations and estimated parameters (incl. σ²)
	aicc          float64
	sigma2        float64
	fitted, resid []float64
	ls, bs        []float64 // states after t observations, t = 0..n
	scale         float64
}

// etsSSE runs the recursions and returns the sum of squared one-step
// errors; fitted/resid receive the one-step forecasts and errors when
// non-nil.
func etsSSE(x []float64, kind etsKind, alpha, beta, phi, l0, b0 float64, fitted, resid []float64) (sse, level, trend float64) {
	l, b := l0, b0
	if kind == etsANN {
		b, phi, beta = 0, 0, 0
	}
	for t, y := range x {
		yhat := l + phi*b
		e := y - yhat
		sse += e * e
		if fitted != nil {
			fitted[t], resid[t] = yhat, e
		}
		l = yhat + alpha*e
		b = phi*b + beta*e
	}
	return sse, l, b
}

// fitETS estimates α, β, φ and the initial states by minimising the
// one-step SSE (the Gaussian likelihood with additive errors) with a
// bounded Nelder-Mead. x must have at least 3 finite values.
func fitETS(x []float64, kind etsKind) etsFit {
	n := len(x)
	// Work on a scale-free copy so that the simplex steps and bounds are
	// comparable across series.
	z, scale, lo, hi := scaled(x)
	rng := math.Max(hi-lo, 1e-6)
	// Heuristic starting states: level the mean of the first few values,
	// trend the mean first difference over them.
	k0 := min(n, 5)
	var l0 float64
	for _, v := range z[:k0] {
		l0 += v
	}
	l0 /= float64(k0)
	b0 := 0.0
	if n >= 2 {
		b0 = (z[k0-1] - z[0]) / float64(max(k0-1, 1))
	}
	var x0, lb, ub []float64
	var unpack func(p []float64) (a, b, phi, l, bb float64)
	switch kind {
	case etsANN:
		x0 = []float64{0.3, z[0]}
		lb = []float64{1e-4, lo - rng}
		ub = []float64{0.9999, hi + rng}
		unpack = func(p []float64) (float64, float64, float64, float64, float64) { return p[0], 0, 0, p[1], 0 }
	case etsAAN:
		// β = α·β*, β* ∈ (0,1], which keeps 0 < β ≤ α.
		x0 = []float64{0.3, 0.1, l0 - 2*b0, b0}
		lb = []float64{1e-4, 1e-4, lo - rng, -rng}
		ub = []float64{0.9999, 1, hi + rng, rng}
		unpack = func(p []float64) (float64, float64, float64, float64, float64) {
			return p[0], p[0] * p[1], 1, p[2], p[3]
		}
	case etsAAdN:
		x0 = []float64{0.3, 0.1, 0.95, l0 - 2*b0, b0}
		lb = []float64{1e-4, 1e-4, 0.8, lo - rng, -rng}
		ub = []float64{0.9999, 1, 0.98, hi + rng, rng}
		unpack = func(p []float64) (float64, float64, float64, float64, float64) {
			return p[0], p[0] * p[1], p[2], p[3], p[4]
		}
	}
	for i := range x0 {
		x0[i] = math.Min(math.Max(x0[i], lb[i]), ub[i])
	}
	obj := func(p []float64) float64 {
		a, b, phi, l, bb := unpack(p)
		s, _, _ := etsSSE(z, kind, a, b, phi, l, bb, nil, nil)
		return s
	}
	best, _ := nelderMead(obj, x0, lb, ub, 200*len(x0), 1e-10)
	// A restart from the optimum escapes most premature stops.
	best, _ = nelderMead(obj, best, lb, ub, 200*len(x0), 1e-10)
	a, b, phi, l, bb := unpack(best)
	f := etsFit{kind: kind, alpha: a, beta: b, phi: phi, l0: l * scale, b0: bb * scale, scale: scale, n: n}
	f.fitted = make([]float64, n)
	f.resid = make([]float64, n)
	f.sse, f.level, f.trend = etsSSE(x, kind, a, b, phi, f.l0, f.b0, f.fitted, f.resid)
	f.ls, f.bs = make([]float64, n+1), make([]float64, n+1)
	f.ls[0], f.bs[0] = f.l0, f.b0
	if kind == etsANN {
		f.bs[0] = 0
	}
	for t := range n {
		f.ls[t+1] = f.fitted[t] + a*f.resid[t]
		f.bs[t+1] = phi*f.bs[t] + b*f.resid[t]
		if kind == etsANN {
			f.bs[t+1] = 0
		}
	}
	f.k = len(x0) + 1
	f.sigma2 = f.sse / float64(max(n-f.k+1, 1))
	f.aicc = aicc(f.sse, n, f.k)
	return f
}

// aicc is the corrected Akaike criterion of a Gaussian model with k
// parameters (σ² included) and SSE sse over n observations.
func aicc(sse float64, n, k int) float64 {
	if sse <= 0 {
		sse = 1e-300
	}
	ll := float64(n) * math.Log(sse/float64(n))
	a := ll + 2*float64(k)
	if n-k-1 > 0 {
		a += 2 * float64(k*(k+1)) / float64(n-k-1)
	} else {
		a = math.Inf(1)
	}
	return a
}

// forecast returns the h-step point forecasts and the forecast variances
// v_h = σ²(1 + Σ_{j=1}^{h-1} c_j²), c_j = α + β(φ + … + φ^j).
func (f etsFit) forecast(h int) (mean, variance []float64) {
	mean = make([]float64, h)
	variance = make([]float64, h)
	phi := f.phi
	if f.kind == etsANN {
		phi = 0
	}
	damp := 0.0 // φ + φ² + … + φ^j
	pj := 1.0
	cum := 1.0 // 1 + Σ c_j²
	for j := 1; j <= h; j++ {
		pj *= phi
		damp += pj
		b := f.trend * damp
		if f.kind == etsANN {
			b = 0
		}
		mean[j-1] = f.level + b
		variance[j-1] = f.sigma2 * cum
		c := f.alpha + f.beta*damp
		cum += c * c
	}
	return mean, variance
}

// pathForecast is the j-step forecast (j ≥ 1) made after t observations
// with the fitted parameters.
func (f etsFit) pathForecast(t, j int) float64 {
	if f.kind == etsANN {
		return f.ls[t]
	}
	damp, p := 0.0, 1.0
	for range j {
		p *= f.phi
		damp += p
	}
	return f.ls[t] + f.bs[t]*damp
}
