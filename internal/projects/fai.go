package projects

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/table"
)

// The statistics bureau's 固定资产投资 (FAI): the investment of projects
// in the fixed-asset-investment statistics, as the bureau counts it. It is
// kept apart from what the units file (完成投资, Progress) and is never
// entered by hand: it is imported from the bureau's monthly list, every
// version kept, and only shown beside the units' figures.

// FAI is one version of a project's figure in the bureau's list of a
// month.
type FAI struct {
	Project string    `json:"project"`
	Period  string    `json:"period"` // YYYY-MM: the figure is 1-本月
	Version int       `json:"version"`
	YTDFen  money.Fen `json:"ytd_fen"` // 本年累计完成固定资产投资
	// The file and row it came from.
	SourceFile   string    `json:"source_file"`
	SourceSHA256 string    `json:"source_sha256"`
	SourceRow    int       `json:"source_row"`
	ImportedBy   string    `json:"imported_by"`
	ImportedAt   time.Time `json:"imported_at"`
}

// FAIStore keeps the bureau's figures, every version.
type FAIStore interface {
	// AppendFAI adds versions of figures with the import's audit entry,
	// all or none; a version already taken is a conflict.
	AppendFAI(ctx context.Context, fs []FAI, e audit.Entry) error
	// MonthFAI returns the latest version of every project's figure of
	// a month, in project order.
	MonthFAI(ctx context.Context, period string) ([]FAI, error)
	// ProjectFAI returns every version of a project's figures, the
	// latest month first, each month's latest version first.
	ProjectFAI(ctx context.Context, code string) ([]FAI, error)
}

// FAIRow is a row of the bureau's list.
type FAIRow struct {
	Row    int
	Code   string // the ledger's code, when the list has the column
	Name   string
	YTDFen money.Fen
}

var (
	faiCodeHeaders   = []string{"项目编号", "项目代码", "编号"}
	faiAmountHeaders = []string{"本年累计完成投资", "本年完成投资", "1-本月完成投资", "本年累计完成固定资产投资",
		"本年完成固定资产投资", "自年初累计完成投资"}
)

// ParseFAI reads the bureau's list: a header row with 项目名称 in the
// first rows and a year-to-date investment column with its unit, then one
// project per row. It returns the rows and every mistake found; err is for
// a list that cannot be read at all.
func ParseFAI(rows table.Rows) ([]FAIRow, []table.RowError, error) {
	var header []string
	code, name, amount := -1, -1, -1
	var unit money.Fen
	for range 20 {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		for i, c := range cells {
			key, u := table.SplitUnit(c)
			switch {
			case key == "项目名称" && name < 0:
				name = i
			case slices.Contains(faiCodeHeaders, key) && code < 0:
				code = i
			case slices.Contains(faiAmountHeaders, key) && amount < 0:
				amount, unit = i, u
			}
		}
		if name >= 0 {
			header = cells
			break
		}
		code, amount = -1, -1
	}
	switch {
	case name < 0:
		return nil, nil, errors.New("前20行中没有找到含“项目名称”的表头")
	case len(header) > maxSheetCols:
		return nil, nil, fmt.Errorf("第%d行表头有%d列,超过%d列", rows.Row(), len(header), maxSheetCols)
	case amount < 0:
		return nil, nil, fmt.Errorf("第%d行表头缺少列:本年累计完成投资(或“1-本月完成投资”)", rows.Row())
	case unit == 0:
		return nil, nil, fmt.Errorf("第%d行“%s”未注明单位,请写明(万元)或(亿元)", rows.Row(), strings.TrimSpace(header[amount]))
	}
	var out []FAIRow
	var errs []table.RowError
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
		r := FAIRow{Row: rows.Row(), Name: table.Cell(cells, name)}
		if code >= 0 {
			r.Code = table.Cell(cells, code)
		}
		bad := func(col int, v, msg string) {
			errs = append(errs, table.RowError{Row: r.Row, Col: col + 1, Header: strings.TrimSpace(header[col]), Value: v, Msg: msg})
		}
		if r.Name == "" && r.Code == "" {
			bad(name, "", "项目名称为空")
		}
		v := table.Cell(cells, amount)
		if fen, err := money.ParseAmount(v, unit, "本年累计完成投资"); err != nil {
			bad(amount, v, err.Error())
		} else {
			r.YTDFen = fen
		}
		out = append(out, r)
	}
	return out, errs, nil
}

// FAIResult is what an import of the bureau's list did.
type FAIResult struct {
	Period    string           `json:"period"`
	Read      int              `json:"rows_read"`
	New       int              `json:"rows_new"`
	Revised   int              `json:"rows_revised"`
	Unchanged int              `json:"rows_unchanged"`
	Errors    []table.RowError `json:"errors"`
	// Unmatched are the rows of projects not in the ledger (the bureau's
	// list holds every project of the district, not only the service
	// projects): listed, recorded in the audit entry, not imported.
	Unmatched []table.RowError `json:"unmatched"`
	Message   string           `json:"message"`
}

