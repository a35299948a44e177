package registry

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"svcplan/internal/money"
	"svcplan/internal/table"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/industry"
	"svcplan/internal/plan"
)

// Store is what the directory keeps and reads.
type Store interface {
	ImportStore
	FindEnterprise(ctx context.Context, uscc string) (*Enterprise, error)
	// History returns the earlier states of a firm, newest first.
	History(ctx context.Context, uscc string) ([]Version, error)
	// RevenueOf returns a firm's revenue figures, every version, newest
	// period first.
	RevenueOf(ctx context.Context, uscc string) ([]Revenue, error)
	// ListEnterprises returns one page of the firms a filter selects, in
	// USCC order, and how many it selects in all (-1 for a page asked for
	// with Filter.After).
	ListEnterprises(ctx context.Context, f Filter) ([]Enterprise, int, error)
	// CountEnterprises counts firms by industry class, unit and register.
	CountEnterprises(ctx context.Context, f Filter) ([]Count, error)
	// Candidates returns the firms outside the statistics that are not
	// deregistered or gone, each with its latest revenue figure.
	Candidates(ctx context.Context, f Filter) ([]Candidate, error)
	ListImports(ctx context.Context, limit int) ([]Import, error)
	FindImport(ctx context.Context, id int64) (*Import, error)
	// CountByInclusion counts the firms in business in the registers by
	// unit, class and the year they were included.
	CountByInclusion(ctx context.Context, regs []Register) ([]InclusionCount, error)
	// Amend changes one firm outside an import, keeping its previous
	// state in its history, with the act's audit entry; a firm whose
	// version is no longer c.Old's is a conflict.
	Amend(ctx context.Context, c Change, e audit.Entry) error
	// Version changes whenever an import or Amend changes the directory.
	Version(ctx context.Context) (int64, error)
}

// Filter selects firms. Empty fields select everything.
type Filter struct {
	Query     string   // part of the name, or the start of the USCC
	Units     []string // located in any of these units
	Classes   []string // of any of these industry classes
	Prefix    string   // industry code prefix (division, group or class)
	Registers []Register
	Statuses  []Status
	Flagged   bool // only firms whose USCC is flagged for review
	Unsure    bool // only firms whose 2017 class awaits a check (Industry2011 set)
	// IncludedFrom (YYYY-MM) selects the firms that entered their
	// register in that month or later.
	IncludedFrom string
	// After selects the firms whose USCC sorts after it: paging through a
	// whole list by key rather than by offset. A page asked for this way
	// comes without the total.
	After  string
	Offset int
	Limit  int
}

// Count is the number of firms of a class, unit and register.
type Count struct {
	Industry string
	Unit     string
	Register Register
	N        int
}

// InclusionCount is the number of firms of a unit and class that entered
// their register in a year (Year "" when not known).
type InclusionCount struct {
	Unit     string
	Industry string
	Year     string
	N        int
}

// Candidate is a firm outside the statistics with its latest figure.
type Candidate struct {
	Enterprise
	Figure Figure
}

// Reference is the national reference data the directory applies: the
// industry table and the 四上 thresholds in force.
type Reference struct {
	Table      *industry.Table
	Thresholds *industry.Thresholds
	Crosswalk  *industry.Crosswalk // GB/T 4754-2011 → 2017
}

// ThresholdOf returns the revenue test of an industry class.
func (r Reference) ThresholdOf(class string) (Threshold, bool) {
	rule, ok := r.Thresholds.For(class)
	if !ok || rule.AmountWan <= 0 {
		return Threshold{}, false
	}
	return Threshold{Register: registerOf4(rule.Scope.Register()), Label: rule.Scope.String(),
		AmountFen: money.Fen(rule.AmountWan) * money.WanYuan}, true
}

// RegisterOf is the register an industry class's rule leads into.
func (r Reference) RegisterOf(class string) Register {
	rule, ok := r.Thresholds.For(class)
	if !ok {
		return RegisterNone
	}
	return registerOf4(rule.Scope.Register())
}

