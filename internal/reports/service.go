package reports

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/table"
)

// Import is the record of one report file: the run, and the form and
// period it holds.
type Import struct {
	table.Run
	Form   string `json:"form"`
	Period Period `json:"period"`
}

// Firm is what the directory says of a firm a report names.
type Firm struct {
	USCC     string
	Industry string
}

// Store keeps reports and their rollups.
type Store interface {
	// FirmsByUSCC and FirmsByOrgCode look firms up in the directory;
	// the second by the organisation code inside the USCC (characters
	// 9–17), for old files.
	FirmsByUSCC(ctx context.Context, usccs []string) (map[string]Firm, error)
	FirmsByOrgCode(ctx context.Context, orgs []string) (map[string]Firm, error)
	BeginReportImport(ctx context.Context, imp *Import) (ImportTx, error)
	RecordReportImport(ctx context.Context, imp *Import, e audit.Entry) error
	ReportImports(ctx context.Context, limit int) ([]Import, error)
	Rollups(ctx context.Context, q Query) ([]Rollup, error)
	Reports(ctx context.Context, q Query) ([]Report, error)
	// History returns every version of a firm's reports, by form and
	// period, newest version first.
	History(ctx context.Context, uscc string) ([]Report, error)
	Periods(ctx context.Context, form string) ([]Period, error)
	ParkStore
	// Version changes whenever an import changes the reports.
	Version(ctx context.Context) (int64, error)
}

// ImportTx is a report import's transaction.
type ImportTx interface {
	// Current returns the current reports of these firms for the
	// form and period.
	Current(ctx context.Context, form string, period Period, usccs []string) (map[string]Report, error)
	Insert(ctx context.Context, rs []Report) error
	// Replace makes each new report current, moving the one it
	// replaces to the versions.
	Replace(ctx context.Context, old, new []Report, imp *Import) error
	// Rollup recomputes the rollups of a form and period.
	Rollup(ctx context.Context, form string, period Period) error
	Commit(ctx context.Context, imp *Import, e audit.Entry) error
	Rollback() error
}

// Service imports and reads enterprise reports.
type Service struct {
	store     Store
	plans     *plan.Service
	now       func() time.Time
	importing sync.Mutex
}

// NewService returns the reports service.
func NewService(store Store, plans *plan.Service, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, now: now}
}

// Options are the choices of the person importing.
type Options struct {
	Form   *Form
	Period Period
	Mode   table.Mode
}

// Result is what an import did.
type Result struct {
	Import   Import
	Layout   *Layout
	Rejected []table.Rejected
}

// maxRejectsListed bounds the rejected rows kept with their cells.
const maxRejectsListed = 50_000

// Import reads a report file for one form and period and, when every row
// is right (or the user chose to import the valid rows), makes its rows
// the current reports of their firms, in one transaction with the
// rollups of that period and the audit entry. Reading the same file again
// changes nothing.
func (s *Service) Import(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, meta table.File, opts Options) (*Result, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	if opts.Form == nil {
		return nil, apperr.Invalidf("请选择报表(F203、E204-1或S204-1)")
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Import: Import{Run: table.NewRun(meta, opts.Mode, actor.Name, s.now().UTC()), Form: opts.Form.Code, Period: opts.Period}}
	l, err := FindLayout(rows, opts.Form)
	if err != nil {
		return res, err
	}
	res.Layout = l
	if opts.Period == 0 && l.Period < 0 {
		return res, apperr.Invalidf("文件名中没有期别,文件中也没有期别列,请指明报告期(如2025年1-9月)")
	}

	staged, err := s.read(rows, l, opts.Period, res)
	if err != nil {
		return res, err
	}
	if opts.Period == 0 {
		if opts.Period, err = filePeriod(staged, res.Rejected); err != nil {
			return res, err
		}
		res.Import.Period = opts.Period
	}
	reps, err := s.resolve(ctx, st.Plan, opts, staged, res)
	if err != nil {
		return res, err
	}
	return s.write(ctx, actor, reps, res)
}

// read parses every row; rows with errors are rejected, and a code that
// appears twice rejects its second row.
func (s *Service) read(rows table.Rows, l *Layout, period Period, res *Result) ([]staged, error) {
	var out []staged
	seen := map[string]int{}
	codes := l.codeColumns()
	for {
		cells, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apperr.Invalidf("读取文件出错: %s", apperr.Message(err))
		}
		row := rows.Row()
		if row <= l.HeaderRow || table.Blank(cells) {
			continue
		}
		res.Import.Read++
		res.Import.Restored += table.Restore(rows, cells, codes)
		st, errs := parseRow(l, period, row, cells)
		if len(errs) == 0 {
			if first, dup := seen[st.Code]; dup {
				errs = append(errs, table.RowError{Row: row, Msg: fmt.Sprintf("代码%s与第%d行重复", st.Code, first)})
			} else {
				seen[st.Code] = row
			}
		}
		if len(errs) > 0 {
			res.reject(table.Rejected{Row: row, Cells: st.Cells, Errors: errs})
			continue
		}
		out = append(out, st)
	}
	return out, nil
}

