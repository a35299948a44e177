package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/progress"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/plans"
)

var t0 = time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)

func entry(action string) audit.Entry {
	return audit.New(t0, audit.Actor{UserID: 1, Name: "tester", Role: "admin", Addr: "192.0.2.9", RequestID: "r1"},
		action, "user", "x", map[string]int{"a": 1}, map[string]int{"a": 2})
}

// badEntry is an audit entry the database refuses (its outcome breaks a
// CHECK constraint), to show a write fails with its record.
func badEntry() audit.Entry {
	e := entry("broken")
	e.Outcome = "bogus"
	return e
}

func newUser(name string) *auth.User {
	return &auth.User{Username: name, Name: "测试", Role: auth.RoleReporter, Unit: "", PasswordHash: "$argon2id$x",
		MustChangePassword: true, CreatedAt: t0, UpdatedAt: t0}
}

func TestUsersSessionsTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := store.NewAuthStore(db)
		u := newUser("liu")
		u.LockedUntil = t0.Add(15 * time.Minute)
		if err := s.CreateUser(ctx, u, true, entry("user.setup")); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindUserByName(ctx, "liu")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Errorf("user read back (-saved +read):\n%s", diff)
		}
		if err := s.CreateUser(ctx, newUser("second"), true, entry("user.setup")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("second 'first user': %v, want Conflict", err)
		}
		if err := s.CreateUser(ctx, newUser("liu"), false, entry("user.create")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("duplicate user name: %v, want Conflict", err)
		}
		if _, err := s.FindUser(ctx, 999); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("missing user: %v", err)
		}

		sess := &auth.Session{UserID: u.ID, TokenHash: "h1", CSRFToken: "c1", Addr: "192.0.2.9", UserAgent: "ua",
			CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
		u.LastLoginAt, u.FailedLogins = t0, 0
		if err := s.CreateSession(ctx, sess, u, entry("login")); err != nil {
			t.Fatal(err)
		}
		other := &auth.Session{UserID: u.ID, TokenHash: "h2", CSRFToken: "c2", CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.CreateSession(ctx, other, u, entry("login")); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchSession(ctx, sess.ID, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		read, err := s.FindSession(ctx, "h1")
		if err != nil {
			t.Fatal(err)
		}
		sess.LastSeenAt = t0.Add(time.Minute)
		if diff := cmp.Diff(sess, read); diff != "" {
			t.Errorf("session read back:\n%s", diff)
		}
		// Changing the password keeps one session and revokes the rest.
		u.PasswordHash = "$argon2id$y"
		if err := s.UpdateUser(ctx, u, t0.Add(2*time.Minute), sess.ID, entry("password.change")); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.FindSession(ctx, "h1"); !r.RevokedAt.IsZero() {
			t.Error("the kept session was revoked")
		}
		if r, _ := s.FindSession(ctx, "h2"); !r.RevokedAt.Equal(t0.Add(2 * time.Minute)) {
			t.Errorf("the other session: revoked at %v", r.RevokedAt)
		}

		tok := &auth.Token{UserID: u.ID, Name: "脚本", Prefix: "svcp_abcdef", Hash: "th", CreatedAt: t0}
		if err := s.CreateToken(ctx, tok, entry("token.create")); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, tok.ID, t0.Add(time.Hour), entry("token.revoke")); err != nil {
			t.Fatal(err)
		}
		found, err := s.FindToken(ctx, "th")
		if err != nil || !found.RevokedAt.Equal(t0.Add(time.Hour)) || !found.ExpiresAt.IsZero() {
			t.Errorf("token read back: %+v, %v", found, err)
		}

		// Every write above left exactly one entry; the failed ones none.
		es, err := store.NewAuditStore(db).ListAudit(ctx, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for i := len(es) - 1; i >= 0; i-- {
			actions = append(actions, es[i].Action)
		}
		want := []string{"user.setup", "login", "login", "password.change", "token.create", "token.revoke"}
		if diff := cmp.Diff(want, actions); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
		e := es[0]
		if e.Actor.Name != "tester" || e.Actor.Addr != "192.0.2.9" || string(e.Before) != `{"a":1}` || !e.At.Equal(t0) {
			t.Errorf("audit entry read back: %+v", e)
		}
	})
}

