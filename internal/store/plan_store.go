package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/plan"
)

// PlanStore keeps plans in normalised tables, with every loaded version in
// plan_revisions. It implements plan.Store.
type PlanStore struct {
	db *DB
}

var _ plan.Store = (*PlanStore)(nil)

// NewPlanStore returns a plan store over db.
func NewPlanStore(db *DB) *PlanStore {
	return &PlanStore{db: db}
}

// Values of the kind columns.
const (
	listAction    = "action"
	listGuarantee = "guarantee"

	subjectField     = "field"
	subjectTask      = "task"
	subjectAction    = "action"
	subjectGuarantee = "guarantee"

	roleLead = "lead"
	roleCo   = "co"
)

// SavePlan stores p as the active plan, in one transaction. When the plan
// is already active with exactly this content and text, nothing changes
// and the current revision is returned with Changed false. Otherwise the
// plan and its items are inserted or updated by code, items the plan no
// longer has are deleted, the plan becomes the only active one, and a new
// revision is appended.
func (s *PlanStore) SavePlan(ctx context.Context, p *plan.Plan, text string, info plan.RevisionInfo, e audit.Entry) (plan.Revision, error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return plan.Revision{}, fmt.Errorf("store: save plan %s: %w", p.Meta.Code, err)
	}
	info.LoadedAt = s.db.dialect.normTime(info.LoadedAt)
	rev := plan.Revision{PlanCode: p.Meta.Code, RevisionInfo: info, Changed: true}

	err = s.db.inTx(ctx, func(tx *tx) error {
		cur, err := findCurrentRevision(ctx, tx, p.Meta.Code)
		if err != nil {
			return err
		}
		if cur != nil && cur.active && cur.document == string(doc) && cur.text == text {
			rev = cur.rev
			return nil
		}

		planID, err := upsertPlan(ctx, tx, p)
		if err != nil {
			return err
		}
		if err := saveStandingDuty(ctx, tx, planID, p.StandingDuty); err != nil {
			return err
		}
		if err := saveUnits(ctx, tx, planID, p.Units); err != nil {
			return err
		}
		goalIDs, err := saveGoals(ctx, tx, planID, p.Goals)
		if err != nil {
			return err
		}
		groupIDs, err := saveFieldGroups(ctx, tx, planID, p.FieldGroups)
		if err != nil {
			return err
		}
		fieldIDs, taskIDs, err := saveFields(ctx, tx, planID, p.Fields, groupIDs)
		if err != nil {
			return err
		}
		actionIDs, err := saveActions(ctx, tx, planID, listAction, p.Actions)
		if err != nil {
			return err
		}
		guaranteeIDs, err := saveActions(ctx, tx, planID, listGuarantee, p.Guarantees)
		if err != nil {
			return err
		}
		refs := indicatorRefs{goals: goalIDs, fields: fieldIDs, tasks: taskIDs, actions: actionIDs}
		indicatorIDs, err := saveIndicators(ctx, tx, planID, p.Indicators, refs)
		if err != nil {
			return err
		}
		if err := saveResponsibilities(ctx, tx, planID, p); err != nil {
			return err
		}

		// Delete the items the plan no longer has, referring rows first.
		for _, stale := range []struct {
			table string
			keep  []map[string]int64
		}{
			{"indicators", []map[string]int64{indicatorIDs}},
			{"tasks", []map[string]int64{taskIDs}},
			{"fields", []map[string]int64{fieldIDs}},
			{"field_groups", []map[string]int64{groupIDs}},
			{"goals", []map[string]int64{goalIDs}},
			{"actions", []map[string]int64{actionIDs, guaranteeIDs}},
		} {
			if err := deleteStale(ctx, tx, stale.table, planID, stale.keep...); err != nil {
				return err
			}
		}

		if err := tx.QueryRowContext(ctx,
			`SELECT COALESCE(MAX(number), 0) + 1 FROM plan_revisions WHERE plan_id = ?`,
			planID).Scan(&rev.Number); err != nil {
			return fmt.Errorf("next revision: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO plan_revisions
	(plan_id, number, file_name, file_sha256, loaded_by, loaded_at, document, source_text)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			planID, rev.Number, info.FileName, info.FileSHA256, info.LoadedBy,
			s.db.dialect.timeArg(info.LoadedAt), string(doc), text)
		if err != nil {
			return fmt.Errorf("insert revision: %w", err)
		}

		// Only one plan is active: this one.
		if _, err := tx.ExecContext(ctx,
			`UPDATE plans SET active = FALSE WHERE active AND id <> ?`, planID); err != nil {
			return fmt.Errorf("deactivate other plans: %w", err)
		}
		if _, err := tx.ExecContext(ctx,
			`UPDATE plans SET active = TRUE, current_revision = ? WHERE id = ?`, rev.Number, planID); err != nil {
			return fmt.Errorf("activate plan: %w", err)
		}
		e.ObjectID = fmt.Sprintf("%s#%d", p.Meta.Code, rev.Number)
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return plan.Revision{}, fmt.Errorf("store: save plan %s: %w", p.Meta.Code, err)
	}
	return rev, nil
}

// currentRevision is a plan's current revision with what SavePlan compares.
type currentRevision struct {
	active   bool
	rev      plan.Revision
	document string
	text     string
}

// findCurrentRevision returns the current revision of the plan with code;
// nil if there is no such plan.
func findCurrentRevision(ctx context.Context, tx *tx, code string) (*currentRevision, error) {
	cur := &currentRevision{rev: plan.Revision{PlanCode: code}}
	err := tx.QueryRowContext(ctx, `SELECT p.active, r.number, r.file_name, r.file_sha256, r.loaded_by, r.loaded_at,
	r.document, r.source_text
FROM plans p
JOIN plan_revisions r ON r.plan_id = p.id AND r.number = p.current_revision
WHERE p.code = ?`, code).Scan(&cur.active, &cur.rev.Number, &cur.rev.FileName, &cur.rev.FileSHA256,
		&cur.rev.LoadedBy, scanTime(&cur.rev.LoadedAt), &cur.document, &cur.text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find current revision: %w", err)
	}
	return cur, nil
}

// upsertPlan inserts or updates the plan row by code and returns its id.
// It leaves active and current_revision alone.
func upsertPlan(ctx context.Context, tx *tx, p *plan.Plan) (int64, error) {
	m := p.Meta
	var standingSource sql.NullString
	if p.StandingDuty != nil {
		standingSource = sql.NullString{String: p.StandingDuty.Source, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO plans
	(code, file_schema, title, doc_number, issuer, issue_date, start_year, end_year, baseline_year,
	 source_text_name, summary, goals_intro, responsibility_note, standing_duty_source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (code) DO UPDATE SET
	file_schema = excluded.file_schema,
	title = excluded.title,
	doc_number = excluded.doc_number,
	issuer = excluded.issuer,
	issue_date = excluded.issue_date,
	start_year = excluded.start_year,
	end_year = excluded.end_year,
	baseline_year = excluded.baseline_year,
	source_text_name = excluded.source_text_name,
	summary = excluded.summary,
	goals_intro = excluded.goals_intro,
	responsibility_note = excluded.responsibility_note,
	standing_duty_source = excluded.standing_duty_source
RETURNING id`,
		m.Code, p.Schema, m.Title, m.DocNumber, m.Issuer, m.IssueDate, m.StartYear, m.EndYear, m.BaselineYear,
		m.SourceText, m.Summary, m.GoalsIntro, m.ResponsibilityNote, standingSource).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("upsert plan: %w", err)
	}
	return id, nil
}

// saveStandingDuty replaces the unit kinds of the plan's standing duty; its
// source is a column of plans.
func saveStandingDuty(ctx context.Context, tx *tx, planID int64, d *plan.StandingDuty) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM standing_duty_kinds WHERE plan_id = ?`, planID); err != nil {
		return fmt.Errorf("delete standing duty: %w", err)
	}
	if d == nil {
		return nil
	}
	for i, k := range d.UnitKinds {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO standing_duty_kinds (plan_id, unit_kind, sort) VALUES (?, ?, ?)`, planID, string(k), i)
		if err != nil {
			return fmt.Errorf("insert standing duty: %w", err)
		}
	}
	return nil
}

// saveUnits inserts or updates the units by code and replaces the plan's
// list of units. Units the plan no longer lists are kept.
func saveUnits(ctx context.Context, tx *tx, planID int64, units []plan.Unit) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM plan_units WHERE plan_id = ?`, planID); err != nil {
		return fmt.Errorf("delete plan units: %w", err)
	}
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO units
	(code, name, kind, division_code, parent_code, park, note)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (code) DO UPDATE SET
	name = excluded.name,
	kind = excluded.kind,
	division_code = excluded.division_code,
	parent_code = excluded.parent_code,
	park = excluded.park,
	note = excluded.note
RETURNING id`)
	if err != nil {
		return fmt.Errorf("prepare upsert unit: %w", err)
	}
	defer upsert.Close()
	link, err := tx.PrepareContext(ctx, `INSERT INTO plan_units (plan_id, unit_id, sort) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare insert plan unit: %w", err)
	}
	defer link.Close()

	for i, u := range units {
		var id int64
		err := upsert.QueryRowContext(ctx,
			u.Code, u.Name, string(u.Kind), u.DivisionCode, u.Parent, u.Park, u.Note).Scan(&id)
		if err != nil {
			return fmt.Errorf("upsert unit %s: %w", u.Code, err)
		}
		if _, err := link.ExecContext(ctx, planID, id, i); err != nil {
			return fmt.Errorf("insert plan unit %s: %w", u.Code, err)
		}
		if err := saveUnitNames(ctx, tx, id, u); err != nil {
			return err
		}
	}
	return nil
}

// saveUnitNames replaces a unit's former division codes and aliases.
func saveUnitNames(ctx context.Context, tx *tx, unitID int64, u plan.Unit) error {
	for _, q := range []string{`DELETE FROM unit_former_codes WHERE unit_id = ?`, `DELETE FROM unit_aliases WHERE unit_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, unitID); err != nil {
			return fmt.Errorf("unit %s: %w", u.Code, err)
		}
	}
	for i, c := range u.FormerCodes {
		// A former code moves with its unit: take it from any other unit.
		if _, err := tx.ExecContext(ctx, `DELETE FROM unit_former_codes WHERE code = ?`, c); err != nil {
			return fmt.Errorf("unit %s: %w", u.Code, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_former_codes (unit_id, code, sort) VALUES (?, ?, ?)`, unitID, c, i); err != nil {
			return fmt.Errorf("unit %s former code %s: %w", u.Code, c, err)
		}
	}
	for i, a := range u.Aliases {
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_aliases (unit_id, alias, sort) VALUES (?, ?, ?)`, unitID, a, i); err != nil {
			return fmt.Errorf("unit %s alias %s: %w", u.Code, a, err)
		}
	}
	return nil
}

// saveGoals inserts or updates the goals by code and returns their ids by
// code.
func saveGoals(ctx context.Context, tx *tx, planID int64, goals []plan.Goal) (map[string]int64, error) {
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO goals (plan_id, code, section, title, source, sort)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (plan_id, code) DO UPDATE SET
	section = excluded.section,
	title = excluded.title,
	source = excluded.source,
	sort = excluded.sort
RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("prepare upsert goal: %w", err)
	}
	defer upsert.Close()

	ids := make(map[string]int64, len(goals))
	for i, g := range goals {
		var id int64
		if err := upsert.QueryRowContext(ctx, planID, g.Code, g.Section, g.Title, g.Source, i).Scan(&id); err != nil {
			return nil, fmt.Errorf("upsert goal %s: %w", g.Code, err)
		}
		ids[g.Code] = id
	}
	return ids, nil
}

// saveFieldGroups inserts or updates the field groups by code and returns
// their ids by code.
func saveFieldGroups(ctx context.Context, tx *tx, planID int64, groups []plan.FieldGroup) (map[string]int64, error) {
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO field_groups (plan_id, code, section, title, category, sort)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (plan_id, code) DO UPDATE SET
	section = excluded.section,
	title = excluded.title,
	category = excluded.category,
	sort = excluded.sort
RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("prepare upsert field group: %w", err)
	}
	defer upsert.Close()

	ids := make(map[string]int64, len(groups))
	for i, g := range groups {
		var id int64
		if err := upsert.QueryRowContext(ctx, planID, g.Code, g.Section, g.Title, g.Category, i).Scan(&id); err != nil {
			return nil, fmt.Errorf("upsert field group %s: %w", g.Code, err)
		}
		ids[g.Code] = id
	}
	return ids, nil
}

// saveFields inserts or updates the fields and their tasks by code and
// returns the ids of both by code.
func saveFields(ctx context.Context, tx *tx, planID int64, fields []plan.Field, groupIDs map[string]int64) (fieldIDs, taskIDs map[string]int64, err error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM field_industries
WHERE field_id IN (SELECT id FROM fields WHERE plan_id = ?)`, planID); err != nil {
		return nil, nil, fmt.Errorf("delete field industries: %w", err)
	}
	upsertField, err := tx.PrepareContext(ctx, `INSERT INTO fields
	(plan_id, group_id, code, section, name, source, responsibility, industries_note, sort)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (plan_id, code) DO UPDATE SET
	group_id = excluded.group_id,
	section = excluded.section,
	name = excluded.name,
	source = excluded.source,
	responsibility = excluded.responsibility,
	industries_note = excluded.industries_note,
	sort = excluded.sort
RETURNING id`)
	if err != nil {
		return nil, nil, fmt.Errorf("prepare upsert field: %w", err)
	}
	defer upsertField.Close()
	upsertTask, err := tx.PrepareContext(ctx, `INSERT INTO tasks (plan_id, field_id, code, title, source, note, sort)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (plan_id, code) DO UPDATE SET
	field_id = excluded.field_id,
	title = excluded.title,
	source = excluded.source,
	note = excluded.note,
	sort = excluded.sort
RETURNING id`)
	if err != nil {
		return nil, nil, fmt.Errorf("prepare upsert task: %w", err)
	}
	defer upsertTask.Close()

	fieldIDs = make(map[string]int64, len(fields))
	taskIDs = map[string]int64{}
	for i, f := range fields {
		groupID, ok := groupIDs[f.Group]
		if !ok {
			return nil, nil, fmt.Errorf("field %s: group %q is not in the plan", f.Code, f.Group)
		}
		var fieldID int64
		err := upsertField.QueryRowContext(ctx,
			planID, groupID, f.Code, f.Section, f.Name, f.Source, f.Responsibility, f.IndustriesNote, i).Scan(&fieldID)
		if err != nil {
			return nil, nil, fmt.Errorf("upsert field %s: %w", f.Code, err)
		}
		fieldIDs[f.Code] = fieldID
		for j, c := range f.Industries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO field_industries (field_id, code, sort) VALUES (?, ?, ?)`,
				fieldID, c, j); err != nil {
				return nil, nil, fmt.Errorf("field %s industry %s: %w", f.Code, c, err)
			}
		}
		for j, t := range f.Tasks {
			var taskID int64
			err := upsertTask.QueryRowContext(ctx, planID, fieldID, t.Code, t.Title, t.Source, t.Note, j).Scan(&taskID)
			if err != nil {
				return nil, nil, fmt.Errorf("upsert task %s: %w", t.Code, err)
			}
			taskIDs[t.Code] = taskID
		}
	}
	return fieldIDs, taskIDs, nil
}

// saveActions inserts or updates the actions or guarantees (list says
// which) by code and returns their ids by code.
func saveActions(ctx context.Context, tx *tx, planID int64, list string, actions []plan.Action) (map[string]int64, error) {
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO actions (plan_id, list, code, section, title, source, sort)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (plan_id, list, code) DO UPDATE SET
	section = excluded.section,
	title = excluded.title,
	source = excluded.source,
	sort = excluded.sort
RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("prepare upsert %s: %w", list, err)
	}
	defer upsert.Close()

	ids := make(map[string]int64, len(actions))
	for i, a := range actions {
		var id int64
		if err := upsert.QueryRowContext(ctx, planID, list, a.Code, a.Section, a.Title, a.Source, i).Scan(&id); err != nil {
			return nil, fmt.Errorf("upsert %s %s: %w", list, a.Code, err)
		}
		ids[a.Code] = id
	}
	return ids, nil
}

// indicatorRefs are the ids, by code, of the items an indicator may be
// placed under.
type indicatorRefs struct {
	goals, fields, tasks, actions map[string]int64
}

// saveIndicators inserts or updates the indicators by code, replaces their
// targets, and returns the indicators' ids by code.
func saveIndicators(ctx context.Context, tx *tx, planID int64, indicators []plan.Indicator, refs indicatorRefs) (map[string]int64, error) {
	_, err := tx.ExecContext(ctx, `DELETE FROM indicator_targets
WHERE indicator_id IN (SELECT id FROM indicators WHERE plan_id = ?)`, planID)
	if err != nil {
		return nil, fmt.Errorf("delete targets: %w", err)
	}
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO indicators
	(plan_id, code, name, measure_unit, kind, direction, price_basis, goal_id, field_id, task_id, action_id,
	 per_unit_kind, baseline_year, baseline_value, baseline_derived, source, note, sort, compute)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (plan_id, code) DO UPDATE SET
	name = excluded.name,
	measure_unit = excluded.measure_unit,
	kind = excluded.kind,
	direction = excluded.direction,
	price_basis = excluded.price_basis,
	goal_id = excluded.goal_id,
	field_id = excluded.field_id,
	task_id = excluded.task_id,
	action_id = excluded.action_id,
	per_unit_kind = excluded.per_unit_kind,
	baseline_year = excluded.baseline_year,
	baseline_value = excluded.baseline_value,
	baseline_derived = excluded.baseline_derived,
	source = excluded.source,
	note = excluded.note,
	sort = excluded.sort,
	compute = excluded.compute
RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("prepare upsert indicator: %w", err)
	}
	defer upsert.Close()
	insertTarget, err := tx.PrepareContext(ctx, `INSERT INTO indicator_targets
	(indicator_id, year, op, value, max_value, strive, note, sort)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare insert target: %w", err)
	}
	defer insertTarget.Close()

	ids := make(map[string]int64, len(indicators))
	for i, ind := range indicators {
		goalID, err := refID(refs.goals, ind.Goal)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: goal: %w", ind.Code, err)
		}
		fieldID, err := refID(refs.fields, ind.Field)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: field: %w", ind.Code, err)
		}
		taskID, err := refID(refs.tasks, ind.Task)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: task: %w", ind.Code, err)
		}
		actionID, err := refID(refs.actions, ind.Action)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: action: %w", ind.Code, err)
		}
		var baselineYear sql.NullInt64
		var baselineValue, baselineDerived string
		if b := ind.Baseline; b != nil {
			baselineYear = sql.NullInt64{Int64: int64(b.Year), Valid: true}
			baselineValue, baselineDerived = string(b.Value), b.Derived
		}

		var id int64
		err = upsert.QueryRowContext(ctx,
			planID, ind.Code, ind.Name, ind.Unit, string(ind.Kind), string(ind.Direction), ind.PriceBasis,
			goalID, fieldID, taskID, actionID,
			string(ind.PerUnitKind), baselineYear, baselineValue, baselineDerived, ind.Source, ind.Note, i, ind.Compute).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("upsert indicator %s: %w", ind.Code, err)
		}
		ids[ind.Code] = id

		for j, t := range ind.Targets {
			_, err := insertTarget.ExecContext(ctx,
				id, t.Year, string(t.Op), string(t.Value), string(t.Max), t.Strive, t.Note, j)
			if err != nil {
				return nil, fmt.Errorf("insert target %s %d: %w", ind.Code, t.Year, err)
			}
		}
	}
	return ids, nil
}