func registerOf4(r industry.Register) Register {
	switch r {
	case industry.RegisterServices:
		return RegisterServices
	case industry.RegisterTrade:
		return RegisterTrade
	case industry.RegisterIndustry:
		return RegisterIndustry
	case industry.RegisterOther:
		return RegisterOther
	}
	return RegisterNone
}

// Service keeps the directory.
type Service struct {
	store Store
	plans *plan.Service
	ref   func() Reference
	now   func() time.Time
	// PoolPercent is the share of its threshold from which a firm enters
	// the cultivation pool.
	PoolPercent int
	importing   sync.Mutex // one import at a time
}

// NewService returns the directory service. ref returns the reference data
// in force (an admin may load an amended industry table).
func NewService(store Store, plans *plan.Service, ref func() Reference, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, ref: ref, now: now, PoolPercent: 80}
}

func (s *Service) lookups(p *plan.Plan, opts ImportOptions) Lookups {
	ref := s.ref()
	return Lookups{
		IndustryClass: func(code string) bool { _, ok := ref.Table.Class(code); return ok },
		Successor:     ref.Crosswalk.Successor,
		Edition2011:   opts.Edition2011,
		RegisterOf:    ref.RegisterOf,
		UnitByName: func(name string) (string, bool) {
			if u, ok := p.UnitByName(name); ok && u.Kind != plan.KindDepartment && u.Kind != plan.KindDistrict {
				return u.Code, true
			}
			return "", false
		},
		UnitByDivision: func(code string) (string, bool) {
			if u, ok := p.UnitByDivision(code); ok && u.Kind != plan.KindDepartment && u.Kind != plan.KindDistrict {
				return u.Code, true
			}
			return "", false
		},
		Official: opts.Official,
		Now:      s.now(),
	}
}

// ImportEnterprises reads an enterprise list into the directory: new firms
// are added, changed ones updated with their history kept, the same ones
// left alone. By default nothing is imported if any row is wrong.
func (s *Service) ImportEnterprises(ctx context.Context, actor audit.Actor, u *auth.User, rows table.Rows, meta table.File, opts ImportOptions) (*ImportResult, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	src := "manual"
	if opts.Official {
		src = "official"
	}
	res, m, err := s.startImport(rows, meta, opts, KindEnterprises, src, actor)
	if err != nil {
		return res, err
	}
	parser := newRowParser(m, s.lookups(st.Plan, opts))
	spec := rowSpec[Staged]{
		parse: func(row int, cells []string) (Staged, string, []table.RowError) {
			v, errs := parser.parse(row, cells)
			return v, v.E.USCC, errs
		},
		dup: func(key string, first int) string {
			return fmt.Sprintf("统一社会信用代码%s与第%d行重复", key, first)
		},
	}
	return s.finishImport(ctx, res, actor, func(tx ImportTx) error {
		now := s.now().UTC()
		apply := func(batch []item[Staged]) ([]table.Rejected, error) {
			return applyEnterprises(ctx, tx, batch, &res.Import, actor.Name, now)
		}
		return runImport(ctx, rows, m, spec, apply, opts, res)
	})
}

// startImport finds the header and prepares the import's record.
func (s *Service) startImport(rows table.Rows, meta table.File, opts ImportOptions, kind, source string, actor audit.Actor) (*ImportResult, Mapping, error) {
	edition := Edition2017
	if opts.Edition2011 {
		edition = Edition2011
	}
	res := &ImportResult{Import: Import{Run: table.NewRun(meta, opts.Mode, actor.Name, s.now().UTC()), Kind: kind, Source: source,
		Edition: edition}}
	var m Mapping
	if opts.Mapping != nil {
		m = *opts.Mapping
	} else {
		var err error
		if m, err = FindHeader(rows); err != nil {
			return res, m, apperr.Invalidf("%s", err.Error())
		}
	}
	res.Mapping = m
	return res, m, nil
}

