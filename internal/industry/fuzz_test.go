package industry

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// firstLines returns the first n lines of data.
func firstLines(data []byte, n int) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > n {
		lines = lines[:n]
	}
	return bytes.Join(lines, nil)
}

// checkLoadError fails unless err is a *LoadError with 1 to maxProblems problems.
func checkLoadError(t *testing.T, err error) {
	t.Helper()
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error %v is not a *LoadError", err)
	}
	if len(le.Problems) == 0 || len(le.Problems) > maxProblems {
		t.Fatalf("%d problems", len(le.Problems))
	}
	for _, p := range le.Problems {
		if p.Msg == "" {
			t.Fatalf("empty problem message: %+v", p)
		}
	}
	_ = le.Error()
}

func FuzzLoad(f *testing.F) {
	f.Add(firstLines(gbt4754CSV, 12))
	f.Add(firstLines(gbt4754CSV, 40))
	f.Add([]byte("\ufeffcode,level,name,parent\nA,section,农业,\n01,division,农业,A\n019,group,其他农业,01\n0190,class,其他农业,019\n"))
	f.Add([]byte("code,level,name,parent\n0111,class,稻谷种植,011\n011,group,谷物种植,01\n01,division,农业,A\nA,section,农,\n"))
	f.Add([]byte("code,level,name,parent\nA,section,x,\n99,division,x,Z\n991,group,x,99\n111,class,x,11\n"))
	f.Add([]byte("code,level,name,parent\nA,section,x,\nA,section,x,\n01,division,,A\n\"01,division"))
	f.Add([]byte("code,level,name\n"))
	f.Add([]byte("code,level,name,parent\nA,section,\xff\xfe,\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Load(bytes.NewReader(data))
		if err != nil {
			checkLoadError(t, err)
			return
		}
		entries := tab.Entries()
		total := 0
		depth := map[string]int{LevelSection: 1, LevelDivision: 2, LevelGroup: 3, LevelClass: 4}
		for _, l := range []string{LevelSection, LevelDivision, LevelGroup, LevelClass} {
			total += tab.Count(l)
		}
		if total != len(entries) || total == 0 {
			t.Fatalf("counts sum to %d, %d entries", total, len(entries))
		}
		for _, e := range entries {
			got, ok := tab.Lookup(e.Code)
			if !ok || got != e {
				t.Fatalf("Lookup(%q) = %+v, %v; want %+v", e.Code, got, ok, e)
			}
			if e.Parent != "" {
				if _, ok := tab.Lookup(e.Parent); !ok {
					t.Fatalf("parent %q of %q does not resolve", e.Parent, e.Code)
				}
			}
			path := tab.Path(e.Code)
			if len(path) != depth[e.Level] || path[len(path)-1] != e || path[0].Level != LevelSection {
				t.Fatalf("Path(%q) = %+v", e.Code, path)
			}
			for i := 1; i < len(path); i++ {
				if path[i].Parent != path[i-1].Code {
					t.Fatalf("Path(%q) = %+v is not a chain", e.Code, path)
				}
				if i > 1 && !strings.HasPrefix(path[i].Code, path[i-1].Code) {
					t.Fatalf("Path(%q) = %+v: code does not extend its parent", e.Code, path)
				}
			}
			if _, ok := tab.Class(e.Code); ok != (e.Level == LevelClass) {
				t.Fatalf("Class(%q) ok = %v for level %s", e.Code, ok, e.Level)
			}
			if s, ok := tab.Section(e.Code); !ok || s != path[0] {
				t.Fatalf("Section(%q) = %+v, %v", e.Code, s, ok)
			}
			if _, ok := tab.Division(e.Code); ok != (e.Level != LevelSection) {
				t.Fatalf("Division(%q) ok = %v for level %s", e.Code, ok, e.Level)
			}
		}
	})
}

func FuzzLoadThresholds(f *testing.F) {
	f.Add(firstLines(thresholdsCSV, 4))
	tail := thresholdsCSV[bytes.Index(thresholdsCSV, []byte("房地产开发经营业")):] // the 7010 and 47–50 rows
	f.Add(append(firstLines(thresholdsCSV, 1), tail...))
	f.Add([]byte("scope,gbt4754_prefix,threshold_wan_yuan,basis,source\n规模以上服务业,72,1000,b,s\n规模以上服务业,7291,1000,b,s\n"))
	f.Add([]byte("scope,gbt4754_prefix,threshold_wan_yuan,basis,source\n房地产开发经营,7010,5,b,s\n有资质的建筑业,47,,b,s\n规上,7,1.5,,\n"))
	f.Add([]byte("\ufeffscope,gbt4754_prefix,threshold_wan_yuan,basis,source\n限额以上零售业,52,99999999999999999999,b,s\n"))
	f.Add([]byte("scope,gbt4754_prefix\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		th, err := LoadThresholds(bytes.NewReader(data))
		if err != nil {
			checkLoadError(t, err)
			return
		}
		rules := th.Rules()
		if len(rules) == 0 {
			t.Fatal("accepted a table without rules")
		}
		for _, r := range rules {
			if r.Scope.Register() == 0 {
				t.Fatalf("rule %+v has no register", r)
			}
			if (r.AmountWan > 0) != r.Scope.hasAmount() || r.AmountWan < 0 || r.AmountYuan() < 0 {
				t.Fatalf("rule %+v: bad amount", r)
			}
			class := r.Prefix
			if len(class) == 2 {
				class += "00"
			}
			got, ok := th.For(class)
			if !ok || got != r {
				t.Fatalf("For(%q) = %+v, %v; want %+v", class, got, ok, r)
			}
		}
	})
}
