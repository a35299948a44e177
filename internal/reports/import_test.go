package reports_test

import (
	"io"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/industry"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
	"svcplan/plans"
)

var now = time.Date(2025, 10, 20, 9, 0, 0, 0, time.UTC)

// The four firms of testdata/f203-20250009.csv (check characters right).
const (
	codeA = "91350100M000100Y43" // 7320, 白马镇
	codeB = "91321203MA10012200" // 5810, 永安洲镇
	codeC = "913212710747283018" // 7291, old 凤凰街道 code; the file gives only its organisation code 074728301
	codeD = "91321271MA1ME3WD3Q" // 5211, 沿江街道
)

type env struct {
	svc   *reports.Service
	store *store.ReportStore
	db    *store.DB
	stat  *auth.User
	actor audit.Actor
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := t.Context()
	clock := func() time.Time { return now }
	plansSvc := plan.NewService(store.NewPlanStore(db), clock)
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plansSvc.Load(ctx, audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, store: store.NewReportStore(db), stat: &auth.User{ID: 1, Username: "stat", Role: auth.RoleStatistician},
		actor: audit.Actor{UserID: 1, Name: "stat", Role: "statistician"}}
	e.svc = reports.NewService(e.store, plansSvc, clock)

	ref := registry.Reference{Table: industry.Default(), Thresholds: industry.DefaultThresholds(), Crosswalk: industry.DefaultCrosswalk()}
	dir := registry.NewService(store.NewRegistryStore(db), plansSvc, func() registry.Reference { return ref }, clock)
	firms := rowsOf(
		"统一社会信用代码,单位详细名称,行业代码,所在镇街,纳统状态",
		codeA+",泰州甲科技有限公司,7320,白马镇,规上服务业",
		codeB+",泰州乙物流有限公司,5810,321203100,规上服务业",
		codeC+",泰州丙旅行社有限公司,7291,321271001,规上服务业",
		codeD+",泰州丁商贸有限公司,5211,沿江街道,限上批零住餐",
	)
	res, err := dir.ImportEnterprises(ctx, e.actor, e.stat, firms, table.File{Name: "名录.csv"}, registry.ImportOptions{Official: true})
	if err != nil || res.Import.New != 4 {
		t.Fatalf("directory: %+v %v", res, err)
	}
	return e
}

// rowsOf splits lines of comma-separated cells into a table.
func rowsOf(lines ...string) *table.Slices {
	var rows [][]string
	for _, l := range lines {
		rows = append(rows, strings.Split(l, ","))
	}
	return table.FromSlices(rows)
}

// fixture reads testdata/f203-20250009.csv, with a cell changed if asked.
func fixture(t *testing.T, edit func([][]string), add ...func([][]string) [][]string) *table.Slices {
	t.Helper()
	f, err := os.Open("testdata/f203-20250009.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	rr, _, err := xlsx.Open(f, st.Size(), "f203-20250009.csv", xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for {
		cells, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]string(nil), cells...))
	}
	if edit != nil {
		edit(out)
	}
	for _, a := range add {
		out = a(out)
	}
	return table.FromSlices(out)
}

