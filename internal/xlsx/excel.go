package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxRatio is the highest compression ratio accepted for a part larger than
// UnzipXMLSizeLimit. Real worksheets compress 5 to 15 times (the generated
// 400,000-row list: 7.7); repeated rows reach about 1,000, deflate's limit.
const maxRatio = 100

// inMemoryFactor times UnzipXMLSizeLimit bounds the parts excelize keeps in
// memory (everything except worksheets and the shared-string table above
// UnzipXMLSizeLimit, which go to temporary files).
const inMemoryFactor = 64

// maxSharedStrings bounds the shared-string table, which excelize indexes
// in memory however large it is (about 50 bytes a string): 4 million
// strings is 4 times what a 400,000-row list holds.
const maxSharedStrings = 4_000_000

// xlsxReader reads one worksheet with excelize's streaming row iterator,
// and the cells' types and styles with a sheetScanner over the same part;
// see Open for what its cells hold.
type xlsxReader struct {
	f        *excelize.File
	rows     *excelize.Rows
	maxRows  int
	maxCols  int
	seen     int // spreadsheet row of the iterator
	row      int // spreadsheet row of the last row returned
	scan     *sheetScanner
	part     io.ReadCloser // what scan reads
	date1904 bool
	formats  []cellFormat // by cell style, looked up when first met
	numeric  []bool       // of the last row returned
}

func openXLSX(r io.ReaderAt, size int64, name string, opts Options) (RowReader, error) {
	zr, err := checkZip(r, size, name, opts)
	if err != nil {
		return nil, err
	}
	xo := excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    opts.UnzipSizeLimit,
		UnzipXMLSizeLimit: opts.UnzipXMLSizeLimit,
	}
	var f *excelize.File
	if path, ok := filePath(r, size); ok {
		f, err = excelize.OpenFile(path, xo)
	} else {
		f, err = excelize.OpenReader(io.NewSectionReader(r, 0, size), xo)
	}
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, userErr(err, "%s", msgTooLarge)
		}
		if errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, userErr(err, "文件“%s”已加密,请在Excel中取消打开密码后再导入", name)
		}
		return nil, errNotExcel(name, err)
	}
	sheet, err := pickSheet(f, name, opts.Sheet)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		_ = f.Close()
		return nil, errNotExcel(name, fmt.Errorf("sheet %q: %w", sheet, err))
	}
	x := &xlsxReader{f: f, rows: rows, maxRows: opts.MaxRows, maxCols: opts.MaxColumns}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	// Without the scanner (a part it cannot find), cells read as before
	// it existed: without types and formats.
	if zf := sheetPart(zr, f, sheet, opts.UnzipXMLSizeLimit); zf != nil {
		if rc, err := zf.Open(); err == nil {
			x.part, x.scan = rc, newSheetScanner(rc)
		}
	}
	return x, nil
}

// filePath returns the path of r when r is an *os.File still reachable under
// its name, so excelize can read it from disk instead of from memory.
func filePath(r io.ReaderAt, size int64) (string, bool) {
	osf, ok := r.(*os.File)
	if !ok {
		return "", false
	}
	fi1, err := osf.Stat()
	if err != nil || fi1.Size() != size {
		return "", false
	}
	fi2, err := os.Stat(osf.Name())
	if err != nil || !os.SameFile(fi1, fi2) {
		return "", false
	}
	return osf.Name(), true
}

