// Package web serves svcplan's pages (Simplified Chinese, server-rendered)
// and its JSON API under /api/v1. Handlers read through the domain services
// and hold no business rules.
package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"time"

	"svcplan/internal/plan"
)

// Pinger reports whether the database answers; /healthz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options are the dependencies and settings of a Server.
type Options struct {
	Plans   *plan.Service
	DB      Pinger
	Log     *slog.Logger
	Version string
	// DevDir, when set, is the source directory of this package: templates
	// and static files are then read from disk on every request.
	DevDir string
}

// Server holds what the handlers need.
type Server struct {
	plans   *plan.Service
	db      Pinger
	log     *slog.Logger
	version string
	pages   *pageSet
	static  *staticFiles
	routes  []route
	// anyMethod matches the route patterns whatever the method, to tell a
	// wrong method (405) from a wrong path (404).
	anyMethod *http.ServeMux
	started   time.Time // Last-Modified of embedded files
}

// New builds a server, parsing every template up front so a broken one
// fails at start rather than on first use.
func New(o Options) (*Server, error) {
	if o.Plans == nil || o.DB == nil || o.Log == nil {
		return nil, errors.New("web: plans, db and log are required")
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
	s := &Server{plans: o.Plans, db: o.DB, log: o.Log, version: o.Version, pages: pages, static: static, started: time.Now()}
	s.routes = s.routeTable()
	s.anyMethod = http.NewServeMux()
	for _, rt := range s.routes {
		s.anyMethod.Handle(rt.Pattern, http.NotFoundHandler())
	}
	return s, nil
}

// Handler returns the server's HTTP handler with its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.handle(rt))
	}
	// Whatever no route takes gets a Chinese 404 or 405 page (or JSON
	// error under /api/), not the mux's plain English text.
	mux.Handle("/", s.handle(route{Pattern: "/", h: s.fallback}))
	return s.withRequestID(s.withLogging(s.withRecovery(withSecurityHeaders(withBodyLimit(mux)))))
}

// fallback answers requests no route takes: 405 when the path exists for
// another method, 404 otherwise.
func (s *Server) fallback(w http.ResponseWriter, r *http.Request) error {
	if _, pattern := s.anyMethod.Handler(r); pattern != "" {
		w.Header().Set("Allow", "GET, HEAD")
		return errMethodNotAllowed
	}
	return errNotFound("页面不存在: " + r.URL.Path)
}
