package registry

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want, msg string }{
		{"2015-06-18", "2015-06-18", ""},
		{"2020/1/5", "2020-01-05", ""},
		{"2008年3月1日", "2008-03-01", ""},
		{"20190102", "2019-01-02", ""},
		{"2019.01.02", "2019-01-02", ""},
		{"2021-04-01 00:00:00", "2021-04-01", ""},
		{"43831", "2020-01-01", ""}, // an Excel serial date: 1900 system, 43831 = 2020-01-01
		{"43831.0", "2020-01-01", ""},
		{"2026-05-15", "2026-05-15", ""}, // today
		{"2026-05-16", "", "不在1949年至今之间"},
		{"1948-12-31", "", "不在1949年至今之间"},
		{"2023-02-29", "", "不存在"}, // 2023 is not a leap year
		{"2024-02-29", "2024-02-29", ""},
		{"2021-13-01", "", "不存在"},
		{"2021-1x-01", "", "不认识"},
		{"明年", "", "不认识"},
		{"2021-03", "", "不认识"},
	} {
		got, msg := parseDate(c.in, testNow)
		if got != c.want || !strings.Contains(msg, c.msg) || (c.msg == "") != (msg == "") {
			t.Errorf("parseDate(%q) = %q, %q; want %q, …%s…", c.in, got, msg, c.want, c.msg)
		}
	}
}

func TestParseMonth(t *testing.T) {
	for _, c := range []struct{ in, want, msg string }{
		{"202103", "2021-03", ""},
		{"2021-03", "2021-03", ""},
		{"2021年3月", "2021-03", ""},
		{"2021/3", "2021-03", ""},
		{"2021-03-15", "2021-03", ""}, // a date: its month
		{"202605", "2026-05", ""},     // this month
		{"202606", "", "晚于本月"},
		{"2026-06", "", "晚于本月"},
		{"202113", "", ""}, // not a month: falls through to a date, which fails
		{"194812", "", ""}, // before 1949
		{"2021-3x", "", ""},
		{"10000-01", "", "晚于本月"}, // found by FuzzImportEnterprises: a five-digit year
		{"10000年1", "", "晚于本月"},
	} {
		got, msg := parseMonth(c.in, testNow)
		if got != c.want || !strings.Contains(msg, c.msg) || (c.want == "") != (msg != "") {
			t.Errorf("parseMonth(%q) = %q, %q; want %q, …%s…", c.in, got, msg, c.want, c.msg)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2025", "2025"},
		{"2025年", "2025"},
		{"2025年度", "2025"},
		{"2025全年", "2025"},
		{"2025-06", "2025-06"},
		{"202506", "2025-06"},
		{"2025年6月", "2025-06"},
		{"2025年1-6月", "2025-06"},
		{"2025年1—6月", "2025-06"},
		{"2027", ""}, // a year not yet begun
		{"1989", ""},
		{"2026-06", ""}, // a month not yet over… not yet begun
		{"上半年", ""},
	} {
		got, msg := parsePeriod(c.in, testNow)
		if got != c.want || (c.want == "") != (msg != "") {
			t.Errorf("parsePeriod(%q) = %q, %q; want %q", c.in, got, msg, c.want)
		}
	}
}

func TestUnneutralize(t *testing.T) {
	for in, want := range map[string]string{"'-5": "-5", "'=A1": "=A1", "'abc": "'abc", "'": "'", "-5": "-5", "": ""} {
		if got := unneutralize(in); got != want {
			t.Errorf("unneutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeySet(t *testing.T) {
	k := newKeySet()
	long := strings.Repeat("9", 50)
	for i, key := range []string{"91350100M000100Y43", "ab", "ab\x00", "", long, long[:39], long[:40]} {
		if _, dup := k.add(key, i+1); dup {
			t.Errorf("%q seen as a duplicate on first sight", key)
		}
	}
	for i, key := range []string{"91350100M000100Y43", "ab", "ab\x00", "", long, long[:39], long[:40]} {
		if first, dup := k.add(key, 100); !dup || first != i+1 {
			t.Errorf("%q again: first %d, dup %v; want %d", key, first, dup, i+1)
		}
	}
}
