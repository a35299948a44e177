package web

import (
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/dashboard"
	"svcplan/internal/industry"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
	"svcplan/internal/projects"
	"svcplan/internal/reports"
	"svcplan/internal/supervise"
	"svcplan/internal/xlsx"
)

// The leaders' dashboard (驾驶舱): every target with its light, then the
// above-size service revenue by field, town and industry, drilled down to
// firms for those who may see them.

type dashboardPage struct {
	basePage
	Board     *dashboard.Board
	A         *dashboard.Analysis
	Attention []dashboard.Target
	// Projects are the ledger's worst warnings in the user's scope (for
	// those who may read progress), Flagged how many projects have one.
	Projects            []projectFlag
	Flagged, FlaggedRed int
	// Attraction is the departments' 招引入库 of the year (五(四)).
	Attraction *projects.AttractionSummary
	Crumbs     []crumb
	Charts     []chartSpec
	CanRelease bool
	Released   string // flash after a release
	Export     string
	Demo       bool
	// Body is the page below its title, rendered once for each state of
	// the data and kind of reader (see fragments).
	Body template.HTML
}

// fragments keeps rendered parts of pages whose content is the same for
// many readers: the dashboard's body depends on the data and on what
// kind of user reads it, not on who, and rendering it is most of the
// page's cost. Entries are keyed by the cached view models they were
// made from, so new data makes new entries; the map is emptied when it
// grows past a bound.
type fragments struct {
	mu sync.Mutex
	m  map[string]template.HTML
}

const maxFragments = 256

func (f *fragments) get(key string, render func() (template.HTML, error)) (template.HTML, error) {
	f.mu.Lock()
	h, ok := f.m[key]
	f.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := render()
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.m == nil || len(f.m) >= maxFragments {
		f.m = map[string]template.HTML{}
	}
	f.m[key] = h
	f.mu.Unlock()
	return h, nil
}

type crumb struct{ Label, URL string }

// chartSpec is a chart's container id and its JSON (see static/charts.js).
type chartSpec struct {
	ID   string
	JSON template.JS
}

// industryLabels names divisions and classes from the reference table.
type industryLabels struct{ t *industry.Table }

func (l industryLabels) Division(code string) string {
	if e, ok := l.t.Lookup(code); ok {
		return e.Name
	}
	return ""
}

func (l industryLabels) Class(code string) string { return l.Division(code) }

// dashboardQuery reads the drill-down from the URL.
func dashboardQuery(r *http.Request) (dashboard.Query, error) {
	v := r.URL.Query()
	q := dashboard.Query{Unit: v.Get("unit"), Field: v.Get("field"), Division: v.Get("division")}
	if d := q.Division; d != "" && (len(d) != 2 || d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9') {
		return q, apperr.Invalidf("行业大类“%s”应为两位数字", d)
	}
	if p := v.Get("period"); p != "" {
		per, err := reports.ParsePeriodCode(p)
		if err != nil {
			return q, apperr.Invalidf("%s", err)
		}
		q.Period = per
	}
	return q, nil
}

// home is the dashboard for a signed-in user (and, in demo mode, for
// everyone), the plan's overview for anonymous visitors.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil && !s.opts.Demo {
		return s.planOverview(w, r)
	}
	return s.dashboardShow(w, r)
}

// dashboardOf builds what the dashboard and its export show to the
// request's user.
func (s *Server) dashboardOf(r *http.Request) (dashboard.Query, *dashboard.Board, *dashboard.Analysis, error) {
	u := userOf(r)
	q, err := dashboardQuery(r)
	if err != nil {
		return q, nil, nil, err
	}
	board, err := s.dashboard.Board(r.Context(), u)
	if err != nil {
		return q, nil, nil, err
	}
	a, err := s.dashboard.Analysis(r.Context(), u, q, industryLabels{s.registry.Ref().Table})
	return q, board, a, err
}

