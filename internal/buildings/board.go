package buildings

import (
	"context"
	"maps"
	"math/big"
	"slices"
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
	placed map[string]bool // firms with a current occupancy somewhere
	months map[string][]MonthTax
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
	firms  int // firm figures summed; 0 for the building's own figure
}

// attribute works out each building's tax of the year at [i] of the
// figures (0 the year before, 1 the year) through the year's span: a
// building's own figure when the bureau gives one, else the sum of the
// figures of the firms registered in it (home, 注册在楼). A subject's
// figure is yearTax.through the span. It also counts the firm figures no
// building claims.
func attribute(t *taxes, home map[string]string, i int) (out map[string]buildingTax, unplaced int) {
	out = map[string]buildingTax{}
	sums := map[string]buildingTax{}
	for k, p := range t.by {
		a, ok := p[i].through(t.span)
		switch {
		case !ok:
		case k.building != "":
			out[k.building] = buildingTax{amount: a}
		case home[k.uscc] == "":
			unplaced++
		default:
			code := home[k.uscc]
			s := sums[code]
			s.amount += a
			s.firms++
			sums[code] = s
		}
	}
	for code, s := range sums {
		if _, own := out[code]; !own {
			out[code] = s
		}
	}
	return out, unplaced
}

// registeredTaxed counts the firms registered in a space on day with and
// without a tax figure of the board's year (a firm without a USCC has
// none).
func registeredTaxed(sp *Space, day string, t *taxes) (with, without int) {
	seen := map[string]bool{}
	for _, o := range sp.Occupancies {
		key := o.USCC
		if key == "" {
			key = "name:" + o.Firm
		}
		if !o.Registered || !o.Current(day) || seen[key] {
			continue
		}
		seen[key] = true
		if p := t.by[subject{uscc: o.USCC}]; o.USCC != "" && p != nil && p[1].has != 0 {
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
	home := homesOf(st.spaces, day)
	cur, unplaced := attribute(t, home, 1)
	prior, _ := attribute(t, home, 0)
	b.Unplaced = unplaced
	counts := map[string]int{}
	b.Rows = make([]Row, 0, len(st.list))
	for _, bl := range st.list {
		r := Row{Building: bl}
		if sp, ok := st.spaces[bl.Code]; ok {
			r.HasSpace = true
			r.Measures = Measure(&bl, sp, day, dir.firms)
			r.RegisteredTaxed, r.RegisteredUntaxed = registeredTaxed(sp, day, t)
		} else {
			r.Measures = Measure(&bl, &Space{}, day, dir.firms)
		}
		if c, ok := cur[bl.Code]; ok {
			r.Tax, r.HasTax, r.Firms = c.amount, true, c.firms
			if p, ok := prior[bl.Code]; ok {
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
	b.data = &boardData{state: st, dir: dir, day: day, placed: placedFirms(st.spaces, day), months: monthsOf(t, home)}
	return b
}

// homesOf maps each firm registered (注册在楼) in a building on day to that
// building; a firm registered in several goes to the first by code.
func homesOf(spaces map[string]*Space, day string) map[string]string {
	home := map[string]string{}
	for _, code := range slices.Sorted(maps.Keys(spaces)) {
		for _, o := range spaces[code].Occupancies {
			if o.Registered && o.USCC != "" && o.Current(day) {
				if _, ok := home[o.USCC]; !ok {
					home[o.USCC] = code
				}
			}
		}
	}
	return home
}
