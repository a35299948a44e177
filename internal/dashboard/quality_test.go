package dashboard

import (
	"context"
	"testing"
	"time"

	"svcplan/internal/auth"
	"svcplan/internal/reports"
)

// rollupsPeriodsVersion is the part of Reports that Quality does not read.
type rollupsPeriodsVersion interface {
	Rollups(ctx context.Context, q reports.Query) ([]reports.Rollup, error)
	Version(ctx context.Context) (int64, error)
}

// fakeReports serves reports from memory; only what Quality reads.
type fakeReports struct {
	rollupsPeriodsVersion
	rows []reports.Report
}

func (f *fakeReports) Periods(context.Context, string) ([]reports.Period, error) {
	seen := map[reports.Period]bool{}
	var out []reports.Period
	for _, r := range f.rows {
		if !seen[r.Period] {
			seen[r.Period] = true
			out = append(out, r.Period)
		}
	}
	return out, nil
}

func (f *fakeReports) Reports(_ context.Context, _ *auth.User, q reports.Query) ([]reports.Report, error) {
	var out []reports.Report
	for _, r := range f.rows {
		for _, p := range q.Periods {
			if r.Period == p {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// ytd adds a firm's year-to-date revenue (万元) for 2025's periods from
// 1-2月: cum[0] is 1-2月, cum[1] 1-3月 …
func ytd(rows []reports.Report, uscc string, prev int64, cum ...int64) []reports.Report {
	for i, c := range cum {
		v := reports.Value{Cur: c * 1_000_000, HasCur: true}
		if prev > 0 {
			v.Prev, v.HasPrev = prev*1_000_000, true
		}
		r := reports.Report{Form: "F203", Period: reports.Period(202502 + i), USCC: uscc, Name: "企业" + uscc, Unit: "321203101"}
		r.Values[reports.Revenue] = v
		rows = append(rows, r)
	}
	return rows
}

func TestQuality(t *testing.T) {
	var rows []reports.Report
	// A: steady 100万元 a month (1-2月 200), September 100: no flag. 上年同期
	// 850 against 1-9月 900: +5.9%.
	rows = ytd(rows, "A", 850, 200, 300, 400, 500, 600, 700, 800, 900)
	// B: reported 1-8月, not 1-9月: missing.
	rows = ytd(rows, "B", 0, 20, 30, 40, 50, 60, 70, 80)
	// C: 1-9月 below 1-8月 (a correction the bureau should explain), and
	// 上年同期 400 against 690: +72.5% > 50%.
	rows = ytd(rows, "C", 400, 200, 300, 400, 500, 600, 700, 800, 690)
	// D: months 3-8 of 10, 11, 9, 10, 12, 10 (median 10, deviations 0, 1,
	// 1, 0, 2, 0 → MAD 0.5), then September 40: 30 from the median > 3 ×
	// 0.5. 上年同期 120 against 1-9月 122: +1.7%.
	rows = ytd(rows, "D", 120, 20, 30, 41, 50, 60, 72, 82, 122)
	// E: 15004 against 10000 is +50.04%, printed 50.0%: within ±50%.
	// F: 15010 against 10000 is +50.1%: beyond.
	rows = ytd(rows, "E", 10000, 3000, 4500, 6000, 7500, 9000, 10500, 12000, 15004)
	rows = ytd(rows, "F", 10000, 3000, 4500, 6000, 7500, 9000, 10500, 12000, 15010)
	s := NewService(Sources{Reports: &fakeReports{rows: rows}, Now: func() time.Time { return time.Now() }})
	stat := &auth.User{Role: auth.RoleStatistician}
	q, err := s.Quality(context.Background(), stat)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range q.Flags {
		got[string(f.Kind)+" "+f.USCC] = f.Detail
	}
	want := map[string]string{
		"missing B":  "2025年1-8月已报送,2025年1-9月未报送",
		"ytd_fall C": "营业收入累计690.00万元,低于2025年1-8月的800.00万元",
		"yoy C":      "营业收入同比72.5%,超出±50%",
		"outlier D":  "2025年9月单月营业收入40.00万元,近期单月中位数10.00万元,偏离超过3倍中位差",
		"yoy F":      "营业收入同比50.1%,超出±50%",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("flags %v, want only %v", got, want)
	}
	// A leader's view is counts only; reporters are refused.
	leader := &auth.User{Role: auth.RoleLeader}
	if _, err := s.Quality(context.Background(), leader); err == nil {
		t.Errorf("a leader ran the check")
	}
}