// finishImport runs an import in its transaction and records it: with the
// data when it commits, on its own when nothing is written.
func (s *Service) finishImport(ctx context.Context, res *ImportResult, actor audit.Actor, run func(ImportTx) error) (*ImportResult, error) {
	s.importing.Lock()
	defer s.importing.Unlock()
	imp := &res.Import
	tx, err := s.store.BeginImport(ctx, imp)
	if err != nil {
		return res, err
	}
	runErr := run(tx)
	imp.FinishedAt = s.now().UTC()
	if runErr == nil && (imp.Rejected == 0 || imp.Mode == table.ValidRows) {
		imp.Outcome = table.OK
		imp.Message = fmt.Sprintf("读取%d行:%s%s", imp.Read, imp.Summary("变更"), imp.conversionNote())
		if err := tx.Commit(ctx, imp, s.importEntry(actor, imp, audit.OK)); err != nil {
			return res, err
		}
		return res, nil
	}
	tx.Rollback()
	imp.Outcome = table.Failed
	imp.New, imp.Changed, imp.Same, imp.Converted, imp.Unsure = 0, 0, 0, 0, 0
	switch {
	case runErr != nil:
		imp.Message = apperr.Message(runErr)
		if apperr.KindOf(runErr) == apperr.Internal {
			imp.Message = "导入中断,未导入任何数据"
		}
	default:
		imp.Message = fmt.Sprintf("%d行有错误,按“全部正确才导入”未导入任何数据", imp.Rejected)
	}
	if err := s.store.RecordImport(context.WithoutCancel(ctx), imp, s.importEntry(actor, imp, audit.Failed)); err != nil {
		return res, err
	}
	if runErr != nil {
		return res, runErr
	}
	return res, nil
}

// conversionNote says what the import did with GB/T 4754-2011 codes.
func (imp *Import) conversionNote() string {
	if imp.Converted == 0 {
		return ""
	}
	note := fmt.Sprintf(";%d个GB/T 4754-2011行业代码已按对照表转换为2017版", imp.Converted)
	if imp.Unsure > 0 {
		note += fmt.Sprintf(",其中%d家的原小类在2017版拆分为多个小类,已暂按最可能的小类归类并列入“行业待核实”名单", imp.Unsure)
	}
	if imp.Edition != Edition2011 {
		note += ";两版代码相同而含义不同的(如7231),已按2017版读取,如整个文件为2011版代码,请在“行业代码版本”中选择GB/T 4754-2011重新导入"
	}
	return note
}

func (s *Service) importEntry(actor audit.Actor, imp *Import, outcome audit.Outcome) audit.Entry {
	e := audit.New(imp.FinishedAt, actor, "import."+imp.Kind, "import", imp.FileName, nil, map[string]any{
		"file_name": imp.FileName, "sha256": imp.SHA256, "size": imp.Size, "mode": imp.Mode, "source": imp.Source,
		"read": imp.Read, "new": imp.New, "changed": imp.Changed, "same": imp.Same, "rejected": imp.Rejected,
		"codes_converted": imp.Converted, "industry_unsure": imp.Unsure, "industry_edition": imp.Edition,
	})
	e.Outcome, e.Reason = outcome, imp.Message
	return e
}

// required are the fields a firm new to the directory must have.
var required = []struct {
	f    Field
	what string
}{{FName, "单位名称"}, {FIndustry, "行业代码"}, {FUnit, "所在镇街(园区)"}}

