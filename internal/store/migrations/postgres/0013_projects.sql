-- 0013_projects: the major-project ledger (doc/projects.md). A project's
-- current state is spread over four tables for querying; every earlier
-- state is kept whole, as JSON, in project_versions (append-only). Dates
-- are YYYY-MM-DD text, money integer fen. Keep in step with
-- migrations/sqlite/0013_projects.sql.

CREATE TABLE projects (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    builder TEXT NOT NULL,
    builder_uscc TEXT NOT NULL,
    field TEXT NOT NULL,
    unit_code TEXT NOT NULL, -- town, street or park
    leader TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('', 'province', 'city', 'district')),
    level_list TEXT NOT NULL,
    level_year INTEGER NOT NULL,
    total_fen BIGINT NOT NULL CHECK (total_fen > 0),
    currency TEXT NOT NULL,
    foreign_minor BIGINT NOT NULL,
    conversion TEXT NOT NULL,
    planned_start TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    stage TEXT NOT NULL, -- the latest event's, for lists
    version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE INDEX projects_place ON projects (unit_code, field);

-- Responsible units: one lead, any co-units.
CREATE TABLE project_units (
    project TEXT NOT NULL REFERENCES projects (code),
    unit_code TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    PRIMARY KEY (project, unit_code)
);

CREATE INDEX project_units_unit ON project_units (unit_code);

-- Yearly planned investment (年度计划投资).
CREATE TABLE project_plans (
    project TEXT NOT NULL REFERENCES projects (code),
    year INTEGER NOT NULL,
    planned_fen BIGINT NOT NULL CHECK (planned_fen >= 0),
    PRIMARY KEY (project, year)
);

-- Stage events in the order entered, with their certification.
CREATE TABLE project_events (
    project TEXT NOT NULL REFERENCES projects (code),
    seq INTEGER NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('planning', 'signed', 'started', 'building', 'completed', 'operating')),
    on_date TEXT NOT NULL,
    evidence TEXT NOT NULL,
    attachment TEXT NOT NULL,
    reason TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TIMESTAMPTZ NOT NULL,
    cert_on TEXT NOT NULL, -- '' until certified
    cert_body TEXT NOT NULL,
    cert_by TEXT NOT NULL,
    cert_at TIMESTAMPTZ,
    PRIMARY KEY (project, seq)
);

CREATE TABLE project_versions (
    project TEXT NOT NULL REFERENCES projects (code),
    version INTEGER NOT NULL,
    state TEXT NOT NULL, -- the project as it was, JSON
    changed TEXT NOT NULL, -- what the next version changed
    superseded_at TIMESTAMPTZ NOT NULL,
    superseded_by TEXT NOT NULL,
    PRIMARY KEY (project, version)
);

CREATE TRIGGER project_versions_append_only BEFORE UPDATE OR DELETE ON project_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER project_versions_no_truncate BEFORE TRUNCATE ON project_versions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
