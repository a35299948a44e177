package demo_test

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/demo"
	"svcplan/internal/industry"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/reports"
	"svcplan/internal/uscc"
	"svcplan/plans"
)

// through is the date the tests generate data up to: the last month with
// data is October 2026.
var through = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

var shipped = sync.OnceValues(func() (*plan.Plan, error) {
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		return nil, err
	}
	return parsed.Plan, nil
})

func shippedPlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, err := shipped()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// generate makes the default data set for a seed, once per seed.
var generated sync.Map // seed → *demo.Data

func generate(t testing.TB, seed uint64) *demo.Data {
	t.Helper()
	if d, ok := generated.Load(seed); ok {
		return d.(*demo.Data)
	}
	d, err := demo.Generate(shippedPlan(t), industry.Default(), demo.Options{Seed: seed, Through: through})
	if err != nil {
		t.Fatal(err)
	}
	generated.Store(seed, d)
	return d
}

// seeds are the seeds the figures are checked for.
var seeds = func() []uint64 {
	if raceDetector {
		return []uint64{1}
	}
	return []uint64{1, 2, 3}
}()

func TestDeterministic(t *testing.T) {
	p := shippedPlan(t)
	opts := demo.Options{Seed: 7, Firms: 300, Through: through}
	a, err := demo.Generate(p, industry.Default(), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := demo.Generate(p, industry.Default(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs with the same seed differ (-first +second):\n%s", cmp.Diff(a, b))
	}
	opts.Seed = 8
	c, err := demo.Generate(p, industry.Default(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(a.Firms, c.Firms) {
		t.Error("seeds 7 and 8 give the same directory")
	}
}

func TestGenerateRefuses(t *testing.T) {
	p := shippedPlan(t)
	cases := []struct {
		name string
		p    *plan.Plan
		opts demo.Options
	}{
		{"no plan", nil, demo.Options{Through: through}},
		{"no period", p, demo.Options{Through: time.Date(2023, 2, 28, 0, 0, 0, 0, time.UTC)}},
		{"negative size", p, demo.Options{Firms: -1, Through: through}},
	}
	for _, c := range cases {
		if _, err := demo.Generate(c.p, industry.Default(), c.opts); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	// The first period is 1-2月 2023: data through March 2023 has one.
	d, err := demo.Generate(p, industry.Default(), demo.Options{Firms: 100, Through: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(d.Reports) != 1 || d.Reports[0].Period != 202302 {
		t.Errorf("through March 2023: %v", err)
	}
}

// dirFirm is a row of the directory table.
type dirFirm struct {
	uscc, name, class, town, founded, register, included string
}

func directory(t *testing.T, d *demo.Data) map[string]dirFirm {
	t.Helper()
	if diff := cmp.Diff(demo.DirectoryHeader, d.Firms[0]); diff != "" {
		t.Fatalf("directory header (-want +got):\n%s", diff)
	}
	out := map[string]dirFirm{}
	for _, r := range d.Firms[1:] {
		if len(r) != 7 {
			t.Fatalf("directory row of %d cells: %q", len(r), r)
		}
		out[r[0]] = dirFirm{r[0], r[1], r[2], r[3], r[4], r[5], r[6]}
	}
	return out
}

func TestDirectory(t *testing.T) {
	p := shippedPlan(t)
	table := industry.Default()
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			d := generate(t, seed)
			firms := directory(t, d)
			if len(d.Firms)-1 != demo.DefaultFirms || len(firms) != demo.DefaultFirms {
				t.Fatalf("%d rows, %d distinct codes; want %d", len(d.Firms)-1, len(firms), demo.DefaultFirms)
			}
			names := map[string]bool{}
			above := 0
			newByYear := map[int]int{}
			for code, f := range firms {
				if r := uscc.Check(code); !r.Valid || !r.OrgCodeOK || r.Code != code {
					t.Errorf("%s: not a valid USCC: %+v", code, r.Problems)
				}
				if div := code[2:8]; div != "321203" && div != "321271" {
					t.Errorf("%s: registered in %s", code, div)
				}
				if names[f.name] || !strings.HasSuffix(f.name, "公司") {
					t.Errorf("%s: name %q repeated or not a company's", code, f.name)
				}
				names[f.name] = true
				if _, ok := table.Class(f.class); !ok {
					t.Errorf("%s: %s is not a class", code, f.class)
				} else if _, ok := p.FieldOfIndustry(f.class); !ok {
					t.Errorf("%s: class %s serves no field of the plan", code, f.class)
				}
				u, ok := p.UnitByName(f.town)
				if !ok || u.Kind != plan.KindSubdistrict && u.Kind != plan.KindTown && u.Kind != plan.KindPark {
					t.Errorf("%s: %q is not a town, street or park", code, f.town)
				}
				founded, err := time.Parse(time.DateOnly, f.founded)
				if err != nil || founded.Year() < 2005 || !founded.Before(through) {
					t.Errorf("%s: founded %q", code, f.founded)
				}
				switch f.register {
				case "未纳统":
					if f.included != "" {
						t.Errorf("%s: outside the statistics but included %s", code, f.included)
					}
					continue
				case "规上服务业", "限上批零住餐":
				default:
					t.Fatalf("%s: register %q", code, f.register)
				}
				above++
				incl, err := time.Parse("2006-01", f.included)
				if err != nil || incl.Before(founded.AddDate(0, 0, -founded.Day()+1)) || !incl.Before(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("%s: founded %s, included %q", code, f.founded, f.included)
				}
				newByYear[incl.Year()]++
				// The register is the one the class's threshold leads to.
				rule, _ := industry.DefaultThresholds().For(f.class)
				want := map[industry.Register]string{industry.RegisterServices: "规上服务业", industry.RegisterTrade: "限上批零住餐"}[rule.Scope.Register()]
				if f.register != want {
					t.Errorf("%s: class %s in %s", code, f.class, f.register)
				}
			}
			t.Logf("规上/限上 firms: %d; included in 2023 %d, 2024 %d, 2025 %d, 2026 (1-10月) %d",
				above, newByYear[2023], newByYear[2024], newByYear[2025], newByYear[2026])
			if above < 1250 || above > 1400 {
				t.Errorf("%d firms in the above-size registers, want 1,250–1,400", above)
			}
			for _, y := range []int{2024, 2025, 2026} {
				if n := newByYear[y]; n < 80 || n > 160 {
					t.Errorf("%d firms included in %d, want about 100–140", n, y)
				}
			}
		})
	}
}

// value is a report cell as an exact amount (fen or persons); has is
// false for a blank cell.
func value(t *testing.T, cell string, isMoney bool) (n int64, has bool) {
	t.Helper()
	if cell == "" {
		return 0, false
	}
	if !isMoney {
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			t.Fatalf("headcount %q", cell)
		}
		return n, true
	}
	if i := strings.IndexByte(cell, '.'); i >= 0 && (len(cell)-i-1 > 3 || len(cell)-i-1 == 0 || strings.HasSuffix(cell, "0")) {
		t.Fatalf("amount %q: not up to three decimals without trailing zeros", cell)
	}
	fen, err := money.ParseAmount(cell, money.QianYuan, "金额")
	if err != nil {
		t.Fatalf("amount %q: %s", cell, err)
	}
	return int64(fen), true
}

// measures are the money columns of F203Header: 1-本月 at i, 上年同期 at i+1.
var measures = []int{3, 5, 7, 9}

func TestReports(t *testing.T) {
	p := shippedPlan(t)
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			d := generate(t, seed)
			firms := directory(t, d)
			// ytd[firm][period][column] is a firm's reported value.
			ytd := map[string]map[reports.Period][]int64{}
			var want reports.Period = 202302
			totals := map[reports.Period]int64{}
			producer := map[reports.Period]int64{}
			for _, rf := range d.Reports {
				if rf.Period != want {
					t.Fatalf("period %d, want %d", rf.Period, want)
				}
				if want = rf.Period + 1; want.Month() > 12 {
					want = reports.Period((want.Year()+1)*100 + 2)
				}
				if per, err := reports.ParsePeriodCode(rf.Period.String()); err != nil || per != rf.Period {
					t.Errorf("period %d does not parse: %v", rf.Period, err)
				}
				if diff := cmp.Diff(demo.F203Header, rf.Rows[0]); diff != "" {
					t.Fatalf("header of %d (-want +got):\n%s", rf.Period, diff)
				}
				for _, r := range rf.Rows[1:] {
					f, ok := firms[r[1]]
					if !ok || f.register != "规上服务业" || f.name != r[2] {
						t.Fatalf("%d: %s is not a services firm of the directory: %+v", rf.Period, r[1], f)
					}
					if incl, _ := time.Parse("2006-01", f.included); incl.Year()*100+int(incl.Month()) > int(rf.Period) {
						t.Errorf("%d: %s reports before its inclusion %s", rf.Period, r[1], f.included)
					}
					if u, ok := p.UnitByDivision(r[0]); len(r[0]) != 12 || !ok || u.Name != f.town && !contains(u.Aliases, f.town) {
						t.Errorf("%d: %s reports from %s, located in %s", rf.Period, r[1], r[0], f.town)
					}
					vals := make([]int64, len(r))
					for i := 3; i < len(r); i++ {
						v, has := value(t, r[i], i < 11)
						vals[i] = v
						if !has {
							vals[i] = -1
						}
					}
					rev := vals[3]
					if rev <= 0 {
						t.Fatalf("%d: %s revenue %q", rf.Period, r[1], r[3])
					}
					for _, c := range []struct {
						col    int
						lo, hi float64
					}{{5, 0.70, 0.85}, {7, 0.08, 0.20}, {9, 0.005, 0.02}} {
						if share := float64(vals[c.col]) / float64(rev); share < c.lo-0.002 || share > c.hi+0.002 {
							t.Errorf("%d: %s %s is %.3f of revenue", rf.Period, r[1], rf.Rows[0][c.col], share)
						}
					}
					if vals[11] < 3 {
						t.Errorf("%d: %s has %d staff", rf.Period, r[1], vals[11])
					}
					if ytd[r[1]] == nil {
						ytd[r[1]] = map[reports.Period][]int64{}
					}
					ytd[r[1]][rf.Period] = vals
					totals[rf.Period] += rev
					if field, _ := p.FieldOfIndustry(f.class); field.Group == "producer" {
						producer[rf.Period] += rev
					}
				}
			}
			if last := d.Reports[len(d.Reports)-1].Period; last != 202610 {
				t.Errorf("last period %d, want 202610", last)
			}

			for code, byPeriod := range ytd {
				founded, _ := time.Parse(time.DateOnly, firms[code].founded)
				for per, vals := range byPeriod {
					// YTD never falls within a year.
					if prev, ok := byPeriod[per.Prev()]; ok && per.Prev() != 0 {
						for _, c := range measures {
							if vals[c] < prev[c] {
								t.Errorf("%s: %s of %d (%d) below %d's (%d)", code, demo.F203Header[c], per, vals[c], per.Prev(), prev[c])
							}
						}
					}
					// 上年同期 is last year's YTD of the same firm, blank when it
					// did not exist by the end of that period.
					endLastYear := time.Date(per.Year()-1, time.Month(per.Month())+1, 1, 0, 0, 0, 0, time.UTC)
					if existed := founded.Before(endLastYear); existed != (vals[4] >= 0) {
						t.Errorf("%s (founded %s): 上年同期 of %d is %q", code, firms[code].founded, per, fmt.Sprint(vals[4]))
					}
					if last, ok := byPeriod[per.LastYear()]; ok {
						for _, c := range measures {
							if vals[c+1] != last[c] {
								t.Errorf("%s: %s of %d is %d, its %s of %d %d", code, demo.F203Header[c+1], per, vals[c+1],
									demo.F203Header[c], per.LastYear(), last[c])
							}
						}
					}
				}
			}

			yi := func(fen int64) float64 { return float64(fen) / 1e10 }
			t.Logf("F203 firms and revenue: 2023 %d firms %.0f亿, 2024 %d firms %.0f亿, 2025 %d firms %.0f亿, 2026年1-10月 %d firms %.0f亿",
				len(rows(d, 202312)), yi(totals[202312]), len(rows(d, 202412)), yi(totals[202412]),
				len(rows(d, 202512)), yi(totals[202512]), len(rows(d, 202610)), yi(totals[202610]))
			if y := yi(totals[202512]); y < 1100 || y > 1300 {
				t.Errorf("2025 revenue of 规上服务业 %.0f亿元, want 1,100–1,300", y)
			}
			share := float64(producer[202512]) / float64(totals[202512])
			t.Logf("producer services: %.1f%% of 2025 revenue", share*100)
			if share < 0.5 || share > 0.65 {
				t.Errorf("producer services bring %.1f%% of 2025 revenue, want about 55–60%%", share*100)
			}
			// The 1-2月 share of the year's revenue shows 春节.
			if s := float64(totals[202502]) / float64(totals[202512]); s < 0.11 || s > 0.15 {
				t.Errorf("1-2月 is %.1f%% of 2025", s*100)
			}
		})
	}
}

