package web

import (
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/assess"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// 目标管理考核: the schemes, each scheme's ranking (its latest scoring run,
// or a preview of a draft), each unit's score card, and the score sheet.

type assessListPage struct {
	basePage
	Schemes   []assess.Version
	CanManage bool
	Body      string // the editor's text after a refused save
	Error     string
}

func (s *Server) assessList(w http.ResponseWriter, r *http.Request) error {
	return s.renderAssessList(w, r, http.StatusOK, "", "")
}

func (s *Server) renderAssessList(w http.ResponseWriter, r *http.Request, status int, msg, body string) error {
	u := userOf(r)
	list, err := s.assess.Schemes(r.Context(), u)
	if err != nil {
		return err
	}
	data := assessListPage{basePage: s.base(r, "目标考核", "assess"), Schemes: list, CanManage: u.Can(auth.PermAssessManage), Error: msg, Body: body}
	return s.pages.render(w, status, "assess_list", data)
}

// assessSave keeps a scheme file given in the editor as a new draft.
func (s *Server) assessSave(w http.ResponseWriter, r *http.Request) error {
	body := r.PostFormValue("body")
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		name = "考核方案.yaml"
	}
	v, err := s.assess.SaveDraft(r.Context(), s.actor(r), userOf(r), name, []byte(body))
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		if code := r.PostFormValue("code"); code != "" {
			return s.renderAssess(w, r, code, http.StatusBadRequest, apperr.Message(err), body)
		}
		return s.renderAssessList(w, r, http.StatusBadRequest, apperr.Message(err), body)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/assess/"+url.PathEscape(v.Code), http.StatusSeeOther)
	return nil
}

// assessUnitRow is a unit's line of a ranking.
type assessUnitRow struct {
	assess.RowRecord
	Name, URL string
	Lost      string // the base items it lost most points on: 服务业增加值 −1.18、…
}

type assessGroup struct {
	assess.GroupRecord
	Units []assessUnitRow
}

type assessPage struct {
	basePage
	Latest    assess.Version   // the scheme's latest version
	Published *assess.Version  // its latest published version, if any
	Versions  []assess.Version // every version, newest first
	Run       *assess.Run      // the latest scoring run, if any
	Changes   []assessChange
	Preview   bool // the groups are a preview of the latest version on today's figures
	Groups    []assessGroup
	CanManage bool
	Body      string // the editor's text
	Error     string
}

type assessChange struct {
	assess.Change
	Name, Item string
}

func (s *Server) assessShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderAssess(w, r, r.PathValue("code"), http.StatusOK, "", "")
}

func (s *Server) renderAssess(w http.ResponseWriter, r *http.Request, code string, status int, msg, body string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	vs, err := s.assess.Versions(r.Context(), u, code)
	if err != nil {
		return err
	}
	data := assessPage{basePage: s.base(r, vs[0].Name, "assess"), Latest: vs[0], Versions: vs, CanManage: u.Can(auth.PermAssessManage),
		Error: msg, Body: body}
	if data.Body == "" {
		data.Body = vs[0].Body
	}
	for i := range vs {
		if vs[i].Status == assess.Published {
			data.Published = &vs[i]
			break
		}
	}
	var rec *assess.Record
	res, err := s.assess.Latest(r.Context(), u, code)
	switch {
	case apperr.KindOf(err) == apperr.NotFound:
	case err != nil:
		return err
	default:
		data.Run, rec = res.Run, res.Run.Sheet
		for _, c := range res.Changes {
			data.Changes = append(data.Changes, assessChange{Change: c, Name: unitName(st.Plan, c.Unit), Item: itemName(rec, c.Group, c.Item)})
		}
	}
	if rec == nil || vs[0].Status == assess.Draft && data.CanManage {
		if rec, err = s.assess.Preview(r.Context(), u, code); err != nil {
			if apperr.KindOf(err) != apperr.Invalid {
				return err
			}
			data.Error = apperr.Message(err) // a draft the plan no longer fits
		}
		data.Preview = true
	}
	if rec != nil {
		data.Groups = assessGroups(st.Plan, rec)
	}
	return s.pages.render(w, status, "assess", data)
}

