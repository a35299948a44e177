package forecast

import (
	"math"
	"strings"
	"testing"
)

func TestYearEnd(t *testing.T) {
	nan := math.NaN()
	// Quarterly year-to-date. 2024: 1-3季度 300 of 400 (share 0.75); 2025:
	// 330 of 440 — estimated from 2024's share as 330 / 0.75 = 440, an error
	// of 0, so the 2% floor applies. 2026 1-3季度 360: estimate 360 / 0.75 =
	// 480; spread 480 × 0.02 = 9.6; 80% interval 480 ± 1.2816 × 9.6 =
	// 467.70 … 492.30. Target 490: P(N(480, 9.6) ≥ 490) = 1 − Φ(1.0417) =
	// 0.1488. Still needed: (490 − 360) over last year's fourth quarter
	// (440 − 330 = 110): 130 / 110 − 1 = 18.18%.
	years := []YearData{
		{Year: 2024, YTD: []float64{90, 190, 300, 400}, Total: 400},
		{Year: 2025, YTD: []float64{100, 210, 330, 440}, Total: 440},
	}
	cur := YearData{Year: 2026, YTD: []float64{110, 230, 360, nan}, Total: nan}
	o := YearEnd(years, cur, 2, 490, false, false)
	if !within(o.Estimate, 480, 1e-9) || !within(o.Lo80, 467.70, 0.01) || !within(o.Hi80, 492.30, 0.01) ||
		!within(o.Probability, 0.1488, 0.0005) || !within(o.Required, 0.1818, 0.0001) || o.Method != "按上年同期进度推算" {
		t.Errorf("YearEnd = %+v", o)
	}
	// A ceiling (less is better): the chance of staying at or under 490.
	if d := YearEnd(years, cur, 2, 490, true, false); !within(d.Probability, 1-0.1488, 0.0005) {
		t.Errorf("down: %v", d.Probability)
	}
	// Counts: 1-10月 new firms 83 with last year's share 0.83 at 10月 → 100;
	// the target 100.5 needs 101 firms.
	firms := []YearData{{Year: 2025, YTD: []float64{8, 12, 20, 30, 35, 44, 50, 60, 70, 83, 90, 100}, Total: 100}}
	c := YearEnd(firms, YearData{Year: 2026, YTD: []float64{9, 14, 22, 31, 36, 46, 52, 62, 72, 83, nan, nan}}, 9, 100.5, false, true)
	if c.Estimate != 100 || c.Estimate != math.Round(c.Estimate) || c.Probability >= 0.5 {
		t.Errorf("counts: %+v", c)
	}
	// Already past the target: certain.
	if o := YearEnd(years, cur, 2, 350, false, false); o.Probability != 1 {
		t.Errorf("past the target: %v", o.Probability)
	}
	// No earlier year: even pace, said so.
	e := YearEnd(nil, cur, 2, 490, false, false)
	if !within(e.Estimate, 480, 1e-9) || !strings.Contains(e.Note, "缺少上年同期") || !math.IsNaN(e.Required) {
		t.Errorf("no history: %+v", e)
	}
	// No data this year.
	if n := YearEnd(years, YearData{Year: 2026, YTD: []float64{nan, nan, nan, nan}}, 0, 490, false, false); !math.IsNaN(n.Estimate) {
		t.Errorf("no data: %+v", n)
	}
}

func TestLater(t *testing.T) {
	// 680 by 2027 from an estimated 480 in 2026: (680 / 480)^(1/1) − 1 =
	// 41.67% needed in 2027.
	o := Later([]float64{400, 440, 480}, 2026, 2027, 680, false)
	if !within(o.Required, 680.0/480-1, 1e-9) || math.IsNaN(o.Estimate) || o.Probability < 0 || o.Probability > 1 {
		t.Errorf("Later = %+v", o)
	}
	// Two years ahead: (680 / 480)^(1/2) − 1 = 19.02% a year.
	if o := Later([]float64{400, 440, 480}, 2025, 2027, 680, false); !within(o.Required, math.Sqrt(680.0/480)-1, 1e-9) {
		t.Errorf("two years: %v", o.Required)
	}
	if o := Later(nil, 2026, 2027, 680, false); !math.IsNaN(o.Estimate) {
		t.Errorf("no totals: %+v", o)
	}
}

func within(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
