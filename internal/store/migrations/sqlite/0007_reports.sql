-- 0007_reports: the monthly enterprise reports of the 联网直报 system (F203,
-- E204-1, S204-1), their versions, the files they came in, and the rollups
-- the dashboard reads. Keep in step with migrations/postgres/0007_reports.sql.
--
-- period is the last month of the year-to-date report as YYYYMM (202509 =
-- 1-9月; 1-2月 is 202502, January is not collected). Money is integer fen,
-- headcounts persons. Each measure has this year's cumulative value and
-- the same period last year (_prev); NULL is "not reported", not zero.

CREATE TABLE report_imports (
    id INTEGER PRIMARY KEY,
    form TEXT NOT NULL,
    period INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mode TEXT NOT NULL,
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

-- The current version of each firm's report. Read-only in svcplan: only a
-- new file from the bureau replaces a row, and the replaced row moves to
-- firm_report_versions. unit_code, industry and division are the firm's
-- classification when it reported.
CREATE TABLE firm_reports (
    form TEXT NOT NULL,
    period INTEGER NOT NULL,
    uscc TEXT NOT NULL,
    name TEXT NOT NULL,
    area_code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    industry TEXT NOT NULL,
    division TEXT NOT NULL,
    revenue INTEGER,
    revenue_prev INTEGER,
    cost INTEGER,
    cost_prev INTEGER,
    payroll INTEGER,
    payroll_prev INTEGER,
    taxes INTEGER,
    taxes_prev INTEGER,
    employees INTEGER,
    employees_prev INTEGER,
    version INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES report_imports (id),
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (form, period, uscc)
);

CREATE TABLE firm_report_versions (
    form TEXT NOT NULL,
    period INTEGER NOT NULL,
    uscc TEXT NOT NULL,
    name TEXT NOT NULL,
    area_code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    industry TEXT NOT NULL,
    division TEXT NOT NULL,
    revenue INTEGER,
    revenue_prev INTEGER,
    cost INTEGER,
    cost_prev INTEGER,
    payroll INTEGER,
    payroll_prev INTEGER,
    taxes INTEGER,
    taxes_prev INTEGER,
    employees INTEGER,
    employees_prev INTEGER,
    version INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES report_imports (id),
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    -- the import whose file replaced this version
    replaced_by INTEGER NOT NULL REFERENCES report_imports (id),
    PRIMARY KEY (form, period, uscc, version)
);

-- Sums of firm_reports by form, period, unit and industry class, kept
-- current by the import that writes a period (in its transaction): the
-- dashboard reads these, never the firm rows. firms_prev counts the firms
-- that reported 上年同期 of the main measure.
CREATE TABLE report_rollups (
    form TEXT NOT NULL,
    period INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    industry TEXT NOT NULL,
    firms INTEGER NOT NULL,
    firms_prev INTEGER NOT NULL,
    revenue INTEGER NOT NULL,
    revenue_prev INTEGER NOT NULL,
    cost INTEGER NOT NULL,
    cost_prev INTEGER NOT NULL,
    payroll INTEGER NOT NULL,
    payroll_prev INTEGER NOT NULL,
    taxes INTEGER NOT NULL,
    taxes_prev INTEGER NOT NULL,
    employees INTEGER NOT NULL,
    employees_prev INTEGER NOT NULL,
    PRIMARY KEY (form, period, unit_code, industry)
);

-- A town's trend: every period of one unit.
CREATE INDEX report_rollups_unit ON report_rollups (form, unit_code, period);

CREATE TRIGGER firm_report_versions_no_update BEFORE UPDATE ON firm_report_versions
BEGIN
    SELECT RAISE(ABORT, 'firm_report_versions is append-only');
END;

CREATE TRIGGER firm_report_versions_no_delete BEFORE DELETE ON firm_report_versions
BEGIN
    SELECT RAISE(ABORT, 'firm_report_versions is append-only');
END;