func (s *Server) dashboardShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	q, board, a, err := s.dashboardOf(r)
	if err != nil {
		return err
	}
	data := dashboardPage{basePage: s.base(r, "监测驾驶舱", "dashboard"), Board: board, A: a, Attention: board.Attention(),
		CanRelease: u != nil && u.Can(auth.PermValuesPublish), Demo: s.opts.Demo}
	if r.URL.Query().Get("released") != "" {
		data.Released = r.URL.Query().Get("released")
	}
	data.Crumbs = append(data.Crumbs, crumb{"全区", a.Href("unit", "", "field", "", "division", "")})
	if a.UnitName != "" {
		data.Crumbs = append(data.Crumbs, crumb{a.UnitName, a.Href("field", "", "division", "")})
	}
	if a.FieldName != "" {
		data.Crumbs = append(data.Crumbs, crumb{a.FieldName, a.Href("division", "")})
	}
	if a.DivName != "" {
		data.Crumbs = append(data.Crumbs, crumb{q.Division + " " + a.DivName, ""})
	}
	data.Crumbs[len(data.Crumbs)-1].URL = "" // where one is: not a link
	data.Export = "/dashboard.xlsx?" + r.URL.RawQuery
	for _, c := range a.Charts {
		data.Charts = append(data.Charts, chartSpec{ID: c.ID, JSON: template.JS(c.JSON)})
	}
	var flagged *projects.FlagSummary
	if u != nil && u.Can(auth.PermProgressRead) {
		if flagged, err = s.projects.FlagSummary(r.Context(), u); err != nil {
			return err
		}
		data.Flagged, data.FlaggedRed = len(flagged.Projects), flagged.Red
		if data.Projects, _, err = s.projectFlags(r, maxDashboardFlags); err != nil {
			return err
		}
		if data.Attraction, err = s.projects.Attractions(r.Context(), u, board.Year); err != nil {
			return err
		}
	}
	att := ""
	if a := data.Attraction; a != nil {
		att = fmt.Sprintf("%d/%d/%d", a.Met, len(a.Depts), a.Total)
	}
	canImport := data.User != nil && data.User.CanImport
	// The project warnings are kept per state of the ledger and scope:
	// the summary's address names both.
	key := fmt.Sprintf("dashboard/%p/%p/%p/%s/%v/%v", board, a, flagged, att, canImport, s.opts.DevDir != "")
	if data.Body, err = s.fragments.get(key, func() (template.HTML, error) {
		return s.pages.fragment("dashboard", "dashboard-body", data)
	}); err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "dashboard", data)
}

// dashboardRelease publishes the computed figures of the latest period.
func (s *Server) dashboardRelease(w http.ResponseWriter, r *http.Request) error {
	per, n, err := s.dashboard.Release(r.Context(), s.actor(r), userOf(r))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/dashboard?released="+strconv.Itoa(n)+"项"+per.Label(), http.StatusSeeOther)
	return nil
}

// dashboardExport writes the dashboard's tables as XLSX: targets, the
// breakdown, the towns, and the firms for those who may see them. Rates
// and shares are numbers in a percent format (see xlsx.Percent), — where
// there is none; each breakdown ends with its own 合计.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request) error {
	_, board, a, err := s.dashboardOf(r)
	if err != nil {
		return err
	}
	header := []string{"指标", "单位", "期别", "数值", "来源", "目标", "完成率", "序时进度", "状态", "说明"}
	return s.writeXLSX(w, r, fmt.Sprintf("监测驾驶舱%d", board.Year), header, func(row func([]any) error) error {
		for _, t := range board.Targets {
			pr := t.Progress
			pace := percentCell(pr.TimeProgress)
			if t.TimeProgress == money.NoValue {
				pace = money.NoValue // no data: no period to measure the pace by, as on the page
			}
			if err := row([]any{t.Indicator.Name, t.Indicator.Unit, t.Period, xlsx.Decimal(t.Value), t.Source, pr.TargetText,
				percentCell(pr.Completion), pace, pr.Light.Label(), pr.Explain}); err != nil {
				return err
			}
		}
		// The breakdowns follow on the same sheet, each under its own
		// head: one sheet prints and mails as one table.
		section := func(title string, cells []dashboard.Cell, total dashboard.Cell) error {
			if err := row([]any{}); err != nil {
				return err
			}
			if err := row([]any{title, "企业数", "营业收入(亿元)", "同比增长", "占比"}); err != nil {
				return err
			}
			for _, c := range slices.Concat(cells, []dashboard.Cell{total}) {
				line := []any{c.Label, c.Firms, xlsx.Decimal(c.Yi), percentCell(c.GrowthRate), percentCell(c.ShareRate)}
				if c.Hidden {
					line = []any{c.Label, monitor.Confidential, monitor.Confidential, monitor.Confidential, monitor.Confidential}
				}
				if err := row(line); err != nil {
					return err
				}
			}
			return nil
		}
		if a.Period != 0 {
			if err := section(a.Period.Label()+" 按"+a.Level, a.Rows, a.Total); err != nil {
				return err
			}
			if err := section(a.Period.Label()+" 按镇街(园区)", a.Units, a.UnitsTotal); err != nil {
				return err
			}
		}
		if len(a.Firms) == 0 {
			return nil
		}
		if err := row([]any{}); err != nil {
			return err
		}
		if err := row([]any{"统一社会信用代码", "单位详细名称", "行业代码", "营业收入1-本月(万元)", "上年同期(万元)"}); err != nil {
			return err
		}
		for _, f := range a.Firms {
			v := f.Values[reports.Revenue]
			prev := any("")
			if v.HasPrev {
				prev = wanCell(money.Fen(v.Prev))
			}
			if err := row([]any{f.USCC, f.Name, f.Industry, wanCell(money.Fen(v.Cur)), prev}); err != nil {
				return err
			}
		}
		return nil
	}, "export.dashboard", r.URL.RawQuery)
}

