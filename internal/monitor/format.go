package monitor

import (
	"math/big"

	"svcplan/internal/money"
)

// roundRat rounds r half away from zero to decimals places, exactly.
func roundRat(r *big.Rat, decimals int) *big.Rat {
	out, _ := new(big.Rat).SetString(money.Decimal(r, decimals))
	return out
}

// formatValue prints a value as written when it has at most 4 decimals
// ("462.4", "1350"), else rounded to 2.
func formatValue(r *big.Rat) string {
	if n, exact := r.FloatPrec(); exact && n <= 4 {
		return r.FloatString(n)
	}
	return money.Decimal(r, 2)
}