func assessGroups(p *plan.Plan, rec *assess.Record) []assessGroup {
	var out []assessGroup
	for _, g := range rec.Groups {
		ag := assessGroup{GroupRecord: g}
		for _, row := range g.Rows {
			ag.Units = append(ag.Units, assessUnitRow{RowRecord: row, Name: unitName(p, row.Unit), Lost: lostMost(g, row, 2),
				URL: "/assess/" + url.PathEscape(rec.Scheme) + "/units/" + url.PathEscape(row.Unit)})
		}
		out = append(out, ag)
	}
	return out
}

// lostMost names up to n base items a unit lost most points on, with
// what it lost.
func lostMost(g assess.GroupRecord, row assess.RowRecord, n int) string {
	type loss struct {
		name string
		lost *big.Rat
	}
	var ls []loss
	for i, c := range row.Cells {
		h := g.Items[i]
		pts, ok1 := plan.Number(h.Points).Rat()
		got, ok2 := plan.Number(c.Score).Rat()
		if !h.Family.Base() || !ok1 || !ok2 {
			continue
		}
		if l := new(big.Rat).Sub(pts, got); l.Sign() > 0 {
			ls = append(ls, loss{h.Name, l})
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].lost.Cmp(ls[j].lost) > 0 })
	var parts []string
	for i := 0; i < len(ls) && i < n; i++ {
		parts = append(parts, ls[i].name+" −"+ls[i].lost.FloatString(2))
	}
	return strings.Join(parts, "、")
}

func itemName(rec *assess.Record, group, item string) string {
	for _, g := range rec.Groups {
		if g.Code == group {
			for _, it := range g.Items {
				if it.Code == item {
					return it.Name
				}
			}
		}
	}
	return item
}

// assessPublish publishes the latest draft.
func (s *Server) assessPublish(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	version, err := formVersion(r)
	if err == nil {
		_, err = s.assess.Publish(r.Context(), s.actor(r), userOf(r), code, version, r.PostFormValue("reason"))
	}
	return s.afterAssess(w, r, code, err)
}

// assessScore scores the published version and keeps the sheet.
func (s *Server) assessScore(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	_, err := s.assess.ScoreRun(r.Context(), s.actor(r), userOf(r), code)
	return s.afterAssess(w, r, code, err)
}

func (s *Server) afterAssess(w http.ResponseWriter, r *http.Request, code string, err error) error {
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		return s.renderAssess(w, r, code, http.StatusBadRequest, apperr.Message(err), "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/assess/"+url.PathEscape(code), http.StatusSeeOther)
	return nil
}

type assessCardCell struct {
	assess.CellRecord
	Head    assess.ItemHead
	Entered bool // an item whose 完成值 an administrator enters here
}

type assessCardPage struct {
	basePage
	Latest    assess.Version
	Record    *assess.Record
	Group     assess.GroupRecord
	Row       assess.RowRecord
	Of        int // the group's units
	Unit      string
	Cells     []assessCardCell
	Preview   bool
	CanManage bool
	Error     string
	Errors    map[string]string
}

