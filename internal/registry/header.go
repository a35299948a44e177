package registry

import (
	"fmt"
	"sort"
	"strings"
	"svcplan/internal/money"
	"svcplan/internal/table"
)

// Column is a directory field an import column can carry.
type Column string

// Columns of enterprise and revenue imports.
const (
	ColUSCC         Column = "uscc"
	ColName         Column = "name"
	ColIndustry     Column = "industry"
	ColUnit         Column = "unit"
	ColDivision     Column = "division" // 数据处理地: a 12-digit statistical division code
	ColAddress      Column = "address"
	ColBuilding     Column = "building"
	ColRegisteredOn Column = "registered_on"
	ColStatus       Column = "status"
	ColRegister     Column = "register"
	ColIncludedOn   Column = "included_on"
	ColExitedOn     Column = "exited_on"
	ColPeriod       Column = "period"
	ColRevenue      Column = "revenue"
	ColMonths       Column = "months"
	ColSource       Column = "source"
)

// columnLabels are the Chinese names shown for each column.
var columnLabels = map[Column]string{
	ColUSCC: "统一社会信用代码", ColName: "单位名称", ColIndustry: "行业代码", ColUnit: "所在镇街(园区)",
	ColDivision: "数据处理地(区划代码)", ColAddress: "详细地址", ColBuilding: "所在楼宇", ColRegisteredOn: "成立日期",
	ColStatus: "登记状态", ColRegister: "纳统状态", ColIncludedOn: "入库时间", ColExitedOn: "退库时间",
	ColPeriod: "期间", ColRevenue: "营业收入", ColMonths: "经营月数", ColSource: "数据来源",
}

// Label is the column's Chinese name.
func (c Column) Label() string { return columnLabels[c] }

