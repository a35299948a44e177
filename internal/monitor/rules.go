package monitor

import (
	"math/big"

	"svcplan/internal/apperr"
	"svcplan/internal/plan"
)

// Rules decide the traffic light of a target. They are data an admin
// edits, not constants: local practice differs widely (cn-stats-conventions
// §2.5: 银川 yellow 10–30 pp behind 序时进度 and red beyond 30; 三亚 red
// when more than 50% behind; 武汉 yellow below 80% and red below 60% of
// 序时进度). Thresholds are decimal strings, exact like plan targets.
//
// For cumulative flows, stocks and period targets the light compares the
// gap between completion and 序时进度, in percentage points:
//
//	green   behind by at most YellowBelowPP (by default: gap ≥ 0)
//	yellow  behind by more than YellowBelowPP and less than RedBelowPP
//	red     behind by RedBelowPP or more
//
// For rates, shares and growth gaps the light compares actual − target in
// the indicator's unit: green at or above the target, yellow when below
// by less than RateRedBelow, red when below by RateRedBelow or more.
//
// The gap is judged as it is printed, rounded half away from zero to
// Decimals places, so the light always agrees with the sentence: a gap
// of −9.96 pp reads "低于序时进度10.0个百分点" and is red; one of −0.04 pp
// reads "与序时进度持平" and is green.
type Rules struct {
	// YellowBelowPP is how many percentage points behind 序时进度 still
	// count as green. Default 0: any shortfall is at least yellow.
	YellowBelowPP plan.Number `json:"yellow_below_pp" yaml:"yellow_below_pp"`
	// RedBelowPP is how many percentage points behind 序时进度 turn the
	// light red. Default 10: 10 pp is the mildest published yellow band
	// (银川 10–30 pp, §2.5); a district plan with annual targets gets few
	// data points in a year, so it warns early rather than late and goes
	// red where others only start yellow.
	RedBelowPP plan.Number `json:"red_below_pp" yaml:"red_below_pp"`
	// RateRedBelow is how far below a rate target (in its unit, i.e.
	// percentage points for % and 百分点) the light turns red. Default 1:
	// rate targets are compared as differences, never as ratios (§2.4),
	// and one point is a clear miss for a growth or share target.
	RateRedBelow plan.Number `json:"rate_red_below" yaml:"rate_red_below"`
	// Decimals is how many decimals percentages and gaps are printed and
	// judged with. Default 1, as bureaus publish rates; §2.4 notes local
	// rounding differs, so it is a rule too.
	Decimals int `json:"decimals" yaml:"decimals"`
}

// DefaultRules are the lights of doc/monitoring.md: green at or ahead of
// 序时进度 (or at/above a rate target), red 10 pp or more behind (rates:
// 1 point or more below), yellow in between; printed to 1 decimal.
func DefaultRules() Rules {
	return Rules{YellowBelowPP: "0", RedBelowPP: "10", RateRedBelow: "1", Decimals: 1}
}

// thresholds are Rules read into exact numbers.
type thresholds struct {
	yellow, red, rateRed *big.Rat
	decimals             int
}

// Validate checks the rules an admin entered; the error is an Invalid
// apperr error with a Chinese message per field.
func (r Rules) Validate() error {
	_, err := r.parse()
	return err
}

func (r Rules) parse() (thresholds, error) {
	fields := map[string]string{}
	number := func(key, name string, n plan.Number, positive bool) *big.Rat {
		v, ok := n.Rat()
		switch {
		case !ok:
			fields[key] = name + "应为数字"
		case positive && v.Sign() <= 0:
			fields[key] = name + "应大于0"
		case v.Sign() < 0:
			fields[key] = name + "不能为负数"
		}
		return v
	}
	th := thresholds{
		yellow:   number("yellow_below_pp", "黄灯起点(落后序时进度百分点)", r.YellowBelowPP, false),
		red:      number("red_below_pp", "红灯起点(落后序时进度百分点)", r.RedBelowPP, true),
		rateRed:  number("rate_red_below", "比率类指标红灯起点(低于目标百分点)", r.RateRedBelow, true),
		decimals: r.Decimals,
	}
	if len(fields) == 0 && th.yellow.Cmp(th.red) > 0 {
		fields["yellow_below_pp"] = "黄灯起点不能大于红灯起点"
	}
	if r.Decimals < 0 || r.Decimals > 4 {
		fields["decimals"] = "保留小数位数应为0—4"
	}
	if len(fields) > 0 {
		return thresholds{}, &apperr.Error{Kind: apperr.Invalid, Msg: "预警规则有误", Fields: fields}
	}
	return th, nil
}

// paceLight is the light of a gap (completion − 序时进度, in pp, already
// rounded), mirrored for indicators where less is better.
func (th thresholds) paceLight(gap *big.Rat) Light {
	behind := new(big.Rat).Neg(gap)
	switch {
	case behind.Cmp(th.red) >= 0:
		return Red
	case behind.Cmp(th.yellow) > 0:
		return Yellow
	}
	return Green
}

// rateLight is the light of a rate gap (actual − target, already rounded
// and mirrored).
func (th thresholds) rateLight(gap *big.Rat) Light {
	behind := new(big.Rat).Neg(gap)
	switch {
	case behind.Cmp(th.rateRed) >= 0:
		return Red
	case behind.Sign() > 0:
		return Yellow
	}
	return Green
}
