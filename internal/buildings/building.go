// Package buildings is the building big-data system (楼宇经济, plan
// 三(一)6): buildings (一楼一档), their rooms and tenants, the tax bureau's
// figures by building, and the measures and tiers read from them
// (doc/buildings.md).
package buildings

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/money"
	"svcplan/internal/uscc"
)

// Area is a floor area in hundredths of a square metre: exact, as the
// 台账 states it.
type Area int64

// ParseArea reads an area in m² with at most two decimals: "1234.56",
// "12,000". what names it in the message ("建筑面积").
func ParseArea(s, what string) (Area, error) {
	f, err := money.Parse(s, money.Yuan) // the same exact decimal reading, 2 places
	switch {
	case errors.Is(err, money.ErrTooFine):
		return 0, fmt.Errorf("%s“%s”超过两位小数", what, s)
	case err != nil:
		return 0, fmt.Errorf("%s“%s”不是面积数字(平方米)", what, s)
	case f < 0:
		return 0, fmt.Errorf("%s不能为负数(%s)", what, s)
	}
	return Area(f), nil
}

// String is the area in m² with two decimals: 1234.50.
func (a Area) String() string { return money.Fen(a).Text(money.Yuan, 2) }

// MarshalJSON writes the area as its exact decimal text in m², "1234.50":
// a JSON number would invite floating point.
func (a Area) MarshalJSON() ([]byte, error) { return []byte(`"` + a.String() + `"`), nil }

