package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"svcplan/internal/money"
)

// embedded holds the templates, static files and the OpenAPI document, so
// the binary needs nothing beside it (no CDN on a government intranet).
//
//go:embed templates static openapi.yaml
var embedded embed.FS

// staticFiles serves files under static/ at URLs that carry a hash of the
// content ("app.1a2b3c4d.css"), so browsers may cache them for good.
type staticFiles struct {
	fsys   fs.FS
	dev    bool
	hashed map[string]string // name -> hashed name
	names  map[string]string // hashed name -> name
}

func newStaticFiles(fsys fs.FS, dev bool) (*staticFiles, error) {
	sf := &staticFiles{fsys: fsys, dev: dev, hashed: map[string]string{}, names: map[string]string{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) == ".md" {
			return nil // notes for maintainers, not served
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		sf.hashed[name], sf.names[h] = h, name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return sf, nil
}

// URL returns the URL of a static file; in dev mode the plain name, so an
// edited file is picked up on reload.
func (sf *staticFiles) URL(name string) (string, error) {
	h, ok := sf.hashed[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	if sf.dev {
		return "/static/" + name, nil
	}
	return "/static/" + h, nil
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	file := r.PathValue("file")
	name, immutable := s.static.names[file]
	if !immutable {
		if _, ok := s.static.hashed[file]; !ok {
			return errNotFound("文件不存在: " + file)
		}
		name = file
	}
	b, err := fs.ReadFile(s.static.fsys, "static/"+name)
	if err != nil {
		return fmt.Errorf("web: read static %s: %w", name, err)
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if immutable && !s.static.dev {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, name, s.started, bytes.NewReader(b))
	return nil
}

// tableArgs is what the indicator-table partial takes.
type tableArgs struct {
	Rows  []indicatorRow
	Years []int
	Place bool
}

// pageSet is the parsed templates: one per page, each with the layout and
// partials.
type pageSet struct {
	fsys  fs.FS
	funcs template.FuncMap
	dev   bool
	pages map[string]*template.Template
}

func newPageSet(fsys fs.FS, static *staticFiles, dev bool) (*pageSet, error) {
	ps := &pageSet{fsys: fsys, dev: dev, funcs: template.FuncMap{
		"static": static.URL,
		"inc":    func(i int) int { return i + 1 },
		// targets bundles the arguments of the indicator-table partial.
		"targets": func(rows []indicatorRow, years []int, place bool) tableArgs {
			return tableArgs{rows, years, place}
		},
		"source": func(text, url string) link { return link{text, url} },
		"list":   func(s ...string) []string { return s },
		// contains reports whether a comma-separated list holds v.
		"contains": func(list, v string) bool { return slices.Contains(strings.Split(list, ","), v) },
		// dirnav bundles the arguments of the directory's sub-navigation.
		"dirnav": func(tab string, u *userBadge) dirNav { return dirNav{tab, u != nil && u.CanImport} },
		// confirmArgs bundles the arguments of the class confirmation form.
		"confirmArgs": func(c *industryCheck, csrf, back string) confirmArgs { return confirmArgs{c, csrf, back} },
		"wan":         func(fen int64) string { return money.Fen(fen).Text(money.WanYuan, 2) },
		"periodLabel": periodLabel,
	}}
	if err := ps.parse(); err != nil {
		return nil, err
	}
	return ps, nil
}

func (ps *pageSet) parse() error {
	base, err := template.New("layout.html").Funcs(ps.funcs).ParseFS(ps.fsys, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("web: parse layout: %w", err)
	}
	files, err := fs.Glob(ps.fsys, "templates/pages/*.html")
	if err != nil {
		return err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(ps.fsys, f)
		if err != nil {
			return fmt.Errorf("web: parse %s: %w", f, err)
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	ps.pages = pages
	return nil
}

// fragment executes one named template of a page's set, for a part of a
// page that is cached once rendered (see the dashboard).
func (ps *pageSet) fragment(page, name string, data any) (template.HTML, error) {
	t, ok := ps.pages[page]
	if !ok {
		return "", fmt.Errorf("web: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("web: render %s/%s: %w", page, name, err)
	}
	return template.HTML(buf.String()), nil
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (ps *pageSet) render(w http.ResponseWriter, status int, page string, data any) error {
	if ps.dev {
		if err := ps.parse(); err != nil {
			return err
		}
	}
	t, ok := ps.pages[page]
	if !ok {
		return fmt.Errorf("web: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}
