package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

const importUsage = `Usage:
  svcplan import enterprises [flags] FILE   import an enterprise list into the directory (导入企业名录)
  svcplan import revenue [flags] FILE       import revenue figures of firms outside the statistics (导入营业收入)
  svcplan import reports [flags] FILE       import a bureau's monthly enterprise report export (导入F203/E204-1/S204-1基层表)
  svcplan import values [flags] FILE        import indicator values, e.g. a bureau's published 增加值 (导入指标数值)
  svcplan import projects [flags] FILE      import new projects into the major-project ledger (导入重大项目清单)
  svcplan import fai --period YYYY-MM FILE  import the statistics bureau's 固定资产投资 of the ledger's projects (导入统计局固投数据)

FILE is CSV (UTF-8, UTF-8 with BOM or GB18030) or Excel .xlsx. The header row is found by
its column names (统一社会信用代码, 单位详细名称, 行业代码, 所在镇街 …). By default nothing is
imported if any row is wrong; --mode valid imports the rows that are right. Rejected rows are
written, with a 原因 column, to FILE's name plus "-未导入.xlsx".

For reports, --form and --period say which form and year-to-date period the file holds;
both are read from a file name such as 321203_F203_20250009.xlsx when not given, and the
period else from the file's 期别 column (every row must give the same one).

For values, the columns are 指标,单位,期别,数值[,价格口径,发布日期,核算阶段]: an indicator's code
or name, a unit (blank for the district), a period (2025, 2025Q3 for 1-3季度, 2025-09 for
1-9月) and the value; --publish saves them as published (the figures as the bureau released them).
Every value is kept with the file's name and SHA-256; any wrong row and nothing is saved.

For projects, the header row holds 项目编号, 项目名称, 建设单位, 服务领域, 所在镇街(园区), 牵头单位 and
计划总投资(万元 or 亿元), optionally 统一社会信用代码, 配合单位 (separated by 、), 挂钩领导, 项目级别,
计划开工时间, 计划竣工时间 and YYYY年计划投资(万元); other columns are listed as not imported. Only new
projects: a code already in the ledger is an error. Any wrong row and nothing is imported.

For fai, the header row holds 项目名称 and 本年完成投资(万元) (or 1-本月完成投资), optionally 项目编号;
a project is found by its code, else by its exact name. Projects not in the ledger are listed and
not imported; any wrong amount and nothing is. The figures stay apart from the units' own 完成投资.
`

