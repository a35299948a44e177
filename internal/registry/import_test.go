package registry_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/industry"
	"svcplan/internal/plan"
	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
	"svcplan/internal/xlsx/xlsxtest"
	"svcplan/plans"
)

// rowsOf splits lines of comma-separated cells into a table.
func rowsOf(lines ...string) *table.Slices {
	var rows [][]string
	for _, l := range lines {
		rows = append(rows, strings.Split(l, ","))
	}
	return table.FromSlices(rows)
}

var now = time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC)

type env struct {
	svc   *registry.Service
	db    *store.DB
	audit *store.AuditStore
	admin *auth.User
	actor audit.Actor
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	plans := plan.NewService(store.NewPlanStore(db), func() time.Time { return now })
	parsed, err := plan.ParseFS(plansFS, plansDefault, plansDefault)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plans.Load(t.Context(), audit.Actor{Name: "system"}, parsed, plansDefault); err != nil {
		t.Fatal(err)
	}
	ref := registry.Reference{Table: industry.Default(), Thresholds: industry.DefaultThresholds(), Crosswalk: industry.DefaultCrosswalk()}
	svc := registry.NewService(store.NewRegistryStore(db), plans, func() registry.Reference { return ref }, func() time.Time { return now })
	return &env{svc: svc, db: db, audit: store.NewAuditStore(db), admin: &auth.User{ID: 1, Username: "stat", Role: auth.RoleStatistician},
		actor: audit.Actor{UserID: 1, Name: "stat", Role: "statistician", Addr: "192.0.2.7"}}
}

var (
	plansFS      = plans.FS
	plansDefault = plans.Default
)

// Real-looking codes with correct check characters (see internal/uscc tests).
const (
	codeA = "91350100M000100Y43"
	codeB = "91321203MA10012200"
	codeC = "913212710747283018"
	codeD = "91321271MA1ME3WD3Q"
	// codeBad differs from codeA in its check character only.
	codeBad = "91350100M000100Y44"
)

const header = "统一社会信用代码,单位详细名称,行业代码,所在镇街,成立日期,纳统状态,营业收入(万元)"

func (e *env) importCSV(t *testing.T, opts registry.ImportOptions, lines ...string) *registry.ImportResult {
	t.Helper()
	res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, rowsOf(lines...), table.File{Name: "名录.csv", SHA256: "abc", Size: 100}, opts)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func counts(imp registry.Import) [5]int {
	return [5]int{imp.Read, imp.New, imp.Changed, imp.Same, imp.Rejected}
}

