package plan

import (
	"slices"
	"strings"
)

// The plan is small (tens of units, a hundred items), so lookups scan.

// Unit returns the unit with the given code.
func (p *Plan) Unit(code string) (*Unit, bool) {
	for i := range p.Units {
		if p.Units[i].Code == code {
			return &p.Units[i], true
		}
	}
	return nil, false
}

// Field returns the field with the given code.
func (p *Plan) Field(code string) (*Field, bool) {
	for i := range p.Fields {
		if p.Fields[i].Code == code {
			return &p.Fields[i], true
		}
	}
	return nil, false
}

// Task returns the task with the given code and the field it belongs to.
func (p *Plan) Task(code string) (*Task, *Field, bool) {
	for i := range p.Fields {
		f := &p.Fields[i]
		for j := range f.Tasks {
			if f.Tasks[j].Code == code {
				return &f.Tasks[j], f, true
			}
		}
	}
	return nil, nil, false
}

// Indicator returns the indicator with the given code.
func (p *Plan) Indicator(code string) (*Indicator, bool) {
	for i := range p.Indicators {
		if p.Indicators[i].Code == code {
			return &p.Indicators[i], true
		}
	}
	return nil, false
}

// Goal returns the goal with the given code.
func (p *Plan) Goal(code string) (*Goal, bool) {
	for i := range p.Goals {
		if p.Goals[i].Code == code {
			return &p.Goals[i], true
		}
	}
	return nil, false
}

// Action returns the special action or guarantee with the given code.
func (p *Plan) Action(code string) (*Action, bool) {
	for _, list := range [][]Action{p.Actions, p.Guarantees} {
		for i := range list {
			if list[i].Code == code {
				return &list[i], true
			}
		}
	}
	return nil, false
}

// FieldGroup returns the field group with the given code.
func (p *Plan) FieldGroup(code string) (*FieldGroup, bool) {
	for i := range p.FieldGroups {
		if p.FieldGroups[i].Code == code {
			return &p.FieldGroups[i], true
		}
	}
	return nil, false
}

// FieldOfIndustry returns the field a GB/T 4754-2017 class belongs to: the
// field with the longest industry code that prefixes it.
func (p *Plan) FieldOfIndustry(class string) (*Field, bool) {
	var best *Field
	bestLen := 0
	for i := range p.Fields {
		for _, c := range p.Fields[i].Industries {
			if len(c) > bestLen && strings.HasPrefix(class, c) {
				best, bestLen = &p.Fields[i], len(c)
			}
		}
	}
	return best, best != nil
}

// UnitByDivision returns the unit with a statistical division code: its
// own, or one it had before (former_codes). A 12-digit code (county, town,
// village) is matched on its first 9 digits.
func (p *Plan) UnitByDivision(code string) (*Unit, bool) {
	candidates := []string{code}
	if len(code) == 12 {
		candidates = append(candidates, code[:9])
	}
	for _, c := range candidates {
		for i := range p.Units {
			u := &p.Units[i]
			if u.DivisionCode == c || slices.Contains(u.FormerCodes, c) {
				return u, true
			}
		}
	}
	return nil, false
}

// UnitByName returns the unit with a name or alias.
func (p *Plan) UnitByName(name string) (*Unit, bool) {
	for i := range p.Units {
		u := &p.Units[i]
		if u.Name == name || slices.Contains(u.Aliases, name) {
			return u, true
		}
	}
	return nil, false
}

// TargetFor returns the indicator's target for a year.
func (ind *Indicator) TargetFor(year int) (Target, bool) {
	for _, t := range ind.Targets {
		if t.Year == year {
			return t, true
		}
	}
	return Target{}, false
}

// IndicatorsOf returns the indicators placed under a goal, field or action
// code, in plan order.
func (p *Plan) IndicatorsOf(code string) []*Indicator {
	var out []*Indicator
	for i := range p.Indicators {
		ind := &p.Indicators[i]
		if ind.Goal == code || ind.Field == code || ind.Action == code {
			out = append(out, ind)
		}
	}
	return out
}

// Responsible returns the lead and co-responsible unit codes of a task: its
// own when it names any, otherwise its field's.
func (t *Task) Responsible(f *Field) (lead, co []string) {
	if len(t.Lead) > 0 || len(t.Co) > 0 {
		return t.Lead, t.Co
	}
	return f.Lead, f.Co
}

// Role is how a unit takes part in an item of the plan.
type Role string

// Roles.
const (
	RoleLead      Role = "lead"      // 牵头
	RoleCo        Role = "co"        // 配合
	RoleImplement Role = "implement" // 落实 (a standing duty)
)

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleLead:
		return "牵头"
	case RoleCo:
		return "配合"
	case RoleImplement:
		return "落实"
	}
	return ""
}

// TaskDuty is a task a unit is responsible for, and how.
type TaskDuty struct {
	Role  Role   `json:"role"`
	Field *Field `json:"-"`
	Task  *Task  `json:"-"`
}

// ActionDuty is a special action or guarantee a unit is responsible for.
type ActionDuty struct {
	Role   Role    `json:"role"`
	Action *Action `json:"-"`
}

// Duties is everything a unit is responsible for under the plan (本单位任务).
type Duties struct {
	Unit    *Unit
	Tasks   []TaskDuty
	Actions []ActionDuty
	// Indicators whose targets apply to this unit on its own.
	Indicators []*Indicator
}

// UnitDuties gathers what the unit with the given code is responsible for:
// tasks it leads or supports, tasks it implements under the standing duty,
// actions, and per-unit indicators. Lead duties come first, then co, then
// implement, each in plan order.
func (p *Plan) UnitDuties(code string) Duties {
	d := Duties{}
	u, ok := p.Unit(code)
	if !ok {
		return d
	}
	d.Unit = u
	standing := p.StandingDuty != nil && slices.Contains(p.StandingDuty.UnitKinds, u.Kind)
	for _, role := range []Role{RoleLead, RoleCo, RoleImplement} {
		for i := range p.Fields {
			f := &p.Fields[i]
			for j := range f.Tasks {
				t := &f.Tasks[j]
				lead, co := t.Responsible(f)
				if role == RoleLead && slices.Contains(lead, code) ||
					role == RoleCo && slices.Contains(co, code) ||
					role == RoleImplement && standing {
					d.Tasks = append(d.Tasks, TaskDuty{Role: role, Field: f, Task: t})
				}
			}
		}
		for _, list := range [][]Action{p.Actions, p.Guarantees} {
			for i := range list {
				a := &list[i]
				if role == RoleLead && slices.Contains(a.Lead, code) || role == RoleCo && slices.Contains(a.Co, code) {
					d.Actions = append(d.Actions, ActionDuty{Role: role, Action: a})
				}
			}
		}
	}
	for i := range p.Indicators {
		if ind := &p.Indicators[i]; ind.PerUnitKind != "" && ind.PerUnitKind == u.Kind {
			d.Indicators = append(d.Indicators, ind)
		}
	}
	return d
}

// DistrictCode is the code of the plan's district unit (the whole area the
// plan covers), or "" if it has none.
func (p *Plan) DistrictCode() string {
	for i := range p.Units {
		if p.Units[i].Kind == KindDistrict {
			return p.Units[i].Code
		}
	}
	return ""
}
