package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
)

// eventRow is a stage of a project as its timeline shows it.
type eventRow struct {
	Seq                      int
	Stage, On, Evidence      string
	Attachment, Reason, By   string
	Certified                bool
	CertOn, CertBody, CertBy string
	Counts                   string // for a counted stage: the year it counts in, or why it does not
	Countable                bool   // a stage the targets count, so one to certify
}

type projectPage struct {
	basePage
	P               *projects.Project
	Row             projectRow
	Units           []string // responsible units, with their role
	Currency        string   // the foreign amount, when stated in one
	Plans           []struct{ Year, Amount string }
	Events          []eventRow
	History         []historyLine
	CanEdit         bool
	Flags           []projects.Flag
	Problems        []problemRow
	Owners          []option // units a problem may be put to
	ProblemStatuses []option
	CanFile         bool   // may file the project's monthly figures
	Period          string // the month a filing is for by default
	Progress        []progressRow
	Chart           *chartSpec // the year's investment against its plan
	ChartYear       int
	Stages          []option
	Today           string
	Error           string
	Errors          map[string]string
}

// problemRow is a problem as the project page shows it.
type problemRow struct {
	projects.Problem
	Owner, Status string
	CanUpdate     bool
}

// problemRaise records a problem of the project.
func (s *Server) problemRaise(w http.ResponseWriter, r *http.Request) error {
	pr := projects.Problem{Text: r.PostFormValue("text"), Owner: r.PostFormValue("owner"), Deadline: strings.TrimSpace(r.PostFormValue("deadline"))}
	_, err := s.projects.RaiseProblem(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), pr)
	return s.afterEdit(w, r, err)
}

// problemUpdate changes a problem's status and note.
func (s *Server) problemUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound("没有这个问题")
	}
	version, err := formVersion(r)
	if err == nil {
		_, err = s.projects.UpdateProblem(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), id, version,
			projects.ProblemStatus(r.PostFormValue("status")), r.PostFormValue("note"))
	}
	return s.afterEdit(w, r, err)
}

// progressRow is a version of a month's figures on the project page.
type progressRow struct {
	Period                                string
	Version                               int
	YTD, SinceStart, Image, InFAI, Status string
	Reason, By, At                        string
	Current                               bool
	FAI                                   string // the bureau's figure of the month, beside the current version
	FAISource                             string
}

type historyLine struct {
	Version         int
	Changed, By, At string
}

var projectFieldLabels = map[string]string{"name": "名称", "builder": "建设单位", "field": "领域", "unit": "所在镇街(园区)",
	"units": "责任单位", "leader": "挂钩领导", "level": "级别", "investment": "计划总投资", "plans": "年度计划投资",
	"planned_dates": "计划开竣工日期", "events": "阶段与认定"}

