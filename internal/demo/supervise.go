package demo

import (
	"fmt"
	"strconv"
	"time"

	"svcplan/internal/plan"
	"svcplan/internal/supervise"
)

// The demo's 督查督办: 40 items, plan tasks and 交办事项, in every state —
// just assigned, being worked on, asked to close, closed, returned, with
// a pending or a granted extension, due soon, overdue — and one a unit
// says is done while the published figure says otherwise.

// Supervised is an item to register and what then happens to it.
type Supervised struct {
	Item supervise.Item
	Acts []SupervisedAct
}

// SupervisedAct is an act on an item; ByUnit says the lead unit does it
// (else the office).
type SupervisedAct struct {
	ByUnit bool
	In     supervise.ActInput
	File   string // an evidence file's name, whose content the demo makes up
}

var adhocSources = []string{"区委常委会会议纪要〔%d〕%d号", "区政府常务会议纪要〔%d〕%d号", "区长办公会议纪要〔%d〕%d号", "区主要领导批示(%d年第%d期)"}

var adhocTitles = []string{"推动物流园区冷链项目签约落地", "完成楼宇招商空置面积摸排", "组织规上服务业企业入库培育走访", "推进人力资源服务产业园建设",
	"落实重大项目要素保障问题", "开展服务业企业统计业务培训", "推进数字经济特色园区申报", "做好养老服务设施建设", "完成文旅消费季活动方案",
	"推进检验检测平台建设", "组织服务业重点企业座谈", "推进跨境电商产业园建设", "落实家政服务龙头企业培育", "完成老字号申报材料", "推进医药研发外包服务集聚", "做好金融服务实体经济对接"}

