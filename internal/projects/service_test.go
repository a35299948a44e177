package projects_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

var now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

type env struct {
	svc   *projects.Service
	audit *store.AuditStore
	stat  *auth.User
	actor audit.Actor
}

func newEnv(t *testing.T, db *store.DB) *env { return newEnvB(t, db) }

func newEnvB(t testing.TB, db *store.DB) *env {
	t.Helper()
	ps := plan.NewService(store.NewPlanStore(db), func() time.Time { return now })
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Load(t.Context(), audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
		t.Fatal(err)
	}
	svc := projects.NewService(store.NewProjectStore(db), ps, store.NewSettingsStore(db), func() time.Time { return now })
	return &env{svc: svc, audit: store.NewAuditStore(db), stat: &auth.User{Username: "stat", Role: auth.RoleStatistician},
		actor: audit.Actor{Name: "stat", Role: "statistician", Addr: "192.0.2.7"}}
}

// sample is a project as a statistician enters it.
func sample(code string) projects.Project {
	return projects.Project{Code: code, Name: "泰州医药城CRO服务中心", Builder: "泰州某医药科技有限公司",
		BuilderUSCC: "91321203MA10012200", Field: "health", Unit: "321203401",
		Units:  []projects.UnitRole{{Unit: "health-commission", Role: projects.RoleLead}, {Unit: "development-reform", Role: projects.RoleCo}},
		Leader: "王某某", Level: projects.LevelCity, LevelList: "2026年市重大项目清单", LevelYear: 2026,
		Investment:   projects.Investment{TotalFen: 32 * money.YiYuan / 10, Currency: projects.CNY},
		Plans:        []projects.YearPlan{{Year: 2026, Fen: 12 * money.YiYuan / 10}, {Year: 2025, Fen: 2 * money.YiYuan / 10}},
		PlannedStart: "2025-10-01", PlannedEnd: "2027-06-30"}
}

func TestProjectLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		p, err := e.svc.Create(ctx, e.actor, e.stat, sample("GG-2025-001"))
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || p.Stage() != projects.StagePlanning || p.Plans[0].Year != 2025 {
			t.Errorf("created: %+v", p)
		}
		if _, err := e.svc.Create(ctx, e.actor, e.stat, sample("GG-2025-001")); apperr.KindOf(err) != apperr.Conflict ||
			!strings.Contains(apperr.Message(err), "项目编号“GG-2025-001”已被使用") {
			t.Errorf("duplicate code: %v", err)
		}

		// Stages, one by one, each checked; then certified.
		p, err = e.svc.AddEvent(ctx, e.actor, e.stat, p.Code, 1, projects.Event{Stage: projects.StageSigned, On: "2025-09-18", Evidence: "签约仪式", Attachment: "投资协议.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		p, err = e.svc.AddEvent(ctx, e.actor, e.stat, p.Code, 2, projects.Event{Stage: projects.StageStarted, On: "2025-12-20"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Certify(ctx, e.actor, e.stat, p.Code, 3, 2, projects.Certification{On: "2026-01-15"}); apperr.KindOf(err) != apperr.Invalid ||
			!strings.Contains(apperr.Message(err), "认定须写明认定机关") {
			t.Errorf("certification without a body: %v", err)
		}
		p, err = e.svc.Certify(ctx, e.actor, e.stat, p.Code, 3, 2, projects.Certification{On: "2026-01-15", Body: "泰州市发展和改革委员会"})
		if err != nil {
			t.Fatal(err)
		}
		if c := p.Events[1].Certified; c == nil || c.By != "stat" || c.On != "2026-01-15" || p.Version != 4 {
			t.Errorf("certified: %+v", p)
		}

		// Read back whole, with its history.
		got, err := e.svc.Find(ctx, e.stat, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 4 || len(got.Events) != 2 || got.Events[1].Certified == nil || got.Events[0].Attachment != "投资协议.pdf" ||
			len(got.Units) != 2 || got.Lead() != "health-commission" || len(got.Plans) != 2 || got.Investment.TotalFen != 32*money.YiYuan/10 {
			t.Errorf("found: %+v", got)
		}
		hist, err := e.svc.History(ctx, e.stat, p.Code)
		if err != nil || len(hist) != 3 || hist[0].Version != 3 || strings.Join(hist[0].Changed, ",") != "events" ||
			hist[0].Events[1].Certified != nil || hist[2].Version != 1 || len(hist[2].Events) != 0 {
			t.Errorf("history: %+v %v", hist, err)
		}
		if es, _ := e.audit.ListAudit(ctx, audit.Filter{Action: "project.certify"}); len(es) != 1 || es[0].ObjectID != p.Code {
			t.Errorf("audit: %+v", es)
		}

		// The started project counts for 2025, the year it started (default rules).
		counts, err := e.svc.Counts(ctx, 2025)
		if err != nil || counts[projects.StageStarted].Total != 1 || counts[projects.StageSigned].Total != 0 ||
			counts[projects.StageStarted].ByUnit["development-reform"] != 1 {
			t.Errorf("counts 2025: %+v %v", counts[projects.StageStarted], err)
		}

		// An update at a stale version is refused; a good one keeps the events.
		edit := sample(p.Code)
		edit.Name = "泰州医药城CRO公共服务中心"
		if _, err := e.svc.Update(ctx, e.actor, e.stat, p.Code, 3, edit); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("stale update: %v", err)
		}
		p, err = e.svc.Update(ctx, e.actor, e.stat, p.Code, 4, edit)
		if err != nil || p.Name != edit.Name || len(p.Events) != 2 || p.Version != 5 {
			t.Fatalf("update: %+v %v", p, err)
		}
		if hist, _ := e.svc.History(ctx, e.stat, p.Code); strings.Join(hist[0].Changed, ",") != "name" {
			t.Errorf("update history: %+v", hist[0].Changed)
		}

		// Scope: a reporter of the hosting park sees it, another town's does not.
		park := &auth.User{Role: auth.RoleReporter, Unit: "321203401"}
		town := &auth.User{Role: auth.RoleReporter, Unit: "321203104"}
		if _, err := e.svc.Find(ctx, park, p.Code); err != nil {
			t.Errorf("park reporter: %v", err)
		}
		if _, err := e.svc.Find(ctx, town, p.Code); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("other town: %v", err)
		}
		if _, total, _ := e.svc.List(ctx, town, projects.Filter{}); total != 0 {
			t.Errorf("other town lists %d projects", total)
		}
		if list, total, err := e.svc.List(ctx, &auth.User{Role: auth.RoleReporter, Unit: "development-reform"}, projects.Filter{Query: "CRO"}); err != nil ||
			total != 1 || list[0].Code != p.Code || len(list[0].Events) != 2 {
			t.Errorf("co-unit list: %d %v", total, err)
		}
		if _, err := e.svc.AddEvent(ctx, e.actor, park, p.Code, 5, projects.Event{Stage: projects.StageCompleted, On: "2026-03-01"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("reporter editing the ledger: %v", err)
		}
	})
}

