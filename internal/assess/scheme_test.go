package assess

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"svcplan/internal/plan"
	"svcplan/internal/table"
	"svcplan/plans"
)

func shippedPlan(t testing.TB) *plan.Plan {
	t.Helper()
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	return parsed.Plan
}

// townsScheme is a small scheme of four towns, 30 base points, every
// family, grades with a quota (testdata/towns.yaml).
var townsScheme = func() string {
	b, err := os.ReadFile("testdata/towns.yaml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// townFigures are the four towns' figures: revenue (亿元), growth (%),
// new firms, honours, accidents.
var townFigures = map[string][5]string{
	"321203101": {"18", "8.6", "6", "1", "0"}, // 白马镇
	"321203103": {"12", "7.3", "6", "0", "0"}, // 胡庄镇
	"321203104": {"9", "9.2", "3", "2", "0"},  // 大泗镇
	"321203105": {"10", "8.0", "2", "0", "1"}, // 野徐镇
}

func figuresOf(m map[string][5]string) Figures {
	at := map[string]int{"revenue": 0, "growth": 1, "firms": 2, "honours": 3, "safety": 4}
	return func(_, item, unit string) (Figure, bool) {
		v, ok := m[unit]
		if !ok {
			return Figure{}, false
		}
		text := v[at[item]]
		if text == "" {
			return Figure{}, false
		}
		return Figure{Value: rat(text), Text: text, Source: "测试", Ref: "1"}, true
	}
}

// TestScoreTowns: the four towns scored by hand.
//
//	白马 revenue 10×18/20 = 9.00; growth +1.6 pp, 3 steps: 16.50; firms 6, first (shared): 5; honours 1: 0.50 → 31.00
//	胡庄 revenue 12/10 capped: 10.00; growth +0.3, under a step: 15.00; firms 6, first: 5 → 30.00
//	大泗 revenue 9/10: 9.00; growth +2.2, 4 steps: 17.00; firms 3, third: 3; honours 2: 1.00 → 30.00
//	野徐 revenue 10/8 capped: 10.00; growth +1.0, 2 steps: 16.00; firms 2, fourth: 2; a veto → 28.00, 不合格
//
// 胡庄 and 大泗 tie at 30.00; the growth item breaks it (17 > 15). The
// 优秀 quota is 25% of 4 = 1: 白马 takes it, 大泗 (30.00 ≥ 28) goes to 良好.
func TestScoreTowns(t *testing.T) {
	p := shippedPlan(t)
	s, err := Parse("towns.yaml", []byte(townsScheme), p)
	if err != nil {
		t.Fatal(err)
	}
	sheet := Score(s, figuresOf(townFigures))
	var got []string
	for _, r := range sheet.Groups[0].Rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, c.Score.FloatString(2))
		}
		got = append(got, fmt.Sprintf("%d %s %s [%s] %s", r.Rank, r.Unit, r.Total.FloatString(2), strings.Join(cells, " "), r.Grade))
	}
	want := []string{
		"1 321203101 31.00 [9.00 16.50 5.00 0.50 0.00] 优秀",
		"2 321203104 30.00 [9.00 17.00 3.00 1.00 0.00] 良好",
		"3 321203103 30.00 [10.00 15.00 5.00 0.00 0.00] 良好",
		"4 321203105 28.00 [10.00 16.00 2.00 0.00 0.00] 不合格",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sheet:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := sheet.Groups[0].Rows[3]; r.Veto != "一票否决事项1项,等次定为不合格" {
		t.Errorf("veto: %q", r.Veto)
	}
	if c := sheet.Groups[0].Rows[2].Cells[0]; c.Why != "完成率120.0%,按比例得12.00分,封顶10分" || c.Target.FloatString(0) != "10" {
		t.Errorf("胡庄's revenue: %+v", c)
	}

	// Shared ties: 大泗 and 胡庄 share second place. With a 50% quota
	// (2 places) and a minimum of 29, 白马 takes one; the two tied at 30
	// would not both fit, so both go down to 良好.
	s.Ties = "shared"
	s.Grades[0] = Grade{Name: "优秀", Min: "29", QuotaPct: 50}
	sheet = Score(s, figuresOf(townFigures))
	got = nil
	for _, r := range sheet.Groups[0].Rows {
		got = append(got, fmt.Sprintf("%d %s %s", r.Rank, r.Unit, r.Grade))
	}
	if want := "1 321203101 优秀|2 321203103 良好|2 321203104 良好|4 321203105 不合格"; strings.Join(got, "|") != want {
		t.Errorf("shared ties:\n%s\nwant %s", strings.Join(got, "|"), want)
	}

	// A unit without a published figure scores 0 on that item and is said to.
	missing := map[string][5]string{}
	for k, v := range townFigures {
		missing[k] = v
	}
	missing["321203101"] = [5]string{"", "8.6", "6", "1", "0"}
	sheet = Score(s, figuresOf(missing))
	for _, r := range sheet.Groups[0].Rows {
		if r.Unit == "321203101" && (!r.Cells[0].Missing || r.Total.FloatString(2) != "22.00") {
			t.Errorf("a missing figure: %+v total %s", r.Cells[0], r.Total.FloatString(2))
		}
	}
}

