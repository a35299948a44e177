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
	"svcplan/internal/buildings"
	"svcplan/internal/money"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// TestBuildingsFlow: a statistician registers a building (a bad form
// first), imports its 台账 (a bad one first, which changes nothing) and
// the tax bureau's file; the list counts one 亿元楼; a leader without firm
// access sees neither the tax of its two firms nor their names.
func TestBuildingsFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("leader", auth.RoleLeader, "")
		cookie, csrf := env.session("stat")
		leader, _ := env.session("leader")
		get := func(cookie, path string) string {
			t.Helper()
			res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", path, res.status, res.body)
			}
			return html.UnescapeString(res.body)
		}
		has := func(page, what string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("%s lacks %q", what, w)
				}
			}
		}
		form := url.Values{"code": {"GG-001"}, "name": {"白马科创中心"}, "unit": {"321203101"}, "kind": {"office"}, "grade": {"甲级"},
			"gross_area": {"1200"}, "rentable_area": {"1300.5"}, "floors": {"12"}, "owner_uscc": {"91321203MA10012201"}}
		res := env.do(req{method: http.MethodPost, path: "/buildings", cookie: cookie, csrf: csrf, form: form})
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "可租面积1300.50平方米大于总建筑面积1200.00平方米") ||
			!strings.Contains(body, "统一社会信用代码“91321203MA10012201”有误") {
			t.Errorf("a bad building: %d %s", res.status, body)
		}
		form.Set("rentable_area", "1000")
		form.Set("owner_uscc", "91321203MA10012200")
		if res := env.do(req{method: http.MethodPost, path: "/buildings", cookie: cookie, csrf: csrf, form: form}); res.status != http.StatusSeeOther ||
			res.header.Get("Location") != "/buildings/GG-001" {
			t.Fatalf("register: %d %s", res.status, res.body)
		}

		bad := "楼层,房号,面积(㎡),用途,入驻企业,统一社会信用代码,使用面积(㎡),入驻日期,注册在楼,实际在楼\n" +
			"1,101,200,可租,泰州甲科技有限公司," + firmA + ",250,2025-01-01,是,是\n"
		res = env.uploadTo("/buildings/GG-001/space", cookie, csrf, "台账.csv", []byte(bad), nil)
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "大于房间面积200.00平方米") ||
			!strings.Contains(body, "尚未导入本楼台账") {
			t.Errorf("a bad 台账: %d %s", res.status, body)
		}
		good := "楼层,房号,面积(㎡),用途,入驻企业,统一社会信用代码,使用面积(㎡),入驻日期,注册在楼,实际在楼\n" +
			"1,101,200,可租,泰州甲科技有限公司," + firmA + ",200,2025-01-01,是,是\n" +
			"1,102,300,可租,泰州乙物流有限公司," + firmB + ",150,2025-01-01,是,是\n" +
			"2,201,500,可租,泰州丙旅行社有限公司," + firmC + ",250,2025-06-01,否,是\n" +
			"-1,001,100,自用,,,,,,\n"
		res = env.uploadTo("/buildings/GG-001/space", cookie, csrf, "台账.csv", []byte(good), nil)
		if body := html.UnescapeString(res.body); res.status != http.StatusOK || !strings.Contains(body, "台账第1版:4个房间、3条入驻记录") {
			t.Fatalf("the 台账: %d %s", res.status, body)
		}

		// The tax file: 甲 1.05亿元 and 乙 10万元 in 1-2月; 丙 is registered
		// elsewhere and 丁 in no building: neither counts here.
		noCaliber := "纳税人识别号,纳税人名称,税款所属期,税收合计(万元)\n" + firmA + ",泰州甲科技有限公司,2026-01,6000\n"
		res = env.uploadTo("/buildings/tax", cookie, csrf, "税收.csv", []byte(noCaliber), nil)
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "税收口径未注明") {
			t.Errorf("a file without caliber: %d %s", res.status, body)
		}
		tax := "纳税人识别号,纳税人名称,税款所属期,全口径税收(万元)\n" +
			firmA + ",泰州甲科技有限公司,2026-01,6000\n" + firmA + ",泰州甲科技有限公司,2026-02,4500\n" +
			firmB + ",泰州乙物流有限公司,2026-01,10\n" + firmC + ",泰州丙旅行社有限公司,2026-01,30\n" + firmD + ",泰州丁商贸有限公司,2026-02,5\n"
		res = env.uploadTo("/buildings/tax", cookie, csrf, "税收.csv", []byte(tax), nil)
		if body := html.UnescapeString(res.body); res.status != http.StatusOK || !strings.Contains(body, "读取5行,新增5条") {
			t.Fatalf("the tax file: %d %s", res.status, body)
		}
		again := env.uploadTo("/buildings/tax", cookie, csrf, "税收.csv", []byte(tax), nil)
		if body := html.UnescapeString(again.body); !strings.Contains(body, "新增0条、更正0条、未变5条") {
			t.Errorf("the same file again: %s", body)
		}

		list := get(cookie, "/buildings")
		has(list, "the list", "1-2月", "白马科创中心", "10510.00", "亿元楼", "另有2条企业税收数据", "共1栋(按税收从高到低)")
		has(get(cookie, "/buildings?page=99"), "a page past the last", "共1栋", "白马科创中心")
		page := get(cookie, "/buildings/GG-001")
		// 入驻率 600 of 1,000 m²; 3 firms present, 2 registered here; 10,510万元
		// over 1,200 m² is 87,583元/㎡.
		has(page, "the building", "60.0%", "3家", "66.7%", "泰州甲科技有限公司", "注册在外", "10510.00", "87583元/㎡")
		has(page, "the diagnosis", "楼宇诊断", "在楼办公但注册在外(税收不落地) · 1家", "泰州丙旅行社有限公司</a>(201)", "入驻率走势(近12个月末")

		list = get(leader, "/buildings")
		has(list, "the leader's list", "保密", "亿元楼")
		if strings.Contains(list, "10510.00") {
			t.Errorf("the leader sees the tax of two firms")
		}
		page = get(leader, "/buildings/GG-001")
		has(page, "the leader's diagnosis", "在楼办公但注册在外(税收不落地) · 1家", "企业名单仅限可查看企业数据的用户", "不予显示")
		if strings.Contains(page, "10510.00") || strings.Contains(page, "泰州甲科技有限公司") || strings.Contains(page, "6000.00") {
			t.Errorf("the leader sees firm data on the building's page")
		}
		for who, c := range map[string]string{"stat": cookie, "leader": leader} {
			res := env.do(req{method: http.MethodGet, path: "/buildings.xlsx", cookie: c})
			rows := readXLSX(t, res.body)
			if res.status != http.StatusOK || len(rows) < 2 {
				t.Fatalf("%s's export: %d", who, res.status)
			}
			line := strings.Join(rows[len(rows)-1], "|")
			if who == "stat" && !strings.Contains(line, "|10510.00|—|—|87583|亿元楼") || who == "leader" && (strings.Contains(line, "10510") || !strings.Contains(line, "保密")) {
				t.Errorf("%s's export: %s", who, line)
			}
		}
		if res := env.do(req{method: http.MethodGet, path: "/buildings/GG-404", cookie: cookie}); res.status != http.StatusNotFound {
			t.Errorf("an unknown building: %d", res.status)
		}
	})
}

