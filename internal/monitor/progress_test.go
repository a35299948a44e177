package monitor

import (
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/plan"
)

// ratEqual compares exact numbers; nil equals only nil.
var ratEqual = cmp.Comparer(func(a, b *big.Rat) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Cmp(b) == 0
})

// rat reads "462.4" or "7/22"; "" is nil.
func rat(s string) *big.Rat {
	if s == "" {
		return nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad rat " + s)
	}
	return r
}

func indicator(kind plan.Kind, unit string, dir plan.Direction, targets ...plan.Target) plan.Indicator {
	return plan.Indicator{Code: "X", Name: "测试指标", Unit: unit, Kind: kind, Direction: dir, Targets: targets}
}

func target(year int, op plan.Op, value string) plan.Target {
	return plan.Target{Year: year, Op: op, Value: plan.Number(value)}
}

func TestCompute(t *testing.T) {
	plan2527 := Options{PlanStartYear: 2025, PlanEndYear: 2027}
	// 银川-like rules: up to 2 pp behind is still green, red from 30 pp.
	lenient := Rules{YellowBelowPP: "2", RedBelowPP: "30", RateRedBelow: "1", Decimals: 1}

	annual680 := indicator(plan.KindAnnual, "亿元", plan.Up, target(2025, plan.OpGT, "680"))
	annual1000 := indicator(plan.KindAnnual, "亿元", plan.Up, target(2025, plan.OpGE, "1000"))
	firms1500 := indicator(plan.KindLevel, "家", plan.Up, target(2025, plan.OpGT, "1500"))
	share55 := indicator(plan.KindShare, "%", plan.Up, target(2025, plan.OpGE, "55"))
	periodNew10 := indicator(plan.KindPeriodNew, "家", plan.Up, target(2027, plan.OpGE, "10"))

	tests := []struct {
		name    string
		ind     plan.Indicator
		year    int
		period  string
		actual  string // "" = no data
		prev    string // "" = unknown
		rules   Rules  // zero = DefaultRules
		opts    Options
		want    Progress // Year and Period are filled in from year and period
		explain string
	}{
		{
			// 462.4 / 680 = 0.68 (680 × 0.68 = 462.4); 序时 9/12 = 0.75;
			// gap (0.68 − 0.75) × 100 = −7.0 pp: behind by less than 10 → yellow.
			// Expected 680 × 0.75 = 510.
			name: "annual 680亿元 at 1-9月", ind: annual680, year: 2025, period: "2025-09", actual: "462.4",
			want: Progress{Actual: rat("462.4"), Target: rat("680"), TargetText: ">680", TargetYear: 2025,
				Expected: rat("510"), Completion: rat("0.68"), TimeProgress: rat("3/4"), Gap: rat("-7"), Light: Yellow},
			explain: "1-9月完成全年目标的68.0%,低于序时进度7.0个百分点",
		},
		{
			// (1350 − 1280) / (1500 − 1280) = 70/220 = 7/22 = 0.31818… → 31.8%;
			// 序时 6/12 = 1/2; gap (7/22 − 11/22) × 100 = −400/22 = −200/11
			// = −18.18… → 18.2 pp ≥ 10 → red. Expected 1280 + 220 × 1/2 = 1390.
			name: "level 1500家 from 1280 at 6月末", ind: firms1500, year: 2025, period: "2025-06", actual: "1350", prev: "1280",
			want: Progress{Actual: rat("1350"), Target: rat("1500"), TargetText: ">1500", TargetYear: 2025,
				Baseline: rat("1280"), Expected: rat("1390"), Completion: rat("7/22"), TimeProgress: rat("1/2"),
				Gap: rat("-200/11"), Light: Red},
			explain: "6月末较上年末净增70家,完成年度增量目标的31.8%,低于序时进度18.2个百分点",
		},
		{
			// 53.2 − 55 = −1.8 points, not a ratio; 1.8 ≥ 1 → red.
			name: "share 55% with 53.2", ind: share55, year: 2025, period: "2025", actual: "53.2",
			want: Progress{Actual: rat("53.2"), Target: rat("55"), TargetText: "≥55", TargetYear: 2025,
				Gap: rat("-1.8"), Light: Red},
			explain: "2025年实际为53.2%,低于目标(≥55%)1.8个百分点",
		},
		{
			// More than 4 decimals print rounded to 2: 53.23456 → 53.23;
			// 53.23456 − 55 = −1.76544 → 1.8 → red.
			name: "share with many decimals", ind: share55, year: 2025, period: "2025", actual: "53.23456",
			want: Progress{Actual: rat("53.23456"), Target: rat("55"), TargetText: "≥55", TargetYear: 2025,
				Gap: rat("-1.76544"), Light: Red},
			explain: "2025年实际为53.23%,低于目标(≥55%)1.8个百分点",
		},
		{
			// No last year-end and a target of 0: no ratio; 3 > 0 → green.
			name: "level without last year-end, zero target",
			ind:  indicator(plan.KindLevel, "个", plan.Up, target(2025, plan.OpGT, "0")), year: 2025, period: "2025Q4", actual: "3",
			want: Progress{Actual: rat("3"), Target: rat("0"), TargetText: ">0", TargetYear: 2025,
				TimeProgress: rat("1"), Light: Green},
			explain: "12月末为3个,已达到目标(>0个);目标值为0,不计算完成率",
		},
		{
			// 54.06 − 55 = −0.94 → −0.9 printed: below, less than 1 → yellow.
			name: "share just within yellow", ind: share55, year: 2025, period: "2025Q3", actual: "54.06",
			want: Progress{Actual: rat("54.06"), Target: rat("55"), TargetText: "≥55", TargetYear: 2025,
				Gap: rat("-0.94"), Light: Yellow},
			explain: "1-3季度实际为54.06%,低于目标(≥55%)0.9个百分点",
		},
		{
			// 54.04 − 55 = −0.96, printed −1.0: judged as printed → red.
			name: "share gap rounds to the red threshold", ind: share55, year: 2025, period: "2025Q3", actual: "54.04",
			want: Progress{Actual: rat("54.04"), Target: rat("55"), TargetText: "≥55", TargetYear: 2025,
				Gap: rat("-0.96"), Light: Red},
			explain: "1-3季度实际为54.04%,低于目标(≥55%)1.0个百分点",
		},
		{
			// 1.2 − 1 = +0.2 points → green.
			name: "share gain in 百分点 above target",
			ind:  indicator(plan.KindChange, "百分点", plan.Up, target(2025, plan.OpGE, "1")), year: 2025, period: "2025", actual: "1.2",
			want: Progress{Actual: rat("1.2"), Target: rat("1"), TargetText: "≥1", TargetYear: 2025,
				Gap: rat("0.2"), Light: Green},
			explain: "2025年实际为1.2个百分点,高于目标(≥1个百分点)0.2个百分点",
		},
		{
			// 1 − 2 = −1 point ≥ 1 behind → red.
			name: "growth gap one point short",
			ind:  indicator(plan.KindGrowthGap, "百分点", plan.Up, target(2025, plan.OpGE, "2")), year: 2025, period: "2025Q1", actual: "1",
			want: Progress{Actual: rat("1"), Target: rat("2"), TargetText: "≥2", TargetYear: 2025,
				Gap: rat("-1"), Light: Red},
			explain: "1季度实际为1个百分点,低于目标(≥2个百分点)1.0个百分点",
		},
		{
			// Less is better: 3.8 − 3.5 = +0.3, mirrored gap −0.3 → yellow.
			name: "rate where less is better",
			ind:  indicator(plan.KindShare, "%", plan.Down, target(2025, plan.OpLE, "3.5")), year: 2025, period: "2025Q2", actual: "3.8",
			want: Progress{Actual: rat("3.8"), Target: rat("3.5"), TargetText: "≤3.5", TargetYear: 2025,
				Gap: rat("-0.3"), Light: Yellow},
			explain: "1-2季度实际为3.8%,高于目标(≤3.5%)0.3个百分点",
		},
		{
			// Range, less is better: compared with the upper end 3; 3.5 − 3 =
			// +0.5, mirrored −0.5 → yellow.
			name: "range rate where less is better",
			ind: indicator(plan.KindShare, "%", plan.Down,
				plan.Target{Year: 2025, Op: plan.OpBetween, Value: "2", Max: "3"}), year: 2025, period: "2025", actual: "3.5",
			want: Progress{Actual: rat("3.5"), Target: rat("3"), TargetText: "2–3", TargetYear: 2025,
				Gap: rat("-0.5"), Light: Yellow},
			explain: "2025年实际为3.5%,高于目标(2–3%)0.5个百分点",
		},
		{
			// 80 / 100 = 0.8; 序时 9/12 = 0.75; gap +5.0 pp → green. Expected 75.
			name: "yearly new firms ahead at 1-3季度",
			ind:  indicator(plan.KindYearlyNew, "家", plan.Up, target(2025, plan.OpGE, "100")), year: 2025, period: "2025Q3", actual: "80",
			want: Progress{Actual: rat("80"), Target: rat("100"), TargetText: "≥100", TargetYear: 2025,
				Expected: rat("75"), Completion: rat("0.8"), TimeProgress: rat("3/4"), Gap: rat("5"), Light: Green},
			explain: "1-3季度完成全年目标的80.0%,高于序时进度5.0个百分点",
		},
		{
			// Whole year: 1000 / 1000 = 1; 序时 12/12 = 1; gap 0 → green.
			name: "annual target met exactly at year end", ind: annual1000, year: 2025, period: "2025", actual: "1000",
			want: Progress{Actual: rat("1000"), Target: rat("1000"), TargetText: "≥1000", TargetYear: 2025,
				Expected: rat("1000"), Completion: rat("1"), TimeProgress: rat("1"), Gap: rat("0"), Light: Green},
			explain: "2025年完成全年目标的100.0%,与序时进度持平",
		},
		{
			// 650.4 / 1000 = 0.6504; gap 65.04 − 75 = −9.96, printed −10.0:
			// judged as printed → red (and 75.0 − 65.0 = 10.0 reads right).
			name: "flow gap rounds to the red threshold", ind: annual1000, year: 2025, period: "2025-09", actual: "650.4",
			want: Progress{Actual: rat("650.4"), Target: rat("1000"), TargetText: "≥1000", TargetYear: 2025,
				Expected: rat("750"), Completion: rat("0.6504"), TimeProgress: rat("3/4"), Gap: rat("-9.96"), Light: Red},
			explain: "1-9月完成全年目标的65.0%,低于序时进度10.0个百分点",
		},
		{
			// 749.6 / 1000 = 0.7496; gap −0.04, printed 0.0 → green, "持平".
			name: "flow gap rounds to zero", ind: annual1000, year: 2025, period: "2025-09", actual: "749.6",
			want: Progress{Actual: rat("749.6"), Target: rat("1000"), TargetText: "≥1000", TargetYear: 2025,
				Expected: rat("750"), Completion: rat("0.7496"), TimeProgress: rat("3/4"), Gap: rat("-0.04"), Light: Green},
			explain: "1-9月完成全年目标的75.0%,与序时进度持平",
		},
		{
			// 735 / 1000 = 0.735; gap 73.5 − 75 = −1.5: within the 2 pp
			// tolerance of the lenient rules → green (default rules: yellow).
			name: "lenient rules tolerate 1.5 pp", ind: annual1000, year: 2025, period: "2025-09", actual: "735", rules: lenient,
			want: Progress{Actual: rat("735"), Target: rat("1000"), TargetText: "≥1000", TargetYear: 2025,
				Expected: rat("750"), Completion: rat("0.735"), TimeProgress: rat("3/4"), Gap: rat("-1.5"), Light: Green},
			explain: "1-9月完成全年目标的73.5%,低于序时进度1.5个百分点",
		},
		{
			// 460 / 1000 = 0.46; gap 46 − 75 = −29: under 30 → yellow.
			name: "lenient rules: 29 pp is yellow", ind: annual1000, year: 2025, period: "2025-09", actual: "460", rules: lenient,
			want: Progress{Actual: rat("460"), Target: rat("1000"), TargetText: "≥1000", TargetYear: 2025,
				Expected: rat("750"), Completion: rat("0.46"), TimeProgress: rat("3/4"), Gap: rat("-29"), Light: Yellow},
			explain: "1-9月完成全年目标的46.0%,低于序时进度29.0个百分点",
		},
		{
			// 440 / 1000 = 0.44; gap 44 − 75 = −31 ≥ 30 → red.
			name: "lenient rules: 31 pp is red", ind: annual1000, year: 2025, period: "2025-09", actual: "440", rules: lenient,
			want: Progress{Actual: rat("440"), Target: rat("1000"), TargetText: "≥1000", TargetYear: 2025,
				Expected: rat("750"), Completion: rat("0.44"), TimeProgress: rat("3/4"), Gap: rat("-31"), Light: Red},
			explain: "1-9月完成全年目标的44.0%,低于序时进度31.0个百分点",
		},
		{
			// A ceiling: 80 / 100 = 0.8 used by 1-9月 against 序时 0.75:
			// 5 pp over, mirrored gap −5 → yellow. Expected 75.
			name: "annual ceiling used faster than 序时",
			ind:  indicator(plan.KindAnnual, "亿元", plan.Down, target(2025, plan.OpLE, "100")), year: 2025, period: "2025-09", actual: "80",
			want: Progress{Actual: rat("80"), Target: rat("100"), TargetText: "≤100", TargetYear: 2025,
				Expected: rat("75"), Completion: rat("0.8"), TimeProgress: rat("3/4"), Gap: rat("-5"), Light: Yellow},
			explain: "1-9月累计为全年控制目标的80.0%,高于序时进度5.0个百分点",
		},
		{
			// Reduce from 100 to at most 80: (90 − 100) / (80 − 100) = 0.5;
			// 序时 0.5; gap 0 → green. Expected 100 + (−20) × 0.5 = 90.
			name: "level where less is better",
			ind:  indicator(plan.KindLevel, "家", plan.Down, target(2025, plan.OpLE, "80")), year: 2025, period: "2025-06", actual: "90", prev: "100",
			want: Progress{Actual: rat("90"), Target: rat("80"), TargetText: "≤80", TargetYear: 2025,
				Baseline: rat("100"), Expected: rat("90"), Completion: rat("0.5"), TimeProgress: rat("1/2"), Gap: rat("0"), Light: Green},
			explain: "6月末较上年末净减10家,完成年度压减目标的50.0%,与序时进度持平",
		},
		{
			// No last year-end: 1350 / 1500 = 0.9 against 0.5 → +40 pp, green.
			name: "level without last year-end", ind: firms1500, year: 2025, period: "2025-06", actual: "1350",
			want: Progress{Actual: rat("1350"), Target: rat("1500"), TargetText: ">1500", TargetYear: 2025,
				Completion: rat("0.9"), TimeProgress: rat("1/2"), Gap: rat("40"), Light: Green},
			explain: "6月末为1350家,为年度目标的90.0%(缺上年末数,按期末数与目标之比计算),高于序时进度40.0个百分点",
		},
		{
			// Last year-end 1600 already above 1500: 1500 − 1600 < 0, no ratio;
			// 1620 > 1500 meets the target → green.
			name: "level already met at last year-end", ind: firms1500, year: 2025, period: "2025-06", actual: "1620", prev: "1600",
			want: Progress{Actual: rat("1620"), Target: rat("1500"), TargetText: ">1500", TargetYear: 2025,
				Baseline: rat("1600"), TimeProgress: rat("1/2"), Light: Green},
			explain: "6月末为1620家,已达到目标(>1500家);上年末数(1600家)已不低于目标值,不计算完成率",
		},
		{
			// Same, but fallen to 1450 ≤ 1500: no ratio, not met → gray.
			name: "level met at last year-end, now below", ind: firms1500, year: 2025, period: "2025-06", actual: "1450", prev: "1600",
			want: Progress{Actual: rat("1450"), Target: rat("1500"), TargetText: ">1500", TargetYear: 2025,
				Baseline: rat("1600"), TimeProgress: rat("1/2"), Light: Gray},
			explain: "6月末为1450家,未达到目标(>1500家);上年末数(1600家)已不低于目标值,无法计算完成率",
		},
		{
			// Target exactly the last year-end with op gt: 1500 − 1500 = 0.
			name: "level target equal to last year-end", ind: firms1500, year: 2025, period: "2025", actual: "1500", prev: "1500",
			want: Progress{Actual: rat("1500"), Target: rat("1500"), TargetText: ">1500", TargetYear: 2025,
				Baseline: rat("1500"), TimeProgress: rat("1"), Light: Gray},
			explain: "2025年末为1500家,未达到目标(>1500家);上年末数(1500家)已不低于目标值,无法计算完成率",
		},
		{
			// Less is better, last year-end 70 already under the ceiling 80:
			// 80 − 70 > 0, no ratio; 75 ≤ 80 meets it → green.
			name: "level less is better, already met at last year-end",
			ind:  indicator(plan.KindLevel, "家", plan.Down, target(2025, plan.OpLE, "80")), year: 2025, period: "2025-06", actual: "75", prev: "70",
			want: Progress{Actual: rat("75"), Target: rat("80"), TargetText: "≤80", TargetYear: 2025,
				Baseline: rat("70"), TimeProgress: rat("1/2"), Light: Green},
			explain: "6月末为75家,已达到目标(≤80家);上年末数(70家)已不高于目标值,不计算完成率",
		},
		{
			name: "level less is better without last year-end",
			ind:  indicator(plan.KindLevel, "家", plan.Down, target(2025, plan.OpLE, "80")), year: 2025, period: "2025-06", actual: "90",
			want: Progress{Actual: rat("90"), Target: rat("80"), TargetText: "≤80", TargetYear: 2025,
				TimeProgress: rat("1/2"), Light: Gray},
			explain: "6月末为90家,未达到目标(≤80家);缺少上年末数,无法计算完成率",
		},
		{
			// Plan 2025–2027 = 36 months; 2025-09 → 9/36 = 1/4.
			// 3 / 10 = 0.3; gap 30 − 25 = +5 → green. Expected 10 × 1/4 = 2.5.
			name: "period target early in the plan", ind: periodNew10, year: 2025, period: "2025-09", actual: "3", opts: plan2527,
			want: Progress{Actual: rat("3"), Target: rat("10"), TargetText: "≥10", TargetYear: 2027,
				Expected: rat("2.5"), Completion: rat("0.3"), TimeProgress: rat("1/4"), Gap: rat("5"), Light: Green},
			explain: "截至2025年1-9月,规划期已过25.0%,累计完成2027年目标的30.0%,高于序时进度5.0个百分点",
		},
		{
			// 2026 whole year → (12 + 12)/36 = 2/3 = 66.67%; 5 / 10 = 0.5;
			// gap (1/2 − 2/3) × 100 = −50/3 = −16.67 → 16.7 ≥ 10 → red.
			// Expected 10 × 2/3 = 20/3.
			name: "period target behind in year two", ind: periodNew10, year: 2026, period: "2026", actual: "5", opts: plan2527,
			want: Progress{Actual: rat("5"), Target: rat("10"), TargetText: "≥10", TargetYear: 2027,
				Expected: rat("20/3"), Completion: rat("0.5"), TimeProgress: rat("2/3"), Gap: rat("-50/3"), Light: Red},
			explain: "截至2026年,规划期已过66.7%,累计完成2027年目标的50.0%,低于序时进度16.7个百分点",
		},
		{
			// Range 1–2: completion against the lower end 1. 2026Q2 →
			// (12 + 6)/36 = 1/2; 0 / 1 = 0; gap −50 → red.
			name: "period range target, nothing yet",
			ind: indicator(plan.KindPeriodNew, "个", plan.Up,
				plan.Target{Year: 2027, Op: plan.OpBetween, Value: "1", Max: "2"}), year: 2026, period: "2026Q2", actual: "0", opts: plan2527,
			want: Progress{Actual: rat("0"), Target: rat("1"), TargetText: "1–2", TargetYear: 2027,
				Expected: rat("1/2"), Completion: rat("0"), TimeProgress: rat("1/2"), Gap: rat("-50"), Light: Red},
			explain: "截至2026年1-2季度,规划期已过50.0%,累计完成2027年目标的0.0%,低于序时进度50.0个百分点",
		},
		{
			// A ceiling over the plan period: 4 / 10 = 0.4 used against 序时
			// 9/36 = 0.25: 15 pp over, mirrored gap −15 → red. Expected 2.5.
			name: "period ceiling used too fast",
			ind:  indicator(plan.KindPeriodNew, "家", plan.Down, target(2027, plan.OpLE, "10")), year: 2025, period: "2025-09", actual: "4", opts: plan2527,
			want: Progress{Actual: rat("4"), Target: rat("10"), TargetText: "≤10", TargetYear: 2027,
				Expected: rat("2.5"), Completion: rat("0.4"), TimeProgress: rat("1/4"), Gap: rat("-15"), Light: Red},
			explain: "截至2025年1-9月,规划期已过25.0%,累计为2027年目标上限的40.0%,高于序时进度15.0个百分点",
		},
		{
			name: "period target missing for the end year",
			ind:  indicator(plan.KindPeriodNew, "家", plan.Up, target(2026, plan.OpGE, "5")), year: 2025, period: "2025", actual: "3", opts: plan2527,
			want:    Progress{Actual: rat("3"), TargetYear: 2027, TimeProgress: rat("1/3"), Light: Gray},
			explain: "规划期末(2027年)无目标",
		},
		{
			name: "period target after the plan", ind: periodNew10, year: 2028, period: "2028", actual: "12", opts: plan2527,
			want:    Progress{Actual: rat("12"), TargetYear: 2028, Light: Gray},
			explain: "2028年不在规划期(2025—2027年)内",
		},
		{
			name: "period target without plan years", ind: periodNew10, year: 2025, period: "2025", actual: "3",
			want:    Progress{Actual: rat("3"), TargetYear: 2025, Light: Gray},
			explain: "未设定规划期,无法计算序时进度",
		},
		{
			name: "no target for the year", ind: indicator(plan.KindAnnual, "亿元", plan.Up, target(2027, plan.OpGT, "680")),
			year: 2025, period: "2025-09", actual: "462.4",
			want:    Progress{Actual: rat("462.4"), TargetYear: 2025, TimeProgress: rat("3/4"), Light: Gray},
			explain: "该年度无目标",
		},
		{
			name: "no data", ind: annual680, year: 2025, period: "2025-09",
			want: Progress{Target: rat("680"), TargetText: ">680", TargetYear: 2025,
				TimeProgress: rat("3/4"), Light: Gray},
			explain: "暂无2025年1-9月数据",
		},
		{
			// Target 0: no ratio; 2 ≥ 0 meets it → green.
			name: "zero target met", ind: indicator(plan.KindYearlyNew, "家", plan.Up, target(2025, plan.OpGE, "0")),
			year: 2025, period: "2025-06", actual: "2",
			want: Progress{Actual: rat("2"), Target: rat("0"), TargetText: "≥0", TargetYear: 2025,
				TimeProgress: rat("1/2"), Light: Green},
			explain: "1-6月累计2家,已达到目标(≥0家);目标值为0,不计算完成率",
		},
		{
			// Target −5: no ratio; −8 < −5 → not met → gray.
			name: "negative target not met", ind: indicator(plan.KindAnnual, "亿元", plan.Up, target(2025, plan.OpGE, "-5")),
			year: 2025, period: "2025-06", actual: "-8",
			want: Progress{Actual: rat("-8"), Target: rat("-5"), TargetText: "≥-5", TargetYear: 2025,
				TimeProgress: rat("1/2"), Light: Gray},
			explain: "1-6月累计-8亿元,未达到目标(≥-5亿元);目标值为负数,无法计算完成率",
		},
		{
			name: "target not a number", ind: indicator(plan.KindAnnual, "亿元", plan.Up, target(2025, plan.OpGE, "abc")),
			year: 2025, period: "2025", actual: "1",
			want:    Progress{Actual: rat("1"), TargetYear: 2025, TimeProgress: rat("1"), Light: Gray},
			explain: "目标值“abc”不是有效数字",
		},
		{
			name: "period outside the year", ind: annual680, year: 2025, period: "2026-03", actual: "100",
			want:    Progress{TargetYear: 2025, Light: Gray},
			explain: "数据期别2026年1-3月不属于2025年度",
		},
		{
			name: "invalid rules", ind: annual680, year: 2025, period: "2025-09", actual: "462.4",
			rules:   Rules{YellowBelowPP: "0", RedBelowPP: "0", RateRedBelow: "1", Decimals: 1},
			want:    Progress{TargetYear: 2025, Light: Gray},
			explain: "预警规则设置有误,未评价",
		},
		{
			name: "unknown kind", ind: indicator("stock", "家", plan.Up, target(2025, plan.OpGE, "1")),
			year: 2025, period: "2025", actual: "1",
			want:    Progress{Actual: rat("1"), TargetYear: 2025, Light: Gray},
			explain: "指标类型“stock”无法评价",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := tt.rules
			if rules == (Rules{}) {
				rules = DefaultRules()
			}
			period := mustPeriod(t, tt.period)
			want := tt.want
			want.Year, want.Period, want.Explain = tt.year, period, tt.explain
			got := Compute(tt.ind, tt.year, period, rat(tt.actual), rat(tt.prev), rules, tt.opts)
			if diff := cmp.Diff(want, got, ratEqual); diff != "" {
				t.Errorf("Compute (-want +got):\n%s", diff)
			}
		})
	}
}

// TestComputeDoesNotAlias checks that Progress holds copies: changing the
// caller's numbers afterwards changes nothing.
func TestComputeDoesNotAlias(t *testing.T) {
	ind := indicator(plan.KindLevel, "家", plan.Up, target(2025, plan.OpGT, "1500"))
	actual, prev := rat("1350"), rat("1280")
	got := Compute(ind, 2025, mustPeriod(t, "2025-06"), actual, prev, DefaultRules(), Options{})
	actual.SetInt64(0)
	prev.SetInt64(0)
	if got.Actual.Cmp(rat("1350")) != 0 || got.Baseline.Cmp(rat("1280")) != 0 {
		t.Errorf("Progress aliases its inputs: actual %v, baseline %v", got.Actual, got.Baseline)
	}
}

func TestLightLabel(t *testing.T) {
	for l, want := range map[Light]string{Green: "绿灯", Yellow: "黄灯", Red: "红灯", Gray: "灰灯(未评价)", "x": ""} {
		if got := l.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", l, got, want)
		}
	}
}
