package table

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Errors of ParseDate: a cell that is not a date, and one written as a
// date that does not exist (2023-02-29, 2021-13-01).
var (
	ErrDate   = errors.New("not a date")
	ErrNoDate = errors.New("no such date")
)

// maxSerial is the largest Excel serial day number taken for a date
// (2173-10-13): six-digit numbers are rather yyyymm periods like 202401.
const maxSerial = 99999

// ParseDate reads a date cell in any of the forms offices write:
//   - text: 2024-01-02, 2024/1/2, 2024.1.2, 2024年1月2日, 20240102,
//     optionally followed by a time (" 15:04:05", "T15:04:05Z"), dropped;
//   - an Excel serial day number of the 1900 date system up to 99999
//     ("45292" is 2024-01-01; a fraction, the time of day, is dropped),
//     as a spreadsheet stores a date that is not formatted as one. The
//     Excel reader turns cells formatted as dates into text itself, in
//     the workbook's own date system (1900 or 1904).
//
// The result is midnight UTC of that day. A day that does not exist
// (2023-02-29) is ErrNoDate, anything else that is no date ErrDate.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:]):
		// The common form, without allocating.
		y, m, d = atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	case len(s) == 8 && digits(s):
		y, m, d = atoi(s[:4]), atoi(s[4:6]), atoi(s[6:])
	default:
		if t, ok := serialDate(s); ok {
			return t, nil
		}
		if i := strings.IndexAny(s, " T"); i > 0 {
			s = s[:i]
		}
		parts := strings.Split(dateSeparators.Replace(s), "-")
		if len(parts) != 3 || !digits(parts[0]) || !digits(parts[1]) || !digits(parts[2]) ||
			len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
			return time.Time{}, ErrDate
		}
		y, m, d = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, ErrNoDate
	}
	return t, nil
}

var dateSeparators = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")

// excelEpoch is day 0 of Excel's 1900 date system (1899-12-30, which
// absorbs Excel's counting 1900 as a leap year for dates after February
// 1900); Excel1904 is day 0 of the 1904 system, 1,462 days later.
var (
	excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	Excel1904  = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// SerialDate converts an Excel serial day number of the 1900 date system
// (date1904 false) or of the 1904 system. Serial 60 of the 1900 system is
// the nonexistent 1900-02-29 and is refused.
func SerialDate(serial int, date1904 bool) (time.Time, bool) {
	if date1904 {
		if serial < 0 || serial > maxSerial {
			return time.Time{}, false
		}
		return Excel1904.AddDate(0, 0, serial), true
	}
	if serial < 1 || serial > maxSerial || serial == 60 {
		return time.Time{}, false
	}
	base := excelEpoch
	if serial < 60 {
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, serial), true
}

// serialDate reads a serial day number of the 1900 system, with or
// without a fraction.
func serialDate(s string) (time.Time, bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) > 5 || !digits(intPart) || frac != "" && !digits(frac) {
		return time.Time{}, false
	}
	return SerialDate(atoi(intPart), false)
}

// digits reports whether s is a non-empty string of ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a string of ASCII digits checked by the caller.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
