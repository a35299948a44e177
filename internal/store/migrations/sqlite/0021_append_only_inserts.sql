-- 0021_append_only_inserts: an append-only table also refuses an insert
-- that would take the place of a row it holds. INSERT OR REPLACE (and
-- REPLACE INTO) resolves a clash on the primary key, a UNIQUE constraint
-- or an explicit rowid by deleting the old row first, and that deletion
-- fires no DELETE trigger unless the connection has turned on
-- recursive_triggers: a rewritten audit row passed the *_no_update and
-- *_no_delete triggers of 0002 to 0020. BEFORE INSERT triggers run before
-- any clash is resolved, so each one below refuses a new row that matches
-- an existing one on the rowid or on any unique key of its table. The
-- store's writers check for a version taken before they insert and never
-- rely on a constraint error or on INSERT OR IGNORE here, so for them
-- nothing changes: a clash still fails, with this message instead of
-- SQLite's. NEW.rowid of a row whose rowid SQLite is to choose is -1 in a
-- BEFORE INSERT trigger, which no row holds. A table made append-only
-- later needs its own such trigger (TestAppendOnlyTablesRefuseReplace
-- checks). PostgreSQL has no REPLACE, and its ON CONFLICT DO UPDATE fires
-- the BEFORE UPDATE triggers it already has: see
-- migrations/postgres/0021_append_only_inserts.sql.

CREATE TRIGGER assess_facts_no_replace BEFORE INSERT ON assess_facts
WHEN EXISTS (SELECT 1 FROM assess_facts WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM assess_facts WHERE
    scheme = NEW.scheme AND group_code = NEW.group_code AND item = NEW.item
    AND unit_code = NEW.unit_code AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'assess_facts is append-only');
END;

CREATE TRIGGER assess_runs_no_replace BEFORE INSERT ON assess_runs
WHEN EXISTS (SELECT 1 FROM assess_runs WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'assess_runs is append-only');
END;

CREATE TRIGGER assess_schemes_no_replace BEFORE INSERT ON assess_schemes
WHEN EXISTS (SELECT 1 FROM assess_schemes WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM assess_schemes WHERE code = NEW.code AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'assess_schemes is append-only');
END;

CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER building_findings_no_replace BEFORE INSERT ON building_findings
WHEN EXISTS (SELECT 1 FROM building_findings WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_findings WHERE visit_id = NEW.visit_id AND seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'building_findings is append-only');
END;

CREATE TRIGGER building_occupancies_no_replace BEFORE INSERT ON building_occupancies
WHEN EXISTS (SELECT 1 FROM building_occupancies WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_occupancies WHERE
    building = NEW.building AND version = NEW.version AND seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'building_occupancies is append-only');
END;

CREATE TRIGGER building_rooms_no_replace BEFORE INSERT ON building_rooms
WHEN EXISTS (SELECT 1 FROM building_rooms WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_rooms WHERE
    building = NEW.building AND version = NEW.version AND room = NEW.room)
BEGIN
    SELECT RAISE(ABORT, 'building_rooms is append-only');
END;

CREATE TRIGGER building_spaces_no_replace BEFORE INSERT ON building_spaces
WHEN EXISTS (SELECT 1 FROM building_spaces WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_spaces WHERE building = NEW.building AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'building_spaces is append-only');
END;

CREATE TRIGGER building_tax_no_replace BEFORE INSERT ON building_tax
WHEN EXISTS (SELECT 1 FROM building_tax WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_tax WHERE
    uscc = NEW.uscc AND building = NEW.building AND period = NEW.period
    AND caliber = NEW.caliber AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'building_tax is append-only');
END;

CREATE TRIGGER building_versions_no_replace BEFORE INSERT ON building_versions
WHEN EXISTS (SELECT 1 FROM building_versions WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_versions WHERE code = NEW.code AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'building_versions is append-only');
END;

CREATE TRIGGER building_visit_decisions_no_replace BEFORE INSERT ON building_visit_decisions
WHEN EXISTS (SELECT 1 FROM building_visit_decisions WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_visit_decisions WHERE visit_id = NEW.visit_id)
BEGIN
    SELECT RAISE(ABORT, 'building_visit_decisions is append-only');
END;

CREATE TRIGGER building_visit_files_no_replace BEFORE INSERT ON building_visit_files
WHEN EXISTS (SELECT 1 FROM building_visit_files WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_visit_files WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'building_visit_files is append-only');
END;

CREATE TRIGGER building_visits_no_replace BEFORE INSERT ON building_visits
WHEN EXISTS (SELECT 1 FROM building_visits WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM building_visits WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'building_visits is append-only');
END;

