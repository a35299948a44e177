package registry_test

import (
	"bytes"
	"testing"

	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
	"svcplan/internal/xlsx/xlsxtest"
)

// TestImportRestoresCodeZeros: a directory kept in Excel where 0511 种子种苗培育活动
// was typed into a General cell holds the number 511; the import reads it
// as 0511 and says one code was restored. The text "511" is a wrong code
// and stays a row error.
func TestImportRestoresCodeZeros(t *testing.T) {
	book := func(t *testing.T, numeric bool) xlsx.RowReader {
		var code any = 511
		if !numeric {
			code = "511"
		}
		return workbook(t, [][]any{
			{"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "纳统状态"},
			{codeA, "泰州甲种业有限公司", code, "白马镇", "规上服务业"},
			{codeB, "泰州乙物流有限公司", 5810, "永安洲镇", "规上服务业"}, // four digits: nothing to restore
		})
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, book(t, true), table.File{Name: "名录.xlsx"},
			registry.ImportOptions{Official: true})
		if err != nil || counts(res.Import) != [5]int{2, 2, 0, 0, 0} || res.Import.Restored != 1 {
			t.Fatalf("numeric: %v %+v %v", err, res.Import, res.Rejected)
		}
		d, err := e.svc.Find(t.Context(), e.admin, codeA)
		if err != nil || d.Industry != "0511" {
			t.Fatalf("甲: %v %+v", err, d)
		}
		// The record of the run keeps the count.
		runs, err := e.svc.Imports(t.Context(), e.admin)
		if err != nil || len(runs) != 1 || runs[0].Restored != 1 {
			t.Errorf("runs: %v %+v", err, runs)
		}
	})
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		res, err := e.svc.ImportEnterprises(t.Context(), e.actor, e.admin, book(t, false), table.File{Name: "名录.xlsx"},
			registry.ImportOptions{Official: true})
		if err != nil || res.Import.Restored != 0 || res.Import.Rejected != 1 || len(res.Rejected) != 1 || res.Rejected[0].Row != 2 {
			t.Fatalf("text: %v %+v %v", err, res.Import, res.Rejected)
		}
	})
}

// workbook writes rows into the first sheet of an .xlsx, each cell with
// the type of its value (an int is a numeric cell, as Excel stores a code
// typed into a General cell), and opens it as an import reads it.
func workbook(t *testing.T, rows [][]any) xlsx.RowReader {
	t.Helper()
	b, err := xlsxtest.Workbook(rows)
	if err != nil {
		t.Fatal(err)
	}
	rr, _, err := xlsx.Open(bytes.NewReader(b), int64(len(b)), "名录.xlsx", xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rr.Close() })
	return rr
}
