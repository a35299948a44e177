package assess

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"svcplan/internal/plan"
)

// Scheme is one year's assessment of groups of units (doc/assess.md).
type Scheme struct {
	Code   string      `yaml:"code" json:"code"` // e.g. 2025-towns
	Name   string      `yaml:"name" json:"name"`
	Year   int         `yaml:"year" json:"year"`
	Period string      `yaml:"period" json:"period"` // the figures' period: 2025, or 2025-12
	Total  plan.Number `yaml:"total" json:"total"`   // each group's base points
	// Ties is how equal totals are ranked: "shared" (the default: 1, 1,
	// 3) or "item:CODE" (the higher score on that item first).
	Ties   string  `yaml:"ties,omitempty" json:"ties,omitempty"`
	Grades []Grade `yaml:"grades,omitempty" json:"grades,omitempty"` // best first
	Groups []Group `yaml:"groups" json:"groups"`
}

// Grade is a 等次: the lowest total that earns it and at most how many of
// a group's units may have it (percent, rounded down; 0 for no limit).
type Grade struct {
	Name     string      `yaml:"name" json:"name"`
	Min      plan.Number `yaml:"min" json:"min"`
	QuotaPct int         `yaml:"quota_pct,omitempty" json:"quota_pct,omitempty"`
}

// Group is a set of units assessed against each other on the same items.
type Group struct {
	Code  string   `yaml:"code" json:"code"`
	Name  string   `yaml:"name" json:"name"`
	Units []string `yaml:"units" json:"units"`
	Items []Item   `yaml:"items" json:"items"`
}

// Source is where an item's 完成值 comes from.
type Source string

// Sources.
const (
	FromIndicator Source = "indicator"          // the unit's latest published value
	FromSigned    Source = "projects_signed"    // the ledger's count of the year
	FromStarted   Source = "projects_started"   //
	FromCompleted Source = "projects_completed" //
	FromEntered   Source = "entered"            // entered with evidence by an administrator
)

var sourceLabels = map[Source]string{FromIndicator: "已发布指标数值", FromSigned: "重大项目库(签约)", FromStarted: "重大项目库(新开工)",
	FromCompleted: "重大项目库(竣工)", FromEntered: "考核办录入(附佐证)"}

// Label is the source's Chinese name.
func (s Source) Label() string { return sourceLabels[s] }

// Item is one line of a group's score sheet.
type Item struct {
	Code      string      `yaml:"code" json:"code"`
	Indicator string      `yaml:"indicator,omitempty" json:"indicator,omitempty"` // a plan indicator, or none
	Name      string      `yaml:"name,omitempty" json:"name,omitempty"`           // the indicator's name by default
	Unit      string      `yaml:"unit,omitempty" json:"unit,omitempty"`           // the indicator's unit by default
	Points    plan.Number `yaml:"points,omitempty" json:"points,omitempty"`
	Source    Source      `yaml:"source" json:"source"`
	// The target: the same for every unit, one per unit, or a district
	// total split by shares (percent, adding up to 100).
	Target    plan.Number            `yaml:"target,omitempty" json:"target,omitempty"`
	Targets   map[string]plan.Number `yaml:"targets,omitempty" json:"targets,omitempty"`
	Decompose *Decompose             `yaml:"decompose,omitempty" json:"decompose,omitempty"`
	Rule      Rule                   `yaml:"rule" json:"rule"`
	Note      string                 `yaml:"note,omitempty" json:"note,omitempty"` // the rule as the scheme's text words it
}

// Decompose splits a district total among the group's units.
type Decompose struct {
	Total  plan.Number            `yaml:"total" json:"total"`
	Shares map[string]plan.Number `yaml:"shares" json:"shares"`
}

// TargetFor is an item's target for a unit, or nil when it has none.
func (it *Item) TargetFor(unit string) *big.Rat {
	switch {
	case it.Target != "":
		return num(it.Target)
	case it.Targets != nil:
		if n, ok := it.Targets[unit]; ok {
			return num(n)
		}
	case it.Decompose != nil:
		if share, ok := it.Decompose.Shares[unit]; ok {
			t := new(big.Rat).Mul(num(it.Decompose.Total), num(share))
			return t.Quo(t, big.NewRat(100, 1))
		}
	}
	return nil
}

var (
	codePattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	periodPattern = regexp.MustCompile(`^(\d{4})(-(0[1-9]|1[0-2]))?$`)
)

