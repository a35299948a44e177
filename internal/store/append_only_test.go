package store_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/audit"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// TestAuditLogRefusesReplace: an audit row written through the store
// cannot be rewritten by an insert that takes its place, whatever form
// the engine offers for it: INSERT OR REPLACE and REPLACE on SQLite (which
// delete the old row without firing its DELETE trigger), ON CONFLICT DO
// UPDATE on both, MERGE on PostgreSQL. Each must fail with the table's
// append-only message, not merely fail, so that a mistyped statement
// cannot pass for a refused one.
func TestAuditLogRefusesReplace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := store.NewAuditStore(db)
		if err := s.AppendAudit(ctx, entry("user.create")); err != nil {
			t.Fatal(err)
		}
		want, err := s.ListAudit(ctx, audit.Filter{})
		if err != nil || len(want) != 1 {
			t.Fatalf("ListAudit() = %d entries, %v; want the 1 written", len(want), err)
		}
		id := want[0].ID
		// The same id and time, another actor and action: what a forger
		// would put in the row's place.
		const cols = `(id, at, actor_user_id, actor_name, actor_role, actor_unit, addr, request_id, action, object_type, object_id,
	before_json, after_json, reason, outcome)`
		forged := fmt.Sprintf(`SELECT id, at, NULL, 'someone else', actor_role, actor_unit, addr, request_id, 'nothing.happened',
	object_type, object_id, NULL, NULL, reason, outcome FROM audit_log WHERE id = %d`, id)
		stmts := []string{
			`INSERT INTO audit_log ` + cols + ` ` + forged + `
ON CONFLICT (id) DO UPDATE SET actor_name = excluded.actor_name, action = excluded.action`,
		}
		if db.Dialect() == "sqlite" {
			stmts = append(stmts,
				`INSERT OR REPLACE INTO audit_log `+cols+` `+forged,
				`REPLACE INTO audit_log `+cols+` `+forged)
		} else {
			stmts = append(stmts,
				fmt.Sprintf(`MERGE INTO audit_log a USING (SELECT %d AS id) f ON a.id = f.id
WHEN MATCHED THEN UPDATE SET actor_name = 'someone else'`, id),
				fmt.Sprintf(`MERGE INTO audit_log a USING (SELECT %d AS id) f ON a.id = f.id WHEN MATCHED THEN DELETE`, id))
		}
		sqlDB := store.SQLDB(db)
		for _, q := range stmts {
			_, err := sqlDB.ExecContext(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
				t.Errorf("%s\n= %v, want refused as append-only", q, err)
			}
		}
		got, err := s.ListAudit(ctx, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("audit log after the attempts (-want +got):\n%s", diff)
		}
	})
}

