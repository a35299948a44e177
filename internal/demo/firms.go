package demo

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"svcplan/internal/industry"
	"svcplan/internal/plan"
	"svcplan/internal/reports"
)

// Registers as the directory's 纳统状态 column writes them.
const (
	registerServices = "规上服务业"
	registerTrade    = "限上批零住餐"
	registerNone     = "未纳统"
)

// generator holds what Generate works with and the firms it makes.
type generator struct {
	plan       *plan.Plan
	table      *industry.Table
	thresholds *industry.Thresholds
	seed       uint64
	through    time.Time // values released on or after it are left out
	last       int       // month index of the last month with data

	classes []class
	towns   []town
	firms   []*firm
}

// class is an industry class the plan's fields cover, with how often firms
// of it are drawn.
type class struct {
	code      string
	field     *plan.Field
	producer  bool
	register  string // registerServices, registerTrade or "" (no 四上 threshold)
	threshold int64  // yuan a year; a nominal one for classes without
	weight    float64
}

// town is a town, street or park of the plan.
type town struct {
	unit   *plan.Unit
	weight float64
	former bool // it was part of the former county 321271 (医药高新区)
}

// firm is a generated enterprise and its monthly figures.
type firm struct {
	class   *class
	town    *town
	founded time.Time
	uscc    string
	name    string
	area    string // 12-digit 数据处理地

	// annual is the firm's revenue rate (yuan a year) of every year from
	// its founding year to the last year with data; size is the rate
	// drawn for sizeYear, before a young firm's ramp-up.
	firstYear int
	annual    []float64
	size      float64

	// revenue is the firm's revenue of every month (yuan) from the month
	// it was founded, index 0, to the last month with data.
	start   int // month index of revenue[0]
	revenue []int64
	// cost, payroll and taxes run in step with revenue, from month index
	// costStart; only firms in the services register have them.
	costStart              int
	cost, payroll, taxes   []int64
	costRate, payRate      float64
	taxRate, yuanPerPerson float64

	register string // registerServices, registerTrade or registerNone
	included int    // month index it entered its register; 0 if it has not
}

// profile is how firms of one field are made.
type profile struct {
	// floor is the Pareto floor of a firm's size (its revenue rate of
	// sizeYear) as a multiple of its class's threshold: above 1, firms of
	// the field are above-size once grown up and revenue totals are
	// large; below 1, many stay small.
	floor float64
	// wanPerPerson is revenue per employee (万元 a year), for headcounts.
	wanPerPerson float64
}

// Field profiles of the shipped plan; fields of other plans fall back to
// their group's category (producerProfile, lifeProfile). The floors are
// tuned so that (default size) about 60% of the firms are above their
// threshold, the services register has about 1,200亿元 of revenue in 2025,
// and producer services bring 55–60% of it. That share makes life-service
// firms large for their low thresholds (500万元 for most): real ones are
// smaller, and producer services' share of revenue larger.
var profiles = map[string]profile{
	"sci-tech":          {floor: 1.64, wanPerPerson: 55},
	"trade-logistics":   {floor: 1.36, wanPerPerson: 140},
	"finance":           {floor: 1.4, wanPerPerson: 250},
	"digital":           {floor: 1.4, wanPerPerson: 70},
	"human-resources":   {floor: 1.28, wanPerPerson: 12},
	"business":          {floor: 1.52, wanPerPerson: 90},
	"resident":          {floor: 3.52, wanPerPerson: 22},
	"culture-tourism":   {floor: 3.28, wanPerPerson: 35},
	"elderly-childcare": {floor: 3.28, wanPerPerson: 18},
	"health":            {floor: 3.12, wanPerPerson: 45},
}

var (
	producerProfile = profile{floor: 1.45, wanPerPerson: 80}
	lifeProfile     = profile{floor: 3.3, wanPerPerson: 30}
)

