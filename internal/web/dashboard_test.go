package web

import (
	"net/http"
	"strings"
	"testing"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/dashboard"
	"svcplan/internal/indicators"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// seedReports imports an F203 file for 2025年1-9月: 甲 10亿元 (上年同期 8亿),
// 乙 5亿元 (4亿), both in 白马镇; 丙 3亿元 with no 上年同期, in 大泗镇.
func (env *testEnv) seedReports() { env.seedF203("500000") }

// seedF203 imports the F203 file of seedReports with 乙's 1-本月 revenue
// in 千元 as given.
func (env *testEnv) seedF203(revenueB string) {
	env.t.Helper()
	form, _ := reports.FormByCode("F203")
	rows := csvRows(env.t, "数据处理地,统一社会信用代码,单位详细名称,1-本月;营业收入;千元,上年同期;营业收入;千元\n"+
		"321203101001,"+firmA+",泰州甲科技有限公司,1000000,800000\n"+
		"321203101002,"+firmB+",泰州乙物流有限公司,"+revenueB+",400000\n"+
		"321203104001,"+firmC+",泰州丙旅行社有限公司,300000,\n")
	res, err := env.reports.Import(env.t.Context(), audit.Actor{Name: "seed"}, &auth.User{Username: "seed", Role: auth.RoleAdmin}, rows,
		table.File{Name: "f203.csv"}, reports.Options{Form: form, Period: 202509})
	if err != nil || res.Import.New != 3 {
		env.t.Fatalf("seed reports: %v %+v %v", err, res.Import, res.Rejected)
	}
}

func TestDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.seedReports()
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("leader", auth.RoleLeader, "")
		stat, _ := env.session("stat")
		leader, _ := env.session("leader")
		admin, adminCSRF := env.session("admin")
		get := func(cookie, path string) string {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", path, res.status, res.body)
			}
			return res.body
		}
		has := func(page, who string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("%s: page lacks %q", who, w)
				}
			}
		}
		hasNot := func(page, who string, bad ...string) {
			t.Helper()
			for _, b := range bad {
				if strings.Contains(page, b) {
					t.Errorf("%s: page shows %q", who, b)
				}
			}
		}

		// Statisticians see the period before it is released: 18亿元 in
		// all; same-firm growth (10+5+3)/(8+4) − 1 = 50.0%; 白马镇 15亿元,
		// (10+5)/(8+4) − 1 = 25.0%; 大泗镇 3亿元 with no growth rate.
		page := get(stat, "/dashboard")
		has(page, "statistician", "2025年1-9月", "18.00", "50.0", "白马镇", "15.00", "25.0", "大泗镇", "本期数据尚未发布",
			"平台计算·未发布")
		// 甲 (7320) and 乙 (5810) are producer services: 15亿 of 18 = 83.3%;
		// 丙 (7291, travel) is a life service with no 上年同期.
		has(page, "categories", "生产性服务业 15.00亿元,占83.3%,同比25.0%", "生活性服务业 3.00亿元,占16.7%,同比—")
		// Leaders see nothing of an unreleased period.
		page = get(leader, "/dashboard")
		has(page, "leader before release", "尚无已发布的F203")
		hasNot(page, "leader before release", "18.00")

		res := env.do(req{method: http.MethodPost, path: "/dashboard/release", cookie: admin, csrf: adminCSRF, form: map[string][]string{}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("release: %d %s", res.status, res.body)
		}
		// Released: the total (3 firms) shows; every town and field has
		// fewer than 3 firms, so each is 保密.
		for who, cookie := range map[string]string{"leader": leader, "anonymous": ""} {
			page = get(cookie, "/dashboard")
			has(page, who, "18.00", "50.0", "—(保密)")
			hasNot(page, who, "15.00", "泰州甲科技有限公司", "本期数据尚未发布")
		}
		// Anonymous visitors get the plan at /, signed-in users the dashboard.
		has(get("", "/"), "anonymous home", "规划总览")
		has(get(leader, "/"), "leader home", "监测驾驶舱")

		// Drill-down: a field, then a division, then the firms.
		page = get(stat, "/dashboard?field=sci-tech")
		has(page, "drill field", "行业大类", "73 研究和试验发展", "10.00")
		page = get(stat, "/dashboard?division=73")
		has(page, "drill division", "7320", "泰州甲科技有限公司", "企业明细")
		page = get(leader, "/dashboard?division=73")
		hasNot(page, "leader drill", "泰州甲科技有限公司")

		if res := env.do(req{method: http.MethodGet, path: "/dashboard?division=7%25", cookie: stat}); res.status != http.StatusBadRequest {
			t.Errorf("a division with a wildcard: %d", res.status)
		}
		res = env.do(req{method: http.MethodGet, path: "/dashboard.xlsx", cookie: leader})
		if res.status != http.StatusOK || res.header.Get("Content-Type") != xlsxContentType {
			t.Errorf("export: %d %s", res.status, res.header.Get("Content-Type"))
		}
		if n := len(env.auditEntries(audit.Filter{Action: "export.dashboard"})); n != 1 {
			t.Errorf("%d export audit entries, want 1", n)
		}
	})
}

