# Exports as other systems write them, without and with a mapping file:
# title lines and 合计 rows skipped and counted (never rejected), unknown
# columns listed with hints, a file that lacks a field keeps the stored
# value, the rules a file cannot feed named at import, paid derived from
# charge, fee statements re-imported updating rather than duplicating, the
# sample exports of fixtures/exports/ and New York's 311 requests.
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
run() { set +e; "$PMAUDIT" import "$@" >out.txt 2>err.txt; rc=$?; set -e; }
set -e

# --- without a mapping file: title lines and totals
cat >c.csv <<'CSV'
2026年10月投诉明细

导出人：张三,,,
投诉编号,项目,级别,受理时间,处理完成时间,解决时间
C1,阳明花园,重大,2026-10-03 08:05,2026-10-03 09:00,2026-10-03 10:00
C2,阳明花园,一般,2026-10-04 08:05,,
小计,2,,,,
C3,阳明花园,重要,2026-10-05 08:05,,
总计,3,,,,
CSV
run --db a.db c.csv
assert_eq 0 "$rc" "title and totals: exit status"
grep -qF "c.csv: header on line 4; 2 line(s) above it skipped (titles)" out.txt || fail "titles: $(cat out.txt)"
grep -qF "c.csv: 2 summary row(s) (合计/总计/小计) skipped, not imported: line 7, 9" out.txt ||
	fail "totals: $(cat out.txt)"
grep -qF "c.csv: warning: unknown columns ignored: 处理完成时间 (resolved_at?)" err.txt || fail "hint: $(cat err.txt)"
# the unknown columns are a block of the summary on stdout too, in the user's language
grep -qxF "c.csv: 1 unknown column(s) ignored, not imported (no rule sees them; a mapping file's [columns] can name their fields):" out.txt ||
	fail "unknown columns block: $(cat out.txt)"
grep -qxF "    处理完成时间 (looks like resolved_at?)" out.txt || fail "unknown columns block, hint: $(cat out.txt)"
LANG=zh_CN.UTF-8 "$PMAUDIT" import --db zh.db c.csv >out-zh.txt 2>&1 || fail "import (zh)"
grep -qxF "c.csv：1 个未识别的列被忽略，未导入（任何规则都看不到这些数据；可在映射文件的 [columns] 中指明其字段）：" out-zh.txt ||
	fail "unknown columns block (zh): $(cat out-zh.txt)"
grep -qxF "    处理完成时间（像是 resolved_at？）" out-zh.txt || fail "unknown columns block, hint (zh): $(cat out-zh.txt)"
# a file whose every column is read has no such block
printf '投诉编号,项目,级别,受理时间\nC9,阳明花园,一般,2026-10-03 08:05\n' >c-all.csv
"$PMAUDIT" import --db zh.db c-all.csv >out-all.txt 2>&1 || fail "import c-all.csv"
! grep -q "unknown column" out-all.txt || fail "unknown columns block without one: $(cat out-all.txt)"
assert_eq 3 "$(q a.db 'SELECT count(*) FROM complaints')" "stored"
assert_eq 0 "$(q a.db 'SELECT count(*) FROM import_rejects')" "rejects"
grep -qF "c.csv: the file has no responded_at: rules C-RESPOND cannot judge its records (无法判定)" out.txt ||
	fail "lacking field: $(cat out.txt)"
assert_eq "complaint_id,site,level,received_at,resolved_at,valid" "$(q a.db 'SELECT fields FROM import_runs')" "fields"

# --- a file lacking a field never clears it
cat >c2.csv <<'CSV'
投诉编号,项目,级别,受理时间
C1,阳明花园,重要,2026-10-03 08:05
CSV
run --db a.db c2.csv
assert_eq "important|2026-10-03 10:00:00" "$(q a.db "SELECT level, resolved_at FROM complaints WHERE complaint_id='C1'")" \
	"C1 after a file without resolved_at"
grep -qF "c2.csv: the file has no resolved_at: rules C-MAJOR-RESOLVE, C-IMPORTANT-RESOLVE, C-MINOR-RESOLVE, C-CB-COVERAGE cannot judge its records" out.txt ||
	fail "lacking resolved_at: $(cat out.txt)"

