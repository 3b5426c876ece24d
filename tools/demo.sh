#!/bin/sh
# `make demo`: imports fixtures/ into a fresh database under out/, then
# writes the three reports of the fixtures' period and prints their paths.
set -eu
cd "$(dirname "$0")/.."
mkdir -p out
rm -f out/demo.db
"$PMAUDIT" import --db out/demo.db fixtures/*.csv || [ $? -eq 1 ]
echo "database: out/demo.db"
# The fixtures cover September to November 2026 (a made-up company).
company="示例物业服务有限公司"
"$PMAUDIT" report monthly --db out/demo.db --month 2026-10 --company "$company" --out out/monthly-2026-10.pdf \
	--charts out/charts-2026-10 >/dev/null
"$PMAUDIT" report inspection --db out/demo.db --quarter 2026Q4 --seed 2026 --company "$company" \
	--out out/inspection-2026Q4.pdf --checklist out/inspection-2026Q4.csv >/dev/null
"$PMAUDIT" report annual --db out/demo.db --year 2026 --company "$company" --out out/annual-2026.pdf >/dev/null
echo "monthly report:    out/monthly-2026-10.pdf (breaches: out/monthly-2026-10-breaches.csv)"
echo "inspection report: out/inspection-2026Q4.pdf (checklist: out/inspection-2026Q4.csv)"
echo "annual report:     out/annual-2026.pdf"
