package reports

import (
	"fmt"
	"io"
	"strings"
	"svcplan/internal/money"
	"svcplan/internal/table"

	"svcplan/internal/apperr"
)

// ValueColumn is a column holding one measure: this year's cumulative
// value or the same period of last year (上年同期).
type ValueColumn struct {
	Col     int // 0-based
	Measure Measure
	Prev    bool
	// Unit is the money unit of the column (the forms' is 千元); 0 for
	// headcounts.
	Unit money.Fen
}

// Layout says where a file's columns are. Absent columns are -1.
type Layout struct {
	Form      *Form
	Header    []string
	HeaderRow int // 1-based row of the header; data follows
	Area      int // 数据处理地
	USCC      int // 统一社会信用代码
	Org       int // 组织机构代码 (old files; may hold a USCC too)
	Name      int // 单位详细名称
	Period    int // 期别
	Values    []ValueColumn
}

var idHeaders = map[string]string{
	"数据处理地": "area", "统计用区划代码": "area", "区划代码": "area", "行政区划代码": "area",
	"统一社会信用代码": "uscc", "信用代码": "uscc", "社会信用代码": "uscc",
	"组织机构代码": "org", "法人单位代码": "org", "单位代码": "org",
	"单位详细名称": "name", "单位名称": "name", "企业名称": "name", "法人单位详细名称": "name",
	"期别": "period", "报告期": "period", "期别(年/月)": "period", "期别(年月)": "period",
}

var (
	curMarks   = []string{"1-本月", "本年累计", "1-本月累计", "本年1-本月", "累计"}
	prevMarks  = []string{"上年同期", "上年同期1-本月", "上年同期累计", "去年同期", "上年1-本月"}
	monthMarks = []string{"本月", "上年同期本月", "上年本月", "去年同期本月"}
)

// norm makes header text comparable: no spaces, ASCII parentheses and
// semicolons.
func norm(s string) string {
	s = strings.NewReplacer(" ", "", "\u3000", "", "\t", "", "\n", "", "\r", "",
		"\uff08", "(", "\uff09", ")", "\uff1b", ";", "－", "-", "—", "-").Replace(s)
	return strings.TrimSpace(s)
}

// ReadLayout maps a header row of a form's export. Extra columns (other
// items, provincial additions) are ignored; a missing required column or a
// measure given twice is an error that names it.
func ReadLayout(form *Form, header []string, row int) (*Layout, error) {
	l := &Layout{Form: form, Header: append([]string(nil), header...), HeaderRow: row,
		Area: -1, USCC: -1, Org: -1, Name: -1, Period: -1}
	ids := map[string]*int{"area": &l.Area, "uscc": &l.USCC, "org": &l.Org, "name": &l.Name, "period": &l.Period}
	seen := map[[2]int]int{}
	for i, h := range header {
		h = norm(h)
		if h == "" {
			continue
		}
		if id, ok := idHeaders[h]; ok {
			if *ids[id] < 0 {
				*ids[id] = i
			}
			continue
		}
		vc, ok, err := readValueHeader(form, h)
		if err != nil {
			return nil, apperr.Invalidf("第%d行第%d列表头“%s”: %s", row, i+1, header[i], err)
		}
		if !ok {
			continue
		}
		vc.Col = i
		key := [2]int{int(vc.Measure), boolInt(vc.Prev)}
		if first, dup := seen[key]; dup {
			return nil, apperr.Invalidf("第%d行: 第%d列“%s”与第%d列“%s”是同一指标", row, i+1, header[i], first+1, header[first])
		}
		seen[key] = i
		l.Values = append(l.Values, vc)
	}
	var missing []string
	if l.Area < 0 {
		missing = append(missing, "数据处理地")
	}
	if l.USCC < 0 && l.Org < 0 {
		missing = append(missing, "统一社会信用代码(或组织机构代码)")
	}
	if l.Name < 0 {
		missing = append(missing, "单位详细名称")
	}
	for _, prev := range []bool{false, true} {
		if _, ok := seen[[2]int{int(Revenue), boolInt(prev)}]; !ok {
			missing = append(missing, mark(prev)+";"+form.Label(Revenue)+";千元")
		}
	}
	if len(missing) > 0 {
		return nil, apperr.Invalidf("第%d行不是%s(%s)的表头: 缺少%s", row, form.Code, form.Name, strings.Join(missing, "、"))
	}
	return l, nil
}

