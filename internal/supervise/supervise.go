// Package supervise keeps 督查督办: the plan's tasks and the ad-hoc
// 交办事项 assigned to units, each moving 交办 → 办理中 → 申请办结 → 销号
// with 延期申请, 退回 and 催办, the units' progress with evidence files, and
// lights by the deadline and, where the item has a number, by the data
// (doc/assess.md).
package supervise

import (
	"fmt"
	"time"
)

// Status is where an item stands.
type Status string

// Statuses.
const (
	Assigned  Status = "assigned"  // 交办
	Working   Status = "working"   // 办理中
	Requested Status = "requested" // 申请办结
	Closed    Status = "closed"    // 销号
)

var statusLabels = map[Status]string{Assigned: "交办", Working: "办理中", Requested: "申请办结", Closed: "已销号"}

// Label is the status's Chinese name.
func (s Status) Label() string { return statusLabels[s] }

// Act is something done to an item.
type Act string

// Acts.
const (
	ActAssign   Act = "assign"   // 交办 (the office: an item's first event)
	ActProgress Act = "progress" // 报送进展 (the unit)
	ActRequest  Act = "request"  // 申请办结 (the unit)
	ActClose    Act = "close"    // 销号 (an administrator)
	ActReturn   Act = "return"   // 退回 (an administrator, with a reason)
	ActExtend   Act = "extend"   // 延期申请 (the unit: reason and new date)
	ActApprove  Act = "approve"  // 同意延期 (an administrator)
	ActRefuse   Act = "refuse"   // 不同意延期 (an administrator, with a reason)
	ActUrge     Act = "urge"     // 催办 (an administrator)
	ActReassign Act = "reassign" // 重新交办 after a close was wrong (an administrator, with a reason)
)

var actLabels = map[Act]string{ActAssign: "交办", ActProgress: "报送进展", ActRequest: "申请办结", ActClose: "销号", ActReturn: "退回",
	ActExtend: "延期申请", ActApprove: "同意延期", ActRefuse: "不同意延期", ActUrge: "催办", ActReassign: "重新交办"}

// Label is the act's Chinese name.
func (a Act) Label() string { return actLabels[a] }

// byUnit reports whether the act is the unit's (else an administrator's).
func (a Act) byUnit() bool { return a == ActProgress || a == ActRequest || a == ActExtend }

// Transition is what an act does to an item in a status: the next status,
// or an error in Chinese when the act is not allowed then. pending says
// whether an extension request awaits a decision.
func Transition(from Status, act Act, pending bool) (Status, error) {
	refuse := func() (Status, error) {
		return from, fmt.Errorf("事项%s,不能%s", from.Label(), act.Label())
	}
	switch act {
	case ActProgress:
		if from == Closed {
			return refuse()
		}
		return Working, nil
	case ActRequest:
		if from == Closed || from == Requested {
			return refuse()
		}
		return Requested, nil
	case ActClose, ActReturn:
		if from != Requested {
			return from, fmt.Errorf("事项尚未申请办结,不能%s", act.Label())
		}
		if act == ActClose {
			return Closed, nil
		}
		return Working, nil
	case ActExtend:
		switch {
		case from == Closed:
			return refuse()
		case pending:
			return from, fmt.Errorf("已有延期申请待审批")
		}
		return from, nil
	case ActApprove, ActRefuse:
		if !pending {
			return from, fmt.Errorf("没有待审批的延期申请")
		}
		return from, nil
	case ActUrge:
		if from == Closed {
			return refuse()
		}
		return from, nil
	case ActReassign:
		if from != Closed {
			return from, fmt.Errorf("事项尚未销号,不需重新交办")
		}
		return Working, nil
	}
	return from, fmt.Errorf("操作“%s”不存在", act)
}

// Light is an item's signal.
type Light string

// Lights.
const (
	Green  Light = "green"
	Yellow Light = "yellow"
	Red    Light = "red"
)

// LightRules say when an item turns yellow, as data: the days before its
// deadline.
type LightRules struct {
	YellowDays int `json:"yellow_days"`
}

// DefaultLightRules: yellow a week before the deadline.
func DefaultLightRules() LightRules { return LightRules{YellowDays: 7} }

// Signal is an item's light with the sentence that explains it.
type Signal struct {
	Light Light  `json:"light"`
	Why   string `json:"why"`
	// Contradicted is set when the unit's own status says done and the
	// data does not ("自报已完成,数据显示完成率61%").
	Contradicted string `json:"contradicted,omitempty"`
}

// Data is what svcplan's figures say of an item with a number: its
// completion, as a percentage with one decimal, or "" when there is no
// published figure.
type Data struct {
	Rate   string `json:"rate,omitempty"` // 61.0
	Done   bool   `json:"done"`           // the figure reaches the target
	Figure string `json:"figure"`         // the sentence: 2025年已发布值12,目标15
}

// SignalOf is an item's light on a day, from its status and deadline and,
// where it has a number, from the data.
func (r LightRules) SignalOf(status Status, deadline string, data *Data, today time.Time) Signal {
	d, err := time.Parse(time.DateOnly, deadline)
	days := int(d.Sub(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
	selfDone := status == Requested || status == Closed
	var s Signal
	switch {
	case status == Closed && (data == nil || data.Rate == "" || data.Done):
		s = Signal{Light: Green, Why: "已销号"}
	case err != nil:
		s = Signal{Light: Yellow, Why: "办结期限“" + deadline + "”不是日期"}
	case data != nil && data.Rate != "" && data.Done:
		s = Signal{Light: Green, Why: data.Figure + ",已达到目标"}
	case days < 0:
		s = Signal{Light: Red, Why: fmt.Sprintf("已逾期%d天(办结期限%s)", -days, deadline)}
	case days <= r.YellowDays:
		s = Signal{Light: Yellow, Why: fmt.Sprintf("%d天后到期(办结期限%s)", days, deadline)}
	default:
		s = Signal{Light: Green, Why: fmt.Sprintf("按期推进(办结期限%s)", deadline)}
	}
	if selfDone && data != nil && data.Rate != "" && !data.Done {
		s.Contradicted = fmt.Sprintf("自报已完成,数据显示完成率%s%%", data.Rate)
		if status == Closed {
			s.Light, s.Why = Red, "已销号但"+data.Figure+",未达到目标"
		}
	}
	return s
}
