package registry_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// TestImportRestoresCodeZeros: a directory kept in Excel where 0511 种子种苗培育活动
// was typed into a General cell holds the number 511; the import reads it
// as 0511 and says one code was restored. The text "511" is a wrong code
// and stays a row error.
func TestImportRestoresCodeZeros(t *testing.T) {
	book := func(t *testing.T, numeric bool) xlsx.RowReader {
		f := excelize.NewFile()
		defer f.Close()
		set := func(cell string, v any) {
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		for i, h := range []string{"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "纳统状态"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			set(cell, h)
		}
		set("A2", codeA)
		set("B2", "泰州甲种业有限公司")
		if numeric {
			set("C2", 511)
		} else {
			set("C2", "511")
		}
		set("D2", "白马镇")
		set("E2", "规上服务业")
		set("A3", codeB)
		set("B3", "泰州乙物流有限公司")
		set("C3", 5810) // four digits: nothing to restore
		set("D3", "永安洲镇")
		set("E3", "规上服务业")
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		rows, _, err := xlsx.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "名录.xlsx", xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rows.Close() })
		return rows
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
