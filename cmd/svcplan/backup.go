package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/store"
)

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("backup [flags] FILE", "Write a consistent copy of the SQLite database to FILE (备份), also while\n"+
		"'svcplan serve' runs. FILE must not exist yet; it is readable by its owner only.\n"+
		"Put it back with 'svcplan restore FILE'. A PostgreSQL database is backed up with\n"+
		"pg_dump instead; the command says how.", stderr)
	dbFlag(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	file := fs.Arg(0)
	// store.Open would create a missing SQLite file, and back up nothing.
	if !store.IsPostgres(cfg.DB) {
		if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("数据库文件不存在: %s", cfg.DB)
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, file); err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	// A copy of the whole database is a copy of confidential data: record
	// who made it (in the database copied, after the copy).
	e := audit.New(time.Now(), cliActor(), "db.backup", "database", store.MaskDSN(cfg.DB), nil,
		map[string]any{"file": file, "bytes": fi.Size()})
	if err := store.NewAuditStore(db).AppendAudit(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s (backup written, %s)\n", file, byteSize(fi.Size()))
	return nil
}

func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("restore [flags] FILE", "Replace the content of the SQLite database with the backup FILE (恢复), which\n"+
		"'svcplan backup' wrote, and migrate it to this program's schema. FILE is checked\n"+
		"first: a damaged file or one that is not an svcplan database is refused and the\n"+
		"database stays as it is. The database is created if it does not exist.\n"+
		"Stop 'svcplan serve' before restoring and start it again afterwards. A PostgreSQL\n"+
		"database is restored with pg_restore instead; the command says how.", stderr)
	dbFlag(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	file := fs.Arg(0)
	res, err := store.Restore(ctx, file, cfg.DB)
	if err != nil {
		return err
	}
	// The restored audit log is the backup's; it records the restore next.
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	e := audit.New(time.Now(), cliActor(), "db.restore", "database", store.MaskDSN(cfg.DB), nil,
		map[string]any{"file": file, "schema_version": res.Version, "applied": res.Applied})
	if err := store.NewAuditStore(db).AppendAudit(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已将 %s 恢复到 %s (restored),备份的数据库结构版本 %d\n", file, cfg.DB, res.Version)
	for _, m := range res.Applied {
		fmt.Fprintln(stdout, "已执行 (applied)", m)
	}
	for _, table := range slices.Sorted(maps.Keys(res.Rows)) {
		if n := res.Rows[table]; n > 0 {
			fmt.Fprintf(stdout, "  %-28s %d 行\n", table, n)
		}
	}
	fmt.Fprintln(stdout, "恢复完成,请重新启动服务 (restart svcplan serve)")
	return nil
}

// byteSize is n in B, KiB or MiB, for people.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
