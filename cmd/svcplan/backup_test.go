package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"svcplan/internal/store/storetest"
)

// cmdOutput runs one command function with args and no SVCPLAN_*
// environment; run does not dispatch backup and restore yet.
func cmdOutput(t *testing.T, fn func(context.Context, []string, io.Writer, io.Writer, func(string) string) error, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = fn(t.Context(), args, &out, &errb, func(string) string { return "" })
	if err != nil && errb.Len() > 0 {
		err = errors.Join(err, errors.New(errb.String()))
	}
	return out.String(), err
}

// TestBackupRestore: back up a database with the shipped plan, load
// another plan, restore the backup, and find the shipped plan active again.
func TestBackupRestore(t *testing.T) {
	db := tempDB(t)
	if code, _, errs := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(t.TempDir(), "svcplan-backup.db")
	out, err := cmdOutput(t, cmdBackup, "--db", db, file)
	if err != nil || !strings.Contains(out, "已备份到 "+file) || !strings.Contains(out, "KiB") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := cmdOutput(t, cmdBackup, "--db", db, file); err == nil || !strings.Contains(err.Error(), "备份文件已存在") {
		t.Errorf("backup to an existing file: %v", err)
	}

	if code, _, errs := svcplan(t, "plan", "load", "--db", db, "../../internal/plan/testdata/minimal.yaml"); code != 0 {
		t.Fatal(errs)
	}
	if _, out, _ := svcplan(t, "plan", "export", "--db", db); !strings.Contains(out, "demo-2026-2028") {
		t.Fatalf("the other plan is not active:\n%.300s", out)
	}

	out, err = cmdOutput(t, cmdRestore, "--db", db, file)
	if err != nil || !strings.Contains(out, "恢复完成,请重新启动服务") || !strings.Contains(out, "plan_revisions") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	code, out, errs := svcplan(t, "plan", "export", "--db", db)
	if code != 0 || !strings.Contains(out, "泰高新政办〔2025〕17号") || strings.Contains(out, "demo-2026-2028") {
		t.Errorf("export after restore: exit %d %s\n%.300s", code, errs, out)
	}

	// Restore into a database that does not exist yet.
	fresh := tempDB(t)
	if _, err := cmdOutput(t, cmdRestore, "--db", fresh, file); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := svcplan(t, "plan", "export", "--db", fresh); !strings.Contains(out, "泰高新政办〔2025〕17号") {
		t.Errorf("export of the new database:\n%.300s", out)
	}
}

func TestBackupRestoreRefused(t *testing.T) {
	db := tempDB(t)
	if code, _, errs := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 {
		t.Fatal(errs)
	}
	_, before, _ := svcplan(t, "plan", "export", "--db", db, "--format", "json")
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("这不是备份\n"), 0o600)
	missing := tempDB(t)
	out := filepath.Join(t.TempDir(), "out.db")

	for _, tc := range []struct {
		name string
		fn   func(context.Context, []string, io.Writer, io.Writer, func(string) string) error
		args []string
		want string
	}{
		{"restore a text file", cmdRestore, []string{"--db", db, notDB}, "不是 SQLite 数据库文件,未恢复"},
		{"restore a missing file", cmdRestore, []string{"--db", db, out}, "备份文件不存在"},
		{"restore into PostgreSQL", cmdRestore, []string{"--db", "postgres://svc:s3cret@127.0.0.1:1/svcplan", notDB}, "pg_restore --clean"},
		{"back up a missing database", cmdBackup, []string{"--db", missing, out}, "数据库文件不存在"},
		{"no file", cmdBackup, []string{"--db", db}, "Usage: svcplan backup"},
		{"restore: no file", cmdRestore, []string{"--db", db}, "Usage: svcplan restore"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := cmdOutput(t, tc.fn, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	for _, path := range []string{missing, out} {
		if _, err := os.Stat(path); err == nil {
			t.Errorf("a refused command created %s", path)
		}
	}
	if _, after, _ := svcplan(t, "plan", "export", "--db", db, "--format", "json"); after != before {
		t.Error("a refused restore changed the active plan")
	}

	for _, fn := range []func(context.Context, []string, io.Writer, io.Writer, func(string) string) error{cmdBackup, cmdRestore} {
		var errb bytes.Buffer
		err := fn(t.Context(), []string{"--help"}, io.Discard, &errb, func(string) string { return "" })
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errb.String(), "-db") ||
			!(strings.Contains(errb.String(), "备份") || strings.Contains(errb.String(), "恢复")) {
			t.Errorf("--help: %v\n%s", err, errb.String())
		}
	}
}

// TestBackupPostgres: on PostgreSQL, backup tells how to use pg_dump.
func TestBackupPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	if _, err := cmdOutput(t, cmdBackup, "--db", dsn, file); err == nil || !strings.Contains(err.Error(), "pg_dump -Fc") {
		t.Errorf("backup of PostgreSQL: %v, want the pg_dump hint", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("backup of PostgreSQL wrote a file")
	}
}
