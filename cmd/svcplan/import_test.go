package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // driver "sqlite", to look into the database

	"svcplan/internal/store/storetest"
	"svcplan/internal/xlsx/xlsxtest"
)

// TestMain lets the test binary stand in for svcplan in child processes:
// with SVCPLAN_TEST_RUN set it runs the command line that follows it.
func TestMain(m *testing.M) {
	if args := os.Getenv("SVCPLAN_TEST_RUN"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr, func(string) string { return "" }))
	}
	os.Exit(m.Run())
}

func TestImportCommand(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "名录.csv")
	os.WriteFile(file, []byte("统一社会信用代码,单位详细名称,行业代码,所在镇街\n"+
		"91350100M000100Y43,泰州甲科技有限公司,7320,白马镇\n"+
		"91321203MA10012200,泰州乙物流有限公司,5810,火星镇\n"), 0o644)
	code, out, errs := svcplan(t, "import", "enterprises", "--db", db, file)
	if code != 1 || !strings.Contains(out, "第3行第4列(所在镇街): “火星镇”不是本区的镇(街道)或园区") ||
		!strings.Contains(errs, "按“全部正确才导入”未导入任何数据") {
		t.Errorf("all-or-nothing: exit %d\n%s%s", code, out, errs)
	}
	rejects := filepath.Join(dir, "名录-未导入.xlsx")
	if _, err := os.Stat(rejects); err != nil {
		t.Errorf("rejected rows file: %v", err)
	}
	code, out, errs = svcplan(t, "import", "enterprises", "--db", db, "--mode", "valid", file)
	if code != 0 || !strings.Contains(out, "读取2行:新增1,变更0,无变化0,拒绝1") {
		t.Errorf("valid rows: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := svcplan(t, "import", "enterprises", "--db", db, "--mode", "some", file); code != 2 || !strings.Contains(errs, "--mode") {
		t.Errorf("bad mode: exit %d %s", code, errs)
	}
}

// TestImportReportsCommand imports a report file whose name gives its
// form and period, then the same file again.
func TestImportReportsCommand(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	firms := filepath.Join(dir, "名录.csv")
	os.WriteFile(firms, []byte("统一社会信用代码,单位详细名称,行业代码,所在镇街\n"+
		"91350100M000100Y43,泰州甲科技有限公司,7320,白马镇\n"), 0o644)
	if code, out, errs := svcplan(t, "import", "enterprises", "--db", db, firms); code != 0 {
		t.Fatalf("directory: exit %d\n%s%s", code, out, errs)
	}
	file := filepath.Join(dir, "321203_F203_20250009.csv")
	os.WriteFile(file, []byte("数据处理地,统一社会信用代码,单位详细名称,1-本月;营业收入;千元,上年同期;营业收入;千元\n"+
		"321203101200,91350100M000100Y43,泰州甲科技有限公司,1200.5,1000\n"), 0o644)
	code, out, errs := svcplan(t, "import", "reports", "--db", db, file)
	if code != 0 || !strings.Contains(out, "F203 2025年1-9月: 读取1行,新增1,修订0,无变化0,拒绝0") {
		t.Errorf("import: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = svcplan(t, "import", "reports", "--db", db, "--period", "2025-10", file)
	if code != 0 || !strings.Contains(out, "F203 2025年1-10月: 读取1行,新增1") {
		t.Errorf("--period: exit %d\n%s%s", code, out, errs)
	}
	other := filepath.Join(dir, "报表.csv")
	os.WriteFile(other, []byte("x\n"), 0o644)
	if code, _, errs := svcplan(t, "import", "reports", "--db", db, other); code != 2 || !strings.Contains(errs, "--form") {
		t.Errorf("no form: exit %d %s", code, errs)
	}
}

// TestImportKilled kills an import mid-way with SIGKILL and checks that the
// directory is exactly as before: the import is one transaction.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 rows")
	}
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		write := func(name string, n int, seed int64) string {
			var buf bytes.Buffer
			if err := xlsxtest.WriteEnterprisesCSV(&buf, n, seed); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			os.WriteFile(path, buf.Bytes(), 0o644)
			return path
		}
		small, big := write("small.csv", 500, 7), write("big.csv", 100_000, 8)
		if code, out, errs := svcplan(t, "plan", "load", "--db", dsn, shippedPlan); code != 0 {
			t.Fatalf("plan load: %d\n%s%s", code, out, errs)
		}
		// Into an empty directory (where SQLite drops its indexes for the
		// bulk load), then into one with firms the file changes.
		killImport(t, dsn, big)
		if code, out, errs := svcplan(t, "import", "enterprises", "--db", dsn, "--mode", "valid", small); code != 0 {
			t.Fatalf("first import: %d\n%s%s", code, out, errs)
		}
		killImport(t, dsn, big)
		// The lock went with the process: the next import runs.
		if code, out, errs := svcplan(t, "import", "enterprises", "--db", dsn, "--mode", "valid", small); code != 0 || !strings.Contains(out, "无变化") {
			t.Errorf("import after the kill: %d\n%s%s", code, out, errs)
		}
	})
}