// percentCell is a rate or share for an export: the fraction rounded to
// the 0.1% the dashboard prints (half away from zero, money.Percent), so
// that the cell holds the published figure and a spreadsheet cannot show
// it rounded otherwise; — where there is none.
func percentCell(r *big.Rat) any {
	if r == nil {
		return money.NoValue
	}
	return xlsx.Percent(money.Decimal(r, 3))
}

type warningsPage struct {
	basePage
	Board      *dashboard.Board
	Attention  []dashboard.Target
	Quality    *dashboard.Quality
	Kinds      []dashboard.FlagKind
	QualityErr string
	S          dashboard.Settings // the rules in force, as the page explains them
	Projects   []projectFlag      // the ledger's warnings, red first
	MoreFlags  int                // warnings not listed
	// Supervised are the 督办 items that are red or whose self-report the
	// data contradicts.
	Supervised []superviseRow
}

// projectFlag is a project's warning as the warnings page lists it.
type projectFlag struct {
	projects.Flag
	Name, URL string
}

// maxListedFlags bounds the warnings page's list of project warnings,
// maxDashboardFlags the dashboard's.
const (
	maxListedFlags    = 50
	maxDashboardFlags = 3
)

// supervisedFlags are the 督办 items in the user's scope that are red or
// whose self-report the data contradicts.
func (s *Server) supervisedFlags(r *http.Request) ([]superviseRow, error) {
	st, err := s.active(r)
	if err != nil {
		return nil, err
	}
	lines, err := s.supervise.Board(r.Context(), userOf(r))
	if err != nil {
		return nil, err
	}
	var out []superviseRow
	for _, l := range lines {
		if l.Signal.Light == supervise.Red || l.Signal.Contradicted != "" {
			out = append(out, superviseRowOf(st.Plan, l))
		}
	}
	return out, nil
}

// projectFlags lists up to limit of the project warnings in the user's
// scope, the red ones first, and says how many more there are.
func (s *Server) projectFlags(r *http.Request, limit int) ([]projectFlag, int, error) {
	u := userOf(r)
	flags, err := s.projects.Flags(r.Context(), u) // shared: read, never sorted in place
	if err != nil {
		return nil, 0, err
	}
	var picked []projects.Flag
	for _, red := range []bool{true, false} {
		for _, f := range flags {
			if (f.Light == monitor.Red) == red && len(picked) < limit {
				picked = append(picked, f)
			}
		}
	}
	codes := make([]string, len(picked))
	for i, f := range picked {
		codes[i] = f.Project
	}
	ps, err := s.projects.Pick(r.Context(), u, codes)
	if err != nil {
		return nil, 0, err
	}
	names := make(map[string]string, len(ps))
	for _, p := range ps {
		names[p.Code] = p.Name
	}
	out := make([]projectFlag, len(picked))
	for i, f := range picked {
		out[i] = projectFlag{Flag: f, Name: names[f.Project], URL: "/projects/" + url.PathEscape(f.Project)}
	}
	return out, len(flags) - len(picked), nil
}

// warnings lists the targets in red and yellow with why, and, for the
// statistics staff, the data-quality flags of the latest reports.
func (s *Server) warnings(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	board, err := s.dashboard.Board(r.Context(), u)
	if err != nil {
		return err
	}
	data := warningsPage{basePage: s.base(r, "预警", "dashboard"), Board: board, Attention: board.Attention(), S: s.dashboard.Settings(),
		Kinds: []dashboard.FlagKind{dashboard.FlagMissing, dashboard.FlagYTDFall, dashboard.FlagYoY, dashboard.FlagOutlier}}
	if u.Can(auth.PermProgressRead) {
		if data.Projects, data.MoreFlags, err = s.projectFlags(r, maxListedFlags); err != nil {
			return err
		}
		if data.Supervised, err = s.supervisedFlags(r); err != nil {
			return err
		}
	}
	if u.Can(auth.PermValuesReview) {
		q, err := s.dashboard.Quality(r.Context(), u)
		switch {
		case apperr.KindOf(err) == apperr.NotFound:
			data.QualityErr = apperr.Message(err)
		case err != nil:
			return err
		default:
			data.Quality = q
		}
	}
	return s.pages.render(w, http.StatusOK, "warnings", data)
}
