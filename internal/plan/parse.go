package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// MaxFileSize bounds a plan file; real plans are a few hundred kilobytes.
const MaxFileSize = 8 << 20

// Parsed is a plan read from a file, with the original text it quotes (when
// the file names one and it could be read).
type Parsed struct {
	Plan     *Plan
	Text     string
	Warnings Problems
	// Raw is the plan file as read, whose hash identifies a revision.
	Raw []byte
}

// ParseFile reads and validates a plan file on disk.
func ParseFile(name string) (*Parsed, error) {
	return ParseFS(os.DirFS(filepath.Dir(name)), filepath.Base(name), name)
}

// ParseFS reads and validates the plan file at name in fsys; display is the
// name used in messages. The source text the plan names is read relative to
// the plan file.
func ParseFS(fsys fs.FS, name, display string) (*Parsed, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, Problems{{File: display, Msg: "无法读取规划文件: " + errText(err)}}
	}
	readText := func(rel string) ([]byte, error) {
		return fs.ReadFile(fsys, path.Join(path.Dir(name), rel))
	}
	return Parse(display, data, readText)
}

// Parse reads and validates plan file data; name is used in messages.
// readText reads the plan's source text by the name the file gives it; nil
// skips the quote check. The error, if any, is Problems listing every
// problem found with its line.
func Parse(name string, data []byte, readText func(string) ([]byte, error)) (*Parsed, error) {
	var p Plan
	doc, probs := DecodeYAML(name, data, "规划", &p)
	if probs != nil {
		return nil, probs
	}
	probs = Validate(&p)
	out := &Parsed{Plan: &p, Raw: data}
	if p.Meta.SourceText != "" && readText != nil {
		text, err := readText(p.Meta.SourceText)
		switch {
		case err != nil:
			probs = append(probs, Problem{Path: "plan.source_text", Warning: true,
				Msg: fmt.Sprintf("找不到原文文件“%s”,未核对引文: %s", p.Meta.SourceText, errText(err))})
		case !utf8.Valid(text):
			probs = append(probs, Problem{Path: "plan.source_text", Msg: "原文文件不是UTF-8编码"})
		default:
			out.Text = string(bytes.TrimPrefix(text, []byte("\xef\xbb\xbf")))
			probs = append(probs, CheckText(&p, out.Text)...)
		}
	}
	doc.Place(probs)
	if probs.HasErrors() {
		return nil, probs
	}
	out.Warnings = probs
	return out, nil
}

// YAMLDoc is a YAML file read into a value, kept to place the problems
// found in the value afterwards at their lines.
type YAMLDoc struct {
	name string
	file *ast.File
}

// DecodeYAML reads a file of one YAML document into v, refusing unknown
// fields, anchors and aliases, files over MaxFileSize and text that is not
// UTF-8; what names the document in messages ("规划"). The problems, if
// any, are placed at their lines.
func DecodeYAML(name string, data []byte, what string, v any) (*YAMLDoc, Problems) {
	fail := func(line int, msg string) Problems {
		return Problems{{File: name, Line: line, Msg: msg}}
	}
	if len(data) > MaxFileSize {
		return nil, fail(0, fmt.Sprintf("文件过大(%d字节),上限为%d字节", len(data), MaxFileSize))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fail(invalidUTF8Line(data), "文件不是UTF-8编码,请另存为UTF-8")
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Problems{yamlProblem(name, err)}
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return nil, fail(0, "文件应包含且只包含一个"+what+"文档")
	}
	if pr, ok := findAlias(file, what); ok {
		pr.File = name
		return nil, Problems{pr}
	}
	if err := yaml.NodeToValue(file.Docs[0].Body, v, yaml.DisallowUnknownField()); err != nil {
		pr := yamlProblem(name, err)
		pr.Path = pathAt(file, pr.Line, pr.Column)
		return nil, Problems{pr}
	}
	return &YAMLDoc{name: name, file: file}, nil
}

// Place sets each problem's file, line and column from its field path.
func (d *YAMLDoc) Place(ps Problems) {
	for i := range ps {
		ps[i].File = d.name
		ps[i].Line, ps[i].Column = locate(d.file, ps[i].Path)
	}
}

