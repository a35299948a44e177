// Package assess keeps the target-management assessment (目标管理考核):
// schemes as data, the scoring rules districts use, and the scores worked
// out from published figures only (doc/assess.md).
package assess

import (
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"

	"svcplan/internal/money"
	"svcplan/internal/plan"
)

// Family is a kind of scoring rule (cn-stats-conventions §6).
type Family string

// The families in use.
const (
	Proportional Family = "proportional" // 按完成比例得分, capped
	Step         Family = "step"         // 基本分 ± 每档加减分, within floor and cap
	Best         Family = "best"         // 与组内最高值之比
	Rank         Family = "rank"         // 按名次
	Bonus        Family = "bonus"        // 加分, per item, capped
	Deduct       Family = "deduct"       // 扣分, per item, capped
	Veto         Family = "veto"         // 一票否决
)

var familyLabels = map[Family]string{Proportional: "按完成比例", Step: "基本分加减档", Best: "与最高值之比", Rank: "按名次",
	Bonus: "加分", Deduct: "扣分", Veto: "一票否决"}

// Label is the family's Chinese name.
func (f Family) Label() string { return familyLabels[f] }

// Base reports whether the family's items make up the base total (加分,
// 扣分 and 否决 items come on top of it).
func (f Family) Base() bool { return f != Bonus && f != Deduct && f != Veto }

// Rule is how an item is scored: its family and that family's parameters
// (doc/assess.md lists which each needs).
type Rule struct {
	Family     Family      `yaml:"family" json:"family"`
	Base       plan.Number `yaml:"base,omitempty" json:"base,omitempty"`               // step: points at the target
	Step       plan.Number `yaml:"step,omitempty" json:"step,omitempty"`               // step: the size of a step, in the indicator's unit
	StepPoints plan.Number `yaml:"step_points,omitempty" json:"step_points,omitempty"` // step, rank: points a step or a place is worth
	Floor      plan.Number `yaml:"floor,omitempty" json:"floor,omitempty"`             // step, rank: the lowest score
	Cap        plan.Number `yaml:"cap,omitempty" json:"cap,omitempty"`                 // the highest score (bonus, deduct: the most added or taken)
	PerItem    plan.Number `yaml:"per_item,omitempty" json:"per_item,omitempty"`       // bonus, deduct: points per item
	Grade      string      `yaml:"grade,omitempty" json:"grade,omitempty"`             // veto: the grade given
}

// Input is what a rule scores for one unit.
type Input struct {
	Actual *big.Rat // 完成值; nil when there is none
	Target *big.Rat // proportional, step
	Best   *big.Rat // best: the group's highest 完成值
	Rank   int      // rank: the unit's place in its group by 完成值, 1 the first
}

// Cell is an item's score for a unit, rounded half away from zero to two
// decimals, and the sentence that explains it.
type Cell struct {
	Score   *big.Rat
	Why     string
	Veto    bool // a 一票否决 item applies
	Missing bool // no 完成值: scored 0 until there is one
}

// nums keeps the parameters read, by their text: a scheme's few
// parameters are read for every unit it scores.
var (
	nums    sync.Map // plan.Number → *big.Rat
	numsLen atomic.Int32
)

// num reads a parameter already checked. The result is shared: it must
// never be changed.
func num(n plan.Number) *big.Rat {
	if r, ok := nums.Load(n); ok {
		return r.(*big.Rat)
	}
	r, ok := n.Rat()
	if !ok {
		return new(big.Rat)
	}
	if numsLen.Add(1) < 4096 { // a bound against endless distinct texts
		nums.Store(n, r)
	}
	return r
}

var (
	one     = big.NewInt(1)
	hundred = big.NewInt(100)
)

// round2 rounds half away from zero to two decimals (as FloatString(2)
// writes it), in integers.
func round2(r *big.Rat) *big.Rat {
	n := new(big.Int).Mul(r.Num(), hundred)
	d := r.Denom()
	q, m := new(big.Int).QuoRem(n, d, new(big.Int)) // truncated towards zero
	if m.Lsh(m.Abs(m), 1).Cmp(d) >= 0 {
		if n.Sign() < 0 {
			q.Sub(q, one)
		} else {
			q.Add(q, one)
		}
	}
	return new(big.Rat).SetFrac(q, hundred)
}

