#!/bin/sh
# report monthly makes the previous month's run on its second thread, on a
# read-only connection, and copies it in (reports/monthly_runs.c): the run
# it stores is what `pmaudit check --no-records` of that month stores, row
# for row; and the whole report, its text and its stored runs, is the same
# as with PMAUDIT_THREADS=1, where one thread makes everything -- also when
# a hand edit of fees has left the fee ledger stale.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

mkdir -p "$T/gen" "$T/two" "$T/one"
"$PMGEN" --seed 11 --sites 3 --from 2025-11 --to 2026-10 --tickets 3000 --callbacks 3000 \
	--complaints 600 --fees 6000 --out "$T/gen" || fail "pmgen failed"
db="$T/g.db"
"$PMAUDIT" import --db "$db" "$T"/gen/*.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import failed"


report() { two_runs_report "$db" monthly --month 2026-10 \
	"2026-09-01 00:00:00|2026-10-01 00:00:00|2026-10-01 00:00:00" "$@"; }

report "$T/two"
report "$T/one" PMAUDIT_THREADS=1
same_runs "$T/two" "$T/one" "two threads and one"
[ "$(grep -c '^rule|' "$T/two/prev")" -gt 10 ] || fail "the previous month's run has its rules"
[ "$(grep -c '^site|' "$T/two/prev")" -gt 10 ] || fail "the previous month's run has per-site counts"
grep -q '^figure|fees.due_cents|[1-9]' "$T/two/prev" || fail "the previous month's run has fee figures"
grep -q '^record|' "$T/two/prev" && fail "the previous month's run is figures-only"

# the copied run is what `check --no-records` stores for that month
prev_is_check "$db" "$T/two" "previous month" --month 2026-09

# a fee changed by hand: the ledger is stale; the main thread rebuilds it, the second reads fees
stale_ledger_same "$db" '2026-09%' report "September's fee figures"
exit 0
