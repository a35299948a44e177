package dashboard

import (
	"context"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/monitor"
	"svcplan/internal/settings"
)

// Settings are the monitoring rules an administrator may change: the
// lights, the smallest cell shown to those who may not see firms, and the
// bounds of the data-quality checks. Defaults and their reasons are in
// doc/monitoring.md.
type Settings struct {
	Rules monitor.Rules `json:"rules"`
	// MinFirms: an aggregate of fewer firms is 保密 (at least 3).
	MinFirms int `json:"min_firms"`
	// YoYBound flags same-firm growth beyond ±YoYBound percent.
	YoYBound int `json:"yoy_bound"`
	// OutlierMADs flags a month this many median absolute deviations
	// from the firm's own recent months.
	OutlierMADs int `json:"outlier_mads"`
}

// DefaultSettings are the documented defaults.
func DefaultSettings() Settings {
	return Settings{Rules: monitor.DefaultRules(), MinFirms: monitor.DefaultMinFirms, YoYBound: 50, OutlierMADs: 3}
}

// Validate checks settings, in Chinese.
func (st Settings) Validate() error {
	if err := st.Rules.Validate(); err != nil {
		return err
	}
	switch {
	case st.MinFirms < monitor.DefaultMinFirms || st.MinFirms > 100:
		return apperr.Invalidf("保密阈值应为%d到100家(《统计法》:不得公布可推断单个企业的数据)", monitor.DefaultMinFirms)
	case st.YoYBound < 1 || st.YoYBound > 1000:
		return apperr.Invalidf("增速异常阈值应为1%%到1000%%")
	case st.OutlierMADs < 1 || st.OutlierMADs > 20:
		return apperr.Invalidf("偏离倍数应为1到20")
	}
	return nil
}

// SettingsStore keeps every version of the settings.
type SettingsStore = settings.Store

const settingsKey = "monitoring"

// LoadSettings reads the saved settings into the service (defaults when
// none were saved). Call it at start.
func (s *Service) LoadSettings(ctx context.Context, store SettingsStore) error {
	st := DefaultSettings()
	if found, err := settings.Load(ctx, store, settingsKey, &st); err != nil || !found {
		return err
	}
	s.apply(st)
	return nil
}

// Settings are the rules in force.
func (s *Service) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Settings{Rules: s.src.Rules(), MinFirms: s.src.MinFirms, YoYBound: s.src.YoYBound, OutlierMADs: s.src.OutlierMADs}
}

// SaveSettings checks and saves new settings (administrators) and puts
// them in force at once.
func (s *Service) SaveSettings(ctx context.Context, store SettingsStore, actor audit.Actor, u *auth.User, st Settings) error {
	if err := auth.Check(u, auth.PermValuesPublish, ""); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	if err := settings.Save(ctx, store, settingsKey, "settings.monitoring", actor, s.src.Now().UTC(), s.Settings(), st); err != nil {
		return err
	}
	s.apply(st)
	return nil
}

// apply puts settings in force and drops what was computed under the old.
func (s *Service) apply(st Settings) {
	rules := st.Rules
	s.mu.Lock()
	s.src.Rules = func() monitor.Rules { return rules }
	s.src.MinFirms, s.src.YoYBound, s.src.OutlierMADs = st.MinFirms, st.YoYBound, st.OutlierMADs
	s.mu.Unlock()
	s.Invalidate()
}
