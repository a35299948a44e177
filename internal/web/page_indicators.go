package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"

	"svcplan/internal/auth"
	"svcplan/internal/dashboard"
	"svcplan/internal/indicators"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
)

type indicatorListPage struct {
	basePage
	Rows []indicatorRow
}

func (s *Server) indicatorList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	data := indicatorListPage{basePage: s.base(r, "目标指标", "indicators")}
	for i := range st.Plan.Indicators {
		data.Rows = append(data.Rows, s.indicatorRow(st.Plan, data.Years, &st.Plan.Indicators[i]))
	}
	return s.pages.render(w, http.StatusOK, "indicators", data)
}

type indicatorPage struct {
	basePage
	Ind        plan.Indicator
	Row        indicatorRow
	Direction  string
	PriceBasis string
	Baseline   string
	Derived    string
	SourceURL  string
	Lead, Co   []link
	Standing   string
	PerUnit    []link // the units the target applies to one by one
	Monitor    *dashboard.IndicatorView
	Chart      *chartSpec
	Fan        *chartSpec // the forecast to the plan's later target
	// The value form, for those who enter or check values.
	CanEnter, CanReview, CanPublish bool
	Units                           []option // the units the user may enter for
	DistrictCode                    string
	Saved, Error                    string
}

// fanChart draws the yearly totals, this year's estimate and the forecast
// to the plan's later target with its 80% and 95% bands.
func fanChart(ind *plan.Indicator, f *dashboard.Fan) *chartSpec {
	num := func(xs []float64) []json.RawMessage {
		out := make([]json.RawMessage, len(xs))
		for i, x := range xs {
			out[i] = json.RawMessage("null")
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				out[i] = json.RawMessage(strconv.FormatFloat(x, 'f', 2, 64))
			}
		}
		return out
	}
	cats := make([]string, len(f.Years))
	for i, y := range f.Years {
		cats[i] = fmt.Sprintf("%d年", y)
	}
	spec := map[string]any{"type": "line", "unit": ind.Unit, "title": ind.Name + "预测", "categories": cats,
		"series": []map[string]any{{"name": "实际", "data": num(f.Actual)}, {"name": "预计", "data": num(f.Point)}},
		"band": []map[string]any{{"name": "95%区间", "lo": num(f.Lo95), "hi": num(f.Hi95)},
			{"name": "80%区间", "lo": num(f.Lo80), "hi": num(f.Hi80)}},
		"target": map[string]any{"name": fmt.Sprintf("%d年目标", f.TargetYear), "value": json.RawMessage(strconv.FormatFloat(f.Target, 'f', -1, 64))}}
	b, _ := json.Marshal(spec)
	return &chartSpec{ID: "chart-fan", JSON: template.JS(b)}
}

