package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"svcplan/internal/plan"
)

// list is the envelope of every collection the API returns.
type list[T any] struct {
	Items []T `json:"items"`
}

func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st.Plan)
	return nil
}

func (s *Server) apiPlanRevisions(w http.ResponseWriter, r *http.Request) error {
	revs, err := s.plans.Revisions(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[plan.Revision]{revs})
	return nil
}

func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[plan.Indicator]{st.Plan.Indicators})
	return nil
}

func (s *Server) apiIndicator(w http.ResponseWriter, r *http.Request) error {
	_, ind, err := s.pathIndicator(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ind)
	return nil
}

// pathIndicator is the active plan and the indicator the path's {code}
// names, or a 404.
func (s *Server) pathIndicator(r *http.Request) (*plan.Stored, *plan.Indicator, error) {
	st, err := s.active(r)
	if err != nil {
		return nil, nil, err
	}
	ind, ok := st.Plan.Indicator(r.PathValue("code"))
	if !ok {
		return nil, nil, errNotFound("没有编码为“" + r.PathValue("code") + "”的指标")
	}
	return st, ind, nil
}

func (s *Server) apiFields(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[plan.Field]{st.Plan.Fields})
	return nil
}

func (s *Server) apiField(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	f, ok := st.Plan.Field(r.PathValue("code"))
	if !ok {
		return errNotFound("没有编码为“" + r.PathValue("code") + "”的服务领域")
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

// apiTaskItem is a task with its field and the units responsible for it
// resolved: its own, or else its field's.
type apiTaskItem struct {
	Code   string   `json:"code"`
	Title  string   `json:"title"`
	Field  string   `json:"field"`
	Lead   []string `json:"lead"`
	Co     []string `json:"co"`
	Source string   `json:"source"`
	Note   string   `json:"note,omitempty"`
}

func taskItem(f *plan.Field, t *plan.Task) apiTaskItem {
	lead, co := t.Responsible(f)
	return apiTaskItem{Code: t.Code, Title: t.Title, Field: f.Code, Lead: nonNil(lead), Co: nonNil(co), Source: t.Source, Note: t.Note}
}

// nonNil makes an empty list a JSON [], not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	items := []apiTaskItem{}
	for i := range st.Plan.Fields {
		f := &st.Plan.Fields[i]
		for j := range f.Tasks {
			items = append(items, taskItem(f, &f.Tasks[j]))
		}
	}
	writeJSON(w, http.StatusOK, list[apiTaskItem]{items})
	return nil
}

func (s *Server) apiTask(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	t, f, ok := st.Plan.Task(r.PathValue("code"))
	if !ok {
		return errNotFound("没有编码为“" + r.PathValue("code") + "”的任务")
	}
	writeJSON(w, http.StatusOK, taskItem(f, t))
	return nil
}

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[plan.Unit]{st.Plan.Units})
	return nil
}

type apiUnitDuty struct {
	Code  string    `json:"code"`
	Title string    `json:"title"`
	Field string    `json:"field,omitempty"`
	Role  plan.Role `json:"role"`
}

type apiUnitDetail struct {
	Unit       *plan.Unit    `json:"unit"`
	Tasks      []apiUnitDuty `json:"tasks"`
	Actions    []apiUnitDuty `json:"actions"`
	Indicators []string      `json:"indicators"`
}

func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	d := st.Plan.UnitDuties(r.PathValue("code"))
	if d.Unit == nil {
		return errNotFound("没有编码为“" + r.PathValue("code") + "”的单位")
	}
	out := apiUnitDetail{Unit: d.Unit, Tasks: []apiUnitDuty{}, Actions: []apiUnitDuty{}, Indicators: []string{}}
	for _, td := range d.Tasks {
		out.Tasks = append(out.Tasks, apiUnitDuty{td.Task.Code, td.Task.Title, td.Field.Code, td.Role})
	}
	for _, ad := range d.Actions {
		out.Actions = append(out.Actions, apiUnitDuty{Code: ad.Action.Code, Title: ad.Action.Title, Role: ad.Role})
	}
	for _, ind := range d.Indicators {
		out.Indicators = append(out.Indicators, ind.Code)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	b, err := embedded.ReadFile("openapi.yaml")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err = w.Write(b)
	return err
}

type health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// healthz answers 200 while the database answers, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "health_db_unreachable", slog.Any("error", err))
		writeJSON(w, http.StatusServiceUnavailable, health{"unavailable", s.version})
		return nil
	}
	writeJSON(w, http.StatusOK, health{"ok", s.version})
	return nil
}
