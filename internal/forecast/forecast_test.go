package forecast

import (
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestETSRecursions(t *testing.T) {
	tests := []struct {
		name                     string
		x                        []float64
		kind                     etsKind
		alpha, beta, phi, l0, b0 float64
		sse, level, trend        float64
	}{
		// SES α=0.5, ℓ0=1 on [1,2,3]:
		//   ŷ1=1, e=0, ℓ1=1;  ŷ2=1, e=1, ℓ2=1.5;  ŷ3=1.5, e=1.5, ℓ3=1.5+0.75=2.25
		//   SSE = 0 + 1 + 2.25 = 3.25
		{"ses", []float64{1, 2, 3}, etsANN, 0.5, 0, 0, 1, 0, 3.25, 2.25, 0},
		// SES α=0.5, ℓ0=0 on [1,2,3]: ℓ1=0.5, ℓ2=0.5+0.75=1.25,
		//   ℓ3=1.25+0.5·1.75=2.125; SSE = 1 + 2.25 + 3.0625 = 6.3125
		{"ses0", []float64{1, 2, 3}, etsANN, 0.5, 0, 0, 0, 0, 6.3125, 2.125, 0},
		// Holt α=0.5, β=0.25, ℓ0=0, b0=1 on [1,3,4]:
		//   ŷ1=1, e=0 → ℓ=1, b=1
		//   ŷ2=2, e=1 → ℓ=2.5, b=1.25
		//   ŷ3=3.75, e=0.25 → ℓ=3.875, b=1.3125;  SSE = 1.0625
		{"holt", []float64{1, 3, 4}, etsAAN, 0.5, 0.25, 1, 0, 1, 1.0625, 3.875, 1.3125},
		// Damped φ=0.5, α=0.5, β=0.25, ℓ0=0, b0=2 on [1,1]:
		//   ŷ1=0+0.5·2=1, e=0 → ℓ=1, b=1
		//   ŷ2=1+0.5=1.5, e=−0.5 → ℓ=1.25, b=0.5−0.125=0.375; SSE = 0.25
		{"damped", []float64{1, 1}, etsAAdN, 0.5, 0.25, 0.5, 0, 2, 0.25, 1.25, 0.375},
	}
	for _, tc := range tests {
		sse, l, b := etsSSE(tc.x, tc.kind, tc.alpha, tc.beta, tc.phi, tc.l0, tc.b0, nil, nil)
		if !near(sse, tc.sse) || !near(l, tc.level) || !near(b, tc.trend) {
			t.Errorf("%s: sse=%v level=%v trend=%v, want %v %v %v", tc.name, sse, l, b, tc.sse, tc.level, tc.trend)
		}
	}
}

func TestETSForecastVariance(t *testing.T) {
	// Holt with σ²=1, α=0.5, β=0.25: c_j = α + β·j, so
	// v1 = 1, v2 = 1 + 0.75² = 1.5625, v3 = 1.5625 + 1² = 2.5625.
	// Points: ℓ + j·b with ℓ=10, b=2 → 12, 14, 16.
	f := etsFit{kind: etsAAN, alpha: 0.5, beta: 0.25, phi: 1, level: 10, trend: 2, sigma2: 1}
	m, v := f.forecast(3)
	for j, w := range []float64{12, 14, 16} {
		if !near(m[j], w) {
			t.Errorf("mean[%d] = %v, want %v", j, m[j], w)
		}
	}
	for j, w := range []float64{1, 1.5625, 2.5625} {
		if !near(v[j], w) {
			t.Errorf("var[%d] = %v, want %v", j, v[j], w)
		}
	}
}

func TestFitETSRecoversLine(t *testing.T) {
	// A straight line is fitted exactly by Holt: forecasts continue it.
	x := []float64{10, 12, 14, 16, 18, 20, 22, 24, 26, 28}
	r, err := Predict(x, Options{Method: "holt", Horizon: 3})
	if err != nil {
		t.Fatal(err)
	}
	for j, w := range []float64{30, 32, 34} {
		if math.Abs(r.Point[j]-w) > 0.05 {
			t.Errorf("holt h=%d: %v, want ≈%v", j+1, r.Point[j], w)
		}
	}
	// SES on a constant-after-jump series ends near the last level.
	r, _ = Predict([]float64{1, 1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5}, Options{Method: "ses", Horizon: 1})
	if math.Abs(r.Point[0]-5) > 0.1 {
		t.Errorf("ses: %v, want ≈5", r.Point[0])
	}
}

func TestACFAndSeasonality(t *testing.T) {
	// [1,2,3,4]: mean 2.5, deviations −1.5,−0.5,0.5,1.5, Σd² = 5;
	// r1 = (0.75 − 0.25 + 0.75)/5 = 0.25, r2 = (−0.75 − 0.75)/5 = −0.3.
	r := ACF([]float64{1, 2, 3, 4}, 2)
	if !near(r[0], 0.25) || !near(r[1], -0.3) {
		t.Errorf("ACF = %v", r)
	}
	// [1,3] repeated, m=2: centred MA weights ¼,½,¼ give a trend of 2
	// everywhere inside, ratios 1.5 at odd positions and 0.5 at even ones,
	// already of mean 1.
	si := SeasonalIndices([]float64{1, 3, 1, 3, 1, 3}, 2)
	if len(si) != 2 || !near(si[0], 0.5) || !near(si[1], 1.5) {
		t.Errorf("SeasonalIndices = %v", si)
	}
	saw := make([]float64, 36)
	for i := range saw {
		saw[i] = 100 + 20*float64(i%4) + float64(i)
	}
	if !IsSeasonal(saw, 4) {
		t.Error("quarterly saw-tooth not found seasonal")
	}
	if IsSeasonal([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4) {
		t.Error("a line found seasonal")
	}
	if IsSeasonal(saw[:8], 4) {
		t.Error("fewer than 3 cycles must not be tested")
	}
}

func TestNaive2(t *testing.T) {
	// Not seasonal: the last value.
	if got := Naive2([]float64{3, 1, 4, 1, 5}, 1, 2); got[0] != 5 || got[1] != 5 {
		t.Errorf("Naive2 = %v", got)
	}
	// Seasonal: the last adjusted value times the coming indices.
	saw := make([]float64, 24)
	for i := range saw {
		saw[i] = []float64{50, 100, 150, 100}[i%4]
	}
	got := Naive2(saw, 4, 4)
	for j, w := range []float64{50, 100, 150, 100} {
		if math.Abs(got[j]-w) > 1e-9 {
			t.Errorf("Naive2 seasonal h=%d: %v, want %v", j+1, got[j], w)
		}
	}
}

func TestTheta(t *testing.T) {
	// On a line y = t the SES level follows the data (α → 1), and Theta
	// adds half the slope per step: f_h ≈ n + h/2 ... plus b/2·(1/α − 1)
	// ≈ 0. With n = 20: ≈ 20.5, 21, 21.5.
	x := make([]float64, 20)
	for i := range x {
		x[i] = float64(i + 1)
	}
	r, _ := Predict(x, Options{Method: "theta", Horizon: 3})
	for j, w := range []float64{20.5, 21, 21.5} {
		if math.Abs(r.Point[j]-w) > 0.05 {
			t.Errorf("theta h=%d: %v, want ≈%v", j+1, r.Point[j], w)
		}
	}
}

func TestFallbacks(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		x      []float64
		o      Options
		method string
		note   string
		point0 float64 // NaN: not checked
	}{
		{"short", []float64{4, 6}, Options{Method: "comb", Horizon: 2}, "naive", "只有2个值", 6},
		{"one", []float64{7}, Options{Method: "theta", Horizon: 1}, "naive", "只有1个值", 7},
		{"constant", []float64{3, 3, 3, 3}, Options{Method: "damped", Horizon: 2}, "naive", "常数", 3},
		{"zero", []float64{0, 0, 0}, Options{Method: "ets", Horizon: 2}, "naive", "全为0", 0},
		{"gap", []float64{1, 2, nan, 4, 5, 6}, Options{Method: "naive", Horizon: 1}, "naive", "线性插补", 6},
		{"trailing", []float64{1, 2, 3, 4, nan}, Options{Method: "naive", Horizon: 1}, "naive", "最后1期缺失", 4},
		{"leading", []float64{nan, 1, 2, 3}, Options{Method: "naive", Horizon: 1}, "naive", "开头1期", 3},
		{"short-holt", []float64{1, 2, 3, 5}, Options{Method: "holt", Horizon: 1}, "ses", "改用简单指数平滑", nan},
		{"snaive-short", []float64{1, 2, 3}, Options{Method: "snaive", Period: 12, Horizon: 1}, "naive", "季节朴素退回", 3},
		{"few-cycles", []float64{1, 2, 3, 4, 5, 6, 7, 8}, Options{Method: "theta", Period: 4, Horizon: 1}, "theta", "不足3个完整周期", nan},
	}
	for _, tc := range tests {
		r, err := Predict(tc.x, tc.o)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if r.Method != tc.method || !strings.Contains(r.Note, tc.note) {
			t.Errorf("%s: method %q note %q, want %q with %q", tc.name, r.Method, r.Note, tc.method, tc.note)
		}
		if !math.IsNaN(tc.point0) && !near(r.Point[0], tc.point0) {
			t.Errorf("%s: point %v, want %v", tc.name, r.Point[0], tc.point0)
		}
	}
	// Seasonal with a non-positive value: no multiplicative adjustment.
	x := make([]float64, 48)
	for i := range x {
		x[i] = []float64{-5, 10, 20, 10}[i%4] + float64(i)
	}
	r, err := Predict(x, Options{Method: "comb", Period: 4, Horizon: 4})
	if err != nil || r.Seasonal || !strings.Contains(r.Note, "零或负值") {
		t.Errorf("non-positive seasonal: %v seasonal=%v note=%q", err, r.Seasonal, r.Note)
	}
	if _, err := Predict([]float64{1, 2}, Options{Horizon: 0}); err != ErrHorizon {
		t.Errorf("h=0: %v", err)
	}
	if _, err := Predict([]float64{nan, nan}, Options{Horizon: 1}); err != ErrNoData {
		t.Errorf("all NaN: %v", err)
	}
	if _, err := Predict([]float64{1, 2, 3}, Options{Method: "arima", Horizon: 1}); err == nil {
		t.Error("unknown method accepted")
	}
}

func TestIntervalsOrdered(t *testing.T) {
	x := []float64{112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
		145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194}
	for _, m := range Methods {
		r, err := Predict(x, Options{Method: m, Period: 12, Horizon: 18})
		if err != nil {
			t.Fatal(m, err)
		}
		for j := range r.Point {
			if !(r.Lo95[j] <= r.Lo80[j] && r.Lo80[j] <= r.Point[j] && r.Point[j] <= r.Hi80[j] && r.Hi80[j] <= r.Hi95[j]) {
				t.Errorf("%s h=%d: bounds out of order %v %v %v %v %v", m, j+1, r.Lo95[j], r.Lo80[j], r.Point[j], r.Hi80[j], r.Hi95[j])
			}
		}
	}
	// A clearly seasonal quarterly series is adjusted by every method that
	// adjusts.
	saw := make([]float64, 40)
	for i := range saw {
		saw[i] = (100 + float64(i)) * []float64{0.7, 1.0, 1.4, 0.9}[i%4]
	}
	for _, m := range Methods {
		r, _ := Predict(saw, Options{Method: m, Period: 4, Horizon: 8})
		if m != "naive" && m != "snaive" && !r.Seasonal {
			t.Errorf("%s: seasonal series not adjusted", m)
		}
	}
}

func FuzzForecast(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(4), uint8(6), uint8(8))
	f.Add([]byte{0, 0, 0}, uint8(12), uint8(18), uint8(0))
	f.Add([]byte{255, 0, 255, 0, 255}, uint8(1), uint8(1), uint8(3))
	f.Fuzz(func(t *testing.T, raw []byte, period, h, method uint8) {
		if len(raw) > 400 {
			raw = raw[:400]
		}
		// Each byte pair is a value: mostly moderate numbers, with NaN,
		// ±Inf, zeros, negatives and huge values mixed in.
		var x []float64
		for i := 0; i+1 < len(raw); i += 2 {
			var v float64
			switch raw[i] % 16 {
			case 0:
				v = math.NaN()
			case 1:
				v = math.Inf(1)
			case 2:
				v = 0
			case 3:
				v = -float64(raw[i+1])
			case 4:
				v = float64(raw[i+1]) * 1e300
			case 5:
				v = float64(raw[i+1]) * 1e-300
			default:
				v = float64(raw[i+1]) + float64(raw[i])/7
			}
			x = append(x, v)
		}
		o := Options{Method: Methods[int(method)%len(Methods)], Period: []int{0, 1, 4, 12}[period%4], Horizon: int(h%24) + 1}
		r, err := Predict(x, o)
		if err != nil {
			return
		}
		if len(r.Point) != o.Horizon {
			t.Fatalf("%d points for h=%d", len(r.Point), o.Horizon)
		}
		for _, s := range [][]float64{r.Point, r.Lo80, r.Hi80, r.Lo95, r.Hi95} {
			if len(s) != o.Horizon {
				t.Fatalf("bound length %d", len(s))
			}
			for _, v := range s {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite output %v for %v %+v (%+v)", v, x, o, r)
				}
			}
		}
	})
}

