package table

import (
	"io"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"45292", d(2024, 1, 1), true},
		{"45292.75", d(2024, 1, 1), true},
		{"43831.0", d(2020, 1, 1), true},
		{"1", d(1900, 1, 1), true},
		{"59", d(1900, 2, 28), true},
		{"61", d(1900, 3, 1), true},
		{"36526", d(2000, 1, 1), true},
		{"99999", d(2173, 10, 13), true},
		{"2024-01-02", d(2024, 1, 2), true},
		{"2024/1/2", d(2024, 1, 2), true},
		{"2024.1.2", d(2024, 1, 2), true},
		{"2019.01.02", d(2019, 1, 2), true},
		{"2024年1月2日", d(2024, 1, 2), true},
		{"20240102", d(2024, 1, 2), true},
		{" 2024-01-02 15:04:05 ", d(2024, 1, 2), true},
		{"2021-04-01 00:00:00", d(2021, 4, 1), true},
		{"2024-01-02T15:04:05Z", d(2024, 1, 2), true},
		{"2024-02-29", d(2024, 2, 29), true},
		{"2023-02-29", time.Time{}, false}, // 2023 is not a leap year: ErrNoDate
		{"60", time.Time{}, false},         // Excel's 1900-02-29
		{"0", time.Time{}, false},
		{"100000", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"2024-02-30", time.Time{}, false},
		{"202401", time.Time{}, false},
		{"2021-03", time.Time{}, false},
		{"2024-13-01", time.Time{}, false},
		{"2021-1x-01", time.Time{}, false},
		{"12024-1-1", time.Time{}, false},
		{"", time.Time{}, false},
		{"明天", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v, want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestSerialDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		serial   int
		date1904 bool
		want     time.Time
		ok       bool
	}{
		{45292, false, d(2024, 1, 1), true},
		{45292 - 1462, true, d(2024, 1, 1), true}, // the same day in a 1904 workbook
		{0, true, d(1904, 1, 1), true},
		{1, true, d(1904, 1, 2), true},
		{60, false, time.Time{}, false},
		{0, false, time.Time{}, false},
		{-1, true, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := SerialDate(tt.serial, tt.date1904)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("SerialDate(%d, %v) = %v, %v; want %v, %v", tt.serial, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}

// typed is a one-row table whose numeric cells are marked.
type typed struct {
	cells   []string
	numeric map[int]bool
}

func (r *typed) Next() ([]string, error) { return r.cells, nil }
func (r *typed) Row() int                { return 2 }
func (r *typed) Numeric(i int) bool      { return r.numeric[i] }

func TestRestore(t *testing.T) {
	cols := []CodeColumn{{Col: 0, Digits: 4}, {Col: 1, Digits: 12}, {Col: 2, Digits: 9}}
	tests := []struct {
		name    string
		cells   []string
		numeric map[int]bool
		want    []string
		n       int
	}{
		{"number cells lose their zeros", []string{"511", "21203100001", "12345678"}, map[int]bool{0: true, 1: true, 2: true},
			[]string{"0511", "021203100001", "012345678"}, 3},
		{"text cells stay as they are", []string{"511", "21203100001", "12345678"}, nil,
			[]string{"511", "21203100001", "12345678"}, 0},
		{"full codes are left alone", []string{"7291", "321203100001", "123456789"}, map[int]bool{0: true, 1: true, 2: true},
			[]string{"7291", "321203100001", "123456789"}, 0},
		{"an exponent is written out", []string{"511.0", "3.21203100001E+11", "1.2345678E7"}, map[int]bool{0: true, 1: true, 2: true},
			[]string{"0511", "321203100001", "012345678"}, 2},
		{"a fraction is no code", []string{"51.1", "-5", ""}, map[int]bool{0: true, 1: true, 2: true},
			[]string{"51.1", "-5", ""}, 0},
		{"short rows", []string{"511"}, map[int]bool{0: true, 1: true, 2: true}, []string{"0511"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := &typed{cells: append([]string(nil), tt.cells...), numeric: tt.numeric}
			cells, _ := rows.Next()
			n := Restore(rows, cells, cols)
			if n != tt.n {
				t.Errorf("restored %d, want %d", n, tt.n)
			}
			for i := range tt.want {
				if cells[i] != tt.want[i] {
					t.Errorf("cell %d = %q, want %q", i, cells[i], tt.want[i])
				}
			}
		})
	}
}

func TestSlices(t *testing.T) {
	rows := FromSlices([][]string{{"a"}, {" ", ""}, {}, {"b", "c"}})
	var got []int
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if rows.Numeric(0) {
			t.Error("cells in memory are text")
		}
		got = append(got, rows.Row())
		if Blank(cells) {
			t.Errorf("row %d is blank", rows.Row())
		}
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Errorf("rows %v, want [1 4]: blank rows are skipped, their numbers kept", got)
	}
}

func TestRun(t *testing.T) {
	r := NewRun(File{Name: "a.csv", SHA256: "x", Size: 3}, "", "张三", time.Unix(0, 0))
	if r.Mode != AllOrNothing || r.Outcome != Running {
		t.Errorf("new run: %+v", r)
	}
	r.Read, r.New, r.Changed, r.Same = 12, 10, 1, 1
	if got := r.Summary("修订"); got != "新增10,修订1,无变化1,拒绝0" {
		t.Errorf("Summary() = %q", got)
	}
	r.Restored = 3
	if got := r.Summary("变更"); got != "新增10,变更1,无变化1,拒绝0;3个代码补回了表格软件丢失的前导零" {
		t.Errorf("Summary() = %q", got)
	}
	var list []Rejected
	for i := range 3 {
		r.Reject(&list, Rejected{Row: i}, 2)
	}
	if r.Rejected != 3 || len(list) != 2 {
		t.Errorf("rejected %d, listed %d; want 3, 2", r.Rejected, len(list))
	}
}

func TestRowError(t *testing.T) {
	e := RowError{Row: 3, Col: 2, Header: "行业代码", Value: "511", Msg: "应为4位"}
	if got := e.String(); got != "第3行第2列(行业代码): 应为4位" {
		t.Errorf("String() = %q", got)
	}
	rej := Rejected{Row: 3, Errors: []RowError{e, {Row: 3, Msg: "重复"}}}
	if got := rej.Reason(); got != "第3行第2列(行业代码): 应为4位;第3行: 重复" {
		t.Errorf("Reason() = %q", got)
	}
}
