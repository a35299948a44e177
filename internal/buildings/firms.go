package buildings

import (
	"strings"

	"svcplan/internal/money"
)

// firmIndex is the directory's firms as last read, with the lookups a
// diagnosis makes, so that it need not go through every firm: by the
// building their address names and by industry class.
type firmIndex struct {
	version int64
	firms   map[string]Firm        // by USCC
	byPlace map[string][]string    // the address's building, white space removed → USCCs
	byClass map[string][]classFirm // GB/T 4754 class → its firms
}

// classFirm is a firm of a class with what a theme's list orders it by.
type classFirm struct {
	uscc    string
	revenue money.Fen
}

func indexFirms(version int64, firms map[string]Firm) *firmIndex {
	ix := &firmIndex{version: version, firms: firms, byPlace: map[string][]string{}, byClass: map[string][]classFirm{}}
	for code, f := range firms {
		if code == "" {
			continue
		}
		if p := compact(f.Building); p != "" {
			ix.byPlace[p] = append(ix.byPlace[p], code)
		}
		if f.Class != "" {
			ix.byClass[f.Class] = append(ix.byClass[f.Class], classFirm{code, f.Revenue})
		}
	}
	return ix
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
