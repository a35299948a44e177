package buildings

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/money"
)

// More firms for the diagnosis; the functions do not check USCCs.
const (
	firmE = "91320000MAE0000001"
	firmF = "91320000MAE0000002"
	firmG = "91320000MAE0000003"
)

// taxRow is a building of gross m² with a year's tax of wan 万元, placed
// by the default tiers; prior is the same months a year earlier in 万元
// (negative: none).
func taxRow(code string, gross, wan, prior int64) Row {
	r := Row{Building: Building{Code: code, Name: code, Gross: m2(gross)}, HasTax: true, Tax: money.Fen(wan) * money.WanYuan}
	if prior >= 0 {
		r.Prior = ptr(money.Fen(prior) * money.WanYuan)
	}
	r.Place = DefaultTierRules().PlaceOf(r.Tax)
	return r
}

// district is five buildings with a 单位面积税收 (tax 万元 × 10,000 ÷ m²):
//
//	GG-001 1,510万 / 10,000 m² = 1,510 元/㎡
//	GG-002 1,600万 / 20,000 m² =   800
//	GG-003   500万 /  5,000 m² = 1,000
//	GG-004   200万 /  8,000 m² =   250
//	GG-005 3,000万 / 12,000 m² = 2,500
//
// and three without one to show: hidden, no tax figure, no gross area.
func district() []Row {
	hidden := taxRow("GG-090", 1000, 0, -1)
	hidden.Hidden, hidden.Place = true, Place{}
	noTax := taxRow("GG-091", 1000, 0, -1)
	noTax.HasTax = false
	noArea := taxRow("GG-092", 0, 900, -1)
	return []Row{
		taxRow("GG-001", 10000, 1510, 1000), taxRow("GG-002", 20000, 1600, -1), taxRow("GG-003", 5000, 500, -1),
		taxRow("GG-004", 8000, 200, -1), taxRow("GG-005", 12000, 3000, -1), hidden, noTax, noArea,
	}
}

