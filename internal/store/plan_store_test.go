package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/plan"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// testPlan is a small plan that uses every field of plan.Plan.
func testPlan() *plan.Plan {
	return &plan.Plan{
		Schema: plan.SchemaV1,
		Meta: plan.Meta{
			Code:               "test-plan",
			Title:              "某区加快推动现代服务业高质量发展的实施方案(2025-2027年)",
			DocNumber:          "某政办〔2025〕17号",
			Issuer:             "某区人民政府",
			IssueDate:          "2025-11-20",
			StartYear:          2025,
			EndYear:            2027,
			BaselineYear:       2024,
			SourceText:         "test-plan.txt",
			Summary:            "聚焦现代服务业重点领域",
			GoalsIntro:         "到2027年,全区服务业发展水平明显提升。",
			ResponsibilityNote: "责任单位按原文列出,第一个为牵头单位。",
		},
		Units: []plan.Unit{
			{Code: "district", Name: "某区", Kind: plan.KindDistrict, DivisionCode: "321203", FormerCodes: []string{"321271"}},
			{Code: "park-a", Name: "甲园区", Kind: plan.KindPark, DivisionCode: "321203400", Parent: "district"},
			{Code: "town-b", Name: "乙镇", Kind: plan.KindTown, DivisionCode: "321203100", Parent: "district",
				Park: "park-a", Note: "园镇合一", FormerCodes: []string{"321271100", "321271101"}, Aliases: []string{"乙", "甲园区乙镇"}},
			{Code: "dept-dev", Name: "区发改委", Kind: plan.KindDepartment, Parent: "district"},
			{Code: "dept-com", Name: "区商务局", Kind: plan.KindDepartment},
			{Code: "dept-fin", Name: "区财政局", Kind: plan.KindDepartment},
			{Code: "dept-old", Name: "区旧局", Kind: plan.KindDepartment, Note: "只在第一版中"},
		},
		StandingDuty: &plan.StandingDuty{
			UnitKinds: []plan.UnitKind{plan.KindPark, plan.KindTown, plan.KindSubdistrict},
			Source:    "以下均需各园区、镇(街道)落实,不再列出",
		},
		Goals: []plan.Goal{
			{Code: "G1", Section: "二(一)", Title: "总量规模", Source: "服务业增加值达到680亿元"},
			{Code: "G2", Section: "二(二)", Title: "结构优化", Source: "生产性服务业占比提高"},
		},
		FieldGroups: []plan.FieldGroup{
			{Code: "producer", Section: "三(一)", Title: "生产性服务业", Category: "producer"},
			{Code: "life", Section: "三(二)", Title: "生活性服务业", Category: "life"},
		},
		Fields: []plan.Field{
			{
				Code: "logistics", Group: "producer", Section: "三(一)1", Name: "现代物流",
				Source: "大力发展现代物流。", Lead: []string{"dept-com"}, Co: []string{"dept-dev", "park-a"},
				Responsibility: "责任单位:区商务局,区发改委、甲园区",
				Industries:     []string{"58", "59", "7224"}, IndustriesNote: "物流和供应链",
				Tasks: []plan.Task{
					{Code: "logistics.1", Title: "建设物流枢纽", Source: "建设物流枢纽,完善设施。"},
					{Code: "logistics.2", Title: "培育物流企业", Source: "培育物流企业,每年新增1-2家。",
						Lead: []string{"dept-dev"}, Co: []string{"dept-com", "town-b"}, Note: "按年考核"},
				},
			},
			{
				Code: "tourism", Group: "life", Section: "三(二)1", Name: "文化旅游",
				Source: "推动文旅融合。", Lead: []string{"town-b", "dept-com"},
				Responsibility: "责任单位:乙镇、区商务局",
				Tasks: []plan.Task{
					{Code: "tourism.1", Title: "打造景区", Source: "打造景区。"},
				},
			},
		},
		Actions: []plan.Action{
			{Code: "A1", Section: "四(一)", Title: "项目攻坚行动", Source: "实施项目攻坚行动。",
				Lead: []string{"dept-dev"}, Co: []string{"dept-fin"}},
			{Code: "A2", Section: "四(二)", Title: "主体培育行动", Source: "实施主体培育行动。"},
		},
		// The guarantees have their own codes; A1 here is not the action A1.
		Guarantees: []plan.Action{
			{Code: "A1", Section: "五(一)", Title: "加强组织领导", Source: "加强组织领导。", Lead: []string{"district"}},
			{Code: "P2", Section: "五(二)", Title: "强化要素保障", Source: "强化要素保障。",
				Lead: []string{"dept-fin", "dept-dev"}, Co: []string{"park-a"}},
		},
		Indicators: []plan.Indicator{
			{
				Code: "SERVICE_VALUE_ADDED", Name: "服务业增加值", Unit: "亿元", Kind: plan.KindAnnual,
				Direction: plan.Up, PriceBasis: plan.PriceCurrent, Goal: "G1",
				Baseline: &plan.Baseline{Year: 2024, Value: "512.30", Derived: "按2024年统计公报"},
				// Not in year order: file order is kept.
				Targets: []plan.Target{
					{Year: 2027, Op: plan.OpGE, Value: "680"},
					{Year: 2025, Op: plan.OpGE, Value: "560.5", Strive: true, Note: "力争"},
				},
				Source: "服务业增加值达到680亿元", Note: "现价",
			},
			{
				Code: "LOGISTICS_FIRMS", Name: "新增物流企业", Unit: "家", Kind: plan.KindYearlyNew,
				Direction: plan.Up, Field: "logistics", Task: "logistics.2", PerUnitKind: plan.KindDepartment,
				Targets: []plan.Target{
					{Year: 2025, Op: plan.OpBetween, Value: "1", Max: "2", Strive: true},
					{Year: 2026, Op: plan.OpBetween, Value: "1", Max: "2"},
				},
				Source: "每年新增1-2家",
			},
			{
				Code: "PROJECTS", Name: "重点项目", Unit: "个", Kind: plan.KindPeriodNew,
				Direction: plan.Up, Action: "A1",
				Baseline: &plan.Baseline{Year: 2024},
				Targets:  []plan.Target{{Year: 2027, Op: plan.OpGT, Value: "10"}},
				Source:   "突破10个",
			},
			{
				Code: "VACANCY", Name: "空置率", Unit: "%", Kind: plan.KindShare,
				Direction: plan.Down, Field: "tourism",
				Targets: []plan.Target{{Year: 2027, Op: plan.OpLT, Value: "-0.5"}},
				Source:  "低于",
			},
		},
	}
}

