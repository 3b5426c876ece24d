#!/bin/sh
# A report section that cannot read what it prints fails the report: exit
# status 1, a message naming the cause, and no PDF (nor breaches CSV) --
# never a PDF with a section silently missing. The database is made
# unreadable for one section only: the complaints lose their department
# column (read by section 4 of the monthly report and its breach lists, by
# no check run), the
# import runs their SHA-256 (read by the annual report's cover).
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

import_fixtures "$T/base.db"

cp "$T/base.db" "$T/m.db"
sqlite3 "$T/m.db" "ALTER TABLE complaints DROP COLUMN department"
set +e
"$PMAUDIT" report monthly --db "$T/m.db" --month 2026-10 --out "$T/m.pdf" >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq 1 "$rc" "monthly with an unreadable section: exit status"
grep -q 'no such column: \(pc\.\)\{0,1\}department' "$T/err" || fail "monthly: the cause is not named: $(cat "$T/err")"
[ ! -e "$T/m.pdf" ] || fail "monthly: a PDF was written"
[ ! -e "$T/m-breaches.csv" ] || fail "monthly: a breaches CSV was written"

cp "$T/base.db" "$T/a.db"
sqlite3 "$T/a.db" "ALTER TABLE import_runs DROP COLUMN sha256"
set +e
"$PMAUDIT" report annual --db "$T/a.db" --year 2026 --out "$T/a.pdf" >"$T/out" 2>"$T/err"
rc=$?
set -e
assert_eq 1 "$rc" "annual with an unreadable cover: exit status"
grep -q 'no such column: sha256' "$T/err" || fail "annual: the cause is not named: $(cat "$T/err")"
[ ! -e "$T/a.pdf" ] || fail "annual: a PDF was written"

# the same databases are fine for what does not read those columns
"$PMAUDIT" report inspection --db "$T/m.db" --quarter 2026Q4 --out "$T/i.pdf" >/dev/null ||
	fail "inspection failed on a database it can read"
echo ok