// TestPerAreaRank checks rank, median and quartiles by QUARTILE.INC:
// h = (n−1)·p on the values sorted ascending, 0-based, interpolated.
func TestPerAreaRank(t *testing.T) {
	odd := district()
	// Even: GG-006 130万 / 4,000 m² = 325 元/㎡.
	even := append(district(), taxRow("GG-006", 4000, 130, -1))
	// Tie: GG-007 302万 / 2,000 m² = 1,510 元/㎡, as GG-001.
	tie := append(district(), taxRow("GG-007", 2000, 302, -1))
	for _, tc := range []struct {
		name string
		all  []Row
		code string
		want PerAreaRank
	}{
		// Odd, n = 5: 250, 800, 1000, 1510, 2500. P25 h = 1 → 800; median h = 2 →
		// 1000; P75 h = 3 → 1510. GG-001 is below 2,500 only: 2nd.
		{"odd, above the median", odd, "GG-001", PerAreaRank{Value: "1510", Rank: 2, Count: 5, Median: "1000", P25: "800", P75: "1510",
			Sentence: "单位面积税收1510元/㎡,居全区第2位(共5栋),高于全区中位数(1000元/㎡)"}},
		{"odd, at the median", odd, "GG-003", PerAreaRank{Value: "1000", Rank: 3, Count: 5, Median: "1000", P25: "800", P75: "1510",
			Sentence: "单位面积税收1000元/㎡,居全区第3位(共5栋),与全区中位数持平(1000元/㎡)"}},
		{"odd, last", odd, "GG-004", PerAreaRank{Value: "250", Rank: 5, Count: 5, Median: "1000", P25: "800", P75: "1510",
			Sentence: "单位面积税收250元/㎡,居全区第5位(共5栋),低于全区中位数(1000元/㎡)"}},
		// Even, n = 6: 250, 325, 800, 1000, 1510, 2500.
		// P25 h = 5/4 = 1.25 → 325 + 0.25 × (800 − 325) = 443.75 → 444;
		// median h = 2.5 → 800 + 0.5 × 200 = 900 (the mean of the middle two);
		// P75 h = 3.75 → 1000 + 0.75 × 510 = 1382.5 → 1383 (half away from zero).
		{"even", even, "GG-002", PerAreaRank{Value: "800", Rank: 4, Count: 6, Median: "900", P25: "444", P75: "1383",
			Sentence: "单位面积税收800元/㎡,居全区第4位(共6栋),低于全区中位数(900元/㎡)"}},
		// Tie, n = 6: 250, 800, 1000, 1510, 1510, 2500; both 1,510 are 2nd,
		// 1,000 is 4th. Median h = 2.5 → 1000 + 0.5 × 510 = 1255.
		{"tie", tie, "GG-007", PerAreaRank{Value: "1510", Rank: 2, Count: 6, Median: "1255", P25: "850", P75: "1510",
			Sentence: "单位面积税收1510元/㎡,居全区第2位(共6栋),高于全区中位数(1255元/㎡)"}},
		{"tie, after", tie, "GG-003", PerAreaRank{Value: "1000", Rank: 4, Count: 6, Median: "1255", P25: "850", P75: "1510",
			Sentence: "单位面积税收1000元/㎡,居全区第4位(共6栋),低于全区中位数(1255元/㎡)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := slices.IndexFunc(tc.all, func(r Row) bool { return r.Building.Code == tc.code })
			got := perAreaRank(tc.all[i], tc.all)
			if got == nil {
				t.Fatal("no rank")
			}
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	// Tie P25: h = 1.25 → 800 + 0.25 × 200 = 850 (checked above).
	for _, code := range []string{"GG-090", "GG-091", "GG-092"} {
		i := slices.IndexFunc(odd, func(r Row) bool { return r.Building.Code == code })
		if got := perAreaRank(odd[i], odd); got != nil {
			t.Errorf("%s has a rank: %+v", code, got)
		}
	}
}

func TestYearsTo(t *testing.T) {
	wan := money.WanYuan
	for _, tc := range []struct {
		name        string
		tax, target money.Fen
		g           *big.Rat
		want        int
	}{
		// ⌈ln(10000/9000) / ln 1.05⌉ = ⌈0.10536 / 0.04879⌉ = ⌈2.16⌉ = 3:
		// 9000 → 9450 → 9922.5 → 10418.6.
		{"5%", 9000 * wan, 10000 * wan, big.NewRat(5, 100), 3},
		// 9764.31 × 1.165 = 11375.4 ≥ 10000: one year.
		{"16.5%", 976431 * money.Fen(money.Yuan) * 100, 10000 * wan, big.NewRat(165, 1000), 1},
		// 5000 × 2 = 10000 exactly: one year, not two (floating point could say 1.0000001).
		{"exactly reached", 5000 * wan, 10000 * wan, big.NewRat(1, 1), 1},
		// ⌈ln(10/9) / ln 1.005⌉ = ⌈21.1⌉ = 22 > TierHorizon.
		{"beyond the horizon", 9000 * wan, 10000 * wan, big.NewRat(5, 1000), 0},
		// ⌈ln(10/9) / ln 1.01⌉ = ⌈10.59⌉ = 11.
		{"1%", 9000 * wan, 10000 * wan, big.NewRat(1, 100), 11},
		{"no growth", 9000 * wan, 10000 * wan, new(big.Rat), 0},
		{"decline", 9000 * wan, 10000 * wan, big.NewRat(-1, 10), 0},
		{"not comparable", 9000 * wan, 10000 * wan, nil, 0},
		{"no tax", 0, 10000 * wan, big.NewRat(1, 10), 0},
	} {
		if got := yearsTo(tc.tax, tc.target, tc.g); got != tc.want {
			t.Errorf("%s: %d years, want %d", tc.name, got, tc.want)
		}
	}
}

func TestTierOutlook(t *testing.T) {
	for _, tc := range []struct {
		name       string
		wan, prior int64
		want       string
		years      int
	}{
		// 9764.31万: 235.69万 short of 1亿; prior 8381.43万 gives 9764.31/8381.43 − 1 =
		// 16.499…% → 16.5%, and 9764.31 × 1.165 ≥ 10000: 1 year.
		{"near 亿元", -1, -1, "为准亿元楼,距亿元楼差235.69万元,按当前增速16.5%约1年可达", 1},
		// 1510万 against 1000万: +51%; 1510 × 1.51³ = 5198.9 ≥ 5000 > 1510 × 1.51² = 3443.0: 3 years.
		{"千万元楼", 1510, 1000, "为千万元楼,距准亿元楼差3490.00万元,按当前增速51.0%约3年可达", 3},
		{"decline", 9000, 9500, "为准亿元楼,距亿元楼差1000.00万元,同比下降5.3%,按当前增速难以达到", 0},
		{"flat", 9000, 9000, "为准亿元楼,距亿元楼差1000.00万元,同比持平,按当前增速难以达到", 0},
		// 9000/8955 − 1 = 0.5025…%: ⌈ln(10/9) / ln 1.005025⌉ = ⌈21.02⌉ = 22 > 20.
		{"slow", 9000, 8955, "为准亿元楼,距亿元楼差1000.00万元,按当前增速0.5%20年内难以达到", 0},
		{"no prior", 9000, -1, "为准亿元楼,距亿元楼差1000.00万元,无上年同期数据,无法估算达到年限", 0},
		{"top", 12000, 10000, "为亿元楼,同比增长20.0%", 0},
		// 300万 +50%: 450 < 500 ≤ 675: 2 years.
		{"below the tiers", 300, 200, "距准千万元楼差200.00万元,按当前增速50.0%约2年可达", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := taxRow("GG-001", 1000, tc.wan, tc.prior)
			if tc.wan < 0 {
				r.Tax, r.Prior = 976431*money.Yuan*100, ptr(838143*money.Yuan*100)
				r.Place = DefaultTierRules().PlaceOf(r.Tax)
			}
			o := outlook(r)
			if o.Sentence != tc.want || o.Years != tc.years {
				t.Errorf("%q, %d years; want %q, %d", o.Sentence, o.Years, tc.want, tc.years)
			}
		})
	}
}

func TestNamesBuilding(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"高港科技大厦", true},
		{" 高港 科技大厦 ", true},   // white space does not count
		{"高港科技大厦A座", true},    // contains the name, both ≥ 4 characters
		{"科技大厦", true},        // 4 characters, within the name
		{"大厦", false},         // within the name, but 2 characters
		{"科技大", false},        // 3 characters
		{"新城科技大厦", false},     // neither contains the other
		{"", false},           // no address
		{"泰州市高港科技大厦", true},   // contains the name
		{"高港科技大厦东楼12层", true}, // contains the name
	} {
		if got := namesBuilding(tc.addr, "高港科技大厦"); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.addr, got, tc.want)
		}
	}
	if namesBuilding("大厦", "大厦") != true || namesBuilding("A", "") {
		t.Error("equal short names should match, and an empty name never")
	}
}