// filePeriod is the period a file's 期别 column gives, when every row
// gives the same one. Rows that give another, or none, refuse the file,
// naming them: one file is one period.
func filePeriod(rows []staged, rejected []table.Rejected) (Period, error) {
	byPeriod := map[Period][]int{}
	for _, r := range rows {
		byPeriod[r.Period] = append(byPeriod[r.Period], r.Row)
	}
	if len(byPeriod) == 1 {
		for p := range byPeriod {
			if p != 0 {
				return p, nil
			}
		}
	}
	if len(byPeriod) == 0 {
		if len(rejected) > 0 {
			return 0, apperr.Invalidf("没有可导入的行,也就无法从期别列确定报告期;第一个错误: %s", rejected[0].Reason())
		}
		return 0, apperr.Invalidf("文件中没有数据行")
	}
	ps := make([]Period, 0, len(byPeriod))
	for p := range byPeriod {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		label := "期别为空"
		if p != 0 {
			label = p.Label()
		}
		parts = append(parts, fmt.Sprintf("%s(%s)", label, rowList(byPeriod[p])))
	}
	return 0, apperr.Invalidf("文件中各行的期别不一致:%s;一个文件只能是一个报告期,请分期导出后再导入,或指明导入的报告期", strings.Join(parts, "、"))
}

