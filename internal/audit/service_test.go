package audit

import (
	"context"
	"testing"
	"time"
)

// memStore keeps entries in memory, newest last, and pages like the
// stores: newest first, before an id, at most Limit.
type memStore struct{ es []Entry }

func (m *memStore) AppendAudit(_ context.Context, e Entry) error {
	e.ID = int64(len(m.es) + 1)
	m.es = append(m.es, e)
	return nil
}

func (m *memStore) ListAudit(_ context.Context, f Filter) ([]Entry, error) {
	var out []Entry
	for i := len(m.es) - 1; i >= 0 && len(out) < f.Limit; i-- {
		if f.BeforeID == 0 || m.es[i].ID < f.BeforeID {
			out = append(out, m.es[i])
		}
	}
	return out, nil
}

func TestServiceRecordsAndPages(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	st := &memStore{}
	s := NewService(st, func() time.Time { return at })
	ctx := t.Context()
	actor := Actor{Name: "stat", Addr: "192.0.2.7"}
	if err := s.Deny(ctx, actor, "login", "user", "stat", "登录尝试过于频繁"); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := s.Record(ctx, actor, "export.enterprises", "enterprise", "", map[string]string{"filter": "unit=321203101"}); err != nil {
			t.Fatal(err)
		}
	}
	if e := st.es[0]; e.Outcome != Denied || e.Reason != "登录尝试过于频繁" || !e.At.Equal(at) || e.At.Location() != time.UTC {
		t.Errorf("refusal: %+v", e)
	}
	if e := st.es[1]; e.Outcome != OK || string(e.After) != `{"filter":"unit=321203101"}` || e.Before != nil {
		t.Errorf("export: %+v", e)
	}
	// Pages of two: 5, 4 | 3, 2 | 1 — every entry once, newest first.
	var ids []int64
	if err := s.Each(ctx, Filter{Limit: 2}, func(e Entry) error { ids = append(ids, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 5 || ids[0] != 5 || ids[4] != 1 {
		t.Errorf("each: %v", ids)
	}
}
