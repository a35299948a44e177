package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"svcplan/internal/table"
	"svcplan/internal/xlsx/xlsxtest"
)

// typedRow is a row with the Numeric answer for each of its cells.
type typedRow struct {
	Row     int
	Cells   []string
	Numeric []bool
}

func readTyped(t testing.TB, data []byte, name string) []typedRow {
	t.Helper()
	rr, _, err := Open(bytes.NewReader(data), int64(len(data)), name, Options{})
	must(t, err)
	defer rr.Close()
	var rows []typedRow
	for {
		cells, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		must(t, err)
		r := typedRow{Row: rr.Row(), Cells: append([]string(nil), cells...)}
		for i := range cells {
			r.Numeric = append(r.Numeric, rr.Numeric(i))
		}
		if rr.Numeric(-1) || rr.Numeric(len(cells)) {
			t.Errorf("row %d: Numeric outside the row is true", rr.Row())
		}
		rows = append(rows, r)
	}
}

// typedCell is a cell of a test workbook: its value, the custom number
// format or built-in format id of its style (none if both are zero), and
// what it must read as.
type typedCell struct {
	value   any
	custom  string
	builtin int
	want    string
	numeric bool
}

// typedWorkbook writes each cell in its own row of column B (column A
// holds the row's name), with excelize's ordinary API.
func typedWorkbook(t testing.TB, cells []typedCell, date1904 bool) []byte {
	return buildXLSX(t, func(f *excelize.File) {
		if date1904 {
			yes := true
			must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
		}
		for i, c := range cells {
			row := i + 1
			must(t, f.SetCellStr("Sheet1", cellName(1, row), "行"))
			ref := cellName(2, row)
			switch v := c.value.(type) {
			case textValue:
				must(t, f.SetCellStr("Sheet1", ref, string(v)))
			default:
				must(t, f.SetCellValue("Sheet1", ref, v))
			}
			if c.custom == "" && c.builtin == 0 {
				continue
			}
			st := &excelize.Style{NumFmt: c.builtin}
			if c.custom != "" {
				st.CustomNumFmt = &c.custom
			}
			id, err := f.NewStyle(st)
			must(t, err)
			must(t, f.SetCellStyle("Sheet1", ref, ref, id))
		}
	})
}

// textValue is a cell value written as a string, whatever it looks like.
type textValue string

func cellName(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return s
}

func TestXLSXCellTypes(t *testing.T) {
	jan1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cells := []typedCell{
		{value: textValue("0511"), want: "0511"},
		{value: textValue("511"), custom: "0000", want: "511"}, // text: no format applies
		{value: 511, want: "511", numeric: true},
		{value: 511, custom: "0000", want: "0511", numeric: true},
		{value: 321203001, custom: "000000000000", want: "000321203001", numeric: true},
		{value: 12345, custom: "0000", want: "12345", numeric: true},
		{value: 0, custom: "000000", want: "000000", numeric: true},
		{value: 5.5, custom: "0000", want: "5.5", numeric: true}, // no rounding
		{value: 3.21203100001e11, custom: "000000000000", want: "321203100001", numeric: true},
		{value: 45292, builtin: 14, want: "2024-01-01"},
		{value: 45292.75, builtin: 22, want: "2024-01-01"},
		{value: jan1, custom: `yyyy"年"m"月"d"日"`, want: "2024-01-01"},
		{value: jan1, custom: "[$-804]yyyy/m/d;@", want: "2024-01-01"},
		{value: jan1, custom: "d-mmm", want: "2024-01-01"},
		{value: 45292.9999999999, custom: "yyyy-mm-dd", want: "2024-01-02"}, // within a millisecond of midnight
		{value: 45292, builtin: 31, want: "2024-01-01"},                     // zh-cn yyyy"年"m"月"d"日"
		{value: 45292, builtin: 57, want: "2024-01-01"},                     // zh-cn yyyy"年"m"月"
		{value: 0.5, builtin: 34, want: "0.5", numeric: true},               // zh-cn 上午/下午h"时"mm"分"
		{value: 0.5, custom: "h:mm", want: "0.5", numeric: true},
		{value: 1.25, custom: "[h]:mm:ss", want: "1.25", numeric: true},
		{value: 45292, custom: `0 "days"`, want: "45292", numeric: true},
		{value: 45292, custom: `#,##0\d`, want: "45292", numeric: true},
		{value: -1, builtin: 14, want: "-1", numeric: true}, // no date: stays a number
		{value: 1234567.89, builtin: 4, want: "1234567.89", numeric: true},
		{value: 0.1 + 0.2, builtin: 2, want: "0.3", numeric: true},
		{value: textValue("0.30000000000000004"), want: "0.30000000000000004"},
		{value: true, want: "1"},
		{value: textValue("=1+1"), want: "=1+1"},
	}
	data := typedWorkbook(t, cells, false)
	rows := readTyped(t, data, "类型.xlsx")
	if len(rows) != len(cells) {
		t.Fatalf("read %d rows, want %d", len(rows), len(cells))
	}
	for i, c := range cells {
		got := rows[i]
		if len(got.Cells) != 2 || got.Cells[1] != c.want || got.Numeric[1] != c.numeric || got.Numeric[0] {
			t.Errorf("row %d (%v, format %q/%d): read %q numeric %v, want %q numeric %v",
				got.Row, c.value, c.custom, c.builtin, got.Cells, got.Numeric, c.want, c.numeric)
		}
	}
}