# --- tickets with a charge but no paid column: paid = charge > 0, said so
printf '工单号,项目,类别,收费金额,报修时间\nT1,A,水电,250.00,2026-10-01 08:00\nT2,A,水电,,2026-10-01 09:00\nT3,A,水电,0,2026-10-01 10:00\n' >t.csv
run --db a.db t.csv
assert_eq "T1|1 T2|0 T3|0" "$(q a.db 'SELECT ticket_id, paid FROM tickets ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')" "paid"
grep -qF "t.csv: no paid (是否有偿) column: paid = charge > 0" out.txt || fail "paid said: $(cat out.txt)"
# a tickets file with neither: the paid-repair rules are named
printf '工单号,项目,类别,报修时间\nT4,A,水电,2026-10-01 08:00\n' >t2.csv
run --db a.db t2.csv
grep -qF "t2.csv: the file has no paid: rules T-PAID-CB-WEEKLY, T-PAID-SUPERVISOR cannot judge" out.txt ||
	fail "no paid: $(cat out.txt)"

# --- fee statements: events, figures in the reasons, re-import updates
M="$ROOT/maps/fee-statement.map"
run --db f.db --map "$M" "$ROOT/fixtures/exports/收费明细-2026-10.csv"
assert_eq 1 "$rc" "statement: exit status (two bad bills)"
assert_eq 9 "$(q f.db 'SELECT count(*) FROM fees')" "events of the October statement"
assert_eq "charge|98000|2026-10-01 00:00:00|2026-10-31 waiver|10000|2026-10-01 00:00:00| payment|88000|2026-10-15 15:05:00|" \
	"$(q f.db "SELECT kind, amount, at, due_date FROM fees WHERE entry_id LIKE 'ZD202610003#%' ORDER BY rowid" | tr '\n' ' ' | sed 's/ $//')" \
	"a bill with a waiver and a payment"
grep -qF "收费明细-2026-10.csv:7: paid_at: paid_amount 300.00 without a payment date (paid_at)" err.txt ||
	fail "paid without a date: $(cat err.txt)"
grep -qF "收费明细-2026-10.csv:8: arrears_amount: arrears_amount 400.00 is not due - waived - paid = 480.00" err.txt ||
	fail "arrears: $(cat err.txt)"
run --db f.db --map "$M" "$ROOT/fixtures/exports/收费明细-2026-10.csv"
grep -qF "7 rows read, 0 inserted, 0 updated, 9 unchanged, 2 rejected" out.txt || fail "same statement again: $(cat out.txt)"
run --db f.db --map "$M" "$ROOT/fixtures/exports/收费明细-2026-11.csv"
assert_eq 0 "$rc" "November statement: exit status"
assert_eq 11 "$(q f.db 'SELECT count(*) FROM fees')" "events after November (two payments more, nothing twice)"
assert_eq "payment|68600|2026-11-05 16:30:00" \
	"$(q f.db "SELECT kind, amount, at FROM fees WHERE entry_id='ZD202610007#payment'")" "the payment made in November"
"$PMAUDIT" check --db f.db --month 2026-10 --json f.json >/dev/null || fail "check after the statements"

# --- the sample exports of fixtures/exports/, each through its map
E="$ROOT/fixtures/exports"
for m in saas-tickets.map:报事明细.csv saas-complaints.map:投诉明细.csv \
	callcentre-callbacks.map:回访记录.txt fees-ledger.map:收费流水.csv; do
	run --db e.db --map "$ROOT/maps/${m%%:*}" "$E/${m#*:}"
	[ "$rc" -le 1 ] || fail "${m#*:}: $(cat err.txt)"
	grep -qF "rows read" out.txt || fail "${m#*:}: $(cat out.txt)"
done
assert_eq 38 "$(q e.db "SELECT count(*) FROM tickets")" "sample tickets (two of the 40 rows are bad, as in the fixture)"
assert_eq 39 "$(q e.db "SELECT count(*) FROM complaints")" "sample complaints (one of the 40 rows is bad)"
assert_eq 1 "$(q e.db "SELECT count(*) FROM import_runs WHERE file LIKE '%回访记录.txt' AND encoding='gb18030'")" "GBK sample"

