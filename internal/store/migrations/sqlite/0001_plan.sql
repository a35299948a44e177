-- 0001_plan: plans, their revisions, organisation units and the items of a
-- plan (goals, field groups, fields, tasks, actions and guarantees,
-- indicators with yearly targets, responsibilities).
--
-- Keep in step with migrations/postgres/0001_plan.sql: same tables, columns
-- and constraints; only types differ (see dialect.go).
--
-- Conventions: every item table has plan_id, a code unique within the plan,
-- and sort, the item's position in the plan file. Text the plan may leave
-- out is stored as '' rather than NULL; NULL means "absent" only where the
-- plan tells absent from empty (standing_duty_source, baseline_year) and in
-- optional references. Numbers are TEXT exactly as written, never floats.
-- Times are TEXT, RFC 3339 in UTC with nine fraction digits.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    file_schema TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issue_date TEXT NOT NULL, -- YYYY-MM-DD, as written in the plan file
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    baseline_year INTEGER NOT NULL, -- 0: not stated
    source_text_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    goals_intro TEXT NOT NULL,
    responsibility_note TEXT NOT NULL,
    -- The standing duty: NULL when the plan states none; its unit kinds
    -- are in standing_duty_kinds.
    standing_duty_source TEXT,
    -- Only one plan is active; SavePlan switches it in its transaction.
    active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    -- The number of the plan's current revision in plan_revisions.
    current_revision INTEGER NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX plans_one_active ON plans (active) WHERE active = 1;

CREATE TABLE standing_duty_kinds (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    unit_kind TEXT NOT NULL,
    sort INTEGER NOT NULL,
    PRIMARY KEY (plan_id, sort)
);

-- Append-only: a row is never updated or deleted.
CREATE TABLE plan_revisions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    number INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    document TEXT NOT NULL, -- the whole plan as JSON (encoding/json)
    source_text TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

-- Units are shared by all plans and never deleted; a plan's units, in file
-- order, are listed in plan_units.
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    division_code TEXT NOT NULL,
    parent_code TEXT NOT NULL,
    park TEXT NOT NULL,
    note TEXT NOT NULL
);

CREATE TABLE plan_units (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    sort INTEGER NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);

CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    code TEXT NOT NULL,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    sort INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);

CREATE TABLE field_groups (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    code TEXT NOT NULL,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    sort INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);

CREATE TABLE fields (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    group_id INTEGER NOT NULL REFERENCES field_groups (id),
    code TEXT NOT NULL,
    section TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    responsibility TEXT NOT NULL,
    sort INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    field_id INTEGER NOT NULL REFERENCES fields (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    sort INTEGER NOT NULL, -- position within the field
    UNIQUE (plan_id, code)
);

-- Special actions (list 'action') and guarantees (list 'guarantee'). The
-- two lists have codes of their own, so a code is unique within its list.
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    list TEXT NOT NULL CHECK (list IN ('action', 'guarantee')),
    code TEXT NOT NULL,
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    sort INTEGER NOT NULL, -- position within the list
    UNIQUE (plan_id, list, code)
);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    measure_unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    direction TEXT NOT NULL,
    price_basis TEXT NOT NULL,
    -- Where the plan places the indicator: one of goal, field or action,
    -- and optionally a task of the field.
    goal_id INTEGER REFERENCES goals (id),
    field_id INTEGER REFERENCES fields (id),
    task_id INTEGER REFERENCES tasks (id),
    action_id INTEGER REFERENCES actions (id),
    per_unit_kind TEXT NOT NULL,
    baseline_year INTEGER, -- NULL: no baseline
    baseline_value TEXT NOT NULL,
    baseline_derived TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    sort INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);

CREATE TABLE indicator_targets (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    year INTEGER NOT NULL,
    op TEXT NOT NULL,
    value TEXT NOT NULL,
    max_value TEXT NOT NULL, -- '' unless op is 'between'
    strive INTEGER NOT NULL CHECK (strive IN (0, 1)),
    note TEXT NOT NULL,
    sort INTEGER NOT NULL, -- position within the indicator
    UNIQUE (indicator_id, year)
);

-- The units responsible for a field, task, action or guarantee: lead
-- (牵头) or co (配合), in the order the plan lists them.
CREATE TABLE responsibilities (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('field', 'task', 'action', 'guarantee')),
    subject_code TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    role TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    sort INTEGER NOT NULL -- position within the subject's lead or co list
);

CREATE INDEX responsibilities_plan ON responsibilities (plan_id, subject_kind, subject_code);
