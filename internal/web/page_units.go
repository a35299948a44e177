package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"svcplan/internal/auth"

	"svcplan/internal/plan"
	"svcplan/internal/projects"
)

type unitRow struct {
	Unit       plan.Unit
	URL        string
	Lead       int
	Co         int
	Implement  int
	Actions    int
	Indicators int
}

type unitGroup struct {
	Label string
	Rows  []unitRow
}

type unitListPage struct {
	basePage
	Groups []unitGroup
}

// unitKindOrder is the order unit kinds are listed in: departments carry
// most of the plan, then the parks, streets and towns that implement it.
var unitKindOrder = []plan.UnitKind{plan.KindDepartment, plan.KindPark, plan.KindSubdistrict, plan.KindTown, plan.KindDistrict}

func (s *Server) unitList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	data := unitListPage{basePage: s.base(r, "责任单位", "units")}
	for _, kind := range unitKindOrder {
		g := unitGroup{Label: kind.Label()}
		for _, u := range p.Units {
			if u.Kind != kind {
				continue
			}
			d := p.UnitDuties(u.Code)
			row := unitRow{Unit: u, URL: unitURL(u.Code), Actions: len(d.Actions), Indicators: len(d.Indicators)}
			for _, td := range d.Tasks {
				switch td.Role {
				case plan.RoleLead:
					row.Lead++
				case plan.RoleCo:
					row.Co++
				case plan.RoleImplement:
					row.Implement++
				}
			}
			g.Rows = append(g.Rows, row)
		}
		if len(g.Rows) > 0 {
			data.Groups = append(data.Groups, g)
		}
	}
	return s.pages.render(w, http.StatusOK, "units", data)
}

// fieldTasks is a field with the tasks of it a unit takes part in.
type fieldTasks struct {
	Field link
	Tasks []link
}

type actionDutyView struct {
	Role   string
	Action link
}

type unitPage struct {
	basePage
	Unit           plan.Unit
	Kind           string
	Parent         link
	Lead, Co       []fieldTasks
	Implement      []fieldTasks
	ImplementCount int
	StandingSource string
	Actions        []actionDutyView
	Own            []indicatorRow // targets the unit must meet on its own
	Related        []indicatorRow // targets of the fields and tasks it leads or supports
	ProgressURL    string         // the unit's progress reports, for users who may read them
	// The unit's major projects, for users who may read them.
	Projects      []projectRow
	ProjectsTotal int
	ProjectsURL   string
	ProjectFlags  int // of the unit's projects, those with warnings
	// Attraction is a department's firms landed this year (五(四)), nil
	// for other units.
	Attraction *unitAttraction
	// Supervised are the 督办 items the unit leads or partners, those
	// needing attention first.
	Supervised []superviseRow
}

func (s *Server) unitShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	p := st.Plan
	d := p.UnitDuties(r.PathValue("code"))
	if d.Unit == nil {
		return errNotFound("没有编码为“" + r.PathValue("code") + "”的单位")
	}
	data := unitPage{
		basePage: s.base(r, d.Unit.Name, "units"),
		Unit:     *d.Unit,
		Kind:     d.Unit.Kind.Label(),
	}
	data.Own = s.indicatorRows(p, data.Years, d.Indicators)
	if u := userOf(r); u != nil && auth.Check(u, auth.PermProgressRead, d.Unit.Code) == nil {
		data.ProgressURL = "/units/" + url.PathEscape(d.Unit.Code) + "/progress"
		if err := s.unitProjects(r, p, u, d.Unit, &data); err != nil {
			return err
		}
	}
	if parent, ok := p.Unit(d.Unit.Parent); ok {
		data.Parent = link{parent.Name, unitURL(parent.Code)}
	}
	if p.StandingDuty != nil {
		data.StandingSource = p.StandingDuty.Source
	}
	var related []string // fields and tasks whose indicators concern the unit
	for _, td := range d.Tasks {
		t := link{td.Task.Title, taskURL(td.Field.Code, td.Task.Code)}
		f := link{td.Field.Section + " " + td.Field.Name, fieldURL(td.Field.Code)}
		switch td.Role {
		case plan.RoleLead:
			data.Lead = appendTask(data.Lead, f, t)
		case plan.RoleCo:
			data.Co = appendTask(data.Co, f, t)
		case plan.RoleImplement:
			data.Implement = appendTask(data.Implement, f, t)
			data.ImplementCount++
			continue
		}
		related = append(related, td.Task.Code)
		if !slices.Contains(related, td.Field.Code) {
			related = append(related, td.Field.Code)
		}
	}
	for _, ad := range d.Actions {
		data.Actions = append(data.Actions, actionDutyView{ad.Role.Label(), link{ad.Action.Section + " " + ad.Action.Title, "/actions#" + ad.Action.Code}})
	}
	for i := range p.Indicators {
		ind := &p.Indicators[i]
		// An indicator of a task concerns the units of that task; one of a
		// field as a whole concerns the units of any of its tasks.
		if ind.Task != "" && slices.Contains(related, ind.Task) || ind.Task == "" && ind.Field != "" && slices.Contains(related, ind.Field) {
			data.Related = append(data.Related, s.indicatorRow(p, data.Years, ind))
		}
	}
	return s.pages.render(w, http.StatusOK, "unit", data)
}

func appendTask(groups []fieldTasks, f, t link) []fieldTasks {
	if n := len(groups); n > 0 && groups[n-1].Field == f {
		groups[n-1].Tasks = append(groups[n-1].Tasks, t)
		return groups
	}
	return append(groups, fieldTasks{Field: f, Tasks: []link{t}})
}

// unitProjects fills in the projects a unit hosts or answers for (本单位项目).
func (s *Server) unitProjects(r *http.Request, p *plan.Plan, u *auth.User, unit *plan.Unit, data *unitPage) error {
	if unit.Kind == plan.KindDistrict {
		return nil
	}
	list, total, err := s.projects.List(r.Context(), u, projects.Filter{Unit: unit.Code, Limit: 10})
	if err != nil {
		return err
	}
	for i := range list {
		data.Projects = append(data.Projects, projectRowOf(p, &list[i]))
	}
	data.ProjectsTotal, data.ProjectsURL = total, "/projects?"+url.Values{"unit": {unit.Code}}.Encode()
	scoped := &auth.User{Role: u.Role, Unit: unit.Code, FirmAccess: u.FirmAccess}
	sum, err := s.projects.FlagSummary(r.Context(), scoped)
	if err != nil {
		return err
	}
	data.ProjectFlags = sum.Red + sum.Yellow
	lines, err := s.supervise.Board(r.Context(), scoped)
	if err != nil {
		return err
	}
	for _, l := range lines {
		data.Supervised = append(data.Supervised, superviseRowOf(p, l))
	}
	if unit.Kind != plan.KindDepartment {
		return nil
	}
	year := s.now().Year()
	att, err := s.projects.Attractions(r.Context(), u, year)
	if err != nil {
		return err
	}
	for _, d := range att.Depts {
		if d.Unit == unit.Code {
			data.Attraction = &unitAttraction{Year: year, Firms: d.Firms, Shares: sharesText(d.Shares), Met: d.Met}
		}
	}
	return nil
}

// unitAttraction is a department's 招引入库 of a year.
type unitAttraction struct {
	Year, Firms int
	Shares      string // 1.5: its shares of the firms, in firms
	Met         bool
}

// sharesText writes a sum of shares in percent as firms: 250 → 2.50.
func sharesText(pct int) string { return fmt.Sprintf("%d.%02d", pct/100, pct%100) }
