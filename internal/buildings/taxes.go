package buildings

import (
	"maps"
	"slices"
	"strconv"

	"svcplan/internal/money"
)

// subject is whom a tax figure is of: a firm (uscc) or a whole building.
type subject struct{ uscc, building string }

// yearTax is a subject's figures of one year on one caliber.
type yearTax struct {
	month  [12]money.Fen
	yearly money.Fen
	has    uint16 // bit m-1: month m has a figure; hasYearly: the year has one
}

const hasYearly = 1 << 12

// through is the subject's figure of the year through month span: its
// yearly figure when span is 12 and it has one, else the sum of its
// months up to span; ok is false when it has neither.
func (y *yearTax) through(span int) (sum money.Fen, ok bool) {
	if span == 12 && y.has&hasYearly != 0 {
		return y.yearly, true
	}
	for m := range span {
		if y.has&(1<<m) != 0 {
			sum += y.month[m]
			ok = true
		}
	}
	return sum, ok
}

// taxes are the tax figures of a year and the year before on one
// caliber: the firms' by their number (firmIDs), the buildings' own by
// code, and each firm's totals through the year's span, worked out once.
// It is what the board is worked out from, held in memory so that a
// change is not a reading of every figure again. Read only once built;
// with returns a changed copy.
type taxes struct {
	caliber Caliber
	year    int // the figures hold year-1 at [0] and year at [1]
	span    int // the months the year covers (spanOfMonth)
	ids     *firmIDs
	firm    []*[2]yearTax          // by firm number; nil: no figure
	own     map[string]*[2]yearTax // a building's own figures, by its code
	total   []firmTotal            // by firm number, as firm
}

// firmTotal is a firm's figures through the span: its year's and the
// year before's (yearTax.through), and whether it has any figure of the
// year at all (注册有税收).
type firmTotal struct {
	sum     [2]money.Fen
	ok      [2]bool
	figured bool
}

// totalOf is a firm's totals; none for a number without figures.
func (t *taxes) totalOf(id int32) firmTotal {
	if id < 0 || int(id) >= len(t.total) {
		return firmTotal{}
	}
	return t.total[id]
}

// newTaxes holds the figures of year and year-1 on caliber (the others
// given are left out).
func newTaxes(ids *firmIDs, caliber Caliber, year int, figs []TaxFigure) *taxes {
	t := &taxes{caliber: caliber, year: year, ids: ids, own: map[string]*[2]yearTax{}}
	t.add(figs, nil)
	t.total = make([]firmTotal, len(t.firm))
	for id := range t.firm {
		t.sumUp(int32(id))
	}
	return t
}

// with is a copy of t with the figures put in (each the latest version of
// its figure); nil when a figure is of a later year than t's, so that the
// board's years move and everything must be read again.
func (t *taxes) with(figs []TaxFigure) *taxes {
	for _, f := range figs {
		if y, _, ok := periodOf(f.Period); ok && f.Caliber == t.caliber && y > t.year {
			return nil
		}
	}
	n := *t
	n.firm, n.own = slices.Clone(t.firm), maps.Clone(t.own)
	changed := n.add(figs, map[subject]bool{})
	n.total = slices.Grow(slices.Clone(t.total), len(n.firm)-len(t.total))[:len(n.firm)]
	if n.span != t.span { // every firm's totals run through other months now
		for id := range n.firm {
			n.sumUp(int32(id))
		}
		return &n
	}
	for _, k := range changed {
		n.sumUp(k)
	}
	return &n
}

// sumUp works out a firm's totals.
func (t *taxes) sumUp(id int32) {
	p := t.firm[id]
	if p == nil {
		t.total[id] = firmTotal{}
		return
	}
	var tot firmTotal
	for i := range 2 {
		tot.sum[i], tot.ok[i] = p[i].through(t.span)
	}
	tot.figured = p[1].has != 0
	t.total[id] = tot
}

// add puts figures in and returns the numbers of the firms whose figures
// changed; copied, when not nil, collects the subjects already copied, so
// that years shared with an older taxes are copied before they change.
func (t *taxes) add(figs []TaxFigure, copied map[subject]bool) (changed []int32) {
	for _, f := range figs {
		y, m, ok := periodOf(f.Period)
		if !ok || f.Caliber != t.caliber || y < t.year-1 || y > t.year {
			continue
		}
		k, id := subject{building: f.Building}, int32(-1)
		var p *[2]yearTax
		if f.Building == "" {
			k.uscc, id = f.USCC, t.ids.id(f.USCC)
			if int(id) >= len(t.firm) {
				t.firm = slices.Grow(t.firm, int(id)+1-len(t.firm))[:id+1]
			}
			p = t.firm[id]
		} else {
			p = t.own[f.Building]
		}
		switch {
		case p == nil:
			p = new([2]yearTax)
		case copied != nil && !copied[k]:
			c := *p
			p = &c
		}
		if copied != nil && !copied[k] && id >= 0 {
			changed = append(changed, id)
		}
		if copied != nil {
			copied[k] = true
		}
		if id >= 0 {
			t.firm[id] = p
		} else {
			t.own[f.Building] = p
		}
		yt := &p[y-t.year+1]
		if m == 0 {
			yt.yearly, yt.has = f.Amount, yt.has|hasYearly
		} else {
			yt.month[m-1], yt.has = f.Amount, yt.has|1<<(m-1)
		}
		if y == t.year {
			t.span = max(t.span, spanOfMonth(m))
		}
	}
	return changed
}

// spanOfMonth is how far a figure of month m (0: the yearly one) carries a
// year's span.
func spanOfMonth(m int) int {
	if m == 0 {
		return 12
	}
	return m
}

// periodOf reads a period: 2025 (month 0) or 2025-03.
func periodOf(p string) (year, month int, ok bool) {
	if len(p) != 4 && len(p) != 7 {
		return 0, 0, false
	}
	year, err := strconv.Atoi(p[:4])
	if err != nil {
		return 0, 0, false
	}
	if len(p) == 4 {
		return year, 0, true
	}
	month, err = strconv.Atoi(p[5:])
	if err != nil || p[4] != '-' || month < 1 || month > 12 {
		return 0, 0, false
	}
	return year, month, true
}

// periodsOf lists the periods of the years: each year and its months.
func periodsOf(years ...int) []string {
	var out []string
	for _, y := range years {
		out = append(out, strconv.Itoa(y))
		for m := 1; m <= 12; m++ {
			out = append(out, monthKey(y, m))
		}
	}
	return out
}
