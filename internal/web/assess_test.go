package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// TestAssessPages: an administrator pastes a scheme into the editor,
// publishes and scores it; the ranking, each unit's card and the score
// sheet show every score with its reason; a reporter reads its own card
// only.
func TestAssessPages(t *testing.T) {
	scheme, err := os.ReadFile("../assess/testdata/towns.yaml")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("baima", auth.RoleReporter, ownUnit)
		cookie, csrf := env.session("admin")
		ctx := t.Context()
		admin := &auth.User{Username: "admin", Role: auth.RoleAdmin}
		for unit, v := range map[string][3]string{"321203101": {"18", "8.6", "6"}, "321203103": {"12", "7.3", "6"}, "321203104": {"9", "9.2", "3"}, "321203105": {"10", "8.0", "2"}} {
			for i, ind := range []string{"ABOVE_SIZE_SVC_REVENUE", "SVC_VALUE_ADDED_GROWTH", "NEW_ABOVE_SIZE_SVC_FIRMS"} {
				if _, err := env.values.Save(ctx, audit.Actor{Name: "admin"}, admin, indicators.Input{Indicator: ind, Unit: unit, Period: "2025",
					Value: v[i], Publish: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
		post := func(path string, form url.Values) response {
			t.Helper()
			return env.do(req{method: http.MethodPost, path: path, cookie: cookie, csrf: csrf, form: form})
		}
		get := func(cookie, path string) response {
			t.Helper()
			return env.do(req{method: http.MethodGet, path: path, cookie: cookie})
		}

		bad := strings.Replace(string(scheme), "cap: 18}", "cap: 12}", 1)
		res := post("/assess", url.Values{"body": {bad}})
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest ||
			!strings.Contains(body, "考核方案.yaml:28:84: groups[0].items[1].rule.cap: 封顶分12低于基本分15") || !strings.Contains(body, "cap: 12}") {
			t.Errorf("a bad scheme: %d", res.status)
		}
		if res = post("/assess", url.Values{"body": {string(scheme)}}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/assess/2025-towns" {
			t.Fatalf("save: %d %s", res.status, res.body)
		}
		body := html.UnescapeString(get(cookie, "/assess/2025-towns").body)
		if !strings.Contains(body, "按当前已发布数据的预览") || !strings.Contains(body, "发布第1版") {
			t.Errorf("the draft's page lacks its preview or the publish button")
		}
		if res = post("/assess/2025-towns/publish", url.Values{"version": {"1"}}); res.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		if res = post("/assess/2025-towns/units/321203105/facts", url.Values{"group": {"towns"}, "item": {"safety"}, "value": {"1"},
			"evidence": {"区应急局事故通报"}}); res.status != http.StatusSeeOther {
			t.Fatalf("fact: %d %s", res.status, res.body)
		}
		if res = post("/assess/2025-towns/runs", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("score: %d %s", res.status, res.body)
		}
		body = html.UnescapeString(get(cookie, "/assess/2025-towns").body)
		for _, want := range []string{"第1次正式计分", `<td class="num"><strong>30.50</strong></td>`, "规模以上服务业企业营业收入 −1.00", `title="一票否决事项1项,等次定为不合格">一票否决`} {
			if !strings.Contains(body, want) {
				t.Errorf("the ranking lacks %q", want)
			}
		}
		card := html.UnescapeString(get(cookie, "/assess/2025-towns/units/321203101").body)
		for _, want := range []string{"白马镇 · 考核得分", "乡镇组第1名(共4个)", "完成值8.6%,高于目标7%达1.6个百分点,每0.5个百分点加0.5分,加1.50分,得16.50分(基本分15分)",
			"已发布指标数值第1版"} {
			if !strings.Contains(card, want) {
				t.Errorf("the card lacks %q", want)
			}
		}
		res = get(cookie, "/assess/2025-towns/sheet.xlsx")
		rows := readXLSX(t, res.body)
		if res.status != http.StatusOK || len(rows) < 3 {
			t.Fatalf("sheet: %d %v", res.status, rows)
		}
		found := false
		for _, r := range rows {
			if len(r) > 13 && r[1] == "白马镇" && r[5] == "规模以上服务业企业营业收入" {
				found = r[7] == "20" && r[8] == "18" && r[10] == "9"
			}
		}
		if !found {
			t.Errorf("the sheet lacks 白马镇's revenue line: %v", rows)
		}

		if res := get(cookie, "/assess/2025-towns/scheme.yaml?version=1"); res.status != http.StatusOK || res.body != string(scheme) {
			t.Errorf("the scheme file: %d", res.status)
		}
		res = get(cookie, "/assess/2025-towns/scheme.xlsx")
		rows = readXLSX(t, res.body)
		if res.status != http.StatusOK || len(rows) != 6 || rows[1][5] != "规模以上服务业企业营业收入" || rows[1][9] != "按完成比例" ||
			rows[1][17] != "白马镇 20;胡庄镇 10;大泗镇 10;野徐镇 8" {
			t.Errorf("the 评分细则: %d %v", res.status, rows)
		}
		// The sheet, changed in Excel, comes back as the next draft.
		up := env.uploadTo("/assess/sheet", cookie, csrf, "评分细则.xlsx", []byte(res.body), map[string]string{"code": "2025-towns"})
		if up.status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", up.status, html.UnescapeString(up.body))
		}
		if vs, err := env.assess.Versions(ctx, admin, "2025-towns"); err != nil || len(vs) != 3 || vs[0].Status != "draft" {
			t.Errorf("after the upload: %+v %v", vs, err)
		}
		badSheet := []byte("分组编号,分组名称,考核对象,指标编号,规划指标,指标名称,单位,分值,数据来源,评分方法,基本分,每档幅度,每档分值,最低分,封顶分,每项分值,否决等次,目标值,评分规则说明\n" +
			"towns,乡镇,白马镇、火星镇,revenue,ABOVE_SIZE_SVC_REVENUE,,,30,已发布指标数值,按完成比例,,,,,,,,20,\n")
		up = env.uploadTo("/assess/sheet", cookie, csrf, "评分细则.csv", badSheet, map[string]string{"code": "2025-towns"})
		if body := html.UnescapeString(up.body); up.status != http.StatusBadRequest || !strings.Contains(body, "第2行第3列(考核对象): “火星镇”不是本规划的单位") {
			t.Errorf("a wrong sheet: %d", up.status)
		}
		repCookie, _ := env.session("baima")
		if res = get(repCookie, "/assess/2025-towns/units/321203101"); res.status != http.StatusOK {
			t.Errorf("the reporter's own card: %d", res.status)
		}
		if res = get(repCookie, "/assess/2025-towns/units/321203104"); res.status != http.StatusForbidden {
			t.Errorf("another unit's card: %d", res.status)
		}
		if body := html.UnescapeString(get(repCookie, "/assess/2025-towns").body); strings.Contains(body, "大泗镇") || !strings.Contains(body, "白马镇") {
			t.Errorf("the reporter's ranking shows other units")
		}
	})
}

// seedScheme saves, publishes and scores the four towns' scheme
// (2025-towns) with no figures.
func (env *testEnv) seedScheme() {
	env.t.Helper()
	body, err := os.ReadFile("../assess/testdata/towns.yaml")
	if err != nil {
		env.t.Fatal(err)
	}
	ctx, admin, actor := env.t.Context(), &auth.User{Username: "seed", Role: auth.RoleAdmin}, audit.Actor{Name: "seed"}
	v, err := env.assess.SaveDraft(ctx, actor, admin, "towns.yaml", body)
	if err == nil {
		_, err = env.assess.Publish(ctx, actor, admin, v.Code, v.Version, "")
	}
	if err == nil {
		_, err = env.assess.ScoreRun(ctx, actor, admin, v.Code)
	}
	if err != nil {
		env.t.Fatal(err)
	}
}

// TestAssessAPI keeps a scheme through the JSON API.
func TestAssessAPI(t *testing.T) {
	scheme, err := os.ReadFile("../assess/testdata/towns.yaml")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("admin")
		call := func(method, path, body string) response {
			t.Helper()
			return env.do(req{method: method, path: path, cookie: cookie, csrf: csrf, json: body})
		}
		quoted, _ := json.Marshal(string(scheme))
		if res := call(http.MethodPost, "/api/v1/assess", `{"body":`+strings.Replace(string(quoted), "points: 15", "points: 14", 1)+`}`); res.status != http.StatusBadRequest ||
			!strings.Contains(res.body, "本组基本分合计29分,与总分30分不符") {
			t.Errorf("bad weights: %d %s", res.status, res.body)
		}
		if res := call(http.MethodPost, "/api/v1/assess", `{"file_name":"towns.yaml","body":`+string(quoted)+`}`); res.status != http.StatusCreated ||
			!strings.Contains(res.body, `"status": "draft"`) {
			t.Fatalf("save: %d %s", res.status, res.body)
		}
		if res := call(http.MethodGet, "/api/v1/assess/2025-towns/preview", ""); res.status != http.StatusOK || !strings.Contains(res.body, `"why": "没有已发布的完成值,暂得0分"`) {
			t.Errorf("preview: %d %s", res.status, res.body)
		}
		if res := call(http.MethodPost, "/api/v1/assess/2025-towns/publish", `{"version":1}`); res.status != http.StatusOK {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		if res := call(http.MethodPost, "/api/v1/assess/2025-towns/facts", `{"group":"towns","item":"safety","unit":"321203105","value":"1","evidence":"通报"}`); res.status != http.StatusCreated {
			t.Fatalf("fact: %d %s", res.status, res.body)
		}
		if res := call(http.MethodPost, "/api/v1/assess/2025-towns/runs", ""); res.status != http.StatusCreated {
			t.Fatalf("score: %d %s", res.status, res.body)
		}
		var got apiAssessResult
		res := call(http.MethodGet, "/api/v1/assess/2025-towns", "")
		if err := json.Unmarshal([]byte(res.body), &got); err != nil || got.Run == nil || len(got.Versions) != 2 ||
			got.Run.Sheet.Groups[0].Rows[3].Veto != "一票否决事项1项,等次定为不合格" {
			t.Errorf("result: %s %v", res.body, err)
		}
		statCookie, statCSRF := env.session("stat")
		if res := env.do(req{method: http.MethodPost, path: "/api/v1/assess/2025-towns/runs", cookie: statCookie, csrf: statCSRF, json: "{}"}); res.status != http.StatusForbidden {
			t.Errorf("a statistician scores: %d", res.status)
		}
	})
}
