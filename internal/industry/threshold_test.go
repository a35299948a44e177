package industry

import (
	"bytes"
	"sort"
	"strings"
	"testing"
)

func TestDefaultThresholdsParse(t *testing.T) {
	th, err := LoadThresholds(bytes.NewReader(thresholdsCSV))
	if err != nil {
		t.Fatalf("embedded size-thresholds.csv: %v", err)
	}
	if got := len(th.Rules()); got != 85 { // shared/data/README.md: 85 rows
		t.Errorf("len(Rules()) = %d, want 85", got)
	}
}

func TestThresholdsFor(t *testing.T) {
	// Hand-checked against size-thresholds.md §1.2–1.4 and the CSV.
	th := DefaultThresholds()
	tests := []struct {
		code   string
		scope  Scope // 0 = no rule
		amount int64 // 万元
		prefix string
	}{
		{"7291", ServicesAboveSize, 1000, "72"},    // L 旅行社
		{"5292", RetailAboveQuota, 500, "52"},      // 互联网零售
		{"5111", WholesaleAboveQuota, 2000, "51"},  // 批发
		{"5199", WholesaleAboveQuota, 2000, "51"},  // any 51xx
		{"6110", LodgingAboveQuota, 200, "61"},     // 住宿
		{"6210", CateringAboveQuota, 200, "62"},    // 餐饮
		{"6311", ServicesAboveSize, 2000, "63"},    // 门类 I
		{"8411", ServicesAboveSize, 2000, "84"},    // 大类 84 卫生
		{"8514", ServicesAboveSize, 500, "85"},     // 大类 85 社会工作
		{"7020", ServicesAboveSize, 1000, "7020"},  // 小类 物业管理
		{"7010", RealEstateDevelopment, 0, "7010"}, // 房地产开发经营, no amount
		{"7030", ServicesAboveSize, 1000, "7030"},  // 房地产中介服务
		{"7040", ServicesAboveSize, 1000, "7040"},  // 房地产租赁经营
		{"7090", ServicesAboveSize, 1000, "7090"},  // 其他房地产业
		{"8010", ServicesAboveSize, 500, "80"},     // 门类 O
		{"8310", ServicesAboveSize, 1000, "83"},    // 教育
		{"3311", IndustryAboveSize, 2000, "33"},    // 规上工业
		{"4710", QualifiedConstruction, 0, "47"},   // 有资质建筑业, no amount
		{" 7291 ", ServicesAboveSize, 1000, "72"},  // trimmed
		{"6610", 0, 0, ""},                         // J 金融
		{"9100", 0, 0, ""},                         // S (the brief's 9110 is not a class of GB/T 4754-2017)
		{"9110", 0, 0, ""},                         // not a class, and no rule for 91
		{"0511", 0, 0, ""},                         // A 05
		{"9700", 0, 0, ""},                         // T
		{"72", 0, 0, ""},                           // not a class code
		{"729", 0, 0, ""},                          // not a class code
		{"729a", 0, 0, ""},                         // not a class code
		{"", 0, 0, ""},                             // empty
	}
	for _, tt := range tests {
		r, ok := th.For(tt.code)
		if ok != (tt.scope != 0) || r.Scope != tt.scope || r.AmountWan != tt.amount || r.Prefix != tt.prefix {
			t.Errorf("For(%q) = %s %d万 prefix %q, %v; want %s %d万 prefix %q", tt.code, r.Scope, r.AmountWan, r.Prefix, ok, tt.scope, tt.amount, tt.prefix)
		}
		if ok && (r.Basis == "" || !strings.Contains(r.Source, "http")) {
			t.Errorf("For(%q): basis %q, source %q", tt.code, r.Basis, r.Source)
		}
	}
}

func TestRuleAmountYuan(t *testing.T) {
	th := DefaultThresholds()
	for code, want := range map[string]int64{"7291": 10_000_000, "6110": 2_000_000, "5111": 20_000_000, "7010": 0, "4710": 0} {
		r, _ := th.For(code)
		if got := r.AmountYuan(); got != want {
			t.Errorf("For(%s).AmountYuan() = %d, want %d", code, got, want)
		}
	}
}

