// Package app builds every service over one open database, once, for the
// command, the web tests and the demo tests alike: a new service is wired
// here and nowhere else.
package app

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/assess"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/dashboard"
	"svcplan/internal/indicators"
	"svcplan/internal/industry"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/progress"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/supervise"
)

// Config is what the services take besides the database. Zero fields get
// the production defaults.
type Config struct {
	Policy auth.Policy      // zero: auth.DefaultPolicy()
	Hash   auth.HashParams  // zero: auth.DefaultHashParams; tests pass cheap ones
	Now    func() time.Time // zero: time.Now
}

// App is the services over one open database. It does not own the
// database: whoever opened it closes it.
type App struct {
	DB        *store.DB
	Plans     *plan.Service
	Auth      *auth.Service
	Audit     *audit.Service
	Progress  *progress.Service
	Registry  *registry.Service
	Reports   *reports.Service
	Values    *indicators.Service
	Dashboard *dashboard.Service
	Projects  *projects.Service
	Assess    *assess.Service
	Supervise *supervise.Service
	Buildings *buildings.Service
	Settings  *store.SettingsStore
}

// New builds the services over db: the registry classifies with the
// reference data in force, and the dashboard applies the stored settings.
func New(ctx context.Context, db *store.DB, cfg Config) (*App, error) {
	if cfg.Policy == (auth.Policy{}) {
		cfg.Policy = auth.DefaultPolicy()
	}
	if cfg.Hash == (auth.HashParams{}) {
		cfg.Hash = auth.DefaultHashParams
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	auditStore := store.NewAuditStore(db)
	a := &App{DB: db, Audit: audit.NewService(auditStore, cfg.Now), Settings: store.NewSettingsStore(db)}
	a.Plans = plan.NewService(store.NewPlanStore(db), cfg.Now)
	var err error
	a.Auth, err = auth.NewService(store.NewAuthStore(db), auditStore, auth.Config{
		Policy: cfg.Policy,
		Hash:   cfg.Hash,
		Now:    cfg.Now,
		UnitExists: func(ctx context.Context, code string) (bool, error) {
			st, err := a.Plans.Active(ctx)
			if apperr.KindOf(err) == apperr.NotFound {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			_, ok := st.Plan.Unit(code)
			return ok, nil
		},
	})
	if err != nil {
		return nil, err
	}
	a.Progress = progress.NewService(store.NewProgressStore(db), a.Plans, cfg.Now)
	ref, err := referenceOf(ctx, store.NewReferenceStore(db))
	if err != nil {
		return nil, err
	}
	a.Registry = registry.NewService(store.NewRegistryStore(db), a.Plans, func() registry.Reference { return ref }, cfg.Now)
	a.Reports = reports.NewService(store.NewReportStore(db), a.Plans, cfg.Now)
	a.Values = indicators.NewService(store.NewIndicatorStore(db), a.Plans, cfg.Now)
	a.Projects = projects.NewService(store.NewProjectStore(db), a.Plans, a.Settings, cfg.Now)
	a.Projects.Directory = directoryFirms{a.Registry}
	if err := a.Projects.LoadRules(ctx); err != nil {
		return nil, err
	}
	a.Assess = assess.NewService(store.NewAssessStore(db), a.Plans, assessSources{a.Values, a.Projects, a.Plans}, cfg.Now)
	a.Dashboard = dashboard.NewService(dashboard.Sources{Plans: a.Plans, Values: a.Values, Reports: a.Reports,
		Directory: a.Registry, Projects: a.Projects, Now: cfg.Now})
	if err := a.Dashboard.LoadSettings(ctx, a.Settings); err != nil {
		return nil, err
	}
	a.Buildings = buildings.NewService(store.NewBuildingStore(db), a.Plans, directoryFirmsOf{a.Registry, a.Reports}, a.Settings, cfg.Now)
	if err := a.Buildings.LoadRules(ctx); err != nil {
		return nil, err
	}
	a.Supervise = supervise.NewService(store.NewSuperviseStore(db), a.Plans,
		publishedFigures{a.Values, assessSources{a.Values, a.Projects, a.Plans}, a.Dashboard},
		a.Settings, cfg.Now)
	if err := a.Supervise.LoadRules(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// referenceOf is the reference data in force: the latest loaded version
// of each table, or the embedded one.
func referenceOf(ctx context.Context, refs *store.ReferenceStore) (registry.Reference, error) {
	ref := registry.Reference{Table: industry.Default(), Thresholds: industry.DefaultThresholds(), Crosswalk: industry.DefaultCrosswalk()}
	if t, err := refs.LatestReference(ctx, "industries"); err == nil {
		if ref.Table, err = industry.Load(bytes.NewReader(t.Content)); err != nil {
			return ref, fmt.Errorf("载入的行业分类第%d版无法读取: %w", t.Version, err)
		}
	} else if apperr.KindOf(err) != apperr.NotFound {
		return ref, err
	}
	if t, err := refs.LatestReference(ctx, "thresholds"); err == nil {
		if ref.Thresholds, err = industry.LoadThresholds(bytes.NewReader(t.Content)); err != nil {
			return ref, fmt.Errorf("载入的规模标准第%d版无法读取: %w", t.Version, err)
		}
	} else if apperr.KindOf(err) != apperr.NotFound {
		return ref, err
	}
	return ref, nil
}

// directoryFirms lets the project ledger check, through the directory's
// service, that a firm a department landed entered the statistics.
type directoryFirms struct{ r *registry.Service }

func (d directoryFirms) Firm(ctx context.Context, u *auth.User, uscc string) (projects.Firm, error) {
	e, err := d.r.Find(ctx, u, uscc)
	if err != nil {
		return projects.Firm{}, err
	}
	f := projects.Firm{Name: e.Name}
	if e.Register == registry.RegisterServices || e.Register == registry.RegisterTrade {
		f.IncludedOn = e.IncludedOn
	}
	return f, nil
}

// assessSources gives the assessment its figures through the indicator
// values' and the ledger's services.
type assessSources struct {
	values   *indicators.Service
	projects *projects.Service
	plans    *plan.Service
}

func (a assessSources) Indicators(ctx context.Context, codes []string, period string) (map[string]map[string]assess.Figure, error) {
	vs, err := a.values.Published(ctx, codes, period)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]assess.Figure, len(codes))
	type cite struct {
		version           int
		vintage, released string
	}
	sources := map[cite][2]string{} // most values share their version, vintage and release
	for _, v := range vs {
		c := cite{v.Version, v.Vintage, v.ReleasedOn}
		src, ok := sources[c]
		if !ok {
			src[0] = "已发布指标数值第" + strconv.Itoa(v.Version) + "版"
			if v.Vintage != "" {
				src[0] += " · " + v.Vintage
			}
			if v.ReleasedOn != "" {
				src[0] += " · " + v.ReleasedOn + "发布"
			}
			src[1] = "v" + strconv.Itoa(v.Version)
			sources[c] = src
		}
		if out[v.Indicator] == nil {
			out[v.Indicator] = map[string]assess.Figure{}
		}
		out[v.Indicator][v.Unit] = assess.Figure{Value: v.Rat(), Text: v.Value, Source: src[0], Ref: src[1]}
	}
	return out, nil
}

func (a assessSources) Version(ctx context.Context) (string, error) {
	v, err := a.values.Version(ctx)
	if err != nil {
		return "", err
	}
	c, err := a.projects.CountsVersion(ctx)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(v, 10) + "/" + c, nil
}

func (a assessSources) Projects(ctx context.Context, stage string, year int) (map[string]assess.Figure, error) {
	counts, err := a.projects.Counts(ctx, year)
	if err != nil {
		return nil, err
	}
	st, err := a.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	t := counts[projects.Stage(stage)]
	if t == nil {
		return nil, fmt.Errorf("assess: no count of stage %q", stage)
	}
	label := projects.Stage(stage).Label()
	out := map[string]assess.Figure{}
	for _, u := range st.Plan.Units {
		n := t.ByPlace[u.Code]
		if u.Kind == plan.KindDepartment {
			n = t.ByUnit[u.Code]
		}
		text := fmt.Sprint(n)
		out[u.Code] = assess.Figure{Value: big.NewRat(int64(n), 1), Text: text,
			Source: fmt.Sprintf("重大项目库%d年%s项目(按计数规则)", year, label), Ref: "项目" + text}
	}
	return out, nil
}

// publishedFigures gives 督查督办 the units' figures of an indicator: the
// ledger's counts of the year for the project indicators (a town or park's
// projects there, a department's it answers for), the directory's firm
// counts and the F203 reports' 营业收入 for the indicators svcplan
// computes, else each unit's latest published value, through those
// services.
type publishedFigures struct {
	values    *indicators.Service
	assess    assessSources
	dashboard *dashboard.Service
}

func (f publishedFigures) Published(ctx context.Context, indicator, year string) (map[string]supervise.Figure, error) {
	st, err := f.assess.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]supervise.Figure{}
	ind, ok := st.Plan.Indicator(indicator)
	y, err := strconv.Atoi(year)
	if !ok || err != nil {
		return out, nil
	}
	switch ind.Compute {
	case plan.ComputeProjectsSigned, plan.ComputeProjectsStarted, plan.ComputeProjectsCompleted:
		counts, err := f.assess.Projects(ctx, strings.TrimPrefix(string(ind.Compute), "projects_"), y)
		if err != nil {
			return nil, err
		}
		for unit, c := range counts {
			out[unit] = supervise.Figure{Value: c.Text, Of: year + "年项目库统计"}
		}
		return out, nil
	case plan.ComputeFirms, plan.ComputeRevenue:
		uf, err := f.dashboard.UnitFigures(ctx, indicator, y)
		if err != nil || uf == nil {
			return out, err
		}
		of := year + "年名录库统计"
		if ind.Compute == plan.ComputeRevenue {
			of = uf.Period.Label() + "规上企业报表汇总"
		}
		for unit, v := range uf.Units {
			out[unit] = supervise.Figure{Value: v.Text, Of: of, Confidential: v.Confidential}
		}
		return out, nil
	}
	vs, err := f.values.Published(ctx, []string{indicator}, year)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.Unit] = supervise.Figure{Value: v.Value, Of: year + "年已发布值"}
	}
	return out, nil
}

