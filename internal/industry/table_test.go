package industry

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// mustLoad loads a code table from text or fails the test.
func mustLoad(t *testing.T, text string) *Table {
	t.Helper()
	tab, err := Load(strings.NewReader(text))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return tab
}

// problemStrings returns the formatted problems of a *LoadError, or fails.
func problemStrings(t *testing.T, err error) []string {
	t.Helper()
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error = %v, want *LoadError", err)
	}
	out := make([]string, len(le.Problems))
	for i, p := range le.Problems {
		out[i] = p.String()
	}
	return out
}

func TestDefaultTableParses(t *testing.T) {
	// Default panics if the embedded file is broken; check it returns an error-free parse.
	if _, err := Load(bytes.NewReader(gbt4754CSV)); err != nil {
		t.Fatalf("embedded gbt4754-2017.csv: %v", err)
	}
	if a, b := Default(), Default(); a != b {
		t.Error("Default is not parsed once")
	}
}

func TestDefaultTableCounts(t *testing.T) {
	// Figures from shared/data/README.md: 20/97/473/1381, 1971 rows.
	tab := Default()
	for _, c := range []struct {
		level string
		want  int
	}{
		{LevelSection, 20},
		{LevelDivision, 97},
		{LevelGroup, 473},
		{LevelClass, 1381},
	} {
		if got := tab.Count(c.level); got != c.want {
			t.Errorf("Count(%s) = %d, want %d", c.level, got, c.want)
		}
	}
	if got := len(tab.Entries()); got != 1971 {
		t.Errorf("len(Entries()) = %d, want 1971", got)
	}
	if got := tab.Count("bogus"); got != 0 {
		t.Errorf("Count(bogus) = %d, want 0", got)
	}
}

func TestDefaultTableMergedRows(t *testing.T) {
	tab := Default()
	g, ok := tab.Lookup("019")
	if !ok || g.Level != LevelGroup || g.Name != "其他农业" {
		t.Errorf("Lookup(019) = %+v, %v; want group 其他农业", g, ok)
	}
	c, ok := tab.Lookup("0190")
	if !ok || c.Level != LevelClass || c.Name != "其他农业" || c.Parent != "019" {
		t.Errorf("Lookup(0190) = %+v, %v; want class 其他农业 under 019", c, ok)
	}
	// The README counts 199 groups printed as one line in the standard:
	// a single class code+"0" with the group's name.
	children := map[string][]Entry{}
	for _, e := range tab.Entries() {
		children[e.Parent] = append(children[e.Parent], e)
	}
	merged := 0
	for _, e := range tab.Entries() {
		k := children[e.Code]
		if e.Level == LevelGroup && len(k) == 1 && k[0].Code == e.Code+"0" && k[0].Name == e.Name {
			merged++
		}
	}
	if merged != 199 {
		t.Errorf("merged groups = %d, want 199", merged)
	}
}

