// Package industry holds the national reference data the platform needs to
// place an enterprise: the GB/T 4754-2017 industry classification
// (国民经济行业分类), the “四上” size thresholds (规模以上/限额以上) and the
// NBS 生产性/生活性服务业 classifications (2019).
//
// The shipped data is embedded from data/ (provenance in data/README.md);
// each kind can also be loaded from a replacement CSV file, which is fully
// validated and reports every mistake in Chinese with line and column.
package industry

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Levels of GB/T 4754-2017, as written in the level column of the CSV.
const (
	LevelSection  = "section"  // 门类, one letter A–T
	LevelDivision = "division" // 大类, 2 digits
	LevelGroup    = "group"    // 中类, 3 digits
	LevelClass    = "class"    // 小类, 4 digits
)

// Entry is one row of the classification.
type Entry struct {
	Code   string // e.g. "7291"; leading zeros kept ("0111")
	Level  string // one of the Level constants
	Name   string // e.g. 旅行社及相关服务
	Parent string // code of the enclosing level; empty for a section
}

// Table is a loaded GB/T 4754-2017 code table. It is read-only and safe
// for concurrent use.
type Table struct {
	entries []Entry        // in file order
	byCode  map[string]int // code -> index in entries
	counts  map[string]int // level -> number of entries
}

var tableHeader = []string{"code", "level", "name", "parent"}

//go:embed data/gbt4754-2017.csv
var gbt4754CSV []byte

var defaultTable = sync.OnceValue(func() *Table {
	t, err := Load(bytes.NewReader(gbt4754CSV))
	if err != nil {
		panic("industry: embedded gbt4754-2017.csv: " + err.Error()) // a test guarantees this cannot happen
	}
	return t
})

// Default returns the shipped GB/T 4754-2017 table (without the 第1号修改单;
// see data/README.md). It is parsed once, on first use.
func Default() *Table { return defaultTable() }

// Load reads a code table in the CSV format of data/gbt4754-2017.csv
// (header code,level,name,parent; UTF-8 with or without BOM). It checks
// every row and returns a *LoadError listing all mistakes found (up to 50).
func Load(r io.Reader) (*Table, error) {
	ps := &problems{what: "国民经济行业分类表", header: tableHeader}
	type row struct {
		line int
		e    Entry
	}
	var rows []row
	firstLine := map[string]int{} // every code seen with a usable shape -> first line
	err := readRows(r, ps, func(line int, rec []string) {
		e := Entry{Code: rec[0], Level: rec[1], Name: rec[2], Parent: rec[3]}
		ok := true
		if e.Code == "" {
			ps.add(line, 1, "代码为空")
			ok = false
		}
		switch e.Level {
		case LevelSection:
			if e.Code != "" && !isSectionCode(e.Code) {
				ps.add(line, 1, "门类代码应为A至T中的一个大写字母,实为“%s”", e.Code)
				ok = false
			}
			if e.Parent != "" {
				ps.add(line, 4, "门类不应有上级代码,实为“%s”", e.Parent)
				ok = false
			}
		case LevelDivision:
			if e.Code != "" && !isDigits(e.Code, 2) {
				ps.add(line, 1, "大类代码应为2位数字,实为“%s”%s", e.Code, zeroHint(e.Code, 2))
				ok = false
			}
			if !isSectionCode(e.Parent) {
				ps.add(line, 4, "大类的上级应为门类字母(A至T),实为“%s”", e.Parent)
				ok = false
			}
		case LevelGroup, LevelClass:
			n, what, up := 3, "中类", "大类"
			if e.Level == LevelClass {
				n, what, up = 4, "小类", "中类"
			}
			if e.Code != "" && !isDigits(e.Code, n) {
				ps.add(line, 1, "%s代码应为%d位数字,实为“%s”%s", what, n, e.Code, zeroHint(e.Code, n))
				ok = false
			} else if e.Code != "" && e.Parent != e.Code[:n-1] {
				ps.add(line, 4, "%s“%s”的上级应为%s“%s”,实为“%s”", what, e.Code, up, e.Code[:n-1], e.Parent)
				ok = false
			}
		default:
			ps.add(line, 2, "层级应为section、division、group或class,实为“%s”", e.Level)
			ok = false
		}
		if e.Name == "" {
			ps.add(line, 3, "名称为空")
			ok = false
		}
		if e.Code != "" {
			if first, dup := firstLine[e.Code]; dup {
				ps.add(line, 1, "代码“%s”重复,第%d行已有", e.Code, first)
				return
			}
			firstLine[e.Code] = line
		}
		if ok {
			rows = append(rows, row{line, e})
		}
	})
	if err != nil {
		return nil, fmt.Errorf("industry: read code table: %w", err)
	}
	// Parents may come later in the file than their children, so their
	// existence is checked once everything is read.
	for _, r := range rows {
		if r.e.Parent != "" {
			if _, found := firstLine[r.e.Parent]; !found {
				ps.add(r.line, 4, "上级代码“%s”不存在", r.e.Parent)
			}
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	t := &Table{byCode: make(map[string]int, len(rows)), counts: map[string]int{}}
	for _, r := range rows {
		t.byCode[r.e.Code] = len(t.entries)
		t.entries = append(t.entries, r.e)
		t.counts[r.e.Level]++
	}
	return t, nil
}

func isSectionCode(s string) bool {
	return len(s) == 1 && s[0] >= 'A' && s[0] <= 'T'
}

// zeroHint returns a hint when code looks like an n-digit code that lost its
// leading zero (e.g. in Excel). It never guesses the code.
func zeroHint(code string, n int) string {
	if isDigits(code, n-1) {
		return "(是否丢失了开头的0?)"
	}
	return ""
}

// Lookup returns the entry for code (surrounding white space ignored).
func (t *Table) Lookup(code string) (Entry, bool) {
	i, ok := t.byCode[strings.TrimSpace(code)]
	if !ok {
		return Entry{}, false
	}
	return t.entries[i], true
}

// Class returns the entry for a 4-digit class (小类) code; any other level
// is reported as not found.
func (t *Table) Class(code string) (Entry, bool) {
	e, ok := t.Lookup(code)
	if !ok || e.Level != LevelClass {
		return Entry{}, false
	}
	return e, true
}

// Path returns the entries from the section down to code itself, e.g.
// L, 72, 729, 7291 for "7291". It returns nil for an unknown code.
func (t *Table) Path(code string) []Entry {
	e, ok := t.Lookup(code)
	if !ok {
		return nil
	}
	path := []Entry{e}
	for e.Parent != "" {
		e = t.entries[t.byCode[e.Parent]] // Load guarantees every parent exists
		path = append(path, e)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// Section returns the section (门类) of any code, itself for a section.
func (t *Table) Section(code string) (Entry, bool) {
	p := t.Path(code)
	if len(p) == 0 {
		return Entry{}, false
	}
	return p[0], true
}

// Division returns the division (大类) of a division, group or class code.
func (t *Table) Division(code string) (Entry, bool) {
	p := t.Path(code)
	if len(p) < 2 {
		return Entry{}, false
	}
	return p[1], true
}

// Count returns the number of entries of a level (LevelSection etc.).
func (t *Table) Count(level string) int { return t.counts[level] }

// Entries returns all entries in file order. The slice is a copy.
func (t *Table) Entries() []Entry {
	out := make([]Entry, len(t.entries))
	copy(out, t.entries)
	return out
}
