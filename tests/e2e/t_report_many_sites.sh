#!/bin/sh
# More than 20 sites (issue 14): the by-site charts show the top 20 and
# 其他, and the layout still keeps headings with what they introduce. Kept
# apart from t_report_layout so that the sanitizer pass runs this small data
# set (the charts' "others", the fee codec's long varints) without the
# layout test's thirty reports (docs/testing.md).
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

# 120 sites: the by-site charts show 20 and 其他.
"$PMGEN" --seed 3 --sites 120 --from 2026-09 --to 2026-10 --tickets 1500 --complaints 300 \
	--callbacks 1200 --rooms 300 --out "$T/gen" >/dev/null || fail "pmgen"
"$PMAUDIT" import --db "$T/many.db" "$T"/gen/*.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import many"
[ "$(q "$T/many.db" 'SELECT COUNT(DISTINCT site) FROM tickets')" -gt 100 ] || fail "over 100 sites expected"
"$PMAUDIT" report monthly --db "$T/many.db" --month 2026-10 --out "$T/many.pdf" --charts "$T/charts" \
	>/dev/null || fail "monthly, many sites"
pdf_text "$T/many.pdf" "$T/many.txt"
has "$T/many.txt" "各项目时限规则达标率（记录最多的20个项目及其他，虚线为目标）" "by-site chart, top 20"
has "$T/many.txt" "欠费账龄（欠费最多的20个项目及其他）" "aging chart, top 20"
no_orphan_heading "$T/many.pdf"
echo ok
