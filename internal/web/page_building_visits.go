package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/buildings"
	"svcplan/internal/money"
)

// 扫楼 visits: the form a sweep team fills in on a phone, room by room;
// the staff's confirmation, which makes the next 台账 version; the
// photos; the sweep sheet.

type visitPage struct {
	basePage
	Building *buildings.Building
	Rooms    []visitRoom
	Results  []option
	Today    string
	MaxMB    int64
	Action   string
	Date     string
	Team     string
	Note     string
	Error    string
	Errors   map[string]string
}

type visitRoom struct {
	buildings.RoomLine
	Key                    string // the room number as a form field suffix
	Result, Firm, USCC, In string // what the form sent back
	Label                  string
}

func (s *Server) buildingVisitForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderVisitForm(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderVisitForm(w http.ResponseWriter, r *http.Request, status int, msg string, errs map[string]string) error {
	u := userOf(r)
	b, rooms, err := s.buildings.Rooms(r.Context(), u, r.PathValue("code"))
	if err != nil {
		return err
	}
	data := visitPage{basePage: s.base(r, "扫楼登记 · "+b.Name, "buildings"), Building: b, Today: s.now().Format("2006-01-02"),
		MaxMB: 10, Error: msg, Errors: errs, Date: r.PostFormValue("date"), Team: r.PostFormValue("team"), Note: r.PostFormValue("note")}
	if data.Date == "" {
		data.Date = data.Today
	}
	data.Action = "/buildings/" + url.PathEscape(b.Code) + "/visits?" + url.Values{csrfField: {data.CSRF}}.Encode()
	for _, res := range buildings.Results {
		data.Results = append(data.Results, option{string(res), res.Label()})
	}
	for _, rl := range rooms {
		vr := visitRoom{RoomLine: rl, Key: rl.Number, Result: r.PostFormValue("result_" + rl.Number), Firm: r.PostFormValue("firm_" + rl.Number),
			USCC: r.PostFormValue("uscc_" + rl.Number), In: r.PostFormValue("note_" + rl.Number)}
		switch {
		case len(rl.Firms) > 0:
			vr.Label = strings.Join(rl.Firms, "、")
		case rl.Tenants > 0:
			vr.Label = fmt.Sprintf("台账登记%d家企业", rl.Tenants)
		case rl.Rentable:
			vr.Label = "台账为空置"
		default:
			vr.Label = "自用或公共区域"
		}
		data.Rooms = append(data.Rooms, vr)
	}
	return s.pages.render(w, status, "building_visit", data)
}

// buildingVisitFile files a visit from the form.
func (s *Server) buildingVisitFile(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	files, err := readEvidence(r)
	if err == nil {
		v := buildings.Visit{Building: code, Date: strings.TrimSpace(r.FormValue("date")), Team: r.FormValue("team"), Note: r.FormValue("note")}
		_, rooms, rerr := s.buildings.Rooms(r.Context(), userOf(r), code)
		if rerr != nil {
			return rerr
		}
		for _, rl := range rooms {
			res := r.FormValue("result_" + rl.Number)
			if res == "" {
				continue // not looked at
			}
			v.Findings = append(v.Findings, buildings.Finding{Room: rl.Number, Result: buildings.Result(res),
				Firm: strings.TrimSpace(r.FormValue("firm_" + rl.Number)), USCC: strings.ToUpper(strings.TrimSpace(r.FormValue("uscc_" + rl.Number))),
				Note: strings.TrimSpace(r.FormValue("note_" + rl.Number))})
		}
		_, err = s.buildings.FileVisit(r.Context(), s.actor(r), userOf(r), v, files)
	}
	switch k := apperr.KindOf(err); {
	case k == apperr.Invalid || k == apperr.Conflict:
		return s.renderVisitForm(w, r, http.StatusBadRequest, apperr.Message(err), fieldErrors(err))
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/buildings/"+url.PathEscape(code)+"#visits", http.StatusSeeOther)
	return nil
}

// buildingVisitDecide confirms or rejects a visit.
func (s *Server) buildingVisitDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound("没有这条扫楼记录")
	}
	_, err = s.buildings.DecideVisit(r.Context(), s.actor(r), userOf(r), id, r.PostFormValue("decision") == "confirm", strings.TrimSpace(r.PostFormValue("note")))
	switch k := apperr.KindOf(err); {
	case k == apperr.Invalid || k == apperr.Conflict:
		return s.renderBuilding(w, r, http.StatusBadRequest, &buildingPage{Error: apperr.Message(err), Errors: fieldErrors(err)})
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/buildings/"+url.PathEscape(r.PathValue("code"))+"#visits", http.StatusSeeOther)
	return nil
}

// buildingVisitPhoto sends a visit's file, as a download.
func (s *Server) buildingVisitPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return errNotFound("没有这个文件")
	}
	f, err := s.buildings.VisitFile(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(f.Data)
	return err
}

