package assess

import (
	"math/big"
	"testing"

	"svcplan/internal/plan"
)

func rat(s string) *big.Rat {
	if s == "" {
		return nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// TestRuleScores: every family, each case worked out by hand (the score
// rounded half away from zero to two decimals).
func TestRuleScores(t *testing.T) {
	prop := Rule{Family: Proportional}
	step := Rule{Family: Step, Base: "15", Step: "0.5", StepPoints: "0.5", Floor: "5", Cap: "18"}
	items := Rule{Family: Step, Base: "5", Step: "1", StepPoints: "0.5", Floor: "0", Cap: "7"}
	for _, tt := range []struct {
		name          string
		rule          Rule
		points        string
		unit          string
		in            Input
		score, why    string
		veto, missing bool
	}{
		// Proportional: 10 × 92.3 ÷ 100 = 9.23.
		{"proportional", prop, "10", "亿元", Input{Actual: rat("92.3"), Target: rat("100")}, "9.23", "完成率92.3%,按比例得9.23分(满分10分)", false, false},
		// 10 × 120 ÷ 100 = 12, capped at the item's 10 points.
		{"proportional capped", prop, "10", "亿元", Input{Actual: rat("120"), Target: rat("100")}, "10.00", "完成率120.0%,按比例得12.00分,封顶10分", false, false},
		{"proportional cap above points", Rule{Family: Proportional, Cap: "11"}, "10", "亿元", Input{Actual: rat("120"), Target: rat("100")}, "11.00", "完成率120.0%,按比例得12.00分,封顶11分", false, false},
		// A fall: −0.5 becomes 0.
		{"proportional below zero", prop, "10", "%", Input{Actual: rat("-5"), Target: rat("100")}, "0.00", "完成率-5.0%,按比例得-0.50分,最低0分", false, false},
		// 10 × 2 ÷ 3 = 6.666…, 6.67.
		{"proportional thirds", prop, "10", "个", Input{Actual: rat("2"), Target: rat("3")}, "6.67", "完成率66.7%,按比例得6.67分(满分10分)", false, false},
		// 1 × 0.125 ÷ 1 = 0.125, half away from zero: 0.13.
		{"proportional half", prop, "1", "个", Input{Actual: rat("0.125"), Target: rat("1")}, "0.13", "完成率12.5%,按比例得0.13分(满分1分)", false, false},
		{"proportional no figure", prop, "10", "亿元", Input{Target: rat("100")}, "0.00", "没有已发布的完成值,暂得0分", false, true},

		// Base ± step: 8.6 − 7 = 1.6 pp, 3 whole steps of 0.5, +1.5: 16.5.
		{"step above", step, "15", "%", Input{Actual: rat("8.6"), Target: rat("7")}, "16.50", "完成值8.6%,高于目标7%达1.6个百分点,每0.5个百分点加0.5分,加1.50分,得16.50分(基本分15分)", false, false},
		// 12 − 7 = 5 pp, 10 steps, +5: 20, capped at 18.
		{"step capped", step, "15", "%", Input{Actual: rat("12"), Target: rat("7")}, "18.00", "完成值12%,高于目标7%达5个百分点,每0.5个百分点加0.5分,加5.00分,得20.00分,封顶18分", false, false},
		// 5.4 − 7 = −1.6 pp, 3 steps, −1.5: 13.5.
		{"step below", step, "15", "%", Input{Actual: rat("5.4"), Target: rat("7")}, "13.50", "完成值5.4%,低于目标7%达1.6个百分点,每0.5个百分点减0.5分,减1.50分,得13.50分(基本分15分)", false, false},
		// −30 − 7 = −37 pp, 74 steps, −37: floored at 5.
		{"step floored", step, "15", "%", Input{Actual: rat("-30"), Target: rat("7")}, "5.00", "完成值-30%,低于目标7%达37个百分点,每0.5个百分点减0.5分,减37.00分,得-22.00分,最低5分", false, false},
		{"step at target", step, "15", "%", Input{Actual: rat("7.0"), Target: rat("7")}, "15.00", "完成值7%,达到目标7%,得基本分15分", false, false},
		{"step within a step", step, "15", "%", Input{Actual: rat("7.3"), Target: rat("7")}, "15.00", "完成值7.3%,高于目标7%达0.3个百分点,不足0.5个百分点,得基本分15分", false, false},
		// Projects: 3 of 5, 2 short, −1: 4.
		{"step items", items, "5", "个", Input{Actual: rat("3"), Target: rat("5")}, "4.00", "完成值3个,低于目标5个达2个,每1个减0.5分,减1.00分,得4.00分(基本分5分)", false, false},

		// Best in the group gets full points: 12 ÷ 15 × 10 = 8.
		{"best", Rule{Family: Best}, "10", "%", Input{Actual: rat("12"), Best: rat("15")}, "8.00", "完成值12%,为组内最高值15%的80.0%,得8.00分", false, false},
		{"best itself", Rule{Family: Best}, "10", "%", Input{Actual: rat("15"), Best: rat("15")}, "10.00", "完成值15%,为组内最高值,得满分10分", false, false},
		{"best negative", Rule{Family: Best}, "10", "%", Input{Actual: rat("-2"), Best: rat("15")}, "0.00", "完成值-2%,为组内最高值15%的-13.3%,最低0分", false, false},
		{"best of none positive", Rule{Family: Best}, "10", "%", Input{Actual: rat("-2"), Best: rat("-1")}, "0.00", "组内最高值-1%不为正数,不能按比例计分,得0分", false, false},

		// Rank: first 10, each place lower 1 less, at least 4.
		{"rank first", Rule{Family: Rank, StepPoints: "1", Floor: "4"}, "10", "%", Input{Actual: rat("9"), Rank: 1}, "10.00", "完成值9%,列组内第1位,得10.00分(第1位10分,每低一位减1分)", false, false},
		{"rank third", Rule{Family: Rank, StepPoints: "1", Floor: "4"}, "10", "%", Input{Actual: rat("7"), Rank: 3}, "8.00", "完成值7%,列组内第3位,得8.00分(第1位10分,每低一位减1分)", false, false},
		{"rank floored", Rule{Family: Rank, StepPoints: "1", Floor: "4"}, "10", "%", Input{Actual: rat("1"), Rank: 8}, "4.00", "完成值1%,列组内第8位,得3.00分,最低4分", false, false},

		// 加分: 2 × 0.5 = 1; 5 × 0.5 = 2.5, at most 2.
		{"bonus", Rule{Family: Bonus, PerItem: "0.5", Cap: "2"}, "0", "项", Input{Actual: rat("2")}, "1.00", "加分事项2项,每项0.5分,加1.00分", false, false},
		{"bonus capped", Rule{Family: Bonus, PerItem: "0.5", Cap: "2"}, "0", "项", Input{Actual: rat("5")}, "2.00", "加分事项5项,每项0.5分,加2.50分,最多加2分", false, false},
		{"bonus none", Rule{Family: Bonus, PerItem: "0.5", Cap: "2"}, "0", "项", Input{Actual: rat("0")}, "0.00", "没有加分事项", false, false},
		{"bonus not entered", Rule{Family: Bonus, PerItem: "0.5", Cap: "2"}, "0", "项", Input{}, "0.00", "没有加分事项", false, false},
		{"veto not entered", Rule{Family: Veto, Grade: "不合格"}, "0", "项", Input{}, "0.00", "没有一票否决事项", false, false},
		// 扣分: 2 × 1 = −2; 4 × 1 = −4, at most −3.
		{"deduct", Rule{Family: Deduct, PerItem: "1", Cap: "3"}, "0", "项", Input{Actual: rat("2")}, "-2.00", "扣分事项2项,每项1分,扣2.00分", false, false},
		{"deduct capped", Rule{Family: Deduct, PerItem: "1", Cap: "3"}, "0", "项", Input{Actual: rat("4")}, "-3.00", "扣分事项4项,每项1分,扣4.00分,最多扣3分", false, false},

		// 一票否决.
		{"veto", Rule{Family: Veto, Grade: "不合格"}, "0", "项", Input{Actual: rat("1")}, "0.00", "一票否决事项1项,等次定为不合格", true, false},
		{"no veto", Rule{Family: Veto, Grade: "不合格"}, "0", "项", Input{Actual: rat("0")}, "0.00", "没有一票否决事项", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pts, _ := plan.Number(tt.points).Rat()
			c := tt.rule.Score(pts, tt.unit, tt.in)
			if got := c.Score.FloatString(2); got != tt.score || c.Why != tt.why || c.Veto != tt.veto || c.Missing != tt.missing {
				t.Errorf("got %s %q veto=%v missing=%v\nwant %s %q veto=%v missing=%v", got, c.Why, c.Veto, c.Missing,
					tt.score, tt.why, tt.veto, tt.missing)
			}
		})
	}
}

// TestRuleProblems: a rule missing what its family needs, or whose
// numbers contradict each other, is refused with the field named.
func TestRuleProblems(t *testing.T) {
	for _, tt := range []struct {
		name string
		rule Rule
		want string
	}{
		{"unknown family", Rule{Family: "lottery"}, "family: 评分方法“lottery”不存在,应为proportional、step、best、rank、bonus、deduct或veto"},
		{"step without step", Rule{Family: Step, Base: "15", StepPoints: "0.5", Cap: "18"}, "step: 按档加减分须写明每档的幅度(大于0)"},
		{"step cap below base", Rule{Family: Step, Base: "15", Step: "0.5", StepPoints: "0.5", Cap: "12"}, "cap: 封顶分12低于基本分15"},
		{"step floor above base", Rule{Family: Step, Base: "15", Step: "0.5", StepPoints: "0.5", Cap: "18", Floor: "16"}, "floor: 最低分16高于基本分15"},
		{"proportional cap below zero", Rule{Family: Proportional, Cap: "-1"}, "cap: 封顶分应大于0"},
		{"rank without step", Rule{Family: Rank}, "step_points: 按名次计分须写明每低一位减的分数(大于0)"},
		{"bonus without cap", Rule{Family: Bonus, PerItem: "0.5"}, "cap: 加分须写明最多加的分数(大于0)"},
		{"deduct without per item", Rule{Family: Deduct, Cap: "3"}, "per_item: 扣分须写明每项扣的分数(大于0)"},
		{"veto without grade", Rule{Family: Veto}, "grade: 一票否决须写明定为的等次"},
		{"bad number", Rule{Family: Proportional, Cap: "十"}, "cap: 应为数字,实际为“十”"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			probs := tt.rule.check()
			if len(probs) == 0 || probs[0].Path+": "+probs[0].Msg != tt.want {
				t.Errorf("got %v, want %q", probs, tt.want)
			}
		})
	}
	if probs := (Rule{Family: Step, Base: "15", Step: "0.5", StepPoints: "0.5", Floor: "5", Cap: "18"}).check(); len(probs) != 0 {
		t.Errorf("a good rule: %v", probs)
	}
}

// TestRound2: two decimals, half away from zero, as big.Rat.FloatString.
func TestRound2(t *testing.T) {
	for _, s := range []string{"0.125", "-0.125", "0.124999", "-0.135", "6.666666", "1/3", "-2/3", "0", "12", "-0.005", "0.004999", "99999999999999999999.995"} {
		r := rat(s)
		if got, want := round2(r).FloatString(2), r.FloatString(2); got != want {
			t.Errorf("round2(%s) = %s, want %s", s, got, want)
		}
	}
}
