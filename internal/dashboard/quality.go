package dashboard

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sort"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/reports"
)

// Data-quality checks of the latest reports (统计数据质量核查): what a
// statistician looks at before a period is released.

// FlagKind is a kind of data-quality flag.
type FlagKind string

// Flag kinds.
const (
	FlagMissing FlagKind = "missing"  // reported last period, not this one
	FlagYTDFall FlagKind = "ytd_fall" // year-to-date value lower than last period's
	FlagYoY     FlagKind = "yoy"      // same-firm growth beyond the bound
	FlagOutlier FlagKind = "outlier"  // this month far from the firm's own history
)

// Label is the kind in Chinese.
func (k FlagKind) Label() string {
	return map[FlagKind]string{FlagMissing: "漏报", FlagYTDFall: "累计值回落", FlagYoY: "增速异常", FlagOutlier: "偏离自身历史"}[k]
}

// Flag is one firm's data-quality problem.
type Flag struct {
	Kind   FlagKind
	USCC   string
	Name   string
	Unit   string
	Detail string
}

// Quality is the data-quality check of one period.
type Quality struct {
	Period reports.Period
	Flags  []Flag // only for those who may see firms
	Counts map[FlagKind]int
	// Bound is the same-firm growth, in percent either way, beyond which
	// a firm is flagged; MADs how many median absolute deviations from
	// its own monthly history make a month an outlier.
	Bound, MADs int
}

// CountOf is the number of flags of a kind.
func (q *Quality) CountOf(k FlagKind) int { return q.Counts[k] }

// Quality checks the latest period of the served form against the earlier
// ones. Firms are named only to those who may see them; others get counts.
func (s *Service) Quality(ctx context.Context, u *auth.User) (*Quality, error) {
	if err := auth.Check(u, auth.PermValuesReview, ""); err != nil {
		return nil, err
	}
	ps, err := s.src.Reports.Periods(ctx, s.src.ServedForm)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, apperr.NotFoundf("尚未导入%s报表", s.src.ServedForm)
	}
	slices.Sort(ps)
	cur := ps[len(ps)-1]
	q := &Quality{Period: cur, Counts: map[FlagKind]int{}, Bound: s.src.YoYBound, MADs: s.src.OutlierMADs}
	// The last 13 periods give each firm up to a year of months.
	from := max(0, len(ps)-13)
	history, err := s.src.Reports.Reports(ctx, u, reports.Query{Form: s.src.ServedForm, Periods: ps[from:]})
	if err != nil {
		return nil, err
	}
	byFirm := map[string]map[reports.Period]reports.Report{}
	for _, r := range history {
		if byFirm[r.USCC] == nil {
			byFirm[r.USCC] = map[reports.Period]reports.Report{}
		}
		byFirm[r.USCC][r.Period] = r
	}
	prevPeriod := reports.Period(0)
	if len(ps) > 1 {
		prevPeriod = ps[len(ps)-2]
	}
	var flags []Flag
	for uscc, rs := range byFirm {
		now, ok := rs[cur]
		last, hadLast := rs[prevPeriod]
		switch {
		case !ok && hadLast:
			flags = append(flags, Flag{FlagMissing, uscc, last.Name, last.Unit,
				fmt.Sprintf("%s已报送,%s未报送", prevPeriod.Label(), cur.Label())})
			continue
		case !ok:
			continue
		}
		v := now.Values[reports.Revenue]
		if hadLast && prevPeriod.Year() == cur.Year() && last.Values[reports.Revenue].Cur > v.Cur {
			flags = append(flags, Flag{FlagYTDFall, uscc, now.Name, now.Unit, fmt.Sprintf("营业收入累计%s万元,低于%s的%s万元",
				wan(v.Cur), prevPeriod.Label(), wan(last.Values[reports.Revenue].Cur))})
		}
		if g, ok := money.Growth(v.Cur, v.Prev); v.HasPrev && ok {
			// Judged as printed (one decimal), so 50.04% is not "beyond ±50%".
			printed, _ := new(big.Rat).SetString(money.Percent(g, 1))
			bound := big.NewRat(int64(q.Bound), 1)
			if printed.Cmp(bound) > 0 || new(big.Rat).Neg(printed).Cmp(bound) > 0 {
				flags = append(flags, Flag{FlagYoY, uscc, now.Name, now.Unit, fmt.Sprintf("营业收入同比%s%%,超出±%d%%",
					money.Percent(g, 1), q.Bound)})
			}
		}
		if d := outlier(rs, cur, q.MADs); d != "" {
			flags = append(flags, Flag{FlagOutlier, uscc, now.Name, now.Unit, d})
		}
	}
	for _, f := range flags {
		q.Counts[f.Kind]++
	}
	if u.CanSeeFirms() {
		sort.Slice(flags, func(i, j int) bool {
			if flags[i].Kind != flags[j].Kind {
				return flags[i].Kind < flags[j].Kind
			}
			return flags[i].USCC < flags[j].USCC
		})
		q.Flags = flags
	}
	return q, nil
}

// outlier reports a firm's latest single month lying more than k median
// absolute deviations from the median of its earlier months (at least six
// months of history; 1-2月 counts as one period of two months and is left
// out). "" when it does not.
func outlier(rs map[reports.Period]reports.Report, cur reports.Period, k int) string {
	month := func(p reports.Period) (int64, bool) {
		r, ok := rs[p]
		prev, okPrev := rs[p.Prev()]
		if !ok || !okPrev || p.Month() <= 2 {
			return 0, false
		}
		return r.Values[reports.Revenue].Cur - prev.Values[reports.Revenue].Cur, true
	}
	now, ok := month(cur)
	if !ok {
		return ""
	}
	var hist []int64
	for p := range rs {
		if p == cur {
			continue
		}
		if m, ok := month(p); ok {
			hist = append(hist, m)
		}
	}
	if len(hist) < 6 {
		return ""
	}
	med := median(hist)
	dev := make([]int64, len(hist))
	for i, h := range hist {
		dev[i] = abs(h - med)
	}
	mad := median(dev)
	if mad == 0 || abs(now-med) <= int64(k)*mad {
		return ""
	}
	return fmt.Sprintf("%s单月营业收入%s万元,近期单月中位数%s万元,偏离超过%d倍中位差", cur.MonthLabel(), wan(now), wan(med), k)
}

func median(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// wan writes an amount in 万元 with two decimals, as the data-quality notes
// quote it.
func wan(fen int64) string { return money.Fen(fen).Text(money.WanYuan, 2) }
