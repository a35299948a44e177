package assess

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"svcplan/internal/plan"
	"svcplan/internal/table"
)

// The 评分细则 sheet: a scheme's groups and items one row each, in the
// columns a 考核办 keeps in Excel, with every rule parameter in its own
// column so that the sheet reads back as the scheme. The scheme's own
// settings (code, name, year, period, total, grades, ties) come with the
// upload, not in the sheet.

// SheetHeader are the sheet's columns.
var SheetHeader = []string{"分组编号", "分组名称", "考核对象", "指标编号", "规划指标", "指标名称", "单位", "分值", "数据来源", "评分方法",
	"基本分", "每档幅度", "每档分值", "最低分", "封顶分", "每项分值", "否决等次", "目标值", "评分规则说明"}

const (
	shGroup = iota
	shGroupName
	shUnits
	shItem
	shIndicator
	shName
	shUnit
	shPoints
	shSource
	shFamily
	shBase
	shStep
	shStepPoints
	shFloor
	shCap
	shPerItem
	shGrade
	shTarget
	shNote
	shCols
)

// SheetRows writes a scheme's items as the sheet's rows, units by name.
func SheetRows(s *Scheme, p *plan.Plan) [][]string {
	name := func(code string) string {
		if u, ok := p.Unit(code); ok {
			return u.Name
		}
		return code
	}
	var out [][]string
	for _, g := range s.Groups {
		var units []string
		for _, u := range g.Units {
			units = append(units, name(u))
		}
		for _, it := range g.Items {
			r := it.Rule
			target := string(it.Target)
			switch {
			case it.Targets != nil:
				target = unitValues(g.Units, it.Targets, name)
			case it.Decompose != nil:
				target = "分解" + string(it.Decompose.Total) + ":" + unitValues(g.Units, it.Decompose.Shares, name)
			}
			out = append(out, []string{g.Code, g.Name, strings.Join(units, "、"), it.Code, it.Indicator, it.Name, it.Unit, string(it.Points),
				it.Source.Label(), r.Family.Label(), string(r.Base), string(r.Step), string(r.StepPoints), string(r.Floor), string(r.Cap),
				string(r.PerItem), r.Grade, target, it.Note})
		}
	}
	return out
}

// unitValues writes per-unit numbers in the group's order: 白马镇 20;胡庄镇 10.
func unitValues(units []string, m map[string]plan.Number, name func(string) string) string {
	var parts []string
	for _, u := range units {
		if n, ok := m[u]; ok {
			parts = append(parts, name(u)+" "+string(n))
		}
	}
	return strings.Join(parts, ";")
}

var decomposePattern = regexp.MustCompile(`^分解\s*([0-9.]+)\s*[:\x{ff1a}]\s*(.*)$`)

// ReadSheet reads the 评分细则 sheet into the groups of a scheme. The
// header is found by its first column in the first rows; units are found
// by name or code, sources and families by code or Chinese name. It
// returns the groups, each item's row (for placing later problems) and
// every mistake with its row and column; err is for a sheet that cannot
// be read at all.
func ReadSheet(rows table.Rows, p *plan.Plan) ([]Group, map[string]int, []table.RowError, error) {
	var header []string
	for range 20 {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if len(cells) > 0 && strings.TrimSpace(cells[0]) == SheetHeader[0] {
			header = cells
			break
		}
	}
	if header == nil {
		return nil, nil, nil, fmt.Errorf("前20行中没有找到以“%s”开头的表头", SheetHeader[0])
	}
	for i, h := range SheetHeader {
		if i >= len(header) || strings.TrimSpace(header[i]) != h {
			return nil, nil, nil, fmt.Errorf("第%d行第%d列应为“%s”(表头应为:%s)", rows.Row(), i+1, h, strings.Join(SheetHeader, "、"))
		}
	}
	unitCode := func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		if u, ok := p.UnitByName(s); ok {
			return u.Code, true
		}
		if u, ok := p.Unit(s); ok {
			return u.Code, true
		}
		return "", false
	}
	var groups []Group
	at := map[string]int{} // groups[g].items[i] → row
	var errs []table.RowError
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if table.Blank(cells) {
			continue
		}
		row := rows.Row()
		get := func(c int) string { return table.Cell(cells, c) }
		bad := func(c int, format string, args ...any) {
			errs = append(errs, table.RowError{Row: row, Col: c + 1, Header: SheetHeader[c], Value: get(c), Msg: fmt.Sprintf(format, args...)})
		}
		if n := len(groups); n == 0 || groups[n-1].Code != get(shGroup) {
			g := Group{Code: get(shGroup), Name: get(shGroupName)}
			for _, name := range strings.FieldsFunc(get(shUnits), func(r rune) bool { return strings.ContainsRune("、,;\uff0c\uff1b", r) }) {
				if code, ok := unitCode(name); ok {
					g.Units = append(g.Units, code)
				} else {
					bad(shUnits, "“%s”不是本规划的单位", strings.TrimSpace(name))
				}
			}
			groups = append(groups, g)
		}
		g := &groups[len(groups)-1]
		it := Item{Code: get(shItem), Indicator: get(shIndicator), Name: get(shName), Unit: get(shUnit), Points: plan.Number(get(shPoints)),
			Note: get(shNote), Rule: Rule{Base: plan.Number(get(shBase)), Step: plan.Number(get(shStep)), StepPoints: plan.Number(get(shStepPoints)),
				Floor: plan.Number(get(shFloor)), Cap: plan.Number(get(shCap)), PerItem: plan.Number(get(shPerItem)), Grade: get(shGrade)}}
		it.Source = Source(get(shSource))
		for src, label := range sourceLabels {
			if label == get(shSource) {
				it.Source = src
			}
		}
		it.Rule.Family = Family(get(shFamily))
		for fam, label := range familyLabels {
			if label == get(shFamily) {
				it.Rule.Family = fam
			}
		}
		if v := get(shTarget); v != "" {
			it.Target, it.Targets, it.Decompose = readTarget(v, unitCode, func(format string, args ...any) { bad(shTarget, format, args...) })
		}
		at[fmt.Sprintf("groups[%d].items[%d]", len(groups)-1, len(g.Items))] = row
		g.Items = append(g.Items, it)
	}
	return groups, at, errs, nil
}