func rows(d *demo.Data, per reports.Period) [][]string {
	for _, rf := range d.Reports {
		if rf.Period == per {
			return rf.Rows[1:]
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestValues(t *testing.T) {
	p := shippedPlan(t)
	d := generate(t, 1)
	got := map[string][]monitor.Period{}
	byKey := map[string]string{}
	for _, v := range d.Values {
		ind, ok := p.Indicator(v.Indicator)
		switch {
		case !ok:
			t.Fatalf("value of unknown indicator %s", v.Indicator)
		case ind.Compute != "":
			t.Errorf("%s is computed by the platform, yet has a value for %s", v.Indicator, v.Period)
		case ind.PerUnitKind != "" || v.Unit != "":
			t.Errorf("%s %s: not a district value", v.Indicator, v.Period)
		}
		per, err := monitor.ParsePeriod(v.Period)
		if err != nil || per.String() != v.Period {
			t.Errorf("%s: period %q: %v", v.Indicator, v.Period, err)
		}
		if !plan.Number(v.Value).Valid() {
			t.Errorf("%s %s: value %q", v.Indicator, v.Period, v.Value)
		}
		on, err := time.Parse(time.DateOnly, v.ReleasedOn)
		if err != nil || !on.Before(through) || on.Before(time.Date(per.Year, time.Month(per.MonthsCovered()), 28, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s %s: released on %q", v.Indicator, v.Period, v.ReleasedOn)
		}
		if !v.Publish || v.Source != "imported" || v.SourceRef != demo.SourceRef {
			t.Errorf("%s %s: %+v", v.Indicator, v.Period, v)
		}
		key := v.Indicator + "/" + v.Period
		if _, dup := byKey[key]; dup {
			t.Errorf("two values for %s", key)
		}
		byKey[key] = v.Value
		got[v.Indicator] = append(got[v.Indicator], per)
	}
	for _, ind := range p.Indicators {
		if ind.Compute == "" && ind.PerUnitKind == "" && len(got[ind.Code]) == 0 {
			t.Errorf("%s has no values", ind.Code)
		}
	}
	// A few figures as designed: 服务业增加值 ≈560亿 in 2024, 1-9月 2026
	// values of 2026.
	for key, want := range map[string]string{"SVC_VALUE_ADDED/2024": "560.12", "SVC_VALUE_ADDED_GROWTH/2025": "5.6",
		"NEW_INCUBATION_PROJECTS/2026-10": "30", "NEW_PROV_SVC_CLUSTERS/2026Q3": "2"} {
		if byKey[key] != want {
			t.Errorf("%s = %q, want %s", key, byKey[key], want)
		}
	}
	// Flows and counts never fall within a year.
	for code, pers := range got {
		ind, _ := p.Indicator(code)
		if ind.Kind != plan.KindAnnual && ind.Kind != plan.KindYearlyNew && ind.Kind != plan.KindPeriodNew {
			continue
		}
		for i := 1; i < len(pers); i++ {
			a, _ := new(big.Rat).SetString(byKey[code+"/"+pers[i-1].String()])
			b, _ := new(big.Rat).SetString(byKey[code+"/"+pers[i].String()])
			if (pers[i].Year == pers[i-1].Year || ind.Kind == plan.KindPeriodNew) && b.Cmp(a) < 0 {
				t.Errorf("%s falls from %s to %s", code, pers[i-1], pers[i])
			}
		}
	}
}

// TestLights checks that the values give a demo every light in 2026,
// whenever in the year it is shown.
func TestLights(t *testing.T) {
	p := shippedPlan(t)
	opts := monitor.Options{PlanStartYear: p.Meta.StartYear, PlanEndYear: p.Meta.EndYear}
	for month := 4; month <= 12; month++ {
		at := time.Date(2026, time.Month(month), 28, 0, 0, 0, 0, time.UTC)
		d, err := demo.Generate(p, industry.Default(), demo.Options{Seed: 1, Firms: 50, Through: at})
		if err != nil {
			t.Fatal(err)
		}
		type point struct {
			per   monitor.Period
			value string
		}
		latest := map[string]point{}
		for _, v := range d.Values {
			per, _ := monitor.ParsePeriod(v.Period)
			if l, ok := latest[v.Indicator]; per.Year == 2026 && (!ok || l.per.Before(per)) {
				latest[v.Indicator] = point{per, v.Value}
			}
		}
		lights := map[monitor.Light][]string{}
		for _, ind := range p.Indicators {
			l, ok := latest[ind.Code]
			if !ok {
				continue
			}
			actual, _ := new(big.Rat).SetString(l.value)
			pr := monitor.Compute(ind, 2026, l.per, actual, nil, monitor.DefaultRules(), opts)
			lights[pr.Light] = append(lights[pr.Light], ind.Code)
		}
		t.Logf("%s: %v", at.Format(time.DateOnly), lights)
		for _, l := range []monitor.Light{monitor.Green, monitor.Yellow, monitor.Red} {
			if len(lights[l]) == 0 {
				t.Errorf("%s: no %s light", at.Format(time.DateOnly), l)
			}
		}
	}
}

// TestOtherPlan generates for a plan whose indicators the package has no
// designed series for: each gets values made from its targets.
func TestOtherPlan(t *testing.T) {
	p := *shippedPlan(t)
	p.Indicators = slices.Clone(p.Indicators)
	for i := range p.Indicators {
		p.Indicators[i].Code = "OTHER_" + p.Indicators[i].Code
	}
	d, err := demo.Generate(&p, industry.Default(), demo.Options{Seed: 1, Firms: 200, Through: through})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, v := range d.Values {
		ind, ok := p.Indicator(v.Indicator)
		if !ok || ind.Compute != "" || ind.PerUnitKind != "" {
			t.Fatalf("value of %s", v.Indicator)
		}
		if per, err := monitor.ParsePeriod(v.Period); err != nil || per.Year < 2023 || !plan.Number(v.Value).Valid() {
			t.Errorf("%s %s = %q: %v", v.Indicator, v.Period, v.Value, err)
		}
		n[v.Indicator]++
	}
	for _, ind := range p.Indicators {
		if ind.Compute == "" && ind.PerUnitKind == "" && n[ind.Code] == 0 {
			t.Errorf("%s has no values", ind.Code)
		}
	}
}

// TestProjects: the ledger is about 24 projects a year from 2021, each
// valid, its stages in order and never after the data ends, certified
// after the stage; the yearly counts look like a district's against
// 20/15/10.
func TestProjects(t *testing.T) {
	p := shippedPlan(t)
	for _, seed := range seeds {
		d := generate(t, seed)
		if n := len(d.Projects); n < 6*24-24 || n > 6*24 {
			t.Errorf("seed %d: %d projects", seed, n)
		}
		last := through.AddDate(0, 0, -1).Format(time.DateOnly)
		w := projects.World{
			Field: func(c string) bool { _, ok := p.Field(c); return ok },
			Place: func(c string) bool {
				u, ok := p.Unit(c)
				return ok && u.Kind != plan.KindDepartment && u.Kind != plan.KindDistrict
			},
			Unit: func(c string) bool { _, ok := p.Unit(c); return ok },
			Now:  through,
		}
		codes := map[string]bool{}
		for _, pr := range d.Projects {
			if errs := pr.Validate(w); len(errs) > 0 || codes[pr.Code] {
				t.Fatalf("seed %d: %s: %v (duplicate %v)", seed, pr.Code, errs, codes[pr.Code])
			}
			codes[pr.Code] = true
			prev := ""
			for _, e := range pr.Events {
				if e.On < prev || e.On > last || e.Certified != nil && (e.Certified.On < e.On || e.Certified.On > last) {
					t.Fatalf("seed %d: %s: events %+v", seed, pr.Code, pr.Events)
				}
				prev = e.On
			}
		}
		// The bureau's lists name each project of the ledger once.
		named := map[string]int{}
		for _, pr := range d.Projects {
			named[pr.Name]++
		}
		if len(d.FAI) < 6 {
			t.Errorf("seed %d: %d monthly 固投 lists", seed, len(d.FAI))
		}
		for _, f := range d.FAI {
			ours := 0
			for _, row := range f.Rows[1:] {
				if named[row[1]] > 1 {
					t.Fatalf("seed %d: %s names %d projects", seed, row[1], named[row[1]])
				}
				ours += named[row[1]]
			}
			if ours == 0 || ours != len(f.Rows)-4 {
				t.Errorf("seed %d, %s: %d of %d rows are the ledger's", seed, f.Period, ours, len(f.Rows)-1)
			}
		}
		for year := 2023; year <= 2025; year++ {
			c := projects.DefaultRules().Count(d.Projects, year)
			signed, started, completed := c[projects.StageSigned].Total, c[projects.StageStarted].Total, c[projects.StageCompleted].Total
			if signed < 10 || signed > 26 || started < 8 || started > 24 || completed < 3 || completed > 26 {
				t.Errorf("seed %d, %d: signed %d, started %d, completed %d", seed, year, signed, started, completed)
			}
		}
	}
}
