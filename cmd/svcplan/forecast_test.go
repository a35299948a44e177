package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeM3Data writes two made-up series per frequency into dir, each with
// its test part when withTest is set for that frequency's name.
func writeM3Data(t *testing.T, dir string, withTest func(freq string) bool) {
	t.Helper()
	for _, f := range []struct {
		name    string
		n, h, m int
	}{{"yearly", 14, 6, 1}, {"quarterly", 16, 8, 4}, {"monthly", 48, 18, 12}} {
		var b strings.Builder
		b.WriteString("series_id,category,period_index,value,part\n")
		for s := range 2 {
			for i := 1; i <= f.n+f.h; i++ {
				part := "train"
				if i > f.n {
					if !withTest(f.name) {
						break
					}
					part = "test"
				}
				v := 100 + float64(i*(s+1)) + 10*float64(i%f.m)
				fmt.Fprintf(&b, "%s%d,MICRO,%d,%g,%s\n", f.name[:1], s, i, v, part)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, f.name+".csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestForecastM3(t *testing.T) {
	dir := t.TempDir()
	writeM3Data(t, dir, func(string) bool { return true })
	// An original submission to re-score alongside: 100 everywhere.
	if err := os.Mkdir(filepath.Join(dir, "original-forecasts"), 0o755); err != nil {
		t.Fatal(err)
	}
	var sub strings.Builder
	sub.WriteString("series_id,h,forecast\n")
	for _, f := range []struct {
		p string
		h int
	}{{"y", 6}, {"q", 8}, {"m", 18}} {
		for s := range 2 {
			for h := 1; h <= f.h; h++ {
				fmt.Fprintf(&sub, "%s%d,%d,100\n", f.p, s, h)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "original-forecasts", "FLAT.csv"), []byte(sub.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "f.csv")
	code, stdout, stderr := svcplan(t, "forecast", "m3", "--data", dir, "--out", out, "--method", "comb")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"yearly", "quarterly", "monthly", "overall", "OWA", "cov95", "original submissions", "FLAT"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if lines[0] != "series_id,h,forecast,lo80,hi80,lo95,hi95" || len(lines) != 1+2*(6+8+18) {
		t.Errorf("forecast file: %d lines, header %q", len(lines), lines[0])
	}
	if code, _, _ := svcplan(t, "forecast", "m3", "--data", dir); code != 2 {
		t.Errorf("missing --out: exit %d, want 2", code)
	}
	if code, _, _ := svcplan(t, "forecast", "m3", "--data", dir, "--out", out, "--method", "arima"); code != 2 {
		t.Errorf("unknown method: exit %d, want 2", code)
	}
}

// TestForecastM3NoTest: data without a test part is forecast but not
// scored, and the output says why instead of showing NaN.
func TestForecastM3NoTest(t *testing.T) {
	dir := t.TempDir()
	writeM3Data(t, dir, func(string) bool { return false })
	out := filepath.Join(dir, "f.csv")
	code, stdout, stderr := svcplan(t, "forecast", "m3", "--data", dir, "--out", out, "--method", "naive")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, "NaN") || !strings.Contains(stdout, "没有可评分的检验段") || !strings.Contains(stdout, "6 个序列都只有训练段") {
		t.Errorf("no test part:\n%s", stdout)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("forecasts not written: %v", err)
	}

	// Only the yearly set has a test part: the others are listed as not
	// scored, and the overall figures are the yearly ones.
	writeM3Data(t, dir, func(f string) bool { return f == "yearly" })
	code, stdout, stderr = svcplan(t, "forecast", "m3", "--data", dir, "--out", out, "--method", "naive")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"quarterly: 没有可评分的检验段", "monthly: 没有可评分的检验段", "over all 12 forecasts"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	if strings.Contains(stdout, "NaN") {
		t.Errorf("output shows NaN:\n%s", stdout)
	}
}
