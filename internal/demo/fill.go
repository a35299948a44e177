package demo

import (
	"context"
	"fmt"

	"svcplan/internal/assess"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/indicators"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/supervise"
	"svcplan/internal/table"
)

// Services are what Fill writes through: the services every import uses,
// so demonstration data pass the same checks as real files.
type Services struct {
	Directory *registry.Service
	Reports   *reports.Service
	Values    *indicators.Service
	// Projects, when set, receives the project ledger.
	Projects *projects.Service
	// Assess, when set, receives the assessment scheme, publishes it and
	// scores it (after the ledger, whose counts it reads).
	Assess *assess.Service
	// Supervise, when set, receives the 督查督办 ledger.
	Supervise *supervise.Service
	// Buildings, when set, receives the buildings, their 台账 and the tax
	// file (after the directory, whose firms they name).
	Buildings *buildings.Service
	// Release, when set, publishes the computed figures of a report
	// period (dashboard.Service.ReleasePeriod): Fill releases every past
	// December and the latest period, so leaders see them, with last
	// year's figures to measure this year's progress against.
	Release func(ctx context.Context, actor audit.Actor, u *auth.User, per reports.Period) error
}

// Counts says what Fill wrote.
type Counts struct{ Firms, Reports, Periods, Values, Projects, Progress int }

// Fill imports generated data as an administrator would: the directory,
// each period's F203 file, the published values, then the release.
func Fill(ctx context.Context, s Services, actor audit.Actor, admin *auth.User, d *Data) (Counts, error) {
	var c Counts
	res, err := s.Directory.ImportEnterprises(ctx, actor, admin, table.FromSlices(d.Firms), table.File{Name: "示例名录.csv"},
		registry.ImportOptions{Official: true})
	if err != nil {
		return c, fmt.Errorf("示例名录: %w", err)
	}
	if imp := res.Import; imp.Outcome != "ok" || imp.Rejected != 0 {
		return c, fmt.Errorf("示例名录: %s", imp.Message)
	}
	c.Firms = res.Import.New
	form, _ := reports.FormByCode("F203")
	for _, rf := range d.Reports {
		res, err := s.Reports.Import(ctx, actor, admin, table.FromSlices(rf.Rows),
			table.File{Name: "321203_F203_" + rf.Period.String() + "(示例).csv"}, reports.Options{Form: form, Period: rf.Period})
		if err != nil {
			return c, fmt.Errorf("示例F203 %s: %w", rf.Period.Label(), err)
		}
		if imp := res.Import; imp.Outcome != "ok" || imp.Rejected != 0 {
			return c, fmt.Errorf("示例F203 %s: %s", rf.Period.Label(), imp.Message)
		}
		c.Reports += res.Import.New
		c.Periods++
	}
	for _, in := range d.Values {
		if _, err := s.Values.Save(ctx, actor, admin, in); err != nil {
			return c, fmt.Errorf("示例指标 %s %s: %w", in.Indicator, in.Period, err)
		}
		c.Values++
	}
	if s.Projects != nil {
		for _, p := range d.Projects {
			if err := fillProject(ctx, s.Projects, actor, admin, p); err != nil {
				return c, fmt.Errorf("示例项目 %s: %w", p.Code, err)
			}
			c.Projects++
		}
		last := ""
		for _, in := range d.Progress {
			if last != "" && in.Period != last {
				if _, err := s.Projects.Publish(ctx, actor, admin, last); err != nil {
					return c, fmt.Errorf("发布示例调度 %s: %w", last, err)
				}
			}
			if _, err := s.Projects.File(ctx, actor, admin, in); err != nil {
				return c, fmt.Errorf("示例调度 %s %s: %w", in.Project, in.Period, err)
			}
			last = in.Period
			c.Progress++
		}
		for _, f := range d.FAI {
			res, err := s.Projects.ImportFAI(ctx, actor, admin, table.FromSlices(f.Rows),
				table.File{Name: "固定资产投资项目" + f.Period + "(示例).csv"}, f.Period)
			if err != nil {
				return c, fmt.Errorf("示例固投 %s: %w", f.Period, err)
			}
			if len(res.Errors) > 0 {
				return c, fmt.Errorf("示例固投 %s: %s", f.Period, res.Message)
			}
		}
		for _, a := range d.Attractions {
			if _, err := s.Projects.RecordAttraction(ctx, actor, admin, a, 0); err != nil {
				return c, fmt.Errorf("示例招引 %s: %w", a.USCC, err)
			}
		}
	}
	if s.Assess != nil && len(d.Assessment.Scheme) > 0 {
		for _, in := range d.Assessment.Values {
			if _, err := s.Values.Save(ctx, actor, admin, in); err != nil {
				return c, fmt.Errorf("示例考核数据 %s %s: %w", in.Indicator, in.Unit, err)
			}
		}
		if err := fillAssessment(ctx, s.Assess, actor, admin, d.Assessment); err != nil {
			return c, fmt.Errorf("示例考核: %w", err)
		}
	}
	if s.Supervise != nil {
		if err := fillSupervision(ctx, s.Supervise, actor, admin, d.Supervision); err != nil {
			return c, fmt.Errorf("示例督办: %w", err)
		}
	}
	if s.Buildings != nil {
		if err := fillBuildings(ctx, s.Buildings, actor, admin, d.Buildings); err != nil {
			return c, fmt.Errorf("示例楼宇: %w", err)
		}
	}
	if s.Release != nil {
		for i, rf := range d.Reports {
			if rf.Period.Month() != 12 && i != len(d.Reports)-1 {
				continue
			}
			if err := s.Release(ctx, actor, admin, rf.Period); err != nil {
				return c, fmt.Errorf("发布示例计算值 %s: %w", rf.Period.Label(), err)
			}
		}
	}
	return c, nil
}

