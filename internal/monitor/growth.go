package monitor

import (
	"math/big"
	"strings"
)

// NoValue is shown where there is no figure, e.g. a growth rate whose
// base is not positive (cn-stats-conventions §2.2).
const NoValue = "—"

// fenPerYi is the number of fen in one 亿元: 10^8 元 × 100.
const fenPerYi = 10_000_000_000

// SameFirmGrowth is the same-firm (同口径) growth rate of a group of firms,
// Σcur / Σprev − 1, as an exact fraction (0.123 is 12.3%). cur and prev
// are the sums over the firms in scope now of 1-本月 and 上年同期, in the
// same integer unit (fen for money). When Σprev ≤ 0 there is no rate
// (shown as "—") and ok is false: a base of zero or a loss has no growth.
func SameFirmGrowth(cur, prev int64) (rate *big.Rat, ok bool) {
	if prev <= 0 {
		return nil, false
	}
	r := new(big.Rat).SetFrac(big.NewInt(cur), big.NewInt(prev))
	return r.Sub(r, big.NewRat(1, 1)), true
}

// FormatPercent prints the fraction r as a percentage without the sign
// "%", rounded half away from zero to decimals places: 0.1234 → "12.3".
// A nil r prints as "—". A result that rounds to zero never carries a
// minus sign.
func FormatPercent(r *big.Rat, decimals int) string {
	if r == nil {
		return NoValue
	}
	return formatRat(new(big.Rat).Mul(r, big.NewRat(100, 1)), decimals)
}

// FormatYi prints an amount in integer fen as 亿元 (1亿元 = 10^10 fen),
// rounded half away from zero to decimals places: 4624000000000 → "462.40"
// with 2 decimals. The arithmetic is exact.
func FormatYi(fen int64, decimals int) string {
	return formatRat(new(big.Rat).SetFrac(big.NewInt(fen), big.NewInt(fenPerYi)), decimals)
}

// formatRat prints r with decimals places, rounding half away from zero
// (big.Rat.FloatString rounds that way), without a minus sign on zero.
func formatRat(r *big.Rat, decimals int) string {
	s := r.FloatString(max(decimals, 0))
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}

// roundRat rounds r half away from zero to decimals places, exactly.
func roundRat(r *big.Rat, decimals int) *big.Rat {
	out, _ := new(big.Rat).SetString(formatRat(r, decimals))
	return out
}

// formatValue prints a value as written when it has at most 4 decimals
// ("462.4", "1350"), else rounded to 2.
func formatValue(r *big.Rat) string {
	if n, exact := r.FloatPrec(); exact && n <= 4 {
		return r.FloatString(n)
	}
	return formatRat(r, 2)
}
