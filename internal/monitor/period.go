// Package monitor is the pure logic of statistics monitoring (统计监测):
// reporting periods, progress of an indicator against its plan target with
// 序时进度 and a traffic light, same-firm growth rates, exact display
// rounding, and small-cell suppression of aggregate tables. It reads and
// writes no database and knows nothing of HTTP; see doc/monitoring.md.
package monitor

import (
	"cmp"
	"fmt"
	"strconv"

	"svcplan/internal/apperr"
)

// Period is the period an indicator value covers. Values are year-to-date
// (cumulative from January), so a period is named by its last month:
//
//	"2025"    Year 2025                 the whole year
//	"2025Q3"  Year 2025, Quarter 3      1-3季度, cumulative
//	"2025-09" Year 2025, Month 9        1-9月, cumulative
//
// At most one of Quarter and Month is non-zero. Build a Period with
// ParsePeriod; its String form is the canonical one stored in the database.
type Period struct {
	Year    int
	Quarter int // 1–4, or 0 if the period is not a quarter
	Month   int // 1–12, or 0 if the period is not a month
}

// ParsePeriod reads a period in its canonical form: "2025", "2025Q3" or
// "2025-09" (two-digit month). Nothing else is accepted, so that
// ParsePeriod(s).String() == s for every s it accepts. Errors are Invalid
// apperr errors with a message for the user.
func ParsePeriod(s string) (Period, error) {
	if len(s) < 4 || !digits(s[:4]) || s[0] == '0' {
		return Period{}, apperr.Invalidf("期别“%s”无法识别:应以四位年份开头,如2025、2025Q3(1-3季度累计)或2025-09(1-9月累计)", s)
	}
	year, _ := strconv.Atoi(s[:4])
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Year: year}, nil
	case len(rest) == 2 && rest[0] == 'Q':
		q := int(rest[1] - '0')
		if q < 1 || q > 4 {
			return Period{}, apperr.Invalidf("期别“%s”有误:季度应为Q1—Q4", s)
		}
		return Period{Year: year, Quarter: q}, nil
	case len(rest) == 3 && rest[0] == '-' && digits(rest[1:]):
		m, _ := strconv.Atoi(rest[1:])
		if m < 1 || m > 12 {
			return Period{}, apperr.Invalidf("期别“%s”有误:月份应为01—12", s)
		}
		return Period{Year: year, Month: m}, nil
	}
	return Period{}, apperr.Invalidf("期别“%s”无法识别:应为2025(全年)、2025Q3(1-3季度累计)或2025-09(1-9月累计)", s)
}

// digits reports whether every byte of s is an ASCII digit.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String is the canonical form: "2025", "2025Q3" or "2025-09".
func (p Period) String() string {
	switch {
	case p.Month != 0:
		return fmt.Sprintf("%d-%02d", p.Year, p.Month)
	case p.Quarter != 0:
		return fmt.Sprintf("%dQ%d", p.Year, p.Quarter)
	}
	return strconv.Itoa(p.Year)
}

// MonthsCovered is the number of months from January the period's
// year-to-date value covers: 12 for a year, 9 for 2025Q3 and for 2025-09,
// 2 for 2025-02 (1-2月).
func (p Period) MonthsCovered() int {
	switch {
	case p.Month != 0:
		return p.Month
	case p.Quarter != 0:
		return 3 * p.Quarter
	}
	return 12
}

// Label is the period's Chinese name: "2025年", "2025年1-3季度",
// "2025年1-9月". January alone is "2025年1月" (F203 has no January; its
// first period is 2025-02, "2025年1-2月"), and the first quarter is
// "2025年1季度".
func (p Period) Label() string {
	return fmt.Sprintf("%d年", p.Year) + p.span()
}

// span is the Label without the year: "1-9月", "1-3季度", or "" for a
// whole year.
func (p Period) span() string {
	switch {
	case p.Month == 1:
		return "1月"
	case p.Month != 0:
		return fmt.Sprintf("1-%d月", p.Month)
	case p.Quarter == 1:
		return "1季度"
	case p.Quarter != 0:
		return fmt.Sprintf("1-%d季度", p.Quarter)
	}
	return ""
}

// lead opens an explanation sentence: "1-9月" or "1-3季度" within a year,
// "2025年" for a whole year.
func (p Period) lead() string {
	if s := p.span(); s != "" {
		return s
	}
	return p.Label()
}

// endLabel names the end of the period, the date a stock is measured at:
// "6月末", or "2025年末" for a whole year.
func (p Period) endLabel() string {
	if p.Month == 0 && p.Quarter == 0 {
		return fmt.Sprintf("%d年末", p.Year)
	}
	return fmt.Sprintf("%d月末", p.MonthsCovered())
}

// Compare orders periods by year, then by the last month covered; periods
// ending in the same month order month < quarter < year, so 2025-09 comes
// before 2025Q3, and 2025-12 before 2025Q4 before 2025. It returns −1, 0 or
// +1, and 0 only for equal periods (of those ParsePeriod accepts).
func (p Period) Compare(q Period) int {
	if c := cmp.Compare(p.Year, q.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(p.MonthsCovered(), q.MonthsCovered()); c != 0 {
		return c
	}
	return cmp.Compare(p.rank(), q.rank())
}

// Before reports whether p comes before q in the order of Compare.
func (p Period) Before(q Period) bool { return p.Compare(q) < 0 }

// rank breaks ties between periods ending in the same month.
func (p Period) rank() int {
	switch {
	case p.Month != 0:
		return 0
	case p.Quarter != 0:
		return 1
	}
	return 2
}
