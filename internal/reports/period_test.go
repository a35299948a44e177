package reports_test

import (
	"strings"
	"testing"

	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// periodRows is the four known firms with a 期别 column: periods[i] is row
// i+2's 期别 ("" for none).
func periodRows(periods ...string) *table.Slices {
	rows := [][]string{{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月;营业收入;千元", "上年同期;营业收入;千元", "期别"}}
	firms := [][]string{
		{"321203101200", codeA, "泰州甲科技有限公司", "12345.678", "10000"},
		{"321203100201", codeB, "泰州乙物流有限公司", "5000", ""},
		{"321271001203", codeC, "泰州丙旅行社有限公司", "3000.1", "2500"},
		{"321203004001", codeD, "泰州丁商贸有限公司", "0", "100"},
	}
	for i, p := range periods {
		rows = append(rows, append(append([]string(nil), firms[i]...), p))
	}
	return table.FromSlices(rows)
}

// TestImportPeriodFromColumn: with no period from the user or the file
// name, the file's own 期别 column says it; rows that disagree refuse the
// file and are named.
func TestImportPeriodFromColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		form, _ := reports.FormByCode("F203")
		imp := func(rows table.Rows, period reports.Period) (*reports.Result, error) {
			return e.svc.Import(t.Context(), e.actor, e.stat, rows, table.File{Name: "基层表.csv", SHA256: "h"},
				reports.Options{Form: form, Period: period})
		}

		res, err := imp(periodRows("20250006", "20250006", "2025-06", "20250006"), 0)
		if err != nil || res.Import.Period != 202506 || res.Import.New != 4 || res.Import.Outcome != table.OK {
			t.Fatalf("period from the column: %+v, %v", res.Import, err)
		}
		reps, err := e.store.Reports(t.Context(), reports.Query{Form: "F203", Periods: []reports.Period{202506}})
		if err != nil || len(reps) != 4 {
			t.Fatalf("stored under 2025年1-6月: %d, %v", len(reps), err)
		}

		for _, tt := range []struct {
			name    string
			rows    table.Rows
			period  reports.Period
			want    []string
			rejects int
		}{
			{"rows disagree", periodRows("20250006", "20250006", "20250007", ""), 0,
				[]string{"期别不一致", "2025年1-6月(第2-3行)", "2025年1-7月(第4行)", "期别为空(第5行)"}, 0},
			{"no period anywhere", table.FromSlices([][]string{
				{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月;营业收入;千元", "上年同期;营业收入;千元"},
				{"321203101200", codeA, "泰州甲科技有限公司", "1", "1"},
			}), 0, []string{"文件中也没有期别列", "请指明报告期"}, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := imp(tt.rows, tt.period)
				if err == nil {
					t.Fatal("imported")
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
			})
		}

		// A period the user gave still wins: a row that says another is
		// that row's error, not the file's.
		res, err = imp(periodRows("20250009", "20250009", "20250008", "20250009"), 202509)
		if err != nil || res.Import.Rejected != 1 || !strings.Contains(res.Rejected[0].Reason(), "期别为2025年1-8月,与导入的期别2025年1-9月不符") {
			t.Fatalf("given period: %+v %v %v", res.Import, res.Rejected, err)
		}
		// An unreadable 期别 is that row's error; the others still say the period.
		res, err = imp(periodRows("20250010", "2025年", "20250010", "20250010"), 0)
		if err != nil || res.Import.Period != 202510 || res.Import.Rejected != 1 {
			t.Fatalf("bad 期别 in one row: %+v %v", res.Import, err)
		}
	})
}
