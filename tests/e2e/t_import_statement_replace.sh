# A fee statement's bills replace their events (MAPPING.md "Fee statements",
# etl/bills.h): a later statement of the same bill that no longer shows a
# payment (reversed) or a waiver (cancelled) removes that event, so the
# bill's events are the newer statement's, under the same stable ids; a
# bill the later statement does not list keeps its events. The fee figures
# of check --json before and after, and equal to those of a database that
# holds the corrected statement alone; the fee ledger kept right by the
# import itself (not stale), on both of its upkeep paths (whole rebuild, and
# the accounts a small file touched in a large table).
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
cd "$T"
set -e
M="$ROOT/maps/fee-statement.map"
OCT="$ROOT/fixtures/exports/收费明细-2026-10.csv"
imp() { # db file...: exit status 0 or 1 (the October statement has two bad bills)
	db=$1; shift
	set +e
	"$PMAUDIT" import --db "$db" --map "$M" "$@" >out.txt 2>err.txt
	rc=$?
	set -e
	[ "$rc" -le 1 ] || fail "import $*: $(cat err.txt)"
}
fees() { # db: the fee figures of October at the statement's site, as of the end of November
	"$PMAUDIT" check --db "$1" --month 2026-10 --as-of 2026-11-30 --site 阳明花园A区 --json "$1.json" >/dev/null 2>&1 ||
		fail "check $1"
	for k in charged_cents waived_cents due_cents paid_cents current_rate aging_cents.1-30; do
		printf '%s=%s ' "$k" "$(j "$1.json" "\$.fees.$k")"
	done
}
# The same bills exported again for October, corrected: ZD202610001's payment
# reversed (paid 0, all in arrears), ZD202610003's waiver cancelled (the 100.00
# now in arrears). The other bills are not listed.
cat >fix.csv <<'CSV'
账单编号,项目,房号,收费项目,所属期间,应收金额,减免金额,实收金额,缴费日期,欠费金额,托管
ZD202610001,阳明花园A区,1栋1单元101,物业管理费,2026-10,"1,257.50",0.00,0.00,-,"1,257.50",非托管
ZD202610003,阳明花园A区,1栋1单元201,物业管理费,2026-10,980.00,0.00,880.00,2026/10/15 下午 3:05,100.00,非托管
CSV
# The October statement as it would have been exported corrected in full.
sed -e 's/^ZD202610001,.*/ZD202610001,阳明花园A区,1栋1单元101,物业管理费,2026-10,"1,257.50",0.00,0.00,-,"1,257.50",非托管/' \
    -e 's/^ZD202610003,.*/ZD202610003,阳明花园A区,1栋1单元201,物业管理费,2026-10,980.00,0.00,880.00,2026\/10\/15 下午 3:05,100.00,非托管/' \
    "$OCT" >oct-corrected.csv
grep -q '^ZD202610001,.*,0.00,-,"1,257.50"' oct-corrected.csv || fail "oct-corrected.csv not written"

for path in rebuild touched; do
	db=$path.db
	ref=$path-ref.db
	if [ "$path" = touched ]; then
		# 2000 events of other accounts first: the statement is then a small
		# file in a large table, whose ledger accounts are updated one by one
		awk 'BEGIN { print "entry_id,site,room,fee_item,period,kind,amount,at";
			for (i = 0; i < 1000; i++) {
				printf "B%d,其他小区,%d,物业管理费,2026-10,charge,100.00,2026-10-01 00:00:00\n", i, i;
				printf "P%d,其他小区,%d,物业管理费,2026-10,payment,100.00,2026-10-05 00:00:00\n", i, i } }' >other.csv
		"$PMAUDIT" import --db "$db" other.csv >/dev/null 2>&1 || fail "other.csv"
		"$PMAUDIT" import --db "$ref" other.csv >/dev/null 2>&1 || fail "other.csv (ref)"
	fi
	imp "$db" "$OCT"
	before=$(fees "$db")
	assert_eq 9 "$(q "$db" "SELECT count(*) FROM fees WHERE entry_id LIKE 'ZD%'")" "$path: October's events"
	# figures before: ZD001 paid, ZD003 waived 100.00 and paid 880.00
	case "$before" in
	*"waived_cents=10000 "*"paid_cents=214750 "*) ;;
	*) fail "$path: figures before: $before" ;;
	esac
	imp "$db" fix.csv
	assert_eq 0 "$rc" "$path: the correction's exit status"
	grep -qxF "fix.csv: fees, 2 rows read, 0 inserted, 0 updated, 3 unchanged, 0 rejected, $(sed -n 's/.*unchanged, 0 rejected, //p' out.txt | head -1)" out.txt ||
		fail "$path: the correction's counts: $(cat out.txt)"
	grep -qxF "fix.csv: 2 waiver or payment event(s) removed: their bills' rows in this statement no longer show them (a bill's events are its latest statement's)" out.txt ||
		fail "$path: the removal is not said: $(cat out.txt)"
	assert_eq "ZD202610001#charge ZD202610003#charge ZD202610003#payment" \
		"$(q "$db" "SELECT group_concat(entry_id, ' ') FROM (SELECT entry_id FROM fees
			WHERE entry_id LIKE 'ZD202610001#%' OR entry_id LIKE 'ZD202610003#%' ORDER BY 1)")" \
		"$path: the corrected bills' events"
	# a bill the correction does not list keeps its events
	assert_eq "ZD202610004#charge ZD202610004#payment" \
		"$(q "$db" "SELECT group_concat(entry_id, ' ') FROM (SELECT entry_id FROM fees
			WHERE entry_id LIKE 'ZD202610004#%' ORDER BY 1)")" "$path: an unlisted bill"
	# the import kept the ledger: not stale, and the figures those of the corrected statement alone
	assert_eq 0 "$(q "$db" 'SELECT stale FROM fee_ledger_state')" "$path: ledger not stale"
	after=$(fees "$db")
	# figures after: 1257.50 paid less, 100.00 waived less, due 100.00 more
	case "$after" in
	*"charged_cents=391850 waived_cents=0 due_cents=391850 paid_cents=89000 "*) ;;
	*) fail "$path: figures after: $after" ;;
	esac
	imp "$ref" oct-corrected.csv
	assert_eq "$(fees "$ref")" "$after" "$path: the figures equal the corrected statement's alone"
	assert_eq "$(q "$ref" 'SELECT site, room, fee_item, hex(events) FROM fee_ledger ORDER BY 1, 2, 3')" \
		"$(q "$db" 'SELECT site, room, fee_item, hex(events) FROM fee_ledger ORDER BY 1, 2, 3')" \
		"$path: the ledger equals the corrected statement's"
	# the same correction again changes nothing, removes nothing
	imp "$db" fix.csv
	! grep -q "removed" out.txt || fail "$path: a second import removed something: $(cat out.txt)"
	grep -qF "2 rows read, 0 inserted, 0 updated, 3 unchanged" out.txt || fail "$path: again: $(cat out.txt)"
	# the original statement again: the payment and the waiver are back, the figures as before
	imp "$db" "$OCT"
	grep -qF "2 inserted" out.txt || fail "$path: the original again: $(cat out.txt)"
	assert_eq "$before" "$(fees "$db")" "$path: the original statement's figures again"
done
echo ok
