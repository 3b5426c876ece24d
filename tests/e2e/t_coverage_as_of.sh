#!/bin/sh
# Data coverage and the default as-of time (issue 14). The fixtures end on
# 2026-11-30 (last event 21:13:51): a period past that is judged as of the
# last event (not the period's end), with a warning on standard error and on
# the cover; check prints each log's first and last event; every report's
# cover has the coverage table (the site's with --site). A period the data
# covers keeps its figures exactly.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMAUDIT" import --db a.db "$ROOT"/fixtures/tickets.csv "$ROOT"/fixtures/complaints-gbk.csv \
	"$ROOT"/fixtures/callbacks.csv "$ROOT"/fixtures/fees.csv >/dev/null 2>&1 || true
last="2026-11-30 21:13:51"
json() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '\$.$2')"; }

# check --year 2026: as of the last event, a warning, the coverage lines
"$PMAUDIT" check --db a.db --year 2026 --json y.json >y.out 2>y.err
grep -q "^check run [0-9]*: 2026-01-01 00:00:00 to 2027-01-01 00:00:00, as of $last, all sites" y.out ||
	fail "check --year: heading: $(head -1 y.out)"
grep -q "warning: the period runs to 2027-01-01 00:00:00 but the data ends at $last" y.err ||
	fail "check --year: no warning: $(cat y.err)"
grep -q "^  tickets  *2026-09-01 08:39:35  2026-11-30 21:13:51$" y.out || fail "tickets coverage"
grep -q "^  complaints  *2026-09-01 15:01:39  2026-11-30 14:52:00$" y.out || fail "complaints coverage"
grep -q "^  fee_payments  *2026-09-01 09:30:53  2026-11-30 13:57:10$" y.out || fail "payments coverage"
assert_eq "$last" "$(json y.json as_of)" "JSON as_of"
# the JSON's coverage is what check printed
for log in tickets complaints callbacks fees fee_payments; do
	line=$(grep "^  $log " y.out | sed 's/^  [a-z_]* *//')
	assert_eq "$line" "$(json y.json "coverage.$log.first")  $(json y.json "coverage.$log.last")" "JSON coverage.$log"
done
# the same figures as an explicit --as-of at the last event; not those as of the year's end
"$PMAUDIT" check --db a.db --year 2026 --as-of "$last" --json y1.json >/dev/null 2>y1.err
grep -q "judged as of $last (--as-of)" y1.err || fail "--as-of: warning names the given time"
assert_eq "$(json y1.json rules)|$(json y1.json fees)" "$(json y.json rules)|$(json y.json fees)" \
	"default as-of = the last event"
"$PMAUDIT" check --db a.db --year 2026 --as-of 2027-01-01 --json y0.json >/dev/null 2>&1
[ "$(json y.json 'fees.aging_cents.1-30')" -gt 0 ] || fail "1-30 day arrears at the last event"
assert_eq 0 "$(json y0.json 'fees.aging_cents.1-30')" "1-30 day arrears as of the year's end (the old default)"
[ "$(json y.json 'rules.T-CB-OTHER.breached')" -lt "$(json y0.json 'rules.T-CB-OTHER.breached')" ] ||
	fail "callbacks due after the data are not breaches"

# a month the data covers: no warning, as of its end, the figures of an explicit as-of
"$PMAUDIT" check --db a.db --month 2026-10 --json m.json >m.out 2>m.err
[ -s m.err ] && fail "covered month: warning: $(cat m.err)"
"$PMAUDIT" check --db a.db --month 2026-10 --as-of "2026-11-01 00:00:00" --json m1.json >/dev/null
assert_eq "2026-11-01 00:00:00" "$(json m.json as_of)" "covered month: as of its end"
grep -v '"as_of"' m.json > m.a; grep -v '"as_of"' m1.json > m1.a
cmp m.a m1.a || fail "covered month: figures changed"
# with a site: the site's coverage
"$PMAUDIT" check --db a.db --month 2026-10 --site 金桂苑 >s.out
grep -q "^data coverage of 金桂苑" s.out || fail "site coverage heading"
grep -q "^  tickets  *2026-09-01 08:39:35  2026-11-30 11:51:54$" s.out || fail "site tickets coverage"
"$PMAUDIT" check --db a.db --month 2026-10 --site 金桂苑 --json s.json >/dev/null
assert_eq "2026-11-30 11:51:54" "$(json s.json coverage.tickets.last)" "JSON: the site's coverage"
# an empty database (a pmaudit database no import has stored a record in;
# a missing one is an error, issue 13)
printf 'ticket_id,site,category,reported_at\n' >empty.csv
"$PMAUDIT" import --db e.db empty.csv >/dev/null
"$PMAUDIT" check --db e.db --month 2026-10 >e.out 2>e.err
grep -q "warning: the database holds no records" e.err || fail "empty database warning"
grep -q "^  tickets  *no records" e.out || fail "empty coverage"
"$PMAUDIT" check --db e.db --month 2026-10 --json e.json >/dev/null 2>&1
assert_eq "null" "$(sqlite3 :memory: "SELECT json_type(readfile('e.json'), '\$.coverage.tickets.first')")" "JSON: no records, null"

# the reports: a cover with the coverage and, past the data, the warning
"$PMAUDIT" report annual --db a.db --year 2026 --out y.pdf >/dev/null 2>r.err
grep -q "warning: the period runs to 2027-01-01 00:00:00 but the data ends at $last" r.err ||
	fail "report: no warning on the command line"
pdftotext -layout y.pdf y.txt 2>/dev/null
cover=$(sed -n '1,/第 1 页/p' y.txt)
echo "$cover" | grep -q "数据截止时间  *$last" || fail "annual: as-of on the cover"
echo "$cover" | grep -q "数据覆盖范围" || fail "annual: coverage table"
echo "$cover" | grep -q "^报修工单  *2026-09-01 08:39:35  *2026-11-30 21:13:51" || fail "annual: tickets row"
echo "$cover" | tr -d ' \n' | grep -q "注意：统计期间至2026-12-31，但数据库中的数据只到2026-11-3021:13:51" ||
	fail "annual: the warning on the cover"
"$PMAUDIT" report inspection --db a.db --quarter 2026Q4 --site 金桂苑 --lang en --out i.pdf >/dev/null 2>&1
pdftotext -layout i.pdf i.txt 2>/dev/null
grep -q "Data coverage (this site)" i.txt || fail "inspection: site coverage"
grep -q "^Repair tickets  *2026-09-01 08:39:35  *2026-11-30 11:51:54" i.txt || fail "inspection: the site's tickets"
tr -d '\n' < i.txt | tr -s ' ' | grep -q "Note: the period runs to 2026-12-31, but the data ends at" ||
	fail "inspection: English warning"
"$PMAUDIT" report monthly --db a.db --month 2026-10 --out o.pdf >/dev/null 2>o.err
[ -s o.err ] && fail "covered month report: warning: $(cat o.err)"
pdftotext -layout o.pdf o.txt 2>/dev/null
grep -q "数据覆盖范围" o.txt || fail "monthly: coverage"
grep -q "注意：统计期间" o.txt && fail "monthly: a warning for a covered month"
echo ok