func (s *Server) projectShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderProject(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, status int, msg string, errs map[string]string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	d, err := s.projects.Detail(r.Context(), u, r.PathValue("code"))
	if err != nil {
		return err
	}
	pr, hist := d.Project, d.History
	p := st.Plan
	data := projectPage{basePage: s.base(r, pr.Name, "projects"), P: pr, Row: projectRowOf(p, pr), CanEdit: u.Can(auth.PermProjectEdit),
		Today: s.now().Format(time.DateOnly), Error: msg, Errors: errs}
	for _, ur := range pr.Units {
		role := "牵头"
		if ur.Role == projects.RoleCo {
			role = "配合"
		}
		data.Units = append(data.Units, unitName(p, ur.Unit)+"("+role+")")
	}
	if inv := pr.Investment; inv.Foreign() {
		data.Currency = money.Fen(inv.ForeignMinor).Text(money.WanYuan, 2) + "万" + inv.Currency + "(" + inv.Conversion + ")"
	}
	for _, y := range pr.Plans {
		data.Plans = append(data.Plans, struct{ Year, Amount string }{strconv.Itoa(y.Year), y.Fen.Wan()})
	}
	rules := s.projects.Rules()
	for i, e := range pr.Events {
		row := eventRow{Seq: i + 1, Stage: e.Stage.Label(), On: e.On, Evidence: e.Evidence, Attachment: e.Attachment,
			Reason: e.Reason, By: e.By}
		if c := e.Certified; c != nil {
			row.Certified, row.CertOn, row.CertBody, row.CertBy = true, c.On, c.Body, c.By
		}
		for _, counted := range projects.Counted {
			if counted != e.Stage {
				continue
			}
			row.Countable = true
			if year, _, why := rules.Why(pr, e.Stage); why != "" {
				row.Counts = "不计入目标:" + why
			} else {
				row.Counts = "计入" + strconv.Itoa(year) + "年" + e.Stage.Label() + "项目数"
			}
		}
		data.Events = append(data.Events, row)
	}
	for _, v := range hist {
		var changed []string
		for _, c := range v.Changed {
			changed = append(changed, projectFieldLabels[c])
		}
		data.History = append(data.History, historyLine{Version: v.Version, Changed: strings.Join(changed, "、"),
			By: v.SupersededBy, At: v.SupersededAt.Local().Format("2006-01-02 15:04")})
	}
	for _, stage := range projects.Stages {
		data.Stages = append(data.Stages, option{string(stage), stage.Label()})
	}
	data.CanFile, data.Period = u.Can(auth.PermProgressWrite), s.defaultPeriod()
	data.Flags = d.Flags
	canAct := u.Can(auth.PermProgressWrite) || u.Can(auth.PermProjectEdit)
	for _, pb := range d.Problems {
		data.Problems = append(data.Problems, problemRow{Problem: pb, Owner: unitName(p, pb.Owner), Status: pb.Status.Label(),
			CanUpdate: canAct && pb.Status != projects.ProblemSolved})
	}
	for _, un := range p.Units {
		if un.Kind != plan.KindDistrict {
			data.Owners = append(data.Owners, option{un.Code, un.Name})
		}
	}
	for _, st := range []projects.ProblemStatus{projects.ProblemPending, projects.ProblemWorking, projects.ProblemSolved} {
		data.ProblemStatuses = append(data.ProblemStatuses, option{string(st), st.Label()})
	}
	bureau := map[string]projects.FAI{} // each month's latest version
	for _, f := range d.FAI {
		if _, ok := bureau[f.Period]; !ok {
			bureau[f.Period] = f
		}
	}
	seen := map[string]bool{}
	for _, pg := range d.Progress {
		row := progressRow{Period: periodLabel(pg.Period), Version: pg.Version, YTD: pg.YTDFen.Wan(), SinceStart: pg.SinceStartFen.Wan(),
			Image: pg.Image, Status: pg.Status.Label(), Reason: pg.Reason, By: pg.EnteredBy,
			At: pg.EnteredAt.Local().Format("2006-01-02 15:04"), Current: !seen[pg.Period]}
		if pg.InFAI {
			row.InFAI = "已入库(" + pg.FAIMonth + ")"
		}
		if f, ok := bureau[pg.Period]; ok && row.Current {
			row.FAI = f.YTDFen.Wan()
			row.FAISource = fmt.Sprintf("来源:%s第%d行,%s %s导入(第%d版)", f.SourceFile, f.SourceRow, f.ImportedBy,
				f.ImportedAt.Local().Format("2006-01-02"), f.Version)
		}
		seen[pg.Period] = true
		data.Progress = append(data.Progress, row)
	}
	data.ChartYear = s.now().Year()
	if len(d.Progress) > 0 {
		data.ChartYear, _ = strconv.Atoi(d.Progress[0].Period[:4])
	}
	data.Chart = investmentChart(pr, d.Progress, bureau, data.ChartYear)
	return s.pages.render(w, status, "project", data)
}

