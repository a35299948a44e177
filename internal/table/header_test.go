package table

import (
	"testing"

	"svcplan/internal/money"
)

func TestSplitUnit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		key  string
		unit money.Fen
	}{
		{"营业收入（万元）", "营业收入", money.WanYuan},
		{"计划总投资(亿元)", "计划总投资", money.YiYuan},
		{" 2026年计划投资 【万元】", "2026年计划投资", money.WanYuan},
		{"本年营业收入千元", "本年营业收入", money.QianYuan},
		{"金额(元)", "金额", money.Yuan},
		{"所在镇街（园区）", "所在镇街(园区)", 0},
		{"*统一社会信用代码", "统一社会信用代码", 0},
		{"ＵＳＣＣ", "uscc", 0},
		{"万元", "万元", 0}, // a unit alone names no column
	} {
		if key, unit := SplitUnit(tt.in); key != tt.key || unit != tt.unit {
			t.Errorf("SplitUnit(%q) = %q, %d; want %q, %d", tt.in, key, unit, tt.key, tt.unit)
		}
	}
}