// fillProject enters a project as a statistician would: the project, each
// stage, then each certification.
func fillProject(ctx context.Context, svc *projects.Service, actor audit.Actor, admin *auth.User, p projects.Project) error {
	events := p.Events
	created, err := svc.Create(ctx, actor, admin, p)
	if err != nil {
		return err
	}
	version := created.Version
	for _, e := range events {
		cert := e.Certified
		got, err := svc.AddEvent(ctx, actor, admin, p.Code, version, e)
		if err != nil {
			return err
		}
		version = got.Version
		if cert != nil {
			if got, err = svc.Certify(ctx, actor, admin, p.Code, version, len(got.Events), *cert); err != nil {
				return err
			}
			version = got.Version
		}
	}
	return nil
}

// fillAssessment saves the scheme as a draft, enters its facts, publishes
// and scores it.
func fillAssessment(ctx context.Context, svc *assess.Service, actor audit.Actor, admin *auth.User, a Assessment) error {
	v, err := svc.SaveDraft(ctx, actor, admin, "考核方案(示例).yaml", a.Scheme)
	if err != nil {
		return err
	}
	for _, f := range a.Facts {
		f.Scheme = v.Code
		if _, err := svc.EnterFact(ctx, actor, admin, f); err != nil {
			return err
		}
	}
	if _, err := svc.Publish(ctx, actor, admin, v.Code, v.Version, ""); err != nil {
		return err
	}
	_, err = svc.ScoreRun(ctx, actor, admin, v.Code)
	return err
}

// fillSupervision registers each item as the office's ledger had it and
// replays what happened to it: the lead unit's acts as its reporter's.
func fillSupervision(ctx context.Context, svc *supervise.Service, actor audit.Actor, admin *auth.User, items []Supervised) error {
	for _, sv := range items {
		it, err := svc.Register(ctx, actor, admin, sv.Item)
		if err != nil {
			return fmt.Errorf("%s: %w", sv.Item.Title, err)
		}
		for _, a := range sv.Acts {
			u, who := admin, actor
			if a.ByUnit {
				u = &auth.User{Username: "demo-" + it.Lead, Role: auth.RoleReporter, Unit: it.Lead}
				who = audit.Actor{Name: u.Username, Role: string(auth.RoleReporter)}
			}
			in := a.In
			in.Version = it.Version
			if a.File != "" {
				in.Files = []supervise.Upload{{Name: a.File, Data: []byte("%PDF-1.4\n% 示例佐证材料\n")}}
			}
			if it, err = svc.Act(ctx, who, u, it.ID, in); err != nil {
				return fmt.Errorf("%s %s: %w", sv.Item.Title, in.Act.Label(), err)
			}
		}
	}
	return nil
}

// fillBuildings registers the buildings and imports their 台账 and the tax
// file through the same parsers an office's files go through.
func fillBuildings(ctx context.Context, svc *buildings.Service, actor audit.Actor, admin *auth.User, d Buildings) error {
	for i, b := range d.List {
		if _, err := svc.SaveBuilding(ctx, actor, admin, b); err != nil {
			return fmt.Errorf("%s: %w", b.Name, err)
		}
		res, err := svc.ImportSpace(ctx, actor, admin, b.Code, table.FromSlices(d.Ledgers[i].Rows), table.File{Name: b.Name + "台账(示例).csv"})
		if err == nil && len(res.Errors) > 0 {
			err = fmt.Errorf("%s", res.Errors[0].String())
		}
		if err != nil {
			return fmt.Errorf("%s台账: %w", b.Name, err)
		}
	}
	for _, sv := range d.Visits {
		v, err := svc.FileVisit(ctx, actor, admin, sv.Visit, nil)
		if err != nil {
			return fmt.Errorf("%s扫楼: %w", sv.Visit.Building, err)
		}
		if sv.Confirm {
			if _, err := svc.DecideVisit(ctx, actor, admin, v.ID, true, "经核实"); err != nil {
				return fmt.Errorf("%s扫楼确认: %w", sv.Visit.Building, err)
			}
		}
	}
	if len(d.Tax) < 2 {
		return nil
	}
	res, err := svc.ImportTax(ctx, actor, admin, table.FromSlices(d.Tax), table.File{Name: "分户税收(示例).csv"}, "")
	if err == nil && len(res.Errors) > 0 {
		err = fmt.Errorf("%s", res.Errors[0].String())
	}
	if err != nil {
		return fmt.Errorf("税务数据: %w", err)
	}
	return nil
}