// Trade firms (批发, 零售, 住宿, 餐饮) are mostly small shops: their floor is
// about a quarter of their threshold, so about one in five is above it.
// Finance has no 四上 threshold; its firms stay outside the registers.
const (
	tradeFloor       = 0.27
	nominalWan int64 = 2000 // threshold assumed for classes without one
)

func (g *generator) profileOf(c *class) profile {
	if pr, ok := profiles[c.field.Code]; ok {
		return pr
	}
	if c.producer {
		return producerProfile
	}
	return lifeProfile
}

// classWeights say how common firms of a class are in a district like
// 高港区 (a river port, a pharmaceutical park, a new city centre). The
// weight of a code is shared by the classes under it; a class takes the
// weight of its longest listed prefix, or 1 if none is listed.
var classWeights = map[string]float64{
	// 生产性服务业
	"51": 420, "5151": 30, "5154": 12, "5162": 10, "5164": 15, "5165": 15, "5169": 20, // wholesale, with 医药, 化工, 建材
	"53": 1, "54": 18, "543": 60, "5442": 10, "55": 10, "5523": 22, "553": 26, "56": 0.2, "57": 0.2,
	"58": 4, "5810": 10, "5821": 45, "59": 12, "5910": 10, "5920": 16, "5930": 8, "5942": 10, "60": 2, "6020": 14, "7224": 40,
	"63": 4, "64": 22, "65": 55, "6520": 8, "6550": 10,
	"73": 12, "7320": 14, "7340": 28, "74": 10, "745": 25, "748": 28, "749": 12, "75": 10, "7513": 8, "7530": 12, "7540": 10,
	"71": 10, "7111": 6, "7113": 6, "721": 12, "7211": 8, "7221": 10, "7222": 6, "7223": 4, "723": 8, "724": 16, "7241": 8,
	"725": 14, "727": 10, "728": 8, "729": 14, "7520": 6,
	"726": 40, "7263": 18,
	"66": 26, "67": 6, "68": 14, "69": 6, "7212": 14,
	// 生活性服务业
	"52": 420, "5211": 10, "5212": 25, "5251": 20, "5261": 22, "5265": 12, "5292": 26,
	"7020": 110, "80": 30, "8010": 28, "8040": 10, "8053": 6, "81": 8, "8111": 16, "82": 4, "8211": 8,
	"61": 30, "62": 170, "6210": 45, "86": 4, "87": 8, "88": 6, "89": 10, "8930": 8, "90": 8, "7291": 14, "785": 2, "786": 3,
	"85": 14, "8514": 22, "8512": 6, "8020": 8,
	"84": 34, "8415": 8, "8425": 8, "8491": 6, "8492": 5, "7244": 8,
}

// skipClasses are classes of the plan's fields that no firm of a district
// statistics directory would carry: public bodies, regulators, services a
// district has none of.
var skipClasses = []string{
	"5311", "5312", "5313", "5331", "5333", "5412", "5414", "5511", "5611", "5612", "5631", "5632", "5710",
	"6010", "6321", "6322", "6331", "6339", "6610", "6622", "6624", "6650", "6711", "6741", "6750", "6870",
	"6950", "6991", "7215", "7232", "7261", "8431", "8432", "8433", "8434", "8435", "8436", "8511", "8516",
	"8610", "8622", "8710", "8720", "8740", "8831", "8832", "8860", "9041", "9042", "5128", "5227",
}

// townWeights say how many of the district's service firms each town,
// street or park holds (by division code); unknown units weigh 1.
var townWeights = map[string]float64{
	"321203001": 9,  // 口岸街道, the old town centre
	"321203002": 4,  // 刁铺街道
	"321203003": 3,  // 许庄街道
	"321203004": 12, // 凤凰街道, the new city centre
	"321203005": 6,  // 寺巷街道
	"321203006": 5,  // 明珠街道
	"321203007": 5,  // 沿江街道 (化学新材料产业园)
	"321203100": 6,  // 永安洲镇 (港口物流产业园)
	"321203101": 2,  // 白马镇
	"321203103": 1.5,
	"321203104": 1.5,
	"321203105": 3, // 野徐镇
	"321203400": 1.5,
	"321203401": 10, // 生物医药产业园 (中国医药城)
	"321203402": 2,
}