func TestTableLookup(t *testing.T) {
	tab := Default()
	tests := []struct {
		name, code string
		want       Entry
		ok         bool
	}{
		{"travel agency", "7291", Entry{"7291", LevelClass, "旅行社及相关服务", "729"}, true},
		{"online retail", "5292", Entry{"5292", LevelClass, "互联网零售", "529"}, true},
		{"nursery", "8020", Entry{"8020", LevelClass, "托儿所服务", "802"}, true},
		{"IP services", "7520", Entry{"7520", LevelClass, "知识产权服务", "752"}, true},
		{"leading zero kept", "0111", Entry{"0111", LevelClass, "稻谷种植", "011"}, true},
		{"section", "L", Entry{"L", LevelSection, "租赁和商务服务业", ""}, true},
		{"division", "72", Entry{"72", LevelDivision, "商务服务业", "L"}, true},
		{"spaces trimmed", "  7291\t", Entry{"7291", LevelClass, "旅行社及相关服务", "729"}, true},
		{"full-width space trimmed", "\u30007291", Entry{"7291", LevelClass, "旅行社及相关服务", "729"}, true},
		{"missing leading zero not guessed", "190", Entry{}, false}, // 0190 其他农业
		{"a 3-digit code is the group, not 0111", "111", Entry{"111", LevelGroup, "煤炭开采和洗选专业及辅助性活动", "11"}, true},
		{"lower-case section not guessed", "l", Entry{}, false},
		{"unknown class", "9110", Entry{}, false},
		{"empty", "", Entry{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tab.Lookup(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Lookup(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestTablePathSectionDivisionClass(t *testing.T) {
	tab := Default()
	codes := func(es []Entry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Code)
		}
		return strings.Join(s, ">")
	}
	for code, want := range map[string]string{
		"7291": "L>72>729>7291",
		"729":  "L>72>729",
		"72":   "L>72",
		"L":    "L",
		"0190": "A>01>019>0190",
		"7010": "K>70>701>7010",
		"9999": "",
	} {
		if got := codes(tab.Path(code)); got != want {
			t.Errorf("Path(%s) = %s, want %s", code, got, want)
		}
	}

	for _, tt := range []struct {
		code             string
		section, divison string // "" = not found
	}{
		{"7291", "L", "72"},
		{"729", "L", "72"},
		{"72", "L", "72"},
		{"L", "L", ""},
		{" 6110 ", "H", "61"},
		{"0511", "A", "05"},
		{"9110", "", ""},
	} {
		s, ok := tab.Section(tt.code)
		if ok != (tt.section != "") || s.Code != tt.section {
			t.Errorf("Section(%q) = %q, %v; want %q", tt.code, s.Code, ok, tt.section)
		}
		d, ok := tab.Division(tt.code)
		if ok != (tt.divison != "") || d.Code != tt.divison {
			t.Errorf("Division(%q) = %q, %v; want %q", tt.code, d.Code, ok, tt.divison)
		}
	}

	for code, want := range map[string]bool{"7291": true, " 0190 ": true, "729": false, "72": false, "L": false, "7299x": false, "9110": false} {
		if _, ok := tab.Class(code); ok != want {
			t.Errorf("Class(%q) ok = %v, want %v", code, ok, want)
		}
	}
}

func TestTableEntriesIsCopy(t *testing.T) {
	tab := Default()
	es := tab.Entries()
	es[0].Name = "changed"
	if e, _ := tab.Lookup(es[0].Code); e.Name == "changed" {
		t.Error("Entries exposes the table's own slice")
	}
}

func TestLoadAmendedTable(t *testing.T) {
	// An admin appends a class the shipped file lacks (as the 第1号修改单 does);
	// the code here is made up for the test.
	text := string(gbt4754CSV) + "0191,class,测试新增小类,019\n"
	tab := mustLoad(t, text)
	if got := tab.Count(LevelClass); got != 1382 {
		t.Errorf("Count(class) = %d, want 1382", got)
	}
	if e, ok := tab.Class("0191"); !ok || e.Name != "测试新增小类" {
		t.Errorf("Class(0191) = %+v, %v", e, ok)
	}
}

func TestLoadAcceptsBOMAndAnyOrder(t *testing.T) {
	// Children before parents, BOM, CRLF, spaces around fields.
	text := "\ufeffcode,level,name,parent\r\n" +
		"0111 , class ,稻谷种植, 011\r\n" +
		"011,group,谷物种植,01\r\n" +
		"01,division,农业,A\r\n" +
		"A,section,农、林、牧、渔业,\r\n"
	tab := mustLoad(t, text)
	if got := tab.Path("0111"); len(got) != 4 || got[0].Code != "A" {
		t.Errorf("Path(0111) = %+v", got)
	}
	if e, _ := tab.Lookup("0111"); e.Level != LevelClass || e.Parent != "011" {
		t.Errorf("Lookup(0111) = %+v", e)
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "code,level,name,parent\n"
	const base = head + "A,section,农、林、牧、渔业,\n01,division,农业,A\n011,group,谷物种植,01\n" // lines 2-4
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty file", "", []string{"文件为空,缺少表头“code,level,name,parent”"}},
		{"header only", head, []string{"文件只有表头,没有数据行"}},
		{"wrong header", "代码,层级,名称,上级\nA,section,x,\n", []string{"第1行: 表头应为“code,level,name,parent”,实为“代码,层级,名称,上级”"}},
		{"brief example", base +
			"0111,class,a,011\n0112,class,b,011\n0113,class,c,011\n0114,class,d,011\n" + // lines 5-8
			"0115,class,e,011\n0116,class,f,011\n0117,class,g,011\n" + // lines 9-11
			"991,group,某中类,99\n", // line 12
			[]string{"第12行,第4列(parent): 上级代码“99”不存在"}},
		{"every mistake at once", base +
			"0111,class,稻谷种植,011\n" + // 5 ok
			"0111,class,稻谷种植,011\n" + // 6 duplicate
			"111,class,稻谷,011\n" + // 7 lost zero
			"0112,clas,小麦,011\n" + // 8 bad level
			"0113,class,,011\n" + // 9 empty name
			"0114,class,x,012\n" + // 10 inconsistent parent
			"U,section,x,\n" + // 11 bad section letter
			"B,section,x,A\n" + // 12 section with parent
			"05,division,x,\n" + // 13 division without section
			"021,group,x,02\n" + // 14 parent 02 missing
			"0115,class,x\n" + // 15 column count
			"\"0116,class,x,011\n", // 16 unclosed quote, to EOF
			[]string{
				"第6行,第1列(code): 代码“0111”重复,第5行已有",
				"第7行,第1列(code): 小类代码应为4位数字,实为“111”(是否丢失了开头的0?)",
				"第8行,第2列(level): 层级应为section、division、group或class,实为“clas”",
				"第9行,第3列(name): 名称为空",
				"第10行,第4列(parent): 小类“0114”的上级应为中类“011”,实为“012”",
				"第11行,第1列(code): 门类代码应为A至T中的一个大写字母,实为“U”",
				"第12行,第4列(parent): 门类不应有上级代码,实为“A”",
				"第13行,第4列(parent): 大类的上级应为门类字母(A至T),实为“”",
				"第14行,第4列(parent): 上级代码“02”不存在",
				"第15行: 应有4列,实有3列",
				"第16行: CSV格式错误: 引号不成对",
			}},
		{"not UTF-8", head + "A,section,\xc5\xa9\xa1\xa2,\n", []string{"第2行,第3列(name): 不是有效的UTF-8文本(文件可能是GBK编码,请另存为UTF-8)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.text))
			got := problemStrings(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadErrorMessageAndCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("code,level,name,parent\nA,section,x,\n01,division,x,A\n")
	for i := 0; i < 80; i++ {
		b.WriteString("9,division,x,A\n") // line 4.. : bad division code
	}
	_, err := Load(strings.NewReader(b.String()))
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v", err)
	}
	if len(le.Problems) != maxProblems || !le.Truncated {
		t.Errorf("got %d problems, truncated %v; want %d, true", len(le.Problems), le.Truncated, maxProblems)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "国民经济行业分类表至少有50处错误(仅列出前50处):\n第4行,第1列(code): 大类代码应为2位数字,实为“9”(是否丢失了开头的0?)\n") {
		t.Errorf("Error() starts %q", msg[:200])
	}

	_, err = Load(strings.NewReader("code,level,name,parent\nA,section,,\n"))
	if got, want := err.Error(), "国民经济行业分类表有1处错误:\n第2行,第3列(name): 名称为空"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestLoadReadError(t *testing.T) {
	_, err := Load(failingReader{})
	var le *LoadError
	if err == nil || errors.As(err, &le) || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v, want the reader's error", err)
	}
}