// short writes a number with up to four decimals and no trailing zeros.
func short(r *big.Rat) string {
	s := money.Decimal(r, 4)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// pts writes a score with two decimals.
func pts(r *big.Rat) string { return money.Decimal(r, 2) }

// withUnit writes a figure with its unit: 8.6%, 3个, 92.3亿元.
func withUnit(r *big.Rat, unit string) string { return short(r) + unit }

// gapUnit is how a difference is counted: 个百分点 for a percentage.
func gapUnit(unit string) string {
	if unit == "%" {
		return "个百分点"
	}
	return unit
}

func clamp(r, lo, hi *big.Rat) (*big.Rat, string) {
	switch {
	case hi != nil && r.Cmp(hi) > 0:
		return hi, ",封顶" + short(hi) + "分"
	case lo != nil && r.Cmp(lo) < 0:
		return lo, ",最低" + short(lo) + "分"
	}
	return r, ""
}

// Score scores one unit's item worth points, whose figures are in unit.
func (r Rule) Score(points *big.Rat, unit string, in Input) Cell {
	zero := new(big.Rat)
	if in.Actual == nil && !r.Family.Base() {
		in.Actual = zero // no 加分, 扣分 or 否决 item entered: none
	}
	if in.Actual == nil {
		return Cell{Score: zero, Why: "没有已发布的完成值,暂得0分", Missing: true}
	}
	a := in.Actual
	switch r.Family {
	case Proportional:
		limit := points
		if r.Cap != "" {
			limit = num(r.Cap)
		}
		ratio := new(big.Rat).Quo(a, in.Target)
		raw := round2(new(big.Rat).Mul(points, ratio))
		got, note := clamp(raw, zero, limit)
		if note == "" {
			note = "(满分" + short(points) + "分)"
		}
		return Cell{Score: round2(got), Why: fmt.Sprintf("完成率%s%%,按比例得%s分%s", money.Percent(ratio, 1), pts(raw), note)}

	case Step:
		base, size, each := num(r.Base), num(r.Step), num(r.StepPoints)
		diff := new(big.Rat).Sub(a, in.Target)
		gap := new(big.Rat).Abs(diff)
		steps := wholeSteps(gap, size)
		head := fmt.Sprintf("完成值%s,", withUnit(a, unit))
		if diff.Sign() == 0 {
			return Cell{Score: round2(base), Why: head + fmt.Sprintf("达到目标%s,得基本分%s分", withUnit(in.Target, unit), short(base))}
		}
		side, verb := "高于", "加"
		if diff.Sign() < 0 {
			side, verb = "低于", "减"
		}
		head += fmt.Sprintf("%s目标%s达%s%s,", side, withUnit(in.Target, unit), short(gap), gapUnit(unit))
		if steps.Sign() == 0 {
			return Cell{Score: round2(base), Why: head + fmt.Sprintf("不足%s%s,得基本分%s分", short(size), gapUnit(unit), short(base))}
		}
		change := new(big.Rat).Mul(new(big.Rat).SetInt(steps), each)
		raw := new(big.Rat).Add(base, change)
		if diff.Sign() < 0 {
			raw.Sub(base, change)
		}
		var lo, hi *big.Rat
		if r.Floor != "" {
			lo = num(r.Floor)
		}
		if r.Cap != "" {
			hi = num(r.Cap)
		}
		got, note := clamp(raw, lo, hi)
		if note == "" {
			note = "(基本分" + short(base) + "分)"
		}
		return Cell{Score: round2(got), Why: head + fmt.Sprintf("每%s%s%s%s分,%s%s分,得%s分%s", short(size), gapUnit(unit), verb,
			short(each), verb, pts(change), pts(raw), note)}

	case Best:
		head := fmt.Sprintf("完成值%s,", withUnit(a, unit))
		if in.Best == nil || in.Best.Sign() <= 0 {
			best := "—"
			if in.Best != nil {
				best = withUnit(in.Best, unit)
			}
			return Cell{Score: zero, Why: fmt.Sprintf("组内最高值%s不为正数,不能按比例计分,得0分", best)}
		}
		if a.Cmp(in.Best) == 0 {
			return Cell{Score: round2(points), Why: head + fmt.Sprintf("为组内最高值,得满分%s分", short(points))}
		}
		ratio := new(big.Rat).Quo(a, in.Best)
		raw := round2(new(big.Rat).Mul(points, ratio))
		got, note := clamp(raw, zero, points)
		why := head + fmt.Sprintf("为组内最高值%s的%s%%", withUnit(in.Best, unit), money.Percent(ratio, 1))
		if note != "" {
			return Cell{Score: round2(got), Why: why + note}
		}
		return Cell{Score: round2(got), Why: why + ",得" + pts(got) + "分"}

	case Rank:
		each := num(r.StepPoints)
		raw := new(big.Rat).Sub(points, new(big.Rat).Mul(each, big.NewRat(int64(in.Rank-1), 1)))
		var lo *big.Rat
		if r.Floor != "" {
			lo = num(r.Floor)
		} else {
			lo = zero
		}
		got, note := clamp(raw, lo, points)
		why := fmt.Sprintf("完成值%s,列组内第%d位,得%s分", withUnit(a, unit), in.Rank, pts(raw))
		if note != "" {
			return Cell{Score: round2(got), Why: why + note}
		}
		return Cell{Score: round2(got), Why: why + fmt.Sprintf("(第1位%s分,每低一位减%s分)", short(points), short(each))}

	case Bonus, Deduct:
		word, sign := "加", int64(1)
		if r.Family == Deduct {
			word, sign = "扣", -1
		}
		if a.Sign() <= 0 {
			return Cell{Score: zero, Why: "没有" + word + "分事项"}
		}
		raw := new(big.Rat).Mul(a, num(r.PerItem))
		got, note := clamp(raw, nil, num(r.Cap))
		if note != "" {
			note = ",最多" + word + short(num(r.Cap)) + "分"
		}
		score := round2(new(big.Rat).Mul(got, big.NewRat(sign, 1)))
		return Cell{Score: score, Why: fmt.Sprintf("%s分事项%s项,每项%s分,%s%s分%s", word, short(a), short(num(r.PerItem)), word, pts(raw), note)}

	case Veto:
		if a.Sign() <= 0 {
			return Cell{Score: zero, Why: "没有一票否决事项"}
		}
		return Cell{Score: zero, Why: fmt.Sprintf("一票否决事项%s项,等次定为%s", short(a), r.Grade), Veto: true}
	}
	return Cell{Score: zero, Why: "评分方法“" + string(r.Family) + "”不存在"}
}

// wholeSteps counts the whole steps of size in gap (both positive).
func wholeSteps(gap, size *big.Rat) *big.Int {
	q := new(big.Rat).Quo(gap, size)
	return new(big.Int).Quo(q.Num(), q.Denom())
}

// check returns what is wrong with the rule, each problem with the
// parameter's path (relative to the rule).
func (r Rule) check() []plan.Problem {
	var probs []plan.Problem
	add := func(path, format string, args ...any) {
		probs = append(probs, plan.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	for _, p := range []struct {
		path string
		n    plan.Number
	}{{"base", r.Base}, {"step", r.Step}, {"step_points", r.StepPoints}, {"floor", r.Floor}, {"cap", r.Cap}, {"per_item", r.PerItem}} {
		if p.n != "" && !p.n.Valid() {
			add(p.path, "应为数字,实际为“%s”", p.n)
		}
	}
	if len(probs) > 0 {
		return probs
	}
	positive := func(n plan.Number) bool { return n != "" && num(n).Sign() > 0 }
	switch r.Family {
	case Proportional:
		if r.Cap != "" && !positive(r.Cap) {
			add("cap", "封顶分应大于0")
		}
	case Step:
		switch {
		case r.Base == "":
			add("base", "按档加减分须写明基本分")
		case !positive(r.Step):
			add("step", "按档加减分须写明每档的幅度(大于0)")
		case !positive(r.StepPoints):
			add("step_points", "按档加减分须写明每档加减的分数(大于0)")
		case r.Cap != "" && num(r.Cap).Cmp(num(r.Base)) < 0:
			add("cap", "封顶分%s低于基本分%s", r.Cap, r.Base)
		case r.Floor != "" && num(r.Floor).Cmp(num(r.Base)) > 0:
			add("floor", "最低分%s高于基本分%s", r.Floor, r.Base)
		}
	case Best:
	case Rank:
		if !positive(r.StepPoints) {
			add("step_points", "按名次计分须写明每低一位减的分数(大于0)")
		}
	case Bonus, Deduct:
		word := map[Family]string{Bonus: "加", Deduct: "扣"}[r.Family]
		switch {
		case !positive(r.PerItem):
			add("per_item", "%s分须写明每项%s的分数(大于0)", word, word)
		case !positive(r.Cap):
			add("cap", "%s分须写明最多%s的分数(大于0)", word, word)
		}
	case Veto:
		if strings.TrimSpace(r.Grade) == "" {
			add("grade", "一票否决须写明定为的等次")
		}
	default:
		add("family", "评分方法“%s”不存在,应为proportional、step、best、rank、bonus、deduct或veto", r.Family)
	}
	return probs
}