// fileSHA256 hashes a file for the import record.
func fileSHA256(f *os.File) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, importUsage)
		if len(args) == 0 {
			return usageError{}
		}
		return nil
	}
	kind := args[0]
	if kind != registry.KindEnterprises && kind != registry.KindRevenue && kind != "reports" && kind != "values" && kind != "projects" && kind != "fai" {
		fmt.Fprint(stderr, importUsage)
		return usageError{"import: unknown kind " + kind}
	}
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("import "+kind+" [flags] FILE", importUsage, stderr)
	dbFlag(fs, &cfg)
	source := fs.String("source", "official", "enterprises: official (统计/市场监管导出; a USCC whose check character alone is wrong is kept and flagged) or manual (手工名单: refused)")
	edition := fs.String("edition", "2017", "enterprises: the edition of GB/T 4754 the industry codes are in: 2017 (a code only 2011 has is converted) or 2011 (every code is read as 2011 and converted)")
	mode := fs.String("mode", "all", "all: import nothing if any row is wrong (全部正确才导入); valid: import the rows that are right (只导入正确的行)")
	revSource := fs.String("revenue-source", "", "revenue: where the figures come from unless a column says: tax 税务, market 市场监管, self 企业自报, statistics 统计")
	unit := fs.String("unit", "", "revenue: the unit of the revenue column unless its header says: 万元, 千元 or 元")
	sheet := fs.String("sheet", "", "xlsx: the worksheet to read (default: the first)")
	formFlag := fs.String("form", "", "reports: F203, E204-1 or S204-1")
	publish := fs.Bool("publish", false, "values: save them as published (发布)")
	periodFlag := fs.String("period", "", "reports, fai: the last month of the year-to-date figures, YYYY-MM (2025-09 = 1-9月; reports also YYYY00MM)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	opts := registry.ImportOptions{Mode: table.Mode(*mode), Official: *source == "official", Edition2011: *edition == registry.Edition2011,
		RevenueSource: registry.Source(*revSource), RevenueUnit: money.Unit(*unit)}
	switch {
	case opts.Mode != table.AllOrNothing && opts.Mode != table.ValidRows:
		return usageError{"import: --mode must be all or valid"}
	case *source != "official" && *source != "manual":
		return usageError{"import: --source must be official or manual"}
	case *edition != registry.Edition2017 && *edition != registry.Edition2011:
		return usageError{"import: --edition must be 2017 or 2011"}
	case *unit != "" && opts.RevenueUnit == 0:
		return usageError{"import: --unit must be 万元, 千元 or 元"}
	case *revSource != "" && opts.RevenueSource.Label() == "":
		return usageError{"import: --revenue-source must be tax, market, self or statistics"}
	}

	path := fs.Arg(0)
	var ropts reports.Options
	if kind == "reports" {
		if ropts, err = reportOptions(filepath.Base(path), *formFlag, *periodFlag, opts.Mode); err != nil {
			return err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("无法打开文件 %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	sum, err := fileSHA256(f)
	if err != nil {
		return err
	}
	rows, format, err := xlsx.Open(f, info.Size(), filepath.Base(path), xlsx.Options{Sheet: *sheet})
	if err != nil {
		return err
	}
	defer rows.Close()

	log := newLogger(cfg, stderr)
	a, err := openApp(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := ensurePlan(ctx, a.Plans, "", log); err != nil {
		return err
	}
	actor := cliActor()
	// The command line acts with an administrator's rights: whoever can
	// run it can open the database anyway. The audit log names the OS user.
	cliUser := &auth.User{Username: actor.Name, Role: auth.RoleAdmin}
	start := time.Now()
	opts.Progress = func(n int) {
		fmt.Fprintf(stderr, "\r已读取 %d 行 (%s)…", n, time.Since(start).Round(time.Second))
	}
	meta := table.File{Name: filepath.Base(path), SHA256: sum, Size: info.Size()}
	var out importOutcome
	switch kind {
	case registry.KindEnterprises:
		res, ierr := a.Registry.ImportEnterprises(ctx, actor, cliUser, rows, meta, opts)
		out, err = directoryOutcome(res), ierr
	case registry.KindRevenue:
		res, ierr := a.Registry.ImportRevenue(ctx, actor, cliUser, rows, meta, opts)
		out, err = directoryOutcome(res), ierr
	case "projects":
		res, ierr := a.Projects.ImportSheet(ctx, actor, cliUser, rows, meta)
		out, err = sheetOutcome(res), ierr
	case "fai":
		res, ierr := a.Projects.ImportFAI(ctx, actor, cliUser, rows, meta, *periodFlag)
		out, err = faiOutcome(res), ierr
	case "values":
		n, ierr := a.Values.ImportFile(ctx, actor, cliUser, rows, fmt.Sprintf("%s (SHA-256 %s)", meta.Name, sum), *publish)
		out, err = importOutcome{message: fmt.Sprintf("已导入%d个指标数值", n), ok: ierr == nil, read: n}, ierr
	default:
		res, ierr := a.Reports.Import(ctx, actor, cliUser, rows, meta, ropts)
		out, err = reportOutcome(res), ierr
	}
	fmt.Fprintln(stderr)
	if len(out.rejected) > 0 {
		file := strings.TrimSuffix(path, filepath.Ext(path)) + "-未导入.xlsx"
		if werr := writeRejects(file, out.header, out.rejected); werr != nil {
			fmt.Fprintln(stderr, "svcplan: 未能写出被拒绝的行:", werr)
		} else {
			fmt.Fprintf(stdout, "被拒绝的%d行已写入 %s(含“原因”列)\n", len(out.rejected), file)
		}
		for i, r := range out.rejected {
			if i == 20 {
				fmt.Fprintf(stdout, "……共%d行有错误\n", out.rejectedTotal)
				break
			}
			fmt.Fprintln(stdout, r.Reason())
		}
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "%s (%s, %d行, %s, %.0f行/秒)\n", out.message, format, out.read, elapsed.Round(time.Millisecond),
		float64(out.read)/elapsed.Seconds())
	if !out.ok {
		return fmt.Errorf("导入未完成:%s", out.message)
	}
	return nil
}

// importOutcome is what the command prints of any import.
type importOutcome struct {
	message       string
	ok            bool
	read          int
	header        []string
	rejected      []table.Rejected
	rejectedTotal int
}

func directoryOutcome(res *registry.ImportResult) importOutcome {
	if res == nil {
		return importOutcome{}
	}
	return importOutcome{message: res.Import.Message, ok: res.Import.Outcome == table.OK, read: res.Import.Read,
		header: res.Mapping.Header, rejected: res.Rejected, rejectedTotal: res.Import.Rejected}
}

func sheetOutcome(res *projects.SheetResult) importOutcome {
	if res == nil {
		return importOutcome{}
	}
	out := importOutcome{message: res.Message, ok: len(res.Errors) == 0, read: res.Read}
	for _, e := range res.Errors {
		out.rejected = append(out.rejected, table.Rejected{Row: e.Row, Errors: []table.RowError{e}})
	}
	out.rejectedTotal = len(res.Errors)
	return out
}

func faiOutcome(res *projects.FAIResult) importOutcome {
	if res == nil {
		return importOutcome{}
	}
	out := sheetOutcome(&projects.SheetResult{Message: res.Message, Read: res.Read, Errors: res.Errors})
	if out.ok {
		for _, u := range res.Unmatched {
			out.message += fmt.Sprintf("\n  第%d行 %s:%s", u.Row, u.Value, u.Msg)
		}
	}
	return out
}

func reportOutcome(res *reports.Result) importOutcome {
	if res == nil {
		return importOutcome{}
	}
	out := importOutcome{message: res.Import.Message, ok: res.Import.Outcome == table.OK, read: res.Import.Read,
		rejected: res.Rejected, rejectedTotal: res.Import.Rejected}
	if res.Layout != nil {
		out.header = res.Layout.Header
	}
	return out
}

// reportOptions takes the form and period from the flags, or else from the
// file name.
func reportOptions(name, formCode, period string, mode table.Mode) (reports.Options, error) {
	opts := reports.Options{Mode: mode}
	opts.Form, opts.Period = reports.GuessFromName(name)
	if formCode != "" {
		f, ok := reports.FormByCode(formCode)
		if !ok {
			return opts, usageError{"import: --form must be F203, E204-1 or S204-1"}
		}
		opts.Form = f
	}
	if period != "" {
		p, err := reports.ParsePeriodCode(period)
		if err != nil {
			return opts, usageError{"import: --period: " + err.Error()}
		}
		opts.Period = p
	}
	if opts.Form == nil {
		return opts, usageError{"import: 文件名中没有报表号,请用 --form 指明 F203、E204-1 或 S204-1"}
	}
	// Without a period from the flag or the name, the file's 期别 column
	// says it (reports.Service.Import refuses a file without one).
	return opts, nil
}

// writeRejects writes the rejected rows as they were read, with a 原因
// column, for the sender to correct and send again.
func writeRejects(path string, header []string, rows []table.Rejected) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := xlsx.WriteRejects(f, header, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
