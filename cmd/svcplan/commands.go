package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/config"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/web"
	"svcplan/plans"
)

// newFlags returns a flag set whose parse errors and --help print to
// stderr with the command's synopsis.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: svcplan %s\n\n%s\n", name, synopsis)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args; a bad flag has been reported by the flag package
// already, so the error it returns prints nothing more.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{}
	}
	return nil
}

func baseConfig(getenv func(string) string) (config.Config, error) {
	cfg := config.Default()
	if err := cfg.FromEnv(getenv); err != nil {
		return cfg, usageError{err.Error()}
	}
	return cfg, nil
}

func dbFlag(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.DB, "db", cfg.DB, "database (数据库): a SQLite file path or a postgres:// URL [SVCPLAN_DB]")
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel)) // validated already
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB opens the database and brings its schema up to date when migrate
// is set; otherwise it refuses a schema that is not current.
func openDB(ctx context.Context, cfg config.Config, migrate bool, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		for _, m := range applied {
			log.Info("migration_applied", slog.String("migration", m))
		}
	} else if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// cliActor is who acts from the command line: the operating-system user,
// for the audit log and revision records.
func cliActor() audit.Actor {
	name := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = "cli:" + u.Username
	}
	return audit.Actor{Name: name, Addr: "local"}
}

// systemActor is svcplan itself, e.g. loading the shipped plan on first run.
var systemActor = audit.Actor{Name: "system", Addr: "local"}

// loadPlanFile parses and stores a plan file as the active plan.
func loadPlanFile(ctx context.Context, svc *plan.Service, file string, log *slog.Logger) (plan.Revision, error) {
	parsed, err := plan.ParseFile(file)
	if err != nil {
		return plan.Revision{}, fmt.Errorf("规划文件 %s 未通过校验,未载入,当前规划保持不变\n%w", file, err)
	}
	for _, w := range parsed.Warnings {
		log.Warn("plan_warning", slog.String("problem", w.String()))
	}
	return svc.Load(ctx, cliActor(), parsed, filepath.Base(file))
}

// ensurePlan makes sure a plan is active: the given file if any, else the
// stored plan, else (on first run) the shipped default.
func ensurePlan(ctx context.Context, svc *plan.Service, file string, log *slog.Logger) error {
	if file != "" {
		rev, err := loadPlanFile(ctx, svc, file, log)
		if err != nil {
			return err
		}
		logRevision(log, rev)
		return nil
	}
	_, err := svc.Active(ctx)
	if apperr.KindOf(err) != apperr.NotFound {
		return err
	}
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		return fmt.Errorf("shipped plan: %w", err)
	}
	rev, err := svc.Load(ctx, systemActor, parsed, plans.Default)
	if err != nil {
		return err
	}
	logRevision(log, rev)
	return nil
}

