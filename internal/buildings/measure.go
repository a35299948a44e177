package buildings

import (
	"math/big"

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
	ix := indexSpace(sp, newFirmIDs())
	days, occupied := ix.onDay(day, nil)
	return ix.measure(b, days, occupied, func(t tenantRef) (Firm, bool) {
		f, ok := firms[t.uscc]
		return f, ok
	})
}

// spaceIndex is a space made ready for the board, which works out every
// building's measures again each day: its occupancies with their rooms
// looked up and their firms numbered (tenant), once per space.
type spaceIndex struct {
	occs    []occ
	tenants []tenantRef // the space's firms, each once: by USCC, or by name without one
}

type occ struct {
	from, to            string
	tenant              int32
	area                Area
	rentable            bool // its room is for rent
	present, registered bool
}

// tenantRef is a firm of a space: its USCC ("" for one known by name)
// and its number (firmIDs; -1 without a USCC).
type tenantRef struct {
	uscc string
	id   int32
}

// indexSpace makes a space ready for the board, numbering its firms.
func indexSpace(sp *Space, ids *firmIDs) *spaceIndex {
	ix := &spaceIndex{occs: make([]occ, len(sp.Occupancies))}
	rentable := make(map[string]bool, len(sp.Rooms))
	for _, r := range sp.Rooms {
		rentable[r.Number] = r.Rentable
	}
	tenant := map[string]int32{}
	for i, o := range sp.Occupancies {
		key := o.USCC
		if key == "" {
			key = "name:" + o.Firm
		}
		n, ok := tenant[key]
		if !ok {
			n = int32(len(ix.tenants))
			tenant[key] = n
			ix.tenants = append(ix.tenants, tenantRef{uscc: o.USCC, id: ids.id(o.USCC)})
		}
		ix.occs[i] = occ{from: o.From, to: o.To, tenant: n, area: o.Area, rentable: rentable[o.Room],
			present: o.Present, registered: o.Registered}
	}
	return ix
}

// tenantDay is a tenant's standing on a day: whether it is in the
// building and registered there by some current occupancy, and the area
// it takes (present occupancies only).
type tenantDay struct {
	current, present, registered bool
	area                         Area
}

// onDay is each tenant's standing on day (in buf, reused when large
// enough) and the rentable area taken on it: a firm registered here but
// absent fills no space.
func (ix *spaceIndex) onDay(day string, buf []tenantDay) (days []tenantDay, occupied Area) {
	days = buf[:0]
	if cap(days) < len(ix.tenants) {
		days = make([]tenantDay, 0, len(ix.tenants))
	}
	days = days[:len(ix.tenants)]
	clear(days)
	for i := range ix.occs {
		o := &ix.occs[i]
		if o.from > day || o.to != "" && day > o.to { // Occupancy.Current
			continue
		}
		t := &days[o.tenant]
		t.current = true
		t.present = t.present || o.present
		t.registered = t.registered || o.registered
		if o.present {
			t.area += o.area
			if o.rentable {
				occupied += o.area
			}
		}
	}
	return days, occupied
}

// measure works out the measures from a day's standing (onDay); firm
// gives a tenant's firm of the directory.
func (ix *spaceIndex) measure(b *Building, days []tenantDay, occupied Area, firm func(tenantRef) (Firm, bool)) Measures {
	m := Measures{Rentable: b.Rentable}
	m.Occupied = min(occupied, m.Rentable)
	m.Vacant = m.Rentable - m.Occupied
	if m.Rentable > 0 {
		m.Occupancy = big.NewRat(int64(m.Occupied), int64(m.Rentable))
	}
	var themeFirms int
	var themeArea, allArea Area
	var themeRev, allRev money.Fen
	for i, t := range days {
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
		f, known := firm(ix.tenants[i])
		if !known {
			m.Leads++
		}
		allArea += t.area
		allRev += f.Revenue
		if known && b.Theme.Has(f.Class) {
			themeFirms++
			themeArea += t.area
			themeRev += f.Revenue
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
