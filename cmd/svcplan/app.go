package main

import (
	"context"
	"log/slog"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/config"
	"svcplan/internal/dashboard"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/progress"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/store"
)

// app is the services over one open database, wired explicitly.
type app struct {
	db        *store.DB
	plans     *plan.Service
	auth      *auth.Service
	audit     *audit.Service
	progress  *progress.Service
	registry  *registry.Service
	reports   *reports.Service
	values    *indicators.Service
	dashboard *dashboard.Service
}

// policyOf is the security policy the configuration sets.
func policyOf(cfg config.Config) auth.Policy {
	return auth.Policy{
		MinLength:       cfg.PasswordMinLength,
		MinClasses:      cfg.PasswordMinClasses,
		MaxFailures:     cfg.LockoutThreshold,
		Lockout:         cfg.LockoutDuration,
		IdleTimeout:     cfg.SessionIdle,
		SessionLifetime: cfg.SessionMax,
	}
}

// openApp opens the database (migrating it when migrate is set) and builds
// the services.
func openApp(ctx context.Context, cfg config.Config, migrate bool, log *slog.Logger) (*app, error) {
	db, err := openDB(ctx, cfg, migrate, log)
	if err != nil {
		return nil, err
	}
	auditStore := store.NewAuditStore(db)
	a := &app{db: db, audit: audit.NewService(auditStore, time.Now)}
	a.plans = plan.NewService(store.NewPlanStore(db), time.Now)
	a.auth, err = auth.NewService(store.NewAuthStore(db), auditStore, auth.Config{
		Policy: policyOf(cfg),
		Hash:   auth.DefaultHashParams,
		Now:    time.Now,
		UnitExists: func(ctx context.Context, code string) (bool, error) {
			st, err := a.plans.Active(ctx)
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
		db.Close()
		return nil, err
	}
	a.progress = progress.NewService(store.NewProgressStore(db), a.plans, time.Now)
	ref, err := referenceOf(ctx, store.NewReferenceStore(db))
	if err != nil {
		db.Close()
		return nil, err
	}
	a.registry = registry.NewService(store.NewRegistryStore(db), a.plans, func() registry.Reference { return ref }, time.Now)
	a.reports = reports.NewService(store.NewReportStore(db), a.plans, time.Now)
	a.values = indicators.NewService(store.NewIndicatorStore(db), a.plans, time.Now)
	a.dashboard = dashboard.NewService(dashboard.Sources{Plans: a.plans, Values: a.values, Reports: a.reports,
		Directory: a.registry, Now: time.Now})
	if err := a.dashboard.LoadSettings(ctx, store.NewSettingsStore(db)); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }
