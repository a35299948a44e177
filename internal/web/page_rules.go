package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/buildings"
	"svcplan/internal/dashboard"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/supervise"
)

type rulesPage struct {
	basePage
	S            dashboard.Settings
	P            projects.Rules // the project ledger's counting rules
	MinWan       string         // P.MinTotalFen in 万元
	Foreign      string         // P.ForeignMin as "USD=1000" lines, in 万 of the currency
	L            supervise.LightRules
	B            buildings.TierRules
	Tiers        string // B's tiers as "亿元楼=10000" lines, in 万元
	Calibers     []string
	Saved, Error string
}

func (s *Server) rulesPage(r *http.Request) rulesPage {
	data := rulesPage{basePage: s.base(r, "预警规则", "admin"), S: s.dashboard.Settings(), P: s.projects.Rules(), L: s.supervise.Rules(),
		Saved: r.URL.Query().Get("saved")}
	data.MinWan = data.P.MinTotalFen.Wan()
	var lines []string
	for cur, minor := range data.P.ForeignMin {
		lines = append(lines, cur+"="+money.Fen(minor).Wan())
	}
	sort.Strings(lines)
	data.Foreign = strings.Join(lines, "\n")
	data.B = s.buildings.Rules()
	var tiers []string
	for _, t := range data.B.Tiers {
		tiers = append(tiers, t.Name+"="+t.Min.Wan())
	}
	data.Tiers = strings.Join(tiers, "\n")
	for _, c := range buildings.Calibers {
		data.Calibers = append(data.Calibers, string(c))
	}
	return data
}

// rulesShow shows the monitoring rules in force.
func (s *Server) rulesShow(w http.ResponseWriter, r *http.Request) error {
	return s.pages.render(w, http.StatusOK, "rules", s.rulesPage(r))
}

// projectRulesSave checks and saves the ledger's counting rules and
// warning bands; they take effect at once, every version kept.
func (s *Server) projectRulesSave(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	integer := func(k string) int {
		n, err := strconv.Atoi(v(k))
		if err != nil {
			return -1 // refused by Validate with its own message
		}
		return n
	}
	rules := projects.Rules{FieldsOnly: v("fields_only") == "1", CertifiedOnly: v("certified_only") == "1",
		Date: projects.DateBasis(v("date")), ForeignMin: map[string]int64{},
		Flags: projects.FlagRules{PaceYellowPP: integer("pace_yellow_pp"), PaceRedPP: integer("pace_red_pp"), LateDays: integer("late_days"),
			FAIMonths: integer("fai_months")}}
	var err error
	if rules.MinTotalFen, err = money.ParseAmount(v("min_wan"), money.WanYuan, "计划总投资下限"); err == nil {
		for _, line := range strings.Split(v("foreign"), "\n") {
			cur, amount, ok := strings.Cut(strings.TrimSpace(line), "=")
			if strings.TrimSpace(line) == "" {
				continue
			}
			var minor money.Fen
			if minor, err = money.ParseAmount(strings.TrimSpace(amount), money.WanYuan, cur+"下限"); err != nil || !ok {
				err = apperr.Invalidf("外币下限“%s”应写成USD=1000(万美元)", line)
				break
			}
			rules.ForeignMin[strings.ToUpper(strings.TrimSpace(cur))] = int64(minor)
		}
	} else {
		err = apperr.Invalidf("%s", err.Error())
	}
	if err == nil {
		err = s.projects.SaveRules(r.Context(), s.actor(r), userOf(r), rules)
	}
	return s.afterRules(w, r, err)
}

// superviseRulesSave saves the 督办 lights.
func (s *Server) superviseRulesSave(w http.ResponseWriter, r *http.Request) error {
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("yellow_days")))
	if err != nil {
		days = -1
	}
	return s.afterRules(w, r, s.supervise.SaveRules(r.Context(), s.actor(r), userOf(r), supervise.LightRules{YellowDays: days}))
}

// buildingRulesSave saves the 楼宇 tiers.
func (s *Server) buildingRulesSave(w http.ResponseWriter, r *http.Request) error {
	rules := buildings.TierRules{Caliber: buildings.Caliber(r.PostFormValue("caliber"))}
	for _, line := range strings.Split(r.PostFormValue("tiers"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, amount, ok := strings.Cut(strings.TrimSpace(line), "=")
		min, err := money.ParseAmount(strings.TrimSpace(amount), money.WanYuan, name+"的税收下限")
		if !ok || err != nil {
			return s.afterRules(w, r, apperr.Invalidf("楼宇层级“%s”应写成 亿元楼=10000(万元)", line))
		}
		rules.Tiers = append(rules.Tiers, buildings.Tier{Name: strings.TrimSpace(name), Min: min})
	}
	return s.afterRules(w, r, s.buildings.SaveRules(r.Context(), s.actor(r), userOf(r), rules))
}

func (s *Server) afterRules(w http.ResponseWriter, r *http.Request, err error) error {
	if apperr.KindOf(err) == apperr.Invalid {
		data := s.rulesPage(r)
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "rules", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/rules?saved=1", http.StatusSeeOther)
	return nil
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
		data := s.rulesPage(r)
		data.S, data.Error = st, apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "rules", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/rules?saved=1", http.StatusSeeOther)
	return nil
}
