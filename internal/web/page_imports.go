package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"svcplan/internal/money"
	"svcplan/internal/table"

	"svcplan/internal/apperr"
	"svcplan/internal/registry"
	"svcplan/internal/xlsx"
)

// The import pages: upload a file (with a progress bar), confirm which
// column is which, watch the import run, read the outcome and download
// the rejected rows.

type importsPage struct {
	basePage
	Imports  []importRow
	Error    string
	Form     uploadForm
	Upload   string // the form's action, carrying the CSRF token
	MaxBytes int64
}

type importRow struct {
	registry.Import
	KindLabel string
	ModeLabel string
	When      string
	OK        bool
}

// uploadForm is the upload form's choices, kept when it comes back with an
// error.
type uploadForm struct {
	Kind, Source, Mode, RevenueSource, Unit, Sheet, Edition string
}

var kindLabels = map[string]string{registry.KindEnterprises: "企业名录", registry.KindRevenue: "营业收入"}

func (s *Server) importsList(w http.ResponseWriter, r *http.Request) error {
	return s.renderImports(w, r, http.StatusOK, uploadForm{Kind: registry.KindEnterprises, Source: "official", Mode: string(table.AllOrNothing)}, "")
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, form uploadForm, msg string) error {
	imps, err := s.registry.Imports(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	data := importsPage{basePage: s.base(r, "数据导入", "directory"), Error: msg, Form: form, MaxBytes: maxUploadBytes >> 20}
	data.Upload = "/enterprises/imports?" + url.Values{csrfField: {data.CSRF}}.Encode()
	for _, imp := range imps {
		data.Imports = append(data.Imports, importRow{Import: imp, KindLabel: kindLabels[imp.Kind], ModeLabel: imp.Mode.Label(),
			When: imp.StartedAt.Local().Format("2006-01-02 15:04"), OK: imp.Outcome == "ok"})
	}
	return s.pages.render(w, status, "imports", data)
}

// importUpload receives a file. The body is read as a stream: the file
// goes to disk as it arrives, hashed on the way; nothing is parsed before
// the route's permission and CSRF token are checked.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	form := uploadForm{Kind: registry.KindEnterprises, Source: "official", Mode: string(table.AllOrNothing)}
	p, err := s.receiveUpload(r, &form)
	if err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return tooLarge(maxUploadBytes)
		}
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		return s.renderImports(w, r, http.StatusBadRequest, form, apperr.Message(err))
	}
	s.uploads.add(p)
	http.Redirect(w, r, "/enterprises/imports/"+p.ID, http.StatusSeeOther)
	return nil
}

// receiveUpload stores the multipart body's file and reads its header.
func (s *Server) receiveUpload(r *http.Request, form *uploadForm) (*pendingImport, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.Invalidf("请选择要上传的文件")
	}
	p := &pendingImport{Owner: userOf(r).Username}
	defer func() {
		if p.Path != "" && p.SHA256 == "" {
			s.uploads.drop(p)
		}
	}()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, uploadReadErr(err)
		}
		if part.FormName() == "file" {
			if p.Path != "" {
				return nil, apperr.Invalidf("一次只能上传一个文件")
			}
			if err := s.saveUpload(p, part); err != nil {
				return nil, err
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 256))
		if err != nil {
			return nil, uploadReadErr(err)
		}
		val := strings.TrimSpace(string(v))
		switch part.FormName() {
		case "kind":
			form.Kind = val
		case "source":
			form.Source = val
		case "mode":
			form.Mode = val
		case "revenue_source":
			form.RevenueSource = val
		case "unit":
			form.Unit = val
		case "sheet":
			form.Sheet = val
		case "edition":
			form.Edition = val
		}
	}
	if p.Path == "" || p.Size == 0 {
		return nil, apperr.Invalidf("请选择要上传的文件(文件不能为空)")
	}
	opts, err := form.options()
	if err != nil {
		return nil, err
	}
	p.Kind, p.Options, p.Sheet = form.Kind, opts, form.Sheet
	sum := p.SHA256
	p.SHA256 = "" // until the file reads, the deferred drop applies
	if err := s.previewUpload(p); err != nil {
		return nil, err
	}
	p.SHA256 = sum
	return p, nil
}

func uploadReadErr(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return apperr.Invalidf("上传中断,请重新上传")
}

// readUpload reads a form of one file and short fields (at most 1,000
// bytes each): the file is streamed to disk and hashed into the returned
// import, whose Path the caller removes (also on an error).
func (s *Server) readUpload(r *http.Request) (*pendingImport, map[string]string, error) {
	p := &pendingImport{Owner: userOf(r).Username}
	form := map[string]string{}
	mr, err := r.MultipartReader()
	if err != nil {
		return p, form, apperr.Invalidf("请选择要上传的文件")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p, form, uploadReadErr(err)
		}
		if part.FormName() == "file" {
			if p.Path == "" {
				if err := s.saveUpload(p, part); err != nil {
					return p, form, err
				}
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 1000))
		if err != nil {
			return p, form, uploadReadErr(err)
		}
		form[part.FormName()] = strings.TrimSpace(string(v))
	}
	if p.Path == "" || p.Size == 0 {
		return p, form, apperr.Invalidf("请选择要上传的文件(文件不能为空)")
	}
	return p, form, nil
}

