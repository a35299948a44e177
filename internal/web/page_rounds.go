package web

import (
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
	"svcplan/internal/projects"
	"svcplan/internal/xlsx"
)

// The monthly 调度 round: what each project's unit filed for a month,
// what is missing, and the statisticians' review.

// roundRow is a project of the round as the round page shows it.
type roundRow struct {
	projectRow
	Plan, YTD, Rate, Image, Status, Reason, By string
	InFAI                                      string
	FAI                                        string // the statistics bureau's figure, when imported
	Missing, CanReturn                         bool
	Behind                                     bool // completion below 序时进度
}

type roundPage struct {
	basePage
	Period, Label       string
	Pace                string // 序时进度, e.g. 16.7%
	Rows                []roundRow
	Filed, Missing, Due int
	CanPublish          bool
	Error               string
}

// defaultPeriod is the month a round is usually filed for: the last one.
func (s *Server) defaultPeriod() string {
	now := s.now()
	return time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// periodLabel is a period's Chinese name, 2026年1-9月, or the text as given.
func periodLabel(period string) string {
	if p, err := monitor.ParsePeriod(period); err == nil {
		return p.Label()
	}
	return period
}

func (s *Server) projectRound(w http.ResponseWriter, r *http.Request) error {
	return s.renderRound(w, r, http.StatusOK, r.URL.Query().Get("period"), "")
}

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, period, msg string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	if period == "" {
		period = s.defaultPeriod()
	}
	u := userOf(r)
	lines, err := s.projects.Round(r.Context(), u, period)
	if err != nil {
		return err
	}
	bureau, err := s.projects.MonthFAI(r.Context(), u, period)
	if err != nil {
		return err
	}
	per, _ := monitor.ParsePeriod(period) // Round checked it
	data := roundPage{basePage: s.base(r, "月度调度", "projects"), Period: period, Label: periodLabel(period), Error: msg,
		CanPublish: u.Can(auth.PermProjectEdit) && u.Unit == ""}
	pace := big.NewRat(int64(per.Month), 12)
	data.Pace = money.Percent(pace, 1)
	for i := range lines {
		l := &lines[i]
		row := roundRow{projectRow: projectRowOf(st.Plan, &l.Project), Status: "未报送", Missing: true}
		var plan money.Fen
		for _, y := range l.Project.Plans {
			if y.Year == per.Year {
				plan = y.Fen
			}
		}
		if plan > 0 {
			row.Plan = plan.Wan()
		}
		if f, ok := bureau[l.Project.Code]; ok {
			row.FAI = f.YTDFen.Wan()
		}
		if p := l.Latest; p != nil {
			row.Missing, row.Status, row.Reason, row.By = false, p.Status.Label(), p.Reason, p.EnteredBy
			row.YTD, row.Image = p.YTDFen.Wan(), p.Image
			row.InFAI = "否"
			if p.InFAI {
				row.InFAI = "是(" + p.FAIMonth + ")"
			}
			if plan > 0 {
				rate := big.NewRat(int64(p.YTDFen), int64(plan))
				row.Rate = money.Percent(rate, 1)
				row.Behind = rate.Cmp(pace) < 0
			}
			row.CanReturn = data.CanPublish && p.Status == projects.Submitted
			data.Filed++
		} else {
			data.Missing++
		}
		if row.Missing || l.Latest.Status == projects.Submitted {
			data.Due++
		}
		data.Rows = append(data.Rows, row)
	}
	return s.pages.render(w, status, "rounds", data)
}