// refID returns the id of the item code names, or NULL when code is empty.
func refID(ids map[string]int64, code string) (sql.NullInt64, error) {
	if code == "" {
		return sql.NullInt64{}, nil
	}
	id, ok := ids[code]
	if !ok {
		return sql.NullInt64{}, fmt.Errorf("%q is not in the plan", code)
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// saveResponsibilities replaces the lead and co units of the plan's
// fields, tasks, actions and guarantees.
func saveResponsibilities(ctx context.Context, tx *tx, planID int64, p *plan.Plan) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM responsibilities WHERE plan_id = ?`, planID); err != nil {
		return fmt.Errorf("delete responsibilities: %w", err)
	}
	insert, err := tx.PrepareContext(ctx, `INSERT INTO responsibilities
	(plan_id, subject_kind, subject_code, unit_code, role, sort)
VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare insert responsibility: %w", err)
	}
	defer insert.Close()

	// A subject's lead or co list, in the plan's order.
	type list struct {
		kind, code, role string
		units            []string
	}
	var lists []list
	for _, f := range p.Fields {
		lists = append(lists, list{subjectField, f.Code, roleLead, f.Lead}, list{subjectField, f.Code, roleCo, f.Co})
		for _, t := range f.Tasks {
			lists = append(lists, list{subjectTask, t.Code, roleLead, t.Lead}, list{subjectTask, t.Code, roleCo, t.Co})
		}
	}
	for _, a := range p.Actions {
		lists = append(lists, list{subjectAction, a.Code, roleLead, a.Lead}, list{subjectAction, a.Code, roleCo, a.Co})
	}
	for _, g := range p.Guarantees {
		lists = append(lists, list{subjectGuarantee, g.Code, roleLead, g.Lead}, list{subjectGuarantee, g.Code, roleCo, g.Co})
	}
	for _, l := range lists {
		for i, unit := range l.units {
			if _, err := insert.ExecContext(ctx, planID, l.kind, l.code, unit, l.role, i); err != nil {
				return fmt.Errorf("insert responsibility %s %s %s %s: %w", l.kind, l.code, l.role, unit, err)
			}
		}
	}
	return nil
}

