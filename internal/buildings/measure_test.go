package buildings

import (
	"math/big"
	"testing"

	"svcplan/internal/money"
)

const (
	firmA = "91350100M000100Y43"
	firmB = "91321203MA10012200"
	firmC = "913212710747283018"
	firmD = "91321271MA1ME3WD3Q"
)

func m2(n int64) Area { return Area(n * 100) }

// sample is a building of 1,000 m² for rent: rooms 101 (200 m²), 102
// (300), 201 (500) and the management's 001 (100, not for rent).
func sample() (*Building, *Space) {
	b := &Building{Code: "GG-001", Gross: m2(1200), Rentable: m2(1000), Theme: Theme{Name: "科技服务", Classes: []string{"73"}}}
	sp := &Space{Building: "GG-001", Rooms: []Room{
		{Floor: 1, Number: "101", Area: m2(200), Rentable: true},
		{Floor: 1, Number: "102", Area: m2(300), Rentable: true},
		{Floor: 2, Number: "201", Area: m2(500), Rentable: true},
		{Floor: -1, Number: "001", Area: m2(100)},
	}, Occupancies: []Occupancy{
		{Room: "101", USCC: firmA, Firm: "甲", Area: m2(200), From: "2025-01-01", Registered: true, Present: true},
		{Room: "102", USCC: firmB, Firm: "乙", Area: m2(150), From: "2025-01-01", Registered: true}, // 虚拟注册
		{Room: "201", USCC: firmC, Firm: "丙", Area: m2(250), From: "2025-06-01", Present: true},    // 税收不落地
		{Room: "201", Firm: "某咨询公司", Area: m2(100), From: "2026-01-01", Registered: true, Present: true},
		{Room: "102", USCC: firmD, Firm: "丁", Area: m2(100), From: "2025-01-01", To: "2026-03-31", Registered: true, Present: true},
		{Room: "001", USCC: firmA, Firm: "甲", Area: m2(100), From: "2025-01-01", Present: true},
	}}
	return b, sp
}

// TestMeasure checks the rates on the sample by hand: on 2026-06-30 丁 has
// left; 甲 (two rooms), 丙 and the lead are present, 乙 only registered.
func TestMeasure(t *testing.T) {
	b, sp := sample()
	if probs := sp.Check(); len(probs) != 0 {
		t.Fatalf("the sample is wrong: %v", probs)
	}
	firms := map[string]Firm{firmA: {Class: "7320", Revenue: 10 * money.YiYuan}, firmB: {Class: "5810"}, firmC: {Class: "7291", Revenue: money.YiYuan}}
	m := Measure(b, sp, "2026-06-30", firms)
	// Occupied: 101 200 + 201 250 + 100 = 550 of 1,000 (乙 absent, 001 not for rent).
	if m.Occupied != m2(550) || m.Vacant != m2(450) || m.Occupancy.Cmp(big.NewRat(55, 100)) != 0 {
		t.Errorf("occupancy: %v %v %v", m.Occupied, m.Vacant, m.Occupancy)
	}
	if m.Firms != 3 || m.Registered != 2 || m.Virtual != 1 || m.Elsewhere != 1 || m.Leads != 1 {
		t.Errorf("firms: %+v", m)
	}
	if r := m.RegistrationRate(); r.Cmp(big.NewRat(2, 3)) != 0 {
		t.Errorf("属地注册率 %v, want 2/3", r)
	}
	// Theme 73: 甲 alone; its area 300 of 300 + 250 + 100; its revenue 10 of 11 亿元.
	c := m.Theme
	if c.Firms.Cmp(big.NewRat(1, 3)) != 0 || c.Area.Cmp(big.NewRat(300, 650)) != 0 || c.Revenue.Cmp(big.NewRat(10, 11)) != 0 {
		t.Errorf("集聚度: %v %v %v", c.Firms, c.Area, c.Revenue)
	}
	// Before 丁 left (2026-02-01): 102 also holds 丁's 100 m².
	if m := Measure(b, sp, "2026-02-01", firms); m.Occupied != m2(650) || m.Firms != 4 {
		t.Errorf("on 2026-02-01: %v %d", m.Occupied, m.Firms)
	}
}

func TestSpaceCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Space)
		want string
	}{
		{"overfull", func(sp *Space) {
			sp.Occupancies = append(sp.Occupancies, Occupancy{Room: "101", Firm: "戊", Area: m2(1), From: "2026-05-01", Present: true})
		}, "房间101在2026-05-01同时入驻甲、戊,使用面积合计201.00平方米,大于房间面积200.00平方米"},
		{"above the room", func(sp *Space) { sp.Occupancies[0].Area = m2(201) }, "甲在101的使用面积201.00平方米大于房间面积200.00平方米"},
		{"unknown room", func(sp *Space) { sp.Occupancies[0].Room = "999" }, "房号999不在本楼的房间中"},
		{"room twice", func(sp *Space) { sp.Rooms = append(sp.Rooms, Room{Number: "101", Area: m2(5)}) }, "房号101重复"},
		{"backwards", func(sp *Space) { sp.Occupancies[0].To = "2024-12-31" }, "甲的迁出日期2024-12-31早于入驻日期2025-01-01"},
		{"zero area", func(sp *Space) { sp.Rooms[0].Area = 0 }, "房间101的面积应大于0"},
	} {
		_, sp := sample()
		tc.edit(sp)
		probs := sp.Check()
		if len(probs) == 0 || probs[0].Msg != tc.want {
			t.Errorf("%s: %+v, want %q", tc.name, probs, tc.want)
		}
	}
	// Occupancies of one room that follow each other do not overlap.
	_, sp := sample()
	sp.Occupancies = append(sp.Occupancies, Occupancy{Room: "102", Firm: "己", Area: m2(150), From: "2026-04-01", Present: true})
	if probs := sp.Check(); len(probs) != 0 {
		t.Errorf("a tenant after 丁 left: %v", probs)
	}
}

func TestPlaceOf(t *testing.T) {
	r := DefaultTierRules()
	wan := money.WanYuan
	for _, tc := range []struct {
		tax  money.Fen
		want Place
	}{
		{12000 * wan, Place{Tier: "亿元楼"}},
		{10000 * wan, Place{Tier: "亿元楼"}},
		{9999 * wan, Place{Tier: "准亿元楼", Next: "亿元楼", Gap: 1 * wan}},
		{5000 * wan, Place{Tier: "准亿元楼", Next: "亿元楼", Gap: 5000 * wan}},
		{1200 * wan, Place{Tier: "千万元楼", Next: "准亿元楼", Gap: 3800 * wan}},
		{600 * wan, Place{Tier: "准千万元楼", Next: "千万元楼", Gap: 400 * wan}},
		{300 * wan, Place{Next: "准千万元楼", Gap: 200 * wan}},
		{0, Place{Next: "准千万元楼", Gap: 500 * wan}},
	} {
		if got := r.PlaceOf(tc.tax); got != tc.want {
			t.Errorf("%s万元: %+v, want %+v", tc.tax.Exact(wan), got, tc.want)
		}
	}
	bad := TierRules{Caliber: "税收", Tiers: []Tier{{Name: "亿元楼", Min: 100}, {Name: "千万元楼", Min: 100}}}
	if probs := bad.Check(); len(probs) != 2 {
		t.Errorf("bad rules: %v", probs)
	}
}

