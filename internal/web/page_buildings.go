package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// 楼宇经济 (plan 三(一)6): the buildings with their tier counts, one
// building's page, the forms that register and change a building, and the
// uploads of a building's 台账 and of the tax bureau's file.

// buildingRow is a building's line in a list, its cells ready to show.
// It copies the row's fields the templates read rather than embedding the
// row: a template looks a promoted field up by reflection each time, and
// at fifty rows a page that was a third of the page's cost.
type buildingRow struct {
	Building             buildings.Building
	Measures             buildings.Measures
	HasSpace, Hidden     bool
	Place                buildings.Place
	URL, Unit, Kind      string
	Occupancy, RegRate   string // 入驻率, 属地注册率 (%)
	Tax, Growth, PerArea string // 万元, %, 元/㎡
	Gap                  string // 万元 to the next tier
}

type buildingsPage struct {
	basePage
	Board            *buildings.Board
	Rows             []buildingRow
	Units, Kinds     []option
	Tiers            []option
	Unit, Kind, Tier string
	TierText         string // 亿元楼≥10000万元、…
	Rentable         string // m², of the rows selected
	Occupancy        string // 入驻率 of the rows selected
	// The page of the selected rows shown (buildingsPerPage a page).
	From, To, Total  int
	PrevURL, NextURL string
	CanEdit          bool
	Error            string
	Errors           map[string]string
	Form             buildingForm
	Upload           string
	MaxBytes         int64
	Calibers         []string
	Result           *buildings.ImportResult
	File             string
}

// buildingForm is the register / change form's values.
type buildingForm struct {
	Code, Name, Address, Unit, Kind, Grade, Gross, Rentable, Floors, Basement string
	OwnerName, OwnerUSCC, OperatorName, OperatorUSCC, Keeper, Phone           string
	ThemeName, ThemeClasses, Opened, Reason                                   string
	Version                                                                   int
}

func formOf(b *buildings.Building) buildingForm {
	f := buildingForm{Code: b.Code, Name: b.Name, Address: b.Address, Unit: b.Unit, Kind: string(b.Kind), Grade: string(b.Grade),
		Gross: b.Gross.String(), Rentable: b.Rentable.String(), Floors: strconv.Itoa(b.Floors), Basement: strconv.Itoa(b.Basement),
		OwnerName: b.Owner.Name, OwnerUSCC: b.Owner.USCC, OperatorName: b.Operator.Name, OperatorUSCC: b.Operator.USCC,
		Keeper: b.Keeper, Phone: b.Phone, ThemeName: b.Theme.Name, ThemeClasses: strings.Join(b.Theme.Classes, ","), Version: b.Version}
	if b.Opened != 0 {
		f.Opened = strconv.Itoa(b.Opened)
	}
	return f
}

// building reads the form into a building; problems of numbers by field.
func (f buildingForm) building() (buildings.Building, map[string]string) {
	probs := map[string]string{}
	b := buildings.Building{Code: f.Code, Name: f.Name, Address: f.Address, Unit: f.Unit, Kind: buildings.Kind(f.Kind),
		Owner: buildings.Party{Name: f.OwnerName, USCC: f.OwnerUSCC}, Operator: buildings.Party{Name: f.OperatorName, USCC: f.OperatorUSCC},
		Keeper: f.Keeper, Phone: f.Phone, Theme: buildings.Theme{Name: f.ThemeName}, Reason: f.Reason, Version: f.Version}
	if g, ok := buildings.ParseGrade(f.Grade); ok {
		b.Grade = g
	} else {
		b.Grade = buildings.Grade(f.Grade)
	}
	var err error
	if b.Gross, err = buildings.ParseArea(f.Gross, "总建筑面积"); err != nil {
		probs["gross_area"] = err.Error()
	}
	if b.Rentable, err = buildings.ParseArea(f.Rentable, "可租面积"); err != nil {
		probs["rentable_area"] = err.Error()
	}
	atoi := func(s, field, what string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			probs[field] = what + "“" + s + "”应为整数"
		}
		return n
	}
	b.Floors, b.Basement = atoi(f.Floors, "floors", "地上层数"), atoi(f.Basement, "floors", "地下层数")
	b.Opened = atoi(f.Opened, "opened", "投用年份")
	b.Theme.Classes = strings.FieldsFunc(f.ThemeClasses, func(r rune) bool { return r == ',' || r == '\uff0c' || r == '、' || r == ' ' })
	return b, probs
}

