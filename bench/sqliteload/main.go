// Command sqliteload loads a CSV into a keyed table with the pure-Go SQLite
// driver svcplan uses (modernc.org/sqlite) and nothing else: no
// validation, one transaction, multi-row INSERTs of 500 rows. It shows
// what the driver itself can do, beside sqlite3 .import (C), in
// bench/import.sh.
//
//	go run ./bench/sqliteload DB FILE.csv
package main

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

	_ "modernc.org/sqlite"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sqliteload DB FILE.csv")
		os.Exit(2)
	}
	if err := load(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "sqliteload:", err)
		os.Exit(1)
	}
}

const chunk = 500

func load(dbPath, csvPath string) error {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.Open(csvPath)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return err
	}
	cols := len(header)
	defs := make([]string, cols)
	for i := range defs {
		defs[i] = fmt.Sprintf("c%d TEXT", i)
	}
	defs[0] += " PRIMARY KEY"
	if _, err := db.Exec(`CREATE TABLE e (` + strings.Join(defs, ", ") + `)`); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	stmt, err := tx.Prepare(`INSERT INTO e VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", chunk), ", "))
	if err != nil {
		return err
	}
	args := make([]any, 0, chunk*cols)
	flush := func(n int) error {
		if n == chunk {
			_, err := stmt.Exec(args...)
			return err
		}
		_, err := tx.Exec(`INSERT INTO e VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), args...)
		return err
	}
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		for _, v := range rec {
			args = append(args, strings.Clone(v))
		}
		if n++; n == chunk {
			if err := flush(n); err != nil {
				return err
			}
			args, n = args[:0], 0
		}
	}
	if n > 0 {
		if err := flush(n); err != nil {
			return err
		}
	}
	return tx.Commit()
}
