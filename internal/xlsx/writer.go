package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Decimal is an exact decimal number written as a numeric cell, for money
// and other amounts that must not go through float64 rounding: "1234567.89",
// "-0.5", "100". It is written digit for digit when it has at most 15
// significant digits (what an Excel cell holds); a longer one is written as
// a text cell so that no digit is lost. The empty Decimal is an empty cell.
type Decimal string

// Percent is a rate or a share as an exact decimal fraction, "-0.035" for
// −3.5%, written as a numeric cell holding that fraction with the number
// format 0.0%: Excel and WPS show -3.5%. A percent cell holds the fraction
// in both (their % button makes the same), so formulas, charts, sorting
// and more or fewer decimals work on it as on any percentage. The other
// way, -3.5 under the format 0.0"%", looks the same but is off by a factor
// 100 in every formula that uses it, and shows -350.0% once someone applies
// the ordinary percent format. The empty Percent is an empty cell; where
// there is no rate, write money.NoValue (text) instead.
type Percent string

// percentFormat shows a Percent to one decimal, as growth rates and shares
// are published.
const percentFormat = "0.0%"

// sizingRows is how many data rows the Writer holds back to choose column
// widths before it starts streaming.
const sizingRows = 100

// Writer writes one worksheet of an .xlsx export, streaming: rows go to a
// temporary file, not memory, until Close assembles the workbook.
//
// Strings are always written as text cells, never as formulas, and a string
// starting with =, +, -, @, a tab or a carriage return gets a leading single
// quote (formula injection: the export may be saved as CSV and opened
// elsewhere).
type Writer struct {
	out         io.Writer
	f           *excelize.File
	sw          *excelize.StreamWriter
	headerStyle int
	dateStyle   int
	pctStyle    int
	header      []any
	pending     [][]any // rows held back to size the columns
	widths      []float64
	started     bool
	closed      bool
	row         int // last row written to the stream
	sheet       string
	printTitle  string // when set, the sheet prints on A4 landscape with this title
}

// NewWriter returns a Writer of a workbook with one sheet named sheet.
func NewWriter(w io.Writer, sheet string) (*Writer, error) {
	f := excelize.NewFile()
	fail := func(err error) (*Writer, error) {
		_ = f.Close()
		return nil, fmt.Errorf("xlsx: new writer: %w", err)
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fail(err)
	}
	headerStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return fail(err)
	}
	pctFmt := percentFormat
	pctStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pctFmt})
	if err != nil {
		return fail(err)
	}
	return &Writer{out: w, f: f, sw: sw, headerStyle: headerStyle, dateStyle: dateStyle, pctStyle: pctStyle, sheet: sheet}, nil
}

// PrintA4 makes the sheet print as offices print a 调度表: A4 landscape,
// one page wide, the header row repeated on every page, the title above
// and 第N页 共M页 below.
func (w *Writer) PrintA4(title string) { w.printTitle = title }

// setPrint applies PrintA4's page setup.
func (w *Writer) setPrint() error {
	size, landscape, one, zero, fit := 9, "landscape", 1, 0, true // 9 is A4
	if err := w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape,
		FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := w.f.SetSheetProps(w.sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	title := strings.NewReplacer("&", "&&", `"`, "").Replace(w.printTitle)
	if err := w.f.SetHeaderFooter(w.sheet, &excelize.HeaderFooterOptions{OddHeader: "&C&\"-,Bold\"&14" + title,
		OddFooter: "&C第 &P 页,共 &N 页"}); err != nil {
		return err
	}
	if w.header == nil {
		return nil
	}
	return w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + w.sheet + "'!$1:$1", Scope: w.sheet})
}

// WriteHeader writes the header row: bold, frozen above the data. It must
// come before any WriteRow.
func (w *Writer) WriteHeader(cols []string) error {
	if w.header != nil || len(w.pending) > 0 || w.started {
		return errors.New("xlsx: WriteHeader after rows")
	}
	w.header = make([]any, len(cols))
	for i, c := range cols {
		c = Neutralize(c)
		w.header[i] = excelize.Cell{StyleID: w.headerStyle, Value: c}
		w.fit(i, displayWidth(c))
	}
	return nil
}

// WriteRow writes one row. Values may be nil (empty cell), string, Decimal,
// Percent, any integer type, float32 or float64 (for measures that are not money;
// NaN and infinities are refused) and time.Time, written as a date
// (yyyy-mm-dd) of its calendar day in its own location; the zero time is an
// empty cell.
func (w *Writer) WriteRow(vals []any) error {
	if w.closed {
		return errors.New("xlsx: WriteRow after Close")
	}
	row := make([]any, len(vals))
	for i, v := range vals {
		cell, wd, err := w.cell(v)
		if err != nil {
			return fmt.Errorf("xlsx: column %d: %w", i+1, err)
		}
		row[i] = cell
		if !w.started {
			w.fit(i, wd)
		}
	}
	if !w.started {
		w.pending = append(w.pending, row)
		if len(w.pending) < sizingRows {
			return nil
		}
		return w.start()
	}
	return w.setRow(row)
}

