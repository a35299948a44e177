package auth

import (
	"strings"
	"testing"
	"time"

	"svcplan/internal/apperr"
)

func TestHashAndVerify(t *testing.T) {
	p := HashParams{Memory: 64, Time: 1, Threads: 1}
	h, err := HashPassword("Svcplan#2026", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with its parameters", h)
	}
	h2, _ := HashPassword("Svcplan#2026", p)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tt := range []struct {
		password string
		want     bool
	}{{"Svcplan#2026", true}, {"svcplan#2026", false}, {"", false}, {"Svcplan#2026 ", false}} {
		if ok, err := VerifyPassword(h, tt.password); err != nil || ok != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.password, ok, err, tt.want)
		}
	}
	// The default parameters are those of the OWASP cheat sheet.
	if DefaultHashParams != (HashParams{Memory: 19456, Time: 2, Threads: 1}) {
		t.Errorf("DefaultHashParams = %+v", DefaultHashParams)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", // 4 TiB: refused, not tried
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$aA"} {                           // 1-byte key
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("VerifyPassword accepted malformed hash %q", bad)
		}
	}
}

// TestPasswordPolicy checks the 等保 defaults: at least 8 characters and
// 3 of the 4 classes, not containing the user name.
func TestPasswordPolicy(t *testing.T) {
	pol := DefaultPolicy()
	tests := []struct {
		password string
		want     string // "" for accepted
	}{
		{"Abcdef1!", ""},
		{"abcdef12", "至少3类"},      // lower + digit
		{"ABCDEFG!", "至少3类"},      // upper + symbol
		{"Abcdefgh1", ""},         // upper + lower + digit
		{"abcdefg1!", ""},         // lower + digit + symbol
		{"Ab1!", "密码至少8位,现为4位"},   // short
		{"Ab1!xyzw", ""},          // exactly 8
		{"密码Abc123x", ""},         // CJK counts as a character, 3 classes present
		{"Ab1 xyzw!", "不能包含空格"},   // space
		{"Zhangsan1!", "不能包含用户名"}, // contains the user name
		{strings.Repeat("Ab1!", 65), "不能超过256"},
	}
	for _, tt := range tests {
		err := pol.CheckPassword("zhangsan", tt.password)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q refused: %v", tt.password, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: error %v, want one containing %q", tt.password, err, tt.want)
		}
	}
	strict := pol
	strict.MinLength, strict.MinClasses = 12, 4
	if err := strict.CheckPassword("", "Abcdef1!"); err == nil {
		t.Error("a stricter policy accepted an 8-character password")
	}
}

func TestRandomPasswordMeetsPolicy(t *testing.T) {
	pol := DefaultPolicy()
	seen := map[string]bool{}
	for range 200 {
		p, err := pol.RandomPassword()
		if err != nil {
			t.Fatal(err)
		}
		if err := pol.CheckPassword("", p); err != nil {
			t.Fatalf("random password %q breaks the policy: %v", p, err)
		}
		if strings.ContainsAny(p, "0O1lI") {
			t.Errorf("random password %q has an ambiguous character", p)
		}
		seen[p] = true
	}
	if len(seen) != 200 {
		t.Errorf("only %d distinct passwords in 200", len(seen))
	}
}

// TestCheck is the permission table of doc/access-control.md.
func TestCheck(t *testing.T) {
	admin := &User{Role: RoleAdmin}
	stat := &User{Role: RoleStatistician}
	leader := &User{Role: RoleLeader}
	townLeader := &User{Role: RoleLeader, Unit: "321203101"}
	reporter := &User{Role: RoleReporter, Unit: "321203101"}
	tests := []struct {
		name string
		u    *User
		perm Perm
		unit string
		want apperr.Kind // Internal means allowed
	}{
		{"anonymous public", nil, PermPublic, "", apperr.Internal},
		{"anonymous signed-in", nil, PermSignedIn, "", apperr.Unauthorized},
		{"anonymous progress", nil, PermProgressRead, "321203101", apperr.Unauthorized},
		{"reporter own unit read", reporter, PermProgressRead, "321203101", apperr.Internal},
		{"reporter own unit write", reporter, PermProgressWrite, "321203101", apperr.Internal},
		{"reporter other unit read", reporter, PermProgressRead, "321203104", apperr.Forbidden},
		{"reporter other unit write", reporter, PermProgressWrite, "321203104", apperr.Forbidden},
		{"reporter users", reporter, PermUsersManage, "", apperr.Forbidden},
		{"statistician reads any unit", stat, PermProgressRead, "321203104", apperr.Internal},
		{"statistician does not write", stat, PermProgressWrite, "321203104", apperr.Forbidden},
		{"leader reads", leader, PermProgressRead, "commerce", apperr.Internal},
		{"leader does not manage", leader, PermUsersManage, "", apperr.Forbidden},
		{"town leader outside scope", townLeader, PermProgressRead, "commerce", apperr.Forbidden},
		{"admin audit", admin, PermAuditRead, "", apperr.Internal},
		{"admin writes any unit", admin, PermProgressWrite, "321203104", apperr.Internal},
		{"statistician audit", stat, PermAuditRead, "", apperr.Forbidden},
		{"statistician firms", stat, PermFirmRead, "", apperr.Internal},
		{"leader firms without grant", leader, PermFirmRead, "", apperr.Forbidden},
		{"leader firms with grant", &User{Role: RoleLeader, FirmAccess: true}, PermFirmRead, "", apperr.Internal},
		{"reporter firms", reporter, PermFirmRead, "321203101", apperr.Forbidden},
		{"statistician imports", stat, PermDirectoryImport, "", apperr.Internal},
		{"leader imports", &User{Role: RoleLeader, FirmAccess: true}, PermDirectoryImport, "", apperr.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.u, tt.perm, tt.unit)
			if got := apperr.KindOf(err); err == nil && tt.want != apperr.Internal || err != nil && got != tt.want {
				t.Errorf("Check = %v (kind %d), want kind %d", err, got, tt.want)
			}
		})
	}
}

func TestCanSeeFirms(t *testing.T) {
	for _, tt := range []struct {
		u    User
		want bool
	}{
		{User{Role: RoleAdmin}, true},
		{User{Role: RoleStatistician}, true},
		{User{Role: RoleLeader}, false},
		{User{Role: RoleLeader, FirmAccess: true}, true},
		{User{Role: RoleReporter, FirmAccess: true}, false},
	} {
		if got := tt.u.CanSeeFirms(); got != tt.want {
			t.Errorf("%s firm_access=%v: CanSeeFirms() = %v", tt.u.Role, tt.u.FirmAccess, got)
		}
	}
}

func TestDefaultPolicy(t *testing.T) {
	want := Policy{MinLength: 8, MinClasses: 3, MaxFailures: 5, Lockout: 15 * time.Minute,
		IdleTimeout: 30 * time.Minute, SessionLifetime: 12 * time.Hour}
	if DefaultPolicy() != want {
		t.Errorf("DefaultPolicy() = %+v, want %+v", DefaultPolicy(), want)
	}
}
