#!/bin/sh
# The annual report's executive summary (issue 14; reports/exec_summary.c,
# the monthly page's code): targets missed, the biggest changes, the sites
# with most breached records and the rectification list, in Chinese and in
# English, read back with pdftotext and held to the JSON of the same runs:
# `check --year` for the year, `check --year --site` for each site, and for
# the changes the previous year's check -- or, when the previous year has no
# rate to compare (a database without it), the year's first and last
# quarter with data (`check --quarter`), as the heading says.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
sites="海棠湾 翠湖花园 金桂苑"

# exec_page PDF OUT: the executive summary's page (the second), spaces removed
exec_page() {
	pdftotext -f 2 -l 2 "$1" - 2>/dev/null | tr -d ' \n' >"$2"
}

# expect LANG PDF BEFORE.json AFTER.json: every expected line on the page
expect() {
	exec_page "$2" page.txt
	python3 "$ROOT/tests/e2e/annual_exec.py" "$1" y.json "$3" "$4" site-*.json >expected.txt
	[ "$(wc -l <expected.txt)" -ge 6 ] || fail "$2: too few expectations: $(cat expected.txt)"
	while IFS= read -r line; do
		has page.txt "$line" "$2 ($1)"
	done <expected.txt
}

# 1. The fixtures: fees since 2025-07, so the previous year has a rate (F-LETTER).
import_fixtures d.db
"$PMAUDIT" check --db d.db --year 2026 --json y.json >/dev/null 2>&1
"$PMAUDIT" check --db d.db --year 2025 --json p.json >/dev/null 2>&1
for s in $sites; do
	"$PMAUDIT" check --db d.db --year 2026 --site "$s" --json "site-$s.json" >/dev/null 2>&1
done
"$PMAUDIT" report annual --db d.db --year 2026 --out y-zh.pdf >/dev/null 2>&1 || fail "annual zh"
"$PMAUDIT" report annual --db d.db --year 2026 --lang en --out y-en.pdf >/dev/null 2>&1 ||
	fail "annual en"
exec_page y-zh.pdf zh.txt
has zh.txt "执行摘要" "zh: the page"
has zh.txt "整改清单" "zh: the rectification list"
has zh.txt "较上年变化最大的规则：" "zh: compared with the previous year"
exec_page y-en.pdf en.txt
has en.txt "Executivesummary" "en: the page"
has en.txt "Rectificationlist" "en: the rectification list"
has en.txt "Largestchangesagainstthepreviousyear:" "en: compared with the previous year"
expect zh y-zh.pdf p.json y.json
expect en y-en.pdf p.json y.json

# 2. No ledger: the previous year holds nothing, so the year's first and
# last quarter with data (the fixtures' tickets: September to November).
rm -f site-*.json
"$PMAUDIT" import --db n.db "$ROOT"/fixtures/tickets.csv "$ROOT"/fixtures/complaints-gbk.csv \
	"$ROOT"/fixtures/callbacks.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import without fees"
"$PMAUDIT" check --db n.db --year 2026 --json y.json >/dev/null 2>&1
# as the report judges them: the last quarter as of the year's as-of time
asof=$(j y.json '$.as_of')
"$PMAUDIT" check --db n.db --quarter 2026Q3 --json q3.json >/dev/null 2>&1
"$PMAUDIT" check --db n.db --quarter 2026Q4 --as-of "$asof" --json q4.json >/dev/null 2>&1
for s in $sites; do
	"$PMAUDIT" check --db n.db --year 2026 --site "$s" --json "site-$s.json" >/dev/null 2>&1
done
"$PMAUDIT" report annual --db n.db --year 2026 --out n-zh.pdf >/dev/null 2>&1 || fail "annual zh, no fees"
"$PMAUDIT" report annual --db n.db --year 2026 --lang en --out n-en.pdf >/dev/null 2>&1 ||
	fail "annual en, no fees"
exec_page n-zh.pdf zh.txt
has zh.txt "第4季度较第3季度变化最大的规则（上一年度没有可比的达标率）：" "zh: quarters compared"
exec_page n-en.pdf en.txt
has en.txt "LargestchangesfromQ3toQ4(thepreviousyearhasnoratestocomparewith):" "en: quarters compared"
expect zh n-zh.pdf q3.json q4.json
expect en n-en.pdf q3.json q4.json

# 3. A year with one quarter of data compares nothing.
sqlite3 n.db "DELETE FROM tickets WHERE reported_at < '2026-10-01'; DELETE FROM complaints
	WHERE received_at < '2026-10-01'; DELETE FROM callbacks WHERE callback_at < '2026-10-01'"
"$PMAUDIT" report annual --db n.db --year 2026 --out one.pdf >/dev/null 2>&1 || fail "annual, one quarter"
exec_page one.pdf one.txt
has one.txt "较上年变化最大的规则：无可比较的数据。" "one quarter: nothing compared"
echo "ok"