// killImport starts importing file in a child process, kills it with
// SIGKILL once it has read 40,000 rows (by then batches are written) and
// checks the database is as before.
func killImport(t *testing.T, dsn, file string) {
	t.Helper()
	before := snapshot(t, dsn)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SVCPLAN_TEST_RUN="+strings.Join([]string{"import", "enterprises", "--db", dsn, "--mode", "valid", file}, "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	progress := regexp.MustCompile(`已读取 (\d+) 行`)
	sc := bufio.NewScanner(stderr)
	sc.Split(scanCR)
	killed := false
	for sc.Scan() {
		if m := progress.FindStringSubmatch(sc.Text()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= 40_000 {
				cmd.Process.Kill()
				killed = true
				break
			}
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("the import ended before it could be killed: %v", err)
	}
	if after := snapshot(t, dsn); after != before {
		t.Errorf("database changed by a killed import:\nbefore %s\nafter  %s", before, after)
	}
}

// scanCR splits progress output on carriage returns as well as newlines.
func scanCR(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// snapshot summarises every table an import writes.
func snapshot(t *testing.T, dsn string) string {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var parts []string
	for _, q := range []string{
		`SELECT COUNT(*) FROM enterprises`,
		`SELECT COUNT(*) FROM enterprise_versions`,
		`SELECT COUNT(*) FROM imports`,
		`SELECT COUNT(*) FROM audit_log`,
		`SELECT COALESCE(SUM(version), 0) FROM enterprises`,
		`SELECT COALESCE(MAX(name), '') FROM enterprises`,
		`SELECT COUNT(*) FROM enterprises WHERE unit_code = '321203101'`, // by the index, where there is one
	} {
		var v string
		if err := db.QueryRowContext(t.Context(), q).Scan(&v); err != nil && err != sql.ErrNoRows {
			t.Fatalf("%s: %v", q, err)
		}
		parts = append(parts, v)
	}
	if strings.HasSuffix(dsn, ".db") {
		var indexes string
		db.QueryRowContext(t.Context(), `SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enterprises'`).Scan(&indexes)
		parts = append(parts, indexes)
		var res string
		if err := db.QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
			t.Errorf("integrity check: %q %v", res, err)
		}
	}
	return strings.Join(parts, " ")
}

// TestIndustryLoad loads an amended industry table: a broken one is
// refused with its line, a good one becomes a new version and applies to
// imports from the next start.
func TestIndustryLoad(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	orig, err := os.ReadFile("../../internal/industry/data/gbt4754-2017.csv")
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.csv")
	os.WriteFile(broken, bytes.Replace(orig, []byte("7320,class,工程和技术研究和试验发展,732"), []byte("7320,class,工程和技术研究和试验发展,999"), 1), 0o644)
	if code, out, errs := svcplan(t, "industry", "load", "--db", db, broken); code != 1 || !strings.Contains(errs, "未载入") || !strings.Contains(errs, "999") {
		t.Errorf("broken table: %d\n%s%s", code, out, errs)
	}
	// An amendment that renames a class (a test stand-in for the 2019 修改单).
	amended := filepath.Join(dir, "gbt4754-2019.csv")
	os.WriteFile(amended, bytes.Replace(orig, []byte("7320,class,工程和技术研究和试验发展"), []byte("7320,class,工程和技术研究和试验发展(修订)"), 1), 0o644)
	if code, out, errs := svcplan(t, "industry", "load", "--db", db, amended); code != 0 || !strings.Contains(out, "第1版") {
		t.Fatalf("amended table: %d\n%s%s", code, out, errs)
	}
	if code, out, _ := svcplan(t, "industry", "show", "--db", db); code != 0 || !strings.Contains(out, "国民经济行业分类(GB/T 4754): 第1版 gbt4754-2019.csv") ||
		!strings.Contains(out, "四上企业规模标准: 内置版本") {
		t.Errorf("show: %d\n%s", code, out)
	}
	cfg, _ := baseConfig(func(string) string { return "" })
	cfg.DB = db
	a, err := openApp(t.Context(), cfg, false, newLogger(cfg, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if got := a.Registry.Ref().IndustryName("7320"); got != "工程和技术研究和试验发展(修订)" {
		t.Errorf("class 7320 after the load: %q", got)
	}
}

// TestParksCommand loads a park mapping, refuses a wrong one whole, and
// lists what is in force.
func TestParksCommand(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "园区.csv")
	os.WriteFile(good, []byte("园区,类型,代码,起始月份,终止月份\n生物医药产业园,企业,91350100M000100Y43,2025-01,\n"), 0o644)
	if code, out, errs := svcplan(t, "parks", "load", "--db", db, good); code != 0 || !strings.Contains(out, "已载入1行") {
		t.Errorf("load: exit %d\n%s%s", code, out, errs)
	}
	bad := filepath.Join(dir, "错.csv")
	os.WriteFile(bad, []byte("园区,类型,代码,起始月份,终止月份\n火星园,企业,91350100M000100Y43,2025-01,\n"), 0o644)
	if code, _, errs := svcplan(t, "parks", "load", "--db", db, bad); code != 1 || !strings.Contains(errs, "“火星园”不是本方案的园区") {
		t.Errorf("bad file: exit %d %s", code, errs)
	}
	if code, out, _ := svcplan(t, "parks", "list", "--db", db); code != 0 || !strings.Contains(out, "321203401") ||
		strings.Count(out, "\n") != 2 {
		t.Errorf("list: exit %d\n%s", code, out)
	}
}

// TestImportValuesCommand imports a bureau's released figures as published
// values; a file with one wrong row saves nothing.
func TestImportValuesCommand(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "增加值-错.csv")
	os.WriteFile(bad, []byte("指标,单位,期别,数值,价格口径\n服务业增加值,,2025Q3,462.40,现价\n服务业增加值,,2025Q4,九百,现价\n"), 0o644)
	code, _, errs := svcplan(t, "import", "values", "--db", db, "--publish", bad)
	if code != 1 || !strings.Contains(errs, "第3行: 数值“九百”应为十进制数") {
		t.Errorf("bad file: exit %d\n%s", code, errs)
	}
	good := filepath.Join(dir, "增加值.csv")
	os.WriteFile(good, []byte("指标,单位,期别,数值,价格口径,发布日期,核算阶段\n服务业增加值,,2025Q3,462.40,现价,2025-10-20,初步核算\n"+
		"SVC_VALUE_ADDED_GROWTH,泰州医药高新区(高港区),2025Q3,5.8,不变价,2025-10-20,初步核算\n"), 0o644)
	code, out, errs := svcplan(t, "import", "values", "--db", db, "--publish", good)
	if code != 0 || !strings.Contains(out, "已导入2个指标数值") {
		t.Errorf("import: exit %d\n%s%s", code, out, errs)
	}
}

// TestImportProjectsCommand imports a project list, then the bureau's
// 固定资产投资 of a month for it.
func TestImportProjectsCommand(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	list := filepath.Join(dir, "项目清单.csv")
	os.WriteFile(list, []byte("项目编号,项目名称,建设单位,服务领域,所在镇街(园区),牵头单位,计划总投资(亿元)\n"+
		"GG-2026-001,港口综合物流枢纽项目,泰州某港务有限公司,商贸流通业,永安洲镇,区商务局,3.5\n"), 0o644)
	if code, out, errs := svcplan(t, "import", "projects", "--db", db, list); code != 0 || !strings.Contains(out, "新增项目1个") {
		t.Fatalf("projects: exit %d\n%s%s", code, out, errs)
	}
	fai := filepath.Join(dir, "固投.csv")
	os.WriteFile(fai, []byte("项目名称,本年完成投资(万元)\n港口综合物流枢纽项目,2150\n某化工项目,9000\n"), 0o644)
	code, out, errs := svcplan(t, "import", "fai", "--db", db, "--period", "2026-01", fai)
	if code != 0 || !strings.Contains(out, "2026年1月统计局固定资产投资:读取2行,新增1个项目") || !strings.Contains(out, "第3行 某化工项目:项目库中没有该项目,未导入") {
		t.Errorf("fai: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := svcplan(t, "import", "fai", "--db", db, fai); code != 1 || !strings.Contains(errs, "统计月份“”应为2026-03这样的年月") {
		t.Errorf("fai without a period: exit %d %s", code, errs)
	}
}
