// Package plan holds the model of a district's service-industry plan: its
// goals and indicators with yearly targets, the service fields with their
// tasks, the special actions and guarantees, and the organisation units that
// are responsible for them. A plan is read from a YAML (or JSON) plan file,
// validated, and stored; the same types are the JSON the API returns.
package plan

// Plan is one plan document: everything a plan file holds.
type Plan struct {
	Schema       string        `yaml:"schema" json:"schema"`
	Meta         Meta          `yaml:"plan" json:"plan"`
	Units        []Unit        `yaml:"units" json:"units"`
	StandingDuty *StandingDuty `yaml:"standing_duty,omitempty" json:"standing_duty,omitempty"`
	Goals        []Goal        `yaml:"goals" json:"goals"`
	FieldGroups  []FieldGroup  `yaml:"field_groups" json:"field_groups"`
	Fields       []Field       `yaml:"fields" json:"fields"`
	Actions      []Action      `yaml:"actions" json:"actions"`
	Guarantees   []Action      `yaml:"guarantees" json:"guarantees"`
	Indicators   []Indicator   `yaml:"indicators" json:"indicators"`
}

// SchemaV1 is the only plan-file schema this version reads.
const SchemaV1 = "svcplan/plan/v1"

// Meta describes the plan document itself.
type Meta struct {
	Code      string `yaml:"code" json:"code"`
	Title     string `yaml:"title" json:"title"`
	DocNumber string `yaml:"doc_number" json:"doc_number"` // 文号
	Issuer    string `yaml:"issuer" json:"issuer"`         // 发布机构
	IssueDate string `yaml:"issue_date" json:"issue_date"` // YYYY-MM-DD
	StartYear int    `yaml:"start_year" json:"start_year"`
	EndYear   int    `yaml:"end_year" json:"end_year"`
	// BaselineYear is the year the plan's growth and "new" targets count
	// from; by default the year before StartYear.
	BaselineYear int `yaml:"baseline_year,omitempty" json:"baseline_year,omitempty"`
	// SourceText names the original text of the plan, relative to the plan
	// file; when present every source quote must occur in it verbatim.
	SourceText string `yaml:"source_text,omitempty" json:"source_text,omitempty"`
	// Summary is the plan's guiding idea (总体思路).
	Summary string `yaml:"summary,omitempty" json:"summary,omitempty"`
	// GoalsIntro is the paragraph that opens the main goals (主要目标).
	GoalsIntro string `yaml:"goals_intro,omitempty" json:"goals_intro,omitempty"`
	// ResponsibilityNote explains how the plan's 责任单位 lists were read.
	ResponsibilityNote string `yaml:"responsibility_note,omitempty" json:"responsibility_note,omitempty"`
}

// Unit is an organisation unit: the district, a park, a town or street, or a
// department named as responsible in the plan.
type Unit struct {
	Code string   `yaml:"code" json:"code"`
	Name string   `yaml:"name" json:"name"`
	Kind UnitKind `yaml:"kind" json:"kind"`
	// DivisionCode is the NBS statistical division code (统计用区划代码) of a
	// district, town, street or park.
	DivisionCode string `yaml:"division_code,omitempty" json:"division_code,omitempty"`
	Parent       string `yaml:"parent,omitempty" json:"parent,omitempty"`
	// Park names the park a town or street is run together with (园镇合一).
	Park string `yaml:"park,omitempty" json:"park,omitempty"`
	// FormerCodes are division codes the unit had before a reorganisation;
	// records that still carry them are mapped to this unit.
	FormerCodes []string `yaml:"former_codes,omitempty" json:"former_codes,omitempty"`
	// Aliases are other names the unit goes by in imported data, e.g. the
	// street's own name for a park run with a street.
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Note    string   `yaml:"note,omitempty" json:"note,omitempty"`
}

// UnitKind says what sort of organisation a unit is.
type UnitKind string

// Unit kinds.
const (
	KindDistrict    UnitKind = "district"    // 区
	KindPark        UnitKind = "park"        // 园区
	KindSubdistrict UnitKind = "subdistrict" // 街道
	KindTown        UnitKind = "town"        // 镇
	KindDepartment  UnitKind = "department"  // 区级部门
)

var unitKindLabels = map[UnitKind]string{
	KindDistrict:    "区",
	KindPark:        "园区",
	KindSubdistrict: "街道",
	KindTown:        "镇",
	KindDepartment:  "区级部门",
}

// Label is the kind's Chinese name.
func (k UnitKind) Label() string { return unitKindLabels[k] }

// StandingDuty is a duty the plan states once for a whole class of units,
// such as "以下均需各园区、镇(街道)落实,不再列出": every unit of the listed
// kinds implements every task.
type StandingDuty struct {
	UnitKinds []UnitKind `yaml:"unit_kinds" json:"unit_kinds"`
	Source    string     `yaml:"source" json:"source"`
}

