package web

import (
	"net/http"

	"svcplan/internal/apperr"
	"svcplan/internal/registry"
)

// The directory's JSON API, for the same users as its pages and within the
// same data scope. Amounts are in fen (integers), as stored.

type apiFirm struct {
	registry.Enterprise
	IndustryName string `json:"industry_name"`
	Field        string `json:"field"` // the plan's field code, or "other"
}

func (s *Server) apiFirmOf(e registry.Enterprise, ref registry.Reference, fieldOf func(string) string) apiFirm {
	return apiFirm{Enterprise: e, IndustryName: ref.IndustryName(e.Industry), Field: fieldOf(e.Industry)}
}

func (s *Server) fieldCoder(r *http.Request) (func(string) string, error) {
	st, err := s.active(r)
	if err != nil {
		return nil, err
	}
	return func(class string) string {
		if f, ok := st.Plan.FieldOfIndustry(class); ok {
			return f.Code
		}
		return registry.FieldOther
	}, nil
}

type apiFirmPage struct {
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
	Items   []apiFirm `json:"items"`
}

func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request) error {
	q := dirQueryOf(r)
	f, err := s.dirFilter(r, q)
	if err != nil {
		return err
	}
	var per int
	if q.Page, per, err = apiPaging(r.URL.Query(), dirPageSize, registry.MaxLimit); err != nil {
		return err
	}
	f.Limit, f.Offset = per, (q.Page-1)*per
	if q.Status != "" && registry.Status(q.Status).Label() == "" {
		return apperr.Invalidf("status“%s”无效", q.Status)
	}
	if q.Register != "" && registry.Register(q.Register).Label() == "" {
		return apperr.Invalidf("register“%s”无效", q.Register)
	}
	fieldOf, err := s.fieldCoder(r)
	if err != nil {
		return err
	}
	firms, total, err := s.registry.Search(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	ref := s.registry.Ref()
	out := apiFirmPage{Total: total, Page: q.Page, PerPage: per, Items: []apiFirm{}}
	for _, e := range firms {
		out.Items = append(out.Items, s.apiFirmOf(e, ref, fieldOf))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type apiFirmDetail struct {
	apiFirm
	History    []registry.Version   `json:"history"`
	Revenue    []registry.Revenue   `json:"revenue"`
	Assessment *registry.Assessment `json:"assessment,omitempty"`
}

func (s *Server) apiEnterprise(w http.ResponseWriter, r *http.Request) error {
	fieldOf, err := s.fieldCoder(r)
	if err != nil {
		return err
	}
	d, err := s.registry.Find(r.Context(), userOf(r), r.PathValue("uscc"))
	if err != nil {
		return err
	}
	out := apiFirmDetail{apiFirm: s.apiFirmOf(d.Enterprise, s.registry.Ref(), fieldOf), History: d.History,
		Revenue: d.Revenue, Assessment: d.Assessment}
	out.History, out.Revenue = nonNil(out.History), nonNil(out.Revenue)
	writeJSON(w, http.StatusOK, out)
	return nil
}

type apiCount struct {
	Field    string            `json:"field"`
	Unit     string            `json:"unit"`
	Register registry.Register `json:"register"`
	N        int               `json:"n"`
}

// apiEnterpriseCounts counts the firms in business by field, unit and
// register.
func (s *Server) apiEnterpriseCounts(w http.ResponseWriter, r *http.Request) error {
	fieldOf, err := s.fieldCoder(r)
	if err != nil {
		return err
	}
	counts, err := s.registry.Counts(r.Context(), userOf(r), registry.Filter{Statuses: []registry.Status{registry.StatusActive}})
	if err != nil {
		return err
	}
	type key struct {
		field, unit string
		reg         registry.Register
	}
	sum := map[key]int{}
	var order []key
	for _, c := range counts {
		k := key{fieldOf(c.Industry), c.Unit, c.Register}
		if _, seen := sum[k]; !seen {
			order = append(order, k)
		}
		sum[k] += c.N
	}
	out := make([]apiCount, 0, len(order))
	for _, k := range order {
		out = append(out, apiCount{k.field, k.unit, k.reg, sum[k]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": out})
	return nil
}

type apiListed struct {
	apiFirm
	Figure     registry.Figure     `json:"figure"`
	Assessment registry.Assessment `json:"assessment"`
}

// apiEnterpriseLists returns the 应统未统 list or the cultivation pool.
func (s *Server) apiEnterpriseLists(w http.ResponseWriter, r *http.Request) error {
	fieldOf, err := s.fieldCoder(r)
	if err != nil {
		return err
	}
	c, err := s.listsOf(r)
	if err != nil {
		return err
	}
	ref := s.registry.Ref()
	out := make([]apiListed, 0, len(c.Rows))
	for _, l := range c.Rows {
		out = append(out, apiListed{s.apiFirmOf(l.Enterprise, ref, fieldOf), l.Figure, l.Assessment})
	}
	writeJSON(w, http.StatusOK, map[string]any{"list": c.Name, "pool_percent": s.registry.PoolPercent, "items": out})
	return nil
}

func (s *Server) apiImports(w http.ResponseWriter, r *http.Request) error {
	imps, err := s.registry.Imports(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	imps = nonNil(imps)
	writeJSON(w, http.StatusOK, map[string]any{"imports": imps})
	return nil
}