// ImportFAI imports the bureau's list of a month, all or none: a project
// is found by its code, or else by its exact name; a wrong amount, a name
// that fits several projects or a project listed twice and nothing is
// imported. A figure that differs from the month's last import is a new
// version; the same figure again is left as it was.
func (s *Service) ImportFAI(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, meta table.File, period string) (*FAIResult, error) {
	if err := auth.Check(u, auth.PermProjectEdit, ""); err != nil {
		return nil, err
	}
	if u.Unit != "" {
		return nil, apperr.Forbiddenf("统计局固定资产投资数据须由全区范围的统计员或管理员导入")
	}
	switch _, ok := parseMonth(period); {
	case !ok:
		return nil, apperr.InvalidFields([]string{fmt.Sprintf("统计月份“%s”应为2026-03这样的年月", period)},
			map[string]string{"period": "统计月份应为2026-03这样的年月"})
	case period > periodOf(s.now()):
		return nil, apperr.InvalidFields([]string{fmt.Sprintf("统计月份%s晚于本月", period)},
			map[string]string{"period": "统计月份晚于本月"})
	}
	read, errs, err := ParseFAI(rows)
	if err != nil {
		return nil, apperr.Invalidf("%s", err.Error())
	}
	res := &FAIResult{Period: period, Read: len(read), Errors: errs}
	ledger, err := s.ledger(ctx)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]string, len(ledger))
	byName := make(map[string][]string, len(ledger))
	for _, p := range ledger {
		byCode[p.Code] = p.Code
		byName[p.Name] = append(byName[p.Name], p.Code)
	}
	month, err := s.store.MonthFAI(ctx, period)
	if err != nil {
		return nil, err
	}
	last := make(map[string]*FAI, len(month))
	for i := range month {
		last[month[i].Project] = &month[i]
	}
	now := s.now().UTC()
	seen := map[string]int{}
	var out []FAI
	var codes []string
	for _, r := range read {
		code, ok := byCode[r.Code]
		if !ok {
			switch named := byName[r.Name]; {
			case len(named) == 1:
				code, ok = named[0], true
			case len(named) > 1:
				res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: r.Name,
					Msg: fmt.Sprintf("项目名称对应%d个项目(%s),请在表中填写项目编号", len(named), strings.Join(named, "、"))})
				continue
			}
		}
		if !ok {
			res.Unmatched = append(res.Unmatched, table.RowError{Row: r.Row, Value: strings.TrimSpace(r.Code + " " + r.Name),
				Msg: "项目库中没有该项目,未导入"})
			continue
		}
		if first, dup := seen[code]; dup {
			res.Errors = append(res.Errors, table.RowError{Row: r.Row, Value: r.Name, Msg: fmt.Sprintf("项目%s与第%d行重复", code, first)})
			continue
		}
		seen[code] = r.Row
		f := FAI{Project: code, Period: period, Version: 1, YTDFen: r.YTDFen, SourceFile: meta.Name, SourceSHA256: meta.SHA256,
			SourceRow: r.Row, ImportedBy: actor.Name, ImportedAt: now}
		if prev := last[code]; prev != nil {
			if prev.YTDFen == r.YTDFen {
				res.Unchanged++
				continue
			}
			f.Version = prev.Version + 1
			res.Revised++
		} else {
			res.New++
		}
		out = append(out, f)
		codes = append(codes, code)
	}
	if len(res.Errors) > 0 {
		res.New, res.Revised, res.Unchanged = 0, 0, 0
		res.Message = fmt.Sprintf("读取%d行,%d处错误,按“全部正确才导入”未导入任何数据", res.Read, len(res.Errors))
		return res, nil
	}
	if res.Read == 0 {
		return res, apperr.Invalidf("表中没有项目")
	}
	res.Message = fmt.Sprintf("%s统计局固定资产投资:读取%d行,新增%d个项目、更正%d个、未变%d个", periodLabelOf(period), res.Read,
		res.New, res.Revised, res.Unchanged)
	if n := len(res.Unmatched); n > 0 {
		res.Message += fmt.Sprintf(";%d行不在项目库中,未导入(见下表)", n)
	}
	if len(out) == 0 {
		return res, nil
	}
	var unmatched []string
	for _, m := range res.Unmatched {
		unmatched = append(unmatched, fmt.Sprintf("第%d行 %s", m.Row, m.Value))
	}
	e := audit.New(now, actor, "import.project_fai", "import", meta.Name, nil, map[string]any{
		"file_name": meta.Name, "sha256": meta.SHA256, "size": meta.Size, "period": period, "rows_read": res.Read,
		"rows_new": res.New, "rows_revised": res.Revised, "rows_unchanged": res.Unchanged, "projects": codes, "unmatched": unmatched})
	if err := s.store.AppendFAI(ctx, out, e); err != nil {
		return nil, err
	}
	return res, nil
}

// periodLabelOf writes a checked YYYY-MM as 2026年1-10月.
func periodLabelOf(period string) string {
	p, _ := parseMonth(period)
	return p.Label()
}

// FAIOf returns every version of a project's figures in the bureau's
// lists, for a user who may see the project.
func (s *Service) FAIOf(ctx context.Context, u *auth.User, code string) ([]FAI, error) {
	if _, err := s.Find(ctx, u, code); err != nil {
		return nil, err
	}
	return s.store.ProjectFAI(ctx, code)
}

// MonthFAI returns the bureau's figures of a month for the projects in
// the user's scope, by project code.
func (s *Service) MonthFAI(ctx context.Context, u *auth.User, period string) (map[string]FAI, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	month, err := s.store.MonthFAI(ctx, period)
	if err != nil {
		return nil, err
	}
	snap, err := s.ledgerSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]FAI, len(month))
	for _, f := range month {
		if p := snap.project(f.Project); p != nil && inScope(u, p) {
			out[f.Project] = f
		}
	}
	return out, nil
}