// TestAppendOnlyTablesRefuseReplace: on SQLite, every append-only table
// (one with a *_no_update trigger) refuses INSERT OR REPLACE and REPLACE
// of a row that clashes with one it holds on its rowid, its primary key
// or any of its unique keys, and keeps the row it had. A table made
// append-only later without a BEFORE INSERT trigger of its own fails here.
// Its rows are made up column by column: foreign keys and CHECK
// constraints are turned off on the connection, as they have nothing to
// do with what is tested.
func TestAppendOnlyTablesRefuseReplace(t *testing.T) {
	db := storetest.MustOpen(t, storetest.SQLiteDSN(t))
	ctx := t.Context()
	conn, err := store.SQLDB(db).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `PRAGMA ignore_check_constraints = ON`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	tables := mustStrings(t, conn, `SELECT substr(name, 1, length(name) - length('_no_update')) FROM sqlite_master
WHERE type = 'trigger' AND name LIKE '%\_no\_update' ESCAPE '\' ORDER BY name`)
	if !slices.Contains(tables, "audit_log") || !slices.Contains(tables, "enterprise_versions") {
		t.Fatalf("append-only tables %v: audit_log or enterprise_versions missing", tables)
	}
	for _, table := range tables {
		t.Run(table, func(t *testing.T) {
			cols, keys := tableKeys(t, conn, table)
			// value is the cell of column c in made-up row n: a number
			// for a numeric column, text for the others.
			value := func(c column, n int) any {
				if strings.Contains(strings.ToUpper(c.typ), "INT") {
					return int64(n)
				}
				return fmt.Sprint(n)
			}
			insert := func(verb string, rowid int, n func(c column) int) error {
				var names, marks []string
				var args []any
				if rowid != 0 {
					names, marks, args = append(names, "rowid"), append(marks, "?"), append(args, rowid)
				}
				for _, c := range cols {
					names, marks, args = append(names, c.name), append(marks, "?"), append(args, value(c, n(c)))
				}
				_, err := conn.ExecContext(ctx, verb+` INTO `+table+` (`+strings.Join(names, ", ")+`) VALUES (`+
					strings.Join(marks, ", ")+`)`, args...)
				return err
			}
			one := func(column) int { return 1 }
			if err := insert("INSERT", 0, one); err != nil {
				t.Fatalf("insert the first row: %v", err)
			}
			var rowid int
			if err := conn.QueryRowContext(ctx, `SELECT rowid FROM `+table).Scan(&rowid); err != nil {
				t.Fatal(err)
			}
			for _, key := range keys {
				// Row 2 keeps row 1's key and changes every other column,
				// so that it clashes on this key alone.
				clash := func(c column) int {
					if slices.Contains(key, c.name) {
						return 1
					}
					return 2
				}
				byRowid := 0
				if len(key) == 1 && key[0] == "rowid" {
					byRowid = rowid
				}
				for _, verb := range []string{"INSERT OR REPLACE", "REPLACE"} {
					err := insert(verb, byRowid, clash)
					if err == nil || !strings.Contains(err.Error(), table+" is append-only") {
						t.Errorf("%s of a row clashing on (%s) = %v, want refused as append-only", verb, strings.Join(key, ", "), err)
					}
				}
			}
			var where []string
			var args []any
			for _, c := range cols {
				where, args = append(where, c.name+" = ?"), append(args, value(c, 1))
			}
			var n, same int
			if err := conn.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN `+strings.Join(where, " AND ")+
				` THEN 1 END) FROM `+table, args...).Scan(&n, &same); err != nil {
				t.Fatal(err)
			}
			if n != 1 || same != 1 {
				t.Errorf("%s holds %d rows, %d of them the first one; want just the first", table, n, same)
			}
		})
	}
}

type column struct {
	name, typ string
}

// tableKeys returns a table's columns, and its keys: the rowid (unless
// the primary key is an alias of it), the primary key and every unique
// index.
func tableKeys(t *testing.T, conn *sql.Conn, table string) ([]column, [][]string) {
	t.Helper()
	ctx := t.Context()
	rows, err := conn.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		t.Fatal(err)
	}
	var cols []column
	var pk []string
	aliased := false
	for rows.Next() {
		var c column
		var pos int
		if err := rows.Scan(&c.name, &c.typ, &pos); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
		if pos > 0 {
			pk = append(pk, c.name)
			aliased = strings.EqualFold(c.typ, "INTEGER")
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var keys [][]string
	if len(pk) != 1 || !aliased {
		keys = append(keys, []string{"rowid"})
	}
	if len(pk) > 0 {
		keys = append(keys, pk)
	}
	for _, index := range mustStrings(t, conn, `SELECT name FROM pragma_index_list(?) WHERE "unique" AND origin <> 'pk' AND NOT partial`, table) {
		keys = append(keys, mustStrings(t, conn, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, index))
	}
	return cols, keys
}

func mustStrings(t *testing.T, conn *sql.Conn, query string, args ...any) []string {
	t.Helper()
	rows, err := conn.QueryContext(t.Context(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
