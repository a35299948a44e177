// Command gen writes a synthetic enterprise list for import benchmarks:
//
//	go run ./bench/gen -n 400000 -o /tmp/enterprises.csv
//	go run ./bench/gen -n 400000 -o /tmp/enterprises.xlsx
//
// The format follows the file's extension. The rows are deterministic for a
// seed (see internal/xlsx/xlsxtest); the files are not committed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"

	"svcplan/internal/xlsx/xlsxtest"
)

func main() {
	n := flag.Int("n", 400_000, "number of enterprises")
	out := flag.String("o", "", "output file (.csv or .xlsx)")
	seed := flag.Int64("seed", 1, "generator seed")
	flag.Parse()
	if err := run(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string, n int, seed int64) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if strings.HasSuffix(strings.ToLower(out), ".xlsx") {
		err = xlsxtest.WriteEnterprisesXLSX(w, n, seed)
	} else {
		err = xlsxtest.WriteEnterprisesCSV(w, n, seed)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
