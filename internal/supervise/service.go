package supervise

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/evidence"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/settings"
)

// Figures are svcplan's figures, read through the indicator values' and
// the ledger's services (wired in internal/app).
type Figures interface {
	// Published returns every unit's figure of an indicator for a year,
	// by unit.
	Published(ctx context.Context, indicator, year string) (map[string]Figure, error)
}

// Figure is a unit's figure of an indicator.
type Figure struct {
	Value string // as the indicator counts it: 12, 3.45
	// Of says what the figure is: 2025年已发布值, 2025年1-10月规上企业报表汇总.
	Of string
	// Confidential marks a sum of firms' figures that roles without firm
	// access may not see (too few firms, 《统计法》).
	Confidential bool
}

// figureKey is an indicator's figures of a period.
type figureKey struct{ indicator, period string }

const rulesKey = "supervise.rules"

// Service keeps 督查督办.
type Service struct {
	store    Store
	plans    *plan.Service
	figures  Figures
	settings settings.Store
	now      func() time.Time
	rules    *settings.Live[LightRules]
}

// NewService returns the supervision's service with the default lights;
// LoadRules puts the saved ones in force.
func NewService(store Store, plans *plan.Service, figures Figures, st settings.Store, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, figures: figures, settings: st, now: now,
		rules: settings.NewLive(rulesKey, DefaultLightRules())}
}

// LoadRules puts the latest saved light rules in force.
func (s *Service) LoadRules(ctx context.Context) error { return s.rules.Load(ctx, s.settings) }

// Rules are the light rules in force.
func (s *Service) Rules() LightRules { return s.rules.Get() }

// SaveRules changes the light rules (administrators), every version kept.
func (s *Service) SaveRules(ctx context.Context, actor audit.Actor, u *auth.User, r LightRules) error {
	if err := auth.Check(u, auth.PermSuperviseManage, ""); err != nil {
		return err
	}
	if r.YellowDays < 0 || r.YellowDays > 90 {
		return apperr.InvalidFields([]string{"到期前黄灯天数应为0到90天"}, map[string]string{"yellow_days": "应为0到90天"})
	}
	return s.rules.Save(ctx, s.settings, "settings.supervise", actor, s.now().UTC(), r)
}

// invalid is apperr.InvalidFields from a list of field problems.
func invalid(probs [][2]string) error {
	if len(probs) == 0 {
		return nil
	}
	msgs := make([]string, len(probs))
	fields := map[string]string{}
	for i, p := range probs {
		msgs[i] = p[1]
		if _, ok := fields[p[0]]; !ok {
			fields[p[0]] = p[1]
		}
	}
	return apperr.InvalidFields(msgs, fields)
}

// lastDay is the plan period's last day: no deadline goes past it.
func lastDay(p *plan.Plan) string { return fmt.Sprintf("%d-12-31", p.Meta.EndYear) }

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Assign adds an item (administrators): a task of the plan or an ad-hoc
// 交办事项, with its units, deadline and milestones, assigned today.
func (s *Service) Assign(ctx context.Context, actor audit.Actor, u *auth.User, it Item) (*Item, error) {
	it.AssignedOn = ""
	return s.add(ctx, actor, u, it)
}

// Register enters an item assigned before svcplan kept the ledger (the
// office's 督办台账), with the day it was assigned: its deadline may have
// passed, never the plan period.
func (s *Service) Register(ctx context.Context, actor audit.Actor, u *auth.User, it Item) (*Item, error) {
	if !validDate(it.AssignedOn) || it.AssignedOn > s.now().Format(time.DateOnly) {
		return nil, invalid([][2]string{{"assigned_on", fmt.Sprintf("交办日期“%s”应为不晚于今天的日期", it.AssignedOn)}})
	}
	return s.add(ctx, actor, u, it)
}

