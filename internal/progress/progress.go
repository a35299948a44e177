// Package progress is the task progress reports (任务进展) units file on
// the plan's tasks each month: status, what was done, what is in the way.
// Every save is a new version; earlier ones stay.
package progress

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
)

// Status is how a task stands.
type Status string

// Statuses.
const (
	NotStarted Status = "not_started" // 未启动
	OnTrack    Status = "on_track"    // 正常推进
	Completed  Status = "completed"   // 已完成
	Behind     Status = "behind"      // 滞后
)

// Statuses lists the statuses in the order forms offer them.
var Statuses = []Status{OnTrack, Completed, Behind, NotStarted}

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case NotStarted:
		return "未启动"
	case OnTrack:
		return "正常推进"
	case Completed:
		return "已完成"
	case Behind:
		return "滞后"
	}
	return ""
}

// Report is one version of a unit's report on a task for a month.
type Report struct {
	ID          int64     `json:"id"`
	Task        string    `json:"task"`
	Unit        string    `json:"unit"`
	Period      string    `json:"period"` // YYYY-MM
	Version     int       `json:"version"`
	Status      Status    `json:"status"`
	Progress    string    `json:"progress"`
	Issues      string    `json:"issues"`
	EnteredBy   string    `json:"entered_by"`
	EnteredByID int64     `json:"-"`
	EnteredAt   time.Time `json:"entered_at"`
}

// Input is a report as a unit submits it.
type Input struct {
	Unit     string `json:"unit"`
	Task     string `json:"task"`
	Period   string `json:"period"`
	Status   Status `json:"status"`
	Progress string `json:"progress"`
	Issues   string `json:"issues"`
}

// Store keeps reports.
type Store interface {
	// AppendReport saves r as the next version of its (task, unit, period)
	// under the active plan, setting its ID and Version, and writes the
	// audit entry in the same transaction.
	AppendReport(ctx context.Context, r *Report, e audit.Entry) error
	// LatestReports returns the current version of each report of a unit
	// for a period.
	LatestReports(ctx context.Context, unit, period string) ([]Report, error)
	// ReportHistory returns every version of one report, newest first.
	ReportHistory(ctx context.Context, unit, task, period string) ([]Report, error)
	// CountReported returns, per unit, how many tasks have a report for
	// the period.
	CountReported(ctx context.Context, period string) (map[string]int, error)
}

// Service files and reads reports, within each user's data scope.
type Service struct {
	store Store
	plans *plan.Service
	now   func() time.Time
}

// NewService returns a progress service.
func NewService(store Store, plans *plan.Service, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, now: now}
}

var periodRe = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)

// CurrentPeriod is the month reports are filed for by default.
func (s *Service) CurrentPeriod() string { return s.now().Local().Format("2006-01") }

// checkPeriod accepts a month within the plan period and not in the future.
func (s *Service) checkPeriod(p *plan.Plan, period string) error {
	m := periodRe.FindStringSubmatch(period)
	if m == nil {
		return apperr.Invalidf("月份“%s”应写作YYYY-MM,如2026-03", period)
	}
	year, _ := strconv.Atoi(m[1])
	if year < p.Meta.StartYear || year > p.Meta.EndYear {
		return apperr.Invalidf("月份%s不在规划期%d—%d年内", period, p.Meta.StartYear, p.Meta.EndYear)
	}
	if period > s.CurrentPeriod() {
		return apperr.Invalidf("不能填报未来月份%s", period)
	}
	return nil
}

// dutyOf returns the role the unit has in a task, or "" when none.
func dutyOf(p *plan.Plan, unit, task string) plan.Role {
	for _, d := range p.UnitDuties(unit).Tasks {
		if d.Task.Code == task {
			return d.Role
		}
	}
	return ""
}

