package reports_test

import (
	"bytes"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// importFile reads a file as the upload handler does (xlsx.Open detects
// the format, encoding and separator) and imports it as F203 of 2025年1-9月.
func (e *env) importFile(t *testing.T, name string, data []byte) *reports.Result {
	t.Helper()
	rows, _, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), name, xlsx.Options{})
	if err != nil {
		t.Fatalf("%s: open: %v", name, err)
	}
	defer rows.Close()
	form, _ := reports.FormByCode("F203")
	res, err := e.svc.Import(t.Context(), e.actor, e.stat, rows, table.File{Name: name, SHA256: name},
		reports.Options{Form: form, Period: 202509})
	if err != nil {
		t.Fatalf("%s: import: %v", name, err)
	}
	return res
}

// checkTotals compares the district's totals with the bureau's for
// testdata/f203-20250009.csv, to the 千元: Σ营业收入 1-本月 12345.678 + 5000 +
// 3000.1 + 0 = 20345.778, 上年同期 10000 + 2500 + 100 = 12600 (乙 left it
// blank); Σ营业成本 8000.5 + 4100 + 2000 + 0 = 14100.5, 上年同期 7000 + 1900 + 90
// = 8990; Σ税金及附加 80.25 + 20 + 12 + 0 = 112.25, 上年同期 70 + 11 + 1 = 82.
func (e *env) checkTotals(t *testing.T, name string) {
	t.Helper()
	rolls, err := e.store.Rollups(t.Context(), reports.Query{Form: "F203", Periods: []reports.Period{202509}})
	if err != nil || len(rolls) != 4 {
		t.Fatalf("%s: rollups: %d, %v", name, len(rolls), err)
	}
	all := reports.GroupBy(rolls, func(*reports.Rollup) string { return "" })[0]
	want := map[reports.Measure]reports.Sum{
		reports.Revenue: {Cur: 2_034_577_800, Prev: 1_260_000_000},
		reports.Cost:    {Cur: 1_410_050_000, Prev: 899_000_000},
		reports.Taxes:   {Cur: 11_225_000, Prev: 8_200_000},
	}
	for m, w := range want {
		if got := all.Sums[m]; got != w {
			t.Errorf("%s: measure %d: %+v, want %+v", name, m, got, w)
		}
	}
	if g, ok := all.Growth(reports.Revenue); !ok || g.Cmp(big.NewRat(7_745_778, 12_600_000)) != 0 {
		t.Errorf("%s: revenue growth %v", name, g)
	}
}

// TestImportBureauCSV: the bureau's CSV exports with the header on line 1
// (no title row), UTF-8 with a BOM, every field quoted, or GB18030 with
// CRLF line ends, import whole with the bureau's totals. Header paths
// joined by ";" must not be taken for the separator.
func TestImportBureauCSV(t *testing.T) {
	for _, name := range []string{"f203-header-bom.csv", "f203-header-quoted.csv", "f203-header-gb18030.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			e := newEnv(t, db)
			res := e.importFile(t, name, data)
			if got := counts(res.Import); got != [5]int{4, 4, 0, 0, 0} || res.Import.Outcome != table.OK {
				t.Fatalf("%s: read/new/changed/same/rejected = %v: %s %v", name, got, res.Import.Message, res.Rejected)
			}
			e.checkTotals(t, name)
		})
	}
}

// TestImportRestoresCodeZeros: in a workbook where the organisation code
// 074728301 was typed into a General cell, the spreadsheet keeps the number
// 74728301; the import gives the zero back, finds 丙 by it and says so. The
// same code stored as the text "74728301" is a wrong code, and is refused.
func TestImportRestoresCodeZeros(t *testing.T) {
	src, err := os.ReadFile("testdata/f203-header-bom.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(src), "\ufeff")), "\n")
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		res := e.importFile(t, "f203.xlsx", workbook(t, lines, true))
		if got := counts(res.Import); got != [5]int{4, 4, 0, 0, 0} || res.Import.Restored != 1 {
			t.Fatalf("numeric codes: %v, restored %d: %s %v", got, res.Import.Restored, res.Import.Message, res.Rejected)
		}
		if !strings.Contains(res.Import.Message, "1个代码补回了表格软件丢失的前导零") {
			t.Errorf("message %q does not say a code was restored", res.Import.Message)
		}
		e.checkTotals(t, "f203.xlsx")
	})
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		res := e.importFile(t, "f203.xlsx", workbook(t, lines, false))
		if res.Import.Restored != 0 || res.Import.Rejected != 1 || res.Import.Outcome != table.Failed {
			t.Fatalf("text codes: %+v", res.Import)
		}
		if len(res.Rejected) != 1 || res.Rejected[0].Row != 4 {
			t.Errorf("rejected: %+v", res.Rejected)
		}
	})
}

// workbook writes lines of comma-separated cells into an .xlsx as an
// office types them: 数据处理地 and the figures as numbers (the area codes
// keep their digits: they start with 3), names and codes as text, except
// 丙's organisation code 074728301, which lost its zero: the number
// 74728301 when numeric is set, else the text "74728301".
func workbook(t *testing.T, lines []string, numeric bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const org, name, uscc = 1, 2, 13
	for r, line := range lines {
		for c, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			switch {
			case v == "074728301" && numeric:
				err = f.SetCellInt("Sheet1", cell, 74728301)
			case v == "074728301":
				err = f.SetCellStr("Sheet1", cell, "74728301")
			case r > 0 && v != "" && c != org && c != name && c != uscc:
				n, perr := strconv.ParseFloat(v, 64)
				if perr != nil {
					t.Fatalf("row %d: %v", r+1, perr)
				}
				err = f.SetCellFloat("Sheet1", cell, n, -1, 64)
			case v != "":
				err = f.SetCellStr("Sheet1", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
