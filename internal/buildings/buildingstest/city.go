// Package buildingstest writes a synthetic city of buildings for
// benchmarks: the scale is 400,000 firms with 2,000 buildings,
// 150,000 rooms, 300,000 occupancies and 36 months of tax.
package buildingstest

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/buildings"
	"svcplan/internal/money"
	"svcplan/internal/uscc"
)

// Code is the i-th of the city's firms' credit codes (valid ones).
func Code(i int) string {
	body := fmt.Sprintf("MA%06d", i)
	first17 := "91321203" + body + string(uscc.OrgCheckCharOf(body))
	return first17 + string(uscc.CheckCharOf(first17))
}

// Buildings is how many buildings a city of n firms has: one for 200.
func Buildings(n int) int { return max(1, n/200) }

// SeedCity writes a city of n firms into the store, written at: buildings
// (codes CS-0000 on) of 75 rooms on 15 floors, each room let twice (a
// tenancy ended mid-2025 and one since, a tenth of the rooms empty now),
// a third of the buildings themed 科技服务, and the months of tax on 全口径
// from 2024-01 on for every firm. It returns the directory's firms, a
// tenth of them with a building in their address.
func SeedCity(ctx context.Context, st buildings.Store, n, months int, at time.Time) (map[string]buildings.Firm, error) {
	dir := make(map[string]buildings.Firm, n)
	codes := make([]string, n)
	classes := []string{"7320", "7243", "5810", "6513", "7291", "5121"}
	nb := Buildings(n)
	for i := range n {
		codes[i] = Code(i)
		f := buildings.Firm{Name: "泰州示例企业" + strconv.Itoa(i), Class: classes[i%len(classes)]}
		if i%10 == 0 {
			f.Building = fmt.Sprintf("示例大厦%d号楼", i%nb)
		}
		dir[codes[i]] = f
	}
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
			return nil, err
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
			return nil, err
		}
	}
	batch := make([]buildings.Tax, 0, n)
	for m := range months {
		period := fmt.Sprintf("%d-%02d", 2024+m/12, m%12+1)
		batch = batch[:0]
		for i, c := range codes {
			batch = append(batch, buildings.Tax{USCC: c, Period: period, Caliber: buildings.CaliberFull, Version: 1,
				Amount: money.Fen(i%97+1) * 1000 * money.Fen(100+m) / 100, SourceFile: "税收.xlsx", SHA256: "x", SourceRow: i + 2,
				ImportedBy: "bench", ImportedAt: at})
		}
		if err := st.AppendTax(ctx, batch, entry("import.building_tax")); err != nil {
			return nil, err
		}
	}
	return dir, nil
}
