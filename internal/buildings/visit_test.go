package buildings

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVisitCheck(t *testing.T) {
	_, sp := sample()
	for _, tc := range []struct {
		name  string
		v     Visit
		field string
		want  string
	}{
		{"unknown room", Visit{Date: "2026-06-01", Team: "街道", Findings: []Finding{{Room: "909", Result: ResultVacant}}}, "findings", "房号909不在本楼台账中"},
		{"twice", Visit{Date: "2026-06-01", Team: "街道", Findings: []Finding{{Room: "101", Result: ResultVacant}, {Room: "101", Result: ResultVacant}}},
			"findings", "房号101填写了两次"},
		{"no firm", Visit{Date: "2026-06-01", Team: "街道", Findings: []Finding{{Room: "101", Result: ResultRegistered}}}, "findings",
			"房号101核查为入驻已注册,请填写企业名称"},
		{"future", Visit{Date: "2026-07-01", Team: "街道", Findings: []Finding{{Room: "101", Result: ResultVacant}}}, "date", "走访日期2026-07-01晚于今天"},
		{"no team", Visit{Date: "2026-06-01", Findings: []Finding{{Room: "101", Result: ResultVacant}}}, "team", "请写明走访人员或单位"},
	} {
		if got := tc.v.Check(sp, "2026-06-30")[tc.field]; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVisitApply: on 2026-06-15 the sweep finds 101 empty (甲 gone), 乙
// working in 102 after all, 丙 registered in 201 now (so the lead there
// ends), and does not look at 001.
func TestVisitApply(t *testing.T) {
	_, sp := sample()
	sp.Version = 3
	v := Visit{Date: "2026-06-15", Team: "白马镇、税务分局", Findings: []Finding{
		{Room: "101", Result: ResultVacant},
		{Room: "102", Result: ResultRegistered, Firm: "乙", USCC: firmB},
		{Room: "201", Result: ResultRegistered, Firm: "丙", USCC: firmC},
	}}
	next := v.Apply(sp)
	want := []Occupancy{
		{Room: "101", USCC: firmA, Firm: "甲", Area: m2(200), From: "2025-01-01", To: "2026-06-14", Registered: true, Present: true},
		{Room: "102", USCC: firmB, Firm: "乙", Area: m2(150), From: "2025-01-01", Registered: true, Present: true},
		{Room: "201", USCC: firmC, Firm: "丙", Area: m2(250), From: "2025-06-01", Registered: true, Present: true},
		// 某咨询公司 in 201 has no USCC and the finding names 丙: it ends.
		{Room: "201", Firm: "某咨询公司", Area: m2(100), From: "2026-01-01", To: "2026-06-14", Registered: true, Present: true},
		{Room: "102", USCC: firmD, Firm: "丁", Area: m2(100), From: "2025-01-01", To: "2026-03-31", Registered: true, Present: true},
		{Room: "001", USCC: firmA, Firm: "甲", Area: m2(100), From: "2025-01-01", Present: true},
	}
	if next.Version != 4 || !cmp.Equal(next.Occupancies, want) {
		t.Errorf("version %d\n%s", next.Version, cmp.Diff(want, next.Occupancies))
	}
	if probs := next.Check(); len(probs) != 0 {
		t.Errorf("the next space is wrong: %v", probs)
	}
	// A firm changed in 101: 甲 ends, 戊 takes the whole room from the visit's day.
	v = Visit{Date: "2026-06-15", Team: "街道", Findings: []Finding{{Room: "101", Result: ResultChanged, Firm: "戊"}}}
	next = v.Apply(sp)
	last := next.Occupancies[len(next.Occupancies)-1]
	if next.Occupancies[0].To != "2026-06-14" || last != (Occupancy{Room: "101", Firm: "戊", Area: m2(200), From: "2026-06-15", Registered: true, Present: true}) {
		t.Errorf("changed: %+v", next.Occupancies)
	}
	// 乙 registered but absent stays, marked absent (虚拟注册).
	v = Visit{Date: "2026-06-15", Team: "街道", Findings: []Finding{{Room: "102", Result: ResultAbsent, Firm: "乙", USCC: firmB}}}
	if next = v.Apply(sp); next.Occupancies[1].Present || !next.Occupancies[1].Registered || len(next.Occupancies) != len(sp.Occupancies) {
		t.Errorf("absent: %+v", next.Occupancies)
	}
}
