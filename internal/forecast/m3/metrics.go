package m3

import "math"

// SMAPE is the M3 symmetric MAPE in percent: the mean over horizons of
// 200·|y−f|/(y+f). Horizons with a zero denominator count as 0 when y = f
// and as 200 otherwise.
func SMAPE(y, f []float64) float64 {
	n := min(len(y), len(f))
	if n == 0 {
		return math.NaN()
	}
	var s float64
	for i := range n {
		d := y[i] + f[i]
		e := math.Abs(y[i] - f[i])
		switch {
		case d != 0:
			s += 200 * e / d
		case e != 0:
			s += 200
		}
	}
	return s / float64(n)
}

// MASEScale is the in-sample mean absolute seasonal difference at lag m
// (m = 1 when the series is too short for lag m).
func MASEScale(train []float64, m int) float64 {
	if m < 1 || len(train) <= m {
		m = 1
	}
	if len(train) < 2 {
		return math.NaN()
	}
	var s float64
	for i := m; i < len(train); i++ {
		s += math.Abs(train[i] - train[i-m])
	}
	return s / float64(len(train)-m)
}

// MASE is the mean absolute error over the horizon divided by the
// in-sample seasonal-naive MAE (MASEScale).
func MASE(train, y, f []float64, m int) float64 {
	n := min(len(y), len(f))
	if n == 0 {
		return math.NaN()
	}
	var s float64
	for i := range n {
		s += math.Abs(y[i] - f[i])
	}
	return s / float64(n) / MASEScale(train, m)
}

// OWA is the M4 overall weighted average relative to Naive2.
func OWA(smape, mase, smapeNaive2, maseNaive2 float64) float64 {
	return 0.5 * (smape/smapeNaive2 + mase/maseNaive2)
}

// Score accumulates the per-series measures of one set.
type Score struct {
	N                 int // series scored
	Untested          int // series added without test values: not scored
	sumSMAPE, sumMASE float64
	pointSMAPE        float64 // Σ over every forecast of its sMAPE term
	points            int
	nInt              int // horizons with intervals
	in80, in95        int
}

// Add scores one series; lo/hi may be nil when the method gives no
// intervals. A series without test values cannot be scored: it is only
// counted in Untested.
func (s *Score) Add(train, test, f []float64, m int, lo80, hi80, lo95, hi95 []float64) {
	if len(test) == 0 {
		s.Untested++
		return
	}
	s.N++
	sm := SMAPE(test, f)
	s.sumSMAPE += sm
	k := min(len(test), len(f))
	s.pointSMAPE += sm * float64(k)
	s.points += k
	s.sumMASE += MASE(train, test, f, m)
	if lo80 == nil || hi80 == nil || lo95 == nil || hi95 == nil {
		return
	}
	for i := range min(len(test), len(lo80), len(hi80), len(lo95), len(hi95)) {
		s.nInt++
		if test[i] >= lo80[i] && test[i] <= hi80[i] {
			s.in80++
		}
		if test[i] >= lo95[i] && test[i] <= hi95[i] {
			s.in95++
		}
	}
}

// Merge adds the series of o.
func (s *Score) Merge(o Score) {
	s.N += o.N
	s.Untested += o.Untested
	s.sumSMAPE += o.sumSMAPE
	s.sumMASE += o.sumMASE
	s.pointSMAPE += o.pointSMAPE
	s.points += o.points
	s.nInt += o.nInt
	s.in80 += o.in80
	s.in95 += o.in95
}

// SMAPE is the mean sMAPE over the series scored. SMAPE, PointSMAPE and
// MASE are NaN when nothing was scored (N = 0).
func (s Score) SMAPE() float64 { return s.sumSMAPE / float64(s.N) }

// PointSMAPE is the sMAPE averaged over every forecast rather than every
// series: the M3 "all series" figure, in which a monthly series weighs 18
// horizons and a yearly one 6. Within one frequency it equals SMAPE.
func (s Score) PointSMAPE() float64 { return s.pointSMAPE / float64(s.points) }

// Points is the number of forecasts scored.
func (s Score) Points() int { return s.points }

// MASE is the mean MASE over the series scored.
func (s Score) MASE() float64 { return s.sumMASE / float64(s.N) }

// Coverage returns the 80% and 95% interval coverage over all horizons
// (NaN when there were no intervals).
func (s Score) Coverage() (c80, c95 float64) {
	if s.nInt == 0 {
		return math.NaN(), math.NaN()
	}
	return float64(s.in80) / float64(s.nInt), float64(s.in95) / float64(s.nInt)
}
