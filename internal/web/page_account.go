package web

import (
	"net/http"
	"strconv"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/auth"
)

type tokenRow struct {
	ID        int64
	Name      string
	Prefix    string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastUsed  time.Time
	Revoked   bool
	Expired   bool
}

type accountPage struct {
	basePage
	Username   string
	FirmAccess bool
	LastLogin  time.Time
	Tokens     []tokenRow
	NewToken   string // shown once, right after creation
	Error      string
	Policy     auth.Policy
}

func (s *Server) accountPage(r *http.Request) (accountPage, error) {
	u := userOf(r)
	data := accountPage{basePage: s.base(r, "我的账户", "account"), Username: u.Username,
		FirmAccess: u.CanSeeFirms(), LastLogin: u.LastLoginAt, Policy: s.auth.Policy()}
	tokens, err := s.auth.ListTokens(r.Context(), u)
	if err != nil {
		return data, err
	}
	now := s.now()
	for _, t := range tokens {
		data.Tokens = append(data.Tokens, tokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt,
			ExpiresAt: t.ExpiresAt, LastUsed: t.LastUsedAt, Revoked: !t.RevokedAt.IsZero(),
			Expired: !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)})
	}
	return data, nil
}

func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) error {
	data, err := s.accountPage(r)
	if err != nil {
		return err
	}
	return s.pages.render(w, http.StatusOK, "account", data)
}

type passwordPage struct {
	basePage
	Forced bool
	Done   bool
	Errors map[string]string
	Policy auth.Policy
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return s.pages.render(w, http.StatusOK, "password", passwordPage{
		basePage: s.base(r, "修改密码", "account"), Forced: userOf(r).MustChangePassword,
		Done: r.URL.Query().Get("done") == "1", Policy: s.auth.Policy(),
	})
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) error {
	id := identityOf(r)
	var keep int64
	if id.p.Session != nil {
		keep = id.p.Session.ID
	}
	err := s.auth.ChangePassword(r.Context(), s.actor(r), id.p.User, keep,
		r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm"))
	if apperr.KindOf(err) == apperr.Invalid {
		return s.pages.render(w, http.StatusBadRequest, "password", passwordPage{
			basePage: s.base(r, "修改密码", "account"), Forced: id.p.User.MustChangePassword,
			Errors: fieldErrors(err), Policy: s.auth.Policy(),
		})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/account/password?done=1", http.StatusSeeOther)
	return nil
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := s.auth.LogoutEverywhere(r.Context(), s.actor(r), userOf(r)); err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// tokenCreate makes an API token and shows it once, on the account page.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	days, _ := strconv.Atoi(r.PostFormValue("days"))
	secret, _, err := s.auth.CreateToken(r.Context(), s.actor(r), userOf(r), r.PostFormValue("name"), days)
	data, perr := s.accountPage(r)
	if perr != nil {
		return perr
	}
	if apperr.KindOf(err) == apperr.Invalid {
		data.Error = apperr.Message(err)
		return s.pages.render(w, http.StatusBadRequest, "account", data)
	}
	if err != nil {
		return err
	}
	data.NewToken = secret
	w.Header().Set("Cache-Control", "no-store")
	return s.pages.render(w, http.StatusOK, "account", data)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound("没有这个令牌")
	}
	if err := s.auth.RevokeToken(r.Context(), s.actor(r), userOf(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