CREATE TRIGGER enterprise_revenue_no_replace BEFORE INSERT ON enterprise_revenue
WHEN EXISTS (SELECT 1 FROM enterprise_revenue WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM enterprise_revenue WHERE
    uscc = NEW.uscc AND period = NEW.period AND source = NEW.source AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'enterprise_revenue is append-only');
END;

CREATE TRIGGER enterprise_versions_no_replace BEFORE INSERT ON enterprise_versions
WHEN EXISTS (SELECT 1 FROM enterprise_versions WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM enterprise_versions WHERE uscc = NEW.uscc AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'enterprise_versions is append-only');
END;

CREATE TRIGGER firm_report_versions_no_replace BEFORE INSERT ON firm_report_versions
WHEN EXISTS (SELECT 1 FROM firm_report_versions WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM firm_report_versions WHERE
    form = NEW.form AND period = NEW.period AND uscc = NEW.uscc AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'firm_report_versions is append-only');
END;

CREATE TRIGGER indicator_values_no_replace BEFORE INSERT ON indicator_values
WHEN EXISTS (SELECT 1 FROM indicator_values WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM indicator_values WHERE
    indicator = NEW.indicator AND unit_code = NEW.unit_code AND period = NEW.period
    AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'indicator_values is append-only');
END;

CREATE TRIGGER park_members_no_replace BEFORE INSERT ON park_members
WHEN EXISTS (SELECT 1 FROM park_members WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'park_members is append-only');
END;

CREATE TRIGGER plan_revisions_no_replace BEFORE INSERT ON plan_revisions
WHEN EXISTS (SELECT 1 FROM plan_revisions WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM plan_revisions WHERE plan_id = NEW.plan_id AND number = NEW.number)
BEGIN
    SELECT RAISE(ABORT, 'plan_revisions is append-only');
END;

CREATE TRIGGER progress_reports_no_replace BEFORE INSERT ON progress_reports
WHEN EXISTS (SELECT 1 FROM progress_reports WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM progress_reports WHERE
    task_id = NEW.task_id AND unit_code = NEW.unit_code AND period = NEW.period
    AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'progress_reports is append-only');
END;

CREATE TRIGGER project_fai_no_replace BEFORE INSERT ON project_fai
WHEN EXISTS (SELECT 1 FROM project_fai WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM project_fai WHERE
    project = NEW.project AND period = NEW.period AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'project_fai is append-only');
END;

CREATE TRIGGER project_problems_no_replace BEFORE INSERT ON project_problems
WHEN EXISTS (SELECT 1 FROM project_problems WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM project_problems WHERE id = NEW.id AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'project_problems is append-only');
END;

CREATE TRIGGER project_progress_no_replace BEFORE INSERT ON project_progress
WHEN EXISTS (SELECT 1 FROM project_progress WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM project_progress WHERE
    project = NEW.project AND period = NEW.period AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'project_progress is append-only');
END;

CREATE TRIGGER project_versions_no_replace BEFORE INSERT ON project_versions
WHEN EXISTS (SELECT 1 FROM project_versions WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM project_versions WHERE project = NEW.project AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'project_versions is append-only');
END;

CREATE TRIGGER reference_tables_no_replace BEFORE INSERT ON reference_tables
WHEN EXISTS (SELECT 1 FROM reference_tables WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM reference_tables WHERE kind = NEW.kind AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'reference_tables is append-only');
END;

CREATE TRIGGER settings_no_replace BEFORE INSERT ON settings
WHEN EXISTS (SELECT 1 FROM settings WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM settings WHERE key = NEW.key AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'settings is append-only');
END;

CREATE TRIGGER supervise_events_no_replace BEFORE INSERT ON supervise_events
WHEN EXISTS (SELECT 1 FROM supervise_events WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM supervise_events WHERE item_id = NEW.item_id AND seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'supervise_events is append-only');
END;

CREATE TRIGGER supervise_files_no_replace BEFORE INSERT ON supervise_files
WHEN EXISTS (SELECT 1 FROM supervise_files WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM supervise_files WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'supervise_files is append-only');
END;

CREATE TRIGGER supervise_items_no_replace BEFORE INSERT ON supervise_items
WHEN EXISTS (SELECT 1 FROM supervise_items WHERE rowid = NEW.rowid)
  OR EXISTS (SELECT 1 FROM supervise_items WHERE id = NEW.id AND version = NEW.version)
BEGIN
    SELECT RAISE(ABORT, 'supervise_items is append-only');
END;
