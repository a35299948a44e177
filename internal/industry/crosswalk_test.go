package industry

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestDefault2011TableCounts(t *testing.T) {
	// The published totals of GB/T 4754-2011: 20/96/432/1094.
	old := DefaultCrosswalk().Old()
	for level, want := range map[string]int{LevelSection: 20, LevelDivision: 96, LevelGroup: 432, LevelClass: 1094} {
		if got := old.Count(level); got != want {
			t.Errorf("2011 Count(%s) = %d, want %d", level, got, want)
		}
	}
	// The four defects of the source, as corrected (data/README.md).
	for code, want := range map[string]string{"8731": "图书馆", "3079": "园林、陈设艺术及其他陶瓷制品制造",
		"016": "坚果、含油果、香料和饮料作物种植", "4819": "其他道路、隧道和桥梁工程建筑", "253": "核燃料加工"} {
		if e, ok := old.Lookup(code); !ok || e.Name != want {
			t.Errorf("2011 %s = %+v, want %s", code, e, want)
		}
	}
}

func TestDefaultCrosswalk(t *testing.T) {
	if _, err := LoadCrosswalk(DefaultCrosswalk().Old(), bytes.NewReader(crosswalkCSV), Default()); err != nil {
		t.Fatalf("embedded crosswalk: %v", err)
	}
	c := DefaultCrosswalk()
	// Hand-checked against the names and scope of both editions.
	for _, tt := range []struct {
		code, main string
		classes    []string
	}{
		{"7240", "7259", []string{"7251", "7259"}},                 // 广告业 → 互联网广告服务, 其他广告服务
		{"7950", "8051", []string{"8051", "8052"}},                 // 洗浴服务 → 洗浴服务, 足浴服务
		{"7231", "7241", []string{"7241"}},                         // 会计、审计及税务服务: 7231 is 律师 in 2017
		{"5810", "5910", []string{"5910"}},                         // 装卸搬运: 5810 is 多式联运 in 2017
		{"6510", "6513", []string{"6511", "6512", "6513", "6519"}}, // 软件开发, mostly application software
		{"3079", "3075", []string{"3075", "3076", "3079"}},         // 园林、陈设艺术及其他陶瓷制品制造, mostly 陈设艺术
		{"0111", "0111", []string{"0111"}},                         // 稻谷种植, unchanged
	} {
		s, ok := c.Successor(tt.code)
		if !ok || s.Main != tt.main || !slices.Equal(s.Classes, tt.classes) || s.Old.Code != tt.code ||
			s.Unsure() != (len(tt.classes) > 1) {
			t.Errorf("Successor(%s) = %+v %v, want main %s of %v", tt.code, s, ok, tt.main, tt.classes)
		}
		if !slices.Contains(s.Classes, s.Main) {
			t.Errorf("Successor(%s): main %s not among %v", tt.code, s.Main, s.Classes)
		}
	}
	for _, code := range []string{"7251", "9999", "724", ""} { // 2017-only, none, a group, empty
		if s, ok := c.Successor(code); ok {
			t.Errorf("Successor(%q) = %+v, want none", code, s)
		}
	}
	// Every 2011 class has a successor among the 2017 classes.
	for _, e := range c.Old().Entries() {
		if e.Level != LevelClass {
			continue
		}
		s, ok := c.Successor(e.Code)
		if _, in := Default().Class(s.Main); !ok || !in {
			t.Errorf("2011 class %s has no 2017 successor: %+v", e.Code, s)
		}
	}
}

const testOld = `code,level,name,parent
L,section,租赁和商务服务业,
72,division,商务服务业,L
724,group,广告业,72
7240,class,广告业,724
729,group,其他商务服务业,72
7291,class,市场管理,729
`

func TestLoadCrosswalkErrors(t *testing.T) {
	old := mustLoad(t, testOld)
	head := "code_2011,name_2011,code_2017,name_2017,main\n"
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"ok", head + "7240,广告业,7251,互联网广告服务,\n7240,广告业,7259,其他广告服务,*\n7291,市场管理,7223,市场管理服务,*\n", nil},
		{"codes and names", head + "7241,广告业,7259,其他广告服务,*\n7240,广告,7258,其他广告服务,*\n7291,市场管理,7223,市场,x\n", []string{
			"第2行,第1列(code_2011): “7241”不是2011版的行业小类代码",
			"第3行,第2列(name_2011): 2011版小类7240的名称应为“广告业”,实为“广告”",
			"第3行,第3列(code_2017): “7258”不是2017版的行业小类代码",
			"第4行,第4列(name_2017): 2017版小类7223的名称应为“市场管理服务”,实为“市场”",
			"第4行,第5列(main): main列应为*或空,实为“x”",
			"第4行,第5列(main): 2011版小类7291没有标*的最可能去向",
		}},
		{"mains, duplicates, gaps", head + "7240,广告业,7251,互联网广告服务,*\n7240,广告业,7259,其他广告服务,*\n7240,广告业,7259,其他广告服务,\n", []string{
			"2011版小类7291 市场管理在2017版中不是同名的同一代码,对照表中应列出其去向",
			"第3行,第5列(main): 2011版小类7240已在第2行标了*,每个小类只能有一个最可能的去向",
			"第4行,第3列(code_2017): 7240→7259与第3行重复",
		}},
	} {
		c, err := LoadCrosswalk(old, strings.NewReader(tt.text), Default())
		if tt.want == nil {
			if s, ok := c.Successor("7240"); err != nil || !ok || s.Main != "7259" || !slices.Equal(s.Classes, []string{"7251", "7259"}) {
				t.Errorf("%s: %+v %v", tt.name, s, err)
			}
			continue
		}
		if got := problemStrings(t, err); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

func FuzzLoadCrosswalk(f *testing.F) {
	old := DefaultCrosswalk().Old()
	f.Add(firstLines(crosswalkCSV, 20))
	f.Add([]byte("code_2011,name_2011,code_2017,name_2017,main\n7240,广告业,7251,互联网广告服务,\n7240,广告业,7251,互联网广告服务,*\n"))
	f.Add([]byte("code_2011,name_2011,code_2017,name_2017,main\n\"7240,广告业\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := LoadCrosswalk(old, bytes.NewReader(data), Default())
		if err != nil {
			checkLoadError(t, err)
			return
		}
		for _, e := range old.Entries() {
			if s, ok := c.Successor(e.Code); e.Level == LevelClass && (!ok || !slices.Contains(s.Classes, s.Main)) {
				t.Fatalf("loaded crosswalk without a successor for %s: %+v", e.Code, s)
			}
		}
	})
}
