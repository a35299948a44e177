package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// TestProjectPages walks the ledger as a statistician does: enter a
// project through the form (a wrong one first), record its signing,
// certify it, and see the year's count move; a reporter of another town
// sees none of it.
func TestProjectPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("dasi", auth.RoleReporter, otherUnit)
		cookie, csrf := env.session("stat")
		get := func(cookie, path string) string {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, res.status, res.body)
			}
			return html.UnescapeString(res.body)
		}
		post := func(path string, form url.Values) response {
			t.Helper()
			return env.do(req{method: http.MethodPost, path: path, cookie: cookie, csrf: csrf, form: form})
		}
		year := env.clock.Now().Year()
		signed := env.clock.Now().AddDate(0, 0, -20).Format("2006-01-02")
		certified := env.clock.Now().AddDate(0, 0, -5).Format("2006-01-02")

		form := url.Values{"code": {"GG-T-001"}, "name": {"白马镇冷链物流中心项目"}, "builder": {"泰州某物流有限公司"},
			"field": {"trade-logistics"}, "unit": {ownUnit}, "lead": {"commerce"}, "co": {"development-reform"},
			"total_wan": {"一亿"}, "currency": {"CNY"}}
		res := post("/projects/new", form)
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "计划总投资") ||
			!strings.Contains(body, `value="白马镇冷链物流中心项目"`) {
			t.Fatalf("bad total: %d", res.status)
		}
		form.Set("total_wan", "12000")
		if res = post("/projects/new", form); res.status != http.StatusSeeOther || res.header.Get("Location") != "/projects/GG-T-001" {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		body := get(cookie, "/projects/GG-T-001")
		for _, want := range []string{"白马镇冷链物流中心项目", "1.20 亿元", "区商务局(牵头)、区发展改革委(配合)", "还没有阶段记录"} {
			if !strings.Contains(body, want) {
				t.Errorf("project page lacks %q", want)
			}
		}

		if res = post("/projects/GG-T-001/events", url.Values{"version": {"1"}, "stage": {"signed"}, "on": {signed}, "evidence": {"签约仪式"}}); res.status != http.StatusSeeOther {
			t.Fatalf("stage: %d %s", res.status, res.body)
		}
		if body = get(cookie, "/projects"); !strings.Contains(body, "待认定") || !strings.Contains(body, `<span class="stat-value">0<small> 个</small>`) {
			t.Errorf("list before the certification: no 待认定 or a count")
		}
		if res = post("/projects/GG-T-001/events/1/certify", url.Values{"version": {"2"}, "on": {certified}}); res.status != http.StatusBadRequest ||
			!strings.Contains(html.UnescapeString(res.body), "认定须写明认定机关") {
			t.Errorf("certification without a body: %d", res.status)
		}
		if res = post("/projects/GG-T-001/events/1/certify", url.Values{"version": {"1"}, "on": {certified}, "body": {"泰州市发展和改革委员会"}}); res.status != http.StatusConflict {
			t.Errorf("stale certification: %d", res.status)
		}
		if res = post("/projects/GG-T-001/events/1/certify", url.Values{"version": {"2"}, "on": {certified}, "body": {"泰州市发展和改革委员会"}}); res.status != http.StatusSeeOther {
			t.Fatalf("certify: %d %s", res.status, res.body)
		}
		body = get(cookie, "/projects")
		if !strings.Contains(body, `<span class="stat-value">1<small> 个</small>`) || !strings.Contains(body, "目标 ≥20 个") {
			t.Errorf("list after the certification: the signed count is not 1 of ≥20")
		}
		if body = get(cookie, "/projects?counted=signed&year="+strconv.Itoa(year)); !strings.Contains(body, "GG-T-001") {
			t.Errorf("counted list lacks the project")
		}
		if body = get(cookie, "/projects/GG-T-001"); !strings.Contains(body, "计入"+strconv.Itoa(year)+"年签约项目数") || !strings.Contains(body, "泰州市发展和改革委员会") {
			t.Errorf("project page after the certification")
		}

		// The edit form keeps what it is given; the history names the change.
		edit := url.Values{"version": {"3"}, "name": {"白马镇冷链物流中心(一期)项目"}, "builder": {"泰州某物流有限公司"},
			"field": {"trade-logistics"}, "unit": {ownUnit}, "lead": {"commerce"}, "total_wan": {"12000"}, "currency": {"CNY"},
			"plan_2028": {"500"}} // a year outside the plan's
		if res = post("/projects/GG-T-001/edit", edit); res.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.status, res.body)
		}
		if body = get(cookie, "/projects/GG-T-001"); !strings.Contains(body, "(一期)") || !strings.Contains(body, "名称、责任单位、年度计划投资") ||
			!strings.Contains(body, "2028年 500 万元") {
			t.Errorf("after the edit: name, plan or history missing")
		}
		if body = get(cookie, "/projects/GG-T-001/edit"); !strings.Contains(body, `name="plan_2028" value="500"`) {
			t.Errorf("the edit form drops the 2028 plan")
		}

		// Another town's reporter sees no project and cannot open it.
		other, _ := env.session("dasi")
		if body = get(other, "/projects"); strings.Contains(body, "GG-T-001") || !strings.Contains(body, "没有项目") {
			t.Errorf("another town's reporter lists the project")
		}
		if res = env.do(req{method: http.MethodGet, path: "/projects/GG-T-001", cookie: other}); res.status != http.StatusForbidden {
			t.Errorf("another town's reporter opens the project: %d", res.status)
		}
	})
}

