// Package forecast forecasts short yearly, quarterly and monthly series:
// naive, seasonal naive and Naive2 benchmarks, exponential smoothing (SES,
// Holt, damped trend; chosen by AICc), the Theta method and a combination
// (Theta, damped trend and the dynamic optimised Theta model), with
// multiplicative seasonal adjustment where a series tests seasonal, 80%/95%
// prediction intervals, and no negative forecast for a positive series.
//
// Every entry point is total: bad input (too short, constant, all zero,
// non-positive values, gaps) leads to a simpler method and a Note saying
// which and why, never to NaN or a panic. Only a request that cannot be
// answered at all (no finite value, horizon < 1) is an error.
package forecast

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Methods lists the method names accepted by Predict.
var Methods = []string{"naive", "snaive", "naive2", "ses", "holt", "damped", "ets", "theta", "comb"}

// Options configures Predict.
type Options struct {
	Method  string // one of Methods; "" means "comb"
	Period  int    // observations per year: 1, 4 or 12 (0 is taken as 1)
	Horizon int    // number of periods to forecast, ≥ 1
	Start   int    // cycle position (0-based) of the first observation, e.g. month-1
}

// Result is a forecast with its prediction intervals.
type Result struct {
	Method     string    // the method actually used (may be a fallback)
	Point      []float64 // h point forecasts
	Lo80, Hi80 []float64
	Lo95, Hi95 []float64
	Seasonal   bool   // whether the series was seasonally adjusted
	Note       string // why a fallback or repair happened (Chinese, for users); "" if none
}

// Errors for requests that cannot be answered.
var (
	ErrHorizon = errors.New("预测期数必须至少为1")
	ErrNoData  = errors.New("序列没有有效数值,无法预测")
)

const (
	z80 = 1.2815515655446004
	z95 = 1.959963984540054
)

// Predict forecasts y (NaN marks a missing period) Options.Horizon periods
// ahead.
func Predict(y []float64, o Options) (Result, error) {
	h := o.Horizon
	if h < 1 || h > 10000 {
		return Result{}, ErrHorizon
	}
	m := max(o.Period, 1)
	method := strings.ToLower(strings.TrimSpace(o.Method))
	if method == "" {
		method = "comb"
	}
	known := false
	for _, k := range Methods {
		known = known || k == method
	}
	if !known {
		return Result{}, fmt.Errorf("未知的预测方法 %q(可选:%s)", o.Method, strings.Join(Methods, ", "))
	}
	x, start, extra, notes, err := clean(y, m, o.Start)
	if err != nil {
		return Result{}, err
	}
	// Trailing gaps: forecast from the last observation and drop the
	// periods that are already past.
	r := predictClean(x, m, start, h+extra, method, &notes)
	if extra > 0 {
		r.Point = r.Point[extra:]
		r.Lo80, r.Hi80 = r.Lo80[extra:], r.Hi80[extra:]
		r.Lo95, r.Hi95 = r.Lo95[extra:], r.Hi95[extra:]
	}
	sanitize(&r, x, &notes)
	floorAtZero(&r, x)
	r.Note = strings.Join(notes, ";")
	return r, nil
}

// clean drops leading and trailing missing values (NaN, ±Inf) and
// interpolates interior gaps linearly. It returns the cleaned series, the
// cycle position of its first value, and the number of trailing periods
// dropped.
func clean(y []float64, m, start int) (x []float64, st, trailing int, notes []string, err error) {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	first, last := -1, -1
	for i, v := range y {
		if ok(v) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil, 0, 0, nil, ErrNoData
	}
	x = append([]float64(nil), y[first:last+1]...)
	var gaps int
	for i := 0; i < len(x); i++ {
		if ok(x[i]) {
			continue
		}
		j := i
		for !ok(x[j]) {
			j++
		}
		a, b := x[i-1], x[j]
		for k := i; k < j; k++ {
			x[k] = a + (b-a)*float64(k-i+1)/float64(j-i+1)
			gaps++
		}
		i = j
	}
	if first > 0 {
		notes = append(notes, fmt.Sprintf("开头%d期无数据,已略去", first))
	}
	if gaps > 0 {
		notes = append(notes, fmt.Sprintf("中间%d期缺失,已按相邻值线性插补", gaps))
	}
	trailing = len(y) - 1 - last
	if trailing > 0 {
		notes = append(notes, fmt.Sprintf("最后%d期缺失,从最后一个有效值起预测", trailing))
	}
	st = ((start+first)%m + m) % m
	return x, st, trailing, notes, nil
}