// locate finds the line and column of a field path in the file, falling
// back to the nearest enclosing node that exists (a missing field is
// reported at its parent).
func locate(file *ast.File, p string) (line, col int) {
	for p != "" {
		yp, err := yaml.PathString("$." + p)
		if err == nil {
			if node, err := yp.FilterFile(file); err == nil && node != nil {
				tok := node.GetToken()
				if tok != nil {
					return tok.Position.Line, tok.Position.Column
				}
			}
		}
		p = parentPath(p)
	}
	return 0, 0
}

// findAlias finds the first anchor, alias or merge key. A plan file has no
// use for them, and refusing them rules out documents that expand
// exponentially when decoded ("billion laughs").
func findAlias(file *ast.File, what string) (Problem, bool) {
	f := &aliasFinder{what: what}
	ast.Walk(f, file.Docs[0].Body)
	return f.found, f.found.Msg != ""
}

type aliasFinder struct {
	what  string
	found Problem
}

func (f *aliasFinder) Visit(n ast.Node) ast.Visitor {
	if f.found.Msg != "" {
		return nil
	}
	switch n.Type() {
	case ast.AnchorType, ast.AliasType, ast.MergeKeyType:
		f.found.Msg = f.what + "文件不支持YAML锚点、别名和合并键(&、*、<<),请把内容直接写出"
		if tok := n.GetToken(); tok != nil {
			f.found.Line, f.found.Column = tok.Position.Line, tok.Position.Column
		}
		f.found.Path = strings.TrimPrefix(strings.TrimPrefix(n.GetPath(), "$"), ".")
		return nil
	}
	return f
}

// pathAt returns the field path of the node at a line and column, so that
// a decoding error names its field as validation errors do.
func pathAt(file *ast.File, line, col int) string {
	if line == 0 {
		return ""
	}
	f := &nodeFinder{line: line, col: col}
	ast.Walk(f, file.Docs[0].Body)
	return strings.TrimPrefix(strings.TrimPrefix(f.path, "$"), ".")
}

type nodeFinder struct {
	line, col int
	path      string
}

func (f *nodeFinder) Visit(n ast.Node) ast.Visitor {
	if tok := n.GetToken(); tok != nil && tok.Position.Line == f.line && tok.Position.Column == f.col {
		// The deepest node at the position wins: a value over its key.
		f.path = n.GetPath()
	}
	return f
}

// parentPath strips the last element from a field path:
// "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// yamlProblem turns a YAML syntax or decoding error into a Problem in
// Chinese, keeping the position the YAML library found.
func yamlProblem(name string, err error) Problem {
	pr := Problem{File: name}
	var ne *numberError
	if errors.As(err, &ne) {
		if ne.tok != nil {
			pr.Line, pr.Column = ne.tok.Position.Line, ne.tok.Position.Column
		}
		pr.Msg = ne.Error()
		return pr
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tok := ye.GetToken(); tok != nil {
			pr.Line, pr.Column = tok.Position.Line, tok.Position.Column
		}
	}
	var (
		unknown *yaml.UnknownFieldError
		dup     *yaml.DuplicateKeyError
		typ     *yaml.TypeError
		syn     *yaml.SyntaxError
	)
	switch {
	case errors.As(err, &unknown):
		pr.Msg = "未知字段: " + strings.TrimSuffix(strings.TrimPrefix(unknown.Message, "unknown field \""), "\"")
	case errors.As(err, &dup):
		pr.Msg = "字段重复: " + dup.Message
	case errors.As(err, &typ):
		pr.Msg = fmt.Sprintf("类型不符: 应为%s,实际为%s", typeName(typ.DstType.String()), typeName(typ.SrcType.String()))
	case errors.As(err, &syn):
		pr.Msg = "YAML语法错误: " + syn.Message
	default:
		pr.Msg = "无法解析: " + errText(err)
	}
	return pr
}

func typeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "整数"
	case strings.HasPrefix(goType, "float"):
		return "数字"
	case goType == "string", strings.HasSuffix(goType, "Kind"), strings.HasSuffix(goType, "Op"),
		strings.HasSuffix(goType, "Direction"):
		return "文字"
	case goType == "bool":
		return "true或false"
	case strings.HasPrefix(goType, "[]"):
		return "列表"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "plan."), strings.HasPrefix(goType, "*plan."):
		return "对象"
	}
	return goType
}

// errText is an error's message without Go-specific wrapping noise.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return "文件不存在"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return 0
}
