-- 0006_reference_tables: national reference tables loaded by an admin in
-- place of the embedded ones (an amended GB/T 4754, new 四上 thresholds),
-- without a new release. Append-only: each load is a new version; the
-- latest version of a kind is in force. Keep in step with the other
-- dialect's 0006_reference_tables.sql.

CREATE TABLE reference_tables (
    kind TEXT NOT NULL CHECK (kind IN ('industries', 'thresholds')),
    version INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL, -- the CSV file as loaded, UTF-8
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (kind, version)
);

CREATE TRIGGER reference_tables_no_update BEFORE UPDATE ON reference_tables
BEGIN
    SELECT RAISE(ABORT, 'reference_tables is append-only');
END;

CREATE TRIGGER reference_tables_no_delete BEFORE DELETE ON reference_tables
BEGIN
    SELECT RAISE(ABORT, 'reference_tables is append-only');
END;
