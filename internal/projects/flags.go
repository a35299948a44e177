package projects

import (
	"fmt"
	"math/big"
	"time"

	"svcplan/internal/money"
	"svcplan/internal/monitor"
)

// Delay warnings: a project is flagged when a planned date passed without
// the stage, when its year-to-date investment is behind the year plan's
// 序时进度, or when it started but is not in the fixed-asset-investment
// statistics months later (cn-stats-conventions §2.5: 银川's bands are the
// defaults). Each flag says why in one Chinese sentence.

// FlagRules are the bands of the warnings, part of the counting rules.
type FlagRules struct {
	// PaceYellowPP and PaceRedPP: completion this many percentage
	// points below 序时进度 is yellow, red.
	PaceYellowPP int `json:"pace_yellow_pp"`
	PaceRedPP    int `json:"pace_red_pp"`
	// LateDays: a planned start or completion passed by more than this
	// is yellow; by more than three times this, red.
	LateDays int `json:"late_days"`
	// FAIMonths: started this many months ago and not 入库 is yellow;
	// twice as many, red.
	FAIMonths int `json:"fai_months"`
}

// DefaultFlagRules: 10/30 pp below 序时进度, a month late, 入库 within a
// month of starting (银川 重点项目, §2.5).
func DefaultFlagRules() FlagRules {
	return FlagRules{PaceYellowPP: 10, PaceRedPP: 30, LateDays: 30, FAIMonths: 1}
}

func (f FlagRules) validate() []string {
	var bad []string
	if f.PaceYellowPP < 1 || f.PaceRedPP <= f.PaceYellowPP || f.PaceRedPP > 100 {
		bad = append(bad, "序时进度的黄灯、红灯差距应为1到100个百分点,红灯大于黄灯")
	}
	if f.LateDays < 1 || f.LateDays > 366 {
		bad = append(bad, "逾期天数应为1到366天")
	}
	if f.FAIMonths < 1 || f.FAIMonths > 12 {
		bad = append(bad, "开工后入库月数应为1到12个月")
	}
	return bad
}

// FlagKind is what a warning is about.
type FlagKind string

// Kinds of warning.
const (
	FlagStartLate    FlagKind = "start_late"    // 开工滞后
	FlagCompleteLate FlagKind = "complete_late" // 竣工滞后
	FlagPace         FlagKind = "pace"          // 投资进度滞后
	FlagFAI          FlagKind = "fai"           // 未入库
	FlagProblem      FlagKind = "problem"       // 问题逾期未解决
)

var flagLabels = map[FlagKind]string{FlagStartLate: "开工滞后", FlagCompleteLate: "竣工滞后", FlagPace: "投资进度滞后",
	FlagFAI: "未入库", FlagProblem: "问题逾期"}

// Label is the kind's Chinese name.
func (k FlagKind) Label() string { return flagLabels[k] }

// Flag is one warning on a project.
type Flag struct {
	Project string        `json:"project"`
	Kind    FlagKind      `json:"kind"`
	Light   monitor.Light `json:"light"` // yellow or red
	Why     string        `json:"why"`
}

// Flags returns a project's warnings on a day, given its latest filing of
// the day's year (nil for none).
func (f FlagRules) Flags(p *Project, latest *Progress, today time.Time) []Flag {
	var out []Flag
	add := func(kind FlagKind, red bool, format string, args ...any) {
		light := monitor.Yellow
		if red {
			light = monitor.Red
		}
		out = append(out, Flag{Project: p.Code, Kind: kind, Light: light, Why: fmt.Sprintf(format, args...)})
	}
	day := today.Format(time.DateOnly)
	late := func(planned string) int {
		t, err := time.Parse(time.DateOnly, planned)
		if err != nil || planned >= day {
			return 0
		}
		return int(today.Sub(t).Hours() / 24)
	}
	_, started := p.Event(StageStarted)
	_, completed := p.Event(StageCompleted)
	_, operating := p.Event(StageOperating)
	if d := late(p.PlannedStart); !started && !completed && d > f.LateDays {
		add(FlagStartLate, d > 3*f.LateDays, "计划于%s开工,已逾期%d天尚未开工", p.PlannedStart, d)
	}
	if d := late(p.PlannedEnd); started && !completed && !operating && d > f.LateDays {
		add(FlagCompleteLate, d > 3*f.LateDays, "计划于%s竣工,已逾期%d天尚未竣工", p.PlannedEnd, d)
	}
	if latest != nil && !completed {
		per, err := monitor.ParsePeriod(latest.Period)
		var plan money.Fen
		for _, y := range p.Plans {
			if y.Year == per.Year {
				plan = y.Fen
			}
		}
		// behind: (month/12 − ytd/plan) × 100 ≥ yellow, in integers
		// first (every term ≤ 1200 × money.Max < 2⁶³), exact figures
		// only for the flagged.
		behind := func(pp int) bool {
			return int64(per.Month)*int64(plan)*100-int64(latest.YTDFen)*1200 >= int64(pp)*12*int64(plan)
		}
		if err == nil && per.Month != 0 && plan > 0 && plan <= money.Max && behind(f.PaceYellowPP) {
			rate := big.NewRat(int64(latest.YTDFen), int64(plan))
			pace := big.NewRat(int64(per.Month), 12)
			gap := new(big.Rat).Mul(new(big.Rat).Sub(pace, rate), big.NewRat(100, 1))
			add(FlagPace, behind(f.PaceRedPP), "%s完成投资%s万元,为年度计划的%s%%,低于序时进度%s%%达%s个百分点", per.Label(),
				latest.YTDFen.Wan(), money.Percent(rate, 1), money.Percent(pace, 1), money.Decimal(gap, 1))
		}
	}
	if e, ok := p.Event(StageStarted); ok && !completed && (latest == nil || !latest.InFAI) {
		if t, err := time.Parse(time.DateOnly, e.On); err == nil {
			months := (today.Year()-t.Year())*12 + int(today.Month()) - int(t.Month())
			if today.Day() < t.Day() {
				months--
			}
			if months >= f.FAIMonths {
				add(FlagFAI, months >= 2*f.FAIMonths, "%s开工,已%d个月尚未固投入库", e.On, months)
			}
		}
	}
	return out
}
