// Package reports reads the monthly enterprise reports a statistics bureau
// exports from the 联网直报 system (F203, E204-1, S204-1), keeps every
// version of them read-only, and sums them into the rollups the dashboard
// reads. See doc/monitoring.md.
package reports

import (
	"fmt"
	"regexp"
	"strings"

	"svcplan/internal/registry"
)

// Measure is a reported item svcplan keeps.
type Measure int

// Measures, in the order of Values and of the store's columns.
const (
	Revenue   Measure = iota // the form's main measure: 营业收入, 商品销售总额, 营业额总计
	Cost                     // 营业成本
	Payroll                  // 应付职工薪酬
	Taxes                    // 税金及附加
	Employees                // 期末用工人数 (persons, not money)
	measureCount
)

// Measures lists every measure.
var Measures = []Measure{Revenue, Cost, Payroll, Taxes, Employees}

// Money reports whether the measure is an amount (fen) rather than a
// headcount.
func (m Measure) Money() bool { return m != Employees }

// Form is a report form of the national 一套表 and the items svcplan reads
// from it.
type Form struct {
	Code string
	Name string
	// Register is the statistical register of the firms that file it.
	Register registry.Register
	// Names maps each measure the form carries to its item names as
	// exports write them (the first is the proper one).
	Names map[Measure][]string
}

// Forms are the forms svcplan reads.
var Forms = []Form{
	{Code: "F203", Name: "服务业企业财务状况", Register: registry.RegisterServices, Names: map[Measure][]string{
		Revenue:   {"营业收入"},
		Cost:      {"营业成本"},
		Payroll:   {"应付职工薪酬", "应付职工薪酬(本年贷方累计发生额)"},
		Taxes:     {"税金及附加", "营业税金及附加"},
		Employees: {"期末用工人数", "从业人员期末人数"},
	}},
	{Code: "E204-1", Name: "批发和零售业商品销售和库存", Register: registry.RegisterTrade, Names: map[Measure][]string{
		Revenue: {"商品销售总额", "商品销售额"},
	}},
	{Code: "S204-1", Name: "住宿和餐饮业经营情况", Register: registry.RegisterTrade, Names: map[Measure][]string{
		Revenue: {"营业额总计", "营业额"},
	}},
}

// FormByCode returns the form with a code ("F203", "f203", "E204-1").
func FormByCode(code string) (*Form, bool) {
	for i := range Forms {
		if strings.EqualFold(Forms[i].Code, strings.TrimSpace(code)) {
			return &Forms[i], true
		}
	}
	return nil, false
}

// Label is the measure's name on this form.
func (f *Form) Label(m Measure) string {
	if names := f.Names[m]; len(names) > 0 {
		return names[0]
	}
	return ""
}

// Period is the last month of a year-to-date report, as YYYYMM: 202509 is
// 2025年1-9月. The first period of a year is 1-2月 (January is not
// collected), so month 1 does not occur.
type Period int

// ParsePeriodCode reads the bureau's period code YYYY00MM ("20250009"), or
// YYYYMM / YYYY-MM.
func ParsePeriodCode(s string) (Period, error) {
	s = strings.TrimSpace(s)
	digits := strings.ReplaceAll(s, "-", "")
	if len(digits) == 8 && digits[4:6] == "00" {
		digits = digits[:4] + digits[6:]
	}
	if len(digits) != 6 || !allDigits(digits) {
		return 0, fmt.Errorf("期别“%s”应为YYYY00MM(如20250009)或YYYY-MM", s)
	}
	year, month := atoi(digits[:4]), atoi(digits[4:])
	switch {
	case year < 1990 || year > 2100:
		return 0, fmt.Errorf("期别“%s”的年份%d不合理", s, year)
	case month < 2 || month > 12:
		if month == 1 {
			return 0, fmt.Errorf("期别“%s”:1月数据免报,年内第一期为1-2月(YYYY0002)", s)
		}
		return 0, fmt.Errorf("期别“%s”的月份%d不在2-12之间", s, month)
	}
	return Period(year*100 + month), nil
}

// Year and Month split the period.
func (p Period) Year() int  { return int(p) / 100 }
func (p Period) Month() int { return int(p) % 100 }

// Prev is the period before p in the same year, or 0 for 1-2月.
func (p Period) Prev() Period {
	if p.Month() <= 2 {
		return 0
	}
	return p - 1
}

// LastYear is the same period a year before.
func (p Period) LastYear() Period { return p - 100 }

// String is the period as YYYY-MM.
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year(), p.Month()) }

// Label is the period in Chinese: 2025年1-9月.
func (p Period) Label() string { return fmt.Sprintf("%d年1-%d月", p.Year(), p.Month()) }

// MonthLabel names the single month that p minus its previous period
// covers: 1-2月 for the first period, else 9月.
func (p Period) MonthLabel() string {
	if p.Month() == 2 {
		return fmt.Sprintf("%d年1-2月", p.Year())
	}
	return fmt.Sprintf("%d年%d月", p.Year(), p.Month())
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a string of digits known to be short.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// GuessFromName reads a form code and a period code from a file name as
// bureau exports write them ("321203_F203_20250009_…", "E204-1 2025年1-6月"):
// nil and 0 for what the name does not say.
func GuessFromName(name string) (*Form, Period) {
	upper := strings.ToUpper(name)
	var form *Form
	for i := range Forms {
		// The longest code first would matter only if one code were a
		// prefix of another; none is.
		if strings.Contains(upper, Forms[i].Code) {
			form = &Forms[i]
		}
	}
	var period Period
	for i := 0; i+8 <= len(name); i++ {
		if s := name[i : i+8]; allDigits(s) && s[4:6] == "00" && (i == 0 || !isDigit(name[i-1])) && (i+8 == len(name) || !isDigit(name[i+8])) {
			if p, err := ParsePeriodCode(s); err == nil {
				period = p
			}
		}
	}
	if period == 0 {
		if m := yearMonthRange.FindStringSubmatch(name); m != nil {
			if p, err := ParsePeriodCode(fmt.Sprintf("%s%02s", m[1], m[2])); err == nil {
				period = p
			}
		}
	}
	return form, period
}

// yearMonthRange matches "2025年1-9月".
var yearMonthRange = regexp.MustCompile(`(\d{4})年1[-—~至](\d{1,2})月`)

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
