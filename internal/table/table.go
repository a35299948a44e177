// Package table is the one shape in which tabular input reaches the
// domain packages: rows of text cells read one at a time, whatever file
// they came from (internal/xlsx reads CSV and Excel files into it), the
// errors a row can have, the rows an import refused, and the record of an
// import run. It knows nothing of enterprises or reports and imports no
// file format.
package table

import (
	"fmt"
	"io"
	"strings"
)

// Rows is a table read row by row.
//
// Rows without any non-empty cell are skipped by the readers; Row still
// says the row number a spreadsheet shows, so gaps stay visible.
type Rows interface {
	// Next returns the next row's cells (trailing empty cells may be
	// absent; the slice is valid until the next call), or io.EOF.
	Next() ([]string, error)
	// Row is the 1-based row number of the last row returned, as a
	// spreadsheet shows it.
	Row() int
	// Numeric reports whether cell i of the last row was stored as a
	// number rather than as text: a spreadsheet's number cell. A CSV
	// file has no types, so its cells never are.
	Numeric(i int) bool
}

// Slices reads a table held in memory, its first row at row 1. Its cells
// are text.
type Slices struct {
	rows [][]string
	i    int
}

// FromSlices returns a reader of rows.
func FromSlices(rows [][]string) *Slices { return &Slices{rows: rows} }

// Next implements Rows.
func (s *Slices) Next() ([]string, error) {
	for s.i < len(s.rows) {
		s.i++
		if !Blank(s.rows[s.i-1]) {
			return s.rows[s.i-1], nil
		}
	}
	return nil, io.EOF
}

// Row implements Rows.
func (s *Slices) Row() int { return s.i }

// Numeric implements Rows: cells in memory are text.
func (s *Slices) Numeric(int) bool { return false }

// Blank reports whether a row has no cell with anything but spaces in it.
func Blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Cell is a row's cell i with its spaces trimmed, or "" when the row is
// shorter (readers drop trailing empty cells).
func Cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// RowError is a problem with one cell (or one row) of an import, placed
// for the person who will fix the file.
type RowError struct {
	Row    int    // 1-based, as the spreadsheet shows it
	Col    int    // 1-based; 0 for the whole row
	Header string // the column's header text
	Value  string
	Msg    string
}

func (e RowError) String() string {
	if e.Col == 0 {
		return fmt.Sprintf("第%d行: %s", e.Row, e.Msg)
	}
	return fmt.Sprintf("第%d行第%d列(%s): %s", e.Row, e.Col, e.Header, e.Msg)
}

// Rejected is a row an import refused: its number in the file, its cells
// as read, and why.
type Rejected struct {
	Row    int
	Cells  []string
	Errors []RowError
}

// Reason joins a rejected row's errors for the 原因 column.
func (r Rejected) Reason() string {
	msgs := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		msgs[i] = e.String()
	}
	return strings.Join(msgs, ";")
}
