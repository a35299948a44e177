package buildings

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/money"
)

// Diagnosis is the 楼宇经济智能化诊断 of one building on a day (plan
// 三(一)6): where its 单位面积税收 stands in the district, how far it is
// from the next tier, the firms whose registration and presence do not
// agree, the directory's firms that fit its theme, and a few sentences
// that say all this in Chinese. Every figure comes from the board's row,
// the latest space and the directory; nothing is estimated beyond them.
//
// Mismatches and ThemeFit name firms (and ThemeFit their revenue): they
// are firm data, for roles that may see firms only (WithoutFirms drops
// them for the others).
type Diagnosis struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Day  string `json:"day"`
	// Hidden is the row's: the user may not see the building's tax, and
	// the diagnosis then holds no tax figure at all.
	Hidden bool `json:"hidden,omitempty"`
	// PerArea is nil when the building has no 单位面积税收 to show.
	PerArea *PerAreaRank `json:"per_area,omitempty"`
	// Tier is nil when the building's tax is hidden or unknown.
	Tier       *TierOutlook `json:"tier,omitempty"`
	Mismatches Mismatches   `json:"mismatches"`
	// ThemeFit is nil when the building has no theme.
	ThemeFit *ThemeFit `json:"theme_fit,omitempty"`
	// Trend is the occupancy at the last TrendMonths month ends (nil
	// without a 台账 or rentable area).
	Trend     []TrendPoint `json:"occupancy_trend,omitempty"`
	Sentences []string     `json:"sentences"`
}

// PerAreaRank is where a building's 单位面积税收 (tax ÷ gross area, 元/㎡)
// stands among the district's buildings that have one to show. Figures
// are written with no decimals.
type PerAreaRank struct {
	Value string `json:"value"`
	Rank  int    `json:"rank"` // 1 the highest; equal figures share a rank
	Count int    `json:"count"`
	// The district's median and quartiles, by the method of Excel's
	// QUARTILE.INC (see quantile).
	Median   string `json:"median"`
	P25      string `json:"p25"`
	P75      string `json:"p75"`
	Sentence string `json:"sentence"`
}

// TierOutlook is a building's tier, the next one up and what is missing,
// and at its current growth how many years it would take to get there.
type TierOutlook struct {
	Current string    `json:"current,omitempty"` // "" below the lowest tier
	Next    string    `json:"next,omitempty"`    // "" at the highest
	Gap     money.Fen `json:"gap_fen,omitempty"`
	// Growth is the tax's growth on the same months a year earlier; nil
	// when not comparable.
	Growth *big.Rat `json:"-"`
	// Years is how many years of the current growth reach the next tier:
	// 0 when there is none, growth is not positive or it takes more than
	// TierHorizon years.
	Years    int    `json:"years,omitempty"`
	Sentence string `json:"sentence"`
}

// TierHorizon is the most years the diagnosis looks ahead for a tier: a
// building farther away than that at its current growth is said not to
// reach it.
const TierHorizon = 20

// maxListed is how many firms a mismatch list shows; its total counts
// them all.
const maxListed = 200

// maxThemeFit is how many firms a theme fit lists.
const maxThemeFit = 20

// Mismatches are the firms whose 台账, registration and directory address
// do not agree.
type Mismatches struct {
	// Virtual are registered here but not present (虚拟注册).
	Virtual FirmList `json:"virtual"`
	// Elsewhere are present but registered elsewhere (税收不落地).
	Elsewhere FirmList `json:"elsewhere"`
	// Unlisted are firms whose directory address names this building but
	// that have no current occupancy in its space (名录地址在本楼、台账无记录).
	Unlisted FirmList `json:"unlisted"`
}

// FirmList is a list of firms, at most maxListed of them, sorted by USCC
// (firms without one last, by name), and how many there are in all.
type FirmList struct {
	Total int        `json:"total"`
	Firms []FirmLine `json:"firms"`
}

