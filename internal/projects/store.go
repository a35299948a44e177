package projects

import (
	"context"
	"time"

	"svcplan/internal/audit"
)

// Store is what the ledger keeps and reads.
type Store interface {
	// CreateProject adds a project with its audit entry; a code in use is
	// a conflict.
	CreateProject(ctx context.Context, p Project, e audit.Entry) error
	// ImportProjects adds new projects, all or none, with one audit
	// entry; a code in use is a conflict.
	ImportProjects(ctx context.Context, ps []Project, e audit.Entry) error
	// UpdateProject replaces a project's state by next, keeping old whole
	// in its history with the fields changed and the audit entry; a
	// project whose version is no longer old's is a conflict.
	UpdateProject(ctx context.Context, old, next Project, changed []string, e audit.Entry) error
	FindProject(ctx context.Context, code string) (*Project, error)
	// ProjectHistory returns the earlier states of a project, newest first.
	ProjectHistory(ctx context.Context, code string) ([]Version, error)
	// ListProjects returns one page of the projects a filter selects, in
	// code order, and how many it selects in all.
	ListProjects(ctx context.Context, f Filter) ([]Project, int, error)
	// AllProjects returns every project, with units, plans and events, in
	// code order.
	AllProjects(ctx context.Context) ([]Project, error)
	// ChangedProjects returns, likewise, the projects written after
	// ProjectsVersion was since.
	ChangedProjects(ctx context.Context, since int64) ([]Project, error)
	// ProjectsVersion changes whenever a project does, for caches.
	ProjectsVersion(ctx context.Context) (int64, error)
	// ProgressVersion changes whenever a round's figures do.
	ProgressVersion(ctx context.Context) (int64, error)
	ProgressStore
	ProblemStore
	AttractionStore
	FAIStore
}

// Version is an earlier state of a project.
type Version struct {
	Project
	Changed      []string  `json:"changed"` // what the next version changed
	SupersededAt time.Time `json:"superseded_at"`
	SupersededBy string    `json:"superseded_by"`
}

// Filter selects projects. Empty fields select everything.
type Filter struct {
	Query  string // part of the name or code, or the builder's name
	Field  string
	Place  string // town, street or park
	Unit   string // a responsible unit, or the place: a reporter's scope
	Stage  Stage
	Level  Level
	Offset int
	Limit  int
}

// ProgressStore keeps the monthly rounds' figures, every version.
type ProgressStore interface {
	// AppendProgress adds versions of projects' monthly figures with the
	// act's audit entry; a version already taken is a conflict.
	AppendProgress(ctx context.Context, ps []Progress, e audit.Entry) error
	// MonthProgress returns the latest version of every project's figures
	// for a month.
	MonthProgress(ctx context.Context, period string) ([]Progress, error)
	// ProjectProgress returns every version of a project's figures, the
	// latest month first, each month's latest version first.
	ProjectProgress(ctx context.Context, code string) ([]Progress, error)
	// LatestProgress returns, for every project that filed in a year, the
	// latest version of its latest month of that year: its period,
	// version, YTDFen and InFAI (what the warnings read). With since ≥ 0
	// it returns only those that changed after ProgressVersion was since;
	// -1 returns all.
	LatestProgress(ctx context.Context, year int, since int64) ([]Progress, error)
}