func logRevision(log *slog.Logger, rev plan.Revision) {
	msg := "plan_loaded"
	if !rev.Changed {
		msg = "plan_unchanged"
	}
	log.Info(msg, slog.String("plan", rev.PlanCode), slog.Int("revision", rev.Number),
		slog.String("file", rev.FileName), slog.String("sha256", rev.FileSHA256))
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("serve [flags]", "Run the web server (启动服务). On first run it creates the database and loads\nthe shipped plan; --plan loads another plan file instead (e.g. another district's).", stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address HOST:PORT (监听地址) [SVCPLAN_ADDR]")
	dbFlag(fs, &cfg)
	fs.StringVar(&cfg.PlanFile, "plan", cfg.PlanFile, "plan file to load as the active plan (规划文件) [SVCPLAN_PLAN]")
	noMigrate := fs.Bool("no-migrate", !cfg.Migrate, "do not apply pending migrations at start; refuse to run on an old schema [SVCPLAN_MIGRATE=false]")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json (日志格式) [SVCPLAN_LOG_FORMAT]")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error [SVCPLAN_LOG_LEVEL]")
	fs.StringVar(&cfg.DevDir, "dev-dir", cfg.DevDir, "development: serve templates and static files from this directory (internal/web) [SVCPLAN_DEV_DIR]")
	fs.BoolVar(&cfg.CookieSecure, "cookie-secure", cfg.CookieSecure, "mark session cookies Secure on plain HTTP too, behind an HTTPS proxy [SVCPLAN_COOKIE_SECURE]")
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", cfg.TrustProxy, "take client address and scheme from X-Forwarded-* headers (only behind a proxy) [SVCPLAN_TRUST_PROXY]")
	demoMode := fs.Bool("demo", false, "demonstration (示例模式): synthetic data in a separate database ("+defaultDemoDB+" unless --db), demo accounts for every role, the dashboard open to anonymous visitors")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *demoMode {
		dbSet := getenv("SVCPLAN_DB") != ""
		fs.Visit(func(f *flag.Flag) { dbSet = dbSet || f.Name == "db" })
		if !dbSet {
			cfg.DB = defaultDemoDB
		}
	}
	if fs.NArg() > 0 {
		return usageError{"serve: unexpected argument " + fs.Arg(0)}
	}
	cfg.Migrate = !*noMigrate
	if err := cfg.Validate(); err != nil {
		return usageError{err.Error()}
	}
	log := newLogger(cfg, stderr)

	a, err := openApp(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := ensurePlan(ctx, a.Plans, cfg.PlanFile, log); err != nil {
		return err
	}
	if *demoMode {
		if err := prepareDemo(ctx, a, stderr, log); err != nil {
			return err
		}
	}
	opts := web.Options{
		Demo:  *demoMode,
		Plans: a.Plans, Auth: a.Auth, Audit: a.Audit, Progress: a.Progress, Registry: a.Registry, Projects: a.Projects, Assess: a.Assess, Supervise: a.Supervise, Buildings: a.Buildings, Dashboard: a.Dashboard, Values: a.Values, Settings: a.Settings, DB: a.DB, Log: log, Now: time.Now,
		Version: version, DevDir: cfg.DevDir, CookieSecure: cfg.CookieSecure, TrustProxy: cfg.TrustProxy,
	}
	hasUsers, err := a.Auth.HasUsers(ctx)
	if err != nil {
		return err
	}
	if !hasUsers {
		opts.SetupToken = randomSetupToken()
		opts.SetupExpires = time.Now().Add(24 * time.Hour)
	}
	srv, err := web.New(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", slog.String("url", "http://"+ln.Addr().String()), slog.String("db", store.MaskDSN(cfg.DB)),
		slog.String("version", version))
	if opts.SetupToken != "" {
		// Printed, not logged: the link is a secret meant for whoever runs
		// the server, and logs may travel further.
		fmt.Fprintf(stderr, "\n%s\nsvcplan 还没有任何账户。请在24小时内用浏览器打开以下一次性链接创建管理员(仅本次启动有效):\n  http://%s/setup?token=%s\n或者停止服务后运行: svcplan user add --admin 用户名\n%s\n\n",
			strings.Repeat("=", 72), ln.Addr().String(), opts.SetupToken, strings.Repeat("=", 72))
	}
	// Read the project ledger once now, so that the first visitor does
	// not wait for it (later changes are read project by project).
	go func() {
		if err := a.Projects.Warm(ctx); err != nil && ctx.Err() == nil {
			log.Warn("projects_warm", slog.String("err", err.Error()))
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting_down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

// randomSetupToken is the secret of the one-time first-admin setup link.
func randomSetupToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("migrate [flags]", "Apply pending database migrations (数据库升级).", stderr)
	dbFlag(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "数据库结构已是最新 (nothing to migrate)")
		return nil
	}
	for _, m := range applied {
		fmt.Fprintln(stdout, "已执行 (applied)", m)
	}
	return nil
}

const planUsage = `Usage:
  svcplan plan validate FILE           check a plan file (校验规划文件)
  svcplan plan load [--db DB] FILE     store FILE as the active plan (载入规划)
  svcplan plan export [--db DB] [--format yaml|json]
                                       print the active plan (导出规划)
`

func cmdPlan(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, planUsage)
		return usageError{}
	}
	switch args[0] {
	case "validate":
		return cmdPlanValidate(args[1:], stdout, stderr)
	case "load":
		return cmdPlanLoad(ctx, args[1:], stdout, stderr, getenv)
	case "export":
		return cmdPlanExport(ctx, args[1:], stdout, stderr, getenv)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, planUsage)
		return nil
	}
	fmt.Fprint(stderr, planUsage)
	return usageError{"plan: unknown command " + args[0]}
}

func cmdPlanValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plan validate FILE", "Check a plan file (校验规划文件): YAML or JSON. Every problem is printed with\nits line and field; the exit status is 1 if any is an error. Quotes are checked\nagainst the original text the file names in plan.source_text.", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	parsed, err := plan.ParseFile(fs.Arg(0))
	if err != nil {
		var probs plan.Problems
		if errors.As(err, &probs) {
			for _, p := range probs {
				fmt.Fprintln(stdout, p)
			}
			return fmt.Errorf("%s: %d个问题,规划文件无效 (invalid plan file)", fs.Arg(0), len(probs))
		}
		return err
	}
	for _, w := range parsed.Warnings {
		fmt.Fprintln(stdout, w)
	}
	p := parsed.Plan
	tasks := 0
	for _, f := range p.Fields {
		tasks += len(f.Tasks)
	}
	checked := "引文已与原文核对"
	if parsed.Text == "" {
		checked = "未核对引文(没有原文)"
	}
	fmt.Fprintf(stdout, "%s: 有效 (valid)。%s,%d个单位、%d个目标、%d个领域、%d项任务、%d项专项行动、%d个指标;%s。\n",
		fs.Arg(0), p.Meta.Title, len(p.Units), len(p.Goals), len(p.Fields), tasks, len(p.Actions), len(p.Indicators), checked)
	return nil
}

func cmdPlanLoad(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("plan load [flags] FILE", "Validate FILE and store it as the active plan (载入规划). The database keeps\nevery earlier revision.", stderr)
	dbFlag(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	log := newLogger(cfg, stderr)
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	rev, err := loadPlanFile(ctx, plan.NewService(store.NewPlanStore(db), time.Now), fs.Arg(0), log)
	if err != nil {
		return err
	}
	if rev.Changed {
		fmt.Fprintf(stdout, "已载入规划 %s,第%d版 (loaded revision %d)\n", rev.PlanCode, rev.Number, rev.Number)
	} else {
		fmt.Fprintf(stdout, "规划 %s 与第%d版相同,未作改动 (unchanged)\n", rev.PlanCode, rev.Number)
	}
	return nil
}

func cmdPlanExport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("plan export [flags]", "Print the active plan, whole, in the plan-file format (导出规划). The output\nvalidates with 'svcplan plan validate'. A database without a plan yet (or\nnone at all) exports the shipped default plan, the one 'svcplan serve' loads\non first run, and says so on stderr.", stderr)
	dbFlag(fs, &cfg)
	format := fs.String("format", "yaml", "output format: yaml or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "yaml" && *format != "json" {
		return usageError{"plan export: --format must be yaml or json"}
	}
	p, err := activePlan(ctx, cfg)
	if err != nil {
		return err
	}
	if p == nil {
		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			return fmt.Errorf("shipped plan: %w", err)
		}
		p = parsed.Plan
		fmt.Fprintf(stderr, "数据库中还没有规划,导出的是内置的默认规划(%s),即 svcplan serve 首次启动时载入的规划。\n", plans.Default)
	}
	var out []byte
	if *format == "json" {
		out, err = json.MarshalIndent(p, "", "  ")
		out = append(out, '\n')
	} else {
		out, err = yaml.Marshal(p)
	}
	if err != nil {
		return fmt.Errorf("plan export: %w", err)
	}
	_, err = stdout.Write(out)
	return err
}

// activePlan returns the database's active plan, or nil when it has none:
// no plan stored yet, no schema yet, or, for SQLite, no database file,
// which it then does not create. A schema that is neither empty nor
// current is an error, as for every command that reads the database.
func activePlan(ctx context.Context, cfg config.Config) (*plan.Plan, error) {
	if !store.IsPostgres(cfg.DB) && strings.TrimSpace(cfg.DB) != "" {
		if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	current, _, err := db.MigrationStatus(ctx)
	if err != nil {
		return nil, err
	}
	if current == 0 {
		return nil, nil
	}
	if err := db.CheckSchema(ctx); err != nil {
		return nil, err
	}
	st, err := plan.NewService(store.NewPlanStore(db), time.Now).Active(ctx)
	if apperr.KindOf(err) == apperr.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return st.Plan, nil
}

func cmdConfig(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("config [flags]", "Print the effective settings (当前配置): defaults, then SVCPLAN_* variables,\nthen flags. Passwords in the database URL are masked.", stderr)
	dbFlag(fs, &cfg)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address HOST:PORT [SVCPLAN_ADDR]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, s := range cfg.Settings(store.MaskDSN) {
		fmt.Fprintf(stdout, "%-11s %-40s (%s)\n", s.Name, s.Value, s.Env)
	}
	if err := cfg.Validate(); err != nil {
		return usageError{strings.ReplaceAll(err.Error(), "\n", "; ")}
	}
	return nil
}