// directoryFirmsOf gives 楼宇经济 the directory's firms, through its
// service, with each reporting firm's 营业收入 (the main measure, 1-本月
// cumulative) of its form's latest period, through the reports' service;
// read as the system (the buildings' service decides who sees which
// firm).
type directoryFirmsOf struct {
	r    *registry.Service
	reps *reports.Service
}

func (d directoryFirmsOf) Firms(ctx context.Context) (map[string]buildings.Firm, error) {
	out := map[string]buildings.Firm{}
	system := &auth.User{Username: "system", Role: auth.RoleAdmin}
	err := d.r.Export(ctx, system, registry.Filter{}, func(e registry.Enterprise) error {
		out[e.USCC] = buildings.Firm{Name: e.Name, Class: e.Industry, Building: e.Building}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, form := range reports.Forms {
		periods, err := d.reps.Periods(ctx, form.Code)
		if err != nil {
			return nil, err
		}
		if len(periods) == 0 {
			continue
		}
		reps, err := d.reps.Reports(ctx, system, reports.Query{Form: form.Code, Periods: periods[:1]})
		if err != nil {
			return nil, err
		}
		for _, rep := range reps {
			if f, ok := out[rep.USCC]; ok && rep.Values[reports.Revenue].HasCur {
				f.Revenue = money.Fen(rep.Values[reports.Revenue].Cur)
				out[rep.USCC] = f
			}
		}
	}
	return out, nil
}

// Version changes with the directory and with the reports (the sum of
// two counters that only grow).
func (d directoryFirmsOf) Version(ctx context.Context) (int64, error) {
	v, err := d.r.Version(ctx)
	if err != nil {
		return 0, err
	}
	w, err := d.reps.Version(ctx)
	return v + w, err
}
