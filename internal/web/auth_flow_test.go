package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/progress"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// cookieOf returns the cookie a response sets, or nil.
func cookieOf(res response, name string) *http.Cookie {
	r := &http.Response{Header: res.header}
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// login posts the login form as a browser would and returns the response.
func (env *testEnv) login(username, password string) response {
	env.t.Helper()
	formCookie := strings.Repeat("c", 43)
	return env.do(req{method: http.MethodPost, path: "/login", formCookie: formCookie, csrf: formCookie,
		form: url.Values{"username": {username}, "password": {password}, "next": {"/progress"}}})
}

func (env *testEnv) lastAudit(f audit.Filter) audit.Entry {
	env.t.Helper()
	f.Limit = 1
	es := env.auditEntries(f)
	if len(es) == 0 {
		env.t.Fatalf("no audit entry for %+v", f)
	}
	return es[0]
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("wang", auth.RoleStatistician, "")

		// The form sets its double-submit cookie.
		res := env.do(req{method: http.MethodGet, path: "/login"})
		if c := cookieOf(res, formCSRFCookie); res.status != 200 || c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Fatalf("GET /login: %d, cookie %+v", res.status, c)
		}

		// Without the CSRF token: refused and audited.
		res = env.do(req{method: http.MethodPost, path: "/login", form: url.Values{"username": {"wang"}, "password": {testPassword}}})
		if res.status != http.StatusForbidden || !strings.Contains(res.text(), "CSRF校验失败") {
			t.Errorf("login without CSRF token: %d", res.status)
		}
		if e := env.lastAudit(audit.Filter{Outcome: audit.Denied}); e.Action != "access" || !strings.Contains(e.Reason, "CSRF") {
			t.Errorf("CSRF refusal audited as %+v", e)
		}

		// Wrong password and unknown user: the same message, both audited.
		for _, user := range []string{"wang", "nobody"} {
			res = env.login(user, "Wrong#Pass1")
			if res.status != http.StatusUnauthorized || !strings.Contains(res.text(), "用户名或密码错误") {
				t.Errorf("bad login for %s: %d", user, res.status)
			}
			if e := env.lastAudit(audit.Filter{Action: "login"}); e.Outcome != audit.Failed || e.ObjectID != user || e.Actor.Addr != "192.0.2.1" {
				t.Errorf("bad login for %s audited as %+v", user, e)
			}
		}

		// Four more failures (five in all) lock the account for 15 minutes.
		for i := 2; i <= 5; i++ {
			res = env.login("wang", "Wrong#Pass1")
		}
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.text(), "账户已临时锁定") {
			t.Fatalf("fifth failure: %d", res.status)
		}
		if res = env.login("wang", testPassword); res.status != http.StatusTooManyRequests {
			t.Errorf("right password while locked: %d, want 429", res.status)
		}
		env.clock.Advance(15 * time.Minute)
		res = env.login("wang", testPassword)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/progress" {
			t.Fatalf("login after the lockout: %d → %s", res.status, res.header.Get("Location"))
		}
		c := cookieOf(res, sessionCookie)
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" {
			t.Errorf("session cookie %+v", c)
		}
		if e := env.lastAudit(audit.Filter{Action: "login"}); e.Outcome != audit.OK || e.Actor.Name != "wang" {
			t.Errorf("login audited as %+v", e)
		}
		if res = env.do(req{method: http.MethodGet, path: "/account", cookie: c.Value}); res.status != 200 || !strings.Contains(res.text(), "测试wang") {
			t.Errorf("account page with the new session: %d", res.status)
		}

		// Behind an HTTPS proxy the cookie is Secure.
		env.opts.CookieSecure = true
		env.rebuild()
		if c := cookieOf(env.login("wang", testPassword), sessionCookie); c == nil || !c.Secure {
			t.Errorf("cookie with CookieSecure: %+v", c)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		var res response
		for i := 1; i <= loginAttemptsPerWindow+1; i++ {
			res = env.login("user"+strings.Repeat("x", i%3), "Wrong#Pass1")
		}
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.text(), "登录尝试过于频繁") {
			t.Errorf("attempt %d from one address: %d", loginAttemptsPerWindow+1, res.status)
		}
		env.clock.Advance(loginWindow)
		if res = env.login("userx", "Wrong#Pass1"); res.status != http.StatusUnauthorized {
			t.Errorf("after the window: %d, want 401", res.status)
		}
	})
}

func TestForcedPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		admin := audit.Actor{Name: "test", Addr: "local"}
		_, initial, err := env.auth.CreateUser(t.Context(), admin, auth.UserInput{Username: "li", Name: "李", Role: auth.RoleLeader})
		if err != nil {
			t.Fatal(err)
		}
		res := env.login("li", initial)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/account/password" {
			t.Fatalf("first login: %d → %s", res.status, res.header.Get("Location"))
		}
		cookie := cookieOf(res, sessionCookie).Value
		if res := env.do(req{method: http.MethodGet, path: "/progress", cookie: cookie}); res.status != http.StatusSeeOther ||
			res.header.Get("Location") != "/account/password" {
			t.Errorf("other page before the change: %d → %s", res.status, res.header.Get("Location"))
		}
		if res := env.do(req{method: http.MethodGet, path: "/api/v1/me", cookie: cookie}); res.status != http.StatusForbidden ||
			!strings.Contains(res.body, "请先修改初始密码") {
			t.Errorf("API before the change: %d %s", res.status, res.body)
		}
		sess, err := env.auth.Authenticate(t.Context(), cookie)
		if err != nil {
			t.Fatal(err)
		}
		change := func(current, next, confirm string) response {
			return env.do(req{method: http.MethodPost, path: "/account/password", cookie: cookie, csrf: sess.Session.CSRFToken,
				form: url.Values{"current": {current}, "new": {next}, "confirm": {confirm}}})
		}
		for _, tt := range []struct{ current, next, confirm, want string }{
			{"wrong", "Good#Pass1", "Good#Pass1", "当前密码不正确"},
			{initial, "Good#Pass1", "Good#Pass2", "两次输入的新密码不一致"},
			{initial, "weakpass", "weakpass", "至少3类"},
		} {
			if res := change(tt.current, tt.next, tt.confirm); res.status != http.StatusBadRequest || !strings.Contains(res.text(), tt.want) {
				t.Errorf("change %q→%q: %d, want 400 with %q", tt.current, tt.next, res.status, tt.want)
			}
		}
		if res := change(initial, "Good#Pass1", "Good#Pass1"); res.status != http.StatusSeeOther {
			t.Fatalf("good change: %d", res.status)
		}
		if res := env.do(req{method: http.MethodGet, path: "/progress", cookie: cookie}); res.status != http.StatusOK {
			t.Errorf("after the change: %d", res.status)
		}
		e := env.lastAudit(audit.Filter{Action: "password.change", Outcome: audit.OK})
		if strings.Contains(string(e.Before)+string(e.After), "argon2") || !strings.Contains(string(e.After), `"must_change_password":false`) {
			t.Errorf("password change audited as before=%s after=%s", e.Before, e.After)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("zhao", auth.RoleLeader, "")
		page := func(cookie string) response {
			return env.do(req{method: http.MethodGet, path: "/account", cookie: cookie})
		}

		// Idle for 30 minutes: expired.
		cookie, _ := env.session("zhao")
		env.clock.Advance(29 * time.Minute)
		if res := page(cookie); res.status != 200 {
			t.Fatalf("after 29 idle minutes: %d", res.status)
		}
		env.clock.Advance(30 * time.Minute)
		res := page(cookie)
		if res.status != http.StatusUnauthorized || !strings.Contains(res.text(), "会话已过期") || !strings.Contains(res.text(), `action="/login"`) {
			t.Errorf("after 30 idle minutes: %d", res.status)
		}
		if e := env.lastAudit(audit.Filter{Outcome: audit.Denied}); !strings.Contains(e.Reason, "会话已过期") {
			t.Errorf("expiry audited as %+v", e)
		}

		// In use every 20 minutes, it still ends 12 hours after login.
		cookie, _ = env.session("zhao")
		for range 12 * 3 {
			env.clock.Advance(20 * time.Minute)
			res = page(cookie)
		}
		if res.status != http.StatusUnauthorized {
			t.Errorf("12 hours after login: %d, want 401", res.status)
		}

		// Logout, and logout everywhere.
		a, csrfA := env.session("zhao")
		b, _ := env.session("zhao")
		res = env.do(req{method: http.MethodPost, path: "/logout", cookie: a, csrf: csrfA, form: url.Values{}})
		if c := cookieOf(res, sessionCookie); res.status != http.StatusSeeOther || c == nil || c.MaxAge >= 0 {
			t.Errorf("logout: %d, cookie %+v", res.status, c)
		}
		if res := page(a); res.status != http.StatusUnauthorized || !strings.Contains(res.text(), "会话已注销") {
			t.Errorf("after logout: %d", res.status)
		}
		if res := page(b); res.status != 200 {
			t.Errorf("the other session after logout: %d", res.status)
		}
		c, csrfC := env.session("zhao")
		env.do(req{method: http.MethodPost, path: "/account/logout-all", cookie: c, csrf: csrfC, form: url.Values{}})
		for _, s := range []string{b, c} {
			if res := page(s); res.status != http.StatusUnauthorized {
				t.Errorf("after logout everywhere: %d", res.status)
			}
		}
	})
}

func TestCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("sun", auth.RoleReporter, ownUnit)
		cookie, csrf := env.session("sun")
		body := `{"unit":"` + ownUnit + `","task":"sci-tech-1","period":"2026-02","status":"on_track","progress":"已启动"}`
		tests := []struct {
			name   string
			r      req
			status int
		}{
			{"form without token", req{method: http.MethodPost, path: "/account/tokens", cookie: cookie, form: url.Values{"name": {"x"}}}, 403},
			{"form with another token", req{method: http.MethodPost, path: "/account/tokens", cookie: cookie, csrf: "forged", form: url.Values{"name": {"x"}}}, 403},
			{"form with the token", req{method: http.MethodPost, path: "/account/tokens", cookie: cookie, csrf: csrf, form: url.Values{"name": {"x"}}}, 200},
			{"JSON without header", req{method: http.MethodPost, path: "/api/v1/progress", cookie: cookie, json: body}, 403},
			{"JSON with header", req{method: http.MethodPost, path: "/api/v1/progress", cookie: cookie, csrf: csrf, json: body}, 201},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(env.auditEntries(audit.Filter{Outcome: audit.Denied}))
				res := env.do(tt.r)
				if res.status != tt.status {
					t.Fatalf("status %d, want %d: %.200s", res.status, tt.status, res.body)
				}
				if tt.status == 403 {
					if after := len(env.auditEntries(audit.Filter{Outcome: audit.Denied})); after != before+1 {
						t.Errorf("refusal not audited")
					}
				}
			})
		}
	})
}