func (s *Server) saveUpload(p *pendingImport, part *multipart.Part) error {
	p.Name = filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
	if p.Name == "" || p.Name == "." || p.Name == "/" {
		return apperr.Invalidf("请选择要上传的文件")
	}
	f, err := s.uploads.create()
	if err != nil {
		return err
	}
	defer f.Close()
	p.Path = f.Name()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), part)
	if err != nil {
		return uploadReadErr(err)
	}
	p.Size, p.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return f.Sync()
}

func (f uploadForm) options() (registry.ImportOptions, error) {
	o := registry.ImportOptions{Mode: table.Mode(f.Mode), Official: f.Source == "official", Edition2011: f.Edition == registry.Edition2011,
		RevenueSource: registry.Source(f.RevenueSource), RevenueUnit: money.Unit(f.Unit)}
	switch {
	case f.Kind != registry.KindEnterprises && f.Kind != registry.KindRevenue:
		return o, apperr.Invalidf("请选择导入的内容:企业名录或营业收入")
	case o.Mode != table.AllOrNothing && o.Mode != table.ValidRows:
		return o, apperr.Invalidf("请选择导入方式")
	case f.Source != "official" && f.Source != "manual":
		return o, apperr.Invalidf("请选择名录来源")
	case f.Edition != "" && f.Edition != registry.Edition2017 && f.Edition != registry.Edition2011:
		return o, apperr.Invalidf("行业代码版本应为2017或2011")
	case f.Unit != "" && o.RevenueUnit == 0:
		return o, apperr.Invalidf("金额单位应为万元、千元或元")
	case f.RevenueSource != "" && o.RevenueSource.Label() == "":
		return o, apperr.Invalidf("数据来源应为税务、市场监管、企业自报或统计")
	}
	return o, nil
}

// previewRows is how many data rows the mapping form shows.
const previewRows = 5

// previewUpload opens the stored file, finds its header and keeps the
// first rows for the mapping form.
func (s *Server) previewUpload(p *pendingImport) error {
	return s.withUploadRows(p, func(rows xlsx.RowReader) error {
		m, err := registry.FindHeader(rows)
		if _, ok := m.Index[registry.ColUSCC]; !ok {
			return apperr.Invalidf("%s", err.Error())
		}
		if err != nil {
			p.MapErr = err.Error() // duplicate columns: the form settles it
		}
		p.Mapping = m
		for len(p.Preview) < previewRows {
			cells, err := rows.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			p.Preview = append(p.Preview, append([]string(nil), cells...))
		}
		return nil
	})
}

// withUploadRows opens the stored file as rows.
func (s *Server) withUploadRows(p *pendingImport, fn func(xlsx.RowReader) error) error {
	f, err := os.Open(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, format, err := xlsx.Open(f, p.Size, p.Name, xlsx.Options{Sheet: p.Sheet})
	if err != nil {
		return err
	}
	defer rows.Close()
	p.Format = format
	return fn(rows)
}

type importPage struct {
	basePage
	P        *pendingImport
	State    string
	Columns  []mapColumn
	Header   []headerCell
	Preview  [][]string
	Error    string
	Read     int64
	Result   *registry.ImportResult
	Imp      *registry.Import
	Rejected []rejectedRow
	More     int
	Failed   string
	KindName string
	Opts     []string
}

type mapColumn struct {
	Col      string
	Label    string
	Required bool
	Chosen   int // file column, -1 for none
}

type headerCell struct {
	Index int
	Text  string
}

type rejectedRow struct {
	Row    int
	Reason string
}

// upload is the user's upload the path names; nobody else's.
func (s *Server) upload(r *http.Request) (*pendingImport, error) {
	p, ok := s.uploads.get(r.PathValue("id"), userOf(r).Username)
	if !ok {
		return nil, errNotFound("上传的文件不存在或已过期,请重新上传")
	}
	return p, nil
}

// importShow shows an upload: its mapping form, its progress or its outcome.
func (s *Server) importShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.upload(r)
	if err != nil {
		return err
	}
	return s.renderImport(w, r, http.StatusOK, p, p.Mapping, "")
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, p *pendingImport, m registry.Mapping, msg string) error {
	state, res, err := p.status()
	data := importPage{basePage: s.base(r, "导入"+kindLabels[p.Kind], "directory"), P: p, State: state, Error: msg,
		Read: p.read.Load(), KindName: kindLabels[p.Kind], Preview: p.Preview}
	if msg == "" && state == uploadWaiting {
		data.Error = p.MapErr
	}
	data.Opts = append(data.Opts, p.Options.Mode.Label())
	if p.Kind == registry.KindEnterprises {
		data.Opts = append(data.Opts, map[bool]string{true: "统计或市场监管导出(校验码不符的代码保留待核)", false: "手工名单(校验码不符即拒绝)"}[p.Options.Official],
			map[bool]string{true: "行业代码为GB/T 4754-2011,全部按对照表转换", false: "行业代码为GB/T 4754-2017(旧版代码自动转换)"}[p.Options.Edition2011])
	} else {
		if p.Options.RevenueSource != "" {
			data.Opts = append(data.Opts, "数据来源:"+p.Options.RevenueSource.Label())
		}
		if name := money.UnitName(p.Options.RevenueUnit); name != "" {
			data.Opts = append(data.Opts, "金额单位:"+name)
		}
	}
	for i, h := range p.Mapping.Header {
		data.Header = append(data.Header, headerCell{i, h})
	}
	for i, c := range registry.ImportColumns(p.Kind) {
		chosen, ok := m.Index[c]
		if !ok {
			chosen = -1
		}
		data.Columns = append(data.Columns, mapColumn{Col: string(c), Label: c.Label(), Required: i == 0 ||
			p.Kind == registry.KindRevenue && i < 3, Chosen: chosen})
	}
	if state == uploadDone {
		data.Result = res
		if res != nil {
			data.Imp = &res.Import
			for i, rj := range res.Rejected {
				if i == 100 {
					data.More = len(res.Rejected) - i
					break
				}
				data.Rejected = append(data.Rejected, rejectedRow{rj.Row, rj.Reason()})
			}
		}
		if err != nil {
			data.Failed = apperr.Message(err)
		}
	}
	return s.pages.render(w, status, "import", data)
}

