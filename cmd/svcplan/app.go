package main

import (
	"context"
	"log/slog"
	"time"

	svcapp "svcplan/internal/app"
	"svcplan/internal/auth"
	"svcplan/internal/config"
)

// app is the services over one open database, built once by internal/app.
type app struct{ *svcapp.App }

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
	s, err := svcapp.New(ctx, db, svcapp.Config{Policy: policyOf(cfg), Hash: auth.DefaultHashParams, Now: time.Now})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{s}, nil
}

func (a *app) Close() error { return a.DB.Close() }
