package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"svcplan/internal/plan"
)

const shippedPlan = "../../plans/gaogang-services-2025-2027.yaml"

// svcplan runs the command with args and no SVCPLAN_* environment.
func svcplan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "svcplan.db") }

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := svcplan(t, "version"); code != 0 || !strings.HasPrefix(out, "svcplan ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, out, _ := svcplan(t, "help"); code != 0 || !strings.Contains(out, "plan validate") || !strings.Contains(out, "启动服务") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, errs := svcplan(t, "serve", "--help"); code != 0 || !strings.Contains(errs, "-addr") || !strings.Contains(errs, "监听地址") {
		t.Errorf("serve --help: %d %q", code, errs)
	}
	if code, _, errs := svcplan(t, "frobnicate"); code != 2 || !strings.Contains(errs, "未知命令") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, _ := svcplan(t, "serve", "--no-such-flag"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

func TestPlanValidate(t *testing.T) {
	code, out, errs := svcplan(t, "plan", "validate", shippedPlan)
	if code != 0 || !strings.Contains(out, "有效") || !strings.Contains(out, "23个指标") || !strings.Contains(out, "引文已与原文核对") {
		t.Errorf("shipped plan: exit %d\n%s%s", code, out, errs)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	src, err := os.ReadFile(shippedPlan)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("lead: [industry-innovation]"), []byte("lead: [science-bureau]"), 1)
	src = bytes.Replace(src, []byte("{year: 2027, op: gt, value: 680, strive: true}"), []byte("{year: 2027, op: gt, value: 六百八十, strive: true}"), 1)
	if err := os.WriteFile(bad, src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = svcplan(t, "plan", "validate", bad)
	if code != 1 || !strings.Contains(out, "应为数字,实际为“六百八十”") || !strings.Contains(errs, "规划文件无效") {
		t.Errorf("bad plan: exit %d\n%s%s", code, out, errs)
	}
	// A decoding error stops the parse; fix it and the reference error shows, with its line.
	src = bytes.Replace(src, []byte("value: 六百八十"), []byte("value: 680"), 1)
	os.WriteFile(bad, src, 0o644)
	code, out, _ = svcplan(t, "plan", "validate", bad)
	if code != 1 || !strings.Contains(out, "bad.yaml:") || !strings.Contains(out, "fields[0].lead[0]: 责任单位“science-bureau”未在 units 中声明") {
		t.Errorf("bad unit: exit %d\n%s", code, out)
	}
	if code, _, _ := svcplan(t, "plan", "validate", filepath.Join(t.TempDir(), "missing.yaml")); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}

// TestExportRoundTrip: load the shipped plan, export it as JSON and YAML,
// and validate each export; the JSON must equal the plan file's content.
func TestExportRoundTrip(t *testing.T) {
	db := tempDB(t)
	if code, out, errs := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 || !strings.Contains(out, "第1版") {
		t.Fatalf("plan load: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 || !strings.Contains(out, "未作改动") {
		t.Errorf("loading the same file again: exit %d %s", code, out)
	}
	want, err := plan.ParseFile(shippedPlan)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "yaml"} {
		code, out, errs := svcplan(t, "plan", "export", "--db", db, "--format", format)
		if code != 0 {
			t.Fatalf("export %s: exit %d %s", format, code, errs)
		}
		file := filepath.Join(t.TempDir(), "export."+format)
		os.WriteFile(file, []byte(out), 0o644)
		if code, vout, _ := svcplan(t, "plan", "validate", file); code != 0 {
			t.Errorf("exported %s does not validate:\n%s", format, vout)
		}
		if format == "json" {
			var got plan.Plan
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want.Plan)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Error("exported plan differs from the plan file")
			}
		}
	}
}

