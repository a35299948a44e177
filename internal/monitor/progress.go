package monitor

import (
	"fmt"
	"math/big"

	"svcplan/internal/money"
	"svcplan/internal/plan"
)

// Light is the traffic light (红黄绿灯) of a target.
type Light string

// Lights.
const (
	Green  Light = "green"  // at or ahead of 序时进度, or at/above a rate target
	Yellow Light = "yellow" // behind, but less than the red threshold
	Red    Light = "red"    // behind by the red threshold or more
	Gray   Light = "gray"   // not judged: no data, no target, or no ratio
)

// Label is the light's Chinese name.
func (l Light) Label() string {
	switch l {
	case Green:
		return "绿灯"
	case Yellow:
		return "黄灯"
	case Red:
		return "红灯"
	case Gray:
		return "灰灯(未评价)"
	}
	return ""
}

// Options is what Compute needs to know of the plan beyond the indicator.
type Options struct {
	// PlanStartYear and PlanEndYear bound the plan period (2025 and 2027
	// for a 2025–2027 plan). Period targets (plan.KindPeriodNew) are for
	// the end year, and their 序时进度 is the share of the period elapsed.
	PlanStartYear int
	PlanEndYear   int
}

// Progress is how an indicator stands against its target in one year, as
// of one period's data. All numbers are exact; nil means "none".
type Progress struct {
	Year   int
	Period Period
	// Actual is the value of the period (latest published), in the
	// indicator's unit; nil when there is no data.
	Actual *big.Rat
	// Target is the value compared with: the target's value, or for a
	// range (between) its lower end, its upper end when less is better.
	Target *big.Rat
	// TargetText is the target as the plan states it, e.g. "≥680", "1–2".
	TargetText string
	// TargetYear is the year the target is for: Year, or the plan's end
	// year for period targets.
	TargetYear int
	// Baseline is a stock's value at the end of the previous year, when
	// known; nil for other kinds.
	Baseline *big.Rat
	// Expected is the value that would be exactly on 序时进度: target ×
	// 序时进度 for flows, last year-end + (target − last year-end) × 序时进度
	// for stocks; nil for rates and where there is no ratio.
	Expected *big.Rat
	// Completion is the share of the target done, as a fraction (0.68 is
	// 68%); nil for rates and where a ratio is meaningless.
	Completion *big.Rat
	// TimeProgress is 序时进度 as a fraction (1-9月: 3/4); nil for rates.
	TimeProgress *big.Rat
	// Gap is how far ahead (positive) or behind (negative) the indicator
	// is: completion − 序时进度 in percentage points, or for rates actual −
	// target in the indicator's unit. Both are mirrored when less is
	// better, so a positive gap is always good. Nil when not judged.
	Gap *big.Rat
	// Light is judged on Gap rounded as printed (see Rules).
	Light Light
	// Explain is one Chinese sentence saying how the light came about,
	// e.g. "1-9月完成全年目标的68.0%,低于序时进度7.0个百分点".
	Explain string
}

