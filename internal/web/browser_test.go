package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/demo"
	"svcplan/internal/industry"
	"svcplan/internal/reports"
	"svcplan/internal/store/storetest"
	"svcplan/internal/web/browsertest"
)

// TestBrowserPlanPages opens the plan in a real browser as a reader would:
// the overview shows the plan's title and its headline targets; following
// an indicator leads to its source sentence, and 查看原文 to the paragraph
// of the original text.
func TestBrowserPlanPages(t *testing.T) {
	ctx := browsertest.New(t)
	db := storetest.MustOpen(t, storetest.SQLiteDSN(t))
	srv := httptest.NewServer(newTestServer(t, db).Handler())
	defer srv.Close()

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if h1 := text("h1"); h1 != "泰州医药高新区(高港区)加快推动现代服务业高质量发展的实施方案(2025-2027年)" {
		t.Errorf("overview h1 = %q", h1)
	}
	goal := text("#goal-G1")
	for _, want := range []string{"扩大总量规模", "服务业增加值", ">680", "规模以上服务业企业总数", ">1500"} {
		if !strings.Contains(goal, want) {
			t.Errorf("goal 二(一) does not show %q; it shows:\n%s", want, goal)
		}
	}
	// The stylesheet loaded (CSP allows it): the header bar is coloured.
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header.top")).backgroundColor`))
	if err != nil || bg != "rgb(27, 79, 143)" {
		t.Errorf("header background = %q (%v): stylesheet not applied", bg, err)
	}
	browsertest.Screenshot(t, ctx, "plan")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#goal-G1 a[href="/indicators/SVC_VALUE_ADDED"]`)),
		chromedp.WaitVisible(chromedp.CSS("blockquote.source"))); err != nil {
		t.Fatal(err)
	}
	if h1 := text("h1"); h1 != "服务业增加值" {
		t.Errorf("indicator h1 = %q", h1)
	}
	if q := text("blockquote.source p"); !strings.Contains(q, "服务业增加值力争突破680亿元") {
		t.Errorf("source sentence = %q", q)
	}
	browsertest.Screenshot(t, ctx, "indicator")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.source-link")),
		chromedp.WaitVisible(chromedp.CSS("article.original"))); err != nil {
		t.Fatal(err)
	}
	if p := text("p:target"); !strings.HasPrefix(p, "(一)扩大总量规模。") {
		t.Errorf("original text opened at %q, want the paragraph of 二(一)", p)
	}

	for _, page := range []struct{ path, name string }{
		{"/fields/sci-tech", "field"}, {"/units/development-reform", "unit"}, {"/indicators", "indicators"}, {"/units", "units"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path)); err != nil {
			t.Fatal(err)
		}
		// Nothing on an office screen may be wider than the window.
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > browsertest.Width {
			t.Errorf("%s is %d px wide (%v), wider than a %d px screen", page.path, w, err, browsertest.Width)
		}
		browsertest.Screenshot(t, ctx, page.name)
	}
}