// Goal is one of the plan's main goals (主要目标).
type Goal struct {
	Code    string `yaml:"code" json:"code"`
	Section string `yaml:"section" json:"section"` // e.g. 二(一)
	Title   string `yaml:"title" json:"title"`
	Source  string `yaml:"source" json:"source"`
}

// FieldGroup is a heading that gathers service fields, e.g. producer services.
type FieldGroup struct {
	Code    string `yaml:"code" json:"code"`
	Section string `yaml:"section" json:"section"`
	Title   string `yaml:"title" json:"title"`
	// Category is the national classification the group follows:
	// producer (生产性服务业) or life (生活性服务业).
	Category string `yaml:"category" json:"category"`
}

// Field is a service field (服务领域) with its tasks.
type Field struct {
	Code    string `yaml:"code" json:"code"`
	Group   string `yaml:"group" json:"group"`
	Section string `yaml:"section" json:"section"` // e.g. 三(一)1
	Name    string `yaml:"name" json:"name"`
	// Source is the field's opening text, before its first task.
	Source string `yaml:"source" json:"source"`
	// Lead and Co are the codes of the responsible units (牵头/配合) for
	// every task of the field unless a task names its own.
	Lead []string `yaml:"lead" json:"lead"`
	Co   []string `yaml:"co,omitempty" json:"co,omitempty"`
	// Responsibility is the plan's 责任单位 sentence for the field.
	Responsibility string `yaml:"responsibility" json:"responsibility"`
	// Industries are the GB/T 4754-2017 codes (2-digit divisions, 3-digit
	// groups or 4-digit classes) whose enterprises serve the field; a class
	// belongs to the field with the longest matching code.
	Industries []string `yaml:"industries,omitempty" json:"industries,omitempty"`
	// IndustriesNote says why the codes were chosen, from the plan's words.
	IndustriesNote string `yaml:"industries_note,omitempty" json:"industries_note,omitempty"`
	Tasks          []Task `yaml:"tasks" json:"tasks"`
}

// Task is one sub-task of a field, titled with the plan's lead phrase.
type Task struct {
	Code   string   `yaml:"code" json:"code"`
	Title  string   `yaml:"title" json:"title"`
	Source string   `yaml:"source" json:"source"`
	Lead   []string `yaml:"lead,omitempty" json:"lead,omitempty"`
	Co     []string `yaml:"co,omitempty" json:"co,omitempty"`
	Note   string   `yaml:"note,omitempty" json:"note,omitempty"`
}

// Action is a special action (专项行动) or a guarantee (保障措施).
type Action struct {
	Code    string   `yaml:"code" json:"code"`
	Section string   `yaml:"section" json:"section"`
	Title   string   `yaml:"title" json:"title"`
	Source  string   `yaml:"source" json:"source"`
	Lead    []string `yaml:"lead,omitempty" json:"lead,omitempty"`
	Co      []string `yaml:"co,omitempty" json:"co,omitempty"`
}

// Indicator is a measurable target of the plan.
type Indicator struct {
	Code string `yaml:"code" json:"code"`
	Name string `yaml:"name" json:"name"`
	Unit string `yaml:"unit" json:"unit"` // 亿元, 家, 个, %, 百分点 …
	Kind Kind   `yaml:"kind" json:"kind"`
	// Direction is up when more is better, down when less is better.
	Direction Direction `yaml:"direction" json:"direction"`
	// PriceBasis is current (现价) or constant (不变价/可比价) for money
	// values and growth rates; empty for counts and shares.
	PriceBasis string `yaml:"price_basis,omitempty" json:"price_basis,omitempty"`
	// Exactly one of Goal, Field and Action places the indicator in the
	// plan; Task narrows Field to one of its tasks.
	Goal   string `yaml:"goal,omitempty" json:"goal,omitempty"`
	Field  string `yaml:"field,omitempty" json:"field,omitempty"`
	Task   string `yaml:"task,omitempty" json:"task,omitempty"`
	Action string `yaml:"action,omitempty" json:"action,omitempty"`
	// PerUnitKind, when set, means the target applies to every unit of
	// that kind separately (e.g. each department attracts one firm a year).
	PerUnitKind UnitKind  `yaml:"per_unit_kind,omitempty" json:"per_unit_kind,omitempty"`
	Baseline    *Baseline `yaml:"baseline,omitempty" json:"baseline,omitempty"`
	Targets     []Target  `yaml:"targets" json:"targets"`
	Source      string    `yaml:"source" json:"source"`
	Note        string    `yaml:"note,omitempty" json:"note,omitempty"`
	// Compute, when set, has svcplan compute the indicator's values from
	// the directory and the enterprise reports instead of having them
	// entered (see Computations); Field, when set, narrows it to the
	// field's industry classes.
	Compute Computation `yaml:"compute,omitempty" json:"compute,omitempty"`
	// Count selects the carriers a `compute: carriers` indicator counts.
	Count *CarrierCount `yaml:"count,omitempty" json:"count,omitempty"`
}

