package web

import (
	"net/http"

	"strconv"
	"strings"
	"svcplan/internal/auth"

	"svcplan/internal/plan"
)

// siteName is the platform's name as every page shows it.
const siteName = "现代服务业高质量发展监测调度平台"

// basePage is what every page's data embeds: the layout reads it.
type basePage struct {
	Title     string // the page's own title, shown before the site name
	Nav       string // key of the active navigation entry
	Site      string
	District  string
	PlanTitle string
	DocNumber string
	Version   string
	Years     []int // the plan's years, the columns of target tables
	User      *userBadge
	CSRF      string // the session's CSRF token, for the page's forms
	Demo      bool   // the database holds demonstration data (示例数据)
}

// userBadge is the signed-in user as the page header shows it, with what
// the navigation offers them.
type userBadge struct {
	Name         string
	Role         string
	Unit         string // the unit's name; "" for the whole district
	UnitCode     string
	MustChange   bool
	CanProgress  bool
	CanManage    bool
	CanReadAudit bool
	CanReadFirms bool
	CanImport    bool
}

// dirNav is what the directory's sub-navigation needs.
type dirNav struct {
	Tab       string
	CanImport bool
}

// link is a piece of text that leads somewhere.
type link struct {
	Text string
	URL  string
}

// targetCell is one year's target as a table shows it.
type targetCell struct {
	Year   int
	Text   string // "≥100", "1–2"; empty when the year has no target
	Strive bool
	Note   string
}

// indicatorRow is an indicator as lists show it.
type indicatorRow struct {
	Code    string
	Name    string
	URL     string
	Unit    string
	Kind    string
	Place   link
	PerUnit string
	Targets []targetCell
}

// active returns the active plan or the error that explains its absence.
func (s *Server) active(r *http.Request) (*plan.Stored, error) {
	return s.plans.Active(r.Context())
}

// base fills what the layout needs: the plan's name and years (when a plan
// is loaded) and the signed-in user.
func (s *Server) base(r *http.Request, title, nav string) basePage {
	b := basePage{Title: title, Nav: nav, Site: siteName, Version: s.version, Demo: s.opts.Demo}
	st, err := s.plans.Active(r.Context())
	if err == nil {
		p := st.Plan
		b.PlanTitle, b.DocNumber = p.Meta.Title, p.Meta.DocNumber
		for _, u := range p.Units {
			if u.Kind == plan.KindDistrict {
				b.District = u.Name
				break
			}
		}
		for y := p.Meta.StartYear; y <= p.Meta.EndYear; y++ {
			b.Years = append(b.Years, y)
		}
	}
	id := identityOf(r)
	if id.p != nil {
		u := id.p.User
		b.User = &userBadge{
			Name: u.Name, Role: u.Role.Label(), UnitCode: u.Unit, MustChange: u.MustChangePassword,
			CanProgress: u.Can(auth.PermProgressRead), CanManage: u.Can(auth.PermUsersManage),
			CanReadAudit: u.Can(auth.PermAuditRead), CanReadFirms: u.Can(auth.PermFirmRead),
			CanImport: u.Can(auth.PermDirectoryImport),
		}
		if st != nil {
			if unit, ok := st.Plan.Unit(u.Unit); ok {
				b.User.Unit = unit.Name
			}
		}
		if id.p.Session != nil {
			b.CSRF = id.p.Session.CSRFToken
		}
	}
	return b
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	data := struct {
		basePage
		Status  int
		Message string
	}{s.base(r, "出错了", ""), status, msg}
	if err := s.pages.render(w, status, "error", data); err != nil {
		http.Error(w, msg, status)
	}
}

func indicatorURL(code string) string { return "/indicators/" + code }
func fieldURL(code string) string     { return "/fields/" + code }
func taskURL(field, task string) string {
	return "/fields/" + field + "#task-" + task
}
func unitURL(code string) string { return "/units/" + code }

// placeOf says where in the plan an indicator comes from.
func placeOf(p *plan.Plan, ind *plan.Indicator) link {
	switch {
	case ind.Goal != "":
		if g, ok := p.Goal(ind.Goal); ok {
			return link{g.Section + " " + g.Title, "/#goal-" + g.Code}
		}
	case ind.Field != "":
		if f, ok := p.Field(ind.Field); ok {
			l := link{f.Section + " " + f.Name, fieldURL(f.Code)}
			if t, _, ok := p.Task(ind.Task); ok {
				l.Text += " · " + t.Title
				l.URL = taskURL(f.Code, t.Code)
			}
			return l
		}
	case ind.Action != "":
		if a, ok := p.Action(ind.Action); ok {
			return link{a.Section + " " + a.Title, "/actions#" + a.Code}
		}
	}
	return link{}
}

func perUnitText(k plan.UnitKind) string {
	if k == "" {
		return ""
	}
	return "每个" + k.Label() + "分别计"
}

func (s *Server) indicatorRow(p *plan.Plan, years []int, ind *plan.Indicator) indicatorRow {
	row := indicatorRow{
		Code: ind.Code, Name: ind.Name, URL: indicatorURL(ind.Code), Unit: ind.Unit,
		Kind: ind.Kind.Label(), Place: placeOf(p, ind), PerUnit: perUnitText(ind.PerUnitKind),
	}
	for _, y := range years {
		c := targetCell{Year: y}
		if t, ok := ind.TargetFor(y); ok {
			c.Text, c.Strive, c.Note = t.Text(), t.Strive, t.Note
		}
		row.Targets = append(row.Targets, c)
	}
	return row
}

func (s *Server) indicatorRows(p *plan.Plan, years []int, inds []*plan.Indicator) []indicatorRow {
	rows := make([]indicatorRow, 0, len(inds))
	for _, ind := range inds {
		rows = append(rows, s.indicatorRow(p, years, ind))
	}
	return rows
}

func unitLinks(p *plan.Plan, codes []string) []link {
	out := make([]link, 0, len(codes))
	for _, c := range codes {
		name := c
		if u, ok := p.Unit(c); ok {
			name = u.Name
		}
		out = append(out, link{name, unitURL(c)})
	}
	return out
}

// standingText names the unit kinds a standing duty covers, as the plan
// would: "各园区、街道、镇".
func standingText(d *plan.StandingDuty) string {
	if d == nil {
		return ""
	}
	labels := make([]string, len(d.UnitKinds))
	for i, k := range d.UnitKinds {
		labels[i] = k.Label()
	}
	return "各" + strings.Join(labels, "、")
}

// sourceURL links to the paragraph of the original text that holds a
// quote, or "" when there is no text or the quote is not in it.
func sourceURL(st *plan.Stored, quote string) string {
	if n := st.Paragraph(quote); n > 0 {
		return "/plan/text#p" + strconv.Itoa(n)
	}
	return ""
}
