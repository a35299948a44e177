package monitor

// Confidential is shown in place of a suppressed figure (保密).
const Confidential = "—(保密)"

// DefaultMinFirms is the fewest firms a shown figure may be built from.
// Statistics Law art. 25 forbids aggregates from which a single respondent
// can be inferred; yearbooks mask small cells, and 3 is the common minimum
// (cn-stats-conventions §7, the exact number to be confirmed locally).
const DefaultMinFirms = 3

// Suppression says which figures of a two-way table to hide: its cells, the
// row totals, the column totals and the grand total.
type Suppression struct {
	Cells     [][]bool // same shape as the counts
	RowTotals []bool   // one per row
	ColTotals []bool   // one per column
	Total     bool     // the grand total
}

// Suppress decides which figures of a table to hide from roles that may
// not see single firms. counts[i][j] is the number of firms in cell (i, j);
// each firm is in exactly one cell, so a row total is built from the sum of
// its row's counts, and so on. A count of 0 (or less) is an empty cell: it
// shows nothing about any firm and is never hidden. Rows may differ in
// length; missing cells are empty.
//
// The table is read with its margins as an (R+1)×(C+1) grid: each row is
// its cells followed by its total, each column likewise, the row of column
// totals ends in the grand total and so does the column of row totals.
// Every line of that grid adds up, so a line with exactly one hidden figure
// gives it away by subtraction. Hence:
//
//  1. primary suppression: any figure, cell or total, built from at least 1
//     and fewer than minFirms firms is hidden;
//  2. complementary suppression: in a line with exactly one hidden figure,
//     the shown non-empty cell with the smallest count is hidden too (ties:
//     the leftmost in a row, the topmost in a column); if the line has no
//     such cell, its total is hidden;
//  3. step 2 repeats, rows top to bottom then columns left to right, until
//     nothing changes.
//
// Afterwards no line has exactly one hidden figure: in a row or column
// whose total is shown, no single hidden cell remains. This stops
// derivation by one subtraction; it is the usual rule for published
// tables, not a proof against every linear combination.
func Suppress(counts [][]int, minFirms int) Suppression {
	rows := len(counts)
	cols := 0
	for _, r := range counts {
		cols = max(cols, len(r))
	}
	// The grid with margins: row rows and column cols hold the totals.
	grid := make([][]int, rows+1)
	hide := make([][]bool, rows+1)
	for i := range grid {
		grid[i] = make([]int, cols+1)
		hide[i] = make([]bool, cols+1)
	}
	for i, r := range counts {
		for j, n := range r {
			n = max(n, 0)
			grid[i][j] = n
			grid[i][cols] += n
			grid[rows][j] += n
			grid[rows][cols] += n
		}
	}
	for i := range grid {
		for j, n := range grid[i] {
			hide[i][j] = n > 0 && n < minFirms
		}
	}

	// A line is a list of grid positions whose last one is its total.
	type pos struct{ i, j int }
	var lines [][]pos
	for i := 0; i <= rows; i++ {
		line := make([]pos, 0, cols+1)
		for j := 0; j <= cols; j++ {
			line = append(line, pos{i, j})
		}
		lines = append(lines, line)
	}
	for j := 0; j <= cols; j++ {
		line := make([]pos, 0, rows+1)
		for i := 0; i <= rows; i++ {
			line = append(line, pos{i, j})
		}
		lines = append(lines, line)
	}

	for changed := true; changed; {
		changed = false
		for _, line := range lines {
			hidden := 0
			for _, p := range line {
				if hide[p.i][p.j] {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			pick := -1
			for k, p := range line[:len(line)-1] {
				n := grid[p.i][p.j]
				if n > 0 && !hide[p.i][p.j] && (pick < 0 || n < grid[line[pick].i][line[pick].j]) {
					pick = k
				}
			}
			if total := line[len(line)-1]; pick < 0 && grid[total.i][total.j] > 0 && !hide[total.i][total.j] {
				pick = len(line) - 1
			}
			if pick >= 0 {
				hide[line[pick].i][line[pick].j] = true
				changed = true
			}
		}
	}

	s := Suppression{
		Cells:     make([][]bool, rows),
		RowTotals: make([]bool, rows),
		ColTotals: make([]bool, cols),
		Total:     hide[rows][cols],
	}
	for i, r := range counts {
		s.Cells[i] = hide[i][:len(r):len(r)]
		s.RowTotals[i] = hide[i][cols]
	}
	for j := range cols {
		s.ColTotals[j] = hide[rows][j]
	}
	return s
}
