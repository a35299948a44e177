package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
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
		has(list, "the list", "1-2月", "白马科创中心", "10510.00", "亿元楼", "另有2条企业税收数据")
		page := get(cookie, "/buildings/GG-001")
		// 入驻率 600 of 1,000 m²; 3 firms present, 2 registered here; 10,510万元
		// over 1,200 m² is 87,583元/㎡.
		has(page, "the building", "60.0%", "3家", "66.7%", "泰州甲科技有限公司", "注册在外", "10510.00", "87583元/㎡")

		list = get(leader, "/buildings")
		has(list, "the leader's list", "保密", "亿元楼")
		if strings.Contains(list, "10510.00") {
			t.Errorf("the leader sees the tax of two firms")
		}
		page = get(leader, "/buildings/GG-001")
		if strings.Contains(page, "10510.00") || strings.Contains(page, "泰州甲科技有限公司") || strings.Contains(page, "6000.00") {
			t.Errorf("the leader sees firm data on the building's page")
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