// FirmLine is a firm in a list: its USCC ("" for a lead kept by name),
// name, and the rooms it holds in the building, where known.
type FirmLine struct {
	USCC string `json:"uscc,omitempty"`
	Name string `json:"name"`
	Room string `json:"room,omitempty"` // room numbers joined by 、
}

// ThemeFit is the theme of a 特色楼宇, its concentration and the firms of
// the directory in its classes that are not in the building: those placed
// in no building first, then by revenue, highest first.
type ThemeFit struct {
	Theme         string         `json:"theme"`
	Classes       []string       `json:"classes"`
	Concentration *Concentration `json:"-"` // the row's 主导产业集聚度
	Total         int            `json:"total"`
	Firms         []FitFirm      `json:"firms"`
}

// FitFirm is a firm that fits a building's theme. Placed says it has a
// current occupancy in another building.
type FitFirm struct {
	USCC    string    `json:"uscc"`
	Name    string    `json:"name"`
	Class   string    `json:"class"`
	Revenue money.Fen `json:"revenue_fen"`
	Placed  bool      `json:"placed"`
}

// Diagnose works out the diagnosis of the building of row on day
// (YYYY-MM-DD). all are the rows of the same board, row's among them (the
// district's comparisons); sp is the building's latest space (nil when
// there is none); dir is the directory's firms; placed marks the firms
// with a current occupancy in any building's space.
func Diagnose(row Row, all []Row, sp *Space, dir *firmIndex, placed placedSet, day string) *Diagnosis {
	b := &row.Building
	d := &Diagnosis{Code: b.Code, Name: b.Name, Day: day, Hidden: row.Hidden}
	if !row.Hidden && row.HasTax {
		d.PerArea = perAreaRank(row, all)
		d.Tier = outlook(row)
	}
	here := currentFirms(sp, day)
	d.Mismatches = mismatches(b, dir, here)
	if len(b.Theme.Classes) > 0 {
		d.ThemeFit = themeFit(b.Theme, row.Measures.Theme, dir, here, placed)
	}
	d.Trend = trendOf(b, sp, day)
	d.Sentences = sentences(row, sp, d)
	return d
}

// WithoutFirms is the diagnosis for a role that may not see firms: the
// lists' totals and the sentences stay, the firms go.
func (d *Diagnosis) WithoutFirms() *Diagnosis {
	out := *d
	out.Mismatches.Virtual.Firms = nil
	out.Mismatches.Elsewhere.Firms = nil
	out.Mismatches.Unlisted.Firms = nil
	if d.ThemeFit != nil {
		tf := *d.ThemeFit
		tf.Firms = nil
		out.ThemeFit = &tf
	}
	return &out
}

// perAreaOf is a row's 单位面积税收 in 元/㎡, nil when it has none to show:
// its tax is hidden or unknown, or it has no gross area. Tax is in fen
// and Gross in 0.01 m², so their ratio is 元/㎡ as it stands.
func perAreaOf(r *Row) *big.Rat {
	if r.Hidden || !r.HasTax || r.Building.Gross <= 0 {
		return nil
	}
	return big.NewRat(int64(r.Tax), int64(r.Building.Gross))
}

// growthOf is a row's tax growth on the same months a year earlier, nil
// when it is hidden, unknown or has no positive base.
func growthOf(r *Row) *big.Rat {
	if r.Hidden || !r.HasTax || r.Prior == nil {
		return nil
	}
	g, _ := money.Growth(int64(r.Tax), int64(*r.Prior))
	return g
}

