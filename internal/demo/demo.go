// Package demo generates synthetic demonstration data (示例数据) for a plan:
// an enterprise directory, the monthly F203 reports of its above-size
// service firms, published values of the plan's indicators that the
// platform does not compute, and a major-project ledger. Everything is made up — names, codes, figures
// — and deterministic for a seed. The data is returned as plain tables, in
// the shapes the importers read (registry.Service.ImportEnterprises,
// reports.Service.Import, indicators.Service.Save); this package touches no
// database.
//
// The model, in brief (doc/monitoring.md, shared/domain/cn-stats-conventions.md):
//
//   - firms get a service class of one of the plan's fields, a town, a
//     founding date (2005 onwards, more of them recently) and a size drawn
//     from a Pareto distribution (α = 1.2), so a few firms are very large;
//   - each firm's annual revenue grows by N(6%, 10%) a year, clipped, and
//     is spread over months with a seasonal profile (1-2月 ≈ 13% of the
//     year because of 春节, December the strongest month);
//   - young firms grow into their size over two years, and the largest
//     firms tend to be old ones;
//   - a firm enters the statistics through the two doors of §3.1: a new
//     firm that applies in the month its year-to-date revenue reaches the
//     threshold of its class, any firm in January after the annual review
//     of a year whose (annualised) revenue reached it; nobody leaves;
//   - reports are year-to-date sums of the same monthly figures, so YTD
//     never falls within a year and 上年同期 is exactly last year's YTD.
package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"svcplan/internal/indicators"
	"svcplan/internal/industry"
	"svcplan/internal/plan"
	"svcplan/internal/projects"
	"svcplan/internal/reports"
)

// Data is a generated demonstration data set.
type Data struct {
	// Firms is the directory table, its first row the header
	// (统一社会信用代码, 单位详细名称, 行业代码, 所在镇街, 成立日期, 纳统状态, 入库时间).
	Firms [][]string
	// Reports holds one F203 table per period, oldest first.
	Reports []ReportFile
	// Values are published values of the plan's indicators that are
	// neither computed by the platform nor set per unit, for the district.
	Values []indicators.Input
	// Projects is the major-project ledger, each project with its stages
	// and their certifications; Progress the monthly rounds of the last
	// year, oldest month first (all but the last month published).
	Projects []projects.Project
	Progress []projects.ProgressInput
	// FAI is the statistics bureau's monthly 固定资产投资 list of every
	// month but the last (it comes a month later), as the bureau sends it:
	// the ledger's projects 入库 and a few projects of other industries.
	FAI []FAIFile
	// Assessment is a 2025 scheme for the towns and parks, their published
	// figures it reads and the facts entered for it (none for a plan
	// without the indicators it scores).
	Assessment Assessment
	// Supervision is the 督查督办 ledger: 40 items in every state.
	Supervision []Supervised
	// Attractions credit departments with firms of the last year (五(四)).
	Attractions []projects.Attraction
	// Buildings is 楼宇经济: 25 buildings, their 台账 and the tax file.
	Buildings Buildings
}

// FAIFile is the bureau's list of one month, its first row the header.
type FAIFile struct {
	Period string // YYYY-MM
	Rows   [][]string
}

// ReportFile is the F203 export of one period.
type ReportFile struct {
	Period reports.Period
	Rows   [][]string // first row the header
}

// Options steer the generation.
type Options struct {
	// Seed makes the data: the same seed and options give the same data.
	Seed uint64
	// Firms is the size of the directory; 0 means DefaultFirms.
	Firms int
	// Through ends the data: the last month with data is the month before
	// it, and only indicator values released before it are included.
	// The zero time means now.
	Through time.Time
}

// DefaultFirms is the directory size when Options.Firms is 0.
const DefaultFirms = 2400

// SourceRef marks every generated indicator value.
const SourceRef = "示例数据"

// firstPeriod is the first F203 period generated: 2023年1-2月.
const firstPeriod reports.Period = 202302

// Random streams: each part of the data draws from its own stream, so that
// changing one part leaves the others as they were.
const (
	streamFirms uint64 = iota + 1
	streamSizes
	streamSeries
	streamNames
	streamValues
	streamProjects
	streamProgress
	streamAttractions
	streamFAI
	streamAssess
	streamSupervise
	streamBuildings
)

// Generate makes a demonstration data set for plan p, with the industry
// classes of table. It fails when the plan has no field with service
// classes or no town, street or park, or when opts.Through leaves no
// reporting period (it must be after February 2023).
func Generate(p *plan.Plan, table *industry.Table, opts Options) (*Data, error) {
	if p == nil || table == nil {
		return nil, errors.New("demo: a plan and an industry table are needed")
	}
	if opts.Firms < 0 {
		return nil, fmt.Errorf("demo: firm count %d is negative", opts.Firms)
	}
	if opts.Firms == 0 {
		opts.Firms = DefaultFirms
	}
	if opts.Through.IsZero() {
		opts.Through = time.Now()
	}
	through := time.Date(opts.Through.Year(), opts.Through.Month(), opts.Through.Day(), 0, 0, 0, 0, time.UTC)
	last := monthOf(through) - 1 // the last month with data
	if last < periodIndex(firstPeriod) {
		return nil, fmt.Errorf("demo: Through %s leaves no reporting period (the first is %s)",
			through.Format(time.DateOnly), firstPeriod.Label())
	}

	g := &generator{plan: p, table: table, thresholds: industry.DefaultThresholds(), seed: opts.Seed,
		through: through, last: last}
	if err := g.prepare(); err != nil {
		return nil, err
	}
	g.makeFirms(opts.Firms)
	g.sizeFirms()
	g.simulate()
	g.nameFirms()

	ledger := g.makeProjects()
	progress := g.makeProgress(ledger)
	assessment := g.makeAssessment()
	return &Data{Firms: g.directory(), Reports: g.reports(), Values: g.values(), Projects: ledger, Progress: progress,
		FAI: g.makeFAI(ledger, progress), Assessment: assessment, Supervision: g.makeSupervision(assessment), Attractions: g.makeAttractions(),
		Buildings: g.makeBuildings()}, nil
}

// rng returns the random stream of one part of the data.
func (g *generator) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, stream))
}