// changedPlan is testPlan with a target changed, a task and a goal
// removed, and a unit added and one dropped.
func changedPlan() *plan.Plan {
	p := testPlan()
	p.Indicators[0].Targets[0].Value = "700"
	p.Fields[0].Tasks = p.Fields[0].Tasks[:1] // drop logistics.2
	p.Indicators[1].Task = "logistics.1"      // which an indicator referred to
	p.Goals = p.Goals[:1]                     // drop G2
	p.Units = slices.Delete(p.Units, 6, 7)    // drop dept-old
	p.Units = append(p.Units, plan.Unit{Code: "dept-new", Name: "区新局", Kind: plan.KindDepartment})
	p.Fields[1].Co = []string{"dept-new"}
	return p
}

func otherPlan() *plan.Plan {
	p := testPlan()
	p.Meta.Code = "other-plan"
	p.Meta.Title = "另一个规划"
	p.Units = p.Units[:6]
	return p
}

func testInfo(name string, minute int) plan.RevisionInfo {
	return plan.RevisionInfo{
		FileName:   name,
		FileSHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		LoadedBy:   "admin",
		// Nanoseconds and a zone other than UTC, to check both are handled.
		LoadedAt: time.Date(2025, 11, 20, 15, minute, 0, 123456789, time.FixedZone("CST", 8*3600)),
	}
}

const testText = "泰州医药高新区(高港区)加快推动现代服务业高质量发展的实施方案(2025-2027年)"