// diagnosed is 高港科技大厦 (GG-001 of district), 10,000 m² gross and 1,000
// m² for rent, on 2026-06-30:
//
//	101 (200 m²) 甲, registered and present
//	102 (300 m²) 乙 150 m², registered only (虚拟注册); a lead 某咨询公司 100 m², registered only
//	201 (300 m²) 丙 300 m², present only (税收不落地)
//	202 (200 m²) 丙 100 m², present only; 丁 100 m², left on 2026-03-31
//	001 (100 m², not for rent) 甲, present
//
// The directory has 甲 to 庚; 丁, 戊 (高港科技大厦A座) and 庚 (科技大厦) have
// the building in their address and no current occupancy; 己's address is
// 大厦, too short to name it. 戊 is placed in another building.
func diagnosed() (Row, []Row, *Space, map[string]Firm, map[string]bool) {
	sp := &Space{Building: "GG-001", Rooms: []Room{
		{Floor: 1, Number: "101", Area: m2(200), Rentable: true},
		{Floor: 1, Number: "102", Area: m2(300), Rentable: true},
		{Floor: 2, Number: "201", Area: m2(300), Rentable: true},
		{Floor: 2, Number: "202", Area: m2(200), Rentable: true},
		{Floor: -1, Number: "001", Area: m2(100)},
	}, Occupancies: []Occupancy{
		{Room: "101", USCC: firmA, Firm: "甲", Area: m2(200), From: "2025-01-01", Registered: true, Present: true},
		{Room: "102", USCC: firmB, Firm: "乙", Area: m2(150), From: "2025-01-01", Registered: true},
		{Room: "202", USCC: firmC, Firm: "丙", Area: m2(100), From: "2025-06-01", Present: true},
		{Room: "201", USCC: firmC, Firm: "丙", Area: m2(300), From: "2025-06-01", Present: true},
		{Room: "202", USCC: firmD, Firm: "丁", Area: m2(100), From: "2025-01-01", To: "2026-03-31", Registered: true, Present: true},
		{Room: "102", Firm: "某咨询公司", Area: m2(100), From: "2026-01-01", Registered: true},
		{Room: "001", USCC: firmA, Firm: "甲", Area: m2(100), From: "2025-01-01", Present: true},
	}}
	firms := map[string]Firm{
		firmA: {Name: "甲公司", Class: "7320", Building: "高港科技大厦", Revenue: 10 * money.YiYuan},
		firmB: {Name: "乙公司", Class: "5810"},
		firmC: {Name: "丙公司", Class: "7291", Building: "其他大厦", Revenue: money.YiYuan},
		firmD: {Name: "丁公司", Class: "7330", Building: " 高港科技大厦 ", Revenue: 2 * money.YiYuan},
		firmE: {Name: "戊公司", Class: "7340", Building: "高港科技大厦A座", Revenue: 3 * money.YiYuan},
		firmF: {Name: "己公司", Class: "7350", Building: "大厦", Revenue: 5 * money.YiYuan},
		firmG: {Name: "庚公司", Class: "6510", Building: "科技大厦"},
	}
	placed := map[string]bool{firmA: true, firmB: true, firmC: true, firmE: true}
	all := append(district(), taxRow("GG-006", 4000, 130, -1)) // the even district
	row := all[0]
	row.Building.Name, row.Building.Rentable = "高港科技大厦", m2(1000)
	row.Building.Theme = Theme{Name: "科技服务", Classes: []string{"73"}}
	row.HasSpace = true
	row.Measures = Measure(&row.Building, sp, "2026-06-30", firms)
	all[0] = row
	return row, all, sp, firms, placed
}