func readBuildingForm(r *http.Request) buildingForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	version, _ := strconv.Atoi(v("version"))
	return buildingForm{Code: v("code"), Name: v("name"), Address: v("address"), Unit: v("unit"), Kind: v("kind"), Grade: v("grade"),
		Gross: v("gross_area"), Rentable: v("rentable_area"), Floors: v("floors"), Basement: v("basement"), OwnerName: v("owner_name"),
		OwnerUSCC: v("owner_uscc"), OperatorName: v("operator_name"), OperatorUSCC: v("operator_uscc"), Keeper: v("keeper"),
		Phone: v("keeper_phone"), ThemeName: v("theme_name"), ThemeClasses: v("theme_classes"), Opened: v("opened"),
		Reason: v("reason"), Version: version}
}

// buildingsPerPage is how many buildings the list shows a page.
const buildingsPerPage = 50

func (s *Server) buildingsList(w http.ResponseWriter, r *http.Request) error {
	return s.renderBuildings(w, r, http.StatusOK, nil)
}

// renderBuildings shows the list; data, when given, carries a form's
// values and problems back.
func (s *Server) renderBuildings(w http.ResponseWriter, r *http.Request, status int, data *buildingsPage) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	b, err := s.buildings.Board(r.Context(), u)
	if err != nil {
		return err
	}
	if data == nil {
		data = &buildingsPage{Form: buildingForm{Kind: string(buildings.KindOffice), Unit: u.Unit}}
	}
	data.basePage = s.base(r, "楼宇经济", "buildings")
	q := r.URL.Query()
	data.Board, data.Unit, data.Kind, data.Tier = b, q.Get("unit"), q.Get("kind"), q.Get("tier")
	data.CanEdit = u.Can(auth.PermBuildingEdit)
	data.Upload = "/buildings/tax?" + url.Values{csrfField: {data.CSRF}}.Encode()
	data.MaxBytes = maxUploadBytes >> 20
	data.Calibers = []string{string(buildings.CaliberFull), string(buildings.CaliberLocal), string(buildings.CaliberDistrict)}
	for _, un := range st.Plan.Units {
		if un.Kind != plan.KindDistrict && un.Kind != plan.KindDepartment {
			data.Units = append(data.Units, option{un.Code, un.Name})
		}
	}
	for _, k := range buildings.Kinds {
		data.Kinds = append(data.Kinds, option{string(k), k.Label()})
	}
	var tiers []string
	for _, t := range b.Rules.Tiers {
		data.Tiers = append(data.Tiers, option{t.Name, t.Name})
		tiers = append(tiers, t.Name+"≥"+t.Min.Text(money.WanYuan, 0)+"万元")
	}
	data.TierText = strings.Join(tiers, "、")
	var rentable, occupied buildings.Area
	var selected []buildings.Row
	for _, row := range b.Rows {
		if data.Unit != "" && row.Building.Unit != data.Unit || data.Kind != "" && string(row.Building.Kind) != data.Kind ||
			data.Tier != "" && row.Place.Tier != data.Tier {
			continue
		}
		rentable += row.Measures.Rentable
		occupied += row.Measures.Occupied
		selected = append(selected, row)
	}
	sort.SliceStable(selected, func(i, j int) bool { return selected[i].Tax > selected[j].Tax })
	page := min(pageNumber(q), max(1, (len(selected)+buildingsPerPage-1)/buildingsPerPage))
	offset := (page - 1) * buildingsPerPage
	for _, row := range selected[offset:min(len(selected), offset+buildingsPerPage)] {
		data.Rows = append(data.Rows, buildingRowOf(st.Plan, row))
	}
	v := url.Values{}
	for k, x := range map[string]string{"unit": data.Unit, "kind": data.Kind, "tier": data.Tier} {
		if x != "" {
			v.Set(k, x)
		}
	}
	data.Total = len(selected)
	data.From, data.To, data.PrevURL, data.NextURL = pager("/buildings", v, page, offset, len(data.Rows), len(selected))
	data.Rentable = rentable.String()
	if rentable > 0 {
		data.Occupancy = money.Percent(big.NewRat(int64(occupied), int64(rentable)), 1)
	}
	return s.pages.render(w, status, "buildings", data)
}

