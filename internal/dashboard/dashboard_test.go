package dashboard

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"svcplan/internal/forecast"
	"svcplan/internal/plan"
)

func TestInterimTarget(t *testing.T) {
	later := func(kind plan.Kind, unit, value string) plan.Indicator {
		return plan.Indicator{Kind: kind, Unit: unit, Targets: []plan.Target{{Year: 2027, Op: plan.OpGT, Value: plan.Number(value)}}}
	}
	cases := []struct {
		name   string
		ind    plan.Indicator
		prev   *big.Rat
		want   string // the derived target for 2026, "" for none
		inNote string
	}{
		// 服务业增加值: 2025年 600亿, 2027年 >680: two steps of 40 → 2026 >640.
		{"flow", later(plan.KindAnnual, "亿元", "680"), big.NewRat(600, 1), "640", "逐年平均分解"},
		// 1,364 firms to >1,500: (1500 − 1364) / 2 = 68 → 1432.
		{"stock", later(plan.KindLevel, "家", "1500"), big.NewRat(1364, 1), "1432", "非方案原文"},
		// 1,365 firms: 1365 + 67.5 = 1432.5, rounded up to 1433 firms.
		{"count rounds up", later(plan.KindLevel, "家", "1500"), big.NewRat(1365, 1), "1433", ""},
		// 53.2% to 55%: 53.2 + 0.9 = 54.1.
		{"share", later(plan.KindShare, "%", "55"), big.NewRat(532, 10), "54.1", ""},
		// 年均增长6%以上 applies to every year.
		{"average growth", later(plan.KindAvgGrowth, "%", "6"), nil, "6", "逐年适用"},
		{"no last year", later(plan.KindAnnual, "亿元", "680"), nil, "", "缺少上年数值"},
		{"rate of change", later(plan.KindChange, "百分点", "1"), big.NewRat(1, 1), "", ""},
	}
	for _, c := range cases {
		got, note, _ := withInterimTarget(c.ind, 2026, c.prev)
		derived := ""
		for _, tg := range got.Targets {
			if tg.Year == 2026 {
				derived = string(tg.Value)
				if tg.Op != plan.OpGT {
					t.Errorf("%s: op %s, want the later target's", c.name, tg.Op)
				}
			}
		}
		if derived != c.want || !strings.Contains(note, c.inNote) {
			t.Errorf("%s: target %q, note %q; want %q, …%s…", c.name, derived, note, c.want, c.inNote)
		}
		if len(c.ind.Targets) != 1 {
			t.Errorf("%s: the plan's indicator was changed", c.name)
		}
	}
}

func TestFanOf(t *testing.T) {
	path := &forecast.Result{Point: []float64{640}, Lo80: []float64{620}, Hi80: []float64{660}, Lo95: []float64{610}, Hi95: []float64{670}}
	f := fanOf([]int{2024, 2025}, []float64{560, 596}, 2026, 627.4, &forecast.Outlook{Path: path}, 2027, 680)
	if len(f.Years) != 4 || f.Years[3] != 2027 || f.Actual[0] != 560 || !math.IsNaN(f.Point[0]) ||
		f.Point[1] != 596 || f.Point[2] != 627.4 || !math.IsNaN(f.Actual[2]) || f.Lo80[3] != 620 || f.Hi95[3] != 670 {
		t.Errorf("fan = %+v", f)
	}
}