// makeSupervision writes the 40 items with their histories, relative to
// the demo's day, and one on a town's 2025 figure of the assessment.
func (g *generator) makeSupervision(assessment Assessment) []Supervised {
	r := g.rng(streamSupervise)
	today := g.through.AddDate(0, 0, -1)
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format(time.DateOnly) }
	end := fmt.Sprintf("%d-12-31", g.plan.Meta.EndYear)
	clampDay := func(d string) string {
		if d > end {
			return end
		}
		return d
	}
	var towns []string
	for _, t := range g.towns {
		towns = append(towns, t.unit.Code)
	}
	var tasks []struct {
		code, lead string
		co         []string
	}
	for fi := range g.plan.Fields {
		f := &g.plan.Fields[fi]
		for ti := range f.Tasks {
			lead, co := f.Tasks[ti].Responsible(f)
			if len(lead) > 0 {
				tasks = append(tasks, struct {
					code, lead string
					co         []string
				}{f.Tasks[ti].Code, lead[0], co})
			}
		}
	}
	if len(tasks) == 0 || len(towns) == 0 {
		return nil
	}
	var out []Supervised
	for i := range 40 {
		var it supervise.Item
		if i%5 < 3 && i/5 < len(tasks) {
			t := tasks[(i*7)%len(tasks)]
			it = supervise.Item{Kind: supervise.KindTask, Task: t.code, Lead: t.lead}
			if len(t.co) > 0 && t.co[0] != t.lead {
				it.Partners = []string{t.co[0]}
			}
		} else {
			it = supervise.Item{Kind: supervise.KindAdhoc, Title: adhocTitles[i%len(adhocTitles)],
				Source: fmt.Sprintf(adhocSources[i%len(adhocSources)], today.Year(), 2+i%17), Lead: towns[i%len(towns)]}
		}
		assigned := -30 - r.IntN(120)
		it.AssignedOn = day(assigned)
		it.Deadline = clampDay(day(assigned + 40 + r.IntN(200)))
		it.Milestones = []supervise.Milestone{{Title: "制定工作方案", Due: day(assigned + 10)}}
		later := func(days int) string { // the deadline moved on by days
			d, _ := time.Parse(time.DateOnly, it.Deadline)
			return d.AddDate(0, 0, days).Format(time.DateOnly)
		}
		if it.Deadline > later(-90) && later(90) > end { // room for an extension
			it.Deadline = clampDay(day(30))
		}
		var acts []SupervisedAct
		progress := func(text string) SupervisedAct {
			return SupervisedAct{ByUnit: true, In: supervise.ActInput{Act: supervise.ActProgress, Text: text}, File: "工作进展" + strconv.Itoa(i+1) + ".pdf"}
		}
		switch i % 8 {
		case 0: // just assigned, due in a few days: yellow
			it.Deadline = clampDay(day(3 + r.IntN(4)))
		case 1, 2: // being worked on
			acts = append(acts, progress("已制定工作方案,正在推进"), progress("完成阶段性目标,形成工作台账"))
		case 3: // asked to close
			acts = append(acts, progress("主要工作已完成"), SupervisedAct{ByUnit: true, In: supervise.ActInput{Act: supervise.ActRequest, Text: "已按期完成,申请办结"}})
		case 4: // closed
			acts = append(acts, progress("工作已完成"), SupervisedAct{ByUnit: true, In: supervise.ActInput{Act: supervise.ActRequest, Text: "申请办结"}},
				SupervisedAct{In: supervise.ActInput{Act: supervise.ActClose, Text: "经核查已完成,同意销号"}})
		case 5: // a pending extension, urged
			acts = append(acts, progress("受要素制约进度滞后"),
				SupervisedAct{ByUnit: true, In: supervise.ActInput{Act: supervise.ActExtend, Text: "用地手续尚在办理", NewDeadline: later(45)}},
				SupervisedAct{In: supervise.ActInput{Act: supervise.ActUrge, Text: "请加快办理进度,每周报送进展"}})
		case 6: // overdue: red
			it.Deadline = day(-5 - r.IntN(20))
			acts = append(acts, progress("正在协调相关部门"))
		case 7: // returned, then a granted extension
			acts = append(acts, SupervisedAct{ByUnit: true, In: supervise.ActInput{Act: supervise.ActRequest, Text: "申请办结"}},
				SupervisedAct{In: supervise.ActInput{Act: supervise.ActReturn, Text: "佐证材料不全,请补充"}},
				SupervisedAct{ByUnit: true, In: supervise.ActInput{Act: supervise.ActExtend, Text: "补充材料需要时间", NewDeadline: later(30)}},
				SupervisedAct{In: supervise.ActInput{Act: supervise.ActApprove}})
		}
		if it.Deadline < it.AssignedOn {
			it.AssignedOn = day(-40)
		}
		out = append(out, Supervised{Item: it, Acts: acts})
	}
	// One a town says is done while the published figure says otherwise.
	if _, ok := g.plan.Indicator("SVC_VALUE_ADDED"); ok && len(g.towns) > 0 {
		t := g.towns[0]
		for _, v := range assessment.Values {
			if v.Indicator == "SVC_VALUE_ADDED" && v.Unit == t.unit.Code {
				value, _ := plan.Number(v.Value).Rat()
				target, _ := value.Float64()
				out = append(out, Supervised{
					Item: supervise.Item{Kind: supervise.KindAdhoc, Title: t.unit.Name + "2025年服务业增加值目标", Source: "区年度目标责任书",
						Lead: t.unit.Code, AssignedOn: fmt.Sprintf("%d-02-01", assessYear), Deadline: fmt.Sprintf("%d-12-31", assessYear),
						Indicator: "SVC_VALUE_ADDED", Target: strconv.FormatFloat(target*1.25, 'f', 2, 64)},
					Acts: []SupervisedAct{{ByUnit: true, In: supervise.ActInput{Act: supervise.ActRequest, Text: "已完成年度目标"}}},
				})
			}
		}
	}
	// One a town says is done while the directory holds fewer new
	// above-size firms than its target.
	if _, ok := g.plan.Indicator("NEW_ABOVE_SIZE_SVC_FIRMS"); ok && len(g.towns) > 1 {
		t, n := g.towns[1], 0
		for _, f := range g.firms {
			if f.town.unit.Code == t.unit.Code && f.register != "" && f.included != 0 && f.included/12 == today.Year() {
				n++
			}
		}
		out = append(out, Supervised{
			Item: supervise.Item{Kind: supervise.KindAdhoc, Title: fmt.Sprintf("%s%d年新增规上服务业企业", t.unit.Name, today.Year()),
				Source: "区年度目标责任书", Lead: t.unit.Code, AssignedOn: fmt.Sprintf("%d-02-01", today.Year()),
				Deadline: fmt.Sprintf("%d-12-31", today.Year()), Indicator: "NEW_ABOVE_SIZE_SVC_FIRMS", Target: strconv.Itoa(n + 3)},
			Acts: []SupervisedAct{{ByUnit: true, In: supervise.ActInput{Act: supervise.ActRequest, Text: "已完成年度入库培育任务"}}},
		})
	}
	return out
}
