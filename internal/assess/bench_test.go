package assess_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// BenchmarkScore scores 200 units on 60 items of every family from stored
// figures (50 published indicators, 10 加分/扣分/否决 items) after one of
// them was revised, as the ranking page's preview does, on each engine:
// the figure is under 100 ms.
func BenchmarkScore(b *testing.B) {
	const units, base, extra = 200, 50, 10
	for _, eng := range storetest.Engines {
		b.Run(eng.Name, func(b *testing.B) {
			db := storetest.MustOpen(b, eng.DSN(b))
			e := newEnvWith(b, db, func(p *plan.Plan) {
				model, _ := p.Indicator("SVC_VALUE_ADDED_GROWTH")
				for i := range units {
					p.Units = append(p.Units, plan.Unit{Code: fmt.Sprintf("B%03d", i), Name: fmt.Sprintf("考核单位%d", i), Kind: plan.KindTown, Parent: p.Units[0].Code})
				}
				for i := range base {
					ind := *model
					ind.Code, ind.Name, ind.Targets = fmt.Sprintf("BENCH_%02d", i), fmt.Sprintf("考核指标%d", i), nil
					p.Indicators = append(p.Indicators, ind)
				}
			})
			ctx := b.Context()
			r := rand.New(rand.NewPCG(1, 2))
			var vs []*indicators.Value
			var es []audit.Entry
			at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
			for i := range base {
				for u := range units {
					v := &indicators.Value{Indicator: fmt.Sprintf("BENCH_%02d", i), Unit: fmt.Sprintf("B%03d", u), Period: "2025",
						Value: fmt.Sprintf("%.1f", 20*r.Float64()-2), Status: indicators.Published, Source: indicators.Imported,
						EnteredBy: "bench", EnteredAt: at, Vintage: "年报"}
					vs = append(vs, v)
					es = append(es, audit.New(at, audit.Actor{Name: "bench"}, "bench", "value", "", nil, nil))
				}
			}
			if err := store.NewIndicatorStore(db).AppendAll(ctx, vs, make([]int, len(vs)), es); err != nil {
				b.Fatal(err)
			}
			var sb strings.Builder
			sb.WriteString("code: bench\nname: 基准考核\nyear: 2025\nperiod: \"2025\"\ntotal: 100\ngrades:\n  - {name: 优秀, min: 90, quota_pct: 15}\n  - {name: 合格, min: 0}\n")
			sb.WriteString("groups:\n  - code: all\n    name: 全部\n    units: [")
			for u := range units {
				if u > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(&sb, "B%03d", u)
			}
			sb.WriteString("]\n    items:\n")
			rules := []string{"{family: proportional}", "{family: step, base: 1.5, step: 0.5, step_points: 0.1, floor: 0, cap: 2}",
				"{family: best}", "{family: rank, step_points: 0.01, floor: 0}"}
			for i := range base {
				target := ", target: 8"
				if i%4 >= 2 {
					target = ""
				}
				fmt.Fprintf(&sb, "      - {code: i%02d, indicator: BENCH_%02d, points: 2, source: indicator%s, rule: %s}\n", i, i, target, rules[i%4])
			}
			extras := []string{"{family: bonus, per_item: 1, cap: 3}", "{family: deduct, per_item: 1, cap: 3}", "{family: veto, grade: 合格}"}
			for i := range extra {
				fmt.Fprintf(&sb, "      - {code: x%02d, name: 事项%d, unit: 项, source: entered, rule: %s}\n", i, i, extras[i%3])
			}
			if _, err := e.a.Assess.SaveDraft(ctx, e.actor, e.admin, "bench.yaml", []byte(sb.String())); err != nil {
				b.Fatal(err)
			}
			revision := 0
			for b.Loop() {
				b.StopTimer() // a figure is revised: the sheet is worked out again
				revision++
				if _, err := e.a.Values.Save(ctx, e.actor, e.admin, indicators.Input{Indicator: "BENCH_00", Unit: "B000", Period: "2025",
					Value: fmt.Sprintf("%d.5", revision), Publish: true, Reason: "更正"}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rec, err := e.a.Assess.Preview(ctx, e.admin, "bench")
				if err != nil || len(rec.Groups[0].Rows) != units || len(rec.Groups[0].Rows[0].Cells) != base+extra {
					b.Fatalf("%v", err)
				}
			}
		})
	}
}
