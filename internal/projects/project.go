// Package projects keeps the major-project ledger (重大项目库) of the plan's
// 二(三): each project with its investment, its stages from 谋划 to 达效
// and their certification, and counts the signed, started and completed
// projects against the yearly targets by rules kept as data. See
// doc/projects.md.
package projects

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/money"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// Stage is a step of a project's life.
type Stage string

// Stages, in their order.
const (
	StagePlanning  Stage = "planning"  // 谋划/储备
	StageSigned    Stage = "signed"    // 签约
	StageStarted   Stage = "started"   // 新开工
	StageBuilding  Stage = "building"  // 在建(续建)
	StageCompleted Stage = "completed" // 竣工
	StageOperating Stage = "operating" // 投产/达效
)

// Stages lists the stages in order.
var Stages = []Stage{StagePlanning, StageSigned, StageStarted, StageBuilding, StageCompleted, StageOperating}

var stageLabels = map[Stage]string{
	StagePlanning: "谋划储备", StageSigned: "签约", StageStarted: "新开工", StageBuilding: "在建(续建)",
	StageCompleted: "竣工", StageOperating: "投产达效",
}

// Label is the stage's Chinese name.
func (s Stage) Label() string { return stageLabels[s] }

// rank is the stage's place in the order; -1 for no stage.
func (s Stage) rank() int { return slices.Index(Stages, s) }

// Level is the list a project is on.
type Level string

// Levels.
const (
	LevelNone     Level = ""         // 一般项目
	LevelProvince Level = "province" // 省重大项目
	LevelCity     Level = "city"     // 市重大项目
	LevelDistrict Level = "district" // 区重大项目
)

var levelLabels = map[Level]string{LevelNone: "一般项目", LevelProvince: "省重大项目", LevelCity: "市重大项目", LevelDistrict: "区重大项目"}

// Label is the level's Chinese name.
func (l Level) Label() string { return levelLabels[l] }

// Role is how a unit answers for a project.
type Role string

// Roles.
const (
	RoleLead Role = "lead" // 牵头(责任)单位
	RoleCo   Role = "co"   // 配合单位
)

// UnitRole is a responsible unit of a project.
type UnitRole struct {
	Unit string `json:"unit"` // unit code of the plan
	Role Role   `json:"role"`
}

// Currency is the ISO 4217 code of the domestic currency.
const CNY = "CNY"

// Investment is a project's total planned investment. TotalFen is in
// yuan (fen exact); a foreign-currency project also keeps what it was
// stated in and the rule that converted it.
type Investment struct {
	TotalFen money.Fen `json:"total_fen"`
	Currency string    `json:"currency"` // CNY, or e.g. USD
	// ForeignMinor is the amount in the currency's minor unit (cents),
	// and Conversion the rule used, e.g. 签约日人民银行中间价1美元=7.1元.
	ForeignMinor int64  `json:"foreign_minor,omitempty"`
	Conversion   string `json:"conversion,omitempty"`
}

// Foreign reports whether the project was stated in a foreign currency.
func (i Investment) Foreign() bool { return i.Currency != "" && i.Currency != CNY }

// YearPlan is the investment planned for one year (年度计划投资).
type YearPlan struct {
	Year int       `json:"year"`
	Fen  money.Fen `json:"fen"`
}

// Certification is the check that makes a stage count (e.g. 经市核查认定).
type Certification struct {
	On        string    `json:"on"`   // YYYY-MM-DD: the certification's date
	Body      string    `json:"body"` // the certifying body, e.g. 泰州市发展和改革委员会
	By        string    `json:"by"`   // who recorded it
	EnteredAt time.Time `json:"entered_at"`
}

// Event is a project reaching a stage.
type Event struct {
	Stage      Stage          `json:"stage"`
	On         string         `json:"on"` // YYYY-MM-DD claimed
	Evidence   string         `json:"evidence,omitempty"`
	Attachment string         `json:"attachment,omitempty"` // file name only
	Reason     string         `json:"reason,omitempty"`     // why a project went back a stage
	By         string         `json:"by"`
	EnteredAt  time.Time      `json:"entered_at"`
	Certified  *Certification `json:"certified,omitempty"`
}

// Project is one project of the ledger.
type Project struct {
	Code         string     `json:"code"` // the district's project number
	Name         string     `json:"name"`
	Builder      string     `json:"builder"`      // 建设单位
	BuilderUSCC  string     `json:"builder_uscc"` // "" when not known
	Field        string     `json:"field"`        // a field of the plan
	Unit         string     `json:"unit"`         // town, street or park
	Units        []UnitRole `json:"units"`        // responsible units, the lead first
	Leader       string     `json:"leader"`       // 挂钩领导
	Level        Level      `json:"level"`
	LevelList    string     `json:"level_list"` // e.g. 2025年省重大项目清单
	LevelYear    int        `json:"level_year"` // 0 for none
	Investment   Investment `json:"investment"`
	Plans        []YearPlan `json:"plans,omitempty"` // by year
	PlannedStart string     `json:"planned_start"`   // YYYY-MM-DD or ""
	PlannedEnd   string     `json:"planned_end"`
	Events       []Event    `json:"events,omitempty"` // in the order they were entered
	Version      int        `json:"version"`
	UpdatedAt    time.Time  `json:"updated_at"`
	UpdatedBy    string     `json:"updated_by"`
}

