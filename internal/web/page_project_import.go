package web

import (
	"errors"
	"net/http"
	"net/url"

	"svcplan/internal/apperr"
	"svcplan/internal/projects"
	"svcplan/internal/table"
	"svcplan/internal/xlsx"
)

// The project sheet's upload, and the statistics bureau's monthly
// 固定资产投资 list: the file is streamed to disk and hashed, read, and
// imported all or nothing; the page shows what happened.

type projectImportPage struct {
	basePage
	Upload    string
	MaxBytes  int64
	Kind      string // "projects" or "fai": the form that was sent
	Result    *projects.SheetResult
	FAI       *projects.FAIResult
	Period    string // the bureau's list's month
	MaxPeriod string
	File      string
	Error     string
}

func (s *Server) projectImportPage(r *http.Request) projectImportPage {
	data := projectImportPage{basePage: s.base(r, "导入项目清单", "projects"), MaxBytes: maxUploadBytes >> 20,
		Period: s.defaultPeriod(), MaxPeriod: s.now().Format("2006-01")}
	data.Upload = "/projects/import?" + url.Values{csrfField: {data.CSRF}}.Encode()
	return data
}

func (s *Server) projectImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.pages.render(w, http.StatusOK, "project_import", s.projectImportPage(r))
}

func (s *Server) projectImport(w http.ResponseWriter, r *http.Request) error {
	data := s.projectImportPage(r)
	up, err := s.importProjectSheet(r)
	data.Kind, data.File, data.Result, data.FAI = up.kind, up.name, up.sheet, up.fai
	if up.period != "" {
		data.Period = up.period
	}
	var maxBytes *http.MaxBytesError
	switch {
	case errors.As(err, &maxBytes):
		return tooLarge(maxUploadBytes)
	case apperr.KindOf(err) == apperr.Invalid || apperr.KindOf(err) == apperr.Conflict:
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "project_import", data)
	case err != nil:
		return err
	}
	status := http.StatusOK
	if up.sheet != nil && len(up.sheet.Errors) > 0 || up.fai != nil && len(up.fai.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return s.pages.render(w, status, "project_import", data)
}

// projectUpload is what an upload of the import page sent and did.
type projectUpload struct {
	kind, name, period string
	sheet              *projects.SheetResult
	fai                *projects.FAIResult
}

// importProjectSheet stores the upload's file, imports it as the form's
// kind says (a project list, or the bureau's list of a month) and removes
// it.
func (s *Server) importProjectSheet(r *http.Request) (projectUpload, error) {
	up := projectUpload{kind: "projects"}
	p, form, err := s.readUpload(r)
	defer removeUpload(p)
	up.name, up.period = p.Name, form["period"]
	if form["kind"] == "fai" {
		up.kind = "fai"
	}
	if err != nil {
		return up, err
	}
	meta := table.File{Name: p.Name, SHA256: p.SHA256, Size: p.Size}
	err = s.withUploadRows(p, func(rows xlsx.RowReader) error {
		var ierr error
		if up.kind == "fai" {
			up.fai, ierr = s.projects.ImportFAI(r.Context(), s.actor(r), userOf(r), rows, meta, up.period)
		} else {
			up.sheet, ierr = s.projects.ImportSheet(r.Context(), s.actor(r), userOf(r), rows, meta)
		}
		return ierr
	})
	return up, err
}