func buildingRowOf(p *plan.Plan, row buildings.Row) buildingRow {
	out := buildingRow{Building: row.Building, Measures: row.Measures, HasSpace: row.HasSpace, Hidden: row.Hidden, Place: row.Place, URL: "/buildings/" + url.PathEscape(row.Building.Code), Unit: unitName(p, row.Building.Unit),
		Kind: row.Building.Kind.Label(), Occupancy: money.Percent(row.Measures.Occupancy, 1),
		RegRate: money.Percent(row.Measures.RegistrationRate(), 1), Growth: row.Growth(), PerArea: row.PerArea(), Tax: money.NoValue}
	switch {
	case row.Hidden:
		out.Tax = "保密"
	case row.HasTax:
		out.Tax = row.Tax.Text(money.WanYuan, 2)
	}
	if row.Place.Next != "" && !row.Hidden {
		out.Gap = row.Place.Gap.Text(money.WanYuan, 2)
	}
	return out
}

// buildingCreate registers a building from the list's form.
func (s *Server) buildingCreate(w http.ResponseWriter, r *http.Request) error {
	f := readBuildingForm(r)
	f.Version = 0
	b, probs := f.building()
	if len(probs) == 0 {
		saved, err := s.buildings.SaveBuilding(r.Context(), s.actor(r), userOf(r), b)
		if err == nil {
			http.Redirect(w, r, "/buildings/"+url.PathEscape(saved.Code), http.StatusSeeOther)
			return nil
		}
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.renderBuildings(w, r, http.StatusBadRequest, &buildingsPage{Form: f, Error: apperr.Message(err), Errors: fieldErrors(err)})
	}
	return s.renderBuildings(w, r, http.StatusBadRequest, &buildingsPage{Form: f, Error: "楼宇信息有误,未保存", Errors: probs})
}

type buildingPage struct {
	basePage
	D        *buildings.Detail
	Row      buildingRow
	Unit     string
	Grade    string
	Theme    string
	Measures []fact
	Floors   []buildings.FloorLine
	Tenants  []tenantRow
	Versions []buildings.Building
	Chart    *chartSpec
	Months   []monthRow
	CanEdit  bool
	CanVisit bool
	Visits   []buildings.Visit
	Form     buildingForm
	Units    []option
	Kinds    []option
	Upload   string
	MaxBytes int64
	Result   *buildings.ImportResult
	File     string
	Error    string
	Errors   map[string]string
}

type fact struct{ Label, Value, Note string }

type tenantRow struct {
	buildings.Occupancy
	Floor      int
	URL, State string
}

type monthRow struct {
	Month      int
	Cur, Prior string
}

func (s *Server) buildingShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderBuilding(w, r, http.StatusOK, nil)
}

