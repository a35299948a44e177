package registry_test

import (
	"strings"
	"testing"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// A bureau's list still coded in GB/T 4754-2011: the old codes convert by
// the crosswalk, the firms whose class 2017 split wait on the checking
// list with their provisional class, and a statistician's choice sticks.
func TestImport2011Codes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		file := []string{header,
			codeA + ",泰州甲广告有限公司,7240,白马镇,,,",  // 2011 广告业 → 7251 互联网广告服务 / 7259 其他广告服务
			codeB + ",泰州乙软件有限公司,L6510,白马镇,,,", // 2011 软件开发 → 6511/6512/6513/6519, most likely 6513 应用软件开发
			codeC + ",泰州丙律师事务所,7231,白马镇,,,",   // in both editions: read as 2017 律师及相关法律服务
			codeD + ",泰州丁洗浴有限公司,7950,大泗镇,,,"}  // 2011 洗浴服务 → 8051 洗浴服务 / 8052 足浴服务
		res := e.importCSV(t, registry.ImportOptions{Official: true}, file...)
		if got := counts(res.Import); got != [5]int{4, 4, 0, 0, 0} || res.Import.Converted != 3 || res.Import.Unsure != 3 {
			t.Fatalf("import: %v, converted %d, unsure %d: %v", got, res.Import.Converted, res.Import.Unsure, res.Rejected)
		}
		for _, want := range []string{"3个GB/T 4754-2011行业代码已按对照表转换为2017版", "其中3家", "含义不同", "行业代码版本"} {
			if !strings.Contains(res.Import.Message, want) {
				t.Errorf("message %q lacks %q", res.Import.Message, want)
			}
		}
		for _, tt := range []struct{ uscc, class, old string }{
			{codeA, "7259", "7240"}, {codeB, "6513", "6510"}, {codeC, "7231", ""}, {codeD, "8051", "7950"},
		} {
			d, err := e.svc.Find(ctx, e.admin, tt.uscc)
			if err != nil || d.Industry != tt.class || d.Industry2011 != tt.old {
				t.Errorf("%s: class %s, 2011 %q (%v); want %s, %q", tt.uscc, d.Industry, d.Industry2011, err, tt.class, tt.old)
			}
		}
		imps, _ := e.svc.Imports(ctx, e.admin)
		if imps[0].Converted != 3 || imps[0].Unsure != 3 || imps[0].Edition != registry.Edition2017 {
			t.Errorf("import record: %+v", imps[0])
		}

		unsure, total, err := e.svc.Search(ctx, e.admin, registry.Filter{Unsure: true})
		if err != nil || total != 3 || unsure[0].USCC != codeB || unsure[1].USCC != codeD || unsure[2].USCC != codeA {
			t.Fatalf("checking list: %d %v %v", total, unsure, err)
		}
		succ, ok := e.svc.Successor("7240")
		if !ok || strings.Join(succ.Classes, ",") != "7251,7259" || succ.Main != "7259" {
			t.Errorf("successor of 7240: %+v", succ)
		}

		// A statistician confirms 7251; the list shrinks, the history keeps the old code.
		before, _ := e.svc.Version(ctx)
		if _, err := e.svc.ConfirmIndustry(ctx, e.actor, e.admin, codeA, "7251", 1); err != nil {
			t.Fatal(err)
		}
		if after, _ := e.svc.Version(ctx); after == before {
			t.Errorf("directory version did not move with the confirmation")
		}
		d, _ := e.svc.Find(ctx, e.admin, codeA)
		if d.Industry != "7251" || d.Industry2011 != "" || d.Version != 2 || d.UpdatedBy != "stat" ||
			len(d.History) != 1 || d.History[0].Industry != "7259" || d.History[0].Industry2011 != "7240" ||
			strings.Join(d.History[0].Changed, ",") != "industry,industry_2011" {
			t.Errorf("confirmed firm: %+v, history %+v", d.Enterprise, d.History)
		}
		if _, total, _ := e.svc.Search(ctx, e.admin, registry.Filter{Unsure: true}); total != 2 {
			t.Errorf("checking list after a confirmation: %d", total)
		}
		if es, _ := e.audit.ListAudit(ctx, audit.Filter{Action: "enterprise.industry_confirm"}); len(es) != 1 ||
			es[0].ObjectID != codeA || !strings.Contains(string(es[0].Before), `"industry_2011":"7240"`) {
			t.Errorf("audit: %+v", es)
		}

		// Keeping the provisional class is a confirmation too.
		if _, err := e.svc.ConfirmIndustry(ctx, e.actor, e.admin, codeD, "8051", 1); err != nil {
			t.Fatal(err)
		}
		if d, _ := e.svc.Find(ctx, e.admin, codeD); d.Industry != "8051" || d.Industry2011 != "" ||
			strings.Join(d.History[0].Changed, ",") != "industry_2011" {
			t.Errorf("kept class: %+v %+v", d.Enterprise, d.History)
		}

		for _, tt := range []struct {
			name    string
			u       *auth.User
			uscc    string
			class   string
			version int
			kind    apperr.Kind
		}{
			{"again", e.admin, codeA, "7259", 2, apperr.Conflict},
			{"stale version", e.admin, codeB, "6511", 7, apperr.Conflict},
			{"not a successor", e.admin, codeB, "7241", 1, apperr.Invalid},
			{"other town", &auth.User{Role: auth.RoleStatistician, Unit: "321203104"}, codeB, "6511", 1, apperr.Forbidden},
			{"leader", &auth.User{Role: auth.RoleLeader, FirmAccess: true}, codeB, "6511", 1, apperr.Forbidden},
		} {
			if _, err := e.svc.ConfirmIndustry(ctx, e.actor, tt.u, tt.uscc, tt.class, tt.version); apperr.KindOf(err) != tt.kind {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
			}
		}

		// The old list again: the confirmed class stays, nothing changes.
		res = e.importCSV(t, registry.ImportOptions{Official: true}, file...)
		if got := counts(res.Import); got != [5]int{4, 0, 0, 4, 0} {
			t.Errorf("re-import: %v", got)
		}
		if d, _ := e.svc.Find(ctx, e.admin, codeA); d.Industry != "7251" || d.Industry2011 != "" {
			t.Errorf("re-import undid the confirmation: %+v", d.Enterprise)
		}
		// A 2017-coded list settles a class too.
		e.importCSV(t, registry.ImportOptions{Official: true}, "统一社会信用代码,行业代码", codeB+",6511")
		if d, _ := e.svc.Find(ctx, e.admin, codeB); d.Industry != "6511" || d.Industry2011 != "" {
			t.Errorf("2017 code over a provisional one: %+v", d.Enterprise)
		}
	})
}