func (e *env) importRows(t *testing.T, rows table.Rows, mode table.Mode) *reports.Result {
	t.Helper()
	form, _ := reports.FormByCode("F203")
	res, err := e.svc.Import(t.Context(), e.actor, e.stat, rows, table.File{Name: "f203.csv", SHA256: "h"},
		reports.Options{Form: form, Period: 202509, Mode: mode})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func counts(imp reports.Import) [5]int {
	return [5]int{imp.Read, imp.New, imp.Changed, imp.Same, imp.Rejected}
}

func TestImportF203(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		res := e.importRows(t, fixture(t, nil), "")
		if got := counts(res.Import); got != [5]int{4, 4, 0, 0, 0} || res.Import.Outcome != "ok" {
			t.Fatalf("read/new/changed/same/rejected = %v, %s: %v", got, res.Import.Message, res.Rejected)
		}

		reps, err := e.store.Reports(ctx, reports.Query{Form: "F203", Periods: []reports.Period{202509}})
		if err != nil || len(reps) != 4 {
			t.Fatalf("reports: %d, %v", len(reps), err)
		}
		byCode := map[string]reports.Report{}
		for _, r := range reps {
			byCode[r.USCC] = r
		}
		// 12345.678 千元 = 12,345,678 元 = 1,234,567,800 分; 80.25 千元 = 8,025,000 分.
		a := byCode[codeA]
		if a.Values[reports.Revenue] != (reports.Value{Cur: 1_234_567_800, Prev: 1_000_000_000, HasCur: true, HasPrev: true}) ||
			a.Values[reports.Taxes].Cur != 8_025_000 || a.Values[reports.Employees] != (reports.Value{Cur: 56, HasCur: true}) ||
			a.Unit != "321203101" || a.Division != "73" || a.Version != 1 {
			t.Errorf("firm A: %+v", a)
		}
		// B left 上年同期 blank: no value, not zero.
		if b := byCode[codeB].Values[reports.Revenue]; b.HasPrev || b.Cur != 500_000_000 {
			t.Errorf("firm B revenue: %+v", b)
		}
		// C came by its organisation code and the pre-2021 area code.
		if c := byCode[codeC]; c.Unit != "321203004" || c.Industry != "7291" {
			t.Errorf("firm C: unit %s industry %s", c.Unit, c.Industry)
		}

		rolls, err := e.store.Rollups(ctx, reports.Query{Form: "F203", Periods: []reports.Period{202509}})
		if err != nil || len(rolls) != 4 {
			t.Fatalf("rollups: %d, %v", len(rolls), err)
		}
		all := reports.GroupBy(rolls, func(*reports.Rollup) string { return "" })[0]
		// Σ1-本月 = 12345.678 + 5000 + 3000.1 + 0 = 20345.778 千元; Σ上年同期 = 10000 + 2500 + 100 = 12600 千元
		// (B has none); growth = 20345.778 / 12600 − 1 = 7745.778 / 12600.
		if all.Firms != 4 || all.FirmsPrev != 3 || all.Sums[reports.Revenue] != (reports.Sum{Cur: 2_034_577_800, Prev: 1_260_000_000}) {
			t.Errorf("district total: %+v", all)
		}
		g, ok := all.Growth(reports.Revenue)
		if want := big.NewRat(7_745_778, 12_600_000); !ok || g.Cmp(want) != 0 {
			t.Errorf("growth = %v, want %v (61.47%%)", g, want)
		}
		// 营业成本 Σ = 8000.5 + 4100 + 2000 + 0 = 14100.5 千元; 上年 7000 + 1900 + 90 = 8990.
		if s := all.Sums[reports.Cost]; s != (reports.Sum{Cur: 1_410_050_000, Prev: 899_000_000}) {
			t.Errorf("cost: %+v", s)
		}

		// The same file again changes nothing.
		res = e.importRows(t, fixture(t, nil), "")
		if got := counts(res.Import); got != [5]int{4, 0, 0, 4, 0} {
			t.Errorf("again: %v", got)
		}
		// A revised figure makes version 2 and keeps version 1.
		res = e.importRows(t, fixture(t, func(rows [][]string) { rows[2][3] = "12400" }), "")
		if got := counts(res.Import); got != [5]int{4, 0, 1, 3, 0} {
			t.Fatalf("revision: %v %v", got, res.Rejected)
		}
		reps, _ = e.store.Reports(ctx, reports.Query{Form: "F203", Unit: "321203101"})
		if len(reps) != 1 || reps[0].Version != 2 || reps[0].Values[reports.Revenue].Cur != 1_240_000_000 {
			t.Errorf("revised: %+v", reps)
		}
		hist, err := e.store.History(ctx, codeA)
		if err != nil || len(hist) != 2 || hist[0].Version != 2 || hist[1].Version != 1 ||
			hist[1].Values[reports.Revenue].Cur != 1_234_567_800 {
			t.Errorf("history: %+v %v", hist, err)
		}
		rolls, _ = e.store.Rollups(ctx, reports.Query{Form: "F203", Unit: "321203101"})
		if len(rolls) != 1 || rolls[0].Sums[reports.Revenue].Cur != 1_240_000_000 {
			t.Errorf("rollup after revision: %+v", rolls)
		}
	})
}

func TestImportRefusesBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		bad := fixture(t, func(rows [][]string) {
			rows[2][0] = "320506001001" // A: 数据处理地 in another county
			rows[3][3] = "-5"           // B: negative revenue
			rows[4][1] = "999999999"    // C: unknown organisation code
			rows[5][11] = "十二"          // D: headcount not a number
		}, func(rows [][]string) [][]string {
			rows = append(rows, append([]string(nil), rows[2]...))
			rows[6][0] = "321203101200" // a duplicate of A, with a valid area
			return rows
		})
		res := e.importRows(t, bad, "")
		if res.Import.Outcome != "failed" || res.Import.Rejected != 5 || res.Import.New != 0 {
			t.Fatalf("outcome %s, rejected %d: %s", res.Import.Outcome, res.Import.Rejected, res.Import.Message)
		}
		want := []string{
			"第3行第1列(数据处理地): 数据处理地320506001001不属于本区任何镇(街道)、园区",
			"第4行第4列(1-本月;营业收入;千元): 营业收入不能为负数(-5)",
			"第5行第2列(组织机构代码): 代码999999999在名录库中找不到,请先导入或补录该企业",
			"第6行第12列(期末用工人数;人): 人数“十二”应为整数",
			"第7行: 代码91350100M000100Y43与第3行重复",
		}
		got := map[string]bool{}
		for _, r := range res.Rejected {
			got[r.Reason()] = true
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("missing rejection %q; got %v", w, got)
			}
		}
		if reps, _ := e.store.Reports(ctx, reports.Query{}); len(reps) != 0 {
			t.Errorf("a failed import wrote %d reports", len(reps))
		}
		// Importing the valid rows only writes them and rejects the others.
		good := fixture(t, func(rows [][]string) { rows[3][3] = "-5" })
		res = e.importRows(t, good, table.ValidRows)
		if got := counts(res.Import); got != [5]int{4, 3, 0, 0, 1} || res.Import.Outcome != "ok" {
			t.Errorf("valid rows: %v %s", got, res.Import.Message)
		}
		imps, err := e.store.ReportImports(ctx, 10)
		if err != nil || len(imps) != 2 || imps[1].Outcome != "failed" || imps[0].Outcome != "ok" {
			t.Errorf("imports: %+v %v", imps, err)
		}
	})
}

