package buildings

import (
	"context"
	"math/big"
	"time"

	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
)

// Board is every building with its measures today and its tax of a year,
// the district's tier counts, as one user may see them.
type Board struct {
	data  *boardData // what the board was worked out from, for a building's page
	Year  int        `json:"year"`
	Span  int        `json:"months"` // the year's tax covers months 1..Span (12: the whole year)
	Rules TierRules  `json:"rules"`
	Rows  []Row      `json:"buildings"`
	// TierCounts are the buildings per tier, in the rules' order.
	TierCounts []TierCount `json:"tier_counts"`
	// Unplaced are the firm figures of the year no building's space
	// claims (the firm is registered in no building): counted, not lost.
	Unplaced int `json:"unplaced_firm_figures"`
}

// boardData is what a board was worked out from, kept with it (read only)
// so that a building's page needs no further reading.
type boardData struct {
	state  *state
	dir    *firmIndex
	day    string
	home   []int32 // by firm number: the index of the building it is registered in, -1 none (homesOf)
	placed placedSet
}

// TierCount is a tier and how many buildings reach it.
type TierCount struct {
	Tier string `json:"tier"`
	N    int    `json:"n"`
}

// Row is a building on the board.
type Row struct {
	Building Building `json:"building"`
	Measures Measures `json:"measures"`
	HasSpace bool     `json:"has_space"`
	// Tax is the year's tax on the rules' caliber (through Span), from
	// Firms firms' figures (0: the building's own figure); Prior the same
	// months a year earlier when comparable.
	Tax    money.Fen  `json:"tax_fen"`
	HasTax bool       `json:"has_tax"`
	Firms  int        `json:"tax_firms"`
	Prior  *money.Fen `json:"prior_fen,omitempty"`
	Place  Place      `json:"place"`
	// RegisteredTaxed and RegisteredUntaxed are the firms registered here
	// (注册在楼) with and without a tax figure in the year: the sweep
	// sheet's 注册有税收 and 注册无税收.
	RegisteredTaxed   int `json:"registered_taxed"`
	RegisteredUntaxed int `json:"registered_untaxed"`
	// Hidden is set for a user who may not see firms when the tax would
	// give a firm's away (too few firms, or the complement of such a
	// building); Tax, Prior and Place are then zero.
	Hidden bool `json:"hidden,omitempty"`
}

// Growth is the tax's growth on the same months a year earlier, in
// percent with one decimal, or "—".
func (r *Row) Growth() string {
	if r.Hidden || r.Prior == nil {
		return money.NoValue
	}
	g, _ := money.Growth(int64(r.Tax), int64(*r.Prior))
	return money.Percent(g, 1)
}

// PerArea is 单位面积税收 in 元/㎡ with no decimals, or "—".
func (r *Row) PerArea() string {
	if r.Hidden || !r.HasTax || r.Building.Gross <= 0 {
		return money.NoValue
	}
	// Tax is in fen and Gross in 0.01 m²: their ratio is 元/㎡ as it stands.
	return money.Decimal(big.NewRat(int64(r.Tax), int64(r.Building.Gross)), 0)
}

// Board returns the board of the latest year with tax figures, as u may
// see it.
func (s *Service) Board(ctx context.Context, u *auth.User) (*Board, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	b, err := s.fullBoard(ctx)
	if err != nil {
		return nil, err
	}
	if u.CanSeeFirms() {
		return b, nil
	}
	return b.suppressed(), nil
}

// suppressed is the board with the tax of the buildings that would give a
// firm's figure away hidden: a building whose tax is built from fewer
// than 3 firms, and so many others that the district total does not give
// such a one away by subtraction.
func (b *Board) suppressed() *Board {
	out := *b
	out.Rows = make([]Row, len(b.Rows))
	copy(out.Rows, b.Rows)
	counts := make([]int, len(out.Rows))
	for i, r := range out.Rows {
		if r.HasTax {
			counts[i] = max(r.Firms, r.Measures.Registered+r.Measures.Virtual) // a building's own figure is its registered firms'
			if counts[i] == 0 {
				counts[i] = 1
			}
		}
	}
	hide := monitor.Suppress([][]int{counts}, monitor.DefaultMinFirms)
	for i := range out.Rows {
		if hide.Cells[0][i] {
			r := &out.Rows[i]
			r.Hidden, r.Tax, r.Prior, r.Place = true, 0, nil, Place{} // a tier tells a range of the tax
		}
	}
	return &out
}

// fullBoard is the board with every figure, worked out once for the
// data's state, the directory's, the rules and the day.
func (s *Service) fullBoard(ctx context.Context) (*Board, error) {
	st, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	dir, err := s.firms(ctx)
	if err != nil {
		return nil, err
	}
	day := s.now().Format(time.DateOnly)
	s.mu.Lock()
	if b := s.board; b != nil && b.data.state == st && b.data.dir == dir && b.data.day == day {
		s.mu.Unlock()
		return b, nil
	}
	s.mu.Unlock()
	b := compute(st, dir, s.Rules(), day)
	s.mu.Lock()
	s.board = b
	s.mu.Unlock()
	return b, nil
}