// applyEnterprises merges a batch into the directory.
func applyEnterprises(ctx context.Context, tx ImportTx, batch []item[Staged], imp *Import, who string, now time.Time) ([]table.Rejected, error) {
	usccs := make([]string, len(batch))
	for i, it := range batch {
		usccs[i] = it.V.E.USCC
	}
	existing, err := tx.Existing(ctx, usccs)
	if err != nil {
		return nil, err
	}
	var inserts []Enterprise
	var changes []Change
	var rejects []table.Rejected
	for _, it := range batch {
		s := it.V
		old, ok := existing[s.E.USCC]
		if !ok {
			var missing []string
			for _, r := range required {
				if s.Has&r.f == 0 {
					missing = append(missing, r.what)
				}
			}
			if len(missing) > 0 {
				rejects = append(rejects, table.Rejected{Row: it.Row, Cells: it.Cells, Errors: []table.RowError{{Row: it.Row,
					Msg: "名录库中尚无此企业,新增企业须填写" + strings.Join(missing, "、")}}})
				continue
			}
			e := s.E
			if s.Has&FStatus == 0 {
				e.Status = StatusActive
			}
			if s.Has&FRegister == 0 {
				e.Register = RegisterNone
			}
			e.Version, e.UpdatedAt, e.UpdatedBy, e.ImportID = 1, now, who, imp.ID
			inserts = append(inserts, e)
			imp.count(s, e)
			continue
		}
		next, changed := merge(old, s)
		if len(changed) == 0 {
			imp.Same++
			imp.count(s, next)
			continue
		}
		next.Version, next.UpdatedAt, next.UpdatedBy, next.ImportID = old.Version+1, now, who, imp.ID
		changes = append(changes, Change{Old: old, New: next, Changed: changed})
		imp.count(s, next)
	}
	if len(inserts) > 0 {
		if err := tx.Insert(ctx, inserts); err != nil {
			return nil, err
		}
	}
	if len(changes) > 0 {
		if err := tx.Update(ctx, changes); err != nil {
			return nil, err
		}
	}
	imp.New += len(inserts)
	imp.Changed += len(changes)
	return rejects, nil
}

// count counts a row whose code was converted from 2011, as the firm
// stands after the row.
func (imp *Import) count(s Staged, e Enterprise) {
	if s.Successor != nil {
		imp.Converted++
		if e.Industry2011 != "" {
			imp.Unsure++
		}
	}
}

// merge applies the fields a row gives to a firm and names those that
// changed.
func merge(old Enterprise, s Staged) (Enterprise, []string) {
	next := old
	var changed []string
	set := func(f Field, dst *string, v string) {
		if s.Has&f != 0 && *dst != v {
			*dst = v
			changed = append(changed, fieldName(f))
		}
	}
	set(FName, &next.Name, s.E.Name)
	// A 2011 code says less than a 2017 class consistent with it: a firm
	// whose class is one the old code went to keeps it (and a confirmed
	// class stays confirmed when the old list is imported again).
	if s.Successor == nil || !slices.Contains(s.Successor.Classes, old.Industry) {
		set(FIndustry, &next.Industry, s.E.Industry)
		set(FIndustry2011, &next.Industry2011, s.E.Industry2011)
	}
	set(FUnit, &next.Unit, s.E.Unit)
	set(FAddress, &next.Address, s.E.Address)
	set(FBuilding, &next.Building, s.E.Building)
	set(FRegisteredOn, &next.RegisteredOn, s.E.RegisteredOn)
	if s.Has&FStatus != 0 && next.Status != s.E.Status {
		next.Status = s.E.Status
		changed = append(changed, fieldName(FStatus))
	}
	if s.Has&FRegister != 0 && next.Register != s.E.Register {
		next.Register = s.E.Register
		changed = append(changed, fieldName(FRegister))
	}
	set(FIncludedOn, &next.IncludedOn, s.E.IncludedOn)
	set(FExitedOn, &next.ExitedOn, s.E.ExitedOn)
	set(FUSCCFlag, &next.USCCFlag, s.E.USCCFlag)
	return next, changed
}

func fieldName(f Field) string {
	for _, n := range fieldNames {
		if n.f == f {
			return n.name
		}
	}
	return ""
}

