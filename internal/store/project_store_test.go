package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/audit"
	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// TestImportProjectsRoundTrip writes projects and filings in bulk (COPY
// on PostgreSQL, prepared multi-row INSERTs on SQLite, across the chunk
// size) with every kind of value — text needing escapes, a missing
// certification time, booleans — and reads each back exactly as written.
func TestImportProjectsRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewProjectStore(db)
		ctx := t.Context()
		at := time.Date(2026, 6, 1, 9, 0, 0, 123456000, time.UTC)
		var ps []projects.Project
		for i := range 1003 {
			p := projects.Project{Code: fmt.Sprintf("GG-%04d", i), Name: "项目\t名称\\第" + fmt.Sprint(i) + "号\n二期", Builder: "泰州某公司",
				Field: "health", Unit: "321203401", Level: projects.LevelCity, LevelYear: 2026,
				Units:        []projects.UnitRole{{Unit: "commerce", Role: projects.RoleLead}, {Unit: "finance", Role: projects.RoleCo}},
				Investment:   projects.Investment{TotalFen: money.Fen(i+1) * money.YiYuan, Currency: "USD", ForeignMinor: int64(i) * 100, Conversion: "按签约日汇率"},
				Plans:        []projects.YearPlan{{Year: 2026, Fen: money.Fen(i) * money.WanYuan}},
				PlannedStart: "2026-03-01", Version: 1, UpdatedAt: at, UpdatedBy: "stat",
				Events: []projects.Event{{Stage: projects.StageSigned, On: "2026-01-05", Evidence: "签约", By: "stat", EnteredAt: at}}}
			if i%2 == 0 {
				p.Events[0].Certified = &projects.Certification{On: "2026-01-20", Body: "市发改委", By: "chen", EnteredAt: at}
			}
			ps = append(ps, p)
		}
		e := audit.New(at, audit.Actor{Name: "stat"}, "import.projects", "import", "x.csv", nil, nil)
		if err := s.ImportProjects(ctx, ps, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.AllProjects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ps, got); diff != "" {
			t.Errorf("projects read back (-written +read):\n%s", diff)
		}
		filings := []projects.Progress{
			{Project: "GG-0001", Period: "2026-05", Version: 1, YTDFen: 100, SinceStartFen: 200, Image: "主体\\完工", InFAI: true, FAIMonth: "2026-04",
				Status: projects.Published, Unit: "commerce", EnteredBy: "stat", EnteredAt: at},
			{Project: "GG-0002", Period: "2026-05", Version: 1, Status: projects.Submitted, Unit: "commerce", EnteredBy: "stat", EnteredAt: at},
		}
		if err := s.ImportProgress(ctx, filings, e); err != nil {
			t.Fatal(err)
		}
		month, err := s.MonthProgress(ctx, "2026-05")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(filings, month); diff != "" {
			t.Errorf("filings read back (-written +read):\n%s", diff)
		}
		if changed, err := s.ChangedProjects(ctx, 0); err != nil || len(changed) != len(ps) {
			t.Errorf("changed since 0: %d %v", len(changed), err)
		}
		v, _ := s.ProjectsVersion(ctx)
		if changed, err := s.ChangedProjects(ctx, v); err != nil || len(changed) != 0 {
			t.Errorf("changed since now: %d %v", len(changed), err)
		}
	})
}
