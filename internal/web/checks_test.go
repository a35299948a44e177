package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// A firm imported with a 2011 code that 2017 split is on the checking
// page and flagged on its own page until a statistician confirms a class.
func TestIndustryChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		ctx := t.Context()
		rows := csvRows(t, "统一社会信用代码,单位详细名称,行业代码,所在镇街\n"+
			firmA+",泰州甲广告有限公司,7240,白马镇\n"+
			firmB+",泰州乙知识产权代理有限公司,7250,白马镇\n")
		res, err := env.registry.ImportEnterprises(ctx, audit.Actor{Name: "seed"}, &auth.User{Role: auth.RoleAdmin}, rows,
			table.File{Name: "2011版名录.csv", SHA256: "x", Size: 1}, registry.ImportOptions{Official: true})
		if err != nil || res.Import.New != 2 || res.Import.Unsure != 1 {
			t.Fatalf("seed: %v %+v", err, res.Import)
		}
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("dasi", auth.RoleStatistician, otherUnit)
		cookie, csrf := env.session("stat")
		get := func(path string) string {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, res.status, res.body)
			}
			return html.UnescapeString(res.body)
		}

		body := get("/enterprises/checks")
		for _, want := range []string{"行业待核实 1 家", "泰州甲广告有限公司", "7240 广告业", "7259 其他广告服务",
			`<option value="7251">7251 互联网广告服务</option>`, `<option value="7259" selected>7259 其他广告服务</option>`,
			`action="/enterprises/checks/` + firmA + `"`, `name="version" value="1"`} {
			if !strings.Contains(body, want) {
				t.Errorf("checking page lacks %q", want)
			}
		}
		if strings.Contains(body, "泰州乙知识产权代理有限公司") { // 7250 知识产权服务 → 7520, one to one
			t.Errorf("checking page lists a firm whose old code had one successor")
		}
		if body := get("/enterprises/" + firmA); !strings.Contains(body, "行业小类待核实") || !strings.Contains(body, "7251 互联网广告服务、7259 其他广告服务") {
			t.Errorf("firm page does not flag the class")
		}
		if body := get("/enterprises/" + firmB); !strings.Contains(body, "7520 知识产权服务") || strings.Contains(body, "行业小类待核实") {
			t.Errorf("firm B: converted class missing or flagged: %s", body)
		}

		post := func(cookie, csrf, class string) response {
			return env.do(req{method: http.MethodPost, path: "/enterprises/checks/" + firmA, cookie: cookie, csrf: csrf,
				form: url.Values{"class": {class}, "version": {"1"}, "back": {"checks"}}})
		}
		otherCookie, otherCSRF := env.session("dasi")
		if res := post(otherCookie, otherCSRF, "7251"); res.status != http.StatusForbidden {
			t.Errorf("大泗镇 statistician confirming a 白马镇 firm: %d", res.status)
		}
		if res := post(cookie, csrf, "7241"); res.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(res.body), "应为7251、7259之一") {
			t.Errorf("a class the old code did not go to: %d %s", res.status, res.body)
		}
		if res := post(cookie, csrf, "7251"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/enterprises/checks" {
			t.Fatalf("confirm: %d %s", res.status, res.body)
		}
		if body := get("/enterprises/checks"); !strings.Contains(body, "没有需要核实行业小类的企业") {
			t.Errorf("checking page after the confirmation still lists firms")
		}
		body = get("/enterprises/" + firmA)
		if strings.Contains(body, "行业小类待核实") || !strings.Contains(body, "7251 互联网广告服务") || !strings.Contains(body, "行业、行业待核实") {
			t.Errorf("firm page after the confirmation")
		}
		if res := post(cookie, csrf, "7259"); res.status != http.StatusConflict {
			t.Errorf("second confirmation: %d", res.status)
		}
	})
}