// directoryOf is the directory's firms as the service indexes them, and
// the firms of placed (by USCC) marked as the board marks those with a
// current occupancy.
func directoryOf(firms map[string]Firm, placed map[string]bool) (*firmIndex, placedSet) {
	ids := newFirmIDs()
	dir := indexFirms(ids, 0, firms)
	for code := range placed {
		ids.id(code)
	}
	set := make(placedSet, ids.len())
	for code, on := range placed {
		set[ids.find(code)] = on
	}
	return dir, set
}

func TestDiagnose(t *testing.T) {
	row, all, sp, firms, placed := diagnosed()
	if probs := sp.Check(); len(probs) != 0 {
		t.Fatalf("the space is wrong: %v", probs)
	}
	dir, set := directoryOf(firms, placed)
	d := Diagnose(row, all, sp, dir, set, "2026-06-30")
	want := Mismatches{
		// 乙 and the lead (no USCC: last); 丁's registration ended with its occupancy.
		Virtual: FirmList{Total: 2, Firms: []FirmLine{{USCC: firmB, Name: "乙公司", Room: "102"}, {Name: "某咨询公司", Room: "102"}}},
		// 丙 in two rooms, once.
		Elsewhere: FirmList{Total: 1, Firms: []FirmLine{{USCC: firmC, Name: "丙公司", Room: "201、202"}}},
		// 戊 (…0001), 庚 (…0003), 丁 (91321271…) by USCC; 甲 is here, 己's 大厦 too short.
		Unlisted: FirmList{Total: 3, Firms: []FirmLine{{USCC: firmE, Name: "戊公司"}, {USCC: firmG, Name: "庚公司"}, {USCC: firmD, Name: "丁公司"}}},
	}
	if diff := cmp.Diff(want, d.Mismatches); diff != "" {
		t.Errorf("mismatches (-want +got)\n%s", diff)
	}
	// Theme 73: 甲 is here; 己 (5亿) and 丁 (2亿, left) are placed nowhere;
	// 戊 (3亿) is placed elsewhere and so comes after them; 乙, 丙, 庚 are
	// outside the theme (7291 is not 73).
	if d.ThemeFit == nil {
		t.Fatal("no theme fit")
	}
	wantFit := []FitFirm{
		{USCC: firmF, Name: "己公司", Class: "7350", Revenue: 5 * money.YiYuan},
		{USCC: firmD, Name: "丁公司", Class: "7330", Revenue: 2 * money.YiYuan},
		{USCC: firmE, Name: "戊公司", Class: "7340", Revenue: 3 * money.YiYuan, Placed: true},
	}
	if diff := cmp.Diff(wantFit, d.ThemeFit.Firms); diff != "" || d.ThemeFit.Total != 3 {
		t.Errorf("theme fit of %d (-want +got)\n%s", d.ThemeFit.Total, diff)
	}
	if d.PerArea == nil || d.PerArea.Rank != 2 || d.PerArea.Count != 6 || d.Tier == nil || d.Tier.Years != 3 {
		t.Errorf("per area %+v, tier %+v", d.PerArea, d.Tier)
	}
	// Rentable occupied: 101 200 + 201 300 + 202 100 = 600 of 1,000 (乙 and the
	// lead are absent, 001 is not for rent, 丁 has left). Present: 甲 and 丙,
	// 甲 registered: 1/2. Theme: 甲 of 甲 and 丙 = 1/2; area 甲 300 of 300 + 400
	// = 3/7 = 42.857%; revenue 10 of 11 亿 = 90.909%. Tax 1,510万 against 1,000万.
	wantSentences := []string{
		"可租面积1000.00㎡,已入驻600.00㎡,入驻率60.0%,空置面积400.00㎡。",
		"按台账的入驻和退租日期,入驻率由2025年7月末的70.0%变为诊断日的60.0%,下降10.0个百分点。",
		"实际在楼企业2家,其中注册在楼1家,属地注册率50.0%。",
		"税收1510.00万元,为千万元楼,距准亿元楼差3490.00万元,按当前增速51.0%约3年可达。",
		"单位面积税收1510元/㎡,居全区第2位(共6栋),高于全区中位数(900元/㎡)。",
		"主导产业(科技服务)集聚度:企业数占50.0%,使用面积占42.9%,营业收入占90.9%;名录中另有3家同类企业不在本楼。",
		"虚拟注册(注册在楼但未实际在楼)2家,税收不落地(在楼但注册在外)1家,名录地址在本楼但台账无入驻记录3家。",
	}
	if diff := cmp.Diff(wantSentences, d.Sentences); diff != "" {
		t.Errorf("sentences (-want +got)\n%s", diff)
	}
	// 2025-07-31: 甲 200 + 丙 100 + 300 + 丁 100 present in rooms for rent
	// = 700 of 1,000 m²; 丁 leaves on 2026-03-31 (still in on that day).
	for _, want := range []TrendPoint{{Month: "2025-07", Occupied: m2(700), Vacant: m2(300), Rate: "70.0"},
		{Month: "2026-03", Occupied: m2(700), Vacant: m2(300), Rate: "70.0"},
		{Month: "2026-04", Occupied: m2(600), Vacant: m2(400), Rate: "60.0"},
		{Month: "2026-06", Occupied: m2(600), Vacant: m2(400), Rate: "60.0"}} {
		i := slices.IndexFunc(d.Trend, func(p TrendPoint) bool { return p.Month == want.Month })
		if len(d.Trend) != TrendMonths || i < 0 || d.Trend[i].Occupied != want.Occupied || d.Trend[i].Vacant != want.Vacant || d.Trend[i].Rate != want.Rate {
			t.Errorf("trend at %s: %+v", want.Month, d.Trend)
		}
	}

	// Without firms: the totals and sentences stay, the names go.
	w := d.WithoutFirms()
	if len(w.Mismatches.Virtual.Firms)+len(w.Mismatches.Elsewhere.Firms)+len(w.Mismatches.Unlisted.Firms)+len(w.ThemeFit.Firms) != 0 ||
		w.Mismatches.Unlisted.Total != 3 || w.ThemeFit.Total != 3 || len(d.ThemeFit.Firms) != 3 || !slices.Equal(w.Sentences, d.Sentences) {
		t.Errorf("without firms: %+v", w)
	}
}