// TestSchemeProblems: each mistake named at its line and field.
func TestSchemeProblems(t *testing.T) {
	p := shippedPlan(t)
	for _, tt := range []struct {
		name, from, to, want string
	}{
		{"weights", "        points: 15\n", "        points: 14\n", "towns.yaml:17:7: groups[0].items: 本组基本分合计29分,与总分30分不符"},
		{"missing parameter", "step: 0.5, step_points", "step_points", "towns.yaml:28:15: groups[0].items[1].rule.step: 按档加减分须写明每档的幅度(大于0)"},
		{"cap below base", "cap: 18}", "cap: 12}", "towns.yaml:28:84: groups[0].items[1].rule.cap: 封顶分12低于基本分15"},
		{"unit twice", `"321203104", "321203105"]`, `"321203104", "321203101"]`, "towns.yaml:15:52: groups[0].units[3]: 白马镇在本组重复"},
		{"unknown indicator", "indicator: NEW_ABOVE_SIZE_SVC_FIRMS", "indicator: NO_SUCH", "towns.yaml:30:20: groups[0].items[2].indicator: 指标“NO_SUCH”不在本规划的指标中"},
		{"target missing a unit", `, "321203105": 8}`, "}", "towns.yaml:21:18: groups[0].items[0].targets: 分单位目标缺少单位“321203105”"},
		{"unknown field", "        rule: {family: proportional}", "        rules: {family: proportional}", "towns.yaml:22:9: groups[0].items[0].rules: 未知字段: rules"},
		{"veto grade", "grade: 不合格}", "grade: 差}", "towns.yaml:43:37: groups[0].items[4].rule.grade: 等次“差”不是本方案的等次"},
		{"bonus from an indicator", "        source: entered\n        rule: {family: bonus", "        source: indicator\n        rule: {family: bonus", "towns.yaml:37:17: groups[0].items[3].source: 取已发布指标数值须写明规划指标(indicator)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(townsScheme, tt.from) {
				t.Fatalf("the scheme has no %q", tt.from)
			}
			_, err := Parse("towns.yaml", []byte(strings.Replace(townsScheme, tt.from, tt.to, 1)), p)
			probs, _ := err.(plan.Problems)
			var got []string
			for _, pr := range probs {
				got = append(got, pr.String())
			}
			if len(got) == 0 || got[0] != tt.want {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

// TestSchemeYAML: a scheme written out reads back the same.
func TestSchemeYAML(t *testing.T) {
	p := shippedPlan(t)
	s, err := Parse("towns.yaml", []byte(townsScheme), p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("again.yaml", b, p)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if x, y := Score(s, figuresOf(townFigures)), Score(again, figuresOf(townFigures)); x.Groups[0].Rows[0].Total.Cmp(y.Groups[0].Rows[0].Total) != 0 ||
		len(again.Groups[0].Items) != 5 || again.Groups[0].Items[1].Rule != s.Groups[0].Items[1].Rule {
		t.Errorf("read back differs:\n%s", b)
	}
}

// FuzzParseScheme: any file is either refused with problems placed in it,
// or read into a scheme that scores without failing.
func FuzzParseScheme(f *testing.F) {
	f.Add([]byte(townsScheme))
	f.Add([]byte("code: x\ngroups: [{code: g, units: [a], items: [{code: i, rule: {family: best}}]}]\n"))
	p := shippedPlan(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data, p)
		if err != nil {
			if _, ok := err.(plan.Problems); !ok {
				t.Fatalf("not problems: %v", err)
			}
			return
		}
		sheet := Score(s, figuresOf(townFigures))
		for _, g := range sheet.Groups {
			for _, r := range g.Rows {
				if r.Total == nil || r.Rank < 1 {
					t.Fatalf("row %+v", r)
				}
			}
		}
	})
}

// TestSchemeSheet: a scheme written as the 评分细则 sheet reads back as the
// same groups; a wrong cell is named by its row and column.
func TestSchemeSheet(t *testing.T) {
	p := shippedPlan(t)
	s, err := Parse("towns.yaml", []byte(townsScheme), p)
	if err != nil {
		t.Fatal(err)
	}
	rows := append([][]string{{"2025年度镇街服务业目标考核评分细则"}, SheetHeader}, SheetRows(s, p)...)
	if rows[2][2] != "白马镇、胡庄镇、大泗镇、野徐镇" || rows[2][17] != "白马镇 20;胡庄镇 10;大泗镇 10;野徐镇 8" || rows[2][9] != "按完成比例" {
		t.Errorf("first item's row: %q", rows[2])
	}
	groups, _, errs, err := ReadSheet(table.FromSlices(rows), p)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", errs, err)
	}
	again := *s
	again.Groups = groups
	if probs := Validate(&again, p); probs.HasErrors() {
		t.Fatalf("read back: %v", probs)
	}
	if x, y := Score(s, figuresOf(townFigures)), Score(&again, figuresOf(townFigures)); RecordOf(x, 1).Groups[0].Rows[0].Total != RecordOf(y, 1).Groups[0].Rows[0].Total ||
		again.Groups[0].Items[1].Rule != s.Groups[0].Items[1].Rule || again.Groups[0].Items[0].Targets["321203105"] != "8" {
		t.Errorf("the sheet does not read back the same scheme: %+v", again.Groups[0].Items[:2])
	}

	// A cap below its base: placed at the growth item's row (4) and 封顶分 (column 15).
	rows[3][14] = "12"
	rows[4][17] = "分解100:白马镇 50;胡庄镇 40"
	groups, at, errs, err := ReadSheet(table.FromSlices(rows), p)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", errs, err)
	}
	again.Groups = groups
	var got []string
	for _, e := range SheetErrors(Validate(&again, p), at) {
		got = append(got, e.String())
	}
	want := []string{"第4行第15列(封顶分): 封顶分12低于基本分15"}
	if len(got) == 0 || got[0] != want[0] {
		t.Errorf("errors:\n%s", strings.Join(got, "\n"))
	}
	if _, _, _, err := ReadSheet(table.FromSlices([][]string{{"分组编号", "名称"}}), p); err == nil || !strings.Contains(err.Error(), "第1行第2列应为“分组名称”") {
		t.Errorf("a wrong header: %v", err)
	}
}

func FuzzReadSheet(f *testing.F) {
	p := shippedPlan(f)
	s, _ := Parse("towns.yaml", []byte(townsScheme), p)
	var b strings.Builder
	for _, r := range append([][]string{SheetHeader}, SheetRows(s, p)...) {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	f.Add(b.String())
	f.Fuzz(func(t *testing.T, text string) {
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		groups, _, errs, err := ReadSheet(table.FromSlices(rows), p)
		if err != nil {
			return
		}
		for _, e := range errs {
			if e.Row < 1 || e.Col < 1 {
				t.Fatalf("unplaced %+v", e)
			}
		}
		sc := &Scheme{Code: "f", Name: "f", Year: 2025, Period: "2025", Total: "30", Groups: groups}
		if !Validate(sc, p).HasErrors() {
			Score(sc, figuresOf(townFigures))
		}
	})
}