// buildingTax is a building's tax of a year.
type buildingTax struct {
	amount money.Fen
	firms  int  // firm figures summed; 0 for the building's own figure
	ok     bool // there is a figure
}

// attribute works out the tax of each building of list (index for
// index) at [i] of the figures (0 the year before, 1 the year) through
// the year's span: the building's own figure when the bureau gives one,
// else the sum of the figures of the firms registered in it (home,
// 注册在楼). It also counts the firm figures of the year no building
// claims.
func attribute(t *taxes, list []Building, home []int32) (out [2][]buildingTax, unplaced int) {
	for i := range out {
		out[i] = make([]buildingTax, len(list))
	}
	for id, tot := range t.total {
		h := int32(-1)
		if id < len(home) {
			h = home[id]
		}
		if h < 0 {
			if tot.ok[1] {
				unplaced++
			}
			continue
		}
		for i := range out {
			if tot.ok[i] {
				s := &out[i][h]
				s.amount, s.firms, s.ok = s.amount+tot.sum[i], s.firms+1, true
			}
		}
	}
	for b := range list {
		if p := t.own[list[b].Code]; p != nil {
			for i := range out {
				if a, ok := p[i].through(t.span); ok {
					out[i][b] = buildingTax{amount: a, ok: true}
				}
			}
		}
	}
	return out, unplaced
}

// placedSet marks by number (firmIDs) the firms with a current occupancy
// in some building.
type placedSet []bool

func (p placedSet) has(id int32) bool { return id >= 0 && int(id) < len(p) && p[id] }

// homesOf gives each firm registered (注册在楼) in a building of list on
// day that building's index (-1 for the others); a firm registered in
// several goes to the first by code (list is in code order). It also
// marks the firms in some building on day. n is how many firms are
// numbered.
func homesOf(list []Building, index map[string]*spaceIndex, day string, n int) (home []int32, placed placedSet) {
	home, placed = make([]int32, n), make(placedSet, n)
	for i := range home {
		home[i] = -1
	}
	for b := range list {
		ix := index[list[b].Code]
		if ix == nil {
			continue
		}
		for i := range ix.occs {
			o := &ix.occs[i]
			id := ix.tenants[o.tenant].id
			if id < 0 || o.from > day || o.to != "" && day > o.to {
				continue
			}
			placed[id] = true
			if o.registered && home[id] < 0 {
				home[id] = int32(b)
			}
		}
	}
	return home, placed
}

// registeredTaxed counts the firms registered in a space on a day
// (onDay) with and without a tax figure of the board's year (a firm
// without a USCC has none).
func registeredTaxed(ix *spaceIndex, days []tenantDay, t *taxes) (with, without int) {
	for i, d := range days {
		if !d.registered {
			continue
		}
		if t.totalOf(ix.tenants[i].id).figured {
			with++
		} else {
			without++
		}
	}
	return with, without
}

// compute works out the board from the data as read: each building's
// measures on day, its tax of the figures' year on the rules' caliber and
// the same months a year earlier, its tier, and the tier counts.
func compute(st *state, dir *firmIndex, rules TierRules, day string) *Board {
	t := st.tax
	b := &Board{Year: t.year, Span: t.span, Rules: rules}
	home, placed := homesOf(st.list, st.index, day, st.ids.len())
	tax, unplaced := attribute(t, st.list, home)
	b.Unplaced = unplaced
	counts := map[string]int{}
	b.Rows = make([]Row, 0, len(st.list))
	var days []tenantDay
	firm := func(t tenantRef) (Firm, bool) { return dir.byID(t.id) }
	for i, bl := range st.list {
		r := Row{Building: bl}
		ix := st.index[bl.Code]
		if r.HasSpace = ix != nil; !r.HasSpace {
			ix = &spaceIndex{}
		}
		var occupied Area
		days, occupied = ix.onDay(day, days)
		r.Measures = ix.measure(&bl, days, occupied, firm)
		r.RegisteredTaxed, r.RegisteredUntaxed = registeredTaxed(ix, days, t)
		if c := tax[1][i]; c.ok {
			r.Tax, r.HasTax, r.Firms = c.amount, true, c.firms
			if p := tax[0][i]; p.ok {
				r.Prior = &p.amount
			}
		}
		r.Place = rules.PlaceOf(r.Tax)
		if r.Place.Tier != "" {
			counts[r.Place.Tier]++
		}
		b.Rows = append(b.Rows, r)
	}
	for _, tier := range rules.Tiers {
		b.TierCounts = append(b.TierCounts, TierCount{Tier: tier.Name, N: counts[tier.Name]})
	}
	b.data = &boardData{state: st, dir: dir, day: day, home: home, placed: placed}
	return b
}