// Compute works out the progress of ind in year from the value actual of
// period (year-to-date; nil when there is no data). prevYearEnd is the
// value at the end of the previous year, used by stocks (plan.KindLevel)
// and ignored by other kinds; nil when unknown.
//
// How progress is read depends on the indicator's kind:
//
//   - cumulative flows (annual, yearly_new): completion = actual / target;
//     序时进度 = months covered / 12 (1-9月 → 75%);
//     gap = completion − 序时进度, in percentage points.
//   - stocks (level): completion = (actual − last year-end) / (target −
//     last year-end), i.e. the share of the planned change done, measured
//     against a linear path; without a last year-end value, actual / target.
//   - period targets (period_new): the target of the plan's end year;
//     completion = actual (new since the plan began) / target; 序时进度 =
//     months elapsed since the plan began / months of the plan period.
//   - rates (share, change, avg_growth, growth_gap): gap = actual − target,
//     in the indicator's unit, never a ratio (cn-stats-conventions §2.4).
//
// When less is better (plan.Down) a flow's target is a ceiling and the gap
// is mirrored: using the ceiling slower than 序时进度 is ahead. A stock
// needs no mirroring, the planned change having the sign of the target.
//
// The light is Gray, with the reason in Explain, when there is no target
// for the year, no data, or no meaningful ratio (a target of zero or
// less, a stock that already met its target at last year-end); in the
// last case the light is Green if the actual value meets the target.
func Compute(ind plan.Indicator, year int, period Period, actual, prevYearEnd *big.Rat, rules Rules, opts Options) Progress {
	p := Progress{Year: year, Period: period, TargetYear: year, Light: Gray}
	th, err := rules.parse()
	if err != nil {
		p.Explain = "预警规则设置有误,未评价"
		return p
	}
	if period.Year != year {
		p.Explain = fmt.Sprintf("数据期别%s不属于%d年度", period.Label(), year)
		return p
	}
	if actual != nil {
		p.Actual = new(big.Rat).Set(actual)
	}
	if ind.Kind == plan.KindLevel && prevYearEnd != nil {
		p.Baseline = new(big.Rat).Set(prevYearEnd)
	}

	switch ind.Kind {
	case plan.KindAnnual, plan.KindYearlyNew, plan.KindLevel:
		p.TimeProgress = big.NewRat(int64(period.MonthsCovered()), 12)
	case plan.KindPeriodNew:
		start, end := opts.PlanStartYear, opts.PlanEndYear
		if start == 0 || end < start {
			p.Explain = "未设定规划期,无法计算序时进度"
			return p
		}
		if year < start || year > end {
			p.Explain = fmt.Sprintf("%d年不在规划期(%d—%d年)内", year, start, end)
			return p
		}
		p.TargetYear = end
		elapsed := (year-start)*12 + period.MonthsCovered()
		p.TimeProgress = big.NewRat(int64(elapsed), int64((end-start+1)*12))
	case plan.KindShare, plan.KindChange, plan.KindAvgGrowth, plan.KindGrowthGap:
	default:
		p.Explain = fmt.Sprintf("指标类型“%s”无法评价", ind.Kind)
		return p
	}

	t, ok := findTarget(ind.Targets, p.TargetYear)
	if !ok {
		p.Explain = "该年度无目标"
		if ind.Kind == plan.KindPeriodNew {
			p.Explain = fmt.Sprintf("规划期末(%d年)无目标", p.TargetYear)
		}
		return p
	}
	down := ind.Direction == plan.Down
	goal := t.Value
	if t.Op == plan.OpBetween && down {
		goal = t.Max
	}
	p.Target, ok = goal.Rat()
	if !ok {
		p.Explain = fmt.Sprintf("目标值“%s”不是有效数字", goal)
		return p
	}
	p.TargetText = t.Text()
	if p.Actual == nil {
		p.Explain = "暂无" + period.Label() + "数据"
		return p
	}

	switch ind.Kind {
	case plan.KindShare, plan.KindChange, plan.KindAvgGrowth, plan.KindGrowthGap:
		p.rate(ind.Unit, down, th)
	case plan.KindLevel:
		p.stock(ind.Unit, t.Op, down, th)
	default:
		p.flow(ind.Kind, ind.Unit, t.Op, down, th)
	}
	return p
}

// findTarget returns the target for year.
func findTarget(ts []plan.Target, year int) (plan.Target, bool) {
	for _, t := range ts {
		if t.Year == year {
			return t, true
		}
	}
	return plan.Target{}, false
}

// flow judges a cumulative flow or a period target.
func (p *Progress) flow(kind plan.Kind, unit string, op plan.Op, down bool, th thresholds) {
	lead := p.Period.lead() + "累计"
	if kind == plan.KindPeriodNew {
		lead = "截至" + p.Period.Label() + ",规划期累计"
	}
	if p.Target.Sign() <= 0 {
		p.noRatio(lead+formatValue(p.Actual)+unit, positiveReason(p.Target), unit, op, down)
		return
	}
	p.Expected = new(big.Rat).Mul(p.Target, p.TimeProgress)
	completion := new(big.Rat).Quo(p.Actual, p.Target)
	pace := p.pace(completion, down, th)
	d := th.decimals
	goal := "全年目标"
	if kind == plan.KindPeriodNew {
		goal = fmt.Sprintf("%d年目标", p.TargetYear)
	}
	switch {
	case kind == plan.KindPeriodNew && down:
		p.Explain = fmt.Sprintf("截至%s,规划期已过%s%%,累计为%s上限的%s%%,%s",
			p.Period.Label(), money.Percent(p.TimeProgress, d), goal, money.Percent(completion, d), pace)
	case kind == plan.KindPeriodNew:
		p.Explain = fmt.Sprintf("截至%s,规划期已过%s%%,累计完成%s的%s%%,%s",
			p.Period.Label(), money.Percent(p.TimeProgress, d), goal, money.Percent(completion, d), pace)
	case down:
		p.Explain = fmt.Sprintf("%s累计为全年控制目标的%s%%,%s", p.Period.lead(), money.Percent(completion, d), pace)
	default:
		p.Explain = fmt.Sprintf("%s完成全年目标的%s%%,%s", p.Period.lead(), money.Percent(completion, d), pace)
	}
}

