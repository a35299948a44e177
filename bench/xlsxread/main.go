// Command xlsxread reads the first sheet of an .xlsx file with excelize's
// streaming row reader and nothing else: the baseline bench/import.sh
// compares svcplan's XLSX import with.
//
//	go run ./bench/xlsxread FILE.xlsx
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xlsxread FILE.xlsx")
		os.Exit(2)
	}
	start := time.Now()
	n, cells, err := read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "xlsxread:", err)
		os.Exit(1)
	}
	el := time.Since(start)
	fmt.Printf("%d rows, %d cells in %s: %.0f rows/s\n", n, cells, el.Round(time.Millisecond), float64(n)/el.Seconds())
}

// read counts the rows and non-empty cells, so that every cell is read.
func read(path string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	rs, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return 0, 0, err
	}
	defer rs.Close()
	for rs.Next() {
		cols, err := rs.Columns()
		if err != nil {
			return rows, cells, err
		}
		rows++
		for _, c := range cols {
			if c != "" {
				cells++
			}
		}
	}
	return rows, cells, rs.Error()
}
