#!/bin/sh
# report monthly, inspection and annual --xlsx on the fixtures: each workbook
# read back with openpyxl holds the JSON summary's figures of the report's
# run (`pmaudit check --json` of the same period) and every breach row; the
# inspection workbook has the checklist of the sample (the CSV's rows) with
# empty inspector columns; the same bytes twice; English headers.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
. "$ROOT/tests/e2e/xlsx_lib.sh"

db="$T/audit.db"
import_fixtures "$db"

"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/m.json" >/dev/null
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m.pdf" --xlsx "$T/m.xlsx" >/dev/null ||
	fail "report monthly --xlsx failed"
xlsx_check "$T/m.xlsx" "$T/m.json" "$db"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m2.pdf" --xlsx "$T/m2.xlsx" >/dev/null
cmp -s "$T/m.xlsx" "$T/m2.xlsx" || fail "report monthly: two workbooks differ"

"$PMAUDIT" check --db "$db" --quarter 2026Q4 --json "$T/q.json" >/dev/null
"$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --seed 7 --out "$T/i.pdf" \
	--checklist "$T/i.csv" --xlsx "$T/i.xlsx" >/dev/null || fail "report inspection --xlsx failed"
xlsx_check "$T/i.xlsx" "$T/q.json" "$db" --checklist "$T/i.csv"
[ "$(wc -l <"$T/i.csv")" -gt 5 ] || fail "the sample should hold a few tickets"

"$PMAUDIT" check --db "$db" --year 2026 --json "$T/y.json" >/dev/null
"$PMAUDIT" report annual --db "$db" --year 2026 --out "$T/y.pdf" --xlsx "$T/y.xlsx" >/dev/null ||
	fail "report annual --xlsx failed"
xlsx_check "$T/y.xlsx" "$T/y.json" "$db"

# English, one site.
"$PMAUDIT" check --db "$db" --month 2026-10 --site 翠湖花园 --json "$T/e.json" >/dev/null
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --site 翠湖花园 --lang en --out "$T/e.pdf" \
	--xlsx "$T/e.xlsx" >/dev/null || fail "report monthly --lang en --xlsx failed"
xlsx_check "$T/e.xlsx" "$T/e.json" "$db" --lang en

# An unwritable workbook is refused before the report's work (no PDF either).
if "$PMAUDIT" report annual --db "$db" --year 2026 --out "$T/z.pdf" --xlsx "$T/no/z.xlsx" >/dev/null 2>&1; then
	fail "an unwritable --xlsx was accepted"
fi
[ ! -e "$T/z.pdf" ] || fail "a PDF was written although the workbook could not be"
echo "ok"
