package xlsx

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"svcplan/internal/apperr"
)

const sampleCSV = "统一社会信用代码,单位详细名称\r\n" +
	"91321203MA1XXXXX0L,泰州市高港区鑫达物流有限公司\r\n" +
	"92321203MA2YYYYY1K,\"高港区金港餐饮店(个体工商户)\"\r\n"

var sampleRows = []readRow{
	{1, []string{"统一社会信用代码", "单位详细名称"}},
	{2, []string{"91321203MA1XXXXX0L", "泰州市高港区鑫达物流有限公司"}},
	{3, []string{"92321203MA2YYYYY1K", "高港区金港餐饮店(个体工商户)"}},
}

func encodeGB18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenCSVEncodings(t *testing.T) {
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(sampleCSV))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"utf8", []byte(sampleCSV)},
		{"utf8 bom", append([]byte("\xEF\xBB\xBF"), sampleCSV...)},
		{"gb18030", encodeGB18030(t, sampleCSV)},
		{"utf16le bom", utf16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, format, err := openAndReadAll(tt.data, "名录.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if format != FormatCSV {
				t.Errorf("format = %v, want CSV", format)
			}
			if diff := cmp.Diff(sampleRows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSniffEncoding(t *testing.T) {
	long := strings.Repeat("单位", sniffChunk/3) // crosses the first chunk mid-character
	tests := []struct {
		name string
		data []byte
		enc  int
	}{
		{"empty", nil, encUTF8},
		{"ascii", []byte("a,b\n1,2\n"), encUTF8},
		{"utf8 cut at chunk end", []byte(long), encUTF8},
		{"gb18030 cut at chunk end", encodeGB18030(t, long), encGB18030},
		{"gb18030 after ascii chunk", append(bytes.Repeat([]byte("a,b\n"), sniffChunk/2), encodeGB18030(t, "中文")...), encGB18030},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, _, _, err := sniffEncoding(bytes.NewReader(tt.data), int64(len(tt.data)))
			if err != nil {
				t.Fatal(err)
			}
			if enc != tt.enc {
				t.Errorf("encoding = %d, want %d", enc, tt.enc)
			}
		})
	}
}

