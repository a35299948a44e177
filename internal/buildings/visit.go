package buildings

import (
	"fmt"
	"strings"
	"time"
)

// Result is what a 扫楼 visit found in a room.
type Result string

// The findings of a visit (the sweep sheet's columns).
const (
	ResultVacant       Result = "vacant"       // 空置
	ResultRegistered   Result = "registered"   // 入驻已注册: a firm works here and is registered here
	ResultUnregistered Result = "unregistered" // 入驻未注册: a firm works here, registered elsewhere
	ResultAbsent       Result = "absent"       // 注册未入驻: registered here, not found (虚拟注册)
	ResultChanged      Result = "changed"      // 企业变更: another firm than the 台账 says
)

// Results lists the findings in the form's order.
var Results = []Result{ResultVacant, ResultRegistered, ResultUnregistered, ResultAbsent, ResultChanged}

var resultLabels = map[Result]string{ResultVacant: "空置", ResultRegistered: "入驻已注册", ResultUnregistered: "入驻未注册",
	ResultAbsent: "注册未入驻(虚拟注册)", ResultChanged: "企业变更"}

// Label is the finding's Chinese name.
func (r Result) Label() string { return resultLabels[r] }

// Finding is one room's finding.
type Finding struct {
	Room   string `json:"room"`
	Result Result `json:"result"`
	Firm   string `json:"firm,omitempty"` // the firm found (or registered, for absent)
	USCC   string `json:"uscc,omitempty"`
	Note   string `json:"note,omitempty"`
}

// VisitStatus is where a visit stands.
type VisitStatus string

// A visit is filed, then confirmed (its findings become the next space
// version) or rejected by a staff member.
const (
	VisitFiled     VisitStatus = "filed"
	VisitConfirmed VisitStatus = "confirmed"
	VisitRejected  VisitStatus = "rejected"
)

var visitStatusLabels = map[VisitStatus]string{VisitFiled: "待确认", VisitConfirmed: "已确认", VisitRejected: "未采用"}

// Label is the status's Chinese name.
func (s VisitStatus) Label() string { return visitStatusLabels[s] }

// Visit is one 扫楼 visit to a building.
type Visit struct {
	ID       int64     `json:"id"`
	Building string    `json:"building"`
	Date     string    `json:"date"` // YYYY-MM-DD
	Team     string    `json:"team"` // who went (联合扫楼: 街道、税务、市场监管 …)
	Note     string    `json:"note,omitempty"`
	Findings []Finding `json:"findings"`
	Files    []File    `json:"files,omitempty"`
	FiledBy  string    `json:"filed_by"`
	FiledAt  time.Time `json:"filed_at"`
	// The decision, once made.
	Status       VisitStatus `json:"status"`
	DecidedBy    string      `json:"decided_by,omitempty"`
	DecidedAt    time.Time   `json:"decided_at,omitzero"`
	DecisionNote string      `json:"decision_note,omitempty"`
	SpaceVersion int         `json:"space_version,omitempty"` // the space version a confirmation made
}

// File is a photo or document filed with a visit.
type File struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// StoredFile is a visit's file with its bytes and the visit it belongs to.
type StoredFile struct {
	File
	Visit int64
	Data  []byte
}

// Check lists what is wrong with a visit to a building of a space: the
// date, the team, findings for rooms the 台账 lacks, a room twice, a
// finding without its firm.
func (v *Visit) Check(sp *Space, today string) map[string]string {
	probs := map[string]string{}
	add := func(field, format string, args ...any) {
		if _, ok := probs[field]; !ok {
			probs[field] = fmt.Sprintf(format, args...)
		}
	}
	v.Team, v.Note = strings.TrimSpace(v.Team), strings.TrimSpace(v.Note)
	switch {
	case !isDate(v.Date):
		add("date", "走访日期“%s”应为2026-06-30这样的日期", v.Date)
	case v.Date > today:
		add("date", "走访日期%s晚于今天", v.Date)
	}
	if v.Team == "" {
		add("team", "请写明走访人员或单位")
	}
	rooms := map[string]bool{}
	if sp != nil {
		for _, r := range sp.Rooms {
			rooms[r.Number] = true
		}
	}
	seen := map[string]bool{}
	for _, f := range v.Findings {
		switch {
		case !rooms[f.Room]:
			add("findings", "房号%s不在本楼台账中", f.Room)
		case seen[f.Room]:
			add("findings", "房号%s填写了两次", f.Room)
		case resultLabels[f.Result] == "":
			add("findings", "房号%s的核查结果“%s”不是可选项", f.Room, f.Result)
		case f.Result != ResultVacant && strings.TrimSpace(f.Firm) == "":
			add("findings", "房号%s核查为%s,请填写企业名称", f.Room, f.Result.Label())
		}
		seen[f.Room] = true
	}
	if len(v.Findings) == 0 {
		add("findings", "请至少填写一个房间的核查结果")
	}
	return probs
}

// Apply makes the next space from the latest one and a visit's findings:
// a vacant room's current occupancies end the day before the visit; a
// firm found (or registered but absent) keeps its occupancy with the
// flags the visit saw, or gets a new one from the visit's day taking the
// room's free area; a changed firm replaces the room's occupancies. Rooms
// the visit did not look at stay as they were.
func (v *Visit) Apply(sp *Space) *Space {
	next := &Space{Building: sp.Building, Version: sp.Version + 1, Rooms: append([]Room(nil), sp.Rooms...),
		Note: fmt.Sprintf("扫楼核查(%s,%s)", v.Date, v.Team)}
	area := map[string]Area{}
	for _, r := range sp.Rooms {
		area[r.Number] = r.Area
	}
	before := dayBefore(v.Date)
	found := map[string]Finding{}
	for _, f := range v.Findings {
		found[f.Room] = f
	}
	matched := map[string]bool{} // rooms whose finding an occupancy already carries
	for i, o := range sp.Occupancies {
		f, looked := found[o.Room]
		row := 0
		if i < len(sp.Rows) {
			row = sp.Rows[i]
		}
		if !looked || !o.Current(v.Date) {
			next.Occupancies, next.Rows = append(next.Occupancies, o), append(next.Rows, row)
			continue
		}
		same := f.USCC != "" && f.USCC == o.USCC || f.USCC == "" && strings.TrimSpace(f.Firm) == o.Firm
		switch {
		case f.Result == ResultVacant || f.Result == ResultChanged || !same:
			o.To = max(before, o.From)
		default:
			o.Registered = f.Result != ResultUnregistered
			o.Present = f.Result != ResultAbsent
			matched[o.Room] = true
		}
		next.Occupancies, next.Rows = append(next.Occupancies, o), append(next.Rows, 0)
	}
	for _, f := range v.Findings {
		if f.Result == ResultVacant || matched[f.Room] {
			continue
		}
		var taken Area
		for _, o := range next.Occupancies {
			if o.Room == f.Room && o.Current(v.Date) {
				taken += o.Area
			}
		}
		free := area[f.Room] - taken
		if free <= 0 {
			continue
		}
		next.Occupancies = append(next.Occupancies, Occupancy{Room: f.Room, USCC: f.USCC, Firm: strings.TrimSpace(f.Firm), Area: free,
			From: v.Date, Registered: f.Result != ResultUnregistered, Present: f.Result != ResultAbsent})
		next.Rows = append(next.Rows, 0)
	}
	return next
}

func dayBefore(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}
