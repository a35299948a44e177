package xlsx

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"svcplan/internal/apperr"
)

// TestColumnLimit: a row wider than the limit is refused with a message
// naming its row, its width and the limit, before any of its cells reach
// the caller; trailing empty cells neither count nor come back.
func TestColumnLimit(t *testing.T) {
	// csvRow is a record of n cells "c1" … "cn".
	csvRow := func(n int) string {
		cells := make([]string, n)
		for i := range cells {
			cells[i] = "c" + strconv.Itoa(i+1)
		}
		return strings.Join(cells, ",") + "\n"
	}
	// xlsxCell is a worksheet cell of text in column col of row 1.
	xlsxCell := func(col int) string {
		ref, err := excelize.CoordinatesToCellName(col, 1)
		if err != nil {
			t.Fatal(err)
		}
		return `<c r="` + ref + `" t="inlineStr"><is><t>x</t></is></c>`
	}
	over := "第1行有100000列,超过上限1000列:请检查文件是否为导出的报表,删去多余的列后再导入"
	tests := []struct {
		name    string
		file    string
		data    []byte
		opts    Options
		want    []readRow // rows read, before the error if there is one
		wantMsg string
	}{
		{
			name:    "a header of 100,000 columns",
			file:    "名录.csv",
			data:    []byte(csvRow(100_000) + "1,2\n"),
			wantMsg: over,
		},
		{
			name:    "a data row over the limit",
			file:    "名录.csv",
			data:    []byte("a,b\n1,2\n" + csvRow(DefaultMaxColumns+1)),
			want:    []readRow{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}},
			wantMsg: "第3行有1001列,超过上限1000列:请检查文件是否为导出的报表,删去多余的列后再导入",
		},
		{
			name:    "a smaller limit",
			file:    "名录.csv",
			data:    []byte("a,b,c,d\n"),
			opts:    Options{MaxColumns: 3},
			wantMsg: "第1行有4列,超过上限3列:请检查文件是否为导出的报表,删去多余的列后再导入",
		},
		{
			name:    "the last non-empty cell decides",
			file:    "名录.csv",
			data:    []byte("a,b\n1,,,,x\n"),
			opts:    Options{MaxColumns: 4},
			want:    []readRow{{1, []string{"a", "b"}}},
			wantMsg: "第2行有5列,超过上限4列:请检查文件是否为导出的报表,删去多余的列后再导入",
		},
		{
			name: "trailing empty cells are dropped, not counted",
			file: "名录.csv",
			data: []byte("a,b" + strings.Repeat(",", 100_000) + "\n1,2,\n"),
			want: []readRow{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}},
		},
		{
			name: "at the limit",
			file: "名录.csv",
			data: []byte("a,b,c\n1,2,3\n"),
			opts: Options{MaxColumns: 3},
			want: []readRow{{1, []string{"a", "b", "c"}}, {2, []string{"1", "2", "3"}}},
		},
		{
			name:    "a worksheet cell beyond the limit",
			file:    "名录.xlsx",
			data:    sheetZip(t, []byte(sheetHead+`<row r="1">`+xlsxCell(1)+xlsxCell(DefaultMaxColumns+1)+`</row></sheetData></worksheet>`), nil),
			wantMsg: "第1行有1001列,超过上限1000列:请检查文件是否为导出的报表,删去多余的列后再导入",
		},
		{
			name: "a worksheet cell at the limit",
			file: "名录.xlsx",
			data: sheetZip(t, []byte(sheetHead+`<row r="1">`+xlsxCell(1)+xlsxCell(DefaultMaxColumns)+`</row></sheetData></worksheet>`), nil),
			want: []readRow{{1, append(append([]string{"x"}, make([]string, DefaultMaxColumns-2)...), "x")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _, err := openAndReadAll(tt.data, tt.file, tt.opts)
			if diff := cmp.Diff(tt.want, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			checkUserError(t, err)
			if got := apperr.Message(err); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
		})
	}
}
