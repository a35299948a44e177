package web

import (
	"net/http"
	"net/url"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/progress"
)

type summaryRow struct {
	Unit     plan.Unit
	URL      string
	Tasks    int
	Reported int
	Percent  int
}

type progressSummaryPage struct {
	basePage
	Period string
	Rows   []summaryRow
	Error  string
}

// periodOf is the ?period= of a request, or the current month.
func (s *Server) periodOf(r *http.Request) string {
	if p := r.URL.Query().Get("period"); p != "" {
		return p
	}
	return s.progress.CurrentPeriod()
}

func (s *Server) progressSummary(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	period := s.periodOf(r)
	if u.Unit != "" { // a unit-scoped account has only its own unit to look at
		http.Redirect(w, r, "/units/"+url.PathEscape(u.Unit)+"/progress?period="+url.QueryEscape(period), http.StatusSeeOther)
		return nil
	}
	data := progressSummaryPage{basePage: s.base(r, "任务进展", "progress"), Period: period}
	sums, err := s.progress.Summary(r.Context(), u, period)
	if apperr.KindOf(err) == apperr.Invalid {
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "progress", data)
	}
	if err != nil {
		return err
	}
	for _, sum := range sums {
		data.Rows = append(data.Rows, summaryRow{Unit: *sum.Unit, Tasks: sum.Tasks, Reported: sum.Reported,
			Percent: sum.Reported * 100 / sum.Tasks,
			URL:     "/units/" + url.PathEscape(sum.Unit.Code) + "/progress?period=" + url.QueryEscape(period)})
	}
	return s.pages.render(w, http.StatusOK, "progress", data)
}

type taskProgressView struct {
	Field      link
	Code       string
	Title      string
	Role       string
	Report     *progress.Report
	Status     string
	HistoryURL string
	Form       progress.Input // what the form shows: the report, or what was just submitted
	Errors     map[string]string
}

type unitProgressPage struct {
	basePage
	Unit     plan.Unit
	Period   string
	CanWrite bool
	Tasks    []taskProgressView
	Statuses []statusOption
	Error    string
	Saved    string
}

type statusOption struct {
	Value progress.Status
	Label string
}

func statusOptions() []statusOption {
	out := make([]statusOption, len(progress.Statuses))
	for i, st := range progress.Statuses {
		out[i] = statusOption{st, st.Label()}
	}
	return out
}

// unitProgressPage builds the page for a unit and period; failed, when
// not nil, is a submission to show again with its errors.
func (s *Server) unitProgressPage(r *http.Request, unit, period string, failed *progress.Input, ferr error) (unitProgressPage, error) {
	u := userOf(r)
	data := unitProgressPage{Period: period, Statuses: statusOptions(),
		CanWrite: auth.Check(u, auth.PermProgressWrite, unit) == nil, Saved: r.URL.Query().Get("saved")}
	st, err := s.plans.Active(r.Context())
	if err != nil {
		return data, err
	}
	pu, ok := st.Plan.Unit(unit)
	if !ok {
		return data, errNotFound("没有编码为“" + unit + "”的单位")
	}
	data.Unit = *pu
	data.basePage = s.base(r, pu.Name+" · 任务进展", "progress")
	tasks, err := s.progress.UnitReports(r.Context(), u, unit, period)
	if err != nil {
		return data, err
	}
	for _, t := range tasks {
		v := taskProgressView{
			Field: link{t.Field.Section + " " + t.Field.Name, fieldURL(t.Field.Code)},
			Code:  t.Task.Code, Title: t.Task.Title, Role: t.Role.Label(), Report: t.Report,
			HistoryURL: "/units/" + url.PathEscape(unit) + "/progress/" + url.PathEscape(t.Task.Code) + "?period=" + url.QueryEscape(period),
			Form:       progress.Input{Task: t.Task.Code, Status: progress.OnTrack},
		}
		if t.Report != nil {
			v.Status = t.Report.Status.Label()
			v.Form.Status, v.Form.Progress, v.Form.Issues = t.Report.Status, t.Report.Progress, t.Report.Issues
		}
		if failed != nil && failed.Task == t.Task.Code {
			v.Form, v.Errors = *failed, fieldErrors(ferr)
		}
		data.Tasks = append(data.Tasks, v)
	}
	return data, nil
}

func (s *Server) unitProgress(w http.ResponseWriter, r *http.Request) error {
	data, err := s.unitProgressPage(r, r.PathValue("code"), s.periodOf(r), nil, nil)
	if apperr.KindOf(err) == apperr.Invalid {
		data.basePage = s.base(r, "任务进展", "progress")
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "unit_progress", data)
	}
	if err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "unit_progress", data)
}

func (s *Server) unitProgressSubmit(w http.ResponseWriter, r *http.Request) error {
	unit := r.PathValue("code")
	in := progress.Input{Unit: unit, Task: r.PostFormValue("task"), Period: r.PostFormValue("period"),
		Status: progress.Status(r.PostFormValue("status")), Progress: r.PostFormValue("progress"),
		Issues: r.PostFormValue("issues")}
	_, err := s.progress.Submit(r.Context(), s.actor(r), userOf(r), in)
	if apperr.KindOf(err) == apperr.Invalid {
		data, perr := s.unitProgressPage(r, unit, in.Period, &in, err)
		if perr != nil {
			return err // the period itself is wrong: say so plainly
		}
		data.Error = "未保存:" + apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "unit_progress", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/units/"+url.PathEscape(unit)+"/progress?period="+url.QueryEscape(in.Period)+
		"&saved="+url.QueryEscape(in.Task)+"#task-"+url.PathEscape(in.Task), http.StatusSeeOther)
	return nil
}

type historyPage struct {
	basePage
	Unit     plan.Unit
	Task     plan.Task
	Period   string
	Versions []progress.Report
	BackURL  string
}

func (s *Server) progressHistory(w http.ResponseWriter, r *http.Request) error {
	unit, task, period := r.PathValue("code"), r.PathValue("task"), s.periodOf(r)
	st, err := s.plans.Active(r.Context())
	if err != nil {
		return err
	}
	pu, ok := st.Plan.Unit(unit)
	if !ok {
		return errNotFound("没有编码为“" + unit + "”的单位")
	}
	t, _, ok := st.Plan.Task(task)
	if !ok {
		return errNotFound("没有编码为“" + task + "”的任务")
	}
	versions, err := s.progress.History(r.Context(), userOf(r), unit, task, period)
	if err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "progress_history", historyPage{
		basePage: s.base(r, t.Title+" · 历史版本", "progress"), Unit: *pu, Task: *t, Period: period,
		Versions: versions, BackURL: "/units/" + url.PathEscape(unit) + "/progress?period=" + url.QueryEscape(period),
	})
}
