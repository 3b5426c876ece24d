# Issue 12's "done when": one data set written both ways -- the canonical
# fixtures, and the same records exported the way other systems write them
# (tests/e2e/foreign_exports.py: title lines, 合计 rows, foreign headers and
# vocabularies, Excel serial dates, 上午/下午, timezones, full-width digits,
# 元 and ¥ amounts, GBK, tabs) read through the example mapping files in
# maps/ -- must give the same stored records and every figure of
# `pmaudit check --json` the same.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMAUDIT" import --db can.db "$ROOT"/fixtures/*.csv >can.log 2>&1
[ $? -eq 1 ] || fail "canonical import: expected exit 1 (some rejects)"
mkdir fx
python3 "$ROOT/tests/e2e/foreign_exports.py" "$ROOT/fixtures" can.db fx || fail "generator failed"

imp() { # map file
	set +e
	"$PMAUDIT" import --db for.db --map "$ROOT/maps/$1" "fx/$2" >>for.log 2>>for.err
	rc=$?
	set -e
	[ "$rc" -eq 1 ] || fail "$2: exit $rc (expected 1: the same rejects as the fixture)"
}
set -e
imp saas-tickets.map 报事明细.csv
imp saas-complaints.map 投诉明细.csv
imp callcentre-callbacks.map 回访记录.txt
imp fees-ledger.map 收费流水.csv

# title lines and summary rows are skipped and counted, never rejected
grep -qF "fx/报事明细.csv: header on line 3; 2 line(s) above it skipped (titles)" for.log ||
	fail "title lines: $(cat for.log)"
grep -qF "fx/报事明细.csv: 1 summary row(s) (合计/总计/小计) skipped, not imported: line 304" for.log ||
	fail "summary row: $(cat for.log)"
grep -qF "fx/报事明细.csv: no paid (是否有偿) column: paid = charge > 0" for.log ||
	fail "paid from charge not said: $(cat for.log)"
assert_eq "$(q can.db 'SELECT count(*) FROM import_rejects')" \
	"$(q for.db 'SELECT count(*) FROM import_rejects')" "rejected rows"
assert_eq 0 "$(q for.db "SELECT count(*) FROM import_rejects WHERE text LIKE '合计%'")" \
	"a summary row rejected"

# the same records, field by field
for t in tickets:ticket_id complaints:complaint_id callbacks:callback_id fees:entry_id; do
	table=${t%%:*}
	cols=$(q can.db "SELECT group_concat(name) FROM pragma_table_info('$table')
		WHERE name NOT IN ('import_run', 'src_line')")
	q can.db "SELECT $cols FROM $table ORDER BY ${t#*:}" >can.$table
	q for.db "SELECT $cols FROM $table ORDER BY ${t#*:}" >for.$table
	[ -s can.$table ] || fail "$table: nothing stored"
	cmp -s can.$table for.$table || { diff can.$table for.$table | head; fail "$table differs"; }
done

# every figure of check --json, for the quarter and for one month
for period in "--from 2026-09-01 --to 2026-11-30" "--month 2026-10"; do
	"$PMAUDIT" check --db can.db $period --json can.json >/dev/null || fail "check (canonical)"
	"$PMAUDIT" check --db for.db $period --json for.json >/dev/null || fail "check (foreign)"
	python3 - <<'PY' || fail "check --json differs ($period)"
import json, sys
a, b = json.load(open("can.json")), json.load(open("for.json"))
diffs, figures = [], 0
def walk(x, y, path):
    global figures
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            walk(x.get(k), y.get(k), path + "." + k)
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, "%s[%d]" % (path, i))
    else:
        figures += isinstance(x, (int, float))
        if x != y:
            diffs.append("%s: %r != %r" % (path, x, y))
walk(a, b, "")
for d in diffs:
    print(d)
if figures < 50:
    print("only %d figures compared" % figures)
    sys.exit(1)
sys.exit(1 if diffs else 0)
PY
done
