package projects

import (
	"context"
	"fmt"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/table"
)

// SheetResult is what a project list's import did.
type SheetResult struct {
	Read    int              `json:"rows_read"`
	New     int              `json:"rows_new"`
	Ignored []string         `json:"ignored_columns"` // headers not read
	Errors  []table.RowError `json:"errors"`
	Message string           `json:"message"`
}

// names finds the plan's fields and units by name.
func names(p *plan.Plan) Names {
	return Names{
		Field: func(n string) (string, bool) {
			if n == "其他" || n == "其他(非服务业)" {
				return FieldOther, true
			}
			for _, f := range p.Fields {
				if f.Name == n || f.Code == n {
					return f.Code, true
				}
			}
			return "", false
		},
		Place: func(n string) (string, bool) {
			u, ok := p.UnitByName(n)
			if !ok || (u.Kind != plan.KindTown && u.Kind != plan.KindSubdistrict && u.Kind != plan.KindPark) {
				return "", false
			}
			return u.Code, true
		},
		Unit: func(n string) (string, bool) {
			if u, ok := p.UnitByName(n); ok {
				return u.Code, true
			}
			if u, ok := p.Unit(n); ok {
				return u.Code, true
			}
			return "", false
		},
	}
}

// ImportSheet adds the projects of a list, all or none: any mistake in
// any row (including a code already in the ledger) and nothing is added.
func (s *Service) ImportSheet(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, meta table.File) (*SheetResult, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.world(ctx)
	if err != nil {
		return nil, err
	}
	read, ignored, errs, err := ParseSheet(rows, names(st.Plan), w)
	if err != nil {
		return nil, apperr.Invalidf("%s", err.Error())
	}
	res := &SheetResult{Read: len(read), Ignored: ignored, Errors: errs}
	existing, err := s.ledger(ctx)
	if err != nil {
		return nil, err
	}
	inLedger := make(map[string]bool, len(existing))
	for _, p := range existing {
		inLedger[p.Code] = true
	}
	now := s.now().UTC()
	ps := make([]Project, 0, len(read))
	for _, r := range read {
		p := r.Project
		if inLedger[p.Code] {
			res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: p.Code, Msg: fmt.Sprintf("项目编号%s已在项目库中(修改请在项目页进行)", p.Code)})
		}
		if !inScope(u, &p) {
			res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: p.Code, Msg: "只能导入本单位的项目"})
		}
		p.Version, p.UpdatedAt, p.UpdatedBy = 1, now, actor.Name
		ps = append(ps, p)
	}
	switch {
	case len(res.Errors) > 0:
		res.Message = fmt.Sprintf("读取%d行,%d处错误,按“全部正确才导入”未导入任何项目", res.Read, len(res.Errors))
		return res, nil
	case len(ps) == 0:
		return res, apperr.Invalidf("表中没有项目")
	}
	e := audit.New(now, actor, "import.projects", "import", meta.Name, nil, map[string]any{
		"file_name": meta.Name, "sha256": meta.SHA256, "size": meta.Size, "rows_read": res.Read, "rows_new": len(ps), "ignored": ignored})
	if err := s.store.ImportProjects(ctx, ps, e); err != nil {
		return nil, err
	}
	res.New = len(ps)
	res.Message = fmt.Sprintf("读取%d行:新增项目%d个", res.Read, res.New)
	if len(ignored) > 0 {
		res.Message += fmt.Sprintf(";未导入的列:%s(调度数据请在月度调度中报送)", strings.Join(ignored, "、"))
	}
	return res, nil
}