# --- New York City 311 service requests as complaints (public data, when present)
NYC="$ROOT/../shared/testdata/real-complaint-logs/311_Service_Requests_sample_2022-05-01.csv"
[ -r "$NYC" ] || NYC=/work/shared/testdata/real-complaint-logs/311_Service_Requests_sample_2022-05-01.csv
if [ -r "$NYC" ]; then
	run --db nyc.db --map "$ROOT/maps/nyc-311-complaints.map" "$NYC"
	assert_eq 0 "$rc" "311: exit status ($(cat err.txt))"
	assert_eq 924 "$(q nyc.db 'SELECT count(*) FROM complaints')" "311 requests stored"
	# 05/01/2022 12:00:03 AM is a quarter past midnight on 1 May, not noon, not 5 January
	assert_eq 0 "$(q nyc.db "SELECT count(*) FROM complaints WHERE received_at NOT LIKE '2022-05-01 %'")" "311 dates"
	assert_eq 1 "$(q nyc.db "SELECT count(*) FROM complaints WHERE complaint_id='54049402' AND received_at='2022-05-01 00:00:03' AND site='BRONX' AND level='minor'")" "a 311 request"
	# a new user's first tries: the hints name no field for Date or Status
	# columns (fees' `at` is in both), and a dry run of a map without
	# date_order says why its dates are refused, not only that they are
	set +e
	"$PMAUDIT" import --dry-run "$NYC" >nyc-dry.txt 2>&1
	set -e
	grep -qF "likeliest is line 1 (as complaints)" nyc-dry.txt || fail "311 dry run: $(head -3 nyc-dry.txt)"
	! grep -q "(at?)" nyc-dry.txt || fail "311 dry run: a Date column hinted as fees' at"
	grep -qxF "    Open Data Channel Type -> (unmapped (channel?))" nyc-dry.txt || fail "311 dry run: channel hint"
	grep -v '^date_order' "$ROOT/maps/nyc-311-complaints.map" >nyc-ymd.map
	set +e
	"$PMAUDIT" import --dry-run --map nyc-ymd.map "$NYC" >nyc-ymd.txt 2>&1
	rc=$?
	set -e
	assert_eq 1 "$rc" "311 without date_order: exit status"
	grep -qF "    924x received_at: not a valid timestamp (line 2, 3, 4, 5, 6, ...)" nyc-ymd.txt ||
		fail "311 without date_order: $(cat nyc-ymd.txt)"
	grep -qF "      e.g. line 2: received_at: not a valid timestamp '05/01/2022 12:00:03 AM': " nyc-ymd.txt ||
		fail "311 without date_order: no first reject in full: $(cat nyc-ymd.txt)"
	grep -qF "needs date_order = mdy or dmy in a mapping file" nyc-ymd.txt || fail "311: the reason"
	# --write-map offers the date_order line (commented: mdy or dmy is the user's to say) ...
	set +e
	"$PMAUDIT" import --write-map nyc-next.map --map nyc-ymd.map "$NYC" >/dev/null 2>&1
	set -e
	grep -qF "# date_order = mdy    # dates written year last were refused (line 2): mdy if the month comes first (US), dmy if the day does" nyc-next.map ||
		fail "311 --write-map: no date_order line: $(cat nyc-next.map)"
	# ... and once completed, the file reads whole
	sed 's/^# date_order = mdy .*/date_order = mdy/' nyc-next.map >nyc-done.map
	"$PMAUDIT" import --dry-run --map nyc-done.map "$NYC" >nyc-done.txt 2>&1 || fail "311 completed map: $(tail -5 nyc-done.txt)"
	grep -qF "  rows read: 924, would be stored: 924, rejected: 0" nyc-done.txt || fail "311 completed map: $(cat nyc-done.txt)"
	# a mapping file's own date_order is kept
	"$PMAUDIT" import --write-map nyc-again.map --map "$ROOT/maps/nyc-311-complaints.map" "$NYC" >/dev/null 2>&1 ||
		fail "311 --write-map from the shipped map"
	grep -qx "date_order = mdy" nyc-again.map || fail "311 --write-map: date_order not kept"
else
	echo "skipped: the 311 sample is not here"
fi
