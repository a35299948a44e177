package money

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		unit Fen
		want Fen
		err  error
	}{
		{"1234.5678", WanYuan, 1_234_567_800, nil},
		{"12345.678", QianYuan, 1_234_567_800, nil}, // F203 cells: 千元 with 3 decimals
		{"0.01", Yuan, 1, nil},
		{"1,234.5", Yuan, 123_450, nil},
		{"１,234", Yuan, 0, ErrNotNumber}, // full-width digits are not numbers
		{"1，234", Yuan, 123_400, nil},    // full-width comma
		{"-12", WanYuan, -12_000_000, nil},
		{" 7 ", Yuan, 700, nil},
		{"1.2345E+7", Yuan, 1_234_500_000, nil},
		{"2E3", QianYuan, 200_000_000, nil},
		{"0.001", Yuan, 0, ErrTooFine},
		{"1.0000001", WanYuan, 0, ErrTooFine},
		{"1.2E-3", Yuan, 0, ErrTooFine},
		{"10", YiYuan, 100_000_000_000, nil},
		{"100001", YiYuan, 0, ErrTooLarge}, // beyond 10万亿元
		{"999999999999999", YiYuan, 0, ErrTooLarge},
		{"1E+99", Yuan, 0, ErrNotNumber},
		{"1/3", Yuan, 0, ErrNotNumber},
		{"0x10", Yuan, 0, ErrNotNumber},
		{"", Yuan, 0, ErrNotNumber},
		{"abc", Yuan, 0, ErrNotNumber},
		{"1.", Yuan, 100, nil},
		{".5", Yuan, 50, nil},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.unit)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q, %d) = %d, %v; want %d, %v", tt.in, tt.unit, got, err, tt.want, tt.err)
		}
	}
}