func (s *Service) add(ctx context.Context, actor audit.Actor, u *auth.User, it Item) (*Item, error) {
	if err := auth.Check(u, auth.PermSuperviseManage, ""); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	p := st.Plan
	today := s.now().Format(time.DateOnly)
	earliest := today // an item assigned today is due today or later
	if it.AssignedOn != "" {
		earliest = it.AssignedOn
	}
	var probs [][2]string
	add := func(field, format string, args ...any) {
		probs = append(probs, [2]string{field, fmt.Sprintf(format, args...)})
	}
	it.Title, it.Source = strings.TrimSpace(it.Title), strings.TrimSpace(it.Source)
	switch it.Kind {
	case KindTask:
		task, field, ok := p.Task(it.Task)
		if !ok {
			add("task", "任务“%s”不在本规划中", it.Task)
			break
		}
		if it.Title == "" {
			it.Title = task.Title
		}
		if it.Source == "" {
			it.Source = "方案任务:" + field.Name + " · " + task.Title
		}
	case KindAdhoc:
		if it.Source == "" {
			add("source", "交办事项须写明来源(会议纪要、领导批示等)")
		}
	default:
		add("kind", "事项类别应为方案任务(task)或交办事项(adhoc)")
	}
	switch n := utf8.RuneCountInString(it.Title); {
	case n == 0:
		add("title", "事项名称不能为空")
	case n > 300:
		add("title", "事项名称超过300个字")
	}
	if _, ok := p.Unit(it.Lead); !ok {
		add("lead", "牵头单位“%s”不在本规划的单位中", it.Lead)
	}
	for _, q := range it.Partners {
		if _, ok := p.Unit(q); !ok || q == it.Lead {
			add("partners", "配合单位“%s”不在本规划的单位中或与牵头单位相同", q)
		}
	}
	switch {
	case !validDate(it.Deadline):
		add("deadline", "办结期限“%s”应为2026-06-30这样的日期", it.Deadline)
	case it.Deadline < earliest:
		add("deadline", "办结期限%s早于交办日期%s", it.Deadline, earliest)
	case it.Deadline > lastDay(p):
		add("deadline", "办结期限%s超出规划期(至%s)", it.Deadline, lastDay(p))
	}
	for i, m := range it.Milestones {
		if strings.TrimSpace(m.Title) == "" || !validDate(m.Due) || m.Due > it.Deadline {
			add("milestones", "第%d个节点应有名称和不晚于办结期限的日期", i+1)
		}
	}
	if it.Indicator != "" {
		if _, ok := p.Indicator(it.Indicator); !ok {
			add("indicator", "指标“%s”不在本规划的指标中", it.Indicator)
		}
		if t, ok := plan.Number(it.Target).Rat(); !ok || t.Sign() <= 0 {
			add("target", "关联指标的事项须写明大于0的目标值")
		}
	} else if it.Target != "" {
		add("indicator", "写明目标值的事项须关联规划指标")
	}
	if err := invalid(probs); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if it.AssignedOn == "" {
		it.AssignedOn = today
	}
	it.ID, it.Version, it.Status, it.Pending = 0, 1, Assigned, nil
	it.UpdatedBy, it.UpdatedAt = actor.Name, now
	if it.Partners == nil {
		it.Partners = []string{}
	}
	if it.Milestones == nil {
		it.Milestones = []Milestone{}
	}
	ev := Event{Seq: 1, Act: ActAssign, By: actor.Name, At: now, Text: it.Source, NewDeadline: it.Deadline}
	if it.AssignedOn != today {
		ev.Text = fmt.Sprintf("%s(%s交办,补录)", it.Source, it.AssignedOn)
	}
	e := audit.New(now, actor, "supervise.assign", "supervise_item", "", nil, it)
	if err := s.store.AddItem(ctx, &it, ev, e); err != nil {
		return nil, err
	}
	return &it, nil
}

// Upload is an evidence file as a unit sends it.
type Upload = evidence.Upload

// ActInput is an act on an item at the version the user saw.
type ActInput struct {
	Act         Act      `json:"act"`
	Version     int      `json:"version"`
	Text        string   `json:"text"`
	Value       string   `json:"value"`
	NewDeadline string   `json:"new_deadline"`
	Files       []Upload `json:"-"`
}

