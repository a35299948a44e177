package projects

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"svcplan/internal/money"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// A project list as districts keep it in Excel: a header row with 项目名称
// somewhere in the first rows, then one project per row. Read all or
// nothing: every mistake is reported with its row and column.

// Names finds the plan's fields and units by the names a sheet uses.
type Names struct {
	Field func(name string) (string, bool) // 科技服务业 → sci-tech
	Place func(name string) (string, bool) // a town, street or park
	Unit  func(name string) (string, bool) // any unit
}

type sheetCol int

const (
	colCode sheetCol = iota
	colName
	colBuilder
	colUSCC
	colField
	colPlace
	colLead
	colCo
	colLeader
	colLevel
	colTotal
	colStart
	colEnd
	numCols
)

var sheetHeaders = [numCols][]string{
	colCode:    {"项目编号", "项目代码", "编号"},
	colName:    {"项目名称"},
	colBuilder: {"建设单位", "项目单位", "业主单位"},
	colUSCC:    {"统一社会信用代码", "建设单位统一社会信用代码", "信用代码"},
	colField:   {"服务领域", "所属领域", "领域"},
	colPlace:   {"所在镇街(园区)", "所在镇街", "镇街(园区)", "镇街", "所在地"},
	colLead:    {"牵头单位", "责任单位", "牵头责任单位"},
	colCo:      {"配合单位"},
	colLeader:  {"挂钩领导", "挂钩区领导"},
	colLevel:   {"项目级别", "级别"},
	colTotal:   {"计划总投资", "总投资"},
	colStart:   {"计划开工时间", "计划开工日期", "计划开工"},
	colEnd:     {"计划竣工时间", "计划竣工日期", "计划竣工"},
}

var requiredCols = []sheetCol{colCode, colName, colBuilder, colField, colPlace, colLead, colTotal}

// yearPlanHeader matches 2026年计划投资(万元), 2026年度计划投资.
var yearPlanHeader = regexp.MustCompile(`^(\d{4})年度?计划投资`)

// sheetMap is where each column is.
type sheetMap struct {
	header    []string
	at        [numCols]int // -1 when absent
	totalUnit money.Fen
	years     map[int]int // year → column of its planned investment
	yearUnits map[int]money.Fen
	ignored   []string // headers not read
	headerRow int
}

// maxSheetCols bounds a sheet's width.
const maxSheetCols = 200

func findSheetHeader(rows table.Rows) (sheetMap, error) {
	for range 20 {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sheetMap{}, err
		}
		m := sheetMap{at: [numCols]int{}, years: map[int]int{}, yearUnits: map[int]money.Fen{}, headerRow: rows.Row()}
		for i := range m.at {
			m.at[i] = -1
		}
		found := false
		for _, c := range cells {
			if key, _ := table.SplitUnit(c); key == "项目名称" {
				found = true
			}
		}
		if !found {
			continue
		}
		if len(cells) > maxSheetCols {
			return m, fmt.Errorf("第%d行表头有%d列,超过%d列", m.headerRow, len(cells), maxSheetCols)
		}
		m.header = append([]string(nil), cells...)
	next:
		for i, c := range cells {
			key, unit := table.SplitUnit(c)
			if key == "" {
				continue
			}
			if g := yearPlanHeader.FindStringSubmatch(key); g != nil {
				y, _ := strconv.Atoi(g[1])
				m.years[y], m.yearUnits[y] = i, unit
				continue
			}
			for col, names := range sheetHeaders {
				for _, n := range names {
					if name, _ := table.SplitUnit(n); key == name && m.at[col] < 0 {
						m.at[col] = i
						if sheetCol(col) == colTotal {
							m.totalUnit = unit
						}
						continue next
					}
				}
			}
			m.ignored = append(m.ignored, strings.TrimSpace(c))
		}
		var missing []string
		for _, col := range requiredCols {
			if m.at[col] < 0 {
				missing = append(missing, sheetHeaders[col][0])
			}
		}
		if len(missing) > 0 {
			return m, fmt.Errorf("第%d行表头缺少列:%s", m.headerRow, strings.Join(missing, "、"))
		}
		if m.totalUnit == 0 {
			return m, fmt.Errorf("第%d行“%s”未注明单位,请写明(万元)或(亿元)", m.headerRow, strings.TrimSpace(cells[m.at[colTotal]]))
		}
		for y, u := range m.yearUnits {
			if u == 0 {
				return m, fmt.Errorf("第%d行“%s”未注明单位,请写明(万元)或(亿元)", m.headerRow, strings.TrimSpace(cells[m.years[y]]))
			}
		}
		return m, nil
	}
	return sheetMap{}, errors.New("前20行中没有找到含“项目名称”的表头")
}

var levelWords = map[string]Level{"": LevelNone, "一般": LevelNone, "一般项目": LevelNone, "省重大": LevelProvince, "省重大项目": LevelProvince,
	"市重大": LevelCity, "市重大项目": LevelCity, "区重大": LevelDistrict, "区重大项目": LevelDistrict}

// SheetRow is a project read from a row of a sheet.
type SheetRow struct {
	Row     int
	Project Project
}

