package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"svcplan/internal/buildings"
	"svcplan/internal/money"
)

// Buildings is the demo's 楼宇经济: the buildings, each one's 台账 as the
// office's sheet (its first row the header), and the tax bureau's file of
// monthly figures by firm (its first row the header), from January of
// last year to the last month with data.
type Buildings struct {
	List    []buildings.Building
	Ledgers []Ledger
	Tax     [][]string
	// Visits are two 扫楼 sweeps: one three months ago, confirmed, and one
	// last week, waiting for the staff.
	Visits []SweepVisit
}

// SweepVisit is a visit of a sweep and whether the staff confirmed it.
type SweepVisit struct {
	Visit   buildings.Visit
	Confirm bool
}

// Ledger is one building's 台账.
type Ledger struct {
	Code string
	Rows [][]string
}

// LedgerHeader and TaxHeader are the columns of the demo's sheets.
var (
	LedgerHeader = []string{"楼层", "房号", "面积(㎡)", "用途", "入驻企业", "统一社会信用代码", "使用面积(㎡)", "入驻日期", "迁出日期", "注册在楼", "实际在楼"}
	TaxHeader    = []string{"纳税人识别号", "纳税人名称", "税款所属期", "全口径税收(元)"}
)

var buildingNames = []string{"科创中心", "金融广场", "总部大厦", "医药研发大厦", "数字经济产业园", "商务中心", "电商产业园", "人力资源服务产业园",
	"科技孵化器", "港城广场", "物流大厦", "检验检测中心", "创业大厦", "国际商务港", "文创园", "健康产业园", "滨江大厦", "软件园", "会展中心",
	"财富中心", "智慧谷", "商贸城", "双创中心", "生物医药孵化器", "现代服务业集聚区"}

var buildingThemes = []buildings.Theme{{Name: "医药研发", Classes: []string{"73", "7340"}}, {Name: "数字经济", Classes: []string{"64", "65"}},
	{Name: "现代物流", Classes: []string{"54", "58", "59"}}, {Name: "商务服务", Classes: []string{"72"}}}