// CarrierCount selects the carriers and honours of the ledger an
// indicator counts (doc/carriers.md): those of one of Kinds at one of
// Levels, certified (认定) on or after From (YYYY-MM-DD; the plan's first
// day when empty) and not revoked by the end of the period counted.
type CarrierCount struct {
	Kinds  []CarrierKind  `yaml:"kinds" json:"kinds"`
	Levels []CarrierLevel `yaml:"levels" json:"levels"`
	From   string         `yaml:"from,omitempty" json:"from,omitempty"`
}

// CarrierKind is a kind of carrier (载体) or honour the plan's tasks name.
type CarrierKind string

// Carrier kinds.
const (
	CarrierCluster     CarrierKind = "cluster"      // 现代服务业集聚区
	CarrierPilot       CarrierKind = "pilot"        // 两业融合发展试点(区域、企业)
	CarrierIncubator   CarrierKind = "incubator"    // 孵化器
	CarrierMakerSpace  CarrierKind = "maker_space"  // 众创空间
	CarrierPark        CarrierKind = "park"         // 特色产业园(数字经济、跨境电商、人力资源服务 …)
	CarrierPOC         CarrierKind = "poc_center"   // 概念验证中心
	CarrierTesting     CarrierKind = "testing"      // 检验检测中心
	CarrierTimeHonored CarrierKind = "time_honored" // 老字号
	CarrierLeader      CarrierKind = "leader"       // 龙头企业
	CarrierDemoBase    CarrierKind = "demo_base"    // 示范基地
	CarrierVillage     CarrierKind = "village"      // 传统村落
	CarrierStreet      CarrierKind = "street"       // 示范步行街、特色街区
	CarrierOther       CarrierKind = "other"        // 其他
)

// CarrierKinds lists the kinds in the order pages show them.
var CarrierKinds = []CarrierKind{CarrierCluster, CarrierPilot, CarrierIncubator, CarrierMakerSpace, CarrierPark, CarrierPOC,
	CarrierTesting, CarrierTimeHonored, CarrierLeader, CarrierDemoBase, CarrierVillage, CarrierStreet, CarrierOther}

var carrierKindLabels = map[CarrierKind]string{
	CarrierCluster: "现代服务业集聚区", CarrierPilot: "两业融合试点", CarrierIncubator: "孵化器", CarrierMakerSpace: "众创空间",
	CarrierPark: "特色产业园", CarrierPOC: "概念验证中心", CarrierTesting: "检验检测中心", CarrierTimeHonored: "老字号",
	CarrierLeader: "龙头企业", CarrierDemoBase: "示范基地", CarrierVillage: "传统村落", CarrierStreet: "特色街区", CarrierOther: "其他",
}

// Label is the kind's Chinese name ("" for an unknown kind).
func (k CarrierKind) Label() string { return carrierKindLabels[k] }

// CarrierLevel is the level of government that certifies a carrier.
type CarrierLevel string

// Carrier levels, highest first.
const (
	LevelNational CarrierLevel = "national" // 国家级
	LevelProvince CarrierLevel = "province" // 省级
	LevelCity     CarrierLevel = "city"     // 市级
	LevelDistrict CarrierLevel = "district" // 区级
)

// CarrierLevels lists the levels, highest first.
var CarrierLevels = []CarrierLevel{LevelNational, LevelProvince, LevelCity, LevelDistrict}

var carrierLevelLabels = map[CarrierLevel]string{LevelNational: "国家级", LevelProvince: "省级", LevelCity: "市级", LevelDistrict: "区级"}

// Label is the level's Chinese name ("" for an unknown level).
func (l CarrierLevel) Label() string { return carrierLevelLabels[l] }

// Computation is how svcplan computes an indicator.
type Computation = string

// Computations.
const (
	// ComputeFirms counts the firms in the above-size registers
	// (规上服务业 and 限上批零住餐): a level indicator the firms in them at
	// the period's end, a yearly_new one those included during the year,
	// a period_new one those included since the plan began.
	ComputeFirms Computation = "firms"
	// ComputeRevenue sums 营业收入 (1-本月) of the F203 reports of the
	// period: an annual indicator, in 亿元.
	ComputeRevenue Computation = "revenue"
	// ComputeProjectsSigned, …Started and …Completed count the ledger's
	// projects that signed, started or completed in the year by the
	// counting rules in force (doc/projects.md): yearly_new indicators.
	ComputeProjectsSigned    Computation = "projects_signed"
	ComputeProjectsStarted   Computation = "projects_started"
	ComputeProjectsCompleted Computation = "projects_completed"
	// ComputeCarriers counts the carriers of the ledger that Count
	// selects: a level indicator those certified and standing at the
	// period's end, a yearly_new one those certified in the year, a
	// period_new one those certified since Count.From.
	ComputeCarriers Computation = "carriers"
)

