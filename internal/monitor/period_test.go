package monitor

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/apperr"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in     string
		want   Period
		months int
		label  string
	}{
		{"2025", Period{Year: 2025}, 12, "2025年"},
		{"2025Q1", Period{Year: 2025, Quarter: 1}, 3, "2025年1季度"},
		{"2025Q3", Period{Year: 2025, Quarter: 3}, 9, "2025年1-3季度"},
		{"2025Q4", Period{Year: 2025, Quarter: 4}, 12, "2025年1-4季度"},
		{"2025-01", Period{Year: 2025, Month: 1}, 1, "2025年1月"},
		{"2025-02", Period{Year: 2025, Month: 2}, 2, "2025年1-2月"},
		{"2025-09", Period{Year: 2025, Month: 9}, 9, "2025年1-9月"},
		{"2025-12", Period{Year: 2025, Month: 12}, 12, "2025年1-12月"},
		{"1999-10", Period{Year: 1999, Month: 10}, 10, "1999年1-10月"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if err != nil {
				t.Fatalf("ParsePeriod(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParsePeriod(%q) (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
			if m := got.MonthsCovered(); m != tt.months {
				t.Errorf("MonthsCovered() = %d, want %d", m, tt.months)
			}
			if l := got.Label(); l != tt.label {
				t.Errorf("Label() = %q, want %q", l, tt.label)
			}
		})
	}
}

func TestParsePeriodErrors(t *testing.T) {
	const (
		shape   = "期别“%s”无法识别:应为2025(全年)、2025Q3(1-3季度累计)或2025-09(1-9月累计)"
		year    = "期别“%s”无法识别:应以四位年份开头,如2025、2025Q3(1-3季度累计)或2025-09(1-9月累计)"
		quarter = "期别“%s”有误:季度应为Q1—Q4"
		month   = "期别“%s”有误:月份应为01—12"
	)
	tests := []struct{ in, msg string }{
		{"", year},
		{"25", year},
		{"202", year},
		{"0999", year},
		{"-2025", year},
		{" 2025", year},
		{"２０２５", year},
		{"2025 ", shape},
		{"2025q3", shape},
		{"2025Q", shape},
		{"2025Q10", shape},
		{"2025Q0", quarter},
		{"2025Q5", quarter},
		{"2025-9", shape},
		{"2025-009", shape},
		{"2025-1a", shape},
		{"202509", shape},
		{"2025M09", shape},
		{"2025-00", month},
		{"2025-13", month},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if err == nil {
				t.Fatalf("ParsePeriod(%q) = %v, want an error", tt.in, p)
			}
			if apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("error kind = %v, want Invalid", apperr.KindOf(err))
			}
			if got, want := apperr.Message(err), fmt.Sprintf(tt.msg, tt.in); got != want {
				t.Errorf("message = %q, want %q", got, want)
			}
		})
	}
}

func TestPeriodOrder(t *testing.T) {
	// Ascending: by year, then by the last month covered, then month <
	// quarter < year among periods ending in the same month.
	order := []string{
		"2024", "2025-01", "2025-02", "2025-03", "2025Q1", "2025-06", "2025Q2",
		"2025-09", "2025Q3", "2025-12", "2025Q4", "2025", "2026-02",
	}
	ps := make([]Period, len(order))
	for i, s := range order {
		ps[i] = mustPeriod(t, s)
	}
	for i, p := range ps {
		for j, q := range ps {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := p.Compare(q); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", p, q, got, want)
			}
			if got := p.Before(q); got != (i < j) {
				t.Errorf("%s.Before(%s) = %v, want %v", p, q, got, i < j)
			}
		}
	}
}

// FuzzParsePeriod checks that ParsePeriod never panics, explains every
// refusal, and that what it accepts is canonical: String gives the input
// back and parses to the same period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"2025", "2025Q3", "2025-09", "2025-01", "2025-12", "2025Q4", "9999Q1",
		"", "0999", "2025Q0", "2025-13", "2025-9", "2025q3", "２０２５", "2025-\x00\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			if apperr.KindOf(err) != apperr.Invalid || apperr.Message(err) == "" {
				t.Fatalf("ParsePeriod(%q): refusal without a message: %#v", s, err)
			}
			return
		}
		if p.String() != s {
			t.Fatalf("ParsePeriod(%q).String() = %q", s, p.String())
		}
		again, err := ParsePeriod(p.String())
		if err != nil || again != p {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
		if m := p.MonthsCovered(); m < 1 || m > 12 {
			t.Fatalf("%q covers %d months", s, m)
		}
		if p.Quarter != 0 && p.Month != 0 {
			t.Fatalf("%q has both a quarter and a month", s)
		}
		if p.Label() == "" || p.Compare(p) != 0 {
			t.Fatalf("%q: label %q, self-compare %d", s, p.Label(), p.Compare(p))
		}
	})
}

func mustPeriod(t *testing.T, s string) Period {
	t.Helper()
	p, err := ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