func TestXLSXDate1904(t *testing.T) {
	jan1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cells := []typedCell{
		{value: jan1, custom: "yyyy-mm-dd", want: "2024-01-01"},
		{value: 43830, builtin: 14, want: "2024-01-01"},               // 45292 - 1462
		{value: 0, builtin: 14, want: "1904-01-01"},                   // day 0 exists in 1904
		{value: 43830, want: "43830", numeric: true},                  // no date format: the stored number
		{value: 43830.5, custom: "yyyy/m/d h:mm", want: "2024-01-01"}, // noon
	}
	data := typedWorkbook(t, cells, true)
	rows := readTyped(t, data, "1904.xlsx")
	for i, c := range cells {
		if got := rows[i]; got.Cells[1] != c.want || got.Numeric[1] != c.numeric {
			t.Errorf("row %d: read %q numeric %v, want %q numeric %v", got.Row, got.Cells[1], got.Numeric[1], c.want, c.numeric)
		}
	}
}

func TestXLSXSampleNumeric(t *testing.T) {
	rows := readTyped(t, sampleWorkbook(t), "名录.xlsx")
	want := []typedRow{
		{1, []string{"统一社会信用代码", "单位详细名称", "营业收入(万元)", "成立日期", "从业人员", "备注"}, []bool{false, false, false, false, false, false}},
		{2, []string{"91321203MA1XXXXX0L", "泰州市高港区鑫达物流有限公司", "1234567.89", "2024-01-01", "12", "=不是公式"}, []bool{false, false, true, false, true, false}},
		{4, []string{"0523", "", "0.1", "", "-3"}, []bool{false, false, true, false, true}},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestXLSXRestoreCodes: table.Restore pads the codes a spreadsheet stored
// as numbers, and leaves those stored as text.
func TestXLSXRestoreCodes(t *testing.T) {
	data := buildXLSX(t, func(f *excelize.File) {
		must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"行业代码", "区划代码"}))
		must(t, f.SetSheetRow("Sheet1", "A2", &[]any{511, 321203001001}))
		must(t, f.SetSheetRow("Sheet1", "A3", &[]any{"511", "0321203001001"}))
	})
	rr, _, err := Open(bytes.NewReader(data), int64(len(data)), "代码.xlsx", Options{})
	must(t, err)
	defer rr.Close()
	cols := []table.CodeColumn{{Col: 0, Digits: 4}, {Col: 1, Digits: 12}}
	var got [][]string
	for {
		cells, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		must(t, err)
		if rr.Row() > 1 {
			table.Restore(rr, cells, cols)
		}
		got = append(got, append([]string(nil), cells...))
	}
	want := [][]string{{"行业代码", "区划代码"}, {"0511", "321203001001"}, {"511", "0321203001001"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// handMadeStyles has cell formats 1: 000000, 2: a Chinese date, 3: the
// built-in date 14, 4: 0000.
const handMadeStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3">` +
	`<numFmt numFmtId="164" formatCode="000000"/><numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
	`<numFmt numFmtId="166" formatCode="0000"/></numFmts>` +
	`<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>` +
	`<cellXfs count="5"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="166" fontId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`

// handMadeSheet is written as some tools write worksheets: every element
// with the x: prefix, rows and cells without r attributes, elements whose
// names begin like row and c (cols, col, rowBreaks), markup inside
// comments and CDATA, and a '>' inside an attribute value.
const handMadeSheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<x:sheetPr><x:pageSetUpPr fitToPage="1"/></x:sheetPr><x:dimension ref="A1:F6"/>` +
	`<x:cols><x:col min="1" max="6" width="14" style="1" customWidth="1"/></x:cols>` +
	`<x:sheetData>` +
	`<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>行业代码</x:t></x:is></x:c>` +
	`<x:c t="inlineStr"><x:is><x:t><![CDATA[<x:c s="1"><x:v>1</x:v></x:c>]]></x:t></x:is></x:c></x:row>` +
	"\n<!-- <x:row><x:c s=\"1\"><x:v>7</x:v></x:c></x:row> -->\n" +
	`<x:row spans="1:6"><x:c s="1"><x:v>511</x:v></x:c><x:c s="4" t="n"><x:v>6513</x:v></x:c>` +
	`<x:c t="str" s="1"><x:f>A2&amp;""</x:f><x:v>511</x:v></x:c><x:c s="2"><x:v>45292</x:v></x:c>` +
	`<x:c t="b"><x:v>1</x:v></x:c><x:c t="e" s="1"><x:v>#DIV/0!</x:v></x:c></x:row>` +
	`<x:row><x:c/><x:c s="3"><x:v>45292.5</x:v></x:c><x:c t="inlineStr" s="1"><x:is><x:r><x:t>51</x:t></x:r><x:r><x:t>1</x:t></x:r></x:is></x:c></x:row>` +
	`<x:row r="5" x14ac:dyDescent="0.25" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">` +
	`<x:c r="C5" s="4"><x:v>7</x:v></x:c><x:c s="1"><x:v>8</x:v></x:c><x:c note="a>b" s="4"><x:v>9</x:v></x:c></x:row>` +
	`<x:row r="6"><x:c r="B6" s="0"><x:v>0.30000000000000004</x:v></x:c><x:c r="C6" t="s"><x:v>1</x:v></x:c></x:row>` +
	`</x:sheetData><x:rowBreaks count="1" manualBreakCount="1"><x:brk id="3" max="16383" man="1"/></x:rowBreaks></x:worksheet>`

const handMadeSST = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">` +
	`<si><t>统一社会信用代码</t></si><si><t>0.30000000000000004</t></si></sst>`

var handMadeRows = []typedRow{
	{1, []string{"统一社会信用代码", "行业代码", `<x:c s="1"><x:v>1</x:v></x:c>`}, []bool{false, false, false}},
	{2, []string{"000511", "6513", "511", "2024-01-01", "1", "#DIV/0!"}, []bool{true, true, false, false, false, false}},
	{3, []string{"", "2024-01-01", "511"}, []bool{false, false, false}},
	{5, []string{"", "", "0007", "000008", "0009"}, []bool{false, false, true, true, true}},
	{6, []string{"", "0.3", "0.30000000000000004"}, []bool{false, true, false}},
}

// handMadeWorkbook is a workbook made of raw XML parts around sheet.
func handMadeWorkbook(t testing.TB, sheet string, date1904 bool) []byte {
	t.Helper()
	parts := []zipPart{}
	for _, p := range workbookParts() {
		if p.name != "xl/workbook.xml" {
			parts = append(parts, p)
		}
	}
	wbPr := ""
	if date1904 {
		wbPr = `<workbookPr date1904="1"/>`
	}
	text := func(name, s string) zipPart {
		return zipPart{name, func(zw *zip.Writer) error {
			w, err := zw.Create(name)
			if err != nil {
				return err
			}
			_, err = io.WriteString(w, s)
			return err
		}}
	}
	parts = append(parts,
		text("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
			wbPr+`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
		text("xl/styles.xml", handMadeStyles),
		text("xl/sharedStrings.xml", handMadeSST),
		text("xl/worksheets/sheet1.xml", sheet))
	return buildZip(t, parts...)
}

func TestXLSXHandMadeTypes(t *testing.T) {
	rows := readTyped(t, handMadeWorkbook(t, handMadeSheet, false), "手工.xlsx")
	if diff := cmp.Diff(handMadeRows, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// In the 1904 date system the same serial numbers are 1,462 days later.
	rows = readTyped(t, handMadeWorkbook(t, handMadeSheet, true), "手工.xlsx")
	if got := rows[1].Cells[3]; got != "2028-01-02" {
		t.Errorf("1904 date = %q, want 2028-01-02", got)
	}
}

// TestSheetScannerReads checks the scanner alone, fed a byte at a time so
// that every tag, comment and CDATA section crosses a buffer refill.
func TestSheetScannerReads(t *testing.T) {
	want := map[int][]cellInfo{
		1: {{1, cellOther, 0}, {2, cellOther, 0}, {3, cellOther, 0}},
		2: {{1, cellNumber, 1}, {2, cellNumber, 4}, {3, cellOther, 1}, {4, cellNumber, 2}, {5, cellOther, 0}, {6, cellOther, 1}},
		3: {{1, cellNumber, 0}, {2, cellNumber, 3}, {3, cellOther, 1}},
		5: {{3, cellNumber, 4}, {4, cellNumber, 1}, {5, cellNumber, 4}},
		6: {{2, cellNumber, 0}, {3, cellOther, 0}},
	}
	for name, r := range map[string]func() io.Reader{
		"whole":       func() io.Reader { return strings.NewReader(handMadeSheet) },
		"byte a time": func() io.Reader { return iotest.OneByteReader(strings.NewReader(handMadeSheet)) },
	} {
		t.Run(name, func(t *testing.T) {
			s := newSheetScanner(r())
			s.buf = make([]byte, 256) // small, so tags cross refills
			for n := 1; n <= 7; n++ {
				cells, ok := s.cellsOf(n)
				w, has := want[n]
				if ok != has {
					t.Fatalf("row %d: ok = %v, want %v", n, ok, has)
				}
				if diff := cmp.Diff(w, cells, cmp.AllowUnexported(cellInfo{})); ok && diff != "" {
					t.Errorf("row %d (-want +got):\n%s", n, diff)
				}
			}
		})
	}
}

// TestXLSXIrregularSheets: where the scanner cannot follow excelize, the
// rows read as before it existed (numbers rounded, no types), and Next
// never fails for the scanner's sake.
func TestXLSXIrregularSheets(t *testing.T) {
	tests := []struct {
		name  string
		sheet string
		want  []typedRow
	}{
		{
			name: "rows out of order",
			sheet: sheetHead + `<row r="1"><c s="4"><v>1</v></c></row><row r="3"><c s="4"><v>3</v></c></row>` +
				`<row r="2"><c r="B2" s="4"><v>2</v></c></row><row r="5"><c s="4"><v>5</v></c></row></sheetData></worksheet>`,
			want: []typedRow{
				{1, []string{"0001"}, []bool{true}},
				{3, []string{"3", "2"}, []bool{false, false}}, // excelize merges row 2 into row 3
				{5, []string{"5"}, []bool{false}},
			},
		},
		{
			name:  "cells out of order",
			sheet: sheetHead + `<row><c r="B1" s="4"><v>1</v></c><c r="A1" s="4"><v>2</v></c></row><row><c s="4"><v>3</v></c></row></sheetData></worksheet>`,
			want: []typedRow{
				{1, []string{"", "1", "2"}, []bool{false, false, false}},
				{2, []string{"0003"}, []bool{true}},
			},
		},
		{
			name:  "a tag longer than the scanner's buffer",
			sheet: sheetHead + `<row><c s="4"><v>1</v></c></row><row x="` + strings.Repeat("x", scanBufSize) + `"><c s="4"><v>2</v></c></row></sheetData></worksheet>`,
			want: []typedRow{
				{1, []string{"1"}, []bool{false}}, // the scanner gave up while reading its end
				{2, []string{"2"}, []bool{false}},
			},
		},
		{
			name:  "row numbers without sheetData's end",
			sheet: sheetHead + `<row r="2"><c s="4"><v>2</v></c></row>`,
			want:  []typedRow{{2, []string{"0002"}, []bool{true}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := readTyped(t, handMadeWorkbook(t, tt.sheet, false), "a.xlsx")
			if diff := cmp.Diff(tt.want, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsDateCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"yyyy-mm-dd", true},
		{"YYYY/M/D", true},
		{`yyyy"年"m"月"`, true},
		{"[$-804]aaaa", false},
		{"[$-F800]dddd, mmmm dd, yyyy", true},
		{"[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", true},
		{"m/d/yy h:mm", true},
		{"h:mm:ss", false},
		{"[h]:mm", false},
		{"mm:ss.0", false},
		{"General", false},
		{"#,##0.00_);[Red](#,##0.00)", false},
		{`0.00 "days"`, false},
		{`0\d`, false},
		{"_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)", false},
		{"*d0", false},
		{`"unclosed d`, false},
		{"[unclosed d", false},
		{"@", false},
	}
	for _, tt := range tests {
		if got := isDateCode(tt.code); got != tt.want {
			t.Errorf("isDateCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestPadZeros(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"511", 4, "0511"},
		{"0", 4, "0000"},
		{"12345", 4, "12345"},
		{"-5", 3, "-005"},
		{"5.5", 4, "5.5"},
		{"511.0", 4, "0511"},
		{"3.21203100001E+11", 12, "321203100001"},
		{"1E-3", 4, "1E-3"},
		{"-0", 2, "00"},
		{"abc", 4, "abc"},
		{"", 4, ""},
	}
	for _, tt := range tests {
		if got := padZeros(tt.in, tt.width); got != tt.want {
			t.Errorf("padZeros(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestDateText(t *testing.T) {
	tests := []struct {
		in       string
		date1904 bool
		want     string
	}{
		{"45292", false, "2024-01-01"},
		{"45292.99999", false, "2024-01-01"},
		{"61", false, "1900-03-01"},
		{"59", false, "1900-02-28"},
		{"60", false, ""}, // 1900-02-29 does not exist
		{"0", false, ""},
		{"0", true, "1904-01-01"},
		{"43830", true, "2024-01-01"},
		{"-1", false, ""},
		{"100000", false, ""},
		{"NaN", false, ""},
		{"1e3", false, "1902-09-26"},
	}
	for _, tt := range tests {
		got, ok := dateText(tt.in, tt.date1904)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("dateText(%q, %v) = %q, %v, want %q", tt.in, tt.date1904, got, ok, tt.want)
		}
	}
}

// BenchmarkSheetScanner is the cost the scanner adds to a read: inflating
// the worksheet part again (mode=inflate) and scanning it (mode=scan), for
// comparison with BenchmarkReadXLSX.
func BenchmarkSheetScanner(b *testing.B) {
	const n = 40_000
	var buf bytes.Buffer
	must(b, xlsxtest.WriteEnterprisesXLSX(&buf, n, 1))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	must(b, err)
	var part *zip.File
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			part = zf
		}
	}
	for _, mode := range []string{"inflate", "scan"} {
		b.Run("mode="+mode, func(b *testing.B) {
			b.SetBytes(int64(part.UncompressedSize64))
			for b.Loop() {
				rc, err := part.Open()
				must(b, err)
				if mode == "inflate" {
					_, err = io.Copy(io.Discard, rc)
					must(b, err)
				} else {
					s := newSheetScanner(rc)
					for row := 1; row <= n+1; row++ {
						if _, ok := s.cellsOf(row); !ok {
							b.Fatalf("row %d not scanned", row)
						}
					}
				}
				rc.Close()
			}
			b.ReportMetric(float64(n+1)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