// Bad input is refused naming the field, and nothing is written.
func TestProjectRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		bad := sample("GG 001")
		bad.Field, bad.Unit, bad.BuilderUSCC = "mining", "321299999", "91321203MA1001220"
		bad.Units = append(bad.Units, projects.UnitRole{Unit: "commerce", Role: projects.RoleLead})
		bad.Plans = append(bad.Plans, projects.YearPlan{Year: 2027, Fen: 4 * money.YiYuan})
		bad.PlannedEnd = "2025-01-01"
		_, err := e.svc.Create(ctx, e.actor, e.stat, bad)
		var ae *apperr.Error
		if !errorsAs(err, &ae) || ae.Kind != apperr.Invalid {
			t.Fatalf("bad project: %v", err)
		}
		for field, want := range map[string]string{
			"code":         "项目编号“GG 001”应为不超过40个字符的编号",
			"builder_uscc": "建设单位统一社会信用代码",
			"field":        "服务领域“mining”不是本规划的十大领域之一",
			"unit":         "“321299999”不是本区的镇(街道)或园区",
			"units":        "应有且只有一个牵头责任单位,实有2个",
			"plans":        "2027年计划投资40000万元应在0与计划总投资之间",
			"planned_end":  "计划竣工日期2025-01-01早于计划开工日期2025-10-01",
		} {
			if !strings.Contains(ae.Fields[field], want) {
				t.Errorf("%s: %q, want %q", field, ae.Fields[field], want)
			}
		}
		usd := sample("GG-USD")
		usd.Investment = projects.Investment{TotalFen: 71 * money.YiYuan / 100, Currency: "USD"}
		if _, err := e.svc.Create(ctx, e.actor, e.stat, usd); !errorsAs(err, &ae) ||
			!strings.Contains(ae.Fields["investment.foreign_minor"], "外资项目应填写外币计划总投资") ||
			!strings.Contains(ae.Fields["investment.conversion"], "外资项目应写明折算人民币所用的汇率和日期") {
			t.Errorf("foreign project without its amount: %v", err)
		}
		if _, total, _ := e.svc.List(ctx, e.stat, projects.Filter{}); total != 0 {
			t.Fatalf("refused projects were written: %d", total)
		}

		p, err := e.svc.Create(ctx, e.actor, e.stat, sample("GG-002"))
		if err != nil {
			t.Fatal(err)
		}
		p, _ = e.svc.AddEvent(ctx, e.actor, e.stat, p.Code, 1, projects.Event{Stage: projects.StageStarted, On: "2026-02-01"})
		for _, tt := range []struct {
			ev   projects.Event
			want string
		}{
			{projects.Event{Stage: projects.StageSigned, On: "2026-02-10"}, "项目已到“新开工”阶段,退回“签约”须说明原因"},
			{projects.Event{Stage: projects.StageCompleted, On: "2026-04-01"}, "竣工日期“2026-04-01”晚于今天"},
			{projects.Event{Stage: projects.StageCompleted, On: "2026-01-10"}, "竣工日期2026-01-10早于上一阶段“新开工”的日期2026-02-01"},
			{projects.Event{Stage: projects.StageStarted, On: "2026-03-01"}, "项目已在“新开工”阶段"},
			{projects.Event{Stage: "finished", On: "2026-03-01"}, "阶段“finished”不认识"},
		} {
			if _, err := e.svc.AddEvent(ctx, e.actor, e.stat, p.Code, 2, tt.ev); apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("%+v: %v, want %q", tt.ev, err, tt.want)
			}
		}
		// Back a stage with a reason is allowed.
		if _, err := e.svc.AddEvent(ctx, e.actor, e.stat, p.Code, 2, projects.Event{Stage: projects.StageSigned, On: "2026-03-01", Reason: "施工许可被撤回,重新签约"}); err != nil {
			t.Errorf("back with a reason: %v", err)
		}
		if _, err := e.svc.Certify(ctx, e.actor, e.stat, p.Code, 3, 1, projects.Certification{On: "2026-01-05", Body: "市发改委"}); apperr.KindOf(err) != apperr.Invalid ||
			!strings.Contains(apperr.Message(err), "认定日期2026-01-05早于新开工日期2026-02-01") {
			t.Errorf("certified before the event: %v", err)
		}
	})
}

func TestProjectRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		admin := &auth.User{Username: "admin", Role: auth.RoleAdmin}
		r := projects.DefaultRules()
		r.Date = projects.DateCertified
		if err := e.svc.SaveRules(ctx, e.actor, e.stat, r); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("statistician saving rules: %v", err)
		}
		bad := r
		bad.CertifiedOnly = false
		if err := e.svc.SaveRules(ctx, e.actor, admin, bad); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("bad rules: %v", err)
		}
		if err := e.svc.SaveRules(ctx, e.actor, admin, r); err != nil {
			t.Fatal(err)
		}
		// A new service (a restart) reads the saved rules.
		fresh := newEnv(t, db)
		if err := fresh.svc.LoadRules(ctx); err != nil || fresh.svc.Rules().Date != projects.DateCertified ||
			fresh.svc.Rules().MinTotalFen != money.YiYuan {
			t.Errorf("loaded rules: %+v %v", fresh.svc.Rules(), err)
		}
	})
}

