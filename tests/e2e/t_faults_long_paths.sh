#!/bin/sh
# Issue 13, item 5: no fixed-size buffer for a path. --out, --charts, the
# breaches CSV and --csv/--json in a folder 600+ bytes deep are written
# where they were asked for; the old build cut 599- and 511-byte paths
# (an unrelated file was overwritten, or no CSV written, exit 0).
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures d.db
part=$(printf 'p%.0s' $(seq 1 120))
deep="$T/$part/$part/$part/$part/$part"
mkdir -p "$deep"
[ "${#deep}" -gt 600 ] || fail "the test folder is not deep enough (${#deep})"
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out "$deep/monthly-report.pdf" \
	--charts "$deep/charts" >out.txt || fail "report into a deep folder failed"
qpdf --check "$deep/monthly-report.pdf" >/dev/null || fail "deep PDF: qpdf --check"
[ -s "$deep/monthly-report-breaches.csv" ] || fail "deep breaches CSV missing"
[ "$(ls "$deep/charts" | wc -l)" -eq 6 ] || fail "deep charts: $(ls "$deep/charts")"
assert_eq "$deep/monthly-report.pdf" "$(cat out.txt)" "the printed path is whole"
"$PMAUDIT" check --db d.db --month 2026-10 --csv "$deep/c.csv" --json "$deep/c.json" >/dev/null ||
	fail "check into a deep folder failed"
[ -s "$deep/c.csv" ] && [ -s "$deep/c.json" ] || fail "deep check outputs missing"
"$PMAUDIT" rejects --db d.db --csv "$deep/r.csv" || fail "rejects into a deep folder"
[ -s "$deep/r.csv" ] || fail "deep rejects CSV missing"
"$PMAUDIT" report inspection --db d.db --quarter 2026Q4 --out "$deep/i.pdf" \
	--checklist "$deep/i.csv" >/dev/null || fail "inspection into a deep folder"
[ -s "$deep/i.csv" ] || fail "deep checklist missing"
# nothing was written anywhere else: only the database and the logs here
left=$(ls | grep -vx -e "$part" -e d.db -e import.log -e out.txt -e log || true)
[ -z "$left" ] || fail "written beside the deep folder: $left"

# a path longer than the system allows fails clearly, naming the problem
long="$deep"
while [ "${#long}" -lt 4200 ]; do long="$long/$part"; done
rc=0
"$PMAUDIT" check --db d.db --month 2026-10 --csv "$long/x.csv" >/dev/null 2>err.txt || rc=$?
assert_eq 1 "$rc" "too long a path: exit status"
grep -q "File name too long\|No such file" err.txt || fail "too long a path: $(cat err.txt)"

# names from the user are not cut either: a 120-character --site and a
# long --company are printed whole on the cover (the running header ends
# in "…" where the line is full)
site=$(printf '翠%.0s' $(seq 1 120))
# (a --site must be one of the database's sites: one ticket there)
printf 'ticket_id,site,category,reported_at\nLONG1,%s,给排水,2026-10-08 09:00\n' "$site" >long-site.csv
"$PMAUDIT" import --db d.db long-site.csv >/dev/null || fail "import of the long site's ticket"
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out long-name.pdf --site "$site" \
	--company "物业服务有限公司物业服务有限公司物业服务有限公司" --no-charts >/dev/null ||
	fail "report with a long site name failed"
pdf_text long-name.pdf long-name.txt
has long-name.txt "$site" "the whole site name on the cover"
has long-name.txt "物业服务有限公司物业服务有限公司物业服务有限公司 · " "the whole company name"