// TestBrowserSignInAndReport signs in as a town's reporter in a real
// browser, files a progress report through the form, and sees it; then an
// admin looks at the audit log.
func TestBrowserSignInAndReport(t *testing.T) {
	ctx := browsertest.New(t)
	env := newTestEnv(t, storetest.MustOpen(t, storetest.SQLiteDSN(t)), true)
	env.addUser("baima", auth.RoleReporter, ownUnit)
	env.addUser("admin", auth.RoleAdmin, "")
	srv := httptest.NewServer(env.h)
	defer srv.Close()

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	signIn := func(user string) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS(`input[name=username]`), user),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), testPassword),
		); err != nil {
			t.Fatal(err)
		}
		browsertest.Screenshot(t, ctx, "login")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".who-name"))); err != nil {
			t.Fatal(err)
		}
	}

	signIn("baima")
	// A unit's reporter lands on their unit's progress page.
	if h1 := text("h1"); h1 != "白马镇 · 任务进展" {
		t.Fatalf("after sign-in: h1 %q", h1)
	}
	if who := text(".who-name"); !strings.Contains(who, "测试baima") || !strings.Contains(who, "填报员") {
		t.Errorf("header shows %q", who)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#task-sci-tech-1 details summary`)),
		chromedp.SendKeys(chromedp.CSS(`#task-sci-tech-1 textarea[name=progress]`), "泰州实验室二期主体完工"),
		chromedp.Click(chromedp.CSS(`#task-sci-tech-1 button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
	); err != nil {
		t.Fatal(err)
	}
	if got := text("#task-sci-tech-1"); !strings.Contains(got, "泰州实验室二期主体完工") || !strings.Contains(got, "正常推进") {
		t.Errorf("the report does not show: %q", got)
	}
	browsertest.Screenshot(t, ctx, "unit_progress")

	// Another unit's page is refused.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/units/"+otherUnit+"/progress")); err != nil {
		t.Fatal(err)
	}
	if got := text("main"); !strings.Contains(got, "无权访问其他单位的数据") {
		t.Errorf("other unit's page shows %q", got)
	}

	// Sign out; the admin signs in and finds the report in the audit log.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.who button`)), chromedp.WaitVisible(chromedp.CSS(".who-login"))); err != nil {
		t.Fatal(err)
	}
	signIn("admin")
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/admin/audit?action=progress.submit")); err != nil {
		t.Fatal(err)
	}
	if got := text("table.audit tbody"); !strings.Contains(got, "baima") || !strings.Contains(got, "progress.submit") {
		t.Errorf("audit log shows %q", got)
	}
	browsertest.Screenshot(t, ctx, "audit")
	for _, page := range []struct{ path, name string }{
		{"/admin/users", "users"}, {"/account", "account"}, {"/progress", "progress"}, {"/admin/users/new", "user_new"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path)); err != nil {
			t.Fatal(err)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > browsertest.Width {
			t.Errorf("%s is %d px wide (%v)", page.path, w, err)
		}
		browsertest.Screenshot(t, ctx, page.name)
	}
}

// TestBrowserDirectory: a statistician uploads an enterprise list through
// the import page (with its progress bar), confirms the columns, and reads
// the directory, its counts and the cultivation lists.
func TestBrowserDirectory(t *testing.T) {
	ctx := browsertest.New(t)
	env := newTestEnv(t, storetest.MustOpen(t, storetest.SQLiteDSN(t)), true)
	env.seedDirectory()
	env.addUser("stat", auth.RoleStatistician, "")
	srv := httptest.NewServer(env.h)
	defer srv.Close()

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	file := filepath.Join(t.TempDir(), "高港区服务业名录.csv")
	csv := "序号,企业名称,统一社会信用代码,行业代码,所在镇街,成立日期,登记状态\n" +
		"1,泰州戊软件有限公司,913212030081216403,6513,刁铺街道,2021-04-01,存续\n" +
		"2,泰州己人力资源有限公司,9132120302411802XY,7262,口岸街道,2018-09-12,存续\n" +
		"3,泰州庚广告传媒有限公司,91321203573459054F,7240,口岸街道,2016-03-18,存续\n" // a GB/T 4754-2011 code
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "stat"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), testPassword),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".who-name")),
		chromedp.Navigate(srv.URL+"/enterprises/imports"),
		chromedp.SetUploadFiles(`input[type=file]`, []string{file}),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "imports")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[data-upload] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.mapping`)),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "import_mapping")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form.mapping button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.card`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := text("section.card"); !strings.Contains(got, "导入完成") || !strings.Contains(got, "新增3") || !strings.Contains(got, "1个GB/T 4754-2011行业代码") {
		t.Errorf("import result: %q", got)
	}
	browsertest.Screenshot(t, ctx, "import_done")

	for _, page := range []struct{ path, name, want string }{
		{"/enterprises", "enterprises", "泰州戊软件有限公司"},
		{"/enterprises/stats", "enterprise_stats", "数字及信息化服务"},
		{"/enterprises/lists?list=unlisted", "enterprise_unlisted", "泰州乙物流有限公司"},
		{"/enterprises/lists?list=pool", "enterprise_pool", "泰州丙旅行社有限公司"},
		{"/enterprises/" + firmB, "enterprise", "应统未统"},
		{"/enterprises/checks", "enterprise_checks", "泰州庚广告传媒有限公司"},
		{"/enterprises/91321203573459054F", "enterprise_unsure", "行业小类待核实"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path)); err != nil {
			t.Fatal(err)
		}
		if got := text("main"); !strings.Contains(got, page.want) {
			t.Errorf("%s: %q missing", page.path, page.want)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > browsertest.Width {
			t.Errorf("%s is %d px wide (%v)", page.path, w, err)
		}
		browsertest.Screenshot(t, ctx, page.name)
	}
}

