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
	if sp := data.spaces[code]; sp != nil {
		d.Floors = floorsOf(sp, data.day)
		if u.CanSeeFirms() {
			d.Space = sp
		}
	}
	d.Diagnosis = Diagnose(d.Row, b.Rows, data.spaces[code], data.firms, data.placed, data.day)
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

// monthsOf is every building's tax month by month in year and the year
// before, in one pass over the figures: a building's own figure of a
// month where the bureau gives one, else the sum of the firms registered
// in it on day.
func monthsOf(taxes []Tax, spaces map[string]*Space, year int, caliber Caliber, day string) map[string][]MonthTax {
	home := homesOf(spaces, day) // as attribute has it
	type key struct{ building, period string }
	own := map[key]money.Fen{}
	firms := map[key]money.Fen{}
	for _, t := range taxes {
		if t.Caliber != caliber || len(t.Period) != 7 {
			continue
		}
		switch code, ok := home[t.USCC]; {
		case t.Building != "":
			own[key{t.Building, t.Period}] = t.Amount
		case ok:
			firms[key{code, t.Period}] += t.Amount
		}
	}
	value := func(k key) *money.Fen {
		if a, ok := own[k]; ok {
			return &a
		}
		if a, ok := firms[k]; ok {
			return &a
		}
		return nil
	}
	codes := map[string]bool{}
	for k := range own {
		codes[k.building] = true
	}
	for k := range firms {
		codes[k.building] = true
	}
	out := make(map[string][]MonthTax, len(codes))
	for code := range codes {
		for m := 1; m <= 12; m++ {
			mt := MonthTax{Month: m, Cur: value(key{code, monthKey(year, m)}), Prior: value(key{code, monthKey(year-1, m)})}
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
