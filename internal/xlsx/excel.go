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

// xlsxReader reads one worksheet with excelize's streaming row iterator;
// see Open for what its cells hold.
type xlsxReader struct {
	f       *excelize.File
	rows    *excelize.Rows
	maxRows int
	seen    int // spreadsheet row of the iterator
	row     int // spreadsheet row of the last row returned
}

func openXLSX(r io.ReaderAt, size int64, name string, opts Options) (RowReader, error) {
	if err := checkZip(r, size, name, opts); err != nil {
		return nil, err
	}
	xo := excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    opts.UnzipSizeLimit,
		UnzipXMLSizeLimit: opts.UnzipXMLSizeLimit,
	}
	var (
		f   *excelize.File
		err error
	)
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
	return &xlsxReader{f: f, rows: rows, maxRows: opts.MaxRows}, nil
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
func checkZip(r io.ReaderAt, size int64, name string, opts Options) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return errNotExcel(name, err)
	}
	limit := uint64(opts.UnzipSizeLimit)
	xmlLimit := uint64(opts.UnzipXMLSizeLimit)
	tooLarge := func(zf *zip.File) error {
		return userErr(fmt.Errorf("zip part %q: %d bytes compressed, %d unzipped", zf.Name, zf.CompressedSize64, zf.UncompressedSize64), "%s", msgTooLarge)
	}
	var total, inMemory uint64
	for _, zf := range zr.File {
		if zf.Method != zip.Store && zf.Method != zip.Deflate {
			return errNotExcel(name, fmt.Errorf("zip part %q: compression method %d", zf.Name, zf.Method))
		}
		u := zf.UncompressedSize64
		if u > limit {
			return tooLarge(zf)
		}
		if total += u; total > limit {
			return tooLarge(zf)
		}
		if u <= xmlLimit {
			inMemory += u
		} else {
			if u/max(zf.CompressedSize64, 1) > maxRatio {
				return tooLarge(zf)
			}
			if !spillsToDisk(zf.Name) {
				inMemory += u
			}
		}
		if inMemory > inMemoryFactor*xmlLimit {
			return tooLarge(zf)
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
			return errNotExcel(name, fmt.Errorf("zip part %q: %w", zf.Name, err))
		}
		if counter != nil && counter.n > maxSharedStrings {
			return userErr(fmt.Errorf("zip part %q: %d strings", zf.Name, counter.n),
				"文件中不同的文字内容超过%d万项,请分批导入", maxSharedStrings/10_000)
		}
	}
	return nil
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
		empty := true
		for i, c := range cols {
			if c != "" {
				empty = false
				cols[i] = roundExcelNumber(c)
			}
		}
		if empty {
			continue
		}
		x.row = x.seen
		return cols, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, userErr(err, "文件超过%d行,请分批导入", excelize.TotalRows)
	}
	return nil, io.EOF
}

func (x *xlsxReader) Row() int { return x.row }

func (x *xlsxReader) Close() error {
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

// Numeric implements table.Rows.
func (x *xlsxReader) Numeric(int) bool { return false }