// fieldTowns make some fields gather where the plan puts them: logistics
// at the port, science and health in the pharmaceutical park.
var fieldTowns = map[string]map[string]float64{
	"trade-logistics": {"321203100": 4, "321203007": 3},
	"sci-tech":        {"321203401": 4},
	"health":          {"321203401": 2},
	"digital":         {"321203402": 3, "321203401": 1.5},
	"finance":         {"321203004": 2},
	"business":        {"321203004": 1.5},
}

// prepare lists the classes and towns firms are drawn from.
func (g *generator) prepare() error {
	producer := map[string]bool{}
	for _, fg := range g.plan.FieldGroups {
		producer[fg.Code] = fg.Category == "producer"
	}
	type pick struct {
		c      class
		prefix string
	}
	var picks []pick
	shares := map[string]int{} // classes under each listed prefix
	for _, e := range g.table.Entries() {
		if e.Level != industry.LevelClass || slices.Contains(skipClasses, e.Code) {
			continue
		}
		f, ok := g.plan.FieldOfIndustry(e.Code)
		if !ok {
			continue
		}
		c := class{code: e.Code, field: f, producer: producer[f.Group], threshold: nominalWan * 10_000}
		if rule, ok := g.thresholds.For(e.Code); ok && rule.AmountWan > 0 {
			c.threshold = rule.AmountWan * 10_000
			switch rule.Scope.Register() {
			case industry.RegisterServices:
				c.register = registerServices
			case industry.RegisterTrade:
				c.register = registerTrade
			}
		}
		prefix := longestPrefix(e.Code, classWeights)
		shares[prefix]++
		picks = append(picks, pick{c, prefix})
	}
	for _, pk := range picks {
		pk.c.weight = 1
		if pk.prefix != "" {
			pk.c.weight = classWeights[pk.prefix] / float64(shares[pk.prefix])
		}
		g.classes = append(g.classes, pk.c)
	}
	if len(g.classes) == 0 {
		return errors.New("demo: no industry class of the table belongs to a field of the plan")
	}

	for i := range g.plan.Units {
		u := &g.plan.Units[i]
		if u.Kind != plan.KindSubdistrict && u.Kind != plan.KindTown && u.Kind != plan.KindPark || len(u.DivisionCode) != 9 {
			continue
		}
		w, ok := townWeights[u.DivisionCode]
		if !ok {
			w = 1
		}
		former := slices.ContainsFunc(u.FormerCodes, func(c string) bool { return strings.HasPrefix(c, "321271") })
		g.towns = append(g.towns, town{unit: u, weight: w, former: former})
	}
	if len(g.towns) == 0 {
		return errors.New("demo: the plan has no town, street or park with a 9-digit division code")
	}
	return nil
}

// longestPrefix returns the longest key of m that prefixes code, or "".
func longestPrefix(code string, m map[string]float64) string {
	for n := len(code); n > 0; n-- {
		if _, ok := m[code[:n]]; ok {
			return code[:n]
		}
	}
	return ""
}