// perAreaRank places row's 单位面积税收 among all's; nil when row has none.
func perAreaRank(row Row, all []Row) *PerAreaRank {
	v := perAreaOf(&row)
	if v == nil {
		return nil
	}
	var vals []*big.Rat
	rank := 1
	for i := range all {
		if x := perAreaOf(&all[i]); x != nil {
			vals = append(vals, x)
			if x.Cmp(v) > 0 {
				rank++
			}
		}
	}
	if len(vals) == 0 { // row is not among all: it is the district alone
		vals = []*big.Rat{v}
	}
	slices.SortFunc(vals, (*big.Rat).Cmp)
	median := quantile(vals, big.NewRat(1, 2))
	p := &PerAreaRank{
		Value:  money.Decimal(v, 0),
		Rank:   rank,
		Count:  len(vals),
		Median: money.Decimal(median, 0),
		P25:    money.Decimal(quantile(vals, big.NewRat(1, 4)), 0),
		P75:    money.Decimal(quantile(vals, big.NewRat(3, 4)), 0),
	}
	cmpWord := "与全区中位数持平"
	switch v.Cmp(median) {
	case 1:
		cmpWord = "高于全区中位数"
	case -1:
		cmpWord = "低于全区中位数"
	}
	p.Sentence = fmt.Sprintf("单位面积税收%s元/㎡,居全区第%d位(共%d栋),%s(%s元/㎡)", p.Value, p.Rank, p.Count, cmpWord, p.Median)
	return p
}

// quantile is the p-quantile of sorted (ascending, not empty) values by
// linear interpolation between the closest ranks, the method of Excel's
// QUARTILE.INC and MEDIAN (R's type 7): h = (n−1)·p, and the value lies
// between the h-th and the next (0-based) in proportion to h's fraction.
// The median of an even count is the mean of the middle two. It is exact.
func quantile(sorted []*big.Rat, p *big.Rat) *big.Rat {
	h := new(big.Rat).Mul(big.NewRat(int64(len(sorted)-1), 1), p)
	i := new(big.Int).Quo(h.Num(), h.Denom()).Int64() // floor: h is not negative
	out := new(big.Rat).Set(sorted[i])
	if int(i)+1 < len(sorted) {
		frac := new(big.Rat).Sub(h, big.NewRat(i, 1))
		step := new(big.Rat).Sub(sorted[i+1], sorted[i])
		out.Add(out, step.Mul(step, frac))
	}
	return out
}

// outlook is a row's tier outlook; the row's tax is visible and known.
func outlook(row Row) *TierOutlook {
	o := &TierOutlook{Current: row.Place.Tier, Next: row.Place.Next, Gap: row.Place.Gap, Growth: growthOf(&row)}
	if o.Next != "" {
		o.Years = yearsTo(row.Tax, row.Tax+row.Place.Gap, o.Growth)
	}
	var parts []string
	if o.Current != "" {
		parts = append(parts, "为"+o.Current)
	}
	g := o.Growth
	if o.Next == "" {
		if g != nil {
			parts = append(parts, growthWords(g))
		}
		o.Sentence = strings.Join(parts, ",")
		return o
	}
	parts = append(parts, "距"+o.Next+"差"+o.Gap.Text(money.WanYuan, 2)+"万元")
	switch {
	case g == nil:
		parts = append(parts, "无上年同期数据,无法估算达到年限")
	case g.Sign() <= 0:
		parts = append(parts, growthWords(g), "按当前增速难以达到")
	case o.Years > 0:
		parts = append(parts, fmt.Sprintf("按当前增速%s%%约%d年可达", money.Percent(g, 1), o.Years))
	default:
		parts = append(parts, fmt.Sprintf("按当前增速%s%%%d年内难以达到", money.Percent(g, 1), TierHorizon))
	}
	o.Sentence = strings.Join(parts, ",")
	return o
}

// growthWords says a growth rate: 同比增长16.5%, 同比下降3.2%, 同比持平.
func growthWords(g *big.Rat) string {
	switch g.Sign() {
	case 1:
		return "同比增长" + money.Percent(g, 1) + "%"
	case -1:
		return "同比下降" + money.Percent(new(big.Rat).Neg(g), 1) + "%"
	}
	return "同比持平"
}

