#!/usr/bin/env bash
# Import benchmark of the enterprise directory (issue 4).
#
# Generates N enterprises (default 400,000) as CSV and XLSX, then in one run:
#   - loads the CSV with `sqlite3 .import` and PostgreSQL COPY into a table
#     of the same columns keyed by the credit code (the baselines);
#   - reads the XLSX with excelize's streaming reader alone (baseline);
#   - imports both files with `svcplan import enterprises` into a fresh
#     SQLite database and a fresh PostgreSQL schema;
# and prints each rate with its ratio to the baseline. It also loads the CSV
# with the pure-Go SQLite driver alone (bench/sqliteload), the ceiling for
# a CGO-free import. Peak memory (max RSS) is printed too: run with
# N=100000 and N=400000 to see it stay flat.
#
#   bench/import.sh                       # 400,000 rows
#   N=100000 bench/import.sh
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-400000}
PG=${PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
dir=$(mktemp -d)
schema_base=bench_base_$$
schema_csv=bench_csv_$$
schema_xlsx=bench_xlsx_$$
cleanup() {
	psql -q "$PG" -c "DROP SCHEMA IF EXISTS $schema_base CASCADE; DROP SCHEMA IF EXISTS $schema_csv CASCADE;
		DROP SCHEMA IF EXISTS $schema_xlsx CASCADE" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

echo "building…" >&2
# The binary as it ships, under the shipping toolchain (see the Makefile).
CGO_ENABLED=0 GOTOOLCHAIN=go1.27.3 go build -o "$dir/svcplan" ./cmd/svcplan
go build -o "$dir/gen" ./bench/gen
go build -o "$dir/xlsxread" ./bench/xlsxread
CGO_ENABLED=0 go build -o "$dir/sqliteload" ./bench/sqliteload
echo "generating $N rows…" >&2
"$dir/gen" -n "$N" -o "$dir/e.csv"
"$dir/gen" -n "$N" -o "$dir/e.xlsx"
printf 'files: CSV %s bytes, XLSX %s bytes\n' "$(stat -c %s "$dir/e.csv")" "$(stat -c %s "$dir/e.xlsx")"

# measure CMD…: prints "seconds maxrss_kib" of the command.
measure() {
	/usr/bin/time -f '%e %M' -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err" || {
		cat "$dir/out" "$dir/err" >&2
		exit 1
	}
	cat "$dir/time"
}
rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cols="uscc TEXT PRIMARY KEY, name TEXT, industry TEXT, town TEXT, address TEXT, founded TEXT, status TEXT,
      counted TEXT, entered TEXT, revenue TEXT, employees TEXT, phone TEXT"

# Baseline 1: sqlite3 .import into a keyed table (WAL, as svcplan runs).
cat >"$dir/base.sql" <<SQL
PRAGMA journal_mode=WAL;
CREATE TABLE e ($cols);
.mode csv
.import --skip 1 $dir/e.csv e
SQL
read -r s_sqlite m_sqlite < <(measure sqlite3 "$dir/base.db" -init /dev/null -batch -cmd ".read $dir/base.sql" ".exit")

# Baseline 2: PostgreSQL COPY into a keyed table.
psql -q "$PG" -c "CREATE SCHEMA $schema_base; CREATE TABLE $schema_base.e ($cols)"
read -r s_copy m_copy < <(measure psql -q "$PG" -c "\\copy $schema_base.e FROM '$dir/e.csv' WITH (FORMAT csv, HEADER true)")
best_s=$(awk -v a="$s_sqlite" -v b="$s_copy" 'BEGIN { print (a < b ? a : b) }')

# Reference: the same load through the pure-Go driver alone (no
# validation): the ceiling of any CGO-free import into SQLite.
read -r s_gosqlite m_gosqlite < <(measure "$dir/sqliteload" "$dir/gosqlite.db" "$dir/e.csv")

# Baseline 3: excelize's streaming reader alone.
read -r s_xread m_xread < <(measure "$dir/xlsxread" "$dir/e.xlsx")

# svcplan, on fresh databases with the plan loaded.
plan=plans/gaogang-services-2025-2027.yaml
"$dir/svcplan" plan load --db "$dir/csv.db" "$plan" >/dev/null 2>&1
"$dir/svcplan" plan load --db "$dir/xlsx.db" "$plan" >/dev/null 2>&1
psql -q "$PG" -c "CREATE SCHEMA $schema_csv; CREATE SCHEMA $schema_xlsx"
sep='?'
case "$PG" in *\?*) sep='&' ;; esac
pg_csv="$PG${sep}search_path=$schema_csv"
pg_xlsx="$PG${sep}search_path=$schema_xlsx"
"$dir/svcplan" plan load --db "$pg_csv" "$plan" >/dev/null 2>&1
"$dir/svcplan" plan load --db "$pg_xlsx" "$plan" >/dev/null 2>&1
imp() { measure "$dir/svcplan" import enterprises --mode valid --db "$1" "$2"; }
read -r s_csv_sqlite m_csv_sqlite < <(imp "$dir/csv.db" "$dir/e.csv")
read -r s_xlsx_sqlite m_xlsx_sqlite < <(imp "$dir/xlsx.db" "$dir/e.xlsx")
read -r s_csv_pg m_csv_pg < <(imp "$pg_csv" "$dir/e.csv")
read -r s_xlsx_pg m_xlsx_pg < <(imp "$pg_xlsx" "$dir/e.xlsx")

printf '\n%-34s %10s %10s %10s %8s\n' "$N rows" seconds rows/s "max RSS" ratio
row() { printf '%-34s %10s %10s %8s MB %8s\n' "$1" "$2" "$(rate "$2")" "$(($3 / 1024))" "$4"; }
row "sqlite3 .import (baseline)" "$s_sqlite" "$m_sqlite" ""
row "PostgreSQL COPY (baseline)" "$s_copy" "$m_copy" ""
row "excelize streaming read (baseline)" "$s_xread" "$m_xread" ""
row "pure-Go SQLite, bare load (ceiling)" "$s_gosqlite" "$m_gosqlite" "$(ratio "$best_s" "$s_gosqlite")"
row "svcplan CSV → SQLite" "$s_csv_sqlite" "$m_csv_sqlite" "$(ratio "$best_s" "$s_csv_sqlite")"
row "svcplan CSV → PostgreSQL" "$s_csv_pg" "$m_csv_pg" "$(ratio "$best_s" "$s_csv_pg")"
row "svcplan XLSX → SQLite" "$s_xlsx_sqlite" "$m_xlsx_sqlite" "$(ratio "$s_xread" "$s_xlsx_sqlite")"
row "svcplan XLSX → PostgreSQL" "$s_xlsx_pg" "$m_xlsx_pg" "$(ratio "$s_xread" "$s_xlsx_pg")"
echo
echo "CSV ratios are to the faster of sqlite3 .import and COPY (goal ≥ 0.5); XLSX ratios to the bare"
echo "excelize read (goal ≥ 0.8). svcplan's times include starting the program and validating every row."
