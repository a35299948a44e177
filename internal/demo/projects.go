package demo

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
)

// Projects of the ledger: about 24 are signed each year from 2021 on; they
// start 3–10 months later (one in ten without a 签约 record; a few signed
// in the last year still wait) and complete 12–36 months after starting
// (one in ten stalls), some then reaching 投产. Totals are log-uniform between 0.6 and 15亿元 (so about one
// in six stays under the 1亿元 line), one in twelve is a US-dollar project.
// A stage is certified 10–45 days after it, unless that is after the data
// ends. One in eight starts months later than planned.
const (
	projectsPerYear  = 24
	firstProjectYear = 2021
)

// projectNames are the project words of each of the shipped plan's
// fields; another plan's fields get 服务业项目.
var projectNames = map[string][]string{
	"sci-tech":          {"生物医药研发外包服务平台", "检验检测认证中心", "科技成果转化中心", "概念验证中心"},
	"trade-logistics":   {"智慧物流园", "冷链物流中心", "港口综合物流枢纽", "跨境电商产业园"},
	"finance":           {"金融科技服务中心", "供应链金融服务平台"},
	"digital":           {"数字经济产业园", "数据中心", "软件和信息服务产业园"},
	"human-resources":   {"人力资源服务产业园"},
	"business":          {"总部经济大楼", "商务服务中心", "会展中心"},
	"resident":          {"城市商业综合体", "邻里中心", "社区商业中心"},
	"culture-tourism":   {"文旅综合体", "滨江文化旅游区", "体育旅游示范基地"},
	"elderly-childcare": {"康养中心", "养老服务综合体", "托育服务中心"},
	"health":            {"医疗健康服务中心", "康复医院", "医学检验中心"},
}

var leaders = []string{"陈建国", "王立新", "李文华", "张海峰", "刘志刚", "周明"}

// makeProjects generates the ledger.
func (g *generator) makeProjects() []projects.Project {
	r := g.rng(streamProjects)
	lastDay := g.through.AddDate(0, 0, -1)
	date := func(t time.Time) string { return t.Format(time.DateOnly) }
	var out []projects.Project
	for year := firstProjectYear; year <= g.through.Year(); year++ {
		for i := range projectsPerYear {
			f := g.plan.Fields[r.IntN(len(g.plan.Fields))]
			place := g.towns[r.IntN(len(g.towns))].unit
			signed := time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			if signed.After(lastDay) {
				continue
			}
			words := projectNames[f.Code]
			if len(words) == 0 {
				words = []string{"服务业项目"}
			}
			brand := string(brandChars[r.IntN(len(brandChars))]) + string(brandChars[r.IntN(len(brandChars))])
			p := projects.Project{
				Code:    fmt.Sprintf("GG-%d-%03d", year, i+1),
				Name:    place.Name + brand + words[r.IntN(len(words))] + "项目",
				Builder: "泰州" + brand + "发展有限公司", Field: f.Code, Unit: place.Code,
				Leader: leaders[r.IntN(len(leaders))],
			}
			if len(f.Lead) > 0 {
				p.Units = append(p.Units, projects.UnitRole{Unit: f.Lead[0], Role: projects.RoleLead})
			}
			if len(f.Lead) > 1 {
				p.Units = append(p.Units, projects.UnitRole{Unit: f.Lead[1], Role: projects.RoleCo})
			}
			// 0.6–15亿元, log-uniform, to the 100万元.
			wan := int64(math.Exp(math.Log(6000)+r.Float64()*math.Log(15e4/6000))) / 100 * 100
			p.Investment = projects.Investment{TotalFen: money.Fen(wan) * money.WanYuan, Currency: projects.CNY}
			if r.IntN(12) == 0 {
				usd := wan * 10_000 * 10 / 71 // dollars at 7.1元
				p.Investment = projects.Investment{TotalFen: money.Fen(wan) * money.WanYuan, Currency: "USD",
					ForeignMinor: usd * 100, Conversion: "签约日人民银行中间价1美元=7.1元"}
			}
			if r.IntN(4) == 0 {
				p.Level, p.LevelYear = projects.LevelCity, year
				p.LevelList = fmt.Sprintf("%d年市重大项目清单", year)
			}
			started := signed.AddDate(0, 3+r.IntN(8), r.IntN(20))
			completed := started.AddDate(0, 12+r.IntN(25), r.IntN(20))
			planned, plannedEnd := started.AddDate(0, -r.IntN(2), 0), completed.AddDate(0, r.IntN(3), 0)
			if r.IntN(8) == 0 {
				planned = started.AddDate(0, -4-r.IntN(5), 0) // late
			}
			p.PlannedStart, p.PlannedEnd = date(planned), date(plannedEnd)
			g.planYears(&p, planned)
			skipSign := r.IntN(10) == 0
			// Most projects start and complete; one signed within the last
			// year may still wait, and one in ten stalls after starting.
			willStart := signed.After(lastDay.AddDate(-1, 0, 0)) && r.IntN(3) != 0 || r.IntN(20) != 0
			willComplete := r.IntN(10) != 0
			add := func(s projects.Stage, on time.Time) bool {
				if on.After(lastDay) {
					return false
				}
				e := projects.Event{Stage: s, On: date(on)}
				if s == projects.StageSigned {
					e.Evidence, e.Attachment = "项目投资协议已签订", "投资协议.pdf"
				}
				if cert := on.AddDate(0, 0, 10+r.IntN(36)); !cert.After(lastDay) && s != projects.StagePlanning {
					e.Certified = &projects.Certification{On: date(cert), Body: "泰州市发展和改革委员会"}
				}
				p.Events = append(p.Events, e)
				return true
			}
			add(projects.StagePlanning, signed.AddDate(0, -2, 0))
			if !skipSign {
				add(projects.StageSigned, signed)
			}
			if willStart && add(projects.StageStarted, started) && willComplete && add(projects.StageCompleted, completed) {
				add(projects.StageOperating, completed.AddDate(0, 3+r.IntN(4), 0))
			}
			out = append(out, p)
		}
	}
	return out
}