// checkZip first looks at the ZIP directory alone and refuses files whose
// parts would unzip to more than the limits allow, so a zip bomb fails
// before anything is inflated, allocated or written to a temporary file.
// Sizes are those the directory declares; archive/zip fails a part that
// inflates to more than its declared size. Then it inflates each part once
// (into nothing) to check its CRC-32.
func checkZip(r io.ReaderAt, size int64, name string, opts Options) (*zip.Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, errNotExcel(name, err)
	}
	limit := uint64(opts.UnzipSizeLimit)
	xmlLimit := uint64(opts.UnzipXMLSizeLimit)
	tooLarge := func(zf *zip.File) error {
		return userErr(fmt.Errorf("zip part %q: %d bytes compressed, %d unzipped", zf.Name, zf.CompressedSize64, zf.UncompressedSize64), "%s", msgTooLarge)
	}
	var total, inMemory uint64
	for _, zf := range zr.File {
		if zf.Method != zip.Store && zf.Method != zip.Deflate {
			return nil, errNotExcel(name, fmt.Errorf("zip part %q: compression method %d", zf.Name, zf.Method))
		}
		u := zf.UncompressedSize64
		if u > limit {
			return nil, tooLarge(zf)
		}
		if total += u; total > limit {
			return nil, tooLarge(zf)
		}
		if u <= xmlLimit {
			inMemory += u
		} else {
			if u/max(zf.CompressedSize64, 1) > maxRatio {
				return nil, tooLarge(zf)
			}
			if !spillsToDisk(zf.Name) {
				inMemory += u
			}
		}
		if inMemory > inMemoryFactor*xmlLimit {
			return nil, tooLarge(zf)
		}
	}
	// excelize ignores inflate and checksum errors of most parts and would
	// return the rows up to a damaged spot as if the sheet ended there.
	// Inflating every part once beforehand costs about 3% of the read
	// (0.6 s of 22 s for 400,000 rows).
	for _, zf := range zr.File {
		var counter *siCounter
		if isSharedStrings(zf.Name) {
			counter = &siCounter{}
		}
		if err := verifyPart(zf, counter); err != nil {
			return nil, errNotExcel(name, fmt.Errorf("zip part %q: %w", zf.Name, err))
		}
		if counter != nil && counter.n > maxSharedStrings {
			return nil, userErr(fmt.Errorf("zip part %q: %d strings", zf.Name, counter.n),
				"文件中不同的文字内容超过%d万项,请分批导入", maxSharedStrings/10_000)
		}
	}
	return zr, nil
}

// verifyPart inflates a part, checking its size and CRC-32, into counter
// if not nil.
func verifyPart(zf *zip.File, counter *siCounter) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var w io.Writer = io.Discard
	if counter != nil {
		w = counter
	}
	_, err = io.Copy(w, rc)
	return err
}

// siCounter counts the string items of a shared-string table written to
// it: start tags named si, with or without a namespace prefix.
type siCounter struct {
	n     int
	inTag bool   // after a '<', reading the tag name
	name  []byte // the tag name so far
}

func (c *siCounter) Write(p []byte) (int, error) {
	for i := 0; i < len(p); i++ {
		if !c.inTag {
			j := bytes.IndexByte(p[i:], '<')
			if j < 0 {
				break
			}
			i += j
			c.inTag, c.name = true, c.name[:0]
			continue
		}
		switch b := p[i]; b {
		case '>', '/', ' ', '\t', '\n', '\r':
			// An end tag ("</si>") has an empty name.
			if string(c.name) == "si" || bytes.HasSuffix(c.name, []byte(":si")) {
				c.n++
			}
			c.inTag = false
		default:
			c.name = append(c.name, b)
			c.inTag = len(c.name) <= 32
		}
	}
	return len(p), nil
}

// spillsToDisk reports whether excelize unzips a part larger than
// UnzipXMLSizeLimit to a temporary file (worksheets, shared strings)
// rather than into memory.
func spillsToDisk(name string) bool {
	return strings.HasPrefix(partName(name), "xl/worksheets/sheet") || isSharedStrings(name)
}

func isSharedStrings(name string) bool { return partName(name) == "xl/sharedstrings.xml" }

