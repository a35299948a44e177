package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"svcplan/internal/apperr"
	"svcplan/internal/xlsx/xlsxtest"
)

// buildXLSX returns the bytes of a workbook filled in by fill with
// excelize's ordinary (shared-string) API, as Excel itself writes them.
func buildXLSX(t testing.TB, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	fill(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sampleWorkbook has a hidden first sheet "说明" and the list "名录" with
// typed cells, a blank row in the middle and formatted empty rows at the end.
func sampleWorkbook(t testing.TB) []byte {
	return buildXLSX(t, func(f *excelize.File) {
		must(t, f.SetSheetName("Sheet1", "说明"))
		must(t, f.SetCellValue("说明", "A1", "本表由统计局提供"))
		_, err := f.NewSheet("名录")
		must(t, err)
		idx, err := f.GetSheetIndex("名录")
		must(t, err)
		f.SetActiveSheet(idx)
		must(t, f.SetSheetVisible("说明", false))
		money := 4 // #,##0.00
		moneyStyle, err := f.NewStyle(&excelize.Style{NumFmt: money})
		must(t, err)
		dateFmt := "yyyy\"年\"m\"月\"d\"日\""
		dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
		must(t, err)
		must(t, f.SetSheetRow("名录", "A1", &[]any{"统一社会信用代码", "单位详细名称", "营业收入(万元)", "成立日期", "从业人员", "备注"}))
		must(t, f.SetSheetRow("名录", "A2", &[]any{"91321203MA1XXXXX0L", "泰州市高港区鑫达物流有限公司", 1234567.89, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 12, "=不是公式"}))
		must(t, f.SetCellStyle("名录", "C2", "C2", moneyStyle))
		must(t, f.SetCellStyle("名录", "D2", "D2", dateStyle))
		must(t, f.SetSheetRow("名录", "A4", &[]any{"0523", "", 0.1, nil, -3}))
		must(t, f.SetCellStyle("名录", "A6", "F9", moneyStyle)) // formatted, empty
	})
}

func TestXLSXRead(t *testing.T) {
	data := sampleWorkbook(t)
	tests := []struct {
		name string
		opts Options
		want []readRow
	}{
		{
			name: "first visible sheet",
			want: []readRow{
				{1, []string{"统一社会信用代码", "单位详细名称", "营业收入(万元)", "成立日期", "从业人员", "备注"}},
				{2, []string{"91321203MA1XXXXX0L", "泰州市高港区鑫达物流有限公司", "1234567.89", "2024-01-01", "12", "=不是公式"}},
				{4, []string{"0523", "", "0.1", "", "-3"}},
			},
		},
		{
			name: "sheet by name",
			opts: Options{Sheet: "说明"},
			want: []readRow{{1, []string{"本表由统计局提供"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, format, err := openAndReadAll(data, "名录.xlsx", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if format != FormatXLSX {
				t.Errorf("format = %v, want XLSX", format)
			}
			if diff := cmp.Diff(tt.want, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestXLSXFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "名录.xlsx")
	must(t, os.WriteFile(path, sampleWorkbook(t), 0o600))
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	fi, err := f.Stat()
	must(t, err)
	if _, ok := filePath(f, fi.Size()); !ok {
		t.Error("filePath: an *os.File is not read from disk")
	}
	rr, _, err := Open(f, fi.Size(), "名录.xlsx", Options{})
	must(t, err)
	rows, err := readAll(rr)
	must(t, err)
	if len(rows) != 3 || rows[1].Cells[2] != "1234567.89" {
		t.Errorf("rows = %v", rows)
	}
}

// writeZip builds a ZIP archive; each part is written by its function.
type zipPart struct {
	name  string
	write func(zw *zip.Writer) error
}

func buildZip(t testing.TB, parts ...zipPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		must(t, p.write(zw))
	}
	must(t, zw.Close())
	return buf.Bytes()
}

// repeated is a part holding chunk repeated until size bytes.
func repeated(name string, chunk string, size int) zipPart {
	return zipPart{name, func(zw *zip.Writer) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		block := []byte(strings.Repeat(chunk, max(1, (1<<20)/len(chunk))))
		for n := 0; n < size; n += len(block) {
			if _, err := w.Write(block[:min(len(block), size-n)]); err != nil {
				return err
			}
		}
		return nil
	}}
}

// raw is a part whose directory entry says what hdr says, whatever data
// holds (already compressed when hdr.Method is Deflate).
func raw(hdr zip.FileHeader, data []byte) zipPart {
	return zipPart{hdr.Name, func(zw *zip.Writer) error {
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}}
}

func deflate(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	must(t, err)
	_, err = w.Write(data)
	must(t, err)
	must(t, w.Close())
	return buf.Bytes()
}

// deflatedRepeat is a deflated part holding head, chunk repeated until
// about size bytes, then tail, built without deflating size bytes: chunk is
// deflated once and sync-flushed, and since a flushed segment only refers
// back into itself, copies of it inflate to copies of chunk.
func deflatedRepeat(t testing.TB, name, head, chunk string, size int, tail string) zipPart {
	block := strings.Repeat(chunk, max(1, (1<<20)/len(chunk)))
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	must(t, err)
	flush := func(s string) []byte {
		buf.Reset()
		_, err := io.WriteString(w, s)
		must(t, err)
		must(t, w.Flush())
		return bytes.Clone(buf.Bytes())
	}
	headSeg := flush(head)
	blockSeg := flush(block)
	buf.Reset()
	_, err = io.WriteString(w, tail)
	must(t, err)
	must(t, w.Close())
	tailSeg := buf.Bytes()

	copies := size / len(block)
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	data := append([]byte(nil), headSeg...)
	for range copies {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(block))
		data = append(data, blockSeg...)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	data = append(data, tailSeg...)
	return raw(zip.FileHeader{
		Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64:   uint64(len(data)),
		UncompressedSize64: uint64(len(head) + copies*len(block) + len(tail)),
	}, data)
}

// workbookParts are the parts a minimal workbook needs besides its sheet.
func workbookParts() []zipPart {
	text := func(name, s string) zipPart {
		return zipPart{name, func(zw *zip.Writer) error {
			w, err := zw.Create(name)
			if err != nil {
				return err
			}
			_, err = io.WriteString(w, s)
			return err
		}}
	}
	return []zipPart{
		text("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
		text("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
		text("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
		text("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
	}
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

func TestHandMadeWorkbook(t *testing.T) {
	// Sanity check of the bomb builder: a small one of the same shape reads.
	sheet := sheetHead + strings.Repeat(`<row><c t="inlineStr"><is><t>营业收入</t></is></c></row>`, 3) + `</sheetData></worksheet>`
	data := buildZip(t, append(workbookParts(), repeated("xl/worksheets/sheet1.xml", sheet, len(sheet)))...)
	rows, _, err := openAndReadAll(data, "a.xlsx", Options{})
	must(t, err)
	want := []readRow{{1, []string{"营业收入"}}, {2, []string{"营业收入"}}, {3, []string{"营业收入"}}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	// And the bomb builder makes a valid part: 2 MB of rows read back.
	row := `<row><c t="inlineStr"><is><t>营业收入</t></is></c></row>`
	data = buildZip(t, append(workbookParts(), deflatedRepeat(t, "xl/worksheets/sheet1.xml", sheetHead, row, 2<<20, "</sheetData></worksheet>"))...)
	// (Below UnzipXMLSizeLimit, its compression ratio is not checked.)
	rows, _, err = openAndReadAll(data, "a.xlsx", Options{UnzipXMLSizeLimit: 4 << 20})
	must(t, err)
	if want := 2 * ((1 << 20) / len(row)); len(rows) != want || rows[want-1].Row != want || rows[want-1].Cells[0] != "营业收入" {
		t.Errorf("read %d rows, want %d", len(rows), want)
	}
}

func TestOpenRefuses(t *testing.T) {
	valid := sampleWorkbook(t)
	ole2 := append(append([]byte(nil), magicOLE2...), make([]byte, 512)...)
	notWorkbook := buildZip(t, repeated("hello.txt", "你好", 100))
	storedSheet := []byte(sheetHead + `<row><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`)
	badCRC := buildZip(t, append(workbookParts(), raw(zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(storedSheet) + 1, CompressedSize64: uint64(len(storedSheet)), UncompressedSize64: uint64(len(storedSheet)),
	}, storedSheet))...)
	const notExcel = "文件“名录.xlsx”不是有效的Excel文件(可能已损坏或只是改了扩展名)"
	tests := []struct {
		name     string
		data     []byte
		file     string
		opts     Options
		wantMsg  string
		hasCause bool
	}{
		{"old xls", ole2, "名录.xls", Options{}, "不支持旧版Excel(.xls)格式,请在Excel中另存为.xlsx或CSV后再导入", false},
		{"old xls without extension", ole2, "名录", Options{}, "不支持旧版Excel(.xls)格式,请在Excel中另存为.xlsx或CSV后再导入", false},
		{"encrypted xlsx", ole2, "名录.xlsx", Options{}, "文件“名录.xlsx”已加密或是旧版Excel格式,请在Excel中取消打开密码并另存为.xlsx或CSV后再导入", false},
		{"text renamed xlsx", []byte("统一社会信用代码,单位详细名称\n"), "名录.xlsx", Options{}, notExcel, false},
		{"empty file named xlsx", nil, "名录.xlsx", Options{}, notExcel, false},
		{"truncated", valid[:len(valid)/2], "名录.xlsx", Options{}, notExcel, true},
		{"zip but not a workbook", notWorkbook, "名录.xlsx", Options{}, notExcel, true},
		{"damaged part", badCRC, "名录.xlsx", Options{}, notExcel, true},
		{"no such sheet", valid, "名录.xlsx", Options{Sheet: "汇总"}, "文件“名录.xlsx”中没有名为“汇总”的工作表", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr, _, err := Open(bytes.NewReader(tt.data), int64(len(tt.data)), tt.file, tt.opts)
			if err == nil {
				rr.Close()
				t.Fatal("no error")
			}
			checkUserError(t, err)
			if got := apperr.Message(err); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
			if cause := errors.Unwrap(err); (cause != nil) != tt.hasCause {
				t.Errorf("cause = %v, want one: %v", cause, tt.hasCause)
			}
		})
	}
}

// allocDuring returns the bytes allocated while fn ran.
func allocDuring(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestZipBomb(t *testing.T) {
	row := `<row><c t="inlineStr"><is><t>泰州市高港区鑫达物流有限公司</t></is></c></row>`
	bigSheet := func(size int) []zipPart {
		return append(workbookParts(), repeated("xl/worksheets/sheet1.xml", row, size))
	}
	bomb := append(workbookParts(), deflatedRepeat(t, "xl/worksheets/sheet1.xml", sheetHead, row, 300<<20, "</sheetData></worksheet>"))
	hugeDeclared := deflate(t, []byte(sheetHead+row+`</sheetData></worksheet>`))
	lyingData := deflate(t, []byte(sheetHead+strings.Repeat(row, 200_000)+`</sheetData></worksheet>`))
	images := workbookParts()
	for i := range 20 {
		images = append(images, repeated(fmt.Sprintf("xl/media/image%d.png", i), "\x00", 900<<10))
	}
	tests := []struct {
		name    string
		parts   []zipPart
		opts    Options
		wantMsg string
	}{
		{"300 MB sheet of repeated rows", bomb, Options{}, msgTooLarge},
		{"small sheet over low limits", bigSheet(2 << 20), Options{UnzipSizeLimit: 1 << 20, UnzipXMLSizeLimit: 64 << 10}, msgTooLarge},
		{"directory declares 4 GiB", append(workbookParts(), raw(zip.FileHeader{
			Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: 1,
			CompressedSize64: uint64(len(hugeDeclared)), UncompressedSize64: 4 << 30,
		}, hugeDeclared)), Options{}, msgTooLarge},
		{"many parts kept in memory", images, Options{UnzipXMLSizeLimit: 256 << 10}, msgTooLarge},
		{"directory understates the size", append(workbookParts(), raw(zip.FileHeader{
			Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: 1,
			CompressedSize64: uint64(len(lyingData)), UncompressedSize64: 1 << 10,
		}, lyingData)), Options{}, "文件“炸弹.xlsx”不是有效的Excel文件(可能已损坏或只是改了扩展名)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildZip(t, tt.parts...)
			t.Logf("file %d bytes", len(data))
			var err error
			start := time.Now()
			alloc := allocDuring(func() {
				var rr RowReader
				rr, _, err = Open(bytes.NewReader(data), int64(len(data)), "炸弹.xlsx", tt.opts)
				if err == nil {
					rr.Close()
				}
			})
			elapsed := time.Since(start)
			t.Logf("refused in %v, %d KB allocated", elapsed, alloc>>10)
			if err == nil {
				t.Fatal("no error")
			}
			checkUserError(t, err)
			if got := apperr.Message(err); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
			// Opening copies the (small) file into memory; nothing near the
			// unzipped size may be allocated.
			if limit := uint64(len(data)) + 8<<20; alloc > limit {
				t.Errorf("allocated %d bytes, want under %d", alloc, limit)
			}
			if elapsed > 5*time.Second {
				t.Errorf("took %v to refuse", elapsed)
			}
		})
	}
}

func TestXLSXMaxRows(t *testing.T) {
	var buf bytes.Buffer
	must(t, xlsxtest.WriteEnterprisesXLSX(&buf, 10, 1))
	rows, _, err := openAndReadAll(buf.Bytes(), "名录.xlsx", Options{MaxRows: 5})
	if err == nil {
		t.Fatal("no error")
	}
	if got, want := apperr.Message(err), "文件超过5行,请分批导入"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if len(rows) != 5 {
		t.Errorf("read %d rows before the error, want 5", len(rows))
	}
}

// TestGeneratedCSVAndXLSXAgree reads the same generated list from CSV and
// from XLSX: every cell must agree, dates too (the XLSX reads its date
// cells as ISO text).
func TestGeneratedCSVAndXLSXAgree(t *testing.T) {
	const n = 300
	var c, x bytes.Buffer
	must(t, xlsxtest.WriteEnterprisesCSV(&c, n, 7))
	must(t, xlsxtest.WriteEnterprisesXLSX(&x, n, 7))
	csvRows, _, err := openAndReadAll(c.Bytes(), "名录.csv", Options{})
	must(t, err)
	xlsxRows, _, err := openAndReadAll(x.Bytes(), "名录.xlsx", Options{})
	must(t, err)
	if len(csvRows) != n+1 || len(xlsxRows) != n+1 {
		t.Fatalf("read %d CSV and %d XLSX rows, want %d", len(csvRows), len(xlsxRows), n+1)
	}
	if diff := cmp.Diff(csvRows, xlsxRows); diff != "" {
		t.Errorf("CSV (-) and XLSX (+) differ:\n%s", diff)
	}
}

func TestRoundExcelNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1234567.89", "1234567.89"},
		{"1234567.8899999999", "1234567.89"},
		{"0.30000000000000004", "0.3"},
		{"-0.30000000000000004", "-0.3"},
		{"12.300000000000001", "12.3"},
		{"0.10000000000000001", "0.1"},
		{"0.000012345678901234", "0.000012345678901234"},
		{"12345678901234.5678", "12345678901234.5678"}, // 18 digits: text, no double
		{"1234567890123.4567", "1234567890123.46"},     // 17 digits: taken for a double
		{"123456789012345678", "123456789012345678"},   // no decimal point: an ID kept as text
		{"91321203MA1XXXXX0L", "91321203MA1XXXXX0L"},
		{"2024-01-01 00:00:00.000", "2024-01-01 00:00:00.000"},
		{"1.2345678901234567E+20", "1.2345678901234567E+20"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := roundExcelNumber(tt.in); got != tt.want {
			t.Errorf("roundExcelNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSICounter(t *testing.T) {
	sst := `<?xml version="1.0"?><sst xmlns="x" count="4"><si><t>甲</t></si><si><r><t>乙</t></r></si>` +
		`<x:si><x:t>丙</x:t></x:si><si ><t xml:space="preserve"> 丁</t></si><sit/><si/><!-- <si> --></sst>`
	for size := 1; size <= len(sst); size++ {
		c := &siCounter{}
		for s := sst; s != ""; {
			n := min(size, len(s))
			if _, err := c.Write([]byte(s[:n])); err != nil {
				t.Fatal(err)
			}
			s = s[n:]
		}
		if c.n != 6 { // the comment counts: an upper bound is all the limit needs
			t.Fatalf("writes of %d bytes: counted %d strings, want 6", size, c.n)
		}
	}
}

func TestXLSXCloseRemovesTempFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.TempDir follows TMP there")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // excelize spills large parts to os.TempDir()
	var buf bytes.Buffer
	must(t, xlsxtest.WriteEnterprisesXLSX(&buf, 5000, 1)) // a sheet above UnzipXMLSizeLimit
	rr, _, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "名录.xlsx", Options{})
	must(t, err)
	for range 10 {
		_, err := rr.Next()
		must(t, err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) == 0 {
		t.Error("no temporary file while reading: the test does not test anything")
	}
	must(t, rr.Close())
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temporary files left after Close: %v", entries)
	}
}