// buildingSweepSheet exports the sweep sheet districts use: per park or
// town and building, 空置面积 and the firms by what the 台账 and the tax
// say (counts only: no firm is named).
func (s *Server) buildingSweepSheet(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	b, err := s.buildings.Board(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	title := fmt.Sprintf("楼宇扫楼情况汇总表(%d年%s,%s)", b.Year, spanText(b.Span), s.now().Format("2006-01-02"))
	header := []string{"序号", "园区名称", "重点楼宇", "可租面积(㎡)", "空置面积(㎡)", "入驻已注册", "入驻未注册", "注册未入驻", "注册有税收", "注册无税收"}
	return s.writePrintableXLSX(w, r, "扫楼汇总", title, header, func(row func([]any) error) error {
		for i, x := range b.Rows {
			m := x.Measures
			if err := row([]any{i + 1, unitName(st.Plan, x.Building.Unit), x.Building.Name, m.Rentable.String(), m.Vacant.String(),
				m.Registered, m.Elsewhere, m.Virtual, x.RegisteredTaxed, x.RegisteredUntaxed}); err != nil {
				return err
			}
		}
		return nil
	}, "export.building_sweep", "building", "")
}

func spanText(months int) string {
	if months >= 12 || months == 0 {
		return "全年"
	}
	return fmt.Sprintf("1-%d月", months)
}

// buildingsExport exports the list as the user sees it: every building
// with its measures, tax, growth and tier (保密 where the tax would give a
// firm's away).
func (s *Server) buildingsExport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	b, err := s.buildings.Board(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	title := fmt.Sprintf("楼宇经济一览(%d年%s,%s税收,%s)", b.Year, spanText(b.Span), b.Rules.Caliber, s.now().Format("2006-01-02"))
	header := []string{"序号", "楼宇编号", "楼宇名称", "镇街(园区)", "类型", "等级", "特色主题", "总建筑面积(㎡)", "可租面积(㎡)", "入驻率(%)", "在楼企业",
		"属地注册率(%)", "税收(万元)", "上年同期(万元)", "增速(%)", "单位面积税收(元/㎡)", "层级", "距上一层级(万元)"}
	return s.writePrintableXLSX(w, r, "楼宇一览", title, header, func(row func([]any) error) error {
		for i, x := range b.Rows {
			br := buildingRowOf(st.Plan, x)
			prior := money.NoValue
			if x.Prior != nil && !x.Hidden {
				prior = x.Prior.Text(money.WanYuan, 2)
			}
			tier, gap := x.Place.Tier, br.Gap
			if x.Hidden {
				tier, gap = "保密", ""
			}
			if err := row([]any{i + 1, x.Building.Code, x.Building.Name, br.Unit, br.Kind, string(x.Building.Grade), x.Building.Theme.Name,
				x.Building.Gross.String(), x.Building.Rentable.String(), br.Occupancy, x.Measures.Firms, br.RegRate, br.Tax, prior, br.Growth, br.PerArea,
				tier, gap}); err != nil {
				return err
			}
		}
		return nil
	}, "export.buildings", "building", "")
}

type rankingPage struct {
	basePage
	Board      *buildings.Board
	By         string
	Orders     []option
	Rows       []buildingRow
	Top        string // the highest tier
	Candidates []candidateRow
}

type candidateRow struct {
	buildingRow
	Years string
}

var rankLabels = map[string]string{buildings.RankTax: "税收", buildings.RankPerArea: "单位面积税收", buildings.RankOccupancy: "入驻率",
	buildings.RankGrowth: "税收增速", buildings.RankRegistration: "属地注册率"}

// buildingsRanking ranks every building by one measure, and lists the
// buildings just below the top tier by their trend (准亿元楼 candidates).
func (s *Server) buildingsRanking(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	b, err := s.buildings.Board(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	data := rankingPage{basePage: s.base(r, "楼宇排名", "buildings"), Board: b, By: r.URL.Query().Get("by")}
	if rankLabels[data.By] == "" {
		data.By = buildings.RankTax
	}
	for _, k := range buildings.RankKeys {
		data.Orders = append(data.Orders, option{k, rankLabels[k]})
	}
	for _, row := range buildings.Rank(b.Rows, data.By) {
		data.Rows = append(data.Rows, buildingRowOf(st.Plan, row))
	}
	if len(b.Rules.Tiers) > 0 {
		data.Top = b.Rules.Tiers[0].Name
		for _, c := range buildings.Candidates(b.Rows, b.Rules, data.Top) {
			cr := candidateRow{buildingRow: buildingRowOf(st.Plan, c.Row), Years: "按当前增速难以达到"}
			if c.YearsToTier > 0 {
				cr.Years = fmt.Sprintf("约%d年", c.YearsToTier)
			}
			data.Candidates = append(data.Candidates, cr)
		}
	}
	return s.pages.render(w, http.StatusOK, "buildings_ranking", data)
}
