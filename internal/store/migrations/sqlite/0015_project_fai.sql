-- 0015_project_fai: the statistics bureau's 固定资产投资 of the ledger's
-- projects (doc/projects.md), imported from its monthly list, every
-- version kept with the file and row it came from, append-only. Apart
-- from project_progress, the units' own 完成投资. Keep in step with
-- migrations/postgres/0015_project_fai.sql.

CREATE TABLE project_fai (
    project TEXT NOT NULL REFERENCES projects (code),
    period TEXT NOT NULL, -- YYYY-MM: 1-本月
    version INTEGER NOT NULL,
    ytd_fen BIGINT NOT NULL CHECK (ytd_fen >= 0),
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_row INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (project, period, version)
);

CREATE INDEX project_fai_period ON project_fai (period, project, version);

CREATE TRIGGER project_fai_no_update BEFORE UPDATE ON project_fai
BEGIN
    SELECT RAISE(ABORT, 'project_fai is append-only');
END;

CREATE TRIGGER project_fai_no_delete BEFORE DELETE ON project_fai
BEGIN
    SELECT RAISE(ABORT, 'project_fai is append-only');
END;
