# The fixtures' October 2026 JSON summary, figure by figure.
#
# Every expected number below was worked out by hand from the fixture rows
# with plain SQL written independently of rules/ (the queries are in this
# file: each "oracle" recomputes a figure from the raw tables the simplest
# way RULES.md allows), then written down. The test checks both: the oracle
# still gives the number (the fixtures did not drift) and the engine's JSON
# gives it too.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMAUDIT" import --db f.db "$ROOT"/fixtures/*.csv >/dev/null 2>&1
[ $? -le 1 ] || fail "import of the fixtures failed"
"$PMAUDIT" check --db f.db --month 2026-10 --json f.json >/dev/null || fail "check failed"

# j PATH: one value of the JSON summary (sqlite3's JSON functions read it).
j() { sqlite3 :memory: "SELECT json_extract(readfile('f.json'), '\$.$1')"; }
# rule ID met breached pending rate
rule() {
	assert_eq "$2" "$(j "rules.\"$1\".met")" "$1 met"
	assert_eq "$3" "$(j "rules.\"$1\".breached")" "$1 breached"
	assert_eq "$4" "$(j "rules.\"$1\".pending")" "$1 pending"
	assert_eq "$5" "$(j "rules.\"$1\".rate")" "$1 rate"
}
cover() {
	assert_eq "$2" "$(j "rules.\"$1\".numerator")" "$1 numerator"
	assert_eq "$3" "$(j "rules.\"$1\".denominator")" "$1 denominator"
	assert_eq "$4" "$(j "rules.\"$1\".rate")" "$1 rate"
}
AS_OF="2026-11-01 00:00:00"

assert_eq "2026-10-01 00:00:00" "$(j from)" "from"
assert_eq "2026-11-01 00:00:00" "$(j to)" "to"
assert_eq "$AS_OF" "$(j as_of)" "as_of"

# --- deadline rules on callbacks: start completed_at (leak: leak_test_at),
# end the first callback at or after the start and by the as-of time.
oracle_cb() { # category-filter limit
	q f.db "WITH t AS (SELECT completed_at c, coalesce(CASE WHEN category='渗漏水' THEN leak_test_at END, completed_at) s,
	  (SELECT min(callback_at) FROM callbacks b WHERE b.ref_kind='ticket' AND b.ref_id=ticket_id
	     AND b.callback_at>=coalesce(CASE WHEN category='渗漏水' THEN leak_test_at END, completed_at)
	     AND b.callback_at<='$AS_OF') cb
	  FROM tickets WHERE $1)
	SELECT sum(cb IS NOT NULL AND cb<=datetime(s,'$2'))||' '||
	  sum((cb IS NOT NULL AND cb>datetime(s,'$2')) OR (cb IS NULL AND datetime(s,'$2')<'$AS_OF'))||' '||
	  sum(cb IS NULL AND datetime(s,'$2')>='$AS_OF')
	FROM t WHERE s>='2026-10-01' AND s<'2026-11-01'"
}
assert_eq "5 1 0" "$(oracle_cb "category='安全设施'" '+2 days')" "oracle T-CB-SAFETY"
assert_eq "12 2 0" "$(oracle_cb "category='渗漏水'" '+3 days')" "oracle T-CB-LEAK"
assert_eq "55 15 5" "$(oracle_cb "category NOT IN ('安全设施','渗漏水')" '+2 days')" "oracle T-CB-OTHER"
rule T-CB-SAFETY 5 1 0 0.8333
rule T-CB-LEAK 12 2 0 0.8571
rule T-CB-OTHER 55 15 5 0.7857

# --- arrival: 20 urgent tickets reported in October, 17 on site within 15 minutes.
assert_eq "17|20" "$(q f.db "SELECT sum(arrived_at<=datetime(reported_at,'+15 minutes') AND arrived_at<='$AS_OF'), count(*)
	FROM tickets WHERE urgent=1 AND reported_at>='2026-10-01' AND reported_at<'2026-11-01'")" "oracle T-ARRIVE"
rule T-ARRIVE 17 3 0 0.85

# --- complaints: 19 valid in October (16 minor, 2 important, 1 major).
assert_eq "important:2 major:1 minor:16" "$(q f.db "SELECT group_concat(level||':'||n, ' ') FROM (SELECT level, count(*) n
	FROM complaints WHERE valid=1 AND received_at>='2026-10-01' AND received_at<'2026-11-01' GROUP BY level ORDER BY level)")" \
	"oracle complaints by level"
