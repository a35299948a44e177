package registry

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/industry"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// Field is a bit naming an enterprise field an import row gives.
type Field uint16

// Fields an enterprise row may give; the USCC always is.
const (
	FName Field = 1 << iota
	FIndustry
	FUnit
	FAddress
	FBuilding
	FRegisteredOn
	FStatus
	FRegister
	FIncludedOn
	FExitedOn
	FUSCCFlag
	FIndustry2011
)

// fieldNames are the field names as the history lists changes.
var fieldNames = []struct {
	f    Field
	name string
}{
	{FName, "name"}, {FIndustry, "industry"}, {FUnit, "unit"}, {FAddress, "address"}, {FBuilding, "building"},
	{FRegisteredOn, "registered_on"}, {FStatus, "status"}, {FRegister, "register"}, {FIncludedOn, "included_on"},
	{FExitedOn, "exited_on"}, {FUSCCFlag, "uscc_flag"},
	{FIndustry2011, "industry_2011"},
}

// Staged is an enterprise row ready for the store: the values the row
// gives, with Has telling which. An empty cell or a missing column keeps
// what the directory knows.
type Staged struct {
	Row int
	E   Enterprise
	Has Field
	// Successor is set when the row's industry code was a GB/T 4754-2011
	// class converted to E.Industry.
	Successor *industry.Successor
}

// Lookups are what validating a row needs to know of the world.
type Lookups struct {
	// IndustryClass reports whether a code is a 4-digit class of the
	// industry table in force.
	IndustryClass func(code string) bool
	// Successor converts a GB/T 4754-2011 class to 2017; ok is false for a
	// code that is not a 2011 class.
	Successor func(code string) (industry.Successor, bool)
	// Edition2011: the file's industry codes are GB/T 4754-2011 codes, all
	// of them (a code of both editions is read as 2011 too).
	Edition2011 bool
	// RegisterOf is the register a class's size rule leads into, for
	// imports that only say 是/否 纳统.
	RegisterOf func(class string) Register
	// UnitByName and UnitByDivision find the plan's unit of a town, street
	// or park by name (or alias) or by statistical division code, current
	// or former.
	UnitByName     func(name string) (string, bool)
	UnitByDivision func(code string) (string, bool)
	// Official is true for exports of a statistics bureau or market
	// regulator: a USCC whose only fault is its check character is kept
	// and flagged for review, not refused.
	Official bool
	Now      time.Time
}

// rowParser validates the rows of one enterprise import.
type rowParser struct {
	m   Mapping
	l   Lookups
	get func(cells []string, col Column) (string, int, bool)
}

func newRowParser(m Mapping, l Lookups) *rowParser {
	p := &rowParser{m: m, l: l}
	p.get = func(cells []string, col Column) (string, int, bool) {
		i, ok := m.Index[col]
		if !ok || i >= len(cells) {
			return "", i + 1, false
		}
		v := unneutralize(strings.TrimSpace(cells[i]))
		return v, i + 1, v != ""
	}
	return p
}

// unneutralize takes off the quote our exports put before a cell that a
// spreadsheet would run as a formula (see xlsx.Neutralize), so that a
// corrected rejected-rows file imports as it was first sent.
func unneutralize(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte("=+-@", v[1]) >= 0 {
		return v[1:]
	}
	return v
}

func (p *rowParser) errAt(errs []table.RowError, row, col int, value, format string, args ...any) []table.RowError {
	header := ""
	if col > 0 && col-1 < len(p.m.Header) {
		header = strings.TrimSpace(p.m.Header[col-1])
	}
	return append(errs, table.RowError{Row: row, Col: col, Header: header, Value: value, Msg: fmt.Sprintf(format, args...)})
}

const maxText = 300 // characters of a name, address or building

