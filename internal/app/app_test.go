package app_test

import (
	"testing"
	"time"

	"svcplan/internal/app"
	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

// TestNew builds the services over an empty database and loads the
// shipped plan through them: accounts then check units against that
// plan, and saved monitoring rules apply to the next app.
func TestNew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
		a, err := app.New(ctx, db, app.Config{Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1},
			Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		if a.DB != db {
			t.Error("the app is not over the database it was given")
		}
		if _, err := a.Plans.Active(ctx); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("active plan of an empty database: %v, want NotFound", err)
		}
		if a.Auth.Policy() != auth.DefaultPolicy() {
			t.Errorf("policy %+v, want the default", a.Auth.Policy())
		}

		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := a.Plans.Load(ctx, audit.Actor{Name: "system"}, parsed, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		if !rev.LoadedAt.Equal(now) {
			t.Errorf("plan loaded at %v, want the clock's %v", rev.LoadedAt, now)
		}
		unit := parsed.Plan.Units[0].Code
		admin := audit.Actor{Name: "test"}
		if _, _, err := a.Auth.CreateUser(ctx, admin, auth.UserInput{Username: "nobody", Name: "无", Role: auth.RoleReporter,
			Unit: "NO-SUCH-UNIT"}); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("reporter of an unknown unit: %v, want Invalid", err)
		}
		if _, _, err := a.Auth.CreateUser(ctx, admin, auth.UserInput{Username: "reporter", Name: "填报", Role: auth.RoleReporter,
			Unit: unit}); err != nil {
			t.Errorf("reporter of unit %s: %v", unit, err)
		}

		// The next app over the database applies the saved monitoring rules.
		st := a.Dashboard.Settings()
		st.MinFirms++
		if err := a.Dashboard.SaveSettings(ctx, a.Settings, admin, &auth.User{ID: 1, Username: "admin", Role: auth.RoleAdmin}, st); err != nil {
			t.Fatal(err)
		}
		b, err := app.New(ctx, db, app.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Dashboard.Settings().MinFirms; got != st.MinFirms {
			t.Errorf("a new app has MinFirms %d, want the saved %d", got, st.MinFirms)
		}
	})
}
