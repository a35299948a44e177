package money

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestSameFirmGrowth(t *testing.T) {
	tests := []struct {
		name      string
		cur, prev int64
		rate      string // exact fraction; "" when there is no rate
		pct       string // Percent(rate, 1)
	}{
		// 1123 / 1000 − 1 = 0.123 → 12.3%.
		{"growth", 1123, 1000, "0.123", "12.3"},
		// 2 / 0: new firms, no base → no rate.
		{"zero base", 2, 0, "", "—"},
		// base a loss → no rate.
		{"negative base", 5, -3, "", "—"},
		// 9995 / 10000 − 1 = −0.0005 = −0.05% → half away from zero → −0.1.
		{"half down away from zero", 9995, 10000, "-0.0005", "-0.1"},
		// 10005 / 10000 − 1 = 0.0005 = 0.05% → 0.1.
		{"half up away from zero", 10005, 10000, "0.0005", "0.1"},
		// 9996 / 10000 − 1 = −0.04% → rounds to 0.0, printed without sign.
		{"negative zero", 9996, 10000, "-0.0004", "0.0"},
		// 1 / 3 − 1 = −2/3 = −66.666…% → −66.7.
		{"thirds", 1, 3, "-2/3", "-66.7"},
		// 0 / 100 − 1 = −1 → −100.0.
		{"all gone", 0, 100, "-1", "-100.0"},
		// Sums in fen near the top of int64 stay exact:
		// 9223372036854775807 / 4611686018427387904 − 1
		// = (2^63 − 1)/2^62 − 1 = (2^62 − 1)/2^62 → 99.99999…% → 100.0.
		{"large sums", math.MaxInt64, 1 << 62, "4611686018427387903/4611686018427387904", "100.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Growth(tt.cur, tt.prev)
			if want := rat(tt.rate); ok != (want != nil) || (ok && got.Cmp(want) != 0) {
				t.Fatalf("Growth(%d, %d) = %v, %v, want %v", tt.cur, tt.prev, got, ok, want)
			}
			if s := Percent(got, 1); s != tt.pct {
				t.Errorf("Percent = %q, want %q", s, tt.pct)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		r        string
		decimals int
		want     string
	}{
		{"0.125", 0, "13"},   // 12.5 → 13
		{"-0.125", 0, "-13"}, // −12.5 → −13
		{"0.68", 1, "68.0"},
		{"7/22", 1, "31.8"}, // 31.818…
		{"7/22", 2, "31.82"},
		{"2/3", 1, "66.7"},
		{"1", -1, "100"}, // negative decimals read as 0
	}
	for _, tt := range tests {
		if got := Percent(rat(tt.r), tt.decimals); got != tt.want {
			t.Errorf("Percent(%s, %d) = %q, want %q", tt.r, tt.decimals, got, tt.want)
		}
	}
}

func TestTextYi(t *testing.T) {
	tests := []struct {
		fen      Fen
		decimals int
		want     string
	}{
		// 462.4亿元 = 462.4 × 10^10 fen = 4 624 000 000 000 fen.
		{4_624_000_000_000, 2, "462.40"},
		{4_624_000_000_000, 1, "462.4"},
		// 1 234 567 890 123 fen = 123.456 789 012 3亿元 → 123.46 / 123.5.
		{1_234_567_890_123, 2, "123.46"},
		{1_234_567_890_123, 1, "123.5"},
		// 0.005亿元 = 50 000 000 fen: half away from zero → 0.01 / −0.01.
		{50_000_000, 2, "0.01"},
		{-50_000_000, 2, "-0.01"},
		// 49 999 999 fen = 0.004 999 999 9亿元 → 0.00, no minus sign either way.
		{49_999_999, 2, "0.00"},
		{-49_999_999, 2, "0.00"},
		{0, 2, "0.00"},
		// 1.5亿元 → 2, −1.5亿元 → −2 with no decimals.
		{15_000_000_000, 0, "2"},
		{-15_000_000_000, 0, "-2"},
		// 2^63 − 1 fen = 922 337 203.685 477 580 7亿元 → 922337203.69.
		{math.MaxInt64, 2, "922337203.69"},
		// −2^63 fen = −922 337 203.685 477 580 8亿元 → −922337203.69.
		{math.MinInt64, 2, "-922337203.69"},
	}
	for _, tt := range tests {
		if got := tt.fen.Text(YiYuan, tt.decimals); got != tt.want {
			t.Errorf("Fen(%d).Text(YiYuan, %d) = %q, want %q", tt.fen, tt.decimals, got, tt.want)
		}
	}
}

func rat(s string) *big.Rat {
	if s == "" {
		return nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad rat " + s)
	}
	return r
}

// TestWanText is the rounding the data-quality notes use: 万元 with two
// decimals, half away from zero.
func TestWanText(t *testing.T) {
	if !strings.Contains(Fen(-5_000).Text(WanYuan, 2), "-0.01") || Fen(4_999).Text(WanYuan, 2) != "0.00" {
		t.Errorf("万元 rounding: %s %s", Fen(-5_000).Text(WanYuan, 2), Fen(4_999).Text(WanYuan, 2))
	}
}
