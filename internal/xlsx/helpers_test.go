package xlsx

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode"

	"svcplan/internal/apperr"
)

// readRow is one row as a test expects it: its spreadsheet row number and
// its cells.
type readRow struct {
	Row   int
	Cells []string
}

// readAll returns all rows of rr (copied) and the first error other than
// io.EOF, then closes rr.
func readAll(rr RowReader) ([]readRow, error) {
	defer rr.Close()
	var rows []readRow
	for {
		cells, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, readRow{Row: rr.Row(), Cells: append([]string(nil), cells...)})
	}
}

// openAndReadAll opens data and reads all its rows; an error from Open or
// Next is returned.
func openAndReadAll(data []byte, name string, opts Options) ([]readRow, Format, error) {
	rr, format, err := Open(bytes.NewReader(data), int64(len(data)), name, opts)
	if err != nil {
		return nil, 0, err
	}
	rows, err := readAll(rr)
	return rows, format, err
}

// checkUserError fails unless err is an Invalid apperr.Error whose message
// is Chinese, without raw Go error text.
func checkUserError(t testing.TB, err error) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
		t.Fatalf("error %q (%T) is not an Invalid apperr.Error", err, err)
	}
	han := false
	for _, r := range ae.Msg {
		if unicode.Is(unicode.Han, r) {
			han = true
			break
		}
	}
	if !han {
		t.Fatalf("user message %q is not Chinese", ae.Msg)
	}
}

// plainRows strips row numbers.
func plainRows(rows []readRow) [][]string {
	var out [][]string
	for _, r := range rows {
		out = append(out, r.Cells)
	}
	return out
}