func TestCalibrate(t *testing.T) {
	naivePath := func(x []float64) func(t, j int) float64 {
		return func(t, j int) float64 { return x[t-1] }
	}
	tests := []struct {
		name           string
		x, mean, model []float64
		want           []float64
	}{
		// A zero in x: absolute errors. h=1 from origins t=3,4,5: the
		// first differences 1,1,1 → MSE 1 > 0.5. h=2 has only 2 origins,
		// so h=2,3 keep the model's growth scaled by 1/0.5 = 2.
		{"absolute", []float64{0, 1, 2, 3, 4, 5}, []float64{5, 5, 5}, []float64{0.5, 0.5, 0.5}, []float64{1, 1, 1}},
		// Positive and doubling: relative h=1 errors (8−4)/4, (16−8)/8,
		// (32−16)/16 are all 1, so v1 = 1·64² = 4096; h=2,3 scale the
		// model's 2 and 3 by 4096/1.
		{"relative", []float64{1, 2, 4, 8, 16, 32}, []float64{64, 64, 64}, []float64{1, 2, 3}, []float64{4096, 8192, 12288}},
		// A non-positive forecast mean: absolute errors 4, 8, 16 →
		// MSE (16+64+256)/3 = 112, then 112·2 and 112·3.
		{"relative-off", []float64{1, 2, 4, 8, 16, 32}, []float64{64, -1, 64}, []float64{1, 2, 3}, []float64{112, 224, 336}},
		// The model variance is kept where it is already wider.
		{"keep-wider", []float64{0, 1, 2, 3, 4, 5}, []float64{5, 5, 5}, []float64{4, 5, 6}, []float64{4, 5, 6}},
	}
	for _, tc := range tests {
		v := append([]float64(nil), tc.model...)
		calibrate(tc.x, tc.mean, v, naivePath(tc.x))
		for j := range v {
			if !near(v[j], tc.want[j]) {
				t.Errorf("%s: variance %v, want %v", tc.name, v, tc.want)
				break
			}
		}
	}
}

