#!/bin/sh
# report annual makes the previous year's run and the twelve months'
# figures on its second thread, on read-only connections, while the main
# thread makes the year's run (reports/annual_runs.c): the report, its text
# and its stored runs, is the same as with PMAUDIT_THREADS=1, where one
# thread makes everything -- also when a hand edit of fees has left the fee
# ledger stale; the previous year's run is what `check --no-records` of
# that year stores, row for row.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

mkdir -p "$T/gen" "$T/two" "$T/one" "$T/stale2" "$T/stale1"
"$PMGEN" --seed 12 --sites 3 --from 2025-09 --to 2026-10 --tickets 3000 --callbacks 3000 \
	--complaints 600 --fees 6000 --out "$T/gen" || fail "pmgen failed"
db="$T/g.db"
"$PMAUDIT" import --db "$db" "$T"/gen/*.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import failed"

report() { two_runs_report "$db" annual --year 2026 \
	"2025-01-01 00:00:00|2026-01-01 00:00:00|2026-01-01 00:00:00" "$@"; }

report "$T/two"
report "$T/one" PMAUDIT_THREADS=1
same_runs "$T/two" "$T/one" "two threads and one"
grep -q '^figure|volumes.tickets|[1-9]' "$T/two/prev" || fail "the previous year's run has tickets"
grep -q '^record|' "$T/two/prev" && fail "the previous year's run is figures-only"
grep -q '^record|F-AGING|' "$T/two/cur" || fail "the year's run stores the ledger's records"
# the twelve months: each month's row of the trend table is in the text (one thread or two alike)
grep -q '2026-10' "$T/two/text" || fail "the months' table"

prev_is_check "$db" "$T/two" "previous year" --year 2025

# a fee changed by hand: the ledger is stale; the main thread rebuilds it, the second reads fees
stale_ledger_same "$db" '2025-1%' report "2025's fee figures"
exit 0