func (s *Server) renderBuilding(w http.ResponseWriter, r *http.Request, status int, data *buildingPage) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	d, err := s.buildings.Find(r.Context(), u, r.PathValue("code"))
	if err != nil {
		return err
	}
	if data == nil {
		data = &buildingPage{}
	}
	if data.Form.Code == "" { // not a form sent back with its problems
		data.Form = formOf(&d.Building)
	}
	b := d.Building
	data.basePage = s.base(r, b.Name, "buildings")
	data.D, data.Row, data.Unit, data.Versions, data.Floors = d, buildingRowOf(st.Plan, d.Row), unitName(st.Plan, b.Unit), d.Versions, d.Floors
	data.Grade = string(b.Grade)
	if data.Grade == "" {
		data.Grade = "未评级"
	}
	if b.Theme.Name != "" {
		data.Theme = b.Theme.Name + "(" + strings.Join(b.Theme.Classes, "、") + ")"
	}
	data.CanEdit = u.Can(auth.PermBuildingEdit) && u.InScope(b.Unit)
	data.CanVisit = (data.CanEdit || u.Can(auth.PermProgressWrite) && u.InScope(b.Unit)) && len(d.Floors) > 0
	if data.Visits, err = s.buildings.Visits(r.Context(), u, b.Code); err != nil {
		return err
	}
	data.Upload = "/buildings/" + url.PathEscape(b.Code) + "/space?" + url.Values{csrfField: {data.CSRF}}.Encode()
	data.MaxBytes = maxUploadBytes >> 20
	for _, un := range st.Plan.Units {
		if un.Kind != plan.KindDistrict && un.Kind != plan.KindDepartment {
			data.Units = append(data.Units, option{un.Code, un.Name})
		}
	}
	for _, k := range buildings.Kinds {
		data.Kinds = append(data.Kinds, option{string(k), k.Label()})
	}
	m := d.Measures
	data.Measures = []fact{
		{"入驻率", data.Row.Occupancy + "%", fmt.Sprintf("已入驻%s㎡ / 可租%s㎡", m.Occupied, m.Rentable)},
		{"空置面积", m.Vacant.String() + "㎡", ""},
		{"在楼企业", fmt.Sprintf("%d家", m.Firms), fmt.Sprintf("其中注册在楼%d家,注册在外(税收不落地)%d家", m.Registered, m.Elsewhere)},
		{"属地注册率", data.Row.RegRate + "%", fmt.Sprintf("注册在楼但不在楼办公(虚拟注册)%d家", m.Virtual)},
	}
	if c := m.Theme; c != nil {
		note := "按企业数;按使用面积" + money.Percent(c.Area, 1) + "%"
		if c.Revenue != nil {
			note += ",按营业收入" + money.Percent(c.Revenue, 1) + "%"
		}
		data.Measures = append(data.Measures, fact{"主导产业集聚度", money.Percent(c.Firms, 1) + "%", note})
	}
	if d.Space != nil {
		floorOf := map[string]int{}
		for _, room := range d.Space.Rooms {
			floorOf[room.Number] = room.Floor
		}
		day := s.now().Format("2006-01-02")
		for _, o := range d.Space.Occupancies {
			t := tenantRow{Occupancy: o, Floor: floorOf[o.Room]}
			if o.USCC != "" {
				t.URL = "/enterprises/" + o.USCC
			}
			switch {
			case !o.Current(day):
				t.State = "已迁出"
			case o.Present && o.Registered:
				t.State = "注册在楼"
			case o.Present:
				t.State = "注册在外"
			default:
				t.State = "虚拟注册"
			}
			data.Tenants = append(data.Tenants, t)
		}
	}
	for _, mt := range d.Months {
		row := monthRow{Month: mt.Month, Cur: money.NoValue, Prior: money.NoValue}
		if mt.Cur != nil {
			row.Cur = mt.Cur.Text(money.WanYuan, 2)
		}
		if mt.Prior != nil {
			row.Prior = mt.Prior.Text(money.WanYuan, 2)
		}
		data.Months = append(data.Months, row)
	}
	data.Chart = taxChart(d)
	return s.pages.render(w, status, "building", data)
}

