#!/bin/sh
# Issue 13, item 6: money sums are checked for overflow. Two charges of
# 92233720368547758.07 (each the largest amount SQLite stores, together
# more) gave "due -0.02", a rate of -5000.00% and exit 0 on the old build.
# Now check and report fail with a message naming the rows.
set -eu
. "$ROOT/tests/e2e/lib.sh"

cd "$T"
{
	echo "entry_id,site,room,fee_item,period,kind,amount,at"
	echo "F1,翠湖花园,1-101,物业管理费,2026-10,charge,92233720368547758.07,2026-10-01"
	echo "F2,翠湖花园,1-101,物业管理费,2026-10,charge,92233720368547758.07,2026-10-02"
	echo "F3,翠湖花园,1-102,物业管理费,2026-10,charge,100.00,2026-10-01"
} > fees.csv
"$PMAUDIT" import --db d.db fees.csv >/dev/null || fail "import failed"
assert_eq 9223372036854775807 "$(q d.db "SELECT amount FROM fees WHERE entry_id = 'F1'")" \
	"the amount is stored whole"

rc=0
"$PMAUDIT" check --db d.db --month 2026-10 >out.txt 2>err.txt || rc=$?
assert_eq 1 "$rc" "check: exit status"
grep -q "too large to add up" err.txt || fail "check: message: $(cat err.txt)"
grep -q "F1" err.txt && grep -q "F2" err.txt || fail "check: the rows are not named: $(cat err.txt)"
grep -q "1-101" err.txt || fail "check: the room is not named: $(cat err.txt)"
if grep -q "due" out.txt; then fail "check printed figures: $(cat out.txt)"; fi

rc=0
"$PMAUDIT" check --db d.db --month 2026-10 --json s.json >/dev/null 2>err.txt || rc=$?
assert_eq 1 "$rc" "check --json: exit status"
[ ! -e s.json ] || fail "check --json wrote figures"

rc=0
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out m.pdf --no-charts >/dev/null 2>err.txt ||
	rc=$?
assert_eq 1 "$rc" "report: exit status"
grep -q "too large to add up" err.txt || fail "report: message: $(cat err.txt)"
[ ! -e m.pdf ] || fail "report wrote a PDF"

# one such charge and another account's: the run's total overflows, the
# largest rows of the ledger are named
sqlite3 d.db "DELETE FROM fees WHERE entry_id = 'F2'"
rc=0
"$PMAUDIT" check --db d.db --month 2026-10 >out.txt 2>err.txt || rc=$?
assert_eq 1 "$rc" "total overflow: exit status"
grep -q "a total passes.*F1" err.txt || fail "total overflow: message: $(cat err.txt)"

# one such charge alone adds up: its figures are printed
sqlite3 d.db "DELETE FROM fees WHERE entry_id = 'F3'"
"$PMAUDIT" check --db d.db --month 2026-10 >out.txt || fail "one large charge: check failed"
grep -q "due (charges - waivers)    92233720368547758.07" out.txt ||
	fail "one large charge: due: $(grep due out.txt)"

# each aging bucket fits, their total does not: check prints the buckets,
# the report (which prints the total) fails instead of "-¥92,233,..."
{
	echo "entry_id,site,room,fee_item,period,kind,amount,at,due_date"
	echo "A1,翠湖花园,1-101,物业管理费,2024-01,charge,92233720368547758.07,2024-01-01,2024-01-31"
	echo "B1,翠湖花园,1-102,物业管理费,2026-10,charge,0.01,2026-10-01,2026-10-05"
} > aging.csv
"$PMAUDIT" import --db a.db aging.csv >/dev/null || fail "import aging.csv failed"
"$PMAUDIT" check --db a.db --month 2026-10 >out.txt || fail "aging buckets: check failed"
grep -q "aging 365+ days            92233720368547758.07" out.txt || fail "aging: $(cat out.txt)"
rc=0
# (as of the month's end: the data ends before the 0.01 falls due)
"$PMAUDIT" report monthly --db a.db --month 2026-10 --as-of 2026-11-01 --out a.pdf --no-charts \
	>/dev/null 2>err.txt ||
	rc=$?
assert_eq 1 "$rc" "aging total: report exit status"
grep -q "the arrears aging total passes" err.txt || fail "aging total: message: $(cat err.txt)"
[ ! -e a.pdf ] || fail "aging total: a PDF was written"