// seedProject enters a signed, certified project of 1.2亿元.
func (env *testEnv) seedProject(code string) {
	env.t.Helper()
	ctx := env.t.Context()
	u := &auth.User{Username: "seed", Role: auth.RoleAdmin}
	actor := audit.Actor{Name: "seed", Addr: "local"}
	p := projects.Project{Code: code, Name: "白马镇冷链物流中心项目", Builder: "泰州某物流有限公司", Field: "trade-logistics", Unit: ownUnit,
		Units: []projects.UnitRole{{Unit: "commerce", Role: projects.RoleLead}}, Investment: projects.Investment{TotalFen: 12000 * money.WanYuan, Currency: projects.CNY}}
	if _, err := env.projects.Create(ctx, actor, u, p); err != nil {
		env.t.Fatal(err)
	}
	on := env.clock.Now().AddDate(0, -1, 0).Format("2006-01-02")
	if _, err := env.projects.AddEvent(ctx, actor, u, code, 1, projects.Event{Stage: projects.StageSigned, On: on}); err != nil {
		env.t.Fatal(err)
	}
	if _, err := env.projects.Certify(ctx, actor, u, code, 2, 1, projects.Certification{On: on, Body: "泰州市发展和改革委员会"}); err != nil {
		env.t.Fatal(err)
	}
}

// TestProjectAPI keeps a project through the JSON API; the public counts
// show totals without the projects' codes.
func TestProjectAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("stat")
		call := func(method, path, body string) response {
			t.Helper()
			return env.do(req{method: method, path: path, cookie: cookie, csrf: csrf, json: body})
		}
		on := env.clock.Now().AddDate(0, 0, -10).Format("2006-01-02")
		res := call(http.MethodPost, "/api/v1/projects", `{"code":"GG-API-1","name":"港口综合物流枢纽项目","builder":"泰州某港务有限公司",
			"field":"trade-logistics","unit":"321203100","units":[{"unit":"transport","role":"lead"}],
			"investment":{"total_fen":3000000000000,"currency":"CNY"}}`)
		if res.status != http.StatusCreated || !strings.Contains(res.body, `"version": 1`) {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		if res = call(http.MethodPost, "/api/v1/projects", `{"code":"GG-API-1","name":"x","unknown":1}`); res.status != http.StatusBadRequest {
			t.Errorf("unknown field: %d", res.status)
		}
		if res = call(http.MethodPost, "/api/v1/projects/GG-API-1/events", `{"version":1,"event":{"stage":"started","on":"`+on+`"}}`); res.status != http.StatusOK {
			t.Fatalf("event: %d %s", res.status, res.body)
		}
		if res = call(http.MethodPost, "/api/v1/projects/GG-API-1/events/1/certification", `{"version":1,"certification":{"on":"`+on+`","body":"市发改委"}}`); res.status != http.StatusConflict {
			t.Errorf("stale certification: %d %s", res.status, res.body)
		}
		if res = call(http.MethodPost, "/api/v1/projects/GG-API-1/events/1/certification", `{"version":2,"certification":{"on":"`+on+`","body":"市发改委"}}`); res.status != http.StatusOK {
			t.Fatalf("certify: %d %s", res.status, res.body)
		}
		year := strconv.Itoa(env.clock.Now().Year())
		var counts apiStageCounts
		res = env.do(req{method: http.MethodGet, path: "/api/v1/projects/counts?year=" + year})
		if err := json.Unmarshal([]byte(res.body), &counts); err != nil || counts.Counts[1].Stage != projects.StageStarted ||
			counts.Counts[1].Total != 1 || counts.Counts[1].ByUnit["transport"] != 1 || counts.Counts[1].Projects != nil {
			t.Errorf("public counts: %s %v", res.body, err)
		}
		res = call(http.MethodGet, "/api/v1/projects/counts?year="+year, "")
		if err := json.Unmarshal([]byte(res.body), &counts); err != nil || len(counts.Counts[1].Projects) != 1 {
			t.Errorf("staff counts: %s %v", res.body, err)
		}
		if res = call(http.MethodGet, "/api/v1/projects/GG-API-1", ""); !strings.Contains(res.body, `"stage": "started"`) ||
			!strings.Contains(res.body, `"superseded_by": "stat"`) {
			t.Errorf("detail: %s", res.body)
		}
	})
}

