package xlsx

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// maxSerial is the largest Excel serial day number taken for a date
// (2173-10-13): six-digit numbers are rather yyyymm periods like 202401.
const maxSerial = 99999

var errDate = errors.New("not a date")

// ParseDate parses a date cell as a RowReader returns it, from either
// format:
//   - an Excel serial day number (1900 date system) up to 99999, as .xlsx
//     date cells come back: "45292" is 2024-01-01; a fraction (time of
//     day) is dropped;
//   - text as people and exporting systems write it: 2024-01-02,
//     2024/1/2, 2024.1.2, 2024年1月2日, 20240102, optionally followed by a
//     time (" 15:04:05", "T15:04:05Z"), which is dropped.
//
// The result is midnight UTC of that day.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errDate
	}
	if t, ok := serialDate(s); ok {
		return t, nil
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	if len(s) == 8 && allDigits(s) {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	t, err := time.Parse("2006-1-2", s)
	if err != nil {
		return time.Time{}, errDate
	}
	return t, nil
}

// serialDate converts an Excel serial day number. Excel counts 1900 as a
// leap year: serial 60 is the nonexistent 1900-02-29, refused here.
func serialDate(s string) (time.Time, bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 5 || !allDigits(intPart) || !allDigits(frac) {
		return time.Time{}, false
	}
	n, _ := strconv.Atoi(intPart)
	if n < 1 || n > maxSerial || n == 60 {
		return time.Time{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if n < 60 {
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, n), true
}