// seedBuilding registers GG-001 in 白马镇, without a 台账.
func (env *testEnv) seedBuilding() {
	env.t.Helper()
	_, err := env.buildings.SaveBuilding(env.t.Context(), audit.Actor{Name: "seed"}, &auth.User{Username: "seed", Role: auth.RoleAdmin},
		buildings.Building{Code: "GG-001", Name: "白马科创中心", Unit: "321203101", Kind: buildings.KindOffice, Gross: 120000, Rentable: 100000, Floors: 12})
	if err != nil {
		env.t.Fatal(err)
	}
}

// postFiles posts a multipart form with fields and files (name → bytes)
// in its "files" field, as a browser sends the visit form.
func (env *testEnv) postFiles(path, cookie, csrf string, fields map[string]string, files map[string][]byte) response {
	env.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, content := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(content)
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path+"?csrf_token="+url.QueryEscape(csrf), &b)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, r)
	return response{rec.Code, rec.Result().Header, rec.Body.String()}
}

// TestBuildingVisits: 白马镇's reporter files a 扫楼 visit from the form
// (a bad one first: a room the 台账 lacks and a photo that is not one);
// the statistician confirms it and the 台账's next version shows 乙 gone
// and 丙 registered; a second decision is refused; a rejection needs a
// reason.
func TestBuildingVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.seedBuilding()
		ctx, admin := t.Context(), &auth.User{Username: "seed", Role: auth.RoleAdmin}
		sheet := table.FromSlices([][]string{{"楼层", "房号", "面积(㎡)", "入驻企业", "统一社会信用代码", "入驻日期", "注册在楼", "实际在楼"},
			{"1", "101", "200", "泰州甲科技有限公司", firmA, "2025-01-01", "是", "是"},
			{"1", "102", "300", "泰州乙物流有限公司", firmB, "2025-01-01", "是", "是"},
			{"2", "201", "500", "泰州丙旅行社有限公司", firmC, "2025-06-01", "否", "是"}})
		if res, err := env.buildings.ImportSpace(ctx, audit.Actor{Name: "seed"}, admin, "GG-001", sheet, table.File{Name: "台账.csv"}); err != nil || len(res.Errors) > 0 {
			t.Fatalf("台账: %v %+v", err, res)
		}
		env.addUser("baima", auth.RoleReporter, "321203101")
		env.addUser("stat", auth.RoleStatistician, "")
		rep, repCSRF := env.session("baima")
		stat, statCSRF := env.session("stat")
		if body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/buildings/GG-001/visit", cookie: rep}).body); !strings.Contains(body, "台账登记1家企业") ||
			strings.Contains(body, "泰州甲科技有限公司") {
			t.Errorf("the reporter's visit form names firms or lacks the rooms")
		}
		fields := map[string]string{"date": "2026-03-01", "team": "白马镇、税务分局", "result_102": "vacant", "result_201": "registered",
			"firm_201": "泰州丙旅行社有限公司", "uscc_201": firmC}
		res := env.postFiles("/buildings/GG-001/visits", rep, repCSRF, fields, map[string][]byte{"现场.jpg": []byte("%PDF-1.4 not a photo")})
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "内容不是JPG文件(与文件名不符)") {
			t.Errorf("a fake photo: %d %s", res.status, body)
		}
		res = env.postFiles("/buildings/GG-404/visits", rep, repCSRF, fields, nil)
		if res.status != http.StatusNotFound {
			t.Errorf("a visit to an unknown building: %d", res.status)
		}
		res = env.postFiles("/buildings/GG-001/visits", rep, repCSRF, fields, map[string][]byte{"现场.jpg": {0xFF, 0xD8, 0xFF, 0xE0, 1}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("the visit: %d %s", res.status, res.body)
		}
		page := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/buildings/GG-001", cookie: stat}).body)
		if !strings.Contains(page, "201 入驻已注册(泰州丙旅行社有限公司)") || !strings.Contains(page, "待确认") || !strings.Contains(page, "现场.jpg") {
			t.Errorf("the visit on the building's page: %s", page)
		}
		if res := env.do(req{method: http.MethodPost, path: "/buildings/GG-001/visits/1/decision", cookie: stat, csrf: statCSRF,
			form: url.Values{"decision": {"reject"}}}); res.status != http.StatusBadRequest {
			t.Errorf("a rejection without a reason: %d", res.status)
		}
		if res := env.do(req{method: http.MethodPost, path: "/buildings/GG-001/visits/1/decision", cookie: stat, csrf: statCSRF,
			form: url.Values{"decision": {"confirm"}}}); res.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.status, res.body)
		}
		page = html.UnescapeString(env.do(req{method: http.MethodGet, path: "/buildings/GG-001", cookie: stat}).body)
		// 乙 left 102 on 2026-02-28; 丙 is now registered: 2 of 2 present firms;
		// 102 (300 m²) stands empty.
		if !strings.Contains(page, "台账第2版") || !strings.Contains(page, "形成台账第2版") || !strings.Contains(page, "2026-02-28") ||
			!strings.Contains(page, "100.0%") {
			t.Errorf("after the confirmation: %s", page)
		}
		if res := env.do(req{method: http.MethodPost, path: "/buildings/GG-001/visits/1/decision", cookie: stat, csrf: statCSRF,
			form: url.Values{"decision": {"confirm"}}}); res.status != http.StatusBadRequest {
			t.Errorf("a second decision: %d", res.status)
		}
		if res := env.do(req{method: http.MethodGet, path: "/buildings/sweep.xlsx", cookie: stat}); res.status != http.StatusOK {
			t.Errorf("the sweep sheet: %d", res.status)
		} else if rows := readXLSX(t, res.body); len(rows) < 2 || !strings.Contains(strings.Join(rows[len(rows)-1], "|"), "白马镇|白马科创中心|1000.00|300.00|2|0|0|0|2") {
			t.Errorf("the sweep sheet: %v", rows)
		}
	})
}

