package demo

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"svcplan/internal/money"
	"svcplan/internal/reports"
)

// DirectoryHeader is the header of Data.Firms.
var DirectoryHeader = []string{"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "成立日期", "纳统状态", "入库时间"}

// F203Header is the header of every report table: the F203 export's
// columns the platform reads.
var F203Header = []string{"数据处理地", "统一社会信用代码", "单位详细名称",
	"1-本月;营业收入;千元", "上年同期;营业收入;千元", "1-本月;营业成本;千元", "上年同期;营业成本;千元",
	"1-本月;应付职工薪酬;千元", "上年同期;应付职工薪酬;千元", "1-本月;税金及附加;千元", "上年同期;税金及附加;千元",
	"期末用工人数;人"}

// directory is the directory table, in USCC order.
func (g *generator) directory() [][]string {
	fs := slices.Clone(g.firms)
	slices.SortFunc(fs, func(a, b *firm) int { return cmp.Compare(a.uscc, b.uscc) })
	out := [][]string{slices.Clone(DirectoryHeader)}
	for _, f := range fs {
		included := ""
		if f.included != 0 {
			included = monthText(f.included)
		}
		out = append(out, []string{f.uscc, f.name, f.class.code, f.town.label(), f.founded.Format(time.DateOnly),
			f.register, included})
	}
	return out
}

// label is the town's name as directories write it: a park run together
// with a town or street (园镇合一) by the town's own name, e.g. 永安洲镇.
func (t *town) label() string {
	if t.unit.Park != "" && len(t.unit.Aliases) > 0 {
		return t.unit.Aliases[0]
	}
	return t.unit.Name
}

// reports makes the F203 table of every period from 2023年1-2月 to the
// last month with data, each listing the firms of the services register
// that had entered it by then, in the order of their 数据处理地.
func (g *generator) reports() []ReportFile {
	var fs []*firm
	for _, f := range g.firms {
		if f.register == registerServices {
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(a, b *firm) int { return cmp.Or(cmp.Compare(a.area, b.area), cmp.Compare(a.uscc, b.uscc)) })
	var out []ReportFile
	for m := periodIndex(firstPeriod); m <= g.last; m++ {
		y, mo := yearMonth(m)
		if mo == 1 {
			continue // January is not collected: 1-2月 is the first period
		}
		rows := [][]string{slices.Clone(F203Header)}
		for _, f := range fs {
			if f.included <= m {
				rows = append(rows, f.reportRow(m))
			}
		}
		out = append(out, ReportFile{Period: reports.Period(y*100 + mo), Rows: rows})
	}
	return out
}

// reportRow is the firm's F203 row of the period ending in month m.
func (f *firm) reportRow(m int) []string {
	row := []string{f.area, f.uscc, f.name}
	lastYear := m - 12
	for _, s := range []struct {
		months []int64
		from   int
	}{{f.revenue, f.start}, {f.cost, f.costStart}, {f.payroll, f.costStart}, {f.taxes, f.costStart}} {
		cur, _ := f.ytd(s.months, s.from, m)
		row = append(row, qianYuan(cur))
		if prev, ok := f.ytd(s.months, s.from, lastYear); ok {
			row = append(row, qianYuan(prev))
		} else {
			row = append(row, "") // no 上年同期: the firm did not exist yet
		}
	}
	return append(row, strconv.FormatInt(f.staff(m), 10))
}

// ytd sums a monthly series of the firm, whose first month is from, from
// January to month m; ok is false when the firm had not been founded by
// the end of month m.
func (f *firm) ytd(months []int64, from, m int) (sum int64, ok bool) {
	if m < f.start {
		return 0, false
	}
	y, _ := yearMonth(m)
	for i := max(monthIndex(y, 1), from); i <= m; i++ {
		sum += months[i-from]
	}
	return sum, true
}

// qianYuan writes an amount of yuan in 千元, as the form counts, with up to
// three decimals and no trailing zeros: 12345678 → "12345.678", 1200 → "1.2".
func qianYuan(yuan int64) string { return (money.Fen(yuan) * money.Yuan).Exact(money.QianYuan) }
