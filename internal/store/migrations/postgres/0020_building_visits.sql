-- 0020_building_visits: 扫楼 visits (doc/buildings.md): each visit with its
-- findings per room and its photos, kept in the database like 督查督办's
-- evidence; a staff member's decision on a visit, once (confirmed: the
-- space version it made). All append-only. Keep in step with
-- migrations/sqlite/0020_building_visits.sql.

CREATE TABLE building_visits (
    id BIGINT NOT NULL PRIMARY KEY,
    building TEXT NOT NULL,
    visit_date TEXT NOT NULL, -- YYYY-MM-DD
    team TEXT NOT NULL,
    note TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filed_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX building_visits_building ON building_visits (building, visit_date);

CREATE TABLE building_findings (
    visit_id BIGINT NOT NULL REFERENCES building_visits (id),
    seq INTEGER NOT NULL,
    room TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('vacant', 'registered', 'unregistered', 'absent', 'changed')),
    firm TEXT NOT NULL,
    uscc TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (visit_id, seq)
);

CREATE TABLE building_visit_files (
    id BIGINT NOT NULL PRIMARY KEY,
    visit_id BIGINT NOT NULL REFERENCES building_visits (id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL
);

CREATE INDEX building_visit_files_visit ON building_visit_files (visit_id);

CREATE TABLE building_visit_decisions (
    visit_id BIGINT NOT NULL PRIMARY KEY REFERENCES building_visits (id),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected')),
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL,
    space_version INTEGER NOT NULL
);

CREATE TRIGGER building_visits_append_only BEFORE UPDATE OR DELETE ON building_visits
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_visits_no_truncate BEFORE TRUNCATE ON building_visits
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_findings_append_only BEFORE UPDATE OR DELETE ON building_findings
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_findings_no_truncate BEFORE TRUNCATE ON building_findings
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_visit_files_append_only BEFORE UPDATE OR DELETE ON building_visit_files
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_visit_files_no_truncate BEFORE TRUNCATE ON building_visit_files
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_visit_decisions_append_only BEFORE UPDATE OR DELETE ON building_visit_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER building_visit_decisions_no_truncate BEFORE TRUNCATE ON building_visit_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
