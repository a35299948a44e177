package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
)

type loginForm struct {
	Username string
	Next     string
	Error    string
	Notice   string
}

type loginPage struct {
	basePage
	Form      loginForm
	FormCSRF  string
	SetupOpen bool
}

// safeNext keeps a post-login destination on this site: a path, never a
// scheme-relative or absolute URL.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, f loginForm) error {
	data := loginPage{basePage: s.base(r, "登录", "login"), Form: f, FormCSRF: s.formCSRFToken(w, r)}
	return s.pages.render(w, status, "login", data)
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	f := loginForm{Next: r.URL.Query().Get("next")}
	if r.URL.Query().Get("setup") == "done" {
		f.Notice = "管理员账户已创建,请登录。"
	}
	return s.renderLogin(w, r, http.StatusOK, f)
}

// loginSubmit signs a user in. Its refusals are audited by the auth
// service (wrong password, locked, disabled) or here (rate limit), and
// answered with the form again.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	f := loginForm{Username: r.PostFormValue("username"), Next: safeNext(r.PostFormValue("next"))}
	actor := s.actor(r)
	if !s.logins.allow(actor.Addr) {
		if err := s.audit.Deny(r.Context(), actor, "login", "user", strings.ToLower(f.Username), "登录尝试过于频繁"); err != nil {
			return err
		}
		f.Error = "登录尝试过于频繁,请5分钟后再试"
		return s.renderLogin(w, r, http.StatusTooManyRequests, f)
	}
	p, token, err := s.auth.Login(r.Context(), actor, f.Username, r.PostFormValue("password"), r.UserAgent())
	if err != nil {
		status := httpStatus(err)
		if status == http.StatusInternalServerError {
			return err
		}
		f.Error = apperr.Message(err)
		return s.renderLogin(w, r, status, f)
	}
	s.setCookie(w, r, sessionCookie, token, 0)
	s.setCookie(w, r, formCSRFCookie, "", -1)
	dest := f.Next
	if r.PostFormValue("next") == "" && p.User.Can(auth.PermProgressRead) {
		dest = "/progress" // the page of their work, rather than the public plan
	}
	if p.User.MustChangePassword {
		dest = "/account/password"
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	id := identityOf(r)
	if id.p.Session != nil {
		if err := s.auth.Logout(r.Context(), s.actor(r), id.p.Session); err != nil {
			return err
		}
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type setupPage struct {
	basePage
	Token    string
	FormCSRF string
	Username string
	Name     string
	Errors   map[string]string
	Error    string
}

// setupOpen reports whether the one-time setup link works: it was issued
// at start and no account exists yet.
func (s *Server) setupOpen(r *http.Request) (bool, error) {
	if s.opts.SetupToken == "" || !s.now().Before(s.opts.SetupExpires) {
		return false, nil
	}
	has, err := s.auth.HasUsers(r.Context())
	return !has, err
}

func (s *Server) checkSetupToken(r *http.Request, token string) error {
	open, err := s.setupOpen(r)
	if err != nil {
		return err
	}
	if !open || subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.SetupToken)) != 1 {
		return errNotFound("初始设置链接无效或已使用")
	}
	return nil
}

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if err := s.checkSetupToken(r, token); err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "setup", setupPage{
		basePage: s.base(r, "初始设置", ""), Token: token, FormCSRF: s.formCSRFToken(w, r),
	})
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PostFormValue("token")
	if err := s.checkSetupToken(r, token); err != nil {
		return err
	}
	data := setupPage{basePage: s.base(r, "初始设置", ""), Token: token, FormCSRF: s.formCSRFToken(w, r),
		Username: r.PostFormValue("username"), Name: r.PostFormValue("name")}
	_, err := s.auth.SetupFirstAdmin(r.Context(), s.actor(r), data.Username, data.Name,
		r.PostFormValue("password"), r.PostFormValue("confirm"))
	if apperr.KindOf(err) == apperr.Invalid {
		data.Errors, data.Error = fieldErrors(err), apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "setup", data)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/login?setup=done", http.StatusSeeOther)
	return nil
}

// fieldErrors returns the per-field messages of an Invalid error.
func fieldErrors(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) && e.Fields != nil {
		return e.Fields
	}
	return map[string]string{}
}