// Validate checks a scheme against the plan in force and returns every
// problem with the path of its field. An item on a plan indicator takes
// the indicator's name and unit unless it gives its own.
func Validate(s *Scheme, p *plan.Plan) plan.Problems {
	var probs plan.Problems
	add := func(path, format string, args ...any) {
		probs = append(probs, plan.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if !codePattern.MatchString(s.Code) {
		add("code", "方案编号“%s”应为字母、数字、-或_,如2025-towns", s.Code)
	}
	if strings.TrimSpace(s.Name) == "" {
		add("name", "方案名称不能为空")
	}
	if s.Year < 2000 || s.Year > 2100 {
		add("year", "考核年度应为2000到2100之间的年份")
	}
	if g := periodPattern.FindStringSubmatch(s.Period); g == nil || g[1] != strconv.Itoa(s.Year) {
		add("period", "数据期别“%s”应为考核年度的全年(如%d)或月份(如%d-12)", s.Period, s.Year, s.Year)
	}
	total, ok := s.Total.Rat()
	if !ok || total.Sign() <= 0 {
		add("total", "总分应为大于0的数字")
		total = new(big.Rat)
	}
	grades := map[string]bool{}
	var prevMin *big.Rat
	for i, g := range s.Grades {
		at := fmt.Sprintf("grades[%d]", i)
		switch {
		case strings.TrimSpace(g.Name) == "":
			add(at+".name", "等次名称不能为空")
		case grades[g.Name]:
			add(at+".name", "等次“%s”重复", g.Name)
		}
		grades[g.Name] = true
		m, ok := g.Min.Rat()
		switch {
		case !ok:
			add(at+".min", "最低分应为数字")
		case prevMin != nil && m.Cmp(prevMin) > 0:
			add(at+".min", "等次应从高到低排列,%s的最低分%s高于上一等次", g.Name, g.Min)
		default:
			prevMin = m
		}
		if g.QuotaPct < 0 || g.QuotaPct > 100 {
			add(at+".quota_pct", "名额比例应为0到100")
		}
	}
	tieItem, tiesOK := strings.CutPrefix(s.Ties, "item:")
	if s.Ties != "" && s.Ties != "shared" && !tiesOK {
		add("ties", "同分规则“%s”应为shared(并列)或item:指标编号(按该项得分)", s.Ties)
	}
	if len(s.Groups) == 0 {
		add("groups", "方案至少应有一组考核对象")
	}
	groups, assessed := map[string]bool{}, map[string]string{}
	for gi, g := range s.Groups {
		at := fmt.Sprintf("groups[%d]", gi)
		switch {
		case !codePattern.MatchString(g.Code):
			add(at+".code", "分组编号“%s”应为字母、数字、-或_", g.Code)
		case groups[g.Code]:
			add(at+".code", "分组编号“%s”重复", g.Code)
		}
		groups[g.Code] = true
		if strings.TrimSpace(g.Name) == "" {
			add(at+".name", "分组名称不能为空")
		}
		if len(g.Units) == 0 {
			add(at+".units", "本组没有考核对象")
		}
		inGroup := map[string]bool{}
		for ui, u := range g.Units {
			uat := fmt.Sprintf("%s.units[%d]", at, ui)
			unit, ok := p.Unit(u)
			switch {
			case !ok:
				add(uat, "单位“%s”不在本规划的单位中", u)
			case inGroup[u]:
				add(uat, "%s在本组重复", unit.Name)
			case assessed[u] != "":
				add(uat, "%s已在分组%s中考核", unit.Name, assessed[u])
			}
			inGroup[u], assessed[u] = true, g.Code
		}
		items, base := map[string]bool{}, new(big.Rat)
		for ii := range g.Items {
			it := &g.Items[ii]
			iat := fmt.Sprintf("%s.items[%d]", at, ii)
			probs = append(probs, checkItem(it, iat, p, inGroup)...)
			if items[it.Code] {
				add(iat+".code", "指标编号“%s”在本组重复", it.Code)
			}
			items[it.Code] = true
			if pts, ok := it.Points.Rat(); ok && it.Rule.Family.Base() {
				base.Add(base, pts)
			}
			if it.Rule.Family == Veto && len(s.Grades) > 0 && !grades[it.Rule.Grade] {
				add(iat+".rule.grade", "等次“%s”不是本方案的等次", it.Rule.Grade)
			}
		}
		if len(g.Items) == 0 {
			add(at+".items", "本组没有考核指标")
		} else if total.Sign() > 0 && base.Cmp(total) != 0 {
			add(at+".items", "本组基本分合计%s分,与总分%s分不符", short(base), short(total))
		}
		if tiesOK && !items[tieItem] {
			add("ties", "同分规则所按的指标“%s”不在分组%s中", tieItem, g.Code)
		}
	}
	return probs
}

// checkItem checks one item of a group whose units are in units.
func checkItem(it *Item, at string, p *plan.Plan, units map[string]bool) plan.Problems {
	var probs plan.Problems
	add := func(path, format string, args ...any) {
		probs = append(probs, plan.Problem{Path: at + path, Msg: fmt.Sprintf(format, args...)})
	}
	if !codePattern.MatchString(it.Code) {
		add(".code", "指标编号“%s”应为字母、数字、-或_", it.Code)
	}
	if it.Indicator != "" {
		ind, ok := p.Indicator(it.Indicator)
		if !ok {
			add(".indicator", "指标“%s”不在本规划的指标中", it.Indicator)
		} else {
			if it.Name == "" {
				it.Name = ind.Name
			}
			if it.Unit == "" {
				it.Unit = ind.Unit
			}
		}
	} else if strings.TrimSpace(it.Name) == "" {
		add(".name", "不对应规划指标的考核项须写明名称")
	}
	switch it.Source {
	case FromIndicator:
		if it.Indicator == "" {
			add(".source", "取已发布指标数值须写明规划指标(indicator)")
		}
	case FromSigned, FromStarted, FromCompleted, FromEntered:
	default:
		add(".source", "数据来源“%s”应为indicator、projects_signed、projects_started、projects_completed或entered", it.Source)
	}
	fam := it.Rule.Family
	if !fam.Base() && it.Source != FromEntered {
		add(".source", "%s项的事项数须由考核办录入(source: entered)", fam.Label())
	}
	pts, ok := it.Points.Rat()
	switch {
	case fam.Base() && (!ok || pts.Sign() <= 0):
		add(".points", "分值应为大于0的数字")
	case !fam.Base() && it.Points != "" && (!ok || pts.Sign() != 0):
		add(".points", "%s项不占基本分,分值应为0或不写", fam.Label())
	}
	for _, pr := range it.Rule.check() {
		pr.Path = at + ".rule." + pr.Path
		probs = append(probs, pr)
	}
	if fam == Proportional || fam == Step {
		probs = append(probs, checkTargets(it, at, units)...)
	} else if it.Target != "" || it.Targets != nil || it.Decompose != nil {
		add(".target", "%s项不需要目标值", fam.Label())
	}
	return probs
}

// checkTargets checks that an item has exactly one kind of target and one
// for every unit of its group.
func checkTargets(it *Item, at string, units map[string]bool) plan.Problems {
	var probs plan.Problems
	add := func(path, format string, args ...any) {
		probs = append(probs, plan.Problem{Path: at + path, Msg: fmt.Sprintf(format, args...)})
	}
	kinds := 0
	for _, set := range []bool{it.Target != "", it.Targets != nil, it.Decompose != nil} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		add(".target", "应且只应以target(统一目标)、targets(分单位目标)或decompose(分解全区目标)之一给出目标值")
		return probs
	}
	perUnit := func(path string, m map[string]plan.Number, what string) {
		for u, n := range m {
			if !units[u] {
				add(path, "%s中的单位“%s”不在本组", what, u)
			}
			if !n.Valid() {
				add(path+"."+u, "应为数字,实际为“%s”", n)
			}
		}
		for u := range units {
			if _, ok := m[u]; !ok {
				add(path, "%s缺少单位“%s”", what, u)
			}
		}
	}
	switch {
	case it.Target != "":
		if t, ok := it.Target.Rat(); !ok || it.Rule.Family == Proportional && t.Sign() <= 0 {
			add(".target", "目标值应为数字(按比例计分的目标须大于0)")
		}
	case it.Targets != nil:
		perUnit(".targets", it.Targets, "分单位目标")
		if it.Rule.Family == Proportional {
			for u, n := range it.Targets {
				if t, ok := n.Rat(); ok && t.Sign() <= 0 {
					add(".targets."+u, "按比例计分的目标须大于0")
				}
			}
		}
	default:
		d := it.Decompose
		if t, ok := d.Total.Rat(); !ok || t.Sign() <= 0 {
			add(".decompose.total", "分解的全区目标应为大于0的数字")
		}
		perUnit(".decompose.shares", d.Shares, "分解比例")
		sum := new(big.Rat)
		for _, n := range d.Shares {
			if r, ok := n.Rat(); ok {
				sum.Add(sum, r)
			}
		}
		if sum.Cmp(big.NewRat(100, 1)) != 0 {
			add(".decompose.shares", "分解比例合计%s%%,应为100%%", short(sum))
		}
	}
	return probs
}

// Parse reads a scheme file and checks it against the plan; the error,
// if any, is plan.Problems with every problem at its line.
func Parse(name string, data []byte, p *plan.Plan) (*Scheme, error) {
	var s Scheme
	doc, probs := plan.DecodeYAML(name, data, "考核方案", &s)
	if probs != nil {
		return nil, probs
	}
	probs = Validate(&s, p)
	doc.Place(probs)
	if probs.HasErrors() {
		return nil, probs
	}
	return &s, nil
}

// YAML writes the scheme as a scheme file.
func (s *Scheme) YAML() ([]byte, error) { return yaml.Marshal(s) }
