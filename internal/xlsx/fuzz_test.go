package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"svcplan/internal/xlsx/xlsxtest"
)

// fuzzOptions keep limits small so that no input makes a fuzz run slow,
// and so that mutations reach the column limit too.
var fuzzOptions = Options{MaxRows: 5000, MaxColumns: 16, UnzipSizeLimit: 8 << 20, UnzipXMLSizeLimit: 1 << 20}

// fuzzRead opens data and reads all its rows: it must not panic or hang,
// and every error must be a Chinese message for the user.
func fuzzRead(t *testing.T, data []byte, name string) {
	rr, _, err := Open(bytes.NewReader(data), int64(len(data)), name, fuzzOptions)
	if err != nil {
		checkUserError(t, err)
		return
	}
	defer func() {
		if err := rr.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}()
	for {
		cells, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			checkUserError(t, err)
			return
		}
		if r := rr.Row(); r < 1 || r > fuzzOptions.MaxRows {
			t.Fatalf("Row() = %d", r)
		}
		empty := true
		for _, c := range cells {
			if c != "" {
				empty = false
			}
		}
		if empty {
			t.Fatalf("row %d: empty row returned", rr.Row())
		}
		if len(cells) > fuzzOptions.MaxColumns {
			t.Fatalf("row %d: %d cells returned, over the limit of %d", rr.Row(), len(cells), fuzzOptions.MaxColumns)
		}
		if cells[len(cells)-1] == "" {
			t.Fatalf("row %d: trailing empty cell returned", rr.Row())
		}
		for i, c := range cells {
			if rr.Numeric(i) && c == "" {
				t.Fatalf("row %d: empty cell %d is numeric", rr.Row(), i)
			}
		}
		if rr.Numeric(-1) || rr.Numeric(len(cells)) {
			t.Fatalf("row %d: Numeric outside the row", rr.Row())
		}
	}
}

func addFixtures(f *testing.F, ext string) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*."+ext))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzOpenCSV(f *testing.F) {
	addFixtures(f, "csv")
	var gen bytes.Buffer
	if err := xlsxtest.WriteEnterprisesCSV(&gen, 20, 1); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	for _, s := range []string{"", "\n\n", "a\tb\n1\t2", "a;b\r\n1;2", "\"a\nb\",c\n", "a,\"b", "\xFF\xFEa\x00", "<html>", "\xEF\xBB\xBF,,,\n",
		"a,b\n" + strings.Repeat("1,", 17) + "\n", "a" + strings.Repeat(",", 40) + "\n1,2\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, "名录.csv")
	})
}

func FuzzOpenXLSX(f *testing.F) {
	addFixtures(f, "xlsx")
	f.Add(sampleWorkbook(f))
	var gen bytes.Buffer
	if err := xlsxtest.WriteEnterprisesXLSX(&gen, 20, 1); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	f.Add(gen.Bytes()[:gen.Len()/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, "名录.xlsx")
	})
}

// FuzzXLSXSheet fuzzes the worksheet and shared-string XML inside a valid
// ZIP: mutations of a whole file rarely get past the ZIP checksums.
func FuzzXLSXSheet(f *testing.F) {
	f.Add([]byte(sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>营业收入</t></is></c></row><row r="3"><c r="C3"><v>1234567.8899999999</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="str"><f>A1</f><v>x</v></c></row></sheetData></worksheet>`),
		[]byte(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>统一社会信用代码</t></si></sst>`))
	f.Add([]byte(sheetHead+`<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>`), []byte(nil))
	f.Add([]byte(handMadeSheet), []byte(handMadeSST))
	f.Add([]byte(sheetHead+`<row r="1"><c r="A1"><v>1</v></c><c r="Q1"><v>17</v></c></row><row r="2"><c r="P2"><v>16</v></c></row></sheetData></worksheet>`), []byte(nil))
	f.Add([]byte(sheetHead+`<row><c s="1"><v>511</v></c><c s="2"><v>45292.5</v></c><c s="3" t="n"><v>-1</v></c><c s="4"><v>3.2E+3</v></c></row></sheetData></worksheet>`), []byte(nil))
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		fuzzRead(t, sheetZip(t, sheet, sst), "名录.xlsx")
	})
}

// FuzzSheetScanner: the scanner reads any worksheet XML the same however
// its input arrives, without panicking, and gives columns in order.
func FuzzSheetScanner(f *testing.F) {
	f.Add([]byte(handMadeSheet))
	f.Add([]byte(sheetHead + `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>1</v></c></row><row r="3"><c t="n" s="2"><v>2</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<row><c><!-- --></c><![CDATA[<row>]]><?pi <c> ?><c s='1' t='n'/></row></sheetData>`))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		scan := func(r io.Reader) [][]cellInfo {
			s := newSheetScanner(r)
			s.buf = make([]byte, 512)
			var rows [][]cellInfo
			for n := 1; n <= 100; n++ {
				cells, ok := s.cellsOf(n)
				if ok {
					for i := 1; i < len(cells); i++ {
						if cells[i].col <= cells[i-1].col {
							t.Fatalf("row %d: columns out of order: %v", n, cells)
						}
					}
					cells = append([]cellInfo{}, cells...)
				}
				rows = append(rows, cells)
			}
			return rows
		}
		whole := scan(bytes.NewReader(sheet))
		bytewise := scan(iotest.OneByteReader(bytes.NewReader(sheet)))
		if !reflect.DeepEqual(whole, bytewise) {
			t.Fatalf("read whole:\n%v\nread a byte at a time:\n%v", whole, bytewise)
		}
	})
}

// sheetZip wraps worksheet and shared-string XML into a workbook.
func sheetZip(t testing.TB, sheet, sst []byte) []byte {
	parts := workbookParts()
	add := func(name string, data []byte) {
		parts = append(parts, zipPart{name, func(zw *zip.Writer) error {
			w, err := zw.Create(name)
			if err != nil {
				return err
			}
			_, err = w.Write(data)
			return err
		}})
	}
	add("xl/styles.xml", []byte(handMadeStyles))
	add("xl/worksheets/sheet1.xml", sheet)
	if sst != nil {
		add("xl/sharedStrings.xml", sst)
	}
	return buildZip(t, parts...)
}