// planYears spreads a project's total over the years from its planned
// start, 30% / 50% / 20%.
func (g *generator) planYears(p *projects.Project, start time.Time) {
	total := p.Investment.TotalFen
	shares := []int64{30, 50, 20}
	var left = total
	for i, sh := range shares {
		fen := total * money.Fen(sh) / 100 / money.WanYuan * money.WanYuan
		if i == len(shares)-1 {
			fen = left
		}
		left -= fen
		p.Plans = append(p.Plans, projects.YearPlan{Year: start.Year() + i, Fen: fen})
	}
}

// makeProgress files the monthly rounds of the data's last year for every
// project in them: year-to-date investment near the plan's pace (60–130%
// of it), since-start figures that include earlier years' plans, 入库 from
// the month it started; a project not started yet reports its
// preparatory work. One project in four has not filed the last month yet.
func (g *generator) makeProgress(ps []projects.Project) []projects.ProgressInput {
	r := g.rng(streamProgress)
	year, lastMonth := yearMonth(g.last)
	var out []projects.ProgressInput
	for _, p := range ps {
		start, started := p.Event(projects.StageStarted)
		if !started {
			// Not started: the unit reports the preparatory work.
			from := fmt.Sprintf("%d-01", year)
			if len(p.Events) > 0 && p.Events[0].On[:7] > from {
				from = p.Events[0].On[:7]
			}
			for m := 1; m <= lastMonth; m++ {
				if period := fmt.Sprintf("%d-%02d", year, m); period >= from && !(m == lastMonth && r.IntN(4) == 0) {
					out = append(out, projects.ProgressInput{Project: p.Code, Period: period, Image: "前期手续办理中"})
				}
			}
			continue
		}
		var plan, before money.Fen
		for _, y := range p.Plans {
			switch {
			case y.Year == year:
				plan = y.Fen
			case y.Year < year:
				before += y.Fen
			}
		}
		if done, ok := p.Event(projects.StageCompleted); ok && done.On < fmt.Sprintf("%d-01-01", year) {
			continue
		}
		pace := 0.6 + 0.7*r.Float64()
		skipLast := r.IntN(4) == 0
		fai := start.On[:7]
		for m := 1; m <= lastMonth; m++ {
			period := fmt.Sprintf("%d-%02d", year, m)
			if period < start.On[:7] || m == lastMonth && skipLast {
				continue
			}
			ytd := money.Fen(float64(plan)*pace*float64(m)/12) / money.WanYuan * money.WanYuan
			since := min(before*9/10+ytd, p.Investment.TotalFen)
			ytd = min(ytd, since)
			in := projects.ProgressInput{Project: p.Code, Period: period, YTDFen: ytd, SinceStartFen: since,
				Image: progressWords[min(m*len(progressWords)/13, len(progressWords)-1)]}
			if fai <= period {
				in.InFAI, in.FAIMonth = true, max(fai, fmt.Sprintf("%d-01", year))
				if in.FAIMonth > period {
					in.FAIMonth = period
				}
			}
			out = append(out, in)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out
}

// makeFAI writes the bureau's list of each month but the last: every
// project the units say is 入库, at 85–100% of what they filed (the bureau
// counts only what the statistics accept), and three projects of other
// industries that the ledger does not hold.
func (g *generator) makeFAI(ps []projects.Project, filed []projects.ProgressInput) []FAIFile {
	r := g.rng(streamFAI)
	names := make(map[string]string, len(ps))
	for _, p := range ps {
		names[p.Code] = p.Name
	}
	share := map[string]int64{} // per project, in per mille
	_, lastMonth := yearMonth(g.last)
	byPeriod := map[string][][]string{}
	var periods []string
	for _, in := range filed {
		if !in.InFAI || in.Period[5:] == fmt.Sprintf("%02d", lastMonth) {
			continue
		}
		if _, ok := share[in.Project]; !ok {
			share[in.Project] = 850 + r.Int64N(151)
		}
		if byPeriod[in.Period] == nil {
			periods = append(periods, in.Period)
		}
		wan := int64(in.YTDFen/money.WanYuan) * share[in.Project] / 1000
		byPeriod[in.Period] = append(byPeriod[in.Period], []string{names[in.Project], strconv.FormatInt(wan, 10)})
	}
	others := []string{"某新材料有限公司年产5万吨功能性材料项目", "某汽车零部件智能制造项目", "某精细化工技改项目"}
	var out []FAIFile
	for _, period := range periods {
		m, _ := strconv.Atoi(period[5:])
		rows := [][]string{{"序号", "项目名称", "项目代码", "本年完成投资(万元)"}}
		for i, o := range others {
			byPeriod[period] = append(byPeriod[period], []string{o, strconv.Itoa((i + 2) * 1800 * m)})
		}
		for i, row := range byPeriod[period] {
			code := fmt.Sprintf("24321203%02d%06d", m, 100+i)
			rows = append(rows, []string{strconv.Itoa(i + 1), row[0], code, row[1]})
		}
		out = append(out, FAIFile{Period: period, Rows: rows})
	}
	return out
}

var progressWords = []string{"场地平整", "桩基施工", "基础施工", "主体结构施工", "主体结构封顶", "幕墙安装", "室内装修", "设备安装调试", "竣工验收准备"}

// makeAttractions credits about half the firms that entered the
// statistics in the data's last year to departments (五(四)): the
// department leading the firm's field, one in four shared 60/40 with a
// second one.
func (g *generator) makeAttractions() []projects.Attraction {
	r := g.rng(streamAttractions)
	year, _ := yearMonth(g.last)
	var out []projects.Attraction
	for _, f := range g.firms {
		if f.included == 0 || f.register != registerServices && f.register != registerTrade {
			continue
		}
		if y, _ := yearMonth(f.included); y != year || r.IntN(2) == 0 || len(f.class.field.Lead) == 0 {
			continue
		}
		lead := f.class.field.Lead[0]
		if !isDepartment(g, lead) {
			continue
		}
		a := projects.Attraction{Year: year, USCC: f.uscc, Credits: []projects.Credit{{Unit: lead, Role: projects.RoleLead, SharePct: 100}}}
		if co := "development-reform"; r.IntN(4) == 0 && co != lead && isDepartment(g, co) {
			a.Credits[0].SharePct = 60
			a.Credits = append(a.Credits, projects.Credit{Unit: co, Role: projects.RoleCo, SharePct: 40})
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].USCC < out[j].USCC })
	return out
}

func isDepartment(g *generator, code string) bool {
	u, ok := g.plan.Unit(code)
	return ok && u.Kind == plan.KindDepartment
}
