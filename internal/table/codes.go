package table

import (
	"math/big"
	"strings"
)

// CodeColumn is a column that holds codes of a fixed number of digits
// (an industry class: 4; a 统计用区划代码: 12; an organisation code: 9),
// which a spreadsheet turns into numbers and so strips of their leading
// zeros: 0511 becomes 511.
type CodeColumn struct {
	Col    int // 0-based
	Digits int
}

// Restore gives back, in the row just read, the leading zeros a
// spreadsheet dropped from codes stored as numbers: a cell of a code
// column that rows says is numeric and holds fewer digits than the code
// has is padded with zeros in place ("511" → "0511"). A number written
// with an exponent or a fraction of zeros ("3.21203100001E+11", "511.0")
// is written out as its digits first. It returns how many cells it padded. Text cells
// are never touched: a "511" typed as text stays a wrong code, for the
// import to report.
func Restore(rows Rows, cells []string, cols []CodeColumn) int {
	n := 0
	for _, c := range cols {
		if c.Col < 0 || c.Col >= len(cells) || !rows.Numeric(c.Col) {
			continue
		}
		v := strings.TrimSpace(cells[c.Col])
		if !digits(v) {
			var ok bool
			if v, ok = integerText(v); !ok {
				continue
			}
			cells[c.Col] = v
		}
		if len(v) < c.Digits {
			cells[c.Col] = strings.Repeat("0", c.Digits-len(v)) + v
			n++
		}
	}
	return n
}

// integerText writes a number such as "3.21203100001E+11" or "511.0" as
// its digits, when it is a non-negative whole number.
func integerText(s string) (string, bool) {
	if s == "" || len(s) > 40 || strings.Trim(s, "0123456789.eE+") != "" {
		return "", false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || !r.IsInt() || r.Sign() <= 0 || r.Num().BitLen() > 64 {
		return "", false
	}
	return r.Num().String(), true
}