func TestCombIsMeanOfMembers(t *testing.T) {
	x := []float64{12, 15, 14, 18, 21, 20, 24, 27, 26, 30, 31, 35, 34, 38}
	const h = 4
	d := Decomposition{Period: 1}
	var notes []string
	c := comb(x, h, d, &notes)
	th, dp, dt := theta(x, h, d), etsForecast(x, h, d, "damped", &notes), dotm(x, h, d)
	r, err := Predict(x, Options{Horizon: h})
	if err != nil {
		t.Fatal(err)
	}
	for j := range c.Point {
		if !near(r.Point[j], c.Point[j]) {
			t.Errorf("h=%d: Predict %v, comb %v", j+1, r.Point[j], c.Point[j])
		}
		for _, s := range [][4]float64{
			{c.Point[j], th.Point[j], dp.Point[j], dt.Point[j]},
			{c.Lo80[j], th.Lo80[j], dp.Lo80[j], dt.Lo80[j]},
			{c.Hi95[j], th.Hi95[j], dp.Hi95[j], dt.Hi95[j]},
		} {
			if !near(s[0], (s[1]+s[2]+s[3])/3) {
				t.Errorf("h=%d: comb %v, theta %v, damped %v, dotm %v", j+1, s[0], s[1], s[2], s[3])
			}
		}
	}
}

