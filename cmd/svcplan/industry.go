package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"svcplan/internal/audit"
	"svcplan/internal/industry"
	"svcplan/internal/store"
)

const industryUsage = `Usage:
  svcplan industry load [--db DB] FILE         load an amended GB/T 4754 table (载入行业分类)
  svcplan industry thresholds [--db DB] FILE   load new 四上 size thresholds (载入规模标准)
  svcplan industry show [--db DB]              print the tables in force (查看在用版本)

FILE is CSV in the format of the embedded table (see internal/industry/data/README.md).
It is checked in full first; a table with any problem is not loaded and the one in force
stays. Each load is kept as a new version; the latest applies from the next start of the
server (restart it after loading).
`

// referenceKinds are the tables an admin may load, with their checks.
var referenceKinds = map[string]struct {
	label string
	check func(b []byte) (string, error) // summary of a valid table
}{
	"industries": {"国民经济行业分类(GB/T 4754)", func(b []byte) (string, error) {
		t, err := industry.Load(bytes.NewReader(b))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("门类%d个、大类%d个、中类%d个、小类%d个", t.Count("section"), t.Count("division"),
			t.Count("group"), t.Count("class")), nil
	}},
	"thresholds": {"四上企业规模标准", func(b []byte) (string, error) {
		t, err := industry.LoadThresholds(bytes.NewReader(b))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d条规则", len(t.Rules())), nil
	}},
}

func cmdIndustry(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, industryUsage)
		if len(args) == 0 {
			return usageError{}
		}
		return nil
	}
	sub := args[0]
	kind := map[string]string{"load": "industries", "thresholds": "thresholds", "show": ""}
	if _, ok := kind[sub]; !ok {
		fmt.Fprint(stderr, industryUsage)
		return usageError{"industry: unknown subcommand " + sub}
	}
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	fs := newFlags("industry "+sub, industryUsage, stderr)
	dbFlag(fs, &cfg)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if sub == "show" && fs.NArg() != 0 || sub != "show" && fs.NArg() != 1 {
		fs.Usage()
		return usageError{}
	}
	db, err := openDB(ctx, cfg, cfg.Migrate, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	refs := store.NewReferenceStore(db)
	if sub == "show" {
		return showReferences(ctx, refs, stdout)
	}
	return loadReference(ctx, refs, kind[sub], fs.Arg(0), stdout)
}

func loadReference(ctx context.Context, refs *store.ReferenceStore, kind, path string, stdout io.Writer) error {
	k := referenceKinds[kind]
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("无法读取文件 %s: %w", path, err)
	}
	if !utf8.Valid(b) {
		return fmt.Errorf("%s 不是UTF-8编码的CSV,请另存为UTF-8后再载入", path)
	}
	summary, err := k.check(b)
	if err != nil {
		return fmt.Errorf("%s未通过校验,未载入,在用版本保持不变\n%w", k.label, err)
	}
	sum := sha256.Sum256(b)
	actor := cliActor()
	t := &store.ReferenceTable{Kind: kind, FileName: filepath.Base(path), SHA256: hex.EncodeToString(sum[:]), Content: b,
		LoadedBy: actor.Name, LoadedAt: time.Now().UTC()}
	e := audit.New(t.LoadedAt, actor, "reference.load", "reference_table", kind, nil, map[string]any{
		"file_name": t.FileName, "sha256": t.SHA256, "summary": summary})
	if err := refs.SaveReference(ctx, t, e); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已载入%s第%d版(%s,%s),重启服务后生效\n", k.label, t.Version, t.FileName, summary)
	return nil
}

func showReferences(ctx context.Context, refs *store.ReferenceStore, stdout io.Writer) error {
	list, err := refs.ListReferences(ctx)
	if err != nil {
		return err
	}
	latest := map[string]store.ReferenceTable{}
	for _, t := range list {
		if _, seen := latest[t.Kind]; !seen {
			latest[t.Kind] = t
		}
	}
	for _, kind := range []string{"industries", "thresholds"} {
		if t, ok := latest[kind]; ok {
			fmt.Fprintf(stdout, "%s: 第%d版 %s(%s 于 %s 载入,SHA-256 %s)\n", referenceKinds[kind].label, t.Version, t.FileName,
				t.LoadedBy, t.LoadedAt.Local().Format("2006-01-02 15:04"), t.SHA256[:12])
		} else {
			fmt.Fprintf(stdout, "%s: 内置版本\n", referenceKinds[kind].label)
		}
	}
	return nil
}
