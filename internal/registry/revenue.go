package registry

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"svcplan/internal/money"
	"svcplan/internal/table"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/uscc"
)

// StagedRevenue is a revenue row ready for the store.
type StagedRevenue struct {
	USCC   string
	Figure Figure
}

var sourceWords = map[string]Source{
	"税务": SourceTax, "税务部门": SourceTax, "开票": SourceTax, "tax": SourceTax,
	"市场监管": SourceMarket, "市场监管部门": SourceMarket, "工商": SourceMarket, "market": SourceMarket,
	"企业自报": SourceSelf, "自报": SourceSelf, "企业": SourceSelf, "self": SourceSelf,
	"统计": SourceStatistics, "统计部门": SourceStatistics, "statistics": SourceStatistics,
}

// parsePeriod reads a period: a year (2025, 2025年) or a month up to which
// the figure runs (2025-06, 202506, 2025年6月, 2025年1-6月).
func parsePeriod(v string, now time.Time) (string, string) {
	s := strings.TrimSuffix(strings.TrimSpace(v), "年度")
	s = strings.TrimSuffix(s, "全年")
	if i := strings.Index(s, "年1-"); i > 0 { // 2025年1-6月
		s = s[:i] + "年" + s[i+len("年1-"):]
	}
	if i := strings.Index(s, "年1—"); i > 0 {
		s = s[:i] + "年" + s[i+len("年1—"):]
	}
	s = strings.TrimSuffix(s, "年")
	if len(s) == 4 && isDigits(s) {
		y, _ := strconv.Atoi(s)
		if y < 1990 || y > now.Year() {
			return "", fmt.Sprintf("年份“%s”不在1990年至今之间", v)
		}
		return s, ""
	}
	m, msg := parseMonth(s, now)
	if msg != "" {
		return "", fmt.Sprintf("期间“%s”应为年份(2025)或截至的月份(2025-06)", v)
	}
	return m, ""
}

// revenueParser validates the rows of a revenue import.
type revenueParser struct {
	p      *rowParser
	unit   money.Fen
	source Source
}

func (rp *revenueParser) parse(row int, cells []string) (StagedRevenue, string, []table.RowError) {
	p := rp.p
	var errs []table.RowError
	var s StagedRevenue
	code, col, ok := p.get(cells, ColUSCC)
	if !ok {
		return s, "", p.errAt(errs, row, col, "", "统一社会信用代码为空")
	}
	r := uscc.Check(code)
	if !r.Valid && !r.OnlyCheckCharWrong() {
		errs = p.errAt(errs, row, col, code, "%s", r.Err().Error())
	}
	s.USCC = r.Code
	if v, col, ok := p.get(cells, ColPeriod); !ok {
		errs = p.errAt(errs, row, col, "", "期间为空,应为年份(2025)或截至的月份(2025-06)")
	} else if per, msg := parsePeriod(v, p.l.Now); msg != "" {
		errs = p.errAt(errs, row, col, v, "%s", msg)
	} else {
		s.Figure.Period = per
	}
	if v, col, ok := p.get(cells, ColRevenue); !ok {
		errs = p.errAt(errs, row, col, "", "营业收入为空")
	} else if fen, err := money.ParseAmount(v, rp.unit, "营业收入"); err != nil {
		errs = p.errAt(errs, row, col, v, "%s", err)
	} else {
		s.Figure.AmountFen = fen
	}
	if v, col, ok := p.get(cells, ColMonths); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 12 {
			errs = p.errAt(errs, row, col, v, "经营月数应为1到12的整数")
		} else {
			s.Figure.Months = n
		}
	}
	s.Figure.Source = rp.source
	if v, col, ok := p.get(cells, ColSource); ok {
		if src, found := sourceWords[v]; found {
			s.Figure.Source = src
		} else {
			errs = p.errAt(errs, row, col, v, "数据来源“%s”不认识,应为税务、市场监管、企业自报或统计", v)
		}
	}
	if s.Figure.Source == "" && len(errs) == 0 {
		errs = append(errs, table.RowError{Row: row, Msg: "未指定数据来源(税务、市场监管、企业自报或统计)"})
	}
	return s, RevenueKey(s.USCC, s.Figure.Period, s.Figure.Source), errs
}

