-- 0008_indicator_values: the time series of the plan's indicators, every
-- version of every value. Keep in step with migrations/postgres/0008_indicator_values.sql.
--
-- Append-only: a save, a review, a publication or a return adds a version;
-- the highest version of (indicator, unit, period) is the value's state,
-- and the highest published one is what leaders and the public see.
-- indicator and unit_code are codes without foreign keys, like the
-- directory's: values outlive the plan revision that named them.

CREATE TABLE indicator_values (
    id INTEGER PRIMARY KEY,
    indicator TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL, -- 2025 (year), 2025Q3 (1-3季度), 2025-09 (1-9月)
    version INTEGER NOT NULL,
    value TEXT NOT NULL, -- a decimal in the indicator's unit
    price_basis TEXT NOT NULL, -- current, constant or ''
    released_on TEXT NOT NULL, -- the publisher's release date, YYYY-MM-DD, or ''
    vintage TEXT NOT NULL, -- 初步核算, 核实, 年报 … or ''
    status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed', 'published', 'returned')),
    source TEXT NOT NULL CHECK (source IN ('entered', 'imported', 'computed')),
    source_ref TEXT NOT NULL, -- the file (name and SHA-256) or the computation
    reason TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (indicator, unit_code, period, version)
);

CREATE TRIGGER indicator_values_no_update BEFORE UPDATE ON indicator_values
BEGIN
    SELECT RAISE(ABORT, 'indicator_values is append-only');
END;

CREATE TRIGGER indicator_values_no_delete BEFORE DELETE ON indicator_values
BEGIN
    SELECT RAISE(ABORT, 'indicator_values is append-only');
END;

-- An indicator svcplan computes from the directory and the reports
-- (plan files: indicators[].compute).
ALTER TABLE indicators ADD COLUMN compute TEXT NOT NULL DEFAULT '';