oracle_c() { # level-filter end-column deadline-expression
	q f.db "WITH c AS (SELECT CASE WHEN $2<='$AS_OF' THEN $2 END e, $3 d FROM complaints
	  WHERE valid=1 AND $1 AND received_at>='2026-10-01' AND received_at<'2026-11-01')
	SELECT sum(e IS NOT NULL AND e<=d)||' '||sum((e IS NOT NULL AND e>d) OR (e IS NULL AND d<'$AS_OF'))||' '||
	  sum(e IS NULL AND d>='$AS_OF') FROM c"
}
assert_eq "15 4 0" "$(oracle_c 1 responded_at "datetime(received_at,'+30 minutes')")" "oracle C-RESPOND"
assert_eq "11 4 1" "$(oracle_c "level='minor'" resolved_at "coalesce(requested_by, datetime(received_at,'+2 days'))")" \
	"oracle C-MINOR-RESOLVE"
assert_eq "1 0 0" "$(oracle_c "level='major'" escalated_at "date(received_at)||' 23:59:59'")" "oracle C-MAJOR-ESCALATE"
rule C-RESPOND 15 4 0 0.7895
rule C-MAJOR-ESCALATE 1 0 0 1.0
rule C-MAJOR-REPLY 1 0 0 1.0
rule C-MAJOR-RESOLVE 1 0 0 1.0
rule C-IMPORTANT-ESCALATE 2 0 0 1.0
rule C-IMPORTANT-RESOLVE 1 0 1 1.0
rule C-MINOR-RESOLVE 11 4 1 0.7333

# --- coverage
assert_eq "80|93" "$(q f.db "SELECT sum(EXISTS(SELECT 1 FROM callbacks b WHERE b.ref_kind='ticket' AND b.ref_id=ticket_id
	AND b.callback_at>=completed_at AND b.callback_at<='$AS_OF')), count(*) FROM tickets
	WHERE completed_at>='2026-10-01' AND completed_at<'2026-11-01'")" "oracle T-CB-COVERAGE"
assert_eq "16|18" "$(q f.db "SELECT sum(EXISTS(SELECT 1 FROM callbacks b WHERE b.ref_kind='complaint' AND b.ref_id=complaint_id
	AND b.callback_at>=resolved_at AND b.callback_at<='$AS_OF')), count(*) FROM complaints
	WHERE valid=1 AND resolved_at>='2026-10-01' AND resolved_at<'2026-11-01'")" "oracle C-CB-COVERAGE"
assert_eq "4|5" "$(q f.db "SELECT sum(EXISTS(SELECT 1 FROM callbacks b WHERE b.ref_kind='ticket' AND b.ref_id=ticket_id
	AND b.callback_at>=completed_at AND b.callback_at<='$AS_OF' AND role IN ('主管','主任','经理'))), count(*) FROM tickets
	WHERE paid=1 AND charge>=20000 AND completed_at>='2026-10-01' AND completed_at<'2026-11-01'")" "oracle T-PAID-SUPERVISOR"
cover T-CB-COVERAGE 80 93 0.8602
cover C-CB-COVERAGE 16 18 0.8889
cover T-PAID-SUPERVISOR 4 5 0.8
# Weekly paid-repair callbacks: ISO weeks 40-44 of 2026 (W44 holds 26-31 October only).
for w in "0 2026-W40 4 5 0.8 1" "1 2026-W41 7 7 1.0 1" "2 2026-W42 8 9 0.8889 1" \
	 "3 2026-W43 4 4 1.0 1" "4 2026-W44 2 5 0.4 0"; do
	set -- $w
	assert_eq "$2" "$(j "rules.\"T-PAID-CB-WEEKLY\".weeks[$1].week")" "week $1"
	assert_eq "$3" "$(j "rules.\"T-PAID-CB-WEEKLY\".weeks[$1].numerator")" "$2 numerator"
	assert_eq "$4" "$(j "rules.\"T-PAID-CB-WEEKLY\".weeks[$1].denominator")" "$2 denominator"
	assert_eq "$5" "$(j "rules.\"T-PAID-CB-WEEKLY\".weeks[$1].rate")" "$2 rate"
	assert_eq "$6" "$(j "rules.\"T-PAID-CB-WEEKLY\".weeks[$1].met")" "$2 met"
done