func TestDOTMRecursions(t *testing.T) {
	// α = ½, w = ½ (θ = 2), ℓ0 = 0 on [1, 2, 4]:
	//   y1=1: ℓ1 = ½; A1 = 1, B1 = 0, ȳ1 = 1 (no error counted)
	//   y2=2: ℓ2 = 1 + ¼ = 1.25; B2 = (0 + 6·(2−1)/2)/3 = 1, ȳ2 = 1.5,
	//         A2 = 1.5 − 1·3/2 = 0 (the line through (1,1), (2,2); no error)
	//   y3=4: μ3 = ℓ2 + ½·(A2·¼ + B2·(1 − ¼·½)/½) = 1.25 + 0.875 = 2.125,
	//         e = 1.875, SSE = 3.515625;
	//         ℓ3 = 2 + 0.625 = 2.625; B3 = (1·1 + 6·(4−1.5)/3)/4 = 1.5,
	//         ȳ3 = 7/3, A3 = 7/3 − 1.5·2 = −2/3 (OLS on (1,1),(2,2),(3,4))
	//   μ4 = 2.625 + ½·(−⅔·⅛ + 1.5·(1 − ⅛·½)/½) = 2.625 + 131/96 = 383/96.
	f := dotmFit{alpha: 0.5, w: 0.5, l0: 0}
	x := []float64{1, 2, 4}
	states := make([]dotmState, 4)
	sse := f.run(x, states)
	s := states[3]
	if !near(sse, 3.515625) || !near(s.l, 2.625) || !near(s.b, 1.5) || !near(s.a, -2.0/3) || !near(s.ym, 7.0/3) {
		t.Errorf("sse %v state %+v", sse, s)
	}
	if got := f.path(s, 1); !near(got, 383.0/96) {
		t.Errorf("μ4 = %v, want %v", got, 383.0/96)
	}
	if got := f.path(states[2], 1); !near(got, 2.125) {
		t.Errorf("μ3 = %v, want 2.125", got)
	}
	// With w = 0 it is simple exponential smoothing: the forecast is ℓ3
	// at every horizon.
	f.w = 0
	f.run(x, states)
	for j := 1; j <= 3; j++ {
		if got := f.path(states[3], j); !near(got, 2.625) {
			t.Errorf("w=0 h=%d: %v, want 2.625", j, got)
		}
	}
	// The recursive intercept and slope are the least-squares line on the
	// data so far.
	y := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}
	f = dotmFit{alpha: 0.3, w: 0.4}
	states = make([]dotmState, len(y)+1)
	f.run(y, states)
	for k := 2; k <= len(y); k++ {
		b := olsSlope(y[:k])
		var ym float64
		for _, v := range y[:k] {
			ym += v
		}
		ym /= float64(k)
		a := ym - b*float64(k+1)/2
		if st := states[k]; !near(st.b, b) || !near(st.a, a) {
			t.Errorf("t=%d: A, B = %v, %v, want %v, %v", k, st.a, st.b, a, b)
		}
	}
}