func errorsAs(err error, target **apperr.Error) bool { return errors.As(err, target) }

// A month's round: a reporter files for their unit's project, a
// statistician returns, the unit files again, the round is published, and
// a published figure changes only with a reason.
func TestRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		p, err := e.svc.Create(ctx, e.actor, e.stat, sample("GG-2025-001")) // 3.2亿元, health-commission leads
		if err != nil {
			t.Fatal(err)
		}
		done := sample("GG-2023-009")
		done.Unit = "321203104"
		if _, err := e.svc.Create(ctx, e.actor, e.stat, done); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddEvent(ctx, e.actor, e.stat, done.Code, 1, projects.Event{Stage: projects.StageCompleted, On: "2025-11-30"}); err != nil {
			t.Fatal(err)
		}
		health := &auth.User{Username: "wjw", Role: auth.RoleReporter, Unit: "health-commission"}
		hActor := audit.Actor{Name: "wjw", Role: "reporter"}
		yi := money.YiYuan
		in := projects.ProgressInput{Project: p.Code, Period: "2026-02", YTDFen: 3 * yi / 10, SinceStartFen: 8 * yi / 10, Image: "主体结构施工至三层"}

		for _, tt := range []struct {
			name string
			u    *auth.User
			edit func(*projects.ProgressInput)
			kind apperr.Kind
			want string
		}{
			{"another unit", &auth.User{Role: auth.RoleReporter, Unit: "commerce"}, nil, apperr.Forbidden, "不是本单位的项目"},
			{"statistician", e.stat, nil, apperr.Forbidden, ""},
			{"above the total", health, func(i *projects.ProgressInput) { i.SinceStartFen = 4 * yi }, apperr.Invalid, "超过计划总投资32000万元"},
			{"future month", health, func(i *projects.ProgressInput) { i.Period = "2026-04" }, apperr.Invalid, "晚于本月"},
			{"bad month", health, func(i *projects.ProgressInput) { i.Period = "2026-13" }, apperr.Invalid, "应为2026-03这样的年月"},
			{"入库 without month", health, func(i *projects.ProgressInput) { i.InFAI = true }, apperr.Invalid, "固投入库月份"},
		} {
			bad := in
			if tt.edit != nil {
				tt.edit(&bad)
			}
			if _, err := e.svc.File(ctx, hActor, tt.u, bad); apperr.KindOf(err) != tt.kind || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("%s: %v, want %v %q", tt.name, err, tt.kind, tt.want)
			}
		}

		got, err := e.svc.File(ctx, hActor, health, in)
		if err != nil || got.Version != 1 || got.Status != projects.Submitted || got.Unit != "health-commission" {
			t.Fatalf("file: %+v %v", got, err)
		}
		if _, err := e.svc.Return(ctx, e.actor, e.stat, p.Code, "2026-02", "形象进度与现场不符"); err != nil {
			t.Fatal(err)
		}
		in.Image = "主体结构施工至二层"
		if got, err = e.svc.File(ctx, hActor, health, in); err != nil || got.Version != 3 {
			t.Fatalf("file again: %+v %v", got, err)
		}
		round, err := e.svc.Round(ctx, e.stat, "2026-02")
		if err != nil || len(round) != 1 || round[0].Latest == nil || round[0].Latest.Version != 3 {
			t.Fatalf("round (the project completed in 2025 is not in it): %+v %v", round, err)
		}
		if n, err := e.svc.Publish(ctx, e.actor, e.stat, "2026-02"); err != nil || n != 1 {
			t.Fatalf("publish: %d %v", n, err)
		}
		if _, err := e.svc.Publish(ctx, e.actor, e.stat, "2026-02"); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("publish twice: %v", err)
		}
		in.YTDFen = 4 * yi / 10
		if _, err := e.svc.File(ctx, hActor, health, in); apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "已发布,修改须说明原因") {
			t.Errorf("revising a published figure without a reason: %v", err)
		}
		in.Reason = "补报2月下旬设备款"
		if got, err = e.svc.File(ctx, hActor, health, in); err != nil || got.Version != 5 || got.Status != projects.Submitted {
			t.Fatalf("revision: %+v %v", got, err)
		}
		// March may not fall below February without a reason.
		march := projects.ProgressInput{Project: p.Code, Period: "2026-03", YTDFen: 2 * yi / 10, SinceStartFen: 9 * yi / 10}
		if _, err := e.svc.File(ctx, hActor, health, march); apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "少于2026-02的4000万元") {
			t.Errorf("falling year to date: %v", err)
		}
		hist, err := e.svc.ProgressOf(ctx, e.stat, p.Code)
		if err != nil || len(hist) != 5 || hist[0].Version != 5 || hist[1].Status != projects.Published || hist[3].Status != projects.Returned ||
			hist[3].Reason != "形象进度与现场不符" {
			t.Errorf("history: %+v %v", hist, err)
		}
		if es, _ := e.audit.ListAudit(ctx, audit.Filter{Action: "project.round_publish"}); len(es) != 1 || es[0].ObjectID != "2026-02" {
			t.Errorf("audit: %+v", es)
		}
	})
}