func TestScopeLabelsAndRegisters(t *testing.T) {
	tests := []struct {
		scope    Scope
		label    string
		register string
	}{
		{ServicesAboveSize, "规模以上服务业", "规上服务业"},
		{WholesaleAboveQuota, "限额以上批发业", "限上批零住餐"},
		{RetailAboveQuota, "限额以上零售业", "限上批零住餐"},
		{LodgingAboveQuota, "限额以上住宿业", "限上批零住餐"},
		{CateringAboveQuota, "限额以上餐饮业", "限上批零住餐"},
		{IndustryAboveSize, "规模以上工业", "规上工业"},
		{QualifiedConstruction, "有资质的建筑业", "其他四上"},
		{RealEstateDevelopment, "房地产开发经营", "其他四上"},
	}
	for _, tt := range tests {
		if got := tt.scope.String(); got != tt.label {
			t.Errorf("Scope(%d).String() = %s, want %s", int(tt.scope), got, tt.label)
		}
		if got := tt.scope.Register().String(); got != tt.register {
			t.Errorf("%s.Register() = %s, want %s", tt.label, got, tt.register)
		}
		if s, ok := ParseScope(tt.label); !ok || s != tt.scope {
			t.Errorf("ParseScope(%s) = %v, %v", tt.label, s, ok)
		}
	}
	if got := Scope(0).String(); got != "Scope(0)" {
		t.Errorf("Scope(0).String() = %s", got)
	}
	if got := Scope(0).Register(); got != 0 {
		t.Errorf("Scope(0).Register() = %v", got)
	}
	if got := Register(0).String(); got != "Register(0)" {
		t.Errorf("Register(0).String() = %s", got)
	}
	// Every scope spelling in the shipped CSV is mapped; all eight scopes occur.
	seen := map[Scope]bool{}
	for _, r := range DefaultThresholds().Rules() {
		seen[r.Scope] = true
	}
	if len(seen) != 8 {
		t.Errorf("shipped CSV uses %d scopes, want 8: %v", len(seen), seen)
	}
}

func TestThresholdPrefixesExistInDefaultTable(t *testing.T) {
	tab := Default()
	for _, r := range DefaultThresholds().Rules() {
		e, ok := tab.Lookup(r.Prefix)
		want := LevelDivision
		if len(r.Prefix) == 4 {
			want = LevelClass
		}
		if !ok || e.Level != want {
			t.Errorf("rule prefix %s: Lookup = %+v, %v; want a %s", r.Prefix, e, ok, want)
		}
	}
}

// TestEveryClassHasExpectedScope walks all 1381 classes of the shipped
// table and checks which register the shipped thresholds put each in.
func TestEveryClassHasExpectedScope(t *testing.T) {
	tab, th := Default(), DefaultThresholds()
	// Section -> register expected for its classes (0 = no “四上” rule).
	want := map[string]Register{
		"A": 0, "B": RegisterIndustry, "C": RegisterIndustry, "D": RegisterIndustry,
		"E": RegisterOther, "F": RegisterTrade, "G": RegisterServices, "H": RegisterTrade,
		"I": RegisterServices, "J": 0, "K": RegisterServices, "L": RegisterServices,
		"M": RegisterServices, "N": RegisterServices, "O": RegisterServices, "P": RegisterServices,
		"Q": RegisterServices, "R": RegisterServices, "S": 0, "T": 0,
	}
	var missing []string
	perRegister := map[string]int{}
	for _, e := range tab.Entries() {
		if e.Level != LevelClass {
			continue
		}
		sec, _ := tab.Section(e.Code)
		r, ok := th.For(e.Code)
		if ok {
			perRegister[r.Scope.Register().String()]++
		} else {
			perRegister["(无规则)"]++
		}
		exp := want[sec.Code]
		if e.Code == "7010" {
			exp = RegisterOther // 房地产开发经营: no revenue threshold
		}
		switch {
		case exp == 0 && ok:
			t.Errorf("class %s %s (section %s) has rule %s, want none", e.Code, e.Name, sec.Code, r.Scope)
		case exp != 0 && !ok:
			missing = append(missing, e.Code+" "+e.Name)
		case exp != 0 && r.Scope.Register() != exp:
			t.Errorf("class %s %s (section %s): register %s, want %s", e.Code, e.Name, sec.Code, r.Scope.Register(), exp)
		}
	}
	if len(missing) > 0 {
		t.Errorf("classes without a threshold rule: %s", strings.Join(missing, "; "))
	}
	keys := make([]string, 0, len(perRegister))
	for k := range perRegister {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-12s %4d classes", k, perRegister[k])
	}
}