// Submit files a report as the next version. The user must be allowed to
// write for the unit (a reporter only for its own), and the unit must be
// responsible for the task.
func (s *Service) Submit(ctx context.Context, actor audit.Actor, u *auth.User, in Input) (*Report, error) {
	if err := auth.Check(u, auth.PermProgressWrite, in.Unit); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	p := st.Plan
	in.Progress, in.Issues = strings.TrimSpace(in.Progress), strings.TrimSpace(in.Issues)
	fields := map[string]string{}
	if _, ok := p.Unit(in.Unit); !ok {
		fields["unit"] = "没有编码为“" + in.Unit + "”的单位"
	} else if _, _, ok := p.Task(in.Task); !ok {
		fields["task"] = "没有编码为“" + in.Task + "”的任务"
	} else if dutyOf(p, in.Unit, in.Task) == "" {
		fields["task"] = "本单位不承担任务“" + in.Task + "”"
	}
	if err := s.checkPeriod(p, in.Period); err != nil {
		fields["period"] = apperr.Message(err)
	}
	if in.Status.Label() == "" {
		fields["status"] = "请选择进展状态"
	}
	if in.Progress == "" {
		fields["progress"] = "请填写进展情况"
	}
	if n := len([]rune(in.Progress)); n > 2000 {
		fields["progress"] = fmt.Sprintf("进展情况不超过2000字,现为%d字", n)
	}
	if n := len([]rune(in.Issues)); n > 2000 {
		fields["issues"] = fmt.Sprintf("存在问题不超过2000字,现为%d字", n)
	}
	if len(fields) > 0 {
		msgs := make([]string, 0, len(fields))
		for _, k := range []string{"unit", "task", "period", "status", "progress", "issues"} {
			if m, ok := fields[k]; ok {
				msgs = append(msgs, m)
			}
		}
		return nil, apperr.InvalidFields(msgs, fields)
	}

	history, err := s.store.ReportHistory(ctx, in.Unit, in.Task, in.Period)
	if err != nil {
		return nil, err
	}
	var before any
	if len(history) > 0 {
		before = history[0]
	}
	now := s.now().UTC()
	r := &Report{Task: in.Task, Unit: in.Unit, Period: in.Period, Status: in.Status, Progress: in.Progress,
		Issues: in.Issues, EnteredBy: actor.Name, EnteredByID: actor.UserID, EnteredAt: now}
	e := audit.New(now, actor, "progress.submit", "progress", in.Unit+"/"+in.Task+"/"+in.Period, before, r)
	if err := s.store.AppendReport(ctx, r, e); err != nil {
		return nil, err
	}
	return r, nil
}

// TaskReport is one task of a unit with its current report for a period.
type TaskReport struct {
	Field  *plan.Field
	Task   *plan.Task
	Role   plan.Role
	Report *Report // nil when none filed
}

// UnitReports returns the unit's tasks with their current reports for the
// period, if the user may read the unit's reports.
func (s *Service) UnitReports(ctx context.Context, u *auth.User, unit, period string) ([]TaskReport, error) {
	if err := auth.Check(u, auth.PermProgressRead, unit); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := st.Plan.Unit(unit); !ok {
		return nil, apperr.NotFoundf("没有编码为“%s”的单位", unit)
	}
	if err := s.checkPeriod(st.Plan, period); err != nil {
		return nil, err
	}
	reports, err := s.store.LatestReports(ctx, unit, period)
	if err != nil {
		return nil, err
	}
	byTask := make(map[string]*Report, len(reports))
	for i := range reports {
		byTask[reports[i].Task] = &reports[i]
	}
	var out []TaskReport
	for _, d := range st.Plan.UnitDuties(unit).Tasks {
		out = append(out, TaskReport{Field: d.Field, Task: d.Task, Role: d.Role, Report: byTask[d.Task.Code]})
	}
	return out, nil
}

// History returns every version of one report, newest first.
func (s *Service) History(ctx context.Context, u *auth.User, unit, task, period string) ([]Report, error) {
	if err := auth.Check(u, auth.PermProgressRead, unit); err != nil {
		return nil, err
	}
	return s.store.ReportHistory(ctx, unit, task, period)
}

// UnitSummary is how far a unit has reported for a period.
type UnitSummary struct {
	Unit     *plan.Unit
	Tasks    int
	Reported int
}

// Summary returns, for every unit in the user's scope that has tasks, how
// many of them are reported for the period.
func (s *Service) Summary(ctx context.Context, u *auth.User, period string) ([]UnitSummary, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.checkPeriod(st.Plan, period); err != nil {
		return nil, err
	}
	counts, err := s.store.CountReported(ctx, period)
	if err != nil {
		return nil, err
	}
	var out []UnitSummary
	for i := range st.Plan.Units {
		unit := &st.Plan.Units[i]
		if !u.InScope(unit.Code) {
			continue
		}
		if n := len(st.Plan.UnitDuties(unit.Code).Tasks); n > 0 {
			out = append(out, UnitSummary{Unit: unit, Tasks: n, Reported: counts[unit.Code]})
		}
	}
	return out, nil
}