// UnmarshalJSON reads an area written as MarshalJSON writes it (a number
// is taken too).
func (a *Area) UnmarshalJSON(b []byte) error {
	v, err := ParseArea(strings.Trim(string(b), `"`), "面积")
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Kind is what a building is.
type Kind string

// The kinds of buildings the office keeps.
const (
	KindOffice    Kind = "office"    // 商务楼宇
	KindComplex   Kind = "complex"   // 商业综合体
	KindPark      Kind = "park"      // 产业园
	KindIncubator Kind = "incubator" // 孵化器/众创空间
	KindMarket    Kind = "market"    // 专业市场
	KindOtherKind Kind = "other"     // 其他
)

// Kinds lists the kinds in the order the forms offer them.
var Kinds = []Kind{KindOffice, KindComplex, KindPark, KindIncubator, KindMarket, KindOtherKind}

var kindLabels = map[Kind]string{KindOffice: "商务楼宇", KindComplex: "商业综合体", KindPark: "产业园",
	KindIncubator: "孵化器/众创空间", KindMarket: "专业市场", KindOtherKind: "其他"}

// Label is the kind's Chinese name.
func (k Kind) Label() string { return kindLabels[k] }

// KindByLabel finds a kind by its Chinese name, a common other name
// (写字楼, 综合体, 众创空间) or its code.
func KindByLabel(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	switch s {
	case "写字楼", "商务楼":
		return KindOffice, true
	case "综合体":
		return KindComplex, true
	case "孵化器", "众创空间":
		return KindIncubator, true
	}
	for k, l := range kindLabels {
		if s == l || s == string(k) {
			return k, true
		}
	}
	return "", false
}

// Grade is a building's grade by GB/T 39069-2020 商务楼宇等级划分要求.
type Grade string

// The grades of GB/T 39069-2020, and none.
const (
	GradeNone   Grade = ""
	GradeSuperA Grade = "超甲级"
	GradeA      Grade = "甲级"
	GradeB      Grade = "乙级"
)

// Grades lists the grades best first.
var Grades = []Grade{GradeSuperA, GradeA, GradeB}

// ParseGrade reads a grade: 超甲, 超甲级, 甲, 甲级, 乙, 乙级, or blank / 无
// for none.
func ParseGrade(s string) (Grade, bool) {
	switch strings.TrimSpace(s) {
	case "", "无", "未评级", "-":
		return GradeNone, true
	case "超甲", "超甲级":
		return GradeSuperA, true
	case "甲", "甲级":
		return GradeA, true
	case "乙", "乙级":
		return GradeB, true
	}
	return GradeNone, false
}

// Building is one building's record (一楼一档), one version of it.
type Building struct {
	Code     string `json:"code"` // 楼宇编号, e.g. GG-001
	Version  int    `json:"version"`
	Name     string `json:"name"`
	Address  string `json:"address"`
	Unit     string `json:"unit"` // the plan's town, street or park
	Kind     Kind   `json:"kind"`
	Grade    Grade  `json:"grade,omitempty"`
	Gross    Area   `json:"gross_area"`    // 总建筑面积, 0.01 m²
	Rentable Area   `json:"rentable_area"` // 可租面积
	Floors   int    `json:"floors"`        // above ground
	Basement int    `json:"basement_floors,omitempty"`
	Owner    Party  `json:"owner"`
	Operator Party  `json:"operator"` // 物业/运营方
	Keeper   string `json:"keeper"`   // 责任人 (一楼一档)
	Phone    string `json:"keeper_phone,omitempty"`
	Theme    Theme  `json:"theme"` // 特色楼宇, when it has one
	Opened   int    `json:"opened,omitempty"`
	// The version's provenance.
	ChangedBy string    `json:"changed_by"`
	ChangedAt time.Time `json:"changed_at"`
	Reason    string    `json:"reason"`
}

// Party is an owner or operator: its name and USCC.
type Party struct {
	Name string `json:"name,omitempty"`
	USCC string `json:"uscc,omitempty"`
}

// Theme is a 特色楼宇's theme: a name and the GB/T 4754 classes or
// divisions (two digits) it counts as its own.
type Theme struct {
	Name    string   `json:"name,omitempty"` // 医药研发, 数字经济
	Classes []string `json:"classes,omitempty"`
}

// Has reports whether an industry class belongs to the theme: it is one
// of its classes or lies in one of its divisions or groups (by prefix).
func (t Theme) Has(class string) bool {
	for _, c := range t.Classes {
		if c != "" && strings.HasPrefix(class, c) {
			return true
		}
	}
	return false
}

// Check lists what is wrong with a building as problems by field, with
// Chinese messages; unitOK says whether a unit code is one of the plan's.
func (b *Building) Check(unitOK func(string) bool) map[string]string {
	probs := map[string]string{}
	add := func(field, format string, args ...any) {
		if _, ok := probs[field]; !ok {
			probs[field] = fmt.Sprintf(format, args...)
		}
	}
	b.Code, b.Name, b.Address = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name), strings.TrimSpace(b.Address)
	switch {
	case b.Code == "":
		add("code", "楼宇编号不能为空")
	case len(b.Code) > 32 || strings.ContainsAny(b.Code, " /?#%\\\"<>"):
		add("code", "楼宇编号“%s”应为不超过32个字符的字母、数字或短横线", b.Code)
	}
	if b.Name == "" || utf8.RuneCountInString(b.Name) > 100 {
		add("name", "楼宇名称不能为空,且不超过100个字")
	}
	if !unitOK(b.Unit) {
		add("unit", "所在镇街或园区“%s”不在本规划的单位中", b.Unit)
	}
	if kindLabels[b.Kind] == "" {
		add("kind", "楼宇类型“%s”应为商务楼宇、商业综合体、产业园、孵化器/众创空间、专业市场或其他", b.Kind)
	}
	if _, ok := ParseGrade(string(b.Grade)); !ok {
		add("grade", "楼宇等级“%s”应为超甲级、甲级、乙级或空(GB/T 39069-2020)", b.Grade)
	}
	switch {
	case b.Gross <= 0:
		add("gross_area", "总建筑面积应大于0")
	case b.Rentable < 0:
		add("rentable_area", "可租面积不能为负数")
	case b.Rentable > b.Gross:
		add("rentable_area", "可租面积%s平方米大于总建筑面积%s平方米", b.Rentable, b.Gross)
	}
	if b.Floors < 1 || b.Floors > 200 || b.Basement < 0 || b.Basement > 20 {
		add("floors", "地上层数应为1至200,地下层数0至20")
	}
	for field, p := range map[string]Party{"owner": b.Owner, "operator": b.Operator} {
		if p.USCC != "" {
			if err := uscc.Check(p.USCC).Err(); err != nil {
				add(field, "统一社会信用代码“%s”有误:%v", p.USCC, err)
			}
		}
	}
	if b.Opened != 0 && (b.Opened < 1900 || b.Opened > 2100) {
		add("opened", "投用年份“%d”不是年份", b.Opened)
	}
	for _, c := range b.Theme.Classes {
		if len(c) < 2 || len(c) > 4 || strings.Trim(c, "0123456789") != "" {
			add("theme", "特色主题的行业代码“%s”应为2至4位数字(GB/T 4754-2017)", c)
		}
	}
	if len(b.Theme.Classes) > 0 && strings.TrimSpace(b.Theme.Name) == "" {
		add("theme", "特色主题须有名称")
	}
	return probs
}
