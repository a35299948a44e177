package projects

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"svcplan/internal/money"
	"svcplan/internal/monitor"
)

// The monthly 调度 round: for each month every responsible unit files, for
// each of its projects, the investment completed so far this year, the
// image progress and whether the project is in the fixed-asset-investment
// statistics (固投入库); statisticians review and publish the round. These
// are the units' own figures (完成投资), never the statistics bureau's
// 固定资产投资.

// ProgressStatus is where a filed figure stands.
type ProgressStatus string

// Statuses.
const (
	Submitted ProgressStatus = "submitted" // 已报送
	Returned  ProgressStatus = "returned"  // 退回修改
	Published ProgressStatus = "published" // 已发布
)

var progressLabels = map[ProgressStatus]string{Submitted: "已报送", Returned: "退回修改", Published: "已发布"}

// Label is the status's Chinese name.
func (s ProgressStatus) Label() string { return progressLabels[s] }

// Progress is one version of a project's figures for a month.
type Progress struct {
	Project string `json:"project"`
	Period  string `json:"period"` // YYYY-MM: the figures are 1-本月 of that month
	Version int    `json:"version"`
	// YTDFen is the investment completed this year to the month's end
	// (本年累计完成投资); SinceStartFen since the project started.
	YTDFen        money.Fen      `json:"ytd_fen"`
	SinceStartFen money.Fen      `json:"since_start_fen"`
	Image         string         `json:"image"`     // 形象进度
	InFAI         bool           `json:"in_fai"`    // 固投入库
	FAIMonth      string         `json:"fai_month"` // YYYY-MM it entered, or ""
	Status        ProgressStatus `json:"status"`
	Reason        string         `json:"reason,omitempty"` // why a figure was revised or returned
	Unit          string         `json:"unit"`             // the unit that filed it
	EnteredBy     string         `json:"entered_by"`
	EnteredAt     time.Time      `json:"entered_at"`
}

// ProgressInput is what a unit files.
type ProgressInput struct {
	Project       string    `json:"project"`
	Period        string    `json:"period"`
	YTDFen        money.Fen `json:"ytd_fen"`
	SinceStartFen money.Fen `json:"since_start_fen"`
	Image         string    `json:"image"`
	InFAI         bool      `json:"in_fai"`
	FAIMonth      string    `json:"fai_month"`
	Reason        string    `json:"reason"`
}

// parseMonth reads a month in monitor's canonical YYYY-MM form.
func parseMonth(s string) (monitor.Period, bool) {
	p, err := monitor.ParsePeriod(s)
	return p, err == nil && p.Month != 0
}

// periodOf is the YYYY-MM of a time.
func periodOf(t time.Time) string { return t.Format("2006-01") }

// checkProgress checks a filing against the project and the figures the
// project had filed before (latest first per month, prev the latest of an
// earlier month of the same year, or nil).
func checkProgress(p *Project, in ProgressInput, prev *Progress, current *Progress, now time.Time) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	_, ok := parseMonth(in.Period)
	switch {
	case !ok:
		add("period", "调度月份“%s”应为2026-03这样的年月", in.Period)
	case in.Period > periodOf(now):
		add("period", "调度月份%s晚于本月", in.Period)
	}
	switch {
	case in.YTDFen < 0:
		add("ytd_fen", "本年累计完成投资不能为负数")
	case in.SinceStartFen < in.YTDFen:
		add("since_start_fen", "自开工累计完成投资%s万元小于本年累计%s万元", in.SinceStartFen.Wan(), in.YTDFen.Wan())
	case in.SinceStartFen > p.Investment.TotalFen:
		add("since_start_fen", "自开工累计完成投资%s万元超过计划总投资%s万元", in.SinceStartFen.Wan(), p.Investment.TotalFen.Wan())
	}
	if ok && prev != nil && prev.Period[:4] == in.Period[:4] && in.YTDFen < prev.YTDFen && strings.TrimSpace(in.Reason) == "" {
		add("ytd_fen", "本年累计完成投资%s万元少于%s的%s万元,如确需调减请说明原因", in.YTDFen.Wan(), prev.Period, prev.YTDFen.Wan())
	}
	if in.InFAI {
		if _, fok := parseMonth(in.FAIMonth); !fok || (ok && in.FAIMonth > in.Period) {
			add("fai_month", "固投入库月份“%s”应为不晚于调度月份的年月", in.FAIMonth)
		}
	} else if in.FAIMonth != "" {
		add("fai_month", "未入库的项目不应填写入库月份")
	}
	if utf8.RuneCountInString(in.Image) > 1000 {
		add("image", "形象进度超过1000个字")
	}
	if utf8.RuneCountInString(in.Reason) > maxText {
		add("reason", "原因超过%d个字", maxText)
	}
	if current != nil && current.Status == Published && strings.TrimSpace(in.Reason) == "" {
		add("reason", "%s的数据已发布,修改须说明原因", in.Period)
	}
	return errs
}

// inRound reports whether a project reports in a month's round: every
// project except those completed (or in operation) before that year.
func inRound(p *Project, period string) bool {
	start := period[:4] + "-01-01"
	for _, s := range []Stage{StageCompleted, StageOperating} {
		if e, ok := p.Event(s); ok && e.On < start {
			return false
		}
	}
	return true
}
