package web

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/supervise"
)

// TestSupervisePages: the office assigns an item on the board, the town
// reports with an evidence file and asks for more time, the office
// approves; a fake file is refused; another town sees nothing.
func TestSupervisePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("baima", auth.RoleReporter, ownUnit)
		env.addUser("dasi", auth.RoleReporter, otherUnit)
		cookie, csrf := env.session("admin")
		get := func(cookie, path string) response {
			t.Helper()
			return env.do(req{method: http.MethodGet, path: path, cookie: cookie})
		}
		deadline := env.clock.Now().AddDate(0, 2, 0).Format("2006-01-02")
		res := env.do(req{method: http.MethodPost, path: "/supervise", cookie: cookie, csrf: csrf, form: url.Values{"kind": {"adhoc"},
			"title": {"完成白马镇物流园区招商签约"}, "source": {""}, "lead": {ownUnit}, "deadline": {deadline}}})
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "交办事项须写明来源") {
			t.Errorf("an item without a source: %d", res.status)
		}
		res = env.do(req{method: http.MethodPost, path: "/supervise", cookie: cookie, csrf: csrf, form: url.Values{"kind": {"adhoc"},
			"title": {"完成白马镇物流园区招商签约"}, "source": {"区长办公会议纪要〔2026〕8号"}, "lead": {ownUnit}, "partners": {"commerce"},
			"deadline": {deadline}}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/supervise/1" {
			t.Fatalf("assign: %d %s", res.status, res.body)
		}

		// The town reports, with a file, through a multipart form.
		repCookie, repCSRF := env.session("baima")
		act := func(fields map[string]string, name string, content []byte) response {
			t.Helper()
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			for k, v := range fields {
				mw.WriteField(k, v)
			}
			if name != "" {
				fw, _ := mw.CreateFormFile("files", name)
				fw.Write(content)
			}
			mw.Close()
			r := httptest.NewRequest(http.MethodPost, "/supervise/1/acts?csrf_token="+url.QueryEscape(repCSRF), &b)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: repCookie})
			rec := httptest.NewRecorder()
			env.h.ServeHTTP(rec, r)
			return response{rec.Code, rec.Result().Header, rec.Body.String()}
		}
		if res := act(map[string]string{"version": "1", "act": "progress", "text": "已对接3家物流企业"}, "对接记录.pdf", []byte("not a pdf")); res.status != http.StatusBadRequest ||
			!strings.Contains(html.UnescapeString(res.body), "佐证文件“对接记录.pdf”的内容不是PDF文件(与文件名不符)") {
			t.Errorf("a fake pdf: %d", res.status)
		}
		if res := act(map[string]string{"version": "1", "act": "progress", "text": "已对接3家物流企业"}, "对接记录.pdf", []byte("%PDF-1.4 记录")); res.status != http.StatusSeeOther {
			t.Fatalf("progress: %d %s", res.status, res.body)
		}
		newDate := env.clock.Now().AddDate(0, 3, 0).Format("2006-01-02")
		if res := act(map[string]string{"version": "2", "act": "extend", "text": "企业投资决策延后", "new_deadline": newDate}, "", nil); res.status != http.StatusSeeOther {
			t.Fatalf("extend: %d %s", res.status, res.body)
		}
		body := html.UnescapeString(get(cookie, "/supervise/1").body)
		for _, want := range []string{"已对接3家物流企业", "对接记录.pdf", "申请延期至 " + newDate, `<option value="approve">同意延期</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the item's page lacks %q", want)
			}
		}
		if box := html.UnescapeString(get(cookie, "/supervise/inbox").body); !strings.Contains(box, "延期申请:企业投资决策延后") {
			t.Errorf("the office's inbox lacks the request")
		}
		res = env.do(req{method: http.MethodPost, path: "/supervise/1/acts", cookie: cookie, csrf: csrf, form: url.Values{"version": {"3"}, "act": {"approve"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", res.status, res.body)
		}
		if box := html.UnescapeString(get(repCookie, "/supervise/inbox").body); !strings.Contains(box, "同意延期(期限"+newDate+")") {
			t.Errorf("the town's inbox lacks the decision")
		}
		if res := get(repCookie, "/supervise/1/files/1"); res.status != http.StatusOK || res.body != "%PDF-1.4 记录" ||
			res.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("evidence: %d %q", res.status, res.header.Get("Content-Type"))
		}
		dasi, _ := env.session("dasi")
		if res := get(dasi, "/supervise/1"); res.status != http.StatusForbidden {
			t.Errorf("another town opens the item: %d", res.status)
		}
		if res := get(dasi, "/supervise/1/files/1"); res.status != http.StatusForbidden {
			t.Errorf("another town downloads the evidence: %d", res.status)
		}
		if board := html.UnescapeString(get(dasi, "/supervise").body); strings.Contains(board, "物流园区") {
			t.Errorf("another town's board shows the item")
		}
		if body := html.UnescapeString(get(cookie, "/units/"+ownUnit).body); !strings.Contains(body, "督办事项") || !strings.Contains(body, "完成白马镇物流园区招商签约") {
			t.Errorf("the town's page lacks its 督办 items")
		}

		// A town says it is done; the published figure says 10 of 30.
		ctx, office, adminUser := t.Context(), audit.Actor{Name: "admin"}, &auth.User{Username: "admin", Role: auth.RoleAdmin}
		year := env.clock.Now().Format("2006")
		it, err := env.supervise.Assign(ctx, office, adminUser, supervise.Item{Kind: supervise.KindAdhoc, Title: "服务业增加值30亿元",
			Source: "年度目标责任书", Lead: ownUnit, Deadline: year + "-12-31", Indicator: "SVC_VALUE_ADDED", Target: "30"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.values.Save(ctx, office, adminUser, indicators.Input{Indicator: "SVC_VALUE_ADDED", Unit: ownUnit, Period: year,
			Value: "10", Publish: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.supervise.Act(ctx, audit.Actor{Name: "baima"}, &auth.User{Username: "baima", Role: auth.RoleReporter, Unit: ownUnit}, it.ID,
			supervise.ActInput{Act: supervise.ActRequest, Version: 1, Text: "已完成"}); err != nil {
			t.Fatal(err)
		}
		for _, page := range []string{"/warnings", "/units/" + ownUnit, "/supervise"} {
			if body := html.UnescapeString(get(cookie, page).body); !strings.Contains(body, "自报已完成,数据显示完成率33.3%") {
				t.Errorf("%s lacks the self-report the data contradicts", page)
			}
		}
		res = get(cookie, "/supervise/digest.xlsx")
		if rows := readXLSX(t, res.body); res.status != http.StatusOK || len(rows) != 3 {
			t.Errorf("digest: %d %v", res.status, rows)
		}
	})
}

// seedSupervision assigns one item (number 1) to 白马镇.
func (env *testEnv) seedSupervision() {
	env.t.Helper()
	_, err := env.supervise.Assign(env.t.Context(), audit.Actor{Name: "seed"}, &auth.User{Username: "seed", Role: auth.RoleAdmin},
		supervise.Item{Kind: supervise.KindAdhoc, Title: "推进物流园区招商", Source: "区长办公会议纪要", Lead: ownUnit,
			Deadline: env.clock.Now().AddDate(0, 1, 0).Format("2006-01-02")})
	if err != nil {
		env.t.Fatal(err)
	}
}

// TestSuperviseAPI runs an item through the JSON API.
func TestSuperviseAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("baima", auth.RoleReporter, ownUnit)
		as := func(user string) func(method, path, body string) response {
			cookie, csrf := env.session(user)
			return func(method, path, body string) response {
				t.Helper()
				return env.do(req{method: method, path: path, cookie: cookie, csrf: csrf, json: body})
			}
		}
		admin, rep := as("admin"), as("baima")
		deadline := env.clock.Now().AddDate(0, 1, 0).Format("2006-01-02")
		if res := admin(http.MethodPost, "/api/v1/supervise", `{"kind":"task","task":"sci-tech-1","lead":"`+ownUnit+`","deadline":"`+deadline+`"}`); res.status != http.StatusCreated ||
			!strings.Contains(res.body, `"title": "构建全生命周期科创平台"`) {
			t.Fatalf("assign: %d %s", res.status, res.body)
		}
		cookie, _ := env.session("admin")
		if body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/fields/sci-tech", cookie: cookie}).body); !strings.Contains(body, `督办</span> <a href="/supervise/1">白马镇 · 交办</a>`) {
			t.Errorf("the task's page lacks its 督办 light")
		}
		if body := env.do(req{method: http.MethodGet, path: "/fields/sci-tech"}).body; strings.Contains(body, "/supervise/1") {
			t.Errorf("an anonymous visitor sees the 督办 item")
		}
		if res := rep(http.MethodPost, "/api/v1/supervise/1/acts", `{"act":"request","version":1,"text":"已完成"}`); res.status != http.StatusOK ||
			!strings.Contains(res.body, `"status": "requested"`) {
			t.Fatalf("request: %d %s", res.status, res.body)
		}
		if res := rep(http.MethodPost, "/api/v1/supervise/1/acts", `{"act":"close","version":2}`); res.status != http.StatusForbidden {
			t.Errorf("a unit closes its own item: %d", res.status)
		}
		if res := admin(http.MethodPost, "/api/v1/supervise/1/acts", `{"act":"close","version":1}`); res.status != http.StatusConflict {
			t.Errorf("a stale close: %d", res.status)
		}
		if res := admin(http.MethodPost, "/api/v1/supervise/1/acts", `{"act":"close","version":2,"text":"同意销号"}`); res.status != http.StatusOK {
			t.Fatalf("close: %d %s", res.status, res.body)
		}
		if res := rep(http.MethodGet, "/api/v1/supervise/1", ""); res.status != http.StatusOK || !strings.Contains(res.body, `"light": "green"`) ||
			!strings.Contains(res.body, `"act": "close"`) {
			t.Errorf("item: %d %s", res.status, res.body)
		}
		if res := rep(http.MethodGet, "/api/v1/supervise/inbox", ""); !strings.Contains(res.body, "销号:同意销号") {
			t.Errorf("inbox: %s", res.body)
		}
	})
}

// TestLedgerRulesPage: an administrator changes the project counting rules
// and the 督办 lights on the rules page; a bad rule is refused, named.
func TestLedgerRulesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		cookie, csrf := env.session("admin")
		post := func(path string, form url.Values) response {
			t.Helper()
			return env.do(req{method: http.MethodPost, path: path, cookie: cookie, csrf: csrf, form: form})
		}
		form := url.Values{"min_wan": {"5000"}, "foreign": {"USD=800\nEUR=700"}, "fields_only": {"1"}, "certified_only": {"1"}, "date": {"certified"},
			"pace_yellow_pp": {"10"}, "pace_red_pp": {"30"}, "late_days": {"30"}, "fai_months": {"1"}}
		if res := post("/admin/rules/projects", form); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.status, res.body)
		}
		r := env.projects.Rules()
		if r.MinTotalFen != 5000*money.WanYuan || r.ForeignMin["EUR"] != 700*int64(money.WanYuan) || r.Date != projects.DateCertified {
			t.Errorf("rules in force: %+v", r)
		}
		body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/admin/rules", cookie: cookie}).body)
		if !strings.Contains(body, `name="min_wan" value="5000"`) || !strings.Contains(body, "EUR=700\nUSD=800") {
			t.Errorf("the page does not show the saved rules")
		}
		form.Set("pace_red_pp", "5")
		if res := post("/admin/rules/projects", form); res.status != http.StatusBadRequest ||
			!strings.Contains(html.UnescapeString(res.body), "序时进度的黄灯、红灯差距应为1到100个百分点,红灯大于黄灯") {
			t.Errorf("bad bands: %d", res.status)
		}
		if res := post("/admin/rules/supervise", url.Values{"yellow_days": {"14"}}); res.status != http.StatusSeeOther || env.supervise.Rules().YellowDays != 14 {
			t.Errorf("督办 lights: %d %+v", res.status, env.supervise.Rules())
		}
		if res := post("/admin/rules/supervise", url.Values{"yellow_days": {"365"}}); res.status != http.StatusBadRequest {
			t.Errorf("a year of yellow: %d", res.status)
		}
	})
}