// yearsTo is the fewest whole years in which tax, growing by g a year,
// reaches target: the least n with tax·(1+g)^n ≥ target, which is
// ⌈ln(target/tax) / ln(1+g)⌉, found exactly in integers (with 1+g = a/b:
// tax·aⁿ ≥ target·bⁿ). It is 0 when g is nil or not positive, tax is not
// positive, target is already reached, or it takes more than TierHorizon
// years.
func yearsTo(tax, target money.Fen, g *big.Rat) int {
	if g == nil || g.Sign() <= 0 || tax <= 0 || tax >= target {
		return 0
	}
	r := new(big.Rat).Add(g, big.NewRat(1, 1))
	lhs, rhs := big.NewInt(int64(tax)), big.NewInt(int64(target))
	for n := 1; n <= TierHorizon; n++ {
		lhs.Mul(lhs, r.Num())
		rhs.Mul(rhs, r.Denom())
		if lhs.Cmp(rhs) >= 0 {
			return n
		}
	}
	return 0
}

// tenant is a firm's current occupancies in one space, taken together
// as Measure takes them.
type tenant struct {
	uscc, name          string
	registered, present bool
	rooms               []string
}

// currentFirms are the firms with a current occupancy in sp on day, by
// USCC or, for a lead, by "name:" and its name.
func currentFirms(sp *Space, day string) map[string]*tenant {
	out := map[string]*tenant{}
	if sp == nil {
		return out
	}
	for _, o := range sp.Occupancies {
		if !o.Current(day) {
			continue
		}
		key := o.USCC
		if key == "" {
			key = "name:" + o.Firm
		}
		t := out[key]
		if t == nil {
			t = &tenant{uscc: o.USCC, name: o.Firm}
			out[key] = t
		}
		t.registered = t.registered || o.Registered
		t.present = t.present || o.Present
		if o.Room != "" && !slices.Contains(t.rooms, o.Room) {
			t.rooms = append(t.rooms, o.Room)
		}
	}
	return out
}

// mismatches lists the firms of a building whose registration, presence
// and directory address disagree.
func mismatches(b *Building, dir *firmIndex, here map[string]*tenant) Mismatches {
	var virtual, elsewhere, unlisted []FirmLine
	for _, t := range here {
		name := t.name
		if f, ok := dir.firm(t.uscc); ok && t.uscc != "" && f.Name != "" {
			name = f.Name
		}
		rooms := slices.Clone(t.rooms)
		slices.Sort(rooms)
		line := FirmLine{USCC: t.uscc, Name: name, Room: strings.Join(rooms, "、")}
		switch {
		case t.registered && !t.present:
			virtual = append(virtual, line)
		case t.present && !t.registered:
			elsewhere = append(elsewhere, line)
		}
	}
	for _, code := range dir.naming(b.Name) {
		if _, ok := here[code]; !ok {
			f, _ := dir.firm(code)
			unlisted = append(unlisted, FirmLine{USCC: code, Name: f.Name})
		}
	}
	return Mismatches{Virtual: listOf(virtual), Elsewhere: listOf(elsewhere), Unlisted: listOf(unlisted)}
}

// listOf sorts firms by USCC, those without one last by name, and keeps
// the first maxListed.
func listOf(firms []FirmLine) FirmList {
	slices.SortFunc(firms, func(a, b FirmLine) int {
		if (a.USCC == "") != (b.USCC == "") {
			if a.USCC == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.USCC, b.USCC), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Room, b.Room))
	})
	l := FirmList{Total: len(firms), Firms: firms}
	if len(firms) > maxListed {
		l.Firms = firms[:maxListed:maxListed]
	}
	if l.Firms == nil {
		l.Firms = []FirmLine{}
	}
	return l
}

// namesBuilding reports whether an address's building name (the
// directory's Firm.Building) names the building called name: with all
// white space removed, they are equal, or one contains the other and both
// have at least 4 characters (so that 大厦 alone names no building).
func namesBuilding(addr, name string) bool {
	a, n := compact(addr), compact(name)
	if a == "" || n == "" {
		return false
	}
	if a == n {
		return true
	}
	return utf8.RuneCountInString(a) >= 4 && utf8.RuneCountInString(n) >= 4 &&
		(strings.Contains(a, n) || strings.Contains(n, a))
}