// TestDiagnoseHidden: a user who may not see the tax gets no tax figure
// anywhere, and the district's figures leave the hidden row out.
func TestDiagnoseHidden(t *testing.T) {
	row, all, sp, firms, placed := diagnosed()
	row.Hidden, row.Tax, row.Prior, row.Place = true, 0, nil, Place{}
	all[0] = row
	dir, set := directoryOf(firms, placed)
	d := Diagnose(row, all, sp, dir, set, "2026-06-30")
	if d.PerArea != nil || d.Tier != nil || !d.Hidden {
		t.Errorf("tax figures of a hidden row: %+v %+v", d.PerArea, d.Tier)
	}
	if len(d.Sentences) != 6 || d.Sentences[3] != "税收数据涉及企业少于3家,不予显示。" {
		t.Errorf("sentences: %q", d.Sentences)
	}
	for _, s := range d.Sentences {
		if strings.Contains(s, "万元") || strings.Contains(s, "元/㎡") || strings.Contains(s, "亿元楼") {
			t.Errorf("a tax figure: %q", s)
		}
	}
	// Another building's rank no longer counts GG-001: 5 buildings, 250, 325,
	// 800, 1000, 2500; GG-003 (1,000) is 2nd, the median 800.
	if p := perAreaRank(all[2], all); p == nil || p.Rank != 2 || p.Count != 5 || p.Median != "800" {
		t.Errorf("GG-003 without GG-001: %+v", p)
	}
}

