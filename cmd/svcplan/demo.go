package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/demo"
	"svcplan/internal/industry"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
)

// defaultDemoDB is where serve --demo keeps its database unless --db says:
// beside the default database, never in it.
const defaultDemoDB = "./data/svcplan-demo.db"

// demoPassword is the password of every demonstration account. The demo
// database holds synthetic data only (示例数据, marked on every page), so
// the accounts are meant to be tried by anyone who can reach the server.
const demoPassword = "Demo#2026svc"

// demoAccounts are one account per role, for trying each.
var demoAccounts = []struct {
	username string
	role     auth.Role
	unit     string
	note     string
}{
	{"demo-admin", auth.RoleAdmin, "", "管理员:发布数值、管理账户"},
	{"demo-stat", auth.RoleStatistician, "", "统计员:导入报表、查看企业、数据质量核查"},
	{"demo-leader", auth.RoleLeader, "", "领导:查看已发布的汇总数据(匿名访问者也以此身份看驾驶舱)"},
	{"demo-baima", auth.RoleReporter, "321203101", "填报员(白马镇):填报本单位任务进展和指标"},
}

// prepareDemo fills an empty demonstration database with synthetic data
// through the ordinary imports, creates the demo accounts, and prints
// them. A database that already has firms is left as it is.
func prepareDemo(ctx context.Context, a *app, stderr io.Writer, log *slog.Logger) error {
	counts, err := a.Registry.Counts(ctx, &auth.User{Username: "demo", Role: auth.RoleAdmin}, registry.Filter{})
	if err != nil {
		return err
	}
	if len(counts) == 0 {
		start := time.Now()
		st, err := a.Plans.Active(ctx)
		if err != nil {
			return err
		}
		d, err := demo.Generate(st.Plan, industry.Default(), demo.Options{Seed: 1, Through: time.Now()})
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "正在生成示例数据(合成的企业、F203月报、指标数值和重大项目)……")
		actor := audit.Actor{Name: "示例数据", Addr: "local"}
		admin := &auth.User{Username: "demo", Role: auth.RoleAdmin}
		c, err := demo.Fill(ctx, demo.Services{Directory: a.Registry, Reports: a.Reports, Values: a.Values, Projects: a.Projects, Assess: a.Assess, Supervise: a.Supervise, Buildings: a.Buildings,
			Release: func(ctx context.Context, actor audit.Actor, u *auth.User, per reports.Period) error {
				_, err := a.Dashboard.ReleasePeriod(ctx, actor, u, per)
				return err
			}}, actor, admin, d)
		if err != nil {
			return err
		}
		log.Info("demo_filled", slog.Int("firms", c.Firms), slog.Int("reports", c.Reports), slog.Int("periods", c.Periods),
			slog.Int("values", c.Values), slog.Int("projects", c.Projects), slog.Duration("took", time.Since(start).Round(time.Millisecond)))
	}
	for _, acc := range demoAccounts {
		if err := ensureDemoAccount(ctx, a, acc.username, acc.role, acc.unit); err != nil {
			return err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n示例模式:数据均为合成的演示数据。匿名访问者以“领导”身份查看驾驶舱。\n各角色示例账户(密码均为 %s):\n", strings.Repeat("=", 72), demoPassword)
	for _, acc := range demoAccounts {
		fmt.Fprintf(&b, "  %-12s %s\n", acc.username, acc.note)
	}
	fmt.Fprintln(&b, strings.Repeat("=", 72))
	fmt.Fprint(stderr, b.String())
	return nil
}

// ensureDemoAccount creates a demonstration account with demoPassword,
// unless it exists.
func ensureDemoAccount(ctx context.Context, a *app, username string, role auth.Role, unit string) error {
	if _, err := a.Auth.FindUserByName(ctx, username); err == nil {
		return nil
	} else if apperr.KindOf(err) != apperr.NotFound {
		return err
	}
	actor := audit.Actor{Name: "示例数据", Addr: "local"}
	u, initial, err := a.Auth.CreateUser(ctx, actor, auth.UserInput{Username: username, Name: "示例" + role.Label(), Role: role, Unit: unit})
	if err != nil {
		return err
	}
	return a.Auth.ChangePassword(ctx, actor, u, 0, initial, demoPassword, demoPassword)
}
