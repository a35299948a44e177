package registry

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"svcplan/internal/industry"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/xlsx"
	"svcplan/plans"
)

// fuzzPlan is the shipped plan; lookups use it as imports do.
var fuzzPlan = func() *plan.Plan {
	p, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		panic(err)
	}
	return p.Plan
}()

func testLookups(official bool) Lookups {
	ref := Reference{Table: industry.Default(), Thresholds: industry.DefaultThresholds(), Crosswalk: industry.DefaultCrosswalk()}
	s := &Service{ref: func() Reference { return ref }, now: func() time.Time { return testNow }}
	return s.lookups(fuzzPlan, ImportOptions{Official: official})
}

// seeds are the CSV files of testdata, the fuzz targets' seed corpus.
func seeds(f *testing.F) [][]byte {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzMatchHeader: any header row maps each directory column to at most
// one file column that names it, and one file column to at most one
// directory column.
func FuzzMatchHeader(f *testing.F) {
	f.Add("统一社会信用代码\t单位详细名称\t行业代码\t所在镇街")
	f.Add("信用代码\t企业名称\t企业名称\t营业收入(万元)")
	f.Add("序号\t 统一社会信用代码 \t【单位名称】\t营业收入（千元）")
	f.Add("")
	f.Fuzz(func(t *testing.T, line string) {
		cells := strings.Split(line, "\t")
		m, err := MatchHeader(cells, 1)
		if _, ok := m.Index[ColUSCC]; err == nil && !ok {
			t.Fatalf("no error, but no USCC column: %v", m.Index)
		}
		taken := map[int]Column{}
		for col, i := range m.Index {
			if i < 0 || i >= len(cells) {
				t.Fatalf("%s maps to column %d of %d", col, i, len(cells))
			}
			if other, dup := taken[i]; dup {
				t.Fatalf("column %d is both %s and %s", i, col, other)
			}
			taken[i] = col
			if got := synonymIndex[normHeader(cells[i])]; got != col {
				t.Fatalf("column %d %q mapped to %s, its header names %s", i, cells[i], col, got)
			}
		}
	})
}

var (
	dateForm  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	monthForm = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

// readRows opens data as a CSV and finds its header; ok is false when it
// has none.
func readRows(t *testing.T, data []byte) (xlsx.RowReader, Mapping, bool) {
	rows, _, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), "fuzz.csv", xlsx.Options{MaxRows: 2000})
	if err != nil {
		return nil, Mapping{}, false
	}
	m, err := FindHeader(rows)
	if err != nil {
		rows.Close()
		return nil, m, false
	}
	return rows, m, true
}

// eachRow calls fn with the data rows, at most a thousand.
func eachRow(t *testing.T, rows xlsx.RowReader, fn func(row int, cells []string)) {
	defer rows.Close()
	for range 1000 {
		cells, err := rows.Next()
		if errors.Is(err, io.EOF) || err != nil {
			return
		}
		fn(rows.Row(), cells)
	}
}

// FuzzImportEnterprises: whatever the file, each row is either refused
// with errors that say where, or staged with values in their stored
// forms: a known class, a unit of the plan, canonical dates.
func FuzzImportEnterprises(f *testing.F) {
	for _, b := range seeds(f) {
		f.Add(b, true)
		f.Add(b, false)
	}
	// GB/T 4754-2011 codes: split (7240), renumbered (7250), lost zero (511).
	f.Add([]byte("统一社会信用代码,单位详细名称,行业代码,所在镇街\n91350100M000100Y43,甲,7240,白马镇\n"+
		"91321203MA10012200,乙,L7250,白马镇\n913212710747283018,丙,511,白马镇\n"), true)
	lookups := map[bool]Lookups{true: testLookups(true), false: testLookups(false)}
	f.Fuzz(func(t *testing.T, data []byte, official bool) {
		l := lookups[official]
		{
			rows, m, ok := readRows(t, data)
			if !ok {
				return
			}
			p := newRowParser(m, l)
			eachRow(t, rows, func(row int, cells []string) {
				st, errs := p.parse(row, cells)
				for _, e := range errs {
					if e.Row != row || e.Msg == "" {
						t.Fatalf("row %d: error %+v", row, e)
					}
				}
				if len(errs) > 0 {
					return
				}
				e := st.E
				if len([]rune(e.USCC)) != 18 {
					t.Fatalf("row %d: staged USCC %q", row, e.USCC)
				}
				if e.Industry != "" && !l.IndustryClass(e.Industry) {
					t.Fatalf("row %d: staged industry %q", row, e.Industry)
				}
				if e.Industry2011 != "" {
					if s, ok := l.Successor(e.Industry2011); !ok || !s.Unsure() || !slices.Contains(s.Classes, e.Industry) {
						t.Fatalf("row %d: staged class %s for the 2011 class %s (%+v)", row, e.Industry, e.Industry2011, s)
					}
				}
				if u, ok := fuzzPlan.Unit(e.Unit); e.Unit != "" && (!ok || u.Kind == plan.KindDepartment) {
					t.Fatalf("row %d: staged unit %q", row, e.Unit)
				}
				if e.RegisteredOn != "" && (!dateForm.MatchString(e.RegisteredOn) || e.RegisteredOn > "2026-05-15") {
					t.Fatalf("row %d: staged registration date %q", row, e.RegisteredOn)
				}
				for _, mo := range []string{e.IncludedOn, e.ExitedOn} {
					if mo != "" && !monthForm.MatchString(mo) {
						t.Fatalf("row %d: staged month %q", row, mo)
					}
				}
				if e.Status != "" && e.Status.Label() == "" || e.Register != "" && e.Register.Label() == "" {
					t.Fatalf("row %d: staged status %q register %q", row, e.Status, e.Register)
				}
			})
		}
	})
}

// FuzzImportRevenue: a staged figure is never negative, has a period of
// a past year or month and a known source.
func FuzzImportRevenue(f *testing.F) {
	for _, b := range seeds(f) {
		f.Add(b)
	}
	l := testLookups(true)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, m, ok := readRows(t, data)
		if !ok {
			return
		}
		unit := m.RevenueUnit
		if unit == 0 {
			unit = money.WanYuan
		}
		rp := &revenueParser{p: newRowParser(m, l), unit: unit, source: SourceTax}
		eachRow(t, rows, func(row int, cells []string) {
			st, key, errs := rp.parse(row, cells)
			if len(errs) > 0 {
				return
			}
			fig := st.Figure
			if fig.AmountFen < 0 || fig.AmountFen > money.Max || fig.Source.Label() == "" || fig.Months < 0 || fig.Months > 12 {
				t.Fatalf("row %d: staged figure %+v", row, fig)
			}
			if !monthForm.MatchString(fig.Period) && !regexp.MustCompile(`^\d{4}$`).MatchString(fig.Period) || fig.Period > "2026-05" {
				t.Fatalf("row %d: staged period %q", row, fig.Period)
			}
			if key != RevenueKey(st.USCC, fig.Period, fig.Source) {
				t.Fatalf("row %d: key %q", row, key)
			}
		})
	})
}