# --- F-LETTER: 15 accounts past L = first phone/SMS reminder + 3 months.
assert_eq "7|1|7" "$(q f.db "WITH acct AS (SELECT site, room, fee_item FROM fees GROUP BY 1,2,3
	  HAVING sum(CASE WHEN kind='charge' THEN amount WHEN kind IN ('payment','waiver') AND at<='$AS_OF' THEN -amount ELSE 0 END)>0),
	l AS (SELECT a.*, datetime((SELECT min(at) FROM fees f WHERE f.kind='reminder' AND f.site=a.site AND f.room=a.room
	  AND f.fee_item=a.fee_item AND f.method IN ('电话','短信') AND f.at<='$AS_OF'),'+3 months') L FROM acct a),
	e AS (SELECT *, (SELECT min(at) FROM fees f WHERE f.kind='reminder' AND f.site=l.site AND f.room=l.room
	  AND f.fee_item=l.fee_item AND f.method IN ('函件','特快专递') AND f.at<=min('$AS_OF', datetime(L,'+7 days'))) letter
	  FROM l WHERE L<'$AS_OF')
	SELECT sum(letter IS NOT NULL), sum(letter IS NULL AND '$AS_OF'<=datetime(L,'+7 days')),
	  sum(letter IS NULL AND '$AS_OF'>datetime(L,'+7 days')) FROM e")" "oracle F-LETTER"
rule F-LETTER 7 7 1 0.5

# --- fees (cents). Due = October charges - October waivers; paid = payments for
# October charges by the as-of time; arrears = per charge of an earlier period,
# what it still owed on 1 October (an overpaid charge owes 0, it does not offset
# another); recovered = payments in October for earlier periods.
assert_eq "5654825|4395700" "$(q f.db "SELECT sum(CASE kind WHEN 'charge' THEN amount WHEN 'waiver' THEN -amount END),
	sum(CASE WHEN kind='payment' AND at<='$AS_OF' THEN amount END) FROM fees WHERE period='2026-10'")" "oracle due/paid"
assert_eq "3468955" "$(q f.db "SELECT sum(max(o,0)) FROM (SELECT sum(CASE WHEN kind='charge' THEN amount ELSE -amount END) o
	FROM fees WHERE period<'2026-10' AND (kind='charge' OR (kind IN ('payment','waiver') AND at<'2026-10-01 00:00:00'))
	GROUP BY site, room, fee_item, period)")" "oracle arrears at the start"
assert_eq "352800" "$(q f.db "SELECT sum(amount) FROM fees WHERE period<'2026-10' AND kind='payment'
	AND at>='2026-10-01' AND at<'2026-11-01'")" "oracle recovered"
assert_eq 5654825 "$(j fees.due_cents)" "due"
assert_eq 4395700 "$(j fees.paid_cents)" "paid"
assert_eq 0.7773 "$(j fees.current_rate)" "current rate"
assert_eq 3468955 "$(j fees.arrears_start_cents)" "arrears at the start"
assert_eq 352800 "$(j fees.recovered_cents)" "recovered"
assert_eq 0.1017 "$(j fees.recovery_rate)" "recovery rate"
# Aging at the as-of time, all outstanding charges by days past due_date.
assert_eq "4375280" "$(q f.db "SELECT sum(o) FROM (SELECT f.amount - coalesce((SELECT sum(amount) FROM fees p
	WHERE p.kind IN ('payment','waiver') AND p.site=f.site AND p.room=f.room AND p.fee_item=f.fee_item
	AND p.period=f.period AND p.at<='$AS_OF'),0) o, julianday('2026-11-01')-julianday(f.due_date) days
	FROM fees f WHERE kind='charge') WHERE o>0 AND days>=1")" "oracle aging total"
assert_eq 1259125 "$(j 'fees.aging_cents."1-30"')" "aging 1-30"
assert_eq 1476055 "$(j 'fees.aging_cents."31-90"')" "aging 31-90"
assert_eq 771850 "$(j 'fees.aging_cents."91-180"')" "aging 91-180"
assert_eq 746750 "$(j 'fees.aging_cents."181-365"')" "aging 181-365"
assert_eq 121500 "$(j 'fees.aging_cents."365+"')" "aging 365+"

# --- volumes
assert_eq "100|19|112" "$(q f.db "SELECT (SELECT count(*) FROM tickets WHERE reported_at>='2026-10-01' AND reported_at<'2026-11-01'),
	(SELECT count(*) FROM complaints WHERE received_at>='2026-10-01' AND received_at<'2026-11-01'),
	(SELECT count(*) FROM callbacks WHERE callback_at>='2026-10-01' AND callback_at<'2026-11-01')")" "oracle volumes"
assert_eq 100 "$(j volumes.tickets)" "tickets"
assert_eq 19 "$(j volumes.complaints)" "complaints"
assert_eq 112 "$(j volumes.callbacks)" "callbacks"
assert_eq 1 "$(j volumes.orphan_callbacks)" "orphan callbacks"
