package auth

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
)

// Config is what a Service needs besides its stores.
type Config struct {
	Policy Policy
	Hash   HashParams
	Now    func() time.Time
	// UnitExists reports whether a data scope names a unit of the plan.
	UnitExists func(ctx context.Context, code string) (bool, error)
}

// Service runs accounts, sign-in, sessions and tokens.
type Service struct {
	store  Store
	audit  audit.Store
	cfg    Config
	policy Policy
	// dummyHash is verified against when a user name does not exist, so
	// that a login costs the same whether or not the account exists. It
	// is made on first need: commands that sign nobody in (imports,
	// backups) do not pay for an argon2 hash at start.
	dummyHash func() string
}

// NewService returns an auth service.
func NewService(store Store, auditStore audit.Store, cfg Config) (*Service, error) {
	dummy := sync.OnceValue(func() string {
		h, _ := HashPassword("not-a-password", cfg.Hash) // fails only if the system has no randomness
		return h
	})
	return &Service{store: store, audit: auditStore, cfg: cfg, policy: cfg.Policy, dummyHash: dummy}, nil
}

// Policy returns the security policy in force.
func (s *Service) Policy() Policy { return s.policy }

// Principal is who a request acts as: a user, through a session (pages)
// or an API token (scripts).
type Principal struct {
	User    *User
	Session *Session
	Token   *Token
}

// userView is a user as the audit log records it: no password hash.
type userView struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	Name               string     `json:"name"`
	Role               Role       `json:"role"`
	Unit               string     `json:"unit"`
	FirmAccess         bool       `json:"firm_access"`
	Disabled           bool       `json:"disabled"`
	MustChangePassword bool       `json:"must_change_password"`
	FailedLogins       int        `json:"failed_logins"`
	LockedUntil        *time.Time `json:"locked_until,omitempty"`
}

func view(u *User) userView {
	v := userView{ID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, Unit: u.Unit,
		FirmAccess: u.FirmAccess, Disabled: u.Disabled, MustChangePassword: u.MustChangePassword,
		FailedLogins: u.FailedLogins}
	if !u.LockedUntil.IsZero() {
		t := u.LockedUntil
		v.LockedUntil = &t
	}
	return v
}

// invalid returns an Invalid error with per-field messages.
func invalid(fields map[string]string) error {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msgs := make([]string, len(keys))
	for i, k := range keys {
		msgs[i] = fields[k]
	}
	return apperr.InvalidFields(msgs, fields)
}

// refuse records a refused or failed attempt on its own and returns err.
func (s *Service) refuse(ctx context.Context, actor audit.Actor, outcome audit.Outcome, action, objType, objID, reason string, err error) error {
	e := audit.New(s.cfg.Now(), actor, action, objType, objID, nil, nil)
	e.Outcome, e.Reason = outcome, reason
	if aerr := s.audit.AppendAudit(ctx, e); aerr != nil {
		return fmt.Errorf("auth: audit %s: %w", action, aerr)
	}
	return err
}

var errBadLogin = apperr.Unauthorizedf("用户名或密码错误")

