package xlsx

import "testing"

func TestBlankAndCell(t *testing.T) {
	if !Blank(nil) || !Blank([]string{"", " ", "\u3000\t"}) || Blank([]string{"", "x"}) {
		t.Error("Blank")
	}
	row := []string{" a ", "b"}
	if Cell(row, 0) != "a" || Cell(row, 1) != "b" || Cell(row, 2) != "" || Cell(row, -1) != "" {
		t.Error("Cell")
	}
}