// codeColumns are the columns whose codes have a fixed number of digits,
// for table.Restore: 数据处理地 12, an organisation code 9.
func (l *Layout) codeColumns() []table.CodeColumn {
	var out []table.CodeColumn
	if l.Area >= 0 {
		out = append(out, table.CodeColumn{Col: l.Area, Digits: 12})
	}
	if l.Org >= 0 {
		out = append(out, table.CodeColumn{Col: l.Org, Digits: 9})
	}
	return out
}

func mark(prev bool) string {
	if prev {
		return "上年同期"
	}
	return "1-本月"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readValueHeader reads a header path such as "1-本月;营业收入;千元". The
// parts may come in any order. ok is false for a column svcplan does not
// keep (another item, a single month).
func readValueHeader(form *Form, h string) (vc ValueColumn, ok bool, err error) {
	var name, unit string
	when := ""
	for _, part := range strings.Split(h, ";") {
		switch {
		case part == "":
		case contains(curMarks, part):
			when = "cur"
		case contains(prevMarks, part):
			when = "prev"
		case contains(monthMarks, part):
			when = "month"
		case part == "人" || money.Unit(part) != 0:
			unit = part
		case name == "":
			name = part
		default:
			return vc, false, nil // a sub-item path (其中;…): not kept
		}
	}
	if when == "month" || name == "" {
		return vc, false, nil
	}
	m, found := measureNamed(form, name)
	if !found {
		return vc, false, nil
	}
	vc.Measure, vc.Prev = m, when == "prev"
	if when == "" && m.Money() {
		return vc, false, fmt.Errorf("未注明是“1-本月”还是“上年同期”")
	}
	switch {
	case !m.Money():
		if unit != "" && unit != "人" {
			return vc, false, fmt.Errorf("人数的单位应为“人”,实际为“%s”", unit)
		}
	case unit == "人":
		return vc, false, fmt.Errorf("金额的单位应为千元、万元或元,实际为“人”")
	case unit == "":
		vc.Unit = money.QianYuan // the forms' unit
	default:
		vc.Unit = money.Unit(unit)
	}
	return vc, true, nil
}

func measureNamed(form *Form, name string) (Measure, bool) {
	for m, names := range form.Names {
		for _, n := range names {
			if norm(n) == name {
				return m, true
			}
		}
	}
	return 0, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FindLayout reads rows until one is the form's header (exports often put
// a title and notes above it). It reads at most 20 rows.
func FindLayout(rows interface {
	Next() ([]string, error)
	Row() int
}, form *Form) (*Layout, error) {
	var firstErr error
	for range 20 {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		l, err := ReadLayout(form, cells, rows.Row())
		if err == nil {
			return l, nil
		}
		if firstErr == nil && looksLikeHeader(cells) {
			firstErr = err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, apperr.Invalidf("前20行中没有找到%s(%s)的表头(应有数据处理地、统一社会信用代码或组织机构代码、单位详细名称、1-本月;%s;千元、上年同期;%s;千元)",
		form.Code, form.Name, form.Label(Revenue), form.Label(Revenue))
}

// looksLikeHeader reports a row naming at least two identifying columns:
// the header of a file that lacks something, rather than a title row.
func looksLikeHeader(cells []string) bool {
	n := 0
	for _, c := range cells {
		if _, ok := idHeaders[norm(c)]; ok {
			n++
		}
	}
	return n >= 2
}
