package xlsx

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"45292", d(2024, 1, 1), true},
		{"45292.75", d(2024, 1, 1), true},
		{"1", d(1900, 1, 1), true},
		{"59", d(1900, 2, 28), true},
		{"61", d(1900, 3, 1), true},
		{"36526", d(2000, 1, 1), true},
		{"99999", d(2173, 10, 13), true},
		{"2024-01-02", d(2024, 1, 2), true},
		{"2024/1/2", d(2024, 1, 2), true},
		{"2024.1.2", d(2024, 1, 2), true},
		{"2024年1月2日", d(2024, 1, 2), true},
		{"20240102", d(2024, 1, 2), true},
		{" 2024-01-02 15:04:05 ", d(2024, 1, 2), true},
		{"2024-01-02T15:04:05Z", d(2024, 1, 2), true},
		{"60", time.Time{}, false}, // Excel's 1900-02-29
		{"0", time.Time{}, false},
		{"100000", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"2024-02-30", time.Time{}, false},
		{"202401", time.Time{}, false},
		{"2024-13-01", time.Time{}, false},
		{"", time.Time{}, false},
		{"明天", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v, want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
