package money

import (
	"math/big"
	"strings"
)

// NoValue is shown where there is no figure, e.g. a growth rate whose
// base is not positive (cn-stats-conventions §2.2).
const NoValue = "—"

// Growth is the same-firm (同口径) growth rate of a group, Σcur / Σprev − 1,
// as an exact fraction (0.123 is 12.3%). cur and prev are the sums over
// the firms in scope now of 1-本月 and 上年同期, in one integer unit (fen
// for money, persons for headcounts): never this year's total against
// last year's published one. When Σprev ≤ 0 there is no rate and ok is
// false: a base of zero or of a loss has no growth.
func Growth(cur, prev int64) (rate *big.Rat, ok bool) {
	if prev <= 0 {
		return nil, false
	}
	r := new(big.Rat).SetFrac(big.NewInt(cur), big.NewInt(prev)) // exact for any sums, however large
	return r.Sub(r, big.NewRat(1, 1)), true
}

// Percent writes the fraction r as a percentage without the sign "%",
// rounded half away from zero to decimals places: 0.1234 is "12.3" with
// one decimal. A nil r writes as NoValue.
func Percent(r *big.Rat, decimals int) string {
	if r == nil {
		return NoValue
	}
	return Decimal(new(big.Rat).Mul(r, big.NewRat(100, 1)), decimals)
}

// Decimal writes r with decimals places, rounded half away from zero
// (big.Rat.FloatString rounds that way), without a minus sign on zero.
func Decimal(r *big.Rat, decimals int) string {
	s := r.FloatString(max(decimals, 0))
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}