// TestRoundPages: a reporter files a month through the project page, the
// statistician sees it on the round page, returns it, the reporter files
// again, and the round is published.
func TestRoundPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedProject("GG-2025-001") // 区商务局 leads
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("shangwu", auth.RoleReporter, "commerce")
		statCookie, statCSRF := env.session("stat")
		repCookie, repCSRF := env.session("shangwu")
		period := env.clock.Now().AddDate(0, -1, 0).Format("2006-01")
		file := func(form url.Values) response {
			form.Set("period", period)
			return env.do(req{method: http.MethodPost, path: "/projects/GG-2025-001/progress", cookie: repCookie, csrf: repCSRF, form: form})
		}
		page := func(cookie, path string) string {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, res.status, res.body)
			}
			return html.UnescapeString(res.body)
		}

		if body := page(repCookie, "/projects/GG-2025-001"); !strings.Contains(body, `action="/projects/GG-2025-001/progress"`) {
			t.Fatalf("the reporter's project page has no filing form")
		}
		if body := page(statCookie, "/projects/rounds?period="+period); !strings.Contains(body, "已报送 0 · 未报送 1") {
			t.Errorf("round before filing")
		}
		if res := file(url.Values{"ytd_wan": {"13000"}, "since_start_wan": {"13000"}}); res.status != http.StatusBadRequest ||
			!strings.Contains(html.UnescapeString(res.body), "超过计划总投资12000万元") {
			t.Errorf("above the total: %d", res.status)
		}
		if res := file(url.Values{"ytd_wan": {"800"}, "since_start_wan": {"1500"}, "image": {"冷库主体完工"}}); res.status != http.StatusSeeOther {
			t.Fatalf("file: %d %s", res.status, res.body)
		}
		body := page(statCookie, "/projects/rounds?period="+period)
		if !strings.Contains(body, "已报送 1 · 未报送 0") || !strings.Contains(body, "冷库主体完工") || !strings.Contains(body, "退回") {
			t.Errorf("round after filing")
		}
		ret := env.do(req{method: http.MethodPost, path: "/projects/GG-2025-001/progress/" + period + "/return", cookie: statCookie, csrf: statCSRF,
			form: url.Values{"reason": {"请补充形象进度"}}})
		if ret.status != http.StatusSeeOther {
			t.Fatalf("return: %d %s", ret.status, ret.body)
		}
		if body := page(repCookie, "/projects/GG-2025-001"); !strings.Contains(body, "退回修改") || !strings.Contains(body, "请补充形象进度") {
			t.Errorf("the reporter does not see the return")
		}
		if res := file(url.Values{"ytd_wan": {"800"}, "since_start_wan": {"1500"}, "image": {"冷库主体完工,设备进场"}}); res.status != http.StatusSeeOther {
			t.Fatalf("file again: %d %s", res.status, res.body)
		}
		pub := env.do(req{method: http.MethodPost, path: "/projects/rounds", cookie: statCookie, csrf: statCSRF, form: url.Values{"period": {period}}})
		if pub.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", pub.status, pub.body)
		}
		if body := page(repCookie, "/projects/rounds?period="+period); !strings.Contains(body, "已发布") || strings.Contains(body, "发布本月已报送的数据") {
			t.Errorf("the reporter's round after publishing")
		}
		// Signed a month ago, not started: no warning; filed but not 入库 is only for started projects.
		if body := page(statCookie, "/warnings"); !strings.Contains(body, "重大项目预警") || !strings.Contains(body, "没有重大项目预警") {
			t.Errorf("warnings page: no project section")
		}
		res := env.do(req{method: http.MethodGet, path: "/projects/rounds.xlsx?period=" + period + "&unit=commerce", cookie: statCookie})
		if got := readXLSX(t, res.body); res.status != http.StatusOK || len(got) != 2 || got[0][8] != "本年累计完成投资(万元)" ||
			got[1][1] != "GG-2025-001" || got[1][8] != "800" || got[1][10] != "" || got[1][13] != "已发布" {
			t.Errorf("round export: %d %v", res.status, got)
		}
		if body := page(repCookie, "/units/commerce"); !strings.Contains(body, "本单位项目") || !strings.Contains(body, "共1个") ||
			!strings.Contains(body, "白马镇冷链物流中心项目") {
			t.Errorf("the unit page lacks its projects")
		}
		if body := page("", "/units/commerce"); strings.Contains(body, "本单位项目") {
			t.Errorf("an anonymous visitor sees the unit's projects")
		}
	})
}