// roundPublish publishes a month's submitted figures.
func (s *Server) roundPublish(w http.ResponseWriter, r *http.Request) error {
	period := r.PostFormValue("period")
	_, err := s.projects.Publish(r.Context(), s.actor(r), userOf(r), period)
	if apperr.KindOf(err) == apperr.Invalid {
		return s.renderRound(w, r, http.StatusBadRequest, period, apperr.Message(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/rounds?"+url.Values{"period": {period}}.Encode(), http.StatusSeeOther)
	return nil
}

// progressReturn sends a project's figure back to its unit.
func (s *Server) progressReturn(w http.ResponseWriter, r *http.Request) error {
	period := r.PathValue("period")
	_, err := s.projects.Return(r.Context(), s.actor(r), userOf(r), r.PathValue("code"), period, r.PostFormValue("reason"))
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		return s.renderRound(w, r, http.StatusBadRequest, period, apperr.Message(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/rounds?"+url.Values{"period": {period}}.Encode(), http.StatusSeeOther)
	return nil
}

// progressFile takes a unit's figures of a project for a month.
func (s *Server) progressFile(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := projects.ProgressInput{Project: r.PathValue("code"), Period: v("period"), Image: v("image"), InFAI: v("in_fai") == "1",
		FAIMonth: v("fai_month"), Reason: v("reason")}
	var err error
	if in.YTDFen, err = money.ParseAmount(v("ytd_wan"), money.WanYuan, "本年累计完成投资"); err == nil {
		in.SinceStartFen, err = money.ParseAmount(v("since_start_wan"), money.WanYuan, "自开工累计完成投资")
	}
	if err == nil {
		_, err = s.projects.File(r.Context(), s.actor(r), userOf(r), in)
	}
	return s.afterEdit(w, r, err)
}

// roundExport writes a month's round as the printable 调度表, for the
// district or, with unit, for one unit's projects.
func (s *Server) roundExport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	period, unit := q.Get("period"), q.Get("unit")
	if period == "" {
		period = s.defaultPeriod()
	}
	u := userOf(r)
	lines, err := s.projects.Round(r.Context(), u, period)
	if err != nil {
		return err
	}
	bureau, err := s.projects.MonthFAI(r.Context(), u, period)
	if err != nil {
		return err
	}
	per, _ := monitor.ParsePeriod(period)
	whose := "全区"
	if unit != "" {
		un, ok := st.Plan.Unit(unit)
		if !ok {
			return errNotFound("没有编码为“" + unit + "”的单位")
		}
		whose = un.Name
	}
	title := fmt.Sprintf("%s重大项目调度表(%s)", per.Label(), whose)
	header := []string{"序号", "项目编号", "项目名称", "建设单位", "镇街(园区)", "牵头单位", "计划总投资(万元)", "年度计划投资(万元)",
		"本年累计完成投资(万元)", "完成率", "统计局固定资产投资(万元)", "形象进度", "固投入库", "状态"}
	return s.writePrintableXLSX(w, r, "调度表"+period, title, header, func(row func([]any) error) error {
		n := 0
		for i := range lines {
			l := &lines[i]
			if unit != "" && !l.Project.HasUnit(unit) {
				continue
			}
			n++
			var plan money.Fen
			for _, y := range l.Project.Plans {
				if y.Year == per.Year {
					plan = y.Fen
				}
			}
			vals := []any{n, l.Project.Code, l.Project.Name, l.Project.Builder, unitName(st.Plan, l.Project.Unit),
				unitName(st.Plan, l.Project.Lead()), xlsx.Decimal(l.Project.Investment.TotalFen.Wan()), nil, nil, nil, nil, "", "", "未报送"}
			if plan > 0 {
				vals[7] = xlsx.Decimal(plan.Wan())
			}
			if f, ok := bureau[l.Project.Code]; ok {
				vals[10] = xlsx.Decimal(f.YTDFen.Wan())
			}
			if p := l.Latest; p != nil {
				vals[8], vals[11], vals[13] = xlsx.Decimal(p.YTDFen.Wan()), p.Image, p.Status.Label()
				vals[12] = "否"
				if p.InFAI {
					vals[12] = "是(" + p.FAIMonth + ")"
				}
				if plan > 0 {
					vals[9] = xlsx.Percent(money.Decimal(big.NewRat(int64(p.YTDFen), int64(plan)), 4))
				}
			}
			if err := row(vals); err != nil {
				return err
			}
		}
		return nil
	}, "export.round", "round", period+" "+unit)
}
