package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

var (
	planCodeRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	itemCodeRe      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	indicatorCodeRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	divisionCodeRe  = regexp.MustCompile(`^(\d{6}|\d{9}|\d{12})$`)
	industryCodeRe  = regexp.MustCompile(`^\d{2,4}$`)
)

// validator collects problems under field paths.
type validator struct{ probs Problems }

func (v *validator) errf(path, format string, args ...any) {
	v.probs = append(v.probs, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) warnf(path, format string, args ...any) {
	v.probs = append(v.probs, Problem{Path: path, Msg: fmt.Sprintf(format, args...), Warning: true})
}

func (v *validator) required(path, val string) bool {
	if strings.TrimSpace(val) == "" {
		v.errf(path, "必填,不能为空")
		return false
	}
	return true
}

// code checks an item code against re and for uniqueness within seen.
func (v *validator) code(path, code string, re *regexp.Regexp, seen map[string]string) {
	if !v.required(path, code) {
		return
	}
	if !re.MatchString(code) {
		v.errf(path, "编码“%s”格式不对,应为%s", code, codeFormat(re))
		return
	}
	if first, dup := seen[code]; dup {
		v.errf(path, "编码“%s”重复,与 %s 相同", code, first)
		return
	}
	seen[code] = path
}

func codeFormat(re *regexp.Regexp) string {
	switch re {
	case planCodeRe:
		return "小写字母、数字和连字符"
	case indicatorCodeRe:
		return "大写字母开头的大写字母、数字和下划线"
	}
	return "字母或数字开头的字母、数字、点、连字符和下划线"
}

// Validate checks a decoded plan for everything the file format alone
// cannot: required fields, codes, references between items, units of
// measure and targets.
func Validate(p *Plan) Problems {
	v := &validator{}
	if p.Schema != SchemaV1 {
		v.errf("schema", "应为“%s”,实际为“%s”", SchemaV1, p.Schema)
	}
	v.meta(&p.Meta)

	units := map[string]*Unit{}
	seen := map[string]string{}
	names := map[string]string{}
	formerCodes := map[string]string{}
	if len(p.Units) == 0 {
		v.errf("units", "至少需要一个单位")
	}
	for i := range p.Units {
		u := &p.Units[i]
		path := fmt.Sprintf("units[%d]", i)
		v.code(path+".code", u.Code, itemCodeRe, seen)
		units[u.Code] = u
		if v.required(path+".name", u.Name) {
			if first, dup := names[u.Name]; dup {
				v.errf(path+".name", "单位名称“%s”重复,与 %s 相同", u.Name, first)
			}
			names[u.Name] = path + ".name"
		}
		if _, ok := unitKindLabels[u.Kind]; !ok {
			v.errf(path+".kind", "单位类型“%s”不认识,应为 %s", u.Kind, unitKindList())
		}
		if u.DivisionCode != "" && !divisionCodeRe.MatchString(u.DivisionCode) {
			v.errf(path+".division_code", "区划代码“%s”应为6、9或12位数字", u.DivisionCode)
		}
		if u.Park != "" && u.Kind != KindTown && u.Kind != KindSubdistrict {
			v.errf(path+".park", "只有镇或街道可以注明合署的园区")
		}
		for j, a := range u.Aliases {
			ap := fmt.Sprintf("%s.aliases[%d]", path, j)
			if strings.TrimSpace(a) == "" {
				v.errf(ap, "别名不能为空")
			} else if first, dup := names[a]; dup {
				v.errf(ap, "别名“%s”与 %s 重复", a, first)
			}
			names[a] = ap
		}
		for j, c := range u.FormerCodes {
			fp := fmt.Sprintf("%s.former_codes[%d]", path, j)
			if !divisionCodeRe.MatchString(c) {
				v.errf(fp, "原区划代码“%s”应为6、9或12位数字", c)
			} else if first, dup := formerCodes[c]; dup {
				v.errf(fp, "原区划代码“%s”重复,与 %s 相同", c, first)
			}
			formerCodes[c] = fp
		}
	}
	for i, u := range p.Units {
		if u.Parent == "" {
			continue
		}
		if u.Parent == u.Code {
			v.errf(fmt.Sprintf("units[%d].parent", i), "上级单位不能是自身")
		} else if _, ok := units[u.Parent]; !ok {
			v.errf(fmt.Sprintf("units[%d].parent", i), "上级单位“%s”未在 units 中声明", u.Parent)
		}
	}
	unitRefs := func(path string, codes []string) {
		for j, c := range codes {
			if _, ok := units[c]; !ok {
				v.errf(fmt.Sprintf("%s[%d]", path, j), "责任单位“%s”未在 units 中声明", c)
			}
		}
	}
	leadCo := func(path string, lead, co []string) {
		unitRefs(path+".lead", lead)
		unitRefs(path+".co", co)
		for j, c := range co {
			if slices.Contains(lead, c) {
				v.errf(fmt.Sprintf("%s.co[%d]", path, j), "单位“%s”已是牵头单位,不能同时为配合单位", c)
			}
		}
	}

	if d := p.StandingDuty; d != nil {
		if len(d.UnitKinds) == 0 {
			v.errf("standing_duty.unit_kinds", "至少需要一种单位类型")
		}
		for i, k := range d.UnitKinds {
			if _, ok := unitKindLabels[k]; !ok {
				v.errf(fmt.Sprintf("standing_duty.unit_kinds[%d]", i), "单位类型“%s”不认识,应为 %s", k, unitKindList())
			}
		}
		v.required("standing_duty.source", d.Source)
	}

	goals := map[string]string{}
	for i, g := range p.Goals {
		path := fmt.Sprintf("goals[%d]", i)
		v.code(path+".code", g.Code, itemCodeRe, goals)
		v.required(path+".title", g.Title)
		v.required(path+".source", g.Source)
	}

	groups := map[string]string{}
	for i, g := range p.FieldGroups {
		path := fmt.Sprintf("field_groups[%d]", i)
		v.code(path+".code", g.Code, itemCodeRe, groups)
		v.required(path+".title", g.Title)
		if g.Category != "producer" && g.Category != "life" {
			v.errf(path+".category", "应为 producer(生产性服务业)或 life(生活性服务业),实际为“%s”", g.Category)
		}
	}

	fields := map[string]string{}
	industries := map[string]string{}
	tasks := map[string]string{}
	taskField := map[string]string{}
	if len(p.Fields) == 0 {
		v.errf("fields", "至少需要一个服务领域")
	}
	for i, f := range p.Fields {
		path := fmt.Sprintf("fields[%d]", i)
		v.code(path+".code", f.Code, itemCodeRe, fields)
		if _, ok := groups[f.Group]; !ok && v.required(path+".group", f.Group) {
			v.errf(path+".group", "领域分组“%s”未在 field_groups 中声明", f.Group)
		}
		v.required(path+".name", f.Name)
		v.required(path+".source", f.Source)
		v.required(path+".responsibility", f.Responsibility)
		if len(f.Lead) == 0 {
			v.errf(path+".lead", "至少需要一个牵头单位")
		}
		leadCo(path, f.Lead, f.Co)
		for j, c := range f.Industries {
			ip := fmt.Sprintf("%s.industries[%d]", path, j)
			if !industryCodeRe.MatchString(c) {
				v.errf(ip, "行业代码“%s”应为GB/T 4754-2017的2位大类、3位中类或4位小类代码", c)
			} else if first, dup := industries[c]; dup {
				v.errf(ip, "行业代码“%s”已归入其他领域(%s)", c, first)
			}
			industries[c] = ip
		}
		if len(f.Tasks) == 0 {
			v.errf(path+".tasks", "至少需要一项任务")
		}
		for j, t := range f.Tasks {
			tp := fmt.Sprintf("%s.tasks[%d]", path, j)
			v.code(tp+".code", t.Code, itemCodeRe, tasks)
			taskField[t.Code] = f.Code
			v.required(tp+".title", t.Title)
			v.required(tp+".source", t.Source)
			leadCo(tp, t.Lead, t.Co)
		}
	}

	actions := map[string]string{}
	for _, list := range []struct {
		key   string
		items []Action
		seen  map[string]string
	}{{"actions", p.Actions, actions}, {"guarantees", p.Guarantees, map[string]string{}}} {
		for i, a := range list.items {
			path := fmt.Sprintf("%s[%d]", list.key, i)
			v.code(path+".code", a.Code, itemCodeRe, list.seen)
			v.required(path+".title", a.Title)
			v.required(path+".source", a.Source)
			leadCo(path, a.Lead, a.Co)
		}
	}

	inds := map[string]string{}
	for i := range p.Indicators {
		v.indicator(p, &p.Indicators[i], fmt.Sprintf("indicators[%d]", i), inds, goals, fields, actions, taskField)
	}
	return v.probs
}

func (v *validator) meta(m *Meta) {
	v.code("plan.code", m.Code, planCodeRe, map[string]string{})
	v.required("plan.title", m.Title)
	v.required("plan.doc_number", m.DocNumber)
	v.required("plan.issuer", m.Issuer)
	if v.required("plan.issue_date", m.IssueDate) {
		if _, err := time.Parse(time.DateOnly, m.IssueDate); err != nil {
			v.errf("plan.issue_date", "日期“%s”应写作YYYY-MM-DD,如2025-11-20", m.IssueDate)
		}
	}
	yearOK := func(path string, y int) bool {
		if y < 1990 || y > 2100 {
			v.errf(path, "年份%d不在1990—2100之间", y)
			return false
		}
		return true
	}
	if yearOK("plan.start_year", m.StartYear) && yearOK("plan.end_year", m.EndYear) {
		switch {
		case m.EndYear < m.StartYear:
			v.errf("plan.end_year", "结束年份%d早于开始年份%d", m.EndYear, m.StartYear)
		case m.EndYear-m.StartYear > 15:
			v.errf("plan.end_year", "规划期%d—%d超过15年", m.StartYear, m.EndYear)
		}
	}
	if m.BaselineYear != 0 && m.BaselineYear >= m.StartYear {
		v.errf("plan.baseline_year", "基期年份%d应早于开始年份%d", m.BaselineYear, m.StartYear)
	}
}

// kindUnits are the only units of measure some kinds make sense in.
var kindUnits = map[Kind]string{
	KindShare:     "%",
	KindAvgGrowth: "%",
	KindChange:    "百分点",
	KindGrowthGap: "百分点",
}

func (v *validator) indicator(p *Plan, ind *Indicator, path string, seen, goals, fields, actions, taskField map[string]string) {
	v.code(path+".code", ind.Code, indicatorCodeRe, seen)
	v.required(path+".name", ind.Name)
	v.required(path+".source", ind.Source)
	if v.required(path+".unit", ind.Unit) && !slices.Contains(measureUnits, ind.Unit) {
		v.errf(path+".unit", "计量单位“%s”不认识,应为 %s", ind.Unit, strings.Join(measureUnits, "、"))
	}
	if _, ok := kindLabels[ind.Kind]; !ok {
		v.errf(path+".kind", "指标类型“%s”不认识,应为 %s", ind.Kind, kindList())
	} else if want, ok := kindUnits[ind.Kind]; ok && ind.Unit != want && slices.Contains(measureUnits, ind.Unit) {
		v.errf(path+".unit", "%s类指标的单位应为“%s”,实际为“%s”", ind.Kind.Label(), want, ind.Unit)
	}
	if ind.Direction != Up && ind.Direction != Down {
		v.errf(path+".direction", "应为 up(越高越好)或 down(越低越好),实际为“%s”", ind.Direction)
	}
	if ind.PriceBasis != "" && ind.PriceBasis != PriceCurrent && ind.PriceBasis != PriceConstant {
		v.errf(path+".price_basis", "应为 current(现价)或 constant(不变价),实际为“%s”", ind.PriceBasis)
	}
	switch ind.Compute {
	case "":
	case ComputeFirms:
		if !slices.Contains([]Kind{KindLevel, KindYearlyNew, KindPeriodNew}, ind.Kind) || ind.Unit != "家" {
			v.errf(path+".compute", "firms(企业数)只用于单位为“家”的期末存量、每年新增或期内累计新增指标")
		}
	case ComputeRevenue:
		if ind.Kind != KindAnnual || ind.Unit != "亿元" {
			v.errf(path+".compute", "revenue(营业收入)只用于单位为“亿元”的年度总量指标")
		}
	case ComputeProjectsSigned, ComputeProjectsStarted, ComputeProjectsCompleted:
		if ind.Kind != KindYearlyNew || ind.Unit != "个" || ind.Field != "" {
			v.errf(path+".compute", "%s(项目数)只用于单位为“个”、不限领域的每年新增指标", ind.Compute)
		}
	case ComputeCarriers:
		if !slices.Contains([]Kind{KindLevel, KindYearlyNew, KindPeriodNew}, ind.Kind) || ind.Unit != "家" && ind.Unit != "个" {
			v.errf(path+".compute", "carriers(载体数)只用于单位为“家”或“个”的期末存量、每年新增或期内累计新增指标")
		}
		if ind.Count == nil {
			v.errf(path+".count", "carriers(载体数)指标须以count写明计入的载体类型(kinds)和级别(levels)")
		}
	default:
		v.errf(path+".compute", "计算方式“%s”不认识,应为 firms(规上企业数)、revenue(规上服务业营业收入)、"+
			"projects_signed、projects_started、projects_completed(签约、新开工、竣工项目数)或 carriers(载体数)", ind.Compute)
	}
	if c := ind.Count; c != nil {
		if ind.Compute != ComputeCarriers {
			v.errf(path+".count", "count只用于compute: carriers的指标")
		}
		if len(c.Kinds) == 0 {
			v.errf(path+".count.kinds", "至少应写一种载体类型")
		}
		for i, k := range c.Kinds {
			if k.Label() == "" {
				v.errf(fmt.Sprintf("%s.count.kinds[%d]", path, i), "载体类型“%s”不认识,应为 %s", k, carrierKindList())
			}
		}
		if len(c.Levels) == 0 {
			v.errf(path+".count.levels", "至少应写一个级别")
		}
		for i, l := range c.Levels {
			if l.Label() == "" {
				v.errf(fmt.Sprintf("%s.count.levels[%d]", path, i), "级别“%s”不认识,应为 national(国家级)、province(省级)、city(市级)或 district(区级)", l)
			}
		}
		if c.From != "" {
			if _, err := time.Parse(time.DateOnly, c.From); err != nil {
				v.errf(path+".count.from", "起算日期“%s”应为2025-01-01这样的日期", c.From)
			}
		}
	}
	if ind.PerUnitKind != "" {
		if _, ok := unitKindLabels[ind.PerUnitKind]; !ok {
			v.errf(path+".per_unit_kind", "单位类型“%s”不认识,应为 %s", ind.PerUnitKind, unitKindList())
		}
	}

	places := 0
	for _, ref := range []struct {
		key, code string
		known     map[string]string
		what      string
	}{{"goal", ind.Goal, goals, "goals"}, {"field", ind.Field, fields, "fields"}, {"action", ind.Action, actions, "actions"}} {
		if ref.code == "" {
			continue
		}
		places++
		if _, ok := ref.known[ref.code]; !ok {
			v.errf(path+"."+ref.key, "“%s”未在 %s 中声明", ref.code, ref.what)
		}
	}
	if places != 1 {
		v.errf(path, "goal、field、action 三者须且只须填写一个,指明指标出自方案哪一部分")
	}
	if ind.Task != "" {
		switch f, ok := taskField[ind.Task]; {
		case !ok:
			v.errf(path+".task", "任务“%s”未在任何领域的 tasks 中声明", ind.Task)
		case f != ind.Field:
			v.errf(path+".task", "任务“%s”属于领域“%s”,与 field“%s”不一致", ind.Task, f, ind.Field)
		}
	}

	if b := ind.Baseline; b != nil {
		if b.Year >= p.Meta.StartYear || b.Year < 1990 {
			v.errf(path+".baseline.year", "基期年份%d应早于规划开始年份%d", b.Year, p.Meta.StartYear)
		}
		if b.Value != "" && b.Derived == "" {
			v.warnf(path+".baseline.derived", "基期值未注明来源;方案只隐含的数值须在 derived 中写明推算方法")
		}
	}

	if len(ind.Targets) == 0 {
		v.errf(path+".targets", "至少需要一个年度目标")
	}
	years := map[int]bool{}
	for j, t := range ind.Targets {
		tp := fmt.Sprintf("%s.targets[%d]", path, j)
		if t.Year < p.Meta.StartYear || t.Year > p.Meta.EndYear {
			v.errf(tp+".year", "年份%d不在规划期%d—%d内", t.Year, p.Meta.StartYear, p.Meta.EndYear)
		}
		if years[t.Year] {
			v.errf(tp+".year", "%d年的目标重复", t.Year)
		}
		years[t.Year] = true
		if t.Op.Symbol() == "" && t.Op != OpBetween {
			v.errf(tp+".op", "比较方式“%s”不认识,应为 ge(≥)、gt(>)、le(≤)、lt(<)、eq(=)或 between(区间)", t.Op)
		}
		lo, ok := t.Value.Rat()
		if !ok {
			v.errf(tp+".value", "必填,应为数字")
		}
		switch {
		case t.Op == OpBetween:
			hi, hok := t.Max.Rat()
			if !hok {
				v.errf(tp+".max", "区间目标须填写上限 max")
			} else if ok && hi.Cmp(lo) <= 0 {
				v.errf(tp+".max", "上限%s应大于下限%s", t.Max, t.Value)
			}
		case t.Max != "":
			v.errf(tp+".max", "只有 between(区间)目标才有上限 max")
		}
	}
}

func unitKindList() string {
	return "district(区)、park(园区)、subdistrict(街道)、town(镇)、department(区级部门)"
}

func carrierKindList() string {
	var b strings.Builder
	for i, k := range CarrierKinds {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(string(k) + "(" + k.Label() + ")")
	}
	return b.String()
}

func kindList() string {
	return "annual(年度总量)、level(期末存量)、yearly_new(每年新增)、period_new(期内累计新增)、" +
		"share(比重)、change(年度变动)、avg_growth(年均增速)、growth_gap(增速差)"
}