func TestParseAmount(t *testing.T) {
	const wan = WanYuan
	for _, c := range []struct {
		in   string
		unit Fen
		want Fen
		msg  string
	}{
		{"1200", wan, 12_000_000_00, ""},
		{"1234.5678", wan, 12_345_678_00, ""},   // 万元 to the yuan
		{"1234.567891", wan, 12_345_678_91, ""}, // … and to the fen
		{"1234.5678912", wan, 0, "精度超过1分"},      // finer than a fen: refused, never rounded
		{"1,234.5", wan, 12_345_000_00, ""},
		{"1，234.5", wan, 12_345_000_00, ""},
		{"1.2345E+7", 100, 12_345_000_00, ""}, // 元, as a spreadsheet writes a large number
		{"0", wan, 0, ""},
		{"-5", wan, 0, "不能为负数"},
		{"1/3", wan, 0, "不是数字"},
		{"abc", wan, 0, "不是数字"},
		{"", wan, 0, "不是数字"},
		{"1e18", 100, 0, "过大"},
		{"1e999999999", 100, 0, "不是数字"}, // an exponent that would take forever
		{"99999999999", wan, 0, "过大"},
		{"35.5", 100_000, 3_550_000, ""}, // 千元
	} {
		got, err := ParseAmount(c.in, c.unit, "营业收入")
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if got != c.want || !strings.Contains(msg, c.msg) || (c.msg == "") != (msg == "") {
			t.Errorf("ParseAmount(%q, %d) = %d, %q; want %d, …%s…", c.in, c.unit, got, msg, c.want, c.msg)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		fen      Fen
		unit     Fen
		decimals int
		text     string // Text(unit, decimals)
		exact    string // Exact(unit)
	}{
		{123_456_789, WanYuan, 2, "123.46", "123.456789"},
		{-123_456_789, WanYuan, 2, "-123.46", "-123.456789"}, // once "-123.-4567"
		{4_624_000_000_000, YiYuan, 2, "462.40", "462.4"},
		{5_000_000, WanYuan, 0, "5", "5"},
		{-5_000_000, WanYuan, 4, "-5.0000", "-5"},
		{49, Yuan, 0, "0", "0.49"},
		{50, Yuan, 0, "1", "0.5"},    // half away from zero
		{-50, Yuan, 0, "-1", "-0.5"}, // half away from zero
		{-49, Yuan, 0, "0", "-0.49"}, // no "-0"
		{1, WanYuan, 6, "0.000001", "0.000001"},
		{1_200_000, QianYuan, 3, "12.000", "12"},
		{1_234_567_800, QianYuan, 1, "12345.7", "12345.678"},
		{0, YiYuan, 2, "0.00", "0"},
	}
	for _, tt := range tests {
		if got := tt.fen.Text(tt.unit, tt.decimals); got != tt.text {
			t.Errorf("Fen(%d).Text(%d, %d) = %q, want %q", tt.fen, tt.unit, tt.decimals, got, tt.text)
		}
		if got := tt.fen.Exact(tt.unit); got != tt.exact {
			t.Errorf("Fen(%d).Exact(%d) = %q, want %q", tt.fen, tt.unit, got, tt.exact)
		}
	}
}

func TestRound(t *testing.T) {
	tests := []struct{ fen, unit, want Fen }{
		{12_349, Yuan, 12_300},
		{12_350, Yuan, 12_400},
		{-12_350, Yuan, -12_400},
		{-12_349, Yuan, -12_300},
		{123_456_789, Yuan, 123_456_800},
		{-123_456_789, Yuan, -123_456_800},
		{4_999_999, WanYuan, 5_000_000},
	}
	for _, tt := range tests {
		if got := tt.fen.Round(tt.unit); got != tt.want {
			t.Errorf("Fen(%d).Round(%d) = %d, want %d", tt.fen, tt.unit, got, tt.want)
		}
	}
	// 万元 to the yuan, as the directory shows amounts.
	if got := Fen(-123_456_789).Round(Yuan).Exact(WanYuan); got != "-123.4568" {
		t.Errorf("万元 to the yuan = %q", got)
	}
}

func TestWan(t *testing.T) {
	for _, tt := range []struct {
		fen  Fen
		want string
	}{
		{0, "0"}, {1000 * WanYuan, "1000"}, {123456789, "123.4568"}, {4_999_999 * 100, "499.9999"},
		{149, "0.0001"}, {49, "0"}, {-2500 * WanYuan, "-2500"}, {1_230_000, "1.23"},
	} {
		if got := tt.fen.Wan(); got != tt.want {
			t.Errorf("Fen(%d).Wan() = %q, want %q", tt.fen, got, tt.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	if got := Decimal(big.NewRat(-1, 1000), 2); got != "0.00" {
		t.Errorf("Decimal(-0.001, 2) = %q", got)
	}
	if got := Decimal(big.NewRat(1, 8), 2); got != "0.13" {
		t.Errorf("Decimal(0.125, 2) = %q", got)
	}
}

func TestUnit(t *testing.T) {
	for name, want := range map[string]Fen{"元": Yuan, "千元": QianYuan, "万元": WanYuan, "亿元": YiYuan} {
		if u := Unit(name); u != want || UnitName(u) != name {
			t.Errorf("Unit(%q) = %d", name, u)
		}
	}
	if Unit("美元") != 0 {
		t.Error("美元 is not a unit of fen")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1234.5678", "-1", "1.2E+7", "1,234", "0.001", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, unit := range []Fen{Yuan, QianYuan, WanYuan, YiYuan} {
			got, err := Parse(s, unit)
			if err != nil {
				continue
			}
			if got > Max || got < -Max {
				t.Fatalf("Parse(%q) = %d beyond Max", s, got)
			}
			// What Exact writes reads back to the same amount.
			back, err := Parse(got.Exact(unit), unit)
			if err != nil || back != got {
				t.Fatalf("Parse(%q) = %d; Exact %q reads back as %d, %v", s, got, got.Exact(unit), back, err)
			}
		}
	})
}
