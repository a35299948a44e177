package buildings

import (
	"strings"
)

// firmIndex is the directory's firms as last read, with the lookups a
// diagnosis makes, so that it need not go through every firm: by the
// building their address names and by industry class.
type firmIndex struct {
	version int64
	firms   map[string]Firm     // by USCC
	byPlace map[string][]string // the address's building, white space removed → USCCs
	byClass map[string][]string // GB/T 4754 class → USCCs
}

func indexFirms(version int64, firms map[string]Firm) *firmIndex {
	ix := &firmIndex{version: version, firms: firms, byPlace: map[string][]string{}, byClass: map[string][]string{}}
	for code, f := range firms {
		if code == "" {
			continue
		}
		if p := compact(f.Building); p != "" {
			ix.byPlace[p] = append(ix.byPlace[p], code)
		}
		if f.Class != "" {
			ix.byClass[f.Class] = append(ix.byClass[f.Class], code)
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

// inClasses lists the firms of the theme's classes.
func (ix *firmIndex) inClasses(th Theme) []string {
	var out []string
	for class, codes := range ix.byClass {
		if th.Has(class) {
			out = append(out, codes...)
		}
	}
	return out
}
