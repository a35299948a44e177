package industry

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Scope is one of the “四上” statistical scopes a unit can belong to.
type Scope int

// Scopes. The zero value is not a scope. Persist a scope by its String
// label (ParseScope reads it back), not by its number.
const (
	ServicesAboveSize     Scope = iota + 1 // 规模以上服务业
	WholesaleAboveQuota                    // 限额以上批发业
	RetailAboveQuota                       // 限额以上零售业
	LodgingAboveQuota                      // 限额以上住宿业
	CateringAboveQuota                     // 限额以上餐饮业
	IndustryAboveSize                      // 规模以上工业
	QualifiedConstruction                  // 有资质的建筑业
	RealEstateDevelopment                  // 房地产开发经营
)

var scopeLabels = map[Scope]string{
	ServicesAboveSize:     "规模以上服务业",
	WholesaleAboveQuota:   "限额以上批发业",
	RetailAboveQuota:      "限额以上零售业",
	LodgingAboveQuota:     "限额以上住宿业",
	CateringAboveQuota:    "限额以上餐饮业",
	IndustryAboveSize:     "规模以上工业",
	QualifiedConstruction: "有资质的建筑业",
	RealEstateDevelopment: "房地产开发经营",
}

// scopeNames maps the texts accepted in the scope column to scopes: the
// labels, plus the spellings used in data/size-thresholds.csv.
var scopeNames = map[string]Scope{
	"规模以上服务业":      ServicesAboveSize,
	"限额以上批发业":      WholesaleAboveQuota,
	"限额以上零售业":      RetailAboveQuota,
	"限额以上住宿业":      LodgingAboveQuota,
	"限额以上餐饮业":      CateringAboveQuota,
	"规模以上工业":       IndustryAboveSize,
	"有资质的建筑业":      QualifiedConstruction,
	"有资质的建筑业（四上）":  QualifiedConstruction,
	"房地产开发经营":      RealEstateDevelopment,
	"房地产开发经营业":     RealEstateDevelopment,
	"房地产开发经营业（四上）": RealEstateDevelopment,
}

