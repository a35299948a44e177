package buildings

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/plan"
	"svcplan/internal/settings"
)

// Directory is what the buildings read of the enterprise directory,
// through its service (wired in internal/app).
type Directory interface {
	// Firms returns the directory's firms by USCC.
	Firms(ctx context.Context) (map[string]Firm, error)
	// Version changes whenever the directory does.
	Version(ctx context.Context) (int64, error)
}

// Service keeps 楼宇经济.
type Service struct {
	store     Store
	plans     *plan.Service
	directory Directory
	settings  settings.Store
	now       func() time.Time

	rules *settings.Live[TierRules]
	// loading lets one caller at a time read the state or bring it up
	// to date; mu guards the fields below.
	loading sync.Mutex
	mu      sync.Mutex
	state   *state
	board   *Board     // the latest board worked out (its data says from what)
	dir     *firmIndex // the directory's firms as last read
	ids     *firmIDs   // the firms' numbers, for every state and firmIndex
}

// firms returns the directory's firms, read again only after the
// directory changed.
func (s *Service) firms(ctx context.Context) (*firmIndex, error) {
	v, err := s.directory.Version(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if dir := s.dir; dir != nil && dir.version == v {
		s.mu.Unlock()
		return dir, nil
	}
	s.mu.Unlock()
	firms, err := s.directory.Firms(ctx)
	if err != nil {
		return nil, err
	}
	dir := indexFirms(s.ids, v, firms)
	s.mu.Lock()
	s.dir = dir
	s.mu.Unlock()
	return dir, nil
}

// NewService returns the buildings' service with the default tiers;
// LoadRules puts the saved ones in force.
func NewService(store Store, plans *plan.Service, dir Directory, st settings.Store, now func() time.Time) *Service {
	return &Service{store: store, plans: plans, directory: dir, settings: st, now: now, ids: newFirmIDs(),
		rules: settings.NewLive("buildings.tiers", DefaultTierRules())}
}

// LoadRules puts the latest saved tier rules in force.
func (s *Service) LoadRules(ctx context.Context) error { return s.rules.Load(ctx, s.settings) }

// Rules returns the tier rules in force.
func (s *Service) Rules() TierRules { return s.rules.Get() }

// SaveRules puts new tier rules in force, a new audited version.
func (s *Service) SaveRules(ctx context.Context, actor audit.Actor, u *auth.User, r TierRules) error {
	if err := auth.Check(u, auth.PermBuildingEdit, ""); err != nil {
		return err
	}
	if u.Unit != "" {
		return apperr.Forbiddenf("楼宇层级标准须由全区范围的统计员或管理员修改")
	}
	if probs := r.Check(); len(probs) > 0 {
		return apperr.InvalidFields(probs, map[string]string{"tiers": probs[0]})
	}
	if err := s.rules.Save(ctx, s.settings, "settings.buildings", actor, s.now().UTC(), r); err != nil {
		return err
	}
	s.forget()
	return nil
}

// SaveBuilding registers a new building (Version 0) or changes one (the
// Version it was read at): the next version, audited, with the reason.
func (s *Service) SaveBuilding(ctx context.Context, actor audit.Actor, u *auth.User, b Building) (*Building, error) {
	if err := auth.Check(u, auth.PermBuildingEdit, b.Unit); err != nil {
		return nil, err
	}
	st, err := s.plans.Active(ctx)
	if err != nil {
		return nil, err
	}
	probs := b.Check(func(code string) bool {
		unit, ok := st.Plan.Unit(code)
		return ok && unit.Kind != plan.KindDepartment
	})
	var before *Building
	switch versions, err := s.store.BuildingVersions(ctx, b.Code); {
	case apperr.KindOf(err) == apperr.NotFound:
		if b.Version != 0 {
			return nil, apperr.NotFoundf("楼宇%s不存在", b.Code)
		}
	case err != nil:
		return nil, err
	case b.Version == 0:
		probs["code"] = fmt.Sprintf("楼宇编号%s已被“%s”使用", b.Code, versions[0].Name)
	case b.Version != versions[0].Version:
		return nil, apperr.Conflictf("楼宇%s已被%s修改(第%d版),请刷新后重试", b.Code, versions[0].ChangedBy, versions[0].Version)
	default:
		before = &versions[0]
		if !u.InScope(before.Unit) {
			return nil, apperr.Forbiddenf("无权修改其他单位的楼宇")
		}
		if b.Reason == "" {
			probs["reason"] = "修改楼宇信息须写明原因"
		}
	}
	if len(probs) > 0 {
		return nil, invalid(probs)
	}
	if b.Reason == "" {
		b.Reason = "新建"
	}
	b.Version++
	b.ChangedBy, b.ChangedAt = actor.Name, s.now().UTC()
	action := "building.update"
	if before == nil {
		action = "building.create"
	}
	if err := s.store.SaveBuilding(ctx, &b, audit.New(b.ChangedAt, actor, action, "building", b.Code, before, b)); err != nil {
		return nil, err
	}
	s.wrote(ctx, s.withBuilding(ctx, b.Code))
	return &b, nil
}

// invalid is apperr.InvalidFields from problems by field, in field order.
func invalid(probs map[string]string) error {
	fields := slices.Sorted(maps.Keys(probs))
	msgs := make([]string, len(fields))
	for i, f := range fields {
		msgs[i] = probs[f]
	}
	return apperr.InvalidFields(msgs, probs)
}

// forget drops the board worked out, after the rules changed.
func (s *Service) forget() {
	s.mu.Lock()
	s.board = nil
	s.mu.Unlock()
}

// Versions returns every version of a building, latest first, for a user
// who may see buildings.
func (s *Service) Versions(ctx context.Context, u *auth.User, code string) ([]Building, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	return s.store.BuildingVersions(ctx, code)
}
