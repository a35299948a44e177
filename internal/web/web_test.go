package web

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, h http.Handler, path string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return response{rec.Code, rec.Result().Header, rec.Body.String()}
}

// text is the body with HTML entities decoded, as a reader sees it.
func (r response) text() string { return html.UnescapeString(r.body) }

var h1Re = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)

// TestPages requests each page as a reader would and checks what it must
// show: the heading, and the figures and sentences that matter on it.
func TestPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestServer(t, db).Handler()
		tests := []struct {
			path   string
			status int
			h1     string
			want   []string
		}{
			{"/", 200, "泰州医药高新区(高港区)加快推动现代服务业高质量发展的实施方案(2025-2027年)", []string{
				"泰高新政办〔2025〕17号", "实施期限 2025—2027年",
				`<a href="/indicators/SVC_VALUE_ADDED">服务业增加值</a>`, ">680", "≥55",
				"二(四)", "新增省级两业融合发展试点区域", "规划版本:第1版",
			}},
			{"/indicators", 200, "目标指标", []string{"共 23 项", "数字经济核心产业增加值增速高于GDP增速", "1–2", "每个区级部门分别计"}},
			{"/indicators/SVC_VALUE_ADDED", 200, "服务业增加值", []string{
				"加速全区现代服务业发展,到2027年,服务业增加值力争突破680亿元,年均增长6%以上。",
				">680", "力争", "现价", `href="/plan/text#p16"`,
			}},
			{"/indicators/PRODUCER_SVC_VA_SHARE", 200, "生产性服务业增加值比重", []string{"2024年 52%", "非统计数"}},
			{"/indicators/DEPT_ATTRACTED_FIRMS", 200, "区级机关部门招引落户限上(规上)企业", []string{"适用单位(20个)", "区税务局", "每个区级部门分别计"}},
			{"/indicators/NEW_INCUBATION_PROJECTS", 200, "新增各类孵化项目", []string{"区工业和科技创新局", "各园区、街道、镇", "促进创新成果转化"}},
			{"/fields", 200, "三、重点任务", []string{"推动生产性服务业专业化高端化发展", "数字及信息化服务", "任务 4 项"}},
			{"/fields/sci-tech", 200, "三(一)1</span>科技服务业", []string{
				"构建全生命周期科创平台", "促进创新成果转化", "区工业和科技创新局", "区市场监管局",
				"以下均需各园区、镇(街道)落实,不再列出", `id="task-sci-tech-4"`,
			}},
			{"/fields/digital", 200, "数字及信息化服务", []string{"着力建设数字新高", "发展“直播+跨境”新模式", "新增规上数字服务企业"}},
			{"/actions", 200, "五、专项行动", []string{"项目牵引带动行动", "每年招引落户限上(规上)企业至少1个", "六、组织保障", "开展统计监测"}},
			{"/units", 200, "责任单位", []string{"区级部门(20个)", "园区(3个)", "街道(7个)", "镇(5个)", "化学新材料产业园"}},
			{"/units/development-reform", 200, "区发展改革委", []string{"牵头任务", "建设江海联运中心港", "大力发展楼宇经济", "配合任务", "扩大增量", "本单位量化目标", "规模以上商务服务业企业数"}},
			{"/units/321203101", 200, "白马镇", []string{"统计用区划代码 321203101", "落实任务(30项)", "以下均需各园区、镇(街道)落实"}},
			{"/units/321203", 200, "泰州医药高新区(高港区)", []string{"方案没有为本单位单列任务"}},
			{"/plan/text", 200, "方案原文", []string{`<p id="p16">(一)扩大总量规模。`, "六、组织保障"}},
			{"/indicators/NO_SUCH", 404, "找不到页面", []string{"没有编码为“NO_SUCH”的指标"}},
			{"/fields/nope", 404, "找不到页面", []string{"没有编码为“nope”的服务领域"}},
			{"/units/nope", 404, "找不到页面", []string{"没有编码为“nope”的单位"}},
			{"/no/such/page", 404, "找不到页面", []string{"页面不存在"}},
		}
		for _, tt := range tests {
			t.Run(tt.path, func(t *testing.T) {
				res := get(t, h, tt.path)
				if res.status != tt.status {
					t.Fatalf("status = %d, want %d", res.status, tt.status)
				}
				if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q", ct)
				}
				body := res.text()
				m := h1Re.FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tt.h1) {
					t.Errorf("h1 = %q, want it to contain %q", m, tt.h1)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
			})
		}
	})
}

