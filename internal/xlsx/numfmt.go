package xlsx

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/table"
)

// fmtKind is what a cell's number format changes in how a number reads.
type fmtKind uint8

const (
	fmtPlain fmtKind = iota // the stored value
	fmtDate                 // a date: ISO text
	fmtZeros                // zero-padded to width digits ("0000": 511 reads "0511")
)

// cellFormat is the number format of one cell style, as it matters here.
type cellFormat struct {
	kind  fmtKind
	width int  // fmtZeros: the number of zeros
	known bool // looked up
}

// styleFormat looks up the number format of cell style id.
func styleFormat(f *excelize.File, id int) cellFormat {
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return cellFormat{known: true}
	}
	if st.CustomNumFmt != nil {
		return codeFormat(*st.CustomNumFmt)
	}
	if builtInDate(st.NumFmt) {
		return cellFormat{kind: fmtDate, known: true}
	}
	return cellFormat{known: true}
}

// codeFormat classifies a custom number format code.
func codeFormat(code string) cellFormat {
	if code != "" && strings.Trim(code, "0") == "" {
		return cellFormat{kind: fmtZeros, width: len(code), known: true}
	}
	if isDateCode(code) {
		return cellFormat{kind: fmtDate, known: true}
	}
	return cellFormat{known: true}
}

// builtInDate reports whether a built-in number format shows a date: 14–17
// and 22 of every locale, and those of 27–58 that are dates in Chinese
// (zh-cn) Excel (ECMA-376 Part 1, 18.8.30). 32–35, 55 and 56 there are
// times of day (上午/下午h"时"mm"分"), shown without a date.
func builtInDate(id int) bool {
	switch {
	case id >= 14 && id <= 17, id == 22:
		return true
	case id >= 27 && id <= 31, id == 36, id >= 50 && id <= 54, id == 57, id == 58:
		return true
	}
	return false
}

// isDateCode reports whether a number format code shows a date: it has a
// year or day part (y or d) outside quoted text, escaped or padding
// characters and brackets ([$-804], [Red], [h]). Time-only formats (h:mm,
// [h]:mm:ss, mm:ss) are not dates.
func isDateCode(code string) bool {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal, a space's width, or a fill
		case 'y', 'Y', 'd', 'D':
			return true
		}
	}
	return false
}

// dateText reads a number stored in a date-formatted cell as the ISO date
// Excel shows ("45292" is "2024-01-01" in the 1900 date system, "43830"
// the same day in the 1904 system); the time of day is dropped, after
// rounding to the millisecond as Excel does. ok is false for numbers that
// are no date (negative, beyond 2173, Excel's day 0 or its nonexistent
// 1900-02-29).
func dateText(v string, date1904 bool) (string, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= 0 && f < 100_000) {
		return "", false
	}
	const msPerDay = 86_400_000
	days := int64(math.Round(f*msPerDay)) / msPerDay
	t, ok := table.SerialDate(int(days), date1904)
	if !ok {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// padZeros writes a whole number as a zero-padding format of width digits
// shows it: "511" is "0511" for width 4, "3.21203100001E+11" is
// "321203100001". Other numbers stay as stored (Excel would round them).
func padZeros(v string, width int) string {
	sign, n := "", v
	if strings.HasPrefix(n, "-") {
		sign, n = "-", n[1:]
	}
	if n == "" || strings.Trim(n, "0123456789") != "" {
		if len(n) > 40 || strings.Trim(n, "0123456789.eE+-") != "" {
			return v
		}
		r, ok := new(big.Rat).SetString(n)
		if !ok || !r.IsInt() || r.Sign() < 0 || r.Num().BitLen() > 64 {
			return v
		}
		n = r.Num().String()
	}
	if len(n) < width {
		n = strings.Repeat("0", width-len(n)) + n
	}
	if sign != "" && strings.Trim(n, "0") == "" {
		sign = "" // -0
	}
	return sign + n
}
