package demo

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"svcplan/internal/assess"
	"svcplan/internal/indicators"
	"svcplan/internal/monitor"
	"svcplan/internal/plan"
)

// The demo's assessment: a 2025 scheme for the towns and streets and for
// the parks, with an item of every scoring family, each unit's 2025
// figures as the bureau published them, and the facts the 考核办 entered.

// Assessment is the demo's scheme file, the units' published figures it
// reads and the facts entered for it.
type Assessment struct {
	Scheme []byte
	Values []indicators.Input
	Facts  []assess.Fact
}

// assessYear is the year the demo scores.
const assessYear = 2025

// makeAssessment writes the scheme, each assessed unit's published 2025
// value added, its growth and its producer services' share (the
// district's figures spread over the units by their weight, with noise),
// and the facts of the 加分, 扣分 and 否决 items.
func (g *generator) makeAssessment() Assessment {
	for _, code := range []string{"SVC_VALUE_ADDED", "SVC_VALUE_ADDED_GROWTH", "PRODUCER_SVC_VA_SHARE"} {
		if _, ok := g.plan.Indicator(code); !ok {
			return Assessment{} // another district's plan: no demo scheme
		}
	}
	r := g.rng(streamAssess)
	var towns, parks []*town
	for i := range g.towns {
		t := &g.towns[i]
		switch t.unit.Kind {
		case plan.KindPark:
			parks = append(parks, t)
		case plan.KindTown, plan.KindSubdistrict:
			towns = append(towns, t)
		}
	}
	district := designed["SVC_VALUE_ADDED"].years[assessYear]
	growth := designed["SVC_VALUE_ADDED_GROWTH"].years[assessYear]
	share := designed["PRODUCER_SVC_VA_SHARE"].years[assessYear]
	on, vintage := accounts.of(monitor.Period{Year: assessYear}, g.through)
	var values []indicators.Input
	publish := func(code string, t *town, v float64, decimals int) {
		values = append(values, indicators.Input{Indicator: code, Unit: t.unit.Code, Period: strconv.Itoa(assessYear),
			Value: strconv.FormatFloat(v, 'f', decimals, 64), ReleasedOn: on.Format("2006-01-02"), Vintage: vintage,
			Source: indicators.Imported, SourceRef: SourceRef, Publish: true})
	}
	total := 0.0
	for _, t := range append(append([]*town{}, towns...), parks...) {
		total += t.weight
	}
	var b strings.Builder
	fmt.Fprintf(&b, `code: %d-units
name: %d年度镇街、园区现代服务业目标管理考核(示例)
year: %d
period: "%d"
total: 100
ties: item:va_growth
grades:
  - {name: 优秀, min: 90, quota_pct: 20}
  - {name: 良好, min: 80}
  - {name: 合格, min: 60}
  - {name: 不合格, min: 0}
groups:
`, assessYear, assessYear, assessYear, assessYear)
	facts := []assess.Fact{}
	for _, grp := range []struct {
		code, name string
		units      []*town
	}{{"towns", "镇(街道)", towns}, {"parks", "园区", parks}} {
		if len(grp.units) == 0 {
			continue
		}
		var codes, shares, targets []string
		sum := 0
		for i, t := range grp.units {
			codes = append(codes, strconv.Quote(t.unit.Code))
			pct := int(math.Round(100 * t.weight / weightOf(grp.units)))
			if i == len(grp.units)-1 {
				pct = 100 - sum
			}
			sum += pct
			shares = append(shares, fmt.Sprintf("%q: %d", t.unit.Code, pct))
			targets = append(targets, fmt.Sprintf("%q: %d", t.unit.Code, 1+r.IntN(3)))
			va := district * t.weight / total * (0.9 + 0.25*r.Float64())
			publish("SVC_VALUE_ADDED", t, va, 2)
			publish("SVC_VALUE_ADDED_GROWTH", t, growth-2.5+5*r.Float64(), 1)
			publish("PRODUCER_SVC_VA_SHARE", t, share-12+20*r.Float64(), 1)
			if r.IntN(3) == 0 {
				facts = append(facts, assess.Fact{Group: grp.code, Item: "honours", Unit: t.unit.Code, Value: strconv.Itoa(1 + r.IntN(4)),
					Evidence: "省级表彰文件(示例)"})
			}
			if r.IntN(4) == 0 {
				facts = append(facts, assess.Fact{Group: grp.code, Item: "data_quality", Unit: t.unit.Code, Value: strconv.Itoa(1 + r.IntN(2)),
					Evidence: "区统计局数据质量通报(示例)"})
			}
			facts = append(facts, assess.Fact{Group: grp.code, Item: "investment", Unit: t.unit.Code,
				Value: strconv.FormatFloat(4+8*r.Float64(), 'f', 2, 64), Evidence: "区投资促进中心台账(示例)"})
		}
		if grp.code == "towns" {
			facts = append(facts, assess.Fact{Group: grp.code, Item: "falsified", Unit: grp.units[len(grp.units)-1].unit.Code, Value: "1",
				Evidence: "市统计局执法检查决定书(示例)"})
		}
		sort.Strings(shares)
		sort.Strings(targets)
		fmt.Fprintf(&b, `  - code: %s
    name: %s
    units: [%s]
    items:
      - {code: va, indicator: SVC_VALUE_ADDED, points: 25, source: indicator, rule: {family: proportional},
         decompose: {total: %.0f, shares: {%s}}, note: "完成目标满分,未完成按完成比例得分"}
      - {code: va_growth, indicator: SVC_VALUE_ADDED_GROWTH, points: 20, source: indicator, target: %.1f,
         rule: {family: step, base: 16, step: 0.5, step_points: 0.5, floor: 8, cap: 20}, note: "达到目标得基本分,每超出或低于0.5个百分点加减0.5分"}
      - {code: producer, indicator: PRODUCER_SVC_VA_SHARE, points: 10, source: indicator, rule: {family: best},
         note: "最高者得满分,其余按与最高值之比得分"}
      - {code: signed, name: 新签约亿元以上服务业项目, unit: 个, points: 15, source: projects_signed, targets: {%s},
         rule: {family: step, base: 12, step: 1, step_points: 1.5, floor: 6, cap: 15}, note: "完成得基本分,每多或少1个加减1.5分"}
      - {code: started, name: 新开工亿元以上服务业项目, unit: 个, points: 10, source: projects_started, target: 1,
         rule: {family: proportional}, note: "完成目标满分,未完成按比例得分"}
      - {code: completed, name: 新竣工亿元以上服务业项目, unit: 个, points: 10, source: projects_completed,
         rule: {family: rank, step_points: 1, floor: 4}, note: "第1名得满分,每低一名减1分"}
      - {code: investment, name: 服务业招商引资到位资金, unit: 亿元, points: 10, source: entered, target: 8,
         rule: {family: proportional, cap: 12}, note: "按比例得分,最高12分"}
      - {code: honours, name: 获省级以上服务业表彰, unit: 项, source: entered, rule: {family: bonus, per_item: 1, cap: 3}}
      - {code: data_quality, name: 统计数据质量问题被通报, unit: 次, source: entered, rule: {family: deduct, per_item: 2, cap: 4}}
      - {code: falsified, name: 发生统计造假、弄虚作假, unit: 起, source: entered, rule: {family: veto, grade: 不合格},
         note: "依《统计法》,一票否决"}
`, grp.code, grp.name, strings.Join(codes, ", "), district*weightOf(grp.units)/total, strings.Join(shares, ", "), growth,
			strings.Join(targets, ", "))
	}
	return Assessment{Scheme: []byte(b.String()), Values: values, Facts: facts}
}

func weightOf(ts []*town) float64 {
	w := 0.0
	for _, t := range ts {
		w += t.weight
	}
	return w
}
