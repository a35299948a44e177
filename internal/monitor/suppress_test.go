package monitor

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// H marks a hidden figure, S a shown one.
const (
	H = true
	S = false
)

func TestSuppress(t *testing.T) {
	tests := []struct {
		name   string
		counts [][]int
		min    int
		want   Suppression
	}{
		{
			// Totals: rows 16 17 21, columns 14 14 26, grand 54; all ≥ 3.
			// Primary: (0,0)=2.
			// Pass 1, rows: row 0 has one hidden → its smallest shown cell
			//   (0,1)=5. Columns: col 0 has (0,0) → smallest of 4, 8 → (1,0);
			//   col 1 has (0,1) → smallest of 6, 3 → (2,1).
			// Pass 2, rows: row 1 has only (1,0) → smallest of 6, 7 → (1,1);
			//   row 2 has only (2,1) → smallest of 8, 10 → (2,0).
			//   Columns 0 and 1 now hide 3 each, column 2 none.
			// Pass 3: nothing changes. One small cell costs columns A and B.
			name: "cascade across rows and columns",
			counts: [][]int{
				{2, 5, 9},
				{4, 6, 7},
				{8, 3, 10},
			},
			min: 3,
			want: Suppression{
				Cells:     [][]bool{{H, H, S}, {H, H, S}, {H, H, S}},
				RowTotals: []bool{S, S, S},
				ColTotals: []bool{S, S, S},
			},
		},
		{
			// Totals: rows 2 4 21 31, columns 16 18 24, grand 58.
			// Primary: (0,0)=1, (0,1)=1, row total 0 = 2.
			// Pass 1, rows: row 0 hides 3 figures, fine; others none.
			//   Columns: col 0 has only (0,0) → smallest of 6, 9 → (2,0);
			//   col 1 has only (0,1) → smallest of 7, 10 → (2,1); col 2 none;
			//   the column of row totals (2 4 21 31 | 58) has only row total 0
			//   → smallest of 4, 21, 31 → row total 1.
			// Pass 2, rows: row 1 (0 0 4 | 4) now has only its total hidden →
			//   its one shown cell (1,2)=4. Row 2 hides 2. Columns: col 2 has
			//   only (1,2) → smallest of 8, 12 → (2,2). Row totals column: 2.
			// Pass 3: row 2 hides 3 cells under a shown total 21; every line
			//   hides 0, 2 or 3 figures; nothing changes.
			name: "cascade through the margins",
			counts: [][]int{
				{1, 1, 0},
				{0, 0, 4},
				{6, 7, 8},
				{9, 10, 12},
			},
			min: 3,
			want: Suppression{
				Cells:     [][]bool{{H, H, S}, {S, S, H}, {H, H, H}, {S, S, S}},
				RowTotals: []bool{H, H, S, S},
				ColTotals: []bool{S, S, S},
			},
		},
		{
			// Totals: rows 2 0 12, columns 7 4 3, grand 14. Empty cells and
			// the empty row 1 are never hidden.
			// Primary: (0,0)=2 and row total 0 = 2: row 0 hides 2, fine.
			// Pass 1: col 0 (2 0 5 | 7) has only (0,0) → (2,0)=5; the row
			//   totals column (2 0 12 | 14) has only row total 0 → the
			//   smallest shown non-empty is 12 (0 is empty) → row total 2.
			// Pass 2: row 2 hides (2,0) and its total: 2, fine. Stable.
			name: "empty cells and a small row total",
			counts: [][]int{
				{2, 0, 0},
				{0, 0, 0},
				{5, 4, 3},
			},
			min: 3,
			want: Suppression{
				Cells:     [][]bool{{H, S, S}, {S, S, S}, {H, S, S}},
				RowTotals: []bool{H, S, H},
				ColTotals: []bool{S, S, S},
			},
		},
		{
			// Totals: rows 14 6, columns 11 2 7, grand 20.
			// Primary: (0,1)=2 and column total 1 = 2.
			// Pass 1, rows: row 0 has only (0,1) → smallest of 5, 7 → (0,0);
			//   the column-totals row (11 2 7 | 20) has only total 1 → smallest
			//   of 11, 7 → column total 2. Columns: col 0 has only (0,0) →
			//   (1,0)=6; col 1 hides 2; col 2 (7 0 | 7) has only its total →
			//   its one shown cell (0,2).
			// Pass 2, rows: row 1 (6 0 0 | 6) has only (1,0) and no other
			//   cell → its total. Row totals column (14 6 | 20) then has only
			//   row total 1 → row total 0.
			// Pass 3: stable. A lone cell used as a complement drags its row
			// total along: the simple rule is safe, not minimal.
			name: "complement with no partner hides the total",
			counts: [][]int{
				{5, 2, 7},
				{6, 0, 0},
			},
			min: 3,
			want: Suppression{
				Cells:     [][]bool{{H, H, H}, {H, S, S}},
				RowTotals: []bool{H, H},
				ColTotals: []bool{S, H, H},
			},
		},
		{
			// Grand total 2 < 3: everything non-empty is hidden.
			name:   "whole table too small",
			counts: [][]int{{1, 0}, {0, 1}},
			min:    3,
			want: Suppression{
				Cells:     [][]bool{{H, S}, {S, H}},
				RowTotals: []bool{H, H},
				ColTotals: []bool{H, H},
				Total:     H,
			},
		},
		{
			name:   "nothing small",
			counts: [][]int{{3, 4}, {5, 0}},
			min:    3,
			want: Suppression{
				Cells:     [][]bool{{S, S}, {S, S}},
				RowTotals: []bool{S, S},
				ColTotals: []bool{S, S},
			},
		},
		{
			name:   "threshold 1 hides nothing",
			counts: [][]int{{1, 2}, {0, 1}},
			min:    1,
			want: Suppression{
				Cells:     [][]bool{{S, S}, {S, S}},
				RowTotals: []bool{S, S},
				ColTotals: []bool{S, S},
			},
		},
		{
			// Ragged rows keep their shape; the missing cell is empty.
			name:   "ragged rows",
			counts: [][]int{{5}, {5, 5}},
			min:    3,
			want: Suppression{
				Cells:     [][]bool{{S}, {S, S}},
				RowTotals: []bool{S, S},
				ColTotals: []bool{S, S},
			},
		},
		{
			name:   "empty table",
			counts: nil,
			min:    3,
			want:   Suppression{Cells: [][]bool{}, RowTotals: []bool{}, ColTotals: []bool{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Suppress(tt.counts, tt.min)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Suppress (-want +got):\n%s", diff)
			}
			checkSuppression(t, tt.counts, tt.min, got)
		})
	}
}

