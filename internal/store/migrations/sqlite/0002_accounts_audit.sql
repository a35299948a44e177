-- 0002_accounts_audit: accounts, sessions, API tokens and the audit log.
-- Keep in step with migrations/postgres/0002_accounts_audit.sql.
--
-- Passwords are argon2id PHC strings; session and API tokens are stored as
-- their SHA-256 only. The audit log and plan revisions are append-only:
-- triggers refuse UPDATE and DELETE, for everyone.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'statistician', 'reporter', 'leader')),
    unit_code TEXT REFERENCES units (code), -- data scope; NULL: the whole district
    firm_access INTEGER NOT NULL DEFAULT 0 CHECK (firm_access IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    addr TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- No foreign keys: an audit record must never stop or be stopped by
-- anything else.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_unit TEXT NOT NULL,
    addr TEXT NOT NULL,
    request_id TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    reason TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed'))
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_name, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER plan_revisions_no_update BEFORE UPDATE ON plan_revisions
BEGIN
    SELECT RAISE(ABORT, 'plan_revisions is append-only');
END;

CREATE TRIGGER plan_revisions_no_delete BEFORE DELETE ON plan_revisions
BEGIN
    SELECT RAISE(ABORT, 'plan_revisions is append-only');
END;
