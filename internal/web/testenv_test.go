package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"svcplan/internal/app"
	"svcplan/internal/assess"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/dashboard"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/progress"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/supervise"
	"svcplan/plans"
)

// fakeClock is the clock of every test server; tests move it on.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testStart is when every test server's clock starts: plan revisions,
// sessions and reports record it.
var testStart = time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)

// testClock is a fixed clock for tests that never move it.
func testClock() time.Time { return testStart }

// fastHash keeps tests quick; production uses auth.DefaultHashParams.
var fastHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

// testEnv is a server with every service over one database.
type testEnv struct {
	t         testing.TB
	db        *store.DB
	clock     *fakeClock
	plans     *plan.Service
	auth      *auth.Service
	audit     *audit.Service
	progress  *progress.Service
	registry  *registry.Service
	reports   *reports.Service
	values    *indicators.Service
	dashboard *dashboard.Service
	projects  *projects.Service
	assess    *assess.Service
	supervise *supervise.Service
	buildings *buildings.Service
	opts      Options
	srv       *Server
	h         http.Handler
}

// newTestEnv builds the services over db; withPlan loads the shipped plan.
func newTestEnv(t testing.TB, db *store.DB, withPlan bool) *testEnv {
	t.Helper()
	env := &testEnv{t: t, db: db, clock: &fakeClock{t: testStart}}
	a, err := app.New(t.Context(), db, app.Config{Policy: auth.DefaultPolicy(), Hash: fastHash, Now: env.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	env.plans, env.auth, env.audit, env.progress, env.registry = a.Plans, a.Auth, a.Audit, a.Progress, a.Registry
	env.reports, env.values, env.dashboard, env.projects, env.assess, env.supervise = a.Reports, a.Values, a.Dashboard, a.Projects, a.Assess, a.Supervise
	env.buildings = a.Buildings
	if withPlan {
		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.plans.Load(t.Context(), audit.Actor{Name: "system", Addr: "local"}, parsed, plans.Default); err != nil {
			t.Fatal(err)
		}
	}
	env.opts = Options{Plans: env.plans, Auth: env.auth, Audit: env.audit, Progress: env.progress, Registry: env.registry, Projects: env.projects, Assess: env.assess, Supervise: env.supervise, Buildings: env.buildings,
		Dashboard: env.dashboard, Values: env.values, Settings: a.Settings, DB: a.DB, Log: slog.New(slog.DiscardHandler), Now: env.clock.Now, Version: "test", UploadDir: t.TempDir()}
	env.rebuild()
	return env
}

// rebuild makes the server again after a change of env.opts.
func (env *testEnv) rebuild() {
	env.t.Helper()
	s, err := New(env.opts)
	if err != nil {
		env.t.Fatal(err)
	}
	env.srv, env.h = s, s.Handler()
}

// newTestServer returns a server over db with the shipped plan loaded.
func newTestServer(t testing.TB, db *store.DB) *Server {
	t.Helper()
	return newTestEnv(t, db, true).srv
}

const testPassword = "Svcplan#2026"

// addUser creates an account whose password is testPassword and needs no
// change.
func (env *testEnv) addUser(username string, role auth.Role, unit string) *auth.User {
	env.t.Helper()
	ctx := env.t.Context()
	admin := audit.Actor{Name: "test", Addr: "local"}
	u, initial, err := env.auth.CreateUser(ctx, admin, auth.UserInput{Username: username, Name: "测试" + username, Role: role, Unit: unit})
	if err != nil {
		env.t.Fatal(err)
	}
	if err := env.auth.ChangePassword(ctx, admin, u, 0, initial, testPassword, testPassword); err != nil {
		env.t.Fatal(err)
	}
	return u
}

// session signs a user in and returns the session cookie value and the
// session's CSRF token.
func (env *testEnv) session(username string) (cookie, csrf string) {
	env.t.Helper()
	p, token, err := env.auth.Login(env.t.Context(), audit.Actor{Addr: "192.0.2.1"}, username, testPassword, "test")
	if err != nil {
		env.t.Fatal(err)
	}
	return token, p.Session.CSRFToken
}

// req describes one test request.
type req struct {
	method, path string
	cookie       string     // session cookie value
	bearer       string     // API token
	csrf         string     // sent as form field (form) or header (JSON body)
	form         url.Values // a form body
	json         string     // a JSON body
	formCookie   string     // the double-submit cookie of sign-in forms
}

func (env *testEnv) do(r req) response {
	env.t.Helper()
	var body *strings.Reader
	switch {
	case r.form != nil:
		f := url.Values{}
		for k, v := range r.form {
			f[k] = v
		}
		if r.csrf != "" {
			f.Set(csrfField, r.csrf)
		}
		body = strings.NewReader(f.Encode())
	case r.json != "":
		body = strings.NewReader(r.json)
	default:
		body = strings.NewReader("")
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	hr.RemoteAddr = "192.0.2.1:5555"
	if r.form != nil {
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if r.csrf != "" {
		hr.Header.Set(csrfHeader, r.csrf)
	}
	if r.json != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: sessionCookie, Value: r.cookie})
	}
	if r.formCookie != "" {
		hr.AddCookie(&http.Cookie{Name: formCSRFCookie, Value: r.formCookie})
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, hr)
	return response{rec.Code, rec.Result().Header, rec.Body.String()}
}

// auditEntries returns the audit log, newest first.
func (env *testEnv) auditEntries(f audit.Filter) []audit.Entry {
	env.t.Helper()
	if f.Limit == 0 {
		f.Limit = 1000
	}
	es, err := env.audit.List(env.t.Context(), f)
	if err != nil {
		env.t.Fatal(err)
	}
	return es
}
