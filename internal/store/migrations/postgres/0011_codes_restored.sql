-- 0011_codes_restored: every import run keeps how many codes it gave their
-- leading zeros back (a spreadsheet stores 0511 typed into a General cell as
-- the number 511), so the record of a run says all the import did to the
-- file. Keep in step with migrations/sqlite/0011_codes_restored.sql.

ALTER TABLE imports ADD COLUMN codes_restored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_imports ADD COLUMN codes_restored INTEGER NOT NULL DEFAULT 0;
