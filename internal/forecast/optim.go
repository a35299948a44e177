package forecast

import (
	"math"
	"sort"
)

// nelderMead minimises f over the box [lo, hi] starting from x0, with the
// standard reflection/expansion/contraction/shrink coefficients (1, 2,
// ½, ½). Points are clamped into the box before evaluation, so f is never
// called outside it. It stops after maxIter iterations or when the spread
// of the simplex values falls below tol.
func nelderMead(f func([]float64) float64, x0, lo, hi []float64, maxIter int, tol float64) ([]float64, float64) {
	d := len(x0)
	clamp := func(x []float64) {
		for i := range x {
			if math.IsNaN(x[i]) {
				x[i] = (lo[i] + hi[i]) / 2
			}
			x[i] = math.Min(math.Max(x[i], lo[i]), hi[i])
		}
	}
	eval := func(x []float64) float64 {
		clamp(x)
		v := f(x)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	type pt struct {
		x []float64
		v float64
	}
	simplex := make([]pt, d+1)
	p0 := append([]float64(nil), x0...)
	simplex[0] = pt{p0, eval(p0)}
	for i := range d {
		p := append([]float64(nil), p0...)
		step := 0.1 * (hi[i] - lo[i])
		if p[i]+step > hi[i] {
			step = -step
		}
		p[i] += step
		simplex[i+1] = pt{p, eval(p)}
	}
	centroid := make([]float64, d)
	at := func(c float64, worst []float64) []float64 {
		p := make([]float64, d)
		for i := range p {
			p[i] = centroid[i] + c*(worst[i]-centroid[i])
		}
		return p
	}
	for range maxIter {
		sort.Slice(simplex, func(i, j int) bool { return simplex[i].v < simplex[j].v })
		best, worst := simplex[0], simplex[d]
		if math.Abs(worst.v-best.v) <= tol*(math.Abs(best.v)+tol) {
			break
		}
		for i := range centroid {
			centroid[i] = 0
			for _, p := range simplex[:d] {
				centroid[i] += p.x[i]
			}
			centroid[i] /= float64(d)
		}
		r := at(-1, worst.x)
		rv := eval(r)
		switch {
		case rv < best.v:
			e := at(-2, worst.x)
			if ev := eval(e); ev < rv {
				simplex[d] = pt{e, ev}
			} else {
				simplex[d] = pt{r, rv}
			}
		case rv < simplex[d-1].v:
			simplex[d] = pt{r, rv}
		default:
			var c []float64
			if rv < worst.v {
				c = at(-0.5, worst.x) // outside contraction
			} else {
				c = at(0.5, worst.x) // inside contraction
			}
			if cv := eval(c); cv < math.Min(rv, worst.v) {
				simplex[d] = pt{c, cv}
				continue
			}
			for k := 1; k <= d; k++ {
				for i := range simplex[k].x {
					simplex[k].x[i] = best.x[i] + 0.5*(simplex[k].x[i]-best.x[i])
				}
				simplex[k].v = eval(simplex[k].x)
			}
		}
	}
	sort.Slice(simplex, func(i, j int) bool { return simplex[i].v < simplex[j].v })
	return simplex[0].x, simplex[0].v
}

// scaled divides a series by its mean absolute value, so that a fit's
// simplex steps and bounds are comparable across series, and returns the
// copy, the scale and the copy's range.
func scaled(x []float64) (z []float64, scale, lo, hi float64) {
	for _, v := range x {
		scale += math.Abs(v)
	}
	scale /= float64(len(x))
	if scale == 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		scale = 1
	}
	z = make([]float64, len(x))
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, v := range x {
		z[i] = v / scale
		lo, hi = math.Min(lo, z[i]), math.Max(hi, z[i])
	}
	return z, scale, lo, hi
}