// ImportRevenue reads revenue figures of firms already in the directory.
// Each differing figure becomes a new version; the same figure again
// changes nothing. They are kept apart from statistical totals.
func (s *Service) ImportRevenue(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, meta table.File, opts ImportOptions) (*ImportResult, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	res, m, err := s.startImport(rows, meta, opts, KindRevenue, string(opts.RevenueSource), actor)
	if err != nil {
		return res, err
	}
	unit := m.RevenueUnit
	if unit == 0 {
		unit = opts.RevenueUnit
	}
	if _, ok := m.Index[ColRevenue]; !ok {
		return res, invalidf("第%d行表头中没有营业收入列(可用列名:营业收入、主营业务收入、销售额)", m.HeaderRow)
	}
	if _, ok := m.Index[ColPeriod]; !ok {
		return res, invalidf("第%d行表头中没有期间列(可用列名:期间、年份、年月、所属期)", m.HeaderRow)
	}
	if unit == 0 {
		return res, invalidf("营业收入列“%s”未注明单位:请在表头写明(万元)、(千元)或(元),或在导入时选择单位", headerOf(m, ColRevenue))
	}
	rp := &revenueParser{p: newRowParser(m, s.lookups(st.Plan, ImportOptions{Official: true})), unit: unit, source: opts.RevenueSource}
	spec := rowSpec[StagedRevenue]{
		parse: rp.parse,
		dup: func(key string, first int) string {
			return fmt.Sprintf("同一企业、同一期间、同一来源的数据与第%d行重复", first)
		},
	}
	return s.finishImport(ctx, res, actor, func(tx ImportTx) error {
		now := s.now().UTC()
		apply := func(batch []item[StagedRevenue]) ([]table.Rejected, error) {
			return applyRevenue(ctx, tx, batch, &res.Import, actor.Name, now)
		}
		return runImport(ctx, rows, m, spec, apply, opts, res)
	})
}

func applyRevenue(ctx context.Context, tx ImportTx, batch []item[StagedRevenue], imp *Import, who string, now time.Time) ([]table.Rejected, error) {
	usccs := make([]string, 0, len(batch))
	for _, it := range batch {
		usccs = append(usccs, it.V.USCC)
	}
	firms, err := tx.Existing(ctx, usccs)
	if err != nil {
		return nil, err
	}
	current, err := tx.CurrentRevenue(ctx, usccs)
	if err != nil {
		return nil, err
	}
	var out []Revenue
	var rejects []table.Rejected
	for _, it := range batch {
		v := it.V
		firm, ok := firms[v.USCC]
		if !ok {
			rejects = append(rejects, table.Rejected{Row: it.Row, Cells: it.Cells, Errors: []table.RowError{{Row: it.Row,
				Msg: "名录库中没有统一社会信用代码为" + v.USCC + "的企业,请先导入企业名录"}}})
			continue
		}
		if _, _, _, _, err := monthsCovered(v.Figure, firm.RegisteredOn); err != nil {
			rejects = append(rejects, table.Rejected{Row: it.Row, Cells: it.Cells, Errors: []table.RowError{{Row: it.Row, Msg: err.Error()}}})
			continue
		}
		cur, had := current[RevenueKey(v.USCC, v.Figure.Period, v.Figure.Source)]
		if had && cur.AmountFen == v.Figure.AmountFen && cur.Months == v.Figure.Months {
			imp.Same++
			continue
		}
		r := Revenue{USCC: v.USCC, Figure: v.Figure, Version: cur.Version + 1, ImportID: imp.ID, EnteredBy: who, EnteredAt: now}
		out = append(out, r)
		if had {
			imp.Changed++
		} else {
			imp.New++
		}
	}
	if len(out) > 0 {
		if err := tx.AppendRevenue(ctx, out); err != nil {
			return nil, err
		}
	}
	return rejects, nil
}
