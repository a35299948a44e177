-- 0012_industry_2011: a firm imported with a GB/T 4754-2011 class that
-- 2017 split keeps the old code beside its provisional 2017 class until a
-- statistician confirms one (the directory's 行业待核实 list), in its
-- history too; every enterprise import says in which edition it read the
-- codes and how many it converted. Keep in step with
-- migrations/sqlite/0012_industry_2011.sql.

ALTER TABLE enterprises ADD COLUMN industry_2011 TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprise_versions ADD COLUMN industry_2011 TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN industry_edition TEXT NOT NULL DEFAULT '2017';
ALTER TABLE imports ADD COLUMN codes_converted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN industry_unsure INTEGER NOT NULL DEFAULT 0;

-- Changes to firms outside an import (a confirmed class) are counted here,
-- so that the directory's version, which caches key on, moves with them
-- as it does with every import.
CREATE TABLE directory_amendments (n BIGINT NOT NULL);
INSERT INTO directory_amendments (n) VALUES (0);
