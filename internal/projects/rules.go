package projects

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"svcplan/internal/money"
)

// FieldOther marks a project outside the plan's ten service fields: kept
// in the ledger, never counted toward the service-project targets.
const FieldOther = "other"

// DateBasis is which date places a counted event in a year.
type DateBasis string

// Date bases.
const (
	DateStage     DateBasis = "stage"     // the date the project signed, started or completed
	DateCertified DateBasis = "certified" // the date that was certified
)

// Rules say which projects count toward the yearly targets and in which
// year. They are data: an administrator edits them, every version kept.
type Rules struct {
	// MinTotalFen is the least total planned investment of a domestic
	// project that counts (≥).
	MinTotalFen money.Fen `json:"min_total_fen"`
	// ForeignMin is, per currency, the least total in that currency's
	// minor unit (≥); a foreign project in a currency without a line
	// counts by its yuan equivalent against MinTotalFen.
	ForeignMin map[string]int64 `json:"foreign_min"`
	// FieldsOnly counts only projects in the plan's service fields.
	FieldsOnly bool `json:"fields_only"`
	// CertifiedOnly counts an event only once it is certified.
	CertifiedOnly bool      `json:"certified_only"`
	Date          DateBasis `json:"date"`
	// Flags are the bands of the delay warnings.
	Flags FlagRules `json:"flags"`
}

// DefaultRules are the rules of doc/projects.md: 亿元以上 domestic and
// 千万美元以上 foreign projects of the service fields, counted once
// certified, in the year the project signed, started or completed.
func DefaultRules() Rules {
	return Rules{MinTotalFen: money.YiYuan, ForeignMin: map[string]int64{"USD": 10_000_000 * 100},
		FieldsOnly: true, CertifiedOnly: true, Date: DateStage, Flags: DefaultFlagRules()}
}

// Validate checks the rules.
func (r Rules) Validate() error {
	var bad []string
	if r.MinTotalFen <= 0 {
		bad = append(bad, "计划总投资下限应大于0")
	}
	for cur, min := range r.ForeignMin {
		if len(cur) != 3 || strings.ToUpper(cur) != cur || cur == CNY {
			bad = append(bad, fmt.Sprintf("外币“%s”应为三位字母代码(不含CNY)", cur))
		}
		if min <= 0 {
			bad = append(bad, fmt.Sprintf("%s下限应大于0", cur))
		}
	}
	if r.Date != DateStage && r.Date != DateCertified {
		bad = append(bad, fmt.Sprintf("计数日期“%s”应为stage(阶段日期)或certified(认定日期)", r.Date))
	}
	if r.Date == DateCertified && !r.CertifiedOnly {
		bad = append(bad, "按认定日期计数时只能计已认定的项目")
	}
	bad = append(bad, r.Flags.validate()...)
	if len(bad) > 0 {
		return fmt.Errorf("项目计数规则有误:%s", strings.Join(bad, ";"))
	}
	return nil
}

// Counted are the stages the targets count.
var Counted = []Stage{StageSigned, StageStarted, StageCompleted}

// Size reports whether a project is large enough to count, and if not,
// why, in Chinese.
func (r Rules) Size(p *Project) (bool, string) {
	inv := p.Investment
	if inv.Foreign() {
		if min, ok := r.ForeignMin[inv.Currency]; ok {
			if inv.ForeignMinor >= min {
				return true, ""
			}
			return false, fmt.Sprintf("计划总投资%s万%s,不足%s万%s", money.Fen(inv.ForeignMinor).Exact(money.WanYuan), inv.Currency,
				money.Fen(min).Exact(money.WanYuan), inv.Currency)
		}
	}
	if inv.TotalFen >= r.MinTotalFen {
		return true, ""
	}
	return false, fmt.Sprintf("计划总投资%s万元,不足%s亿元", inv.TotalFen.Wan(), r.MinTotalFen.Exact(money.YiYuan))
}

// Why reports whether a project's event of a stage counts, in which
// year, and if not, why not, in Chinese. A stage reached twice counts
// once, at its first counting event.
func (r Rules) Why(p *Project, s Stage) (year int, on string, why string) {
	if r.FieldsOnly && (p.Field == "" || p.Field == FieldOther) {
		return 0, "", "不属于服务业十大领域"
	}
	if ok, why := r.Size(p); !ok {
		return 0, "", why
	}
	pending := false
	for i := range p.Events {
		e := &p.Events[i]
		if e.Stage != s {
			continue
		}
		if r.CertifiedOnly && e.Certified == nil {
			pending = true
			continue
		}
		on := e.On
		if r.Date == DateCertified {
			on = e.Certified.On
		}
		year, _ := strconv.Atoi(on[:4]) // a checked YYYY-MM-DD
		return year, on, ""
	}
	if pending {
		return 0, "", s.Label() + "尚未认定"
	}
	return 0, "", "没有" + s.Label() + "记录"
}

// Tally is the count of one stage in one year: each project once in the
// total, and once in each field, place and unit it belongs to (so a
// project two units share counts for both, and units sum to more than
// the total).
type Tally struct {
	Stage    Stage
	Year     int
	Total    int
	ByField  map[string]int
	ByPlace  map[string]int // town, street or park
	ByUnit   map[string]int // responsible units
	Projects []string       // the counted projects' codes, in code order
}

// Count tallies the signed, started and completed projects of a year.
func (r Rules) Count(ps []Project, year int) map[Stage]*Tally {
	out := map[Stage]*Tally{}
	for _, s := range Counted {
		out[s] = &Tally{Stage: s, Year: year, ByField: map[string]int{}, ByPlace: map[string]int{}, ByUnit: map[string]int{}}
	}
	for i := range ps {
		p := &ps[i]
		for _, s := range Counted {
			if y, _, _ := r.Why(p, s); y != year {
				continue
			}
			t := out[s]
			t.Total++
			t.ByField[p.Field]++
			t.ByPlace[p.Unit]++
			seen := map[string]bool{}
			for _, u := range p.Units {
				if !seen[u.Unit] {
					t.ByUnit[u.Unit]++
					seen[u.Unit] = true
				}
			}
			t.Projects = append(t.Projects, p.Code)
		}
	}
	for _, t := range out {
		sort.Strings(t.Projects)
	}
	return out
}
