package forecast

import (
	"math"
	"testing"
)

func TestYTDConversions(t *testing.T) {
	// F203, 11 periods a year (1-2月, 3月 … 12月), from 2024年1-10月
	// (period 8): 1-10月 900, 1-11月 1000, 1-12月 1130, then 2025年 1-2月 210,
	// 1-3月 330. Periods: unknown (the year's earlier months are not in the
	// data), 1000 − 900 = 100, 1130 − 1000 = 130, 210 (1-2月 as one),
	// 330 − 210 = 120.
	ytd := []float64{900, 1000, 1130, 210, 330}
	got := FromYTD(ytd, 11, 8)
	want := []float64{math.NaN(), 100, 130, 210, 120}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("FromYTD = %v, want %v", got, want)
		}
	}
	// Back: 2025 restarts at 1-2月: 210, 210 + 120 = 330.
	back := ToYTD([]float64{100, 130, 210, 120}, 11, 9)
	if back[0] != 100 || back[1] != 230 || back[2] != 210 || back[3] != 330 {
		t.Errorf("ToYTD = %v", back)
	}
	// Quarterly from the first quarter: 1季度 50, 1-2季度 120, 1-3季度 200 →
	// 50, 70, 80, and back again.
	q := FromYTD([]float64{50, 120, 200}, 4, 0)
	if q[0] != 50 || q[1] != 70 || q[2] != 80 {
		t.Errorf("quarterly FromYTD = %v", q)
	}
	if r := ToYTD(q, 4, 0); r[2] != 200 {
		t.Errorf("quarterly round trip = %v", r)
	}
}