// Kind says what an indicator's values measure, which decides how they
// add up over a year and how progress is read.
type Kind string

// Indicator kinds.
const (
	KindAnnual    Kind = "annual"     // 年度总量: a flow over the year (增加值, 营业收入)
	KindLevel     Kind = "level"      // 期末存量: a stock at year end (企业总数)
	KindYearlyNew Kind = "yearly_new" // 每年新增: new in the year, restarting each year
	KindPeriodNew Kind = "period_new" // 期内累计新增: new since the plan began
	KindShare     Kind = "share"      // 比重
	KindChange    Kind = "change"     // 年度变动: change of a share or rate over the year
	KindAvgGrowth Kind = "avg_growth" // 年均增速 since the baseline year
	KindGrowthGap Kind = "growth_gap" // 增速差: one growth rate minus another
)

var kindLabels = map[Kind]string{
	KindAnnual:    "年度总量",
	KindLevel:     "期末存量",
	KindYearlyNew: "每年新增",
	KindPeriodNew: "期内累计新增",
	KindShare:     "比重",
	KindChange:    "年度变动",
	KindAvgGrowth: "年均增速",
	KindGrowthGap: "增速差",
}

// Label is the kind's Chinese name.
func (k Kind) Label() string { return kindLabels[k] }

// Direction says which way an indicator should move.
type Direction string

// Directions.
const (
	Up   Direction = "up"
	Down Direction = "down"
)

// Label is the direction's Chinese name.
func (d Direction) Label() string {
	switch d {
	case Up:
		return "越高越好"
	case Down:
		return "越低越好"
	}
	return ""
}

// Price bases of money values and growth rates.
const (
	PriceCurrent  = "current"  // 现价
	PriceConstant = "constant" // 不变价(可比价)
)

// PriceBasisLabel is the Chinese name of a price basis.
func PriceBasisLabel(b string) string {
	switch b {
	case PriceCurrent:
		return "现价"
	case PriceConstant:
		return "不变价(可比价)"
	}
	return ""
}

// Baseline is the value an indicator starts from. Derived says how a value
// the plan only implies was worked out; such a value is never a statistic.
type Baseline struct {
	Year    int    `yaml:"year" json:"year"`
	Value   Number `yaml:"value,omitempty" json:"value,omitempty"`
	Derived string `yaml:"derived,omitempty" json:"derived,omitempty"`
}

// Target is what an indicator should reach in one year.
type Target struct {
	Year int `yaml:"year" json:"year"`
	Op   Op  `yaml:"op" json:"op"`
	// Value is the target; with op between it is the lower end and Max the
	// upper end (e.g. "1-2个").
	Value Number `yaml:"value" json:"value"`
	Max   Number `yaml:"max,omitempty" json:"max,omitempty"`
	// Strive marks a target the plan words as 力争/争创/争取: an aspiration
	// rather than a firm commitment.
	Strive bool   `yaml:"strive,omitempty" json:"strive,omitempty"`
	Note   string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Op compares an actual value with a target.
type Op string

// Comparison operators.
const (
	OpGE      Op = "ge"      // 不少于, 以上, 达到
	OpGT      Op = "gt"      // 突破, 超过, 高于
	OpLE      Op = "le"      // 不超过, 以内
	OpLT      Op = "lt"      // 低于
	OpEQ      Op = "eq"      // 保持
	OpBetween Op = "between" // 1-2个: at least Value, at most Max
)

// Symbol is how the operator is printed before a target value.
func (o Op) Symbol() string {
	switch o {
	case OpGE:
		return "≥"
	case OpGT:
		return ">"
	case OpLE:
		return "≤"
	case OpLT:
		return "<"
	case OpEQ:
		return "="
	}
	return ""
}

// Text prints the target as a reader expects, e.g. "≥100" or "1–2".
func (t Target) Text() string {
	if t.Op == OpBetween {
		return string(t.Value) + "–" + string(t.Max)
	}
	return t.Op.Symbol() + string(t.Value)
}

// Units of measure an indicator may use.
var measureUnits = []string{
	"亿元", "万元", "千元", "元", "家", "个", "项", "人", "人次", "万人次",
	"%", "百分点", "平方米", "万平方米",
}
