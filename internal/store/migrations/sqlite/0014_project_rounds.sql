-- 0014_project_rounds: the monthly 调度 rounds of the project ledger
-- (doc/projects.md): each project's figures for a month, every version
-- kept (filed, returned, published, revised), append-only. Keep in step
-- with migrations/postgres/0014_project_rounds.sql.

CREATE TABLE project_progress (
    project TEXT NOT NULL REFERENCES projects (code),
    period TEXT NOT NULL, -- YYYY-MM
    version INTEGER NOT NULL,
    ytd_fen BIGINT NOT NULL CHECK (ytd_fen >= 0),
    since_start_fen BIGINT NOT NULL CHECK (since_start_fen >= ytd_fen),
    image TEXT NOT NULL,
    in_fai INTEGER NOT NULL CHECK (in_fai IN (0, 1)),
    fai_month TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'published')),
    reason TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (project, period, version)
);

-- A month's round reads its rows by period.
CREATE INDEX project_progress_period ON project_progress (period, project, version);

-- Each project's latest filing of each year (its latest month, that
-- month's latest version) with the figures the warnings read, kept with
-- every filing: one short row per project instead of a search of the
-- year's versions.
CREATE TABLE project_latest (
    year INTEGER NOT NULL,
    project TEXT NOT NULL REFERENCES projects (code),
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    ytd_fen BIGINT NOT NULL,
    in_fai INTEGER NOT NULL CHECK (in_fai IN (0, 1)),
    PRIMARY KEY (year, project)
);

CREATE TRIGGER project_progress_no_update BEFORE UPDATE ON project_progress
BEGIN
    SELECT RAISE(ABORT, 'project_progress is append-only');
END;

CREATE TRIGGER project_progress_no_delete BEFORE DELETE ON project_progress
BEGIN
    SELECT RAISE(ABORT, 'project_progress is append-only');
END;

-- Problems a project needs solved (问题), with the unit asked to solve
-- them, a deadline and a status; every version kept.
CREATE TABLE project_problems (
    id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    project TEXT NOT NULL REFERENCES projects (code),
    raised_on TEXT NOT NULL, -- YYYY-MM-DD
    text TEXT NOT NULL,
    owner_unit TEXT NOT NULL,
    deadline TEXT NOT NULL, -- YYYY-MM-DD
    status TEXT NOT NULL CHECK (status IN ('pending', 'working', 'solved')),
    note TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE INDEX project_problems_project ON project_problems (project, id, version);

-- Firms the departments landed (五(四) 招引入库): per year and firm, the
-- departments credited with their roles and shares, every version kept.
CREATE TABLE attractions (
    year INTEGER NOT NULL,
    uscc TEXT NOT NULL,
    version INTEGER NOT NULL,
    firm_name TEXT NOT NULL,
    credits TEXT NOT NULL, -- JSON: [{"unit", "role", "share_pct"}]
    note TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (year, uscc, version)
);

-- How many times the ledger's projects and its rounds changed: the
-- versions caches of the counts and the warnings key on.
CREATE TABLE ledger_changes (projects BIGINT NOT NULL, progress BIGINT NOT NULL);
INSERT INTO ledger_changes (projects, progress) VALUES (0, 0);

CREATE TRIGGER project_problems_no_update BEFORE UPDATE ON project_problems
BEGIN
    SELECT RAISE(ABORT, 'project_problems is append-only');
END;

CREATE TRIGGER project_problems_no_delete BEFORE DELETE ON project_problems
BEGIN
    SELECT RAISE(ABORT, 'project_problems is append-only');
END;
