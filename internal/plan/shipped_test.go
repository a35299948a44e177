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