// investmentChart draws a year's investment month by month: the year
// plan's 序时进度, what the units filed (each month's latest version) and
// the statistics bureau's figure; nil when the year has no plan and no
// figure.
func investmentChart(p *projects.Project, filed []projects.Progress, bureau map[string]projects.FAI, year int) *chartSpec {
	var plan money.Fen
	for _, y := range p.Plans {
		if y.Year == year {
			plan = y.Fen
		}
	}
	cats := make([]string, 12)
	pace, own, fai := make([]json.RawMessage, 12), make([]json.RawMessage, 12), make([]json.RawMessage, 12)
	drawn := plan > 0
	for m := 1; m <= 12; m++ {
		i, period := m-1, fmt.Sprintf("%d-%02d", year, m)
		cats[i] = strconv.Itoa(m) + "月"
		pace[i], own[i], fai[i] = json.RawMessage("null"), json.RawMessage("null"), json.RawMessage("null")
		if plan > 0 {
			pace[i] = json.RawMessage((plan * money.Fen(m) / 12).Wan())
		}
		if f, ok := bureau[period]; ok {
			fai[i], drawn = json.RawMessage(f.YTDFen.Wan()), true
		}
	}
	for _, pg := range filed { // each month's latest version first
		if pg.Period[:4] == strconv.Itoa(year) {
			if m, err := strconv.Atoi(pg.Period[5:]); err == nil && m >= 1 && m <= 12 && string(own[m-1]) == "null" {
				own[m-1], drawn = json.RawMessage(pg.YTDFen.Wan()), true
			}
		}
	}
	if !drawn {
		return nil
	}
	spec := map[string]any{"type": "line", "unit": "万元", "title": fmt.Sprintf("%d年完成投资", year), "categories": cats,
		"series": []map[string]any{{"name": "计划序时进度", "data": pace}, {"name": "自报完成投资", "data": own},
			{"name": "统计局固定资产投资", "data": fai}}, "height": 260}
	b, _ := json.Marshal(spec)
	return &chartSpec{ID: "chart-investment", JSON: template.JS(b)}
}

// formVersion reads the version a form was filled on.
func formVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return 0, apperr.Invalidf("缺少项目版本号,请刷新页面后重试")
	}
	return v, nil
}

// afterEdit shows the project again: with the form's message when the
// input was wrong or stale, else by redirect.
func (s *Server) afterEdit(w http.ResponseWriter, r *http.Request, err error) error {
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		status := http.StatusBadRequest
		if k == apperr.Conflict {
			status = http.StatusConflict
		}
		return s.renderProject(w, r, status, apperr.Message(err), fieldErrors(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/"+url.PathEscape(r.PathValue("code")), http.StatusSeeOther)
	return nil
}

// projectEvent records a stage the project reached.
func (s *Server) projectEvent(w http.ResponseWriter, r *http.Request) error {
	version, err := formVersion(r)
	if err == nil {
		e := projects.Event{Stage: projects.Stage(r.PostFormValue("stage")), On: strings.TrimSpace(r.PostFormValue("on")),
			Evidence: strings.TrimSpace(r.PostFormValue("evidence")), Attachment: strings.TrimSpace(r.PostFormValue("attachment")),
			Reason: strings.TrimSpace(r.PostFormValue("reason"))}
		_, err = s.projects.AddEvent(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), version, e)
	}
	return s.afterEdit(w, r, err)
}

// projectCertify records the certification of one of its stages.
func (s *Server) projectCertify(w http.ResponseWriter, r *http.Request) error {
	version, err := formVersion(r)
	if err == nil {
		seq, convErr := strconv.Atoi(r.PathValue("seq"))
		if convErr != nil {
			return errNotFound("没有这条阶段记录")
		}
		c := projects.Certification{On: strings.TrimSpace(r.PostFormValue("on")), Body: strings.TrimSpace(r.PostFormValue("body"))}
		_, err = s.projects.Certify(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), version, seq, c)
	}
	return s.afterEdit(w, r, err)
}

// projectForm is the form that enters or edits a project.
type projectForm struct {
	basePage
	New     bool
	F       projectInput
	Version int
	Error   string
	Errors  map[string]string
	Fields  []option
	Places  []option
	Units   []option
	Levels  []option
	Years   []int // the rows of yearly planned investment
}