// Scope returns the filter that limits a user to the firms of their data
// scope: a town's or park's account to the firms located there, a
// department's to the classes of the fields it leads or supports.
func (s *Service) scope(ctx context.Context, u *auth.User, f Filter) (Filter, error) {
	if err := auth.Check(u, auth.PermFirmRead, ""); err != nil {
		return f, err
	}
	if u.Unit == "" {
		return f, nil
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return f, err
	}
	unit, ok := st.Plan.Unit(u.Unit)
	if !ok {
		return f, apperr.Forbiddenf("数据范围“%s”不在当前规划中", u.Unit)
	}
	if unit.Kind != plan.KindDepartment {
		if len(f.Units) > 0 && !slices.Contains(f.Units, u.Unit) {
			return f, apperr.Forbiddenf("无权访问其他单位的数据")
		}
		f.Units = []string{u.Unit}
		return f, nil
	}
	var fields []string
	for _, d := range st.Plan.UnitDuties(u.Unit).Tasks {
		if (d.Role == plan.RoleLead || d.Role == plan.RoleCo) && !slices.Contains(fields, d.Field.Code) {
			fields = append(fields, d.Field.Code)
		}
	}
	classes := s.classesOf(st.Plan, fields...)
	if len(f.Classes) > 0 {
		var both []string
		for _, c := range f.Classes {
			if slices.Contains(classes, c) {
				both = append(both, c)
			}
		}
		classes = both
	}
	if len(classes) == 0 {
		classes = []string{"-"} // matches nothing
	}
	f.Classes = classes
	return f, nil
}

// classesOf lists the industry classes that serve any of the fields.
func (s *Service) classesOf(p *plan.Plan, fields ...string) []string {
	var out []string
	for _, e := range s.ref().Table.Entries() {
		if e.Level != industry.LevelClass {
			continue
		}
		if f, ok := p.FieldOfIndustry(e.Code); ok && slices.Contains(fields, f.Code) {
			out = append(out, e.Code)
		}
	}
	sort.Strings(out)
	return out
}

// ClassesOfField lists the classes of one field ("other" for the classes
// of no field).
func (s *Service) ClassesOfField(ctx context.Context, field string) ([]string, error) {
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	if field != FieldOther {
		if _, ok := st.Plan.Field(field); !ok {
			return nil, apperr.Invalidf("没有编码为“%s”的服务领域", field)
		}
		return s.classesOf(st.Plan, field), nil
	}
	var out []string
	for _, e := range s.ref().Table.Entries() {
		if _, ok := st.Plan.FieldOfIndustry(e.Code); e.Level == industry.LevelClass && !ok {
			out = append(out, e.Code)
		}
	}
	return out, nil
}

// FieldOther names the firms of classes outside the plan's fields.
const FieldOther = "other"

// MaxLimit is the most firms a page of Search holds.
const MaxLimit = 500

// Search returns a page of firms, within the user's scope: f.Limit of
// them (50 when not set, at most MaxLimit).
func (s *Service) Search(ctx context.Context, u *auth.User, f Filter) ([]Enterprise, int, error) {
	f, err := s.scope(ctx, u, f)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, MaxLimit)
	return s.store.ListEnterprises(ctx, f)
}

