package web

import (
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
)

// The project ledger's pages: the list with this year's counts against
// the plan's targets, a project with its stages, and the forms that keep
// the ledger (statisticians and administrators).

const projectPageSize = 50

// projectQuery is the list's filter form as the URL carries it.
type projectQuery struct {
	Q, Field, Place, Unit, Stage, Level string
	Page                                int
}

func projectQueryOf(r *http.Request) projectQuery {
	q := r.URL.Query()
	return projectQuery{Q: strings.TrimSpace(q.Get("q")), Field: q.Get("field"), Place: q.Get("place"), Unit: q.Get("unit"),
		Stage: q.Get("stage"), Level: q.Get("level"), Page: pageNumber(q)}
}

func (q projectQuery) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": q.Q, "field": q.Field, "place": q.Place, "unit": q.Unit, "stage": q.Stage, "level": q.Level} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

func (q projectQuery) filter() (projects.Filter, error) {
	if err := checkSearch(q.Q); err != nil {
		return projects.Filter{}, err
	}
	if q.Stage != "" && projects.Stage(q.Stage).Label() == "" {
		return projects.Filter{}, apperr.Invalidf("阶段“%s”不认识", q.Stage)
	}
	return projects.Filter{Query: q.Q, Field: q.Field, Place: q.Place, Unit: q.Unit, Stage: projects.Stage(q.Stage),
		Level: projects.Level(q.Level), Limit: projectPageSize, Offset: (q.Page - 1) * projectPageSize}, nil
}

// projectRow is a project as the list shows it.
type projectRow struct {
	Code, URL, Name, Builder, Field, Place, Lead, Total, Stage, Level string
	Pending                                                           bool // its latest stage awaits certification
}

func projectRowOf(p *plan.Plan, pr *projects.Project) projectRow {
	row := projectRow{Code: pr.Code, URL: "/projects/" + url.PathEscape(pr.Code), Name: pr.Name, Builder: pr.Builder,
		Field: fieldName(p, pr.Field), Place: unitName(p, pr.Unit), Lead: unitName(p, pr.Lead()),
		Total: yi(pr.Investment.TotalFen), Stage: pr.Stage().Label(), Level: strings.TrimSuffix(pr.Level.Label(), "项目")}
	if n := len(pr.Events); n > 0 && pr.Events[n-1].Certified == nil && pr.Events[n-1].Stage != projects.StagePlanning {
		row.Pending = true
	}
	return row
}

// yi writes an amount in 亿元 with two decimals.
func yi(f money.Fen) string { return f.Text(money.YiYuan, 2) }

func fieldName(p *plan.Plan, code string) string {
	if code == projects.FieldOther {
		return "其他(非服务业)"
	}
	if f, ok := p.Field(code); ok {
		return f.Name
	}
	return code
}

// unitName is a unit's name in a plan, or its code (also without a plan).
func unitName(p *plan.Plan, code string) string {
	if p == nil {
		return code
	}
	if u, ok := p.Unit(code); ok {
		return u.Name
	}
	return code
}

// countTile is one of the year's three counts against its target.
type countTile struct {
	Label  string // 签约
	N      int
	Target string // "≥20", or "" without one
	Met    bool
	URL    string // the counted projects
}

type projectsPage struct {
	basePage
	Q        projectQuery
	Year     int
	Tiles    []countTile
	Rows     []projectRow
	Total    int
	From, To int
	PrevURL  string
	NextURL  string
	Error    string
	Fields   []option
	Places   []option
	Units    []option
	Stages   []option
	Levels   []option
	CanEdit  bool
	Counted  string // the stage whose counted projects the list shows
	Flagged  bool   // the list shows the flagged projects
	Red      int    // flagged projects: with a red flag
	Yellow   int    // with yellow flags only
}

// countLabels name the three yearly counts.
var countLabels = map[projects.Stage]string{projects.StageSigned: "新签约", projects.StageStarted: "新开工", projects.StageCompleted: "新竣工"}

// projectStageIndicators are the plan's computations of each counted stage.
var projectStageIndicators = map[projects.Stage]plan.Computation{projects.StageSigned: plan.ComputeProjectsSigned,
	projects.StageStarted: plan.ComputeProjectsStarted, projects.StageCompleted: plan.ComputeProjectsCompleted}

func (s *Server) projectOptions(p *plan.Plan, data *projectsPage) {
	for _, f := range p.Fields {
		data.Fields = append(data.Fields, option{f.Code, f.Name})
	}
	data.Fields = append(data.Fields, option{projects.FieldOther, "其他(非服务业)"})
	for _, u := range p.Units {
		switch u.Kind {
		case plan.KindTown, plan.KindSubdistrict, plan.KindPark:
			data.Places = append(data.Places, option{u.Code, u.Name})
		case plan.KindDepartment:
			data.Units = append(data.Units, option{u.Code, u.Name})
		}
	}
	for _, st := range projects.Stages {
		data.Stages = append(data.Stages, option{string(st), st.Label()})
	}
	for _, l := range []projects.Level{projects.LevelProvince, projects.LevelCity, projects.LevelDistrict} {
		data.Levels = append(data.Levels, option{string(l), l.Label()})
	}
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	q := projectQueryOf(r)
	year := s.now().Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	u := userOf(r)
	data := projectsPage{basePage: s.base(r, "重大项目", "projects"), Q: q, Year: year, CanEdit: u.Can(auth.PermProjectEdit)}
	s.projectOptions(st.Plan, &data)
	counts, err := s.projects.Counts(r.Context(), year)
	if err != nil {
		return err
	}
	for _, stage := range projects.Counted {
		t := counts[stage]
		tile := countTile{Label: countLabels[stage], N: t.Total,
			URL: "/projects?" + url.Values{"counted": {string(stage)}, "year": {strconv.Itoa(year)}}.Encode()}
		for _, ind := range st.Plan.Indicators {
			if ind.Compute != projectStageIndicators[stage] {
				continue
			}
			for _, tg := range ind.Targets {
				if v, ok := tg.Value.Rat(); ok && tg.Year == year {
					tile.Target, tile.Met = tg.Text(), big.NewRat(int64(t.Total), 1).Cmp(v) >= 0
				}
			}
		}
		data.Tiles = append(data.Tiles, tile)
	}

	f, err := q.filter()
	if err != nil {
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "projects", data)
	}
	flagged, err := s.projects.FlagSummary(r.Context(), u)
	if err != nil {
		return err
	}
	data.Red, data.Yellow = flagged.Red, flagged.Yellow
	var list []projects.Project
	var total int
	if r.URL.Query().Get("flagged") == "1" {
		data.Flagged = true
		if list, err = s.projects.Pick(r.Context(), u, flagged.Projects); err != nil {
			return err
		}
		total = len(list)
	} else if counted := projects.Stage(r.URL.Query().Get("counted")); counts[counted] != nil {
		// The projects a count is made of, in scope.
		data.Counted = countLabels[counted]
		if list, err = s.projects.Pick(r.Context(), u, counts[counted].Projects); err != nil {
			return err
		}
		total = len(list)
	} else if list, total, err = s.projects.List(r.Context(), u, f); err != nil {
		return err
	}
	for i := range list {
		data.Rows = append(data.Rows, projectRowOf(st.Plan, &list[i]))
	}
	data.Total = total
	if data.Counted == "" && !data.Flagged {
		data.From, data.To, data.PrevURL, data.NextURL = pager("/projects", q.values(), q.Page, f.Offset, len(list), total)
	} else if total > 0 {
		data.From, data.To = 1, total
	}
	return s.pages.render(w, http.StatusOK, "projects", data)
}
