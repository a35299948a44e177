package xlsx

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a CSV file may come in.
const (
	encUTF8 = iota
	encGB18030
	encUTF16
)

const (
	sniffChunk     = 64 << 10 // bytes examined per step when guessing the encoding
	sniffMax       = 4 << 20  // stop guessing after this many bytes of pure ASCII
	csvBufSize     = 64 << 10
	maxRecordBytes = 1 << 20 // longer CSV records are refused, not buffered
)

var errRecordTooLong = errors.New("csv record too long")

// csvReader reads a CSV file record by record.
type csvReader struct {
	cr        *csv.Reader
	in        *countingReader
	checkUTF8 bool // encoding guessed from an ASCII prefix: check every record
	maxRows   int
	maxCols   int
	row       int // spreadsheet row of the last record returned
	readRow   int // spreadsheet row of the last record read, returned or skipped
	endLine   int // line on which the last record read ended
}

func openCSV(r io.ReaderAt, size int64, name string, opts Options) (RowReader, error) {
	enc, bom, asciiOnly, err := sniffEncoding(r, size)
	if err != nil {
		return nil, fmt.Errorf("xlsx: read %q: %w", name, err)
	}
	var src io.Reader = io.NewSectionReader(r, int64(bom), size-int64(bom))
	switch enc {
	case encGB18030:
		src = transform.NewReader(src, simplifiedchinese.GB18030.NewDecoder())
	case encUTF16:
		// The decoder reads the byte-order mark itself.
		src = transform.NewReader(io.NewSectionReader(r, 0, size), unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	}
	in := &countingReader{r: src}
	br := bufio.NewReaderSize(in, csvBufSize)
	first, _ := br.Peek(csvBufSize)
	if t := bytes.TrimLeft(first, " \t\r\n"); len(t) > 0 && t[0] == '<' {
		return nil, userErr(nil, "文件“%s”不是CSV或Excel文件(内容像是网页或XML),请在Excel中另存为.xlsx或CSV后再导入", name)
	}
	comma := opts.Comma
	if comma == 0 {
		comma = detectComma(first)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.ReuseRecord = true
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	return &csvReader{cr: cr, in: in, checkUTF8: enc == encUTF8 && asciiOnly, maxRows: opts.MaxRows, maxCols: opts.MaxColumns}, nil
}

// sniffEncoding guesses the encoding of a CSV file from its beginning: a
// byte-order mark decides; otherwise the first chunk holding non-ASCII
// bytes is UTF-8 if it is valid UTF-8 (ignoring a sequence cut at the
// chunk's end), GB18030 if not. bom is the number of bytes to skip.
// asciiOnly reports that no non-ASCII byte was seen within sniffMax.
func sniffEncoding(r io.ReaderAt, size int64) (enc, bom int, asciiOnly bool, err error) {
	buf := make([]byte, min(size, sniffChunk))
	for off := int64(0); off < size && off < sniffMax; off += int64(len(buf)) {
		n, err := r.ReadAt(buf, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, 0, false, err
		}
		b := buf[:n]
		if off == 0 {
			switch {
			case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
				return encUTF8, 3, false, nil
			case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
				return encUTF16, 0, false, nil
			}
		}
		if isASCII(b) {
			if n < len(buf) {
				break
			}
			continue
		}
		if off+int64(n) < size {
			b = trimCutRune(b)
		}
		if utf8.Valid(b) {
			return encUTF8, 0, false, nil
		}
		return encGB18030, 0, false, nil
	}
	return encUTF8, 0, true, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// trimCutRune drops an incomplete UTF-8 sequence at the end of b.
func trimCutRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// Delimiter detection looks at up to sniffRecords non-blank records of the
// first csvBufSize bytes.
const sniffRecords = 50

// detectComma picks the delimiter (comma, tab or semicolon) under which the
// first records of b agree best on their number of fields: the one giving
// the most records of the same field count above 1, a record with a stray
// quote (a sign of splitting at the wrong character) counting as
// disagreeing. On a tie, of two candidates agreeing on two or more records
// the one giving more fields wins; otherwise comma, then tab, then
// semicolon: comma when in doubt. Counting over several records, not the
// delimiters of the first line, reads an F203 export whose header cells are
// paths such as "1-本月;营业收入;千元" as comma-separated, and a title row
// above the header (a single field, or a title followed by commas) is
// outvoted by the rows below it. If b is a full buffer, its last record,
// which may be cut, is left out.
func detectComma(b []byte) rune {
	best, bestScore, bestWidth := ',', 0, 0
	for _, comma := range []byte{',', '\t', ';'} {
		score, width := fieldAgreement(b, comma, len(b) >= csvBufSize)
		switch {
		case score > bestScore, score == bestScore && score >= 2 && width > bestWidth:
			best, bestScore, bestWidth = rune(comma), score, width
		}
	}
	return best
}

// fieldAgreement splits the first records of b at comma, as encoding/csv
// with LazyQuotes does, and returns how many of them have the most common
// field count above 1, and that count. Records with a stray quote count
// for none.
func fieldAgreement(b []byte, comma byte, cut bool) (score, width int) {
	counts := make(map[int]int)
	records := 0
	for i := 0; i < len(b) && records < sniffRecords; {
		fields, clean, next := splitRecord(b, i, comma)
		if next >= len(b) && cut {
			break // may continue beyond b
		}
		line := b[i:next]
		i = next
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			continue // blank lines are skipped when reading, too
		}
		records++
		if clean && fields > 1 {
			counts[fields]++
		}
	}
	for n, c := range counts {
		if c > score || c == score && n > width {
			score, width = c, n
		}
	}
	return score, width
}

// splitRecord reads the record of b starting at i: its number of fields,
// whether every quote in it is where CSV puts quotes (around a whole field,
// or doubled inside one), and the offset after its line break.
func splitRecord(b []byte, i int, comma byte) (fields int, clean bool, next int) {
	fields, clean = 1, true
	atStart := true // at the start of a field
	for i < len(b) {
		c := b[i]
		switch {
		case atStart && c == '"':
			// A quoted field: up to a quote followed by the delimiter,
			// a line break or the end; other quotes are kept (lazily).
			i++
			for i < len(b) {
				if b[i] != '"' {
					i++
					continue
				}
				if i+1 < len(b) && b[i+1] == '"' {
					i += 2
					continue
				}
				if i+1 == len(b) || b[i+1] == comma || b[i+1] == '\n' || b[i+1] == '\r' {
					break
				}
				clean = false
				i++
			}
			if i < len(b) {
				i++ // the closing quote
			}
			atStart = false
		case c == comma:
			fields++
			atStart = true
			i++
		case c == '\n':
			return fields, clean, i + 1
		default:
			if c == '"' {
				clean = false
			}
			atStart = false
			i++
		}
	}
	return fields, clean, i
}

func (x *csvReader) Next() ([]string, error) {
	for {
		rec, err := x.cr.Read()
		if err != nil {
			return nil, x.readErr(err)
		}
		x.in.base = x.cr.InputOffset()
		start, _ := x.cr.FieldPos(0)
		// Excel shows each blank line as a row and each record, even one
		// whose quoted fields hold line breaks, as one row.
		x.readRow += start - x.endLine
		if last := len(rec) - 1; strings.HasSuffix(rec[last], "\r") {
			rec[last] = strings.TrimRight(rec[last], "\r")
		}
		lines := 0
		empty := true
		for _, f := range rec {
			lines += strings.Count(f, "\n")
			if f != "" {
				empty = false
			}
		}
		x.endLine = start + lines
		if x.readRow > x.maxRows {
			return nil, errTooManyRows(x.maxRows)
		}
		if empty {
			continue
		}
		if rec, err = fitWidth(rec, x.readRow, x.maxCols); err != nil {
			return nil, err
		}
		if x.checkUTF8 {
			for _, f := range rec {
				if !utf8.ValidString(f) {
					return nil, userErr(nil, "第%d行: 文件编码无法识别(混有非UTF-8字符),请另存为UTF-8编码的CSV后再导入", x.readRow)
				}
			}
		}
		x.row = x.readRow
		return rec, nil
	}
}

func (x *csvReader) readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	row := x.readRow + 1
	if errors.Is(err, errRecordTooLong) {
		return userErr(err, "第%d行: 单行内容超过1MB,可能不是正常的CSV文件", row)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.StartLine > x.endLine {
			row = x.readRow + pe.StartLine - x.endLine
		}
		msg := "无法解析"
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			msg = "引号不匹配"
		case errors.Is(pe.Err, csv.ErrFieldCount):
			msg = "列数不一致"
		}
		return userErr(err, "第%d行: CSV格式错误: %s", row, msg)
	}
	return userErr(err, "第%d行: 读取文件失败", row)
}

func (x *csvReader) Row() int     { return x.row }
func (x *csvReader) Close() error { return nil }

// countingReader refuses to deliver more than maxRecordBytes beyond the end
// of the last complete record, so a file without line breaks (or with an
// unclosed quote) cannot make encoding/csv buffer all of it.
type countingReader struct {
	r    io.Reader
	n    int64 // bytes delivered
	base int64 // input offset of the end of the last record
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n-c.base > maxRecordBytes+csvBufSize {
		return 0, errRecordTooLong
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Numeric implements table.Rows: CSV cells have no type.
func (x *csvReader) Numeric(int) bool { return false }