// TestProblemPages: the project's unit raises a problem on the project
// page; the unit asked to solve it updates it there.
func TestProblemPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedProject("GG-2025-001") // 区商务局 leads
		env.addUser("shangwu", auth.RoleReporter, "commerce")
		env.addUser("zjj", auth.RoleReporter, "housing")
		cookie, csrf := env.session("shangwu")
		deadline := env.clock.Now().AddDate(0, 0, 20).Format("2006-01-02")
		res := env.do(req{method: http.MethodPost, path: "/projects/GG-2025-001/problems", cookie: cookie, csrf: csrf,
			form: url.Values{"text": {"冷库用地规划调整待批复"}, "owner": {"housing"}, "deadline": {deadline}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("raise: %d %s", res.status, res.body)
		}
		zCookie, zCSRF := env.session("zjj")
		res = env.do(req{method: http.MethodPost, path: "/projects/GG-2025-001/problems/1", cookie: zCookie, csrf: zCSRF,
			form: url.Values{"version": {"1"}, "status": {"working"}, "note": {"已报区规委会"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("update by the owner: %d %s", res.status, res.body)
		}
		body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/projects/GG-2025-001", cookie: cookie}).body)
		for _, want := range []string{"冷库用地规划调整待批复", "区住房城乡建设局", deadline, "协调中", "已报区规委会"} {
			if !strings.Contains(body, want) {
				t.Errorf("project page lacks %q", want)
			}
		}
	})
}

// TestProjectImportPage: a statistician uploads a project sheet; a wrong
// one shows each mistake and imports nothing.
func TestProjectImportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("stat")
		head := "项目编号,项目名称,建设单位,服务领域,所在镇街(园区),牵头单位,计划总投资(亿元),形象进度\n"
		res := env.uploadTo("/projects/import", cookie, csrf, "项目清单.csv", []byte(head+"GG-1,甲项目,甲公司,科技服务业,火星镇,区商务局,1.5,\n"), nil)
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "“火星镇”不是本区的镇(街道)或园区") ||
			!strings.Contains(body, "第2行第5列(所在镇街(园区))") {
			t.Errorf("wrong sheet: %d", res.status)
		}
		res = env.uploadTo("/projects/import", cookie, csrf, "项目清单.csv", []byte(head+"GG-1,甲项目,甲公司,科技服务业,白马镇,区商务局,1.5,基础施工\n"), nil)
		if body := html.UnescapeString(res.body); res.status != http.StatusOK || !strings.Contains(body, "新增项目1个") || !strings.Contains(body, "未导入的列:形象进度") {
			t.Errorf("good sheet: %d %s", res.status, body)
		}
		if res := env.uploadTo("/projects/import", cookie, "", "项目清单.csv", []byte(head), nil); res.status != http.StatusForbidden {
			t.Errorf("upload without its CSRF token: %d", res.status)
		}

		// The bureau's 固定资产投资 of last month, found by name, shown
		// beside the units' figures on the project and the round.
		period := env.clock.Now().AddDate(0, 0, -env.clock.Now().Day()).Format("2006-01")
		fai := []byte("项目名称,项目代码,本年完成投资(万元)\n甲项目,2432120326012345,1250.5\n某化工项目,2432120326099999,8000\n")
		fields := map[string]string{"kind": "fai", "period": period}
		res = env.uploadTo("/projects/import", cookie, csrf, "固投.csv", fai, fields)
		if body := html.UnescapeString(res.body); res.status != http.StatusOK || !strings.Contains(body, "新增1个项目") ||
			!strings.Contains(body, "某化工项目") || !strings.Contains(body, "项目库中没有该项目,未导入") {
			t.Errorf("bureau's list: %d %s", res.status, body)
		}
		body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/projects/GG-1", cookie: cookie}).body)
		if !strings.Contains(body, `"data":[null,1250.5,null,`) || !strings.Contains(body, `"name":"统计局固定资产投资"`) {
			t.Errorf("the project's chart lacks the bureau's figure")
		}
		body = html.UnescapeString(env.do(req{method: http.MethodGet, path: "/projects/rounds?period=" + period, cookie: cookie}).body)
		if !strings.Contains(body, "统计局固投(万元)") || !strings.Contains(body, `<td class="num">1250.5</td>`) {
			t.Errorf("the round lacks the bureau's figure")
		}
		fields["period"] = "2099-01"
		res = env.uploadTo("/projects/import", cookie, csrf, "固投.csv", fai, fields)
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "统计月份2099-01晚于本月") {
			t.Errorf("a month to come: %d", res.status)
		}
	})
}

