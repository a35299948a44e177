package buildings

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"svcplan/internal/auth"
	"svcplan/internal/money"
	"svcplan/internal/monitor"
)

// Board is every building with its measures today and its tax of a year,
// the district's tier counts, as one user may see them.
type Board struct {
	key   string
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
	spaces map[string]*Space
	firms  map[string]Firm
	placed map[string]bool // firms with a current occupancy somewhere
	months map[string][]MonthTax
	day    string
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
// data's state and the day.
func (s *Service) fullBoard(ctx context.Context) (*Board, error) {
	v, err := s.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	dv, err := s.directory.Version(ctx)
	if err != nil {
		return nil, err
	}
	rules := s.Rules()
	day := s.now().Format("2006-01-02")
	key := fmt.Sprintf("%d/%d/%s", v, dv, day)
	s.mu.Lock()
	if s.board != nil && s.board.key == key {
		b := s.board
		s.mu.Unlock()
		return b, nil
	}
	s.mu.Unlock()
	list, err := s.store.Buildings(ctx)
	if err != nil {
		return nil, err
	}
	spaces, err := s.store.LatestSpaces(ctx)
	if err != nil {
		return nil, err
	}
	firms, err := s.firms(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	taxes, err := s.store.LatestTax(ctx, []string{strconv.Itoa(now.Year() - 1), strconv.Itoa(now.Year())})
	if err != nil {
		return nil, err
	}
	year := yearOf(taxes, now)
	if year != now.Year() { // the latest tax is of last year: compare with the year before
		if taxes, err = s.store.LatestTax(ctx, []string{strconv.Itoa(year - 1), strconv.Itoa(year)}); err != nil {
			return nil, err
		}
	}
	b := compute(list, spaces, firms, taxes, rules, year, day)
	b.key = key
	b.data = &boardData{spaces: spaces, firms: firms, placed: placedFirms(spaces, day), day: day,
		months: monthsOf(taxes, spaces, year, rules.Caliber, day)}
	s.mu.Lock()
	s.board = b
	s.mu.Unlock()
	return b, nil
}

// spanOf is the months a year's tax covers: 12 when the year has yearly
// figures on the caliber, else its latest month with a figure.
func spanOf(taxes []Tax, year string, caliber Caliber) int {
	span := 0
	for _, t := range taxes {
		if t.Caliber != caliber || !strings.HasPrefix(t.Period, year) {
			continue
		}
		if t.Period == year {
			return 12
		}
		if m, err := strconv.Atoi(t.Period[5:]); err == nil && m > span {
			span = m
		}
	}
	return span
}

// buildingTax is a building's tax of a year.
type buildingTax struct {
	amount money.Fen
	firms  int // firm figures summed; 0 for the building's own figure
}

// attribute works out each building's tax of a year through month span
// on a caliber: a building's own figure when the bureau gives one, else
// the sum of the figures of the firms registered in it (注册在楼) on day.
// A subject's figure of the year is its yearly figure when span is 12
// and it has one, else the sum of its months up to span. It also counts
// the firm figures no building claims.
func attribute(taxes []Tax, spaces map[string]*Space, year string, span int, caliber Caliber, day string) (map[string]buildingTax, int) {
	home := homesOf(spaces, day)
	type subject struct{ uscc, building string }
	yearly := map[subject]money.Fen{}
	monthly := map[subject]money.Fen{}
	for _, t := range taxes {
		if t.Caliber != caliber || !strings.HasPrefix(t.Period, year) {
			continue
		}
		k := subject{t.USCC, t.Building}
		if t.Period == year {
			yearly[k] = t.Amount
			continue
		}
		if m, err := strconv.Atoi(t.Period[5:]); err == nil && m <= span {
			monthly[k] += t.Amount
		}
	}
	value := map[subject]money.Fen{}
	for k, a := range monthly {
		value[k] = a
	}
	if span == 12 {
		for k, a := range yearly {
			value[k] = a
		}
	}
	out := map[string]buildingTax{}
	own := map[string]bool{}
	for k, a := range value {
		if k.building != "" {
			out[k.building] = buildingTax{amount: a}
			own[k.building] = true
		}
	}
	unplaced := 0
	for k, a := range value {
		if k.uscc == "" {
			continue
		}
		code, ok := home[k.uscc]
		switch {
		case !ok:
			unplaced++
		case !own[code]:
			t := out[code]
			t.amount += a
			t.firms++
			out[code] = t
		}
	}
	return out, unplaced
}

// registeredTaxed counts the firms registered in a space on day with and
// without a tax figure (a firm without a USCC has none).
func registeredTaxed(sp *Space, day string, taxed map[string]bool) (with, without int) {
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
		if taxed[o.USCC] {
			with++
		} else {
			without++
		}
	}
	return with, without
}

// compute works out the board of a year from the data as read: each
// building's measures on day, its tax on the rules' caliber and the same
// months a year earlier, its tier, and the tier counts.
func compute(list []Building, spaces map[string]*Space, firms map[string]Firm, taxes []Tax, rules TierRules, year int, day string) *Board {
	b := &Board{Year: year, Rules: rules}
	b.Span = spanOf(taxes, strconv.Itoa(year), rules.Caliber)
	cur, unplaced := attribute(taxes, spaces, strconv.Itoa(year), b.Span, rules.Caliber, day)
	prior, _ := attribute(taxes, spaces, strconv.Itoa(year-1), b.Span, rules.Caliber, day)
	b.Unplaced = unplaced
	taxed := map[string]bool{}
	for _, t := range taxes {
		if t.USCC != "" && strings.HasPrefix(t.Period, strconv.Itoa(year)) {
			taxed[t.USCC] = true
		}
	}
	counts := map[string]int{}
	for _, bl := range list {
		r := Row{Building: bl}
		if sp, ok := spaces[bl.Code]; ok {
			r.HasSpace = true
			r.Measures = Measure(&bl, sp, day, firms)
			r.RegisteredTaxed, r.RegisteredUntaxed = registeredTaxed(sp, day, taxed)
		} else {
			r.Measures = Measure(&bl, &Space{}, day, firms)
		}
		if t, ok := cur[bl.Code]; ok {
			r.Tax, r.HasTax, r.Firms = t.amount, true, t.firms
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
	for _, t := range rules.Tiers {
		b.TierCounts = append(b.TierCounts, TierCount{Tier: t.Name, N: counts[t.Name]})
	}
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
