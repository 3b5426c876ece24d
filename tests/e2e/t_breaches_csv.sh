#!/bin/sh
# One breaches CSV: `check --csv` and the monthly report's FILE-breaches.csv
# come from one writer, so the two files of the same period are the same
# bytes (with the how_late column), on the fixtures and on generated data,
# for all sites and for one site with an as-of time inside the month.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

# same DB TAG ARGS...: report and check of the same period, compared
same() {
	db=$1 tag=$2
	shift 2
	"$PMAUDIT" report monthly --db "$db" "$@" --out "$T/$tag.pdf" >/dev/null || fail "$tag: report"
	"$PMAUDIT" check --db "$db" "$@" --csv "$T/$tag-check.csv" >/dev/null || fail "$tag: check"
	cmp "$T/$tag-breaches.csv" "$T/$tag-check.csv" || fail "$tag: the report's and check's CSVs differ"
	head -1 "$T/$tag-check.csv" | grep -q ',status,how_late,late_seconds' || fail "$tag: no how_late column"
	n=$(grep -c -E ',(breached|pending),' "$T/$tag-check.csv" || true)
	[ "$n" -gt 0 ] || fail "$tag: no breached or pending row"
}

import_fixtures "$T/f.db"
same "$T/f.db" fix --month 2026-10
same "$T/f.db" fix-site --month 2026-11 --site 金桂苑 --as-of "2026-11-20 12:00"
# a late row has both columns: how_late as d hh:mm:ss, and its seconds
grep -q -E ',breached,([0-9]+d )?[0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]+,' "$T/fix-check.csv" ||
	fail "no late row with how_late and late_seconds"
# room and responsible: each ticket's room and technician, each complaint's
# room and department, as the logs hold them
head -1 "$T/fix-check.csv" | grep -q ',late_seconds,room,responsible' || fail "no room and responsible columns"
python3 - "$T/fix-check.csv" "$T/f.db" <<'PY' || fail "room / responsible differ from the logs"
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
seen = {"T": 0, "C": 0}
for r in rows:
    if r["record_id"].startswith("T2"):
        want = db.execute("SELECT COALESCE(room, ''), COALESCE(technician, '') FROM tickets"
                          " WHERE ticket_id = ?", (r["record_id"],)).fetchone()
    elif r["record_id"].startswith("C2"):
        want = db.execute("SELECT COALESCE(room, ''), COALESCE(department, '') FROM complaints"
                          " WHERE complaint_id = ?", (r["record_id"],)).fetchone()
    else:
        continue
    assert (r["room"], r["responsible"]) == want, (r, want)
    assert r["responsible"], r
    seen[r["record_id"][0]] += 1
assert seen["T"] > 0 and seen["C"] > 0, seen
PY

"$PMGEN" --seed 5 --sites 3 --from 2026-09 --to 2026-10 --tickets 3000 --out "$T/gen" >/dev/null
"$PMAUDIT" import --db "$T/g.db" "$T"/gen/*.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import"
same "$T/g.db" gen --month 2026-10
echo ok