// TestAttractionPage: a statistician credits two departments with a firm
// the directory says entered the statistics this year.
func TestAttractionPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory() // 甲 is in the services register
		ctx := t.Context()
		year := strconv.Itoa(env.clock.Now().Year())
		rows := csvRows(t, "统一社会信用代码,入库时间\n"+firmA+","+year+"-01\n")
		if _, err := env.registry.ImportEnterprises(ctx, audit.Actor{Name: "seed"}, &auth.User{Role: auth.RoleAdmin}, rows,
			table.File{Name: "入库.csv"}, registry.ImportOptions{Official: true}); err != nil {
			t.Fatal(err)
		}
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("stat")
		post := func(form url.Values) response {
			form.Set("year", year)
			return env.do(req{method: http.MethodPost, path: "/projects/attraction", cookie: cookie, csrf: csrf, form: form})
		}
		if res := post(url.Values{"uscc": {firmB}, "lead": {"commerce"}, "lead_share": {"100"}}); res.status != http.StatusBadRequest ||
			!strings.Contains(html.UnescapeString(res.body), "未在"+year+"年入库") {
			t.Errorf("a firm outside the statistics: %d", res.status)
		}
		if res := post(url.Values{"uscc": {firmA}, "lead": {"commerce"}, "lead_share": {"60"}, "co": {"development-reform"}, "co_share": {"40"}}); res.status != http.StatusSeeOther {
			t.Fatalf("record: %d %s", res.status, res.body)
		}
		body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/projects/attraction?year=" + year, cookie: cookie}).body)
		for _, want := range []string{"招引入库 1 家,2 个部门已完成", "区商务局(牵头60%)、区发展改革委(配合40%)", "泰州甲科技有限公司"} {
			if !strings.Contains(body, want) {
				t.Errorf("attraction page lacks %q", want)
			}
		}
		get := func(path string) string {
			return html.UnescapeString(env.do(req{method: http.MethodGet, path: path, cookie: cookie}).body)
		}
		if body := get("/units/commerce"); !strings.Contains(body, year+"年已招引入库 <strong>1</strong> 家(按份额 0.60 家)") ||
			!strings.Contains(body, "已完成") {
			t.Errorf("the lead department's page lacks its attraction")
		}
		if body := get("/units/finance-bureau"); !strings.Contains(body, year+"年已招引入库 <strong>0</strong> 家") || !strings.Contains(body, "尚未完成") {
			t.Errorf("another department's page lacks its attraction")
		}
		if body := get("/units/321203401"); strings.Contains(body, "招引入库") {
			t.Errorf("a town's page shows a department's attraction")
		}
		if body := get("/dashboard"); !strings.Contains(body, year+"年 2/") || !strings.Contains(body, "全区招引入库 1 家") {
			t.Errorf("the dashboard lacks the departments' attraction")
		}
	})
}

