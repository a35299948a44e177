package buildings

import (
	"context"
	"sort"
	"strconv"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/money"
)

// Detail is one building as a user may see it: its row of the board, its
// versions, its floors and, for roles that may see firms, its rooms and
// tenants; the tax of its months this year and last.
type Detail struct {
	Row
	Year     int         `json:"year"`
	Versions []Building  `json:"versions"`
	Floors   []FloorLine `json:"floors"`
	// Space is the latest 台账 with its tenants: for roles that may see
	// firms only (nil otherwise, and when there is none).
	Space  *Space     `json:"space,omitempty"`
	Months []MonthTax `json:"months"`
	// Diagnosis is the 楼宇经济智能化诊断, without firms for roles that
	// may not see them.
	Diagnosis *Diagnosis `json:"diagnosis"`
}

// FloorLine is a floor's rooms and their occupancy today.
type FloorLine struct {
	Floor    int  `json:"floor"`
	Rooms    int  `json:"rooms"`
	Area     Area `json:"area"`
	Rentable Area `json:"rentable_area"`
	Occupied Area `json:"occupied_area"`
	Firms    int  `json:"firms"`
}

// Label is the floor as people name it: 12层, 地下1层.
func (f FloorLine) Label() string {
	if f.Floor < 0 {
		return "地下" + strconv.Itoa(-f.Floor) + "层"
	}
	return strconv.Itoa(f.Floor) + "层"
}

// MonthTax is a month's tax of the building on the rules' caliber, this
// year and a year earlier (nil where there is no figure).
type MonthTax struct {
	Month int        `json:"month"`
	Cur   *money.Fen `json:"cur_fen,omitempty"`
	Prior *money.Fen `json:"prior_fen,omitempty"`
}

// Find returns a building as u may see it.
func (s *Service) Find(ctx context.Context, u *auth.User, code string) (*Detail, error) {
	b, err := s.Board(ctx, u)
	if err != nil {
		return nil, err
	}
	d := &Detail{Year: b.Year}
	found := false
	for _, r := range b.Rows {
		if r.Building.Code == code {
			d.Row, found = r, true
			break
		}
	}
	if !found {
		return nil, apperr.NotFoundf("楼宇%s不存在", code)
	}
	if d.Versions, err = s.store.BuildingVersions(ctx, code); err != nil {
		return nil, err
	}
	data := b.data
	sp := data.state.spaces[code]
	if sp != nil {
		d.Floors = floorsOf(sp, data.day)
		if u.CanSeeFirms() {
			d.Space = sp
		}
	}
	d.Diagnosis = Diagnose(d.Row, b.Rows, sp, data.dir, data.placed, data.day)
	if !u.CanSeeFirms() {
		d.Diagnosis = d.Diagnosis.WithoutFirms()
	}
	if !d.Hidden {
		d.Months = data.months[code]
	}
	return d, nil
}

// floorsOf sums a space's rooms and current occupancies by floor, top
// floor first.
func floorsOf(sp *Space, day string) []FloorLine {
	by := map[int]*FloorLine{}
	floorOf := map[string]int{}
	rentable := map[string]bool{}
	for _, r := range sp.Rooms {
		f := by[r.Floor]
		if f == nil {
			f = &FloorLine{Floor: r.Floor}
			by[r.Floor] = f
		}
		f.Rooms++
		f.Area += r.Area
		if r.Rentable {
			f.Rentable += r.Area
		}
		floorOf[r.Number], rentable[r.Number] = r.Floor, r.Rentable
	}
	firms := map[int]map[string]bool{}
	for _, o := range sp.Occupancies {
		if !o.Current(day) {
			continue
		}
		fl := floorOf[o.Room]
		if rentable[o.Room] && o.Present {
			by[fl].Occupied += o.Area
		}
		if firms[fl] == nil {
			firms[fl] = map[string]bool{}
		}
		firms[fl][o.USCC+"|"+o.Firm] = true
	}
	out := make([]FloorLine, 0, len(by))
	for fl, f := range by {
		f.Firms = len(firms[fl])
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Floor > out[j].Floor })
	return out
}

// monthsOf is every building's tax month by month in the figures' year
// and the year before, in one pass over them: a building's own figure of
// a month where the bureau gives one, else the sum of the firms
// registered in it (home).
func monthsOf(t *taxes, home map[string]string) map[string][]MonthTax {
	type months struct{ own, firms [2]yearTax }
	by := map[string]*months{}
	for k, p := range t.by {
		code, own := k.building, true
		if code == "" {
			code, own = home[k.uscc], false
		}
		if code == "" {
			continue
		}
		ms := by[code]
		if ms == nil {
			ms = &months{}
			by[code] = ms
		}
		for i := range 2 {
			to := &ms.firms[i]
			if own {
				to = &ms.own[i]
			}
			for m := range 12 {
				if p[i].has&(1<<m) != 0 {
					to.month[m] += p[i].month[m]
					to.has |= 1 << m
				}
			}
		}
	}
	value := func(ms *months, i, m int) *money.Fen {
		for _, y := range []*yearTax{&ms.own[i], &ms.firms[i]} {
			if y.has&(1<<m) != 0 {
				a := y.month[m]
				return &a
			}
		}
		return nil
	}
	out := make(map[string][]MonthTax, len(by))
	for code, ms := range by {
		for m := range 12 {
			mt := MonthTax{Month: m + 1, Cur: value(ms, 1, m), Prior: value(ms, 0, m)}
			if mt.Cur != nil || mt.Prior != nil {
				out[code] = append(out[code], mt)
			}
		}
	}
	return out
}

func monthKey(year, month int) string {
	return strconv.Itoa(year) + "-" + strconv.Itoa(100 + month)[1:]
}

// placedFirms are the firms with a current occupancy in some building.
func placedFirms(spaces map[string]*Space, day string) map[string]bool {
	out := map[string]bool{}
	for _, sp := range spaces {
		for _, o := range sp.Occupancies {
			if o.USCC != "" && o.Current(day) {
				out[o.USCC] = true
			}
		}
	}
	return out
}