var tokenRe = regexp.MustCompile(`svcp_[A-Za-z0-9_-]{43}`)

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("zhou", auth.RoleReporter, ownUnit)
		cookie, csrf := env.session("zhou")
		res := env.do(req{method: http.MethodPost, path: "/account/tokens", cookie: cookie, csrf: csrf,
			form: url.Values{"name": {"同步脚本"}, "days": {"30"}}})
		secret := tokenRe.FindString(res.body)
		if res.status != 200 || secret == "" || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create token: %d, token %q, Cache-Control %q", res.status, secret, res.header.Get("Cache-Control"))
		}
		me := func() response { return env.do(req{method: http.MethodGet, path: "/api/v1/me", bearer: secret}) }
		res = me()
		var body apiMeBody
		json.Unmarshal([]byte(res.body), &body)
		if res.status != 200 || body.Username != "zhou" || body.Unit != ownUnit || body.Role != "reporter" {
			t.Fatalf("GET /api/v1/me with the token: %d %s", res.status, res.body)
		}
		// A token needs no CSRF token, and acts within its user's scope.
		res = env.do(req{method: http.MethodPost, path: "/api/v1/progress", bearer: secret,
			json: `{"unit":"` + ownUnit + `","task":"sci-tech-1","period":"2026-02","status":"on_track","progress":"脚本填报"}`})
		if res.status != http.StatusCreated {
			t.Errorf("POST with the token: %d %s", res.status, res.body)
		}
		// Expired after 30 days.
		env.clock.Advance(31 * 24 * time.Hour)
		if res := me(); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "API令牌已过期") {
			t.Errorf("after 31 days: %d %s", res.status, res.body)
		}

		// Revoked: refused and audited.
		cookie, csrf = env.session("zhou")
		res = env.do(req{method: http.MethodPost, path: "/account/tokens", cookie: cookie, csrf: csrf, form: url.Values{"name": {"长期"}, "days": {"0"}}})
		secret = tokenRe.FindString(res.body)
		u, _ := env.auth.FindUserByName(t.Context(), "zhou")
		list, _ := env.auth.ListTokens(t.Context(), u)
		res = env.do(req{method: http.MethodPost, path: "/account/tokens/" + itoa(list[0].ID) + "/revoke", cookie: cookie, csrf: csrf, form: url.Values{}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", res.status)
		}
		if res := me(); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "API令牌已撤销") {
			t.Errorf("revoked token: %d %s", res.status, res.body)
		}
		if e := env.lastAudit(audit.Filter{Outcome: audit.Denied}); !strings.Contains(e.Reason, "API令牌已撤销") {
			t.Errorf("revoked token audited as %+v", e)
		}

		// A disabled user's token is refused.
		cookie, csrf = env.session("zhou")
		res = env.do(req{method: http.MethodPost, path: "/account/tokens", cookie: cookie, csrf: csrf, form: url.Values{"name": {"第三个"}}})
		third := tokenRe.FindString(res.body)
		if _, err := env.auth.UpdateUser(t.Context(), audit.Actor{Name: "test"}, u.ID, auth.UserInput{Name: u.Name, Role: u.Role, Unit: u.Unit, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		if res := env.do(req{method: http.MethodGet, path: "/api/v1/me", bearer: third}); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "已停用") {
			t.Errorf("token of a disabled user: %d %s", res.status, res.body)
		}
		if res := env.do(req{method: http.MethodGet, path: "/account", cookie: cookie}); res.status != http.StatusUnauthorized {
			t.Errorf("session of a disabled user: %d", res.status)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestReporterScope is the rule a town's reporter lives by: their own
// unit's progress they read and write; another unit's they may neither
// read nor change — not by editing the URL, not through the API body —
// and every attempt is refused with 403 and audited, the data unchanged.
func TestReporterScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("baima", auth.RoleReporter, ownUnit)
		env.addUser("dasi", auth.RoleReporter, otherUnit)
		cookie, csrf := env.session("baima")

		// The other unit has a report.
		dcookie, dcsrf := env.session("dasi")
		res := env.do(req{method: http.MethodPost, path: "/units/" + otherUnit + "/progress", cookie: dcookie, csrf: dcsrf,
			form: url.Values{"task": {"trade-logistics-1"}, "period": {"2026-02"}, "status": {"behind"}, "progress": {"码头改造延期"}}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("dasi files its own report: %d %s", res.status, res.text())
		}
		otherBefore := reportsOf(t, env, otherUnit)

		// Own unit: read and write.
		if res := env.do(req{method: http.MethodGet, path: "/units/" + ownUnit + "/progress?period=2026-02", cookie: cookie}); res.status != 200 ||
			!strings.Contains(res.text(), "白马镇 · 任务进展") {
			t.Errorf("own unit page: %d", res.status)
		}
		res = env.do(req{method: http.MethodPost, path: "/units/" + ownUnit + "/progress", cookie: cookie, csrf: csrf,
			form: url.Values{"task": {"trade-logistics-3"}, "period": {"2026-02"}, "status": {"on_track"}, "progress": {"快递进村覆盖12个行政村"}}})
		if res.status != http.StatusSeeOther {
			t.Errorf("own unit report: %d %s", res.status, res.text())
		}
		if got := reportsOf(t, env, ownUnit); len(got) != 1 || got[0].EnteredBy != "baima" || got[0].Progress != "快递进村覆盖12个行政村" {
			t.Errorf("own unit reports: %+v", got)
		}

		// Another unit: every way in is refused.
		attempts := []struct {
			name string
			r    req
		}{
			{"page by URL", req{method: http.MethodGet, path: "/units/" + otherUnit + "/progress?period=2026-02", cookie: cookie}},
			{"history by URL", req{method: http.MethodGet, path: "/units/" + otherUnit + "/progress/trade-logistics-1?period=2026-02", cookie: cookie}},
			{"form by URL", req{method: http.MethodPost, path: "/units/" + otherUnit + "/progress", cookie: cookie, csrf: csrf,
				form: url.Values{"task": {"trade-logistics-1"}, "period": {"2026-02"}, "status": {"completed"}, "progress": {"改写"}}}},
			{"own URL, other unit in the form", req{method: http.MethodPost, path: "/units/" + ownUnit + "/progress", cookie: cookie, csrf: csrf,
				form: url.Values{"task": {"trade-logistics-1"}, "period": {"2026-02"}, "status": {"completed"}, "progress": {"改写"}, "unit": {otherUnit}}}},
			{"API read", req{method: http.MethodGet, path: "/api/v1/units/" + otherUnit + "/progress?period=2026-02", cookie: cookie}},
			{"API body", req{method: http.MethodPost, path: "/api/v1/progress", cookie: cookie, csrf: csrf,
				json: `{"unit":"` + otherUnit + `","task":"trade-logistics-1","period":"2026-02","status":"completed","progress":"改写"}`}},
		}
		for _, a := range attempts {
			t.Run(a.name, func(t *testing.T) {
				before := len(env.auditEntries(audit.Filter{Outcome: audit.Denied}))
				res := env.do(a.r)
				if a.name == "own URL, other unit in the form" {
					// The form's unit field is ignored: the URL's unit is
					// the reporter's own, so this files for 白马镇 — but
					// 白马镇 has trade-logistics-1 as a duty too, so it is
					// a legitimate own-unit report.
					if res.status != http.StatusSeeOther {
						t.Errorf("status %d", res.status)
					}
					return
				}
				if res.status != http.StatusForbidden || !strings.Contains(res.text(), "无权访问其他单位的数据") {
					t.Errorf("status %d, want 403: %.200s", res.status, res.text())
				}
				if after := len(env.auditEntries(audit.Filter{Outcome: audit.Denied})); after != before+1 {
					t.Errorf("refusal not audited")
				}
			})
		}
		if diff := reportsOf(t, env, otherUnit); len(diff) != len(otherBefore) || diff[0].Progress != "码头改造延期" {
			t.Errorf("the other unit's reports changed: %+v", diff)
		}
	})
}

