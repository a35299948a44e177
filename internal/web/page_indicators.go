package web

import (
	"net/http"
	"strconv"

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
}

func (s *Server) indicatorShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	ind, ok := p.Indicator(r.PathValue("code"))
	if !ok {
		return errNotFound("没有编码为“" + r.PathValue("code") + "”的指标")
	}
	data := indicatorPage{
		basePage:   s.base(r, ind.Name, "indicators"),
		Ind:        *ind,
		Direction:  ind.Direction.Label(),
		PriceBasis: plan.PriceBasisLabel(ind.PriceBasis),
		SourceURL:  sourceURL(st, ind.Source),
	}
	data.Row = s.indicatorRow(p, data.Years, ind)
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
