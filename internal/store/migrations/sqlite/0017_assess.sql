-- 0017_assess: the assessment (目标管理考核, doc/assess.md). Every version
-- of every scheme (its YAML text, draft or published; a published version
-- is superseded by a later published one, which says why), the facts
-- entered for its items with their evidence, and each explicit scoring
-- run with the figures it used: all append-only. Keep in step with
-- migrations/postgres/0017_assess.sql.

CREATE TABLE assess_schemes (
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    body TEXT NOT NULL, -- the scheme file
    reason TEXT NOT NULL, -- why a published scheme is superseded
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE assess_facts (
    scheme TEXT NOT NULL,
    group_code TEXT NOT NULL,
    item TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    version INTEGER NOT NULL,
    value TEXT NOT NULL, -- decimal
    evidence TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (scheme, group_code, item, unit_code, version)
);

CREATE TABLE assess_runs (
    id INTEGER NOT NULL PRIMARY KEY,
    scheme TEXT NOT NULL,
    scheme_version INTEGER NOT NULL,
    sheet TEXT NOT NULL, -- JSON: every cell with its figure, target, score and sentence
    scored_by TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    FOREIGN KEY (scheme, scheme_version) REFERENCES assess_schemes (code, version)
);

CREATE INDEX assess_runs_scheme ON assess_runs (scheme, id);

CREATE TRIGGER assess_schemes_no_update BEFORE UPDATE ON assess_schemes
BEGIN
    SELECT RAISE(ABORT, 'assess_schemes is append-only');
END;

CREATE TRIGGER assess_schemes_no_delete BEFORE DELETE ON assess_schemes
BEGIN
    SELECT RAISE(ABORT, 'assess_schemes is append-only');
END;

CREATE TRIGGER assess_facts_no_update BEFORE UPDATE ON assess_facts
BEGIN
    SELECT RAISE(ABORT, 'assess_facts is append-only');
END;

CREATE TRIGGER assess_facts_no_delete BEFORE DELETE ON assess_facts
BEGIN
    SELECT RAISE(ABORT, 'assess_facts is append-only');
END;

CREATE TRIGGER assess_runs_no_update BEFORE UPDATE ON assess_runs
BEGIN
    SELECT RAISE(ABORT, 'assess_runs is append-only');
END;

CREATE TRIGGER assess_runs_no_delete BEFORE DELETE ON assess_runs
BEGIN
    SELECT RAISE(ABORT, 'assess_runs is append-only');
END;