// projectInput is the form's text, as typed.
type projectInput struct {
	Code, Name, Builder, BuilderUSCC, Field, Place, Lead, Co, Leader string
	Level, LevelList, LevelYear                                      string
	TotalWan, Currency, ForeignWan, Conversion                       string
	PlannedStart, PlannedEnd                                         string
	Plans                                                            map[int]string // year → 万元
}

func (s *Server) projectFormPage(r *http.Request, p *plan.Plan, title string) projectForm {
	data := projectForm{basePage: s.base(r, title, "projects")}
	var opts projectsPage
	s.projectOptions(p, &opts)
	data.Fields, data.Places, data.Units, data.Levels = opts.Fields, opts.Places, opts.Units, opts.Levels
	for y := p.Meta.StartYear - 1; y <= p.Meta.EndYear; y++ {
		data.Years = append(data.Years, y)
	}
	return data
}

func inputOf(pr *projects.Project) projectInput {
	in := projectInput{Code: pr.Code, Name: pr.Name, Builder: pr.Builder, BuilderUSCC: pr.BuilderUSCC, Field: pr.Field,
		Place: pr.Unit, Lead: pr.Lead(), Leader: pr.Leader, Level: string(pr.Level), LevelList: pr.LevelList,
		TotalWan: pr.Investment.TotalFen.Wan(), Currency: pr.Investment.Currency, Conversion: pr.Investment.Conversion,
		PlannedStart: pr.PlannedStart, PlannedEnd: pr.PlannedEnd, Plans: map[int]string{}}
	if pr.LevelYear != 0 {
		in.LevelYear = strconv.Itoa(pr.LevelYear)
	}
	if pr.Investment.Foreign() {
		in.ForeignWan = money.Fen(pr.Investment.ForeignMinor).Exact(money.WanYuan)
	}
	var co []string
	for _, u := range pr.Units {
		if u.Role == projects.RoleCo {
			co = append(co, u.Unit)
		}
	}
	in.Co = strings.Join(co, ",")
	for _, y := range pr.Plans {
		in.Plans[y.Year] = y.Fen.Wan()
	}
	return in
}

func projectInputOf(r *http.Request) projectInput {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := projectInput{Code: v("code"), Name: v("name"), Builder: v("builder"), BuilderUSCC: strings.ToUpper(v("builder_uscc")),
		Field: v("field"), Place: v("unit"), Lead: v("lead"), Co: strings.Join(r.PostForm["co"], ","), Leader: v("leader"),
		Level: v("level"), LevelList: v("level_list"), LevelYear: v("level_year"), TotalWan: v("total_wan"),
		Currency: v("currency"), ForeignWan: v("foreign_wan"), Conversion: v("conversion"),
		PlannedStart: v("planned_start"), PlannedEnd: v("planned_end"), Plans: map[int]string{}}
	for k := range r.PostForm {
		y, err := strconv.Atoi(strings.TrimPrefix(k, "plan_"))
		if a := v(k); strings.HasPrefix(k, "plan_") && err == nil && a != "" {
			in.Plans[y] = a
		}
	}
	return in
}

// planYears are the form's rows of yearly planned investment: the plan's
// years and any other year the project has a figure for.
func (data *projectForm) planYears() {
	for y := range data.F.Plans {
		if !slices.Contains(data.Years, y) {
			data.Years = append(data.Years, y)
		}
	}
	slices.Sort(data.Years)
}