// TestDiagnoseBare: no space, no theme, no tax figure still says four
// things, from the directory alone for the mismatches.
func TestDiagnoseBare(t *testing.T) {
	row, _, _, firms, _ := diagnosed()
	row.Building.Theme, row.HasTax, row.Tax, row.Prior, row.HasSpace = Theme{}, false, 0, nil, false
	row.Measures = Measure(&row.Building, &Space{}, "2026-06-30", firms)
	dir, _ := directoryOf(firms, nil)
	d := Diagnose(row, []Row{row}, nil, dir, nil, "2026-06-30")
	want := []string{
		"尚未导入楼宇台账,可租面积1000.00㎡的入驻情况不明。",
		"台账中暂无实际在楼企业,属地注册率无法计算。",
		"暂无本楼税收数据。",
		"名录地址在本楼的企业4家,均无台账入驻记录。", // 甲, 丁, 戊, 庚
	}
	if diff := cmp.Diff(want, d.Sentences); diff != "" {
		t.Errorf("sentences (-want +got)\n%s", diff)
	}
	if d.ThemeFit != nil || d.PerArea != nil || d.Tier != nil || d.Mismatches.Virtual.Total != 0 {
		t.Errorf("diagnosis: %+v", d)
	}
}

func TestThemeFitCap(t *testing.T) {
	firms := map[string]Firm{}
	placed := map[string]bool{}
	for i := range 25 {
		code := fmt.Sprintf("9132000000000%05d", i)
		firms[code] = Firm{Name: code, Class: "7320", Revenue: money.Fen(i%5) * money.WanYuan}
		placed[code] = i < 10 // 0-9 placed elsewhere
	}
	dir, set := directoryOf(firms, placed)
	tf := themeFit(Theme{Name: "科技服务", Classes: []string{"73"}}, nil, dir, map[string]*tenant{"9132000000000" + "00024": {}}, set)
	// 24 fit (the 25th is in the building): 10-23 unplaced (14) first, then 6 of
	// the placed. Unplaced by revenue: 14 and 19 (4万), 13, 18, 23 (3万), ...
	if tf.Total != 24 || len(tf.Firms) != 20 {
		t.Fatalf("%d of %d", len(tf.Firms), tf.Total)
	}
	if tf.Firms[0].USCC != "913200000000000014" || tf.Firms[1].USCC != "913200000000000019" || tf.Firms[13].Placed || !tf.Firms[14].Placed {
		t.Errorf("order: %+v", tf.Firms)
	}
	// The placed: 4 and 9 (4万), 3 and 8 (3万), 2 and 7 (2万).
	if got := []string{tf.Firms[14].USCC, tf.Firms[19].USCC}; got[0] != "913200000000000004" || got[1] != "913200000000000007" {
		t.Errorf("placed: %v", got)
	}
}