func TestImportEnterprises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		file := []string{
			"2026年高港区服务业企业名录,,,,,,", // a title row above the header
			header,
			codeA + ",泰州甲科技有限公司,7320,白马镇,2015-06-01,规上服务业,1200",
			codeB + ",泰州乙物流有限公司,5810,321203100,2020/3/5,未纳统,",
			codeC + ",泰州丙药业有限公司,7291,321271001,20190102,,", // pre-2021 凤凰街道 code
			codeD + ",泰州丁商贸有限公司,5211,沿江街道,,,",
			",,,,,,", // blank rows are skipped
		}
		res := e.importCSV(t, registry.ImportOptions{Official: true}, file...)
		if got := counts(res.Import); got != [5]int{4, 4, 0, 0, 0} || res.Import.Outcome != "ok" {
			t.Fatalf("first import: read/new/changed/same/rejected = %v, outcome %s: %v", got, res.Import.Outcome, res.Rejected)
		}
		if res.Mapping.HeaderRow != 2 {
			t.Errorf("header found on row %d, want 2", res.Mapping.HeaderRow)
		}
		d, err := e.svc.Find(ctx, e.admin, codeC)
		if err != nil {
			t.Fatal(err)
		}
		if d.Unit != "321203004" || d.RegisteredOn != "2019-01-02" || d.Status != registry.StatusActive || d.Register != registry.RegisterNone || d.Version != 1 {
			t.Errorf("firm C: %+v", d.Enterprise)
		}
		if b, _ := e.svc.Find(ctx, e.admin, codeB); b.Unit != "321203100" || b.RegisteredOn != "2020-03-05" {
			t.Errorf("firm B: %+v", b.Enterprise)
		}

		// The same file again changes nothing.
		res = e.importCSV(t, registry.ImportOptions{Official: true}, file...)
		if got := counts(res.Import); got != [5]int{4, 0, 0, 4, 0} {
			t.Errorf("re-import: %v", got)
		}

		// A changed name, and an empty cell that must not erase.
		res = e.importCSV(t, registry.ImportOptions{Official: true},
			"统一社会信用代码,单位详细名称,行业代码,所在镇街",
			codeA+",泰州甲科技股份有限公司,,",
			codeB+",泰州乙物流有限公司,5810,白马镇")
		if got := counts(res.Import); got != [5]int{2, 0, 2, 0, 0} {
			t.Fatalf("update: %v %v", got, res.Rejected)
		}
		d, _ = e.svc.Find(ctx, e.admin, codeA)
		if d.Name != "泰州甲科技股份有限公司" || d.Industry != "7320" || d.Unit != "321203101" || d.Version != 2 {
			t.Errorf("firm A after update: %+v", d.Enterprise)
		}
		if len(d.History) != 1 || d.History[0].Name != "泰州甲科技有限公司" || d.History[0].Version != 1 ||
			strings.Join(d.History[0].Changed, ",") != "name" {
			t.Errorf("firm A history: %+v", d.History)
		}
		b, _ := e.svc.Find(ctx, e.admin, codeB)
		if b.Unit != "321203101" || strings.Join(b.History[0].Changed, ",") != "unit" {
			t.Errorf("firm B moved: %+v %+v", b.Enterprise, b.History)
		}

		imps, err := e.svc.Imports(ctx, e.admin)
		if err != nil || len(imps) != 3 || imps[0].Changed != 2 || imps[2].New != 4 {
			t.Errorf("imports: %+v %v", imps, err)
		}
		es, _ := e.audit.ListAudit(ctx, audit.Filter{Action: "import.enterprises"})
		if len(es) != 3 || es[0].Actor.Name != "stat" || es[0].Outcome != audit.OK {
			t.Errorf("audit: %+v", es)
		}
	})
}

func TestImportRefusesBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		e.importCSV(t, registry.ImportOptions{Official: true}, header, codeA+",泰州甲科技有限公司,7320,白马镇,,,")
		bad := []string{
			header,
			codeB + ",乙公司,5810,白马镇,,,", // fine
			"91321203MA1001220,丙公司,7291,白马镇,,,",  // 17 characters
			codeC + ",丁公司,729,白马镇,,,",            // a group, not a class
			codeD + ",戊公司,7291,火星镇,,,",           // unknown town
			codeB + ",乙公司重复,5810,白马镇,,,",         // duplicate of row 2
			codeA + ",甲公司,7320,白马镇,2030-01-01,,", // future date
			"91321203MA1N7K3P5A,己公司,7291,白马镇,,升级版,",
		}
		res := e.importCSV(t, registry.ImportOptions{Official: true}, bad...)
		if res.Import.Outcome != "failed" || res.Import.Rejected != 6 || res.Import.New != 0 {
			t.Fatalf("all-or-nothing: %+v", res.Import)
		}
		var msgs []string
		for _, r := range res.Rejected {
			msgs = append(msgs, r.Reason())
		}
		want := []string{
			"第3行第1列(统一社会信用代码): 长度应为18位,实际为17位",
			"第4行第3列(行业代码): 行业代码“729”应为GB/T 4754-2017的4位小类代码,如7291",
			"第5行第4列(所在镇街): “火星镇”不是本区的镇(街道)或园区",
			"第6行: 统一社会信用代码" + codeB + "与第2行重复",
			"第7行第5列(成立日期): 日期“2030-01-01”不在1949年至今之间",
			"第8行第6列(纳统状态): 纳统状态“升级版”不认识,应为规上服务业、限上批零住餐、规上工业、其他四上或未纳统",
		}
		if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
			t.Errorf("rejections:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
		}
		// Nothing changed: B was not added.
		if _, err := e.svc.Find(ctx, e.admin, codeB); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("firm B after a refused import: %v", err)
		}
		imps, _ := e.svc.Imports(ctx, e.admin)
		if imps[0].Outcome != "failed" || imps[0].Rejected != 6 || !strings.Contains(imps[0].Message, "未导入任何数据") {
			t.Errorf("failed import record: %+v", imps[0])
		}
		if es, _ := e.audit.ListAudit(ctx, audit.Filter{Action: "import.enterprises", Outcome: audit.Failed}); len(es) != 1 {
			t.Errorf("failed import not audited")
		}

		// Import the valid rows: B and the last row's firm... only B and A are valid.
		res = e.importCSV(t, registry.ImportOptions{Official: true, Mode: table.ValidRows}, bad...)
		if got := counts(res.Import); got != [5]int{7, 1, 0, 0, 6} || res.Import.Outcome != "ok" {
			t.Errorf("valid rows: %v %s", got, res.Import.Outcome)
		}
		if b, err := e.svc.Find(ctx, e.admin, codeB); err != nil || b.Name != "乙公司" {
			t.Errorf("firm B: %v %v", b, err)
		}
		if len(res.Rejected) != 6 || res.Rejected[0].Row != 3 || len(res.Rejected[0].Cells) != 7 {
			t.Errorf("rejected rows keep their cells: %+v", res.Rejected[0])
		}
	})
}

func TestImportUSCCPolicyAndRequiredFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		row := codeBad + ",校验码错误公司,7291,白马镇,,,"
		// By hand: refused, saying how an official export would be taken.
		res := e.importCSV(t, registry.ImportOptions{}, header, row)
		if res.Import.Rejected != 1 || !strings.Contains(res.Rejected[0].Reason(), "第18位校验码应为3,实际为4") ||
			!strings.Contains(res.Rejected[0].Reason(), "官方导出") {
			t.Fatalf("manual list: %+v", res.Rejected)
		}
		// From an official export: kept, flagged.
		res = e.importCSV(t, registry.ImportOptions{Official: true}, header, row)
		if res.Import.New != 1 {
			t.Fatalf("official export: %+v %v", res.Import, res.Rejected)
		}
		if d, _ := e.svc.Find(ctx, e.admin, codeBad); d.USCCFlag != "check" {
			t.Errorf("flag = %q", d.USCCFlag)
		}
		page, total, err := e.svc.Search(ctx, e.admin, registry.Filter{Flagged: true})
		if err != nil || total != 1 || page[0].USCC != codeBad {
			t.Errorf("flagged search: %v %d %v", page, total, err)
		}
		// A firm new to the directory needs a name, class and town.
		res = e.importCSV(t, registry.ImportOptions{Official: true, Mode: table.ValidRows},
			"统一社会信用代码,所在楼宇", codeA+",金融广场A座")
		if res.Import.Rejected != 1 || !strings.Contains(res.Rejected[0].Reason(), "新增企业须填写单位名称、行业代码、所在镇街(园区)") {
			t.Errorf("new firm without fields: %+v", res.Rejected)
		}
	})
}

func TestHeaderProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, tt := range []struct {
			name  string
			lines []string
			want  string
		}{
			{"no header", []string{"a,b,c", "1,2,3"}, "没有找到表头"},
			{"duplicate columns", []string{"统一社会信用代码,企业名称,单位名称", "x,y,z"}, "第2列“企业名称”和第3列“单位名称”都是单位名称"},
			{"empty file", nil, "没有找到表头"},
		} {
			_, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, rowsOf(tt.lines...), table.File{Name: "x.csv"}, registry.ImportOptions{})
			if err == nil || apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("%s: %v, want Invalid with %q", tt.name, err, tt.want)
			}
		}
	})
}

func TestImportRevenueAndLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		e.importCSV(t, registry.ImportOptions{Official: true}, header,
			codeA+",甲科技,7320,白马镇,2015-06-01,未纳统,",    // existing firm
			codeB+",乙物流,5810,白马镇,2026-02-10,未纳统,",    // new this year
			codeC+",丙旅行社,7291,白马镇,2010-01-01,规上服务业,", // already in
		)
		imp := func(opts registry.ImportOptions, lines ...string) *registry.ImportResult {
			t.Helper()
			res, err := e.svc.ImportRevenue(ctx, e.actor, e.admin, rowsOf(lines...), table.File{Name: "税务.csv"}, opts)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		opts := registry.ImportOptions{RevenueSource: registry.SourceTax, Mode: table.ValidRows}
		res := imp(opts, "统一社会信用代码,期间,营业收入(万元)",
			codeA+",2025,1200",         // existing firm above 1000 last year: 应统未统
			codeB+",2026-04,700",       // new firm, 700 in Feb–Apr: pool
			codeC+",2025,5000",         // in the statistics already: neither list
			codeD+",2025,100",          // not in the directory
			codeA+",2026-04,-1",        // negative
			codeA+",2026-04,1.0000001") // finer than a fen
		if got := counts(res.Import); got != [5]int{6, 3, 0, 0, 3} {
			t.Fatalf("revenue: %v %v", got, res.Rejected)
		}
		var reasons []string
		for _, r := range res.Rejected {
			reasons = append(reasons, r.Reason())
		}
		for _, want := range []string{"名录库中没有统一社会信用代码为" + codeD, "营业收入不能为负数", "精度超过1分"} {
			if !strings.Contains(strings.Join(reasons, ";"), want) {
				t.Errorf("rejections %v lack %q", reasons, want)
			}
		}
		// The same figures again: nothing new; a corrected one: version 2.
		res = imp(opts, "统一社会信用代码,期间,营业收入(万元)", codeA+",2025,1200", codeB+",2026-04,701")
		if got := counts(res.Import); got != [5]int{2, 0, 1, 1, 0} {
			t.Errorf("revenue again: %v", got)
		}
		d, _ := e.svc.Find(ctx, e.admin, codeB)
		if len(d.Revenue) != 2 || d.Revenue[0].Version != 2 || d.Revenue[0].AmountFen != 701_000_000 || d.Revenue[1].AmountFen != 700_000_000 {
			t.Errorf("firm B revenue versions: %+v", d.Revenue)
		}
		// A unit must be known.
		if _, err := e.svc.ImportRevenue(ctx, e.actor, e.admin, rowsOf("统一社会信用代码,期间,营业收入", codeA+",2025,1"), table.File{}, opts); err == nil ||
			!strings.Contains(apperr.Message(err), "未注明单位") {
			t.Errorf("no unit: %v", err)
		}

		unlisted, pool, err := e.svc.Lists(ctx, e.admin, registry.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(unlisted) != 1 || unlisted[0].USCC != codeA || !strings.Contains(unlisted[0].Reason, "应统未统") {
			t.Errorf("应统未统: %+v", unlisted)
		}
		// 5810 多式联运 is in 门类G: 2000万. 701 in Feb–Apr: ⌈2000×3/701⌉ = 9 months
		// from February: October; counted from November.
		if len(pool) != 1 || pool[0].USCC != codeB || pool[0].Entry != "2026-11" {
			t.Errorf("培育库: %+v", pool)
		}
	})
}

func TestFirmDataScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		e.importCSV(t, registry.ImportOptions{Official: true}, header,
			codeA+",甲,7320,白马镇,,,", // 科技服务: 工科局 leads
			codeB+",乙,5211,大泗镇,,,", // 零售 → 居民服务: 商务局 leads
			codeC+",丙,7291,白马镇,,,") // 旅行社 → 文体旅游: 商务局 supports
		for _, tt := range []struct {
			name string
			u    *auth.User
			want int // firms seen, or -1 for refused
		}{
			{"statistician", &auth.User{Role: auth.RoleStatistician}, 3},
			{"town statistician", &auth.User{Role: auth.RoleStatistician, Unit: "321203101"}, 2},
			{"commerce bureau", &auth.User{Role: auth.RoleStatistician, Unit: "commerce"}, 2},
			{"industry bureau", &auth.User{Role: auth.RoleStatistician, Unit: "industry-innovation"}, 1},
			{"leader without grant", &auth.User{Role: auth.RoleLeader}, -1},
			{"leader with grant", &auth.User{Role: auth.RoleLeader, FirmAccess: true}, 3},
			{"reporter", &auth.User{Role: auth.RoleReporter, Unit: "321203101"}, -1},
		} {
			_, total, err := e.svc.Search(ctx, tt.u, registry.Filter{})
			switch {
			case tt.want < 0 && apperr.KindOf(err) != apperr.Forbidden:
				t.Errorf("%s: %v, want Forbidden", tt.name, err)
			case tt.want >= 0 && (err != nil || total != tt.want):
				t.Errorf("%s: %d firms (%v), want %d", tt.name, total, err, tt.want)
			}
		}
		if _, err := e.svc.Find(ctx, &auth.User{Role: auth.RoleStatistician, Unit: "321203104"}, codeA); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("大泗镇 reading a 白马镇 firm: %v", err)
		}
		if _, err := e.svc.ImportEnterprises(ctx, e.actor, &auth.User{Role: auth.RoleLeader, FirmAccess: true}, rowsOf(header), table.File{}, registry.ImportOptions{}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("leader importing: %v", err)
		}
	})
}