// reportsOf reads a unit's current reports for 2026-02 as an admin.
func reportsOf(t *testing.T, env *testEnv, unit string) []progress.Report {
	t.Helper()
	tasks, err := env.progress.UnitReports(t.Context(), &auth.User{Role: auth.RoleAdmin}, unit, "2026-02")
	if err != nil {
		t.Fatal(err)
	}
	var out []progress.Report
	for _, tr := range tasks {
		if tr.Report != nil {
			out = append(out, *tr.Report)
		}
	}
	return out
}

func TestSetupLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.opts.SetupToken, env.opts.SetupExpires = "tok-abc", testStart.Add(24*time.Hour)
		env.rebuild()
		if res := env.do(req{method: http.MethodGet, path: "/setup?token=wrong"}); res.status != 404 {
			t.Errorf("wrong token: %d", res.status)
		}
		if res := env.do(req{method: http.MethodGet, path: "/setup?token=tok-abc"}); res.status != 200 || !strings.Contains(res.text(), "创建管理员") {
			t.Errorf("setup form: %d", res.status)
		}
		fc := strings.Repeat("s", 43)
		post := func(password string) response {
			return env.do(req{method: http.MethodPost, path: "/setup", formCookie: fc, csrf: fc, form: url.Values{
				"token": {"tok-abc"}, "username": {"admin"}, "name": {"管理员"}, "password": {password}, "confirm": {password}}})
		}
		if res := post("short"); res.status != 400 || !strings.Contains(res.text(), "密码至少8位") {
			t.Errorf("weak password: %d", res.status)
		}
		if res := post("Gaogang#2026x"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?setup=done" {
			t.Fatalf("setup: %d %s", res.status, res.header.Get("Location"))
		}
		if res := env.login("admin", "Gaogang#2026x"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/progress" {
			t.Errorf("the new admin logs in: %d → %s (no forced change: they chose the password)", res.status, res.header.Get("Location"))
		}
		if res := post("Gaogang#2026y"); res.status != 404 {
			t.Errorf("second use of the link: %d", res.status)
		}
		if e := env.lastAudit(audit.Filter{Action: "user.setup"}); e.ObjectID != "admin" {
			t.Errorf("setup audited as %+v", e)
		}
		// Expired link.
		env2 := newTestEnv(t, storetest.MustOpen(t, storetest.SQLiteDSN(t)), true)
		env2.opts.SetupToken, env2.opts.SetupExpires = "tok", testStart.Add(time.Hour)
		env2.rebuild()
		env2.clock.Advance(2 * time.Hour)
		if res := env2.do(req{method: http.MethodGet, path: "/setup?token=tok"}); res.status != 404 {
			t.Errorf("expired link: %d", res.status)
		}
	})
}

func TestAdminUsersAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		cookie, csrf := env.session("admin")
		post := func(path string, form url.Values) response {
			return env.do(req{method: http.MethodPost, path: path, cookie: cookie, csrf: csrf, form: form})
		}

		// Create a reporter: the page shows the initial password once.
		res := post("/admin/users/new", url.Values{"username": {"qian"}, "name": {"钱"}, "role": {"reporter"}, "unit": {"commerce"}})
		pw := regexp.MustCompile(`<code class="secret-value">([^<]+)</code>`).FindStringSubmatch(res.body)
		if res.status != 200 || pw == nil || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create user: %d", res.status)
		}
		if res := env.login("qian", html.UnescapeString(pw[1])); res.status != http.StatusSeeOther || res.header.Get("Location") != "/account/password" {
			t.Errorf("the new user's first login: %d → %s", res.status, res.header.Get("Location"))
		}
		// Invalid input comes back with field messages.
		for _, tt := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"username": {"qian"}, "name": {"另一个"}, "role": {"leader"}}, "用户名“qian”已被使用"},
			{url.Values{"username": {"Bad Name"}, "name": {"x"}, "role": {"leader"}}, "用户名须为"},
			{url.Values{"username": {"sunli"}, "name": {"孙"}, "role": {"reporter"}}, "填报员须指定所属单位"},
			{url.Values{"username": {"sunli"}, "name": {"孙"}, "role": {"leader"}, "unit": {"nowhere"}}, "不在当前规划的单位中"},
		} {
			if res := post("/admin/users/new", tt.form); res.status != 400 || !strings.Contains(res.text(), tt.want) {
				t.Errorf("create %v: %d, want 400 with %q", tt.form, res.status, tt.want)
			}
		}
		// The last admin cannot demote themselves.
		admin, _ := env.auth.FindUserByName(t.Context(), "admin")
		res = post("/admin/users/"+itoa(admin.ID), url.Values{"name": {"管理员"}, "role": {"leader"}})
		if res.status != 400 || !strings.Contains(res.text(), "最后一个可用的管理员") {
			t.Errorf("demote the last admin: %d", res.status)
		}
		// An edit with a reason that a spreadsheet would run as a formula.
		qian, _ := env.auth.FindUserByName(t.Context(), "qian")
		res = post("/admin/users/"+itoa(qian.ID), url.Values{"name": {"钱多多"}, "role": {"reporter"}, "unit": {"commerce"}, "reason": {"=HYPERLINK(\"http://x\")"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("update: %d %s", res.status, res.text())
		}
		e := env.lastAudit(audit.Filter{Action: "user.update"})
		if e.Actor.Name != "admin" || !strings.Contains(string(e.Before), `"name":"钱"`) || !strings.Contains(string(e.After), `"name":"钱多多"`) {
			t.Errorf("update audited as %+v", e)
		}

		// The audit page lists and filters; the export is CSV with a BOM,
		// formulas neutralised, and is itself audited.
		res = env.do(req{method: http.MethodGet, path: "/admin/audit?action=user.&actor=admin", cookie: cookie})
		if res.status != 200 || !strings.Contains(res.text(), "user.update") || strings.Contains(res.text(), ">login</code>") {
			t.Errorf("audit page filtered by user.: %d", res.status)
		}
		res = env.do(req{method: http.MethodGet, path: "/admin/audit.csv?action=user.update", cookie: cookie})
		if res.status != 200 || !strings.HasPrefix(res.body, "\xef\xbb\xbf编号,时间,操作人") || res.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("export: %d %.80q", res.status, res.body)
		}
		if !strings.Contains(res.body, `'=HYPERLINK(`) || strings.Contains(res.body, `,=HYPERLINK(`) {
			t.Errorf("formula not neutralised in export: %s", res.body)
		}
		if e := env.lastAudit(audit.Filter{Action: "audit.export"}); e.Actor.Name != "admin" {
			t.Errorf("export audited as %+v", e)
		}
		if res := env.do(req{method: http.MethodGet, path: "/admin/audit?from=2026-13-01", cookie: cookie}); res.status != 400 {
			t.Errorf("bad date filter: %d", res.status)
		}
	})
}

