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
	"svcplan/internal/registry"
	"svcplan/internal/xlsx"
)

const importUsage = `Usage:
  svcplan import enterprises [flags] FILE   import an enterprise list into the directory (导入企业名录)
  svcplan import revenue [flags] FILE       import revenue figures of firms outside the statistics (导入营业收入)

FILE is CSV (UTF-8, UTF-8 with BOM or GB18030) or Excel .xlsx. The header row is found by
its column names (统一社会信用代码, 单位详细名称, 行业代码, 所在镇街 …). By default nothing is
imported if any row is wrong; --mode valid imports the rows that are right. Rejected rows are
written, with a 原因 column, to FILE's name plus "-未导入.xlsx".
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
	if kind != registry.KindEnterprises && kind != registry.KindRevenue {
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
	mode := fs.String("mode", "all", "all: import nothing if any row is wrong (全部正确才导入); valid: import the rows that are right (只导入正确的行)")
	revSource := fs.String("revenue-source", "", "revenue: where the figures come from unless a column says: tax 税务, market 市场监管, self 企业自报, statistics 统计")
	unit := fs.String("unit", "", "revenue: the unit of the revenue column unless its header says: 万元, 千元 or 元")
	sheet := fs.String("sheet", "", "xlsx: the worksheet to read (default: the first)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	opts := registry.ImportOptions{Mode: registry.Mode(*mode), Official: *source == "official",
		RevenueSource: registry.Source(*revSource), RevenueUnit: registry.MoneyUnits[*unit]}
	switch {
	case opts.Mode != registry.AllOrNothing && opts.Mode != registry.ValidRows:
		return usageError{"import: --mode must be all or valid"}
	case *source != "official" && *source != "manual":
		return usageError{"import: --source must be official or manual"}
	case *unit != "" && opts.RevenueUnit == 0:
		return usageError{"import: --unit must be 万元, 千元 or 元"}
	case *revSource != "" && opts.RevenueSource.Label() == "":
		return usageError{"import: --revenue-source must be tax, market, self or statistics"}
	}

	path := fs.Arg(0)
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
	if err := ensurePlan(ctx, a.plans, "", log); err != nil {
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
	meta := registry.FileMeta{Name: filepath.Base(path), SHA256: sum, Size: info.Size()}
	var res *registry.ImportResult
	if kind == registry.KindEnterprises {
		res, err = a.registry.ImportEnterprises(ctx, actor, cliUser, rows, meta, opts)
	} else {
		res, err = a.registry.ImportRevenue(ctx, actor, cliUser, rows, meta, opts)
	}
	fmt.Fprintln(stderr)
	if res != nil && len(res.Rejected) > 0 {
		out := strings.TrimSuffix(path, filepath.Ext(path)) + "-未导入.xlsx"
		if werr := writeRejects(out, res); werr != nil {
			fmt.Fprintln(stderr, "svcplan: 未能写出被拒绝的行:", werr)
		} else {
			fmt.Fprintf(stdout, "被拒绝的%d行已写入 %s(含“原因”列)\n", len(res.Rejected), out)
		}
		for i, r := range res.Rejected {
			if i == 20 {
				fmt.Fprintf(stdout, "……共%d行有错误\n", res.Import.Rejected)
				break
			}
			fmt.Fprintln(stdout, r.Reason())
		}
	}
	if err != nil {
		return err
	}
	imp := res.Import
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "%s (%s, %d行, %s, %.0f行/秒)\n", imp.Message, format, imp.Read, elapsed.Round(time.Millisecond),
		float64(imp.Read)/elapsed.Seconds())
	if imp.Outcome != "ok" {
		return fmt.Errorf("导入未完成:%s", imp.Message)
	}
	return nil
}

// writeRejects writes the rejected rows as they were read, with a 原因
// column, for the sender to correct and send again.
func writeRejects(path string, res *registry.ImportResult) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	rows := make([]xlsx.Rejected, len(res.Rejected))
	for i, r := range res.Rejected {
		rows[i] = xlsx.Rejected{Row: r.Row, Reason: r.Reason(), Cells: r.Cells}
	}
	if err := xlsx.WriteRejects(f, res.Mapping.Header, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