// readTarget reads a target cell: 7 (every unit), 白马镇 20;胡庄镇 10 (per
// unit), or 分解595.83:白马镇 30;胡庄镇 70 (a total split by shares).
func readTarget(v string, unitCode func(string) (string, bool), bad func(string, ...any)) (plan.Number, map[string]plan.Number, *Decompose) {
	if plan.Number(v).Valid() {
		return plan.Number(v), nil, nil
	}
	var total string
	if g := decomposePattern.FindStringSubmatch(v); g != nil {
		total, v = g[1], g[2]
	}
	m := map[string]plan.Number{}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\uff1b' }) {
		part = strings.TrimSpace(part)
		i := strings.LastIndexAny(part, " \t")
		if i < 0 {
			bad("“%s”应写成“单位 数值”", part)
			continue
		}
		code, ok := unitCode(part[:i])
		n := plan.Number(strings.TrimSpace(part[i+1:]))
		switch {
		case !ok:
			bad("“%s”不是本规划的单位", strings.TrimSpace(part[:i]))
		case !n.Valid():
			bad("“%s”不是数字", n)
		default:
			m[code] = n
		}
	}
	if total != "" {
		return "", nil, &Decompose{Total: plan.Number(total), Shares: m}
	}
	return "", m, nil
}

// sheetColumn is the column of the sheet an item's field path names.
var sheetColumn = map[string]int{"code": shItem, "indicator": shIndicator, "name": shName, "points": shPoints, "source": shSource,
	"target": shTarget, "targets": shTarget, "decompose": shTarget, "rule.family": shFamily, "rule.base": shBase, "rule.step": shStep,
	"rule.step_points": shStepPoints, "rule.floor": shFloor, "rule.cap": shCap, "rule.per_item": shPerItem, "rule.grade": shGrade}

// SheetErrors places a scheme's problems at the sheet's rows and columns
// where they can be (an item's field), else at the first item of their
// group or the sheet's first row.
func SheetErrors(probs plan.Problems, at map[string]int) []table.RowError {
	var out []table.RowError
	for _, pr := range probs {
		if pr.Warning {
			continue
		}
		e := table.RowError{Msg: pr.Msg}
		for key, row := range at {
			if pr.Path == key || strings.HasPrefix(pr.Path, key+".") {
				e.Row = row
				field := strings.TrimPrefix(strings.TrimPrefix(pr.Path, key), ".")
				for prefix, col := range sheetColumn {
					if field == prefix || strings.HasPrefix(field, prefix+".") {
						e.Col, e.Header = col+1, SheetHeader[col]
					}
				}
			}
		}
		if e.Row == 0 {
			if g := groupOf(pr.Path); g >= 0 {
				e.Row = at[fmt.Sprintf("groups[%d].items[0]", g)]
			}
			e.Msg = pr.Path + ": " + pr.Msg
		}
		out = append(out, e)
	}
	return out
}

// groupOf is the group index a path starts with, or -1.
func groupOf(path string) int {
	rest, ok := strings.CutPrefix(path, "groups[")
	if !ok {
		return -1
	}
	i := strings.IndexByte(rest, ']')
	if i < 0 {
		return -1
	}
	n, err := strconv.Atoi(rest[:i])
	if err != nil {
		return -1
	}
	return n
}