// stock judges a year-end level.
func (p *Progress) stock(unit string, op plan.Op, down bool, th thresholds) {
	d := th.decimals
	at := p.Period.endLabel() + "为" + formatValue(p.Actual) + unit
	if p.Baseline == nil {
		switch {
		case down:
			p.noRatio(at, "缺少上年末数", unit, op, down)
		case p.Target.Sign() <= 0:
			p.noRatio(at, positiveReason(p.Target), unit, op, down)
		default:
			completion := new(big.Rat).Quo(p.Actual, p.Target)
			pace := p.pace(completion, down, th)
			p.Explain = fmt.Sprintf("%s,为年度目标的%s%%(缺上年末数,按期末数与目标之比计算),%s",
				at, money.Percent(completion, d), pace)
		}
		return
	}
	need := new(big.Rat).Sub(p.Target, p.Baseline)
	if (!down && need.Sign() <= 0) || (down && need.Sign() >= 0) {
		than := "不低于"
		if down {
			than = "不高于"
		}
		p.noRatio(at, fmt.Sprintf("上年末数(%s%s)已%s目标值", formatValue(p.Baseline), unit, than), unit, op, down)
		return
	}
	p.Expected = new(big.Rat).Mul(need, p.TimeProgress)
	p.Expected.Add(p.Expected, p.Baseline)
	delta := new(big.Rat).Sub(p.Actual, p.Baseline)
	completion := new(big.Rat).Quo(delta, need)
	pace := p.pace(completion, down, th)
	change := "与上年末持平"
	switch delta.Sign() {
	case 1:
		change = "较上年末净增" + formatValue(delta) + unit
	case -1:
		change = "较上年末净减" + formatValue(new(big.Rat).Neg(delta)) + unit
	}
	goal := "年度增量目标"
	if down {
		goal = "年度压减目标"
	}
	p.Explain = fmt.Sprintf("%s%s,完成%s的%s%%,%s", p.Period.endLabel(), change, goal, money.Percent(completion, d), pace)
}

// rate judges a rate, share or growth gap by its difference from the
// target.
func (p *Progress) rate(unit string, down bool, th thresholds) {
	diff := new(big.Rat).Sub(p.Actual, p.Target)
	p.Gap = diff
	if down {
		p.Gap = new(big.Rat).Neg(diff)
	}
	p.Light = th.rateLight(roundRat(p.Gap, th.decimals))
	what := "目标(" + p.TargetText + withUnit("", unit) + ")"
	p.Explain = fmt.Sprintf("%s实际为%s,%s", p.Period.lead(), withUnit(formatValue(p.Actual), unit),
		compare(diff, th.decimals, what, pointUnit(unit)))
}

// pace sets Completion and Gap and the light from completion against
// 序时进度, and returns the phrase comparing them.
func (p *Progress) pace(completion *big.Rat, down bool, th thresholds) string {
	p.Completion = completion
	diff := new(big.Rat).Sub(completion, p.TimeProgress)
	diff.Mul(diff, big.NewRat(100, 1))
	p.Gap = diff
	if down {
		p.Gap = new(big.Rat).Neg(diff)
	}
	p.Light = th.paceLight(roundRat(p.Gap, th.decimals))
	return compare(diff, th.decimals, "序时进度", "个百分点")
}

// noRatio handles a target no completion ratio can be computed for: the
// light is Green when the actual value already meets the target, else
// Gray, and the sentence says why there is no ratio. at describes the
// actual value, e.g. "6月末为1620家".
func (p *Progress) noRatio(at, reason, unit string, op plan.Op, down bool) {
	target := p.TargetText + unit
	if meets(p.Actual, p.Target, op, down) {
		p.Light = Green
		p.Explain = fmt.Sprintf("%s,已达到目标(%s);%s,不计算完成率", at, target, reason)
		return
	}
	p.Explain = fmt.Sprintf("%s,未达到目标(%s);%s,无法计算完成率", at, target, reason)
}

// positiveReason says why a target that is not positive gives no ratio.
func positiveReason(target *big.Rat) string {
	if target.Sign() == 0 {
		return "目标值为0"
	}
	return "目标值为负数"
}

// meets reports whether actual satisfies the target value (already the
// right end of a range) in the indicator's direction; gt and lt are strict.
func meets(actual, target *big.Rat, op plan.Op, down bool) bool {
	c := actual.Cmp(target)
	if c == 0 {
		return op != plan.OpGT && op != plan.OpLT
	}
	return (c > 0) != down
}

// compare says how diff (a − b) reads, rounded to d decimals: "高于序时进度
// 5.0个百分点", "低于目标(≥55%)1.8个百分点" or "与序时进度持平".
func compare(diff *big.Rat, d int, what, unit string) string {
	r := roundRat(diff, d)
	switch r.Sign() {
	case 1:
		return "高于" + what + money.Decimal(r, d) + unit
	case -1:
		return "低于" + what + money.Decimal(r.Neg(r), d) + unit
	}
	return "与" + what + "持平"
}

// withUnit writes a value with its unit as Chinese text does: "53.2%",
// "1.2个百分点", "1350家".
func withUnit(v, unit string) string {
	if unit == "百分点" {
		return v + "个百分点"
	}
	return v + unit
}

// pointUnit is the unit of a difference of two values in unit: a
// difference of percentages is in percentage points.
func pointUnit(unit string) string {
	if unit == "%" || unit == "百分点" {
		return "个百分点"
	}
	return unit
}
