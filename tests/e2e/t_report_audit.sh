#!/bin/sh
# What an audit needs (issue 14): the person responsible and the room of
# every breached or pending record in the monthly report's lists.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m.pdf" >/dev/null || fail "monthly"
pdf_text "$T/m.pdf" "$T/m.txt"
tr -d ' ' <"$T/m.txt" >"$T/m.nospace"

# Every breached or pending ticket and complaint of the appendix (all 65 of
# the fixtures' month) shows its site and room, and its technician or department.
python3 - "$T/m-breaches.csv" >"$T/people" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    if r["记录编号"][:2] in ("T2", "C2"):
        print(r["记录编号"] + "\t" + r["项目"] + " " + r["房号"] + "\t" + r["责任人"])
PY
[ "$(wc -l <"$T/people")" -ge 20 ] || fail "expected breached tickets and complaints"
while IFS="$(printf '\t')" read -r id place who; do
	has "$T/m.nospace" "$(echo "$id$place$who" | tr -d ' ')" "$id: site, room and responsible in the list"
done <"$T/people"
