package projects_test

import (
	"strings"
	"testing"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/projects"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// faiList is the bureau's monthly list as it comes out of its system: a
// title row, the header, numeric cells, projects of every industry.
func faiList(rows ...[]any) [][]any {
	return append([][]any{{"2026年1-2月全区固定资产投资项目完成情况"}, {"序号", "项目名称", "项目代码", "行业", "本年完成投资(万元)"}}, rows...)
}

func TestImportFAI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		a, b := sample("GG-2026-001"), sample("GG-2026-002")
		b.Name = "港口综合物流枢纽项目"
		for _, p := range []projects.Project{a, b} {
			if _, err := e.svc.Create(ctx, e.actor, e.stat, p); err != nil {
				t.Fatal(err)
			}
		}
		// A wrong amount: nothing is imported, the cell is named.
		bad := faiList([]any{1, a.Name, "2432120326012345", "医药制造", "一千"}, []any{2, b.Name, "", "装卸搬运", 3050.5})
		res, err := e.svc.ImportFAI(ctx, e.actor, e.stat, workbook(t, bad), table.File{Name: "固投.xlsx"}, "2026-02")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].String(), "第3行第5列(本年完成投资(万元)): 金额“一千”") || res.New != 0 {
			t.Errorf("bad list: %+v", res)
		}
		if got, _ := e.svc.FAIOf(ctx, e.stat, b.Code); len(got) != 0 {
			t.Errorf("a refused list left figures: %+v", got)
		}

		// The bureau's code is not the ledger's: found by name; a
		// project of another industry is listed, not imported.
		good := faiList([]any{1, a.Name, "2432120326012345", "医药制造", 1000},
			[]any{2, "某化工新材料项目", "2432120326099999", "化学原料", 25000},
			[]any{3, "", b.Code, "装卸搬运", "3050.5"})
		res, err = e.svc.ImportFAI(ctx, e.actor, e.stat, workbook(t, good), table.File{Name: "固投2月.xlsx", SHA256: "ab12"}, "2026-02")
		if err != nil {
			t.Fatal(err)
		}
		if res.New != 2 || len(res.Unmatched) != 1 || res.Unmatched[0].Row != 4 ||
			res.Message != "2026年1-2月统计局固定资产投资:读取3行,新增2个项目、更正0个、未变0个;1行不在项目库中,未导入(见下表)" {
			t.Errorf("good list: %+v", res)
		}
		got, err := e.svc.FAIOf(ctx, e.stat, b.Code)
		if err != nil || len(got) != 1 || got[0].YTDFen != 30_505*money.WanYuan/10 || got[0].SourceRow != 5 ||
			got[0].SourceFile != "固投2月.xlsx" || got[0].ImportedBy != "stat" {
			t.Fatalf("stored: %+v %v", got, err)
		}

		// The bureau revises one figure: a second version; the other
		// stays as it was.
		revised := faiList([]any{1, a.Name, "", "", 1000}, []any{2, b.Name, "", "", 3100})
		res, err = e.svc.ImportFAI(ctx, e.actor, e.stat, workbook(t, revised), table.File{Name: "固投2月更正.xlsx"}, "2026-02")
		if err != nil || res.Revised != 1 || res.Unchanged != 1 || res.New != 0 {
			t.Fatalf("revised: %+v %v", res, err)
		}
		got, _ = e.svc.FAIOf(ctx, e.stat, b.Code)
		if len(got) != 2 || got[0].Version != 2 || got[0].YTDFen != 3100*money.WanYuan || got[1].YTDFen != 30_505*money.WanYuan/10 {
			t.Errorf("versions: %+v", got)
		}
		month, err := e.svc.MonthFAI(ctx, e.stat, "2026-02")
		if err != nil || len(month) != 2 || month[b.Code].Version != 2 {
			t.Errorf("month: %+v %v", month, err)
		}
		entries, err := e.audit.ListAudit(ctx, audit.Filter{Action: "import.project_fai"})
		if err != nil || len(entries) != 2 || !strings.Contains(string(entries[0].After)+string(entries[1].After), "第4行 2432120326099999 某化工新材料项目") {
			t.Errorf("audit: %d %v", len(entries), err)
		}

		// Refusals: a project twice, a month to come, a scoped user.
		twice := faiList([]any{1, a.Name, "", "", 1}, []any{2, "", a.Code, "", 2})
		if res, err := e.svc.ImportFAI(ctx, e.actor, e.stat, workbook(t, twice), table.File{}, "2026-02"); err != nil ||
			len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Msg, "与第3行重复") {
			t.Errorf("twice: %+v %v", res, err)
		}
		if _, err := e.svc.ImportFAI(ctx, e.actor, e.stat, workbook(t, good), table.File{}, "2026-04"); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("future month: %v", err)
		}
		town := &auth.User{Username: "town", Role: auth.RoleStatistician, Unit: "321203401"}
		if _, err := e.svc.ImportFAI(ctx, e.actor, town, workbook(t, good), table.File{}, "2026-02"); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("scoped user: %v", err)
		}
		if _, _, err := projects.ParseFAI(workbook(t, [][]any{{"项目名称", "本年完成投资"}})); err == nil ||
			!strings.Contains(err.Error(), "未注明单位") {
			t.Errorf("no unit: %v", err)
		}
	})
}

func FuzzParseFAI(f *testing.F) {
	f.Add("项目名称,本年完成投资(万元)\n港口项目,1000.5\n", 1)
	f.Add("标题\n序号,项目编号,项目名称,1-本月完成投资(亿元)\n1,GG-1,,1e3\n", 1)
	f.Fuzz(func(t *testing.T, text string, _ int) {
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, ","))
		}
		read, errs, err := projects.ParseFAI(table.FromSlices(rows))
		if err != nil {
			return
		}
		for _, r := range read {
			if r.YTDFen < 0 {
				t.Fatalf("negative amount %v", r)
			}
		}
		for _, e := range errs {
			if e.Row < 1 || e.Msg == "" {
				t.Fatalf("unplaced error %+v", e)
			}
		}
	})
}
