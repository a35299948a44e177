package web

import (
	"net/http"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/dashboard"
	"svcplan/internal/plan"
)

type rulesPage struct {
	basePage
	S            dashboard.Settings
	Saved, Error string
}

// rulesShow shows the monitoring rules in force.
func (s *Server) rulesShow(w http.ResponseWriter, r *http.Request) error {
	data := rulesPage{basePage: s.base(r, "预警规则", "admin"), S: s.dashboard.Settings(), Saved: r.URL.Query().Get("saved")}
	return s.pages.render(w, http.StatusOK, "rules", data)
}

// rulesSave checks and saves new rules; they take effect at once.
func (s *Server) rulesSave(w http.ResponseWriter, r *http.Request) error {
	num := func(name string) plan.Number { return plan.Number(strings.TrimSpace(r.PostFormValue(name))) }
	integer := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			return -1 // refused by Validate with its own message
		}
		return n
	}
	st := s.dashboard.Settings()
	st.Rules.YellowBelowPP, st.Rules.RedBelowPP, st.Rules.RateRedBelow = num("yellow_below_pp"), num("red_below_pp"), num("rate_red_below")
	st.Rules.Decimals = integer("decimals")
	st.MinFirms, st.YoYBound, st.OutlierMADs = integer("min_firms"), integer("yoy_bound"), integer("outlier_mads")
	err := s.dashboard.SaveSettings(r.Context(), s.opts.Settings, s.actor(r), userOf(r), st)
	if apperr.KindOf(err) == apperr.Invalid {
		data := rulesPage{basePage: s.base(r, "预警规则", "admin"), S: st, Error: apperr.Message(err)}
		return s.pages.render(w, http.StatusBadRequest, "rules", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/rules?saved=1", http.StatusSeeOther)
	return nil
}