// project turns the form into a project, or field errors.
func (in projectInput) project() (projects.Project, map[string]string) {
	errs := map[string]string{}
	p := projects.Project{Code: in.Code, Name: in.Name, Builder: in.Builder, BuilderUSCC: in.BuilderUSCC, Field: in.Field,
		Unit: in.Place, Leader: in.Leader, Level: projects.Level(in.Level), LevelList: in.LevelList,
		PlannedStart: in.PlannedStart, PlannedEnd: in.PlannedEnd}
	if in.Lead != "" {
		p.Units = append(p.Units, projects.UnitRole{Unit: in.Lead, Role: projects.RoleLead})
	}
	for _, c := range strings.Split(in.Co, ",") {
		if c != "" && c != in.Lead {
			p.Units = append(p.Units, projects.UnitRole{Unit: c, Role: projects.RoleCo})
		}
	}
	if in.LevelYear != "" {
		y, err := strconv.Atoi(in.LevelYear)
		if err != nil {
			errs["level_year"] = "列入清单年份应为4位年份"
		}
		p.LevelYear = y
	}
	total, err := money.ParseAmount(in.TotalWan, money.WanYuan, "计划总投资")
	if err != nil {
		errs["investment.total_fen"] = apperr.Message(err)
	}
	p.Investment = projects.Investment{TotalFen: total, Currency: projects.CNY}
	if in.Currency != "" && in.Currency != projects.CNY {
		p.Investment.Currency, p.Investment.Conversion = in.Currency, in.Conversion
		if in.ForeignWan != "" {
			minor, err := money.ParseAmount(in.ForeignWan, money.WanYuan, "外币计划总投资")
			if err != nil {
				errs["investment.foreign_minor"] = apperr.Message(err)
			}
			p.Investment.ForeignMinor = int64(minor)
		}
	}
	for y, a := range in.Plans {
		fen, err := money.ParseAmount(a, money.WanYuan, strconv.Itoa(y)+"年计划投资")
		if err != nil {
			errs["plans"] = apperr.Message(err)
			continue
		}
		p.Plans = append(p.Plans, projects.YearPlan{Year: y, Fen: fen})
	}
	return p, errs
}

func (s *Server) projectNewForm(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	data := s.projectFormPage(r, st.Plan, "登记项目")
	data.New, data.F.Currency, data.F.Plans = true, projects.CNY, map[int]string{}
	return s.pages.render(w, http.StatusOK, "project_form", data)
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	data := s.projectFormPage(r, st.Plan, "登记项目")
	data.New, data.F = true, projectInputOf(r)
	data.planYears()
	return s.saveProjectForm(w, r, data, func(p projects.Project) (string, error) {
		_, err := s.projects.Create(r.Context(), s.actor(r), userOf(r), p)
		return p.Code, err
	})
}

// saveProjectForm saves a project form with save and shows the project,
// or the form again with what is wrong.
func (s *Server) saveProjectForm(w http.ResponseWriter, r *http.Request, data projectForm,
	save func(projects.Project) (string, error)) error {
	p, errs := data.F.project()
	var code string
	var err error
	if len(errs) == 0 {
		code, err = save(p)
		errs = fieldErrors(err)
	}
	if k := apperr.KindOf(err); len(errs) > 0 || k == apperr.Invalid || k == apperr.Conflict {
		data.Errors, data.Error = errs, "请改正标出的内容"
		if err != nil {
			data.Error = apperr.Message(err)
		}
		return s.pages.render(w, http.StatusBadRequest, "project_form", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/"+url.PathEscape(code), http.StatusSeeOther)
	return nil
}

func (s *Server) projectEditForm(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	pr, err := s.projects.Find(r.Context(), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	data := s.projectFormPage(r, st.Plan, "修改项目 "+pr.Code)
	data.F, data.Version = inputOf(pr), pr.Version
	data.planYears()
	return s.pages.render(w, http.StatusOK, "project_form", data)
}

func (s *Server) projectUpdate(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	data := s.projectFormPage(r, st.Plan, "修改项目 "+code)
	data.F = projectInputOf(r)
	data.F.Code = code
	data.planYears()
	data.Version, err = formVersion(r)
	if err != nil {
		return err
	}
	return s.saveProjectForm(w, r, data, func(p projects.Project) (string, error) {
		_, err := s.projects.Update(r.Context(), s.actor(r), userOf(r), code, data.Version, p)
		return code, err
	})
}