// TestDashboardProjectFlags: a project 100 days behind its planned start
// is in the dashboard's 需要关注 for those whose scope holds it, and for
// no one else.
func TestDashboardProjectFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedProject("GG-2025-001")
		ctx := t.Context()
		admin := &auth.User{Username: "seed", Role: auth.RoleAdmin}
		p, err := env.projects.Find(ctx, admin, "GG-2025-001")
		if err != nil {
			t.Fatal(err)
		}
		next := *p
		next.PlannedStart = env.clock.Now().AddDate(0, 0, -100).Format("2006-01-02")
		if _, err := env.projects.Update(ctx, audit.Actor{Name: "seed"}, admin, p.Code, p.Version, next); err != nil {
			t.Fatal(err)
		}
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("dasi", auth.RoleReporter, otherUnit)
		statCookie, _ := env.session("stat")
		otherCookie, _ := env.session("dasi")
		dashboard := func(cookie string) string {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: "/dashboard", cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("dashboard: %d", res.status)
			}
			return html.UnescapeString(res.body)
		}
		why := "已逾期100天尚未开工"
		if body := dashboard(statCookie); !strings.Contains(body, `重大项目<a href="/projects/GG-2025-001">白马镇冷链物流中心项目</a>`) ||
			!strings.Contains(body, why) || !strings.Contains(body, "重大项目共1个需要关注(其中1个有红灯)") {
			t.Errorf("the statistician's dashboard lacks the late project")
		}
		for name, cookie := range map[string]string{"another town's reporter": otherCookie, "anonymous": ""} {
			if body := dashboard(cookie); strings.Contains(body, why) || strings.Contains(body, "白马镇冷链物流中心项目") {
				t.Errorf("%s sees the late project on the dashboard", name)
			}
		}
	})
}

