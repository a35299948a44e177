package plan_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"svcplan/internal/plan"
	"svcplan/plans"
)

func shipped(t *testing.T) *plan.Parsed {
	t.Helper()
	p, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatalf("shipped plan does not parse: %v", err)
	}
	return p
}

func TestShippedPlanIsClean(t *testing.T) {
	p := shipped(t)
	if len(p.Warnings) > 0 {
		t.Errorf("shipped plan has warnings:\n%v", p.Warnings)
	}
	if p.Text == "" {
		t.Fatal("shipped plan's source text was not read, so its quotes were not checked")
	}
}

// TestShippedPlanStructure checks the shape the plan's text states: the
// "466工程" (4 life-service fields, 6 producer-service fields, 6 special
// actions), four main goals, four guarantees, the district's 15
// township-level units, and the 20 departments named as responsible.
func TestShippedPlanStructure(t *testing.T) {
	p := shipped(t).Plan
	if !strings.Contains(p.Meta.Summary, "提升生活性服务业4大领域品质规模,推动生产性服务业6大领域") ||
		!strings.Contains(p.Meta.Summary, "实施6大专项行动") {
		t.Fatal("summary no longer states the 466 structure this test checks")
	}
	groupCat := map[string]string{}
	for _, g := range p.FieldGroups {
		groupCat[g.Code] = g.Category
	}
	count := map[string]int{}
	for _, f := range p.Fields {
		count[groupCat[f.Group]]++
	}
	kinds := map[plan.UnitKind]int{}
	for _, u := range p.Units {
		kinds[u.Kind]++
	}
	got := map[string]int{
		"life fields":     count["life"],
		"producer fields": count["producer"],
		"actions":         len(p.Actions),
		"goals":           len(p.Goals),
		"guarantees":      len(p.Guarantees),
		"districts":       kinds[plan.KindDistrict],
		"parks":           kinds[plan.KindPark],
		"streets":         kinds[plan.KindSubdistrict],
		"towns":           kinds[plan.KindTown],
		"departments":     kinds[plan.KindDepartment],
	}
	want := map[string]int{
		"life fields": 4, "producer fields": 6, "actions": 6, "goals": 4, "guarantees": 4,
		"districts": 1, "parks": 3, "streets": 7, "towns": 5, "departments": 20,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan structure (-want +got):\n%s", diff)
	}
	// 五(二) speaks of 五大园区: three parks plus two parks run with a street or town.
	parks := 0
	for _, u := range p.Units {
		if u.Kind == plan.KindPark || u.Park != "" {
			parks++
		}
	}
	if parks != 5 {
		t.Errorf("parks including 园镇合一 units = %d, want 5 (五大园区)", parks)
	}
	// Every department the plan declares is responsible for something.
	for _, u := range p.Units {
		if u.Kind == plan.KindDepartment && len(p.UnitDuties(u.Code).Tasks) == 0 {
			t.Errorf("department %s (%s) leads or supports no task", u.Code, u.Name)
		}
	}
}

// quantityRe finds a quantified target in the text: a number, or a range
// such as 1-2, followed by a unit of measure.
var quantityRe = regexp.MustCompile(`(\d+(?:\.\d+)?)(?:-(\d+))?(亿元|家|个百分点|个|%)`)

