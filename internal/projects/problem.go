package projects

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/monitor"
)

// ProblemStatus is where a problem stands.
type ProblemStatus string

// Statuses of a problem.
const (
	ProblemPending ProblemStatus = "pending" // 待协调
	ProblemWorking ProblemStatus = "working" // 协调中
	ProblemSolved  ProblemStatus = "solved"  // 已解决
)

var problemLabels = map[ProblemStatus]string{ProblemPending: "待协调", ProblemWorking: "协调中", ProblemSolved: "已解决"}

// Label is the status's Chinese name.
func (s ProblemStatus) Label() string { return problemLabels[s] }

// Problem is one version of a problem a project needs solved, with the
// unit asked to solve it and its deadline.
type Problem struct {
	ID        int64         `json:"id"`
	Version   int           `json:"version"`
	Project   string        `json:"project"`
	RaisedOn  string        `json:"raised_on"` // YYYY-MM-DD
	Text      string        `json:"text"`
	Owner     string        `json:"owner"`    // unit asked to solve it
	Deadline  string        `json:"deadline"` // YYYY-MM-DD
	Status    ProblemStatus `json:"status"`
	Note      string        `json:"note"` // how it stands, how it was solved
	UpdatedBy string        `json:"updated_by"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// ProblemStore keeps the problems, every version.
type ProblemStore interface {
	// AppendProblem adds a version of a problem (a new one when ID is 0,
	// which is then set), with its audit entry; a version already taken
	// is a conflict.
	AppendProblem(ctx context.Context, p *Problem, e audit.Entry) error
	// ProjectProblems returns the latest version of a project's problems,
	// the newest first.
	ProjectProblems(ctx context.Context, code string) ([]Problem, error)
	// OpenProblems returns the latest version of every problem not solved.
	OpenProblems(ctx context.Context) ([]Problem, error)
}

func (s *Service) checkProblem(ctx context.Context, pr Problem) error {
	w, err := s.world(ctx)
	if err != nil {
		return err
	}
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	switch n := utf8.RuneCountInString(pr.Text); {
	case strings.TrimSpace(pr.Text) == "":
		add("text", "问题内容不能为空")
	case n > 1000:
		add("text", "问题内容超过1000个字")
	}
	if !w.Unit(pr.Owner) {
		add("owner", "负责协调的单位“%s”不在本规划的单位中", pr.Owner)
	}
	if msg := checkDate(pr.Deadline, time.Time{}); msg != "" {
		add("deadline", "办结时限%s", msg)
	} else if pr.Deadline < pr.RaisedOn {
		add("deadline", "办结时限%s早于提出日期%s", pr.Deadline, pr.RaisedOn)
	}
	if problemLabels[pr.Status] == "" {
		add("status", "问题状态应为待协调、协调中或已解决")
	}
	if utf8.RuneCountInString(pr.Note) > 1000 {
		add("note", "进展说明超过1000个字")
	}
	return invalid(errs)
}

// RaiseProblem records a problem of a project: by its units or the staff.
func (s *Service) RaiseProblem(ctx context.Context, actor audit.Actor, u *auth.User, code string, pr Problem) (*Problem, error) {
	p, err := s.Find(ctx, u, code)
	if err != nil {
		return nil, err
	}
	if !u.Can(auth.PermProgressWrite) && !u.Can(auth.PermProjectEdit) {
		return nil, apperr.Forbiddenf("%s无权提出项目问题", u.Role.Label())
	}
	now := s.now()
	pr.ID, pr.Version, pr.Project, pr.RaisedOn, pr.Status = 0, 1, p.Code, now.Format(time.DateOnly), ProblemPending
	pr.Text, pr.Note = strings.TrimSpace(pr.Text), strings.TrimSpace(pr.Note)
	pr.UpdatedBy, pr.UpdatedAt = actor.Name, now.UTC()
	if err := s.checkProblem(ctx, pr); err != nil {
		return nil, err
	}
	e := audit.New(pr.UpdatedAt, actor, "project.problem", "project", code, nil, pr)
	if err := s.store.AppendProblem(ctx, &pr, e); err != nil {
		return nil, err
	}
	return &pr, nil
}

// UpdateProblem changes a problem's status and note: by the unit asked to
// solve it, the project's units or the staff, at the version they saw.
func (s *Service) UpdateProblem(ctx context.Context, actor audit.Actor, u *auth.User, code string, id int64, version int,
	status ProblemStatus, note string) (*Problem, error) {
	probs, err := s.store.ProjectProblems(ctx, code)
	if err != nil {
		return nil, err
	}
	var old *Problem
	for i := range probs {
		if probs[i].ID == id {
			old = &probs[i]
		}
	}
	if old == nil {
		return nil, apperr.NotFoundf("项目%s没有这个问题", code)
	}
	p, err := s.store.FindProject(ctx, code)
	if err != nil {
		return nil, err
	}
	if !(u.Can(auth.PermProjectEdit) && inScope(u, p)) && !(u.Can(auth.PermProgressWrite) && (inScope(u, p) || u.Unit == old.Owner)) {
		return nil, apperr.Forbiddenf("无权处理该问题")
	}
	if old.Version != version {
		return nil, apperr.Conflictf("该问题已被他人更新,请刷新后重试")
	}
	next := *old
	next.Version, next.Status, next.Note = old.Version+1, status, strings.TrimSpace(note)
	next.UpdatedBy, next.UpdatedAt = actor.Name, s.now().UTC()
	if err := s.checkProblem(ctx, next); err != nil {
		return nil, err
	}
	e := audit.New(next.UpdatedAt, actor, "project.problem", "project", code, old, next)
	if err := s.store.AppendProblem(ctx, &next, e); err != nil {
		return nil, err
	}
	return &next, nil
}

// Problems returns a project's problems the user may see.
func (s *Service) Problems(ctx context.Context, u *auth.User, code string) ([]Problem, error) {
	if _, err := s.Find(ctx, u, code); err != nil {
		return nil, err
	}
	return s.store.ProjectProblems(ctx, code)
}

// problemFlag warns of an open problem past its deadline: yellow, red
// after LateDays more.
func (f FlagRules) problemFlag(pr *Problem, today time.Time) (Flag, bool) {
	day := today.Format(time.DateOnly)
	if pr.Status == ProblemSolved || pr.Deadline >= day {
		return Flag{}, false
	}
	t, err := time.Parse(time.DateOnly, pr.Deadline)
	if err != nil {
		return Flag{}, false
	}
	days := int(today.Sub(t).Hours() / 24)
	light := monitor.Yellow
	if days > f.LateDays {
		light = monitor.Red
	}
	return Flag{Project: pr.Project, Kind: FlagProblem, Light: light,
		Why: fmt.Sprintf("问题“%s”要求%s前解决,已逾期%d天,仍%s", clip(pr.Text, 20), pr.Deadline, days, pr.Status.Label())}, true
}

// clip shortens a text to n characters with an ellipsis.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