// taxChart draws a building's tax month by month, this year against last.
func taxChart(d *buildings.Detail) *chartSpec {
	if len(d.Months) == 0 {
		return nil
	}
	cats := make([]string, 12)
	cur, prior := make([]json.RawMessage, 12), make([]json.RawMessage, 12)
	for m := range 12 {
		cats[m], cur[m], prior[m] = strconv.Itoa(m+1)+"月", json.RawMessage("null"), json.RawMessage("null")
	}
	for _, mt := range d.Months {
		if mt.Cur != nil {
			cur[mt.Month-1] = json.RawMessage(mt.Cur.Text(money.WanYuan, 2))
		}
		if mt.Prior != nil {
			prior[mt.Month-1] = json.RawMessage(mt.Prior.Text(money.WanYuan, 2))
		}
	}
	spec := map[string]any{"type": "bar", "unit": "万元", "title": fmt.Sprintf("%d年逐月税收(%s)", d.Year, d.Row.Place.Tier), "categories": cats,
		"series": []map[string]any{{"name": fmt.Sprintf("%d年", d.Year-1), "data": prior}, {"name": fmt.Sprintf("%d年", d.Year), "data": cur}},
		"height": 240}
	b, _ := json.Marshal(spec)
	return &chartSpec{ID: "chart-tax", JSON: template.JS(b)}
}

// buildingUpdate changes a building from its page's form.
func (s *Server) buildingUpdate(w http.ResponseWriter, r *http.Request) error {
	f := readBuildingForm(r)
	f.Code = r.PathValue("code")
	b, probs := f.building()
	if len(probs) == 0 {
		_, err := s.buildings.SaveBuilding(r.Context(), s.actor(r), userOf(r), b)
		if err == nil {
			http.Redirect(w, r, "/buildings/"+url.PathEscape(f.Code), http.StatusSeeOther)
			return nil
		}
		if k := apperr.KindOf(err); k != apperr.Invalid && k != apperr.Conflict {
			return err
		}
		return s.renderBuilding(w, r, http.StatusBadRequest, &buildingPage{Form: f, Error: apperr.Message(err), Errors: fieldErrors(err)})
	}
	return s.renderBuilding(w, r, http.StatusBadRequest, &buildingPage{Form: f, Error: "楼宇信息有误,未保存", Errors: probs})
}

// buildingSpaceUpload imports a building's 台账.
func (s *Server) buildingSpaceUpload(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	p, _, err := s.readUpload(r)
	defer removeUpload(p)
	var res *buildings.ImportResult
	if err == nil {
		err = s.withUploadRows(p, func(rows xlsx.RowReader) error {
			var ierr error
			res, ierr = s.buildings.ImportSpace(r.Context(), s.actor(r), userOf(r), code, rows, table.File{Name: p.Name, SHA256: p.SHA256, Size: p.Size})
			return ierr
		})
	}
	data := &buildingPage{Result: res, File: p.Name}
	switch k := apperr.KindOf(err); {
	case k == apperr.Invalid || k == apperr.Conflict:
		data.Error = apperr.Message(err)
		return s.renderBuilding(w, r, http.StatusBadRequest, data)
	case err != nil:
		return err
	case len(res.Errors) > 0:
		return s.renderBuilding(w, r, http.StatusBadRequest, data)
	}
	return s.renderBuilding(w, r, http.StatusOK, data)
}

// buildingTaxUpload imports the tax bureau's file.
func (s *Server) buildingTaxUpload(w http.ResponseWriter, r *http.Request) error {
	p, form, err := s.readUpload(r)
	defer removeUpload(p)
	var res *buildings.ImportResult
	if err == nil {
		err = s.withUploadRows(p, func(rows xlsx.RowReader) error {
			var ierr error
			res, ierr = s.buildings.ImportTax(r.Context(), s.actor(r), userOf(r), rows, table.File{Name: p.Name, SHA256: p.SHA256, Size: p.Size},
				buildings.Caliber(form["caliber"]))
			return ierr
		})
	}
	data := &buildingsPage{Result: res, File: p.Name, Form: buildingForm{Kind: string(buildings.KindOffice)}}
	switch k := apperr.KindOf(err); {
	case k == apperr.Invalid || k == apperr.Conflict:
		data.Error = apperr.Message(err)
		return s.renderBuildings(w, r, http.StatusBadRequest, data)
	case err != nil:
		return err
	case len(res.Errors) > 0:
		return s.renderBuildings(w, r, http.StatusBadRequest, data)
	}
	return s.renderBuildings(w, r, http.StatusOK, data)
}
