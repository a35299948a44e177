package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestForecastM3(t *testing.T) {
	dir := t.TempDir()
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
