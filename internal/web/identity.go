package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
)

const (
	sessionCookie = "svcplan_session"
	// formCSRFCookie carries the double-submit token of the forms used
	// before signing in (login, first-admin setup).
	formCSRFCookie = "svcplan_csrf"
	csrfField      = "csrf_token"
	csrfHeader     = "X-CSRF-Token"
)

// identity is who a request comes from, resolved once by withIdentity.
type identity struct {
	p *auth.Principal
	// err says why a presented cookie or token was refused (expired,
	// revoked …); the request then counts as anonymous.
	err error
}

const identityKey ctxKey = iota + 100

func identityOf(r *http.Request) identity {
	id, _ := r.Context().Value(identityKey).(identity)
	return id
}

// userOf returns the signed-in user, or nil for an anonymous request.
func userOf(r *http.Request) *auth.User {
	if id := identityOf(r); id.p != nil {
		return id.p.User
	}
	return nil
}

// withIdentity resolves the API token (Authorization: Bearer) or session
// cookie of a request. A refused credential leaves the request anonymous
// and remembers why, for routes that need a user.
func (s *Server) withIdentity(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id identity
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				id.err = apperr.Unauthorizedf("Authorization 头应为 Bearer 令牌")
			} else {
				id.p, id.err = s.auth.AuthenticateToken(r.Context(), strings.TrimSpace(secret))
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			id.p, id.err = s.auth.Authenticate(r.Context(), c.Value)
		}
		if id.err != nil && apperr.KindOf(id.err) != apperr.Unauthorized {
			s.log.ErrorContext(r.Context(), "identity_failed", "error", id.err, "request_id", requestID(r.Context()))
			id.err = apperr.Unauthorizedf("暂时无法验证登录状态,请稍后重试")
		}
		if id.err != nil {
			id.p = nil
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey, id)))
	})
}

// clientAddr is the address a request came from: the peer, or with
// TrustProxy the client the proxy names.
func (s *Server) clientAddr(r *http.Request) string {
	if s.opts.TrustProxy {
		if ip := r.Header.Get("X-Real-IP"); ip != "" {
			return strings.TrimSpace(ip)
		}
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// actor describes the request's author for the audit log.
func (s *Server) actor(r *http.Request) audit.Actor {
	return auth.ActorOf(identityOf(r).p, s.clientAddr(r), requestID(r.Context()))
}

func (s *Server) secureRequest(r *http.Request) bool {
	return r.TLS != nil || s.opts.CookieSecure || s.opts.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https"
}

// setCookie writes an HttpOnly, SameSite=Strict cookie for the whole site;
// maxAge < 0 deletes it, 0 makes it last the browser session.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteStrictMode,
	})
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// formCSRFToken returns the double-submit token of a sign-in form,
// setting its cookie when the browser has none yet.
func (s *Server) formCSRFToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	v := randomString()
	s.setCookie(w, r, formCSRFCookie, v, 0)
	return v
}

var errCSRF = apperr.Forbiddenf("页面已过期或来源不明(CSRF校验失败),请刷新页面后重试")

// checkCSRF verifies a state-changing request: the session's token for a
// signed-in browser, the double-submit cookie for a sign-in form. Requests
// with an API token carry no cookie and need none.
func (s *Server) checkCSRF(r *http.Request) error {
	id := identityOf(r)
	if id.p != nil && id.p.Token != nil {
		return nil
	}
	sent := r.Header.Get(csrfHeader)
	if sent == "" && isMultipart(r) {
		// An upload is not parsed before it is authorised: its form
		// carries the token in the URL instead.
		sent = r.URL.Query().Get(csrfField)
	} else if sent == "" {
		sent = r.PostFormValue(csrfField)
	}
	want := ""
	if id.p != nil && id.p.Session != nil {
		want = id.p.Session.CSRFToken
	} else if c, err := r.Cookie(formCSRFCookie); err == nil {
		want = c.Value
	}
	if want == "" || sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}

// allowedDuringPasswordChange are the routes a user whose password must be
// changed may still use.
var allowedDuringPasswordChange = map[string]bool{
	"/account/password": true,
	"/logout":           true,
}

var errMustChangePassword = apperr.Forbiddenf("请先修改初始密码")

// authorize applies a route's declared permission to the request.
func (s *Server) authorize(r *http.Request, rt route) error {
	id := identityOf(r)
	if rt.Perm != auth.PermPublic {
		if id.p == nil {
			if id.err != nil {
				return id.err
			}
			return apperr.Unauthorizedf("请先登录")
		}
		if id.p.User.MustChangePassword && !allowedDuringPasswordChange[rt.Pattern] {
			return errMustChangePassword
		}
		unit := ""
		if rt.UnitParam != "" {
			unit = r.PathValue(rt.UnitParam)
		}
		if err := auth.Check(id.p.User, rt.Perm, unit); err != nil {
			return err
		}
	}
	if rt.Method != http.MethodGet && rt.Method != http.MethodHead {
		return s.checkCSRF(r)
	}
	return nil
}

// auditRefusal records a refused request (401, 403, 429).
func (s *Server) auditRefusal(r *http.Request, status int, msg string) {
	if err := s.audit.Deny(r.Context(), s.actor(r), "access", "route", r.Method+" "+r.URL.Path, http.StatusText(status)+": "+msg); err != nil {
		s.log.ErrorContext(r.Context(), "audit_failed", "error", err, "request_id", requestID(r.Context()))
	}
}

// rateLimiter allows a number of events per key (client address) in a
// fixed window, for login attempts.
type rateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	now    func() time.Time
	counts map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	n     int
}

const (
	loginAttemptsPerWindow = 20
	loginWindow            = 5 * time.Minute
)

func newRateLimiter(limit int, window time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, now: now, counts: map[string]*rateWindow{}}
}

// allow counts an event for key and reports whether it is within limits.
func (l *rateLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.counts) > 10000 { // forget finished windows now and then
		for k, c := range l.counts {
			if now.Sub(c.start) >= l.window {
				delete(l.counts, k)
			}
		}
	}
	c := l.counts[key]
	if c == nil || now.Sub(c.start) >= l.window {
		c = &rateWindow{start: now}
		l.counts[key] = c
	}
	c.n++
	return c.n <= l.limit
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}