func TestDOTMFollowsLine(t *testing.T) {
	// On a line y = 2t the fitted model continues the line closely:
	// ≈ 42, 44, 46 after 20 points.
	x := make([]float64, 20)
	for i := range x {
		x[i] = 2 * float64(i+1)
	}
	r := dotm(x, 3, Decomposition{Period: 1})
	for j, w := range []float64{42, 44, 46} {
		if math.Abs(r.Point[j]-w) > 0.5 {
			t.Errorf("dotm h=%d: %v, want ≈%v", j+1, r.Point[j], w)
		}
	}
}

func TestSeasonalOnDifferences(t *testing.T) {
	if got := diff([]float64{1, 4, 2}); len(got) != 2 || got[0] != 3 || got[1] != -2 {
		t.Errorf("diff = %v", got)
	}
	if diff([]float64{1}) != nil {
		t.Error("diff of one value")
	}
	// A steep trend with a small quarterly pattern: the trend hides the
	// pattern from the test on the levels, the differences (13, 7, 7, 13,
	// …) show it. Naive2 keeps the M4 test; the other methods adjust.
	x := make([]float64, 20)
	for i := range x {
		x[i] = 100 + 10*float64(i) + []float64{0, 3, 0, -3}[i%4]
	}
	if IsSeasonal(x, 4) || !IsSeasonal(diff(x), 4) {
		t.Fatalf("levels %v, differences %v", IsSeasonal(x, 4), IsSeasonal(diff(x), 4))
	}
	for _, m := range []string{"naive2", "theta", "comb"} {
		r, err := Predict(x, Options{Method: m, Period: 4, Horizon: 4})
		if err != nil {
			t.Fatal(err)
		}
		if r.Seasonal != (m != "naive2") {
			t.Errorf("%s: seasonal %v", m, r.Seasonal)
		}
	}
}

func TestFloorAtZero(t *testing.T) {
	// Holt on a positive line falling by 20 a period would forecast 0,
	// −20, −40: a positive series is floored at 0, bounds included.
	x := []float64{160, 140, 120, 100, 80, 60, 40, 20}
	r, err := Predict(x, Options{Method: "holt", Horizon: 3})
	if err != nil {
		t.Fatal(err)
	}
	for j := range r.Point {
		if r.Point[j] < 0 || r.Lo95[j] < 0 || r.Lo80[j] < 0 {
			t.Errorf("h=%d: %v %v %v below 0", j+1, r.Lo95[j], r.Lo80[j], r.Point[j])
		}
	}
	if r.Point[2] != 0 || r.Lo95[2] != 0 {
		t.Errorf("h=3: point %v lo95 %v, want 0", r.Point[2], r.Lo95[2])
	}
	// Not floored when the series itself has non-positive values.
	r, _ = Predict([]float64{60, 40, 20, 0, -20, -40, -60, -80}, Options{Method: "holt", Horizon: 1})
	if r.Point[0] > -90 {
		t.Errorf("non-positive series: %v, want ≈−100", r.Point[0])
	}
}
