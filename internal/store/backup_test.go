package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

// dump is the whole content of a SQLite database, as text: the schema
// under "sqlite_master" and the rows of every table under its name, in a
// fixed order. Tables that later migrations add are included without
// changes here.
type dump map[string][][]string

// mustDump reads every table of the SQLite database db.
func mustDump(t *testing.T, db *sql.DB) dump {
	t.Helper()
	ctx := t.Context()
	// rootpage is left out: VACUUM INTO renumbers pages.
	d := dump{"sqlite_master": mustRows(t, db,
		`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY type, name`)}
	rows, err := db.QueryContext(ctx,
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		quoted := `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
		cols, err := db.QueryContext(ctx, `SELECT * FROM `+quoted+` LIMIT 0`)
		if err != nil {
			t.Fatal(err)
		}
		names, err := cols.Columns()
		cols.Close()
		if err != nil {
			t.Fatal(err)
		}
		order := make([]string, len(names))
		for i := range names {
			order[i] = fmt.Sprint(i + 1)
		}
		d[table] = mustRows(t, db, `SELECT * FROM `+quoted+` ORDER BY `+strings.Join(order, ", "))
	}
	return d
}

// mustRows runs query and renders every value of every row as a string.
func mustRows(t *testing.T, db *sql.DB, query string) [][]string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	out := [][]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = "NULL"
			case []byte:
				row[i] = fmt.Sprintf("blob %q", v)
			default:
				row[i] = fmt.Sprintf("%T %v", v, v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dumpFile dumps the SQLite file at path, opened read-only.
func dumpFile(t *testing.T, path string) dump {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return mustDump(t, db)
}

func integrityCheck(t *testing.T, db *sql.DB) {
	t.Helper()
	var res string
	if err := db.QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check: %q, %v", res, err)
	}
}

// shipped returns the shipped plan and its original text.
func shipped(t *testing.T) (*plan.Plan, string) {
	t.Helper()
	parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	return parsed.Plan, parsed.Text
}

// revised returns a copy of p that differs from it, as revision n.
func revised(p *plan.Plan, n int) *plan.Plan {
	q := *p
	q.Meta.Summary = fmt.Sprintf("%s(第%d次修订)", p.Meta.Summary, n)
	return &q
}

// save stores p as revision n, as the command line would.
func save(ctx context.Context, ps *store.PlanStore, p *plan.Plan, text string, n int) (plan.Revision, error) {
	info := plan.RevisionInfo{
		FileName:   plans.Default,
		FileSHA256: fmt.Sprintf("%064x", n),
		LoadedBy:   "cli:test",
		LoadedAt:   time.Date(2026, 1, 2, 3, 4, 5, n, time.UTC),
	}
	e := audit.New(info.LoadedAt, audit.Actor{Name: info.LoadedBy, Addr: "local"}, "plan.load", "plan", p.Meta.Code, nil, nil)
	return ps.SavePlan(ctx, p, text, info, e)
}

// checkComplete checks that a database holds whole revisions only: the
// revisions are numbered 1..n, the plan's current revision is the last,
// and the active plan read from the item tables equals the document of
// that revision.
func checkComplete(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := t.Context()
	st, err := store.NewPlanStore(db).ActivePlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n, last, current int
	var doc string
	sqlDB := store.SQLDB(db)
	err = sqlDB.QueryRowContext(ctx, `SELECT count(*), max(r.number), p.current_revision
		FROM plan_revisions r JOIN plans p ON p.id = r.plan_id WHERE p.code = ? GROUP BY p.id`,
		st.Plan.Meta.Code).Scan(&n, &last, &current)
	if err != nil {
		t.Fatal(err)
	}
	if n != last || current != last || st.Revision.Number != last {
		t.Errorf("revisions: %d rows, last %d, current %d, active %d", n, last, current, st.Revision.Number)
	}
	err = sqlDB.QueryRowContext(ctx, `SELECT r.document FROM plan_revisions r JOIN plans p ON p.id = r.plan_id
		WHERE p.code = ? AND r.number = ?`, st.Plan.Meta.Code, last).Scan(&doc)
	if err != nil {
		t.Fatal(err)
	}
	var want plan.Plan
	if err := json.Unmarshal([]byte(doc), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, st.Plan, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("active plan differs from its revision's document (-document +tables):\n%s", diff)
	}
}

func TestBackupRestore(t *testing.T) {
	ctx := t.Context()
	dsn := storetest.SQLiteDSN(t)
	db := storetest.MustOpen(t, dsn)
	ps := store.NewPlanStore(db)
	p, text := shipped(t)
	for i := 1; i <= 2; i++ {
		if _, err := save(ctx, ps, revised(p, i), text, i); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()

	// A backup taken while another goroutine keeps saving revisions.
	live := filepath.Join(dir, "live.db")
	stop, saved, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		for i := 3; ; i++ {
			if _, err := save(ctx, ps, revised(p, i), text, i); err != nil {
				done <- err
				return
			}
			if i == 3 {
				close(saved)
			}
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
		}
	}()
	select {
	case <-saved:
	case err := <-done:
		t.Fatal(err)
	}
	backupErr := db.Backup(ctx, live)
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if backupErr != nil {
		t.Fatal(backupErr)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(live); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("backup file mode: %v, %v; want 0600", fi.Mode(), err)
		}
	}
	// The copy is undamaged and holds whole revisions only.
	liveRO, err := sql.Open("sqlite", "file:"+filepath.ToSlash(live)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	integrityCheck(t, liveRO)
	liveRO.Close()
	liveDSN := storetest.SQLiteDSN(t)
	if _, err := store.Restore(ctx, live, liveDSN); err != nil {
		t.Fatalf("restore the backup taken under writes: %v", err)
	}
	checkComplete(t, storetest.MustOpen(t, liveDSN))

	// A backup with no writer equals the database exactly.
	want := mustDump(t, store.SQLDB(db))
	if len(want["plan_revisions"]) < 3 {
		t.Fatalf("only %d revisions saved", len(want["plan_revisions"]))
	}
	file := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dumpFile(t, file)); diff != "" {
		t.Fatalf("backup differs from the database (-database +backup):\n%s", diff)
	}

	// Backup refuses an existing file and leaves it alone.
	before, _ := os.ReadFile(file)
	err = db.Backup(ctx, file)
	if apperr.KindOf(err) != apperr.Conflict || !strings.Contains(apperr.Message(err), "备份文件已存在") {
		t.Errorf("backup to an existing file: %v, want Conflict 备份文件已存在", err)
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Error("backup changed an existing file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("backup directory holds %v, want live.db and backup.db only", entries)
	}

	// Change the database, restore the backup into it while this handle
	// stays open (as a server's would), and find the backup's content.
	if _, err := save(ctx, ps, revised(p, 1000), text, 1000); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, mustDump(t, store.SQLDB(db))); diff == "" {
		t.Fatal("the database did not change")
	}
	res, err := store.Restore(ctx, file, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, mustDump(t, store.SQLDB(db))); diff != "" {
		t.Fatalf("restored database differs from the backup (-backup +restored):\n%s", diff)
	}
	_, latest, err := db.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantRes := store.RestoreResult{Version: latest, Rows: map[string]int64{}}
	for table, rows := range want {
		if table != "sqlite_master" {
			wantRes.Rows[table] = int64(len(rows))
		}
	}
	if diff := cmp.Diff(wantRes, res, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Restore result (-want +got):\n%s", diff)
	}
	integrityCheck(t, store.SQLDB(db))
	checkComplete(t, db)
	// The open handle goes on working on the restored database.
	if _, err := save(ctx, ps, revised(p, 1001), text, 1001); err != nil {
		t.Fatalf("save after restore: %v", err)
	}
	integrityCheck(t, store.SQLDB(db))
	if _, err := store.Restore(ctx, file, dsn); err != nil {
		t.Fatal(err)
	}
	restored := mustDump(t, store.SQLDB(db))

	// Restore creates a database that does not exist yet.
	fresh := storetest.SQLiteDSN(t)
	if _, err := store.Restore(ctx, file, fresh); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dumpFile(t, fresh)); diff != "" {
		t.Errorf("restored new database differs from the backup (-backup +restored):\n%s", diff)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("restored file mode: %v, %v; want 0600", fi.Mode(), err)
		}
	}

	// Bad backups are refused and leave the database as it was.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tooNew := filepath.Join(t.TempDir(), "new.db")
	os.WriteFile(tooNew, data, 0o600)
	execFile(t, tooNew, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', '2030-01-01T00:00:00.000000000Z')`)
	notOurs := filepath.Join(t.TempDir(), "other.db")
	execFile(t, notOurs, `CREATE TABLE notes (body TEXT)`)
	write := func(name string, data []byte) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		name, file string
		kind       apperr.Kind
		msg        string
	}{
		{"not SQLite", write("notes.txt", []byte("这不是数据库,只是一段文字。\n")), apperr.Invalid, "不是 SQLite 数据库文件,未恢复"},
		{"truncated", write("half.db", data[:len(data)/2]), apperr.Invalid, "已损坏或不完整,未恢复"},
		{"empty", write("empty.db", nil), apperr.Invalid, "是空文件,未恢复"},
		{"short", write("short.db", []byte("SQLite")), apperr.Invalid, "不是 SQLite 数据库文件,未恢复"},
		{"not svcplan", notOurs, apperr.Invalid, "不是 svcplan 数据库"},
		{"newer schema", tooNew, apperr.Conflict, "数据库结构版本 9999 比本程序支持的"},
		{"missing", filepath.Join(dir, "missing.db"), apperr.NotFound, "备份文件不存在"},
		{"itself", dsn, apperr.Invalid, "就是要恢复的数据库"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.Restore(ctx, tc.file, dsn)
			if apperr.KindOf(err) != tc.kind || !strings.Contains(apperr.Message(err), tc.msg) {
				t.Errorf("Restore() = %v, want kind %d with %q", err, tc.kind, tc.msg)
			}
			if diff := cmp.Diff(restored, mustDump(t, store.SQLDB(db))); diff != "" {
				t.Errorf("refused restore changed the database:\n%s", diff)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("restoring a missing backup created it")
	}
}

// execFile runs statements on the SQLite file at path.
func execFile(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), query); err != nil {
		t.Fatal(err)
	}
}

func TestBackupPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	db := storetest.MustOpen(t, dsn)
	file := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(t.Context(), file)
	if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "pg_dump -Fc") {
		t.Errorf("Backup() on PostgreSQL = %v, want Invalid with the pg_dump hint", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("Backup() on PostgreSQL wrote a file")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err = store.Restore(ctx, file, dsn)
	if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "pg_restore") {
		t.Errorf("Restore() into PostgreSQL = %v, want Invalid with the pg_restore hint", err)
	}
}
