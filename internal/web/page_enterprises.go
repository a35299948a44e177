package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/plan"
	"svcplan/internal/registry"
	"svcplan/internal/xlsx"
)

// dirQuery is the directory's filter form as the URL carries it.
type dirQuery struct {
	Q        string
	Field    string
	Unit     string
	Register string
	Status   string
	Prefix   string
	Flagged  bool
	Page     int
}

func dirQueryOf(r *http.Request) dirQuery {
	q := r.URL.Query()
	return dirQuery{Q: strings.TrimSpace(q.Get("q")), Field: q.Get("field"), Unit: q.Get("unit"), Register: q.Get("register"),
		Status: q.Get("status"), Prefix: strings.TrimSpace(q.Get("industry")), Flagged: q.Get("flagged") == "1", Page: pageNumber(q)}
}

func (q dirQuery) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": q.Q, "field": q.Field, "unit": q.Unit, "register": q.Register,
		"status": q.Status, "industry": q.Prefix} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.Flagged {
		v.Set("flagged", "1")
	}
	return v
}

const dirPageSize = 50

// filter turns the form into a directory filter.
func (s *Server) dirFilter(r *http.Request, q dirQuery) (registry.Filter, error) {
	f := registry.Filter{Query: q.Q, Prefix: q.Prefix, Flagged: q.Flagged, Limit: dirPageSize, Offset: (q.Page - 1) * dirPageSize}
	if err := checkSearch(q.Q); err != nil {
		return f, err
	}
	if q.Field != "" {
		classes, err := s.registry.ClassesOfField(r.Context(), q.Field)
		if err != nil {
			return f, err
		}
		if len(classes) == 0 {
			classes = []string{"-"}
		}
		f.Classes = classes
	}
	if q.Unit != "" {
		f.Units = []string{q.Unit}
	}
	if q.Register != "" {
		f.Registers = []registry.Register{registry.Register(q.Register)}
	}
	if q.Status != "" {
		f.Statuses = []registry.Status{registry.Status(q.Status)}
	}
	if q.Prefix != "" && (!isDigits(q.Prefix) || len(q.Prefix) > 4) {
		return f, apperr.Invalidf("行业代码“%s”应为2—4位数字,如72或7291", q.Prefix)
	}
	return f, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// firmRow is a firm as the lists show it.
type firmRow struct {
	USCC     string
	URL      string
	Name     string
	Industry string
	Field    string
	Unit     string
	Register string
	Status   string
	Flagged  bool
}

func (s *Server) firmRow(p *plan.Plan, ref registry.Reference, e registry.Enterprise) firmRow {
	row := firmRow{USCC: e.USCC, URL: "/enterprises/" + url.PathEscape(e.USCC), Name: e.Name,
		Industry: e.Industry + " " + ref.IndustryName(e.Industry), Register: e.Register.Label(), Status: e.Status.Label(),
		Flagged: e.USCCFlag != "", Unit: e.Unit}
	if f, ok := p.FieldOfIndustry(e.Industry); ok {
		row.Field = f.Name
	} else {
		row.Field = "其他"
	}
	if u, ok := p.Unit(e.Unit); ok {
		row.Unit = u.Name
	}
	return row
}

type option struct {
	Value, Label string
}

type dirPage struct {
	basePage
	Q         dirQuery
	Rows      []firmRow
	Total     int
	From, To  int
	PrevURL   string
	NextURL   string
	ExportURL string
	Error     string
	Fields    []option
	Units     []option
	Registers []option
	Statuses  []option
}

func (s *Server) dirOptions(p *plan.Plan, data *dirPage) {
	for _, f := range p.Fields {
		data.Fields = append(data.Fields, option{f.Code, f.Name})
	}
	data.Fields = append(data.Fields, option{registry.FieldOther, "其他(不属十大领域)"})
	for _, u := range p.Units {
		if u.Kind == plan.KindPark || u.Kind == plan.KindSubdistrict || u.Kind == plan.KindTown {
			data.Units = append(data.Units, option{u.Code, u.Name})
		}
	}
	for _, r := range registry.Registers {
		data.Registers = append(data.Registers, option{string(r), r.Label()})
	}
	for _, st := range registry.Statuses {
		data.Statuses = append(data.Statuses, option{string(st), st.Label()})
	}
}

func (s *Server) enterpriseList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	q := dirQueryOf(r)
	data := dirPage{basePage: s.base(r, "企业名录", "directory"), Q: q}
	s.dirOptions(st.Plan, &data)
	f, err := s.dirFilter(r, q)
	if apperr.KindOf(err) == apperr.Invalid {
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "enterprises", data)
	}
	if err != nil {
		return err
	}
	page, total, err := s.registry.Search(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	ref := s.registry.Ref()
	for _, e := range page {
		data.Rows = append(data.Rows, s.firmRow(st.Plan, ref, e))
	}
	data.Total = total
	data.ExportURL = "/enterprises.xlsx?" + q.values().Encode()
	data.From, data.To, data.PrevURL, data.NextURL = pager("/enterprises", q.values(), q.Page, f.Offset, len(page), total)
	return s.pages.render(w, http.StatusOK, "enterprises", data)
}

// pager returns the rows a page of n rows at offset shows (1-based, 0 and
// 0 when empty) and the links to the pages before and after it.
func pager(path string, v url.Values, page, offset, n, total int) (from, to int, prev, next string) {
	if n > 0 {
		from, to = offset+1, offset+n
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page-1))
		prev = path + "?" + v.Encode()
	}
	if offset+n < total {
		v.Set("page", strconv.Itoa(page+1))
		next = path + "?" + v.Encode()
	}
	return from, to, prev, next
}

