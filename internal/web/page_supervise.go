package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/evidence"
	"svcplan/internal/plan"
	"svcplan/internal/supervise"
)

// 督查督办: the board of items by light and deadline, each item's page with
// its timeline and the acts the user may do, the inbox, the daily digest.

type superviseRow struct {
	supervise.Line
	URL, Lead, Partners, Status string
	Indicator                   string // the tied indicator's name
}

type supervisePage struct {
	basePage
	Rows             []superviseRow
	Red, Yellow, All int
	Filter           string // "", red, yellow, overdue
	Unit             string
	Units            []option
	CanAssign        bool
	Tasks            []option
	Today, LastDay   string
	Error            string
	Errors           map[string]string
}

func superviseRowOf(p *plan.Plan, l supervise.Line) superviseRow {
	var partners []string
	for _, q := range l.Item.Partners {
		partners = append(partners, unitName(p, q))
	}
	row := superviseRow{Line: l, URL: "/supervise/" + strconv.FormatInt(l.Item.ID, 10), Lead: unitName(p, l.Item.Lead),
		Partners: strings.Join(partners, "、"), Status: l.Item.Status.Label()}
	if ind, ok := p.Indicator(l.Item.Indicator); ok {
		row.Indicator = ind.Name
	}
	return row
}

func (s *Server) superviseBoard(w http.ResponseWriter, r *http.Request) error {
	return s.renderSuperviseBoard(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderSuperviseBoard(w http.ResponseWriter, r *http.Request, status int, msg string, errs map[string]string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	lines, err := s.supervise.Board(r.Context(), u)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	data := supervisePage{basePage: s.base(r, "督查督办", "assess"), Filter: q.Get("light"), Unit: q.Get("unit"),
		CanAssign: u.Can(auth.PermSuperviseManage), Today: s.now().Format("2006-01-02"), LastDay: fmt.Sprintf("%d-12-31", st.Plan.Meta.EndYear),
		Error: msg, Errors: errs}
	for _, l := range lines {
		data.All++
		switch l.Signal.Light {
		case supervise.Red:
			data.Red++
		case supervise.Yellow:
			data.Yellow++
		}
		if data.Filter != "" && string(l.Signal.Light) != data.Filter || data.Unit != "" && !l.Item.HasUnit(data.Unit) {
			continue
		}
		data.Rows = append(data.Rows, superviseRowOf(st.Plan, l))
	}
	for _, un := range st.Plan.Units {
		if un.Kind != plan.KindDistrict {
			data.Units = append(data.Units, option{un.Code, un.Name})
		}
	}
	if data.CanAssign {
		for _, f := range st.Plan.Fields {
			for _, t := range f.Tasks {
				title := []rune(t.Title)
				if len(title) > 40 {
					title = append(title[:40], '…')
				}
				data.Tasks = append(data.Tasks, option{t.Code, t.Code + " " + string(title)})
			}
		}
	}
	return s.pages.render(w, status, "supervise", data)
}

// superviseAssign adds an item from the board's form.
func (s *Server) superviseAssign(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	it := supervise.Item{Kind: supervise.Kind(v("kind")), Task: v("task"), Title: v("title"), Source: v("source"), Lead: v("lead"),
		Deadline: v("deadline"), Indicator: v("indicator"), Target: v("target")}
	for _, q := range r.PostForm["partners"] {
		if q != "" && q != it.Lead {
			it.Partners = append(it.Partners, q)
		}
	}
	if it.Kind == supervise.KindAdhoc {
		it.Task = ""
	}
	got, err := s.supervise.Assign(r.Context(), s.actor(r), userOf(r), it)
	if apperr.KindOf(err) == apperr.Invalid {
		return s.renderSuperviseBoard(w, r, http.StatusBadRequest, apperr.Message(err), fieldErrors(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/supervise/"+strconv.FormatInt(got.ID, 10), http.StatusSeeOther)
	return nil
}

type superviseEvent struct {
	supervise.Event
	Label, Unit string
}

type superviseItemPage struct {
	basePage
	Row                superviseRow
	Events             []superviseEvent
	Milestones         []supervise.Milestone
	CanUnit, CanOffice bool
	Pending            *supervise.Extension
	MaxMB              int
	Error              string
	Errors             map[string]string
}

func (s *Server) superviseItem(w http.ResponseWriter, r *http.Request) error {
	return s.renderSuperviseItem(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderSuperviseItem(w http.ResponseWriter, r *http.Request, status int, msg string, errs map[string]string) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "没有这个督办事项")
	if err != nil {
		return err
	}
	u := userOf(r)
	d, err := s.supervise.Detail(r.Context(), u, id)
	if err != nil {
		return err
	}
	it := d.Item
	data := superviseItemPage{basePage: s.base(r, it.Title, "assess"), Row: superviseRowOf(st.Plan, d.Line), Milestones: it.Milestones,
		Pending: it.Pending, MaxMB: evidence.MaxBytes >> 20, Error: msg, Errors: errs,
		CanUnit:   u.Can(auth.PermProgressWrite) && (u.Unit == "" || it.HasUnit(u.Unit)) && it.Status != supervise.Closed,
		CanOffice: u.Can(auth.PermSuperviseManage)}
	for i := len(d.Events) - 1; i >= 0; i-- {
		ev := d.Events[i]
		who := "督查办"
		if ev.Unit != "" {
			who = unitName(st.Plan, ev.Unit)
		}
		data.Events = append(data.Events, superviseEvent{Event: ev, Label: ev.Act.Label(), Unit: who})
	}
	return s.pages.render(w, status, "supervise_item", data)
}

// superviseAct takes an act from the item's page: a form, with evidence
// files when a unit reports.
func (s *Server) superviseAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "没有这个督办事项")
	if err != nil {
		return err
	}
	in, err := s.readAct(r)
	if err == nil {
		_, err = s.supervise.Act(r.Context(), s.actor(r), userOf(r), id, in)
	}
	var maxBytes *http.MaxBytesError
	switch k := apperr.KindOf(err); {
	case errors.As(err, &maxBytes):
		return tooLarge(maxUploadBytes)
	case k == apperr.Invalid || k == apperr.Conflict:
		return s.renderSuperviseItem(w, r, http.StatusBadRequest, apperr.Message(err), fieldErrors(err))
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/supervise/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// readAct reads an act's form, multipart when it carries files.
func (s *Server) readAct(r *http.Request) (supervise.ActInput, error) {
	var in supervise.ActInput
	files, err := readEvidence(r)
	if err != nil {
		return in, err
	}
	in.Files = files
	version, err := strconv.Atoi(r.FormValue("version"))
	if err != nil {
		return in, apperr.Invalidf("缺少事项的版本号,请刷新后重试")
	}
	in.Act, in.Version = supervise.Act(r.FormValue("act")), version
	in.Text, in.Value, in.NewDeadline = r.FormValue("text"), r.FormValue("value"), r.FormValue("new_deadline")
	return in, nil
}

// superviseEvidence sends an evidence file, as a download.
func (s *Server) superviseEvidence(w http.ResponseWriter, r *http.Request) error {
	fid, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return errNotFound("没有这个佐证文件")
	}
	ev, err := s.supervise.EvidenceFile(r.Context(), userOf(r), fid)
	if err != nil {
		return err
	}
	if strconv.FormatInt(ev.Item, 10) != r.PathValue("id") {
		return errNotFound("没有这个佐证文件")
	}
	w.Header().Set("Content-Type", ev.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(ev.Name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(ev.Data)
	return err
}

type superviseInboxPage struct {
	basePage
	Messages []supervise.Message
}

func (s *Server) superviseInbox(w http.ResponseWriter, r *http.Request) error {
	box, err := s.supervise.Inbox(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "supervise_inbox", superviseInboxPage{basePage: s.base(r, "我的待办", "assess"), Messages: box})
}

// superviseDigest writes the user's inbox and board as the day's digest
// (XLSX), for a unit to circulate.
func (s *Server) superviseDigest(w http.ResponseWriter, r *http.Request) error {
	st, err := s.active(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	lines, err := s.supervise.Board(r.Context(), u)
	if err != nil {
		return err
	}
	box, err := s.supervise.Inbox(r.Context(), u)
	if err != nil {
		return err
	}
	latest := map[int64]string{}
	for _, m := range box {
		if _, ok := latest[m.Item]; !ok {
			latest[m.Item] = m.Text
		}
	}
	whose := "全区"
	if u.Unit != "" {
		whose = unitName(st.Plan, u.Unit)
	}
	title := fmt.Sprintf("督查督办每日提示(%s,%s)", whose, s.now().Format("2006-01-02"))
	header := []string{"序号", "事项", "来源", "牵头单位", "配合单位", "办结期限", "状态", "预警", "说明", "最新提示"}
	return s.writePrintableXLSX(w, r, "督办提示", title, header, func(row func([]any) error) error {
		for i, l := range lines {
			rr := superviseRowOf(st.Plan, l)
			light := map[supervise.Light]string{supervise.Red: "红灯", supervise.Yellow: "黄灯", supervise.Green: "绿灯"}[l.Signal.Light]
			why := l.Signal.Why
			if l.Signal.Contradicted != "" {
				why += ";" + l.Signal.Contradicted
			}
			if err := row([]any{i + 1, l.Item.Title, l.Item.Source, rr.Lead, rr.Partners, l.Item.Deadline, rr.Status, light, why,
				latest[l.Item.ID]}); err != nil {
				return err
			}
		}
		return nil
	}, "export.supervise_digest", "supervise", whose)
}

// readEvidence reads a form, multipart when it carries files, and the
// files of its "files" field, each within the evidence limit (their type
// is the service's to check).
func readEvidence(r *http.Request) ([]evidence.Upload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return nil, nil
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, apperr.Invalidf("无法读取上传的表单:%v", err)
	}
	var out []evidence.Upload
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		if fh.Size > evidence.MaxBytes {
			return nil, apperr.InvalidFields([]string{fmt.Sprintf("文件“%s”超过%d MB", fh.Filename, evidence.MaxBytes>>20)},
				map[string]string{"files": "文件过大"})
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(f, evidence.MaxBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, evidence.Upload{Name: fh.Filename, Data: b})
	}
	return out, nil
}
