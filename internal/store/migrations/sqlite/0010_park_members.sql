-- 0010_park_members: which firms and villages belong to which park, from
-- when to when. Parks are not in the statistical area code (conventions
-- §1.5), so a report is attributed to a park through this mapping when it
-- is imported. Keep in step with migrations/postgres/0010_park_members.sql.
--
-- Append-only: a new load adds rows; for a member and month the row loaded
-- last whose months cover it is the one in force.

CREATE TABLE park_members (
    id INTEGER PRIMARY KEY,
    park_code TEXT NOT NULL,
    member_kind TEXT NOT NULL CHECK (member_kind IN ('firm', 'village')),
    member TEXT NOT NULL, -- a USCC, or a 12-digit village (村/社区) code
    valid_from TEXT NOT NULL, -- YYYY-MM
    valid_to TEXT NOT NULL, -- YYYY-MM, or '' while it lasts
    file_name TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TRIGGER park_members_no_update BEFORE UPDATE ON park_members
BEGIN
    SELECT RAISE(ABORT, 'park_members is append-only');
END;

CREATE TRIGGER park_members_no_delete BEFORE DELETE ON park_members
BEGIN
    SELECT RAISE(ABORT, 'park_members is append-only');
END;