// Login checks a user name and password and opens a session. It returns
// the principal and the token for the session cookie. Failures are
// audited; enough of them lock the account.
func (s *Service) Login(ctx context.Context, actor audit.Actor, username, password, userAgent string) (*Principal, string, error) {
	username = strings.TrimSpace(strings.ToLower(username))
	now := s.cfg.Now()
	u, err := s.store.FindUserByName(ctx, username)
	if apperr.KindOf(err) == apperr.NotFound {
		VerifyPassword(s.dummyHash(), password)
		return nil, "", s.refuse(ctx, actor, audit.Failed, "login", "user", username, "用户名不存在", errBadLogin)
	}
	if err != nil {
		return nil, "", err
	}
	if u.LockedUntil.After(now) {
		return nil, "", s.refuse(ctx, actor, audit.Denied, "login", "user", username, "账户已锁定",
			lockedError(u.LockedUntil))
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return nil, "", fmt.Errorf("auth: user %s: %w", username, err)
	}
	if !ok {
		before := view(u)
		u.FailedLogins++
		reason := fmt.Sprintf("密码错误(连续第%d次)", u.FailedLogins)
		locked := u.FailedLogins >= s.policy.MaxFailures
		if locked {
			u.LockedUntil, u.FailedLogins = now.Add(s.policy.Lockout), 0
			reason += ",账户锁定"
		}
		u.UpdatedAt = now
		e := audit.New(now, actor, "login", "user", username, before, view(u))
		e.Outcome, e.Reason = audit.Failed, reason
		if err := s.store.UpdateUser(ctx, u, time.Time{}, 0, e); err != nil {
			return nil, "", err
		}
		if locked {
			return nil, "", lockedError(u.LockedUntil)
		}
		return nil, "", errBadLogin
	}
	if u.Disabled {
		return nil, "", s.refuse(ctx, actor, audit.Denied, "login", "user", username, "账户已停用",
			apperr.Unauthorizedf("账户已停用,请联系管理员"))
	}

	token, err := randomToken(32)
	if err != nil {
		return nil, "", err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return nil, "", err
	}
	sess := &Session{
		UserID: u.ID, TokenHash: hashSecret(token), CSRFToken: csrf, Addr: actor.Addr,
		UserAgent: truncate(userAgent, 300), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.policy.SessionLifetime),
	}
	u.FailedLogins, u.LockedUntil, u.LastLoginAt, u.UpdatedAt = 0, time.Time{}, now, now
	actor.UserID, actor.Name, actor.Role, actor.Unit = u.ID, u.Username, string(u.Role), u.Unit
	e := audit.New(now, actor, "login", "session", username, nil,
		map[string]any{"user": username, "addr": actor.Addr, "expires_at": sess.ExpiresAt})
	if err := s.store.CreateSession(ctx, sess, u, e); err != nil {
		return nil, "", err
	}
	return &Principal{User: u, Session: sess}, token, nil
}

func lockedError(until time.Time) error {
	return &apperr.Error{Kind: apperr.TooMany,
		Msg: "登录失败次数过多,账户已临时锁定,请于" + until.Local().Format("15:04") + "后再试,或联系管理员解锁"}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Authenticate finds the session of a cookie token and its user. Revoked,
// expired and idle sessions and disabled users are refused with Chinese
// messages (apperr Unauthorized).
func (s *Service) Authenticate(ctx context.Context, cookie string) (*Principal, error) {
	sess, err := s.store.FindSession(ctx, hashSecret(cookie))
	if apperr.KindOf(err) == apperr.NotFound {
		return nil, apperr.Unauthorizedf("会话无效,请重新登录")
	}
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	switch {
	case !sess.RevokedAt.IsZero():
		return nil, apperr.Unauthorizedf("会话已注销,请重新登录")
	case !now.Before(sess.ExpiresAt), now.Sub(sess.LastSeenAt) >= s.policy.IdleTimeout:
		return nil, apperr.Unauthorizedf("会话已过期,请重新登录")
	}
	u, err := s.store.FindUser(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, apperr.Unauthorizedf("账户已停用,请联系管理员")
	}
	if now.Sub(sess.LastSeenAt) >= time.Minute { // one write a minute at most
		if err := s.store.TouchSession(ctx, sess.ID, now); err != nil {
			return nil, err
		}
		sess.LastSeenAt = now
	}
	return &Principal{User: u, Session: sess}, nil
}

// AuthenticateToken finds the API token of an Authorization header value
// (without "Bearer ") and its user.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (*Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, apperr.Unauthorizedf("API令牌格式不对")
	}
	t, err := s.store.FindToken(ctx, hashSecret(secret))
	if apperr.KindOf(err) == apperr.NotFound {
		return nil, apperr.Unauthorizedf("API令牌无效")
	}
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	switch {
	case !t.RevokedAt.IsZero():
		return nil, apperr.Unauthorizedf("API令牌已撤销")
	case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
		return nil, apperr.Unauthorizedf("API令牌已过期")
	}
	u, err := s.store.FindUser(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, apperr.Unauthorizedf("API令牌所属账户已停用")
	}
	if now.Sub(t.LastUsedAt) >= time.Minute {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
		t.LastUsedAt = now
	}
	return &Principal{User: u, Token: t}, nil
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, actor audit.Actor, sess *Session) error {
	e := audit.New(s.cfg.Now(), actor, "logout", "session", actor.Name, nil, nil)
	return s.store.RevokeSessions(ctx, sess.UserID, sess.ID, s.cfg.Now(), e)
}

