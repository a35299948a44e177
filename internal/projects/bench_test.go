package projects_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// benchProjects is the ledger's size; SVCPLAN_BENCH_PROJECTS changes it
// (the city scale is 20,000 projects with 36 monthly rounds).
func benchProjects(b *testing.B) int { return storetest.BenchSize(b, "SVCPLAN_BENCH_PROJECTS", 2000) }

// seedLedger writes n projects (signed, started, some completed) and 36
// months of filings for each, 2024-01 to 2026-12, straight into the store.
func seedLedger(b *testing.B, db *store.DB, n int) {
	b.Helper()
	st := store.NewProjectStore(db)
	fields := []string{"sci-tech", "trade-logistics", "finance", "digital", "business", "health"}
	places := []string{"321203101", "321203104", "321203401", "321203100"}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cert := func(on string) *projects.Certification {
		return &projects.Certification{On: on, Body: "市发改委", By: "bench", EnteredAt: at}
	}
	ps := make([]projects.Project, n)
	var filings []projects.Progress
	for i := range ps {
		p := sample(fmt.Sprintf("GG-%06d", i))
		p.Field, p.Unit = fields[i%len(fields)], places[i%len(places)]
		p.Investment.TotalFen = money.Fen(5+i%30) * money.YiYuan / 10
		p.Plans = []projects.YearPlan{{Year: 2024, Fen: p.Investment.TotalFen / 4}, {Year: 2025, Fen: p.Investment.TotalFen / 4},
			{Year: 2026, Fen: p.Investment.TotalFen / 4}}
		signed, started := fmt.Sprintf("%d-%02d-10", 2023+i%4, 1+i%12), fmt.Sprintf("%d-%02d-20", 2023+i%4, 1+i%12)
		p.Events = []projects.Event{{Stage: projects.StageSigned, On: signed, By: "bench", EnteredAt: at, Certified: cert(signed)},
			{Stage: projects.StageStarted, On: started, By: "bench", EnteredAt: at, Certified: cert(started)}}
		if i%3 == 0 {
			done := fmt.Sprintf("%d-%02d-25", 2024+i%3, 1+i%12)
			p.Events = append(p.Events, projects.Event{Stage: projects.StageCompleted, On: done, By: "bench", EnteredAt: at})
		}
		p.Version, p.UpdatedAt, p.UpdatedBy = 3, at, "bench"
		ps[i] = p
		for m := range 36 {
			y, mo := 2024+m/12, 1+m%12
			ytd := p.Plans[y-2024].Fen * money.Fen(mo) / 13
			if i%5 == 0 {
				ytd /= 3 // behind 序时进度
			}
			filings = append(filings, projects.Progress{Project: p.Code, Period: fmt.Sprintf("%d-%02d", y, mo), Version: 1,
				YTDFen: ytd, SinceStartFen: ytd + p.Investment.TotalFen/4*money.Fen(y-2024), InFAI: true, FAIMonth: "2024-01",
				Status: projects.Published, Unit: "health-commission", EnteredBy: "bench", EnteredAt: at})
		}
	}
	e := audit.New(at, audit.Actor{Name: "bench"}, "bench.seed", "project", "", nil, nil)
	if err := st.ImportProjects(b.Context(), ps, e); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < len(filings); start += 50_000 {
		if err := st.ImportProgress(b.Context(), filings[start:min(start+50_000, len(filings))], e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLedger: the year's counts by field × place × unit and the
// warning list, as the dashboard and the list page ask for them, over a
// seeded ledger on each engine. "cold" reads the whole ledger from the
// store (a new process), "warm" while it is unchanged; "after-change" and
// "after-filing" follow one project's change or filing.
func BenchmarkLedger(b *testing.B) {
	for _, eng := range storetest.Engines {
		b.Run(eng.Name, func(b *testing.B) {
			db := storetest.MustOpen(b, eng.DSN(b))
			e := newEnvB(b, db)
			n := benchProjects(b)
			start := time.Now()
			seedLedger(b, db, n)
			b.Logf("seeded %d projects and %d filings in %v", n, 36*n, time.Since(start).Round(time.Millisecond))
			counts := func(b *testing.B, svc *projects.Service) {
				c, err := svc.Counts(b.Context(), 2025)
				if err != nil || c[projects.StageSigned].Total == 0 {
					b.Fatalf("%v %v", c, err)
				}
			}
			b.Run("counts/cold", func(b *testing.B) {
				for b.Loop() {
					counts(b, newEnvB(b, db).svc)
				}
			})
			b.Run("counts/warm", func(b *testing.B) {
				counts(b, e.svc)
				for b.Loop() {
					counts(b, e.svc)
				}
			})
			// A project changes: the counts and the warnings read and
			// work out again the changed project only.
			change := func(b *testing.B) {
				b.Helper()
				st := store.NewProjectStore(db)
				p, err := st.FindProject(b.Context(), "GG-000002")
				if err != nil {
					b.Fatal(err)
				}
				next := *p
				next.Version++
				next.Leader = "领导" + strconv.Itoa(next.Version)
				if err := st.UpdateProject(b.Context(), *p, next, []string{"leader"}, audit.New(time.Now(), audit.Actor{Name: "bench"}, "bench", "project", "", nil, nil)); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("counts/after-change", func(b *testing.B) {
				counts(b, e.svc)
				for b.Loop() {
					b.StopTimer()
					change(b)
					b.StartTimer()
					counts(b, e.svc)
				}
			})
			b.Run("flags/after-change", func(b *testing.B) {
				e.svc.Flags(b.Context(), e.stat)
				for b.Loop() {
					b.StopTimer()
					change(b)
					b.StartTimer()
					if f, err := e.svc.Flags(b.Context(), e.stat); err != nil || len(f) == 0 {
						b.Fatalf("%d flags, %v", len(f), err)
					}
				}
			})
			b.Run("flags/after-filing", func(b *testing.B) {
				st := store.NewProjectStore(db)
				v := 100
				for b.Loop() {
					b.StopTimer() // a filing arrives: the warnings are computed again
					v++
					f := projects.Progress{Project: "GG-000001", Period: "2026-12", Version: v, Status: projects.Submitted, EnteredAt: time.Now()}
					if err := st.AppendProgress(b.Context(), []projects.Progress{f}, audit.New(time.Now(), audit.Actor{Name: "bench"}, "bench", "project", "", nil, nil)); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if f, err := e.svc.Flags(b.Context(), e.stat); err != nil || len(f) == 0 {
						b.Fatalf("%d flags, %v", len(f), err)
					}
				}
			})
			b.Run("flags/warm", func(b *testing.B) {
				for b.Loop() {
					if f, err := e.svc.Flags(b.Context(), e.stat); err != nil || len(f) == 0 {
						b.Fatalf("%d flags, %v", len(f), err)
					}
				}
			})
		})
	}
}

// BenchmarkImportSheet imports a generated project list of
// SVCPLAN_BENCH_PROJECTS rows (CSV, the columns districts keep) into an
// empty ledger on each engine; rows/s compares with the directory's
// import (BenchmarkImportEnterprises in internal/registry).
func BenchmarkImportSheet(b *testing.B) {
	n := benchProjects(b)
	var csv bytes.Buffer
	csv.WriteString("项目编号,项目名称,建设单位,服务领域,所在镇街(园区),牵头单位,配合单位,项目级别,计划总投资(万元),2026年计划投资(万元),计划开工时间,计划竣工时间\n")
	fields := []string{"科技服务业", "商贸流通业", "产业金融服务", "数字及信息化服务", "商务服务业", "健康服务"}
	places := []string{"永安洲镇", "白马镇", "生物医药产业园"}
	for i := range n {
		fmt.Fprintf(&csv, "GG-%06d,泰州第%d号服务业项目,泰州某%d科技有限公司,%s,%s,区商务局,区发展改革委,%s,%d,%d,2026-%02d-01,2027-%02d-28\n",
			i, i, i, fields[i%len(fields)], places[i%len(places)], []string{"", "市重大", "区重大"}[i%3], 10000+i%50000, 3000+i%9000,
			1+i%12, 1+i%12)
	}
	for _, eng := range storetest.Engines {
		b.Run(eng.Name, func(b *testing.B) {
			b.StopTimer()
			for range b.N {
				db := storetest.MustOpen(b, eng.DSN(b))
				e := newEnvB(b, db)
				rows, _, err := xlsx.Open(bytes.NewReader(csv.Bytes()), int64(csv.Len()), "项目清单.csv", xlsx.Options{})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, err := e.svc.ImportSheet(b.Context(), e.actor, e.stat, rows, table.File{Name: "项目清单.csv"})
				b.StopTimer()
				if err != nil || res.New != n {
					b.Fatalf("%+v %v", res, err)
				}
				rows.Close()
				db.Close()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
