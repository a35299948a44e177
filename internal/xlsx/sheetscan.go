package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// excelize's streaming iterator gives a cell's value but not its type or
// style, which say whether it is a number and how Excel shows it. A
// sheetScanner reads them from a second, byte-level pass over the same
// worksheet part, kept in step with excelize by row number: it looks only
// at the start tags of <row> and <c> elements (with or without a namespace
// prefix) and at their r, s and t attributes, and numbers rows and cells
// as excelize does (a row or a cell without r follows the one before).
// Anything it cannot follow (rows out of order, a cell reference it cannot
// read, a tag longer than its buffer) ends the scan, and the rows from
// there on are read without types, as before there was a scanner.

// Limits of the scanner.
const (
	scanBufSize  = 64 << 10 // also the longest tag followed
	scanMaxCells = 16_384   // cells of one row (Excel's column count)
)

// cellKind is what the worksheet says a cell holds.
type cellKind uint8

const (
	cellOther  cellKind = iota // text, boolean, error, formula text, or unknown
	cellNumber                 // a number: no t attribute, or t="n"
)

// cellInfo is one <c> element of a row.
type cellInfo struct {
	col   int // 1-based
	kind  cellKind
	style int // the s attribute: an index into the cell formats of styles.xml
}

type sheetScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int  // unread data is buf[pos:end]
	eof      bool // r has no more data
	done     bool // no rows after the current one: sheetData ended, or the scan gave up

	started bool // the first <row> has been read
	next    int  // number of the <row> read ahead, when started && !done
	row     int  // number of the row whose cells are in cells
	cells   []cellInfo
	ok      bool // cells are trustworthy: columns in order and readable
}

func newSheetScanner(r io.Reader) *sheetScanner {
	return &sheetScanner{r: r, buf: make([]byte, scanBufSize)}
}

// cellsOf returns the cells of row n, when the scanner could follow the
// sheet up to and including it. Rows must be asked for in increasing
// order.
func (s *sheetScanner) cellsOf(n int) ([]cellInfo, bool) {
	if !s.started {
		s.started = true
		s.seekFirstRow()
	}
	for s.row < n && !s.done {
		s.readRow()
	}
	if s.row != n || !s.ok {
		return nil, false
	}
	return s.cells, true
}

// seekFirstRow reads up to the first <row> start tag; cells before it
// belong to no row, as for excelize.
func (s *sheetScanner) seekFirstRow() {
	for {
		tok := s.nextTag()
		switch tok.kind {
		case tagRow:
			if tok.num == 0 {
				tok.num = 1
			}
			s.setNext(tok.num)
			return
		case tagEnd:
			s.done = true
			return
		}
	}
}

// setNext records the number of the row read ahead: excelize numbers a
// row without r (or with r="0") one after the last.
func (s *sheetScanner) setNext(n int) {
	if n < 1 || n > excelize.TotalRows || n <= s.row {
		// Out of order or out of range: excelize merges or refuses
		// such rows; give up rather than guess.
		s.ok = false
		s.done = true
		return
	}
	s.next = n
}

// readRow makes the row read ahead the current one and reads its cells,
// up to the next <row> or the end of sheetData.
func (s *sheetScanner) readRow() {
	s.row, s.cells, s.ok = s.next, s.cells[:0], true
	col := 0
	for {
		tok := s.nextTag()
		switch tok.kind {
		case tagCell:
			col++
			if tok.col != 0 {
				col = tok.col
			}
			if tok.bad || tok.col < 0 || len(s.cells) >= scanMaxCells ||
				len(s.cells) > 0 && col <= s.cells[len(s.cells)-1].col {
				s.ok = false
				continue
			}
			s.cells = append(s.cells, cellInfo{col: col, kind: tok.cell, style: tok.style})
		case tagRow:
			if tok.num == 0 {
				tok.num = s.row + 1
			}
			s.setNext(tok.num)
			return
		case tagEnd:
			s.done = true
			return
		}
	}
}

// Kinds of tags the scanner reports.
const (
	tagRow  = iota + 1 // <row> start tag
	tagCell            // <c> start tag (its content skipped)
	tagEnd             // </sheetData>, the end of the part, or the scan gave up
)

type tag struct {
	kind  int
	num   int // tagRow: the r attribute, 0 if absent or unreadable
	col   int // tagCell: column of the r attribute; 0 if absent, -1 if unreadable
	cell  cellKind
	style int
	bad   bool // tagCell: attributes excelize would not read
}