// synonyms are the header texts, normalised (see normHeader), that name
// each column in the exports of statistics bureaus, market regulators and
// tax offices.
var synonyms = map[Column][]string{
	ColUSCC:         {"统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "uscc", "统一社会信用代码(纳税人识别号)", "纳税人识别号", "统一社会信用代码/注册号"},
	ColName:         {"单位详细名称", "单位名称", "企业名称", "名称", "市场主体名称", "纳税人名称", "企业(单位)名称", "法人单位名称"},
	ColIndustry:     {"行业代码", "国民经济行业代码", "行业小类代码", "行业类别代码", "所属行业代码", "行业分类代码", "国民经济行业分类代码", "行业代码(gb/t4754-2017)"},
	ColUnit:         {"所在镇街", "镇(街道)", "镇街道", "乡镇街道", "乡镇(街道)", "所在乡镇", "镇街", "所属镇街", "所在镇(街道)", "所属园区镇街", "园区镇街", "所在园区", "所属区域", "镇街园区"},
	ColDivision:     {"数据处理地", "统计用区划代码", "区划代码", "行政区划代码", "所在地区划代码"},
	ColAddress:      {"详细地址", "地址", "住所", "经营地址", "注册地址", "单位地址", "经营场所", "住所(经营场所)"},
	ColBuilding:     {"所在楼宇", "楼宇", "楼宇名称", "所在楼宇名称"},
	ColRegisteredOn: {"成立日期", "登记日期", "注册日期", "开业日期", "成立时间", "开业时间", "注册时间", "核准日期"},
	ColStatus:       {"登记状态", "经营状态", "企业状态", "状态", "登记状态(存续/注销)"},
	ColRegister:     {"纳统状态", "统计状态", "统计范围", "是否纳统", "四上类别", "入库类别", "纳统类别", "是否四上"},
	ColIncludedOn:   {"入库时间", "入库日期", "纳统时间", "纳统日期", "入库年月"},
	ColExitedOn:     {"退库时间", "退库日期", "退出时间", "退库年月"},
	ColPeriod:       {"期间", "年月", "月份", "年份", "所属期", "统计期", "期别", "报告期", "所属期间"},
	ColRevenue:      {"营业收入", "主营业务收入", "营业收入合计", "销售额", "营业额", "开票金额", "销售收入", "开票销售额", "申报销售额"},
	ColMonths:       {"经营月数", "月数", "经营月份数"},
	ColSource:       {"来源", "数据来源"},
}

// synonymIndex maps a normalised header to its column.
var synonymIndex = func() map[string]Column {
	m := map[string]Column{}
	for col, names := range synonyms {
		for _, n := range names {
			m[normHeader(n)] = col
		}
	}
	return m
}()

// normHeader folds a header cell to compare it, its money unit taken off
// (table.SplitUnit).
func normHeader(s string) string {
	h, _ := table.SplitUnit(s)
	return h
}

// Mapping says which file column carries each directory column.
type Mapping struct {
	// Index is the 0-based file column of each mapped directory column.
	Index map[Column]int
	// RevenueUnit is the unit of the revenue column, when its header
	// names one (万元, 千元, 元); 0 when it does not.
	RevenueUnit money.Fen
	// Header is the header row as read, for messages.
	Header []string
	// HeaderRow is the 1-based row of the header in the file.
	HeaderRow int
	// Ignored lists the file columns no directory column takes.
	Ignored []int
}

// MatchHeader maps a header row to directory columns by their synonyms.
// Columns nobody knows are ignored (bureaus add their own); two columns
// that name the same directory column are an error, as is a header
// without the USCC column.
func MatchHeader(header []string, row int) (Mapping, error) {
	m := Mapping{Index: map[Column]int{}, Header: header, HeaderRow: row}
	var dups []string
	for i, cell := range header {
		h, unit := table.SplitUnit(cell)
		col, ok := synonymIndex[h]
		if !ok {
			if strings.TrimSpace(cell) != "" {
				m.Ignored = append(m.Ignored, i)
			}
			continue
		}
		if j, taken := m.Index[col]; taken {
			dups = append(dups, fmt.Sprintf("第%d列“%s”和第%d列“%s”都是%s", j+1, header[j], i+1, cell, col.Label()))
			continue
		}
		m.Index[col] = i
		if col == ColRevenue {
			m.RevenueUnit = unit
		}
	}
	if len(dups) > 0 {
		sort.Strings(dups)
		return m, fmt.Errorf("第%d行表头有重复的列:%s,请删去其一或在导入时指定对应关系", row, strings.Join(dups, ";"))
	}
	if _, ok := m.Index[ColUSCC]; !ok {
		return m, fmt.Errorf("第%d行表头中没有统一社会信用代码列(可用列名:%s)", row, strings.Join(synonyms[ColUSCC][:3], "、"))
	}
	return m, nil
}

// headerRowLimit is how far down a file the header is looked for: exports
// often start with a title and a blank line.
const headerRowLimit = 10

// FindHeader reads rows until one is a header (it has a USCC column) and
// returns its mapping. Rows before it are titles.
func FindHeader(rows table.Rows) (Mapping, error) {
	for {
		cells, err := rows.Next()
		if err != nil {
			return Mapping{}, fmt.Errorf("前%d行中没有找到表头(须有“统一社会信用代码”列): %w", headerRowLimit, err)
		}
		if rows.Row() > headerRowLimit {
			return Mapping{}, fmt.Errorf("前%d行中没有找到表头(须有“统一社会信用代码”列),请检查文件是否为企业名录", headerRowLimit)
		}
		m, err := MatchHeader(append([]string(nil), cells...), rows.Row())
		if _, ok := m.Index[ColUSCC]; ok {
			return m, err // a header, perhaps with duplicate columns
		}
	}
}

// ImportColumns are the columns an import of the kind reads, in the order
// a mapping form shows them; the first are the ones it cannot do without.
func ImportColumns(kind string) []Column {
	if kind == KindRevenue {
		return []Column{ColUSCC, ColPeriod, ColRevenue, ColMonths, ColSource, ColName}
	}
	return []Column{ColUSCC, ColName, ColIndustry, ColUnit, ColDivision, ColAddress, ColBuilding, ColRegisteredOn,
		ColStatus, ColRegister, ColIncludedOn, ColExitedOn}
}

// NewMapping builds the mapping a user confirmed: file column index (0-based)
// of each directory column, or absent. A column chosen twice is an error.
func NewMapping(header []string, headerRow int, index map[Column]int) (Mapping, error) {
	m := Mapping{Index: map[Column]int{}, Header: header, HeaderRow: headerRow}
	taken := map[int]Column{}
	for col, i := range index {
		if i < 0 || i >= len(header) {
			return m, fmt.Errorf("%s对应的列不存在", col.Label())
		}
		if other, dup := taken[i]; dup {
			a, b := col.Label(), other.Label()
			if a > b {
				a, b = b, a
			}
			return m, fmt.Errorf("第%d列“%s”不能同时作为%s和%s", i+1, header[i], a, b)
		}
		taken[i] = col
		m.Index[col] = i
		if col == ColRevenue {
			_, m.RevenueUnit = table.SplitUnit(header[i])
		}
	}
	for i := range header {
		if _, ok := taken[i]; !ok && strings.TrimSpace(header[i]) != "" {
			m.Ignored = append(m.Ignored, i)
		}
	}
	if _, ok := m.Index[ColUSCC]; !ok {
		return m, fmt.Errorf("必须指定统一社会信用代码所在的列")
	}
	return m, nil
}
