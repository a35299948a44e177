package buildings_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/money"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/internal/uscc"
)

// benchFirms is the directory's size; the city has as many buildings,
// rooms and occupancies in proportion (400,000 firms: 2,000 buildings,
// 150,000 rooms, 300,000 occupancies). SVCPLAN_BENCH_FIRMS changes it.
func benchFirms(b *testing.B) int {
	if v := os.Getenv("SVCPLAN_BENCH_FIRMS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 20_000
}

var benchNow = time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)

// seedCity writes a city into the store: buildings of 75 rooms on 15
// floors, each room let twice (a tenancy ended mid-2025 and one since,
// a tenth of the rooms empty now), a third of the buildings themed, and
// 36 months of tax (2024-01 to 2026-12) for every firm of the directory.
func seedCity(b *testing.B, st buildings.Store, n int) directory {
	b.Helper()
	ctx := b.Context()
	dir := directory{}
	codes := make([]string, n)
	classes := []string{"7320", "7243", "5810", "6513", "7291", "5121"}
	nb := max(1, n/200)
	for i := range n {
		codes[i] = benchCode(i)
		f := buildings.Firm{Name: "泰州示例企业" + strconv.Itoa(i), Class: classes[i%len(classes)]}
		if i%10 == 0 {
			f.Building = fmt.Sprintf("示例大厦%d号楼", i%nb)
		}
		dir[codes[i]] = f
	}
	at := benchNow.Add(-24 * time.Hour)
	entry := func(action string) audit.Entry {
		return audit.New(at, audit.Actor{Name: "bench"}, action, "building", "", nil, nil)
	}
	units := []string{"321203101", "321203104", "321203401", "321203100"}
	firm := 0
	for i := range nb {
		bl := buildings.Building{Code: fmt.Sprintf("CS-%04d", i), Name: fmt.Sprintf("示例大厦%d号楼", i), Address: "示例路" + strconv.Itoa(i) + "号",
			Unit: units[i%len(units)], Kind: buildings.KindOffice, Floors: 15, Gross: 2_000_000 + buildings.Area(i%50)*10_000,
			Rentable: 1_600_000, Keeper: "示例责任人", Version: 1, ChangedBy: "bench", ChangedAt: at, Reason: "新建"}
		if i%3 == 0 {
			bl.Theme = buildings.Theme{Name: "科技服务", Classes: []string{"73", "72"}}
		}
		if err := st.SaveBuilding(ctx, &bl, entry("building.create")); err != nil {
			b.Fatal(err)
		}
		sp := &buildings.Space{Building: bl.Code, Version: 1, SourceFile: "台账.xlsx", SHA256: "x", By: "bench", At: at, Note: "台账导入"}
		for r := range 75 {
			room := fmt.Sprintf("%d%02d", r/5+1, r%5+1)
			sp.Rooms = append(sp.Rooms, buildings.Room{Floor: r/5 + 1, Number: room, Area: 20_000, Rentable: true})
			for k, span := range [][2]string{{"2023-01-01", "2025-06-30"}, {"2025-07-01", ""}} {
				if k == 1 && r%10 == 9 {
					continue
				}
				c := codes[firm%n]
				firm++
				sp.Occupancies = append(sp.Occupancies, buildings.Occupancy{Room: room, USCC: c, Firm: dir[c].Name, Area: 20_000,
					From: span[0], To: span[1], Registered: firm%7 != 0, Present: firm%11 != 0})
				sp.Rows = append(sp.Rows, len(sp.Rows)+2)
			}
		}
		if err := st.AddSpace(ctx, sp, entry("import.building_space")); err != nil {
			b.Fatal(err)
		}
	}
	batch := make([]buildings.Tax, 0, n)
	for m := range 36 {
		period := fmt.Sprintf("%d-%02d", 2024+m/12, m%12+1)
		batch = batch[:0]
		for i, c := range codes {
			batch = append(batch, buildings.Tax{USCC: c, Period: period, Caliber: buildings.CaliberFull, Version: 1,
				Amount: money.Fen(i%97+1) * 1000 * money.Fen(100+m) / 100, SourceFile: "税收.xlsx", SHA256: "x", SourceRow: i + 2,
				ImportedBy: "bench", ImportedAt: at})
		}
		if err := st.AppendTax(ctx, batch, entry("import.building_tax")); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// benchCode is the i-th of the city's valid credit codes.
func benchCode(i int) string {
	body := fmt.Sprintf("MA%06d", i)
	first17 := "91321203" + body + string(uscc.OrgCheckCharOf(body))
	return first17 + string(uscc.CheckCharOf(first17))
}

// BenchmarkBoard: the board (tier counts, every building's measures and
// tax) and a building's page with its diagnosis at city scale, on each
// engine. "cold" reads everything (a new process); "warm" while nothing
// changed; "next-day" works the board out again from the data held;
// "after-correction" and "after-visit" follow a one-row tax correction
// and a confirmed visit made through the service; "diagnosis" is a themed
// building's page; "ranking" orders the board by every measure and lists
// the 准亿元楼 candidates.
func BenchmarkBoard(b *testing.B) {
	for _, eng := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"sqlite", storetest.SQLiteDSN}, {"postgres", storetest.PostgresDSN}} {
		b.Run(eng.name, func(b *testing.B) {
			db := storetest.MustOpen(b, eng.dsn(b))
			n := benchFirms(b)
			start := time.Now()
			dir := seedCity(b, store.NewBuildingStore(db), n)
			b.Logf("seeded %d firms, %d buildings, 36 months of tax in %v", n, max(1, n/200), time.Since(start).Round(time.Millisecond))
			now := benchNow
			clock := func() time.Time { return now }
			ps := plan.NewService(store.NewPlanStore(db), clock)
			newSvc := func() *buildings.Service {
				return buildings.NewService(store.NewBuildingStore(db), ps, dir, store.NewSettingsStore(db), clock)
			}
			stat := &auth.User{Username: "stat", Role: auth.RoleStatistician}
			actor := audit.Actor{Name: "stat", Role: "statistician"}
			board := func(b *testing.B, s *buildings.Service) *buildings.Board {
				bd, err := s.Board(b.Context(), stat)
				if err != nil || len(bd.Rows) == 0 || !bd.Rows[0].HasTax {
					b.Fatalf("%v %+v", err, bd)
				}
				return bd
			}
			b.Run("cold", func(b *testing.B) {
				for b.Loop() {
					board(b, newSvc())
				}
			})
			s := newSvc()
			board(b, s)
			b.Run("warm", func(b *testing.B) {
				for b.Loop() {
					board(b, s)
				}
			})
			b.Run("next-day", func(b *testing.B) {
				day := 0
				for b.Loop() {
					day = 1 - day // the board is the day's: each time another day's
					now = benchNow.AddDate(0, 0, day)
					board(b, s)
				}
				now = benchNow
			})
			b.Run("after-correction", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					fix := lines("纳税人识别号,纳税人名称,税款所属期,全口径税收(万元)", fmt.Sprintf("%s,某,2026-11,%d", benchCode(i%n), 1000+i))
					if res, err := s.ImportTax(b.Context(), actor, stat, fix, table.File{Name: "更正.csv", SHA256: "c"}, ""); err != nil || len(res.Errors) > 0 {
						b.Fatalf("%v %+v", err, res)
					}
					board(b, s)
				}
			})
			b.Run("after-visit", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					code := fmt.Sprintf("CS-%04d", i%max(1, n/200))
					room := fmt.Sprintf("%d%02d", (i/7)%15+1, i%5+1)
					v, err := s.FileVisit(b.Context(), actor, stat, buildings.Visit{Building: code, Date: "2026-12-04", Team: "街道",
						Findings: []buildings.Finding{{Room: room, Result: buildings.ResultVacant}}}, nil)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := s.DecideVisit(b.Context(), actor, stat, v.ID, true, ""); err != nil {
						b.Fatal(err)
					}
					board(b, s)
				}
			})
			b.Run("diagnosis", func(b *testing.B) {
				board(b, s)
				for b.Loop() {
					d, err := s.Find(b.Context(), stat, "CS-0003")
					if err != nil || d.Diagnosis == nil || d.Diagnosis.ThemeFit == nil {
						b.Fatalf("%v %+v", err, d)
					}
				}
			})
			b.Run("ranking", func(b *testing.B) {
				for b.Loop() {
					bd := board(b, s)
					for _, k := range buildings.RankKeys {
						buildings.Rank(bd.Rows, k)
					}
					buildings.Candidates(bd.Rows, bd.Rules, "亿元楼")
				}
			})
		})
	}
}
