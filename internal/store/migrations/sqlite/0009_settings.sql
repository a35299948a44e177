-- 0009_settings: settings an administrator changes (the monitoring rules),
-- every version kept. Keep in step with migrations/postgres/0009_settings.sql.

CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    value TEXT NOT NULL, -- JSON
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (key, version)
);

CREATE TRIGGER settings_no_update BEFORE UPDATE ON settings
BEGIN
    SELECT RAISE(ABORT, 'settings is append-only');
END;

CREATE TRIGGER settings_no_delete BEFORE DELETE ON settings
BEGIN
    SELECT RAISE(ABORT, 'settings is append-only');
END;