func TestLoadThresholdsErrors(t *testing.T) {
	const head = "scope,gbt4754_prefix,threshold_wan_yuan,basis,source\n"
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"wrong header", "scope,prefix,amount\n", []string{"第1行: 表头应为“scope,gbt4754_prefix,threshold_wan_yuan,basis,source”,实为“scope,prefix,amount”"}},
		{"header only", head, []string{"文件只有表头,没有数据行"}},
		{"every mistake at once", head +
			"规模以上服务业,72,1000,b,s\n" + // 2 ok
			"规上服务业,73,1000,b,s\n" + // 3 unknown scope
			"规模以上服务业,7,1000,b,s\n" + // 4 lost zero
			"规模以上服务业,729,1000,b,s\n" + // 5 3 digits
			"规模以上服务业,72,1000,b,s\n" + // 6 duplicate
			"规模以上服务业,7291,1000,b,s\n" + // 7 overlaps 72
			"规模以上服务业,74,,b,s\n" + // 8 missing amount
			"规模以上服务业,75,1000.5,b,s\n" + // 9 decimal
			"规模以上服务业,76,0,b,s\n" + // 10 zero
			"有资质的建筑业（四上）,47,100,b,s\n" + // 11 amount on construction
			"规模以上服务业,77,2000,,\n" + // 12 empty basis and source
			"规模以上服务业,78,2000,b\n", // 13 column count
			[]string{
				"第3行,第1列(scope): 未知的范围“规上服务业”(应为规模以上服务业、限额以上批发业、限额以上零售业、限额以上住宿业、限额以上餐饮业、规模以上工业、有资质的建筑业或房地产开发经营)",
				"第4行,第2列(gbt4754_prefix): 行业代码前缀应为2位大类或4位小类代码,实为“7”(是否丢失了开头的0?)",
				"第5行,第2列(gbt4754_prefix): 行业代码前缀应为2位大类或4位小类代码,实为“729”(是否丢失了开头的0?)",
				"第6行,第2列(gbt4754_prefix): 前缀“72”重复,第2行已有",
				"第7行,第2列(gbt4754_prefix): 前缀“7291”与第2行的前缀“72”重叠",
				"第8行,第3列(threshold_wan_yuan): 规模以上服务业须填写营业收入门槛(万元)",
				"第9行,第3列(threshold_wan_yuan): 门槛应为整数(单位:万元),实为“1000.5”",
				"第10行,第3列(threshold_wan_yuan): 门槛应在1至1000000000万元之间,实为“0”",
				"第11行,第3列(threshold_wan_yuan): 有资质的建筑业没有营业收入门槛,此列应留空",
				"第12行,第4列(basis): 标准说明为空",
				"第12行,第5列(source): 来源为空",
				"第13行: 应有5列,实有4列",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadThresholds(strings.NewReader(tt.text))
			got := problemStrings(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadThresholdsReplacement(t *testing.T) {
	// A district replaces the table, e.g. with a BOM-prefixed export and
	// the short scope labels.
	text := "\ufeffscope,gbt4754_prefix,threshold_wan_yuan,basis,source\n" +
		"规模以上服务业,72,800,测试口径,测试来源\n" +
		"房地产开发经营,7010,,测试口径,测试来源\n"
	th, err := LoadThresholds(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := th.For("7291"); !ok || r.AmountWan != 800 || r.AmountYuan() != 8_000_000 {
		t.Errorf("For(7291) = %+v, %v", r, ok)
	}
	if r, ok := th.For("7010"); !ok || r.Scope != RealEstateDevelopment || r.AmountWan != 0 {
		t.Errorf("For(7010) = %+v, %v", r, ok)
	}
	if _, ok := th.For("7020"); ok {
		t.Error("For(7020) found a rule in a table without one")
	}
}
