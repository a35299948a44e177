package supervise_test

import (
	"strings"
	"testing"
	"time"

	"svcplan/internal/app"
	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/registry"
	"svcplan/internal/reports"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/supervise"
	"svcplan/internal/table"
	"svcplan/plans"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestSuperviseFlow: an item assigned, reported on with evidence,
// extended on request and approval, asked to close while the data says
// otherwise, returned, closed; the inbox of each side; the bad input.
func TestSuperviseFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := &clock{time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
		a, err := app.New(t.Context(), db, app.Config{Now: c.now, Hash: auth.HashParams{Time: 1, Memory: 8, Threads: 1}})
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Plans.Load(t.Context(), audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
			t.Fatal(err)
		}
		ctx, svc := t.Context(), a.Supervise
		admin := &auth.User{Username: "chen", Role: auth.RoleAdmin}
		office := audit.Actor{Name: "chen"}
		baima := &auth.User{Username: "bm", Role: auth.RoleReporter, Unit: "321203101"}
		other := &auth.User{Username: "ds", Role: auth.RoleReporter, Unit: "321203104"}
		unit := audit.Actor{Name: "bm"}

		// Bad input: named fields, nothing stored.
		_, err = svc.Assign(ctx, office, admin, supervise.Item{Kind: supervise.KindAdhoc, Title: "x", Lead: "nowhere", Deadline: "2028-01-05"})
		if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "交办事项须写明来源") ||
			!strings.Contains(apperr.Message(err), "牵头单位“nowhere”不在本规划的单位中") || !strings.Contains(apperr.Message(err), "超出规划期(至2027-12-31)") {
			t.Errorf("bad item: %v", err)
		}
		if _, err := svc.Assign(ctx, office, baima, supervise.Item{Kind: supervise.KindAdhoc}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("a reporter assigns: %v", err)
		}

		it, err := svc.Assign(ctx, office, admin, supervise.Item{Kind: supervise.KindAdhoc, Title: "新增规上服务业企业3家", Source: "区政府常务会议纪要〔2026〕5号",
			Lead: "321203101", Partners: []string{"development-reform"}, Deadline: "2026-03-31", Indicator: "NEW_ABOVE_SIZE_SVC_FIRMS", Target: "3",
			Milestones: []supervise.Milestone{{Title: "摸排企业", Due: "2026-03-20"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, unit, other, it.ID, supervise.ActInput{Act: supervise.ActProgress, Version: 1, Text: "x"}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("another unit reports: %v", err)
		}
		if _, err := svc.Act(ctx, unit, baima, it.ID, supervise.ActInput{Act: supervise.ActProgress, Version: 1, Text: "已摸排5家",
			Files: []supervise.Upload{{Name: "摸排表.pdf", Data: []byte("MZ not a pdf")}}}); apperr.KindOf(err) != apperr.Invalid ||
			!strings.Contains(apperr.Message(err), "与文件名不符") {
			t.Errorf("a fake pdf: %v", err)
		}
		it, err = svc.Act(ctx, unit, baima, it.ID, supervise.ActInput{Act: supervise.ActProgress, Version: 1, Text: "已摸排5家", Value: "1",
			Files: []supervise.Upload{{Name: "摸排表.pdf", Data: []byte("%PDF-1.7 摸排")}}})
		if err != nil || it.Status != supervise.Working || it.Version != 2 {
			t.Fatalf("progress: %+v %v", it, err)
		}

		// Time: asked for, a date past the plan refused, approved.
		if _, err := svc.Act(ctx, unit, baima, it.ID, supervise.ActInput{Act: supervise.ActExtend, Version: 2, Text: "企业入库需经市局审核",
			NewDeadline: "2028-03-01"}); apperr.KindOf(err) != apperr.Invalid || !strings.Contains(apperr.Message(err), "超出规划期") {
			t.Errorf("extension past the plan: %v", err)
		}
		if it, err = svc.Act(ctx, unit, baima, it.ID, supervise.ActInput{Act: supervise.ActExtend, Version: 2, Text: "企业入库需经市局审核",
			NewDeadline: "2026-04-30"}); err != nil || it.Pending == nil {
			t.Fatalf("extension: %+v %v", it, err)
		}
		if box, _ := svc.Inbox(ctx, admin); len(box) == 0 || !strings.Contains(box[0].Text, "延期申请:企业入库需经市局审核(期限2026-04-30)") {
			t.Errorf("the office's inbox: %+v", box)
		}
		if _, err := svc.Act(ctx, unit, baima, it.ID, supervise.ActInput{Act: supervise.ActApprove, Version: 3}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("a unit approves its own extension: %v", err)
		}
		if it, err = svc.Act(ctx, office, admin, it.ID, supervise.ActInput{Act: supervise.ActApprove, Version: 3}); err != nil ||
			it.Deadline != "2026-04-30" || it.Pending != nil {
			t.Fatalf("approve: %+v %v", it, err)
		}

		// The unit says done; the directory holds 1 of 3 (甲 entered in
		// 2026; 乙 in 2025 and 丙 elsewhere do not count).
		seedFirms(t, a)
		if it, err = svc.Act(ctx, unit, baima, it.ID, supervise.ActInput{Act: supervise.ActRequest, Version: 4, Text: "已完成"}); err != nil {
			t.Fatal(err)
		}
		d, err := svc.Detail(ctx, baima, it.ID)
		if err != nil || d.Signal.Contradicted != "自报已完成,数据显示完成率33.3%" || len(d.Events) != 5 || len(d.Events[1].Files) != 1 {
			t.Errorf("detail: %+v %v", d, err)
		}
		if _, err := svc.Act(ctx, office, admin, it.ID, supervise.ActInput{Act: supervise.ActReturn, Version: 5}); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("a return without a reason: %v", err)
		}
		if it, err = svc.Act(ctx, office, admin, it.ID, supervise.ActInput{Act: supervise.ActReturn, Version: 5, Text: "统计数据仅1家入库"}); err != nil ||
			it.Status != supervise.Working {
			t.Fatalf("return: %+v %v", it, err)
		}
		if box, _ := svc.Inbox(ctx, baima); len(box) == 0 || !strings.Contains(box[0].Text, "退回:统计数据仅1家入库") {
			t.Errorf("the unit's inbox: %+v", box)
		}
		if _, err := svc.Act(ctx, office, admin, it.ID, supervise.ActInput{Act: supervise.ActClose, Version: 6}); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("close before a request: %v", err)
		}

		// Two weeks past the new deadline: red on the board.
		c.t = time.Date(2026, 5, 14, 9, 0, 0, 0, time.UTC)
		board, err := svc.Board(ctx, admin)
		if err != nil || len(board) != 1 || board[0].Signal.Light != supervise.Red || board[0].Signal.Why != "已逾期14天(办结期限2026-04-30)" {
			t.Errorf("board: %+v %v", board, err)
		}
		if mine, _ := svc.Board(ctx, other); len(mine) != 0 {
			t.Errorf("another town's board shows the item")
		}
		if ev, err := svc.EvidenceFile(ctx, baima, d.Events[1].Files[0].ID); err != nil || string(ev.Data) != "%PDF-1.7 摸排" {
			t.Errorf("evidence: %v", err)
		}
		if _, err := svc.EvidenceFile(ctx, other, d.Events[1].Files[0].ID); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("another unit reads the evidence: %v", err)
		}

		// A project target is judged by the ledger's count: none signed yet.
		proj, err := svc.Assign(ctx, office, admin, supervise.Item{Kind: supervise.KindAdhoc, Title: "白马镇新签约亿元以上项目2个", Source: "目标责任书",
			Lead: "321203101", Deadline: "2026-12-31", Indicator: "SVC_PROJECTS_SIGNED", Target: "2"})
		if err != nil {
			t.Fatal(err)
		}
		if d, err := svc.Detail(ctx, admin, proj.ID); err != nil || d.Rate != "0.0" || d.Signal.Light != supervise.Green {
			t.Errorf("a project target: %+v %v", d, err)
		}

		// A revenue target is judged by the F203 reports, which only
		// those who may see firms see for a unit of 2 firms: the unit's
		// reporter and a leader without firm access see neither the
		// figure nor a rate that would give it away.
		rev, err := svc.Assign(ctx, office, admin, supervise.Item{Kind: supervise.KindAdhoc, Title: "白马镇规上服务业营业收入20亿元", Source: "目标责任书",
			Lead: "321203101", Deadline: "2026-12-31", Indicator: "ABOVE_SIZE_SVC_REVENUE", Target: "20"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who  *auth.User
			rate string
			says string
		}{
			{admin, "75.0", "2026年1-2月规上企业报表汇总15.00,目标20"},
			{&auth.User{Role: auth.RoleLeader, FirmAccess: true}, "75.0", "2026年1-2月规上企业报表汇总15.00,目标20"},
			{&auth.User{Role: auth.RoleLeader}, "", "2026年1-2月规上企业报表汇总不予显示(可推算单个企业数据,仅限授权人员查看,《统计法》)"},
			{baima, "", "2026年1-2月规上企业报表汇总不予显示(可推算单个企业数据,仅限授权人员查看,《统计法》)"},
		} {
			d, err := svc.Detail(ctx, tc.who, rev.ID)
			if err != nil || d.Rate != tc.rate || d.Data == nil || d.Data.Figure != tc.says || strings.Contains(d.Signal.Why, "15.00") {
				t.Errorf("%s with firm access %v: %+v %v", tc.who.Role, tc.who.FirmAccess, d, err)
			}
		}
	})
}

