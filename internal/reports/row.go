package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/money"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// Value is one measure of a firm's report: the cumulative value of the
// year so far and of the same period last year. A blank cell is no value
// (Has… false), not zero: a firm without 上年同期 has no growth rate.
type Value struct {
	Cur, Prev       int64
	HasCur, HasPrev bool
}

// Report is one firm's report for a form and period, as the bureau sent
// it, with the firm's classification when it reported. svcplan never
// changes one: a later file makes a new version.
type Report struct {
	Form       string `json:"form"`
	Period     Period `json:"period"`
	USCC       string `json:"uscc"`
	Name       string `json:"name"`
	Area       string `json:"area"`     // 12-digit 数据处理地
	Unit       string `json:"unit"`     // the plan's town, street or park
	Industry   string `json:"industry"` // GB/T 4754-2017 class, from the directory
	Division   string `json:"division"` // its two-digit 大类
	Values     [measureCount]Value
	Version    int       `json:"version"`
	ImportID   int64     `json:"import_id"`
	ImportedAt time.Time `json:"imported_at"`
	ImportedBy string    `json:"imported_by"`
}

// Same reports whether two versions hold the same figures and
// classification.
func (r *Report) Same(o *Report) bool {
	return r.Name == o.Name && r.Area == o.Area && r.Unit == o.Unit && r.Industry == o.Industry && r.Values == o.Values
}

// staged is a row read from a file, before the directory is asked about
// its firm.
type staged struct {
	Row   int
	Code  string // the normalised USCC, or a 9-character organisation code
	IsOrg bool
	Area  string
	Name  string
	// Period is what the row's 期别 says, 0 when it says nothing.
	Period Period
	Vals   [measureCount]Value
	Cells  []string
}

// maxEmployees bounds a headcount: beyond any single firm.
const maxEmployees = 10_000_000

// parseRow validates one data row against the layout. period is the
// period being imported (a 期别 column must agree with it), or 0 when the
// file's own 期别 column is to say it.
func parseRow(l *Layout, period Period, row int, cells []string) (staged, []table.RowError) {
	s := staged{Row: row, Cells: append([]string(nil), cells...)}
	var errs []table.RowError
	cell := func(i int) string { return table.Cell(cells, i) }
	bad := func(col int, v, format string, args ...any) {
		errs = append(errs, table.RowError{Row: row, Col: col + 1, Header: strings.TrimSpace(l.Header[col]), Value: v, Msg: fmt.Sprintf(format, args...)})
	}

	s.Area = cell(l.Area)
	if len(s.Area) != 12 || !allDigits(s.Area) {
		bad(l.Area, s.Area, "数据处理地应为12位统计用区划代码,实际为“%s”", s.Area)
	}

	code, col := cell(l.USCC), l.USCC
	if code == "" {
		code, col = cell(l.Org), l.Org
	}
	code = uscc.Normalize(code)
	switch {
	case col < 0:
		errs = append(errs, table.RowError{Row: row, Msg: "缺少统一社会信用代码或组织机构代码"})
	case len(code) == 18:
		// The code must be in the directory, which checked it when the
		// firm came in; here only its shape matters.
		if r := uscc.Check(code); !r.CheckOK && len(r.Problems) > 0 && r.Problems[0].Pos > 0 && r.Problems[0].Pos < 18 {
			bad(col, code, "统一社会信用代码有误: %s", r.Problems[0].Msg)
		}
		s.Code = code
	case len(code) == 9 || len(code) == 10 && code[8] == '-':
		s.Code, s.IsOrg = strings.ReplaceAll(code, "-", ""), true
	case code == "":
		bad(col, "", "统一社会信用代码和组织机构代码都为空")
	default:
		bad(col, code, "应为18位统一社会信用代码或9位组织机构代码,实际为%d位", len([]rune(code)))
	}

	s.Name = cell(l.Name)
	if s.Name == "" {
		bad(l.Name, "", "单位详细名称为空")
	}

	if l.Period >= 0 {
		if v := cell(l.Period); v != "" {
			p, err := ParsePeriodCode(v)
			switch {
			case err != nil:
				bad(l.Period, v, "%s", err)
			case period != 0 && p != period:
				bad(l.Period, v, "期别为%s,与导入的期别%s不符", p.Label(), period.Label())
			default:
				s.Period = p
			}
		}
	}

	for _, vc := range l.Values {
		v := cell(vc.Col)
		if v == "" {
			continue
		}
		n, msg := parseValue(v, vc, l.Form)
		if msg != "" {
			bad(vc.Col, v, "%s", msg)
			continue
		}
		val := &s.Vals[vc.Measure]
		if vc.Prev {
			val.Prev, val.HasPrev = n, true
		} else {
			val.Cur, val.HasCur = n, true
		}
	}
	if !s.Vals[Revenue].HasCur {
		for _, vc := range l.Values {
			if vc.Measure == Revenue && !vc.Prev && cell(vc.Col) == "" {
				bad(vc.Col, "", "%s(1-本月)为空;没有发生额请填0", l.Form.Label(Revenue))
			}
		}
	}
	return s, errs
}

// parseValue reads an amount (to fen, exactly) or a headcount.
func parseValue(v string, vc ValueColumn, form *Form) (int64, string) {
	if vc.Measure.Money() {
		f, err := money.ParseAmount(v, vc.Unit, form.Label(vc.Measure))
		if err != nil {
			return 0, err.Error()
		}
		return int64(f), ""
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(v, ",", ""), 10, 64)
	switch {
	case err != nil:
		return 0, fmt.Sprintf("人数“%s”应为整数", v)
	case n < 0:
		return 0, fmt.Sprintf("人数不能为负数(%s)", v)
	case n > maxEmployees:
		return 0, fmt.Sprintf("人数“%s”过大", v)
	}
	return n, ""
}
