package web

import (
	"net/http"
	"net/url"
	"strconv"

	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/registry"
	"svcplan/internal/xlsx"
)

// The directory's summary pages: counts by field and town, and the two
// lists of firms that belong, or soon will, in the statistics.

type statsPage struct {
	basePage
	Register  string
	Registers []option
	Fields    []string // column heads: the plan's fields, then 其他
	Rows      []statsRow
	Totals    []statsCell
	Total     statsCell
}

// statsRow is a unit's counts by field.
type statsRow struct {
	Unit  string
	Cells []statsCell
	Total statsCell
}

type statsCell struct {
	N   int
	URL string
}

// directoryUnits are the units firms are located in: parks, streets, towns.
func directoryUnits(p *plan.Plan) []plan.Unit {
	var out []plan.Unit
	for _, u := range p.Units {
		if u.Kind == plan.KindPark || u.Kind == plan.KindSubdistrict || u.Kind == plan.KindTown {
			out = append(out, u)
		}
	}
	return out
}

// enterpriseStats counts firms in business by town (rows) and field
// (columns); every count leads to the firms behind it.
func (s *Server) enterpriseStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	reg := r.URL.Query().Get("register")
	f := registry.Filter{Statuses: []registry.Status{registry.StatusActive}}
	if reg != "" {
		f.Registers = []registry.Register{registry.Register(reg)}
	}
	counts, err := s.registry.Counts(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	p := st.Plan
	data := statsPage{basePage: s.base(r, "名录统计", "directory"), Register: reg}
	data.Registers = append(data.Registers, option{"", "全部在业企业"})
	for _, rg := range registry.Registers {
		data.Registers = append(data.Registers, option{string(rg), rg.Label()})
	}
	fieldCodes := make([]string, 0, len(p.Fields)+1)
	col := map[string]int{}
	for i, fl := range p.Fields {
		data.Fields = append(data.Fields, fl.Name)
		fieldCodes = append(fieldCodes, fl.Code)
		col[fl.Code] = i
	}
	other := len(p.Fields)
	data.Fields = append(data.Fields, "其他")
	fieldCodes = append(fieldCodes, registry.FieldOther)

	units := directoryUnits(p)
	unitCodes := make([]string, 0, len(units)+1)
	row := map[string]int{}
	for i, u := range units {
		row[u.Code] = i
		unitCodes = append(unitCodes, u.Code)
	}
	elsewhere := len(units) // firms whose unit the plan no longer lists
	unitCodes = append(unitCodes, "")
	data.Rows = make([]statsRow, len(units)+1)
	for i := range data.Rows {
		data.Rows[i].Cells = make([]statsCell, len(data.Fields))
		if i < len(units) {
			data.Rows[i].Unit = units[i].Name
		} else {
			data.Rows[i].Unit = "其他"
		}
	}
	data.Totals = make([]statsCell, len(data.Fields))
	for _, c := range counts {
		j := other
		if fl, ok := p.FieldOfIndustry(c.Industry); ok {
			j = col[fl.Code]
		}
		i, ok := row[c.Unit]
		if !ok {
			i = elsewhere
		}
		data.Rows[i].Cells[j].N += c.N
		data.Rows[i].Total.N += c.N
		data.Totals[j].N += c.N
		data.Total.N += c.N
	}
	link := func(field, unit string) string {
		v := url.Values{"status": {string(registry.StatusActive)}}
		if field != "" {
			v.Set("field", field)
		}
		if unit != "" {
			v.Set("unit", unit)
		}
		if reg != "" {
			v.Set("register", reg)
		}
		return "/enterprises?" + v.Encode()
	}
	// Firms of units the plan no longer lists cannot be selected by unit.
	for i := range data.Rows[:elsewhere] {
		rw := &data.Rows[i]
		for j := range rw.Cells {
			if rw.Cells[j].N > 0 {
				rw.Cells[j].URL = link(fieldCodes[j], unitCodes[i])
			}
		}
		if rw.Total.N > 0 {
			rw.Total.URL = link("", unitCodes[i])
		}
	}
	if data.Rows[elsewhere].Total.N == 0 {
		data.Rows = data.Rows[:elsewhere]
	}
	for j := range data.Totals {
		if data.Totals[j].N > 0 {
			data.Totals[j].URL = link(fieldCodes[j], "")
		}
	}
	data.Total.URL = link("", "")
	return s.pages.render(w, http.StatusOK, "enterprise_stats", data)
}

// listRow is a firm on the 应统未统 list or in the cultivation pool.
type listRow struct {
	firmRow
	Figure    string // "2026年1—9月 1,234.5 万元(税务)"
	Threshold string
	Projected string
	Percent   int
	Entry     string
	New       bool
	Reason    string
}

type listsPage struct {
	basePage
	List      string // unlisted or pool
	Q         dirQuery
	Fields    []option
	Units     []option
	Rows      []listRow
	Unlisted  int
	Pool      int
	ExportURL string
	Share     int
}