// parse validates one row; it returns the staged row, or the errors.
func (p *rowParser) parse(row int, cells []string) (Staged, []table.RowError) {
	var errs []table.RowError
	s := Staged{Row: row}

	code, col, ok := p.get(cells, ColUSCC)
	if !ok {
		return s, p.errAt(errs, row, col, "", "统一社会信用代码为空")
	}
	r := uscc.Check(code)
	switch {
	case r.Valid:
	case r.OnlyCheckCharWrong() && p.l.Official:
		s.E.USCCFlag, s.Has = "check", s.Has|FUSCCFlag
	default:
		msg := r.Err().Error()
		if r.OnlyCheckCharWrong() {
			msg += "(手工名单不接受校验码错误的代码;如来自统计或市场监管部门的导出,请选择“官方导出”来源导入)"
		}
		errs = p.errAt(errs, row, col, code, "%s", msg)
	}
	s.E.USCC = r.Code

	text := func(c Column, f Field, dst *string, required bool) {
		v, col, ok := p.get(cells, c)
		switch {
		case !ok && required:
			errs = p.errAt(errs, row, col, v, "%s为空", c.Label())
		case !ok:
		case utf8.RuneCountInString(v) > maxText:
			errs = p.errAt(errs, row, col, v, "%s超过%d个字", c.Label(), maxText)
		default:
			*dst, s.Has = v, s.Has|f
		}
	}
	text(ColName, FName, &s.E.Name, false)
	text(ColAddress, FAddress, &s.E.Address, false)
	text(ColBuilding, FBuilding, &s.E.Building, false)

	if v, col, ok := p.get(cells, ColIndustry); ok {
		if class, succ, msg := p.industry(v); msg != "" {
			errs = p.errAt(errs, row, col, v, "%s", msg)
		} else {
			s.E.Industry, s.Has = class, s.Has|FIndustry|FIndustry2011
			if succ != nil {
				s.Successor = succ
				if succ.Unsure() {
					s.E.Industry2011 = succ.Old.Code
				}
			}
		}
	}

	if v, col, ok := p.get(cells, ColUnit); ok {
		if unit, found := p.unit(v); found {
			s.E.Unit, s.Has = unit, s.Has|FUnit
		} else {
			errs = p.errAt(errs, row, col, v, "“%s”不是本区的镇(街道)或园区", v)
		}
	} else if v, col, ok := p.get(cells, ColDivision); ok {
		if unit, found := p.l.UnitByDivision(v); found {
			s.E.Unit, s.Has = unit, s.Has|FUnit
		} else {
			errs = p.errAt(errs, row, col, v, "区划代码“%s”不是本区的镇(街道)或园区", v)
		}
	}

	if v, col, ok := p.get(cells, ColRegisteredOn); ok {
		if d, msg := parseDate(v, p.l.Now); msg != "" {
			errs = p.errAt(errs, row, col, v, "%s", msg)
		} else {
			s.E.RegisteredOn, s.Has = d, s.Has|FRegisteredOn
		}
	}
	if v, col, ok := p.get(cells, ColStatus); ok {
		if st, found := statusOf(v); found {
			s.E.Status, s.Has = st, s.Has|FStatus
		} else {
			errs = p.errAt(errs, row, col, v, "登记状态“%s”不认识,应为存续、迁出、注销、吊销或其他", v)
		}
	}
	if v, col, ok := p.get(cells, ColRegister); ok {
		if reg, found := registerOf(v); found {
			if reg == registerByIndustry {
				reg = RegisterNone
				if s.E.Industry != "" && p.l.RegisterOf != nil {
					reg = p.l.RegisterOf(s.E.Industry)
				}
				if reg == RegisterNone && s.E.Industry != "" { // a wrong industry code is reported already
					errs = p.errAt(errs, row, col, v, "纳统状态为“%s”,但无法由行业代码判断所属统计范围,请写明规上服务业、限上批零住餐或规上工业", v)
				}
			}
			s.E.Register, s.Has = reg, s.Has|FRegister
		} else {
			errs = p.errAt(errs, row, col, v, "纳统状态“%s”不认识,应为规上服务业、限上批零住餐、规上工业、其他四上或未纳统", v)
		}
	}
	for _, mc := range []struct {
		c   Column
		f   Field
		dst *string
	}{{ColIncludedOn, FIncludedOn, &s.E.IncludedOn}, {ColExitedOn, FExitedOn, &s.E.ExitedOn}} {
		if v, col, ok := p.get(cells, mc.c); ok {
			if m, msg := parseMonth(v, p.l.Now); msg != "" {
				errs = p.errAt(errs, row, col, v, "%s", msg)
			} else {
				*mc.dst, s.Has = m, s.Has|mc.f
			}
		}
	}
	return s, errs
}

