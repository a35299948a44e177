package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"

	"svcplan/internal/apperr"
	"svcplan/internal/projects"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// The project sheet's upload: the file is streamed to disk and hashed,
// read, and imported all or nothing; the page shows what happened.

type projectImportPage struct {
	basePage
	Upload   string
	MaxBytes int64
	Result   *projects.SheetResult
	File     string
	Error    string
}

func (s *Server) projectImportPage(r *http.Request) projectImportPage {
	data := projectImportPage{basePage: s.base(r, "导入项目清单", "projects"), MaxBytes: maxUploadBytes >> 20}
	data.Upload = "/projects/import?" + url.Values{csrfField: {data.CSRF}}.Encode()
	return data
}

func (s *Server) projectImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.pages.render(w, http.StatusOK, "project_import", s.projectImportPage(r))
}

func (s *Server) projectImport(w http.ResponseWriter, r *http.Request) error {
	data := s.projectImportPage(r)
	res, name, err := s.importProjectSheet(r)
	var maxBytes *http.MaxBytesError
	switch {
	case errors.As(err, &maxBytes):
		return tooLarge(maxUploadBytes)
	case apperr.KindOf(err) == apperr.Invalid || apperr.KindOf(err) == apperr.Conflict:
		data.Error, data.File = apperr.Message(err), name
		return s.pages.render(w, http.StatusBadRequest, "project_import", data)
	case err != nil:
		return err
	}
	data.Result, data.File = res, name
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return s.pages.render(w, status, "project_import", data)
}

// importProjectSheet stores the upload's file, imports it and removes it.
func (s *Server) importProjectSheet(r *http.Request) (*projects.SheetResult, string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", apperr.Invalidf("请选择要上传的文件")
	}
	p := &pendingImport{Owner: userOf(r).Username}
	defer func() {
		if p.Path != "" {
			os.Remove(p.Path)
		}
	}()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", uploadReadErr(err)
		}
		if part.FormName() == "file" && p.Path == "" {
			if err := s.saveUpload(p, part); err != nil {
				return nil, p.Name, err
			}
		}
	}
	if p.Path == "" || p.Size == 0 {
		return nil, "", apperr.Invalidf("请选择要上传的文件(文件不能为空)")
	}
	var res *projects.SheetResult
	err = s.withUploadRows(p, func(rows xlsx.RowReader) error {
		var ierr error
		res, ierr = s.projects.ImportSheet(r.Context(), s.actor(r), userOf(r), rows, table.File{Name: p.Name, SHA256: p.SHA256, Size: p.Size})
		return ierr
	})
	return res, p.Name, err
}
