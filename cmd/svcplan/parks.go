package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"svcplan/internal/auth"
	"svcplan/internal/xlsx"
)

const parksUsage = `Usage:
  svcplan parks load [--db DB] FILE   load which firms and villages belong to which park (载入园区范围)
  svcplan parks list [--db DB]        print the mapping, every line ever loaded (查看园区范围)

Parks are not in the statistical area code, so reports are attributed to parks by this
mapping when they are imported. FILE (CSV or XLSX) has the columns 园区,类型,代码,起始月份,终止月份:
a park of the plan, 企业 (with its USCC) or 村社区 (with its 12-digit code), and the months
(YYYY-MM; the end may be blank). A file with any wrong row is not loaded. Lines are only
ever added: for a member and month, the line loaded last that covers it applies.
`

func cmdParks(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, parksUsage)
		if len(args) == 0 {
			return usageError{}
		}
		return nil
	}
	sub := args[0]
	if sub != "load" && sub != "list" {
		fmt.Fprint(stderr, parksUsage)
		return usageError{"parks: unknown command " + sub}
	}
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("parks "+sub+" [flags]", parksUsage, stderr)
	dbFlag(fs, &cfg)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if sub == "load" && fs.NArg() != 1 || sub == "list" && fs.NArg() != 0 {
		fs.Usage()
		return usageError{}
	}
	a, err := openApp(ctx, cfg, cfg.Migrate, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	actor := cliActor()
	admin := &auth.User{Username: actor.Name, Role: auth.RoleAdmin}
	if sub == "list" {
		ms, err := a.Reports.ParkMembers(ctx, admin)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "园区\t类型\t代码\t起始\t终止\t文件\t载入人")
		for _, m := range ms {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Park, m.Kind, m.Member, m.ValidFrom, m.ValidTo, m.FileName, m.LoadedBy)
		}
		return tw.Flush()
	}
	if err := ensurePlan(ctx, a.Plans, "", newLogger(cfg, stderr)); err != nil {
		return err
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
	rows, _, err := xlsx.Open(f, info.Size(), filepath.Base(path), xlsx.Options{})
	if err != nil {
		return err
	}
	defer rows.Close()
	n, err := a.Reports.LoadParks(ctx, actor, admin, rows, filepath.Base(path))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已载入%d行园区范围,适用于此后导入的报表。\n", n)
	return nil
}
