package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"svcplan/internal/auth"
)

const userUsage = `Usage:
  svcplan user add [--db DB] [--admin | --role ROLE] [--unit CODE] [--name NAME] [--firm-access] USERNAME
                                         create an account (新建用户); prints its initial password once
  svcplan user list [--db DB]            list accounts (用户列表)
  svcplan user reset-password [--db DB] USERNAME
                                         give a new initial password (重置密码); ends the user's sessions
  svcplan user unlock [--db DB] USERNAME lift a lockout (解除锁定)
  svcplan user disable [--db DB] USERNAME / user enable [--db DB] USERNAME
                                         disable or enable an account (停用/启用)

Roles (角色): admin 管理员, statistician 统计员, reporter 填报员 (needs --unit), leader 领导.
--unit is a unit code of the plan (see /units); without it the scope is the whole district (全区).
`

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, userUsage)
		if len(args) == 0 {
			return usageError{}
		}
		return nil
	}
	cfg, err := baseConfig(getenv)
	if err != nil {
		return err
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("user "+sub+" [flags]", userUsage, stderr)
	dbFlag(fs, &cfg)
	var in auth.UserInput
	admin := fs.Bool("admin", false, "make the account an admin (管理员)")
	role := fs.String("role", string(auth.RoleReporter), "role: admin, statistician, reporter or leader (角色)")
	fs.StringVar(&in.Unit, "unit", "", "data scope: a unit code of the plan; empty for the whole district (数据范围)")
	fs.StringVar(&in.Name, "name", "", "the person's name (姓名); defaults to the user name")
	fs.BoolVar(&in.FirmAccess, "firm-access", false, "a leader may see individual enterprises (可查看企业数据)")
	fs.StringVar(&in.Reason, "reason", "", "reason, for the audit log (原因)")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	needName := sub != "list"
	if needName && fs.NArg() != 1 || !needName && fs.NArg() != 0 {
		fmt.Fprint(stderr, userUsage)
		return usageError{}
	}
	log := newLogger(cfg, stderr)
	a, err := openApp(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := ensurePlan(ctx, a.Plans, "", log); err != nil { // units come from the plan
		return err
	}
	actor := cliActor()

	if sub == "list" {
		users, err := a.Auth.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "用户名\t姓名\t角色\t数据范围\t状态")
		for _, u := range users {
			scope, status := u.Unit, "正常"
			if scope == "" {
				scope = "全区"
			}
			switch {
			case u.Disabled:
				status = "已停用"
			case u.MustChangePassword:
				status = "待改密码"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Name, u.Role.Label(), scope, status)
		}
		return tw.Flush()
	}

	username := fs.Arg(0)
	if sub == "add" {
		in.Username, in.Role = username, auth.Role(*role)
		if *admin {
			in.Role = auth.RoleAdmin
		}
		if in.Name == "" {
			in.Name = username
		}
		u, password, err := a.Auth.CreateUser(ctx, actor, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已创建用户 %s(%s)。初始密码(只显示这一次,首次登录须修改):\n%s\n", u.Username, u.Role.Label(), password)
		return nil
	}

	u, err := a.Auth.FindUserByName(ctx, username)
	if err != nil {
		return err
	}
	switch sub {
	case "reset-password":
		_, password, err := a.Auth.ResetPassword(ctx, actor, u.ID, in.Reason)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重置 %s 的密码,其会话已全部注销。新的初始密码(只显示这一次):\n%s\n", u.Username, password)
	case "unlock":
		if err := a.Auth.Unlock(ctx, actor, u.ID, in.Reason); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已解除 %s 的锁定\n", u.Username)
	case "disable", "enable":
		upd := auth.UserInput{Name: u.Name, Role: u.Role, Unit: u.Unit, FirmAccess: u.FirmAccess,
			Disabled: sub == "disable", Reason: in.Reason}
		if _, err := a.Auth.UpdateUser(ctx, actor, u.ID, upd); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已%s用户 %s\n", map[string]string{"disable": "停用", "enable": "启用"}[sub], u.Username)
	default:
		fmt.Fprint(stderr, userUsage)
		return usageError{"user: unknown command " + sub}
	}
	return nil
}
