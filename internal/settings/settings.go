// Package settings keeps rules an administrator edits (counting rules,
// warning bands, lights) as versioned JSON values of the settings store:
// every version kept, each change audited in the same transaction.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
)

// Store keeps every version of each key (store.SettingsStore).
type Store interface {
	// LatestSetting returns the latest value of a key, or NotFound.
	LatestSetting(ctx context.Context, key string) ([]byte, error)
	// SaveSetting appends a version with its audit entry.
	SaveSetting(ctx context.Context, key string, value []byte, by string, at time.Time, e audit.Entry) error
}

// Load reads the latest value of key into dst, which holds the defaults
// (a field saved before it existed keeps its default). It reports whether
// a value was saved.
func Load(ctx context.Context, st Store, key string, dst any) (bool, error) {
	b, err := st.LatestSetting(ctx, key)
	if apperr.KindOf(err) == apperr.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return false, fmt.Errorf("settings: %s: %w", key, err)
	}
	return true, nil
}

// Save appends value as key's next version, audited as action by actor at
// at with the value before.
func Save(ctx context.Context, st Store, key, action string, actor audit.Actor, at time.Time, before, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	e := audit.New(at, actor, action, "settings", key, before, value)
	return st.SaveSetting(ctx, key, b, actor.Name, at, e)
}

// Live is a rule kept under key and in force in memory: its defaults
// until Load finds a saved version, then the latest saved one.
type Live[T any] struct {
	key string
	mu  sync.Mutex
	v   T
}

// NewLive returns a rule under key holding its defaults.
func NewLive[T any](key string, defaults T) *Live[T] { return &Live[T]{key: key, v: defaults} }

// Load puts the latest saved version in force, over the defaults (a field
// saved before it existed keeps its default).
func (l *Live[T]) Load(ctx context.Context, st Store) error {
	v := l.Get()
	if found, err := Load(ctx, st, l.key, &v); err != nil || !found {
		return err
	}
	l.mu.Lock()
	l.v = v
	l.mu.Unlock()
	return nil
}

// Get returns the rule in force.
func (l *Live[T]) Get() T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v
}

// Save saves v as the next version, audited as action, and puts it in
// force. The caller has checked v.
func (l *Live[T]) Save(ctx context.Context, st Store, action string, actor audit.Actor, at time.Time, v T) error {
	if err := Save(ctx, st, l.key, action, actor, at, l.Get(), v); err != nil {
		return err
	}
	l.mu.Lock()
	l.v = v
	l.mu.Unlock()
	return nil
}
