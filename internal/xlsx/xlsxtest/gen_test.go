package xlsxtest

import (
	"bytes"
	"strings"
	"testing"

	"svcplan/internal/uscc"
)

func TestCheckChar(t *testing.T) {
	// The example code of GB 32100-2015.
	if got := CheckChar("91350100M000100Y4"); got != '3' {
		t.Errorf("CheckChar = %c, want 3", got)
	}
}

func TestGeneratorCodes(t *testing.T) {
	g := NewGenerator(1)
	seen := map[string]bool{}
	for range 2000 {
		e := g.Next()
		c := e.USCC
		if len(c) != 18 || !strings.HasPrefix(c, "9") || c[2:8] != "321203" {
			t.Fatalf("bad code %q", c)
		}
		if r := uscc.Check(c); !r.Valid || !r.OrgCodeOK {
			t.Fatalf("code %q: %v", c, r.Problems)
		}
		if seen[c] {
			t.Fatalf("duplicate code %q", c)
		}
		seen[c] = true
		if len(e.Industry) != 4 || len(e.Town) != 9 || !strings.HasPrefix(e.Town, "321203") || e.Town == "321203102" {
			t.Fatalf("bad industry or town in %+v", e)
		}
		if y := e.Founded.Year(); y < 2000 || y > 2026 {
			t.Fatalf("founded %v", e.Founded)
		}
		if _, frac, _ := strings.Cut(e.Revenue, "."); len(frac) > 4 || strings.HasSuffix(e.Revenue, "0") && frac != "" {
			t.Fatalf("revenue %q", e.Revenue)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer, int, int64) error{
		"csv":  func(b *bytes.Buffer, n int, s int64) error { return WriteEnterprisesCSV(b, n, s) },
		"xlsx": func(b *bytes.Buffer, n int, s int64) error { return WriteEnterprisesXLSX(b, n, s) },
	} {
		var a, b, c bytes.Buffer
		if err := write(&a, 50, 3); err != nil {
			t.Fatal(err)
		}
		if err := write(&b, 50, 3); err != nil {
			t.Fatal(err)
		}
		if err := write(&c, 50, 4); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: same seed, different output", name)
		}
		if bytes.Equal(a.Bytes(), c.Bytes()) {
			t.Errorf("%s: different seeds, same output", name)
		}
		if a.Len() == 0 {
			t.Errorf("%s: empty output", name)
		}
	}
}
