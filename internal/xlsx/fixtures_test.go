package xlsx

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the fixtures in testdata/")

// fixtureCSV is the table every fixture holds: a field with a comma, one
// with quotes, a blank line, an empty field at the end.
const fixtureCSV = `统一社会信用代码,单位详细名称,行业代码,所在镇街,详细地址,成立日期,营业收入(万元),联系电话
913212030081216403,泰州市高港区鑫达物流有限公司,5821,321203001,"江苏省泰州市高港区人民路88号,3幢201室",2015-06-18,1234567.89,0523-86912345
913212030161198318,"高港区""金港""餐饮店(个体工商户)",6210,321203100,江苏省泰州市高港区口岸路1号,2020/1/5,35.5,13912345678

9132120302411802XY,泰州市高港区恒盛软件有限公司,6513,321203400,江苏省泰州市高港区永安路300号,2008年3月1日,0,
`

var fixtureRows = []readRow{
	{1, []string{"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "详细地址", "成立日期", "营业收入(万元)", "联系电话"}},
	{2, []string{"913212030081216403", "泰州市高港区鑫达物流有限公司", "5821", "321203001", "江苏省泰州市高港区人民路88号,3幢201室", "2015-06-18", "1234567.89", "0523-86912345"}},
	{3, []string{"913212030161198318", `高港区"金港"餐饮店(个体工商户)`, "6210", "321203100", "江苏省泰州市高港区口岸路1号", "2020/1/5", "35.5", "13912345678"}},
	{5, []string{"9132120302411802XY", "泰州市高港区恒盛软件有限公司", "6513", "321203400", "江苏省泰州市高港区永安路300号", "2008年3月1日", "0", ""}},
}

// writeFixtures rewrites testdata/ from fixtureCSV: go test -run TestFixtures -update
func writeFixtures(t *testing.T) {
	crlf := strings.ReplaceAll(fixtureCSV, "\n", "\r\n")
	files := map[string][]byte{
		"utf8.csv":     []byte(fixtureCSV),
		"utf8_bom.csv": append([]byte("\xEF\xBB\xBF"), crlf...),
		"gb18030.csv":  encodeGB18030(t, crlf),
	}
	var rows [][]any
	for i, r := range fixtureRows[1:] {
		if i == 2 {
			rows = append(rows, []any{}) // the blank row 4
		}
		cells := make([]any, len(r.Cells))
		for j, c := range r.Cells {
			cells[j] = c
		}
		rows = append(rows, cells)
	}
	files["enterprises.xlsx"] = writeXLSX(t, fixtureRows[0].Cells, rows)
	for name, f := range delimiterFixtures {
		files[name] = f.bytes(t)
	}
	for name, data := range files {
		must(t, os.WriteFile(filepath.Join("testdata", name), data, 0o644))
	}
}

func TestFixtures(t *testing.T) {
	if *update {
		writeFixtures(t)
	}
	tests := []struct {
		file   string
		format Format
	}{
		{"utf8.csv", FormatCSV},
		{"utf8_bom.csv", FormatCSV},
		{"gb18030.csv", FormatCSV},
		{"enterprises.xlsx", FormatXLSX},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			must(t, err)
			rows, format, err := openAndReadAll(data, tt.file, Options{})
			must(t, err)
			if format != tt.format {
				t.Errorf("format = %v, want %v", format, tt.format)
			}
			// Trailing empty cells may be absent (they are in XLSX).
			if diff := cmp.Diff(trimTrailing(fixtureRows), trimTrailing(rows)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
	// The GB18030 fixture really is GB18030: the header's bytes.
	data, err := os.ReadFile(filepath.Join("testdata", "gb18030.csv"))
	must(t, err)
	if !bytes.HasPrefix(data, encodeGB18030(t, "统一社会信用代码,单位详细名称")) {
		t.Error("gb18030.csv does not start with the GB18030 header")
	}
}

func trimTrailing(rows []readRow) []readRow {
	out := make([]readRow, len(rows))
	for i, r := range rows {
		n := len(r.Cells)
		for n > 0 && r.Cells[n-1] == "" {
			n--
		}
		out[i] = readRow{r.Row, r.Cells[:n]}
	}
	return out
}

// An F203 export (企业财务状况月报) as statistics bureaus hand it out: the
// header cells are paths joined by ';', the fields are separated by ','.
// The firms are made up.
var (
	f203Header = []string{"数据处理地", "组织机构代码", "单位详细名称", "1-本月;营业收入;千元", "上年同期;营业收入;千元",
		"1-本月;营业成本;千元", "期末;应付职工薪酬;千元", "1-本月;从业人员平均人数;人"}
	f203Data = [][]string{
		{"321203", "MA0000001", "泰州市高港区鑫达物流有限公司", "12345", "11020", "9876.5", "310", "35"},
		{"321203", "MA0000002", "泰州市高港区恒盛软件有限公司", "820", "", "610", "95", "12"},
		{"321203", "MA0000003", "高港区金港餐饮店,口岸分店", "56", "48", "40", "0", "4"},
	}
)

// delimiterFixture is a CSV file for delimiter detection: its lines, how
// they are written, and the rows they read as.
type delimiterFixture struct {
	lines  [][]string
	comma  string
	quote  bool // quote every field (otherwise only those that need it)
	crlf   bool
	bom    bool
	gb     bool // GB18030 instead of UTF-8
	titles []string
}

func (f delimiterFixture) text() string {
	var b strings.Builder
	eol := "\n"
	if f.crlf {
		eol = "\r\n"
	}
	for _, t := range f.titles {
		b.WriteString(t + eol)
	}
	for _, l := range f.lines {
		for i, c := range l {
			if i > 0 {
				b.WriteString(f.comma)
			}
			if f.quote || strings.ContainsAny(c, f.comma+"\"\r\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString(eol)
	}
	return b.String()
}

func (f delimiterFixture) bytes(t testing.TB) []byte {
	data := []byte(f.text())
	if f.gb {
		data = encodeGB18030(t, string(data))
	}
	if f.bom {
		data = append([]byte("\xEF\xBB\xBF"), data...)
	}
	return data
}

// want is the rows the file reads as; titles are single fields.
func (f delimiterFixture) want() [][]string {
	var rows [][]string
	for _, t := range f.titles {
		rows = append(rows, []string{t})
	}
	return append(rows, f.lines...)
}

var f203Lines = append([][]string{f203Header}, f203Data...)

var delimiterFixtures = map[string]delimiterFixture{
	"f203_utf8_bom.csv":    {lines: f203Lines, comma: ",", crlf: true, bom: true},
	"f203_utf8.csv":        {lines: f203Lines, comma: ","},
	"f203_quoted.csv":      {lines: f203Lines, comma: ",", quote: true, crlf: true, bom: true},
	"f203_gb18030.csv":     {lines: f203Lines, comma: ",", crlf: true, gb: true},
	"f203_header_only.csv": {lines: f203Lines[:1], comma: ",", crlf: true, bom: true},
	"f203_title.csv":       {lines: f203Lines, comma: ",", crlf: true, bom: true, titles: []string{"企业财务状况(F203) 2025年1月"}},
	"semicolon.csv": {lines: [][]string{{"统一社会信用代码", "单位详细名称", "营业收入(万元)"},
		{"913212030081216403", "泰州市高港区鑫达物流有限公司", "1234567,89"}, {"9132120302411802XY", "恒盛软件,泰州", "0,5"}}, comma: ";", crlf: true},
	"tab.csv": {lines: [][]string{{"统一社会信用代码", "单位详细名称", "详细地址"},
		{"913212030081216403", "泰州市高港区鑫达物流有限公司", "人民路88号,3幢201室"}, {"9132120302411802XY", "恒盛软件;泰州", "永安路300号"}}, comma: "\t"},
}

func TestDelimiterFixtures(t *testing.T) {
	for name, f := range delimiterFixtures {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			must(t, err)
			if !bytes.Equal(data, f.bytes(t)) {
				t.Fatalf("testdata/%s is out of date: go test -run TestFixtures -update", name)
			}
			rows, _, err := openAndReadAll(data, name, Options{})
			must(t, err)
			if diff := cmp.Diff(f.want(), plainRows(rows)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}
