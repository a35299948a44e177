package buildings

import (
	"math/big"
	"sort"

	"svcplan/internal/money"
)

// Firm is what the measures need of a firm of the directory.
type Firm struct {
	Name     string
	Class    string    // GB/T 4754 class
	Building string    // the building the directory's address names, "" when none
	Revenue  money.Fen // 营业收入 (1-本月 cumulative) of its form's latest period, 0 when it does not report
}

// Measures are a building's figures on a day.
type Measures struct {
	Rentable  Area     `json:"rentable_area"`
	Occupied  Area     `json:"occupied_area"` // of rentable rooms, on the day
	Vacant    Area     `json:"vacant_area"`
	Occupancy *big.Rat `json:"-"` // 入驻率: occupied ÷ rentable; nil without rentable area
	// Firms are the firms in the building on the day (实际在楼), each
	// counted once; Registered of them are registered here.
	Firms      int `json:"firms"`
	Registered int `json:"registered"`
	// Virtual are registered here but not present (虚拟注册); Elsewhere
	// are present but registered elsewhere (税收不落地).
	Virtual   int `json:"virtual"`
	Elsewhere int `json:"elsewhere"`
	Leads     int `json:"leads"` // present firms without a USCC in the directory
	// Theme is the 主导产业集聚度 of the building's theme, when it has one.
	Theme *Concentration `json:"theme,omitempty"`
}

// Concentration is the theme's share of the present firms by count, by
// their occupied area and by their revenue; nil shares when the base is 0.
type Concentration struct {
	Firms, Area, Revenue *big.Rat `json:"-"`
}

// RegistrationRate is 属地注册率: present firms registered here ÷ present
// firms; nil without firms.
func (m *Measures) RegistrationRate() *big.Rat {
	if m.Firms == 0 {
		return nil
	}
	return big.NewRat(int64(m.Registered), int64(m.Firms))
}

// Measure works out a building's measures on day (YYYY-MM-DD) from a
// space; firms holds the directory's firms by USCC. A firm in several
// rooms counts once; it is registered here when any of its occupancies
// says so.
func Measure(b *Building, sp *Space, day string, firms map[string]Firm) Measures {
	m := Measures{Rentable: b.Rentable}
	rentable := map[string]bool{}
	for _, r := range sp.Rooms {
		rentable[r.Number] = r.Rentable
	}
	type tenant struct {
		present, registered bool
		area                Area
		firm                Firm
		known               bool
	}
	tenants := map[string]*tenant{}
	var order []string
	for _, o := range sp.Occupancies {
		if !o.Current(day) {
			continue
		}
		key := o.USCC
		if key == "" {
			key = "name:" + o.Firm
		}
		t := tenants[key]
		if t == nil {
			t = &tenant{}
			t.firm, t.known = firms[o.USCC]
			tenants[key] = t
			order = append(order, key)
		}
		t.present = t.present || o.Present
		t.registered = t.registered || o.Registered
		if o.Present {
			t.area += o.Area
		}
		if rentable[o.Room] && o.Present { // a firm registered here but absent fills no space
			m.Occupied += o.Area
		}
	}
	m.Occupied = min(m.Occupied, m.Rentable)
	m.Vacant = m.Rentable - m.Occupied
	if m.Rentable > 0 {
		m.Occupancy = big.NewRat(int64(m.Occupied), int64(m.Rentable))
	}
	sort.Strings(order)
	var themeFirms int
	var themeArea, allArea Area
	var themeRev, allRev money.Fen
	for _, key := range order {
		t := tenants[key]
		switch {
		case t.present && t.registered:
			m.Firms++
			m.Registered++
		case t.present:
			m.Firms++
			m.Elsewhere++
		case t.registered:
			m.Virtual++
		}
		if !t.present {
			continue
		}
		if !t.known {
			m.Leads++
		}
		allArea += t.area
		allRev += t.firm.Revenue
		if t.known && b.Theme.Has(t.firm.Class) {
			themeFirms++
			themeArea += t.area
			themeRev += t.firm.Revenue
		}
	}
	if len(b.Theme.Classes) > 0 {
		c := &Concentration{}
		if m.Firms > 0 {
			c.Firms = big.NewRat(int64(themeFirms), int64(m.Firms))
		}
		if allArea > 0 {
			c.Area = big.NewRat(int64(themeArea), int64(allArea))
		}
		if allRev > 0 {
			c.Revenue = big.NewRat(int64(themeRev), int64(allRev))
		}
		m.Theme = c
	}
	return m
}

// Tier is a level of 楼宇 by its year's tax: 亿元楼 and the like.
type Tier struct {
	Name string    `json:"name"`
	Min  money.Fen `json:"min_fen"` // the year's tax at least this
}

// TierRules are the tiers and the caliber they are measured on, kept as
// a versioned rule the office edits.
type TierRules struct {
	Caliber Caliber `json:"caliber"`
	Tiers   []Tier  `json:"tiers"` // highest first
}

// DefaultTierRules are the tiers most districts use, on 全口径.
func DefaultTierRules() TierRules {
	return TierRules{Caliber: CaliberFull, Tiers: []Tier{
		{Name: "亿元楼", Min: 100_000_000 * money.Yuan},
		{Name: "准亿元楼", Min: 50_000_000 * money.Yuan},
		{Name: "千万元楼", Min: 10_000_000 * money.Yuan},
		{Name: "准千万元楼", Min: 5_000_000 * money.Yuan},
	}}
}

// Place is where a year's tax puts a building: its tier ("" below the
// lowest) and the next tier up with the amount still missing.
type Place struct {
	Tier string    `json:"tier,omitempty"`
	Next string    `json:"next,omitempty"`
	Gap  money.Fen `json:"gap_fen,omitempty"`
}

// PlaceOf places a year's tax among the tiers.
func (r TierRules) PlaceOf(tax money.Fen) Place {
	var p Place
	for i, t := range r.Tiers {
		if tax >= t.Min {
			p.Tier = t.Name
			if i > 0 {
				p.Next, p.Gap = r.Tiers[i-1].Name, r.Tiers[i-1].Min-tax
			}
			return p
		}
	}
	if n := len(r.Tiers); n > 0 {
		p.Next, p.Gap = r.Tiers[n-1].Name, r.Tiers[n-1].Min-tax
	}
	return p
}

// Check lists what is wrong with tier rules, in Chinese.
func (r TierRules) Check() []string {
	var probs []string
	if _, ok := ParseCaliber(string(r.Caliber)); !ok || r.Caliber != CaliberFull && r.Caliber != CaliberLocal && r.Caliber != CaliberDistrict {
		probs = append(probs, "税收口径应为全口径、地方一般公共预算收入或区级留成")
	}
	if len(r.Tiers) == 0 {
		probs = append(probs, "至少应有一个楼宇层级")
	}
	for i, t := range r.Tiers {
		switch {
		case t.Name == "":
			probs = append(probs, "楼宇层级须有名称")
		case t.Min <= 0:
			probs = append(probs, t.Name+"的税收门槛应大于0")
		case i > 0 && t.Min >= r.Tiers[i-1].Min:
			probs = append(probs, t.Name+"的税收门槛应低于"+r.Tiers[i-1].Name)
		}
	}
	return probs
}
