package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// TestDashboardSmallCells enumerates every drill-down of the dashboard
// (each unit or none, with each field, each division or neither) on the
// page and in its export, for readers who may not see the firms: no
// figure built from fewer than 3 firms may show, totals and header
// figures included. seedReports gives 甲 10亿 (上年 8亿) and 乙 5亿 (4亿)
// in 白马镇 and 丙 3亿 in 大泗镇: only the district's 18亿 and its 50.0%
// are built from 3 firms. A statistician or a leader with firm access
// scoped to 大泗镇 may see 丙 in 大泗镇's own figures, never 白马镇's.
func TestDashboardSmallCells(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.seedReports()
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("leader", auth.RoleLeader, "")
		env.addUser("stat-dasi", auth.RoleStatistician, "321203104")
		lead := env.addUser("leader-dasi", auth.RoleLeader, "321203104")
		if _, err := env.auth.UpdateUser(t.Context(), audit.Actor{Name: "test"}, lead.ID, auth.UserInput{Username: lead.Username, Name: lead.Name,
			Role: lead.Role, Unit: lead.Unit, FirmAccess: true}); err != nil {
			t.Fatal(err)
		}
		admin, adminCSRF := env.session("admin")
		if res := env.do(req{method: http.MethodPost, path: "/dashboard/release", cookie: admin, csrf: adminCSRF, form: url.Values{}}); res.status != http.StatusSeeOther {
			t.Fatalf("release: %d %s", res.status, res.body)
		}
		leader, _ := env.session("leader")
		statDasi, _ := env.session("stat-dasi")
		leaderDasi, _ := env.session("leader-dasi")

		// Figures of 1 or 2 firms: 甲, 乙, 丙 and their sums (白马镇 15亿,
		// 甲+丙 13亿, 乙+丙 8亿), and the growth 25.0% they share.
		small := map[string]bool{"10": true, "5": true, "3": true, "15": true, "13": true, "8": true}
		page := regexp.MustCompile(`(?:^|[^0-9.])(10|5|3|15|13|8)\.00(?:[^0-9]|$)|(?:^|[^0-9.])25\.0(?:[^0-9]|$)`)
		readers := []struct {
			name, cookie, own string // own: the unit whose firms the reader may see
		}{
			{"anonymous", "", ""}, {"leader", leader, ""}, {"statistician of 大泗镇", statDasi, "321203104"},
			{"leader of 大泗镇 with firm access", leaderDasi, "321203104"},
		}
		active, err := env.plans.Active(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		units := []string{""}
		for _, u := range active.Plan.Units {
			units = append(units, u.Code)
		}
		drills := []url.Values{{}}
		for _, f := range active.Plan.Fields {
			drills = append(drills, url.Values{"field": {f.Code}})
		}
		for _, d := range []string{"72", "73", "58"} {
			drills = append(drills, url.Values{"division": {d}})
		}
		for _, r := range readers {
			for _, unit := range units {
				for _, d := range drills {
					q := url.Values{}
					for k, v := range d {
						q[k] = v
					}
					if unit != "" {
						q.Set("unit", unit)
					}
					// 丙's 3亿 is the reader's own when the view is of its unit.
					allowed := func(v string) bool { return unit != "" && unit == r.own && (v == "3" || v == "3.00") }
					res := env.do(req{method: http.MethodGet, path: "/dashboard?" + q.Encode(), cookie: r.cookie})
					if res.status != http.StatusOK {
						t.Fatalf("%s /dashboard?%s: %d", r.name, q.Encode(), res.status)
					}
					body := res.body[strings.Index(res.body, `id="revenue-h"`):]
					for _, m := range page.FindAllStringSubmatch(body, -1) {
						if !allowed(m[1] + ".00") {
							t.Errorf("%s /dashboard?%s shows %q", r.name, q.Encode(), strings.TrimSpace(m[0]))
						}
					}
					for _, firm := range []string{"泰州甲科技", "泰州乙物流", firmA, firmB} {
						if strings.Contains(body, firm) {
							t.Errorf("%s /dashboard?%s names %s", r.name, q.Encode(), firm)
						}
					}
					res = env.do(req{method: http.MethodGet, path: "/dashboard.xlsx?" + q.Encode(), cookie: r.cookie})
					if res.status != http.StatusOK {
						t.Fatalf("%s /dashboard.xlsx?%s: %d", r.name, q.Encode(), res.status)
					}
					f, err := excelize.OpenReader(strings.NewReader(res.body))
					if err != nil {
						t.Fatal(err)
					}
					rows, _ := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
					f.Close()
					inSection := false // the breakdowns: label, firms, 亿元, growth, share
					for i, row := range rows {
						switch {
						case len(row) > 0 && row[0] == "统一社会信用代码" && unit != r.own:
							t.Errorf("%s /dashboard.xlsx?%s lists firms", r.name, q.Encode())
						case len(row) > 1 && row[1] == "企业数":
							inSection = true
						case inSection && len(row) >= 4 && (small[row[2]] && !allowed(row[2]) || row[3] == "0.25"):
							t.Errorf("%s /dashboard.xlsx?%s row %d: %v", r.name, q.Encode(), i+1, row)
						}
					}
				}
			}
		}
	})
}