// nextTag returns the next <row> or <c> start tag, or tagEnd.
func (s *sheetScanner) nextTag() tag {
	for {
		if !s.toMarkup() {
			return tag{kind: tagEnd}
		}
		// buf[s.pos] is '<'.
		if !s.need(2) {
			return s.giveUp()
		}
		switch s.buf[s.pos+1] {
		case '!', '?':
			if !s.skipSpecial() {
				return s.giveUp()
			}
			continue
		case '/':
			name, ok := s.nameAt(s.pos + 2)
			if !ok {
				return s.giveUp()
			}
			if string(localName(name)) == "sheetData" {
				s.done = true
				return tag{kind: tagEnd}
			}
			s.pos++
			continue
		}
		name, ok := s.nameAt(s.pos + 1)
		if !ok {
			return s.giveUp()
		}
		local := localName(name)
		isRow, isCell := string(local) == "row", string(local) == "c"
		if !isRow && !isCell {
			s.pos++ // '<' never occurs inside a tag: the next one starts the next markup
			continue
		}
		end, ok := s.tagEnd(s.pos + 1 + len(name))
		if !ok {
			return s.giveUp()
		}
		attrs := s.buf[s.pos+1+len(name) : end]
		empty := len(attrs) > 0 && attrs[len(attrs)-1] == '/'
		var t tag
		if isRow {
			t = rowTag(attrs)
		} else {
			t = cellTag(attrs)
		}
		s.pos = end + 1
		if isCell && !empty && !s.skipCell() {
			return s.giveUp()
		}
		return t
	}
}

func (s *sheetScanner) giveUp() tag {
	s.ok = false
	s.done = true
	return tag{kind: tagEnd}
}

// rowTag reads the attributes of a <row> start tag: the first r, as
// excelize reads it.
func rowTag(attrs []byte) tag {
	t := tag{kind: tagRow}
	for i := 0; ; {
		name, val, next, ok := nextAttr(attrs, i)
		if !ok {
			return t
		}
		i = next
		if string(name) == "r" {
			t.num = atoiBytes(val)
			return t
		}
	}
}

// cellTag reads the attributes of a <c> start tag in order, as excelize
// does: an unreadable s stops it (and excelize drops the cell's value).
func cellTag(attrs []byte) tag {
	t := tag{kind: tagCell, cell: cellNumber}
	for i := 0; ; {
		name, val, next, ok := nextAttr(attrs, i)
		if !ok {
			return t
		}
		i = next
		switch string(name) {
		case "r":
			t.col = cellColumn(val)
		case "s":
			n, ok := parseStyle(val)
			if !ok {
				t.bad = true
				return t
			}
			t.style = n
		case "t":
			t.cell = cellOther
			if len(val) == 0 || string(val) == "n" {
				t.cell = cellNumber
			}
		}
	}
}

// toMarkup moves pos to the next '<', reading more as needed; false at the
// end of the input.
func (s *sheetScanner) toMarkup() bool {
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '<'); i >= 0 {
			s.pos += i
			return true
		}
		s.pos = s.end
		if !s.fill() {
			return false
		}
	}
}

// fill moves the unread data to the front of buf and reads more after it;
// false if nothing more could be read (end of input, or buf is full).
func (s *sheetScanner) fill() bool {
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	for !s.eof && s.end < len(s.buf) {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			// A read error (a damaged part) ends the scan like the end
			// of the part: the rows after it are read without types.
			s.eof = true
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// need makes sure n bytes from pos are in buf.
func (s *sheetScanner) need(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// nameAt returns the tag name starting at buf[off], which must not be
// before pos.
func (s *sheetScanner) nameAt(off int) ([]byte, bool) {
	for {
		for i := off; i < s.end; i++ {
			switch s.buf[i] {
			case ' ', '\t', '\r', '\n', '/', '>':
				return s.buf[off:i], true
			}
		}
		rel := off - s.pos
		if !s.fill() {
			return nil, false
		}
		off = s.pos + rel
	}
}

// tagEnd returns the offset of the '>' closing the tag whose attributes
// start at off, outside quoted attribute values.
func (s *sheetScanner) tagEnd(off int) (int, bool) {
	var quote byte
	i := off
	for {
		for ; i < s.end; i++ {
			switch c := s.buf[i]; {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				return i, true
			}
		}
		rel := i - s.pos
		if !s.fill() {
			return 0, false
		}
		i = s.pos + rel
	}
}

// skipSpecial skips a comment, CDATA section or processing instruction at
// pos (which may hold a '<' that is not markup); other declarations
// (<!DOCTYPE …>) are stepped into like tags.
func (s *sheetScanner) skipSpecial() bool {
	s.need(9)
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return s.skipPast(4, "-->")
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		return s.skipPast(9, "]]>")
	case bytes.HasPrefix(rest, []byte("<?")):
		return s.skipPast(2, "?>")
	}
	s.pos++
	return true
}

// skipPast moves pos past the first delim found from pos+from.
func (s *sheetScanner) skipPast(from int, delim string) bool {
	if !s.need(from) {
		return false
	}
	s.pos += from
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte(delim)); i >= 0 {
			s.pos += i + len(delim)
			return true
		}
		s.pos = max(s.pos, s.end-len(delim)+1)
		if !s.fill() {
			return false
		}
	}
}