// themeFit lists the directory's firms in a theme's classes that have no
// current occupancy in the building.
func themeFit(th Theme, c *Concentration, dir *firmIndex, here map[string]*tenant, placed placedSet) *ThemeFit {
	tf := &ThemeFit{Theme: th.Name, Classes: th.Classes, Concentration: c, Firms: []FitFirm{}}
	before := func(a, b FitFirm) int {
		if a.Placed != b.Placed {
			if a.Placed {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Revenue, a.Revenue), cmp.Compare(a.USCC, b.USCC))
	}
	// A theme's classes may hold a good part of the directory: keep the
	// first maxThemeFit in order as they come instead of sorting them all.
	var fit []FitFirm
	for class, firms := range dir.byClass {
		if !th.Has(class) {
			continue
		}
		for _, cf := range firms {
			if _, ok := here[cf.uscc]; ok {
				continue
			}
			tf.Total++
			f := FitFirm{USCC: cf.uscc, Class: class, Revenue: cf.revenue, Placed: placed.has(cf.id)}
			if len(fit) == maxThemeFit && before(f, fit[len(fit)-1]) >= 0 {
				continue
			}
			i, _ := slices.BinarySearchFunc(fit, f, before)
			fit = slices.Insert(fit, i, f)
			if len(fit) > maxThemeFit {
				fit = fit[:maxThemeFit]
			}
		}
	}
	for i := range fit {
		f, _ := dir.firm(fit[i].USCC)
		fit[i].Name = f.Name
	}
	if len(fit) > 0 {
		tf.Firms = fit
	}
	return tf
}

// sentences says the diagnosis in four to six Chinese sentences: space,
// registration, tax and tier (or why there is none), 单位面积税收, the
// theme's concentration, and the mismatches.
func sentences(row Row, sp *Space, d *Diagnosis) []string {
	m := &row.Measures
	var out []string
	pct := func(r *big.Rat) string { return money.Percent(r, 1) + "%" }
	switch {
	case sp == nil:
		out = append(out, fmt.Sprintf("尚未导入楼宇台账,可租面积%s㎡的入驻情况不明。", row.Building.Rentable))
	case m.Occupancy == nil:
		out = append(out, "未登记可租面积,入驻率无法计算。")
	default:
		out = append(out, fmt.Sprintf("可租面积%s㎡,已入驻%s㎡,入驻率%s,空置面积%s㎡。", m.Rentable, m.Occupied, pct(m.Occupancy), m.Vacant))
	}
	if t := trendSentence(d.Trend); t != "" {
		out = append(out, t)
	}
	switch {
	case sp == nil || m.Firms == 0:
		out = append(out, "台账中暂无实际在楼企业,属地注册率无法计算。")
	default:
		leads := ""
		if m.Leads > 0 {
			leads = fmt.Sprintf("(%d家未入企业名录)", m.Leads)
		}
		out = append(out, fmt.Sprintf("实际在楼企业%d家%s,其中注册在楼%d家,属地注册率%s。", m.Firms, leads, m.Registered, pct(m.RegistrationRate())))
	}
	switch {
	case row.Hidden:
		out = append(out, "税收数据涉及企业少于3家,不予显示。")
	case !row.HasTax:
		out = append(out, "暂无本楼税收数据。")
	default:
		s := "税收" + row.Tax.Text(money.WanYuan, 2) + "万元"
		if d.Tier != nil && d.Tier.Sentence != "" {
			s += "," + d.Tier.Sentence
		}
		out = append(out, s+"。")
		if d.PerArea != nil {
			out = append(out, d.PerArea.Sentence+"。")
		}
	}
	if tf := d.ThemeFit; tf != nil {
		var parts []string
		if c := tf.Concentration; c != nil {
			if c.Firms != nil {
				parts = append(parts, "企业数占"+pct(c.Firms))
			}
			if c.Area != nil {
				parts = append(parts, "使用面积占"+pct(c.Area))
			}
			if c.Revenue != nil {
				parts = append(parts, "营业收入占"+pct(c.Revenue))
			}
		}
		s := "主导产业(" + tf.Theme + ")暂无在楼企业,集聚度无法计算"
		if len(parts) > 0 {
			s = "主导产业(" + tf.Theme + ")集聚度:" + strings.Join(parts, ",")
		}
		if tf.Total > 0 {
			s += fmt.Sprintf(";名录中另有%d家同类企业不在本楼", tf.Total)
		}
		out = append(out, s+"。")
	}
	mm := &d.Mismatches
	switch {
	case sp == nil && mm.Unlisted.Total == 0:
		out = append(out, "名录中没有地址在本楼的企业。")
	case sp == nil:
		out = append(out, fmt.Sprintf("名录地址在本楼的企业%d家,均无台账入驻记录。", mm.Unlisted.Total))
	case mm.Virtual.Total+mm.Elsewhere.Total+mm.Unlisted.Total == 0:
		out = append(out, "台账、注册地与企业名录一致,未发现虚拟注册或税收不落地。")
	default:
		out = append(out, fmt.Sprintf("虚拟注册(注册在楼但未实际在楼)%d家,税收不落地(在楼但注册在外)%d家,名录地址在本楼但台账无入驻记录%d家。",
			mm.Virtual.Total, mm.Elsewhere.Total, mm.Unlisted.Total))
	}
	return out
}