// predictClean forecasts a gap-free series.
func predictClean(x []float64, m, start, h int, method string, notes *[]string) Result {
	n := len(x)
	constant, allZero := true, true
	for _, v := range x {
		constant = constant && v == x[0]
		allZero = allZero && v == 0
	}
	switch {
	case allZero:
		*notes = append(*notes, "序列全为0,预测为0")
		return flat(0, h, "naive")
	case n < 3:
		*notes = append(*notes, fmt.Sprintf("序列只有%d个值,无法估计趋势或季节,退回朴素预测", n))
		return naive(x, h, Decomposition{Period: m, Start: start})
	case constant:
		*notes = append(*notes, "序列为常数,预测沿用该常数")
		return flat(x[0], h, "naive")
	}
	if method == "naive" {
		return naive(x, h, Decomposition{Period: m, Start: start})
	}
	if method == "snaive" {
		if m > 1 && n >= m+1 {
			return snaive(x, m, h)
		}
		if m > 1 {
			*notes = append(*notes, fmt.Sprintf("不足一个完整周期加一期(%d个值),季节朴素退回朴素预测", n))
		}
		return naive(x, h, Decomposition{Period: m, Start: start})
	}
	d := seasonalAdjustment(x, m, start, method != "naive2", notes)
	adj := d.Adjust(x)
	var r Result
	switch method {
	case "naive2":
		r = naive(adj, h, d)
		r.Method = "naive2"
	case "ses", "holt", "damped", "ets":
		r = etsForecast(adj, h, d, method, notes)
	case "theta":
		r = theta(adj, h, d)
	case "comb":
		r = comb(adj, h, d, notes)
	}
	r.Seasonal = d.Indices != nil
	return r
}

// seasonalAdjustment decides whether to adjust x and says why not when a
// seasonal series cannot be adjusted multiplicatively. The Naive2
// benchmark keeps the M4 test on the levels (IsSeasonal); the other
// methods also test the first differences (orDiff, see seasonalTest).
func seasonalAdjustment(x []float64, m, start int, orDiff bool, notes *[]string) Decomposition {
	d := Decomposition{Period: m, Start: start}
	if m <= 1 {
		return d
	}
	if len(x) < 3*m {
		*notes = append(*notes, fmt.Sprintf("不足3个完整周期(%d个值),不做季节调整", len(x)))
		return d
	}
	if !IsSeasonal(x, m) && !(orDiff && IsSeasonal(diff(x), m)) {
		return d
	}
	for _, v := range x {
		if v <= 0 {
			*notes = append(*notes, "序列有零或负值,无法做乘法季节分解,按非季节序列预测")
			return d
		}
	}
	if fig := SeasonalIndices(x, m); fig != nil {
		d.Indices = make([]float64, m)
		for i := range m {
			d.Indices[(i+start)%m] = fig[i]
		}
	}
	return d
}

// diff is the series of first differences x_t − x_{t−1}.
//
// The seasonal test on the levels loses power on trending series: the
// trend makes r(1)…r(m−1) large, which widens the limit for r(m). The
// methods other than Naive2 therefore also count a series as seasonal
// when its first differences pass the same test (the differencing that
// Fiorucci et al. 2016 apply to series with a unit root before testing).
func diff(x []float64) []float64 {
	if len(x) < 2 {
		return nil
	}
	d := make([]float64, len(x)-1)
	for i := range d {
		d[i] = x[i+1] - x[i]
	}
	return d
}

func flat(v float64, h int, method string) Result {
	r := Result{Method: method}
	r.Point = fill(v, h)
	r.Lo80, r.Hi80 = fill(v, h), fill(v, h)
	r.Lo95, r.Hi95 = fill(v, h), fill(v, h)
	return r
}

func fill(v float64, h int) []float64 {
	s := make([]float64, h)
	for i := range s {
		s[i] = v
	}
	return s
}

// withIntervals fills the intervals from the means and variances on the
// adjusted scale and reseasonalises everything (observation n+j has
// factor d.Factor(n+j)).
func withIntervals(method string, mean, variance []float64, n int, d Decomposition) Result {
	h := len(mean)
	r := Result{Method: method, Point: make([]float64, h),
		Lo80: make([]float64, h), Hi80: make([]float64, h),
		Lo95: make([]float64, h), Hi95: make([]float64, h)}
	for j := range h {
		f := d.Factor(n + j)
		sd := math.Sqrt(math.Max(variance[j], 0))
		r.Point[j] = mean[j] * f
		r.Lo80[j], r.Hi80[j] = (mean[j]-z80*sd)*f, (mean[j]+z80*sd)*f
		r.Lo95[j], r.Hi95[j] = (mean[j]-z95*sd)*f, (mean[j]+z95*sd)*f
	}
	return r
}

