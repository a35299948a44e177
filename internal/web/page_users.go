package web

import (
	"net/http"
	"strconv"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
)

type userRow struct {
	ID         int64
	Username   string
	Name       string
	Role       string
	Unit       string
	FirmAccess bool
	Disabled   bool
	Locked     bool
	MustChange bool
	LastLogin  time.Time
}

type userListPage struct {
	basePage
	Users []userRow
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	users, err := s.auth.ListUsers(r.Context())
	if err != nil {
		return err
	}
	data := userListPage{basePage: s.base(r, "用户管理", "admin")}
	var p *plan.Plan
	if st, err := s.plans.Active(r.Context()); err == nil {
		p = st.Plan
	}
	now := s.now()
	for _, u := range users {
		data.Users = append(data.Users, userRow{ID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role.Label(),
			Unit: unitName(p, u.Unit), FirmAccess: u.CanSeeFirms(), Disabled: u.Disabled,
			Locked: u.LockedUntil.After(now), MustChange: u.MustChangePassword, LastLogin: u.LastLoginAt})
	}
	return s.pages.render(w, http.StatusOK, "users", data)
}

type roleOption struct {
	Value auth.Role
	Label string
}

type unitOption struct {
	Code  string
	Label string
}

// userFormPage is the form to create or edit an account, and the page that
// shows a new password once.
type userFormPage struct {
	basePage
	New         bool
	ID          int64
	Form        auth.UserInput
	Locked      bool
	Roles       []roleOption
	Units       []unitOption
	Errors      map[string]string
	Error       string
	Password    string // a new initial password, shown once
	PasswordFor string
	Notice      string
}

func (s *Server) userFormPage(r *http.Request, title string) userFormPage {
	data := userFormPage{basePage: s.base(r, title, "admin")}
	for _, role := range auth.Roles {
		data.Roles = append(data.Roles, roleOption{role, role.Label()})
	}
	if st, err := s.plans.Active(r.Context()); err == nil {
		for _, kind := range unitKindOrder {
			for _, u := range st.Plan.Units {
				if u.Kind == kind && kind != plan.KindDistrict {
					data.Units = append(data.Units, unitOption{u.Code, kind.Label() + " · " + u.Name})
				}
			}
		}
	}
	return data
}

func userInputOf(r *http.Request) auth.UserInput {
	return auth.UserInput{
		Username:   r.PostFormValue("username"),
		Name:       r.PostFormValue("name"),
		Role:       auth.Role(r.PostFormValue("role")),
		Unit:       r.PostFormValue("unit"),
		FirmAccess: r.PostFormValue("firm_access") == "on",
		Disabled:   r.PostFormValue("disabled") == "on",
		Reason:     r.PostFormValue("reason"),
	}
}

func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) error {
	data := s.userFormPage(r, "新建用户")
	data.New = true
	data.Form.Role = auth.RoleReporter
	return s.pages.render(w, http.StatusOK, "user", data)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	data := s.userFormPage(r, "新建用户")
	data.New, data.Form = true, userInputOf(r)
	u, password, err := s.auth.CreateUser(r.Context(), s.actor(r), data.Form)
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		data.Errors, data.Error = fieldErrors(err), apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "user", data)
	}
	if err != nil {
		return err
	}
	return s.showPassword(w, r, u, password, "用户已创建。")
}

// showPassword shows an initial or reset password once, never to be
// retrieved again.
func (s *Server) showPassword(w http.ResponseWriter, r *http.Request, u *auth.User, password, notice string) error {
	data := s.userFormPage(r, "用户 "+u.Username)
	data.ID, data.Form = u.ID, auth.UserInput{Username: u.Username, Name: u.Name, Role: u.Role, Unit: u.Unit,
		FirmAccess: u.FirmAccess, Disabled: u.Disabled}
	data.Password, data.PasswordFor, data.Notice = password, u.Username, notice
	return s.pages.render(w, http.StatusOK, "user", data)
}

// pathID reads the {id} of the path; missing says what is not found.
func pathID(r *http.Request, missing string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound(missing)
	}
	return id, nil
}

func (s *Server) userEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "账户不存在")
	if err != nil {
		return err
	}
	u, err := s.auth.FindUser(r.Context(), id)
	if err != nil {
		return err
	}
	data := s.userFormPage(r, "用户 "+u.Username)
	data.ID, data.Locked = u.ID, u.LockedUntil.After(s.now())
	data.Form = auth.UserInput{Username: u.Username, Name: u.Name, Role: u.Role, Unit: u.Unit,
		FirmAccess: u.FirmAccess, Disabled: u.Disabled}
	switch r.URL.Query().Get("done") {
	case "saved":
		data.Notice = "已保存。"
	case "unlocked":
		data.Notice = "已解除锁定。"
	case "revoked":
		data.Notice = "已注销该用户的全部会话。"
	}
	return s.pages.render(w, http.StatusOK, "user", data)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "账户不存在")
	if err != nil {
		return err
	}
	in := userInputOf(r)
	u, err := s.auth.UpdateUser(r.Context(), s.actor(r), id, in)
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		data := s.userFormPage(r, "用户")
		data.ID, data.Form = id, in
		if found, ferr := s.auth.FindUser(r.Context(), id); ferr == nil {
			data.Form.Username = found.Username
		}
		data.Errors, data.Error = fieldErrors(err), apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "user", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "账户不存在")
	if err != nil {
		return err
	}
	u, password, err := s.auth.ResetPassword(r.Context(), s.actor(r), id, r.PostFormValue("reason"))
	if err != nil {
		return err
	}
	return s.showPassword(w, r, u, password, "密码已重置,该用户的全部会话已注销,下次登录须修改密码。")
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "账户不存在")
	if err != nil {
		return err
	}
	if err := s.auth.Unlock(r.Context(), s.actor(r), id, r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=unlocked", http.StatusSeeOther)
	return nil
}

func (s *Server) userRevokeSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "账户不存在")
	if err != nil {
		return err
	}
	if err := s.auth.RevokeUserSessions(r.Context(), s.actor(r), id, r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=revoked", http.StatusSeeOther)
	return nil
}
