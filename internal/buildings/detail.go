package buildings

import (
	"context"
	"slices"
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
	at := slices.IndexFunc(b.Rows, func(r Row) bool { return r.Building.Code == code })
	if at < 0 {
		return nil, apperr.NotFoundf("楼宇%s不存在", code)
	}
	d.Row = b.Rows[at]
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
		d.Months = monthsOf(data.state.tax, code, data.home, int32(at))
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

// monthsOf is a building's tax month by month in the figures' year and
// the year before: its own figure of a month where the bureau gives one,
// else the sum of the firms registered in it (home holds for each firm
// the index of its building; b is this one's).
func monthsOf(t *taxes, code string, home []int32, b int32) []MonthTax {
	var own, firms [2]yearTax
	if p := t.own[code]; p != nil {
		own = *p
	}
	for id, h := range home {
		if h != b || id >= len(t.firm) || t.firm[id] == nil {
			continue
		}
		p := t.firm[id]
		for i := range 2 {
			for m := range 12 {
				if p[i].has&(1<<m) != 0 {
					firms[i].month[m] += p[i].month[m]
					firms[i].has |= 1 << m
				}
			}
		}
	}
	value := func(i, m int) *money.Fen {
		for _, y := range []*yearTax{&own[i], &firms[i]} {
			if y.has&(1<<m) != 0 {
				a := y.month[m]
				return &a
			}
		}
		return nil
	}
	var out []MonthTax
	for m := range 12 {
		if mt := (MonthTax{Month: m + 1, Cur: value(1, m), Prior: value(0, m)}); mt.Cur != nil || mt.Prior != nil {
			out = append(out, mt)
		}
	}
	return out
}

func monthKey(year, month int) string {
	return strconv.Itoa(year) + "-" + strconv.Itoa(100 + month)[1:]
}