// A whole file in the 2011 edition reads codes of both editions as 2011.
func TestImport2011Edition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		opts := registry.ImportOptions{Official: true, Edition2011: true, Mode: table.ValidRows}
		res := e.importCSV(t, opts, header,
			codeA+",泰州甲会计师事务所,7231,白马镇,,,",  // 2011 会计、审计及税务服务 → 7241
			codeB+",泰州乙稻谷种植合作社,0111,白马镇,,,", // unchanged
			codeC+",丙,7251,白马镇,,,",          // a 2017-only class
			codeD+",丁,9999,白马镇,,,")
		if got := counts(res.Import); got != [5]int{4, 2, 0, 0, 2} || res.Import.Converted != 1 || res.Import.Unsure != 0 ||
			strings.Contains(res.Import.Message, "含义不同") {
			t.Fatalf("import: %v, converted %d, unsure %d, %q", got, res.Import.Converted, res.Import.Unsure, res.Import.Message)
		}
		want := []string{"第4行第3列(行业代码): “7251”不是GB/T 4754-2011的行业小类代码",
			"第5行第3列(行业代码): “9999”不是GB/T 4754-2011的行业小类代码"}
		for i, r := range res.Rejected {
			if r.Reason() != want[i] {
				t.Errorf("rejection %d: %s, want %s", i, r.Reason(), want[i])
			}
		}
		if d, _ := e.svc.Find(t.Context(), e.admin, codeA); d.Industry != "7241" || d.Industry2011 != "" {
			t.Errorf("7231 in a 2011 file: %+v", d.Enterprise)
		}
		if d, _ := e.svc.Find(t.Context(), e.admin, codeB); d.Industry != "0111" {
			t.Errorf("0111 in a 2011 file: %+v", d.Enterprise)
		}
		res = e.importCSV(t, registry.ImportOptions{Official: true, Mode: table.ValidRows}, header, codeD+",丁,9999,白马镇,,,")
		if len(res.Rejected) != 1 || res.Rejected[0].Reason() != "第2行第3列(行业代码): “9999”不是GB/T 4754-2017(也不是2011)的行业小类代码" {
			t.Errorf("unknown code: %+v", res.Rejected)
		}
	})
}

// An old directory kept in Excel: header on line 1, codes stored as
// numbers (0511 lost its zero), coded in 2011 throughout.
func TestImport2011Workbook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		rows := workbook(t, [][]any{
			{"统一社会信用代码", "单位详细名称", "国民经济行业代码", "所在镇街"},
			{codeA, "泰州甲广告有限公司", 7240, "白马镇"},  // → 7251/7259
			{codeB, "泰州乙农机服务有限公司", 511, "白马镇"}, // 0511 农业机械服务 → 0512 农业机械活动 (0511 is 种子种苗 in 2017)
			{codeC, "泰州丙装卸有限公司", 5810, "白马镇"},  // 装卸搬运 → 5910 (5810 is 多式联运 in 2017)
		})
		res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, rows, table.File{Name: "2019年名录.xlsx"},
			registry.ImportOptions{Official: true, Edition2011: true})
		if err != nil || counts(res.Import) != [5]int{3, 3, 0, 0, 0} || res.Import.Restored != 1 || res.Import.Converted != 3 ||
			res.Import.Unsure != 1 || res.Import.Edition != registry.Edition2011 {
			t.Fatalf("import: %v %+v %v", err, res.Import, res.Rejected)
		}
		for uscc, want := range map[string]string{codeA: "7259", codeB: "0512", codeC: "5910"} {
			if d, _ := e.svc.Find(t.Context(), e.admin, uscc); d.Industry != want {
				t.Errorf("%s: %s, want %s", uscc, d.Industry, want)
			}
		}
	})
}