// makeFirms draws each firm's class, town and founding date.
func (g *generator) makeFirms(n int) {
	r := g.rng(streamFirms)
	classW := make([]float64, len(g.classes))
	for i, c := range g.classes {
		classW[i] = c.weight
	}
	pickClass := newPicker(classW)

	// Founding years 2005 to the last year with data, each year 9% more
	// firms than the year before; the last year only up to its last month.
	lastYear, lastMonth := yearMonth(g.last)
	var years []int
	var yearW []float64
	for y := 2005; y <= lastYear; y++ {
		w := math.Pow(1.09, float64(y-2005))
		if y == lastYear {
			w *= float64(lastMonth) / 12
		}
		years, yearW = append(years, y), append(yearW, w)
	}
	pickYear := newPicker(yearW)

	townPickers := map[string]*picker{}
	for i := 0; i < n; i++ {
		c := &g.classes[pickClass.pick(r)]
		tp, ok := townPickers[c.field.Code]
		if !ok {
			w := make([]float64, len(g.towns))
			for j, t := range g.towns {
				w[j] = t.weight * cmp.Or(fieldTowns[c.field.Code][t.unit.DivisionCode], 1)
			}
			tp = newPicker(w)
			townPickers[c.field.Code] = tp
		}
		y := years[pickYear.pick(r)]
		lastDay := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		if y == lastYear {
			lastDay = time.Date(y, time.Month(lastMonth)+1, 0, 0, 0, 0, 0, time.UTC)
		}
		first := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		days := int(lastDay.Sub(first).Hours()/24) + 1
		founded := first.AddDate(0, 0, r.IntN(days))
		g.firms = append(g.firms, &firm{class: c, town: &g.towns[tp.pick(r)], founded: founded})
	}
}

// Pareto shape of firm sizes.
const alpha = 1.2

// ageWeight is how much a firm's age, against chance, decides its size.
const ageWeight = 0.5

// sizeFirms gives each firm its size, its revenue rate of sizeYear:
// floor × U^(−1/α). Within each field and register the U are stratified —
// one from each of n equal slices of (0, 1) — so that the totals of a
// field hardly depend on luck while sizes stay heavy-tailed; the five
// largest firms take the middle of their slices, which bounds the
// largest.
func (g *generator) sizeFirms() {
	r := g.rng(streamSizes)
	groups := map[string][]*firm{}
	var keys []string
	for _, f := range g.firms {
		k := f.class.field.Code + "/" + f.class.register
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fs := groups[k]
		n := len(fs)
		// Slices go to firms in the order of a key that mixes their age
		// with chance: the largest firms tend to be old ones.
		byAge := slices.Clone(fs)
		slices.SortStableFunc(byAge, func(a, b *firm) int { return a.founded.Compare(b.founded) })
		key := map[*firm]float64{}
		for i, f := range byAge {
			key[f] = ageWeight*float64(i)/float64(n) + (1-ageWeight)*r.Float64()
		}
		slices.SortStableFunc(byAge, func(a, b *firm) int { return cmp.Compare(key[a], key[b]) })
		for slice, f := range byAge {
			v := r.Float64()
			if slice < 5 {
				v = 0.5 // the largest firms: the middle of their slices
			}
			u := (float64(slice) + v) / float64(n)
			floor := g.profileOf(f.class).floor
			if f.class.register == registerTrade {
				floor = tradeFloor
			}
			f.size = float64(f.class.threshold) * floor * math.Pow(u, -1/alpha)
		}
	}
}

// picker draws indexes with given weights.
type picker struct{ cum []float64 }

func newPicker(weights []float64) *picker {
	p := &picker{cum: make([]float64, len(weights))}
	sum := 0.0
	for i, w := range weights {
		sum += w
		p.cum[i] = sum
	}
	return p
}

func (p *picker) pick(r *rand.Rand) int {
	x := r.Float64() * p.cum[len(p.cum)-1]
	i, _ := slices.BinarySearch(p.cum, x)
	return min(i, len(p.cum)-1)
}

// Month indexes count months from year 0: year×12 + month − 1.
func monthIndex(year, month int) int { return year*12 + month - 1 }

func monthOf(t time.Time) int { return monthIndex(t.Year(), int(t.Month())) }

func yearMonth(m int) (int, int) { return m / 12, m%12 + 1 }

func periodIndex(p reports.Period) int { return monthIndex(p.Year(), p.Month()) }

// monthText writes a month index as YYYY-MM.
func monthText(m int) string {
	y, mo := yearMonth(m)
	return time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}
