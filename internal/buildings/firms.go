package buildings

import (
	"slices"
	"strings"

	"svcplan/internal/money"
)

// firmIndex is the directory's firms as last read, by their number
// (firmIDs), with the lookups a diagnosis makes so that it need not go
// through every firm: by the building their address names and by
// industry class.
type firmIndex struct {
	version int64
	ids     *firmIDs
	of      []Firm                 // by number
	known   []bool                 // by number: the directory holds the firm
	byPlace map[string][]string    // the address's building, white space removed → USCCs
	byClass map[string][]classFirm // GB/T 4754 class → its firms
}

// classFirm is a firm of a class with what a theme's list orders it by.
type classFirm struct {
	uscc    string
	id      int32
	revenue money.Fen
}

func indexFirms(ids *firmIDs, version int64, firms map[string]Firm) *firmIndex {
	ix := &firmIndex{version: version, ids: ids, byPlace: map[string][]string{}, byClass: map[string][]classFirm{}}
	for code, f := range firms {
		id := ids.id(code)
		if id < 0 {
			continue
		}
		if int(id) >= len(ix.of) {
			ix.of = slices.Grow(ix.of, int(id)+1-len(ix.of))[:id+1]
			ix.known = slices.Grow(ix.known, int(id)+1-len(ix.known))[:id+1]
		}
		ix.of[id], ix.known[id] = f, true
		if p := compact(f.Building); p != "" {
			ix.byPlace[p] = append(ix.byPlace[p], code)
		}
		if f.Class != "" {
			ix.byClass[f.Class] = append(ix.byClass[f.Class], classFirm{code, id, f.Revenue})
		}
	}
	return ix
}

// byID is the firm numbered id, when the directory holds it.
func (ix *firmIndex) byID(id int32) (Firm, bool) {
	if id < 0 || int(id) >= len(ix.of) || !ix.known[id] {
		return Firm{}, false
	}
	return ix.of[id], true
}

// firm is the firm of a USCC, when the directory holds it.
func (ix *firmIndex) firm(uscc string) (Firm, bool) { return ix.byID(ix.ids.find(uscc)) }

// holds reports whether the directory holds the firm of a USCC.
func (ix *firmIndex) holds(uscc string) bool {
	_, ok := ix.firm(uscc)
	return ok
}

// compact is s without white space.
func compact(s string) string { return strings.Join(strings.Fields(s), "") }

// naming lists the firms whose address names the building called name
// (namesBuilding).
func (ix *firmIndex) naming(name string) []string {
	var out []string
	for place, codes := range ix.byPlace {
		if namesBuilding(place, name) {
			out = append(out, codes...)
		}
	}
	return out
}