func TestCSVDelimiters(t *testing.T) {
	want := [][]string{{"代码", "名称", "金额"}, {"5111", "甲,乙", "1.5"}}
	tests := []struct {
		name string
		data string
		opts Options
		want [][]string
	}{
		{"comma", "代码,名称,金额\n5111,\"甲,乙\",1.5\n", Options{}, want},
		{"tab", "代码\t名称\t金额\n5111\t甲,乙\t1.5\n", Options{}, want},
		{"semicolon", "代码;名称;金额\n5111;甲,乙;1.5\n", Options{}, want},
		{"quoted commas do not count", "代码;\"名,称\";金额\n5111;甲,乙;1.5\n", Options{},
			[][]string{{"代码", "名,称", "金额"}, {"5111", "甲,乙", "1.5"}}},
		{"explicit", "代码|名称|金额\n5111|甲,乙|1.5\n", Options{Comma: '|'}, want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _, err := openAndReadAll([]byte(tt.data), "a.csv", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, plainRows(rows)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVRowNumbers(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []readRow
	}{
		{
			name: "header and data",
			data: "a,b\n1,2\n3,4\n",
			want: []readRow{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}, {3, []string{"3", "4"}}},
		},
		{
			name: "blank lines count as rows, like Excel shows them",
			data: "\na,b\n\n\n1,2\r\n\r\n3,4",
			want: []readRow{{2, []string{"a", "b"}}, {5, []string{"1", "2"}}, {7, []string{"3", "4"}}},
		},
		{
			name: "rows of empty fields are skipped",
			data: "a,b\n,\n1,2\n,,\n,\n",
			want: []readRow{{1, []string{"a", "b"}}, {3, []string{"1", "2"}}},
		},
		{
			name: "line breaks inside quotes stay in one row",
			data: "a,b\n\"x\ny\nz\",2\n3,4\n",
			want: []readRow{{1, []string{"a", "b"}}, {2, []string{"x\ny\nz", "2"}}, {3, []string{"3", "4"}}},
		},
		{
			name: "stray quotes are kept",
			data: "a,b\nABC\"公司,2\n\"引号\"\"内\",3\n",
			want: []readRow{{1, []string{"a", "b"}}, {2, []string{"ABC\"公司", "2"}}, {3, []string{"引号\"内", "3"}}},
		},
		{
			name: "trailing carriage returns trimmed",
			data: "a,b\r\r\n1,2\r",
			want: []readRow{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}},
		},
		{
			name: "ragged rows",
			data: "a,b,c\n1\n1,2,3,4\n",
			want: []readRow{{1, []string{"a", "b", "c"}}, {2, []string{"1"}}, {3, []string{"1", "2", "3", "4"}}},
		},
		{
			name: "empty file",
			data: "",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _, err := openAndReadAll([]byte(tt.data), "a.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	asciiPrefix := strings.Repeat("a,b\n", sniffMax/4+10)
	tests := []struct {
		name    string
		data    []byte
		opts    Options
		wantMsg string
		rows    int // rows read before the error
	}{
		{
			name:    "too many rows",
			data:    []byte("a\n1\n2\n3\n4\n5\n6\n"),
			opts:    Options{MaxRows: 5},
			wantMsg: "文件超过5行,请分批导入",
			rows:    5,
		},
		{
			name:    "blank lines count towards the row limit",
			data:    []byte("a\n\n\n\n\n\n1\n"),
			opts:    Options{MaxRows: 5},
			wantMsg: "文件超过5行,请分批导入",
			rows:    1,
		},
		{
			name:    "record without end",
			data:    []byte("a,b\n" + strings.Repeat("x", 2<<20)),
			wantMsg: "第2行: 单行内容超过1MB,可能不是正常的CSV文件",
			rows:    1,
		},
		{
			name:    "unclosed quote swallowing the file",
			data:    []byte("a,b\n\"x," + strings.Repeat("1,2\n", 1<<19)),
			wantMsg: "第2行: 单行内容超过1MB,可能不是正常的CSV文件",
			rows:    1,
		},
		{
			name:    "gb18030 after a long ascii prefix",
			data:    append([]byte(asciiPrefix), encodeGB18030(t, "中文,名称\n")...),
			wantMsg: "第" + strconv.Itoa(sniffMax/4+11) + "行: 文件编码无法识别(混有非UTF-8字符),请另存为UTF-8编码的CSV后再导入",
			rows:    sniffMax/4 + 10,
		},
		{
			name:    "html saved as xls",
			data:    []byte("\r\n<html><table><tr><td>统一社会信用代码</td></tr></table></html>"),
			wantMsg: "文件“名录.xls”不是CSV或Excel文件(内容像是网页或XML),请在Excel中另存为.xlsx或CSV后再导入",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "名录.csv"
			if strings.Contains(tt.name, "xls") {
				name = "名录.xls"
			}
			rows, _, err := openAndReadAll(tt.data, name, tt.opts)
			if err == nil {
				t.Fatalf("no error, read %d rows", len(rows))
			}
			checkUserError(t, err)
			if got := apperr.Message(err); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
			if len(rows) != tt.rows {
				t.Errorf("read %d rows before the error, want %d", len(rows), tt.rows)
			}
		})
	}
}

func TestDetectComma(t *testing.T) {
	tests := []struct {
		line string
		want rune
	}{
		{"", ','},
		{"a", ','},
		{"a,b;c", ','},
		{"a;b;c,d", ','}, // one line, two ways to read it: comma
		{"a;b;c\n1;2;3\n", ';'},
		{"a\tb\tc", '\t'},
		{"a\tb;c", '\t'},
		{"\"a;b;c\",d", ','},
		{"a,b\nc;d;e;f", ','},
	}
	for _, tt := range tests {
		if got := detectComma([]byte(tt.line)); got != tt.want {
			t.Errorf("detectComma(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestDetectCommaLines(t *testing.T) {
	f203 := delimiterFixture{lines: f203Lines, comma: ","}.text()
	tests := []struct {
		name string
		text string
		want rune
	}{
		{"F203: header paths joined by semicolons", f203, ','},
		{"F203 header alone", delimiterFixture{lines: f203Lines[:1], comma: ","}.text(), ','},
		{"F203 with quoted header cells", delimiterFixture{lines: f203Lines, comma: ",", quote: true}.text(), ','},
		{"F203 under a title row", "企业财务状况(F203)\n" + f203, ','},
		{"F203 under a comma-filled title row", "企业财务状况(F203),,,,,,,\n\n" + f203, ','},
		{"semicolons with decimal commas", "代码;名称;金额\n5111;甲,乙;1,5\n5112;丙;2,25\n", ';'},
		{"semicolons, quoted fields with commas", "代码;\"名,称\";金额\n5111;\"甲,乙\";1.5\n", ';'},
		{"tabs with commas in the data", "代码\t名称\t地址\n5111\t甲\t人民路1号,2幢\n5112\t乙\t通江路3号\n", '\t'},
		{"tabs under a comma-filled title row", "名录,,,,,\n代码\t名称\t地址\n5111\t甲\t人民路1号\n5112\t乙\t通江路3号\n", '\t'},
		{"commas with a semicolon in one field", "代码,名称,备注\n5111,甲,a;b\n5112,乙,c\n5113,丙,d\n", ','},
		{"a line break inside quotes", "代码,名称\n5111,\"甲\n;乙;丙;丁\"\n5112,乙\n", ','},
		{"blank lines between records", "\r\n代码;名称\r\n\r\n5111;甲\r\n\r\n", ';'},
		{"one column", "名称\n甲\n乙\n", ','},
		{"both consistent: more fields win", "a;b;c,d\n1;2;3,4\n5;6;7,8\n", ';'},
		{"stray quotes do not decide", "a,b\nABC\"公司,2\n\"引号\"\"内\",3\n", ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectComma([]byte(tt.text)); got != tt.want {
				t.Errorf("detectComma = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetectCommaCutBuffer(t *testing.T) {
	// A full buffer's last record may be cut; only whole ones count, and
	// no more than sniffRecords of them.
	// Counting the cut one, commas would tie with semicolons.
	b := []byte("代码;名称;金额\n5111;甲;1.5\nx,y,z\np,q,r")
	b = append(b, strings.Repeat("x", csvBufSize-len(b))...)
	if got := detectComma(b); got != ';' {
		t.Errorf("detectComma = %q, want ';'", got)
	}
	// 60 comma lines after 50 semicolon lines: the first 50 decide.
	row := "5111;甲;1.5\n"
	b = []byte(strings.Repeat(row, sniffRecords) + strings.Repeat("a,b,c,d\n", 60))
	if got := detectComma(b); got != ';' {
		t.Errorf("detectComma = %q, want ';'", got)
	}
}

func TestCSVOptionsCommaForces(t *testing.T) {
	f203 := delimiterFixture{lines: f203Lines, comma: ","}.text()
	rows, _, err := openAndReadAll([]byte(f203), "f203.csv", Options{Comma: ';'})
	must(t, err)
	if got := len(rows[0].Cells); got != 11 { // 7 commas in cells, 2 semicolons in 5 paths: split at ';' as told
		t.Errorf("header has %d fields with Comma ';', want 11", got)
	}
}
