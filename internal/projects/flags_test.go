package projects

import (
	"strings"
	"testing"
	"time"

	"svcplan/internal/money"
	"svcplan/internal/monitor"
)

// The delay warnings on hand-checked days and figures (doc/projects.md).
func TestFlags(t *testing.T) {
	today := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	wan := money.WanYuan
	base := func(events ...Event) *Project {
		p := project("P", 3*money.YiYuan, events...)
		p.Plans = []YearPlan{{Year: 2026, Fen: 12000 * wan}}
		return &p
	}
	started := func(on string) Event { return Event{Stage: StageStarted, On: on} }
	withDates := func(p *Project, start, end string) *Project { p.PlannedStart, p.PlannedEnd = start, end; return p }
	filed := func(ytd int64, fai bool) *Progress {
		return &Progress{Period: "2026-09", YTDFen: money.Fen(ytd) * wan, InFAI: fai, FAIMonth: map[bool]string{true: "2026-05"}[fai]}
	}
	for _, tt := range []struct {
		name   string
		p      *Project
		latest *Progress
		want   []string // light: why
	}{
		{"start 75 days late", withDates(base(), "2026-08-01", ""), nil, []string{"yellow: 计划于2026-08-01开工,已逾期75天尚未开工"}},
		{"start 136 days late", withDates(base(), "2026-06-01", ""), nil, []string{"red: 计划于2026-06-01开工,已逾期136天尚未开工"}},
		{"start 25 days late", withDates(base(), "2026-09-20", ""), nil, nil},
		{"25 pp behind", base(started("2026-01-10")), filed(6000, true),
			[]string{"yellow: 2026年1-9月完成投资6000万元,为年度计划的50.0%,低于序时进度75.0%达25.0个百分点"}},
		{"40 pp behind", base(started("2026-01-10")), filed(4200, true),
			[]string{"red: 2026年1-9月完成投资4200万元,为年度计划的35.0%,低于序时进度75.0%达40.0个百分点"}},
		{"5 pp behind", base(started("2026-01-10")), filed(8400, true), nil},
		{"started a month ago, not 入库", base(started("2026-08-20")), filed(8400, false), []string{"yellow: 2026-08-20开工,已1个月尚未固投入库"}},
		{"started three months ago, not 入库", base(started("2026-07-10")), nil, []string{"red: 2026-07-10开工,已3个月尚未固投入库"}},
		{"completion 106 days late", withDates(base(started("2025-01-10")), "2025-01-01", "2026-07-01"), filed(9000, true),
			[]string{"red: 计划于2026-07-01竣工,已逾期106天尚未竣工"}},
		{"completed", withDates(base(started("2025-01-10"), Event{Stage: StageCompleted, On: "2026-08-01"}), "2025-01-01", "2026-07-01"),
			filed(1000, false), nil},
	} {
		var got []string
		for _, f := range DefaultFlagRules().Flags(tt.p, tt.latest, today) {
			if f.Project != "P" || (f.Light != monitor.Yellow && f.Light != monitor.Red) {
				t.Errorf("%s: %+v", tt.name, f)
			}
			got = append(got, string(f.Light)+": "+f.Why)
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}
