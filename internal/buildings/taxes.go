package buildings

import (
	"maps"
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
// caliber, by subject: what the board is worked out from, held in memory
// so that a change is not a reading of every figure again. Read only once
// built; with returns a changed copy.
type taxes struct {
	caliber Caliber
	year    int // by holds year-1 at [0] and year at [1]
	span    int // the months the year covers (spanOf)
	by      map[subject]*[2]yearTax
}

// newTaxes holds the figures of year and year-1 on caliber (the others
// given are left out).
func newTaxes(caliber Caliber, year int, figs []TaxFigure) *taxes {
	t := &taxes{caliber: caliber, year: year, by: make(map[subject]*[2]yearTax, len(figs)/12+1)}
	t.add(figs, nil)
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
	n := &taxes{caliber: t.caliber, year: t.year, span: t.span, by: maps.Clone(t.by)}
	n.add(figs, map[subject]bool{})
	return n
}

// add puts figures in; copied, when not nil, collects the subjects
// already copied, so that years shared with an older taxes are copied
// before they change.
func (t *taxes) add(figs []TaxFigure, copied map[subject]bool) {
	for _, f := range figs {
		y, m, ok := periodOf(f.Period)
		if !ok || f.Caliber != t.caliber || y < t.year-1 || y > t.year {
			continue
		}
		k := subject{f.USCC, f.Building}
		p := t.by[k]
		switch {
		case p == nil:
			p = new([2]yearTax)
		case copied != nil && !copied[k]:
			c := *p
			p = &c
		}
		t.by[k] = p
		if copied != nil {
			copied[k] = true
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
