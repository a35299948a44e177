package assess

import (
	"math/big"

	"svcplan/internal/money"
)

// Record is a score sheet as stored with a run and as the pages and the
// export show it: every figure written out, so that a run reads back
// exactly as it was scored, whatever changes later.
type Record struct {
	Scheme  string        `json:"scheme"`
	Version int           `json:"version"` // the scheme's version scored
	Name    string        `json:"name"`
	Year    int           `json:"year"`
	Period  string        `json:"period"`
	Total   string        `json:"total"`
	Groups  []GroupRecord `json:"groups"`
}

// GroupRecord is one group's items and its units in ranking order.
type GroupRecord struct {
	Code  string      `json:"code"`
	Name  string      `json:"name"`
	Items []ItemHead  `json:"items"`
	Rows  []RowRecord `json:"rows"`
}

// ItemHead is an item as the sheet's header shows it.
type ItemHead struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Points string `json:"points"`
	Family Family `json:"family"`
	Source Source `json:"source"`
	Rule   Rule   `json:"rule"`
	Note   string `json:"note,omitempty"`
}

// RowRecord is a unit's line.
type RowRecord struct {
	Unit   string       `json:"unit"`
	Rank   int          `json:"rank"`
	Grade  string       `json:"grade,omitempty"`
	Veto   string       `json:"veto,omitempty"`
	Base   string       `json:"base"`
	Bonus  string       `json:"bonus"`
	Deduct string       `json:"deduct"`
	Total  string       `json:"total"`
	Cells  []CellRecord `json:"cells"`
}

// CellRecord is one score with what it was worked out from.
type CellRecord struct {
	Item    string `json:"item"`
	Target  string `json:"target,omitempty"`
	Actual  string `json:"actual,omitempty"` // the figure as stored
	Rate    string `json:"rate,omitempty"`   // 完成率, percent with one decimal, for a proportional item
	Score   string `json:"score"`
	Why     string `json:"why"`
	Missing bool   `json:"missing,omitempty"`
	Source  string `json:"source,omitempty"` // where the figure came from, in words
	Ref     string `json:"ref,omitempty"`    // the stored version it was read at
}

// RecordOf writes a sheet out for the scheme's version.
func RecordOf(sheet *Sheet, version int) *Record {
	s := sheet.Scheme
	rec := &Record{Scheme: s.Code, Version: version, Name: s.Name, Year: s.Year, Period: s.Period, Total: string(s.Total)}
	for _, gs := range sheet.Groups {
		g := gs.Group
		gr := GroupRecord{Code: g.Code, Name: g.Name}
		for _, it := range g.Items {
			gr.Items = append(gr.Items, ItemHead{Code: it.Code, Name: it.Name, Unit: it.Unit, Points: string(it.Points),
				Family: it.Rule.Family, Source: it.Source, Rule: it.Rule, Note: it.Note})
		}
		for _, r := range gs.Rows {
			row := RowRecord{Unit: r.Unit, Rank: r.Rank, Grade: r.Grade, Veto: r.Veto, Base: pts(r.Base), Bonus: pts(r.Bonus),
				Deduct: pts(r.Deduct), Total: pts(r.Total)}
			for _, c := range r.Cells {
				cell := CellRecord{Item: c.Item.Code, Score: pts(c.Score), Why: c.Why, Missing: c.Missing}
				if c.Target != nil {
					cell.Target = short(c.Target)
				}
				if f := c.Figure; f != nil {
					cell.Actual, cell.Source, cell.Ref = f.Text, f.Source, f.Ref
					if c.Item.Rule.Family == Proportional && c.Target != nil && c.Target.Sign() != 0 {
						cell.Rate = money.Percent(new(big.Rat).Quo(f.Value, c.Target), 1)
					}
				}
				row.Cells = append(row.Cells, cell)
			}
			gr.Rows = append(gr.Rows, row)
		}
		rec.Groups = append(rec.Groups, gr)
	}
	return rec
}

// Change is a cell of a run whose figure has been revised since.
type Change struct {
	Group    string `json:"group"`
	Unit     string `json:"unit"`
	Item     string `json:"item"`
	Was      string `json:"was"` // the figures
	Now      string `json:"now"`
	WasRef   string `json:"was_ref"`
	NowRef   string `json:"now_ref"`
	WasScore string `json:"was_score"`
	NowScore string `json:"now_score"`
	WasTotal string `json:"was_total"`
	NowTotal string `json:"now_total"`
	WasRank  int    `json:"was_rank"`
	NowRank  int    `json:"now_rank"`
}

// Changes lists the cells of a run that a scoring on the figures of now
// would change: a revised figure, and what it does to the score, the total
// and the place.
func Changes(run, now *Record) []Change {
	var out []Change
	for gi := range run.Groups {
		if gi >= len(now.Groups) {
			break
		}
		rows := map[string]RowRecord{}
		for _, r := range now.Groups[gi].Rows {
			rows[r.Unit] = r
		}
		for _, was := range run.Groups[gi].Rows {
			cur, ok := rows[was.Unit]
			if !ok {
				continue
			}
			for ci, c := range was.Cells {
				if ci >= len(cur.Cells) {
					break
				}
				n := cur.Cells[ci]
				if c.Actual != n.Actual || c.Ref != n.Ref {
					out = append(out, Change{Group: run.Groups[gi].Code, Unit: was.Unit, Item: c.Item, Was: c.Actual, Now: n.Actual,
						WasRef: c.Ref, NowRef: n.Ref, WasScore: c.Score, NowScore: n.Score, WasTotal: was.Total, NowTotal: cur.Total,
						WasRank: was.Rank, NowRank: cur.Rank})
				}
			}
		}
	}
	return out
}
