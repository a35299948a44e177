package dashboard

import (
	"encoding/json"
	"fmt"
	"strconv"
	"svcplan/internal/money"
)

// charts builds the analysis's charts once, when it is computed: the
// composition pie, the town ranking and the month-by-month trend, in the
// JSON format of static/charts.js. Numbers are the printed decimals, so a
// chart and its table never disagree.
func (a *Analysis) charts() []Chart {
	if a.Period == 0 {
		return nil
	}
	var out []Chart
	add := func(id string, spec map[string]any) {
		b, _ := json.Marshal(spec)
		out = append(out, Chart{ID: id, JSON: string(b)})
	}
	cats, vals, links := []string{}, []json.RawMessage{}, []string{}
	for _, c := range a.Rows {
		if c.Hidden || c.Cur <= 0 {
			continue
		}
		cats, vals, links = append(cats, c.Label), append(vals, json.RawMessage(c.Yi)), append(links, c.Href)
	}
	add("chart-rows", map[string]any{"type": "pie", "title": "营业收入构成(按" + a.Level + ")", "unit": "亿元",
		"categories": cats, "series": []map[string]any{{"name": "营业收入", "data": vals}}, "links": links})

	cats, vals, links = []string{}, []json.RawMessage{}, []string{}
	for i := len(a.Units) - 1; i >= 0; i-- { // horizontal bars draw bottom-up: largest on top
		c := a.Units[i]
		if c.Hidden {
			continue
		}
		cats, vals, links = append(cats, c.Label), append(vals, json.RawMessage(c.Yi)), append(links, c.Href)
	}
	add("chart-units", map[string]any{"type": "hbar", "title": "分镇街(园区)营业收入排名", "unit": "亿元",
		"categories": cats, "series": []map[string]any{{"name": "营业收入", "data": vals}}, "links": links,
		"height": max(260, 28*len(cats)+60)})

	// One line per year over its months: the cumulative value to date.
	var months []string
	for m := 2; m <= 12; m++ {
		if m == 2 {
			months = append(months, "1-2月")
		} else {
			months = append(months, strconv.Itoa(m)+"月")
		}
	}
	byYear := map[int][]json.RawMessage{}
	var years []int
	for _, p := range a.Trend {
		y := p.Period.Year()
		if _, ok := byYear[y]; !ok {
			years = append(years, y)
			byYear[y] = make([]json.RawMessage, len(months))
			for i := range byYear[y] {
				byYear[y][i] = json.RawMessage("null")
			}
		}
		if p.Cur >= 0 {
			byYear[y][p.Period.Month()-2] = json.RawMessage(money.Fen(p.Cur).Text(money.YiYuan, 2))
		}
	}
	var series []map[string]any
	for _, y := range years {
		series = append(series, map[string]any{"name": fmt.Sprintf("%d年", y), "data": byYear[y]})
	}
	add("chart-trend", map[string]any{"type": "line", "title": "营业收入累计值(逐月)", "unit": "亿元",
		"categories": months, "series": series})
	return out
}