// rowList names rows in ascending order as ranges: 第2-5、7、9-12行; after
// ten ranges it counts the rest.
func rowList(rows []int) string {
	sort.Ints(rows)
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if len(parts) == 10 {
			return fmt.Sprintf("第%s行等%d行", strings.Join(parts, "、"), len(rows))
		}
		if i == j {
			parts = append(parts, fmt.Sprint(rows[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", rows[i], rows[j]))
		}
		i = j + 1
	}
	return "第" + strings.Join(parts, "、") + "行"
}

// resolve finds each row's firm in the directory and its unit in the plan.
func (s *Service) resolve(ctx context.Context, p *plan.Plan, opts Options, rows []staged, res *Result) ([]Report, error) {
	var usccs, orgs []string
	for _, r := range rows {
		if r.IsOrg {
			orgs = append(orgs, r.Code)
		} else {
			usccs = append(usccs, r.Code)
		}
	}
	byUSCC, err := s.store.FirmsByUSCC(ctx, usccs)
	if err != nil {
		return nil, err
	}
	byOrg := map[string]Firm{}
	if len(orgs) > 0 {
		if byOrg, err = s.store.FirmsByOrgCode(ctx, orgs); err != nil {
			return nil, err
		}
	}
	members, err := s.store.ParkMembers(ctx)
	if err != nil {
		return nil, err
	}
	parks := NewParks(members)
	l := res.Layout
	col := func(i int) (int, string) {
		if i < 0 {
			return 0, ""
		}
		return i + 1, strings.TrimSpace(l.Header[i])
	}
	out := make([]Report, 0, len(rows))
	seen := map[string]int{}
	for _, r := range rows {
		var errs []table.RowError
		firm, ok := byUSCC[r.Code]
		codeCol := l.USCC
		if r.IsOrg || codeCol < 0 {
			firm, ok = byOrg[r.Code]
			codeCol = l.Org
		}
		if !ok {
			c, h := col(codeCol)
			errs = append(errs, table.RowError{Row: r.Row, Col: c, Header: h, Value: r.Code,
				Msg: fmt.Sprintf("代码%s在名录库中找不到,请先导入或补录该企业", r.Code)})
		}
		unit, uok := p.UnitByDivision(r.Area)
		if !uok {
			c, h := col(l.Area)
			errs = append(errs, table.RowError{Row: r.Row, Col: c, Header: h, Value: r.Area,
				Msg: fmt.Sprintf("数据处理地%s不属于本区任何镇(街道)、园区", r.Area)})
		}
		if ok {
			if first, dup := seen[firm.USCC]; dup {
				errs = append(errs, table.RowError{Row: r.Row, Msg: fmt.Sprintf("与第%d行是同一企业(%s)", first, firm.USCC)})
			}
		}
		if len(errs) > 0 {
			res.reject(table.Rejected{Row: r.Row, Cells: r.Cells, Errors: errs})
			continue
		}
		seen[firm.USCC] = r.Row
		division := ""
		if len(firm.Industry) >= 2 {
			division = firm.Industry[:2]
		}
		unitCode := unit.Code
		if park, ok := parks.Of(firm.USCC, r.Area, opts.Period); ok {
			unitCode = park // a firm in a park counts under the park
		}
		out = append(out, Report{Form: opts.Form.Code, Period: opts.Period, USCC: firm.USCC, Name: r.Name, Area: r.Area,
			Unit: unitCode, Industry: firm.Industry, Division: division, Values: r.Vals})
	}
	return out, nil
}

// write stores the reports and the rollups, or records the failed import.
func (s *Service) write(ctx context.Context, actor audit.Actor, reps []Report, res *Result) (*Result, error) {
	s.importing.Lock()
	defer s.importing.Unlock()
	imp := &res.Import
	if imp.Rejected > 0 && imp.Mode != table.ValidRows {
		return s.fail(ctx, actor, res, nil)
	}
	tx, err := s.store.BeginReportImport(ctx, imp)
	if err != nil {
		return res, err
	}
	if err := s.apply(ctx, tx, reps, imp); err != nil {
		tx.Rollback()
		return s.fail(ctx, actor, res, err)
	}
	imp.FinishedAt = s.now().UTC()
	imp.Outcome = table.OK
	imp.Message = fmt.Sprintf("%s %s: 读取%d行,%s", imp.Form, imp.Period.Label(), imp.Read, imp.Summary("修订"))
	if err := tx.Commit(ctx, imp, s.entry(actor, imp, audit.OK)); err != nil {
		return res, err
	}
	return res, nil
}

// apply writes new reports, replaces revised ones and recomputes the
// period's rollups.
func (s *Service) apply(ctx context.Context, tx ImportTx, reps []Report, imp *Import) error {
	now := s.now().UTC()
	const batch = 1000
	for start := 0; start < len(reps); start += batch {
		part := reps[start:min(start+batch, len(reps))]
		usccs := make([]string, len(part))
		for i := range part {
			usccs[i] = part[i].USCC
		}
		cur, err := tx.Current(ctx, imp.Form, imp.Period, usccs)
		if err != nil {
			return err
		}
		var fresh, old, revised []Report
		for i := range part {
			r := &part[i]
			r.ImportID, r.ImportedAt, r.ImportedBy = imp.ID, now, imp.User
			prev, ok := cur[r.USCC]
			switch {
			case !ok:
				r.Version = 1
				fresh = append(fresh, *r)
			case prev.Same(r):
				imp.Same++
			default:
				r.Version = prev.Version + 1
				old, revised = append(old, prev), append(revised, *r)
			}
		}
		if err := tx.Insert(ctx, fresh); err != nil {
			return err
		}
		if err := tx.Replace(ctx, old, revised, imp); err != nil {
			return err
		}
		imp.New += len(fresh)
		imp.Changed += len(revised)
	}
	if imp.New+imp.Changed == 0 {
		return nil
	}
	return tx.Rollup(ctx, imp.Form, imp.Period)
}

// fail records an import that wrote nothing.
func (s *Service) fail(ctx context.Context, actor audit.Actor, res *Result, cause error) (*Result, error) {
	imp := &res.Import
	imp.FinishedAt = s.now().UTC()
	imp.Outcome = table.Failed
	imp.New, imp.Changed, imp.Same = 0, 0, 0
	if cause != nil {
		imp.Message = "导入中断,未导入任何数据"
		if apperr.KindOf(cause) != apperr.Internal {
			imp.Message = apperr.Message(cause)
		}
	} else {
		imp.Message = fmt.Sprintf("%d行有错误,按“全部正确才导入”未导入任何数据", imp.Rejected)
	}
	if err := s.store.RecordReportImport(context.WithoutCancel(ctx), imp, s.entry(actor, imp, audit.Failed)); err != nil {
		return res, err
	}
	return res, cause
}

func (s *Service) entry(actor audit.Actor, imp *Import, outcome audit.Outcome) audit.Entry {
	e := audit.New(imp.FinishedAt, actor, "import.reports", "report_import", imp.FileName, nil, map[string]any{
		"form": imp.Form, "period": imp.Period.String(), "file_name": imp.FileName, "sha256": imp.SHA256, "size": imp.Size,
		"mode": imp.Mode, "read": imp.Read, "new": imp.New, "changed": imp.Changed, "same": imp.Same, "rejected": imp.Rejected,
	})
	e.Outcome, e.Reason = outcome, imp.Message
	return e
}

func (res *Result) reject(r table.Rejected) {
	res.Import.Rejected++
	if len(res.Rejected) < maxRejectsListed {
		res.Rejected = append(res.Rejected, r)
	}
}

// Imports lists the latest report imports.
func (s *Service) Imports(ctx context.Context, u *auth.User, limit int) ([]Import, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	return s.store.ReportImports(ctx, limit)
}

// Periods lists the periods a form has reports for, newest first.
func (s *Service) Periods(ctx context.Context, form string) ([]Period, error) {
	ps, err := s.store.Periods(ctx, form)
	sort.Slice(ps, func(i, j int) bool { return ps[i] > ps[j] })
	return ps, err
}

// Rollups returns the reports' totals the query selects. They are
// aggregates: whoever shows them suppresses the cells with too few firms.
func (s *Service) Rollups(ctx context.Context, q Query) ([]Rollup, error) {
	return s.store.Rollups(ctx, q)
}

// Reports returns the firms' reports the query selects that lie in the
// user's data scope; only those who may see firms get any (《统计法》).
func (s *Service) Reports(ctx context.Context, u *auth.User, q Query) ([]Report, error) {
	if err := auth.Check(u, auth.PermFirmRead, ""); err != nil {
		return nil, err
	}
	reps, err := s.store.Reports(ctx, q)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(reps, func(r Report) bool { return !u.InScope(r.Unit) }), nil
}

// Version changes whenever an import changes the reports, for caches.
func (s *Service) Version(ctx context.Context) (int64, error) { return s.store.Version(ctx) }
