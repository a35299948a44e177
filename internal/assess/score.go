package assess

import (
	"math/big"
	"runtime"
	"sort"
	"sync"
)

// Figure is an item's 完成值 for a unit and where it came from.
type Figure struct {
	Value *big.Rat `json:"-"`
	// Text is the value as stored (e.g. "92.3"), Source says where it
	// came from in words (指标数值第2版 · 初步核算 · 2026-02-10发布), and
	// Ref is the stored version it was read at (for revision checks).
	Text   string `json:"value"`
	Source string `json:"source"`
	Ref    string `json:"ref"`
}

// Figures finds the 完成值 of an item for a unit; ok is false when there
// is none.
type Figures func(group, item, unit string) (Figure, bool)

// Sheet is a scheme's scores: each group's units ranked.
type Sheet struct {
	Scheme *Scheme
	Groups []GroupSheet
}

// GroupSheet is one group's units, in ranking order.
type GroupSheet struct {
	Group *Group
	Rows  []Row
}

// Row is a unit's scores on every item of its group.
type Row struct {
	Unit  string
	Cells []ItemScore // in the group's item order
	// Base is the sum of the base items' rounded scores, Bonus of the 加分
	// and Deduct of the 扣分 (negative); Total is their sum.
	Base, Bonus, Deduct, Total *big.Rat
	Rank                       int    // 1 the first; equal ranks share it
	Grade                      string // "" when the scheme has no grades
	Veto                       string // the sentence of the 一票否决 that applies, or ""
}

// ItemScore is one cell of the score sheet.
type ItemScore struct {
	Item   *Item
	Target *big.Rat // nil when the family has none
	Figure *Figure  // nil when there is no 完成值
	Cell
}

// Score works out a scheme's sheet from the figures. It reads nothing
// else: the same scheme and figures give the same sheet.
func Score(s *Scheme, figs Figures) *Sheet {
	sheet := &Sheet{Scheme: s}
	for gi := range s.Groups {
		g := &s.Groups[gi]
		sheet.Groups = append(sheet.Groups, scoreGroup(s, g, figs))
	}
	return sheet
}

func scoreGroup(s *Scheme, g *Group, figs Figures) GroupSheet {
	gs := GroupSheet{Group: g, Rows: make([]Row, len(g.Units))}
	found := make([][]*Figure, len(g.Items)) // [item][unit]
	for ii := range g.Items {
		found[ii] = make([]*Figure, len(g.Units))
		for ui, u := range g.Units {
			if f, ok := figs(g.Code, g.Items[ii].Code, u); ok && f.Value != nil {
				found[ii][ui] = &f
			}
		}
	}
	// The items are scored apart from each other, on every core.
	cells := make([][]ItemScore, len(g.Items)) // [item][unit]
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(g.Items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ii := range next {
				cells[ii] = scoreItem(&g.Items[ii], g.Units, found[ii])
			}
		}()
	}
	for ii := range g.Items {
		next <- ii
	}
	close(next)
	wg.Wait()
	for ui, u := range g.Units {
		row := Row{Unit: u, Base: new(big.Rat), Bonus: new(big.Rat), Deduct: new(big.Rat), Cells: make([]ItemScore, len(g.Items))}
		for ii := range g.Items {
			c := cells[ii][ui]
			row.Cells[ii] = c
			switch c.Item.Rule.Family {
			case Bonus:
				row.Bonus.Add(row.Bonus, c.Score)
			case Deduct:
				row.Deduct.Add(row.Deduct, c.Score)
			case Veto:
				if c.Veto && row.Veto == "" {
					row.Veto, row.Grade = c.Why, c.Item.Rule.Grade
				}
			default:
				row.Base.Add(row.Base, c.Score)
			}
		}
		row.Total = new(big.Rat).Add(row.Base, row.Bonus)
		row.Total.Add(row.Total, row.Deduct)
		gs.Rows[ui] = row
	}
	rank(s, g, gs.Rows)
	grade(s, gs.Rows)
	return gs
}