// seedFirms imports a directory of 甲 (白马镇, above size since 2026), 乙
// (白马镇, since 2025) and 丙 (大泗镇, 2026), and their F203 figures of
// 2026年1-2月: 甲 10亿元, 乙 5亿元, 丙 3亿元. Each town is a cell of fewer
// than 3 firms.
func seedFirms(t *testing.T, a *app.App) {
	t.Helper()
	ctx, seed, u := t.Context(), audit.Actor{Name: "seed"}, &auth.User{Username: "seed", Role: auth.RoleAdmin}
	firms := table.FromSlices([][]string{{"统一社会信用代码", "单位详细名称", "行业代码", "所在镇街", "成立日期", "纳统状态", "入库时间"},
		{"91350100M000100Y43", "泰州甲科技有限公司", "7320", "白马镇", "2015-06-01", "规上服务业", "2026-01"},
		{"91321203MA10012200", "泰州乙物流有限公司", "5810", "白马镇", "2020-03-05", "规上服务业", "2025-01"},
		{"913212710747283018", "泰州丙旅行社有限公司", "7291", "大泗镇", "2019-01-02", "规上服务业", "2026-01"}})
	if res, err := a.Registry.ImportEnterprises(ctx, seed, u, firms, table.File{Name: "名录.csv"}, registry.ImportOptions{Official: true}); err != nil || res.Import.New != 3 {
		t.Fatalf("directory: %v %+v", err, res)
	}
	form, _ := reports.FormByCode("F203")
	f203 := table.FromSlices([][]string{{"数据处理地", "统一社会信用代码", "单位详细名称", "1-本月;营业收入;千元", "上年同期;营业收入;千元"},
		{"321203101001", "91350100M000100Y43", "泰州甲科技有限公司", "1000000", "800000"},
		{"321203101002", "91321203MA10012200", "泰州乙物流有限公司", "500000", "400000"},
		{"321203104001", "913212710747283018", "泰州丙旅行社有限公司", "300000", ""}})
	if res, err := a.Reports.Import(ctx, seed, u, f203, table.File{Name: "f203.csv"}, reports.Options{Form: form, Period: 202602}); err != nil || res.Import.New != 3 {
		t.Fatalf("reports: %v %+v", err, res)
	}
	a.Dashboard.Invalidate() // the test's clock stands still: the data key would hold a second forever
}
