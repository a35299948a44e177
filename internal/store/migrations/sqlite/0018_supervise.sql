-- 0018_supervise: 督查督办 (doc/assess.md). Every version of every item
-- (a plan task or a 交办事项 with its units, deadline, milestones, status
-- and any pending 延期申请), the events of each (交办, 报送进展, 申请办结,
-- 销号, 退回, 延期, 催办) and the evidence files kept with them: all
-- append-only. Keep in step with migrations/postgres/0018_supervise.sql.

CREATE TABLE supervise_items (
    id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('task', 'adhoc')),
    task_code TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    lead_unit TEXT NOT NULL,
    partners TEXT NOT NULL, -- unit codes, comma-separated
    assigned_on TEXT NOT NULL, -- YYYY-MM-DD
    deadline TEXT NOT NULL, -- YYYY-MM-DD
    milestones TEXT NOT NULL, -- JSON: [{"title", "due"}]
    indicator TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('assigned', 'working', 'requested', 'closed')),
    pending TEXT NOT NULL, -- JSON of the pending 延期申请, or ''
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE supervise_events (
    item_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    act TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    new_deadline TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
);

CREATE INDEX supervise_events_at ON supervise_events (at);

CREATE TABLE supervise_files (
    id BIGINT NOT NULL PRIMARY KEY,
    item_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    FOREIGN KEY (item_id, seq) REFERENCES supervise_events (item_id, seq)
);

CREATE INDEX supervise_files_event ON supervise_files (item_id, seq);

CREATE TRIGGER supervise_items_no_update BEFORE UPDATE ON supervise_items
BEGIN
    SELECT RAISE(ABORT, 'supervise_items is append-only');
END;

CREATE TRIGGER supervise_items_no_delete BEFORE DELETE ON supervise_items
BEGIN
    SELECT RAISE(ABORT, 'supervise_items is append-only');
END;

CREATE TRIGGER supervise_events_no_update BEFORE UPDATE ON supervise_events
BEGIN
    SELECT RAISE(ABORT, 'supervise_events is append-only');
END;

CREATE TRIGGER supervise_events_no_delete BEFORE DELETE ON supervise_events
BEGIN
    SELECT RAISE(ABORT, 'supervise_events is append-only');
END;

CREATE TRIGGER supervise_files_no_update BEFORE UPDATE ON supervise_files
BEGIN
    SELECT RAISE(ABORT, 'supervise_files is append-only');
END;

CREATE TRIGGER supervise_files_no_delete BEFORE DELETE ON supervise_files
BEGIN
    SELECT RAISE(ABORT, 'supervise_files is append-only');
END;
