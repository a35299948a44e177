// Package xlsx reads tabular files (CSV and Excel .xlsx) as rows of strings
// and writes .xlsx exports. It knows nothing about enterprises or plans.
//
// Reading streams: memory stays bounded whatever the number of rows (see
// Options for the limits), so the 400,000-row lists that statistics bureaus
// hand out can be imported on an ordinary office PC.
//
// Errors meant for the user are *apperr.Error values of kind Invalid with a
// Chinese message; the underlying cause, if any, is wrapped for the log.
package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/table"
)

// Format is the kind of a tabular file, detected from its content.
type Format int

// Formats.
const (
	FormatCSV Format = iota + 1
	FormatXLSX
)

func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "CSV"
	case FormatXLSX:
		return "XLSX"
	}
	return "unknown"
}

// RowReader yields the rows of one table, in order, as table.Rows, and
// holds the file's resources until closed.
//
// Rows without any non-empty cell (blank CSV lines, ",,,," lines, empty or
// only formatted spreadsheet rows) are skipped wherever they are; Row still
// reports the row number a spreadsheet shows, so gaps stay visible (CSV:
// the record number counting the header as 1 and blank lines as rows, as
// Excel shows the file).
type RowReader interface {
	table.Rows
	Close() error
}

// Default limits, see Options.
const (
	DefaultMaxRows = 2_000_000
	// DefaultMaxColumns is several times the widest sheet svcplan is
	// handed: a 联网直报 export of a whole form, every item with its
	// current and prior-year figures beside the firm's identity columns,
	// runs to one or two hundred columns, and the tax bureau's sheets and
	// the directory are narrower (the project and building importers
	// refuse headers over 200). A file beyond it is not an export but a
	// mistake or an attack: one row of 100,000 cells made the
	// column-mapping page, which lists every column once per field,
	// 60 MB; at 1,000 it stays under 1 MB.
	DefaultMaxColumns        = 1000
	DefaultUnzipSizeLimit    = 1 << 30 // 1 GiB
	DefaultUnzipXMLSizeLimit = 1 << 20 // 1 MiB
)

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Sheet is the name of the worksheet to read; empty means the first
	// sheet of the workbook. Ignored for CSV.
	Sheet string
	// MaxRows refuses files with more rows (spreadsheet row numbers, so
	// blank rows count). Default DefaultMaxRows.
	MaxRows int
	// MaxColumns refuses files with a row of more cells, counted up to
	// its last non-empty one (trailing empty cells, which a CSV saved from
	// a sheet with a stray format in a far column carries on every row,
	// are dropped, not counted). Default DefaultMaxColumns.
	MaxColumns int
	// Comma is the CSV field delimiter; 0 detects comma, tab or semicolon
	// from the first 50 records (within the first 64 KB): the one under
	// which most of them have the same number of fields (comma when in
	// doubt).
	Comma rune
	// UnzipSizeLimit caps the total unzipped size of all parts of an .xlsx
	// file, as declared in the ZIP directory and enforced while
	// inflating. Default DefaultUnzipSizeLimit (1 GiB): a 400,000-row,
	// 20-column sheet written with inline strings unzips to about 500 MB.
	UnzipSizeLimit int64
	// UnzipXMLSizeLimit is the size above which excelize spills a
	// worksheet or the shared-string table to a temporary file instead of
	// holding it in memory. All other parts are held in memory and
	// together may not exceed 64 times it. Default
	// DefaultUnzipXMLSizeLimit (1 MiB): excelize parses a shared-string
	// table held in memory into about 390 bytes per string (a 15 MB
	// table took 314 MB of heap), a spilled one into an index of about
	// 50 bytes per string (40 MB).
	UnzipXMLSizeLimit int64
}

func (o Options) withDefaults() Options {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxColumns <= 0 {
		o.MaxColumns = DefaultMaxColumns
	}
	if o.UnzipSizeLimit <= 0 {
		o.UnzipSizeLimit = DefaultUnzipSizeLimit
	}
	if o.UnzipXMLSizeLimit <= 0 {
		o.UnzipXMLSizeLimit = min(DefaultUnzipXMLSizeLimit, o.UnzipSizeLimit)
	}
	if o.UnzipXMLSizeLimit > o.UnzipSizeLimit {
		o.UnzipXMLSizeLimit = o.UnzipSizeLimit
	}
	return o
}