func mustSave(t *testing.T, s *store.PlanStore, p *plan.Plan, text string, info plan.RevisionInfo) plan.Revision {
	t.Helper()
	rev, err := s.SavePlan(t.Context(), p, text, info, audit.Entry{Action: "plan.load"})
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// checkActive checks that the active plan is p with text and revision rev.
func checkActive(t *testing.T, s *store.PlanStore, p *plan.Plan, text string, rev plan.Revision) {
	t.Helper()
	st, err := s.ActivePlan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, st.Plan, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("active plan (-want +got):\n%s", diff)
	}
	if st.Text != text {
		t.Errorf("active plan text = %q, want %q", st.Text, text)
	}
	rev.Changed = false
	if diff := cmp.Diff(rev, st.Revision); diff != "" {
		t.Errorf("active plan revision (-want +got):\n%s", diff)
	}
}

// checkRevisions checks the numbers of the plan's revisions.
func checkRevisions(t *testing.T, s *store.PlanStore, code string, want ...int) {
	t.Helper()
	revs, err := s.ListRevisions(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range revs {
		got = append(got, r.Number)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("revisions of %s (-want +got):\n%s", code, diff)
	}
}

// count runs a SELECT count(*) query.
func count(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := store.SQLDB(db).QueryRowContext(t.Context(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestFixturesAreValid(t *testing.T) {
	for name, p := range map[string]*plan.Plan{"test": testPlan(), "changed": changedPlan(), "other": otherPlan()} {
		if probs := plan.Validate(p); probs.HasErrors() {
			t.Errorf("%s plan is not valid:\n%v", name, probs)
		}
	}
}

func TestPlanStoreEmpty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		_, err := s.ActivePlan(t.Context())
		if apperr.KindOf(err) != apperr.NotFound || apperr.Message(err) != "尚未加载规划" {
			t.Errorf("ActivePlan() on an empty database = %v, want NotFound 尚未加载规划", err)
		}
		_, err = s.ListRevisions(t.Context(), "no-such-plan")
		if apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("ListRevisions(no-such-plan) = %v, want NotFound", err)
		}
	})
}

func TestSavePlanRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		info := testInfo("plan.yaml", 0)
		rev := mustSave(t, s, testPlan(), testText, info)

		want := plan.Revision{PlanCode: "test-plan", Number: 1, RevisionInfo: info, Changed: true}
		if diff := cmp.Diff(want, rev, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("SavePlan() revision (-want +got):\n%s", diff)
		}
		if rev.LoadedAt.Location() != time.UTC {
			t.Errorf("LoadedAt = %v, want UTC", rev.LoadedAt)
		}
		checkActive(t, s, testPlan(), testText, rev)

		revs, err := s.ListRevisions(t.Context(), "test-plan")
		if err != nil {
			t.Fatal(err)
		}
		rev.Changed = false
		if diff := cmp.Diff([]plan.Revision{rev}, revs); diff != "" {
			t.Errorf("ListRevisions() (-want +got):\n%s", diff)
		}
	})
}

func TestSavePlanUnchanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		first := mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 0))

		again := mustSave(t, s, testPlan(), testText, testInfo("plan-copy.yaml", 5))
		first.Changed = false
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("saving the same plan again: revision (-want +got):\n%s", diff)
		}
		checkRevisions(t, s, "test-plan", 1)

		// The same plan with another source text is a change.
		rev := mustSave(t, s, testPlan(), testText+"。", testInfo("plan.yaml", 10))
		if !rev.Changed || rev.Number != 2 {
			t.Errorf("saving with a new text: got revision %d, changed %v; want 2, true", rev.Number, rev.Changed)
		}
		checkActive(t, s, testPlan(), testText+"。", rev)
		checkRevisions(t, s, "test-plan", 2, 1)
	})
}

func TestSavePlanChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 0))
		rev := mustSave(t, s, changedPlan(), testText, testInfo("plan.yaml", 10))
		if !rev.Changed || rev.Number != 2 {
			t.Errorf("saving a changed plan: got revision %d, changed %v; want 2, true", rev.Number, rev.Changed)
		}
		checkActive(t, s, changedPlan(), testText, rev)
		checkRevisions(t, s, "test-plan", 2, 1)

		for _, tc := range []struct {
			query string
			want  int
		}{
			{`SELECT count(*) FROM tasks WHERE code = 'logistics.2'`, 0},
			{`SELECT count(*) FROM goals WHERE code = 'G2'`, 0},
			{`SELECT count(*) FROM responsibilities WHERE subject_code = 'logistics.2'`, 0},
			// A unit the plan no longer lists is kept, for whatever refers to it.
			{`SELECT count(*) FROM units WHERE code = 'dept-old'`, 1},
			{`SELECT count(*) FROM units`, 8},
			{`SELECT count(*) FROM plan_revisions`, 2},
		} {
			if got := count(t, db, tc.query); got != tc.want {
				t.Errorf("%s = %d, want %d", tc.query, got, tc.want)
			}
		}

		// And back to the first version: the removed items come back.
		rev = mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 20))
		checkActive(t, s, testPlan(), testText, rev)
		checkRevisions(t, s, "test-plan", 3, 2, 1)
	})
}

func TestSavePlanSecondPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 0))
		other := mustSave(t, s, otherPlan(), "另一个原文", testInfo("other.yaml", 10))
		if other.Number != 1 || !other.Changed {
			t.Errorf("first save of another plan: got revision %d, changed %v; want 1, true", other.Number, other.Changed)
		}
		checkActive(t, s, otherPlan(), "另一个原文", other)
		checkRevisions(t, s, "test-plan", 1)
		checkRevisions(t, s, "other-plan", 1)
		if n := count(t, db, `SELECT count(*) FROM plans WHERE active`); n != 1 {
			t.Errorf("%d active plans, want 1", n)
		}

		// Loading the first plan again, unchanged, makes it active again,
		// as a new revision.
		rev := mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 20))
		if rev.Number != 2 || !rev.Changed {
			t.Errorf("reloading the first plan: got revision %d, changed %v; want 2, true", rev.Number, rev.Changed)
		}
		checkActive(t, s, testPlan(), testText, rev)
		checkRevisions(t, s, "test-plan", 2, 1)
	})
}

func TestSavePlanFailureRollsBack(t *testing.T) {
	tests := []struct {
		name string
		plan func() *plan.Plan
	}{
		{
			// Caught by a foreign key, after the plan row and most items
			// have been written.
			name: "undeclared unit",
			plan: func() *plan.Plan {
				p := changedPlan()
				p.Meta.Title = "改过的标题"
				p.Guarantees[1].Co = []string{"no-such-unit"}
				return p
			},
		},
		{
			name: "indicator of unknown task",
			plan: func() *plan.Plan {
				p := changedPlan()
				p.Indicators[3].Task = "no-such-task"
				return p
			},
		},
		{
			name: "new plan with undeclared unit",
			plan: func() *plan.Plan {
				p := otherPlan()
				p.Actions[1].Lead = []string{"no-such-unit"}
				return p
			},
		},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		rev := mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 0))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := tt.plan()
				if _, err := s.SavePlan(t.Context(), p, testText, testInfo("bad.yaml", 30), audit.Entry{Action: "plan.load"}); err == nil {
					t.Fatal("SavePlan succeeded")
				}
				checkActive(t, s, testPlan(), testText, rev)
				checkRevisions(t, s, "test-plan", 1)
				if p.Meta.Code != "test-plan" {
					if _, err := s.ListRevisions(t.Context(), p.Meta.Code); apperr.KindOf(err) != apperr.NotFound {
						t.Errorf("ListRevisions(%s) = %v, want NotFound", p.Meta.Code, err)
					}
				}
				if n := count(t, db, `SELECT count(*) FROM units WHERE code = 'dept-new'`); n != 0 {
					t.Errorf("unit of the failed save was kept")
				}
			})
		}
	})
}

func TestSavePlanCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := store.NewPlanStore(db)
		rev := mustSave(t, s, testPlan(), testText, testInfo("plan.yaml", 0))
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.SavePlan(ctx, changedPlan(), testText, testInfo("plan.yaml", 10), audit.Entry{Action: "plan.load"}); err == nil {
			t.Fatal("SavePlan with a cancelled context succeeded")
		}
		checkActive(t, s, testPlan(), testText, rev)
	})
}
