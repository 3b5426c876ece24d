#!/bin/sh
# Months with no data for a figure print 无数据 / "no data" and are a gap in
# the chart, never 0 (issue 14: months before the ledger's payments were
# tabled and plotted as 0.00% collection). A month has no data for a figure
# when it lies outside the coverage (first to last event) of the log the
# figure reads: the fixtures' tickets, complaints and callbacks start in
# 2026-09, the ledger's charges in 2025-07 but its payments in 2026-09, and
# everything ends on 2026-11-30.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMAUDIT" import --db a.db "$ROOT"/fixtures/tickets.csv "$ROOT"/fixtures/complaints-gbk.csv \
	"$ROOT"/fixtures/callbacks.csv "$ROOT"/fixtures/fees.csv >/dev/null 2>&1 || true

# the monthly trend: twelve months to 2026-11 (the four rates and 满意度)
"$PMAUDIT" report monthly --db a.db --month 2026-11 --out m.pdf >/dev/null 2>&1
pdftotext -layout m.pdf m.txt 2>/dev/null
trend=$(sed -n '/九、近十二个月趋势/,/^十、/p' m.txt)
for mo in 2025-12 2026-01 2026-05 2026-08; do
	echo "$trend" | grep -q "^$mo  *无数据  *无数据  *无数据  *无数据  *无数据 *$" ||
		fail "trend $mo: $(echo "$trend" | grep "^$mo")"
done
for mo in 2026-09 2026-10 2026-11; do
	echo "$trend" | grep "^$mo " | grep -q "无数据" && fail "trend $mo has data: $(echo "$trend" | grep "^$mo")"
	echo "$trend" | grep -q "^$mo  *[0-9.]*%  *[0-9.]*%  *[0-9.]*%  *[0-9.]*%  *[0-9.]*% *$" ||
		fail "trend $mo: $(echo "$trend" | grep "^$mo")"
done
echo "$trend" | grep -q "0\.00%" && fail "a 0.00% in the trend"

# the annual report: months before the data and December after it
"$PMAUDIT" report annual --db a.db --year 2026 --lang en --out y.pdf >/dev/null 2>&1
pdftotext -layout y.pdf y.txt 2>/dev/null
# Jan-Aug: charges were made (the ledger starts in 2025-07), nothing else is known
for mo in 2026-01 2026-08; do
	grep -q "^$mo  *no data  *no data  *no data  *¥[0-9,.]*  *no data *$" y.txt ||
		fail "annual $mo: $(grep "^$mo " y.txt | head -1)"
done
grep -q "^2026-12  *no data  *no data  *no data  *no data  *no data *$" y.txt ||
	fail "annual 2026-12: $(grep "^2026-12 " y.txt | head -1)"
grep -q "^2026-10  *[0-9,]*  *[0-9,]*  *[0-9,]*  *¥[0-9,.]*  *¥[0-9,.]* *$" y.txt ||
	fail "annual 2026-10: $(grep "^2026-10 " y.txt | head -1)"
# the key rates month by month (the same table as the monthly trend)
grep -q "^2026-03  *no data  *no data  *no data  *no data  *no data *$" y.txt ||
	fail "annual rates 2026-03: $(grep "^2026-03 " y.txt)"
# the year before the data is no data, not a year of 0
grep -q "^Repair tickets (by report time)  *297  *no data  *— *$" y.txt ||
	fail "annual volumes: $(grep "^Repair tickets (by" y.txt)"
echo ok
