package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/projects"
)

// Plan 五(四): the firms each department landed in a year.

type attractionDept struct {
	Name, Shares string
	Firms        int
	Met          bool
}

type attractionRow struct {
	projects.Attraction
	Credits string
}

type attractionPage struct {
	basePage
	Year    int
	Depts   []attractionDept
	Rows    []attractionRow
	Total   int
	Met     int
	CanEdit bool
	Units   []option
	Error   string
	Errors  map[string]string
}

func (s *Server) attractionShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderAttraction(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderAttraction(w http.ResponseWriter, r *http.Request, status int, msg string, errs map[string]string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	year := s.now().Year()
	if y, err := strconv.Atoi(r.FormValue("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	u := userOf(r)
	sum, err := s.projects.Attractions(r.Context(), u, year)
	if err != nil {
		return err
	}
	p := st.Plan
	data := attractionPage{basePage: s.base(r, "部门招引", "projects"), Year: year, Total: sum.Total, Met: sum.Met,
		CanEdit: u.Can(auth.PermProjectEdit), Error: msg, Errors: errs}
	for _, d := range sum.Depts {
		data.Depts = append(data.Depts, attractionDept{Name: unitName(p, d.Unit), Firms: d.Firms, Met: d.Met,
			Shares: sharesText(d.Shares)})
		data.Units = append(data.Units, option{d.Unit, unitName(p, d.Unit)})
	}
	for _, a := range sum.Record {
		var parts []string
		for _, c := range a.Credits {
			role := "牵头"
			if c.Role == projects.RoleCo {
				role = "配合"
			}
			parts = append(parts, unitName(p, c.Unit)+"("+role+strconv.Itoa(c.SharePct)+"%)")
		}
		data.Rows = append(data.Rows, attractionRow{Attraction: a, Credits: strings.Join(parts, "、")})
	}
	return s.pages.render(w, status, "attraction", data)
}

// attractionRecord records the departments that landed a firm.
func (s *Server) attractionRecord(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	year, _ := strconv.Atoi(v("year"))
	a := projects.Attraction{Year: year, USCC: strings.ToUpper(v("uscc")), Note: v("note")}
	leadShare, _ := strconv.Atoi(v("lead_share"))
	a.Credits = append(a.Credits, projects.Credit{Unit: v("lead"), Role: projects.RoleLead, SharePct: leadShare})
	if co := v("co"); co != "" {
		coShare, _ := strconv.Atoi(v("co_share"))
		a.Credits = append(a.Credits, projects.Credit{Unit: co, Role: projects.RoleCo, SharePct: coShare})
	}
	version, _ := strconv.Atoi(v("version"))
	_, err := s.projects.RecordAttraction(r.Context(), s.actor(r), userOf(r), a, version)
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict || k == apperr.NotFound {
		return s.renderAttraction(w, r, http.StatusBadRequest, apperr.Message(err), fieldErrors(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/attraction?"+url.Values{"year": {strconv.Itoa(year)}}.Encode(), http.StatusSeeOther)
	return nil
}
