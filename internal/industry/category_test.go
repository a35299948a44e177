package industry

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestShippedClassificationsParse(t *testing.T) {
	for name, data := range map[string][]byte{"producer": producerCSV, "life": lifeCSV} {
		if _, err := LoadMapping(bytes.NewReader(data), Default()); err != nil {
			t.Errorf("embedded %s file: %v", name, err)
		}
	}
}

func TestProducerAndLifeCategories(t *testing.T) {
	tests := []struct {
		name  string
		m     *Mapping
		count int
		first Category
		last  Category
	}{
		{"producer", Producer(), 10,
			Category{"01", "研发设计与其他技术服务", "大类", "same name in 2015 edition (verified); 2019 name from recall"},
			Category{"10", "生产性支持服务", "大类", "same name in 2015 edition (verified); 2019 name from recall"}},
		{"life", Life(), 12,
			Category{"01", "居民和家庭服务", "大类", "name corroborated by a 2019 paper citing the 2019 classification; code from recall"},
			Category{"12", "其他生活性服务", "大类", "recall, unverified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := tt.m.Categories()
			if len(cs) != tt.count {
				t.Fatalf("len(Categories()) = %d, want %d", len(cs), tt.count)
			}
			if cs[0] != tt.first || cs[len(cs)-1] != tt.last {
				t.Errorf("first, last = %+v, %+v; want %+v, %+v", cs[0], cs[len(cs)-1], tt.first, tt.last)
			}
			for _, c := range cs {
				if c.Level != "大类" || len(c.Code) != 2 || c.Name == "" || c.Verification == "" {
					t.Errorf("category %+v", c)
				}
			}
			// No mapping rows are shipped yet: no class maps to anything.
			for _, e := range Default().Entries() {
				if e.Level == LevelClass {
					if got := tt.m.CategoriesOf(e.Code); got != nil {
						t.Fatalf("CategoriesOf(%s) = %+v, want nil", e.Code, got)
					}
				}
			}
		})
	}
}

func TestLoadMappingTestdata(t *testing.T) {
	f, err := os.Open("testdata/mapping.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := LoadMapping(f, Default())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range m.Categories() {
		codes = append(codes, c.Code+" "+c.Level)
	}
	if got, want := strings.Join(codes, ", "), "01 大类, 011 中类, 0111 小类, 0112 小类, 02 大类, 0211 小类"; got != want {
		t.Errorf("Categories() = %s, want %s", got, want)
	}
	tests := []struct {
		class string
		want  []CategoryRef
	}{
		{"7291", []CategoryRef{{"0111", "测试小类甲一一", false}, {"0211", "测试小类乙一一", true}}},
		{" 7520 ", []CategoryRef{{"0111", "测试小类甲一一", true}}},
		{"0190", []CategoryRef{{"0112", "测试小类甲一二", true}}},
		{"7299", nil},
		{"729", nil},
	}
	for _, tt := range tests {
		if got := m.CategoriesOf(tt.class); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("CategoriesOf(%q) = %+v, want %+v", tt.class, got, tt.want)
		}
	}
}

func TestLoadMappingSortsByCategory(t *testing.T) {
	text := "category_code,category_name,level,gbt4754_code,partial,verification\n" +
		"0911,乙,小类,5111,,\n" +
		"0111,甲,小类,5111,*,\n"
	m, err := LoadMapping(strings.NewReader(text), Default())
	if err != nil {
		t.Fatal(err)
	}
	want := []CategoryRef{{"0111", "甲", true}, {"0911", "乙", false}}
	if got := m.CategoriesOf("5111"); !reflect.DeepEqual(got, want) {
		t.Errorf("CategoriesOf(5111) = %+v, want %+v", got, want)
	}
	got := m.CategoriesOf("5111")
	got[0].Name = "changed"
	if m.CategoriesOf("5111")[0].Name != "甲" {
		t.Error("CategoriesOf exposes the mapping's own slice")
	}
}

func TestLoadMappingErrors(t *testing.T) {
	const head = "category_code,category_name,level,gbt4754_code,partial,verification\n"
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"wrong header", "code,name\n", []string{"第1行: 表头应为“category_code,category_name,level,gbt4754_code,partial,verification”,实为“code,name”"}},
		{"every mistake at once", head +
			"01,甲,大类,,,\n" + // 2 ok
			"0111,甲一,小类,7291,,\n" + // 3 ok
			"1,乙,大类,,,\n" + // 4 bad code
			"02,,大类,,,\n" + // 5 empty name
			"03,丙,门类,,,\n" + // 6 bad level
			"01,甲,大类,,,\n" + // 7 duplicate category
			"01,甲改,大类,,,\n" + // 8 inconsistent name
			"0111,甲一,小类,9110,,\n" + // 9 class not in table
			"0111,甲一,小类,729,,\n" + // 10 a group
			"0111,甲一,小类,190,,\n" + // 11 lost zero
			"0111,甲一,小类,7520,x,\n" + // 12 bad partial
			"0111,甲一,小类,7291,*,\n" + // 13 duplicate pair
			"04,丁,大类,,*,\n", // 14 partial without class
			[]string{
				"第4行,第1列(category_code): 类别代码应为2至6位数字,实为“1”",
				"第5行,第2列(category_name): 类别名称为空",
				"第6行,第3列(level): 层级应为大类、中类或小类,实为“门类”",
				"第7行,第1列(category_code): 类别“01”重复,第2行已有",
				"第8行,第2列(category_name): 类别“01”的名称或层级与第2行(甲,大类)不一致",
				"第9行,第4列(gbt4754_code): 行业代码“9110”不在国民经济行业分类中",
				"第10行,第4列(gbt4754_code): 行业代码“729”是中类,应为4位小类代码",
				"第11行,第4列(gbt4754_code): 行业代码“190”不存在,应为4位小类代码(是否丢失了开头的0?)",
				"第12行,第5列(partial): 部分归属标记应为“*”或留空,实为“x”",
				"第13行,第4列(gbt4754_code): 类别“0111”与行业代码“7291”的对应重复,第3行已有",
				"第14行,第5列(partial): 没有行业代码时,部分归属标记应留空,实为“*”",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadMapping(strings.NewReader(tt.text), Default())
			got := problemStrings(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadMappingChecksAgainstGivenTable(t *testing.T) {
	// An amended table with a new class lets a mapping use it.
	tab := mustLoad(t, "code,level,name,parent\nA,section,农、林、牧、渔业,\n01,division,农业,A\n019,group,其他农业,01\n0191,class,测试新增小类,019\n")
	text := "category_code,category_name,level,gbt4754_code,partial,verification\n0111,甲,小类,0191,,\n"
	m, err := LoadMapping(strings.NewReader(text), tab)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.CategoriesOf("0191"); len(got) != 1 {
		t.Errorf("CategoriesOf(0191) = %+v", got)
	}
	if _, err := LoadMapping(strings.NewReader(text), Default()); err == nil {
		t.Error("Default table accepted class 0191, which it does not have")
	}
}
