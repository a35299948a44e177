package projects_test

import (
	"bytes"
	"strings"
	"testing"

	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
	"svcplan/internal/xlsx/xlsxtest"
)

// sheetHeader is a district's project sheet header, as kept in Excel.
var sheetHeader = []any{"序号", "项目编号", "项目名称", "建设单位", "服务领域", "所在镇街（园区）", "牵头单位", "配合单位", "项目级别",
	"计划总投资（亿元）", "2026年计划投资（万元）", "计划开工时间", "形象进度"}

func workbook(t *testing.T, rows [][]any) table.Rows {
	t.Helper()
	b, err := xlsxtest.Workbook(rows)
	if err != nil {
		t.Fatal(err)
	}
	rr, _, err := xlsx.Open(bytes.NewReader(b), int64(len(b)), "项目库.xlsx", xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rr.Close() })
	return rr
}

func TestImportSheet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		good := [][]any{sheetHeader,
			{1, "GG-2026-001", "港口综合物流枢纽项目", "泰州某港务有限公司", "商贸流通业", "永安洲镇", "交通分局", "区发展改革委、区商务局", "市重大",
				3.5, 12000, "2026-02-01", "桩基施工"},
			{2, "GG-2026-002", "医药城CRO服务平台项目", "泰州某医药科技有限公司", "科技服务业", "生物医药产业园", "区工业和科技创新局",
				"区发展改革委\uff0c区商务局", "", 1.2, 4000, "", ""}, // co-units as typed in Chinese, with a full-width comma
		}
		// A wrong sheet: every mistake named, nothing imported.
		bad := [][]any{sheetHeader,
			{1, "GG-2026-001", "港口综合物流枢纽项目", "泰州某港务有限公司", "采矿业", "火星镇", "交通分局", "区气象局", "国家重大",
				"三亿", 12000, "2026-13-01", ""},
			{2, "GG-2026-001", "", "泰州某医药科技有限公司", "科技服务业", "生物医药产业园", "区工业和科技创新局", "", "", 1.2, 20000, "", ""},
		}
		res, err := e.svc.ImportSheet(ctx, e.actor, e.stat, workbook(t, bad), table.File{Name: "项目库.xlsx"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, re := range res.Errors {
			got = append(got, re.String())
		}
		for _, want := range []string{
			"第2行第5列(服务领域): “采矿业”不是本规划的服务领域",
			"第2行第6列(所在镇街（园区）): “火星镇”不是本区的镇(街道)或园区",
			"第2行第8列(配合单位): 配合单位“区气象局”不在本规划的单位中",
			"第2行第9列(项目级别): 项目级别“国家重大”应为省重大、市重大、区重大或空",
			"第2行第10列(计划总投资（亿元）):",
			"第2行第12列(计划开工时间): “2026-13-01”不是日期",
			"第3行第3列(项目名称): 项目名称不能为空",
			"第3行第2列(项目编号): 项目编号GG-2026-001与第2行重复",
		} {
			if !strings.Contains(strings.Join(got, "\n"), want) {
				t.Errorf("errors lack %q:\n%s", want, strings.Join(got, "\n"))
			}
		}
		if res.New != 0 || !strings.Contains(res.Message, "未导入任何项目") {
			t.Errorf("bad sheet: %+v", res)
		}
		if _, total, _ := e.svc.List(ctx, e.stat, projects.Filter{}); total != 0 {
			t.Fatalf("a refused sheet wrote %d projects", total)
		}

		res, err = e.svc.ImportSheet(ctx, e.actor, e.stat, workbook(t, good), table.File{Name: "项目库.xlsx", SHA256: "abc"})
		if err != nil || res.New != 2 || len(res.Errors) != 0 || !strings.Contains(res.Message, "未导入的列:序号、形象进度") {
			t.Fatalf("good sheet: %+v %v", res, err)
		}
		p, err := e.svc.Find(ctx, e.stat, "GG-2026-001")
		if err != nil || p.Investment.TotalFen != 35*money.YiYuan/10 || p.Field != "trade-logistics" || p.Unit != "321203100" ||
			p.Lead() != "transport" || len(p.Units) != 3 || p.Level != projects.LevelCity || p.PlannedStart != "2026-02-01" ||
			len(p.Plans) != 1 || p.Plans[0].Fen != 12000*money.WanYuan || p.Version != 1 {
			t.Errorf("imported project: %+v %v", p, err)
		}
		if p, err := e.svc.Find(ctx, e.stat, "GG-2026-002"); err != nil || len(p.Units) != 3 || !p.HasUnit("commerce") {
			t.Errorf("co-units split on a full-width comma: %+v %v", p, err)
		}
		// The same sheet again: the codes are in the ledger.
		res, _ = e.svc.ImportSheet(ctx, e.actor, e.stat, workbook(t, good), table.File{Name: "项目库.xlsx"})
		if res.New != 0 || len(res.Errors) != 2 || !strings.Contains(res.Errors[0].String(), "已在项目库中") {
			t.Errorf("second import: %+v", res)
		}
	})
}

func TestSheetHeaderProblems(t *testing.T) {
	for _, tt := range []struct {
		rows [][]string
		want string
	}{
		{[][]string{{"a", "b"}, {"1", "2"}}, "没有找到含“项目名称”的表头"},
		{[][]string{{"项目名称", "建设单位"}}, "表头缺少列:项目编号、服务领域、所在镇街(园区)、牵头单位、计划总投资"},
		{[][]string{{"项目编号", "项目名称", "建设单位", "服务领域", "镇街", "牵头单位", "总投资"}}, "“总投资”未注明单位"},
	} {
		_, _, _, err := projects.ParseSheet(table.FromSlices(tt.rows), projects.Names{}, projects.World{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.rows[0], err, tt.want)
		}
	}
}

// FuzzParseSheet: any file either fails to read, or gives projects and
// errors that point at real rows, never a panic.
func FuzzParseSheet(f *testing.F) {
	f.Add([]byte("项目编号,项目名称,建设单位,服务领域,镇街,牵头单位,计划总投资(万元),2026年计划投资(万元)\nGG-1,甲项目,甲公司,科技服务业,白马镇,区商务局,12000,3000\n"))
	f.Add([]byte("标题,,\n项目编号,项目名称,建设单位,服务领域,镇街,牵头单位,总投资(亿元),配合单位,项目级别,计划开工\nGG-1,x,y,其他,白马镇,区商务局,1.5,区发展改革委、区财政局,市重大,2026/3/1\nGG-1,,,,,,,,,\n"))
	f.Add([]byte("项目名称\n\"a"))
	names := projects.Names{
		Field: func(n string) (string, bool) { return "sci-tech", n == "科技服务业" },
		Place: func(n string) (string, bool) { return "321203101", n == "白马镇" },
		Unit:  func(n string) (string, bool) { return "commerce", strings.HasPrefix(n, "区") },
	}
	w := projects.World{Field: func(c string) bool { return c == "sci-tech" }, Place: func(c string) bool { return c == "321203101" },
		Unit: func(c string) bool { return c == "commerce" }}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), "p.csv", xlsx.Options{})
		if err != nil {
			return
		}
		defer rows.Close()
		read, _, errs, err := projects.ParseSheet(rows, names, w)
		if err != nil {
			return
		}
		for _, e := range errs {
			if e.Row < 1 || e.Msg == "" {
				t.Fatalf("error %+v", e)
			}
		}
		for _, r := range read {
			if r.Row < 1 || r.Project.Investment.TotalFen < 0 {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