// TestValueWorkflow enters a value through the indicator page's form, has
// it reviewed and published through its buttons, and reads it as the
// public through the API.
func TestValueWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("baima", auth.RoleReporter, ownUnit)
		post := func(user, path string, form map[string][]string) response {
			t.Helper()
			cookie, csrf := env.session(user)
			return env.do(req{method: http.MethodPost, path: path, cookie: cookie, csrf: csrf, form: form})
		}
		const path = "/indicators/NEW_INCUBATION_PROJECTS/values"
		// A reporter enters its own unit's figure; not the district's.
		res := post("baima", path, map[string][]string{"unit": {ownUnit}, "period": {"2026-02"}, "value": {"3"}})
		if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "saved=2026-02") {
			t.Fatalf("reporter's value: %d %s", res.status, res.header.Get("Location"))
		}
		if res := post("baima", path, map[string][]string{"period": {"2026-02"}, "value": {"3"}}); res.status != http.StatusForbidden {
			t.Errorf("reporter entered the district's value: %d", res.status)
		}
		// The statistics office enters the district's; a bad figure comes
		// back with the reason.
		res = post("stat", path, map[string][]string{"period": {"2026-02"}, "value": {"十二"}})
		if loc := res.header.Get("Location"); !strings.Contains(loc, "error=") {
			t.Errorf("bad value: %d %s", res.status, loc)
		}
		post("stat", path, map[string][]string{"period": {"2026-02"}, "value": {"12"}})
		status := func(user, to string) response {
			return post(user, path+"/status", map[string][]string{"unit": {"321203"}, "period": {"2026-02"}, "to": {to}})
		}
		if res := status("stat", "published"); res.status != http.StatusForbidden {
			t.Errorf("a statistician published: %d", res.status)
		}
		status("stat", "reviewed")
		api := func() string {
			return env.do(req{method: http.MethodGet, path: "/api/v1/indicators/NEW_INCUBATION_PROJECTS/values"}).body
		}
		if body := strings.TrimSpace(api()); body != "[]" {
			t.Errorf("the public sees an unpublished value: %s", body)
		}
		if res := status("admin", "published"); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		if body := api(); !strings.Contains(body, `"value": "12"`) || !strings.Contains(body, `"status": "published"`) {
			t.Errorf("public API after publication: %s", body)
		}
	})
}

// TestRulesChangeLights saves stricter rules on the admin page: a target
// that was yellow turns red at once, and the change is audited.
func TestRulesChangeLights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		cookie, csrf := env.session("admin")
		ctx := t.Context()
		admin := &auth.User{Username: "admin", Role: auth.RoleAdmin}
		// 新增各类孵化项目: 2026年1-2月 5 of 40 = 12.5%, 序时 16.7%: 4.2 pp
		// behind, yellow by default (red from 10 pp).
		if _, err := env.values.Save(ctx, audit.Actor{Name: "admin"}, admin, indicators.Input{Indicator: "NEW_INCUBATION_PROJECTS",
			Period: "2026-02", Value: "5", Publish: true}); err != nil {
			t.Fatal(err)
		}
		light := func() string {
			b, err := env.dashboard.Board(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			for _, tg := range b.Targets {
				if tg.Indicator.Code == "NEW_INCUBATION_PROJECTS" {
					return string(tg.Progress.Light)
				}
			}
			return ""
		}
		if l := light(); l != "yellow" {
			t.Fatalf("default rules: %s, want yellow", l)
		}
		form := map[string][]string{"yellow_below_pp": {"0"}, "red_below_pp": {"4"}, "rate_red_below": {"1"}, "decimals": {"1"},
			"min_firms": {"3"}, "yoy_bound": {"50"}, "outlier_mads": {"3"}}
		res := env.do(req{method: http.MethodPost, path: "/admin/rules", cookie: cookie, csrf: csrf, form: form})
		if res.status != http.StatusSeeOther {
			t.Fatalf("save rules: %d %s", res.status, res.body)
		}
		if l := light(); l != "red" {
			t.Errorf("after red from 4 pp: %s, want red", l)
		}
		form["min_firms"] = []string{"2"}
		res = env.do(req{method: http.MethodPost, path: "/admin/rules", cookie: cookie, csrf: csrf, form: form})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "保密阈值应为3到100家") {
			t.Errorf("2 firms: %d", res.status)
		}
		if n := len(env.auditEntries(audit.Filter{Action: "settings.monitoring"})); n != 1 {
			t.Errorf("%d audit entries for the rules, want 1", n)
		}
		// A new server reads the saved rules.
		d2 := dashboard.NewService(dashboard.Sources{Plans: env.plans, Values: env.values, Reports: env.reports,
			Directory: env.registry, Projects: env.projects, Now: env.clock.Now})
		if err := d2.LoadSettings(ctx, store.NewSettingsStore(db)); err != nil || d2.Settings().Rules.RedBelowPP != "4" {
			t.Errorf("reloaded rules: %+v %v", d2.Settings(), err)
		}
	})
}