// TestRoundAPI runs a month's round through the JSON API: a reporter
// files, a statistician returns it, the reporter files again, the round is
// published; a problem is raised and worked on.
func TestRoundAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedProject("GG-2025-001") // 区商务局 leads
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("shangwu", auth.RoleReporter, "commerce")
		env.addUser("dasi", auth.RoleReporter, otherUnit)
		as := func(user string) func(method, path, body string) response {
			cookie, csrf := env.session(user)
			return func(method, path, body string) response {
				t.Helper()
				return env.do(req{method: method, path: path, cookie: cookie, csrf: csrf, json: body})
			}
		}
		stat, rep, other := as("stat"), as("shangwu"), as("dasi")
		period := env.clock.Now().AddDate(0, 0, -env.clock.Now().Day()).Format("2006-01")
		filing := `{"period":"` + period + `","ytd_fen":800000000,"since_start_fen":1500000000,"image":"冷库主体完工"}`

		if res := other(http.MethodPost, "/api/v1/projects/GG-2025-001/progress", filing); res.status != http.StatusForbidden {
			t.Errorf("another town's reporter files: %d", res.status)
		}
		if res := rep(http.MethodPost, "/api/v1/projects/GG-2025-001/progress", `{"period":"`+period+`","ytd_fen":800000000,"since_start_fen":13000000000}`); res.status != http.StatusBadRequest ||
			!strings.Contains(res.body, "超过计划总投资12000万元") {
			t.Errorf("above the total: %d %s", res.status, res.body)
		}
		if res := rep(http.MethodPost, "/api/v1/projects/GG-2025-001/progress", filing); res.status != http.StatusCreated || !strings.Contains(res.body, `"status": "submitted"`) {
			t.Fatalf("file: %d %s", res.status, res.body)
		}
		var round apiRound
		res := stat(http.MethodGet, "/api/v1/rounds/"+period, "")
		if err := json.Unmarshal([]byte(res.body), &round); err != nil || round.Filed != 1 || round.Missing != 0 ||
			round.Lines[0].Filed.YTDFen != 800*money.WanYuan || round.Lines[0].FAI != nil {
			t.Fatalf("round: %s %v", res.body, err)
		}
		if res := rep(http.MethodPost, "/api/v1/projects/GG-2025-001/progress/"+period+"/return", `{"reason":"x"}`); res.status != http.StatusForbidden {
			t.Errorf("a reporter returns: %d", res.status)
		}
		if res := stat(http.MethodPost, "/api/v1/projects/GG-2025-001/progress/"+period+"/return", `{"reason":"请补充形象进度"}`); res.status != http.StatusOK ||
			!strings.Contains(res.body, `"status": "returned"`) {
			t.Fatalf("return: %d %s", res.status, res.body)
		}
		if res := rep(http.MethodPost, "/api/v1/projects/GG-2025-001/progress", filing); res.status != http.StatusCreated || !strings.Contains(res.body, `"version": 3`) {
			t.Fatalf("file again: %d %s", res.status, res.body)
		}
		if res := stat(http.MethodPost, "/api/v1/rounds/"+period+"/publish", ""); res.status != http.StatusOK || !strings.Contains(res.body, `"published": 1`) {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		if res := stat(http.MethodPost, "/api/v1/rounds/"+period+"/publish", ""); res.status != http.StatusBadRequest || !strings.Contains(res.body, "没有待发布的调度数据") {
			t.Errorf("publish twice: %d %s", res.status, res.body)
		}

		// A problem, raised by the unit, past its deadline a day later.
		deadline := env.clock.Now().Format("2006-01-02")
		if res := rep(http.MethodPost, "/api/v1/projects/GG-2025-001/problems", `{"text":"冷库用地规划调整待批复","owner":"housing","deadline":"`+deadline+`"}`); res.status != http.StatusCreated {
			t.Fatalf("raise: %d %s", res.status, res.body)
		}
		if res := rep(http.MethodPost, "/api/v1/projects/GG-2025-001/problems/1", `{"version":1,"status":"working","note":"已报区规委会"}`); res.status != http.StatusOK ||
			!strings.Contains(res.body, `"version": 2`) {
			t.Fatalf("update: %d %s", res.status, res.body)
		}
		env.clock.Advance(48 * time.Hour)
		stat, rep, other = as("stat"), as("shangwu"), as("dasi") // the sessions idled out
		var flags struct {
			Total int             `json:"total"`
			Items []projects.Flag `json:"items"`
		}
		res = stat(http.MethodGet, "/api/v1/projects/flags", "")
		if err := json.Unmarshal([]byte(res.body), &flags); err != nil || flags.Total != 1 || flags.Items[0].Kind != projects.FlagProblem {
			t.Errorf("flags: %s %v", res.body, err)
		}
		if res := other(http.MethodGet, "/api/v1/projects/flags", ""); !strings.Contains(res.body, `"total": 0`) {
			t.Errorf("another town's reporter sees the flags: %s", res.body)
		}
		var detail apiProjectDetail
		res = rep(http.MethodGet, "/api/v1/projects/GG-2025-001", "")
		if err := json.Unmarshal([]byte(res.body), &detail); err != nil || len(detail.Progress) != 4 || detail.Progress[0].Status != projects.Published ||
			len(detail.Problems) != 1 || len(detail.Flags) != 1 || detail.FAI == nil {
			t.Errorf("detail: %s %v", res.body, err)
		}
		if res := stat(http.MethodGet, "/api/v1/attractions?year=1999", ""); res.status != http.StatusBadRequest {
			t.Errorf("attractions of 1999: %d", res.status)
		}
		if res := stat(http.MethodGet, "/api/v1/attractions", ""); res.status != http.StatusOK || !strings.Contains(res.body, `"records": []`) {
			t.Errorf("attractions: %d %s", res.status, res.body)
		}
	})
}