// TestAttribute: 甲 is registered in GG-001 and 丙 only works there; GG-002
// has the bureau's own figure, which wins over its firm 乙's.
func TestAttribute(t *testing.T) {
	wan := money.WanYuan
	spaces := map[string]*Space{
		"GG-001": {Occupancies: []Occupancy{{USCC: firmA, From: "2020-01-01", Registered: true, Present: true}, {USCC: firmC, From: "2020-01-01", Present: true}}},
		"GG-002": {Occupancies: []Occupancy{{USCC: firmB, From: "2020-01-01", Registered: true, Present: true}}},
	}
	tax := func(uscc, building, period string, amount money.Fen) TaxFigure {
		return TaxFigure{USCC: uscc, Building: building, Period: period, Caliber: CaliberFull, Amount: amount}
	}
	figs := []TaxFigure{
		tax(firmA, "", "2026-01", 100*wan), tax(firmA, "", "2026-02", 200*wan), tax(firmA, "", "2026-03", 300*wan),
		tax(firmC, "", "2026-01", 50*wan), tax("", "GG-002", "2026-01", 1000*wan), tax(firmB, "", "2026-01", 20*wan),
		{USCC: firmA, Period: "2026-01", Caliber: CaliberDistrict, Amount: 7 * wan}, // another caliber
		tax(firmA, "", "2025", 5000*wan), tax(firmA, "", "2025-01", 80*wan), tax(firmA, "", "2025-02", 100*wan),
		tax(firmA, "", "2025-03", 120*wan), tax(firmA, "", "2025-04", 999*wan),
		tax(firmA, "", "2024-01", 1*wan), // two years before: not held
	}
	ids := newFirmIDs()
	list := []Building{{Code: "GG-001"}, {Code: "GG-002"}}
	index := map[string]*spaceIndex{}
	for code, sp := range spaces {
		index[code] = indexSpace(sp, ids)
	}
	t2026 := newTaxes(ids, CaliberFull, 2026, figs)
	home, placed := homesOf(list, index, "2026-06-30", ids.len())
	if !placed.has(ids.find(firmC)) || home[ids.find(firmC)] != -1 || home[ids.find(firmA)] != 0 || home[ids.find(firmB)] != 1 {
		t.Errorf("homes %v, placed %v", home, placed)
	}
	at := func(tx *taxes, i int) map[string]buildingTax {
		out, _ := attribute(tx, list, home)
		return map[string]buildingTax{"GG-001": out[i][0], "GG-002": out[i][1]}
	}
	if t2026.span != 3 {
		t.Errorf("span 2026: %d", t2026.span)
	}
	cur := at(t2026, 1)
	if _, unplaced := attribute(t2026, list, home); cur["GG-001"] != (buildingTax{600 * wan, 1, true}) || cur["GG-002"] != (buildingTax{1000 * wan, 0, true}) || unplaced != 1 {
		t.Errorf("2026: %+v, %d unplaced", cur, unplaced)
	}
	// The same months a year earlier: 80 + 100 + 120, not the yearly 5,000.
	if prior := at(t2026, 0); prior["GG-001"] != (buildingTax{300 * wan, 1, true}) {
		t.Errorf("2025 1-3月: %+v", prior)
	}
	// The whole year: the yearly figure.
	t2025 := newTaxes(ids, CaliberFull, 2025, figs)
	if t2025.span != 12 {
		t.Errorf("span 2025: %d", t2025.span)
	}
	if year := at(t2025, 1); year["GG-001"] != (buildingTax{5000 * wan, 1, true}) {
		t.Errorf("2025: %+v", year)
	}
	if prior := at(t2025, 0); prior["GG-001"] != (buildingTax{1 * wan, 1, true}) {
		t.Errorf("2024 (a month of it): %+v", prior)
	}
	// A correction of 甲's March and a figure of a later year: the copy
	// changes, the original does not; the later year asks for a reading.
	fixed := t2026.with([]TaxFigure{tax(firmA, "", "2026-03", 30*wan)})
	if c := at(fixed, 1); c["GG-001"] != (buildingTax{330 * wan, 1, true}) {
		t.Errorf("corrected: %+v", c)
	}
	if c := at(t2026, 1); c["GG-001"] != (buildingTax{600 * wan, 1, true}) {
		t.Errorf("the original changed: %+v", c)
	}
	if t2026.with([]TaxFigure{tax(firmA, "", "2027-01", wan)}) != nil {
		t.Error("a figure of 2027 kept the board's years")
	}
	// A firm's first figure, of April: the span moves for every firm (甲's
	// April of 2025 now counts in the prior) and the original stays.
	april := t2026.with([]TaxFigure{tax(firmD, "", "2026-04", wan)})
	if april.span != 4 || t2026.span != 3 {
		t.Errorf("span after April: %d (the original %d)", april.span, t2026.span)
	}
	if p := at(april, 0); p["GG-001"] != (buildingTax{1299 * wan, 1, true}) {
		t.Errorf("2025 1-4月 after April: %+v", p)
	}
	if _, unplaced := attribute(april, list, home); unplaced != 2 {
		t.Errorf("丁's April is no building's: %d unplaced", unplaced)
	}
	if ms := monthsOf(t2026, "GG-001", home, 0); len(ms) != 4 || *ms[2].Cur != 300*wan || *ms[3].Prior != 999*wan || ms[3].Cur != nil {
		t.Errorf("GG-001's months: %+v", ms)
	}
	if ms := monthsOf(t2026, "GG-002", home, 1); len(ms) != 1 || *ms[0].Cur != 1000*wan || ms[0].Prior != nil {
		t.Errorf("GG-002's months (its own figure over 乙's): %+v", ms)
	}
	r := Row{Building: Building{Gross: m2(1200)}, Tax: 600 * wan, HasTax: true, Prior: ptr(300 * wan)}
	if r.Growth() != "100.0" || r.PerArea() != "5000" {
		t.Errorf("growth %s, per m² %s", r.Growth(), r.PerArea())
	}
}

func ptr[T any](v T) *T { return &v }
