package buildings_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/buildings"
	"svcplan/internal/money"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
	"svcplan/internal/xlsx/xlsxtest"
)

// Valid codes (their check characters are right).
const (
	firmA = "91350100M000100Y43"
	firmB = "91321203MA10012200"
	firmC = "913212710747283018"
	firmD = "91321271MA1ME3WD3Q"
)

// workbook writes rows into an .xlsx file and opens it, so that ints and
// floats come back as a spreadsheet's number cells.
func workbook(t *testing.T, rows [][]any) table.Rows {
	t.Helper()
	b, err := xlsxtest.Workbook(rows)
	if err != nil {
		t.Fatal(err)
	}
	rr, _, err := xlsx.Open(bytes.NewReader(b), int64(len(b)), "税收.xlsx", xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rr.Close() })
	return rr
}

// lines reads rows written as comma-separated lines, as in a CSV file.
func lines(ls ...string) table.Rows {
	var rows [][]string
	for _, l := range ls {
		rows = append(rows, strings.Split(l, ","))
	}
	return table.FromSlices(rows)
}

func TestParseTaxExport(t *testing.T) {
	// The bureau's export: a title row, full-width brackets, periods and
	// amounts stored as numbers and as text, a building's own row.
	rows := workbook(t, [][]any{
		{"2025年3月楼宇企业税收明细"},
		{"序号", "纳税人识别号", "纳税人名称", "楼宇编号", "所属期", "税收合计（万元）"},
		{1, firmA, "泰州甲科技有限公司", "GG-001", 202503, 1234.56},
		{2, " 91321203ma10012200 ", "泰州乙咨询有限公司", "", "2025年3月", "1,234.56"},
		{3, "", "港城大厦", "GG-001", "2025-3", 10},
		{},
		{4, firmC, "泰州丙物流有限公司", "GG-002", 2025, 0.5},
		{5, firmD, "泰州丁设计有限公司", "", "2025.03", "0"},
	})
	got, errs, err := buildings.ParseTax(rows, buildings.CaliberFull)
	if err != nil || len(errs) > 0 {
		t.Fatalf("ParseTax: %v %v", errs, err)
	}
	want := []buildings.TaxRow{
		{Row: 3, USCC: firmA, Name: "泰州甲科技有限公司", Period: "2025-03", Caliber: buildings.CaliberFull, Amount: 1_234_560_000},
		{Row: 4, USCC: firmB, Name: "泰州乙咨询有限公司", Period: "2025-03", Caliber: buildings.CaliberFull, Amount: 1_234_560_000},
		{Row: 5, Building: "GG-001", Name: "港城大厦", Period: "2025-03", Caliber: buildings.CaliberFull, Amount: 10 * money.WanYuan},
		{Row: 7, USCC: firmC, Name: "泰州丙物流有限公司", Period: "2025", Caliber: buildings.CaliberFull, Amount: 500_000},
		{Row: 8, USCC: firmD, Name: "泰州丁设计有限公司", Period: "2025-03", Caliber: buildings.CaliberFull, Amount: 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}

func TestParseTaxCalibers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rows    table.Rows
		caliber buildings.Caliber
		want    []buildings.TaxRow
	}{
		{
			name:    "from the amount header, over the import's",
			rows:    lines("统一社会信用代码,所属期,全口径税收(万元)", firmA+",2025-01,12.5"),
			caliber: buildings.CaliberDistrict,
			want:    []buildings.TaxRow{{Row: 2, USCC: firmA, Period: "2025-01", Caliber: buildings.CaliberFull, Amount: 12_500_000}},
		},
		{
			name: "from the 口径 column, the import's for a blank cell",
			rows: lines("统一社会信用代码,税款所属期,口径,税额(元)",
				firmA+",2025,地方口径,100.01", firmA+",2025,,7", firmA+",2025,区级实际贡献,3"),
			caliber: buildings.CaliberFull,
			want: []buildings.TaxRow{
				{Row: 2, USCC: firmA, Period: "2025", Caliber: buildings.CaliberLocal, Amount: 10_001},
				{Row: 3, USCC: firmA, Period: "2025", Caliber: buildings.CaliberFull, Amount: 700},
				{Row: 4, USCC: firmA, Period: "2025", Caliber: buildings.CaliberDistrict, Amount: 300},
			},
		},
		{
			name: "a cell agreeing with the header",
			rows: lines("统一社会信用代码,所属期,税收口径,区级留成(万元)", firmA+",2025-02,区级留成,1"),
			want: []buildings.TaxRow{{Row: 2, USCC: firmA, Period: "2025-02", Caliber: buildings.CaliberDistrict, Amount: money.WanYuan}},
		},
		{
			name: "one column per caliber",
			rows: lines("楼宇编号,楼宇名称,年度,全口径税收(亿元),区级实际贡献(万元)", "GG-001,港城大厦,2025年,1.2,3000"),
			want: []buildings.TaxRow{
				{Row: 2, Building: "GG-001", Name: "港城大厦", Period: "2025", Caliber: buildings.CaliberFull, Amount: 12 * money.YiYuan / 10},
				{Row: 2, Building: "GG-001", Name: "港城大厦", Period: "2025", Caliber: buildings.CaliberDistrict, Amount: 3000 * money.WanYuan},
			},
		},
		{
			name:    "the total over a part; notes in brackets; the import's name of a caliber",
			rows:    lines("纳税人识别号(统一社会信用代码),所属期(年月),增值税税额(万元),税收合计(万元)", firmB+",2025-12,1,2"),
			caliber: "全口径税收",
			want:    []buildings.TaxRow{{Row: 2, USCC: firmB, Period: "2025-12", Caliber: buildings.CaliberFull, Amount: 2 * money.WanYuan}},
		},
		{
			name:    "the one tax column, whatever its name",
			rows:    lines("社会信用代码,月份,实缴税款(万元)", firmB+",202511,2"),
			caliber: buildings.CaliberLocal,
			want:    []buildings.TaxRow{{Row: 2, USCC: firmB, Period: "2025-11", Caliber: buildings.CaliberLocal, Amount: 2 * money.WanYuan}},
		},
		{
			name:    "a firm's row and a building's row of one code, period and caliber",
			rows:    lines("统一社会信用代码,楼宇编号,所属期,税收(万元)", firmA+",GG-001,2025,1", ",GG-001,2025,2", firmA+",,2025-01,3"),
			caliber: buildings.CaliberFull,
			want: []buildings.TaxRow{
				{Row: 2, USCC: firmA, Period: "2025", Caliber: buildings.CaliberFull, Amount: money.WanYuan},
				{Row: 3, Building: "GG-001", Period: "2025", Caliber: buildings.CaliberFull, Amount: 2 * money.WanYuan},
				{Row: 4, USCC: firmA, Period: "2025-01", Caliber: buildings.CaliberFull, Amount: 3 * money.WanYuan},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs, err := buildings.ParseTax(tc.rows, tc.caliber)
			if err != nil || len(errs) > 0 {
				t.Fatalf("ParseTax: %v %v", errs, err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("rows (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseTaxPeriods(t *testing.T) {
	for v, want := range map[string]string{
		"2025": "2025", "2025年": "2025", "2025年度": "2025", "2025-03": "2025-03", "2025-3": "2025-03", "202503": "2025-03",
		"2025年3月": "2025-03", "2025年03月": "2025-03", "2025.03": "2025-03", "2025.3": "2025-03", "2025/12": "2025-12",
		"2025-03-01": "2025-03", // a month formatted as a date in Excel
	} {
		got, errs, err := buildings.ParseTax(lines("统一社会信用代码,所属期,税收(元)", firmA+","+v+",1"), buildings.CaliberFull)
		if err != nil || len(errs) > 0 || len(got) != 1 || got[0].Period != want {
			t.Errorf("%q: %v %v %v, want %s", v, got, errs, err, want)
		}
	}
	for _, v := range []string{"2025Q1", "2025-13", "2025-00", "202513", "25-03", "2025年1-3月", "2025-03-15", "1989", "20250-3", "2025月", "3月"} {
		_, errs, _ := buildings.ParseTax(lines("统一社会信用代码,所属期,税收(元)", firmA+","+v+",1"), buildings.CaliberFull)
		want := []table.RowError{{Row: 2, Col: 2, Header: "所属期", Value: v, Msg: "所属期“" + v + "”应为年份(2025)或月份(2025-03)"}}
		if d := cmp.Diff(want, errs); d != "" {
			t.Errorf("%q (-want +got):\n%s", v, d)
		}
	}
}

func TestParseTaxMistakes(t *testing.T) {
	header := "统一社会信用代码,楼宇编号,纳税人名称,所属期,税收合计(万元)"
	for _, tc := range []struct {
		name      string
		rows      table.Rows
		noCaliber bool // none chosen for the import, else 全口径
		want      []table.RowError
	}{
		{
			name: "every mistake of a row",
			rows: lines(header, "91350100M000100Y44,,甲,2025Q1,-5"),
			want: []table.RowError{
				{Row: 2, Col: 1, Header: "统一社会信用代码", Value: "91350100M000100Y44", Msg: "第18位校验码应为3,实际为4"},
				{Row: 2, Col: 4, Header: "所属期", Value: "2025Q1", Msg: "所属期“2025Q1”应为年份(2025)或月份(2025-03)"},
				{Row: 2, Col: 5, Header: "税收合计(万元)", Value: "-5", Msg: "税收不能为负数(-5)"},
			},
		},
		{
			name: "no code, no period, no amount",
			rows: lines(header, ",,甲,,"),
			want: []table.RowError{
				{Row: 2, Col: 1, Header: "统一社会信用代码", Msg: "统一社会信用代码和楼宇编号均为空"},
				{Row: 2, Col: 4, Header: "所属期", Msg: "所属期为空,应为年份(2025)或月份(2025-03)"},
				{Row: 2, Col: 5, Header: "税收合计(万元)", Msg: "税收金额为空"},
			},
		},
		{
			name: "the code column the file has",
			rows: lines("纳税人识别号,所属期,税收(万元)", ",2025,1"),
			want: []table.RowError{{Row: 2, Col: 1, Header: "纳税人识别号", Msg: "纳税人识别号为空"}},
		},
		{
			name: "a building's file",
			rows: lines("楼宇编号,所属期,税收(万元)", ",2025,1", "GG 001,2025,1"),
			want: []table.RowError{
				{Row: 2, Col: 1, Header: "楼宇编号", Msg: "楼宇编号为空"},
				{Row: 3, Col: 1, Header: "楼宇编号", Value: "GG 001", Msg: "楼宇编号“GG 001”应为不超过32个字符的字母、数字或短横线"},
			},
		},
		{
			name: "amounts that are not amounts",
			rows: lines(header, firmA+",,,2025,一千", firmB+",,,2025,1.2345678", firmC+",,,2025,1e30"),
			want: []table.RowError{
				{Row: 2, Col: 5, Header: "税收合计(万元)", Value: "一千", Msg: "金额“一千”不是数字"},
				{Row: 3, Col: 5, Header: "税收合计(万元)", Value: "1.2345678", Msg: "金额“1.2345678”精度超过1分"},
				{Row: 4, Col: 5, Header: "税收合计(万元)", Value: "1e30", Msg: "金额“1e30”不是数字"},
			},
		},
		{
			name: "a figure twice; another period or caliber is no repeat",
			rows: lines("统一社会信用代码,所属期,口径,税收(万元)", firmA+",2025-03,全口径,1", firmA+",2025-3,区级留成,1",
				firmA+",2025,全口径,1", firmA+",202503,全口径税收,2"),
			want: []table.RowError{{Row: 5, Col: 1, Header: "统一社会信用代码", Value: firmA, Msg: firmA + "在2025-03的全口径税收与第2行重复"}},
		},
		{
			name: "calibers: unknown, against the header, not given",
			rows: lines("统一社会信用代码,所属期,口径,全口径税收(万元)", firmA+",2025,市级,1", firmB+",2025,区级留成,1", firmC+",2025,,1"),
			want: []table.RowError{
				{Row: 2, Col: 3, Header: "口径", Value: "市级", Msg: "口径“市级”应为全口径、地方一般公共预算收入或区级留成"},
				{Row: 3, Col: 3, Header: "口径", Value: "区级留成", Msg: "口径“区级留成”与金额列“全口径税收(万元)”的全口径不符"},
			},
		},
		{
			name:      "a blank caliber and none chosen",
			rows:      lines("统一社会信用代码,所属期,口径,税收(万元)", firmA+",2025,,1"),
			noCaliber: true,
			want:      []table.RowError{{Row: 2, Col: 3, Header: "口径", Msg: "口径为空,应为全口径、地方一般公共预算收入或区级留成"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caliber := buildings.CaliberFull
			if tc.noCaliber {
				caliber = ""
			}
			got, errs, err := buildings.ParseTax(tc.rows, caliber)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, errs); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
			for _, r := range got {
				for _, e := range errs {
					if e.Row == r.Row {
						t.Errorf("row %d returned with its mistake %q", r.Row, e.Msg)
					}
				}
			}
		})
	}
}

func TestParseTaxNumericCells(t *testing.T) {
	// A code of digits only, stored as a number, loses its last digits;
	// a number cell 2025.1 may have been 2025.10.
	rows := workbook(t, [][]any{
		{"统一社会信用代码", "所属期", "税收(万元)"},
		{9.13212710747283018e17, 202503, 1}, // as Excel keeps it: a double
		{firmA, 2025.1, 1},
		{firmB, 2025.11, 1},
	})
	got, errs, err := buildings.ParseTax(rows, buildings.CaliberFull)
	if err != nil {
		t.Fatal(err)
	}
	want := []table.RowError{
		{Row: 2, Col: 1, Header: "统一社会信用代码", Value: "913212710747283000",
			Msg: "第18位校验码应为5,实际为0(该单元格是数字格式,长代码会丢失位数,请把这一列设为文本后重新导出)"},
		{Row: 3, Col: 2, Header: "所属期", Value: "2025.1", Msg: "所属期“2025.1”是数字单元格,看不出是1月还是10月,请写成2025-01或2025-10"},
	}
	if d := cmp.Diff(want, errs); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	if len(got) != 1 || got[0].Period != "2025-11" {
		t.Errorf("rows: %+v", got)
	}
}

func TestParseTaxFile(t *testing.T) {
	wide := strings.Repeat("备注,", 200)
	for _, tc := range []struct {
		name    string
		rows    table.Rows
		caliber buildings.Caliber
		want    string
	}{
		{"no header", lines("2025年税收", "纳税人名称,所属期,税收(万元)"), buildings.CaliberFull,
			"前20行中没有找到含“统一社会信用代码”(或“纳税人识别号”)或“楼宇编号”的表头"},
		{"a header below row 20", lines(append(strings.Split(strings.Repeat("说明\n", 20), "\n")[:20], "统一社会信用代码,所属期,税收(万元)")...),
			buildings.CaliberFull, "前20行中没有找到含“统一社会信用代码”(或“纳税人识别号”)或“楼宇编号”的表头"},
		{"too wide", lines(wide + "统一社会信用代码,所属期,税收(万元)"), buildings.CaliberFull, "第1行表头有203列,超过200列"},
		{"no amount", lines("标题", "统一社会信用代码,所属期,备注"), buildings.CaliberFull,
			"第2行表头缺少列:税收金额(如“税收合计(万元)”)"},
		{"no unit", lines("统一社会信用代码,所属期,税收合计"), buildings.CaliberFull, "第1行“税收合计”未注明单位,请写明(元)或(万元)"},
		{"no unit, a caliber", lines("统一社会信用代码,所属期,全口径税收"), "", "第1行“全口径税收”未注明单位,请写明(元)或(万元)"},
		{"no period", lines("统一社会信用代码,税收(万元)"), buildings.CaliberFull, "第1行表头缺少列:所属期(如“所属期”“税款所属期”)"},
		{"parts only", lines("统一社会信用代码,所属期,增值税税额(万元),企业所得税税额(万元)"), buildings.CaliberFull,
			"第1行有多个税收金额列(“增值税税额(万元)”、“企业所得税税额(万元)”),请只保留一列,或在列名中写明口径(如“全口径税收(万元)”)"},
		{"one caliber twice", lines("统一社会信用代码,所属期,全口径税收(万元),全口径(元)"), "",
			"第1行“全口径税收(万元)”和“全口径(元)”都是全口径税收,请只保留一列"},
		{"calibers by column and by 口径", lines("统一社会信用代码,所属期,口径,全口径税收(万元),区级留成(万元)"), "",
			"第1行既有“口径”列,又有分口径的金额列(“全口径税收(万元)”、“区级留成(万元)”),请只用一种写法"},
		{"no caliber", lines("统一社会信用代码,所属期,税收合计（万元）", firmA+",2025,1"), "",
			"税收口径未注明:请在表中加“口径”列、在金额列名中写明(如“全口径税收(万元)”)或在导入时选择口径"},
		{"a caliber chosen that is none", lines("统一社会信用代码,所属期,税收合计(万元)"), "市级",
			"导入时选择的税收口径“市级”应为全口径、地方一般公共预算收入或区级留成"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := buildings.ParseTax(tc.rows, tc.caliber)
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}
