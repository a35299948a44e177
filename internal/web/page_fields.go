package web

import (
	"net/http"
	"strings"

	"svcplan/internal/auth"
	"svcplan/internal/plan"
)

type fieldCard struct {
	Field      plan.Field
	URL        string
	Lead       []link
	Tasks      int
	Indicators int
}

type fieldGroupView struct {
	Group  plan.FieldGroup
	Fields []fieldCard
}

type fieldListPage struct {
	basePage
	Groups []fieldGroupView
}

func (s *Server) fieldList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	data := fieldListPage{basePage: s.base(r, "重点任务", "fields")}
	for _, g := range p.FieldGroups {
		gv := fieldGroupView{Group: g}
		for _, f := range p.Fields {
			if f.Group != g.Code {
				continue
			}
			gv.Fields = append(gv.Fields, fieldCard{
				Field: f, URL: fieldURL(f.Code), Lead: unitLinks(p, f.Lead),
				Tasks: len(f.Tasks), Indicators: len(p.IndicatorsOf(f.Code)),
			})
		}
		data.Groups = append(data.Groups, gv)
	}
	return s.pages.render(w, http.StatusOK, "fields", data)
}

type taskView struct {
	Code       string
	Title      string
	Body       string // the task's text after its lead phrase and its stop
	SourceURL  string
	Lead, Co   []link // only when the task names its own units
	Indicators []indicatorRow
	Supervised []superviseRow // its 督办 items, for those who read progress
}

type fieldPage struct {
	basePage
	Field          plan.Field
	Group          plan.FieldGroup
	SourceURL      string
	Lead, Co       []link
	Standing       string
	StandingSource string
	Indicators     []indicatorRow
	Tasks          []taskView
}

func (s *Server) fieldShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	f, ok := p.Field(r.PathValue("code"))
	if !ok {
		return errNotFound("没有编码为“" + r.PathValue("code") + "”的服务领域")
	}
	data := fieldPage{
		basePage:  s.base(r, f.Name, "fields"),
		Field:     *f,
		SourceURL: sourceURL(st, f.Source),
		Lead:      unitLinks(p, f.Lead),
		Co:        unitLinks(p, f.Co),
	}
	if g, ok := p.FieldGroup(f.Group); ok {
		data.Group = *g
	}
	if p.StandingDuty != nil {
		data.Standing, data.StandingSource = standingText(p.StandingDuty), p.StandingDuty.Source
	}
	for _, ind := range p.IndicatorsOf(f.Code) {
		if ind.Task == "" {
			data.Indicators = append(data.Indicators, s.indicatorRow(p, data.Years, ind))
		}
	}
	supervised := map[string][]superviseRow{}
	if u := userOf(r); u != nil && u.Can(auth.PermProgressRead) {
		lines, err := s.supervise.Board(r.Context(), u)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if l.Item.Task != "" {
				supervised[l.Item.Task] = append(supervised[l.Item.Task], superviseRowOf(p, l))
			}
		}
	}
	for _, t := range f.Tasks {
		tv := taskView{Supervised: supervised[t.Code],
			Code: t.Code, Title: t.Title,
			Body:      strings.TrimLeft(strings.TrimPrefix(t.Source, t.Title), "。,"),
			SourceURL: sourceURL(st, t.Source),
		}
		if len(t.Lead) > 0 || len(t.Co) > 0 {
			tv.Lead, tv.Co = unitLinks(p, t.Lead), unitLinks(p, t.Co)
		}
		for i := range p.Indicators {
			if ind := &p.Indicators[i]; ind.Task == t.Code {
				tv.Indicators = append(tv.Indicators, s.indicatorRow(p, data.Years, ind))
			}
		}
		data.Tasks = append(data.Tasks, tv)
	}
	return s.pages.render(w, http.StatusOK, "field", data)
}