// The orders Rank knows.
const (
	RankTax          = "tax"          // 税收总额
	RankPerArea      = "per_area"     // 单位面积税收
	RankOccupancy    = "occupancy"    // 入驻率
	RankGrowth       = "growth"       // 税收增速
	RankRegistration = "registration" // 属地注册率
)

// RankKeys lists the orders Rank knows.
var RankKeys = []string{RankTax, RankPerArea, RankOccupancy, RankGrowth, RankRegistration}

// Rank returns the rows in a new slice, ranked by one of RankKeys,
// highest first; rows without the figure (hidden or unknown tax, no
// comparable year, no rentable area, no firms) come last. Ties, and the
// rows without a figure, go by building code. An unknown key orders by
// code alone. rows is left as it is.
func Rank(rows []Row, by string) []Row {
	type keyed struct {
		row Row
		v   *big.Rat
	}
	ks := make([]keyed, len(rows))
	for i := range rows {
		ks[i] = keyed{rows[i], rankValue(&rows[i], by)}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		switch {
		case a.v != nil && b.v != nil:
			if c := b.v.Cmp(a.v); c != 0 {
				return c
			}
		case a.v != nil:
			return -1
		case b.v != nil:
			return 1
		}
		return cmp.Compare(a.row.Building.Code, b.row.Building.Code)
	})
	out := make([]Row, len(ks))
	for i, k := range ks {
		out[i] = k.row
	}
	return out
}

// rankValue is the figure Rank orders a row by, nil when it has none.
func rankValue(r *Row, by string) *big.Rat {
	switch by {
	case RankTax:
		if r.Hidden || !r.HasTax {
			return nil
		}
		return big.NewRat(int64(r.Tax), 1)
	case RankPerArea:
		return perAreaOf(r)
	case RankOccupancy:
		return r.Measures.Occupancy
	case RankGrowth:
		return growthOf(r)
	case RankRegistration:
		return r.Measures.RegistrationRate()
	}
	return nil
}

// Candidate is a building just below a tier (准亿元楼 for 亿元楼): its row,
// its tax growth (nil when not comparable), what it still misses and the
// years its current growth takes to get there (0: it does not, within
// TierHorizon years).
type Candidate struct {
	Row         Row       `json:"row"`
	Growth      *big.Rat  `json:"-"`
	Gap         money.Fen `json:"gap_fen"`
	YearsToTier int       `json:"years_to_tier"`
}