// LogoutEverywhere ends every session of a user (退出所有设备).
func (s *Service) LogoutEverywhere(ctx context.Context, actor audit.Actor, u *User) error {
	e := audit.New(s.cfg.Now(), actor, "logout_all", "user", u.Username, nil, nil)
	return s.store.RevokeSessions(ctx, u.ID, 0, s.cfg.Now(), e)
}

// ChangePassword sets a user's own new password after checking the current
// one. Other sessions of the user end; keepSession (the one in use) stays.
func (s *Service) ChangePassword(ctx context.Context, actor audit.Actor, u *User, keepSession int64, current, next, confirm string) error {
	ok, err := VerifyPassword(u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return s.refuse(ctx, actor, audit.Failed, "password.change", "user", u.Username, "当前密码错误",
			invalid(map[string]string{"current": "当前密码不正确"}))
	}
	fields := map[string]string{}
	switch {
	case next != confirm:
		fields["confirm"] = "两次输入的新密码不一致"
	case next == current:
		fields["new"] = "新密码不能与当前密码相同"
	default:
		if err := s.policy.CheckPassword(u.Username, next); err != nil {
			fields["new"] = err.Error()
		}
	}
	if len(fields) > 0 {
		return invalid(fields)
	}
	hash, err := HashPassword(next, s.cfg.Hash)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	before := view(u)
	u.PasswordHash, u.MustChangePassword, u.UpdatedAt = hash, false, now
	e := audit.New(now, actor, "password.change", "user", u.Username, before, view(u))
	return s.store.UpdateUser(ctx, u, now, keepSession, e)
}