// TestBadPlanLeavesActivePlan: a plan file that does not validate is
// refused by `plan load` and by `serve --plan`, and the stored plan stays.
func TestBadPlanLeavesActivePlan(t *testing.T) {
	db := tempDB(t)
	if code, _, errs := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 {
		t.Fatal(errs)
	}
	_, before, _ := svcplan(t, "plan", "export", "--db", db, "--format", "json")

	bad := filepath.Join(t.TempDir(), "other.yaml")
	os.WriteFile(bad, []byte("schema: svcplan/plan/v1\nplan:\n  code: other\n"), 0o644)
	code, _, errs := svcplan(t, "plan", "load", "--db", db, bad)
	if code != 1 || !strings.Contains(errs, "当前规划保持不变") || !strings.Contains(errs, "plan.title: 必填") {
		t.Errorf("plan load bad: exit %d\n%s", code, errs)
	}
	code, _, errs = svcplan(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--plan", bad)
	if code != 1 || !strings.Contains(errs, "未通过校验") {
		t.Errorf("serve --plan bad: exit %d\n%s", code, errs)
	}
	if _, after, _ := svcplan(t, "plan", "export", "--db", db, "--format", "json"); after != before {
		t.Error("the active plan changed after a refused plan file")
	}
}

// TestUnreachableDatabase fails fast, in Chinese, without the password.
func TestUnreachableDatabase(t *testing.T) {
	start := time.Now()
	code, _, errs := svcplan(t, "plan", "export", "--db", "postgres://svc:s3cret@127.0.0.1:1/svcplan?connect_timeout=2")
	if code != 1 || !strings.Contains(errs, "无法连接数据库") || strings.Contains(errs, "s3cret") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

func TestConfigMasksPassword(t *testing.T) {
	code, out, _ := svcplan(t, "config", "--db", "postgres://svc:s3cret@db/svcplan")
	if code != 0 || strings.Contains(out, "s3cret") || !strings.Contains(out, "postgres://svc:") || !strings.Contains(out, "127.0.0.1:8080") {
		t.Errorf("config: exit %d\n%s", code, out)
	}
}

// TestServe starts the server as `go run ./cmd/svcplan serve` does on a
// fresh machine: a new database, the shipped plan, pages and health.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", tempDB(t)}, io.Discard, &stderr, func(string) string { return "" })
	}()

	base := "http://" + addr
	var res *http.Response
	for i := 0; i < 100; i++ {
		if res, err = http.Get(base + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("server did not come up: %v\n%s", err, stderr.String())
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
	res, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "泰高新政办〔2025〕17号") {
		t.Errorf("/: %d", res.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, want := range []string{"migration_applied", "plan_loaded", "revision=1", "listening", "http_request", "/setup?token="} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, stderr.String())
		}
	}
}

// TestLoadAnotherDistrictsPlan: a second plan file becomes the active plan
// and is what export returns; the first stays stored.
func TestLoadAnotherDistrictsPlan(t *testing.T) {
	db := tempDB(t)
	if code, _, errs := svcplan(t, "plan", "load", "--db", db, shippedPlan); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := svcplan(t, "plan", "load", "--db", db, "../../internal/plan/testdata/minimal.yaml"); code != 0 || !strings.Contains(out, "demo-2026-2028") {
		t.Fatalf("load minimal: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ := svcplan(t, "plan", "export", "--db", db)
	if !strings.Contains(out, "code: demo-2026-2028") || strings.Contains(out, "泰高新政办") {
		t.Errorf("export after loading another plan:\n%.300s", out)
	}
}

func TestUserCommands(t *testing.T) {
	db := tempDB(t)
	code, out, errs := svcplan(t, "user", "add", "--db", db, "--admin", "--name", "张三", "zhangsan")
	if code != 0 || !strings.Contains(out, "已创建用户 zhangsan(管理员)") {
		t.Fatalf("user add --admin: exit %d\n%s%s", code, out, errs)
	}
	initial := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	if len(initial) < 12 {
		t.Errorf("initial password %q", initial)
	}
	if code, _, errs := svcplan(t, "user", "add", "--db", db, "--role", "reporter", "lisi"); code != 1 || !strings.Contains(errs, "填报员须指定所属单位") {
		t.Errorf("reporter without unit: exit %d %s", code, errs)
	}
	if code, _, errs := svcplan(t, "user", "add", "--db", db, "--role", "reporter", "--unit", "321203101", "lisi"); code != 0 {
		t.Errorf("reporter of 白马镇: exit %d %s", code, errs)
	}
	code, out, _ = svcplan(t, "user", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "zhangsan") || !strings.Contains(out, "321203101") || !strings.Contains(out, "待改密码") {
		t.Errorf("user list: exit %d\n%s", code, out)
	}
	code, out, _ = svcplan(t, "user", "reset-password", "--db", db, "--reason", "遗忘", "lisi")
	if code != 0 || !strings.Contains(out, "已重置 lisi 的密码") {
		t.Errorf("reset-password: exit %d %s", code, out)
	}
	if code, out, _ := svcplan(t, "user", "disable", "--db", db, "lisi"); code != 0 || !strings.Contains(out, "已停用用户 lisi") {
		t.Errorf("disable: exit %d %s", code, out)
	}
	if code, _, errs := svcplan(t, "user", "disable", "--db", db, "zhangsan"); code != 1 || !strings.Contains(errs, "最后一个可用的管理员") {
		t.Errorf("disable the last admin: exit %d %s", code, errs)
	}
	if code, _, errs := svcplan(t, "user", "unlock", "--db", db, "nobody"); code != 1 || !strings.Contains(errs, "账户不存在") {
		t.Errorf("unknown user: exit %d %s", code, errs)
	}
}