// TestShippedTargetsMatchText checks every quantity the plan's text sets
// from 二、主要目标 on against the model, both ways: each is a target of an
// indicator quoting that sentence, and each target is such a quantity.
func TestShippedTargetsMatchText(t *testing.T) {
	parsed := shipped(t)
	p := parsed.Plan
	text := parsed.Text[strings.Index(parsed.Text, "二、主要目标"):]

	type quantity struct{ value, max, unit string }
	unitOf := map[string]string{"个百分点": "百分点"}
	var inText []quantity
	for _, m := range quantityRe.FindAllStringSubmatch(text, -1) {
		u := m[3]
		if v, ok := unitOf[u]; ok {
			u = v
		}
		inText = append(inText, quantity{m[1], m[2], u})
	}
	var inModel []quantity
	for _, ind := range p.Indicators {
		seen := map[quantity]bool{}
		for _, tg := range ind.Targets {
			q := quantity{string(tg.Value), string(tg.Max), ind.Unit}
			if !seen[q] { // a yearly target is stated once in the text
				inModel = append(inModel, q)
				seen[q] = true
			}
			m := string(tg.Value)
			if tg.Max != "" {
				m += "-" + string(tg.Max)
			}
			if !strings.Contains(ind.Source, m) {
				t.Errorf("%s: target %s is not in its source %q", ind.Code, m, ind.Source)
			}
		}
	}
	less := func(a, b quantity) int {
		return strings.Compare(a.value+"/"+a.max+"/"+a.unit, b.value+"/"+b.max+"/"+b.unit)
	}
	slices.SortFunc(inText, less)
	slices.SortFunc(inModel, less)
	if diff := cmp.Diff(inText, inModel, cmp.AllowUnexported(quantity{})); diff != "" {
		t.Errorf("quantities in the text (-) vs targets in the model (+):\n%s", diff)
	}
	if len(inText) < 20 {
		t.Errorf("found only %d quantities in the text; the pattern is broken", len(inText))
	}
}

// TestShippedSpotChecks pins a few targets a reader knows by heart.
func TestShippedSpotChecks(t *testing.T) {
	p := shipped(t).Plan
	tests := []struct {
		code   string
		year   int
		target string
		unit   string
	}{
		{"SVC_VALUE_ADDED", 2027, ">680", "亿元"},
		{"SVC_VALUE_ADDED_GROWTH", 2027, "≥6", "%"},
		{"NEW_ABOVE_SIZE_SVC_FIRMS", 2026, "≥100", "家"},
		{"ABOVE_SIZE_SVC_FIRMS", 2027, ">1500", "家"},
		{"ABOVE_SIZE_SVC_REVENUE", 2027, ">1500", "亿元"},
		{"PRODUCER_SVC_VA_SHARE", 2027, "≥55", "%"},
		{"PRODUCER_SVC_VA_SHARE_GAIN", 2025, "≥1", "百分点"},
		{"SVC_PROJECTS_SIGNED", 2025, "≥20", "个"},
		{"SVC_PROJECTS_STARTED", 2026, "≥15", "个"},
		{"SVC_PROJECTS_COMPLETED", 2027, "≥10", "个"},
		{"NEW_PROV_SVC_CLUSTERS", 2027, "≥3", "家"},
		{"NEW_PROV_TWO_INDUSTRY_PILOTS", 2027, "≥1", "家"},
		{"NEW_HR_SERVICE_PARKS", 2027, "1–2", "个"},
		{"TIME_HONORED_BRANDS", 2027, "2–3", "个"},
		{"DIGITAL_CORE_GROWTH_GAP", 2025, "≥2", "百分点"},
		{"DEPT_ATTRACTED_FIRMS", 2025, "≥1", "个"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			ind, ok := p.Indicator(tt.code)
			if !ok {
				t.Fatalf("no indicator %s", tt.code)
			}
			tg, ok := ind.TargetFor(tt.year)
			if !ok {
				t.Fatalf("%s has no %d target", tt.code, tt.year)
			}
			if tg.Text() != tt.target || ind.Unit != tt.unit {
				t.Errorf("%s %d = %s%s, want %s%s", tt.code, tt.year, tg.Text(), ind.Unit, tt.target, tt.unit)
			}
		})
	}
}

// TestExportRoundTrip writes the shipped plan as YAML and as JSON and reads
// each back: nothing may change.
func TestExportRoundTrip(t *testing.T) {
	orig := shipped(t)
	text := func(string) ([]byte, error) { return []byte(orig.Text), nil }
	for _, format := range []string{"yaml", "json"} {
		t.Run(format, func(t *testing.T) {
			var out []byte
			var err error
			if format == "json" {
				out, err = json.MarshalIndent(orig.Plan, "", "  ")
			} else {
				out, err = yaml.Marshal(orig.Plan)
			}
			if err != nil {
				t.Fatal(err)
			}
			back, err := plan.Parse("export."+format, out, text)
			if err != nil {
				t.Fatalf("exported %s does not validate: %v", format, err)
			}
			if diff := cmp.Diff(orig.Plan, back.Plan); diff != "" {
				t.Errorf("round trip changed the plan (-orig +back):\n%s", diff)
			}
		})
	}
}

