package projects_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/store/storetest"
)

// benchProjects is the ledger's size; SVCPLAN_BENCH_PROJECTS changes it
// (the city scale is 20,000).
func benchProjects(b *testing.B) int {
	if v := os.Getenv("SVCPLAN_BENCH_PROJECTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 2000
}

// BenchmarkCounts: the year's counts by field, place and unit over a
// ledger of signed, started and completed projects, on each engine, as
// the dashboard and the list page ask for them.
func BenchmarkCounts(b *testing.B) {
	for _, eng := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"sqlite", storetest.SQLiteDSN}, {"postgres", storetest.PostgresDSN}} {
		b.Run(eng.name, func(b *testing.B) {
			db := storetest.MustOpen(b, eng.dsn(b))
			e := newEnvB(b, db)
			n := benchProjects(b)
			fields := []string{"sci-tech", "trade-logistics", "finance", "digital", "business", "health"}
			places := []string{"321203101", "321203104", "321203401", "321203100"}
			for i := range n {
				p := sample(fmt.Sprintf("GG-%06d", i))
				p.Field, p.Unit = fields[i%len(fields)], places[i%len(places)]
				p.Investment.TotalFen = money.Fen(5+i%30) * money.YiYuan / 10
				p.Plans, p.Events = nil, nil
				if _, err := e.svc.Create(b.Context(), e.actor, e.stat, p); err != nil {
					b.Fatal(err)
				}
				on := fmt.Sprintf("%d-%02d-10", 2023+i%3, 1+i%12)
				if _, err := e.svc.AddEvent(b.Context(), e.actor, e.stat, p.Code, 1, projects.Event{Stage: projects.StageSigned, On: on}); err != nil {
					b.Fatal(err)
				}
				if _, err := e.svc.Certify(b.Context(), e.actor, e.stat, p.Code, 2, 1, projects.Certification{On: on, Body: "市发改委"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				c, err := e.svc.Counts(b.Context(), 2025)
				if err != nil || c[projects.StageSigned].Total == 0 {
					b.Fatalf("%v %v", c, err)
				}
			}
		})
	}
}
