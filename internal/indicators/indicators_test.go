package indicators_test

import (
	"testing"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

var now = time.Date(2025, 10, 20, 9, 0, 0, 0, time.UTC)

func newService(t *testing.T, db *store.DB) *indicators.Service {
	t.Helper()
	clock := func() time.Time { return now }
	ps := plan.NewService(store.NewPlanStore(db), clock)
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Load(t.Context(), audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
		t.Fatal(err)
	}
	return indicators.NewService(store.NewIndicatorStore(db), ps, clock)
}

var (
	admin    = &auth.User{ID: 1, Username: "admin", Role: auth.RoleAdmin}
	stat     = &auth.User{ID: 2, Username: "stat", Role: auth.RoleStatistician}
	reporter = &auth.User{ID: 3, Username: "baima", Role: auth.RoleReporter, Unit: "321203101"}
	leader   = &auth.User{ID: 4, Username: "leader", Role: auth.RoleLeader}
)

func actor(u *auth.User) audit.Actor {
	return audit.Actor{UserID: u.ID, Name: u.Username, Role: string(u.Role)}
}

func TestWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		ctx := t.Context()
		in := indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025Q3", Value: "462.40", Vintage: "初步核算", ReleasedOn: "2025-10-18"}
		v, err := s.Save(ctx, actor(stat), stat, in)
		if err != nil || v.Version != 1 || v.Status != indicators.Draft || v.Unit != "321203" || v.PriceBasis != "current" || v.Value != "462.40" {
			t.Fatalf("save: %+v %v", v, err)
		}
		// A draft is not for leaders.
		if vs, _ := s.Series(ctx, leader, "SVC_VALUE_ADDED", ""); len(vs) != 0 {
			t.Errorf("leader sees a draft: %+v", vs)
		}
		k := indicators.Key{Indicator: "SVC_VALUE_ADDED", Unit: "321203", Period: "2025Q3"}
		if _, err := s.Transition(ctx, actor(stat), stat, k, indicators.Published, ""); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("a statistician published: %v", err)
		}
		if _, err := s.Transition(ctx, actor(stat), stat, k, indicators.Reviewed, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, actor(admin), admin, k, indicators.Published, ""); err != nil {
			t.Fatal(err)
		}
		vs, err := s.Series(ctx, leader, "SVC_VALUE_ADDED", "")
		if err != nil || len(vs) != 1 || vs[0].Value != "462.40" || vs[0].Version != 3 {
			t.Fatalf("leader series: %+v %v", vs, err)
		}
		// A revision of a published value needs a reason; until it is
		// published, leaders keep seeing the published one.
		in.Value = "463.1"
		if _, err := s.Save(ctx, actor(stat), stat, in); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("revision without reason: %v", err)
		}
		in.Reason = "市统计局核实数"
		if v, err := s.Save(ctx, actor(stat), stat, in); err != nil || v.Version != 4 {
			t.Fatalf("revision: %+v %v", v, err)
		}
		if vs, _ := s.Series(ctx, leader, "SVC_VALUE_ADDED", ""); len(vs) != 1 || vs[0].Value != "462.40" {
			t.Errorf("leader after revision: %+v", vs)
		}
		if vs, _ := s.Series(ctx, stat, "SVC_VALUE_ADDED", ""); len(vs) != 1 || vs[0].Value != "463.1" {
			t.Errorf("statistician after revision: %+v", vs)
		}
		hist, err := store.NewIndicatorStore(db).History(ctx, k)
		if err != nil || len(hist) != 4 || hist[0].Reason != "市统计局核实数" || hist[3].Status != indicators.Draft {
			t.Errorf("history: %+v %v", hist, err)
		}
	})
}

func TestSaveChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		ctx := t.Context()
		cases := []struct {
			u    *auth.User
			in   indicators.Input
			kind apperr.Kind
		}{
			{stat, indicators.Input{Indicator: "NOPE", Period: "2025", Value: "1"}, apperr.Invalid},
			{stat, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025-13", Value: "1"}, apperr.Invalid},
			{stat, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2019", Value: "1"}, apperr.Invalid},
			{stat, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025", Value: "1e3"}, apperr.Invalid},
			{stat, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025", Value: "-1"}, apperr.Invalid},
			{stat, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025", Value: "1", Publish: true}, apperr.Forbidden},
			{reporter, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025", Value: "1"}, apperr.Forbidden}, // the district is not its unit
			{leader, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025", Value: "1"}, apperr.Forbidden},
		}
		for _, c := range cases {
			if _, err := s.Save(ctx, actor(c.u), c.u, c.in); apperr.KindOf(err) != c.kind {
				t.Errorf("%s %+v: %v, want %v", c.u.Username, c.in, err, c.kind)
			}
		}
		// A growth rate may be negative; a reporter enters its own unit's.
		v, err := s.Save(ctx, actor(reporter), reporter, indicators.Input{Indicator: "SVC_VALUE_ADDED_GROWTH", Unit: "321203101", Period: "2025", Value: "-0.50"})
		if err != nil || v.Value != "-0.50" || v.PriceBasis != "constant" {
			t.Errorf("negative growth: %+v %v", v, err)
		}
	})
}

// TestReporterSeesOwnDrafts: a unit's reporter sees its own unit's values
// before publication, not the district's.
func TestReporterSeesOwnDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		ctx := t.Context()
		if _, err := s.Save(ctx, actor(stat), stat, indicators.Input{Indicator: "SVC_VALUE_ADDED", Period: "2025Q3", Value: "462.4"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, actor(reporter), reporter, indicators.Input{Indicator: "SVC_VALUE_ADDED", Unit: "321203101",
			Period: "2025Q3", Value: "31.2"}); err != nil {
			t.Fatal(err)
		}
		if vs, _ := s.Series(ctx, reporter, "SVC_VALUE_ADDED", "321203"); len(vs) != 0 {
			t.Errorf("a reporter sees the district's draft: %+v", vs)
		}
		if vs, _ := s.Series(ctx, reporter, "SVC_VALUE_ADDED", "321203101"); len(vs) != 1 || vs[0].Value != "31.2" {
			t.Errorf("a reporter's own draft: %+v", vs)
		}
	})
}
