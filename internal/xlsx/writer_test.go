package xlsx

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"svcplan/internal/table"
)

// writeXLSX writes header and rows with a Writer and returns the file.
func writeXLSX(t testing.TB, header []string, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "导出")
	must(t, err)
	if header != nil {
		must(t, w.WriteHeader(header))
	}
	for _, r := range rows {
		must(t, w.WriteRow(r))
	}
	must(t, w.Close())
	return buf.Bytes()
}

func openExcelize(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	must(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriterNeutralizesFormulas(t *testing.T) {
	in := []string{"=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx", "1-2", "中文", "", "'已有引号", "=", "a=b"}
	want := []string{"'=SUM(A1)", "'+1", "'-1", "'@x", "'\tx", "'\rx", "1-2", "中文", "", "'已有引号", "'=", "a=b"}
	row := make([]any, len(in))
	for i, s := range in {
		row[i] = s
	}
	data := writeXLSX(t, []string{"=HYPERLINK(\"http://x\")"}, [][]any{row})
	f := openExcelize(t, data)
	for i, w := range want {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		got, err := f.GetCellValue("导出", cell)
		must(t, err)
		if got != w {
			t.Errorf("%s = %q, want %q", cell, got, w)
		}
		formula, err := f.GetCellFormula("导出", cell)
		must(t, err)
		if formula != "" {
			t.Errorf("%s has formula %q", cell, formula)
		}
		if w == "" {
			continue
		}
		if typ, _ := f.GetCellType("导出", cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s type = %v, want an inline string", cell, typ)
		}
	}
	if got, _ := f.GetCellValue("导出", "A1"); got != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("header A1 = %q, not neutralised", got)
	}
}

func TestWriterHeader(t *testing.T) {
	data := writeXLSX(t, []string{"统一社会信用代码", "单位详细名称", "行业代码"}, [][]any{
		{"91321203MA1XXXXX0L", "泰州市高港区鑫达华泰物流供应链管理有限公司", "5111"},
	})
	f := openExcelize(t, data)
	style, err := f.GetCellStyle("导出", "A1")
	must(t, err)
	s, err := f.GetStyle(style)
	must(t, err)
	if s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v is not bold", s.Font)
	}
	if style, _ := f.GetCellStyle("导出", "A2"); style != 0 {
		if s, _ := f.GetStyle(style); s.Font != nil && s.Font.Bold {
			t.Error("data row is bold")
		}
	}
	panes, err := f.GetPanes("导出")
	must(t, err)
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the first row frozen", panes)
	}
	widths := map[string]float64{"A": 20, "B": 44, "C": 10} // CJK characters count double
	for col, want := range widths {
		got, err := f.GetColWidth("导出", col)
		must(t, err)
		if got != want {
			t.Errorf("column %s width = %v, want %v", col, got, want)
		}
	}
}