// Stage is the project's current stage: the latest event's.
func (p *Project) Stage() Stage {
	if len(p.Events) == 0 {
		return StagePlanning
	}
	return p.Events[len(p.Events)-1].Stage
}

// Event returns the latest event of a stage.
func (p *Project) Event(s Stage) (*Event, bool) {
	for i := len(p.Events) - 1; i >= 0; i-- {
		if p.Events[i].Stage == s {
			return &p.Events[i], true
		}
	}
	return nil, false
}

// Lead is the lead responsible unit, or "".
func (p *Project) Lead() string {
	for _, u := range p.Units {
		if u.Role == RoleLead {
			return u.Unit
		}
	}
	return ""
}

// HasUnit reports whether a unit answers for the project or hosts it.
func (p *Project) HasUnit(unit string) bool {
	if p.Unit == unit {
		return true
	}
	for _, u := range p.Units {
		if u.Unit == unit {
			return true
		}
	}
	return false
}

// World is what validating a project needs to know of the plan.
type World struct {
	Field func(code string) bool // a field of the plan
	Place func(code string) bool // a town, street or park of the plan
	Unit  func(code string) bool // any unit of the plan
	Now   time.Time
}

// FieldError is a mistake in one field of a project, in Chinese.
type FieldError struct {
	Field string // json name of the field, e.g. "investment.total_fen"
	Msg   string
}

func (e FieldError) Error() string { return e.Msg }

// maxText bounds names and notes, in characters.
const maxText = 300

// Validate checks a project's own fields (not its events) and returns
// every mistake.
func (p *Project) Validate(w World) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	text := func(field, label, v string, required bool) {
		switch {
		case required && strings.TrimSpace(v) == "":
			add(field, "%s不能为空", label)
		case utf8.RuneCountInString(v) > maxText:
			add(field, "%s超过%d个字", label, maxText)
		}
	}
	text("code", "项目编号", p.Code, true)
	if len(p.Code) > 40 || strings.ContainsAny(p.Code, " /\\?#%") {
		add("code", "项目编号“%s”应为不超过40个字符的编号,不含空格和/?#%%", p.Code)
	}
	text("name", "项目名称", p.Name, true)
	text("builder", "建设单位", p.Builder, true)
	if p.BuilderUSCC != "" {
		if r := uscc.Check(p.BuilderUSCC); !r.Valid {
			add("builder_uscc", "建设单位统一社会信用代码%s", r.Err().Error())
		}
	}
	if p.Field != FieldOther && !w.Field(p.Field) {
		add("field", "服务领域“%s”不是本规划的十大领域之一(非服务业项目选“其他”)", p.Field)
	}
	if !w.Place(p.Unit) {
		add("unit", "“%s”不是本区的镇(街道)或园区", p.Unit)
	}
	leads := 0
	seen := map[string]bool{}
	for _, u := range p.Units {
		switch {
		case !w.Unit(u.Unit):
			add("units", "责任单位“%s”不在本规划的单位中", u.Unit)
		case seen[u.Unit]:
			add("units", "责任单位“%s”重复", u.Unit)
		case u.Role != RoleLead && u.Role != RoleCo:
			add("units", "责任单位“%s”的角色应为牵头或配合", u.Unit)
		}
		seen[u.Unit] = true
		if u.Role == RoleLead {
			leads++
		}
	}
	if leads != 1 {
		add("units", "应有且只有一个牵头责任单位,实有%d个", leads)
	}
	text("leader", "挂钩领导", p.Leader, false)
	if levelLabels[p.Level] == "" {
		add("level", "项目级别“%s”应为省重大、市重大、区重大或空", p.Level)
	}
	if p.Level != LevelNone && (p.LevelYear < 2000 || p.LevelYear > w.Now.Year()+1) {
		add("level_year", "%s应写明列入清单的年份", p.Level.Label())
	}
	text("level_list", "所列清单", p.LevelList, false)
	errs = append(errs, p.Investment.validate()...)
	years := map[int]bool{}
	for _, y := range p.Plans {
		switch {
		case y.Year < 2000 || y.Year > 2100:
			add("plans", "年度计划投资的年份%d不对", y.Year)
		case years[y.Year]:
			add("plans", "%d年的年度计划投资重复", y.Year)
		case y.Fen < 0 || y.Fen > p.Investment.TotalFen:
			add("plans", "%d年计划投资%s万元应在0与计划总投资之间", y.Year, y.Fen.Wan())
		}
		years[y.Year] = true
	}
	for _, d := range []struct{ field, label, v string }{
		{"planned_start", "计划开工日期", p.PlannedStart}, {"planned_end", "计划竣工日期", p.PlannedEnd},
	} {
		if d.v != "" {
			if msg := checkDate(d.v, time.Time{}); msg != "" {
				add(d.field, "%s%s", d.label, msg)
			}
		}
	}
	if p.PlannedStart != "" && p.PlannedEnd != "" && p.PlannedEnd < p.PlannedStart {
		add("planned_end", "计划竣工日期%s早于计划开工日期%s", p.PlannedEnd, p.PlannedStart)
	}
	return errs
}

