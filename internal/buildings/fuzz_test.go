package buildings_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"svcplan/internal/buildings"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// fuzzRows reads comma-separated lines; bit i%64 of numeric says whether
// cell i is a number cell.
type fuzzRows struct {
	*table.Slices
	numeric uint64
}

func (r fuzzRows) Numeric(i int) bool { return i >= 0 && r.numeric>>(i%64)&1 == 1 }

func newFuzzRows(text string, numeric uint64) fuzzRows {
	var rows [][]string
	for _, line := range strings.Split(text, "\n") {
		rows = append(rows, strings.Split(line, ","))
	}
	return fuzzRows{table.FromSlices(rows), numeric}
}

// checkPlaced fails for a mistake not placed at a row and a cell.
func checkPlaced(t *testing.T, errs []table.RowError) {
	t.Helper()
	for _, e := range errs {
		if e.Row < 1 || e.Col < 1 || e.Header == "" || e.Msg == "" {
			t.Fatalf("unplaced error %+v", e)
		}
	}
}

var canonicalPeriod = regexp.MustCompile(`^(199\d|20\d\d|2100)(-(0[1-9]|1[0-2]))?$`)

func FuzzParseTax(f *testing.F) {
	f.Add("2025年3月楼宇税收\n序号,纳税人识别号,纳税人名称,所属期,税收合计（万元）\n1,"+firmA+",甲,202503,1234.56\n2,"+firmB+",乙,2025年3月,-1\n", uint64(0), 0)
	f.Add("统一社会信用代码,楼宇编号,所属期,口径,全口径税收(万元)\n"+firmC+",,2025.1,区级,1e3\n,GG-001,2025,,0.5\n"+firmC+",,2025-01,,1\n", uint64(4), 1)
	f.Add("楼宇编号,年度,全口径税收(亿元),区级实际贡献(万元)\nGG-001,2025,1.2,3000\nGG-001,2025年度,,x\n", uint64(0), 3)
	f.Add("纳税人识别号(统一社会信用代码),所属期(年月),增值税税额(元)\n9.13212710747283E+17,2025-03-01,7\n", uint64(1), 2)
	f.Fuzz(func(t *testing.T, text string, numeric uint64, caliber int) {
		var c buildings.Caliber
		if caliber >= 0 && caliber < len(buildings.Calibers) {
			c = buildings.Calibers[caliber]
		}
		read, errs, err := buildings.ParseTax(newFuzzRows(text, numeric), c)
		if err != nil {
			if len(read) > 0 || len(errs) > 0 {
				t.Fatalf("rows and mistakes with an error: %v", err)
			}
			return
		}
		checkPlaced(t, errs)
		for _, r := range read {
			switch {
			case r.Amount < 0:
				t.Fatalf("negative amount %+v", r)
			case !canonicalPeriod.MatchString(r.Period):
				t.Fatalf("period %q", r.Period)
			case !slices.Contains(buildings.Calibers, r.Caliber):
				t.Fatalf("caliber %q", r.Caliber)
			case (r.USCC == "") == (r.Building == ""):
				t.Fatalf("a firm's and a building's code %+v", r)
			case r.USCC != "" && !uscc.Check(r.USCC).Valid:
				t.Fatalf("invalid code %+v", r)
			case r.Row < 1:
				t.Fatalf("row %+v", r)
			}
			for _, e := range errs {
				if e.Row == r.Row {
					t.Fatalf("row %d returned with its mistake %+v", r.Row, e)
				}
			}
		}
	})
}

func FuzzParseSpace(f *testing.F) {
	f.Add("港城大厦台账\n楼层,房号,面积（㎡）,用途,入驻企业,统一社会信用代码,使用面积,入驻日期,迁出日期,注册在楼,实际在楼\n"+
		"12,1201,320.5,出租,甲,"+firmA+",,2024-03-01,,是,是\n12F,1202,180,,乙,,100,45658,,√,\n,1202,,,丙,,90,2025/1/1,2025-12-31,否,×\n"+
		"B1,B101,50,配套\n地下2层,B201,0,自用,,"+firmB+",,2023年6月1日\n", uint64(0))
	f.Add("房间号,建筑面积(平方米),是否可租,企业名称,使用面积(m²),入驻日期\n1,1e3,否,丁,2000,2025-02-30\n1,,,戊,,\n2,-1,\n", uint64(3))
	f.Fuzz(func(t *testing.T, text string, numeric uint64) {
		sp, errs, err := buildings.ParseSpace(newFuzzRows(text, numeric), "GG-001")
		if err != nil {
			if sp != nil || len(errs) > 0 {
				t.Fatalf("a space and mistakes with an error: %v", err)
			}
			return
		}
		checkPlaced(t, errs)
		if sp.Building != "GG-001" || len(sp.Rows) != len(sp.Occupancies) {
			t.Fatalf("space %+v", sp)
		}
		rooms := map[string]bool{}
		for _, r := range sp.Rooms {
			if r.Number == "" || rooms[r.Number] || r.Area < 0 {
				t.Fatalf("room %+v", r)
			}
			rooms[r.Number] = true
		}
		for i, o := range sp.Occupancies {
			if sp.Rows[i] < 1 || !rooms[o.Room] || o.Area < 0 || o.USCC != "" && !uscc.Check(o.USCC).Valid {
				t.Fatalf("occupancy %+v at row %d", o, sp.Rows[i])
			}
		}
		if len(errs) == 0 && len(sp.Check()) > 0 {
			t.Fatalf("no mistakes, yet Check finds %v", sp.Check())
		}
	})
}