// TestAuditSharesTheWritesTransaction: when the audit record cannot be
// written, the write it describes is not made either, for every kind of
// write; and a write that fails leaves no record.
func TestAuditSharesTheWritesTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := store.NewAuthStore(db)
		audits := store.NewAuditStore(db)
		count := func() int {
			es, err := audits.ListAudit(ctx, audit.Filter{Limit: 10000})
			if err != nil {
				t.Fatal(err)
			}
			return len(es)
		}

		if err := s.CreateUser(ctx, newUser("ma"), false, badEntry()); err == nil {
			t.Fatal("create user with an unwritable audit entry succeeded")
		}
		if _, err := s.FindUserByName(ctx, "ma"); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("the user was created without its audit record: %v", err)
		}

		u := newUser("ma")
		if err := s.CreateUser(ctx, u, false, entry("user.create")); err != nil {
			t.Fatal(err)
		}
		n := count()
		u.Name = "改名"
		if err := s.UpdateUser(ctx, u, time.Time{}, 0, badEntry()); err == nil {
			t.Fatal("update with an unwritable audit entry succeeded")
		}
		if got, _ := s.FindUserByName(ctx, "ma"); got.Name != "测试" {
			t.Errorf("the update was made without its audit record: %q", got.Name)
		}
		if err := s.CreateUser(ctx, newUser("ma"), false, entry("user.create")); err == nil || count() != n {
			t.Errorf("a failed create left an audit record (%v, %d entries, want %d)", err, count(), n)
		}

		// Plans and progress reports too.
		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		ps := store.NewPlanStore(db)
		if _, err := ps.SavePlan(ctx, parsed.Plan, parsed.Text, plan.RevisionInfo{LoadedAt: t0}, badEntry()); err == nil {
			t.Fatal("save plan with an unwritable audit entry succeeded")
		}
		if _, err := ps.ActivePlan(ctx); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("the plan was saved without its audit record: %v", err)
		}
		if _, err := ps.SavePlan(ctx, parsed.Plan, parsed.Text, plan.RevisionInfo{LoadedAt: t0}, entry("plan.load")); err != nil {
			t.Fatal(err)
		}
		prs := store.NewProgressStore(db)
		r := &progress.Report{Task: "sci-tech-1", Unit: "commerce", Period: "2026-02", Status: progress.OnTrack,
			Progress: "x", EnteredBy: "tester", EnteredAt: t0}
		if err := prs.AppendReport(ctx, r, badEntry()); err == nil {
			t.Fatal("report with an unwritable audit entry succeeded")
		}
		if got, _ := prs.ReportHistory(ctx, "commerce", "sci-tech-1", "2026-02"); len(got) != 0 {
			t.Errorf("the report was saved without its audit record: %+v", got)
		}
	})
}

// TestAppendOnlyTables: the audit log, plan revisions and progress reports
// refuse UPDATE and DELETE from anyone, at the database.
func TestAppendOnlyTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		parsed, _ := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if _, err := store.NewPlanStore(db).SavePlan(ctx, parsed.Plan, parsed.Text, plan.RevisionInfo{LoadedAt: t0}, entry("plan.load")); err != nil {
			t.Fatal(err)
		}
		r := &progress.Report{Task: "sci-tech-1", Unit: "commerce", Period: "2026-02", Status: progress.OnTrack,
			Progress: "x", EnteredBy: "tester", EnteredAt: t0}
		if err := store.NewProgressStore(db).AppendReport(ctx, r, entry("progress.submit")); err != nil {
			t.Fatal(err)
		}
		sqlDB := store.SQLDB(db)
		stmts := []string{
			`UPDATE audit_log SET actor_name = 'someone else'`,
			`DELETE FROM audit_log`,
			`UPDATE plan_revisions SET loaded_by = 'someone else'`,
			`DELETE FROM plan_revisions`,
			`UPDATE progress_reports SET progress = 'rewritten'`,
			`DELETE FROM progress_reports`,
		}
		if db.Dialect() == "postgres" {
			stmts = append(stmts, `TRUNCATE audit_log`, `TRUNCATE progress_reports`)
		}
		for _, q := range stmts {
			if _, err := sqlDB.ExecContext(ctx, q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
		var n int
		sqlDB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&n)
		if n != 2 {
			t.Errorf("audit_log has %d rows, want the 2 written", n)
		}
	})
}

func TestAuditFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := store.NewAuditStore(db)
		add := func(at time.Time, actor, action string, outcome audit.Outcome) {
			e := audit.New(at, audit.Actor{Name: actor}, action, "user", actor, nil, nil)
			e.Outcome = outcome
			if err := s.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		add(t0, "a", "login", audit.OK)
		add(t0.Add(time.Hour), "b", "login", audit.Failed)
		add(t0.Add(2*time.Hour), "a", "user.create", audit.OK)
		add(t0.Add(3*time.Hour), "a", "user_x", audit.OK)
		add(t0.Add(24*time.Hour), "b", "user.update", audit.Denied)
		tests := []struct {
			name string
			f    audit.Filter
			want []string // actions, newest first
		}{
			{"all", audit.Filter{}, []string{"user.update", "user_x", "user.create", "login", "login"}},
			{"actor", audit.Filter{Actor: "a"}, []string{"user_x", "user.create", "login"}},
			{"prefix", audit.Filter{Action: "user."}, []string{"user.update", "user.create"}},
			{"exact", audit.Filter{Action: "login"}, []string{"login", "login"}},
			{"outcome", audit.Filter{Outcome: audit.Failed}, []string{"login"}},
			{"time", audit.Filter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []string{"user.create", "login"}},
			{"limit", audit.Filter{Limit: 2}, []string{"user.update", "user_x"}},
		}
		for _, tt := range tests {
			es, err := s.ListAudit(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.Action)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.name, diff)
			}
		}
		es, _ := s.ListAudit(ctx, audit.Filter{Limit: 2})
		older, _ := s.ListAudit(ctx, audit.Filter{BeforeID: es[1].ID})
		if len(older) != 3 || older[0].Action != "user.create" {
			t.Errorf("paging: %+v", older)
		}
	})
}
