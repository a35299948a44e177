package buildings_test

import (
	"fmt"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/buildings/buildingstest"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// benchFirms is the directory's size; the city has as many buildings,
// rooms and occupancies in proportion (400,000 firms: 2,000 buildings,
// 150,000 rooms, 300,000 occupancies). SVCPLAN_BENCH_FIRMS changes it.
func benchFirms(b *testing.B) int { return storetest.BenchSize(b, "SVCPLAN_BENCH_FIRMS", 20_000) }

var benchNow = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)

// BenchmarkBoard: the board (tier counts, every building's measures and
// tax) and a building's page with its diagnosis at city scale, on each
// engine. "cold" reads everything (a new process); "warm" while nothing
// changed; "next-day" works the board out again from the data held;
// "after-correction" and "after-visit" follow a one-row tax correction
// and a confirmed visit made through the service; "diagnosis" is a themed
// building's page; "ranking" orders the board by every measure and lists
// the 准亿元楼 candidates.
func BenchmarkBoard(b *testing.B) {
	for _, eng := range storetest.Engines {
		b.Run(eng.Name, func(b *testing.B) {
			db := storetest.MustOpen(b, eng.DSN(b))
			n := benchFirms(b)
			start := time.Now()
			dir, err := buildingstest.SeedCity(b.Context(), store.NewBuildingStore(db), n, 36, benchNow.Add(-24*time.Hour))
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("seeded %d firms, %d buildings, 36 months of tax in %v", n, buildingstest.Buildings(n), time.Since(start).Round(time.Millisecond))
			now := benchNow
			clock := func() time.Time { return now }
			ps := plan.NewService(store.NewPlanStore(db), clock)
			newSvc := func() *buildings.Service {
				return buildings.NewService(store.NewBuildingStore(db), ps, directory(dir), store.NewSettingsStore(db), clock)
			}
			stat := &auth.User{Username: "stat", Role: auth.RoleStatistician}
			actor := audit.Actor{Name: "stat", Role: "statistician"}
			board := func(b *testing.B, s *buildings.Service) *buildings.Board {
				bd, err := s.Board(b.Context(), stat)
				if err != nil || len(bd.Rows) == 0 || !bd.Rows[0].HasTax {
					b.Fatalf("%v %+v", err, bd)
				}
				return bd
			}
			b.Run("cold", func(b *testing.B) {
				for b.Loop() {
					board(b, newSvc())
				}
			})
			s := newSvc()
			board(b, s)
			b.Run("warm", func(b *testing.B) {
				for b.Loop() {
					board(b, s)
				}
			})
			b.Run("next-day", func(b *testing.B) {
				day := 0
				for b.Loop() {
					day = 1 - day // the board is the day's: each time another day's
					now = benchNow.AddDate(0, 0, day)
					board(b, s)
				}
				now = benchNow
			})
			b.Run("after-correction", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					fix := lines("纳税人识别号,纳税人名称,税款所属期,全口径税收(万元)", fmt.Sprintf("%s,某,2026-11,%d", buildingstest.Code(i%n), 1000+i))
					if res, err := s.ImportTax(b.Context(), actor, stat, fix, table.File{Name: "更正.csv", SHA256: "c"}, ""); err != nil || len(res.Errors) > 0 {
						b.Fatalf("%v %+v", err, res)
					}
					board(b, s)
				}
			})
			b.Run("after-visit", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					code := fmt.Sprintf("CS-%04d", i%buildingstest.Buildings(n))
					room := fmt.Sprintf("%d%02d", (i/7)%15+1, i%5+1)
					v, err := s.FileVisit(b.Context(), actor, stat, buildings.Visit{Building: code, Date: "2026-12-04", Team: "街道",
						Findings: []buildings.Finding{{Room: room, Result: buildings.ResultVacant}}}, nil)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := s.DecideVisit(b.Context(), actor, stat, v.ID, true, ""); err != nil {
						b.Fatal(err)
					}
					board(b, s)
				}
			})
			b.Run("diagnosis", func(b *testing.B) {
				board(b, s)
				for b.Loop() {
					d, err := s.Find(b.Context(), stat, "CS-0003")
					if err != nil || d.Diagnosis == nil || d.Diagnosis.ThemeFit == nil {
						b.Fatalf("%v %+v", err, d)
					}
				}
			})
			b.Run("ranking", func(b *testing.B) {
				for b.Loop() {
					bd := board(b, s)
					for _, k := range buildings.RankKeys {
						buildings.Rank(bd.Rows, k)
					}
					buildings.Candidates(bd.Rows, bd.Rules, "亿元楼")
				}
			})
		})
	}
}
