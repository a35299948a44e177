package demo_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"svcplan/internal/app"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/demo"
	"svcplan/internal/industry"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

// TestLoad imports a default-size data set into real stores, as the demo
// command would: the directory, every F203 period, every value; nothing
// may be rejected, and the stored totals must be the tables'. (With the
// race detector, a quarter of the firms: it makes SQLite ten times
// slower.)
func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		clock := func() time.Time { return through }
		admin := &auth.User{ID: 1, Username: "admin", Role: auth.RoleAdmin}
		actor := audit.Actor{UserID: 1, Name: "admin", Role: string(auth.RoleAdmin)}

		start := time.Now()
		a, err := app.New(ctx, db, app.Config{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Plans.Load(ctx, audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
			t.Fatal(err)
		}
		opts := demo.Options{Seed: 1, Through: through}
		if raceDetector {
			opts.Firms = demo.DefaultFirms / 4
		}
		d, err := demo.Generate(parsed.Plan, industry.Default(), opts)
		if err != nil {
			t.Fatal(err)
		}
		generated := time.Since(start)

		reportStore := store.NewReportStore(db)
		svc := demo.Services{Directory: a.Registry, Reports: a.Reports, Values: a.Values, Projects: a.Projects, Assess: a.Assess, Supervise: a.Supervise, Buildings: a.Buildings}
		c, err := demo.Fill(ctx, svc, actor, admin, d)
		if err != nil {
			t.Fatal(err)
		}
		reported := 0
		for _, rf := range d.Reports {
			reported += len(rf.Rows) - 1
		}
		if c.Firms != len(d.Firms)-1 || c.Reports != reported || c.Periods != len(d.Reports) || c.Values != len(d.Values) ||
			c.Projects != len(d.Projects) {
			t.Errorf("filled %+v; generated %d firms, %d report rows in %d periods, %d values", c, len(d.Firms)-1, reported,
				len(d.Reports), len(d.Values))
		}
		// The assessment is published and scored: both groups ranked,
		// every family used, one town vetoed.
		res, err := a.Assess.Latest(ctx, admin, "2025-units")
		if err != nil {
			t.Fatal(err)
		}
		if g := res.Run.Sheet.Groups; len(g) != 2 || len(g[0].Rows) < 10 || len(g[1].Rows) != 3 || len(g[0].Items) != 10 {
			t.Errorf("the demo's assessment: %d groups", len(g))
		}
		vetoed, missing := 0, 0
		for _, r := range res.Run.Sheet.Groups[0].Rows {
			if r.Veto != "" {
				vetoed++
			}
			for _, c := range r.Cells {
				if c.Missing {
					missing++
				}
			}
		}
		if vetoed != 1 || missing != 0 {
			t.Errorf("the demo's towns: %d vetoed, %d cells without a figure", vetoed, missing)
		}
		// 督查督办: every state and light, and a self-report the data contradicts.
		board, err := a.Supervise.Board(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, l := range board {
			seen[string(l.Item.Status)] = true
			seen[string(l.Signal.Light)] = true
			if l.Item.Pending != nil {
				seen["pending"] = true
			}
			if l.Signal.Contradicted != "" {
				seen["contradicted"] = true
			}
			if l.Item.Indicator == "NEW_ABOVE_SIZE_SVC_FIRMS" && !strings.HasPrefix(l.Signal.Contradicted, "自报已完成,数据显示完成率") {
				t.Errorf("the directory's count does not contradict the town's word: %+v", l)
			}
		}
		for _, want := range []string{"assigned", "working", "requested", "closed", "red", "yellow", "green", "pending", "contradicted"} {
			if !seen[want] || len(board) != 42 {
				t.Errorf("the demo's supervision lacks %s (%d items)", want, len(board))
			}
		}
		// 25 buildings, one 亿元楼 that was not one last year, and the
		// sweeps: the first confirmed into the 台账, the second waiting.
		b, err := a.Buildings.Board(ctx, admin)
		if err != nil || len(b.Rows) != 25 || b.TierCounts[0].Tier != "亿元楼" || b.TierCounts[0].N < 1 {
			t.Fatalf("buildings: %v %+v", err, b)
		}
		for _, r := range b.Rows {
			if r.Place.Tier == "亿元楼" && (r.Prior == nil || *r.Prior >= 100_000_000*money.Yuan) && r.Building.Code == "GG-001" {
				t.Errorf("GG-001 was already a 亿元楼 in the same months of last year: %v", r.Prior)
			}
		}
		visits, err := a.Buildings.Visits(ctx, admin, "GG-002")
		if err != nil || len(visits) != 2 || visits[0].Status != buildings.VisitFiled || visits[1].Status != buildings.VisitConfirmed {
			t.Errorf("the sweeps of GG-002: %v %+v", err, visits)
		}
		// The stored ledger counts as the generated one.
		stored, err := a.Projects.Counts(ctx, 2025)
		if err != nil {
			t.Fatal(err)
		}
		for s, want := range projects.DefaultRules().Count(d.Projects, 2025) {
			if got := stored[s]; !slices.Equal(got.Projects, want.Projects) || got.Total == 0 {
				t.Errorf("stored 2025 %s: %v, generated %v", s.Label(), got.Projects, want.Projects)
			}
		}
		total := time.Since(start)
		t.Logf("generated in %v; %+v imported in %v", generated.Round(time.Millisecond), c, total.Round(time.Millisecond))

		// The stored 2025 total is the table's.
		var want int64
		for _, r := range rows(d, 202512) {
			fen, _ := money.Parse(r[3], money.QianYuan)
			want += int64(fen)
		}
		rollups, err := reportStore.Rollups(ctx, reports.Query{Form: "F203", Periods: []reports.Period{202512}, RevenueOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		for _, r := range rollups {
			got += r.Sums[reports.Revenue].Cur
		}
		if got != want || got == 0 {
			t.Errorf("2025 revenue stored %d fen, the table has %d", got, want)
		}
		// Leaders see the values: they are published.
		leader := &auth.User{ID: 2, Username: "leader", Role: auth.RoleLeader}
		if vs, err := a.Values.Series(ctx, leader, "SVC_VALUE_ADDED", ""); err != nil || len(vs) == 0 {
			t.Errorf("a leader sees %d values of SVC_VALUE_ADDED: %v", len(vs), err)
		}
	})
}
