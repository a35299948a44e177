package web

import (
	"net/http"

	"svcplan/internal/plan"
)

type actionView struct {
	Action     plan.Action
	SourceURL  string
	Lead, Co   []link
	Indicators []indicatorRow
}

type actionListPage struct {
	basePage
	Actions    []actionView
	Guarantees []actionView
}

func (s *Server) actionList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	data := actionListPage{basePage: s.base(r, "专项行动与组织保障", "actions")}
	view := func(a plan.Action) actionView {
		return actionView{
			Action: a, SourceURL: sourceURL(st, a.Source),
			Lead: unitLinks(p, a.Lead), Co: unitLinks(p, a.Co),
			Indicators: s.indicatorRows(p, data.Years, p.IndicatorsOf(a.Code)),
		}
	}
	for _, a := range p.Actions {
		data.Actions = append(data.Actions, view(a))
	}
	for _, a := range p.Guarantees {
		data.Guarantees = append(data.Guarantees, view(a))
	}
	return s.pages.render(w, http.StatusOK, "actions", data)
}