// naive is the random walk on the (adjusted) series: the last value, with
// variance h·σ², σ² the mean squared first difference.
func naive(x []float64, h int, d Decomposition) Result {
	n := len(x)
	var s2 float64
	for t := 1; t < n; t++ {
		e := x[t] - x[t-1]
		s2 += e * e
	}
	if n > 1 {
		s2 /= float64(n - 1)
	}
	mean, variance := make([]float64, h), make([]float64, h)
	for j := range h {
		mean[j] = x[n-1]
		variance[j] = s2 * float64(j+1)
	}
	return withIntervals("naive", mean, variance, n, d)
}

// snaive repeats the last cycle; the variance grows with the number of
// whole cycles ahead.
func snaive(x []float64, m, h int) Result {
	n := len(x)
	var s2 float64
	for t := m; t < n; t++ {
		e := x[t] - x[t-m]
		s2 += e * e
	}
	s2 /= float64(n - m)
	mean, variance := make([]float64, h), make([]float64, h)
	for j := range h {
		mean[j] = x[n-m+j%m]
		variance[j] = s2 * float64(j/m+1)
	}
	return withIntervals("snaive", mean, variance, n, Decomposition{Period: m})
}

// Naive2 is the M3/M4 benchmark: the naive forecast of the series
// seasonally adjusted by classical multiplicative decomposition when the
// 90% autocorrelation test finds it seasonal. It is Predict with method
// "naive2", for callers that only need the points.
func Naive2(x []float64, m, h int) []float64 {
	r, err := Predict(x, Options{Method: "naive2", Period: m, Horizon: h})
	if err != nil {
		return nil
	}
	return r.Point
}

// etsForecast fits one ETS model, or chooses among SES, Holt and damped by
// AICc ("ets").
func etsForecast(x []float64, h int, d Decomposition, method string, notes *[]string) Result {
	n := len(x)
	var fit etsFit
	switch method {
	case "ses":
		fit = fitETS(x, etsANN)
	case "holt", "damped":
		kind := etsAAN
		if method == "damped" {
			kind = etsAAdN
		}
		// A trend model with 5 parameters needs more than 5 points.
		if n < 6 {
			*notes = append(*notes, fmt.Sprintf("只有%d个值,不足以估计趋势模型,改用简单指数平滑", n))
			fit = fitETS(x, etsANN)
		} else {
			fit = fitETS(x, kind)
		}
	case "ets":
		fit = fitETS(x, etsANN)
		if n >= 6 {
			for _, k := range []etsKind{etsAAN, etsAAdN} {
				if f := fitETS(x, k); f.aicc < fit.aicc {
					fit = f
				}
			}
		}
	}
	mean, variance := fit.forecast(h)
	calibrate(x, mean, variance, fit.pathForecast)
	return withIntervals(fit.kind.String(), mean, variance, n, d)
}

// calibrate widens the model's h-step variances to the in-sample mean
// squared h-step error of the same model (fixed parameters, forecasts
// from every origin t ≥ 3). One-step residual variances ignore parameter
// uncertainty and misspecification and make intervals too narrow on short
// series; this uses what the model actually got wrong on its own history.
//
// When the series and the forecasts are all positive the errors are
// measured relative to the forecast made at each origin, e/ŷ, and the mean
// squared relative error at horizon h is scaled by the h-step forecast
// mean²: the multiplicative-error view of ETS (Hyndman et al. 2008, ch. 6).
// Errors made early in a growing series, at a lower level, then count in
// proportion to the level now rather than in absolute terms, which would
// understate the spread to come.
//
// Horizons with fewer than 3 in-sample errors are extrapolated from the
// longest horizon that has them, in proportion to the model variances.
func calibrate(x, mean, variance []float64, path func(t, j int) float64) {
	n := len(x)
	const burn, minErr = 3, 3
	rel := true
	for _, v := range x {
		rel = rel && v > 0
	}
	for _, v := range mean {
		rel = rel && v > 0
	}
	model := append([]float64(nil), variance...)
	lastOK := -1
	for j := 1; j <= len(variance); j++ {
		var s float64
		var c int
		for t := burn; t+j <= n; t++ {
			p := path(t, j)
			e := x[t+j-1] - p
			if rel {
				if p <= 0 {
					continue
				}
				e /= p
			}
			s += e * e
			c++
		}
		if c < minErr {
			break
		}
		mse := s / float64(c)
		if rel {
			mse *= mean[j-1] * mean[j-1]
		}
		if !math.IsNaN(mse) && !math.IsInf(mse, 0) && mse > variance[j-1] {
			variance[j-1] = mse
		}
		lastOK = j - 1
	}
	if lastOK < 0 || model[lastOK] <= 0 {
		return
	}
	// Beyond the last horizon that could be measured, keep the model's
	// growth from there: scale by the widening applied at lastOK.
	ratio := 1.0
	if v := variance[lastOK]; v > 0 {
		ratio = v / model[lastOK]
	}
	for j := lastOK + 1; j < len(variance); j++ {
		variance[j] *= ratio
	}
}

