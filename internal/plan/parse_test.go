package plan

import (
	"os"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testdataText(name string) ([]byte, error) { return os.ReadFile("testdata/" + name) }

func TestParseMinimal(t *testing.T) {
	got, err := Parse("minimal.yaml", readTestdata(t, "minimal.yaml"), testdataText)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got.Warnings) > 0 {
		t.Errorf("unexpected warnings: %v", got.Warnings)
	}
	if got.Text == "" {
		t.Error("source text not read")
	}
	p := got.Plan
	if p.Meta.Code != "demo-2026-2028" || len(p.Units) != 4 || len(p.Indicators) != 2 {
		t.Errorf("plan read wrongly: %+v", p.Meta)
	}
	if v := p.Indicators[0].Targets[0].Value; v != "100" {
		t.Errorf("target value = %q, want 100", v)
	}
}

// TestParseProblems edits the minimal plan one way at a time and checks that
// the problem is reported at the right line and field, in Chinese.
func TestParseProblems(t *testing.T) {
	base := string(readTestdata(t, "minimal.yaml"))
	tests := []struct {
		name     string
		old, new string
		line     int
		path     string
		msg      string
	}{
		{"missing field", "    name: 商贸流通业\n", "", 28, "fields[0].name", "必填"},
		{"unknown unit in co", "co: [swj]", "co: [swj2]", 34, "fields[0].co[0]", "责任单位“swj2”未在 units 中声明"},
		{"task names undeclared unit", "        title: 建设物流园\n", "        title: 建设物流园\n        lead: [nobody]\n", 39, "fields[0].tasks[0].lead[0]", "责任单位“nobody”未在 units 中声明"},
		{"target not a number", "{year: 2028, op: gt, value: 100}", "{year: 2028, op: gt, value: 一百}", 51, "indicators[0].targets[0].value", "应为数字,实际为“一百”"},
		{"target with thousands separator", "{year: 2028, op: gt, value: 100}", "{year: 2028, op: gt, value: \"1,000\"}", 51, "indicators[0].targets[0].value", "应为数字,实际为“1,000”"},
		{"missing target value", "{year: 2028, op: gt, value: 100}", "{year: 2028, op: gt}", 51, "indicators[0].targets[0].value", "必填,应为数字"},
		{"duplicate indicator code", "code: NEW_LOGISTICS_FIRMS", "code: SVC_VA", 53, "indicators[1].code", "编码“SVC_VA”重复,与 indicators[0].code 相同"},
		{"duplicate unit code", `{code: swj, name: 区商务局`, `{code: fgw, name: 区商务局`, 16, "units[3].code", "编码“fgw”重复"},
		{"unknown key", "    direction: up\n    goal: G1", "    direktion: up\n    goal: G1", 48, "indicators[0].direktion", "未知字段: direktion"},
		{"yaml syntax", "  - {code: A1, section:", "  - {code: A1, section: [", 41, "", "YAML语法错误"},
		{"bad date", "issue_date: 2026-03-01", "issue_date: 2026-13-01", 8, "plan.issue_date", "应写作YYYY-MM-DD"},
		{"wrong schema", "schema: svcplan/plan/v1", "schema: svcplan/plan/v9", 2, "schema", "应为“svcplan/plan/v1”"},
		{"target outside period", "{year: 2026, op: ge, value: 5}", "{year: 2025, op: ge, value: 5}", 61, "indicators[1].targets[0].year", "不在规划期2026—2028内"},
		{"duplicate target year", "{year: 2027, op: ge, value: 5}", "{year: 2026, op: ge, value: 5}", 62, "indicators[1].targets[1].year", "2026年的目标重复"},
		{"unknown op", "op: gt", "op: over", 51, "indicators[0].targets[0].op", "比较方式“over”不认识"},
		{"between without max", "op: gt", "op: between", 51, "indicators[0].targets[0].max", "须填写上限"},
		{"unknown unit of measure", "unit: 亿元", "unit: 亿", 46, "indicators[0].unit", "计量单位“亿”不认识"},
		{"share not in percent", "kind: annual", "kind: share", 46, "indicators[0].unit", "比重类指标的单位应为“%”"},
		{"two places", "    goal: G1\n", "    goal: G1\n    field: trade\n", 44, "indicators[0]", "goal、field、action 三者须且只须填写一个"},
		{"unknown goal", "    goal: G1\n", "    goal: G9\n", 49, "indicators[0].goal", "“G9”未在 goals 中声明"},
		{"unknown computation", "    direction: up\n    goal: G1", "    direction: up\n    compute: tax\n    goal: G1", 49, "indicators[0].compute", "计算方式“tax”不认识"},
		{"computed firms in 亿元", "    direction: up\n    goal: G1", "    direction: up\n    compute: firms\n    goal: G1", 49, "indicators[0].compute", "firms(企业数)只用于单位为“家”"},
		{"unknown carrier kind", "    task: trade-1\n", "    task: trade-1\n    compute: carriers\n    count: {kinds: [cluster, hub], levels: [province]}\n", 61, "indicators[1].count.kinds[1]", "载体类型“hub”不认识"},
		{"unknown carrier level", "    task: trade-1\n", "    task: trade-1\n    compute: carriers\n    count: {kinds: [park], levels: [county]}\n", 61, "indicators[1].count.levels[0]", "级别“county”不认识"},
		{"carrier count from not a date", "    task: trade-1\n", "    task: trade-1\n    compute: carriers\n    count: {kinds: [park], levels: [city], from: 2025-13-01}\n", 61, "indicators[1].count.from", "起算日期“2025-13-01”"},
		{"carriers without count", "    task: trade-1\n", "    task: trade-1\n    compute: carriers\n", 53, "indicators[1].count", "须以count写明"},
		{"count without carriers", "    task: trade-1\n", "    task: trade-1\n    count: {kinds: [park], levels: [city]}\n", 60, "indicators[1].count", "count只用于compute: carriers"},
		{"carriers in 亿元", "    direction: up\n    goal: G1", "    direction: up\n    compute: carriers\n    count: {kinds: [park], levels: [city]}\n    goal: G1", 49, "indicators[0].compute", "carriers(载体数)只用于"},
		{"task of another field", "    task: trade-1\n", "    task: trade-9\n", 59, "indicators[1].task", "任务“trade-9”未在任何领域的 tasks 中声明"},
		{"unknown unit kind", "kind: subdistrict, parent", "kind: village, parent", 14, "units[1].kind", "单位类型“village”不认识"},
		{"unknown parent", `parent: "100000"}` + "\n  - {code: fgw", `parent: "999"}` + "\n  - {code: fgw", 14, "units[1].parent", "上级单位“999”未在 units 中声明"},
		{"unit both lead and co", "co: [swj]", "co: [fgw]", 34, "fields[0].co[0]", "已是牵头单位"},
		{"quote not in text", "source: 健全商贸流通设施。", "source: 健全商贸流通配套设施。", 32, "fields[0].source", "引文与原文不一致:从第7个字起不符"},
		{"yaml alias", "  - {code: A1, section: 五(一)", "  - {code: &a A1, section: 五(一)", 41, "", "不支持YAML锚点"},
		{"year not a number", "start_year: 2026", "start_year: 二〇二六", 9, "plan.start_year", "类型不符: 应为整数,实际为文字"},
		{"list where text expected", "title: 扩大规模", "title: [扩大, 规模]", 23, "goals[0].title", "类型不符: 应为文字,实际为列表"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Count(base, tt.old) != 1 {
				t.Fatalf("test edit %q does not match minimal.yaml exactly once", tt.old)
			}
			src := strings.Replace(base, tt.old, tt.new, 1)
			_, err := Parse("minimal.yaml", []byte(src), testdataText)
			probs, ok := err.(Problems)
			if !ok {
				t.Fatalf("Parse error = %v (%T), want Problems", err, err)
			}
			for _, p := range probs {
				if strings.Contains(p.Msg, tt.msg) && (tt.path == "" || p.Path == tt.path) {
					if p.Line != tt.line || p.File != "minimal.yaml" {
						t.Errorf("problem %q at %s:%d, want line %d", p.Msg, p.File, p.Line, tt.line)
					}
					return
				}
			}
			t.Errorf("no problem with path %q and message containing %q; got:\n%v", tt.path, tt.msg, probs)
		})
	}
}