// deleteStale deletes the rows of table that belong to the plan but are not
// among the ids in keep: items the plan no longer has. table is one of the
// item tables, named by the caller.
func deleteStale(ctx context.Context, tx *tx, table string, planID int64, keep ...map[string]int64) error {
	kept := map[int64]bool{}
	for _, ids := range keep {
		for _, id := range ids {
			kept[id] = true
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table+` WHERE plan_id = ?`, planID)
	if err != nil {
		return fmt.Errorf("list %s: %w", table, err)
	}
	var stale []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("list %s: %w", table, err)
		}
		if !kept[id] {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list %s: %w", table, err)
	}
	for _, id := range stale {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// ActivePlan reads the active plan back from the normalised tables, with
// its source text and current revision, in one read transaction. Empty
// lists are read as nil. It returns an apperr NotFound error if no plan
// has been loaded.
func (s *PlanStore) ActivePlan(ctx context.Context) (*plan.Stored, error) {
	var st *plan.Stored
	err := s.db.inReadTx(ctx, func(tx *tx) error {
		var err error
		st, err = readActivePlan(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: active plan: %w", err)
	}
	return st, nil
}

// readActivePlan reads the active plan, one table at a time in file order.
func readActivePlan(ctx context.Context, tx *tx) (*plan.Stored, error) {
	st, planID, err := readPlanRow(ctx, tx)
	if err != nil {
		return nil, err
	}
	p := st.Plan
	if p.StandingDuty != nil {
		if p.StandingDuty.UnitKinds, err = readStandingDutyKinds(ctx, tx, planID); err != nil {
			return nil, err
		}
	}
	if p.Units, err = readUnits(ctx, tx, planID); err != nil {
		return nil, err
	}
	if p.Goals, err = readGoals(ctx, tx, planID); err != nil {
		return nil, err
	}
	if p.FieldGroups, err = readFieldGroups(ctx, tx, planID); err != nil {
		return nil, err
	}
	if p.Fields, err = readFields(ctx, tx, planID); err != nil {
		return nil, err
	}
	if p.Actions, p.Guarantees, err = readActions(ctx, tx, planID); err != nil {
		return nil, err
	}
	if err := readResponsibilities(ctx, tx, planID, p); err != nil {
		return nil, err
	}
	if p.Indicators, err = readIndicators(ctx, tx, planID); err != nil {
		return nil, err
	}
	return st, nil
}

// readPlanRow reads the active plan's own row and its current revision:
// the plan without its items, and its id. A standing duty is read without
// its unit kinds.
func readPlanRow(ctx context.Context, tx *tx) (*plan.Stored, int64, error) {
	p := &plan.Plan{}
	st := &plan.Stored{Plan: p}
	m := &p.Meta
	rev := &st.Revision
	var (
		planID         int64
		standingSource sql.NullString
	)
	err := tx.QueryRowContext(ctx, `SELECT p.id, p.code, p.file_schema, p.title, p.doc_number, p.issuer, p.issue_date,
	p.start_year, p.end_year, p.baseline_year, p.source_text_name, p.summary, p.goals_intro,
	p.responsibility_note, p.standing_duty_source,
	r.number, r.file_name, r.file_sha256, r.loaded_by, r.loaded_at, r.source_text
FROM plans p
JOIN plan_revisions r ON r.plan_id = p.id AND r.number = p.current_revision
WHERE p.active`).Scan(&planID, &m.Code, &p.Schema, &m.Title, &m.DocNumber, &m.Issuer, &m.IssueDate,
		&m.StartYear, &m.EndYear, &m.BaselineYear, &m.SourceText, &m.Summary, &m.GoalsIntro,
		&m.ResponsibilityNote, &standingSource,
		&rev.Number, &rev.FileName, &rev.FileSHA256, &rev.LoadedBy, scanTime(&rev.LoadedAt), &st.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, apperr.NotFoundf("尚未加载规划")
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read plan: %w", err)
	}
	rev.PlanCode = m.Code
	if standingSource.Valid {
		p.StandingDuty = &plan.StandingDuty{Source: standingSource.String}
	}
	return st, planID, nil
}

// codePair is a row of a list kept beside its owner: the owner's code and
// one value of the list.
type codePair struct{ owner, value string }

func scanCodePair(row rowScanner) (codePair, error) {
	var c codePair
	err := row.Scan(&c.owner, &c.value)
	return c, err
}

func readStandingDutyKinds(ctx context.Context, tx *tx, planID int64) ([]plan.UnitKind, error) {
	kinds, err := queryAll(ctx, tx, `SELECT unit_kind FROM standing_duty_kinds WHERE plan_id = ? ORDER BY sort`, []any{planID},
		func(row rowScanner) (plan.UnitKind, error) {
			var k string
			err := row.Scan(&k)
			return plan.UnitKind(k), err
		})
	if err != nil {
		return nil, fmt.Errorf("read standing duty: %w", err)
	}
	return kinds, nil
}

// readUnits reads the plan's units with their former codes and aliases.
func readUnits(ctx context.Context, tx *tx, planID int64) ([]plan.Unit, error) {
	units, err := queryAll(ctx, tx, `SELECT u.code, u.name, u.kind, u.division_code, u.parent_code, u.park, u.note
FROM plan_units pu
JOIN units u ON u.id = pu.unit_id
WHERE pu.plan_id = ?
ORDER BY pu.sort`, []any{planID}, func(row rowScanner) (plan.Unit, error) {
		var u plan.Unit
		var kind string
		err := row.Scan(&u.Code, &u.Name, &kind, &u.DivisionCode, &u.Parent, &u.Park, &u.Note)
		u.Kind = plan.UnitKind(kind)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("read units: %w", err)
	}
	index := make(map[string]int, len(units))
	for i, u := range units {
		index[u.Code] = i
	}
	for _, l := range []struct {
		what, query string
		list        func(*plan.Unit) *[]string
	}{
		{"former codes", `SELECT u.code, x.code FROM unit_former_codes x
JOIN units u ON u.id = x.unit_id JOIN plan_units pu ON pu.unit_id = u.id
WHERE pu.plan_id = ? ORDER BY pu.sort, x.sort`, func(u *plan.Unit) *[]string { return &u.FormerCodes }},
		{"aliases", `SELECT u.code, x.alias FROM unit_aliases x
JOIN units u ON u.id = x.unit_id JOIN plan_units pu ON pu.unit_id = u.id
WHERE pu.plan_id = ? ORDER BY pu.sort, x.sort`, func(u *plan.Unit) *[]string { return &u.Aliases }},
	} {
		pairs, err := queryAll(ctx, tx, l.query, []any{planID}, scanCodePair)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", l.what, err)
		}
		for _, c := range pairs {
			list := l.list(&units[index[c.owner]])
			*list = append(*list, c.value)
		}
	}
	return units, nil
}

func readGoals(ctx context.Context, tx *tx, planID int64) ([]plan.Goal, error) {
	goals, err := queryAll(ctx, tx, `SELECT code, section, title, source FROM goals WHERE plan_id = ? ORDER BY sort`, []any{planID},
		func(row rowScanner) (plan.Goal, error) {
			var g plan.Goal
			err := row.Scan(&g.Code, &g.Section, &g.Title, &g.Source)
			return g, err
		})
	if err != nil {
		return nil, fmt.Errorf("read goals: %w", err)
	}
	return goals, nil
}

func readFieldGroups(ctx context.Context, tx *tx, planID int64) ([]plan.FieldGroup, error) {
	groups, err := queryAll(ctx, tx, `SELECT code, section, title, category FROM field_groups WHERE plan_id = ? ORDER BY sort`, []any{planID},
		func(row rowScanner) (plan.FieldGroup, error) {
			var g plan.FieldGroup
			err := row.Scan(&g.Code, &g.Section, &g.Title, &g.Category)
			return g, err
		})
	if err != nil {
		return nil, fmt.Errorf("read field groups: %w", err)
	}
	return groups, nil
}

// readFields reads the plan's fields with their industries and tasks.
func readFields(ctx context.Context, tx *tx, planID int64) ([]plan.Field, error) {
	fields, err := queryAll(ctx, tx, `SELECT f.code, g.code, f.section, f.name, f.source, f.responsibility, f.industries_note
FROM fields f
JOIN field_groups g ON g.id = f.group_id
WHERE f.plan_id = ?
ORDER BY f.sort`, []any{planID}, func(row rowScanner) (plan.Field, error) {
		var f plan.Field
		err := row.Scan(&f.Code, &f.Group, &f.Section, &f.Name, &f.Source, &f.Responsibility, &f.IndustriesNote)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("read fields: %w", err)
	}
	index := make(map[string]int, len(fields))
	for i, f := range fields {
		index[f.Code] = i
	}

	industries, err := queryAll(ctx, tx, `SELECT f.code, fi.code
FROM field_industries fi
JOIN fields f ON f.id = fi.field_id
WHERE f.plan_id = ?
ORDER BY f.sort, fi.sort`, []any{planID}, scanCodePair)
	if err != nil {
		return nil, fmt.Errorf("read field industries: %w", err)
	}
	for _, c := range industries {
		f := &fields[index[c.owner]]
		f.Industries = append(f.Industries, c.value)
	}

	type fieldTask struct {
		field string
		task  plan.Task
	}
	tasks, err := queryAll(ctx, tx, `SELECT f.code, t.code, t.title, t.source, t.note
FROM tasks t
JOIN fields f ON f.id = t.field_id
WHERE t.plan_id = ?
ORDER BY f.sort, t.sort`, []any{planID}, func(row rowScanner) (fieldTask, error) {
		var ft fieldTask
		err := row.Scan(&ft.field, &ft.task.Code, &ft.task.Title, &ft.task.Source, &ft.task.Note)
		return ft, err
	})
	if err != nil {
		return nil, fmt.Errorf("read tasks: %w", err)
	}
	for _, ft := range tasks {
		f := &fields[index[ft.field]]
		f.Tasks = append(f.Tasks, ft.task)
	}
	return fields, nil
}

// readActions reads the plan's actions and guarantees, which share a table.
func readActions(ctx context.Context, tx *tx, planID int64) (actions, guarantees []plan.Action, err error) {
	type actionRow struct {
		list   string
		action plan.Action
	}
	rows, err := queryAll(ctx, tx, `SELECT list, code, section, title, source FROM actions WHERE plan_id = ? ORDER BY list, sort`, []any{planID},
		func(row rowScanner) (actionRow, error) {
			var la actionRow
			a := &la.action
			err := row.Scan(&la.list, &a.Code, &a.Section, &a.Title, &a.Source)
			return la, err
		})
	if err != nil {
		return nil, nil, fmt.Errorf("read actions: %w", err)
	}
	for _, la := range rows {
		if la.list == listGuarantee {
			guarantees = append(guarantees, la.action)
		} else {
			actions = append(actions, la.action)
		}
	}
	return actions, guarantees, nil
}

// readResponsibilities adds the lead and co units to the lists of the
// plan's fields, tasks, actions and guarantees, which must be read
// already. Ordering by sort alone keeps every list in the plan's order.
func readResponsibilities(ctx context.Context, tx *tx, planID int64, p *plan.Plan) error {
	type responsibility struct{ kind, code, role, unit string }
	rs, err := queryAll(ctx, tx, `SELECT subject_kind, subject_code, role, unit_code
FROM responsibilities
WHERE plan_id = ?
ORDER BY sort, id`, []any{planID}, func(row rowScanner) (responsibility, error) {
		var r responsibility
		err := row.Scan(&r.kind, &r.code, &r.role, &r.unit)
		return r, err
	})
	if err != nil {
		return fmt.Errorf("read responsibilities: %w", err)
	}

	// The lead and co lists of each subject, by kind and code.
	type lists struct{ lead, co *[]string }
	subjects := map[[2]string]lists{}
	for i := range p.Fields {
		f := &p.Fields[i]
		subjects[[2]string{subjectField, f.Code}] = lists{&f.Lead, &f.Co}
		for j := range f.Tasks {
			t := &f.Tasks[j]
			subjects[[2]string{subjectTask, t.Code}] = lists{&t.Lead, &t.Co}
		}
	}
	for i := range p.Actions {
		a := &p.Actions[i]
		subjects[[2]string{subjectAction, a.Code}] = lists{&a.Lead, &a.Co}
	}
	for i := range p.Guarantees {
		a := &p.Guarantees[i]
		subjects[[2]string{subjectGuarantee, a.Code}] = lists{&a.Lead, &a.Co}
	}

	for _, r := range rs {
		l, ok := subjects[[2]string{r.kind, r.code}]
		if !ok {
			return fmt.Errorf("read responsibilities: %s %q is not in the plan", r.kind, r.code)
		}
		if r.role == roleCo {
			*l.co = append(*l.co, r.unit)
		} else {
			*l.lead = append(*l.lead, r.unit)
		}
	}
	return nil
}

// readIndicators reads the plan's indicators with their targets.
func readIndicators(ctx context.Context, tx *tx, planID int64) ([]plan.Indicator, error) {
	indicators, err := queryAll(ctx, tx, `SELECT i.code, i.name, i.measure_unit, i.kind, i.direction, i.price_basis,
	COALESCE(g.code, ''), COALESCE(f.code, ''), COALESCE(t.code, ''), COALESCE(a.code, ''),
	i.per_unit_kind, i.baseline_year, i.baseline_value, i.baseline_derived, i.source, i.note, i.compute
FROM indicators i
LEFT JOIN goals g ON g.id = i.goal_id
LEFT JOIN fields f ON f.id = i.field_id
LEFT JOIN tasks t ON t.id = i.task_id
LEFT JOIN actions a ON a.id = i.action_id
WHERE i.plan_id = ?
ORDER BY i.sort`, []any{planID}, scanIndicator)
	if err != nil {
		return nil, fmt.Errorf("read indicators: %w", err)
	}
	index := make(map[string]int, len(indicators))
	for i, ind := range indicators {
		index[ind.Code] = i
	}

	type indicatorTarget struct {
		indicator string
		target    plan.Target
	}
	targets, err := queryAll(ctx, tx, `SELECT i.code, t.year, t.op, t.value, t.max_value, t.strive, t.note
FROM indicator_targets t
JOIN indicators i ON i.id = t.indicator_id
WHERE i.plan_id = ?
ORDER BY i.sort, t.sort`, []any{planID}, func(row rowScanner) (indicatorTarget, error) {
		var it indicatorTarget
		var op, value, maxValue string
		t := &it.target
		err := row.Scan(&it.indicator, &t.Year, &op, &value, &maxValue, &t.Strive, &t.Note)
		t.Op, t.Value, t.Max = plan.Op(op), plan.Number(value), plan.Number(maxValue)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("read targets: %w", err)
	}
	for _, it := range targets {
		ind := &indicators[index[it.indicator]]
		ind.Targets = append(ind.Targets, it.target)
	}
	return indicators, nil
}

func scanIndicator(row rowScanner) (plan.Indicator, error) {
	var ind plan.Indicator
	var kind, direction, perUnitKind, baselineValue, baselineDerived string
	var baselineYear sql.NullInt64
	err := row.Scan(&ind.Code, &ind.Name, &ind.Unit, &kind, &direction, &ind.PriceBasis,
		&ind.Goal, &ind.Field, &ind.Task, &ind.Action,
		&perUnitKind, &baselineYear, &baselineValue, &baselineDerived, &ind.Source, &ind.Note, &ind.Compute)
	if err != nil {
		return ind, err
	}
	ind.Kind, ind.Direction, ind.PerUnitKind = plan.Kind(kind), plan.Direction(direction), plan.UnitKind(perUnitKind)
	if baselineYear.Valid {
		ind.Baseline = &plan.Baseline{
			Year:    int(baselineYear.Int64),
			Value:   plan.Number(baselineValue),
			Derived: baselineDerived,
		}
	}
	return ind, nil
}

// ListRevisions returns the revisions of the plan with code, newest first;
// an apperr NotFound error if there is no such plan.
func (s *PlanStore) ListRevisions(ctx context.Context, planCode string) ([]plan.Revision, error) {
	var revs []plan.Revision
	err := s.db.inReadTx(ctx, func(tx *tx) error {
		// Every plan has at least one revision, saved with it.
		rows, err := tx.QueryContext(ctx, `SELECT r.number, r.file_name, r.file_sha256, r.loaded_by, r.loaded_at
FROM plan_revisions r
JOIN plans p ON p.id = r.plan_id
WHERE p.code = ?
ORDER BY r.number DESC`, planCode)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := plan.Revision{PlanCode: planCode}
			if err := rows.Scan(&r.Number, &r.FileName, &r.FileSHA256, &r.LoadedBy, scanTime(&r.LoadedAt)); err != nil {
				return err
			}
			revs = append(revs, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list revisions of %s: %w", planCode, err)
	}
	if len(revs) == 0 {
		return nil, apperr.NotFoundf("找不到规划“%s”", planCode)
	}
	return revs, nil
}
