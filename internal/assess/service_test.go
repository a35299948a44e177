package assess_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"svcplan/internal/app"
	"svcplan/internal/apperr"
	"svcplan/internal/assess"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

var now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

type env struct {
	a     *app.App
	admin *auth.User
	actor audit.Actor
}

func newEnv(t testing.TB, db *store.DB) *env { return newEnvWith(t, db, nil) }

// newEnvWith is newEnv with the shipped plan changed by change first.
func newEnvWith(t testing.TB, db *store.DB, change func(*plan.Plan)) *env {
	t.Helper()
	a, err := app.New(t.Context(), db, app.Config{Now: func() time.Time { return now }, Hash: auth.HashParams{Time: 1, Memory: 8, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(parsed.Plan)
	}
	if _, err := a.Plans.Load(t.Context(), audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
		t.Fatal(err)
	}
	return &env{a: a, admin: &auth.User{Username: "chen", Role: auth.RoleAdmin}, actor: audit.Actor{Name: "chen", Role: "admin"}}
}

// publish saves a published value, as the bureau released it.
func (e *env) publish(t *testing.T, indicator, unit, period, value string) {
	t.Helper()
	if _, err := e.a.Values.Save(t.Context(), e.actor, e.admin, indicators.Input{Indicator: indicator, Unit: unit, Period: period,
		Value: value, Vintage: "年报", ReleasedOn: "2026-02-20", Publish: true, Reason: "更正"}); err != nil {
		t.Fatal(err)
	}
}

// TestAssessFlow: a draft previewed on published figures (drafts never
// count), published, scored; a later revision shows which cell it would
// change; a reporter sees only its own unit.
func TestAssessFlow(t *testing.T) {
	body, err := os.ReadFile("testdata/towns.yaml")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		svc := e.a.Assess
		for unit, v := range map[string][2]string{"321203101": {"18", "8.6"}, "321203103": {"12", "7.3"}, "321203104": {"9", "9.2"}, "321203105": {"10", "8.0"}} {
			e.publish(t, "ABOVE_SIZE_SVC_REVENUE", unit, "2025", v[0])
			e.publish(t, "SVC_VALUE_ADDED_GROWTH", unit, "2025", v[1])
		}
		// A draft figure is never read.
		stat := &auth.User{Username: "stat", Role: auth.RoleStatistician}
		if _, err := e.a.Values.Save(ctx, audit.Actor{Name: "stat"}, stat, indicators.Input{Indicator: "NEW_ABOVE_SIZE_SVC_FIRMS",
			Unit: "321203101", Period: "2025", Value: "99"}); err != nil {
			t.Fatal(err)
		}

		if _, err := svc.SaveDraft(ctx, e.actor, stat, "towns.yaml", body); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("a statistician saves a scheme: %v", err)
		}
		bad := strings.Replace(string(body), "points: 15", "points: 14", 1)
		if _, err := svc.SaveDraft(ctx, e.actor, e.admin, "towns.yaml", []byte(bad)); apperr.KindOf(err) != apperr.Invalid ||
			!strings.Contains(apperr.Message(err), "本组基本分合计29分,与总分30分不符") {
			t.Errorf("bad weights: %v", err)
		}
		v, err := svc.SaveDraft(ctx, e.actor, e.admin, "towns.yaml", body)
		if err != nil || v.Version != 1 || v.Status != assess.Draft {
			t.Fatalf("draft: %+v %v", v, err)
		}
		if _, err := svc.EnterFact(ctx, e.actor, e.admin, assess.Fact{Scheme: "2025-towns", Group: "towns", Item: "honours", Unit: "321203101",
			Value: "1"}); apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "佐证") {
			t.Errorf("a fact without evidence: %v", err)
		}
		if _, err := svc.EnterFact(ctx, e.actor, e.admin, assess.Fact{Scheme: "2025-towns", Group: "towns", Item: "revenue", Unit: "321203101",
			Value: "30", Evidence: "x"}); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("a fact for a published indicator: %v", err)
		}
		for _, f := range []assess.Fact{
			{Scheme: "2025-towns", Group: "towns", Item: "honours", Unit: "321203101", Value: "1", Evidence: "苏政发〔2025〕12号表彰"},
			{Scheme: "2025-towns", Group: "towns", Item: "honours", Unit: "321203104", Value: "2", Evidence: "省商务厅通报"},
			{Scheme: "2025-towns", Group: "towns", Item: "safety", Unit: "321203105", Value: "1", Evidence: "区应急局事故通报"},
		} {
			if _, err := svc.EnterFact(ctx, e.actor, e.admin, f); err != nil {
				t.Fatal(err)
			}
		}
		prev, err := svc.Preview(ctx, e.admin, "2025-towns")
		if err != nil {
			t.Fatal(err)
		}
		// No new-firm figure is published (白马's is a draft): every town
		// scores 0 on them; 大泗 leads with 9 + 17 + 0 + 1.
		rows := prev.Groups[0].Rows
		if rows[0].Unit != "321203104" || rows[0].Total != "27.00" {
			t.Errorf("preview's first: %+v", rows[0])
		}
		for _, r := range rows {
			if r.Unit == "321203101" && (r.Total != "26.00" || !r.Cells[2].Missing || r.Cells[3].Source != "考核办录入:苏政发〔2025〕12号表彰") {
				t.Errorf("preview of 白马: %+v", r)
			}
		}
		if _, err := svc.ScoreRun(ctx, e.actor, e.admin, "2025-towns"); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("a draft scored: %v", err)
		}
		if _, err := svc.Publish(ctx, e.actor, e.admin, "2025-towns", 1, ""); err != nil {
			t.Fatal(err)
		}
		for unit, n := range map[string]string{"321203101": "6", "321203103": "6", "321203104": "3", "321203105": "2"} {
			e.publish(t, "NEW_ABOVE_SIZE_SVC_FIRMS", unit, "2025", n)
		}
		run, err := svc.ScoreRun(ctx, e.actor, e.admin, "2025-towns")
		if err != nil || run.Version != 2 {
			t.Fatalf("score: %+v %v", run, err)
		}
		var got []string
		for _, r := range run.Sheet.Groups[0].Rows {
			got = append(got, r.Unit+" "+r.Total+" "+r.Grade)
		}
		if want := "321203101 31.00 优秀|321203104 30.00 良好|321203103 30.00 良好|321203105 28.00 不合格"; strings.Join(got, "|") != want {
			t.Errorf("run: %s, want %s", strings.Join(got, "|"), want)
		}
		if c := run.Sheet.Groups[0].Rows[0].Cells[0]; c.Actual != "18" || c.Source != "已发布指标数值第1版 · 年报 · 2026-02-20发布" || c.Ref != "v1" || c.Rate != "90.0" {
			t.Errorf("a cell's figure: %+v", c)
		}

		// The bureau revises 胡庄's revenue: the run stays; the change is listed.
		e.publish(t, "ABOVE_SIZE_SVC_REVENUE", "321203103", "2025", "9.5")
		res, err := svc.Latest(ctx, e.admin, "2025-towns")
		if err != nil || res.Run.ID != run.ID || len(res.Changes) != 1 {
			t.Fatalf("latest: %+v %v", res, err)
		}
		if c := res.Changes[0]; c.Unit != "321203103" || c.Was != "12" || c.Now != "9.5" || c.WasScore != "10.00" || c.NowScore != "9.50" ||
			c.NowTotal != "29.50" || c.NowRank != 3 {
			t.Errorf("change: %+v", c)
		}
		if res.Run.Sheet.Groups[0].Rows[2].Total != "30.00" {
			t.Errorf("the run changed with the figure")
		}

		// A reporter sees its own unit only.
		rep := &auth.User{Username: "hz", Role: auth.RoleReporter, Unit: "321203103"}
		mine, err := svc.Latest(ctx, rep, "2025-towns")
		if err != nil || len(mine.Run.Sheet.Groups[0].Rows) != 1 || mine.Run.Sheet.Groups[0].Rows[0].Rank != 3 || len(mine.Changes) != 1 {
			t.Errorf("the reporter's view: %+v %v", mine, err)
		}
		if run.Sheet.Groups[0].Rows[0].Unit != "321203101" {
			t.Errorf("the reporter's view changed the run")
		}

		// Superseding the published scheme needs a reason.
		if _, err := svc.SaveDraft(ctx, e.actor, e.admin, "towns.yaml", body); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.actor, e.admin, "2025-towns", 3, ""); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("supersede without a reason: %v", err)
		}
		if v, err := svc.Publish(ctx, e.actor, e.admin, "2025-towns", 3, "更正胡庄镇目标"); err != nil || v.Version != 4 {
			t.Errorf("supersede: %+v %v", v, err)
		}
		if es, _ := e.a.Audit.List(ctx, audit.Filter{Action: "assess.score"}); len(es) != 1 {
			t.Errorf("score runs audited: %d", len(es))
		}
	})
}