// cell converts a value to what the stream writer takes, with its display
// width.
func (w *Writer) cell(v any) (any, int, error) {
	switch v := v.(type) {
	case nil:
		return nil, 0, nil
	case string:
		v = Neutralize(v)
		return v, displayWidth(v), nil
	case Decimal:
		return decimalCell(v)
	case Percent:
		return w.percentCell(v)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		s := fmt.Sprint(v)
		return v, len(s), nil
	case float32:
		return w.cell(float64(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fmt.Errorf("not a finite number: %v", v)
		}
		return v, len(strconv.FormatFloat(v, 'f', -1, 64)), nil
	case time.Time:
		if v.IsZero() {
			return nil, 0, nil
		}
		y, m, d := v.Date()
		return excelize.Cell{StyleID: w.dateStyle, Value: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}, 10, nil
	}
	return nil, 0, fmt.Errorf("unsupported cell type %T", v)
}

// decimalCell validates d and returns a float64 that excelize writes back
// digit for digit, or the text itself when a double cannot carry it.
func decimalCell(d Decimal) (any, int, error) {
	s := string(d)
	if s == "" {
		return nil, 0, nil
	}
	canon, ok := canonicalDecimal(s)
	if !ok {
		return nil, 0, fmt.Errorf("not a decimal number: %q", s)
	}
	v, err := strconv.ParseFloat(canon, 64)
	if err == nil && strconv.FormatFloat(v, 'f', -1, 64) == canon && significantDigits(canon) <= 15 {
		return v, len(canon), nil
	}
	return canon, len(canon), nil
}

// percentCell validates p and returns it as a number in the percent style,
// with the width of what a spreadsheet shows ("-3.5%"). The nearest double
// is close enough for a rate: unlike money, no digit of it is a fen.
func (w *Writer) percentCell(p Percent) (any, int, error) {
	if p == "" {
		return nil, 0, nil
	}
	canon, ok := canonicalDecimal(string(p))
	if !ok {
		return nil, 0, fmt.Errorf("not a decimal fraction: %q", string(p))
	}
	v, err := strconv.ParseFloat(canon, 64)
	if err != nil || math.IsInf(v, 0) {
		return nil, 0, fmt.Errorf("not a decimal fraction: %q", string(p))
	}
	shown := strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	return excelize.Cell{StyleID: w.pctStyle, Value: v}, len(shown), nil
}

// canonicalDecimal checks s is [-]digits[.digits] and returns it without
// leading zeros, trailing fraction zeros or a negative zero.
func canonicalDecimal(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func significantDigits(canon string) int {
	s := strings.TrimLeft(strings.Replace(strings.TrimPrefix(canon, "-"), ".", "", 1), "0")
	return len(s)
}

// Neutralize returns s with a leading single quote when a spreadsheet could
// take it for a formula: when it starts with =, +, -, @, a tab or a carriage
// return. Other strings, "1-2" or "中文" for instance, are returned as is.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// displayWidth counts East Asian wide and full-width characters double, as
// they take two columns in a spreadsheet.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func (w *Writer) fit(col, chars int) {
	for len(w.widths) <= col {
		w.widths = append(w.widths, 0)
	}
	w.widths[col] = max(w.widths[col], float64(chars))
}

// start sets the column widths and the frozen header, then streams the
// header and the rows held back.
func (w *Writer) start() error {
	w.started = true
	for i, chars := range w.widths {
		if err := w.sw.SetColWidth(i+1, i+1, min(max(chars+2, 8), 60)); err != nil {
			return fmt.Errorf("xlsx: column width: %w", err)
		}
	}
	if w.header != nil {
		err := w.sw.SetPanes(&excelize.Panes{
			Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
		})
		if err != nil {
			return fmt.Errorf("xlsx: freeze header: %w", err)
		}
		if err := w.setRow(w.header); err != nil {
			return err
		}
	}
	for _, row := range w.pending {
		if err := w.setRow(row); err != nil {
			return err
		}
	}
	w.pending = nil
	return nil
}

func (w *Writer) setRow(row []any) error {
	if w.row >= excelize.TotalRows {
		return userErr(nil, "导出超过Excel的%d行上限,请缩小范围后分批导出", excelize.TotalRows)
	}
	w.row++
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return fmt.Errorf("xlsx: row %d: %w", w.row, err)
	}
	if err := w.sw.SetRow(cell, row); err != nil {
		return fmt.Errorf("xlsx: row %d: %w", w.row, err)
	}
	return nil
}

// Close writes the workbook to the writer given to NewWriter and removes
// the temporary files. A Writer that failed should still be closed; its
// output is then incomplete.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	defer w.f.Close()
	if !w.started {
		if err := w.start(); err != nil {
			return err
		}
	}
	if w.printTitle != "" {
		if err := w.setPrint(); err != nil {
			return fmt.Errorf("xlsx: page setup: %w", err)
		}
	}
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush: %w", err)
	}
	if err := w.f.Write(w.out); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("xlsx: remove temporary files: %w", err)
	}
	return nil
}
