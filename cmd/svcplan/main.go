// Command svcplan is the 现代服务业高质量发展监测调度平台 (service-industry
// plan monitoring platform): one binary that stores a district's plan in
// SQLite or PostgreSQL and serves it. See `svcplan help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

const usage = `svcplan — 现代服务业高质量发展监测调度平台 (service-industry plan monitoring platform)

Usage:
  svcplan <command> [flags]

Commands:
  serve            run the web server (启动服务): the dashboard (监测驾驶舱), the plan (规划),
                   indicators (目标指标), the enterprise directory (企业名录), and the JSON API
  demo             serve a separate database of synthetic data (示例数据) with demo accounts
                   for every role: the quickest way to see the platform (= serve --demo)
  migrate          apply pending database migrations (数据库升级)
  plan validate F  check a plan file (校验规划文件): prints every problem with its line
  plan load F      store plan file F as the active plan (载入规划)
  plan export      print the active plan, whole (导出规划), as YAML or JSON
  user ...         manage accounts (用户管理): add, list, reset-password, unlock, disable, enable;
                   'svcplan user add --admin NAME' creates the first admin
  import KIND FILE import an enterprise list (enterprises), revenue figures (revenue) or a
                   bureau's monthly report file (reports: F203 …), CSV or XLSX
  parks ...        load which firms and villages belong to which park (园区范围), list it
  uscc CODE...     check unified social credit codes (统一社会信用代码校验)
  forecast m3 ...  forecast and score the M3 competition series (M3 预测评估)
  industry ...     load an amended industry table or size thresholds (载入行业分类/规模标准),
                   show the versions in force
  backup FILE      write a consistent copy of the SQLite database (备份), also while serving
  restore FILE     replace the SQLite database with a backup (恢复); stop the server first
  config           print the effective settings (当前配置), secrets masked
  version          print the version (版本)

Every command that touches the database takes --db: a SQLite file path
(default ./data/svcplan.db, created on first run) or a postgres:// URL.
Settings can also come from SVCPLAN_* environment variables; run
'svcplan config' to see them. 'svcplan <command> --help' shows a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// SVCPLAN_CPUPROFILE=FILE writes a CPU profile of the command, for
	// finding out why an import or a page is slow on a user's machine.
	if path := os.Getenv("SVCPLAN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}

// run executes one command and returns the process exit code: 0 on
// success, 1 when the command failed, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = cmdServe(ctx, rest, stderr, getenv)
	case "demo":
		err = cmdServe(ctx, append([]string{"--demo"}, rest...), stderr, getenv)
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr, getenv)
	case "plan":
		err = cmdPlan(ctx, rest, stdout, stderr, getenv)
	case "user":
		err = cmdUser(ctx, rest, stdout, stderr, getenv)
	case "import":
		err = cmdImport(ctx, rest, stdout, stderr, getenv)
	case "parks":
		err = cmdParks(ctx, rest, stdout, stderr, getenv)
	case "uscc":
		err = cmdUSCC(rest, stdout, stderr)
	case "forecast":
		err = cmdForecast(rest, stdout, stderr)
	case "industry":
		err = cmdIndustry(ctx, rest, stdout, stderr, getenv)
	case "backup":
		err = cmdBackup(ctx, rest, stdout, stderr, getenv)
	case "restore":
		err = cmdRestore(ctx, rest, stdout, stderr, getenv)
	case "config":
		err = cmdConfig(rest, stdout, stderr, getenv)
	case "version", "--version":
		fmt.Fprintln(stdout, "svcplan", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "svcplan: unknown command %q (未知命令)\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		if err.Error() != "" { // else the flag package has said it
			fmt.Fprintln(stderr, "svcplan:", err)
		}
		return 2
	default:
		fmt.Fprintln(stderr, "svcplan:", err)
		return 1
	}
}

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
