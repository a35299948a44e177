// Package auth decides who may do what: accounts with roles and a data
// scope, passwords, sessions, API tokens, lockout, and the permission check
// every route declares.
package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"svcplan/internal/apperr"
)

// Role is what kind of user an account is.
type Role string

// Roles. Anonymous visitors (公众) have no account and no role.
const (
	RoleAdmin        Role = "admin"        // 管理员
	RoleStatistician Role = "statistician" // 统计员
	RoleReporter     Role = "reporter"     // 填报员
	RoleLeader       Role = "leader"       // 领导
)

// Roles lists the roles in the order forms offer them.
var Roles = []Role{RoleAdmin, RoleStatistician, RoleReporter, RoleLeader}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "管理员"
	case RoleStatistician:
		return "统计员"
	case RoleReporter:
		return "填报员"
	case RoleLeader:
		return "领导"
	}
	return "公众"
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Perm is a permission a route or a service action needs.
type Perm string

// Permissions.
const (
	PermPublic        Perm = "public"         // anyone, signed in or not
	PermSignedIn      Perm = "signed_in"      // any account: its own settings
	PermProgressRead  Perm = "progress_read"  // read task progress reports
	PermProgressWrite Perm = "progress_write" // write task progress reports
	PermUsersManage   Perm = "users_manage"   // manage accounts
	PermAuditRead     Perm = "audit_read"     // read and export the audit log
	// PermFirmRead is sight of individual enterprises (《统计法》): admins and
	// statisticians by role, leaders only when granted firm_access.
	PermFirmRead        Perm = "firm_read"
	PermDirectoryImport Perm = "directory_import" // import enterprise lists and revenue data
	// Indicator values go 填报 → 审核 → 发布: units enter their own,
	// statisticians review, administrators publish.
	PermValuesEnter   Perm = "values_enter"
	PermValuesReview  Perm = "values_review"
	PermValuesPublish Perm = "values_publish"
	// PermProjectEdit keeps the major-project ledger: projects, stages,
	// certifications (statisticians and administrators).
	PermProjectEdit Perm = "project_edit"
	// PermAssessManage keeps the assessment (考核): drafts and publishes
	// schemes, enters their facts, scores them (administrators).
	PermAssessManage Perm = "assess_manage"
	// PermSuperviseManage runs 督查督办: assigns items, closes or returns
	// them, decides on extensions, urges (administrators).
	PermSuperviseManage Perm = "supervise_manage"
	// PermBuildingEdit keeps 楼宇经济: buildings, their 台账 and the tax
	// bureau's figures (statisticians and administrators).
	PermBuildingEdit Perm = "building_edit"
)

// rolePerms is what each role may do beyond public and signed_in. Data
// scope narrows every one of them to the account's unit.
var rolePerms = map[Role][]Perm{
	RoleAdmin: {PermProgressRead, PermProgressWrite, PermUsersManage, PermAuditRead, PermFirmRead, PermDirectoryImport,
		PermValuesEnter, PermValuesReview, PermValuesPublish, PermProjectEdit, PermAssessManage, PermSuperviseManage,
		PermBuildingEdit},
	RoleStatistician: {PermProgressRead, PermFirmRead, PermDirectoryImport, PermValuesEnter, PermValuesReview, PermProjectEdit, PermBuildingEdit},
	RoleReporter:     {PermProgressRead, PermProgressWrite, PermValuesEnter},
	RoleLeader:       {PermProgressRead, PermFirmRead},
}

// User is an account.
type User struct {
	ID       int64
	Username string
	Name     string // 姓名, as shown
	Role     Role
	// Unit is the data scope: a unit code of the plan, or "" for the whole
	// district.
	Unit string
	// FirmAccess grants a leader sight of individual enterprises; the
	// statistics staff and admins have it by role.
	FirmAccess         bool
	Disabled           bool
	MustChangePassword bool
	PasswordHash       string
	FailedLogins       int
	LockedUntil        time.Time
	LastLoginAt        time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Can reports whether the user's role grants p.
func (u *User) Can(p Perm) bool {
	if p == PermPublic || p == PermSignedIn {
		return true
	}
	for _, q := range rolePerms[u.Role] {
		if q == p {
			return true
		}
	}
	return false
}

// InScope reports whether a unit lies in the user's data scope.
func (u *User) InScope(unit string) bool { return u.Unit == "" || u.Unit == unit }

// CanSeeFirms reports whether the user may see individual enterprises'
// data (《统计法》: only those who need it).
func (u *User) CanSeeFirms() bool {
	return u.Role == RoleAdmin || u.Role == RoleStatistician || u.Role == RoleLeader && u.FirmAccess
}

// CanSeeFirmsIn reports whether the user (nil: anonymous) may see the
// single firms of figures of unit's firms ("" for figures across units):
// a role that may see firms, with the whole district in its data scope or
// the figures within its unit. Anyone else gets aggregates with small
// cells suppressed.
func (u *User) CanSeeFirmsIn(unit string) bool {
	return u != nil && u.CanSeeFirms() && (u.Unit == "" || unit != "" && u.Unit == unit)
}

// Check decides whether u (nil: anonymous) may use permission p for unit
// ("" when the request concerns no single unit). The error is an apperr
// Unauthorized or Forbidden with a Chinese message.
func Check(u *User, p Perm, unit string) error {
	if p == PermPublic {
		return nil
	}
	if u == nil {
		return apperr.Unauthorizedf("请先登录")
	}
	if !u.Can(p) {
		return apperr.Forbiddenf("%s无权进行此操作", u.Role.Label())
	}
	if p == PermFirmRead && !u.CanSeeFirms() {
		return apperr.Forbiddenf("未授权查看单个企业数据(《统计法》规定单个企业数据仅限授权人员查看)")
	}
	if unit != "" && !u.InScope(unit) {
		return apperr.Forbiddenf("无权访问其他单位的数据")
	}
	return nil
}

// Policy holds the security settings a 等保2.0 三级 assessment looks at;
// each is configurable.
type Policy struct {
	MinLength       int           // password length
	MinClasses      int           // of upper, lower, digit, symbol
	MaxFailures     int           // failed logins before lockout
	Lockout         time.Duration // how long a locked account stays locked
	IdleTimeout     time.Duration // a session unused this long ends
	SessionLifetime time.Duration // a session ends this long after login, used or not
}

// DefaultPolicy returns the defaults: 8 characters of 3 classes, lockout
// for 15 minutes after 5 failures, 30 minutes idle, 12 hours at most.
func DefaultPolicy() Policy {
	return Policy{
		MinLength:       8,
		MinClasses:      3,
		MaxFailures:     5,
		Lockout:         15 * time.Minute,
		IdleTimeout:     30 * time.Minute,
		SessionLifetime: 12 * time.Hour,
	}
}

// Session is a signed-in browser. The cookie holds a random token; only
// its hash is stored.
type Session struct {
	ID         int64
	UserID     int64
	TokenHash  string
	CSRFToken  string
	Addr       string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute
	RevokedAt  time.Time // zero while valid
}

// Token is an API token for scripts. Only its hash is stored; Prefix is
// enough of it to tell tokens apart in a list.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: does not expire
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// TokenPrefix starts every API token, so a leaked one is recognisable.
const TokenPrefix = "svcp_"

// hashSecret is how session and API tokens are stored: they are long and
// random, so a plain SHA-256 suffices (no salt or stretching needed).
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
