package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"svcplan/internal/uscc"
)

const usccSynopsis = `Check unified social credit codes (统一社会信用代码校验, GB 32100-2015).

Each CODE is normalised first: spaces and hyphens removed, full-width
characters made half-width, letters upper-cased. Then one line per code:
the normalised code, 有效 (valid) or 无效 (invalid), and either the decoded
parts — 登记管理部门 (registration authority, position 1), 机构类别
(category, positions 1–2), 登记机关行政区划码 (division code of the
registering authority, positions 3–8, not checked against any list) and
组织机构代码 (organisation code, positions 9–17) — or every problem found.
A wrong GB 11714 check character of the organisation code is only a warning
(提示). The exit status is 1 if any code is invalid.

Example:
  svcplan uscc 91350100M000100Y43 "9132 1203 MA1N 7K3P 6Y"`

// cmdUSCC implements 'svcplan uscc CODE...'.
func cmdUSCC(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("uscc CODE...", usccSynopsis, stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{}
	}
	invalid := 0
	for _, arg := range fs.Args() {
		r := uscc.Check(arg)
		if !r.Valid {
			invalid++
		}
		fmt.Fprintln(stdout, usccLine(r))
	}
	if invalid > 0 {
		return fmt.Errorf("%d个代码无效", invalid)
	}
	return nil
}

// usccLine is the one-line report on a checked code.
func usccLine(r uscc.Result) string {
	code := r.Code
	switch {
	case code == "":
		code = "(空)"
	case strings.IndexFunc(code, func(c rune) bool { return !unicode.IsPrint(c) }) >= 0:
		code = fmt.Sprintf("%q", code)
	}
	var b strings.Builder
	b.WriteString(code)
	if !r.Valid {
		b.WriteString(" 无效 ")
		for i, p := range r.Problems {
			if i > 0 {
				b.WriteByte(';')
			}
			b.WriteString(p.Msg)
		}
		return b.String()
	}
	fmt.Fprintf(&b, " 有效 登记管理部门:%s 机构类别:%s 登记机关行政区划码:%s 组织机构代码:%s",
		orUnknown(r.Authority), orUnknown(r.Category), r.Division, r.OrgCode)
	for _, p := range r.Problems { // warnings only
		b.WriteString(" 警告:")
		b.WriteString(p.Msg)
	}
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "未知"
	}
	return s
}
