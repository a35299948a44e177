package indicators

import (
	"context"
	"fmt"
	"io"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/table"
)

// fileHeader are the columns of a values file, in order; the last four
// may be absent.
var fileHeader = []string{"指标", "单位", "期别", "数值", "价格口径", "发布日期", "核算阶段"}

// ImportFile saves every row of a values file — published aggregates as a
// statistics bureau releases them (增加值, its growth, GDP growth …) — as
// values imported from that file: 指标 (code or name), 单位 (code or name;
// blank for the district), 期别 (2025, 2025Q3, 2025-09), 数值, then
// optionally 价格口径 (现价/不变价), 发布日期 and 核算阶段. Every row is
// checked first; if any is wrong nothing is saved and every problem is
// reported with its row and column. publish saves them as published
// (administrators). It returns how many values it saved.
func (s *Service) ImportFile(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, fileRef string, publish bool) (int, error) {
	st, err := s.plans.Active(ctx)
	if err != nil {
		return 0, err
	}
	p := st.Plan
	lines, problems, err := readValueFile(rows, p, fileRef, publish)
	if err != nil {
		return 0, err
	}
	var vs []*Value
	var exp []int
	var es []audit.Entry
	seen := map[Key]int{}
	for _, l := range lines {
		in := l.in
		if err := auth.Check(u, PermFor(in), in.Unit); err != nil {
			problems = append(problems, fmt.Sprintf("第%d行: %s", l.row, apperr.Message(err)))
			continue
		}
		v, hist, err := s.prepare(ctx, p, in)
		if err != nil {
			problems = append(problems, fmt.Sprintf("第%d行: %s", l.row, apperr.Message(err)))
			continue
		}
		k := Key{v.Indicator, v.Unit, v.Period}
		if first, dup := seen[k]; dup {
			problems = append(problems, fmt.Sprintf("第%d行: 与第%d行是同一指标、单位和期别", l.row, first))
			continue
		}
		seen[k] = l.row
		expected, e := s.stamp(actor, v, hist, "indicator_value.import")
		vs, exp, es = append(vs, v), append(exp, expected), append(es, e)
	}
	if len(problems) > 0 {
		return 0, apperr.Invalidf("%d行有错误,未导入任何数值:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if len(vs) == 0 {
		return 0, apperr.Invalidf("文件中没有数据行")
	}
	if err := s.store.AppendAll(ctx, vs, exp, es); err != nil {
		return 0, err
	}
	return len(vs), nil
}

// valueLine is a row of a values file, read and checked against the plan.
type valueLine struct {
	row int
	in  Input
}

// readValueFile reads and checks a values file's rows against the plan;
// problems are the rows' errors, in Chinese with their row and column.
func readValueFile(rows table.Rows, p *plan.Plan, fileRef string, publish bool) ([]valueLine, []string, error) {
	header, err := rows.Next()
	if err != nil {
		return nil, nil, apperr.Invalidf("文件为空,应有表头:%s", strings.Join(fileHeader, ","))
	}
	for i := 0; i < 4; i++ {
		if i >= len(header) || strings.TrimSpace(header[i]) != fileHeader[i] {
			return nil, nil, apperr.Invalidf("第1行表头应为:%s(后三列可省略)", strings.Join(fileHeader, ","))
		}
	}
	var out []valueLine
	var problems []string
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if table.Blank(cells) {
			continue
		}
		cell := func(i int) string { return table.Cell(cells, i) }
		row := rows.Row()
		in := Input{Indicator: cell(0), Unit: cell(1), Period: cell(2), Value: cell(3), ReleasedOn: cell(5), Vintage: cell(6),
			Source: Imported, SourceRef: fileRef, Publish: publish, Reason: "导入" + fileRef}
		if ind, ok := p.Indicator(in.Indicator); ok {
			in.Indicator = ind.Code
		} else if ind := indicatorByName(p, in.Indicator); ind != nil {
			in.Indicator = ind.Code
		}
		if in.Unit == "" {
			in.Unit = p.DistrictCode()
		} else if unit, ok := p.UnitByName(in.Unit); ok {
			in.Unit = unit.Code
		}
		switch cell(4) {
		case "":
		case "现价", "current":
			in.PriceBasis = plan.PriceCurrent
		case "不变价", "可比价", "constant":
			in.PriceBasis = plan.PriceConstant
		default:
			problems = append(problems, fmt.Sprintf("第%d行第5列(价格口径): 应为现价或不变价,实际为“%s”", row, cell(4)))
			continue
		}
		if _, err := check(p, in); err != nil {
			problems = append(problems, fmt.Sprintf("第%d行: %s", row, apperr.Message(err)))
			continue
		}
		out = append(out, valueLine{row, in})
	}
	return out, problems, nil
}

// PermFor is the permission saving an input needs.
func PermFor(in Input) auth.Perm {
	if in.Publish {
		return auth.PermValuesPublish
	}
	return auth.PermValuesEnter
}

func indicatorByName(p *plan.Plan, name string) *plan.Indicator {
	for i := range p.Indicators {
		if p.Indicators[i].Name == name {
			return &p.Indicators[i]
		}
	}
	return nil
}