// UserInput is what an admin sets on an account.
type UserInput struct {
	Username   string // only when creating
	Name       string
	Role       Role
	Unit       string
	FirmAccess bool
	Disabled   bool
	Reason     string
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

func (s *Service) validate(ctx context.Context, in *UserInput, creating bool) error {
	in.Username = strings.TrimSpace(strings.ToLower(in.Username))
	in.Name = strings.TrimSpace(in.Name)
	in.Unit = strings.TrimSpace(in.Unit)
	fields := map[string]string{}
	if creating && !usernameRe.MatchString(in.Username) {
		fields["username"] = "用户名须为2—32位小写字母、数字、点、连字符或下划线,以字母或数字开头"
	}
	if in.Name == "" || len([]rune(in.Name)) > 50 {
		fields["name"] = "请填写姓名(不超过50字)"
	}
	if !in.Role.Valid() {
		fields["role"] = "请选择角色"
	}
	if in.Role == RoleReporter && in.Unit == "" {
		fields["unit"] = "填报员须指定所属单位"
	}
	if in.Unit != "" {
		ok, err := s.cfg.UnitExists(ctx, in.Unit)
		if err != nil {
			return err
		}
		if !ok {
			fields["unit"] = "单位“" + in.Unit + "”不在当前规划的单位中"
		}
	}
	if in.FirmAccess && in.Role != RoleLeader {
		in.FirmAccess = false // admins and statisticians see firms by role
	}
	if len(fields) > 0 {
		return invalid(fields)
	}
	return nil
}

// CreateUser makes an account with a random initial password, which the
// caller shows once and the user must change at first login.
func (s *Service) CreateUser(ctx context.Context, actor audit.Actor, in UserInput) (*User, string, error) {
	if err := s.validate(ctx, &in, true); err != nil {
		return nil, "", err
	}
	password, err := s.policy.RandomPassword()
	if err != nil {
		return nil, "", err
	}
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return nil, "", err
	}
	now := s.cfg.Now()
	u := &User{Username: in.Username, Name: in.Name, Role: in.Role, Unit: in.Unit, FirmAccess: in.FirmAccess,
		MustChangePassword: true, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	e := audit.New(now, actor, "user.create", "user", u.Username, nil, view(u))
	e.Reason = in.Reason
	if err := s.store.CreateUser(ctx, u, false, e); err != nil {
		return nil, "", err
	}
	return u, password, nil
}

// SetupFirstAdmin creates the first account, an admin with the password
// they chose, through the one-time setup link. It fails once any account
// exists.
func (s *Service) SetupFirstAdmin(ctx context.Context, actor audit.Actor, username, name, password, confirm string) (*User, error) {
	in := UserInput{Username: username, Name: name, Role: RoleAdmin}
	if err := s.validate(ctx, &in, true); err != nil {
		return nil, err
	}
	if password != confirm {
		return nil, invalid(map[string]string{"confirm": "两次输入的密码不一致"})
	}
	if err := s.policy.CheckPassword(in.Username, password); err != nil {
		return nil, invalid(map[string]string{"password": err.Error()})
	}
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	u := &User{Username: in.Username, Name: in.Name, Role: RoleAdmin, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	e := audit.New(now, actor, "user.setup", "user", u.Username, nil, view(u))
	if err := s.store.CreateUser(ctx, u, true, e); err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUser changes an account's name, role, scope, firm access and
// whether it is disabled. Disabling ends the user's sessions. The last
// enabled admin cannot be demoted or disabled.
func (s *Service) UpdateUser(ctx context.Context, actor audit.Actor, id int64, in UserInput) (*User, error) {
	if err := s.validate(ctx, &in, false); err != nil {
		return nil, err
	}
	u, err := s.store.FindUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Role == RoleAdmin && !u.Disabled && (in.Role != RoleAdmin || in.Disabled) {
		users, err := s.store.ListUsers(ctx)
		if err != nil {
			return nil, err
		}
		admins := 0
		for _, v := range users {
			if v.Role == RoleAdmin && !v.Disabled {
				admins++
			}
		}
		if admins <= 1 {
			return nil, apperr.Conflictf("这是最后一个可用的管理员账户,不能降级或停用")
		}
	}
	now := s.cfg.Now()
	before := view(u)
	disabling := in.Disabled && !u.Disabled
	u.Name, u.Role, u.Unit, u.FirmAccess, u.Disabled, u.UpdatedAt = in.Name, in.Role, in.Unit, in.FirmAccess, in.Disabled, now
	e := audit.New(now, actor, "user.update", "user", u.Username, before, view(u))
	e.Reason = in.Reason
	var revoke time.Time
	if disabling {
		revoke = now
	}
	if err := s.store.UpdateUser(ctx, u, revoke, 0, e); err != nil {
		return nil, err
	}
	return u, nil
}

// ResetPassword gives an account a new random password, which the caller
// shows once; the user must change it at next login. It also unlocks the
// account and ends its sessions.
func (s *Service) ResetPassword(ctx context.Context, actor audit.Actor, id int64, reason string) (*User, string, error) {
	u, err := s.store.FindUser(ctx, id)
	if err != nil {
		return nil, "", err
	}
	password, err := s.policy.RandomPassword()
	if err != nil {
		return nil, "", err
	}
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return nil, "", err
	}
	now := s.cfg.Now()
	before := view(u)
	u.PasswordHash, u.MustChangePassword, u.FailedLogins, u.LockedUntil, u.UpdatedAt = hash, true, 0, time.Time{}, now
	e := audit.New(now, actor, "user.reset_password", "user", u.Username, before, view(u))
	e.Reason = reason
	if err := s.store.UpdateUser(ctx, u, now, 0, e); err != nil {
		return nil, "", err
	}
	return u, password, nil
}

// Unlock lifts a lockout before it runs out.
func (s *Service) Unlock(ctx context.Context, actor audit.Actor, id int64, reason string) error {
	u, err := s.store.FindUser(ctx, id)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	before := view(u)
	u.FailedLogins, u.LockedUntil, u.UpdatedAt = 0, time.Time{}, now
	e := audit.New(now, actor, "user.unlock", "user", u.Username, before, view(u))
	e.Reason = reason
	return s.store.UpdateUser(ctx, u, time.Time{}, 0, e)
}

// RevokeUserSessions ends every session of another user (admin).
func (s *Service) RevokeUserSessions(ctx context.Context, actor audit.Actor, id int64, reason string) error {
	u, err := s.store.FindUser(ctx, id)
	if err != nil {
		return err
	}
	e := audit.New(s.cfg.Now(), actor, "logout_all", "user", u.Username, nil, nil)
	e.Reason = reason
	return s.store.RevokeSessions(ctx, u.ID, 0, s.cfg.Now(), e)
}

// FindUser returns an account.
func (s *Service) FindUser(ctx context.Context, id int64) (*User, error) {
	return s.store.FindUser(ctx, id)
}

// FindUserByName returns an account by user name.
func (s *Service) FindUserByName(ctx context.Context, username string) (*User, error) {
	return s.store.FindUserByName(ctx, strings.ToLower(strings.TrimSpace(username)))
}

// ListUsers returns every account.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) { return s.store.ListUsers(ctx) }

// HasUsers reports whether any account exists; without one the server
// offers the one-time setup link.
func (s *Service) HasUsers(ctx context.Context) (bool, error) {
	n, err := s.store.CountUsers(ctx)
	return n > 0, err
}

// CreateToken makes an API token for the user; the secret is returned
// once and only its hash is kept. days 0 means it does not expire.
func (s *Service) CreateToken(ctx context.Context, actor audit.Actor, u *User, name string, days int) (string, *Token, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 50 {
		return "", nil, invalid(map[string]string{"name": "请填写令牌用途(不超过50字)"})
	}
	if days < 0 || days > 3650 {
		return "", nil, invalid(map[string]string{"days": "有效期应为0—3650天(0为长期)"})
	}
	raw, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	secret := TokenPrefix + raw
	now := s.cfg.Now()
	t := &Token{UserID: u.ID, Name: name, Prefix: secret[:len(TokenPrefix)+6], Hash: hashSecret(secret), CreatedAt: now}
	if days > 0 {
		t.ExpiresAt = now.AddDate(0, 0, days)
	}
	e := audit.New(now, actor, "token.create", "token", t.Prefix, nil,
		map[string]any{"user": u.Username, "name": name, "prefix": t.Prefix, "expires_at": t.ExpiresAt})
	if err := s.store.CreateToken(ctx, t, e); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// ListTokens returns a user's API tokens.
func (s *Service) ListTokens(ctx context.Context, u *User) ([]Token, error) {
	return s.store.ListTokens(ctx, u.ID)
}

// RevokeToken revokes one of the user's own API tokens.
func (s *Service) RevokeToken(ctx context.Context, actor audit.Actor, u *User, id int64) error {
	tokens, err := s.store.ListTokens(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.ID == id {
			e := audit.New(s.cfg.Now(), actor, "token.revoke", "token", t.Prefix, nil, nil)
			return s.store.RevokeToken(ctx, id, s.cfg.Now(), e)
		}
	}
	return apperr.NotFoundf("没有这个令牌")
}

// ActorOf describes a principal (nil: anonymous) as an audit actor.
func ActorOf(p *Principal, addr, requestID string) audit.Actor {
	a := audit.Actor{Addr: addr, RequestID: requestID}
	if p != nil && p.User != nil {
		a.UserID, a.Name, a.Role, a.Unit = p.User.ID, p.User.Username, string(p.User.Role), p.User.Unit
	}
	return a
}
