-- 0005_directory: the enterprise directory (名录库), its history, revenue
-- figures of firms outside the statistics, and the imports that fill them.
-- Keep in step with the other dialect's 0005_directory.sql.
--
-- Dates are text (YYYY-MM-DD; months YYYY-MM; '' for unknown), money is
-- integer fen. enterprise_versions holds every superseded state of a firm
-- (the current one is in enterprises); it and enterprise_revenue are
-- append-only.

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('enterprises', 'revenue')),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    user_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_new INTEGER NOT NULL DEFAULT 0,
    rows_changed INTEGER NOT NULL DEFAULT 0,
    rows_same INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT 'running',
    message TEXT NOT NULL DEFAULT ''
);

-- unit_code and import_id carry no foreign keys: imports check the unit
-- against the plan in force (units of earlier plans stay valid codes), and
-- a bulk insert with no constraint that can abort half-way needs no
-- statement journal.
CREATE TABLE enterprises (
    uscc TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    industry TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    address TEXT NOT NULL,
    building TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'moved_out', 'deregistered', 'revoked', 'other')),
    register TEXT NOT NULL CHECK (register IN ('none', 'services', 'trade', 'industry', 'other')),
    included_on TEXT NOT NULL,
    exited_on TEXT NOT NULL,
    uscc_flag TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    import_id INTEGER
);

-- Scoped lists go by town, then industry; counts by town, industry and
-- register of the firms of a status read this index alone, in its order
-- (no sort, no table pages). A department's scope (industry classes only)
-- scans it. One secondary index: writing 400,000 firms stays cheap.
CREATE INDEX enterprises_unit ON enterprises (unit_code, industry, register, status);

CREATE TABLE enterprise_versions (
    uscc TEXT NOT NULL REFERENCES enterprises (uscc),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    industry TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    address TEXT NOT NULL,
    building TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    status TEXT NOT NULL,
    register TEXT NOT NULL,
    included_on TEXT NOT NULL,
    exited_on TEXT NOT NULL,
    uscc_flag TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    import_id INTEGER,
    -- what the next version changed, and who changed it when
    changed TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    superseded_by TEXT NOT NULL,
    PRIMARY KEY (uscc, version)
);

CREATE TABLE enterprise_revenue (
    uscc TEXT NOT NULL REFERENCES enterprises (uscc),
    period TEXT NOT NULL, -- YYYY, or YYYY-MM for the year so far
    source TEXT NOT NULL CHECK (source IN ('tax', 'market', 'self', 'statistics')),
    version INTEGER NOT NULL,
    months INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    import_id INTEGER REFERENCES imports (id),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (uscc, period, source, version)
);

CREATE TRIGGER enterprise_versions_no_update BEFORE UPDATE ON enterprise_versions
BEGIN
    SELECT RAISE(ABORT, 'enterprise_versions is append-only');
END;

CREATE TRIGGER enterprise_versions_no_delete BEFORE DELETE ON enterprise_versions
BEGIN
    SELECT RAISE(ABORT, 'enterprise_versions is append-only');
END;

CREATE TRIGGER enterprise_revenue_no_update BEFORE UPDATE ON enterprise_revenue
BEGIN
    SELECT RAISE(ABORT, 'enterprise_revenue is append-only');
END;

CREATE TRIGGER enterprise_revenue_no_delete BEFORE DELETE ON enterprise_revenue
BEGIN
    SELECT RAISE(ABORT, 'enterprise_revenue is append-only');
END;