// TestSuppressProperties runs Suppress on random tables and checks what
// it promises.
func TestSuppressProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(2025, 9))
	for n := 0; n < 3000; n++ {
		rows, cols := 1+rng.IntN(7), 1+rng.IntN(7)
		counts := make([][]int, rows)
		for i := range counts {
			counts[i] = make([]int, cols)
			for j := range counts[i] {
				switch k := rng.IntN(10); {
				case k < 4: // empty
				case k < 7:
					counts[i][j] = 1 + rng.IntN(2) // small
				default:
					counts[i][j] = 3 + rng.IntN(40)
				}
			}
		}
		s := Suppress(counts, DefaultMinFirms)
		checkSuppression(t, counts, DefaultMinFirms, s)
		if !anySmall(counts, DefaultMinFirms) && anyHidden(s) {
			t.Errorf("nothing is small, yet something is hidden: %+v", s)
		}
		if t.Failed() {
			t.Fatalf("table %d: %v", n, counts)
		}
	}
}

// checkSuppression checks s against counts on the table with its margins:
// shapes match; every figure from 1 to min−1 firms is hidden; no empty
// figure is hidden; and no row or column (cells and total, margins
// included) hides exactly one figure, so where a total is shown no single
// hidden cell can be found by subtraction.
func checkSuppression(t *testing.T, counts [][]int, minFirms int, s Suppression) {
	t.Helper()
	rows, cols := len(counts), 0
	for _, r := range counts {
		cols = max(cols, len(r))
	}
	if len(s.Cells) != rows || len(s.RowTotals) != rows || len(s.ColTotals) != cols {
		t.Fatalf("shape: %d cell rows, %d row totals, %d column totals for a %d×%d table",
			len(s.Cells), len(s.RowTotals), len(s.ColTotals), rows, cols)
	}
	n := make([][]int, rows+1) // counts with margins
	h := make([][]bool, rows+1)
	for i := range n {
		n[i] = make([]int, cols+1)
		h[i] = make([]bool, cols+1)
	}
	for i, r := range counts {
		if len(s.Cells[i]) != len(r) {
			t.Fatalf("row %d: %d flags for %d cells", i, len(s.Cells[i]), len(r))
		}
		for j, c := range r {
			n[i][j] = c
			n[i][cols] += c
			n[rows][j] += c
			n[rows][cols] += c
			h[i][j] = s.Cells[i][j]
		}
		h[i][cols] = s.RowTotals[i]
	}
	for j := range cols {
		h[rows][j] = s.ColTotals[j]
	}
	h[rows][cols] = s.Total

	for i := range n {
		for j := range n[i] {
			if c := n[i][j]; c > 0 && c < minFirms && !h[i][j] {
				t.Errorf("(%d,%d) has %d firms and is shown", i, j, c)
			}
			if n[i][j] == 0 && h[i][j] {
				t.Errorf("(%d,%d) is empty and hidden", i, j)
			}
		}
	}
	for i := range n {
		hidden := 0
		for j := range n[i] {
			if h[i][j] {
				hidden++
			}
		}
		if hidden == 1 {
			t.Errorf("row %d (of %d, last = column totals) hides exactly one figure: %v", i, rows+1, h[i])
		}
	}
	for j := 0; j <= cols; j++ {
		hidden := 0
		for i := range n {
			if h[i][j] {
				hidden++
			}
		}
		if hidden == 1 {
			t.Errorf("column %d (of %d, last = row totals) hides exactly one figure", j, cols+1)
		}
	}
}

// anySmall reports whether a cell or total of counts has from 1 to min−1
// firms.
func anySmall(counts [][]int, minFirms int) bool {
	small := func(c int) bool { return c > 0 && c < minFirms }
	var colSums []int
	grand := 0
	for _, r := range counts {
		sum := 0
		for j, c := range r {
			if small(c) {
				return true
			}
			sum += c
			for len(colSums) <= j {
				colSums = append(colSums, 0)
			}
			colSums[j] += c
		}
		if small(sum) {
			return true
		}
		grand += sum
	}
	for _, c := range colSums {
		if small(c) {
			return true
		}
	}
	return small(grand)
}

func anyHidden(s Suppression) bool {
	for i, r := range s.Cells {
		for _, h := range r {
			if h {
				return true
			}
		}
		if s.RowTotals[i] {
			return true
		}
	}
	for _, h := range s.ColTotals {
		if h {
			return true
		}
	}
	return s.Total
}
