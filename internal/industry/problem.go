package industry

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxProblems caps how many problems one load reports.
const maxProblems = 50

// Problem is one mistake in a loaded CSV file. Line and Column are 1-based;
// Column counts fields, not bytes; 0 means "not known" or "whole line".
type Problem struct {
	Line   int
	Column int
	Field  string // header name of the column, e.g. "parent"
	Msg    string // in Chinese, for the admin who edits the file
}

// String formats the problem as 第12行,第4列(parent): 上级代码“99”不存在.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "第%d行", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ",第%d列", p.Column)
			if p.Field != "" {
				fmt.Fprintf(&b, "(%s)", p.Field)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// LoadError is returned by the loaders when a file has mistakes. It lists
// all of them (up to 50), ordered by line and column, so that an admin can
// fix a file in one pass.
type LoadError struct {
	What      string // which file, e.g. 国民经济行业分类表
	Problems  []Problem
	Truncated bool // more problems than listed
}

func (e *LoadError) Error() string {
	var b strings.Builder
	if e.Truncated {
		fmt.Fprintf(&b, "%s至少有%d处错误(仅列出前%d处):", e.What, len(e.Problems), len(e.Problems))
	} else {
		fmt.Fprintf(&b, "%s有%d处错误:", e.What, len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteByte('\n')
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects the problems of one load.
type problems struct {
	what      string
	header    []string
	list      []Problem
	truncated bool
}

// add records a problem in column col (1-based, 0 = whole line).
func (ps *problems) add(line, col int, format string, args ...any) {
	if len(ps.list) >= maxProblems {
		ps.truncated = true
		return
	}
	p := Problem{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	if col > 0 && col <= len(ps.header) {
		p.Field = ps.header[col-1]
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) full() bool { return len(ps.list) >= maxProblems }

// err returns nil or a *LoadError with the problems sorted by position.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return &LoadError{What: ps.what, Problems: ps.list, Truncated: ps.truncated}
}

// readRows reads a UTF-8 CSV file (with or without BOM) whose header must
// be exactly ps.header, and calls row for every data row that has the right
// number of fields, with the fields trimmed of surrounding white space.
// Format problems go to ps; the error is for r itself failing.
func readRows(r io.Reader, ps *problems, row func(line int, rec []string)) error {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	headerSeen := false
	rows := 0
	for !ps.full() {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			ps.add(perr.StartLine, 0, "CSV格式错误: %s", csvReason(perr.Err))
			if !headerSeen {
				return nil
			}
			rows++
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		for i, f := range rec {
			if !utf8.ValidString(f) {
				ps.add(line, i+1, "不是有效的UTF-8文本(文件可能是GBK编码,请另存为UTF-8)")
				return nil
			}
			rec[i] = strings.TrimSpace(f)
		}
		if !headerSeen {
			headerSeen = true
			if !equalFields(rec, ps.header) {
				ps.add(line, 0, "表头应为“%s”,实为“%s”", strings.Join(ps.header, ","), strings.Join(rec, ","))
				return nil
			}
			continue
		}
		rows++
		if len(rec) != len(ps.header) {
			ps.add(line, 0, "应有%d列,实有%d列", len(ps.header), len(rec))
			continue
		}
		row(line, rec)
	}
	if !headerSeen {
		ps.add(0, 0, "文件为空,缺少表头“%s”", strings.Join(ps.header, ","))
	} else if rows == 0 {
		ps.add(0, 0, "文件只有表头,没有数据行")
	}
	return nil
}

func equalFields(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "未加引号的字段中出现了引号"
	case errors.Is(err, csv.ErrQuote):
		return "引号不成对"
	default:
		return err.Error()
	}
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allDigits reports whether s is non-empty and all ASCII digits.
func allDigits(s string) bool {
	return s != "" && isDigits(s, len(s))
}