// TestBrowserDashboard opens the dashboard over the demonstration data as
// an anonymous visitor of a demo server (who sees it as a leader does) and
// as a statistician: the charts draw, a field drills down to its
// industries, and the export downloads.
func TestBrowserDashboard(t *testing.T) {
	ctx := browsertest.New(t)
	env := newTestEnv(t, storetest.MustOpen(t, storetest.SQLiteDSN(t)), true)
	env.fillDemo()
	env.addUser("stat", auth.RoleStatistician, "")
	env.opts.Demo = true
	env.rebuild()
	srv := httptest.NewServer(env.h)
	defer srv.Close()

	// chartDrawn reports whether a chart's canvas exists and has a
	// coloured pixel: ECharts drew into it.
	chartDrawn := func(id string) bool {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const c = document.querySelector('[data-chart="`+id+`"] canvas');
			if (!c || c.width === 0) return false;
			const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
			return false;
		})()`))
		if err != nil {
			t.Fatalf("chart %s: %v", id, err)
		}
		return ok
	}
	waitCharts := chromedp.WaitVisible(chromedp.CSS(`[data-chart="chart-trend"] canvas`))

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), waitCharts); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"chart-rows", "chart-units", "chart-trend"} {
		if !chartDrawn(id) {
			t.Errorf("anonymous demo visitor: chart %s did not draw", id)
		}
	}
	main, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"目标进度", "红灯", "规模以上服务业营业收入", "分镇街(园区)排名"} {
		if !strings.Contains(main, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	banner, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".demo-banner")))
	if err != nil || !strings.Contains(banner, "示例数据") {
		t.Errorf("demo banner %q (%v)", banner, err)
	}
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || w > browsertest.Width {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 1366).slice(0, 5).map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).join(' ')`))
		t.Errorf("dashboard is %d px wide (%v): %s", w, err, wide)
	}
	browsertest.Screenshot(t, ctx, "dashboard")

	// Drill down: the first field of the breakdown, then its industries.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "stat"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), testPassword),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".who-name")),
		chromedp.Navigate(srv.URL+"/dashboard"), waitCharts,
		chromedp.Click(chromedp.CSS(`#table-rows tbody tr:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`.crumbs-bar strong`)), waitCharts,
	); err != nil {
		t.Fatal(err)
	}
	level, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#table-rows thead th`)))
	if err != nil || level != "行业大类" {
		t.Errorf("after drilling into a field the breakdown is by %q (%v)", level, err)
	}
	if !chartDrawn("chart-rows") {
		t.Errorf("drill-down: composition chart did not draw")
	}
	browsertest.Screenshot(t, ctx, "dashboard_field")

	// The warnings page and an indicator's page with its value form, as
	// the statistician sees them.
	for _, page := range []struct{ path, name, want string }{
		{"/dashboard", "dashboard_stat", "个需要关注"}, // the ledger's late projects too
		{"/warnings", "warnings", "数据质量核查"},
		{"/indicators/SVC_VALUE_ADDED", "indicator_monitor", "填报数值"},
		{"/projects", "projects", "新签约"},
		{"/projects/GG-2025-003", "project", "阶段与认定"},
		{"/projects/GG-2025-003/edit", "project_form", "计划总投资"},
		{"/projects/rounds", "rounds", "已报送"},
		{"/projects/import", "project_import", "导入项目清单"},
		{"/projects/attraction", "attraction", "部门招引"},
		{"/assess", "assess_list", "目标考核"},
		{"/assess/2025-units", "assess", "镇(街道)"},
		{"/assess/2025-units/units/321203101", "assess_card", "考核得分"},
		{"/supervise", "supervise", "督查督办"},
		{"/supervise/1", "supervise_item", "办理记录"},
		{"/supervise/inbox", "supervise_inbox", "我的待办"},
		{"/buildings", "buildings", "亿元楼"},
		{"/buildings/GG-001", "building", "楼宇诊断"},
		{"/buildings/ranking", "buildings_ranking", "楼宇排名"},
		{"/buildings/GG-003/visit", "building_visit", "核查结果"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path)); err != nil {
			t.Fatal(err)
		}
		if page.name == "building" {
			if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[data-chart="chart-tax"] canvas`))); err != nil || !chartDrawn("chart-tax") {
				t.Errorf("the building's tax chart did not draw (%v)", err)
			}
		}
		if page.name == "project" {
			if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[data-chart="chart-investment"] canvas`))); err != nil || !chartDrawn("chart-investment") {
				t.Errorf("the project's investment chart did not draw (%v)", err)
			}
		}
		if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"))); err != nil || !strings.Contains(got, page.want) {
			t.Errorf("%s lacks %q (%v)", page.path, page.want, err)
		}
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > browsertest.Width {
			t.Errorf("%s is %d px wide (%v)", page.path, w, err)
		}
		// The header stays on one line.
		if h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.round(document.querySelector('.top-inner').getBoundingClientRect().height)`)); err != nil || h > 60 {
			t.Errorf("%s: the header is %d px high (%v)", page.path, h, err)
		}
		browsertest.Screenshot(t, ctx, page.name)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/dashboard"), waitCharts); err != nil {
		t.Fatal(err)
	}

	// Export what is on the screen.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('a[href^="/dashboard.xlsx"]').href)
		.then(r => r.blob().then(b => r.status + " " + r.headers.get("content-type") + " " + (b.size > 1000)))`,
		chromedp.EvalAwaitPromise))
	if err != nil || got != "200 "+xlsxContentType+" true" {
		t.Errorf("export: %q (%v)", got, err)
	}
}

// fillDemo imports the demonstration data through the ordinary services
// and releases it, as svcplan demo does.
func (env *testEnv) fillDemo() {
	env.t.Helper()
	ctx := env.t.Context()
	st, err := env.plans.Active(ctx)
	if err != nil {
		env.t.Fatal(err)
	}
	d, err := demo.Generate(st.Plan, industry.Default(), demo.Options{Seed: 1, Firms: 600, Through: env.clock.Now()})
	if err != nil {
		env.t.Fatal(err)
	}
	admin := &auth.User{Username: "demo", Role: auth.RoleAdmin}
	_, err = demo.Fill(ctx, demo.Services{Directory: env.registry, Reports: env.reports,
		Values: env.values, Projects: env.projects, Assess: env.assess, Supervise: env.supervise, Buildings: env.buildings, Release: func(ctx context.Context, a audit.Actor, u *auth.User, per reports.Period) error {
			_, err := env.dashboard.ReleasePeriod(ctx, a, u, per)
			return err
		}}, audit.Actor{Name: "demo"}, admin, d)
	if err != nil {
		env.t.Fatal(err)
	}
}
