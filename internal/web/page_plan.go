package web

import (
	"net/http"
	"strconv"

	"svcplan/internal/plan"
)

type stat struct {
	Label string
	Value int
	Unit  string
	Note  string
	URL   string
}

type goalView struct {
	Goal       plan.Goal
	SourceURL  string
	Indicators []indicatorRow
}

type overviewPage struct {
	basePage
	Meta      plan.Meta
	Period    string
	Stats     []stat
	Goals     []goalView
	Fields    []indicatorRow // quantified targets inside the tasks of 三
	Actions   []indicatorRow // and inside the special actions of 五
	SourceURL string
	Revision  plan.Revision
}

func (s *Server) planOverview(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	data := overviewPage{
		basePage:  s.base(r, "规划总览", "plan"),
		Meta:      p.Meta,
		Period:    strconv.Itoa(p.Meta.StartYear) + "—" + strconv.Itoa(p.Meta.EndYear) + "年",
		SourceURL: sourceURL(st, p.Meta.Summary),
		Revision:  st.Revision,
	}
	years := data.Years

	tasks, producer, life, departments := 0, 0, 0, 0
	for _, f := range p.Fields {
		tasks += len(f.Tasks)
		if g, ok := p.FieldGroup(f.Group); ok && g.Category == "producer" {
			producer++
		} else {
			life++
		}
	}
	for _, u := range p.Units {
		if u.Kind == plan.KindDepartment {
			departments++
		}
	}
	data.Stats = []stat{
		{"主要目标", len(p.Goals), "项", "", "/#goals"},
		{"量化指标", len(p.Indicators), "项", "", "/indicators"},
		{"服务领域", len(p.Fields), "个", "生产性" + strconv.Itoa(producer) + " · 生活性" + strconv.Itoa(life), "/fields"},
		{"重点任务", tasks, "项", "", "/fields"},
		{"专项行动", len(p.Actions), "项", "", "/actions"},
		{"责任部门", departments, "个", "另有园区、镇(街道)", "/units"},
	}

	for _, g := range p.Goals {
		data.Goals = append(data.Goals, goalView{
			Goal:       g,
			SourceURL:  sourceURL(st, g.Source),
			Indicators: s.indicatorRows(p, years, p.IndicatorsOf(g.Code)),
		})
	}
	for _, f := range p.Fields {
		data.Fields = append(data.Fields, s.indicatorRows(p, years, p.IndicatorsOf(f.Code))...)
	}
	for _, a := range p.Actions {
		data.Actions = append(data.Actions, s.indicatorRows(p, years, p.IndicatorsOf(a.Code))...)
	}
	return s.pages.render(w, http.StatusOK, "plan", data)
}

type textPage struct {
	basePage
	Paragraphs []string
}

func (s *Server) planText(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	if st.Text == "" {
		return errNotFound("当前规划没有附带原文")
	}
	return s.pages.render(w, http.StatusOK, "text", textPage{
		basePage:   s.base(r, "方案原文", "plan"),
		Paragraphs: st.Paragraphs,
	})
}