// ParseSheet reads a project list. It returns the projects, the headers
// it did not read, and every mistake found; a caller imports the projects
// only when there is none. err is for a sheet that cannot be read at all.
func ParseSheet(rows table.Rows, names Names, w World) ([]SheetRow, []string, []table.RowError, error) {
	m, err := findSheetHeader(rows)
	if err != nil {
		return nil, nil, nil, err
	}
	// Rows are kept in blocks and joined once at the end: a project is
	// large, and growing one slice copies each many times.
	var blocks [][]SheetRow
	var errs []table.RowError
	seen := map[string]int{}
	// Where each of the project's own rules (Validate) points.
	at := map[string]int{"code": m.at[colCode], "name": m.at[colName], "builder": m.at[colBuilder], "field": m.at[colField],
		"unit": m.at[colPlace], "units": m.at[colLead], "investment.total_fen": m.at[colTotal], "plans": -1,
		"planned_start": m.at[colStart], "planned_end": m.at[colEnd], "level_year": m.at[colLevel]}
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, err
		}
		row := rows.Row()
		bad := func(col int, v, format string, args ...any) {
			h := ""
			if col >= 0 && col < len(m.header) {
				h = strings.TrimSpace(m.header[col])
			}
			errs = append(errs, table.RowError{Row: row, Col: col + 1, Header: h, Value: v, Msg: fmt.Sprintf(format, args...)})
		}
		get := func(c sheetCol) (string, int) {
			i := m.at[c]
			if i < 0 {
				return "", -1
			}
			return table.Cell(cells, i), i
		}
		var p Project
		var col int
		p.Code, _ = get(colCode)
		p.Name, _ = get(colName)
		p.Builder, _ = get(colBuilder)
		if v, c := get(colUSCC); v != "" {
			if r := uscc.Check(v); !r.Valid {
				bad(c, v, "%s", r.Err().Error())
			}
			p.BuilderUSCC = strings.ToUpper(v)
		}
		if v, c := get(colField); v != "" {
			if code, ok := names.Field(v); ok {
				p.Field = code
			} else {
				bad(c, v, "“%s”不是本规划的服务领域(如科技服务业;非服务业项目填“其他”)", v)
				p.Field = FieldOther
			}
		}
		if v, c := get(colPlace); v != "" {
			if code, ok := names.Place(v); ok {
				p.Unit = code
			} else {
				bad(c, v, "“%s”不是本区的镇(街道)或园区", v)
			}
		}
		if v, c := get(colLead); v != "" {
			if code, ok := names.Unit(v); ok {
				p.Units = append(p.Units, UnitRole{Unit: code, Role: RoleLead})
			} else {
				bad(c, v, "牵头单位“%s”不在本规划的单位中", v)
			}
		}
		if v, c := get(colCo); v != "" {
			for _, n := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("、,;/ \uff0c\uff1b", r) }) {
				if code, ok := names.Unit(n); !ok {
					bad(c, v, "配合单位“%s”不在本规划的单位中", n)
				} else if !p.HasUnit(code) {
					p.Units = append(p.Units, UnitRole{Unit: code, Role: RoleCo})
				}
			}
		}
		p.Leader, _ = get(colLeader)
		if v, c := get(colLevel); v != "" || c >= 0 {
			l, ok := levelWords[v]
			if !ok {
				bad(c, v, "项目级别“%s”应为省重大、市重大、区重大或空", v)
			}
			p.Level = l
		}
		var v string
		v, col = get(colTotal)
		if fen, err := money.ParseAmount(v, m.totalUnit, "计划总投资"); err != nil {
			bad(col, v, "%s", err.Error())
		} else {
			p.Investment = Investment{TotalFen: fen, Currency: CNY}
		}
		for y, c := range m.years {
			v := table.Cell(cells, c)
			if v == "" {
				continue
			}
			fen, err := money.ParseAmount(v, m.yearUnits[y], fmt.Sprintf("%d年计划投资", y))
			if err != nil {
				bad(c, v, "%s", err.Error())
				continue
			}
			p.Plans = append(p.Plans, YearPlan{Year: y, Fen: fen})
		}
		sortPlans(&p)
		for _, d := range []struct {
			c   sheetCol
			dst *string
		}{{colStart, &p.PlannedStart}, {colEnd, &p.PlannedEnd}} {
			v, c := get(d.c)
			if v == "" {
				continue
			}
			t, err := table.ParseDate(v)
			if err != nil {
				bad(c, v, "“%s”不是日期,应为2026-03-01这样的格式", v)
				continue
			}
			*d.dst = t.Format("2006-01-02")
		}
		if p.Level != LevelNone && p.LevelYear == 0 {
			p.LevelYear = w.Now.Year()
		}
		// The project's own rules, placed at their columns.
		own := len(errs) // the row's errors so far are errs[own-…:]
		for own > 0 && errs[own-1].Row == row {
			own--
		}
		rowErrs := errs[own:]
		for _, fe := range p.Validate(w) {
			c, ok := at[fe.Field]
			if !ok {
				c = -1
			}
			if c >= 0 && slices.ContainsFunc(rowErrs, func(e table.RowError) bool { return e.Col-1 == c }) {
				continue // the cell's own error says it already
			}
			bad(c, table.Cell(cells, c), "%s", fe.Msg)
		}
		if first, dup := seen[p.Code]; dup && p.Code != "" {
			bad(m.at[colCode], p.Code, "项目编号%s与第%d行重复", p.Code, first)
		}
		seen[p.Code] = row
		if len(blocks) == 0 || len(blocks[len(blocks)-1]) == cap(blocks[len(blocks)-1]) {
			blocks = append(blocks, make([]SheetRow, 0, 1024))
		}
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], SheetRow{row, p})
	}
	return slices.Concat(blocks...), m.ignored, errs, nil
}