// TestSourceLinksReachTheirParagraph follows every 查看原文 link of the
// plan's pages and checks that the paragraph it names holds the quote.
func TestSourceLinksReachTheirParagraph(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestServer(t, db).Handler()
		text := get(t, h, "/plan/text").body
		paraRe := regexp.MustCompile(`<p id="(p\d+)">(.*?)</p>`)
		paras := map[string]string{}
		for _, m := range paraRe.FindAllStringSubmatch(text, -1) {
			paras[m[1]] = m[2]
		}
		if len(paras) < 40 {
			t.Fatalf("original text has %d paragraphs, want the whole document", len(paras))
		}
		quoteRe := regexp.MustCompile(`(?s)<blockquote class="source">\s*<p>(.*?)</p>\s*<a class="source-link" href="/plan/text#(p\d+)">`)
		checked := 0
		for _, path := range []string{"/", "/fields/sci-tech", "/fields/health", "/indicators/SVC_PROJECTS_SIGNED", "/indicators/TIME_HONORED_BRANDS"} {
			for _, m := range quoteRe.FindAllStringSubmatch(get(t, h, path).body, -1) {
				if !strings.Contains(paras[m[2]], m[1]) {
					t.Errorf("%s: quote %.40q… links to %s, which does not hold it", path, m[1], m[2])
				}
				checked++
			}
		}
		if checked < 8 {
			t.Errorf("checked only %d quote links", checked)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestServer(t, db).Handler()
		for _, path := range []string{"/", "/api/v1/plan", "/no/such"} {
			res := get(t, h, path)
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := res.header.Get(name); got != want {
					t.Errorf("%s: %s = %q, want %q", path, name, got, want)
				}
			}
			csp := res.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s: weak CSP %q", path, csp)
			}
			if res.header.Get("X-Request-ID") == "" {
				t.Errorf("%s: no X-Request-ID", path)
			}
		}
		// The pages carry no inline script or style for the CSP to block.
		body := get(t, h, "/").body
		if strings.Contains(body, "<script>") || strings.Contains(body, "style=") || strings.Contains(body, "<style") {
			t.Error("page has inline script or style")
		}
	})
}

func TestStaticFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestServer(t, db).Handler()
		m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(get(t, h, "/").body)
		if m == nil {
			t.Fatal("page does not link a content-hashed stylesheet")
		}
		res := get(t, h, m[1])
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
			t.Errorf("%s: status %d, type %q", m[1], res.status, res.header.Get("Content-Type"))
		}
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("hashed file Cache-Control = %q, want immutable", cc)
		}
		if res := get(t, h, "/static/app.css"); res.status != 200 || res.header.Get("Cache-Control") != "no-cache" {
			t.Errorf("unhashed name: status %d, Cache-Control %q", res.status, res.header.Get("Cache-Control"))
		}
		if res := get(t, h, "/static/nope.js"); res.status != 404 {
			t.Errorf("missing static file: status %d, want 404", res.status)
		}
	})
}