// TestBuildingRules: an administrator lowers 亿元楼 to 8,000万元 on the
// rules page; a tier list out of order is refused.
func TestBuildingRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		cookie, csrf := env.session("admin")
		res := env.do(req{method: http.MethodPost, path: "/admin/rules/buildings", cookie: cookie, csrf: csrf,
			form: url.Values{"caliber": {"区级留成"}, "tiers": {"亿元楼=8000\n千万元楼=9000"}}})
		if body := html.UnescapeString(res.body); res.status != http.StatusBadRequest || !strings.Contains(body, "千万元楼的税收门槛应低于亿元楼") {
			t.Errorf("tiers out of order: %d", res.status)
		}
		res = env.do(req{method: http.MethodPost, path: "/admin/rules/buildings", cookie: cookie, csrf: csrf,
			form: url.Values{"caliber": {"区级留成"}, "tiers": {"亿元楼=8000\n千万元楼=1000"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.status, res.body)
		}
		if r := env.buildings.Rules(); r.Caliber != buildings.CaliberDistrict || len(r.Tiers) != 2 || r.Tiers[0].Min != 8000*money.WanYuan {
			t.Errorf("rules in force: %+v", r)
		}
		if body := html.UnescapeString(env.do(req{method: http.MethodGet, path: "/admin/rules", cookie: cookie}).body); !strings.Contains(body, "亿元楼=8000") {
			t.Errorf("the rules page does not show the saved tiers: %s", body[strings.Index(body, "楼宇层级"):][:600])
		}
	})
}
