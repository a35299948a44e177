// Package web serves svcplan's pages (Simplified Chinese, server-rendered)
// and its JSON API under /api/v1. Handlers read through the domain services
// and hold no business rules; every route declares the permission it needs.
package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

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
	"svcplan/internal/supervise"
)

// Pinger reports whether the database answers; /healthz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options are the dependencies and settings of a Server.
type Options struct {
	Plans     *plan.Service
	Auth      *auth.Service
	Audit     *audit.Service
	Progress  *progress.Service
	Registry  *registry.Service
	Projects  *projects.Service
	Assess    *assess.Service
	Supervise *supervise.Service
	Buildings *buildings.Service
	Dashboard *dashboard.Service
	Values    *indicators.Service
	Settings  dashboard.SettingsStore
	DB        Pinger
	Log       *slog.Logger
	Now       func() time.Time
	Version   string
	// CookieSecure marks cookies Secure even on plain HTTP requests, for a
	// server behind an HTTPS proxy. Requests over TLS always get Secure.
	CookieSecure bool
	// TrustProxy takes the client address from X-Forwarded-For / X-Real-IP
	// and the scheme from X-Forwarded-Proto; set it only behind a proxy
	// that sets them.
	TrustProxy bool
	// SetupToken, when not empty, enables the one-time first-admin setup
	// page /setup?token=… while no account exists, until SetupExpires.
	SetupToken   string
	SetupExpires time.Time
	// UploadDir holds uploaded files between upload and import; empty
	// means the system's temporary directory.
	UploadDir string
	// DevDir, when set, is the source directory of this package: templates
	// and static files are then read from disk on every request.
	DevDir string
	// Demo marks every page as 示例数据 and shows the dashboard to
	// anonymous visitors as the 领导 role sees it.
	Demo bool
}

// Server holds what the handlers need.
type Server struct {
	plans     *plan.Service
	auth      *auth.Service
	audit     *audit.Service
	progress  *progress.Service
	registry  *registry.Service
	projects  *projects.Service
	assess    *assess.Service
	supervise *supervise.Service
	buildings *buildings.Service
	dashboard *dashboard.Service
	values    *indicators.Service
	fragments fragments
	uploads   *uploads
	db        Pinger
	log       *slog.Logger
	now       func() time.Time
	version   string
	opts      Options
	pages     *pageSet
	static    *staticFiles
	routes    []route
	logins    *rateLimiter
	// anyMethod matches the route patterns whatever the method, to tell a
	// wrong method (405) from a wrong path (404).
	anyMethod *http.ServeMux
	started   time.Time // Last-Modified of embedded files
}

// New builds a server, parsing every template up front so a broken one
// fails at start rather than on first use.
func New(o Options) (*Server, error) {
	if o.Plans == nil || o.Auth == nil || o.Audit == nil || o.Progress == nil || o.Registry == nil || o.Dashboard == nil || o.Values == nil || o.Settings == nil ||
		o.DB == nil || o.Log == nil {
		return nil, errors.New("web: plans, auth, audit, progress, registry, dashboard, values, settings, db and log are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	tfs, sfs := fs.FS(embedded), fs.FS(embedded)
	if o.DevDir != "" {
		if _, err := os.Stat(o.DevDir + "/templates"); err != nil {
			return nil, fmt.Errorf("web: dev dir: %w", err)
		}
		tfs, sfs = os.DirFS(o.DevDir), os.DirFS(o.DevDir)
	}
	static, err := newStaticFiles(sfs, o.DevDir != "")
	if err != nil {
		return nil, err
	}
	pages, err := newPageSet(tfs, static, o.DevDir != "")
	if err != nil {
		return nil, err
	}
	s := &Server{
		plans: o.Plans, auth: o.Auth, audit: o.Audit, progress: o.Progress, registry: o.Registry, projects: o.Projects, assess: o.Assess, supervise: o.Supervise, buildings: o.Buildings, dashboard: o.Dashboard, values: o.Values,
		db: o.DB, log: o.Log,
		now: o.Now, version: o.Version, opts: o, pages: pages, static: static, started: time.Now(),
		logins: newRateLimiter(loginAttemptsPerWindow, loginWindow, o.Now),
	}
	if s.uploads, err = newUploads(o.UploadDir, o.Now); err != nil {
		return nil, fmt.Errorf("web: upload directory: %w", err)
	}
	s.routes = s.routeTable()
	s.anyMethod = http.NewServeMux()
	seen := map[string]bool{}
	for _, rt := range s.routes {
		if rt.Perm == "" {
			return nil, fmt.Errorf("web: route %s %s declares no permission", rt.Method, rt.Pattern)
		}
		if !seen[rt.Pattern] {
			s.anyMethod.Handle(rt.Pattern, http.NotFoundHandler())
			seen[rt.Pattern] = true
		}
	}
	return s, nil
}

// Close deletes the uploads waiting for import.
func (s *Server) Close() error { return s.uploads.close() }

// Handler returns the server's HTTP handler with its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	turns := make(chan struct{}, runtime.GOMAXPROCS(0)+1)
	for _, rt := range s.routes {
		h := s.handle(rt)
		if takesTurns(rt) {
			h = withTurns(turns, h)
		}
		mux.Handle(rt.Method+" "+rt.Pattern, h)
	}
	// Whatever no route takes gets a Chinese 404 or 405 page (or JSON
	// error under /api/), not the mux's plain English text.
	mux.Handle("/", s.handle(route{Pattern: "/", Perm: auth.PermPublic, h: s.fallback}))
	return s.withRequestID(s.withLogging(s.withRecovery(withSecurityHeaders(s.withIdentity(mux)))))
}

// withTurns lets a few page requests work at a time, about one per CPU,
// and queues the rest in arrival order. Fifty dashboards asked at once then
// each wait their turn instead of all sharing two cores: the slowest is
// served about as fast as the average (measured with 50 clients: p99 from
// 0.5 s to 25 ms, with the cached dashboard).
func withTurns(turns chan struct{}, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case turns <- struct{}{}: // blocked senders are woken in order
		case <-r.Context().Done():
			return // the client gave up while waiting
		}
		defer func() { <-turns }()
		next.ServeHTTP(w, r)
	})
}

// takesTurns says which routes queue for a turn: pages and API reads, which
// are short and CPU-bound. Uploads, form posts, downloads of exports and
// static files do not: a slow upload or a large export must not hold a
// turn while it waits on the network.
func takesTurns(rt route) bool {
	return rt.Method == http.MethodGet && !strings.HasPrefix(rt.Pattern, "/static/") &&
		!strings.HasSuffix(rt.Pattern, ".xlsx") && !strings.HasSuffix(rt.Pattern, ".csv") &&
		!strings.HasSuffix(rt.Pattern, "/status") && !strings.HasSuffix(rt.Pattern, ".yaml")
}

// fallback answers requests no route takes: 405 when the path exists for
// another method, 404 otherwise.
func (s *Server) fallback(w http.ResponseWriter, r *http.Request) error {
	if _, pattern := s.anyMethod.Handler(r); pattern != "" {
		w.Header().Set("Allow", allowedMethods(s.routes, pattern))
		return errMethodNotAllowed
	}
	return errNotFound("页面不存在: " + r.URL.Path)
}

// allowedMethods lists the methods routes offer for a pattern.
func allowedMethods(routes []route, pattern string) string {
	allow := ""
	for _, rt := range routes {
		if rt.Pattern != pattern {
			continue
		}
		m := rt.Method
		if m == http.MethodGet {
			m = "GET, HEAD"
		}
		if allow != "" {
			allow += ", "
		}
		allow += m
	}
	return allow
}
