package web

import (
	"net/http"
	"net/url"
	"strconv"

	"svcplan/internal/apperr"
	"svcplan/internal/registry"
)

// industryCheck is a firm's class awaiting confirmation, as the checking
// page and the firm's page show it: the GB/T 4754-2011 class it came
// with, the classes 2017 split it into, and the provisional one.
type industryCheck struct {
	Old         string   // "7240 广告业"
	Provisional string   // code of the class the firm has now
	Candidates  []option // the 2017 classes, code and name
	Version     int      // the firm's version the choice is made on
	Action      string   // where the choice is posted
}

func (s *Server) industryCheck(e registry.Enterprise) *industryCheck {
	if e.Industry2011 == "" {
		return nil
	}
	c := &industryCheck{Old: e.Industry2011, Provisional: e.Industry, Version: e.Version,
		Action: "/enterprises/checks/" + url.PathEscape(e.USCC)}
	succ, ok := s.registry.Successor(e.Industry2011)
	if !ok {
		return c
	}
	c.Old += " " + succ.Old.Name
	ref := s.registry.Ref()
	for _, code := range succ.Classes {
		c.Candidates = append(c.Candidates, option{code, code + " " + ref.IndustryName(code)})
	}
	return c
}

// confirmArgs are the arguments of the industry-confirm partial.
type confirmArgs struct {
	C    *industryCheck
	CSRF string
	Back string // "checks" to come back to the checking page
}

type checkRow struct {
	firmRow
	Check *industryCheck
}

type checksPage struct {
	basePage
	Q        dirQuery
	Units    []option
	Rows     []checkRow
	Total    int
	From, To int
	PrevURL  string
	NextURL  string
	Flagged  int // firms whose USCC awaits a check
}

// enterpriseChecks lists the firms whose data awaits a statistician's
// check: the class of firms that came with a 2011 code 2017 split, with a
// form to confirm it, and the count of codes whose check character failed.
func (s *Server) enterpriseChecks(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	q := dirQueryOf(r)
	f, err := s.dirFilter(r, dirQuery{Q: q.Q, Unit: q.Unit, Page: q.Page})
	if err != nil {
		return err
	}
	f.Unsure = true
	firms, total, err := s.registry.Search(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	data := checksPage{basePage: s.base(r, "待核实", "directory"), Q: q, Total: total}
	var dp dirPage
	s.dirOptions(st.Plan, &dp)
	data.Units = dp.Units
	ref := s.registry.Ref()
	for _, e := range firms {
		data.Rows = append(data.Rows, checkRow{firmRow: s.firmRow(st.Plan, ref, e), Check: s.industryCheck(e)})
	}
	data.From, data.To, data.PrevURL, data.NextURL = pager("/enterprises/checks", dirQuery{Q: q.Q, Unit: q.Unit}.values(),
		q.Page, f.Offset, len(firms), total)
	if _, data.Flagged, err = s.registry.Search(r.Context(), userOf(r), registry.Filter{Flagged: true, Limit: 1}); err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "enterprise_checks", data)
}

// confirmIndustry takes a statistician's choice of a firm's 2017 class.
func (s *Server) confirmIndustry(w http.ResponseWriter, r *http.Request) error {
	uscc := r.PathValue("uscc")
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return apperr.Invalidf("缺少企业版本号,请刷新页面后重试")
	}
	if _, err := s.registry.ConfirmIndustry(r.Context(), s.actor(r), userOf(r), uscc, r.PostFormValue("class"), version); err != nil {
		return err
	}
	back := "/enterprises/" + url.PathEscape(uscc)
	if r.PostFormValue("back") == "checks" {
		back = "/enterprises/checks"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
