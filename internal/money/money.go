// Package money is svcplan's one home for amounts and the figures made of
// them: an amount is an exact integer number of fen (分), read from text
// exactly, written in 元, 千元, 万元 or 亿元 with rounding half away from
// zero, and compared year on year as a same-firm growth rate. No float
// ever holds money (cn-stats-conventions §2.2; STYLE.md "No floats for
// money").
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Fen is an amount of money in fen, the smallest unit: 1元 is 100 fen.
type Fen int64

// Units, in fen. Report forms count in 千元, directories in 万元, reports
// to leaders in 亿元.
const (
	Yuan     Fen = 100
	QianYuan Fen = 100_000
	WanYuan  Fen = 1_000_000
	YiYuan   Fen = 10_000_000_000
)

// Max bounds an amount read from a file: 10万亿元, beyond any firm's
// revenue and any district's total.
const Max Fen = 1_000_000_000_000_000

// units are the unit names a header or a form may give.
var units = map[string]Fen{"元": Yuan, "千元": QianYuan, "万元": WanYuan, "亿元": YiYuan}

// Unit returns the unit a name stands for: 元, 千元, 万元 or 亿元; 0 for
// any other name.
func Unit(name string) Fen { return units[name] }

// UnitName is the Chinese name of a unit, or "" for none of the four.
func UnitName(unit Fen) string {
	for name, u := range units {
		if u == unit {
			return name
		}
	}
	return ""
}

// Errors of Parse; their text is shown to users.
var (
	ErrNotNumber = errors.New("不是数字")
	ErrTooFine   = errors.New("精度超过1分")
	ErrTooLarge  = errors.New("过大")
)

// Parse reads an amount given in unit exactly: "1234.5678", "-12",
// "1,234.5" (thousands separators, also full-width), "1.2345E+7" (as
// spreadsheets store large numbers). Anything finer than a fen is an
// error, never rounded; so is an amount beyond Max.
func Parse(s string, unit Fen) (Fen, error) {
	t := strings.TrimSpace(s)
	if strings.ContainsAny(t, ",，") {
		t = strings.NewReplacer(",", "", "，", "").Replace(t)
	}
	if f, ok := parsePlain(t, unit); ok {
		return f, nil
	}
	if t == "" || len(t) > 40 || strings.Trim(t, "0123456789+-.eE") != "" || badExponent(t) {
		return 0, ErrNotNumber
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return 0, ErrNotNumber
	}
	r.Mul(r, new(big.Rat).SetInt64(int64(unit)))
	if !r.IsInt() {
		return 0, ErrTooFine
	}
	n := r.Num()
	if !n.IsInt64() || n.Int64() > int64(Max) || n.Int64() < -int64(Max) {
		return 0, ErrTooLarge
	}
	return Fen(n.Int64()), nil
}

// parsePlain reads the common case, an optional minus sign, digits and at
// most as many decimals as unit has places, without allocating. ok is
// false for anything else, which Parse then reads the slow way.
func parsePlain(s string, unit Fen) (Fen, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac, dot := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 15 || dot && frac == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n > int64(Max/unit) {
		return 0, false
	}
	n *= int64(unit)
	scale := int64(unit)
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' || scale%10 != 0 {
			return 0, false
		}
		scale /= 10
		n += int64(c-'0') * scale
	}
	if n > int64(Max) {
		return 0, false
	}
	if neg {
		n = -n
	}
	return Fen(n), true
}

// badExponent reports an exponent (1.2E+7) too large for an amount, which
// would make exact arithmetic slow.
func badExponent(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return false
	}
	exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	return err != nil || exp > 20 || exp < -20
}

// ParseAmount is Parse for an amount that may not be negative, with the
// message a user reads: what names the item ("营业收入").
func ParseAmount(s string, unit Fen, what string) (Fen, error) {
	f, err := Parse(s, unit)
	switch {
	case err != nil:
		return 0, fmt.Errorf("金额“%s”%w", s, err)
	case f < 0:
		return 0, fmt.Errorf("%s不能为负数(%s)", what, s)
	}
	return f, nil
}

// Round rounds f half away from zero to a whole number of unit:
// Fen(12350).Round(Yuan) is 12400 fen (124元).
func (f Fen) Round(unit Fen) Fen {
	q, r := f/unit, f%unit
	switch {
	case 2*r >= unit:
		q++
	case 2*r <= -unit:
		q--
	}
	return q * unit
}

// Wan writes f in 万元 to the yuan, with no trailing zero: the way the
// directory shows revenue and thresholds. Fen(123_456_789).Wan() is
// "123.4568".
func (f Fen) Wan() string { return f.Round(Yuan).Exact(WanYuan) }

// In is f as an exact number of unit: Fen(150).In(Yuan) is 3/2.
func (f Fen) In(unit Fen) *big.Rat {
	return new(big.Rat).SetFrac64(int64(f), int64(unit))
}

// Text writes f in unit with decimals places, rounded half away from zero:
// Fen(4_624_000_000_000).Text(YiYuan, 2) is "462.40". Zero never carries a
// minus sign.
func (f Fen) Text(unit Fen, decimals int) string {
	return Decimal(f.In(unit), decimals)
}

// Exact writes f in unit with every digit it has and no trailing zero:
// Fen(123_456_789).Exact(WanYuan) is "123.456789", Fen(-5_000_000).Exact(WanYuan)
// "-5". Spreadsheet exports use it, so that no fen is lost.
func (f Fen) Exact(unit Fen) string {
	n := int64(f)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	u := int64(unit)
	s := sign + strconv.FormatInt(n/u, 10)
	frac := n % u
	if frac == 0 {
		return s
	}
	places := len(strconv.FormatInt(u, 10)) - 1
	digits := strconv.FormatInt(frac, 10)
	digits = strings.Repeat("0", places-len(digits)) + digits
	return s + "." + strings.TrimRight(digits, "0")
}
