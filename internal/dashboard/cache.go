package dashboard

import (
	"context"
	"fmt"

	"svcplan/internal/reports"
)

// The rollups are small (a few hundred rows a period) and change only when
// a report file is imported, so the dashboard keeps those it has read in
// memory for as long as the reports' version stays the same. Checking the
// version is one indexed query; an import in another process (the CLI)
// changes it too.

// maxCachedQueries bounds the cache: the drill-down has few distinct
// queries, but a crawler could ask for every combination.
const maxCachedQueries = 512

type rollupCache struct {
	version int64
	rollups map[string][]reports.Rollup
	periods map[string][]reports.Period
}

// fresh returns the cache for the reports' current version.
func (s *Service) fresh(ctx context.Context) (*rollupCache, error) {
	v, err := s.src.Reports.Version(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rc == nil || s.rc.version != v || len(s.rc.rollups)+len(s.rc.periods) > maxCachedQueries {
		s.rc = &rollupCache{version: v, rollups: map[string][]reports.Rollup{}, periods: map[string][]reports.Period{}}
	}
	return s.rc, nil
}

// rollups reads rollups (revenue only), from memory when it can.
func (s *Service) rollups(ctx context.Context, q reports.Query) ([]reports.Rollup, error) {
	q.RevenueOnly = true
	c, err := s.fresh(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%v|%s|%s|%s|%v", q.Form, q.Periods, q.Unit, q.Division, q.Industry, q.ByPeriod)
	s.mu.Lock()
	rs, ok := c.rollups[key]
	s.mu.Unlock()
	if ok {
		return rs, nil
	}
	if rs, err = s.src.Reports.Rollups(ctx, q); err != nil {
		return nil, err
	}
	s.mu.Lock()
	c.rollups[key] = rs
	s.mu.Unlock()
	return rs, nil
}

// periods lists a form's periods, from memory when it can.
func (s *Service) periods(ctx context.Context, form string) ([]reports.Period, error) {
	c, err := s.fresh(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	ps, ok := c.periods[form]
	s.mu.Unlock()
	if ok {
		return ps, nil
	}
	if ps, err = s.src.Reports.Periods(ctx, form); err != nil {
		return nil, err
	}
	s.mu.Lock()
	c.periods[form] = ps
	s.mu.Unlock()
	return ps, nil
}
