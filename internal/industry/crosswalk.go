package industry

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Successor is where a GB/T 4754-2011 class went in GB/T 4754-2017.
type Successor struct {
	Old Entry // the 2011 class
	// Main is the 2017 class a firm of Old most likely has now: the only
	// one, or, where 2017 split Old, the one the crosswalk marks (usually
	// the residual 其他… class of the same group).
	Main string
	// Classes are all the 2017 classes Old's activities went to, in code
	// order, Main among them.
	Classes []string
}

// Unsure reports whether Old went to more than one 2017 class, so that a
// firm's class needs a statistician's check.
func (s Successor) Unsure() bool { return len(s.Classes) > 1 }

// Crosswalk converts GB/T 4754-2011 classes to GB/T 4754-2017. It is
// read-only and safe for concurrent use.
type Crosswalk struct {
	old  *Table
	next map[string]Successor // the 2011 classes that are not the same class in 2017
}

var crosswalkHeader = []string{"code_2011", "name_2011", "code_2017", "name_2017", "main"}

//go:embed data/gbt4754-2011.csv
var gbt4754v2011CSV []byte

//go:embed data/gbt4754-2011-2017.csv
var crosswalkCSV []byte

var defaultCrosswalk = sync.OnceValue(func() *Crosswalk {
	old, err := Load(bytes.NewReader(gbt4754v2011CSV))
	if err != nil {
		panic("industry: embedded gbt4754-2011.csv: " + err.Error()) // a test guarantees this cannot happen
	}
	c, err := LoadCrosswalk(old, bytes.NewReader(crosswalkCSV), Default())
	if err != nil {
		panic("industry: embedded gbt4754-2011-2017.csv: " + err.Error())
	}
	return c
})

// DefaultCrosswalk returns the shipped 2011→2017 crosswalk (provenance in
// data/README.md). It is parsed once, on first use.
func DefaultCrosswalk() *Crosswalk { return defaultCrosswalk() }

// LoadCrosswalk reads a crosswalk in the CSV format of
// data/gbt4754-2011-2017.csv: one row per pair of a 2011 class (of old)
// and a 2017 class (of next) that took some of its activities, with `*`
// in the main column of the one most likely pair of each 2011 class. A
// 2011 class without rows must be the same class in next. Every mistake
// is reported in a *LoadError.
func LoadCrosswalk(old *Table, r io.Reader, next *Table) (*Crosswalk, error) {
	ps := &problems{what: "行业分类2011→2017对照表", header: crosswalkHeader}
	c := &Crosswalk{old: old, next: map[string]Successor{}}
	firstLine := map[string]int{} // 2011 code -> its first line
	mainLine := map[string]int{}  // 2011 code -> the line of its main pair
	pairs := map[[2]string]int{}  // pair -> line
	err := readRows(r, ps, func(line int, rec []string) {
		from, to := rec[0], rec[2]
		o, okOld := old.Class(from)
		switch {
		case !okOld:
			ps.add(line, 1, "“%s”不是2011版的行业小类代码", from)
		case o.Name != rec[1]:
			ps.add(line, 2, "2011版小类%s的名称应为“%s”,实为“%s”", from, o.Name, rec[1])
		}
		n, okNext := next.Class(to)
		switch {
		case !okNext:
			ps.add(line, 3, "“%s”不是2017版的行业小类代码", to)
		case n.Name != rec[3]:
			ps.add(line, 4, "2017版小类%s的名称应为“%s”,实为“%s”", to, n.Name, rec[3])
		}
		isMain := rec[4] == "*"
		if !isMain && rec[4] != "" {
			ps.add(line, 5, "main列应为*或空,实为“%s”", rec[4])
		}
		if first, dup := pairs[[2]string{from, to}]; dup {
			ps.add(line, 3, "%s→%s与第%d行重复", from, to, first)
			return
		}
		pairs[[2]string{from, to}] = line
		if _, seen := firstLine[from]; !seen {
			firstLine[from] = line
		}
		if isMain {
			if first, dup := mainLine[from]; dup {
				ps.add(line, 5, "2011版小类%s已在第%d行标了*,每个小类只能有一个最可能的去向", from, first)
			}
			mainLine[from] = line
		}
		if !okOld || !okNext {
			return
		}
		s := c.next[from]
		s.Old = o
		s.Classes = append(s.Classes, to)
		if isMain {
			s.Main = to
		}
		c.next[from] = s
	})
	if err != nil {
		return nil, fmt.Errorf("industry: read crosswalk: %w", err)
	}
	for from, line := range firstLine {
		if _, ok := mainLine[from]; !ok {
			ps.add(line, 5, "2011版小类%s没有标*的最可能去向", from)
		}
	}
	for _, e := range old.Entries() {
		if _, listed := firstLine[e.Code]; e.Level != LevelClass || listed {
			continue
		}
		if n, ok := next.Class(e.Code); !ok || n.Name != e.Name {
			ps.add(0, 0, "2011版小类%s %s在2017版中不是同名的同一代码,对照表中应列出其去向", e.Code, e.Name)
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	for from, s := range c.next {
		slices.Sort(s.Classes)
		c.next[from] = s
	}
	return c, nil
}

// Old returns the GB/T 4754-2011 table.
func (c *Crosswalk) Old() *Table { return c.old }

// Successor returns where a 2011 class went in 2017; ok is false for a
// code that is not a 2011 class.
func (c *Crosswalk) Successor(code string) (Successor, bool) {
	if s, ok := c.next[code]; ok {
		return s, true
	}
	e, ok := c.old.Class(code)
	if !ok {
		return Successor{}, false
	}
	return Successor{Old: e, Main: e.Code, Classes: []string{e.Code}}, true
}