func TestWriterRoundTrip(t *testing.T) {
	header := []string{"统一社会信用代码", "单位详细名称", "营业收入(万元)", "从业人员", "成立日期", "占比", "备注"}
	local := time.FixedZone("CST", 8*3600)
	rows := [][]any{
		{"91321203MA1XXXXX0L", "泰州市高港区鑫达物流有限公司", Decimal("1234567.89"), 12, time.Date(2024, 1, 1, 0, 0, 0, 0, local), 0.25, "1-2"},
		{"0523", "  前后空格  ", Decimal("-0.0001"), int64(-3), time.Date(2000, 2, 29, 23, 59, 0, 0, time.UTC), float32(1.5), "多行\n文本"},
		{"92321203MA2YYYYY1K", nil, Decimal(""), uint8(0), time.Time{}, 1e6, ""},
		{"x", "y", Decimal("00012345678901234.5678"), 7, nil, -0.5},
	}
	want := [][]string{
		header,
		{"91321203MA1XXXXX0L", "泰州市高港区鑫达物流有限公司", "1234567.89", "12", "2024-01-01", "0.25", "1-2"},
		{"0523", "  前后空格  ", "-0.0001", "-3", "2000-02-29", "1.5", "多行\n文本"},
		{"92321203MA2YYYYY1K", "", "", "0", "", "1000000"},
		{"x", "y", "12345678901234.5678", "7", "", "-0.5"},
	}
	// More rows than the Writer holds back to size the columns.
	for i := range 2 * sizingRows {
		rows = append(rows, []any{"行", i, Decimal("0.1")})
		want = append(want, []string{"行", strconv.Itoa(i), "0.1"})
	}
	data := writeXLSX(t, header, rows)
	got, _, err := openAndReadAll(data, "导出.xlsx", Options{})
	must(t, err)
	for _, r := range got {
		if len(r.Cells) > 4 && r.Cells[4] != "" && r.Row > 1 {
			d, err := table.ParseDate(r.Cells[4])
			must(t, err)
			r.Cells[4] = d.Format(time.DateOnly)
		}
	}
	if diff := cmp.Diff(want, plainRows(got)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	// The long decimal stays text so that no digit is lost.
	f := openExcelize(t, data)
	if typ, _ := f.GetCellType("导出", "C5"); typ != excelize.CellTypeInlineString {
		t.Errorf("C5 type = %v, want text", typ)
	}
	if typ, _ := f.GetCellType("导出", "C2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("C2 type = %v, want a number", typ)
	}
}

func TestWriterRefuses(t *testing.T) {
	tests := []struct {
		name string
		row  []any
	}{
		{"bad decimal", []any{Decimal("1,234.5")}},
		{"decimal with exponent", []any{Decimal("1e5")}},
		{"not a number", []any{0.0 / zero()}},
		{"unsupported type", []any{struct{}{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(&bytes.Buffer{}, "导出")
			must(t, err)
			defer w.Close()
			if err := w.WriteRow(tt.row); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, err := NewWriter(&bytes.Buffer{}, "bad/name"); err == nil {
		t.Error("NewWriter accepted an invalid sheet name")
	}
	w, err := NewWriter(&bytes.Buffer{}, "导出")
	must(t, err)
	must(t, w.WriteRow([]any{"a"}))
	if err := w.WriteHeader([]string{"h"}); err == nil {
		t.Error("WriteHeader after a row accepted")
	}
	must(t, w.Close())
}

func zero() float64 { return 0 }

func TestCanonicalDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"1234567.89", "1234567.89", true},
		{"007.50", "7.5", true},
		{"-0.000", "0", true},
		{"-12", "-12", true},
		{"0", "0", true},
		{"1.", "", false},
		{".5", "", false},
		{"+1", "", false},
		{"1,000", "", false},
		{"1e3", "", false},
		{"", "", false},
		{"-", "", false},
	}
	for _, tt := range tests {
		got, ok := canonicalDecimal(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("canonicalDecimal(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{{"abc", 3}, {"中文", 4}, {"A中", 3}, {"\uff08全角\uff09", 8}, {"", 0}}
	for _, tt := range tests {
		if got := displayWidth(tt.s); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestWriterPercent: a rate is a number holding the fraction, shown with
// one decimal and a percent sign, never text.
func TestWriterPercent(t *testing.T) {
	data := writeXLSX(t, []string{"同比增长", "占比"}, [][]any{
		{Percent("-0.035"), Percent("1")},
		{Percent("0.108"), Percent("0.25")},
		{Percent(""), "—"},
	})
	f := openExcelize(t, data)
	tests := []struct {
		cell, raw, shown string
	}{
		{"A2", "-0.035", "-3.5%"},
		{"B2", "1", "100.0%"},
		{"A3", "0.108", "10.8%"},
		{"B3", "0.25", "25.0%"},
	}
	for _, tt := range tests {
		if typ, _ := f.GetCellType("导出", tt.cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s type = %v, want a number", tt.cell, typ)
		}
		raw, err := f.GetCellValue("导出", tt.cell, excelize.Options{RawCellValue: true})
		must(t, err)
		shown, err := f.GetCellValue("导出", tt.cell)
		must(t, err)
		if raw != tt.raw || shown != tt.shown {
			t.Errorf("%s = %q shown as %q, want %q shown as %q", tt.cell, raw, shown, tt.raw, tt.shown)
		}
		id, err := f.GetCellStyle("导出", tt.cell)
		must(t, err)
		st, err := f.GetStyle(id)
		must(t, err)
		if st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
			t.Errorf("%s number format = %v, want 0.0%%", tt.cell, st.CustomNumFmt)
		}
	}
	if v, _ := f.GetCellValue("导出", "A4"); v != "" {
		t.Errorf("the empty Percent wrote %q", v)
	}
	for _, bad := range []Percent{"-3.5%", "12,5", "1e-2", "abc"} {
		w, err := NewWriter(&bytes.Buffer{}, "导出")
		must(t, err)
		if err := w.WriteRow([]any{bad}); err == nil {
			t.Errorf("Percent(%q) accepted", bad)
		}
		must(t, w.Close())
	}
}

// A 调度表 prints on A4 landscape, one page wide, its header on every page.
func TestWriterPrintA4(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "调度表")
	must(t, err)
	w.PrintA4("2026年1-10月重大项目调度表")
	must(t, w.WriteHeader([]string{"项目编号", "项目名称"}))
	must(t, w.WriteRow([]any{"GG-1", "港口综合物流枢纽项目"}))
	must(t, w.Close())
	f := openExcelize(t, buf.Bytes())
	layout, err := f.GetPageLayout("调度表")
	must(t, err)
	if layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" ||
		layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v", layout)
	}
	hf, err := f.GetHeaderFooter("调度表")
	must(t, err)
	if hf == nil || !strings.Contains(hf.OddHeader, "2026年1-10月重大项目调度表") || !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("header and footer %+v", hf)
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm.Print_Titles" || names[0].RefersTo != "'调度表'!$1:$1" {
		t.Errorf("print titles %+v", names)
	}
	if rows, _ := f.GetRows("调度表"); len(rows) != 2 || rows[1][1] != "港口综合物流枢纽项目" {
		t.Errorf("rows %v", rows)
	}
}
