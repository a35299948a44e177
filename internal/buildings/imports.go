package buildings

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/table"
)

// ImportResult is what an import of a 台账 or a tax file did: all or nothing,
// so with Errors nothing was stored.
type ImportResult struct {
	Read      int              `json:"rows_read"`
	New       int              `json:"rows_new"`
	Revised   int              `json:"rows_revised"`
	Unchanged int              `json:"rows_unchanged"`
	Errors    []table.RowError `json:"errors"`
	Message   string           `json:"message"`
}

// refused is the result of a file with mistakes: nothing stored.
func refused(res *ImportResult) *ImportResult {
	res.New, res.Revised, res.Unchanged = 0, 0, 0
	res.Message = fmt.Sprintf("读取%d行,%d处错误,按“全部正确才导入”未导入任何数据", res.Read, len(res.Errors))
	return res
}

// ImportSpace imports a building's 台账 as its next space version, all
// or nothing.
func (s *Service) ImportSpace(ctx context.Context, actor audit.Actor, u *auth.User, code string, rows table.Rows, meta table.File) (*ImportResult, error) {
	if err := auth.Check(u, auth.PermBuildingEdit, ""); err != nil {
		return nil, err
	}
	versions, err := s.store.BuildingVersions(ctx, code)
	if err != nil {
		return nil, err
	}
	b := versions[0]
	if !u.InScope(b.Unit) {
		return nil, apperr.Forbiddenf("无权导入其他单位楼宇的台账")
	}
	sp, errs, err := ParseSpace(rows, code)
	if err != nil {
		return nil, apperr.Invalidf("%s", err.Error())
	}
	res := &ImportResult{Read: len(sp.Occupancies) + len(sp.Rooms), Errors: errs}
	var rentable Area
	for _, r := range sp.Rooms {
		if r.Rentable {
			rentable += r.Area
		}
	}
	if rentable > b.Rentable && len(errs) == 0 {
		res.Errors = append(res.Errors, table.RowError{Row: 1, Msg: fmt.Sprintf("可租房间面积合计%s平方米,大于楼宇登记的可租面积%s平方米;请先更正楼宇信息",
			rentable, b.Rentable)})
	}
	if len(res.Errors) > 0 {
		return refused(res), nil
	}
	if len(sp.Rooms) == 0 {
		return res, apperr.Invalidf("台账中没有房间")
	}
	prev, err := s.store.LatestSpace(ctx, code)
	if err != nil {
		return nil, err
	}
	sp.Version = 1
	if prev != nil {
		sp.Version = prev.Version + 1
	}
	res.New = len(sp.Occupancies)
	sp.SourceFile, sp.SHA256, sp.By, sp.At = meta.Name, meta.SHA256, actor.Name, s.now().UTC()
	sp.Note = "台账导入"
	res.Message = fmt.Sprintf("%s台账第%d版:%d个房间、%d条入驻记录", b.Name, sp.Version, len(sp.Rooms), len(sp.Occupancies))
	e := audit.New(sp.At, actor, "import.building_space", "building", code, nil, map[string]any{
		"file_name": meta.Name, "sha256": meta.SHA256, "size": meta.Size, "version": sp.Version,
		"rooms": len(sp.Rooms), "occupancies": len(sp.Occupancies)})
	if err := s.store.AddSpace(ctx, sp, e); err != nil {
		return nil, err
	}
	s.wrote(ctx, s.withSpace(ctx, code))
	return res, nil
}

// ImportTax imports the tax bureau's file, all or nothing: a firm's row
// is matched by its USCC (a firm the directory lacks is refused: the
// directory comes first), a building's by its code. A figure that
// differs from the latest of its firm or building, period and caliber is
// a new version; the same figure again is left as it was. caliber is the
// one chosen on the form, for a file that does not state its own.
func (s *Service) ImportTax(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, meta table.File, caliber Caliber) (*ImportResult, error) {
	if err := auth.Check(u, auth.PermBuildingEdit, ""); err != nil {
		return nil, err
	}
	if u.Unit != "" {
		return nil, apperr.Forbiddenf("税务数据须由全区范围的统计员或管理员导入")
	}
	read, errs, err := ParseTax(rows, caliber)
	if err != nil {
		return nil, apperr.Invalidf("%s", err.Error())
	}
	res := &ImportResult{Read: len(read), Errors: errs}
	dir, err := s.firms(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Buildings(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, b := range list {
		known[b.Code] = true
	}
	years, periods := map[string]bool{}, map[string]bool{}
	for _, r := range read {
		years[r.Period[:4]], periods[r.Period] = true, true
	}
	latest, err := s.store.TaxFigures(ctx, slices.Sorted(maps.Keys(periods)), "")
	if err != nil {
		return nil, err
	}
	type key struct {
		uscc, building, period string
		caliber                Caliber
	}
	last := make(map[key]TaxFigure, len(latest))
	for _, t := range latest {
		last[key{t.USCC, t.Building, t.Period, t.Caliber}] = t
	}
	now := s.now().UTC()
	thisMonth := now.Format("2006-01")
	var out []Tax
	for _, r := range read {
		switch {
		case r.USCC != "" && !dir.holds(r.USCC):
			res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: r.USCC + " " + r.Name,
				Msg: "名录库中没有该企业:请先将其导入名录库"})
			continue
		case r.Building != "" && !known[r.Building]:
			res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: r.Building, Msg: "没有该楼宇编号:请先登记楼宇"})
			continue
		case r.Period > thisMonth && len(r.Period) == 7 || r.Period[:4] > thisMonth[:4]:
			res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: r.Period, Msg: "税款所属期晚于本月"})
			continue
		}
		t := Tax{USCC: r.USCC, Building: r.Building, Period: r.Period, Caliber: r.Caliber, Version: 1, Amount: r.Amount,
			SourceFile: meta.Name, SHA256: meta.SHA256, SourceRow: r.Row, ImportedBy: actor.Name, ImportedAt: now}
		if prev, ok := last[key{r.USCC, r.Building, r.Period, r.Caliber}]; ok {
			if prev.Amount == r.Amount {
				res.Unchanged++
				continue
			}
			t.Version = prev.Version + 1
			res.Revised++
		} else {
			res.New++
		}
		out = append(out, t)
	}
	if len(res.Errors) > 0 {
		return refused(res), nil
	}
	if res.Read == 0 {
		return res, apperr.Invalidf("表中没有税收数据")
	}
	res.Message = fmt.Sprintf("税收数据:读取%d行,新增%d条、更正%d条、未变%d条", res.Read, res.New, res.Revised, res.Unchanged)
	if len(out) == 0 {
		return res, nil
	}
	e := audit.New(now, actor, "import.building_tax", "import", meta.Name, nil, map[string]any{
		"file_name": meta.Name, "sha256": meta.SHA256, "size": meta.Size, "rows_read": res.Read, "rows_new": res.New,
		"rows_revised": res.Revised, "rows_unchanged": res.Unchanged, "years": strings.Join(slices.Sorted(maps.Keys(years)), ",")})
	if err := s.store.AppendTax(ctx, out, e); err != nil {
		return nil, err
	}
	figs := make([]TaxFigure, len(out))
	for i, t := range out {
		figs[i] = TaxFigure{USCC: t.USCC, Building: t.Building, Period: t.Period, Caliber: t.Caliber, Version: t.Version, Amount: t.Amount}
	}
	s.wrote(ctx, withTax(figs))
	return res, nil
}
