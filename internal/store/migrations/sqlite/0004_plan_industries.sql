-- 0004_plan_industries: which GB/T 4754-2017 codes each field serves, and
-- the former division codes and aliases of units, from the plan file.
-- Keep in step with the other dialect's 0004_plan_industries.sql.

ALTER TABLE fields ADD COLUMN industries_note TEXT NOT NULL DEFAULT '';

CREATE TABLE field_industries (
    field_id INTEGER NOT NULL REFERENCES fields (id),
    code TEXT NOT NULL,
    sort INTEGER NOT NULL,
    PRIMARY KEY (field_id, code)
);

CREATE TABLE unit_former_codes (
    unit_id INTEGER NOT NULL REFERENCES units (id),
    code TEXT NOT NULL UNIQUE,
    sort INTEGER NOT NULL
);

CREATE TABLE unit_aliases (
    unit_id INTEGER NOT NULL REFERENCES units (id),
    alias TEXT NOT NULL,
    sort INTEGER NOT NULL,
    PRIMARY KEY (unit_id, alias)
);