// theta is the M3 Theta method (Assimakopoulos & Nikolopoulos 2000) in
// the form of Hyndman & Billah (2003): SES on the (adjusted) series plus
// half the slope b of the linear trend as drift,
//
//	f_h = ℓ_n + (b/2)·(h − 1 + (1 − (1−α)^n)/α),
//
// with the SES prediction variance.
func theta(x []float64, h int, d Decomposition) Result {
	n := len(x)
	fit := fitETS(x, etsANN)
	b := olsSlope(x)
	mean, variance := fit.forecast(h)
	a := fit.alpha
	drift := func(t int) float64 { return (1 - math.Pow(1-a, float64(t))) / a }
	for j := range h {
		mean[j] += b / 2 * (float64(j) + drift(n))
	}
	calibrate(x, mean, variance, func(t, j int) float64 {
		return fit.ls[t] + b/2*(float64(j-1)+drift(t))
	})
	r := withIntervals("theta", mean, variance, n, d)
	return r
}

// olsSlope is the least-squares slope of x on t = 1..n.
func olsSlope(x []float64) float64 {
	n := float64(len(x))
	if n < 2 {
		return 0
	}
	tm := (n + 1) / 2
	var ym float64
	for _, v := range x {
		ym += v
	}
	ym /= n
	var sxy, sxx float64
	for i, v := range x {
		dt := float64(i+1) - tm
		sxy += dt * (v - ym)
		sxx += dt * dt
	}
	return sxy / sxx
}

// comb is the equal-weight mean of the Theta method, the damped trend and
// the dynamic optimised Theta model on the adjusted series (in the spirit
// of Makridakis & Hibon's Comb S-H-D); its bounds are the means of the
// members' bounds.
func comb(x []float64, h int, d Decomposition, notes *[]string) Result {
	parts := []Result{
		theta(x, h, d),
		etsForecast(x, h, d, "damped", notes),
		dotm(x, h, d),
	}
	r := Result{Method: "comb", Point: make([]float64, h),
		Lo80: make([]float64, h), Hi80: make([]float64, h),
		Lo95: make([]float64, h), Hi95: make([]float64, h)}
	k := float64(len(parts))
	for _, p := range parts {
		for j := range h {
			r.Point[j] += p.Point[j] / k
			r.Lo80[j] += p.Lo80[j] / k
			r.Hi80[j] += p.Hi80[j] / k
			r.Lo95[j] += p.Lo95[j] / k
			r.Hi95[j] += p.Hi95[j] / k
		}
	}
	return r
}

// sanitize replaces any non-finite output (overflow on extreme input)
// by the naive forecast and says so.
func sanitize(r *Result, x []float64, notes *[]string) {
	bad := false
	for _, s := range [][]float64{r.Point, r.Lo80, r.Hi80, r.Lo95, r.Hi95} {
		for _, v := range s {
			bad = bad || math.IsNaN(v) || math.IsInf(v, 0)
		}
	}
	if !bad {
		return
	}
	last := x[len(x)-1]
	h := len(r.Point)
	*r = flat(last, h, "naive")
	*notes = append(*notes, "模型计算出现数值溢出,退回朴素预测(不含区间宽度)")
}

// floorAtZero sets negative forecasts and bounds of a positive series to
// 0, as the M4 competition did with its submissions: a linear trend
// extrapolated far enough down crosses zero, which a positive quantity
// cannot.
func floorAtZero(r *Result, x []float64) {
	for _, v := range x {
		if !(v > 0) {
			return
		}
	}
	for _, s := range [][]float64{r.Point, r.Lo80, r.Hi80, r.Lo95, r.Hi95} {
		for j, v := range s {
			s[j] = math.Max(v, 0)
		}
	}
}