// TestAPI checks the JSON endpoints return the plan's data as the pages do.
func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestServer(t, db).Handler()
		decode := func(path string, status int, v any) {
			t.Helper()
			res := get(t, h, path)
			if res.status != status {
				t.Fatalf("%s: status %d, want %d: %s", path, res.status, status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
			if err := json.Unmarshal([]byte(res.body), v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}

		var p plan.Plan
		decode("/api/v1/plan", 200, &p)
		if p.Meta.DocNumber != "泰高新政办〔2025〕17号" || len(p.Indicators) != 23 || len(p.Fields) != 10 {
			t.Errorf("/api/v1/plan: %s, %d indicators, %d fields", p.Meta.DocNumber, len(p.Indicators), len(p.Fields))
		}

		var ind plan.Indicator
		decode("/api/v1/indicators/SVC_VALUE_ADDED", 200, &ind)
		if tg, _ := ind.TargetFor(2027); tg.Text() != ">680" || !tg.Strive || ind.Unit != "亿元" {
			t.Errorf("SVC_VALUE_ADDED 2027 = %s %s strive=%v", tg.Text(), ind.Unit, tg.Strive)
		}
		// Targets are JSON numbers, exactly as written.
		raw := get(t, h, "/api/v1/indicators/NEW_HR_SERVICE_PARKS").body
		if !strings.Contains(raw, `"value": 1,`) || !strings.Contains(raw, `"max": 2,`) {
			t.Errorf("range target not written as numbers: %s", raw)
		}

		var tasks struct{ Items []apiTaskItem }
		decode("/api/v1/tasks", 200, &tasks)
		if len(tasks.Items) != 30 {
			t.Errorf("%d tasks, want 30", len(tasks.Items))
		}
		var task apiTaskItem
		decode("/api/v1/tasks/business-3", 200, &task)
		if task.Title != "大力发展楼宇经济" || task.Field != "business" || task.Lead[0] != "development-reform" || len(task.Co) != 6 {
			t.Errorf("task business-3 = %+v", task)
		}

		var unit apiUnitDetail
		decode("/api/v1/units/tax", 200, &unit)
		if unit.Unit.Name != "区税务局" || len(unit.Tasks) != 3 || unit.Tasks[0].Role != plan.RoleCo || len(unit.Indicators) != 1 {
			t.Errorf("unit tax = %+v", unit)
		}
		var town apiUnitDetail
		decode("/api/v1/units/321203104", 200, &town)
		if len(town.Tasks) != 30 || town.Tasks[0].Role != plan.RoleImplement {
			t.Errorf("town 大泗镇 has %d tasks, want 30 to implement", len(town.Tasks))
		}

		var e apiError
		decode("/api/v1/fields/nope", 404, &e)
		if e.Error.Code != "not_found" || e.Error.Message != "没有编码为“nope”的服务领域" || e.Error.RequestID == "" {
			t.Errorf("error body = %+v", e)
		}

		var revs list[plan.Revision]
		decode("/api/v1/plan/revisions", 200, &revs)
		if len(revs.Items) != 1 || revs.Items[0].Number != 1 || revs.Items[0].LoadedBy != "system" || !revs.Items[0].LoadedAt.Equal(testClock()) {
			t.Errorf("revisions = %+v", revs.Items)
		}
	})
}

type pingFunc func(context.Context) error

func (f pingFunc) Ping(ctx context.Context) error { return f(ctx) }

func TestHealthz(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, false)
		tests := []struct {
			name   string
			db     Pinger
			status int
			want   string
		}{
			{"database answers", db, 200, `"status": "ok"`},
			{"database down", pingFunc(func(context.Context) error { return errors.New("connection refused") }), 503, `"status": "unavailable"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				env.opts.DB = tt.db
				env.rebuild()
				res := get(t, env.h, "/healthz")
				if res.status != tt.status || !strings.Contains(res.body, tt.want) {
					t.Errorf("status %d body %s, want %d with %s", res.status, res.body, tt.status, tt.want)
				}
			})
		}
	})
}

// TestNoPlanLoaded: before any plan is loaded, pages and API say so in
// Chinese instead of failing.
func TestNoPlanLoaded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestEnv(t, db, false).h
		res := get(t, h, "/")
		if res.status != 404 || !strings.Contains(res.body, "尚未加载规划") {
			t.Errorf("page: %d %s", res.status, res.body)
		}
		res = get(t, h, "/api/v1/indicators")
		if res.status != 404 || !strings.Contains(res.body, "尚未加载规划") {
			t.Errorf("api: %d %s", res.status, res.body)
		}
	})
}

func TestMethodNotAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newTestServer(t, db).Handler()
		for _, tt := range []struct{ path, want string }{
			{"/api/v1/plan", `"code": "method_not_allowed"`},
			{"/fields", "该地址不支持此请求方法"},
		} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader("{}")))
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("POST %s: %d, Allow %q, body %s", tt.path, rec.Code, rec.Header().Get("Allow"), rec.Body.String())
			}
		}
	})
}

// TestTakesTurns: only short page and API reads queue for a turn; uploads,
// posts, exports and static files never wait behind them.
func TestTakesTurns(t *testing.T) {
	cases := []struct {
		rt   route
		want bool
	}{
		{route{Method: "GET", Pattern: "/dashboard"}, true},
		{route{Method: "GET", Pattern: "/api/v1/indicators/{code}/values"}, true},
		{route{Method: "POST", Pattern: "/enterprises/imports"}, false},
		{route{Method: "GET", Pattern: "/dashboard.xlsx"}, false},
		{route{Method: "GET", Pattern: "/admin/audit.csv"}, false},
		{route{Method: "GET", Pattern: "/static/{file...}"}, false},
		{route{Method: "GET", Pattern: "/enterprises/imports/{id}/status"}, false},
	}
	for _, c := range cases {
		if got := takesTurns(c.rt); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.rt.Method, c.rt.Pattern, got, c.want)
		}
	}
}