// listNames are the two lists.
var listNames = map[string]string{"unlisted": "应统未统", "pool": "培育库"}

// chosenList is the list a request asks for, with the size of both.
type chosenList struct {
	Name           string // unlisted or pool
	Q              dirQuery
	Rows           []registry.Listed
	Unlisted, Pool int
}

func (s *Server) listsOf(r *http.Request) (chosenList, error) {
	c := chosenList{Name: r.URL.Query().Get("list"), Q: dirQueryOf(r)}
	if c.Name == "" {
		c.Name = "unlisted"
	}
	if listNames[c.Name] == "" {
		return c, errNotFound("没有这个名单")
	}
	q := c.Q
	f, err := s.dirFilter(r, dirQuery{Field: q.Field, Unit: q.Unit, Prefix: q.Prefix, Q: q.Q, Page: 1})
	if err != nil {
		return c, err
	}
	f.Limit, f.Offset = 0, 0
	unlisted, pool, err := s.registry.Lists(r.Context(), userOf(r), f)
	c.Rows, c.Unlisted, c.Pool = unlisted, len(unlisted), len(pool)
	if c.Name == "pool" {
		c.Rows = pool
	}
	return c, err
}

func (s *Server) enterpriseLists(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	c, err := s.listsOf(r)
	if err != nil {
		return err
	}
	list, q := c.Name, c.Q
	data := listsPage{basePage: s.base(r, listNames[list], "directory"), List: list, Q: q,
		Unlisted: c.Unlisted, Pool: c.Pool, Share: s.registry.PoolPercent}
	var dp dirPage
	s.dirOptions(st.Plan, &dp)
	data.Fields, data.Units = dp.Fields, dp.Units
	ref := s.registry.Ref()
	for _, l := range c.Rows {
		data.Rows = append(data.Rows, s.listRow(st.Plan, ref, l))
	}
	v := q.values()
	v.Set("list", list)
	data.ExportURL = "/enterprises/lists.xlsx?" + v.Encode()
	return s.pages.render(w, http.StatusOK, "enterprise_lists", data)
}

func (s *Server) listRow(p *plan.Plan, ref registry.Reference, l registry.Listed) listRow {
	return listRow{firmRow: s.firmRow(p, ref, l.Enterprise), Figure: figureText(l.Figure),
		Threshold: l.Threshold.Label + " " + l.Threshold.AmountFen.Wan() + "万元",
		Projected: l.ProjectedFen.Wan(), Percent: l.Percent, Entry: monthText(l.Entry), New: l.New, Reason: l.Reason}
}

// figureText shows a revenue figure with its period and source.
func figureText(f registry.Figure) string {
	return periodText(f.Period) + " " + f.AmountFen.Wan() + "万元(" + f.Source.Label() + ")"
}

// periodText is "2025年" or "2026年1—9月".
func periodText(p string) string {
	if len(p) == 4 {
		return p + "年"
	}
	if len(p) == 7 {
		m, _ := strconv.Atoi(p[5:])
		if m == 1 {
			return p[:4] + "年1月"
		}
		return p[:4] + "年1—" + strconv.Itoa(m) + "月"
	}
	return p
}

// monthText is "2026年10月" for "2026-10".
func monthText(m string) string {
	if len(m) != 7 {
		return ""
	}
	n, _ := strconv.Atoi(m[5:])
	return m[:4] + "年" + strconv.Itoa(n) + "月"
}

// enterpriseListsExport writes one of the lists as .xlsx.
func (s *Server) enterpriseListsExport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	c, err := s.listsOf(r)
	if err != nil {
		return err
	}
	list, rows := c.Name, c.Rows
	ref := s.registry.Ref()
	v := c.Q.values()
	v.Set("list", list)
	return s.writeXLSX(w, r, listNames[list], []string{"统一社会信用代码", "单位详细名称", "行业代码", "行业名称", "服务领域",
		"所在镇街(园区)", "成立日期", "新开业", "收入期间", "营业收入(万元)", "数据来源", "适用标准", "标准(万元)",
		"全年预计(万元)", "达标比例(%)", "最早可入库", "说明"},
		func(row func([]any) error) error {
			for _, l := range rows {
				lr := s.listRow(st.Plan, ref, l)
				isNew := "否"
				if l.New {
					isNew = "是"
				}
				if err := row([]any{l.USCC, l.Name, l.Industry, ref.IndustryName(l.Industry), lr.Field, lr.Unit, l.RegisteredOn,
					isNew, periodText(l.Figure.Period), wanCell(l.Figure.AmountFen), l.Figure.Source.Label(), l.Threshold.Label,
					wanCell(l.Threshold.AmountFen), wanCell(l.ProjectedFen), l.Percent, lr.Entry, l.Reason}); err != nil {
					return err
				}
			}
			return nil
		}, "export."+list, v.Encode())
}

// wanCell is an amount as an exact 万元 number for a spreadsheet: no
// digit of the fen is lost.
func wanCell(f money.Fen) xlsx.Decimal { return xlsx.Decimal(f.Exact(money.WanYuan)) }
