-- 0003_progress: task progress reports (任务进展) by unit and month.
-- Keep in step with migrations/postgres/0003_progress.sql.
--
-- Every save appends a version; the highest version of a (task, unit,
-- period) is the current report, and earlier ones stay. Append-only.

CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    period TEXT NOT NULL, -- YYYY-MM
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'completed', 'behind')),
    progress TEXT NOT NULL,
    issues TEXT NOT NULL,
    entered_by_id INTEGER REFERENCES users (id),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (task_id, unit_code, period, version)
);

CREATE INDEX progress_reports_unit ON progress_reports (unit_code, period);

CREATE TRIGGER progress_reports_no_update BEFORE UPDATE ON progress_reports
BEGIN
    SELECT RAISE(ABORT, 'progress_reports is append-only');
END;

CREATE TRIGGER progress_reports_no_delete BEFORE DELETE ON progress_reports
BEGIN
    SELECT RAISE(ABORT, 'progress_reports is append-only');
END;