// unit finds a town, street or park by name, alias or division code.
func (p *rowParser) unit(v string) (string, bool) {
	if u, ok := p.l.UnitByName(v); ok {
		return u, true
	}
	if isDigits(v) {
		return p.l.UnitByDivision(v)
	}
	return "", false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// industry reads an industry code as exports write it ("7291", "L7291",
// "7291 旅行社及相关服务") and returns its GB/T 4754-2017 class, with the
// successor used when the code was a 2011 class the crosswalk converted,
// or a message for the user.
func (p *rowParser) industry(v string) (string, *industry.Successor, string) {
	c := v
	if len(c) > 0 && c[0] >= 'A' && c[0] <= 'T' {
		c = strings.TrimSpace(c[1:])
	}
	if i := strings.IndexFunc(c, func(r rune) bool { return r < '0' || r > '9' }); i > 0 {
		c = c[:i]
	}
	known, succ := p.l.IndustryClass, p.l.Successor
	edition := "GB/T 4754-2017"
	if p.l.Edition2011 {
		known, edition = func(string) bool { return false }, "GB/T 4754-2011"
	}
	switch {
	case len(c) == 3 && isDigits(c) && (p.l.IndustryClass("0"+c) || isSuccessor(succ, "0"+c)):
		return "", nil, fmt.Sprintf("行业代码“%s”应为4位;是否丢失了开头的0(0%s)?请把该列设为文本格式后重新导出", v, c)
	case len(c) != 4 || !isDigits(c):
		return "", nil, fmt.Sprintf("行业代码“%s”应为%s的4位小类代码,如7291", v, edition)
	case known(c):
		return c, nil, ""
	}
	s, ok := succ(c)
	switch {
	case !ok && p.l.Edition2011:
		return "", nil, fmt.Sprintf("“%s”不是GB/T 4754-2011的行业小类代码", v)
	case !ok:
		return "", nil, fmt.Sprintf("“%s”不是GB/T 4754-2017(也不是2011)的行业小类代码", v)
	case !p.l.IndustryClass(s.Main):
		return "", nil, fmt.Sprintf("2011版行业代码“%s”对应的2017版小类%s不在现行行业分类表中", v, s.Main)
	case s.Main == c && !s.Unsure():
		return c, nil, "" // a 2011 class that 2017 kept as it was
	}
	return s.Main, &s, ""
}

func isSuccessor(succ func(string) (industry.Successor, bool), code string) bool {
	_, ok := succ(code)
	return ok
}

var statusWords = map[string]Status{
	"存续": StatusActive, "在业": StatusActive, "开业": StatusActive, "在营": StatusActive, "正常": StatusActive,
	"存续(在营、开业、在册)": StatusActive, "在册": StatusActive, "营业": StatusActive,
	"迁出": StatusMovedOut, "已迁出": StatusMovedOut,
	"注销": StatusDeregistered, "已注销": StatusDeregistered,
	"吊销": StatusRevoked, "吊销未注销": StatusRevoked, "吊销,未注销": StatusRevoked, "吊销，未注销": StatusRevoked, "已吊销": StatusRevoked,
	"其他": StatusOther, "撤销": StatusOther, "停业": StatusOther, "歇业": StatusOther,
}

func statusOf(v string) (Status, bool) {
	if s, ok := statusWords[v]; ok {
		return s, true
	}
	for _, s := range Statuses {
		if v == string(s) {
			return s, true
		}
	}
	return "", false
}

// registerByIndustry stands for "是" (纳统): the register follows from the
// firm's industry.
const registerByIndustry Register = "by_industry"

var registerWords = map[string]Register{
	"规上服务业": RegisterServices, "规模以上服务业": RegisterServices, "服务业": RegisterServices,
	"限上批零住餐": RegisterTrade, "限额以上批零住餐": RegisterTrade, "限上": RegisterTrade, "限额以上": RegisterTrade,
	"限上批发": RegisterTrade, "限上零售": RegisterTrade, "限上住宿": RegisterTrade, "限上餐饮": RegisterTrade,
	"批发": RegisterTrade, "零售": RegisterTrade, "住宿": RegisterTrade, "餐饮": RegisterTrade, "批零住餐": RegisterTrade,
	"规上工业": RegisterIndustry, "规模以上工业": RegisterIndustry, "工业": RegisterIndustry,
	"其他四上": RegisterOther, "建筑业": RegisterOther, "资质建筑业": RegisterOther, "房地产开发": RegisterOther, "房地产开发经营": RegisterOther,
	"未纳统": RegisterNone, "否": RegisterNone, "无": RegisterNone, "未入库": RegisterNone, "规下": RegisterNone, "限下": RegisterNone,
	"是": registerByIndustry, "已纳统": registerByIndustry, "已入库": registerByIndustry,
}

func registerOf(v string) (Register, bool) {
	if r, ok := registerWords[v]; ok {
		return r, true
	}
	for _, r := range Registers {
		if v == string(r) {
			return r, true
		}
	}
	return "", false
}

// parseDate reads a date as exports write it (see table.ParseDate) and
// returns it as YYYY-MM-DD, or a message in Chinese.
func parseDate(v string, now time.Time) (string, string) {
	t, err := table.ParseDate(v)
	switch {
	case errors.Is(err, table.ErrNoDate):
		return "", fmt.Sprintf("日期“%s”不存在", v)
	case err != nil:
		return "", fmt.Sprintf("日期“%s”不认识,应为2020-01-02这样的格式", v)
	}
	if t.Year() < 1949 || t.After(now) {
		return "", fmt.Sprintf("日期“%s”不在1949年至今之间", v)
	}
	if len(v) == 10 && v[4] == '-' && v[7] == '-' {
		return v, "" // already in the stored form
	}
	return t.Format(time.DateOnly), ""
}

var monthSeparators = strings.NewReplacer("年", "-", "月", "", "/", "-", ".", "-")

// atoi reads a string of ASCII digits (checked by the caller).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// parseMonth reads a month (2021-03, 2021年3月, 202103) or a date, and
// returns YYYY-MM.
func parseMonth(v string, now time.Time) (string, string) {
	if len(v) == 6 && isDigits(v) || len(v) == 7 && v[4] == '-' && isDigits(v[:4]) && isDigits(v[5:]) {
		// The common forms 202103 and 2021-03, without allocating.
		y, m := atoi(v[:4]), atoi(v[len(v)-2:])
		if m >= 1 && m <= 12 && y >= 1949 {
			if y > now.Year() || y == now.Year() && m > int(now.Month()) {
				return "", fmt.Sprintf("月份“%s”晚于本月", v)
			}
			return v[:4] + "-" + v[len(v)-2:], ""
		}
	}
	s := monthSeparators.Replace(v)
	if len(s) == 6 && isDigits(s) {
		s = s[:4] + "-" + s[4:]
	}
	parts := strings.Split(s, "-")
	if len(parts) == 2 {
		y, err1 := strconv.Atoi(parts[0])
		m, err2 := strconv.Atoi(parts[1])
		if err1 == nil && err2 == nil && m >= 1 && m <= 12 && y >= 1949 {
			if y > now.Year() || y == now.Year() && m > int(now.Month()) {
				return "", fmt.Sprintf("月份“%s”晚于本月", v)
			}
			return fmt.Sprintf("%04d-%02d", y, m), ""
		}
	}
	if d, msg := parseDate(v, now); msg == "" {
		return d[:7], ""
	}
	return "", fmt.Sprintf("月份“%s”不认识,应为2021-03这样的格式", v)
}