// Candidates are the buildings whose next tier is tier, fastest growing
// first (those without a comparable year last), then the nearest, then
// by code. Rows whose tax is hidden or unknown are left out; so is
// everything when tier is not one of the rules'.
func Candidates(rows []Row, rules TierRules, tier string) []Candidate {
	i := slices.IndexFunc(rules.Tiers, func(t Tier) bool { return t.Name == tier })
	if tier == "" || i < 0 {
		return nil
	}
	target := rules.Tiers[i].Min
	var out []Candidate
	for _, r := range rows {
		if r.Hidden || !r.HasTax || r.Place.Next != tier {
			continue
		}
		g := growthOf(&r)
		out = append(out, Candidate{Row: r, Growth: g, Gap: target - r.Tax, YearsToTier: yearsTo(r.Tax, target, g)})
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		switch {
		case a.Growth != nil && b.Growth != nil:
			if c := b.Growth.Cmp(a.Growth); c != 0 {
				return c
			}
		case a.Growth != nil:
			return -1
		case b.Growth != nil:
			return 1
		}
		return cmp.Or(cmp.Compare(a.Gap, b.Gap), cmp.Compare(a.Row.Building.Code, b.Row.Building.Code))
	})
	return out
}

// TrendMonths is how many month ends the occupancy trend covers.
const TrendMonths = 12

// TrendPoint is a building's occupancy at a month's end (at the
// diagnosis's day for its own month), from the 台账's tenancies and
// their dates: a tenancy that ended stays in the 台账 with its end date.
type TrendPoint struct {
	Month    string `json:"month"` // 2026-06
	Occupied Area   `json:"occupied_area"`
	Vacant   Area   `json:"vacant_area"`
	Rate     string `json:"rate"` // 入驻率 in percent with one decimal, or —
	rate     *big.Rat
}

// trendOf is the occupancy at the last TrendMonths month ends up to day,
// the oldest first; nil without a space or rentable area.
func trendOf(b *Building, sp *Space, day string) []TrendPoint {
	end, err := time.Parse(time.DateOnly, day)
	if sp == nil || b.Rentable <= 0 || err != nil {
		return nil
	}
	out := make([]TrendPoint, TrendMonths)
	first := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	for i := range TrendMonths {
		at := first.AddDate(0, i-TrendMonths+2, -1) // the end of the month i-TrendMonths+1 months from day's
		if i == TrendMonths-1 {
			at = end
		}
		m := Measure(b, sp, at.Format(time.DateOnly), nil)
		out[i] = TrendPoint{Month: at.Format("2006-01"), Occupied: m.Occupied, Vacant: m.Vacant, Rate: money.Percent(m.Occupancy, 1), rate: m.Occupancy}
	}
	return out
}

// trendSentence says how the occupancy moved over the trend.
func trendSentence(t []TrendPoint) string {
	if len(t) < 2 || t[0].rate == nil {
		return ""
	}
	a, z := t[0], t[len(t)-1]
	d := new(big.Rat).Sub(z.rate, a.rate)
	d.Mul(d, big.NewRat(100, 1))
	move := "持平"
	switch pts := money.Decimal(new(big.Rat).Abs(d), 1); {
	case pts == "0.0":
	case d.Sign() > 0:
		move = "上升" + pts + "个百分点"
	default:
		move = "下降" + pts + "个百分点"
	}
	return fmt.Sprintf("按台账的入驻和退租日期,入驻率由%s末的%s%%变为诊断日的%s%%,%s。", monthWords(a.Month), a.Rate, z.Rate, move)
}

// monthWords writes 2026-06 as 2026年6月.
func monthWords(m string) string {
	y, mo, ok := periodOf(m)
	if !ok {
		return m
	}
	return fmt.Sprintf("%d年%d月", y, mo)
}
