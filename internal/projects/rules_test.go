package projects

import (
	"slices"
	"strings"
	"testing"

	"svcplan/internal/money"
)

// certified is an event of stage s on a date, certified on another.
func certified(s Stage, on, certOn string) Event {
	return Event{Stage: s, On: on, Certified: &Certification{On: certOn, Body: "泰州市发展和改革委员会", By: "stat"}}
}

func project(code string, total money.Fen, events ...Event) Project {
	return Project{Code: code, Name: code, Builder: "泰州某公司", Field: "sci-tech", Unit: "321203101",
		Units: []UnitRole{{"development-reform", RoleLead}}, Investment: Investment{TotalFen: total, Currency: CNY}, Events: events}
}

// The counting rules on hand-checked cases (doc/projects.md).
func TestRulesCount(t *testing.T) {
	yi := money.YiYuan
	shared := project("P-SHARED", 3*yi, certified(StageSigned, "2025-05-08", "2025-06-30"))
	shared.Units = []UnitRole{{"commerce", RoleLead}, {"development-reform", RoleCo}}
	usdAt := project("P-USD-AT", 71*yi/100, certified(StageSigned, "2025-07-01", "2025-07-20")) // 0.71亿元
	usdAt.Investment = Investment{TotalFen: 71 * yi / 100, Currency: "USD", ForeignMinor: 10_000_000_00, Conversion: "1美元=7.1元"}
	usdBelow := usdAt
	usdBelow.Code, usdBelow.Investment.ForeignMinor = "P-USD-BELOW", 9_999_999_99
	eur := project("P-EUR", 10140*money.WanYuan, certified(StageSigned, "2025-02-01", "2025-03-01")) // 1300万欧元 × 7.8
	eur.Investment = Investment{TotalFen: 10140 * money.WanYuan, Currency: "EUR", ForeignMinor: 13_000_000_00, Conversion: "1欧元=7.8元"}
	other := project("P-OTHER", 5*yi, certified(StageStarted, "2025-04-01", "2025-04-10"))
	other.Field = FieldOther

	ledger := []Project{
		// Certified in January for a start in December: the start's year.
		project("P-DEC", 2*yi, certified(StageSigned, "2025-03-10", "2025-04-01"), certified(StageStarted, "2025-12-20", "2026-01-15")),
		shared,
		usdAt, usdBelow, eur, other,
		// Skips 签约: started and completed count, signing does not.
		project("P-SKIP", yi, certified(StageStarted, "2025-02-01", "2025-02-20"), certified(StageCompleted, "2025-11-30", "2025-12-10")),
		// Just under 1亿元; and one not yet certified.
		project("P-SMALL", yi-1, certified(StageSigned, "2025-01-05", "2025-01-20")),
		project("P-PENDING", 4*yi, Event{Stage: StageSigned, On: "2025-08-08"}),
	}
	for _, tt := range []struct {
		name  string
		rules func(*Rules)
		year  int
		want  map[Stage][]string
	}{
		{"defaults 2025", nil, 2025, map[Stage][]string{
			StageSigned:    {"P-DEC", "P-EUR", "P-SHARED", "P-USD-AT"},
			StageStarted:   {"P-DEC", "P-SKIP"},
			StageCompleted: {"P-SKIP"},
		}},
		{"defaults 2026", nil, 2026, map[Stage][]string{}},
		{"by certification date 2026", func(r *Rules) { r.Date = DateCertified }, 2026, map[Stage][]string{StageStarted: {"P-DEC"}}},
		{"uncertified too", func(r *Rules) { r.CertifiedOnly = false }, 2025, map[Stage][]string{
			StageSigned:    {"P-DEC", "P-EUR", "P-PENDING", "P-SHARED", "P-USD-AT"},
			StageStarted:   {"P-DEC", "P-SKIP"},
			StageCompleted: {"P-SKIP"},
		}},
		{"all fields", func(r *Rules) { r.FieldsOnly = false }, 2025, map[Stage][]string{
			StageSigned:    {"P-DEC", "P-EUR", "P-SHARED", "P-USD-AT"},
			StageStarted:   {"P-DEC", "P-OTHER", "P-SKIP"},
			StageCompleted: {"P-SKIP"},
		}},
		{"no USD line: by yuan", func(r *Rules) { r.ForeignMin = nil }, 2025, map[Stage][]string{
			StageSigned:    {"P-DEC", "P-EUR", "P-SHARED"},
			StageStarted:   {"P-DEC", "P-SKIP"},
			StageCompleted: {"P-SKIP"},
		}},
	} {
		r := DefaultRules()
		if tt.rules != nil {
			tt.rules(&r)
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := r.Count(ledger, tt.year)
		for _, s := range Counted {
			if want := tt.want[s]; !slices.Equal(got[s].Projects, want) || got[s].Total != len(want) {
				t.Errorf("%s, %s: %v (total %d), want %v", tt.name, s.Label(), got[s].Projects, got[s].Total, want)
			}
		}
	}
	// Shared by two units: once in the total, once for each unit.
	signed := DefaultRules().Count(ledger, 2025)[StageSigned]
	if signed.ByUnit["commerce"] != 1 || signed.ByUnit["development-reform"] != 4 || signed.ByField["sci-tech"] != 4 ||
		signed.ByPlace["321203101"] != 4 {
		t.Errorf("breakdowns: %v %v %v", signed.ByUnit, signed.ByField, signed.ByPlace)
	}
}

func TestRulesWhy(t *testing.T) {
	r := DefaultRules()
	small := project("P", money.YiYuan-money.WanYuan, certified(StageSigned, "2025-01-05", "2025-01-20"))
	usd := project("U", money.YiYuan/2)
	usd.Investment = Investment{TotalFen: money.YiYuan / 2, Currency: "USD", ForeignMinor: 700_000_000, Conversion: "1美元=7.1元"}
	pending := project("Q", 2*money.YiYuan, Event{Stage: StageStarted, On: "2025-05-05"})
	for _, tt := range []struct {
		p    Project
		s    Stage
		want string
	}{
		{small, StageSigned, "计划总投资9999万元,不足1亿元"},
		{usd, StageSigned, "计划总投资700万USD,不足1000万USD"},
		{pending, StageStarted, "新开工尚未认定"},
		{pending, StageCompleted, "没有竣工记录"},
	} {
		if _, _, why := r.Why(&tt.p, tt.s); why != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.p.Code, tt.s, why, tt.want)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	for _, tt := range []struct {
		edit func(*Rules)
		want string
	}{
		{func(r *Rules) { r.MinTotalFen = 0 }, "计划总投资下限应大于0"},
		{func(r *Rules) { r.ForeignMin = map[string]int64{"usd": 1} }, "外币“usd”应为三位字母代码"},
		{func(r *Rules) { r.Date = "signed" }, "计数日期“signed”"},
		{func(r *Rules) { r.Date, r.CertifiedOnly = DateCertified, false }, "按认定日期计数时只能计已认定的项目"},
	} {
		r := DefaultRules()
		tt.edit(&r)
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v, want %q", err, tt.want)
		}
	}
}
