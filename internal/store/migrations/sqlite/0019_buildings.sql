-- 0019_buildings: 楼宇经济 (doc/buildings.md). Every version of every
-- building (一楼一档); every version of a building's space (its rooms and
-- their occupancies, from the 台账 sheet or a confirmed 扫楼) with the file
-- and row each line came from; the tax bureau's figures per firm or per
-- building, each with its caliber and source, every version kept. All
-- append-only; buildings_changes counts the writes, for caches. Areas are
-- in hundredths of a square metre, amounts in fen. Keep in step with
-- migrations/postgres/0019_buildings.sql.

CREATE TABLE building_versions (
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    grade TEXT NOT NULL,
    gross_area BIGINT NOT NULL CHECK (gross_area > 0),
    rentable_area BIGINT NOT NULL CHECK (rentable_area >= 0 AND rentable_area <= gross_area),
    floors INTEGER NOT NULL,
    basement INTEGER NOT NULL,
    owner_name TEXT NOT NULL,
    owner_uscc TEXT NOT NULL,
    operator_name TEXT NOT NULL,
    operator_uscc TEXT NOT NULL,
    keeper TEXT NOT NULL,
    keeper_phone TEXT NOT NULL,
    theme_name TEXT NOT NULL,
    theme_classes TEXT NOT NULL, -- comma-separated GB/T 4754 codes
    opened INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE building_spaces (
    building TEXT NOT NULL,
    version INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (building, version)
);

CREATE TABLE building_rooms (
    building TEXT NOT NULL,
    version INTEGER NOT NULL,
    room TEXT NOT NULL,
    floor INTEGER NOT NULL,
    area BIGINT NOT NULL CHECK (area > 0),
    rentable INTEGER NOT NULL CHECK (rentable IN (0, 1)),
    PRIMARY KEY (building, version, room),
    FOREIGN KEY (building, version) REFERENCES building_spaces (building, version)
);

CREATE TABLE building_occupancies (
    building TEXT NOT NULL,
    version INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    room TEXT NOT NULL,
    uscc TEXT NOT NULL,
    firm TEXT NOT NULL,
    area BIGINT NOT NULL CHECK (area > 0),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    registered INTEGER NOT NULL CHECK (registered IN (0, 1)),
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    source_row INTEGER NOT NULL,
    PRIMARY KEY (building, version, seq),
    FOREIGN KEY (building, version, room) REFERENCES building_rooms (building, version, room)
);

CREATE INDEX building_occupancies_uscc ON building_occupancies (uscc);

CREATE TABLE building_tax (
    uscc TEXT NOT NULL, -- '' for a building's own figure
    building TEXT NOT NULL, -- '' for a firm's figure
    period TEXT NOT NULL, -- YYYY or YYYY-MM (the month alone)
    caliber TEXT NOT NULL,
    version INTEGER NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_row INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (uscc, building, period, caliber, version),
    CHECK ((uscc = '') <> (building = ''))
);

CREATE INDEX building_tax_period ON building_tax (period, caliber);

CREATE TABLE buildings_changes (n BIGINT NOT NULL);
INSERT INTO buildings_changes (n) VALUES (0);

CREATE TRIGGER building_versions_no_update BEFORE UPDATE ON building_versions
BEGIN
    SELECT RAISE(ABORT, 'building_versions is append-only');
END;
CREATE TRIGGER building_versions_no_delete BEFORE DELETE ON building_versions
BEGIN
    SELECT RAISE(ABORT, 'building_versions is append-only');
END;
CREATE TRIGGER building_spaces_no_update BEFORE UPDATE ON building_spaces
BEGIN
    SELECT RAISE(ABORT, 'building_spaces is append-only');
END;
CREATE TRIGGER building_spaces_no_delete BEFORE DELETE ON building_spaces
BEGIN
    SELECT RAISE(ABORT, 'building_spaces is append-only');
END;
CREATE TRIGGER building_rooms_no_update BEFORE UPDATE ON building_rooms
BEGIN
    SELECT RAISE(ABORT, 'building_rooms is append-only');
END;
CREATE TRIGGER building_rooms_no_delete BEFORE DELETE ON building_rooms
BEGIN
    SELECT RAISE(ABORT, 'building_rooms is append-only');
END;
CREATE TRIGGER building_occupancies_no_update BEFORE UPDATE ON building_occupancies
BEGIN
    SELECT RAISE(ABORT, 'building_occupancies is append-only');
END;
CREATE TRIGGER building_occupancies_no_delete BEFORE DELETE ON building_occupancies
BEGIN
    SELECT RAISE(ABORT, 'building_occupancies is append-only');
END;
CREATE TRIGGER building_tax_no_update BEFORE UPDATE ON building_tax
BEGIN
    SELECT RAISE(ABORT, 'building_tax is append-only');
END;
CREATE TRIGGER building_tax_no_delete BEFORE DELETE ON building_tax
BEGIN
    SELECT RAISE(ABORT, 'building_tax is append-only');
END;