// The warnings come from the ledger and the latest filing of the year,
// within the user's scope.
func TestProjectFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // today is 2026-03-10
		ctx := t.Context()
		p := sample("GG-2025-001") // planned start 2025-10-01, 2026 plan 1.2亿元
		if _, err := e.svc.Create(ctx, e.actor, e.stat, p); err != nil {
			t.Fatal(err)
		}
		flags, err := e.svc.Flags(ctx, e.stat)
		if err != nil || len(flags) != 1 || flags[0].Kind != projects.FlagStartLate || flags[0].Why != "计划于2025-10-01开工,已逾期160天尚未开工" {
			t.Fatalf("before the start: %+v %v", flags, err)
		}
		if _, err := e.svc.AddEvent(ctx, e.actor, e.stat, p.Code, 1, projects.Event{Stage: projects.StageStarted, On: "2026-01-05"}); err != nil {
			t.Fatal(err)
		}
		health := &auth.User{Username: "wjw", Role: auth.RoleReporter, Unit: "health-commission"}
		if _, err := e.svc.File(ctx, audit.Actor{Name: "wjw"}, health, projects.ProgressInput{Project: p.Code, Period: "2026-02",
			YTDFen: 500 * money.WanYuan, SinceStartFen: 500 * money.WanYuan}); err != nil {
			t.Fatal(err)
		}
		// 1-2月: 500万 of 12000万 = 4.2%, 序时 16.7%: 12.5 pp behind; started 2 months ago, not 入库.
		flags, err = e.svc.FlagsOf(ctx, health, p.Code)
		var got []string
		for _, f := range flags {
			got = append(got, string(f.Light)+" "+f.Why)
		}
		want := "yellow 2026年1-2月完成投资500万元,为年度计划的4.2%,低于序时进度16.7%达12.5个百分点\nred 2026-01-05开工,已2个月尚未固投入库"
		if err != nil || strings.Join(got, "\n") != want {
			t.Errorf("after filing:\n%s\nwant:\n%s (%v)", strings.Join(got, "\n"), want, err)
		}
		if all, _ := e.svc.Flags(ctx, e.stat); len(all) != 2 {
			t.Errorf("district flags: %+v", all)
		}
		if other, _ := e.svc.Flags(ctx, &auth.User{Role: auth.RoleReporter, Unit: "321203104"}); len(other) != 0 {
			t.Errorf("another town sees %d flags", len(other))
		}
	})
}