// TestWarningsScope: a statistician scoped to 大泗镇 reads the warnings
// of its own firms only; the district's statistician sees 白马镇's too.
// 甲 and 乙 (白马镇) reported 2025年1-8月 but not 1-9月; 丙 (大泗镇)
// falls below its 1-8月 figure.
func TestWarningsScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		form, _ := reports.FormByCode("F203")
		for _, p := range []struct {
			period reports.Period
			rows   string
		}{
			{202508, "321203101001," + firmA + ",泰州甲科技有限公司,900000,700000\n" +
				"321203101002," + firmB + ",泰州乙物流有限公司,450000,350000\n" +
				"321203104001," + firmC + ",泰州丙旅行社有限公司,400000,\n"},
			{202509, "321203104001," + firmC + ",泰州丙旅行社有限公司,300000,\n"},
		} {
			rows := csvRows(t, "数据处理地,统一社会信用代码,单位详细名称,1-本月;营业收入;千元,上年同期;营业收入;千元\n"+p.rows)
			if _, err := env.reports.Import(t.Context(), audit.Actor{Name: "seed"}, &auth.User{Username: "seed", Role: auth.RoleAdmin}, rows,
				table.File{Name: "f203.csv"}, reports.Options{Form: form, Period: p.period}); err != nil {
				t.Fatal(err)
			}
		}
		env.addUser("stat", auth.RoleStatistician, "")
		env.addUser("stat-dasi", auth.RoleStatistician, "321203104")
		for _, tt := range []struct {
			user      string
			want, not []string
		}{
			{"stat", []string{firmA, firmB, firmC}, nil},
			{"stat-dasi", []string{firmC}, []string{firmA, firmB, "泰州甲科技", "泰州乙物流", "90000", "45000"}},
		} {
			cookie, _ := env.session(tt.user)
			for _, path := range []string{"/warnings", "/dashboard"} {
				res := env.do(req{method: http.MethodGet, path: path, cookie: cookie})
				if res.status != http.StatusOK {
					t.Fatalf("%s %s: %d", tt.user, path, res.status)
				}
				for _, w := range tt.want {
					if path == "/warnings" && !strings.Contains(res.body, w) {
						t.Errorf("%s %s lacks %s", tt.user, path, w)
					}
				}
				for _, n := range tt.not {
					if strings.Contains(res.body, n) {
						t.Errorf("%s %s shows %s", tt.user, path, n)
					}
				}
			}
		}
	})
}

// TestScopedDrafts: 白马镇's value of 2026年1-2月 is entered but not
// published. Its own reporter and a statistician scoped to 白马镇 read
// it; a statistician scoped to 大泗镇 and the public read nothing of it,
// through the API and the dashboard alike.
func TestScopedDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("baima", auth.RoleReporter, ownUnit)
		env.addUser("stat-baima", auth.RoleStatistician, ownUnit)
		env.addUser("stat-dasi", auth.RoleStatistician, "321203104")
		env.addUser("stat", auth.RoleStatistician, "")
		cookie, csrf := env.session("baima")
		const path = "/indicators/NEW_INCUBATION_PROJECTS/values"
		if res := env.do(req{method: http.MethodPost, path: path, cookie: cookie, csrf: csrf,
			form: url.Values{"unit": {ownUnit}, "period": {"2026-02"}, "value": {"7"}}}); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.status, res.body)
		}
		for _, tt := range []struct {
			user string
			sees bool
		}{{"baima", true}, {"stat-baima", true}, {"stat", true}, {"stat-dasi", false}, {"", false}} {
			c := ""
			if tt.user != "" {
				c, _ = env.session(tt.user)
			}
			res := env.do(req{method: http.MethodGet, path: "/api/v1" + path + "?unit=" + ownUnit, cookie: c})
			if got := strings.Contains(res.body, `"value": "7"`); res.status != http.StatusOK || got != tt.sees {
				t.Errorf("%q reads 白马镇's draft: %v (%d %s)", tt.user, got, res.status, res.body)
			}
		}
	})
}
