#!/bin/sh
# check --xlsx on the fixtures: the workbook read back with openpyxl holds the
# JSON summary's figures and every breach row of the run, with real Excel
# types; English headers with --lang en; the same bytes twice; a list longer
# than a sheet continues on the next (PMAUDIT_XLSX_MAX_ROWS, the test hook);
# a failure leaves no workbook behind.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
. "$ROOT/tests/e2e/xlsx_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/s.json" --xlsx "$T/c.xlsx" >/dev/null ||
	fail "check --xlsx failed"
xlsx_check "$T/c.xlsx" "$T/s.json" "$db"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM check_records WHERE run_id = 1 AND status IN ('breached','pending')")" -gt 40 ] ||
	fail "the fixtures should give dozens of breach rows"

# The same database and options: the same bytes (a later run, the same figures).
"$PMAUDIT" check --db "$db" --month 2026-10 --xlsx "$T/c2.xlsx" >/dev/null
cmp -s "$T/c.xlsx" "$T/c2.xlsx" || fail "two workbooks of the same data differ"
# Created at the as-of time, not the clock.
unzip -p "$T/c.xlsx" docProps/core.xml | grep -q '<dcterms:created xsi:type="dcterms:W3CDTF">2026-10-31T16:00:00Z' ||
	fail "created is not the as-of time (2026-11-01 00:00 China time)"

# One site, as of a time inside the month, in English.
"$PMAUDIT" check --db "$db" --month 2026-10 --site 海棠湾 --as-of '2026-10-20 12:00' --lang en \
	--json "$T/e.json" --xlsx "$T/e.xlsx" >/dev/null || fail "check --lang en failed"
xlsx_check "$T/e.xlsx" "$T/e.json" "$db" --lang en

# A list longer than a sheet: 7 rows a sheet (header, 5 rows, the note).
PMAUDIT_XLSX_MAX_ROWS=7 "$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/p.json" \
	--xlsx "$T/p.xlsx" >/dev/null || fail "check with a small sheet failed"
xlsx_check "$T/p.xlsx" "$T/p.json" "$db" --max-rows 7
unzip -l "$T/p.xlsx" | grep -q 'xl/worksheets/sheet12.xml' || fail "no continuation sheets"

# Refused before the run: a folder that does not exist; nothing stored.
runs=$(sqlite3 "$db" 'SELECT COUNT(*) FROM check_runs')
if "$PMAUDIT" check --db "$db" --month 2026-10 --xlsx "$T/no/such/c.xlsx" >/dev/null 2>"$T/err"; then
	fail "an unwritable --xlsx was accepted"
fi
grep -q 'no/such/c.xlsx' "$T/err" || fail "the error does not name the workbook: $(cat "$T/err")"
assert_eq "$runs" "$(sqlite3 "$db" 'SELECT COUNT(*) FROM check_runs')" "no run made for an unwritable workbook"

# A folder in the way: refused, the folder untouched, no temporary file left.
mkdir "$T/adir"
if "$PMAUDIT" check --db "$db" --month 2026-10 --xlsx "$T/adir" >/dev/null 2>"$T/err"; then
	fail "a folder as --xlsx was accepted"
fi
grep -q 'Is a directory.*adir' "$T/err" || fail "the error does not say why: $(cat "$T/err")"
[ -z "$(ls "$T" | grep 'tmp-')" ] || fail "a temporary workbook was left: $(ls "$T")"
[ -z "$(ls "$T/adir")" ] || fail "something was written into the folder"

# The database as --xlsx (another spelling of its path): refused before any
# work, the database byte for byte as it was (util/pathcheck.h).
cp "$db" "$T/before.db"
if "$PMAUDIT" check --db "$db" --month 2026-10 --xlsx "$T/./audit.db" >/dev/null 2>"$T/err"; then
	fail "the database as --xlsx was accepted"
fi
grep -q -- '--xlsx' "$T/err" || fail "the error does not name --xlsx: $(cat "$T/err")"
cmp -s "$db" "$T/before.db" || fail "the database changed"
if "$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/r.pdf" --xlsx "$db" >/dev/null 2>"$T/err"; then
	fail "report: the database as --xlsx was accepted"
fi
cmp -s "$db" "$T/before.db" || fail "report: the database changed"
[ ! -e "$T/r.pdf" ] || fail "report: a PDF was written although --xlsx was refused"
# ... nor the PDF of the same report
if "$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/r.pdf" --xlsx "$T/r.pdf" >/dev/null 2>&1; then
	fail "report: --xlsx the same file as --out was accepted"
fi

# --no-records has no breaches to list.
if "$PMAUDIT" check --db "$db" --month 2026-10 --no-records --xlsx "$T/n.xlsx" >/dev/null 2>&1; then
	fail "--no-records --xlsx was accepted"
fi
echo "ok"
