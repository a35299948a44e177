package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/projects"
)

// The project ledger's JSON API: the same services as the pages. Amounts
// are in fen (integers), dates YYYY-MM-DD.

type apiProjectPage struct {
	Total   int                `json:"total"`
	Page    int                `json:"page"`
	PerPage int                `json:"per_page"`
	Items   []projects.Project `json:"items"`
}

func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) error {
	q := projectQueryOf(r)
	f, err := q.filter()
	if err != nil {
		return err
	}
	var per int
	if q.Page, per, err = apiPaging(r.URL.Query(), projectPageSize, projects.MaxLimit); err != nil {
		return err
	}
	f.Limit, f.Offset = per, (q.Page-1)*per
	list, total, err := s.projects.List(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiProjectPage{Total: total, Page: q.Page, PerPage: per, Items: nonNil(list)})
	return nil
}

type apiProjectDetail struct {
	Project  *projects.Project   `json:"project"`
	Stage    projects.Stage      `json:"stage"`
	History  []apiProjectVersion `json:"history"`
	Progress []projects.Progress `json:"progress"` // every version, the latest month first
	FAI      []projects.FAI      `json:"fai"`      // the statistics bureau's, likewise
	Problems []projects.Problem  `json:"problems"`
	Flags    []projects.Flag     `json:"flags"`
}

type apiProjectVersion struct {
	Project      projects.Project `json:"project"`
	Changed      []string         `json:"changed"`
	SupersededAt time.Time        `json:"superseded_at"`
	SupersededBy string           `json:"superseded_by"`
}

func (s *Server) apiProject(w http.ResponseWriter, r *http.Request) error {
	d, err := s.projects.Detail(r.Context(), userOf(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	p := d.Project
	out := apiProjectDetail{Project: p, Stage: p.Stage(), History: []apiProjectVersion{}, Progress: nonNil(d.Progress),
		FAI: nonNil(d.FAI), Problems: nonNil(d.Problems), Flags: nonNil(d.Flags)}
	for _, v := range d.History {
		out.History = append(out.History, apiProjectVersion{v.Project, v.Changed, v.SupersededAt, v.SupersededBy})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiStageCount is one stage's count of a year; the projects are listed for
// signed-in users only.
type apiStageCount struct {
	Stage    projects.Stage `json:"stage"`
	Total    int            `json:"total"`
	ByField  map[string]int `json:"by_field"`
	ByPlace  map[string]int `json:"by_place"`
	ByUnit   map[string]int `json:"by_unit"`
	Projects []string       `json:"projects,omitempty"`
}

type apiStageCounts struct {
	Year   int             `json:"year"`
	Rules  projects.Rules  `json:"rules"`
	Counts []apiStageCount `json:"counts"`
}

func (s *Server) apiProjectCounts(w http.ResponseWriter, r *http.Request) error {
	year, err := s.queryYear(r)
	if err != nil {
		return err
	}
	counts, err := s.projects.Counts(r.Context(), year)
	if err != nil {
		return err
	}
	out := apiStageCounts{Year: year, Rules: s.projects.Rules()}
	for _, st := range projects.Counted {
		t := counts[st]
		c := apiStageCount{Stage: st, Total: t.Total, ByField: t.ByField, ByPlace: t.ByPlace, ByUnit: t.ByUnit}
		if userOf(r) != nil {
			c.Projects = nonNil(t.Projects)
		}
		out.Counts = append(out.Counts, c)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// queryYear reads ?year=, this year when it is absent.
func (s *Server) queryYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return s.now().Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.Invalidf("year应为2000到2100的年份")
	}
	return y, nil
}

// decodeBody reads a JSON request body into v, refusing unknown fields.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.Invalidf("请求内容不是有效的JSON: %v", err)
	}
	return nil
}

func (s *Server) apiProjectCreate(w http.ResponseWriter, r *http.Request) error {
	var in projects.Project
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, err := s.projects.Create(r.Context(), s.actor(r), userOf(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) apiProjectEvent(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Version int            `json:"version"`
		Event   projects.Event `json:"event"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, err := s.projects.AddEvent(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), in.Version, in.Event)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiProjectCertify(w http.ResponseWriter, r *http.Request) error {
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		return errNotFound("没有这条阶段记录")
	}
	var in struct {
		Version       int                    `json:"version"`
		Certification projects.Certification `json:"certification"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, err := s.projects.Certify(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), in.Version, seq, in.Certification)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
