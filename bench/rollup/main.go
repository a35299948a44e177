// Command rollup measures the dashboard's rollups (issue 5): revenue by
// town × industry division for one month with same-firm growth, and one
// town's trend over every period, on svcplan's SQLite or PostgreSQL store
// and, in the same run, the same questions asked of DuckDB over the same
// firm rows.
//
// It lives in a module of its own so that DuckDB (which needs cgo) is never
// a dependency of svcplan.
//
//	go run . -scale city -db /tmp/city.db
//	go run . -scale city -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=bench_city'
//
// Scales: district (40,000 firms, 1,500 reporting monthly), city
// (400,000 / 15,000), province (4,000,000 / 150,000); 36 months each
// (33 report periods: January is not collected).
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/dashboard"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/table"
	"svcplan/plans"
)

var scales = map[string]struct{ firms, reporting int }{
	"district": {40_000, 1_500},
	"city":     {400_000, 15_000},
	"province": {4_000_000, 150_000},
}

func main() {
	scale := flag.String("scale", "district", "district, city or province")
	dsn := flag.String("db", "", "svcplan database: a SQLite path or a PostgreSQL URL (filled if empty)")
	runs := flag.Int("runs", 20, "timed runs of each query")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the timed runs to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	sc, ok := scales[*scale]
	if !ok || *dsn == "" {
		flag.Usage()
		os.Exit(2)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, *dsn)
	check(err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	check(err)
	p := loadPlan(ctx, db)
	units := townCodes(p)
	rs := store.NewReportStore(db)
	periods := reportPeriods()
	existing, err := rs.Periods(ctx, "F203")
	check(err)
	if len(existing) == 0 {
		start := time.Now()
		fill(ctx, db, rs, sc.firms, sc.reporting, units, periods)
		fmt.Printf("filled %s in %s\n", *scale, time.Since(start).Round(time.Second))
	}

	month := periods[len(periods)-1]
	town := units[0]
	fmt.Printf("\n%s scale (%d firms, %d reporting, %d periods), %s, median of %d runs\n",
		*scale, sc.firms, sc.reporting, len(periods), db.Dialect(), *runs)
	rollup := func() int {
		rows, err := rs.Rollups(ctx, reports.Query{Form: "F203", Periods: []reports.Period{month}, RevenueOnly: true})
		check(err)
		ts := reports.GroupBy(rows, func(r *reports.Rollup) string { return r.Unit + "/" + r.Industry[:2] })
		for i := range ts {
			ts[i].Growth(reports.Revenue)
		}
		return len(ts)
	}
	trend := func() int {
		rows, err := rs.Rollups(ctx, reports.Query{Form: "F203", Unit: town, RevenueOnly: true, ByPeriod: true})
		check(err)
		return len(reports.GroupBy(rows, func(r *reports.Rollup) string { return r.Period.String() }))
	}
	report("svcplan store: town × division, one month, YoY", *runs, rollup)
	report("svcplan store: one town, every period", *runs, trend)

	// What the dashboard page gets: the breakdown by field, the towns and
	// the trend in one call, from the rollups kept in memory while no
	// import changes them (a version check per call).
	values := indicators.NewService(store.NewIndicatorStore(db), plan.NewService(store.NewPlanStore(db), time.Now), time.Now)
	plans := plan.NewService(store.NewPlanStore(db), time.Now)
	ledger := projects.NewService(store.NewProjectStore(db), plans, store.NewSettingsStore(db), time.Now)
	dash := dashboard.NewService(dashboard.Sources{Plans: plans, Values: values,
		Reports: rs, Directory: store.NewRegistryStore(db), Projects: ledger, Now: time.Now})
	admin := &auth.User{Username: "bench", Role: auth.RoleAdmin}
	labels := noLabels{}
	view := func(q dashboard.Query, fresh bool) func() int {
		return func() int {
			if fresh {
				dash.Invalidate() // computed from the store, as after an import
			}
			a, err := dash.Analysis(ctx, admin, q, labels)
			check(err)
			return len(a.Rows) + len(a.Units) + len(a.Trend)
		}
	}
	report("svcplan dashboard: district view, computed", *runs, view(dashboard.Query{Period: month}, true))
	report("svcplan dashboard: district view, kept in memory", *runs, view(dashboard.Query{Period: month}, false))
	report("svcplan dashboard: one town's view, computed", *runs, view(dashboard.Query{Period: month, Unit: town}, true))

	// The same questions over the firm rows, without the rollups.
	raw := rawDB(*dsn)
	defer raw.Close()
	scanRows := func(q string, args ...any) func() int {
		return func() int { return count(ctx, raw, q, args...) }
	}
	ph := func(i int) string {
		if db.Dialect() == "postgres" {
			return fmt.Sprintf("$%d", i)
		}
		return "?"
	}
	rawRollup := `SELECT unit_code, substr(industry, 1, 2), SUM(revenue), SUM(revenue_prev), COUNT(*) FROM firm_reports
WHERE form = 'F203' AND period = ` + ph(1) + ` GROUP BY unit_code, substr(industry, 1, 2)`
	rawTrend := `SELECT period, SUM(revenue), SUM(revenue_prev) FROM firm_reports
WHERE form = 'F203' AND unit_code = ` + ph(1) + ` GROUP BY period`
	report(db.Dialect()+" over firm rows: rollup", min(*runs, 5), scanRows(rawRollup, int(month)))
	report(db.Dialect()+" over firm rows: trend", min(*runs, 5), scanRows(rawTrend, town))

	duck := loadDuckDB(ctx, raw)
	defer duck.Close()
	duckRollup := strings.ReplaceAll(rawRollup, ph(1), "?")
	duckTrend := strings.ReplaceAll(rawTrend, ph(1), "?")
	report("DuckDB over firm rows: rollup", *runs, func() int { return count(ctx, duck, duckRollup, int(month)) })
	report("DuckDB over firm rows: trend", *runs, func() int { return count(ctx, duck, duckTrend, town) })
}

func report(what string, runs int, f func() int) {
	f() // warm up
	var ds []time.Duration
	n := 0
	for range runs {
		start := time.Now()
		n = f()
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	fmt.Printf("  %-54s %9.3f ms  (%d groups)\n", what, float64(ds[len(ds)/2].Microseconds())/1000, n)
}

func count(ctx context.Context, db *sql.DB, q string, args ...any) int {
	rows, err := db.QueryContext(ctx, q, args...)
	check(err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	check(rows.Err())
	return n
}

func loadPlan(ctx context.Context, db *store.DB) *plan.Plan {
	ps := plan.NewService(store.NewPlanStore(db), time.Now)
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	check(err)
	_, err = ps.Load(ctx, audit.Actor{Name: "bench"}, parsed, plans.Default)
	check(err)
	return parsed.Plan
}

// townCodes are the plan's streets, towns and parks.
func townCodes(p *plan.Plan) []string {
	var out []string
	for _, u := range p.Units {
		if u.Kind == plan.KindSubdistrict || u.Kind == plan.KindTown || u.Kind == plan.KindPark {
			out = append(out, u.Code)
		}
	}
	return out
}

// reportPeriods are 2023年1-2月 … 2025年1-12月: 36 months, 33 periods.
func reportPeriods() []reports.Period {
	var out []reports.Period
	for y := 2023; y <= 2025; y++ {
		for m := 2; m <= 12; m++ {
			out = append(out, reports.Period(y*100+m))
		}
	}
	return out
}

// serviceClasses are GB/T 4754 classes of the service divisions.
var serviceClasses = []string{"5110", "5211", "5311", "5411", "5810", "5990", "6010", "6110", "6210", "6311", "6421",
	"6513", "6520", "6611", "6720", "6811", "7111", "7212", "7224", "7244", "7291", "7320", "7410", "7517", "7520",
	"7610", "7713", "7850", "8010", "8020", "8111", "8221", "8310", "8411", "8520", "8610", "8710", "8810", "8910"}

type firm struct {
	uscc, class, unit string
	size              int64 // annual revenue, fen
}

// fill writes the firms and every period's reports through the stores'
// import transactions (no file parsing: this bench is about reading).
func fill(ctx context.Context, db *store.DB, rs *store.ReportStore, nFirms, nReporting int, units []string, periods []reports.Period) {
	rng := rand.New(rand.NewPCG(1, 2))
	firms := make([]firm, nFirms)
	for i := range firms {
		// Pareto sizes (α 1.2) from 20 million yuan, heavy-tailed.
		size := int64(2e9 / math.Pow(rng.Float64(), 1/1.2))
		firms[i] = firm{uscc: fmt.Sprintf("91321203%09d%c", i, 'A'+rune(i%26)), class: serviceClasses[rng.IntN(len(serviceClasses))],
			unit: units[min(int(rng.ExpFloat64()*4), len(units)-1)], size: min(size, 5e13)}
	}
	reg := store.NewRegistryStore(db)
	imp := &registry.Import{Kind: registry.KindEnterprises, FileName: "bench", SHA256: "-", Mode: table.AllOrNothing,
		Source: "official", User: "bench", StartedAt: time.Now()}
	tx, err := reg.BeginImport(ctx, imp)
	check(err)
	batch := make([]registry.Enterprise, 0, 10_000)
	for i, f := range firms {
		r := registry.RegisterNone
		if i < nReporting {
			r = registry.RegisterServices
		}
		batch = append(batch, registry.Enterprise{USCC: f.uscc, Name: fmt.Sprintf("企业%d", i), Industry: f.class, Unit: f.unit,
			Status: registry.StatusActive, Register: r, Version: 1, UpdatedAt: imp.StartedAt, UpdatedBy: "bench", ImportID: imp.ID})
		if len(batch) == cap(batch) || i == len(firms)-1 {
			check(tx.Insert(ctx, batch))
			batch = batch[:0]
		}
	}
	imp.Outcome = "ok"
	check(tx.Commit(ctx, imp, audit.New(time.Now(), audit.Actor{Name: "bench"}, "import.enterprises", "import", "bench", nil, nil)))

	// Seasonal cumulative shares of the year (per mille) by month 2..12.
	cum := []int64{130, 210, 290, 375, 460, 545, 630, 715, 805, 895, 1000}
	for _, per := range periods {
		imp := &reports.Import{Form: "F203", Period: per, FileName: "bench", SHA256: "-", Mode: table.AllOrNothing, User: "bench",
			StartedAt: time.Now()}
		tx, err := rs.BeginReportImport(ctx, imp)
		check(err)
		growth := int64(100 + (per.Year()-2023)*6) // the district grows 6% a year
		out := make([]reports.Report, 0, nReporting)
		for i := 0; i < nReporting; i++ {
			f := firms[i]
			ytd := f.size * growth / 100 * cum[per.Month()-2] / 1000
			r := reports.Report{Form: "F203", Period: per, USCC: f.uscc, Name: "企业", Area: f.unit + "001", Unit: f.unit,
				Industry: f.class, Division: f.class[:2], Version: 1, ImportID: imp.ID, ImportedAt: imp.StartedAt, ImportedBy: "bench"}
			r.Values[reports.Revenue] = reports.Value{Cur: ytd, HasCur: true, Prev: ytd * 100 / 106, HasPrev: i%10 != 0}
			r.Values[reports.Employees] = reports.Value{Cur: 10 + f.size/1e9, HasCur: true}
			out = append(out, r)
		}
		for start := 0; start < len(out); start += 10_000 {
			check(tx.Insert(ctx, out[start:min(start+10_000, len(out))]))
		}
		check(tx.Rollup(ctx, "F203", per))
		imp.Outcome = "ok"
		check(tx.Commit(ctx, imp, audit.New(time.Now(), audit.Actor{Name: "bench"}, "import.reports", "report_import", "bench", nil, nil)))
	}
}

// loadDuckDB copies firm_reports into an in-memory DuckDB table.
func loadDuckDB(ctx context.Context, src *sql.DB) *sql.DB {
	connector, err := duckdb.NewConnector("", nil)
	check(err)
	duck := sql.OpenDB(connector)
	_, err = duck.ExecContext(ctx, `CREATE TABLE firm_reports (form VARCHAR, period INTEGER, uscc VARCHAR, unit_code VARCHAR,
	industry VARCHAR, revenue BIGINT, revenue_prev BIGINT)`)
	check(err)
	conn, err := connector.Connect(ctx)
	check(err)
	app, err := duckdb.NewAppenderFromConn(conn, "", "firm_reports")
	check(err)
	rows, err := src.QueryContext(ctx, `SELECT form, period, uscc, unit_code, industry, revenue, revenue_prev FROM firm_reports`)
	check(err)
	start := time.Now()
	n := 0
	for rows.Next() {
		var form, uscc, unit, industry string
		var period int32
		var rev int64
		var prev sql.NullInt64
		check(rows.Scan(&form, &period, &uscc, &unit, &industry, &rev, &prev))
		var p driver.Value
		if prev.Valid {
			p = prev.Int64
		}
		check(app.AppendRow(form, period, uscc, unit, industry, rev, p))
		n++
	}
	check(rows.Err())
	check(app.Close())
	check(conn.Close())
	fmt.Printf("  (DuckDB: %d firm rows copied in %s)\n", n, time.Since(start).Round(time.Millisecond))
	return duck
}

type noLabels struct{}

func (noLabels) Division(string) string { return "" }
func (noLabels) Class(string) string    { return "" }

// rawDB opens the same database without svcplan's store, for plain SQL.
func rawDB(dsn string) *sql.DB {
	driverName, source := "sqlite", "file:"+dsn
	if store.IsPostgres(dsn) {
		driverName, source = "pgx", dsn
	}
	db, err := sql.Open(driverName, source)
	check(err)
	return db
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
