package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"strconv"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/dashboard"
	"svcplan/internal/industry"
	"svcplan/internal/monitor"
	"svcplan/internal/reports"
	"svcplan/internal/xlsx"
)

// The leaders' dashboard (驾驶舱): every target with its light, then the
// above-size service revenue by field, town and industry, drilled down to
// firms for those who may see them.

type dashboardPage struct {
	basePage
	Board      *dashboard.Board
	A          *dashboard.Analysis
	Attention  []dashboard.Target
	Crumbs     []crumb
	Charts     []chartSpec
	CanRelease bool
	Released   string // flash after a release
	Export     string
	Demo       bool
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

func (s *Server) dashboardShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	q, err := dashboardQuery(r)
	if err != nil {
		return err
	}
	board, err := s.dashboard.Board(r.Context(), u)
	if err != nil {
		return err
	}
	a, err := s.dashboard.Analysis(r.Context(), u, q, industryLabels{s.registry.Ref().Table})
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
	data.Export = "/dashboard.xlsx?" + r.URL.RawQuery
	data.Charts = dashboardCharts(a)
	return s.pages.render(w, http.StatusOK, "dashboard", data)
}

// dashboardCharts are the composition pie, the town ranking and the trend.
func dashboardCharts(a *dashboard.Analysis) []chartSpec {
	if a.Period == 0 {
		return nil
	}
	var out []chartSpec
	add := func(id string, spec map[string]any) {
		b, _ := json.Marshal(spec)
		out = append(out, chartSpec{ID: id, JSON: template.JS(b)})
	}
	cats, vals, links := []string{}, []json.RawMessage{}, []string{}
	for _, c := range a.Rows {
		if c.Hidden || c.Cur <= 0 {
			continue
		}
		cats, vals, links = append(cats, c.Label), append(vals, json.RawMessage(c.Yi())), append(links, c.Href)
	}
	add("chart-rows", map[string]any{"type": "pie", "title": "营业收入构成(按" + a.Level + ")", "unit": "亿元",
		"categories": cats, "series": []map[string]any{{"name": "营业收入", "data": vals}}, "links": links})

	cats, vals, links = []string{}, []json.RawMessage{}, []string{}
	for i := len(a.Units) - 1; i >= 0; i-- { // horizontal bars draw bottom-up: largest on top
		c := a.Units[i]
		if c.Hidden {
			continue
		}
		cats, vals, links = append(cats, c.Label), append(vals, json.RawMessage(c.Yi())), append(links, c.Href)
	}
	add("chart-units", map[string]any{"type": "hbar", "title": "分镇街(园区)营业收入排名", "unit": "亿元",
		"categories": cats, "series": []map[string]any{{"name": "营业收入", "data": vals}}, "links": links,
		"height": max(260, 28*len(cats)+60)})

	// One line per year over its months: cumulative value to date.
	months := []string{}
	for m := 2; m <= 12; m++ {
		months = append(months, map[bool]string{true: "1-2月", false: strconv.Itoa(m) + "月"}[m == 2])
	}
	byYear := map[int][]json.RawMessage{}
	var years []int
	for _, p := range a.Trend {
		y := p.Period.Year()
		if _, ok := byYear[y]; !ok {
			years = append(years, y)
			byYear[y] = make([]json.RawMessage, 11)
			for i := range byYear[y] {
				byYear[y][i] = json.RawMessage("null")
			}
		}
		if p.Cur >= 0 {
			byYear[y][p.Period.Month()-2] = json.RawMessage(monitor.FormatYi(p.Cur, 2))
		}
	}
	var series []map[string]any
	for _, y := range years {
		series = append(series, map[string]any{"name": fmt.Sprintf("%d年", y), "data": byYear[y]})
	}
	add("chart-trend", map[string]any{"type": "line", "title": "营业收入累计值(逐月)", "unit": "亿元",
		"categories": months, "series": series})
	return out
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
// breakdown, the towns, and the firms for those who may see them.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	q, err := dashboardQuery(r)
	if err != nil {
		return err
	}
	board, err := s.dashboard.Board(r.Context(), u)
	if err != nil {
		return err
	}
	a, err := s.dashboard.Analysis(r.Context(), u, q, industryLabels{s.registry.Ref().Table})
	if err != nil {
		return err
	}
	header := []string{"指标", "单位", "期别", "数值", "来源", "目标", "完成(%)", "序时进度(%)", "状态", "说明"}
	return s.writeXLSX(w, r, fmt.Sprintf("监测驾驶舱%d", board.Year), header, func(row func([]any) error) error {
		for _, t := range board.Targets {
			pr := t.Progress
			if err := row([]any{t.Indicator.Name, t.Indicator.Unit, t.Period, xlsx.Decimal(t.Value), t.Source, pr.TargetText,
				monitor.FormatPercent(pr.Completion, 1), monitor.FormatPercent(pr.TimeProgress, 1), pr.Light.Label(), pr.Explain}); err != nil {
				return err
			}
		}
		// The breakdowns follow on the same sheet, each under its own
		// head: one sheet prints and mails as one table.
		section := func(title string, cells []dashboard.Cell) error {
			if err := row([]any{}); err != nil {
				return err
			}
			if err := row([]any{title, "企业数", "营业收入(亿元)", "同比增长(%)", "占比(%)"}); err != nil {
				return err
			}
			for _, c := range append(cells, a.Total) {
				line := []any{c.Label, c.Firms, xlsx.Decimal(c.Yi()), c.Growth, c.Share}
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
			if err := section(a.Period.Label()+" 按"+a.Level, a.Rows); err != nil {
				return err
			}
			if err := section(a.Period.Label()+" 按镇街(园区)", a.Units); err != nil {
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
				prev = xlsx.Decimal(wan(v.Prev))
			}
			if err := row([]any{f.USCC, f.Name, f.Industry, xlsx.Decimal(wan(v.Cur)), prev}); err != nil {
				return err
			}
		}
		return nil
	}, "export.dashboard", r.URL.RawQuery)
}

// pct writes a fraction as a percentage with one decimal, or —.
func pct(r *big.Rat) string {
	if r == nil {
		return monitor.NoValue
	}
	return monitor.FormatPercent(r, 1) + "%"
}

// wan writes fen as 万元 with two decimals (exact).
func wan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%06d", sign, fen/1_000_000, fen%1_000_000)
}

type warningsPage struct {
	basePage
	Board      *dashboard.Board
	Attention  []dashboard.Target
	Quality    *dashboard.Quality
	Kinds      []dashboard.FlagKind
	QualityErr string
}

// warnings lists the targets in red and yellow with why, and, for the
// statistics staff, the data-quality flags of the latest reports.
func (s *Server) warnings(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	board, err := s.dashboard.Board(r.Context(), u)
	if err != nil {
		return err
	}
	data := warningsPage{basePage: s.base(r, "预警", "dashboard"), Board: board, Attention: board.Attention(),
		Kinds: []dashboard.FlagKind{dashboard.FlagMissing, dashboard.FlagYTDFall, dashboard.FlagYoY, dashboard.FlagOutlier}}
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