func TestMismatchCap(t *testing.T) {
	sp := &Space{Rooms: []Room{{Number: "101", Area: m2(1000), Rentable: true}}}
	for i := range 250 {
		sp.Occupancies = append(sp.Occupancies, Occupancy{Room: "101", USCC: fmt.Sprintf("U%03d", 249-i), Firm: "某", Area: 1, From: "2026-01-01", Registered: true})
	}
	dir, _ := directoryOf(nil, nil)
	m := mismatches(&Building{Name: "某楼"}, dir, currentFirms(sp, "2026-06-30"))
	if m.Virtual.Total != 250 || len(m.Virtual.Firms) != 200 || m.Virtual.Firms[0].USCC != "U000" || m.Virtual.Firms[199].USCC != "U199" {
		t.Errorf("%d of %d, %v … %v", len(m.Virtual.Firms), m.Virtual.Total, m.Virtual.Firms[0], m.Virtual.Firms[len(m.Virtual.Firms)-1])
	}
}

// TestRank: five rows, given out of code order.
//
//	code    tax   gross  元/㎡  prior  growth  occupancy  registration
//	GG-003  300万 10,000  300   200万  +50%    1/2        2/4
//	GG-001  300万 20,000  150   300万    0%    3/4        2/2
//	GG-002  100万  5,000  200   —      —       —          — (no firms)
//	GG-005  hidden 1,000  —     —      —       1/2        2/4
//	GG-004  no tax 1,000  —     —      —       1/1        0/1
func TestRank(t *testing.T) {
	row := func(code string, gross, wan, prior int64, occ *big.Rat, firms, reg int) Row {
		r := taxRow(code, gross, wan, prior)
		r.Measures = Measures{Occupancy: occ, Firms: firms, Registered: reg}
		return r
	}
	hidden := row("GG-005", 1000, 0, -1, big.NewRat(1, 2), 4, 2)
	hidden.Hidden = true
	noTax := row("GG-004", 1000, 0, -1, big.NewRat(1, 1), 1, 0)
	noTax.HasTax = false
	rows := []Row{
		row("GG-003", 10000, 300, 200, big.NewRat(1, 2), 4, 2),
		row("GG-001", 20000, 300, 300, big.NewRat(3, 4), 2, 2),
		row("GG-002", 5000, 100, -1, nil, 0, 0),
		hidden, noTax,
	}
	codes := func(rs []Row) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Building.Code)
		}
		return out
	}
	before := codes(rows)
	for _, tc := range []struct {
		by   string
		want []string
	}{
		{RankTax, []string{"GG-001", "GG-003", "GG-002", "GG-004", "GG-005"}},          // 300 = 300 by code; no figure last
		{RankPerArea, []string{"GG-003", "GG-002", "GG-001", "GG-004", "GG-005"}},      // 300, 200, 150
		{RankOccupancy, []string{"GG-004", "GG-001", "GG-003", "GG-005", "GG-002"}},    // 1, 3/4, 1/2 = 1/2, nil
		{RankGrowth, []string{"GG-003", "GG-001", "GG-002", "GG-004", "GG-005"}},       // 50%, 0%
		{RankRegistration, []string{"GG-001", "GG-003", "GG-005", "GG-004", "GG-002"}}, // 1, 1/2 = 1/2, 0, nil
		{"unknown", []string{"GG-001", "GG-002", "GG-003", "GG-004", "GG-005"}},
	} {
		t.Run(tc.by, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, codes(Rank(rows, tc.by))); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(before, codes(rows)); diff != "" {
		t.Errorf("the input was reordered:\n%s", diff)
	}
}

