-- 0016_change_seq: each project, and each project's latest filing of a
-- year, says at which count of the ledger's changes (ledger_changes) it
-- was last written, so that after a change the counts and the warnings
-- read and work out again only what changed since (doc/projects.md).
-- Rows written before this migration count as 0. Keep in step with
-- migrations/postgres/0016_change_seq.sql.

ALTER TABLE projects ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;

CREATE INDEX projects_change_seq ON projects (change_seq);

ALTER TABLE project_latest ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;

CREATE INDEX project_latest_change_seq ON project_latest (year, change_seq);
