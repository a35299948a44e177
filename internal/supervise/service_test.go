package supervise_test

import (
	"strings"
	"testing"
	"time"

	"svcplan/internal/app"
	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/indicators"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/supervise"
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

		// The unit says done; the bureau's figure says 1 of 3.
		if _, err := a.Values.Save(ctx, office, admin, indicators.Input{Indicator: "NEW_ABOVE_SIZE_SVC_FIRMS", Unit: "321203101", Period: "2026",
			Value: "1", Publish: true}); err != nil {
			t.Fatal(err)
		}
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
	})
}