// Export returns every firm a filter selects, within the user's scope.
func (s *Service) Export(ctx context.Context, u *auth.User, f Filter, each func(Enterprise) error) error {
	f, err := s.scope(ctx, u, f)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = 5000, 0
	for {
		page, _, err := s.store.ListEnterprises(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := each(e); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.After = page[len(page)-1].USCC
	}
}

// Detail is a firm with its history, revenue figures and assessment.
type Detail struct {
	Enterprise
	History    []Version
	Revenue    []Revenue
	Assessment *Assessment
}

// Find returns one firm, if it is within the user's scope.
func (s *Service) Find(ctx context.Context, u *auth.User, uscc string) (*Detail, error) {
	e, err := s.findInScope(ctx, u, uscc)
	if err != nil {
		return nil, err
	}
	d := &Detail{Enterprise: *e}
	if d.History, err = s.store.History(ctx, uscc); err != nil {
		return nil, err
	}
	if d.Revenue, err = s.store.RevenueOf(ctx, uscc); err != nil {
		return nil, err
	}
	if e.Register == RegisterNone && len(d.Revenue) > 0 {
		if th, ok := s.ref().ThresholdOf(e.Industry); ok {
			if a, err := Assess(e.RegisteredOn, d.Revenue[0].Figure, th, s.now(), s.PoolPercent); err == nil {
				d.Assessment = &a
			}
		}
	}
	return d, nil
}

// findInScope returns one firm, if it is within the user's scope.
func (s *Service) findInScope(ctx context.Context, u *auth.User, uscc string) (*Enterprise, error) {
	f, err := s.scope(ctx, u, Filter{})
	if err != nil {
		return nil, err
	}
	e, err := s.store.FindEnterprise(ctx, uscc)
	if err != nil {
		return nil, err
	}
	if (len(f.Units) > 0 && !slices.Contains(f.Units, e.Unit)) || (len(f.Classes) > 0 && !slices.Contains(f.Classes, e.Industry)) {
		return nil, apperr.Forbiddenf("该企业不在您的数据范围内")
	}
	return e, nil
}

// Listed is a firm on the 应统未统 list or in the cultivation pool.
type Listed struct {
	Candidate
	Assessment
}

// Lists returns the firms that qualify but are not in the statistics
// (应统未统) and the cultivation pool (培育库), within the user's scope.
// The pool is ranked by the earliest month each firm can be included,
// then by how close it is.
func (s *Service) Lists(ctx context.Context, u *auth.User, f Filter) (unlisted, pool []Listed, err error) {
	if f, err = s.scope(ctx, u, f); err != nil {
		return nil, nil, err
	}
	cands, err := s.store.Candidates(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	ref := s.ref()
	for _, c := range cands {
		th, ok := ref.ThresholdOf(c.Industry)
		if !ok {
			continue
		}
		a, err := Assess(c.RegisteredOn, c.Figure, th, now, s.PoolPercent)
		if err != nil {
			continue // a figure the assessment cannot read: shown on the firm's page
		}
		switch {
		case a.Qualifies:
			unlisted = append(unlisted, Listed{c, a})
		case a.InPool:
			pool = append(pool, Listed{c, a})
		}
	}
	byEntry := func(a, b Listed) int {
		switch {
		case a.Entry != b.Entry && a.Entry == "":
			return 1
		case a.Entry != b.Entry && b.Entry == "":
			return -1
		case a.Entry != b.Entry:
			return strings.Compare(a.Entry, b.Entry)
		case a.Percent != b.Percent:
			return b.Percent - a.Percent
		}
		return strings.Compare(a.USCC, b.USCC)
	}
	slices.SortFunc(unlisted, byEntry)
	slices.SortFunc(pool, byEntry)
	return unlisted, pool, nil
}

// Counts counts firms by field and unit, within the user's scope.
func (s *Service) Counts(ctx context.Context, u *auth.User, f Filter) ([]Count, error) {
	f, err := s.scope(ctx, u, f)
	if err != nil {
		return nil, err
	}
	return s.store.CountEnterprises(ctx, f)
}

// Imports lists the latest imports.
func (s *Service) Imports(ctx context.Context, u *auth.User) ([]Import, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	return s.store.ListImports(ctx, 100)
}

// Ref returns the reference data in force.
func (s *Service) Ref() Reference { return s.ref() }

// IndustryName is "7291 旅行社及相关服务" for a class code.
func (r Reference) IndustryName(code string) string {
	if e, ok := r.Table.Lookup(code); ok {
		return e.Name
	}
	return ""
}

// CountByInclusion counts the firms in business in the registers by
// unit, class and the year they were included: aggregates, which whoever shows them
// suppresses where too few firms make a cell.
func (s *Service) CountByInclusion(ctx context.Context, regs []Register) ([]InclusionCount, error) {
	return s.store.CountByInclusion(ctx, regs)
}

// Version changes whenever an import or an amendment changes the
// directory, for caches.
func (s *Service) Version(ctx context.Context) (int64, error) { return s.store.Version(ctx) }