var _ = context.Background

// TestImportFixtures imports the hand-made fixtures of testdata as a user
// would upload them: a bureau's export with a title above its header, and
// revenue figures in 万元.
func TestImportFixtures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		open := func(name string) xlsx.RowReader {
			t.Helper()
			f, err := os.Open(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			info, _ := f.Stat()
			rows, _, err := xlsx.Open(f, info.Size(), name, xlsx.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, open("enterprises.csv"), table.File{Name: "enterprises.csv"},
			registry.ImportOptions{Official: true})
		if err != nil || counts(res.Import) != [5]int{4, 4, 0, 0, 0} {
			t.Fatalf("enterprises: %v %+v %v", err, res.Import, res.Rejected)
		}
		d, err := e.svc.Find(t.Context(), e.admin, codeD)
		if err != nil {
			t.Fatal(err)
		}
		if d.Unit != "321203007" || d.RegisteredOn != "2021-04-01" || d.Register != registry.RegisterTrade || d.IncludedOn != "2022-01" {
			t.Errorf("丁: %+v", d.Enterprise)
		}
		res, err = e.svc.ImportRevenue(t.Context(), e.actor, e.admin, open("revenue.csv"), table.File{Name: "revenue.csv"},
			registry.ImportOptions{})
		if err != nil || counts(res.Import) != [5]int{3, 3, 0, 0, 0} {
			t.Fatalf("revenue: %v %+v %v", err, res.Import, res.Rejected)
		}
		d, _ = e.svc.Find(t.Context(), e.admin, codeC)
		if len(d.Revenue) != 2 || d.Revenue[0].Period != "2026-03" || d.Revenue[0].AmountFen != 2_605_000_00 {
			t.Errorf("丙's revenue: %+v", d.Revenue)
		}
	})
}

// TestImportKeepsText: names and addresses come back exactly as sent,
// whatever characters they hold (PostgreSQL's COPY escapes some).
func TestImportKeepsText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		name := `泰州\甲"科技"	有限公司\N`
		addr := "江苏省泰州市\r\n高港区 \\t 路"
		rows := table.FromSlices([][]string{
			{"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "详细地址"},
			{codeA, name, "7320", "白马镇", addr},
		})
		res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, rows, table.File{Name: "x.csv"}, registry.ImportOptions{Official: true})
		if err != nil || res.Import.New != 1 {
			t.Fatalf("import: %v %+v %v", err, res.Import, res.Rejected)
		}
		d, err := e.svc.Find(t.Context(), e.admin, codeA)
		if err != nil {
			t.Fatal(err)
		}
		if d.Name != name || d.Address != addr {
			t.Errorf("got name %q address %q", d.Name, d.Address)
		}
	})
}

// TestExportPagesByKey: an export larger than one page holds every firm
// once, in USCC order.
func TestExportPagesByKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var buf bytes.Buffer
		if err := xlsxtest.WriteEnterprisesCSV(&buf, 12_000, 3); err != nil {
			t.Fatal(err)
		}
		rows, _, err := xlsx.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "x.csv", xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, rows, table.File{Name: "x.csv"}, registry.ImportOptions{Official: true})
		if err != nil || res.Import.New != 12_000 {
			t.Fatalf("import: %v %+v", err, res.Import)
		}
		var n int
		last := ""
		err = e.svc.Export(t.Context(), e.admin, registry.Filter{}, func(f registry.Enterprise) error {
			if f.USCC <= last {
				t.Fatalf("export out of order: %s after %s", f.USCC, last)
			}
			last = f.USCC
			n++
			return nil
		})
		if err != nil || n != 12_000 {
			t.Errorf("exported %d firms, %v; want 12000", n, err)
		}
	})
}
