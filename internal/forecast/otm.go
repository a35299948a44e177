package forecast

import "math"

// dotmFit is the dynamic optimised Theta model (DOTM) of Fiorucci,
// Pellegrini, Louzada, Petropoulos and Koehler (2016, IJF 32(4)): the
// Theta method as a state-space model whose theta-line weight is
// estimated with the level, and whose long-run line is the least-squares
// line on the data so far, updated at each step. With w = 1 − 1/θ
// (θ ≥ 1, so 0 ≤ w < 1), A_t and B_t the intercept and slope of the
// least-squares line on y_1..y_t (time 1..t) and ℓ_t the SES level,
//
//	μ_{t+1} = ℓ_t + w·(A_t·(1−α)^t + B_t·(1−(1−α)^{t+1})/α),
//	ℓ_{t+1} = α·y_{t+1} + (1−α)·ℓ_t,
//
// with μ_1 = y_1, A_1 = y_1, B_1 = 0. ℓ_0, α ∈ [0.1, 0.99] and w are
// chosen by least squares of y_t − μ_t over t ≥ 3 (the first two
// forecasts are degenerate). θ = 2 (w = ½) gives the dynamic standard
// Theta model; forecasts run the recursion on with μ in place of y.
type dotmFit struct {
	alpha, w, l0 float64
	sse          float64
}

// dotmState is the state after t observations.
type dotmState struct {
	t        int
	l        float64 // SES level
	a, b, ym float64 // least-squares intercept, slope and mean of y_1..y_t
}

// step is the one-step forecast μ_{t+1} from s (t ≥ 1).
func (f dotmFit) step(s dotmState) float64 {
	q := math.Pow(1-f.alpha, float64(s.t))
	return s.l + f.w*(s.a*q+s.b*(1-q*(1-f.alpha))/f.alpha)
}

// update moves s on by the observation y. The slope update is the
// recursive form of the least-squares slope on time 1..t+1.
func (f dotmFit) update(s dotmState, y float64) dotmState {
	ns := dotmState{t: s.t + 1, l: f.alpha*y + (1-f.alpha)*s.l}
	if s.t == 0 {
		ns.a, ns.ym = y, y
		return ns
	}
	i := float64(s.t)
	ns.b = ((i-1)*s.b + 6*(y-s.ym)/(i+1)) / (i + 2)
	ns.ym = (i*s.ym + y) / (i + 1)
	ns.a = ns.ym - ns.b*(i+2)/2
	return ns
}

// run filters x from ℓ_0 and returns the sum of squared one-step errors
// over t ≥ 3; states, when non-nil (length n+1), receives the state after
// each t = 0..n.
func (f dotmFit) run(x []float64, states []dotmState) float64 {
	s := dotmState{l: f.l0}
	var sse float64
	for t, y := range x {
		if states != nil {
			states[t] = s
		}
		if t >= 2 {
			e := y - f.step(s)
			sse += e * e
		}
		s = f.update(s, y)
	}
	if states != nil {
		states[len(x)] = s
	}
	return sse
}

// path is the j-step forecast (j ≥ 1) from state s (s.t ≥ 1): the
// recursion run on with its own forecasts as observations.
func (f dotmFit) path(s dotmState, j int) float64 {
	var p float64
	for range j {
		p = f.step(s)
		s = f.update(s, p)
	}
	return p
}

// fitDOTM estimates ℓ_0, α and w by least squares (bounded Nelder-Mead
// on the series divided by its mean absolute value). x must have at least
// 3 values.
func fitDOTM(x []float64) dotmFit {
	z, scale, lo, hi := scaled(x)
	rng := math.Max(hi-lo, 1e-6)
	// Start from the standard Theta model (θ = 2) with α = ½.
	x0 := []float64{z[0], 0.5, 0.5}
	lb := []float64{lo - rng, 0.1, 0}
	ub := []float64{hi + rng, 0.99, 0.99}
	obj := func(p []float64) float64 {
		return dotmFit{l0: p[0], alpha: p[1], w: p[2]}.run(z, nil)
	}
	best, _ := nelderMead(obj, x0, lb, ub, 600, 1e-10)
	best, _ = nelderMead(obj, best, lb, ub, 600, 1e-10)
	f := dotmFit{l0: best[0] * scale, alpha: best[1], w: best[2]}
	f.sse = f.run(x, nil)
	return f
}

// dotm forecasts with the dynamic optimised Theta model. Its model
// variance is that of SES with the fitted α and the residual variance
// over t ≥ 3 (3 parameters); calibrate widens it to the in-sample h-step
// errors.
func dotm(x []float64, h int, d Decomposition) Result {
	n := len(x)
	f := fitDOTM(x)
	states := make([]dotmState, n+1)
	f.run(x, states)
	s2 := f.sse / float64(max(n-2-3, 1))
	mean, variance := make([]float64, h), make([]float64, h)
	s := states[n]
	for j := range h {
		mean[j] = f.step(s)
		s = f.update(s, mean[j])
		variance[j] = s2 * (1 + float64(j)*f.alpha*f.alpha)
	}
	calibrate(x, mean, variance, func(t, j int) float64 { return f.path(states[t], j) })
	return withIntervals("dotm", mean, variance, n, d)
}