func (i Investment) validate() []FieldError {
	var errs []FieldError
	if i.TotalFen <= 0 || i.TotalFen > money.Max {
		errs = append(errs, FieldError{"investment.total_fen", "计划总投资应大于0"})
	}
	if !i.Foreign() {
		if i.ForeignMinor != 0 || i.Conversion != "" {
			errs = append(errs, FieldError{"investment.currency", "人民币项目不应填写外币金额和折算方法"})
		}
		return errs
	}
	if len(i.Currency) != 3 || strings.ToUpper(i.Currency) != i.Currency {
		errs = append(errs, FieldError{"investment.currency", fmt.Sprintf("币种“%s”应为三位字母代码,如USD", i.Currency)})
	}
	if i.ForeignMinor <= 0 {
		errs = append(errs, FieldError{"investment.foreign_minor", "外资项目应填写外币计划总投资"})
	}
	if strings.TrimSpace(i.Conversion) == "" {
		errs = append(errs, FieldError{"investment.conversion", "外资项目应写明折算人民币所用的汇率和日期"})
	}
	return errs
}

// checkDate checks a YYYY-MM-DD date; with notAfter set, also that it is
// not later. It returns "" or what is wrong.
func checkDate(v string, notAfter time.Time) string {
	t, err := table.ParseDate(v)
	switch {
	case err != nil || len(v) != 10:
		return fmt.Sprintf("“%s”应为2025-03-01这样的日期", v)
	case t.Year() < 2000:
		return fmt.Sprintf("“%s”早于2000年", v)
	case !notAfter.IsZero() && t.After(notAfter):
		return fmt.Sprintf("“%s”晚于今天", v)
	}
	return ""
}

// checkEvent checks a new event against the project's history.
func (p *Project) checkEvent(e Event, now time.Time) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	if e.Stage.rank() < 0 {
		add("stage", "阶段“%s”不认识", e.Stage)
		return errs
	}
	if msg := checkDate(e.On, now); msg != "" {
		add("on", "%s日期%s", e.Stage.Label(), msg)
	}
	for _, t := range []struct{ field, label, v string }{
		{"evidence", "佐证说明", e.Evidence}, {"attachment", "附件名称", e.Attachment}, {"reason", "原因", e.Reason},
	} {
		if utf8.RuneCountInString(t.v) > maxText {
			add(t.field, "%s超过%d个字", t.label, maxText)
		}
	}
	cur := p.Stage()
	if len(p.Events) > 0 {
		last := p.Events[len(p.Events)-1]
		switch {
		case e.Stage.rank() < cur.rank() && strings.TrimSpace(e.Reason) == "":
			add("reason", "项目已到“%s”阶段,退回“%s”须说明原因", cur.Label(), e.Stage.Label())
		case e.Stage == cur:
			add("stage", "项目已在“%s”阶段", cur.Label())
		case e.On != "" && e.On < last.On && e.Stage.rank() > cur.rank():
			add("on", "%s日期%s早于上一阶段“%s”的日期%s", e.Stage.Label(), e.On, last.Stage.Label(), last.On)
		}
	}
	return errs
}

// checkCertification checks a certification of an event.
func checkCertification(e *Event, c Certification, now time.Time) []FieldError {
	var errs []FieldError
	if strings.TrimSpace(c.Body) == "" {
		errs = append(errs, FieldError{"body", "认定须写明认定机关"})
	} else if utf8.RuneCountInString(c.Body) > maxText {
		errs = append(errs, FieldError{"body", fmt.Sprintf("认定机关超过%d个字", maxText)})
	}
	if msg := checkDate(c.On, now); msg != "" {
		errs = append(errs, FieldError{"on", "认定日期" + msg})
	} else if c.On < e.On {
		errs = append(errs, FieldError{"on", fmt.Sprintf("认定日期%s早于%s日期%s", c.On, e.Stage.Label(), e.On)})
	}
	return errs
}