// TestCandidates: the buildings whose next tier is 亿元楼 (准亿元楼,
// 5,000万 to 1亿), by growth, then gap.
//
//	code    tax    prior  growth  gap    years
//	GG-105  9000万 6000万 +50%    1000万 1 (13500)
//	GG-102  6000万 4000万 +50%    4000万 2 (9000, 13500)
//	GG-101  9450万 9000万  +5%     550万 2 (9922.5, 10418.6)
//	GG-104  7000万 8000万 −12.5%  3000万 0
//	GG-109  9900万 —      —        100万 0
//	GG-103  8000万 —      —       2000万 0
//
// GG-106 (2,000万, next 准亿元楼), GG-108 (1.2亿, at the top) and the
// hidden GG-107 are not candidates.
func TestCandidates(t *testing.T) {
	hidden := taxRow("GG-107", 1000, 9500, 9000)
	hidden.Hidden, hidden.Tax, hidden.Prior, hidden.Place = true, 0, nil, Place{}
	rows := []Row{
		taxRow("GG-101", 1000, 9450, 9000), taxRow("GG-102", 1000, 6000, 4000), taxRow("GG-103", 1000, 8000, -1),
		taxRow("GG-104", 1000, 7000, 8000), taxRow("GG-105", 1000, 9000, 6000), taxRow("GG-106", 1000, 2000, 1000),
		hidden, taxRow("GG-108", 1000, 12000, 10000), taxRow("GG-109", 1000, 9900, -1),
	}
	wan := money.WanYuan
	type line struct {
		Code   string
		Growth string
		Gap    money.Fen
		Years  int
	}
	var got []line
	for _, c := range Candidates(rows, DefaultTierRules(), "亿元楼") {
		got = append(got, line{c.Row.Building.Code, money.Percent(c.Growth, 1), c.Gap, c.YearsToTier})
	}
	want := []line{
		{"GG-105", "50.0", 1000 * wan, 1},
		{"GG-102", "50.0", 4000 * wan, 2},
		{"GG-101", "5.0", 550 * wan, 2},
		{"GG-104", "-12.5", 3000 * wan, 0},
		{"GG-109", "—", 100 * wan, 0},
		{"GG-103", "—", 2000 * wan, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// 千万元楼 candidates: 准千万元楼 rows; there are none. An unknown tier has none.
	if c := Candidates(rows, DefaultTierRules(), "千万元楼"); len(c) != 0 {
		t.Errorf("千万元楼: %d", len(c))
	}
	if c := Candidates(rows, DefaultTierRules(), "十亿元楼"); c != nil {
		t.Errorf("unknown tier: %d", len(c))
	}
	// 准亿元楼 candidates: GG-106, 2000万 +100%: 4000 < 5000 ≤ 8000, 2 years.
	if c := Candidates(rows, DefaultTierRules(), "准亿元楼"); len(c) != 1 || c[0].Row.Building.Code != "GG-106" || c[0].YearsToTier != 2 {
		t.Errorf("准亿元楼: %+v", c)
	}
}