func TestHeaderProblems(t *testing.T) {
	form, _ := reports.FormByCode("F203")
	cases := []struct {
		header []string
		want   string
	}{
		{[]string{"数据处理地", "单位详细名称", "1-本月;营业收入;千元", "上年同期;营业收入;千元"},
			"第1行不是F203(服务业企业财务状况)的表头: 缺少统一社会信用代码(或组织机构代码)"},
		{[]string{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月;营业收入;千元"},
			"第1行不是F203(服务业企业财务状况)的表头: 缺少上年同期;营业收入;千元"},
		{[]string{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月;营业收入;千元", "上年同期;营业收入;千元", "本年累计;营业收入;万元"},
			"第1行: 第6列“本年累计;营业收入;万元”与第4列“1-本月;营业收入;千元”是同一指标"},
		{[]string{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月;营业收入;人", "上年同期;营业收入;千元"},
			"第1行第4列表头“1-本月;营业收入;人”: 金额的单位应为千元、万元或元,实际为“人”"},
	}
	for _, c := range cases {
		_, err := reports.ReadLayout(form, c.header, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.header, err, c.want)
		}
	}
	// Full-width semicolons and spaces, units in 万元, an unknown item.
	l, err := reports.ReadLayout(form, []string{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月；营业收入； 万元",
		"上年同期;营业收入;万元", "1-本月;研发费用;千元", "上年同期;期末用工人数;人"}, 1)
	if err != nil || len(l.Values) != 3 || l.Values[0].Unit != money.WanYuan || !l.Values[2].Prev || l.Values[2].Measure != reports.Employees {
		t.Errorf("layout: %+v %v", l, err)
	}
}

func TestParsePeriodCode(t *testing.T) {
	cases := []struct {
		in   string
		want reports.Period
		err  string
	}{
		{"20250009", 202509, ""},
		{"2025-12", 202512, ""},
		{"202502", 202502, ""},
		{"20250001", 0, "1月数据免报"},
		{"20251300", 0, "应为YYYY00MM"},
		{"2025-13", 0, "月份13不在2-12之间"},
		{"18990009", 0, "年份1899不合理"},
	}
	for _, c := range cases {
		got, err := reports.ParsePeriodCode(c.in)
		if got != c.want || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("ParsePeriodCode(%q) = %v, %v; want %v, %q", c.in, got, err, c.want, c.err)
		}
	}
	if p := reports.Period(202502); p.Label() != "2025年1-2月" || p.MonthLabel() != "2025年1-2月" || p.Prev() != 0 {
		t.Errorf("1-2月: %s %s %v", p.Label(), p.MonthLabel(), p.Prev())
	}
	if p := reports.Period(202509); p.MonthLabel() != "2025年9月" || p.Prev() != 202508 || p.LastYear() != 202409 {
		t.Errorf("9月: %s %v %v", p.MonthLabel(), p.Prev(), p.LastYear())
	}
}

func TestGuessFromName(t *testing.T) {
	cases := []struct {
		name   string
		form   string
		period reports.Period
	}{
		{"321203_F203_20250009_服务业基层表.xlsx", "F203", 202509},
		{"429021_E204-1_1-6月批发零售商品销售和库存基层表.csv", "E204-1", 0},
		{"S204-1 2025年1-6月住宿餐饮.xlsx", "S204-1", 202506},
		{"f203-20250009.csv", "F203", 202509},
		{"名录 2025.xlsx", "", 0},
		{"F203_202500012.csv", "F203", 0}, // nine digits: not a period code
	}
	for _, c := range cases {
		form, period := reports.GuessFromName(c.name)
		code := ""
		if form != nil {
			code = form.Code
		}
		if code != c.form || period != c.period {
			t.Errorf("GuessFromName(%q) = %s, %v; want %s, %v", c.name, code, period, c.form, c.period)
		}
	}
}

func TestParks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		// 甲 is in 生物医药产业园 from 2025-01; 乙's village joins 高端装备制造产业园
		// only from 2025-10, after the period imported below.
		n, err := e.svc.LoadParks(ctx, e.actor, e.stat, rowsOf(
			"园区,类型,代码,起始月份,终止月份",
			"生物医药产业园,企业,"+codeA+",2025-01,",
			"321203400,村社区,321203100201,2025-10,",
		), "园区名单.csv")
		if err != nil || n != 2 {
			t.Fatalf("load: %d %v", n, err)
		}
		e.importRows(t, fixture(t, nil), "")
		reps, err := e.store.Reports(ctx, reports.Query{Form: "F203"})
		if err != nil {
			t.Fatal(err)
		}
		units := map[string]string{}
		for _, r := range reps {
			units[r.USCC] = r.Unit
		}
		if units[codeA] != "321203401" || units[codeB] != "321203100" {
			t.Errorf("units: 甲 %s (want the park 321203401), 乙 %s (want its town 321203100)", units[codeA], units[codeB])
		}
		// A later line for the same firm wins for the months it covers.
		p := reports.NewParks([]reports.ParkMember{
			{Park: "P1", Kind: reports.MemberFirm, Member: codeA, ValidFrom: "2024-01"},
			{Park: "P2", Kind: reports.MemberFirm, Member: codeA, ValidFrom: "2025-07", ValidTo: "2025-12"},
			{Park: "P3", Kind: reports.MemberVillage, Member: "321203101200", ValidFrom: "2020-01"},
		})
		for _, c := range []struct {
			per  reports.Period
			want string
		}{{202506, "P1"}, {202509, "P2"}, {202602, "P1"}} {
			if got, _ := p.Of(codeA, "321203101200", c.per); got != c.want {
				t.Errorf("%s: %s, want %s", c.per.Label(), got, c.want)
			}
		}
		if got, _ := p.Of(codeB, "321203101200", 202509); got != "P3" {
			t.Errorf("by village: %s, want P3", got)
		}
	})
}

func TestReadParkMembersProblems(t *testing.T) {
	st, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	_, err = reports.ReadParkMembers(rowsOf(
		"园区,类型,代码,起始月份,终止月份",
		"白马镇,企业,"+codeA+",2025-01,",
		"生物医药产业园,工厂,"+codeA+",2025-01,",
		"生物医药产业园,村社区,3212031002,2025-13,",
		"生物医药产业园,企业,"+codeA+",2025-06,2025-01",
	), st.Plan, "x.csv")
	for _, want := range []string{
		"第2行第1列(园区): “白马镇”不是本方案的园区",
		"第3行第2列(类型): 类型应为“企业”或“村社区”,实际为“工厂”",
		"第4行第3列(代码): 村(社区)代码应为12位数字,实际为“3212031002”",
		"第4行第4列(起始月份): 起始月份应为YYYY-MM,实际为“2025-13”",
		"第5行第5列(终止月份): 终止月份应为YYYY-MM且不早于起始月份,实际为“2025-01”",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}
