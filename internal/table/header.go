package table

import (
	"strings"
	"unicode"

	"svcplan/internal/money"
)

// SplitUnit folds a header cell for comparing it with known names — white
// space, asterisks and a BOM dropped, full-width forms made ASCII, 【】〔〕
// made (), lower case — and takes off the unit it ends with:
// "营业收入（万元）" is "营业收入" in 万元; "计划总投资(亿元)" "计划总投资" in 亿元. The
// unit is 0 when the header names none.
func SplitUnit(s string) (string, money.Fen) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\u3000' || unicode.IsSpace(r) || r == '*' || r == '\ufeff':
			continue
		case r >= '！' && r <= '～': // full-width ASCII
			r -= 0xFEE0
		case r == '【' || r == '〔':
			r = '('
		case r == '】' || r == '〕':
			r = ')'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	h := b.String()
	for _, u := range []struct {
		text string
		fen  money.Fen
	}{{"(亿元)", money.YiYuan}, {"(万元)", money.WanYuan}, {"(千元)", money.QianYuan}, {"(元)", money.Yuan},
		{"亿元", money.YiYuan}, {"万元", money.WanYuan}, {"千元", money.QianYuan}} {
		if strings.HasSuffix(h, u.text) && len(h) > len(u.text) {
			return strings.TrimSuffix(h, u.text), u.fen
		}
	}
	return h, 0
}