// A problem raised by the project's unit, worked on by the unit asked to
// solve it, warned of once its deadline passes.
func TestProjectProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // today is 2026-03-10
		ctx := t.Context()
		p, err := e.svc.Create(ctx, e.actor, e.stat, sample("GG-2025-001"))
		if err != nil {
			t.Fatal(err)
		}
		health := &auth.User{Username: "wjw", Role: auth.RoleReporter, Unit: "health-commission"}
		hActor := audit.Actor{Name: "wjw"}
		bad := projects.Problem{Text: " ", Owner: "moon", Deadline: "2026-03-01"}
		_, err = e.svc.RaiseProblem(ctx, hActor, health, p.Code, bad)
		for _, want := range []string{"问题内容不能为空", "负责协调的单位“moon”不在本规划的单位中", "办结时限2026-03-01早于提出日期2026-03-10"} {
			if !strings.Contains(apperr.Message(err), want) {
				t.Errorf("bad problem: %v, want %q", err, want)
			}
		}
		pr, err := e.svc.RaiseProblem(ctx, hActor, health, p.Code, projects.Problem{Text: "施工用电增容尚未接入", Owner: "housing", Deadline: "2026-03-31"})
		if err != nil || pr.ID != 1 || pr.Status != projects.ProblemPending || pr.RaisedOn != "2026-03-10" {
			t.Fatalf("raise: %+v %v", pr, err)
		}
		if _, err := e.svc.RaiseProblem(ctx, hActor, &auth.User{Role: auth.RoleReporter, Unit: "321203104"}, p.Code, projects.Problem{Text: "x", Owner: "housing", Deadline: "2026-03-31"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("another town raising: %v", err)
		}
		// The housing bureau, asked to solve it, works on it.
		housing := &auth.User{Username: "zjj", Role: auth.RoleReporter, Unit: "housing"}
		if pr, err = e.svc.UpdateProblem(ctx, audit.Actor{Name: "zjj"}, housing, p.Code, 1, 1, projects.ProblemWorking, "已对接供电公司"); err != nil || pr.Version != 2 {
			t.Fatalf("update: %+v %v", pr, err)
		}
		if _, err := e.svc.UpdateProblem(ctx, audit.Actor{Name: "zjj"}, housing, p.Code, 1, 1, projects.ProblemSolved, ""); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("stale update: %v", err)
		}
		// Seven weeks later the problem is past its deadline.
		later := projects.NewService(store.NewProjectStore(db), planService(t, db), store.NewSettingsStore(db),
			func() time.Time { return time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC) })
		flags, err := later.FlagsOf(ctx, e.stat, p.Code)
		var why []string
		for _, f := range flags {
			if f.Kind == projects.FlagProblem {
				why = append(why, string(f.Light)+" "+f.Why)
			}
		}
		if err != nil || strings.Join(why, "|") != "yellow 问题“施工用电增容尚未接入”要求2026-03-31前解决,已逾期20天,仍协调中" {
			t.Errorf("problem flag: %v %v", why, err)
		}
		if _, err := later.UpdateProblem(ctx, e.actor, e.stat, p.Code, 1, 2, projects.ProblemSolved, "4月18日已送电"); err != nil {
			t.Fatal(err)
		}
		if all, _ := later.Flags(ctx, e.stat); slicesContainsKind(all, projects.FlagProblem) {
			t.Errorf("a solved problem still warns")
		}
		if probs, _ := e.svc.Problems(ctx, health, p.Code); len(probs) != 1 || probs[0].Status != projects.ProblemSolved || probs[0].Version != 3 {
			t.Errorf("problems: %+v", probs)
		}
	})
}

func slicesContainsKind(fs []projects.Flag, k projects.FlagKind) bool {
	for _, f := range fs {
		if f.Kind == k {
			return true
		}
	}
	return false
}

