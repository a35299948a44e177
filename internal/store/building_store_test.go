package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/buildings"
	"svcplan/internal/money"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// TestBuildingStoreRoundTrip writes two versions of a building, a space
// of 1,203 rooms (across the bulk chunk) and tax figures in two versions,
// reads each back exactly, and finds the tables append-only.
func TestBuildingStoreRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewBuildingStore(db)
		ctx := t.Context()
		at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		e := func(action string) audit.Entry {
			return audit.New(at, audit.Actor{Name: "stat"}, action, "building", "GG-001", nil, nil)
		}
		v0, _ := s.Version(ctx)
		b := buildings.Building{Code: "GG-001", Version: 1, Name: "高港科创大厦", Address: "泰州市高港区…", Unit: "321203001",
			Kind: buildings.KindOffice, Grade: buildings.GradeA, Gross: 4_500_000_12, Rentable: 3_800_000_00, Floors: 24, Basement: 2,
			Owner: buildings.Party{Name: "泰州某投资公司", USCC: "91321203MA10012200"}, Operator: buildings.Party{Name: "某物业"},
			Keeper: "王某", Phone: "0523-0000000", Theme: buildings.Theme{Name: "医药研发", Classes: []string{"73", "7340"}}, Opened: 2019,
			ChangedBy: "stat", ChangedAt: at, Reason: "新建"}
		if err := s.SaveBuilding(ctx, &b, e("building.create")); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveBuilding(ctx, &b, e("building.update")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("the same version again: %v", err)
		}
		b2 := b
		b2.Version, b2.Name, b2.Theme, b2.Reason = 2, "高港科创大厦(一期)", buildings.Theme{}, "更名"
		if err := s.SaveBuilding(ctx, &b2, e("building.update")); err != nil {
			t.Fatal(err)
		}
		list, err := s.Buildings(ctx)
		if err != nil || len(list) != 1 || !cmp.Equal(list[0], b2) {
			t.Errorf("buildings: %v\n%s", err, cmp.Diff(b2, list[0]))
		}
		versions, err := s.BuildingVersions(ctx, "GG-001")
		if err != nil || len(versions) != 2 || !cmp.Equal(versions[1], b) {
			t.Errorf("versions: %v %+v", err, versions)
		}
		if _, err := s.BuildingVersions(ctx, "GG-999"); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("an unknown building: %v", err)
		}

		sp := buildings.Space{Building: "GG-001", Version: 1, SourceFile: "台账.xlsx", SHA256: "abc", By: "stat", At: at, Note: "台账导入"}
		for i := range 1203 {
			room := fmt.Sprintf("%d%02d", i/50+1, i%50)
			sp.Rooms = append(sp.Rooms, buildings.Room{Floor: i/50 + 1, Number: room, Area: buildings.Area(10000 + i), Rentable: i%7 != 0})
			if i%3 == 0 {
				sp.Occupancies = append(sp.Occupancies, buildings.Occupancy{Room: room, USCC: "91350100M000100Y43", Firm: "甲\t公司",
					Area: buildings.Area(5000), From: "2025-01-01", To: map[bool]string{true: "2026-03-31"}[i%2 == 0], Registered: i%2 == 0, Present: i%5 != 0})
				sp.Rows = append(sp.Rows, i+2)
			}
		}
		if err := s.AddSpace(ctx, &sp, e("import.building_space")); err != nil {
			t.Fatal(err)
		}
		spaces, err := s.LatestSpaces(ctx)
		if err != nil || len(spaces) != 1 {
			t.Fatalf("spaces: %v %d", err, len(spaces))
		}
		got := spaces["GG-001"]
		want := sp
		// Read back by floor, then room number.
		if len(got.Rooms) != len(want.Rooms) || len(got.Occupancies) != len(want.Occupancies) || !cmp.Equal(got.Occupancies, want.Occupancies) ||
			!cmp.Equal(got.Rows, want.Rows) || got.SourceFile != "台账.xlsx" || !got.At.Equal(at) {
			t.Errorf("space read back differs: %d rooms, %d occupancies\n%s", len(got.Rooms), len(got.Occupancies), cmp.Diff(want.Occupancies, got.Occupancies))
		}
		if err := s.AddSpace(ctx, &sp, e("import.building_space")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("the same space version again: %v", err)
		}

		taxes := []buildings.Tax{
			{USCC: "91350100M000100Y43", Period: "2026-01", Caliber: buildings.CaliberFull, Version: 1, Amount: 123 * money.WanYuan},
			{USCC: "91350100M000100Y43", Period: "2026-01", Caliber: buildings.CaliberFull, Version: 2, Amount: 124 * money.WanYuan},
			{Building: "GG-001", Period: "2025", Caliber: buildings.CaliberDistrict, Version: 1, Amount: 1},
			{USCC: "91350100M000100Y43", Period: "2024-12", Caliber: buildings.CaliberFull, Version: 1, Amount: 5},
		}
		for i := range taxes {
			taxes[i].SourceFile, taxes[i].SHA256, taxes[i].SourceRow, taxes[i].ImportedBy, taxes[i].ImportedAt = "税收.xlsx", "def", i+2, "stat", at
		}
		if err := s.AppendTax(ctx, taxes, e("import.building_tax")); err != nil {
			t.Fatal(err)
		}
		latest, err := s.TaxFigures(ctx, []string{"2025", "2026-01", "2026-02"}, "")
		if err != nil || len(latest) != 2 {
			t.Fatalf("latest tax: %v %+v", err, latest)
		}
		figure := func(x buildings.Tax) buildings.TaxFigure {
			return buildings.TaxFigure{USCC: x.USCC, Building: x.Building, Period: x.Period, Caliber: x.Caliber, Version: x.Version, Amount: x.Amount}
		}
		for _, x := range latest {
			if x.Period == "2026-01" && x != figure(taxes[1]) || x.Period == "2025" && x != figure(taxes[2]) {
				t.Errorf("tax read back: %+v", x)
			}
		}
		if other, err := s.TaxFigures(ctx, []string{"2026-01"}, buildings.CaliberDistrict); err != nil || len(other) != 0 {
			t.Errorf("another caliber: %v %+v", err, other)
		}
		if full, err := s.TaxFigures(ctx, []string{"2026-01", "2024-12"}, buildings.CaliberFull); err != nil || len(full) != 2 {
			t.Errorf("on a caliber: %v %+v", err, full)
		}
		if sp1, err := s.LatestSpace(ctx, "GG-001"); err != nil || sp1 == nil || sp1.Version != sp.Version || len(sp1.Occupancies) != len(sp.Occupancies) {
			t.Errorf("one building's space: %v %+v", err, sp1)
		}
		if none, err := s.LatestSpace(ctx, "GG-404"); err != nil || none != nil {
			t.Errorf("a building without a space: %v %+v", err, none)
		}
		if v, _ := s.Version(ctx); v != v0+4 {
			t.Errorf("version %d after four writes from %d", v, v0)
		}

		visit := buildings.Visit{Building: "GG-001", Date: "2026-05-30", Team: "街道、税务", FiledBy: "baima", FiledAt: at, Status: buildings.VisitFiled,
			Findings: []buildings.Finding{{Room: "100", Result: buildings.ResultVacant}, {Room: "101", Result: buildings.ResultChanged, Firm: "戊", Note: "新租户"}}}
		photo := buildings.StoredFile{File: buildings.File{Name: "现场.jpg", ContentType: "image/jpeg", Size: 4, SHA256: "x"}, Data: []byte{0xFF, 0xD8, 0xFF, 0}}
		if err := s.AddVisit(ctx, &visit, []buildings.StoredFile{photo}, e("building.visit")); err != nil || visit.ID != 1 || len(visit.Files) != 1 {
			t.Fatalf("add visit: %v %+v", err, visit)
		}
		next := sp
		next.Version, next.Rooms, next.Occupancies, next.Rows = 2, sp.Rooms[:2], nil, nil
		visit.Status, visit.DecidedBy, visit.DecidedAt, visit.SpaceVersion = buildings.VisitConfirmed, "stat", at, 2
		if err := s.DecideVisit(ctx, &visit, &next, e("building.visit_confirmed")); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideVisit(ctx, &visit, nil, e("building.visit_rejected")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("a second decision: %v", err)
		}
		got2, err := s.Visit(ctx, 1)
		if err != nil || !cmp.Equal(*got2, visit) {
			t.Errorf("visit read back: %v\n%s", err, cmp.Diff(visit, *got2))
		}
		if f, err := s.VisitFile(ctx, visit.Files[0].ID); err != nil || f.Visit != 1 || string(f.Data) != string(photo.Data) {
			t.Errorf("visit file: %v %+v", err, f)
		}
		if spaces, _ := s.LatestSpaces(ctx); spaces["GG-001"].Version != 2 || len(spaces["GG-001"].Rooms) != 2 {
			t.Errorf("the confirmed visit's space: %+v", spaces["GG-001"])
		}
		for _, q := range []string{`UPDATE building_versions SET name = 'x'`, `DELETE FROM building_occupancies`, `UPDATE building_tax SET amount_fen = 0`,
			`DELETE FROM building_rooms`, `DELETE FROM building_spaces`, `UPDATE building_findings SET room = 'x'`,
			`DELETE FROM building_visit_decisions`, `DELETE FROM building_visit_files`} {
			if _, err := store.SQLDB(db).ExecContext(ctx, q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
	})
}