// enterpriseExport writes every firm the filter selects as .xlsx.
func (s *Server) enterpriseExport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	f, err := s.dirFilter(r, dirQueryOf(r))
	if err != nil {
		return err
	}
	ref := s.registry.Ref()
	return s.writeXLSX(w, r, "企业名录", []string{"统一社会信用代码", "单位详细名称", "行业代码", "行业名称", "服务领域",
		"所在镇街(园区)", "详细地址", "所在楼宇", "成立日期", "登记状态", "纳统状态", "入库时间", "退库时间", "代码待核",
		"行业待核实(原2011版小类)"},
		func(row func([]any) error) error {
			return s.registry.Export(r.Context(), userOf(r), f, func(e registry.Enterprise) error {
				fr := s.firmRow(st.Plan, ref, e)
				flag := ""
				if e.USCCFlag != "" {
					flag = "校验码待核"
				}
				return row([]any{e.USCC, e.Name, e.Industry, ref.IndustryName(e.Industry), fr.Field, fr.Unit, e.Address,
					e.Building, e.RegisteredOn, e.Status.Label(), e.Register.Label(), e.IncludedOn, e.ExitedOn, flag, e.Industry2011})
			})
		}, "export.enterprises", dirQueryOf(r).values().Encode())
}

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// writeXLSX streams an .xlsx download and records the export: a list of
// firms leaves the system, so who took it is audited.
func (s *Server) writeXLSX(w http.ResponseWriter, r *http.Request, name string, header []string,
	rows func(row func([]any) error) error, action, detail string) error {
	return s.writePrintableXLSX(w, r, name, "", header, rows, action, "enterprise", detail)
}

// writePrintableXLSX is writeXLSX for a sheet meant to be printed: with a
// title, it prints on A4 landscape (xlsx.Writer.PrintA4).
func (s *Server) writePrintableXLSX(w http.ResponseWriter, r *http.Request, name, title string, header []string,
	rows func(row func([]any) error) error, action, objectType, detail string) error {
	if err := s.audit.Record(r.Context(), s.actor(r), action, objectType, "", map[string]string{"filter": detail}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename*=UTF-8''%s`,
		url.PathEscape(name+"-"+s.now().Local().Format("20060102")+".xlsx")))
	xw, err := xlsx.NewWriter(w, name)
	if err != nil {
		return err
	}
	if title != "" {
		xw.PrintA4(title)
	}
	if err := xw.WriteHeader(header); err != nil {
		return err
	}
	if err := rows(xw.WriteRow); err != nil {
		return err
	}
	return xw.Close()
}

type detailPage struct {
	basePage
	D        *registry.Detail
	Check    *industryCheck // the class awaits confirmation
	Industry []string       // section … class, with names
	Field    string
	FieldURL string
	Unit     string
	Revenue  []revenueRow
	History  []historyRow
}

type revenueRow struct {
	Period, Source, Amount string
	Months                 int
	Version                int
	Current                bool
	EnteredBy              string
	EnteredAt              string
}

type historyRow struct {
	Version   int
	Name      string
	Industry  string
	Unit      string
	Status    string
	Register  string
	Changed   string
	UpdatedBy string
	UpdatedAt string
}

var fieldLabels = map[string]string{
	"name": "名称", "industry": "行业", "unit": "镇街", "address": "地址", "building": "楼宇", "registered_on": "成立日期",
	"status": "登记状态", "register": "纳统状态", "included_on": "入库时间", "exited_on": "退库时间", "uscc_flag": "代码核查",
	"industry_2011": "行业待核实",
}

func (s *Server) enterpriseShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	d, err := s.registry.Find(r.Context(), userOf(r), r.PathValue("uscc"))
	if err != nil {
		return err
	}
	ref := s.registry.Ref()
	data := detailPage{basePage: s.base(r, d.Name, "directory"), D: d, Field: "其他(不属十大领域)", Check: s.industryCheck(d.Enterprise)}
	for _, e := range ref.Table.Path(d.Industry) {
		data.Industry = append(data.Industry, e.Code+" "+e.Name)
	}
	if f, ok := st.Plan.FieldOfIndustry(d.Industry); ok {
		data.Field, data.FieldURL = f.Name, fieldURL(f.Code)
	}
	data.Unit = d.Unit
	if u, ok := st.Plan.Unit(d.Unit); ok {
		data.Unit = u.Name
	}
	seen := map[string]bool{}
	for _, rv := range d.Revenue {
		key := rv.Period + rv.Figure.Source.Label()
		data.Revenue = append(data.Revenue, revenueRow{Period: rv.Period, Source: rv.Figure.Source.Label(),
			Amount: rv.AmountFen.Wan(), Months: rv.Months, Version: rv.Version, Current: !seen[key],
			EnteredBy: rv.EnteredBy, EnteredAt: rv.EnteredAt.Local().Format("2006-01-02 15:04")})
		seen[key] = true
	}
	for _, v := range d.History {
		var changed []string
		for _, c := range v.Changed {
			changed = append(changed, fieldLabels[c])
		}
		unit := v.Unit
		if u, ok := st.Plan.Unit(v.Unit); ok {
			unit = u.Name
		}
		data.History = append(data.History, historyRow{Version: v.Version, Name: v.Name, Industry: v.Industry, Unit: unit,
			Status: v.Status.Label(), Register: v.Register.Label(), Changed: strings.Join(changed, "、"),
			UpdatedBy: v.UpdatedBy, UpdatedAt: v.UpdatedAt.Local().Format("2006-01-02 15:04")})
	}
	return s.pages.render(w, http.StatusOK, "enterprise", data)
}