func planService(t *testing.T, db *store.DB) *plan.Service {
	return plan.NewService(store.NewPlanStore(db), func() time.Time { return now })
}

type fakeDirectory map[string]projects.Firm

func (d fakeDirectory) Firm(_ context.Context, _ *auth.User, uscc string) (projects.Firm, error) {
	f, ok := d[uscc]
	if !ok {
		return f, apperr.NotFoundf("名录库中没有%s", uscc)
	}
	return f, nil
}

// 五(四): firms landed by departments, a firm shared by two counted once in
// the district total and once for each department.
func TestAttractions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		e.svc.Directory = fakeDirectory{
			"91321203MA10012200": {Name: "泰州乙物流有限公司", IncludedOn: "2026-01"},
			"91350100M000100Y43": {Name: "泰州甲科技有限公司", IncludedOn: "2026-02"},
			"913212710747283018": {Name: "泰州丙旅行社有限公司", IncludedOn: "2025-12"},
		}
		shared := projects.Attraction{Year: 2026, USCC: "91321203MA10012200", Credits: []projects.Credit{
			{Unit: "commerce", Role: projects.RoleLead, SharePct: 60}, {Unit: "development-reform", Role: projects.RoleCo, SharePct: 40}}}
		if _, err := e.svc.RecordAttraction(ctx, e.actor, e.stat, shared, 0); err != nil {
			t.Fatal(err)
		}
		whole := projects.Attraction{Year: 2026, USCC: "91350100M000100Y43", Credits: []projects.Credit{{Unit: "commerce", Role: projects.RoleLead, SharePct: 100}}}
		if _, err := e.svc.RecordAttraction(ctx, e.actor, e.stat, whole, 0); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name    string
			a       projects.Attraction
			version int
			want    string
		}{
			{"included in 2025", projects.Attraction{Year: 2026, USCC: "913212710747283018", Credits: whole.Credits}, 0, "未在2026年入库(名录库入库时间:2025-12)"},
			{"shares", projects.Attraction{Year: 2026, USCC: "91350100M000100Y43", Credits: []projects.Credit{{Unit: "commerce", Role: projects.RoleLead, SharePct: 70}}}, 1, "各部门份额合计应为100%,实为70%"},
			{"two leads", projects.Attraction{Year: 2026, USCC: "91350100M000100Y43", Credits: []projects.Credit{
				{Unit: "commerce", Role: projects.RoleLead, SharePct: 50}, {Unit: "tax", Role: projects.RoleLead, SharePct: 50}}}, 1, "应有且只有一个牵头部门,实有2个"},
			{"a town", projects.Attraction{Year: 2026, USCC: "91350100M000100Y43", Credits: []projects.Credit{{Unit: "321203101", Role: projects.RoleLead, SharePct: 100}}}, 1, "“321203101”不是区级部门"},
		} {
			if _, err := e.svc.RecordAttraction(ctx, e.actor, e.stat, tt.a, tt.version); !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			}
		}
		if _, err := e.svc.RecordAttraction(ctx, e.actor, e.stat, whole, 0); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("recording a firm twice: %v", err)
		}
		sum, err := e.svc.Attractions(ctx, e.stat, 2026)
		if err != nil || sum.Total != 2 || sum.Met != 2 {
			t.Fatalf("summary: %+v %v", sum, err)
		}
		for _, d := range sum.Depts {
			want := map[string][2]int{"commerce": {2, 160}, "development-reform": {1, 40}}[d.Unit]
			if [2]int{d.Firms, d.Shares} != want || d.Met != (want[0] > 0) {
				t.Errorf("%s: %+v, want %v", d.Unit, d, want)
			}
		}
	})
}