// importRun starts the import with the mapping the user confirmed. It runs
// in the background; the page follows its progress.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, err := s.upload(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("表单无法读取")
	}
	index := map[registry.Column]int{}
	for _, c := range registry.ImportColumns(p.Kind) {
		v := r.PostForm.Get("col_" + string(c))
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil {
			return apperr.Invalidf("%s对应的列无效", c.Label())
		}
		index[c] = i
	}
	m, err := registry.NewMapping(p.Mapping.Header, p.Mapping.HeaderRow, index)
	if err != nil {
		return s.renderImport(w, r, http.StatusBadRequest, p, m, err.Error())
	}
	if !p.start() {
		http.Redirect(w, r, "/enterprises/imports/"+p.ID, http.StatusSeeOther)
		return nil
	}
	actor := s.actor(r)
	opts := p.Options
	opts.Mapping = &m
	opts.Progress = func(n int) { p.read.Store(int64(n)) }
	// The import outlives the request that started it.
	ctx := context.WithoutCancel(r.Context())
	go func() {
		var res *registry.ImportResult
		err := s.withUploadRows(p, func(rows xlsx.RowReader) error {
			for rows.Row() < m.HeaderRow { // the data begin under the header
				if _, err := rows.Next(); err != nil {
					return err
				}
			}
			meta := table.File{Name: p.Name, SHA256: p.SHA256, Size: p.Size}
			var err error
			if p.Kind == registry.KindEnterprises {
				res, err = s.registry.ImportEnterprises(ctx, actor, u, rows, meta, opts)
			} else {
				res, err = s.registry.ImportRevenue(ctx, actor, u, rows, meta, opts)
			}
			return err
		})
		if err != nil && apperr.KindOf(err) == apperr.Internal {
			s.log.ErrorContext(ctx, "import_failed", "error", err, "file", p.Name, "request_id", requestID(ctx))
		}
		p.finish(res, err, s.now())
	}()
	http.Redirect(w, r, "/enterprises/imports/"+p.ID, http.StatusSeeOther)
	return nil
}

// importCancel abandons an upload that has not been imported.
func (s *Server) importCancel(w http.ResponseWriter, r *http.Request) error {
	if p, ok := s.uploads.get(r.PathValue("id"), userOf(r).Username); ok {
		s.uploads.drop(p)
	}
	http.Redirect(w, r, "/enterprises/imports", http.StatusSeeOther)
	return nil
}

// importStatus is the progress of an upload as JSON, for the page's script.
func (s *Server) importStatus(w http.ResponseWriter, r *http.Request) error {
	p, err := s.upload(r)
	if err != nil {
		return err
	}
	state, _, _ := p.status()
	writeJSON(w, http.StatusOK, map[string]any{"state": state, "rows_read": p.read.Load()})
	return nil
}

// importRejects downloads the rows an import refused, with why.
func (s *Server) importRejects(w http.ResponseWriter, r *http.Request) error {
	p, err := s.upload(r)
	if err != nil {
		return err
	}
	state, res, _ := p.status()
	if state != uploadDone || res == nil || len(res.Rejected) == 0 {
		return errNotFound("没有未导入的行")
	}
	name := strings.TrimSuffix(p.Name, filepath.Ext(p.Name)) + "-未导入"
	w.Header().Set("Content-Type", xlsxContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename*=UTF-8''%s`, url.PathEscape(name+".xlsx")))
	return xlsx.WriteRejects(w, res.Mapping.Header, res.Rejected)
}

// removeUpload removes an upload's file once it has been read.
func removeUpload(p *pendingImport) {
	if p.Path != "" {
		os.Remove(p.Path)
	}
}