// TestParseCarrierCount: a counted indicator keeps its rule.
func TestParseCarrierCount(t *testing.T) {
	src := strings.Replace(string(readTestdata(t, "minimal.yaml")), "    task: trade-1\n",
		"    task: trade-1\n    compute: carriers\n    count: {kinds: [cluster, pilot], levels: [province, national], from: 2026-01-01}\n", 1)
	p, err := Parse("minimal.yaml", []byte(src), testdataText)
	if err != nil {
		t.Fatal(err)
	}
	ind := p.Plan.Indicators[1]
	c := ind.Count
	if ind.Compute != ComputeCarriers || c == nil || len(c.Kinds) != 2 || c.Kinds[1] != CarrierPilot ||
		c.Levels[0] != LevelProvince || c.From != "2026-01-01" || c.Kinds[0].Label() != "现代服务业集聚区" {
		t.Errorf("count: %+v", c)
	}
}

func TestParseWholeFileProblems(t *testing.T) {
	tests := []struct {
		name string
		data string
		msg  string
	}{
		{"empty", "", "只包含一个规划文档"},
		{"two documents", "schema: a\n---\nschema: b\n", "只包含一个规划文档"},
		{"not utf-8", "schema: \xb9\xe6\xbb\xae\n", "不是UTF-8编码"},
		{"too large", strings.Repeat("#", MaxFileSize+1), "文件过大"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.data), nil)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Parse error = %v, want one containing %q", err, tt.msg)
			}
		})
	}
}

func TestParseMissingSourceTextWarns(t *testing.T) {
	got, err := Parse("minimal.yaml", readTestdata(t, "minimal.yaml"), func(string) ([]byte, error) {
		return nil, os.ErrNotExist
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0].Msg, "未核对引文") {
		t.Errorf("warnings = %v, want one about the missing source text", got.Warnings)
	}
}