// indicatorChart draws an indicator's values: for a flow reported within
// the year, one line per year over its quarters or months (cumulative),
// with this year's target; otherwise the value of each year beside its
// target.
func indicatorChart(ind *plan.Indicator, vs []indicators.Value, now *dashboard.Target) *chartSpec {
	if len(vs) == 0 {
		return nil
	}
	type point struct {
		p monitor.Period
		v string
	}
	var pts []point
	sub := false
	for _, v := range vs {
		p, err := monitor.ParsePeriod(v.Period)
		if err != nil {
			continue
		}
		pts = append(pts, point{p, v.Value})
		sub = sub || p.Quarter != 0 || p.Month != 0
	}
	spec := map[string]any{"type": "line", "unit": ind.Unit, "title": ind.Name}
	flow := ind.Kind == plan.KindAnnual || ind.Kind == plan.KindYearlyNew
	if flow && sub {
		quarterly := false
		for _, pt := range pts {
			quarterly = quarterly || pt.p.Quarter != 0
		}
		cats := []string{"1季度", "1-2季度", "1-3季度", "全年"}
		slot := func(p monitor.Period) int {
			switch {
			case p.Quarter != 0:
				return p.Quarter - 1
			case p.Month == 0:
				return 3
			}
			return -1
		}
		if !quarterly {
			cats = nil
			for m := 2; m <= 12; m++ {
				cats = append(cats, map[bool]string{true: "1-2月", false: strconv.Itoa(m) + "月"}[m == 2])
			}
			slot = func(p monitor.Period) int {
				switch {
				case p.Month >= 2:
					return p.Month - 2
				case p.Month == 0 && p.Quarter == 0:
					return 10
				}
				return -1
			}
		}
		byYear := map[int][]json.RawMessage{}
		var years []int
		for _, pt := range pts {
			i := slot(pt.p)
			if i < 0 {
				continue
			}
			if byYear[pt.p.Year] == nil {
				years = append(years, pt.p.Year)
				byYear[pt.p.Year] = make([]json.RawMessage, len(cats))
				for j := range byYear[pt.p.Year] {
					byYear[pt.p.Year][j] = json.RawMessage("null")
				}
			}
			byYear[pt.p.Year][i] = json.RawMessage(pt.v)
		}
		sort.Ints(years)
		var series []map[string]any
		for _, y := range years {
			series = append(series, map[string]any{"name": fmt.Sprintf("%d年", y), "data": byYear[y]})
		}
		spec["categories"], spec["series"] = cats, series
		if n := len(years); n > 0 {
			for _, t := range ind.Targets {
				if t.Year == years[n-1] {
					spec["target"] = map[string]any{"name": fmt.Sprintf("%d年目标", t.Year), "value": json.RawMessage(t.Value)}
				}
			}
			// A target the dashboard derived for this year (分解目标).
			if now != nil && spec["target"] == nil && now.Interim != "" && now.Progress.Target != nil &&
				now.Progress.TargetYear == years[n-1] {
				spec["target"] = map[string]any{"name": fmt.Sprintf("%d年分解目标", years[n-1]),
					"value": json.RawMessage(now.Progress.Target.FloatString(2))}
			}
		}
	} else {
		// The latest value of each year beside that year's target.
		latest := map[int]point{}
		for _, pt := range pts {
			if cur, ok := latest[pt.p.Year]; !ok || cur.p.Before(pt.p) {
				latest[pt.p.Year] = pt
			}
		}
		years := []int{}
		for y := range latest {
			years = append(years, y)
		}
		for _, t := range ind.Targets {
			if _, ok := latest[t.Year]; !ok {
				years = append(years, t.Year)
			}
		}
		sort.Ints(years)
		var cats []string
		var actual, target []json.RawMessage
		for _, y := range years {
			cats = append(cats, fmt.Sprintf("%d年", y))
			if pt, ok := latest[y]; ok {
				actual = append(actual, json.RawMessage(pt.v))
				if pt.p.Quarter != 0 || pt.p.Month != 0 {
					cats[len(cats)-1] = pt.p.Label()
				}
			} else {
				actual = append(actual, json.RawMessage("null"))
			}
			tv := json.RawMessage("null")
			for _, t := range ind.Targets {
				if t.Year == y {
					tv = json.RawMessage(t.Value)
				}
			}
			target = append(target, tv)
		}
		spec["categories"] = cats
		spec["series"] = []map[string]any{{"name": "实际", "data": actual}, {"name": "目标", "data": target}}
	}
	b, _ := json.Marshal(spec)
	return &chartSpec{ID: "chart-indicator", JSON: template.JS(b)}
}

func (s *Server) indicatorShow(w http.ResponseWriter, r *http.Request) error {
	st, ind, err := s.pathIndicator(r)
	if err != nil {
		return err
	}
	p := st.Plan
	data := indicatorPage{
		basePage:   s.base(r, ind.Name, "indicators"),
		Ind:        *ind,
		Direction:  ind.Direction.Label(),
		PriceBasis: plan.PriceBasisLabel(ind.PriceBasis),
		SourceURL:  sourceURL(st, ind.Source),
	}
	data.Row = s.indicatorRow(p, data.Years, ind)
	if data.Monitor, err = s.dashboard.Indicator(r.Context(), userOf(r), ind.Code); err != nil {
		return err
	}
	data.Chart = indicatorChart(ind, data.Monitor.Series, data.Monitor.Target)
	if t := data.Monitor.Target; t != nil && t.Fan != nil {
		data.Fan = fanChart(ind, t.Fan)
	}
	if u := userOf(r); u != nil && ind.Compute == "" {
		data.CanEnter, data.CanReview, data.CanPublish = u.Can(auth.PermValuesEnter), u.Can(auth.PermValuesReview), u.Can(auth.PermValuesPublish)
		data.DistrictCode = p.DistrictCode()
		for _, unit := range p.Units {
			if u.InScope(unit.Code) && (unit.Kind == plan.KindDistrict || u.Unit != "") {
				data.Units = append(data.Units, option{unit.Code, unit.Name})
			}
		}
		data.Saved, data.Error = r.URL.Query().Get("saved"), r.URL.Query().Get("error")
	}
	if b := ind.Baseline; b != nil {
		data.Baseline = strconv.Itoa(b.Year) + "年"
		if b.Value != "" {
			data.Baseline += " " + string(b.Value) + ind.Unit
		}
		data.Derived = b.Derived
	}
	if f, ok := p.Field(ind.Field); ok {
		lead, co := f.Lead, f.Co
		if t, _, ok := p.Task(ind.Task); ok {
			lead, co = t.Responsible(f)
		}
		data.Lead, data.Co = unitLinks(p, lead), unitLinks(p, co)
		data.Standing = standingText(p.StandingDuty)
	}
	if a, ok := p.Action(ind.Action); ok {
		data.Lead, data.Co = unitLinks(p, a.Lead), unitLinks(p, a.Co)
	}
	if ind.PerUnitKind != "" {
		for _, u := range p.Units {
			if u.Kind == ind.PerUnitKind {
				data.PerUnit = append(data.PerUnit, link{u.Name, unitURL(u.Code)})
			}
		}
	}
	return s.pages.render(w, http.StatusOK, "indicator", data)
}
