package store_test

import (
	"fmt"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/registry"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
)

// TestInsertStamps writes firms whose stamps (version, time, user, import)
// are shared by a whole batch, by part of one, and by none, across the
// SQLite chunk size: each firm must read back exactly as written.
func TestInsertStamps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewRegistryStore(db)
		ctx := t.Context()
		at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		imp := &registry.Import{Run: table.Run{FileName: "e.csv", SHA256: "h", Mode: table.AllOrNothing, User: "stat", StartedAt: at},
			Kind: registry.KindEnterprises, Source: "official"}
		tx, err := s.BeginImport(ctx, imp)
		if err != nil {
			t.Fatal(err)
		}
		firm := func(i int) registry.Enterprise {
			return registry.Enterprise{USCC: fmt.Sprintf("91321200MA%08d", i), Name: fmt.Sprintf("企业%d", i), Industry: "7212",
				Unit: "kouan", Address: "=1+1", Status: registry.StatusActive, Register: registry.RegisterNone,
				Version: 1, UpdatedAt: at, UpdatedBy: "stat", ImportID: imp.ID}
		}
		var shared, mixed []registry.Enterprise
		for i := range 1203 { // two full chunks and a short one
			shared = append(shared, firm(i))
		}
		for i := 2000; i < 2005; i++ {
			e := firm(i)
			e.Version, e.UpdatedBy, e.UpdatedAt = i-1998, fmt.Sprintf("user%d", i), at.Add(time.Duration(i)*time.Second)
			mixed = append(mixed, e)
		}
		for _, batch := range [][]registry.Enterprise{shared, mixed} {
			if err := tx.Insert(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		imp.Outcome = "ok"
		if err := tx.Commit(ctx, imp, audit.New(at, audit.Actor{Name: "stat"}, "enterprise.import", "import", "1", nil, nil)); err != nil {
			t.Fatal(err)
		}
		for _, want := range append([]registry.Enterprise{shared[0], shared[1202]}, mixed...) {
			got, err := s.FindEnterprise(ctx, want.USCC)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != want.Name || got.Address != want.Address || got.Version != want.Version ||
				got.UpdatedBy != want.UpdatedBy || !got.UpdatedAt.Equal(want.UpdatedAt) || got.ImportID != imp.ID {
				t.Errorf("%s: got %+v, want %+v", want.USCC, got, want)
			}
		}
	})
}