// TestShippedIndustryMapping pins which field an enterprise of a class
// serves, checked by hand against the plan's wording and GB/T 4754-2017.
func TestShippedIndustryMapping(t *testing.T) {
	p := shipped(t).Plan
	tests := []struct{ class, field string }{
		{"7320", "sci-tech"},          // 工程和技术研究
		{"7452", "sci-tech"},          // 检测服务
		{"7540", "sci-tech"},          // 创业空间服务 (孵化)
		{"7520", "business"},          // 知识产权服务: the plan puts it under 商务服务业
		{"5111", "trade-logistics"},   // 谷物批发
		{"5531", "trade-logistics"},   // 港口 (水上运输辅助)
		{"6010", "trade-logistics"},   // 邮政基本服务
		{"7224", "trade-logistics"},   // 供应链管理服务
		{"6621", "finance"},           // 商业银行服务
		{"7212", "finance"},           // 投资与资产管理 (基金)
		{"6311", "digital"},           // 电信
		{"6513", "digital"},           // 应用软件开发
		{"5292", "digital"},           // 互联网零售 (跨境电商)
		{"7263", "human-resources"},   // 劳务派遣
		{"7281", "business"},          // 科技会展服务
		{"7231", "business"},          // 律师
		{"7121", "business"},          // 租赁业
		{"5211", "resident"},          // 百货零售
		{"8010", "resident"},          // 家庭服务 (家政)
		{"7020", "resident"},          // 物业管理
		{"6110", "culture-tourism"},   // 旅游饭店
		{"6210", "culture-tourism"},   // 正餐服务
		{"7291", "culture-tourism"},   // 旅行社
		{"7861", "culture-tourism"},   // 名胜风景区管理
		{"8810", "culture-tourism"},   // 文艺创作与表演
		{"8514", "elderly-childcare"}, // 老年人、残疾人养护服务
		{"8020", "elderly-childcare"}, // 托儿所服务
		{"8411", "health"},            // 综合医院
		{"7244", "health"},            // 健康咨询
		{"7010", ""},                  // 房地产开发经营: no field
		{"8310", ""},                  // 学前教育
		{"7820", ""},                  // 环境卫生管理
		{"3311", ""},                  // manufacturing
	}
	for _, tt := range tests {
		f, ok := p.FieldOfIndustry(tt.class)
		got := ""
		if ok {
			got = f.Code
		}
		if got != tt.field {
			t.Errorf("%s: field %q, want %q", tt.class, got, tt.field)
		}
	}
}

func TestShippedUnitLookups(t *testing.T) {
	p := shipped(t).Plan
	for _, tt := range []struct{ code, unit string }{
		{"321203101", "321203101"},
		{"321203101204", "321203101"}, // 12-digit: town of a village
		{"321271001", "321203004"},    // 凤凰街道 before 2021
		{"321271001003", "321203004"},
		{"321271401", "321203401"}, // 医药城
		{"321271402", ""},          // 经济开发区: no clear successor
		{"321203102", ""},          // not a division
	} {
		u, ok := p.UnitByDivision(tt.code)
		got := ""
		if ok {
			got = u.Code
		}
		if got != tt.unit {
			t.Errorf("UnitByDivision(%s) = %q, want %q", tt.code, got, tt.unit)
		}
	}
	for _, tt := range []struct{ name, unit string }{
		{"沿江街道", "321203007"}, {"化学新材料产业园-沿江街道", "321203007"}, {"永安洲镇", "321203100"},
		{"医药城", "321203401"}, {"白马镇", "321203101"}, {"口岸", ""},
	} {
		u, ok := p.UnitByName(tt.name)
		got := ""
		if ok {
			got = u.Code
		}
		if got != tt.unit {
			t.Errorf("UnitByName(%s) = %q, want %q", tt.name, got, tt.unit)
		}
	}
}
