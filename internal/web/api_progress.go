package web

import (
	"encoding/json"
	"net/http"

	"svcplan/internal/apperr"
	"svcplan/internal/progress"
)

type apiMeBody struct {
	Username   string `json:"username"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	Unit       string `json:"unit"` // data scope; "" is the whole district
	FirmAccess bool   `json:"firm_access"`
}

// apiMe says who a token or session acts as.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	writeJSON(w, http.StatusOK, apiMeBody{Username: u.Username, Name: u.Name, Role: string(u.Role), Unit: u.Unit,
		FirmAccess: u.CanSeeFirms()})
	return nil
}

type apiTaskProgress struct {
	Task   string           `json:"task"`
	Title  string           `json:"title"`
	Field  string           `json:"field"`
	Role   string           `json:"role"`
	Report *progress.Report `json:"report"`
}

type apiUnitProgressBody struct {
	Unit   string            `json:"unit"`
	Period string            `json:"period"`
	Tasks  []apiTaskProgress `json:"tasks"`
}

func (s *Server) apiUnitProgress(w http.ResponseWriter, r *http.Request) error {
	unit, period := r.PathValue("code"), s.periodOf(r)
	tasks, err := s.progress.UnitReports(r.Context(), userOf(r), unit, period)
	if err != nil {
		return err
	}
	out := apiUnitProgressBody{Unit: unit, Period: period, Tasks: []apiTaskProgress{}}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, apiTaskProgress{Task: t.Task.Code, Title: t.Task.Title, Field: t.Field.Code,
			Role: string(t.Role), Report: t.Report})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiProgressSubmit files a report; the unit is in the body, so the
// service checks the caller's scope.
func (s *Server) apiProgressSubmit(w http.ResponseWriter, r *http.Request) error {
	var in progress.Input
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return apperr.Invalidf("请求内容不是有效的JSON: %v", err)
	}
	rep, err := s.progress.Submit(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}
