package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// seedFallingReports imports an F203 file for 2025年1-9月 in which one
// firm falls: 甲 10亿元 (上年同期 8亿) and 乙 3.3亿元 (4亿), in 白马镇; 丙
// 3亿元 with no 上年同期, in 大泗镇.
func (env *testEnv) seedFallingReports() { env.seedF203("330000") }

// exportCell is one cell of an exported workbook as a spreadsheet has it.
type exportCell struct {
	raw, shown string // the stored value, and as the number format shows it
	number     bool
	format     string // custom number format, "" for none
}

// TestDashboardExportNumbers opens /dashboard.xlsx as a spreadsheet does:
// rates and shares are numbers holding the fraction in the format 0.0%,
// — where there is no rate, and each section's 合计 is its own rows' sum
// with the same-firm growth of those sums. The figures are worked out by
// hand from seedFallingReports.
func TestDashboardExportNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory()
		env.seedFallingReports()
		env.addUser("stat", auth.RoleStatistician, "")
		stat, _ := env.session("stat")
		// 新增各类孵化项目: 5 of 40 by 2026年1-2月, 序时 2 of 12 months.
		admin := &auth.User{Username: "admin", Role: auth.RoleAdmin}
		if _, err := env.values.Save(t.Context(), audit.Actor{Name: "admin"}, admin, indicators.Input{Indicator: "NEW_INCUBATION_PROJECTS",
			Period: "2026-02", Value: "5", Publish: true}); err != nil {
			t.Fatal(err)
		}

		// A row: label, firms, 亿元, growth, share (raw values; "—" text).
		type line [5]string
		// The district by field: 科技服务业 10/8 − 1 = 25.0%, 10/16.3 =
		// 61.3%; 商贸流通业 3.3/4 − 1 = −17.5%, 3.3/16.3 = 20.2%; 文体旅游
		// 3/16.3 = 18.4%, no rate. 合计 16.3/12 − 1 = 35.8% (the three
		// firms' sums; the rates would add up to 7.5).
		district := []line{
			{"科技服务业", "1", "10", "0.25", "0.613"},
			{"商贸流通业", "1", "3.3", "-0.175", "0.202"},
			{"文体旅游服务", "1", "3", "—", "0.184"},
			{"合计", "3", "16.3", "0.358", "1"},
		}
		// Every town, whatever the drill-down: 白马镇 13.3/12 − 1 = 10.8%,
		// 13.3/16.3 = 81.6%; 大泗镇 3/16.3 = 18.4%.
		towns := []line{
			{"白马镇", "2", "13.3", "0.108", "0.816"},
			{"大泗镇", "1", "3", "—", "0.184"},
			{"合计", "3", "16.3", "0.358", "1"},
		}
		tests := []struct {
			name     string
			query    string
			byField  []line
			townsSec []line
		}{
			{"district", "", district, towns},
			// 白马镇 by field: 10/13.3 = 75.2%, 3.3/13.3 = 24.8%; its 合计
			// 13.3亿元, 10.8%. The towns' 合计 stays the district's.
			{"town", "?unit=321203101", []line{
				{"科技服务业", "1", "10", "0.25", "0.752"},
				{"商贸流通业", "1", "3.3", "-0.175", "0.248"},
				{"合计", "2", "13.3", "0.108", "1"},
			}, towns},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := env.do(req{method: http.MethodGet, path: "/dashboard.xlsx" + tt.query, cookie: stat})
				if res.status != http.StatusOK {
					t.Fatalf("export: %d %s", res.status, res.body)
				}
				f, err := excelize.OpenReader(strings.NewReader(res.body))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				sheet := f.GetSheetName(0)
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				at := func(col, row int) exportCell {
					t.Helper()
					ref, _ := excelize.CoordinatesToCellName(col, row)
					raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
					shown, _ := f.GetCellValue(sheet, ref)
					typ, _ := f.GetCellType(sheet, ref)
					c := exportCell{raw: raw, shown: shown, number: raw != "" && (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset)}
					if id, err := f.GetCellStyle(sheet, ref); err == nil {
						if st, err := f.GetStyle(id); err == nil && st.CustomNumFmt != nil {
							c.format = *st.CustomNumFmt
						}
					}
					return c
				}
				for i, r := range rows {
					for j, v := range r {
						if strings.HasPrefix(v, "'") {
							t.Errorf("row %d column %d is text with an apostrophe: %q", i+1, j+1, v)
						}
					}
				}
				// wantRate checks a rate cell: a number in 0.0% holding
				// want, or the text —.
				wantRate := func(c exportCell, want, where string) {
					t.Helper()
					if want == "—" {
						if c.number || c.raw != "—" {
							t.Errorf("%s = %+v, want the text —", where, c)
						}
						return
					}
					if !c.number || c.raw != want || c.format != "0.0%" || !strings.HasSuffix(c.shown, "%") {
						t.Errorf("%s = %+v, want the number %s in 0.0%%", where, c, want)
					}
				}
				section := func(title string, want []line) {
					t.Helper()
					head := -1
					for i, r := range rows {
						if len(r) > 0 && r[0] == title {
							head = i + 1 // 1-based row of the section's head
						}
					}
					if head < 0 {
						t.Fatalf("no section %q", title)
					}
					if got := rows[head-1]; len(got) != 5 || got[3] != "同比增长" || got[4] != "占比" {
						t.Errorf("%s head = %q", title, got)
					}
					for k, w := range want {
						row := head + 1 + k
						where := title + " " + w[0]
						if c := at(1, row); c.raw != w[0] {
							t.Errorf("%s: row %d is %q", where, row, c.raw)
						}
						for col, v := range w[1:3] {
							if c := at(2+col, row); !c.number || c.raw != v {
								t.Errorf("%s column %d = %+v, want the number %s", where, 2+col, c, v)
							}
						}
						wantRate(at(4, row), w[3], where+" 同比增长")
						wantRate(at(5, row), w[4], where+" 占比")
					}
					if next := head + 1 + len(want); next <= len(rows) && len(rows[next-1]) > 0 {
						t.Errorf("%s: a row after 合计: %q", title, rows[next-1])
					}
				}
				section("2025年1-9月 按领域", tt.byField)
				section("2025年1-9月 按镇街(园区)", tt.townsSec)

				// Targets: 5 of 40 is 12.5%; 序时进度 2/12 = 16.7%.
				if got := rows[0]; got[6] != "完成率" || got[7] != "序时进度" {
					t.Errorf("header = %q", got)
				}
				found := false
				for i, r := range rows {
					if len(r) > 0 && r[0] == "新增各类孵化项目" {
						found = true
						wantRate(at(7, i+1), "0.125", "完成率")
						wantRate(at(8, i+1), "0.167", "序时进度")
						if c := at(7, i+1); c.shown != "12.5%" {
							t.Errorf("完成率 shows %q, want 12.5%%", c.shown)
						}
					}
				}
				if !found {
					t.Error("no row for 新增各类孵化项目")
				}
			})
		}
	})
}
