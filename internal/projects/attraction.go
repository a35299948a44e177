package projects

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
)

// Plan 五(四): every district department lands at least one 限上/规上 firm a
// year. A firm counts for a department when it entered the statistics
// (入库) that year and the department is credited with it; several
// departments may share one firm (a lead and partners with shares), and
// the district total counts each firm once.

// Credit is a department's part in landing a firm.
type Credit struct {
	Unit     string `json:"unit"`
	Role     Role   `json:"role"`      // lead or co
	SharePct int    `json:"share_pct"` // of the firm, the shares summing to 100
}

// Attraction is one version of the record of a firm landed in a year.
type Attraction struct {
	Year      int       `json:"year"`
	USCC      string    `json:"uscc"`
	Version   int       `json:"version"`
	FirmName  string    `json:"firm_name"`
	Credits   []Credit  `json:"credits"`
	Note      string    `json:"note"`
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
}

// Firm is what the record needs to know of a firm of the directory: its
// name, and the month it entered the 规上/限上 statistics ("" if it has not).
type Firm struct {
	Name       string
	IncludedOn string // YYYY-MM
}

// Directory finds a firm of the enterprise directory for the user (a
// registry.Service, through the adapter the app wires).
type Directory interface {
	Firm(ctx context.Context, u *auth.User, uscc string) (Firm, error)
}

// AttractionStore keeps the records, every version.
type AttractionStore interface {
	// AppendAttraction adds a version (Version one more than the latest,
	// 1 for a new record) with its audit entry; a version already taken is
	// a conflict.
	AppendAttraction(ctx context.Context, a Attraction, e audit.Entry) error
	// Attractions returns the latest version of every record of a year.
	Attractions(ctx context.Context, year int) ([]Attraction, error)
}

// checkCredits checks the departments credited with a firm.
func checkCredits(p *plan.Plan, cs []Credit) []FieldError {
	var errs []FieldError
	add := func(format string, args ...any) {
		errs = append(errs, FieldError{"credits", fmt.Sprintf(format, args...)})
	}
	leads, total := 0, 0
	seen := map[string]bool{}
	for _, c := range cs {
		u, ok := p.Unit(c.Unit)
		switch {
		case !ok || u.Kind != plan.KindDepartment:
			add("“%s”不是区级部门", c.Unit)
		case seen[c.Unit]:
			add("%s重复", u.Name)
		case c.SharePct < 1 || c.SharePct > 100:
			add("%s的份额应为1%%到100%%", u.Name)
		}
		seen[c.Unit] = true
		if c.Role == RoleLead {
			leads++
		} else if c.Role != RoleCo {
			add("角色应为牵头或配合")
		}
		total += c.SharePct
	}
	if leads != 1 {
		add("应有且只有一个牵头部门,实有%d个", leads)
	}
	if total != 100 {
		add("各部门份额合计应为100%%,实为%d%%", total)
	}
	return errs
}

// RecordAttraction records (or, at the version seen, revises) which
// departments landed a firm in a year. The firm must have entered the
// statistics that year, as the directory says.
func (s *Service) RecordAttraction(ctx context.Context, actor audit.Actor, u *auth.User, a Attraction, version int) (*Attraction, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	if s.Directory == nil {
		return nil, apperr.Invalidf("未接入企业名录,无法核对入库情况")
	}
	f, err := s.Directory.Firm(ctx, u, a.USCC)
	if err != nil {
		return nil, err
	}
	var errs []FieldError
	if !strings.HasPrefix(f.IncludedOn, fmt.Sprint(a.Year)) {
		errs = append(errs, FieldError{"uscc", fmt.Sprintf("%s未在%d年入库(名录库入库时间:%s)", f.Name, a.Year, orDash(f.IncludedOn))})
	}
	errs = append(errs, checkCredits(st.Plan, a.Credits)...)
	if utf8.RuneCountInString(a.Note) > maxText {
		errs = append(errs, FieldError{"note", fmt.Sprintf("说明超过%d个字", maxText)})
	}
	if err := invalid(errs); err != nil {
		return nil, err
	}
	current, err := s.store.Attractions(ctx, a.Year)
	if err != nil {
		return nil, err
	}
	var before *Attraction
	for i := range current {
		if current[i].USCC == a.USCC {
			before = &current[i]
		}
	}
	switch {
	case before == nil && version != 0:
		return nil, apperr.Conflictf("该企业%d年的招引记录不存在或已被删除,请刷新后重试", a.Year)
	case before != nil && before.Version != version:
		return nil, apperr.Conflictf("%s %d年的招引记录已被他人修改,请刷新后重试", f.Name, a.Year)
	}
	a.Version, a.FirmName, a.EnteredBy, a.EnteredAt = version+1, f.Name, actor.Name, s.now().UTC()
	a.Note = strings.TrimSpace(a.Note)
	var prev any
	if before != nil {
		prev = before
	}
	e := audit.New(a.EnteredAt, actor, "attraction.record", "attraction", fmt.Sprintf("%d/%s", a.Year, a.USCC), prev, a)
	if err := s.store.AppendAttraction(ctx, a, e); err != nil {
		return nil, err
	}
	return &a, nil
}

func orDash(s string) string {
	if s == "" {
		return "无"
	}
	return s
}

// DeptStatus is a department's firms landed in a year.
type DeptStatus struct {
	Unit   string `json:"unit"`
	Firms  int    `json:"firms"`      // firms it is credited with, whole or shared
	Shares int    `json:"shares_pct"` // the sum of its shares, in percent (250 = 2.5 firms)
	Met    bool   `json:"met"`
}

// AttractionSummary is a year's attraction: each department's status and
// the district's total of distinct firms.
type AttractionSummary struct {
	Year   int          `json:"year"`
	Depts  []DeptStatus `json:"departments"` // every department of the plan, in plan order
	Total  int          `json:"total"`       // firms, each counted once
	Met    int          `json:"met"`         // departments with at least one firm
	Record []Attraction `json:"records"`
}

// Attractions summarises a year: open to the users who read progress.
func (s *Service) Attractions(ctx context.Context, u *auth.User, year int) (*AttractionSummary, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := s.store.Attractions(ctx, year)
	if err != nil {
		return nil, err
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].USCC < recs[j].USCC })
	return summarise(st.Plan, year, recs), nil
}

// summarise counts a year's records: each firm once in the total, once
// for every department credited.
func summarise(p *plan.Plan, year int, recs []Attraction) *AttractionSummary {
	sum := &AttractionSummary{Year: year, Record: recs}
	by := map[string]*DeptStatus{}
	for _, u := range p.Units {
		if u.Kind == plan.KindDepartment {
			sum.Depts = append(sum.Depts, DeptStatus{Unit: u.Code})
		}
	}
	for i := range sum.Depts {
		by[sum.Depts[i].Unit] = &sum.Depts[i]
	}
	firms := map[string]bool{}
	for _, a := range recs {
		firms[a.USCC] = true
		for _, c := range a.Credits {
			if d, ok := by[c.Unit]; ok {
				d.Firms++
				d.Shares += c.SharePct
			}
		}
	}
	sum.Total = len(firms)
	for i := range sum.Depts {
		if sum.Depts[i].Met = sum.Depts[i].Firms >= 1; sum.Depts[i].Met {
			sum.Met++
		}
	}
	return sum
}
