package registry

import (
	"context"
	"slices"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/industry"
)

// Successor returns where a GB/T 4754-2011 class went in 2017 (for a
// firm whose class awaits its check: the classes to choose from).
func (s *Service) Successor(code string) (industry.Successor, bool) {
	return s.ref().Crosswalk.Successor(code)
}

// ConfirmIndustry settles the class of a firm that came with a GB/T
// 4754-2011 code 2017 split: a statistician picks its 2017 class, which
// should be one the old class went to. version is the firm's version the
// choice was made on; a firm changed since is a conflict. The firm's
// earlier state stays in its history and the act in the audit log.
func (s *Service) ConfirmIndustry(ctx context.Context, actor audit.Actor, u *auth.User, uscc, class string, version int) (*Enterprise, error) {
	if err := auth.Check(u, auth.PermDirectoryImport, ""); err != nil {
		return nil, err
	}
	old, err := s.findInScope(ctx, u, uscc)
	if err != nil {
		return nil, err
	}
	if old.Industry2011 == "" {
		return nil, apperr.Conflictf("企业%s的行业小类不需核实(或已由他人确认)", uscc)
	}
	if old.Version != version {
		return nil, apperr.Conflictf("企业%s已被他人修改,请刷新后重新确认", uscc)
	}
	succ, ok := s.Successor(old.Industry2011)
	if !ok || !slices.Contains(succ.Classes, class) {
		return nil, apperr.Invalidf("“%s”不是2011版小类%s在2017版中的对应小类,应为%s之一", class, old.Industry2011, strings.Join(succ.Classes, "、"))
	}
	if _, ok := s.ref().Table.Class(class); !ok {
		return nil, apperr.Invalidf("“%s”不在现行行业分类表中", class)
	}
	next := *old
	next.Industry, next.Industry2011 = class, ""
	next.Version, next.UpdatedAt, next.UpdatedBy, next.ImportID = old.Version+1, s.now().UTC(), actor.Name, 0
	changed := []string{fieldName(FIndustry2011)}
	if class != old.Industry {
		changed = append([]string{fieldName(FIndustry)}, changed...)
	}
	type state struct {
		Industry     string `json:"industry"`
		Industry2011 string `json:"industry_2011"`
		Version      int    `json:"version"`
	}
	e := audit.New(next.UpdatedAt, actor, "enterprise.industry_confirm", "enterprise", uscc,
		state{old.Industry, old.Industry2011, old.Version}, state{next.Industry, next.Industry2011, next.Version})
	if err := s.store.Amend(ctx, Change{Old: *old, New: next, Changed: changed}, e); err != nil {
		return nil, err
	}
	return &next, nil
}
