package plan

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CheckText checks a plan against its original text: every quote must occur
// in the text verbatim, so that a reader can find it; and, as warnings,
// every target number should appear in its indicator's quote and every
// responsible unit in the responsibility sentence it was read from.
func CheckText(p *Plan, text string) Problems {
	v := &validator{}
	quote := func(path, q string) {
		if q == "" || strings.Contains(text, q) {
			return
		}
		v.errf(path, "%s", quoteMismatch(q, text))
	}
	quote("plan.title", p.Meta.Title)
	quote("plan.doc_number", p.Meta.DocNumber)
	quote("plan.issuer", p.Meta.Issuer)
	quote("plan.summary", p.Meta.Summary)
	quote("plan.goals_intro", p.Meta.GoalsIntro)
	if p.StandingDuty != nil {
		quote("standing_duty.source", p.StandingDuty.Source)
	}
	for i, g := range p.Goals {
		quote(fmt.Sprintf("goals[%d].source", i), g.Source)
	}
	for i, g := range p.FieldGroups {
		quote(fmt.Sprintf("field_groups[%d].title", i), g.Title)
	}
	names := unitNames(p)
	for i, f := range p.Fields {
		path := fmt.Sprintf("fields[%d]", i)
		quote(path+".name", f.Name)
		quote(path+".source", f.Source)
		quote(path+".responsibility", f.Responsibility)
		for _, code := range append(append([]string{}, f.Lead...), f.Co...) {
			if n := names[code]; n != "" && !strings.Contains(f.Responsibility, n) {
				v.warnf(path+".responsibility", "责任单位句中没有“%s”,请核对 lead/co", n)
			}
		}
		for j, t := range f.Tasks {
			tp := fmt.Sprintf("%s.tasks[%d]", path, j)
			quote(tp+".title", t.Title)
			quote(tp+".source", t.Source)
			if t.Title != "" && !strings.HasPrefix(t.Source, t.Title) {
				v.warnf(tp+".title", "任务引文应以标题“%s”开头", t.Title)
			}
		}
	}
	for _, list := range []struct {
		key   string
		items []Action
	}{{"actions", p.Actions}, {"guarantees", p.Guarantees}} {
		for i, a := range list.items {
			path := fmt.Sprintf("%s[%d]", list.key, i)
			quote(path+".title", a.Title)
			quote(path+".source", a.Source)
		}
	}
	for i, u := range p.Units {
		if u.Kind == KindDepartment && !strings.Contains(text, u.Name) {
			v.warnf(fmt.Sprintf("units[%d].name", i), "部门“%s”在原文中没有出现", u.Name)
		}
	}
	for i, ind := range p.Indicators {
		path := fmt.Sprintf("indicators[%d]", i)
		quote(path+".source", ind.Source)
		for j, t := range ind.Targets {
			for _, n := range []Number{t.Value, t.Max} {
				if n != "" && !containsNumber(ind.Source, string(n)) {
					v.warnf(fmt.Sprintf("%s.targets[%d]", path, j), "目标值%s在指标引文中没有出现,请核对", n)
				}
			}
		}
	}
	return v.probs
}

func unitNames(p *Plan) map[string]string {
	m := make(map[string]string, len(p.Units))
	for _, u := range p.Units {
		m[u.Code] = u.Name
	}
	return m
}

// containsNumber reports whether s holds n as a whole number, not as part
// of a longer one ("10" is not in "100" or "2010").
func containsNumber(s, n string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], n)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(n)
		if (start == 0 || !isDigitOrDot(s[start-1])) && (end == len(s) || !isDigitOrDot(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isDigitOrDot(c byte) bool { return c >= '0' && c <= '9' || c == '.' }

// quoteMismatch explains where a quote stops matching the text: the longest
// beginning of the quote that the text contains, and what follows it.
func quoteMismatch(q, text string) string {
	// Binary search over rune boundaries for the longest matching prefix.
	bounds := []int{0}
	for i := range q {
		if i > 0 {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(q))
	lo, hi := 0, len(bounds)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if strings.Contains(text, q[:bounds[mid]]) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	n := bounds[lo]
	if n == 0 {
		return fmt.Sprintf("引文在原文中找不到:“%s”", clip(q, 24))
	}
	return fmt.Sprintf("引文与原文不一致:从第%d个字起不符,引文为“…%s”,原文中“%s”之后不是这样",
		utf8.RuneCountInString(q[:n])+1, clip(q[n:], 16), tail(q[:n], 12))
}

func clip(s string, runes int) string {
	if utf8.RuneCountInString(s) <= runes {
		return s
	}
	return string([]rune(s)[:runes]) + "…"
}

func tail(s string, runes int) string {
	r := []rune(s)
	if len(r) <= runes {
		return s
	}
	return "…" + string(r[len(r)-runes:])
}