// Act does something to an item: a unit reports, asks to close or for
// more time; an administrator closes, returns, decides on the time, urges.
func (s *Service) Act(ctx context.Context, actor audit.Actor, u *auth.User, id int64, in ActInput) (*Item, error) {
	it, events, err := s.store.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Act.byUnit() {
		if err := auth.Check(u, auth.PermProgressWrite, ""); err != nil {
			return nil, err
		}
		if u.Unit != "" && !it.HasUnit(u.Unit) {
			return nil, apperr.Forbiddenf("该事项不是本单位承办的事项")
		}
	} else if err := auth.Check(u, auth.PermSuperviseManage, ""); err != nil {
		return nil, err
	}
	if in.Version != it.Version {
		return nil, apperr.Conflictf("事项已被他人更新(第%d版),请刷新后重试", it.Version)
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	next, err := Transition(it.Status, in.Act, it.Pending != nil)
	if err != nil {
		return nil, apperr.Conflictf("%s", err.Error())
	}
	in.Text, in.Value, in.NewDeadline = strings.TrimSpace(in.Text), strings.TrimSpace(in.Value), strings.TrimSpace(in.NewDeadline)
	var probs [][2]string
	add := func(field, format string, args ...any) {
		probs = append(probs, [2]string{field, fmt.Sprintf(format, args...)})
	}
	if utf8.RuneCountInString(in.Text) > 1000 {
		add("text", "说明超过1000个字")
	}
	switch in.Act {
	case ActProgress:
		if in.Text == "" && in.Value == "" {
			add("text", "报送进展须写明形象进度或完成值")
		}
	case ActReturn, ActRefuse, ActReassign:
		if in.Text == "" {
			add("text", "%s须说明原因", in.Act.Label())
		}
	case ActExtend:
		switch {
		case in.Text == "":
			add("text", "延期申请须说明原因")
		case !validDate(in.NewDeadline):
			add("new_deadline", "延期后的期限“%s”应为日期", in.NewDeadline)
		case in.NewDeadline <= it.Deadline:
			add("new_deadline", "延期后的期限%s应晚于现期限%s", in.NewDeadline, it.Deadline)
		case in.NewDeadline > lastDay(st.Plan):
			add("new_deadline", "延期后的期限%s超出规划期(至%s)", in.NewDeadline, lastDay(st.Plan))
		}
	}
	if in.Value != "" && !plan.Number(in.Value).Valid() {
		add("value", "完成值“%s”应为数字", in.Value)
	}
	now := s.now().UTC()
	var files []Evidence
	for _, f := range in.Files {
		typ, err := evidence.Check(f.Name, f.Data)
		if err != nil {
			add("files", "%s", err.Error())
			continue
		}
		sum := sha256.Sum256(f.Data)
		files = append(files, Evidence{EvidenceInfo: EvidenceInfo{Name: f.Name, ContentType: typ, Size: int64(len(f.Data)),
			SHA256: hex.EncodeToString(sum[:])}, Item: id, Data: f.Data})
	}
	if len(files) > 10 {
		add("files", "一次最多上传10个佐证文件")
	}
	if err := invalid(probs); err != nil {
		return nil, err
	}
	before := *it
	after := *it
	after.Version, after.Status, after.UpdatedBy, after.UpdatedAt = it.Version+1, next, actor.Name, now
	switch in.Act {
	case ActExtend:
		after.Pending = &Extension{Deadline: in.NewDeadline, Reason: in.Text, By: actor.Name, At: now}
	case ActApprove:
		after.Deadline, after.Pending = it.Pending.Deadline, nil
	case ActRefuse:
		after.Pending = nil
	}
	ev := Event{Item: id, Seq: len(events) + 1, Act: in.Act, By: actor.Name, At: now, Text: in.Text, Value: in.Value,
		NewDeadline: in.NewDeadline}
	if in.Act == ActApprove {
		ev.NewDeadline = after.Deadline
	}
	if in.Act.byUnit() {
		ev.Unit = u.Unit
		if ev.Unit == "" {
			ev.Unit = it.Lead
		}
	}
	for _, f := range files {
		ev.Files = append(ev.Files, f.EvidenceInfo)
	}
	e := audit.New(now, actor, "supervise."+string(in.Act), "supervise_item", strconv.FormatInt(id, 10),
		map[string]any{"version": before.Version, "status": before.Status, "deadline": before.Deadline},
		map[string]any{"version": after.Version, "status": after.Status, "deadline": after.Deadline, "event": ev})
	if err := s.store.Act(ctx, after, ev, files, e); err != nil {
		return nil, err
	}
	return &after, nil
}

// Line is an item as the board shows it: its latest version and light.
type Line struct {
	Item   Item   `json:"item"`
	Signal Signal `json:"signal"`
	Data   *Data  `json:"data,omitempty"`
	Rate   string `json:"data_rate,omitempty"`
}

// Board lists the items the user may see (a reporter's unit's, everyone
// else's all), each with its light today, those needing attention first:
// red, then yellow, then by deadline.
func (s *Service) Board(ctx context.Context, u *auth.User) ([]Line, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	items, err := s.store.Items(ctx)
	if err != nil {
		return nil, err
	}
	read := map[figureKey]map[string]Figure{} // each indicator's figures read once for the board
	var out []Line
	for _, it := range items {
		if u.Unit != "" && !it.HasUnit(u.Unit) {
			continue
		}
		l, err := s.line(ctx, u, it, read)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	order := map[Light]int{Red: 0, Yellow: 1, Green: 2}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if order[a.Signal.Light] != order[b.Signal.Light] {
			return order[a.Signal.Light] < order[b.Signal.Light]
		}
		return a.Item.Deadline < b.Item.Deadline
	})
	return out, nil
}