// makeBuildings places firms of the directory in 25 buildings across the
// towns, streets and parks, with their tax month by month. The first
// building holds the district's biggest service firms and crosses into
// 亿元楼 this year (1亿元 in the months so far, 9,000万元 in the whole of
// last year).
func (g *generator) makeBuildings() Buildings {
	r := g.rng(streamBuildings)
	var out Buildings
	if len(g.towns) == 0 {
		return out
	}
	year, lastMonth := yearMonth(g.last)
	firstTax := monthIndex(year-1, 1)
	alive := func(f *firm) bool { return monthOf(f.founded) < g.last && f.start+len(f.revenue) > g.last }
	byTown := map[string][]*firm{}
	var big []*firm
	for _, f := range g.firms {
		if alive(f) && f.class.field != nil {
			byTown[f.town.unit.Code] = append(byTown[f.town.unit.Code], f)
			if f.register != "" {
				big = append(big, f)
			}
		}
	}
	ytd := func(f *firm, y int) int64 { // revenue of months 1..lastMonth of year y
		var sum int64
		for m := monthIndex(y, 1); m <= monthIndex(y, lastMonth); m++ {
			if i := m - f.start; i >= 0 && i < len(f.revenue) {
				sum += f.revenue[i]
			}
		}
		return sum
	}
	full := func(f *firm, y int) int64 { // revenue of the whole year y
		var sum int64
		for m := monthIndex(y, 1); m <= monthIndex(y, 12); m++ {
			if i := m - f.start; i >= 0 && i < len(f.revenue) {
				sum += f.revenue[i]
			}
		}
		return sum
	}
	slices.SortFunc(big, func(a, b *firm) int { return cmp.Compare(ytd(b, year), ytd(a, year)) })
	placed := map[*firm]bool{}
	rate := map[*firm][2]float64{} // tax ÷ revenue last year and this year
	day := func(m int) string { y, mo := yearMonth(m); return fmt.Sprintf("%d-%02d-01", y, mo) }
	for i, name := range buildingNames {
		t := &g.towns[i%len(g.towns)]
		floors := 6 + r.IntN(20)
		perFloor := 4 + r.IntN(6)
		b := buildings.Building{Code: fmt.Sprintf("GG-%03d", i+1), Name: t.unit.Name + name, Address: t.unit.Name + "示例路" + strconv.Itoa(8+i*6) + "号",
			Unit: t.unit.Code, Kind: buildings.KindOffice, Floors: floors, Basement: r.IntN(3), Keeper: "示例责任人" + strconv.Itoa(i+1),
			Opened: 2008 + r.IntN(16)}
		switch {
		case i%9 == 4:
			b.Kind = buildings.KindPark
		case i%9 == 8:
			b.Kind = buildings.KindIncubator
		case i%7 == 3:
			b.Kind = buildings.KindComplex
		}
		if floors >= 18 {
			b.Grade = []buildings.Grade{buildings.GradeSuperA, buildings.GradeA, buildings.GradeB}[r.IntN(3)]
		}
		if i%3 == 0 {
			b.Theme = buildingThemes[(i/3)%len(buildingThemes)]
		}
		// home: the firms registered in the 亿元楼.
		var tenants, home []*firm
		if i == 0 { // the 亿元楼: the biggest firms, until they have 1亿元 of revenue
			var rev int64
			for _, f := range big {
				if rev >= int64(money.YiYuan/money.Yuan) {
					break
				}
				tenants, placed[f], rev = append(tenants, f), true, rev+ytd(f, year)
			}
		}
		ledger := Ledger{Code: b.Code, Rows: [][]string{slices.Clone(LedgerHeader)}}
		var gross, rentable int64
		pool := byTown[t.unit.Code]
		next := 0
		for fl := 1; fl <= floors; fl++ {
			for k := 1; k <= perFloor; k++ {
				area := int64(80+r.IntN(520)) * 100
				if i == 0 {
					area += 40000 // room for the big firms
				}
				gross += area * 5 / 4
				room := fmt.Sprintf("%d%02d", fl, k)
				use := "可租"
				if fl == 1 && k == 1 {
					use = "自用"
				} else {
					rentable += area
				}
				row := []string{strconv.Itoa(fl), room, buildings.Area(area).String(), use, "", "", "", "", "", "", ""}
				var f *firm
				switch {
				case use == "自用":
				case i == 0 && len(tenants) > 0:
					f, tenants = tenants[0], tenants[1:]
				case r.Float64() < 0.78:
					for next < len(pool) && placed[pool[next]] {
						next++
					}
					if next < len(pool) {
						f = pool[next]
						placed[f] = true
					}
				}
				if f == nil && use == "可租" && r.Float64() < 0.06 { // a firm the directory lacks: a lead
					row[4], row[6], row[7], row[10] = "示例入驻线索"+b.Code+room, row[2], day(g.last-r.IntN(18)), "是"
				}
				if f != nil {
					from := max(monthOf(f.founded), g.last-60+r.IntN(48))
					reg, present := "是", "是"
					switch x := r.Float64(); {
					case x < 0.08:
						present = "否" // 虚拟注册
					case x < 0.16:
						reg = "否" // 税收不落地
					}
					if i == 0 {
						reg, present = "是", "是"
						home = append(home, f)
					}
					row[4], row[5], row[6], row[7], row[9], row[10] = f.name, f.uscc, row[2], day(from), reg, present
					if _, ok := rate[f]; !ok {
						x := 0.004 + r.Float64()*0.011
						rate[f] = [2]float64{x, x * (0.9 + r.Float64()*0.3)}
					}
				}
				ledger.Rows = append(ledger.Rows, row)
			}
		}
		if len(home) > 0 { // the 亿元楼's firms pay 1.005亿元 in the months so far, 9,000万元 in the whole of last year
			var cur, prior int64
			for _, f := range home {
				cur, prior = cur+ytd(f, year), prior+full(f, year-1)
			}
			for _, f := range home {
				rate[f] = [2]float64{90_000_000 / float64(max(prior, 1)), 100_500_000 / float64(max(cur, 1))}
			}
		}
		b.Gross, b.Rentable = buildings.Area(gross), buildings.Area(rentable)
		out.List = append(out.List, b)
		out.Ledgers = append(out.Ledgers, ledger)
	}
	out.Visits = g.sweeps(r, out.Ledgers)
	out.Tax = [][]string{slices.Clone(TaxHeader)}
	var taxed []*firm
	for f := range rate {
		taxed = append(taxed, f)
	}
	slices.SortFunc(taxed, func(a, b *firm) int { return cmp.Compare(a.uscc, b.uscc) })
	for _, f := range taxed {
		for m := firstTax; m <= g.last; m++ {
			i := m - f.start
			if i < 0 || i >= len(f.revenue) || f.revenue[i] <= 0 {
				continue
			}
			y, mo := yearMonth(m)
			x := rate[f][0]
			if y == year {
				x = rate[f][1]
			}
			out.Tax = append(out.Tax, []string{f.uscc, f.name, fmt.Sprintf("%d-%02d", y, mo), strconv.FormatInt(int64(math.Round(float64(f.revenue[i])*x)), 10)})
		}
	}
	return out
}

// sweeps makes two 扫楼 sweeps of the first buildings after the 亿元楼:
// each visit looks at three rooms of the 台账 — a tenant found as the 台账
// says, one registered here but not found (虚拟注册), and an empty room
// found taken by a firm registered elsewhere.
func (g *generator) sweeps(r *rand.Rand, ledgers []Ledger) []SweepVisit {
	today := g.through.AddDate(0, 0, -1)
	var out []SweepVisit
	for sweep, back := range []int{-90, -7} {
		day := today.AddDate(0, 0, back).Format(time.DateOnly)
		for _, l := range ledgers[min(1, len(ledgers)):min(6, len(ledgers))] {
			v := buildings.Visit{Building: l.Code, Date: day, Team: "街道、税务分局、市场监管所联合扫楼"}
			var found, absent, empty bool
			for _, row := range l.Rows[1+sweep:] {
				room, firm, uscc := row[1], row[4], row[5]
				switch {
				case !found && uscc != "" && row[9] == "是" && row[10] == "是":
					v.Findings, found = append(v.Findings, buildings.Finding{Room: room, Result: buildings.ResultRegistered, Firm: firm, USCC: uscc}), true
				case !absent && uscc != "" && row[9] == "是" && r.IntN(3) == 0:
					v.Findings, absent = append(v.Findings, buildings.Finding{Room: room, Result: buildings.ResultAbsent, Firm: firm, USCC: uscc,
						Note: "现场无人办公,物业称长期未入驻"}), true
				case !empty && firm == "" && row[3] == "可租":
					v.Findings, empty = append(v.Findings, buildings.Finding{Room: room, Result: buildings.ResultUnregistered,
						Firm: "示例扫楼发现企业" + l.Code + room, Note: "注册地在外区"}), true
				}
			}
			if len(v.Findings) > 0 {
				out = append(out, SweepVisit{Visit: v, Confirm: sweep == 0})
			}
		}
	}
	return out
}
