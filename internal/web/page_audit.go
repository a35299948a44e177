package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
)

// auditQuery is the audit page's filter form as the URL carries it.
type auditQuery struct {
	From, To   string // YYYY-MM-DD, local time; To is inclusive
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Outcome    string
	Before     int64
}

func auditQueryOf(r *http.Request) auditQuery {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	return auditQuery{
		From: q.Get("from"), To: q.Get("to"), Actor: strings.TrimSpace(q.Get("actor")),
		Action: strings.TrimSpace(q.Get("action")), ObjectType: strings.TrimSpace(q.Get("object_type")),
		ObjectID: strings.TrimSpace(q.Get("object_id")), Outcome: q.Get("outcome"), Before: before,
	}
}

// filter turns the form into a store filter; dates are days in local time.
func (q auditQuery) filter() (audit.Filter, error) {
	f := audit.Filter{Actor: q.Actor, Action: q.Action, ObjectType: q.ObjectType, ObjectID: q.ObjectID,
		Outcome: audit.Outcome(q.Outcome), BeforeID: q.Before}
	day := func(s, field string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
		if err != nil {
			return t, apperr.Invalidf("%s“%s”应写作YYYY-MM-DD", field, s)
		}
		return t, nil
	}
	var err error
	if q.From != "" {
		if f.From, err = day(q.From, "开始日期"); err != nil {
			return f, err
		}
	}
	if q.To != "" {
		if f.To, err = day(q.To, "结束日期"); err != nil {
			return f, err
		}
		f.To = f.To.AddDate(0, 0, 1)
	}
	switch f.Outcome {
	case "", audit.OK, audit.Denied, audit.Failed:
	default:
		return f, apperr.Invalidf("结果只能是成功、拒绝或失败")
	}
	return f, nil
}

// values is the query string of the filter without paging.
func (q auditQuery) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"from": q.From, "to": q.To, "actor": q.Actor, "action": q.Action,
		"object_type": q.ObjectType, "object_id": q.ObjectID, "outcome": q.Outcome} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// actionLabels names the audited actions in Chinese; the code stays
// visible beside it, since filters use codes.
var actionLabels = map[string]string{
	"access":              "访问被拒绝",
	"login":               "登录",
	"logout":              "退出登录",
	"logout_all":          "退出所有设备",
	"password.change":     "修改密码",
	"user.setup":          "初始设置管理员",
	"user.create":         "新建用户",
	"user.update":         "修改用户",
	"user.reset_password": "重置密码",
	"user.unlock":         "解除锁定",
	"token.create":        "创建API令牌",
	"token.revoke":        "撤销API令牌",
	"plan.load":           "载入规划",
	"progress.submit":     "填报任务进展",
	"audit.export":        "导出审计日志",
	"db.backup":           "备份数据库",
	"db.restore":          "恢复数据库",
}

type auditRow struct {
	ID       int64
	At       time.Time
	Actor    string
	Role     string
	Addr     string
	Action   string
	Label    string
	Object   string
	Outcome  string
	Denied   bool
	Reason   string
	Before   string
	After    string
	Request  string
	UserUnit string
}

type auditPage struct {
	basePage
	Q         auditQuery
	Rows      []auditRow
	Error     string
	NextURL   string
	ExportURL string
	PageSize  int
}

const auditPageSize = 100

func auditRowOf(e audit.Entry) auditRow {
	return auditRow{ID: e.ID, At: e.At.Local(), Actor: e.Actor.Name, Role: roleLabel(e.Actor.Role), Addr: e.Actor.Addr,
		Action: e.Action, Label: actionLabels[e.Action], Object: strings.Trim(e.ObjectType+" "+e.ObjectID, " "), Outcome: e.Outcome.Label(),
		Denied: e.Outcome != audit.OK, Reason: e.Reason, Before: string(e.Before), After: string(e.After),
		Request: e.Actor.RequestID, UserUnit: e.Actor.Unit}
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	q := auditQueryOf(r)
	data := auditPage{basePage: s.base(r, "审计日志", "admin"), Q: q, PageSize: auditPageSize}
	f, err := q.filter()
	if err != nil {
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "audit", data)
	}
	f.Limit = auditPageSize
	entries, err := s.audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		data.Rows = append(data.Rows, auditRowOf(e))
	}
	v := q.values()
	data.ExportURL = "/admin/audit.csv?" + v.Encode()
	if len(entries) == auditPageSize {
		v.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		data.NextURL = "/admin/audit?" + v.Encode()
	}
	return s.pages.render(w, http.StatusOK, "audit", data)
}

// csvSafe neutralises a cell that a spreadsheet would run as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// auditExport writes every entry the filter selects as CSV (UTF-8 with a
// byte-order mark, which Excel needs to read Chinese), page by page. The
// export itself is audited.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) error {
	q := auditQueryOf(r)
	f, err := q.filter()
	if err != nil {
		return err
	}
	if err := s.audit.Record(r.Context(), s.actor(r), "audit.export", "audit_log", "", map[string]string{"filter": q.values().Encode()}); err != nil {
		return err
	}
	f.Limit = 5000
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-`+s.now().Local().Format("20060102-150405")+`.csv"`)
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"编号", "时间", "操作人", "角色", "数据范围", "地址", "操作代码", "操作", "对象", "结果", "原因", "变更前", "变更后", "请求编号"})
	err = s.audit.Each(r.Context(), f, func(e audit.Entry) error {
		row := auditRowOf(e)
		rec := []string{strconv.FormatInt(row.ID, 10), row.At.Format("2006-01-02 15:04:05"), row.Actor, row.Role,
			row.UserUnit, row.Addr, row.Action, row.Label, row.Object, row.Outcome, row.Reason, row.Before, row.After, row.Request}
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		return cw.Write(rec)
	})
	if err != nil {
		// Headers are sent: all that can be done is to end the file and log.
		s.log.ErrorContext(r.Context(), "audit_export_failed", "error", err, "request_id", requestID(r.Context()))
	}
	cw.Flush()
	return nil
}

func roleLabel(role string) string {
	if role == "" {
		return ""
	}
	return auth.Role(role).Label()
}