// skipCell moves pos past the end tag of the cell whose start tag was just
// read: its content (<v>, <f>, <is>) does not matter here.
func (s *sheetScanner) skipCell() bool {
	for {
		if !s.toMarkup() || !s.need(2) {
			return false
		}
		switch s.buf[s.pos+1] {
		case '!', '?':
			if !s.skipSpecial() {
				return false
			}
			continue
		case '/':
			name, ok := s.nameAt(s.pos + 2)
			if !ok {
				return false
			}
			if string(localName(name)) == "c" {
				s.pos += 2 + len(name)
				return true
			}
		}
		s.pos++
	}
}

// localName is a name without its namespace prefix, split as encoding/xml
// splits it.
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i > 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

// nextAttr returns the attribute of a tag's attribute text starting at or
// after i: its local name and its value (entities not decoded).
func nextAttr(attrs []byte, i int) (name, val []byte, next int, ok bool) {
	skip := func() {
		for i < len(attrs) && (attrs[i] == ' ' || attrs[i] == '\t' || attrs[i] == '\r' || attrs[i] == '\n') {
			i++
		}
	}
	skip()
	start := i
	for i < len(attrs) && attrs[i] != '=' && attrs[i] != ' ' && attrs[i] != '\t' && attrs[i] != '\r' && attrs[i] != '\n' && attrs[i] != '/' {
		i++
	}
	name = attrs[start:i]
	skip()
	if len(name) == 0 || i >= len(attrs) || attrs[i] != '=' {
		return nil, nil, 0, false
	}
	i++
	skip()
	if i >= len(attrs) || attrs[i] != '"' && attrs[i] != '\'' {
		return nil, nil, 0, false
	}
	q := attrs[i]
	j := bytes.IndexByte(attrs[i+1:], q)
	if j < 0 {
		return nil, nil, 0, false
	}
	return localName(name), attrs[i+1 : i+1+j], i + 2 + j, true
}

// atoiBytes reads a row number as excelize does (strconv.Atoi, 0 when it
// cannot); numbers beyond Excel's rows are returned as TotalRows+1.
func atoiBytes(b []byte) int {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		if n <= excelize.TotalRows {
			n = n*10 + int(c-'0')
		}
	}
	if neg {
		return -n
	}
	return min(n, excelize.TotalRows+1)
}

// parseStyle reads an s attribute.
func parseStyle(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// cellColumn returns the column of a cell reference such as "AB12" or
// "$A$1", or -1 if it is not one.
func cellColumn(ref []byte) int {
	col, i := 0, 0
letters:
	for ; i < len(ref); i++ {
		switch c := ref[i]; {
		case c == '$':
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			break letters
		}
		if col > excelize.MaxColumns {
			return -1
		}
	}
	if col == 0 {
		return -1
	}
	if row := atoiDigits(ref[i:]); row < 1 || row > excelize.TotalRows {
		return -1
	}
	return col
}

// atoiDigits reads a string of ASCII digits, or returns -1.
func atoiDigits(b []byte) int {
	if len(b) == 0 || len(b) > 9 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// sheetPart finds the ZIP entry of a worksheet as excelize finds it: the
// workbook from _rels/.rels, the sheet's relationship id from the workbook
// (as excelize parsed it), its target from the workbook's relationships.
// It returns nil if any of these cannot be read.
func sheetPart(zr *zip.Reader, f *excelize.File, sheet string, limit int64) *zip.File {
	entries := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		entries[strings.ReplaceAll(zf.Name, `\`, "/")] = zf // the last one wins, as in excelize
	}
	readRels := func(name string) []relationship {
		zf := entries[name]
		if zf == nil {
			return nil
		}
		rc, err := zf.Open()
		if err != nil {
			return nil
		}
		defer rc.Close()
		var rels struct {
			Rels []relationship `xml:"Relationship"`
		}
		if err := xml.NewDecoder(io.LimitReader(rc, limit)).Decode(&rels); err != nil {
			return nil
		}
		return rels.Rels
	}
	var wbPath string
	for _, r := range readRels("_rels/.rels") {
		if r.Type == excelize.SourceRelationshipOfficeDocument || r.Type == excelize.StrictSourceRelationshipOfficeDocument {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	if wbPath == "" || f.WorkBook == nil {
		return nil
	}
	var id string
	for _, s := range f.WorkBook.Sheets.Sheet {
		if s.Name == sheet {
			id = s.ID
			break
		}
	}
	if id == "" {
		return nil
	}
	dir := path.Dir(wbPath)
	relsPath := strings.TrimPrefix(dir+"/_rels/"+path.Base(wbPath)+".rels", "/")
	if dir == "." {
		relsPath = "_rels/" + path.Base(wbPath) + ".rels"
	}
	var part *zip.File
	for _, r := range readRels(relsPath) {
		if r.ID != id {
			continue
		}
		// As excelize's getWorksheetPath.
		p := strings.TrimPrefix(strings.ReplaceAll(path.Clean(dir+"/"+r.Target), `\`, "/"), "/")
		if strings.HasPrefix(r.Target, "/") {
			p = strings.TrimPrefix(strings.ReplaceAll(path.Clean(r.Target), `\`, "/"), "/")
		}
		if zf := entries[p]; zf != nil {
			part = zf
		}
	}
	return part
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}