// TestFlagsAfterFilings: after filings alone the warnings are worked out
// again for the projects filed only; they must be what a fresh reading of
// the whole ledger gives.
func TestFlagsAfterFilings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // today is 2026-03-10
		ctx := t.Context()
		for _, code := range []string{"GG-2025-001", "GG-2025-002", "GG-2025-003"} {
			if _, err := e.svc.Create(ctx, e.actor, e.stat, sample(code)); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.AddEvent(ctx, e.actor, e.stat, code, 1, projects.Event{Stage: projects.StageStarted, On: "2026-01-05"}); err != nil {
				t.Fatal(err)
			}
		}
		health := &auth.User{Username: "wjw", Role: auth.RoleReporter, Unit: "health-commission"}
		kinds := func(fs []projects.Flag) string {
			var out []string
			for _, f := range fs {
				out = append(out, f.Project[8:]+":"+string(f.Kind)+"/"+string(f.Light))
			}
			return strings.Join(out, " ")
		}
		check := func(step, want string) {
			t.Helper()
			got, err := e.svc.Flags(ctx, e.stat)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := newEnv(t, db).svc.Flags(ctx, e.stat)
			if err != nil {
				t.Fatal(err)
			}
			if kinds(got) != want || kinds(fresh) != want {
				t.Errorf("%s: kept %q, fresh %q, want %q", step, kinds(got), kinds(fresh), want)
			}
		}
		file := func(code string, ytdWan money.Fen, inFAI bool) {
			t.Helper()
			in := projects.ProgressInput{Project: code, Period: "2026-02", YTDFen: ytdWan * money.WanYuan, SinceStartFen: ytdWan * money.WanYuan,
				InFAI: inFAI, Reason: "更正"}
			if inFAI {
				in.FAIMonth = "2026-02"
			}
			if _, err := e.svc.File(ctx, audit.Actor{Name: "wjw"}, health, in); err != nil {
				t.Fatal(err)
			}
		}
		check("started, nothing filed", "001:fai/red 002:fai/red 003:fai/red")
		file("GG-2025-002", 500, false) // 4.2% against 序时 16.7%
		check("002 behind", "001:fai/red 002:pace/yellow 002:fai/red 003:fai/red")
		file("GG-2025-002", 2000, true) // 16.7%: on pace, 入库
		check("002 on pace", "001:fai/red 003:fai/red")
		file("GG-2025-003", 100, true)
		check("003 far behind", "001:fai/red 003:pace/yellow")

		// Project changes: only the changed projects are read again.
		if _, err := e.svc.AddEvent(ctx, e.actor, e.stat, "GG-2025-003", 2, projects.Event{Stage: projects.StageCompleted, On: "2026-03-01"}); err != nil {
			t.Fatal(err)
		}
		check("003 completed", "001:fai/red")
		if _, err := e.svc.Create(ctx, e.actor, e.stat, sample("GG-2025-000")); err != nil { // sorts first
			t.Fatal(err)
		}
		file("GG-2025-001", 2000, true)
		check("000 new and late, 001 filed", "000:start_late/red")
		if _, err := e.svc.Certify(ctx, e.actor, e.stat, "GG-2025-001", 2, 1, projects.Certification{On: "2026-01-10", Body: "泰州市发展和改革委员会"}); err != nil {
			t.Fatal(err)
		}
		if c, err := e.svc.Counts(ctx, 2026); err != nil || strings.Join(c[projects.StageStarted].Projects, ",") != "GG-2025-001" {
			t.Errorf("started in 2026: %v %v", c[projects.StageStarted], err)
		}
		for _, year := range []int{2025, 2026} {
			kept, err := e.svc.Counts(ctx, year)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := newEnv(t, db).svc.Counts(ctx, year)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range projects.Counted {
				if kept[st].Total != fresh[st].Total || strings.Join(kept[st].Projects, ",") != strings.Join(fresh[st].Projects, ",") {
					t.Errorf("%d %s: kept %v, fresh %v", year, st, kept[st].Projects, fresh[st].Projects)
				}
			}
		}
		if page, total, err := e.svc.List(ctx, e.stat, projects.Filter{Limit: 10}); err != nil || total != 4 || page[0].Code != "GG-2025-000" {
			t.Errorf("list after the changes: %d %v", total, err)
		}
	})
}
