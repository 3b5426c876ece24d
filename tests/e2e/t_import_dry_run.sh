# --dry-run reads and checks a file exactly as an import would and stores
# nothing: no database is created, an existing one keeps its bytes. It
# shows the kind, encoding, header line, skipped lines, each column and its
# field, the first rows as parsed, rejects by reason, summary rows and the
# rules that will lack data. --write-map writes a mapping file that, once
# completed, imports the file.
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
cat >t.csv <<'CSV'
2026年10月报事明细
报事单号,项目,报修类别,紧急,报事时间,派工时间,处理完成时间,维修费用,备注
S1,阳明花园,消防,紧急,45933.5,2026/10/03 下午 12:10,2026-10-03 15:00,200.00元,
S2,阳明花园,水电,否,2026.10.04,-,-,-,
S3,阳明花园,电梯,是,2026-02-30,2026-10-05 09:00,,12.345,
S4,阳明花园,门窗,特急,2026-10-06 09:00,,,,
合计,4,,,,,,,
CSV
run() { set +e; "$PMAUDIT" import "$@" >out.txt 2>err.txt; rc=$?; set -e; }
set -e

# without a mapping file the header is not found: the likeliest line is shown
run --db none.db --dry-run t.csv
assert_eq 2 "$rc" "dry run without a map: exit status"
[ ! -e none.db ] || fail "a dry run created the database"
grep -qF "t.csv: no header found; the likeliest is line 2 (as tickets):" out.txt || fail "likeliest: $(cat out.txt)"
grep -qF "报事单号 -> (unmapped (ticket_id?))" out.txt || fail "hint: $(cat out.txt)"
grep -qF "处理完成时间 -> (unmapped (completed_at?))" out.txt || fail "hint: $(cat out.txt)"

# --write-map: a skeleton with the guesses commented out
run --db none.db --write-map t.map t.csv
[ ! -e none.db ] || fail "--write-map created the database"
grep -qx "kind = tickets" t.map || fail "kind: $(cat t.map)"
grep -qx "site = 项目" t.map || fail "recognised column: $(cat t.map)"
grep -q "^# ticket_id = 报事单号 .*unmapped column" t.map || fail "guess: $(cat t.map)"
grep -q "^# FIELD = 备注 " t.map || fail "unknown column: $(cat t.map)"
# the user completes it: uncomment the guesses, map the vocabulary
sed -e 's/^# \(ticket_id\|reported_at\|dispatched_at\|completed_at\) = \([^ ]*\) .*/\1 = \2/' \
	-e 's/^# empty = .*/empty = -/' t.map >m.map
printf '\n[values.category]\n安全设施 = 消防\n[values.urgent]\nyes = 紧急\n' >>m.map
grep -qx "ticket_id = 报事单号" m.map || fail "completing the map: $(cat m.map)"

# an existing database keeps its bytes
"$PMAUDIT" import --db keep.db "$ROOT/fixtures/tickets.csv" >/dev/null 2>&1 || true
sum_before=$(sha256sum keep.db)
run --db keep.db --dry-run --map m.map t.csv
assert_eq 1 "$rc" "dry run: exit status as for import (rows rejected)"
assert_eq "$sum_before" "$(sha256sum keep.db)" "database bytes after a dry run"
[ ! -e keep.db-journal ] || fail "a journal was left"
grep -qF "t.csv: tickets, utf-8, header on line 2, 1 line(s) above it skipped" out.txt || fail "header: $(cat out.txt)"
grep -qF "报事单号 -> ticket_id (mapping file)" out.txt || fail "mapped column: $(cat out.txt)"
grep -qF "项目 -> site (mapping file)" out.txt || fail "alias column: $(cat out.txt)"
grep -qF "备注 -> (unmapped)" out.txt || fail "unmapped column: $(cat out.txt)"
grep -qF "line 3: ticket_id=S1 site=阳明花园 room=NULL category=安全设施 urgent=1 paid=1 charge=20000 reported_at=2025-10-03 12:00:00 dispatched_at=2026-10-03 12:10:00" out.txt ||
	fail "first row: $(cat out.txt)"
grep -qF "line 4: ticket_id=S2" out.txt || fail "second row: $(cat out.txt)"
grep -qF "rows read: 4, would be stored: 2, rejected: 2" out.txt || fail "counts: $(cat out.txt)"
grep -qF "1x charge: not a valid amount (line 5)" out.txt || fail "reject reason: $(cat out.txt)"
grep -qF "1x urgent: not a yes/no value (line 6)" out.txt || fail "reject reason: $(cat out.txt)"
grep -qF "summary rows skipped: 1 (line 7)" out.txt || fail "summary: $(cat out.txt)"
grep -qF "paid: no such column; read as paid = charge > 0" out.txt || fail "paid: $(cat out.txt)"
grep -qF "arrived_at: T-ARRIVE" out.txt || fail "rules lacking data: $(cat out.txt)"
[ ! -e none.db ] || fail "created"

# --write-map from a mapped dry run keeps the map's values and lists the unknown ones
run --dry-run --map m.map --write-map m2.map t.csv
grep -qx "安全设施 = 消防" m2.map || fail "values kept: $(cat m2.map)"
grep -qx "# CANONICAL = 特急" m2.map || fail "unknown value: $(cat m2.map)"
grep -qx "#   水电" m2.map || fail "categories: $(cat m2.map)"

# the real import gives what the dry run showed
run --db real.db --map m.map t.csv
assert_eq 1 "$rc" "import: exit status"
grep -qF "t.csv:5: charge: not a valid amount '12.345': more than two decimals; reported_at: not a valid timestamp '2026-02-30': day out of range" err.txt ||
	fail "every bad cell: $(cat err.txt)"
assert_eq "S1|安全设施|1|1|20000|2025-10-03 12:00:00" \
	"$(q real.db "SELECT ticket_id, category, urgent, paid, charge, reported_at FROM tickets WHERE ticket_id='S1'")" "S1"
assert_eq "S2|0|0||2026-10-04 00:00:00|" \
	"$(q real.db "SELECT ticket_id, urgent, paid, charge, reported_at, completed_at FROM tickets WHERE ticket_id='S2'")" "S2"
assert_eq "ticket_id,site,category,urgent,paid,charge,reported_at,dispatched_at,completed_at" \
	"$(q real.db 'SELECT fields FROM import_runs')" "the run's fields"