// TestEveryWriteIsAudited runs the writes the web offers and checks each
// left exactly one entry naming its actor.
func TestEveryWriteIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.addUser("admin", auth.RoleAdmin, "")
		env.addUser("baima", auth.RoleReporter, ownUnit)
		count := func(action string) int { return len(env.auditEntries(audit.Filter{Action: action, Outcome: audit.OK})) }
		if count("plan.load") != 1 || count("user.create") != 2 || count("password.change") != 2 {
			t.Errorf("setup writes: plan.load %d, user.create %d, password.change %d", count("plan.load"), count("user.create"), count("password.change"))
		}
		cookie, csrf := env.session("baima")
		if count("login") != 1 {
			t.Errorf("login entries: %d", count("login"))
		}
		env.do(req{method: http.MethodPost, path: "/units/" + ownUnit + "/progress", cookie: cookie, csrf: csrf,
			form: url.Values{"task": {"health-1"}, "period": {"2026-01"}, "status": {"not_started"}, "progress": {"待启动"}}})
		env.do(req{method: http.MethodPost, path: "/units/" + ownUnit + "/progress", cookie: cookie, csrf: csrf,
			form: url.Values{"task": {"health-1"}, "period": {"2026-01"}, "status": {"on_track"}, "progress": {"已启动"}}})
		if count("progress.submit") != 2 {
			t.Errorf("progress entries: %d", count("progress.submit"))
		}
		e := env.lastAudit(audit.Filter{Action: "progress.submit"})
		if !strings.Contains(string(e.Before), `"progress":"待启动"`) || !strings.Contains(string(e.After), `"progress":"已启动"`) ||
			e.Actor.Name != "baima" || e.Actor.Unit != ownUnit || e.Actor.Addr != "192.0.2.1" || e.Actor.RequestID == "" {
			t.Errorf("second report audited as %+v before=%s after=%s", e.Actor, e.Before, e.After)
		}
		env.do(req{method: http.MethodPost, path: "/logout", cookie: cookie, csrf: csrf, form: url.Values{}})
		if count("logout") != 1 {
			t.Errorf("logout entries: %d", count("logout"))
		}
	})
}
