package buildings

import (
	"context"

	"svcplan/internal/audit"
)

// Store keeps the buildings, their spaces and the tax figures, every
// version (store.BuildingStore).
type Store interface {
	// SaveBuilding appends a version of a building with its audit entry;
	// a version already taken is a conflict.
	SaveBuilding(ctx context.Context, b *Building, e audit.Entry) error
	// Buildings returns the latest version of every building, by code.
	Buildings(ctx context.Context) ([]Building, error)
	// BuildingVersions returns every version of a building, latest first
	// (NotFound for an unknown code).
	BuildingVersions(ctx context.Context, code string) ([]Building, error)
	// AddSpace appends a version of a building's space, its rooms and
	// occupancies, with its audit entry; a version already taken is a
	// conflict.
	AddSpace(ctx context.Context, sp *Space, e audit.Entry) error
	// LatestSpaces returns the latest space of every building that has
	// one, by building.
	LatestSpaces(ctx context.Context) (map[string]*Space, error)
	// AppendTax adds versions of tax figures with the import's audit
	// entry, all or none.
	AppendTax(ctx context.Context, ts []Tax, e audit.Entry) error
	// LatestSpace returns a building's latest space, nil when it has
	// none.
	LatestSpace(ctx context.Context, code string) (*Space, error)
	// TaxFigures returns the latest version of every tax figure of the
	// periods (2025, 2025-03) on the caliber ("" for every caliber).
	TaxFigures(ctx context.Context, periods []string, caliber Caliber) ([]TaxFigure, error)
	// AddVisit stores a visit with its findings and files (checked) and
	// its audit entry, numbering it.
	AddVisit(ctx context.Context, v *Visit, files []StoredFile, e audit.Entry) error
	// Visits returns a building's visits, the latest first, each with its
	// findings, its files (without their bytes) and its decision.
	Visits(ctx context.Context, building string) ([]Visit, error)
	// Visit returns one visit (NotFound for an unknown one).
	Visit(ctx context.Context, id int64) (*Visit, error)
	// DecideVisit records a decision on a visit, once (a second is a
	// conflict), with the space a confirmation makes (nil for a
	// rejection), all or nothing.
	DecideVisit(ctx context.Context, v *Visit, next *Space, e audit.Entry) error
	// VisitFile returns a visit's file with its bytes.
	VisitFile(ctx context.Context, id int64) (*StoredFile, error)
	// Version changes with every write, for caches.
	Version(ctx context.Context) (int64, error)
}