// line is an item with its light and, where it has a number, its data as
// u may see it (the figures read are kept in read). A figure u may not see
// is not shown and does not move the light: its completion rate would
// give the figure away.
func (s *Service) line(ctx context.Context, u *auth.User, it Item, read map[figureKey]map[string]Figure) (Line, error) {
	l := Line{Item: it}
	if it.Indicator != "" {
		key := figureKey{it.Indicator, it.Deadline[:4]}
		byUnit, done := read[key]
		if !done {
			var err error
			if byUnit, err = s.figures.Published(ctx, key.indicator, key.period); err != nil {
				return l, err
			}
			read[key] = byUnit
		}
		l.Data = &Data{}
		f, ok := byUnit[it.Lead]
		switch {
		case ok && f.Confidential && !u.CanSeeFirms():
			l.Data.Figure = f.Of + "不予显示(可推算单个企业数据,仅限授权人员查看,《统计法》)"
		case ok:
			actual, _ := plan.Number(f.Value).Rat()
			target, _ := plan.Number(it.Target).Rat()
			if actual != nil && target != nil && target.Sign() > 0 {
				rate := new(big.Rat).Quo(actual, target)
				l.Data = &Data{Rate: money.Percent(rate, 1), Done: rate.Cmp(big.NewRat(1, 1)) >= 0,
					Figure: fmt.Sprintf("%s%s,目标%s", f.Of, f.Value, it.Target)}
				l.Rate = l.Data.Rate
			}
		}
	}
	l.Signal = s.Rules().SignalOf(it.Status, it.Deadline, l.Data, s.now())
	return l, nil
}

// Detail is an item with its history, for a user who may see it.
type Detail struct {
	Line
	Events []Event
}

// Detail returns an item, its events and its light.
func (s *Service) Detail(ctx context.Context, u *auth.User, id int64) (*Detail, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	it, events, err := s.store.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Unit != "" && !it.HasUnit(u.Unit) {
		return nil, apperr.Forbiddenf("该事项不是本单位承办的事项")
	}
	l, err := s.line(ctx, u, *it, map[figureKey]map[string]Figure{})
	if err != nil {
		return nil, err
	}
	return &Detail{Line: l, Events: events}, nil
}

// EvidenceFile returns an evidence file of an item the user may see.
func (s *Service) EvidenceFile(ctx context.Context, u *auth.User, id int64) (*Evidence, error) {
	ev, err := s.store.Evidence(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Detail(ctx, u, ev.Item); err != nil {
		return nil, err
	}
	return ev, nil
}

// Message is a line of a user's inbox.
type Message struct {
	Item  int64     `json:"item"`
	Title string    `json:"title"`
	At    time.Time `json:"at"`
	Light Light     `json:"light,omitempty"`
	Text  string    `json:"text"`
}

// inboxDays is how far back the inbox looks.
const inboxDays = 30

// Inbox is what a user has to attend to: for a unit, the office's acts on
// its items (催办, 退回, decisions on time) and its items turning yellow
// or red; for the office, the units' requests (申请办结, 延期申请) and the
// red items. Newest first.
func (s *Service) Inbox(ctx context.Context, u *auth.User) ([]Message, error) {
	board, err := s.Board(ctx, u)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Line{}
	for i := range board {
		byID[board[i].Item.ID] = &board[i]
	}
	office := u.Can(auth.PermSuperviseManage)
	events, err := s.store.Events(ctx, s.now().AddDate(0, 0, -inboxDays))
	if err != nil {
		return nil, err
	}
	var out []Message
	for i := len(events) - 1; i >= 0; i-- { // newest first
		ev := events[i]
		l := byID[ev.Item]
		if l == nil {
			continue
		}
		mine := office && (ev.Act == ActRequest || ev.Act == ActExtend) ||
			!office && slices.Contains([]Act{ActUrge, ActReturn, ActApprove, ActRefuse, ActClose, ActReassign}, ev.Act)
		if !mine {
			continue
		}
		text := ev.Act.Label()
		if ev.Text != "" {
			text += ":" + ev.Text
		}
		if ev.NewDeadline != "" && (ev.Act == ActExtend || ev.Act == ActApprove) {
			text += "(期限" + ev.NewDeadline + ")"
		}
		out = append(out, Message{Item: ev.Item, Title: l.Item.Title, At: ev.At, Text: text})
	}
	now := s.now()
	for _, l := range board {
		if l.Item.Status != Closed && (l.Signal.Light == Red || !office && l.Signal.Light == Yellow) || l.Signal.Contradicted != "" {
			text := l.Signal.Why
			if l.Signal.Contradicted != "" {
				text = l.Signal.Contradicted
			}
			out = append(out, Message{Item: l.Item.ID, Title: l.Item.Title, At: now, Light: l.Signal.Light, Text: text})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}
