package industry

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Category is a category of an NBS services classification, e.g. 01
// 研发设计与其他技术服务 of 生产性服务业统计分类(2019).
type Category struct {
	Code         string
	Name         string
	Level        string // 大类, 中类 or 小类
	Verification string // how far the row was checked (see data/README.md)
}

// CategoryRef is a category a GB/T 4754 class maps to.
type CategoryRef struct {
	Code    string
	Name    string
	Partial bool // the class only partly belongs (marked * by NBS)
}

// Mapping is an NBS services classification: its categories and, where
// the file has them, the GB/T 4754-2017 classes mapped to each category.
// It is read-only and safe for concurrent use.
type Mapping struct {
	categories []Category
	byClass    map[string][]CategoryRef // class code -> categories, by code
}

var mappingHeader = []string{"category_code", "category_name", "level", "gbt4754_code", "partial", "verification"}

var (
	//go:embed data/nbs-producer-services-2019.csv
	producerCSV []byte
	//go:embed data/nbs-life-services-2019.csv
	lifeCSV []byte
)

var producer = sync.OnceValue(func() *Mapping {
	m, err := LoadMapping(bytes.NewReader(producerCSV), Default())
	if err != nil {
		panic("industry: embedded nbs-producer-services-2019.csv: " + err.Error()) // a test guarantees this cannot happen
	}
	return m
})

var life = sync.OnceValue(func() *Mapping {
	m, err := LoadMapping(bytes.NewReader(lifeCSV), Default())
	if err != nil {
		panic("industry: embedded nbs-life-services-2019.csv: " + err.Error()) // a test guarantees this cannot happen
	}
	return m
})

// Producer returns the shipped 生产性服务业统计分类(2019). It holds only the
// 10 top-level categories, whose 2019 names are partly unverified, and no
// class mapping yet: do not build business rules on it (data/README.md).
func Producer() *Mapping { return producer() }

// Life returns the shipped 生活性服务业统计分类(2019). It holds only the 12
// top-level categories, with unverified names, and no class mapping yet:
// do not build business rules on it (data/README.md).
func Life() *Mapping { return life() }

// LoadMapping reads a classification in the CSV format of
// data/nbs-producer-services-2019.csv (header
// category_code,category_name,level,gbt4754_code,partial,verification).
// A row with gbt4754_code empty defines a category; a row with it filled
// maps that class of table to the category (partial "*" if it only partly
// belongs) and defines the category too if no row did. Class codes must be
// 4-digit classes of table, which must not be nil (usually Default(), or an
// amended table loaded with Load). It returns a *LoadError listing all mistakes
// found (up to 50).
func LoadMapping(r io.Reader, table *Table) (*Mapping, error) {
	ps := &problems{what: "服务业统计分类对照表", header: mappingHeader}
	m := &Mapping{byClass: map[string][]CategoryRef{}}
	type seen struct {
		line int
		c    Category
	}
	cats := map[string]seen{}    // category code -> first row naming it
	defined := map[string]int{}  // category code -> line of its definition row
	pairs := map[[2]string]int{} // (category, class) -> line
	err := readRows(r, ps, func(line int, rec []string) {
		c := Category{Code: rec[0], Name: rec[1], Level: rec[2], Verification: rec[5]}
		class, partial := rec[3], rec[4]
		ok := true
		if !allDigits(c.Code) || len(c.Code) < 2 || len(c.Code) > 6 {
			ps.add(line, 1, "类别代码应为2至6位数字,实为“%s”", c.Code)
			ok = false
		}
		if c.Name == "" {
			ps.add(line, 2, "类别名称为空")
			ok = false
		}
		if c.Level != "大类" && c.Level != "中类" && c.Level != "小类" {
			ps.add(line, 3, "层级应为大类、中类或小类,实为“%s”", c.Level)
			ok = false
		}
		if ok {
			if prev, found := cats[c.Code]; found && (prev.c.Name != c.Name || prev.c.Level != c.Level) {
				ps.add(line, 2, "类别“%s”的名称或层级与第%d行(%s,%s)不一致", c.Code, prev.line, prev.c.Name, prev.c.Level)
				ok = false
			}
		}
		if class == "" {
			if partial != "" {
				ps.add(line, 5, "没有行业代码时,部分归属标记应留空,实为“%s”", partial)
				ok = false
			}
			if first, dup := defined[c.Code]; dup && ok {
				ps.add(line, 1, "类别“%s”重复,第%d行已有", c.Code, first)
				ok = false
			}
		} else {
			if _, found := table.Class(class); !found {
				switch e, exists := table.Lookup(class); {
				case exists:
					ps.add(line, 4, "行业代码“%s”是%s,应为4位小类代码", class, levelName(e.Level))
				case isDigits(class, 3):
					ps.add(line, 4, "行业代码“%s”不存在,应为4位小类代码(是否丢失了开头的0?)", class)
				default:
					ps.add(line, 4, "行业代码“%s”不在国民经济行业分类中", class)
				}
				ok = false
			}
			if partial != "" && partial != "*" {
				ps.add(line, 5, "部分归属标记应为“*”或留空,实为“%s”", partial)
				ok = false
			}
			key := [2]string{c.Code, class}
			if first, dup := pairs[key]; dup && ok {
				ps.add(line, 4, "类别“%s”与行业代码“%s”的对应重复,第%d行已有", c.Code, class, first)
				ok = false
			} else if ok {
				pairs[key] = line
			}
		}
		if !ok {
			return
		}
		if _, found := cats[c.Code]; !found {
			cats[c.Code] = seen{line, c}
			m.categories = append(m.categories, c)
		}
		if class == "" {
			defined[c.Code] = line
			return
		}
		m.byClass[class] = append(m.byClass[class], CategoryRef{Code: c.Code, Name: c.Name, Partial: partial == "*"})
	})
	if err != nil {
		return nil, fmt.Errorf("industry: read services classification: %w", err)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	for _, refs := range m.byClass {
		sort.Slice(refs, func(i, j int) bool { return refs[i].Code < refs[j].Code })
	}
	return m, nil
}

func levelName(level string) string {
	switch level {
	case LevelSection:
		return "门类"
	case LevelDivision:
		return "大类"
	case LevelGroup:
		return "中类"
	case LevelClass:
		return "小类"
	}
	return level
}

// Categories returns the categories in file order (the shipped files have
// only 大类). The slice is a copy.
func (m *Mapping) Categories() []Category {
	out := make([]Category, len(m.categories))
	copy(out, m.categories)
	return out
}

// CategoriesOf returns the categories a GB/T 4754 class maps to, ordered
// by category code; nil if none (always nil for the shipped files, which
// have no mapping rows yet).
func (m *Mapping) CategoriesOf(classCode string) []CategoryRef {
	refs := m.byClass[strings.TrimSpace(classCode)]
	if len(refs) == 0 {
		return nil
	}
	out := make([]CategoryRef, len(refs))
	copy(out, refs)
	return out
}
