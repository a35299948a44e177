package store_test

import (
	"testing"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

func TestReferenceTables(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewReferenceStore(db)
		ctx := t.Context()
		if _, err := s.LatestReference(ctx, "industries"); apperr.KindOf(err) != apperr.NotFound {
			t.Fatalf("none loaded: %v, want NotFound", err)
		}
		at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		for i, content := range []string{"a,b\n1,2\n", "a,b\n1,3\n"} {
			tab := &store.ReferenceTable{Kind: "industries", FileName: "gbt4754-2019.csv", SHA256: "h", Content: []byte(content),
				LoadedBy: "admin", LoadedAt: at}
			e := audit.New(at, audit.Actor{Name: "admin"}, "reference.load", "reference_table", "industries", nil, nil)
			if err := s.SaveReference(ctx, tab, e); err != nil || tab.Version != i+1 {
				t.Fatalf("save %d: version %d, %v", i, tab.Version, err)
			}
		}
		got, err := s.LatestReference(ctx, "industries")
		if err != nil || got.Version != 2 || string(got.Content) != "a,b\n1,3\n" || !got.LoadedAt.Equal(at) {
			t.Fatalf("latest: %+v %v", got, err)
		}
		list, err := s.ListReferences(ctx)
		if err != nil || len(list) != 2 || list[0].Version != 2 || list[0].Content != nil {
			t.Errorf("list: %+v %v", list, err)
		}
		// Versions are kept: the table refuses changes.
		if _, err := store.SQLDB(db).ExecContext(ctx, `DELETE FROM reference_tables`); err == nil {
			t.Errorf("a reference table was deleted")
		}
	})
}