var (
	magicZIP  = []byte("PK\x03\x04")
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open detects the format of the file from its content and returns a reader
// of its rows. name is the file name as the user knows it, for messages
// (and to tell a renamed text file from a CSV). The caller closes the
// reader; r must stay readable until then.
//
// Content starting with the ZIP signature is read as .xlsx, the OLE2
// signature (old .xls, or an encrypted workbook) is refused, anything else
// is CSV, except that a file named .xlsx must be a ZIP.
//
// CSV: a UTF-8 or UTF-16 byte-order mark decides the encoding; otherwise
// the file is UTF-8 if its first non-ASCII bytes are valid UTF-8, else
// GB18030 (which covers GBK and GB2312). Quotes are lax (a stray quote
// inside a field is kept), rows may have any number of fields up to
// Options.MaxColumns, records longer than 1 MB are refused.
//
// Either format: a row wider than Options.MaxColumns, counting up to its
// last non-empty cell, is refused; trailing empty cells never come back.
//
// XLSX: the first visible worksheet, or Options.Sheet. Cells come back as
// stored in the file (excelize's RawCellValue), not as Excel formats them,
// except for two number formats: text as is; booleans as "1" or "0";
// formulas as their last computed value; numbers in their stored decimal
// form ("1234567.89", never "1,234,567.89", whatever decimals the format
// shows), rounded to the 15 significant digits Excel shows when a program
// stored the 16 or 17 digits of a binary double ("0.30000000000000004"
// becomes "0.3"). The exceptions: a number formatted with zeros only
// ("0000", "000000") reads with the leading zeros Excel shows (511 reads
// "0511"), and a number formatted as a date (the built-in date formats,
// including the Chinese ones such as yyyy"年"m"月"d"日", and custom formats
// with a year or day part; not times of day such as h:mm) reads as the ISO
// date "2006-01-02", in the workbook's own date system (1900, or 1904 when
// the workbook says date1904), its time of day dropped. Numeric reports
// the number cells (no t attribute, or t="n"), except those read as
// dates; table.Restore uses it to give codes back their leading zeros. A
// number a date format cannot show (negative, or beyond 2173) stays a
// number, and a date not formatted as one comes back as its serial day
// number ("45292" is 2024-01-01: see table.ParseDate, which also reads the
// text dates of CSV files). Types and styles are read in a second pass
// over the worksheet alongside excelize's; rows it cannot follow (rows out
// of order, unreadable cell references) come back as stored, without
// types.
//
// For .xlsx, r is best an *os.File: excelize then reads it from disk;
// any other io.ReaderAt is first copied into memory (its compressed size).
// Memory otherwise stays within the limits of Options, plus the index
// excelize keeps of the shared-string table Excel writes, about 50 bytes
// per distinct string (a 400,000-row list with 930,000 distinct strings
// peaked at 77 MB of heap); tables of more than 4 million strings are
// refused.
func Open(r io.ReaderAt, size int64, name string, opts Options) (RowReader, Format, error) {
	opts = opts.withDefaults()
	head := make([]byte, 8)
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("xlsx: read %q: %w", name, err)
	}
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, magicZIP):
		rr, err := openXLSX(r, size, name, opts)
		return rr, FormatXLSX, err
	case bytes.Equal(head, magicOLE2):
		if ext == ".xlsx" || ext == ".xlsm" {
			// Excel saves password-protected workbooks as OLE2 containers.
			return nil, 0, userErr(nil, "文件“%s”已加密或是旧版Excel格式,请在Excel中取消打开密码并另存为.xlsx或CSV后再导入", name)
		}
		return nil, 0, userErr(nil, "不支持旧版Excel(.xls)格式,请在Excel中另存为.xlsx或CSV后再导入")
	case ext == ".xlsx" || ext == ".xlsm":
		return nil, 0, errNotExcel(name, nil)
	}
	rr, err := openCSV(r, size, name, opts)
	return rr, FormatCSV, err
}

// userErr is an error whose message the user may see.
func userErr(cause error, format string, args ...any) error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: fmt.Sprintf(format, args...), Err: cause}
}

func errNotExcel(name string, cause error) error {
	return userErr(cause, "文件“%s”不是有效的Excel文件(可能已损坏或只是改了扩展名)", name)
}

func errTooManyRows(max int) error {
	return userErr(nil, "文件超过%d行,请分批导入", max)
}

// fitWidth drops the trailing empty cells of a row (the readers' callers
// may not rely on them: table.Rows says they may be absent) and refuses a
// row still wider than max, before anyone holds on to its cells.
func fitWidth(cells []string, row, max int) ([]string, error) {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	if n > max {
		return nil, userErr(nil, "第%d行有%d列,超过上限%d列:请检查文件是否为导出的报表,删去多余的列后再导入", row, n, max)
	}
	return cells[:n], nil
}

var msgTooLarge = "文件解压后过大,可能不是正常的Excel文件"
