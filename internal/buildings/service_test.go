package buildings_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/buildings"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
	"svcplan/internal/table"
	"svcplan/plans"
)

var today = time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)

// directory is the enterprise directory as the buildings read it.
type directory map[string]buildings.Firm

func (d directory) Firms(context.Context) (map[string]buildings.Firm, error) { return d, nil }
func (d directory) Version(context.Context) (int64, error)                   { return 1, nil }

// counting counts the store's readings of every space and of the board's
// tax figures, to tell a reading again from a state brought up to date.
type counting struct {
	buildings.Store
	spaces, taxes atomic.Int32
}

func (c *counting) LatestSpaces(ctx context.Context) (map[string]*buildings.Space, error) {
	c.spaces.Add(1)
	return c.Store.LatestSpaces(ctx)
}

func (c *counting) TaxFigures(ctx context.Context, periods []string, caliber buildings.Caliber) ([]buildings.TaxFigure, error) {
	if caliber != "" { // the board's reading; an import asks for every caliber
		c.taxes.Add(1)
	}
	return c.Store.TaxFigures(ctx, periods, caliber)
}

func newService(t *testing.T, db *store.DB) (*buildings.Service, *counting) {
	t.Helper()
	clock := func() time.Time { return today }
	ps := plan.NewService(store.NewPlanStore(db), clock)
	if _, err := ps.Active(t.Context()); err != nil {
		parsed, err := plan.ParseFS(plans.FS, plans.Default, plans.Default)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Load(t.Context(), audit.Actor{Name: "system"}, parsed, plans.Default); err != nil {
			t.Fatal(err)
		}
	}
	st := &counting{Store: store.NewBuildingStore(db)}
	dir := directory{firmA: {Name: "泰州甲科技有限公司", Class: "7320"}, firmB: {Name: "泰州乙咨询有限公司", Class: "7243"},
		firmC: {Name: "泰州丙物流有限公司", Class: "5810", Building: "科创大厦"}}
	return buildings.NewService(st, ps, dir, store.NewSettingsStore(db), clock), st
}

// snapshot is everything the board and each building's page show, as
// JSON, to compare two services' answers.
func snapshot(t *testing.T, s *buildings.Service) string {
	t.Helper()
	u := &auth.User{Username: "stat", Role: auth.RoleStatistician}
	b, err := s.Board(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	out := []any{b}
	for _, r := range b.Rows {
		d, err := s.Find(t.Context(), u, r.Building.Code)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	j, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

// TestStateFollowsWrites: after each write of the service its board and
// pages are those a new process reads from the database, and they were
// brought up to date without reading every space and all tax again; a
// write by another process makes it read again.
func TestStateFollowsWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s, st := newService(t, db)
		stat := &auth.User{Username: "stat", Role: auth.RoleStatistician}
		actor := audit.Actor{Name: "stat", Role: "statistician"}
		same := func(step string) {
			t.Helper()
			fresh, _ := newService(t, db)
			if got, want := snapshot(t, s), snapshot(t, fresh); got != want {
				t.Errorf("%s: the board differs from a new reading\n got %s\nwant %s", step, got, want)
			}
		}
		for _, code := range []string{"GG-002", "GG-001"} {
			b := buildings.Building{Code: code, Name: "科创大厦" + code, Address: "口岸街道科创路1号", Unit: "321203401", Kind: buildings.KindOffice,
				Floors: 10, Gross: 1_000_000, Rentable: 800_000, Keeper: "王某"}
			if _, err := s.SaveBuilding(ctx, actor, stat, b); err != nil {
				t.Fatal(err)
			}
		}
		same("two buildings")
		reads := st.spaces.Load()

		space := lines("楼层,房号,面积(㎡),入驻企业,统一社会信用代码,入驻日期,注册在楼,实际在楼",
			"1,101,300,泰州甲科技有限公司,"+firmA+",2025-01-01,是,是",
			"1,102,200,泰州乙咨询有限公司,"+firmB+",2025-03-01,是,否",
			"2,201,300,泰州丙物流有限公司,"+firmC+",2026-02-01,否,是")
		if res, err := s.ImportSpace(ctx, actor, stat, "GG-001", space, table.File{Name: "台账.csv", SHA256: "a"}); err != nil || len(res.Errors) > 0 {
			t.Fatalf("space: %v %+v", err, res)
		}
		same("a space")
		tax := lines("纳税人识别号,纳税人名称,税款所属期,全口径税收(万元)",
			firmA+",泰州甲科技有限公司,2026-01,600", firmA+",泰州甲科技有限公司,2026-02,400",
			firmB+",泰州乙咨询有限公司,2026-01,20", firmC+",泰州丙物流有限公司,2026-01,7",
			firmA+",泰州甲科技有限公司,2025-01,300", firmA+",泰州甲科技有限公司,2025-02,350")
		if res, err := s.ImportTax(ctx, actor, stat, tax, table.File{Name: "税收.csv", SHA256: "b"}, ""); err != nil || len(res.Errors) > 0 {
			t.Fatalf("tax: %v %+v", err, res)
		}
		same("a tax file")
		fix := lines("纳税人识别号,纳税人名称,税款所属期,全口径税收(万元)", firmA+",泰州甲科技有限公司,2026-02,450")
		if res, err := s.ImportTax(ctx, actor, stat, fix, table.File{Name: "更正.csv", SHA256: "c"}, ""); err != nil || res.Revised != 1 {
			t.Fatalf("correction: %v %+v", err, res)
		}
		same("a correction")
		v, err := s.FileVisit(ctx, actor, stat, buildings.Visit{Building: "GG-001", Date: "2026-06-20", Team: "街道",
			Findings: []buildings.Finding{{Room: "102", Result: buildings.ResultVacant}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		same("a visit filed")
		if _, err := s.DecideVisit(ctx, actor, stat, v.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		same("a visit confirmed")
		b, _ := s.Board(ctx, stat)
		if b.Rows[0].Building.Code != "GG-001" || b.Rows[0].Tax != 1050*10000*100 || b.Rows[0].Measures.Firms != 2 {
			t.Errorf("GG-001 after the visit: %+v", b.Rows[0])
		}
		if got := st.spaces.Load(); got != reads {
			t.Errorf("every space was read %d times more after the service's own writes", got-reads)
		}

		// Another process changes a building: the service reads again.
		other, _ := newService(t, db)
		b2 := b.Rows[1].Building
		b2.Name, b2.Reason = "港城大厦", "更名"
		if _, err := other.SaveBuilding(ctx, actor, stat, b2); err != nil {
			t.Fatal(err)
		}
		same("another process's write")
		if st.spaces.Load() != reads+1 {
			t.Errorf("after another process's write: %d readings", st.spaces.Load()-reads)
		}
	})
}