// String returns the Chinese label, e.g. 规模以上服务业.
func (s Scope) String() string {
	if l, ok := scopeLabels[s]; ok {
		return l
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// ParseScope returns the scope for a label as returned by String, or as
// spelled in the scope column of the thresholds CSV.
func ParseScope(label string) (Scope, bool) {
	s, ok := scopeNames[strings.TrimSpace(label)]
	return s, ok
}

// Register is the statistical register (enterprise directory) a scope
// belongs to. The plan counts 限上批零住餐 and 规上服务业 separately and
// then sums them.
type Register int

// Registers. The zero value is not a register.
const (
	RegisterServices Register = iota + 1 // 规上服务业
	RegisterTrade                        // 限上批零住餐
	RegisterIndustry                     // 规上工业
	RegisterOther                        // 其他四上: 有资质建筑业, 房地产开发经营
)

// String returns the Chinese label, e.g. 限上批零住餐.
func (r Register) String() string {
	switch r {
	case RegisterServices:
		return "规上服务业"
	case RegisterTrade:
		return "限上批零住餐"
	case RegisterIndustry:
		return "规上工业"
	case RegisterOther:
		return "其他四上"
	}
	return fmt.Sprintf("Register(%d)", int(r))
}

// Register returns the register the scope belongs to (0 for an invalid scope).
func (s Scope) Register() Register {
	switch s {
	case ServicesAboveSize:
		return RegisterServices
	case WholesaleAboveQuota, RetailAboveQuota, LodgingAboveQuota, CateringAboveQuota:
		return RegisterTrade
	case IndustryAboveSize:
		return RegisterIndustry
	case QualifiedConstruction, RealEstateDevelopment:
		return RegisterOther
	}
	return 0
}

// hasAmount reports whether the scope is decided by a revenue threshold
// (all but construction and real-estate development, which are decided by
// qualification or activity).
func (s Scope) hasAmount() bool {
	return s != QualifiedConstruction && s != RealEstateDevelopment
}

// Rule is one row of the thresholds table: units whose class starts with
// Prefix belong to Scope when their annual revenue is at least AmountWan.
type Rule struct {
	Scope     Scope
	Prefix    string // 2-digit division or 4-digit class
	AmountWan int64  // inclusive threshold in 万元; 0 = no revenue threshold
	Basis     string // the definition, e.g. 年营业收入≥1000万元的服务业法人单位…
	Source    string // where the definition was published
}

// AmountYuan returns the threshold in 元 (0 = no revenue threshold).
func (r Rule) AmountYuan() int64 { return r.AmountWan * 10000 }

// Thresholds is a loaded thresholds table. It is read-only and safe for
// concurrent use.
type Thresholds struct {
	rules    []Rule         // in file order
	byPrefix map[string]int // prefix -> index in rules
}

var thresholdsHeader = []string{"scope", "gbt4754_prefix", "threshold_wan_yuan", "basis", "source"}

// maxAmountWan bounds a threshold (10万亿元), far above any real one, so
// that AmountYuan cannot overflow.
const maxAmountWan = 1_000_000_000

//go:embed data/size-thresholds.csv
var thresholdsCSV []byte

var defaultThresholds = sync.OnceValue(func() *Thresholds {
	t, err := LoadThresholds(bytes.NewReader(thresholdsCSV))
	if err != nil {
		panic("industry: embedded size-thresholds.csv: " + err.Error()) // a test guarantees this cannot happen
	}
	return t
})

// DefaultThresholds returns the shipped thresholds (data/size-thresholds.csv).
func DefaultThresholds() *Thresholds { return defaultThresholds() }

// LoadThresholds reads a thresholds table in the CSV format of
// data/size-thresholds.csv (header
// scope,gbt4754_prefix,threshold_wan_yuan,basis,source). Prefixes must be
// 2 or 4 digits and must not overlap. It returns a *LoadError listing all
// mistakes found (up to 50).
func LoadThresholds(r io.Reader) (*Thresholds, error) {
	ps := &problems{what: "“四上”标准表", header: thresholdsHeader}
	t := &Thresholds{byPrefix: map[string]int{}}
	lines := map[string]int{} // prefix -> first line
	var order []string        // prefixes in file order
	err := readRows(r, ps, func(line int, rec []string) {
		ok := true
		scope, known := ParseScope(rec[0])
		if !known {
			ps.add(line, 1, "未知的范围“%s”(应为规模以上服务业、限额以上批发业、限额以上零售业、限额以上住宿业、限额以上餐饮业、规模以上工业、有资质的建筑业或房地产开发经营)", rec[0])
			ok = false
		}
		prefix := rec[1]
		if !isDigits(prefix, 2) && !isDigits(prefix, 4) {
			ps.add(line, 2, "行业代码前缀应为2位大类或4位小类代码,实为“%s”%s", prefix, prefixZeroHint(prefix))
			ok = false
		} else if first, dup := lines[prefix]; dup {
			ps.add(line, 2, "前缀“%s”重复,第%d行已有", prefix, first)
			ok = false
		} else {
			lines[prefix] = line
			order = append(order, prefix)
		}
		var amount int64
		switch {
		case rec[2] == "":
			if known && scope.hasAmount() {
				ps.add(line, 3, "%s须填写营业收入门槛(万元)", scope)
				ok = false
			}
		case !allDigits(rec[2]):
			ps.add(line, 3, "门槛应为整数(单位:万元),实为“%s”", rec[2])
			ok = false
		default:
			n, err := strconv.ParseInt(rec[2], 10, 64)
			if err != nil || n <= 0 || n > maxAmountWan {
				ps.add(line, 3, "门槛应在1至%d万元之间,实为“%s”", maxAmountWan, rec[2])
				ok = false
			} else if known && !scope.hasAmount() {
				ps.add(line, 3, "%s没有营业收入门槛,此列应留空", scope)
				ok = false
			}
			amount = n
		}
		if rec[3] == "" {
			ps.add(line, 4, "标准说明为空")
			ok = false
		}
		if rec[4] == "" {
			ps.add(line, 5, "来源为空")
			ok = false
		}
		if ok {
			t.byPrefix[prefix] = len(t.rules)
			t.rules = append(t.rules, Rule{Scope: scope, Prefix: prefix, AmountWan: amount, Basis: rec[3], Source: rec[4]})
		}
	})
	if err != nil {
		return nil, fmt.Errorf("industry: read thresholds: %w", err)
	}
	for _, prefix := range order {
		if len(prefix) == 4 {
			if div, overlap := lines[prefix[:2]]; overlap {
				ps.add(lines[prefix], 2, "前缀“%s”与第%d行的前缀“%s”重叠", prefix, div, prefix[:2])
			}
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return t, nil
}

func prefixZeroHint(prefix string) string {
	if isDigits(prefix, 1) || isDigits(prefix, 3) {
		return "(是否丢失了开头的0?)"
	}
	return ""
}

// For returns the rule for a 4-digit class code (surrounding white space
// ignored), matching a 4-digit prefix before a 2-digit one. It returns
// false for anything that is not four digits and for classes no “四上”
// scope covers (e.g. 门类 A, J, S, T).
func (t *Thresholds) For(classCode string) (Rule, bool) {
	code := strings.TrimSpace(classCode)
	if !isDigits(code, 4) {
		return Rule{}, false
	}
	for _, p := range []string{code, code[:2]} {
		if i, ok := t.byPrefix[p]; ok {
			return t.rules[i], true
		}
	}
	return Rule{}, false
}

// Rules returns all rules in file order. The slice is a copy.
func (t *Thresholds) Rules() []Rule {
	out := make([]Rule, len(t.rules))
	copy(out, t.rules)
	return out
}