// partName is a ZIP entry name as excelize matches it, lower-cased.
func partName(name string) string { return strings.ToLower(strings.ReplaceAll(name, `\`, "/")) }

// pickSheet returns want if the workbook has it, else the first visible
// worksheet.
func pickSheet(f *excelize.File, name, want string) (string, error) {
	list := f.GetSheetList()
	if want != "" {
		for _, s := range list {
			if s == want {
				return s, nil
			}
		}
		return "", userErr(nil, "文件“%s”中没有名为“%s”的工作表", name, want)
	}
	for _, s := range list {
		if visible, err := f.GetSheetVisible(s); err == nil && visible {
			return s, nil
		}
	}
	if len(list) > 0 {
		return list[0], nil
	}
	return "", errNotExcel(name, errors.New("workbook has no sheet"))
}

func (x *xlsxReader) Next() ([]string, error) {
	for x.rows.Next() {
		x.seen++
		if x.seen > x.maxRows {
			return nil, errTooManyRows(x.maxRows)
		}
		cols, err := x.rows.Columns()
		if err != nil {
			return nil, userErr(err, "第%d行: 无法读取单元格,文件可能已损坏", x.seen)
		}
		if !hasValue(cols) {
			continue
		}
		if cols, err = fitWidth(cols, x.seen, x.maxCols); err != nil {
			return nil, err
		}
		var cells []cellInfo
		typed := false
		if x.scan != nil {
			cells, typed = x.scan.cellsOf(x.seen)
		}
		x.numeric = append(x.numeric[:0], make([]bool, len(cols))...)
		if typed && matches(cols, cells) {
			x.format(cols, cells)
		} else {
			for i, c := range cols {
				cols[i] = roundExcelNumber(c)
			}
		}
		x.row = x.seen
		return cols, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, userErr(err, "文件超过%d行,请分批导入", excelize.TotalRows)
	}
	return nil, io.EOF
}

func hasValue(cols []string) bool {
	for _, c := range cols {
		if c != "" {
			return true
		}
	}
	return false
}

// matches reports whether the scanner has a cell for every value excelize
// read: then the two read the row alike.
func matches(cols []string, cells []cellInfo) bool {
	j := 0
	for i, c := range cols {
		if c == "" {
			continue
		}
		for j < len(cells) && cells[j].col < i+1 {
			j++
		}
		if j == len(cells) || cells[j].col != i+1 {
			return false
		}
	}
	return true
}

// format turns the number cells of a row into what Open says they read as
// and marks those that stay numbers.
func (x *xlsxReader) format(cols []string, cells []cellInfo) {
	j := 0
	for i, c := range cols {
		if c == "" {
			continue
		}
		for cells[j].col < i+1 {
			j++
		}
		cell := cells[j]
		if cell.kind != cellNumber {
			continue // text as stored
		}
		c = roundExcelNumber(c)
		switch cf := x.cellFormat(cell.style); cf.kind {
		case fmtDate:
			if d, ok := dateText(c, x.date1904); ok {
				cols[i] = d // a date, no longer a number
				continue
			}
		case fmtZeros:
			c = padZeros(c, cf.width)
		}
		cols[i] = c
		x.numeric[i] = true
	}
}

// cellFormat returns the number format of a cell style, looking it up once.
func (x *xlsxReader) cellFormat(style int) cellFormat {
	if style < 0 || style >= excelize.MaxCellStyles {
		return cellFormat{}
	}
	if style >= len(x.formats) {
		x.formats = append(x.formats, make([]cellFormat, style+1-len(x.formats))...)
	}
	if !x.formats[style].known {
		x.formats[style] = styleFormat(x.f, style)
	}
	return x.formats[style]
}

func (x *xlsxReader) Row() int { return x.row }

func (x *xlsxReader) Close() error {
	if x.part != nil {
		_ = x.part.Close() // a reader of the ZIP; nothing to flush
	}
	_ = x.rows.Close() // only closes the temporary file; repeats rows.Error()
	if err := x.f.Close(); err != nil {
		return fmt.Errorf("xlsx: remove temporary files: %w", err)
	}
	return nil
}

// roundExcelNumber rounds a stored number of 16 or 17 significant digits,
// such as "1234567.8899999999" or "0.30000000000000004" (spreadsheet
// programs write up to the 17 digits that identify a binary double), to the
// 15 digits Excel displays. Anything else is returned unchanged: long digit
// strings without a decimal point (ID numbers stored as text), and
// decimals of 18 or more digits, which no double carries, so they can only
// be text.
func roundExcelNumber(s string) string {
	if len(s) < 17 || len(s) > 40 {
		return s
	}
	digits, dot, lead := 0, false, true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '0' && lead:
		case c >= '0' && c <= '9':
			digits++
			lead = false
		case c == '.' && !dot:
			dot = true
		case c == '-' && i == 0:
		default:
			return s
		}
	}
	if !dot || digits < 16 || digits > 17 {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Numeric implements table.Rows: cell i of the last row is a number cell
// (not text, a boolean, an error or a date).
func (x *xlsxReader) Numeric(i int) bool { return i >= 0 && i < len(x.numeric) && x.numeric[i] }