// scoreItem scores one item for each unit, given each unit's figure (nil
// for none).
func scoreItem(it *Item, units []string, found []*Figure) []ItemScore {
	pts, _ := it.Points.Rat()
	if pts == nil {
		pts = new(big.Rat)
	}
	// Each unit's place by 完成值: sorted once, equal values sharing a place.
	var order []int
	for ui, f := range found {
		if f != nil {
			order = append(order, ui)
		}
	}
	// Floats order most pairs (a < b gives float(a) ≤ float(b)); the exact
	// comparison settles the rest.
	approx := make([]float64, len(found))
	for _, ui := range order {
		approx[ui], _ = found[ui].Value.Float64()
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if approx[x] != approx[y] {
			return approx[x] > approx[y]
		}
		return found[x].Value.Cmp(found[y].Value) > 0
	})
	place := make([]int, len(units))
	for k, ui := range order {
		if k > 0 && found[order[k-1]].Value.Cmp(found[ui].Value) == 0 {
			place[ui] = place[order[k-1]]
		} else {
			place[ui] = k + 1
		}
	}
	var best *big.Rat
	if len(order) > 0 {
		best = found[order[0]].Value
	}
	out := make([]ItemScore, len(units))
	for ui, u := range units {
		in := Input{Target: it.TargetFor(u), Best: best}
		f := found[ui]
		if f != nil {
			in.Actual, in.Rank = f.Value, place[ui]
		}
		out[ui] = ItemScore{Item: it, Target: in.Target, Figure: f, Cell: it.Rule.Score(pts, it.Unit, in)}
	}
	return out
}

// tieScore is the score a tie is broken by, or nil under shared ties.
func tieScore(s *Scheme, g *Group, r *Row) *big.Rat {
	code, ok := cutItem(s.Ties)
	if !ok {
		return nil
	}
	for i := range g.Items {
		if g.Items[i].Code == code {
			return r.Cells[i].Score
		}
	}
	return nil
}

func cutItem(ties string) (string, bool) {
	if len(ties) > 5 && ties[:5] == "item:" {
		return ties[5:], true
	}
	return "", false
}

// rank orders a group's rows by total, ties by the scheme's rule, and
// numbers them: equal rows share a place and the next place skips.
func rank(s *Scheme, g *Group, rows []Row) {
	cmp := func(a, b *Row) int {
		if c := a.Total.Cmp(b.Total); c != 0 {
			return -c
		}
		ta, tb := tieScore(s, g, a), tieScore(s, g, b)
		if ta != nil && tb != nil {
			return -ta.Cmp(tb)
		}
		return 0
	}
	sort.SliceStable(rows, func(i, j int) bool { return cmp(&rows[i], &rows[j]) < 0 })
	for i := range rows {
		if i > 0 && cmp(&rows[i-1], &rows[i]) == 0 {
			rows[i].Rank = rows[i-1].Rank
		} else {
			rows[i].Rank = i + 1
		}
	}
}

// grade gives each row of a ranked group its 等次: in rank order, the best
// grade whose minimum it meets and whose quota has room. Rows sharing a
// place have the same total and take the same grade: if they would not
// all fit in a quota, they all go down. A veto's grade stays.
func grade(s *Scheme, rows []Row) {
	if len(s.Grades) == 0 {
		return
	}
	n := len(rows)
	used := make([]int, len(s.Grades))
	for i := 0; i < n; {
		j := i // rows[i:j] share a place
		for j < n && rows[j].Rank == rows[i].Rank {
			j++
		}
		count := 0
		for k := i; k < j; k++ {
			if rows[k].Veto == "" {
				count++
			}
		}
		chosen := len(s.Grades) - 1
		for gi, gr := range s.Grades {
			min, _ := gr.Min.Rat()
			if rows[i].Total.Cmp(min) >= 0 && (gr.QuotaPct == 0 || used[gi]+count <= n*gr.QuotaPct/100) {
				chosen = gi
				break
			}
		}
		for k := i; k < j; k++ {
			if rows[k].Veto == "" {
				rows[k].Grade = s.Grades[chosen].Name
			}
		}
		used[chosen] += count
		i = j
	}
}
