package supervise

import (
	"testing"
	"time"
)

// TestTransition: every act from every status, as the office runs it.
func TestTransition(t *testing.T) {
	for _, tt := range []struct {
		from    Status
		act     Act
		pending bool
		to      Status
		err     string
	}{
		{Assigned, ActProgress, false, Working, ""},
		{Working, ActProgress, false, Working, ""},
		{Requested, ActProgress, false, Working, ""}, // reporting again withdraws the request
		{Closed, ActProgress, false, Closed, "事项已销号,不能报送进展"},
		{Working, ActRequest, false, Requested, ""},
		{Assigned, ActRequest, false, Requested, ""},
		{Requested, ActRequest, false, Requested, "事项申请办结,不能申请办结"},
		{Requested, ActClose, false, Closed, ""},
		{Working, ActClose, false, Working, "事项尚未申请办结,不能销号"},
		{Requested, ActReturn, false, Working, ""},
		{Assigned, ActReturn, false, Assigned, "事项尚未申请办结,不能退回"},
		{Working, ActExtend, false, Working, ""},
		{Working, ActExtend, true, Working, "已有延期申请待审批"},
		{Closed, ActExtend, false, Closed, "事项已销号,不能延期申请"},
		{Working, ActApprove, true, Working, ""},
		{Working, ActApprove, false, Working, "没有待审批的延期申请"},
		{Requested, ActRefuse, true, Requested, ""},
		{Working, ActUrge, false, Working, ""},
		{Closed, ActUrge, false, Closed, "事项已销号,不能催办"},
		{Closed, ActReassign, false, Working, ""},
		{Working, ActReassign, false, Working, "事项尚未销号,不需重新交办"},
		{Working, "dance", false, Working, "操作“dance”不存在"},
	} {
		to, err := Transition(tt.from, tt.act, tt.pending)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if to != tt.to || got != tt.err {
			t.Errorf("%s %s (pending %v): %s %q, want %s %q", tt.from, tt.act, tt.pending, to, got, tt.to, tt.err)
		}
	}
}

// TestSignal: lights a week before and after a deadline of 2026-03-31,
// worked out by hand, and the data against the words.
func TestSignal(t *testing.T) {
	r := DefaultLightRules()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(15 * time.Hour) }
	behind := &Data{Rate: "61.0", Figure: "2026年已发布值11家,目标18家"}
	reached := &Data{Rate: "105.0", Done: true, Figure: "2026年已发布值19家,目标18家"}
	for _, tt := range []struct {
		name     string
		status   Status
		data     *Data
		today    string
		light    Light
		why, bad string
	}{
		{"on time", Working, nil, "2026-03-01", Green, "按期推进(办结期限2026-03-31)", ""},
		{"eight days left", Working, nil, "2026-03-23", Green, "按期推进(办结期限2026-03-31)", ""},
		{"seven days left", Working, nil, "2026-03-24", Yellow, "7天后到期(办结期限2026-03-31)", ""},
		{"due today", Assigned, nil, "2026-03-31", Yellow, "0天后到期(办结期限2026-03-31)", ""},
		{"a day late", Working, nil, "2026-04-01", Red, "已逾期1天(办结期限2026-03-31)", ""},
		{"closed late", Closed, nil, "2026-05-01", Green, "已销号", ""},
		{"data reached", Working, reached, "2026-04-10", Green, "2026年已发布值19家,目标18家,已达到目标", ""},
		{"requested, data behind", Requested, behind, "2026-03-20", Green, "按期推进(办结期限2026-03-31)", "自报已完成,数据显示完成率61.0%"},
		{"closed, data behind", Closed, behind, "2026-04-20", Red, "已销号但2026年已发布值11家,目标18家,未达到目标", "自报已完成,数据显示完成率61.0%"},
		{"working, no figure yet", Working, &Data{}, "2026-04-02", Red, "已逾期2天(办结期限2026-03-31)", ""},
	} {
		s := r.SignalOf(tt.status, "2026-03-31", tt.data, day(tt.today))
		if s.Light != tt.light || s.Why != tt.why || s.Contradicted != tt.bad {
			t.Errorf("%s: %s %q %q, want %s %q %q", tt.name, s.Light, s.Why, s.Contradicted, tt.light, tt.why, tt.bad)
		}
	}
}
