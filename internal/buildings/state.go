package buildings

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// state is the buildings' data as read from the store at a version: the
// latest version of every building, the latest space of each and the tax
// figures the board needs. It is read only once built: a write of this
// service makes a changed copy (Service.wrote), so that at city scale a
// change is not a reading of every space and every tax figure again.
type state struct {
	version int64
	year    int // the calendar year it was read in: the board's years follow it
	list    []Building
	spaces  map[string]*Space
	index   map[string]*spaceIndex // each space made ready for the board, by building code
	ids     *firmIDs               // the service's: the numbers of tax, index and firmIndex
	tax     *taxes
}

// indexSpaces makes every space ready for the board.
func (st *state) indexSpaces() {
	st.index = make(map[string]*spaceIndex, len(st.spaces))
	for code, sp := range st.spaces {
		st.index[code] = indexSpace(sp, st.ids)
	}
}

// current returns the state at the store's version, read again (by one
// caller however many ask at a time) when the one held is older, of
// another calendar year or of a caliber the rules no longer use.
func (s *Service) current(ctx context.Context) (*state, error) {
	year, caliber := s.now().Year(), s.Rules().Caliber
	fresh := func() (*state, int64, error) {
		v, err := s.store.Version(ctx)
		if err != nil {
			return nil, 0, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if st := s.state; st != nil && st.version == v && st.year == year && st.tax.caliber == caliber {
			return st, v, nil
		}
		return nil, v, nil
	}
	if st, _, err := fresh(); st != nil || err != nil {
		return st, err
	}
	s.loading.Lock()
	defer s.loading.Unlock()
	st, v, err := fresh() // a write or another reader may have brought it up to date meanwhile
	if st != nil || err != nil {
		return st, err
	}
	st = &state{version: v, year: year, ids: s.ids}
	if st.list, err = s.store.Buildings(ctx); err != nil {
		return nil, err
	}
	slices.SortFunc(st.list, func(a, b Building) int { return strings.Compare(a.Code, b.Code) }) // withBuilding's order, whatever the database's collation
	if st.spaces, err = s.store.LatestSpaces(ctx); err != nil {
		return nil, err
	}
	st.indexSpaces()
	if st.tax, err = s.readTaxes(ctx, caliber, year); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
	return st, nil
}

// readTaxes reads the figures of the board's years on caliber: this year
// and the last, or, while this year has none, the last and the one
// before.
func (s *Service) readTaxes(ctx context.Context, caliber Caliber, year int) (*taxes, error) {
	figs, err := s.store.TaxFigures(ctx, periodsOf(year-1, year), caliber)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(figs, func(f TaxFigure) bool { return strings.HasPrefix(f.Period, strconv.Itoa(year)) }) ||
		!slices.ContainsFunc(figs, func(f TaxFigure) bool { return strings.HasPrefix(f.Period, strconv.Itoa(year-1)) }) {
		return newTaxes(s.ids, caliber, year, figs), nil
	}
	older, err := s.store.TaxFigures(ctx, periodsOf(year-2), caliber)
	if err != nil {
		return nil, err
	}
	return newTaxes(s.ids, caliber, year-1, append(figs, older...)), nil
}

// wrote follows a write of this service. When the state held is at the
// store's version just before the write, change brings a copy of it up
// to date (reading back what the write stored; false when it cannot);
// otherwise someone else wrote as well and the state is dropped, to be
// read again when next asked for.
//
// A nil change is a write of something the state does not hold (a visit
// filed): the state moves to the new version as it is, and the board
// worked out from it stays.
func (s *Service) wrote(ctx context.Context, change func(st *state) (bool, error)) {
	s.loading.Lock()
	defer s.loading.Unlock()
	s.mu.Lock()
	old, board := s.state, s.board
	s.state, s.board = nil, nil
	s.mu.Unlock()
	v, err := s.store.Version(ctx)
	if old == nil || err != nil || v != old.version+1 {
		return
	}
	next := *old
	if change != nil {
		if ok, err := change(&next); !ok || err != nil {
			return
		}
		board = nil
	}
	next.version = v
	if board != nil && board.data.state == old {
		b, data := *board, *board.data
		data.state = &next
		b.data = &data
		board = &b
	}
	s.mu.Lock()
	s.state, s.board = &next, board
	s.mu.Unlock()
}

// withSpace is a change for wrote: a building's space as stored.
func (s *Service) withSpace(ctx context.Context, code string) func(st *state) (bool, error) {
	return func(st *state) (bool, error) {
		sp, err := s.store.LatestSpace(ctx, code)
		if err != nil || sp == nil {
			return false, err
		}
		st.spaces, st.index = maps.Clone(st.spaces), maps.Clone(st.index)
		st.spaces[code], st.index[code] = sp, indexSpace(sp, st.ids)
		return true, nil
	}
}

// withBuilding is a change for wrote: a building's latest version as
// stored, in code order among the others.
func (s *Service) withBuilding(ctx context.Context, code string) func(st *state) (bool, error) {
	return func(st *state) (bool, error) {
		versions, err := s.store.BuildingVersions(ctx, code)
		if err != nil {
			return false, err
		}
		i, found := slices.BinarySearchFunc(st.list, code, func(b Building, code string) int { return strings.Compare(b.Code, code) })
		list := slices.Clone(st.list)
		if found {
			list[i] = versions[0]
		} else {
			list = slices.Insert(list, i, versions[0])
		}
		st.list = list
		return true, nil
	}
}

// withTax is a change for wrote: the tax figures stored.
func withTax(figs []TaxFigure) func(st *state) (bool, error) {
	return func(st *state) (bool, error) {
		st.tax = st.tax.with(figs)
		return st.tax != nil, nil
	}
}
