#!/bin/sh
# One breaches CSV: `check --csv` and the monthly report's FILE-breaches.csv
# come from one writer, so the two files of the same period are the same
# bytes (with the how_late column), on the fixtures and on generated data,
# for all sites and for one site with an as-of time inside the month.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
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
	head -1 "$T/$tag-check.csv" | grep -q ',状态,超时,超时秒数' || fail "$tag: no lateness column"
	n=$(grep -c -E ',(超时|待定),' "$T/$tag-check.csv" || true)
	[ "$n" -gt 0 ] || fail "$tag: no breached or pending row"
	# in English too: the report's --lang is the CSV's
	"$PMAUDIT" report monthly --db "$db" "$@" --lang en --out "$T/$tag-en.pdf" >/dev/null || fail "$tag: report en"
	"$PMAUDIT" check --db "$db" "$@" --lang en --csv "$T/$tag-check-en.csv" >/dev/null || fail "$tag: check en"
	cmp "$T/$tag-en-breaches.csv" "$T/$tag-check-en.csv" || fail "$tag: the English CSVs differ"
	head -1 "$T/$tag-check-en.csv" | grep -q ',status,how_late,late_seconds' || fail "$tag: no how_late column"
	assert_eq "$(wc -l <"$T/$tag-check.csv")" "$(wc -l <"$T/$tag-check-en.csv")" "$tag: rows in English"
}

import_fixtures "$T/f.db"
same "$T/f.db" fix --month 2026-10
same "$T/f.db" fix-site --month 2026-11 --site 金桂苑 --as-of "2026-11-20 12:00"
# a late row has both columns: how late as a reader says it, and its seconds
grep -q -E ',超时,[0-9]+天[0-9]+小时,[0-9]+,' "$T/fix-check.csv" ||
	fail "no late row with 超时 in days and hours and its seconds"
grep -q -E ',breached,[0-9]+d [0-9]+h,[0-9]+,' "$T/fix-check-en.csv" ||
	fail "no late row with how_late in days and hours and its seconds"
# the rule's title beside its id, in each language
grep -q '^T-CB-SAFETY,安全设施维修2天内回访,' "$T/fix-check.csv" || fail "no Chinese rule title"
grep -q '^T-CB-SAFETY,[A-Z][a-z]' "$T/fix-check-en.csv" || fail "no English rule title"
# seconds and the text agree: 1天3小时 is 27 to 28 hours
python3 - "$T/fix-check.csv" <<'PY' || fail "lateness text and seconds disagree"
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
n = 0
for r in rows:
    m = re.fullmatch(r"(\d+)天(\d+)小时", r["超时"])
    if m:
        s = int(r["超时秒数"])
        assert s // 86400 == int(m[1]) and s % 86400 // 3600 == int(m[2]), r
        n += 1
assert n > 0
PY
# room and responsible: each ticket's room and technician, each complaint's
# room and department, as the logs hold them
head -1 "$T/fix-check-en.csv" | grep -q ',late_seconds,room,responsible' || fail "no room and responsible columns"
head -1 "$T/fix-check.csv" | grep -q ',超时秒数,房号,责任人' || fail "no 房号 and 责任人 columns"
python3 - "$T/fix-check-en.csv" "$T/f.db" <<'PY' || fail "room / responsible differ from the logs"
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
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