func (s *Server) assessCard(w http.ResponseWriter, r *http.Request) error {
	return s.renderAssessCard(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderAssessCard(w http.ResponseWriter, r *http.Request, status int, msg string, errs map[string]string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	code, unit := r.PathValue("code"), r.PathValue("unit")
	if u.Role == auth.RoleReporter && u.Unit != unit {
		return apperr.Forbiddenf("只能查看本单位的考核得分")
	}
	vs, err := s.assess.Versions(r.Context(), u, code)
	if err != nil {
		return err
	}
	data := assessCardPage{basePage: s.base(r, vs[0].Name, "assess"), Latest: vs[0], Unit: unitName(st.Plan, unit),
		CanManage: u.Can(auth.PermAssessManage), Error: msg, Errors: errs}
	res, err := s.assess.Latest(r.Context(), u, code)
	switch {
	case apperr.KindOf(err) == apperr.NotFound || err == nil && vs[0].Status == assess.Draft && data.CanManage:
		if data.Record, err = s.assess.Preview(r.Context(), u, code); err != nil {
			return err
		}
		data.Preview = true
	case err != nil:
		return err
	default:
		data.Record = res.Run.Sheet
	}
	found := false
	for _, g := range data.Record.Groups {
		for _, row := range g.Rows {
			if row.Unit == unit {
				data.Group, data.Row, data.Of, found = g, row, len(g.Rows), true
			}
		}
	}
	if !found {
		return errNotFound("该单位不是本方案的考核对象")
	}
	for i, c := range data.Row.Cells {
		h := data.Group.Items[i]
		data.Cells = append(data.Cells, assessCardCell{CellRecord: c, Head: h, Entered: h.Source == assess.FromEntered})
	}
	return s.pages.render(w, status, "assess_card", data)
}

// assessFact enters a 完成值 with its evidence.
func (s *Server) assessFact(w http.ResponseWriter, r *http.Request) error {
	code, unit := r.PathValue("code"), r.PathValue("unit")
	_, err := s.assess.EnterFact(r.Context(), s.actor(r), userOf(r), assess.Fact{Scheme: code, Group: r.PostFormValue("group"),
		Item: r.PostFormValue("item"), Unit: unit, Value: r.PostFormValue("value"), Evidence: r.PostFormValue("evidence")})
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		return s.renderAssessCard(w, r, http.StatusBadRequest, apperr.Message(err), fieldErrors(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/assess/"+url.PathEscape(code)+"/units/"+url.PathEscape(unit), http.StatusSeeOther)
	return nil
}

// assessExport writes the latest run's score sheet (or a draft's preview)
// in the columns districts use, ready to print.
func (s *Server) assessExport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	code := r.PathValue("code")
	var rec *assess.Record
	title := ""
	res, err := s.assess.Latest(r.Context(), u, code)
	switch {
	case apperr.KindOf(err) == apperr.NotFound:
		if rec, err = s.assess.Preview(r.Context(), u, code); err != nil {
			return err
		}
		title = "(预览,未正式计分)"
	case err != nil:
		return err
	default:
		rec = res.Run.Sheet
		title = fmt.Sprintf("(第%d次计分,%s)", res.Run.ID, res.Run.ScoredAt.Local().Format("2006-01-02 15:04"))
	}
	header := []string{"序号", "考核对象", "分组", "名次", "等次", "指标", "分值", "目标值", "完成值", "完成率", "得分", "加分", "扣分",
		"评分说明", "数据来源", "数据期别/版本"}
	return s.writePrintableXLSX(w, r, "考核得分"+rec.Scheme, rec.Name+title, header, func(row func([]any) error) error {
		n := 0
		for _, g := range rec.Groups {
			for _, ur := range g.Rows {
				n++
				for i, c := range ur.Cells {
					h := g.Items[i]
					vals := []any{n, unitName(st.Plan, ur.Unit), g.Name, ur.Rank, ur.Grade, h.Name, decimalCell(h.Points), decimalCell(c.Target),
						decimalCell(c.Actual), nil, nil, nil, nil, c.Why, c.Source, rec.Period + " " + c.Ref}
					if c.Rate != "" {
						vals[9] = xlsx.Percent(shiftPercent(c.Rate))
					}
					switch h.Family {
					case assess.Bonus:
						vals[11] = xlsx.Decimal(c.Score)
					case assess.Deduct:
						vals[12] = xlsx.Decimal(strings.TrimPrefix(c.Score, "-"))
					case assess.Veto:
					default:
						vals[10] = xlsx.Decimal(c.Score)
					}
					if err := row(vals); err != nil {
						return err
					}
				}
				total := "总分" + ur.Total
				if ur.Veto != "" {
					total += ";" + ur.Veto
				}
				if err := row([]any{n, unitName(st.Plan, ur.Unit), g.Name, ur.Rank, ur.Grade, "合计", decimalCell(rec.Total), nil, nil, nil,
					xlsx.Decimal(ur.Base), xlsx.Decimal(ur.Bonus), xlsx.Decimal(strings.TrimPrefix(ur.Deduct, "-")), total, "", ""}); err != nil {
					return err
				}
			}
		}
		return nil
	}, "export.assess", "assess_scheme", code)
}

// decimalCell is a number cell, or an empty one.
func decimalCell(s string) any {
	if s == "" {
		return nil
	}
	return xlsx.Decimal(s)
}

// shiftPercent turns a percent such as "92.3" into the fraction "0.923"
// an Excel percent cell holds.
func shiftPercent(pct string) string {
	r, ok := plan.Number(pct).Rat()
	if !ok {
		return "0"
	}
	return r.Quo(r, big.NewRat(100, 1)).FloatString(4)
}

// assessSchemeFile sends a scheme version's file (the latest, or
// ?version=N) as YAML, to keep or to load elsewhere.
func (s *Server) assessSchemeFile(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.assess.Versions(r.Context(), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	v := vs[0]
	if want := r.URL.Query().Get("version"); want != "" {
		found := false
		for _, x := range vs {
			if fmt.Sprint(x.Version) == want {
				v, found = x, true
			}
		}
		if !found {
			return errNotFound("方案没有第" + want + "版")
		}
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("%s-第%d版.yaml", v.Code, v.Version)))
	_, err = io.WriteString(w, v.Body)
	return err
}

// assessSchemeXLSX writes a scheme's 评分细则: its groups and items, one row
// each with every rule parameter, the sheet /assess/sheet reads back.
func (s *Server) assessSchemeXLSX(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	sc, err := s.assess.Scheme(r.Context(), userOf(r), code)
	if err != nil {
		return err
	}
	return s.writePrintableXLSX(w, r, "评分细则"+code, sc.Name+"评分细则", assess.SheetHeader, func(row func([]any) error) error {
		for _, cells := range assess.SheetRows(sc, st.Plan) {
			vals := make([]any, len(cells))
			for i, c := range cells {
				vals[i] = c
			}
			if err := row(vals); err != nil {
				return err
			}
		}
		return nil
	}, "export.assess_scheme", "assess_scheme", code)
}

// assessSheetUpload reads an uploaded 评分细则 sheet, with the scheme's
// settings from the form, into a new draft; the mistakes are listed with
// their rows and columns and nothing is saved.
func (s *Server) assessSheetUpload(w http.ResponseWriter, r *http.Request) error {
	p, form, err := s.readUpload(r)
	defer removeUpload(p)
	switch k := apperr.KindOf(err); {
	case k == apperr.Invalid:
		return s.renderAssessList(w, r, http.StatusBadRequest, "评分细则文件:"+apperr.Message(err), "")
	case err != nil:
		return err
	}
	year, _ := strconv.Atoi(form["year"])
	meta := assess.SheetMeta{Code: form["code"], Name: form["name"], Year: year, Period: form["period"], Total: form["total"],
		Ties: form["ties"], Grades: form["grades"]}
	var v *assess.Version
	var errs []table.RowError
	err = s.withUploadRows(p, func(rows xlsx.RowReader) error {
		var ierr error
		v, errs, ierr = s.assess.SaveDraftSheet(r.Context(), s.actor(r), userOf(r), meta, rows, table.File{Name: p.Name, SHA256: p.SHA256, Size: p.Size})
		return ierr
	})
	switch k := apperr.KindOf(err); {
	case k == apperr.Invalid || k == apperr.Conflict:
		return s.renderAssessList(w, r, http.StatusBadRequest, apperr.Message(err), "")
	case err != nil:
		return err
	case len(errs) > 0:
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.String())
		}
		return s.renderAssessList(w, r, http.StatusBadRequest, "评分细则有误,未保存:"+strings.Join(msgs, ";"), "")
	}
	http.Redirect(w, r, "/assess/"+url.PathEscape(v.Code), http.StatusSeeOther)
	return nil
}
