#!/bin/sh
# report annual: the year's totals in sentences, as in the JSON summary of
# `pmaudit check --year`; month-by-month charts; byte-identical reruns.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
mkdir -p "$T/a" "$T/b"
"$PMAUDIT" report annual --db "$db" --year 2026 --out "$T/a/y.pdf" >/dev/null || fail "report annual"
"$PMAUDIT" report annual --db "$db" --year 2026 --out "$T/b/y.pdf" >/dev/null
qpdf --check "$T/a/y.pdf" >/dev/null || fail "qpdf --check"
cmp "$T/a/y.pdf" "$T/b/y.pdf" || fail "two runs differ"
"$PMAUDIT" check --db "$db" --year 2026 --json "$T/s.json" >/dev/null
pdf_text "$T/a/y.pdf" "$T/y.txt"
has "$T/y.txt" "全年共处理业主报修 $(count "$(j "$T/s.json" '$.volumes.tickets')") 例" "tickets"
has "$T/y.txt" "受理业主投诉 $(count "$(j "$T/s.json" '$.volumes.complaints')") 宗" "complaints"
# 物业管理费 is the management fee alone (before issue 14 it was all items' paid,
# 停车费 and 垃圾清运费 included); the other items follow it, then all items.
has "$T/y.txt" "收取物业管理费共计 $(money "$(j "$T/s.json" '$.fees.by_item.物业管理费.paid_cents')")" "management fee paid"
has "$T/y.txt" "本年应收 $(money "$(j "$T/s.json" '$.fees.by_item.物业管理费.due_cents')")" "management fee due"
# (a line may break anywhere in the sentence: compare without spaces and line ends)
tr -d ' \n' < "$T/y.txt" > "$T/y.flat"
has "$T/y.flat" "另收取停车费$(money "$(j "$T/s.json" '$.fees.by_item.停车费.paid_cents')")" "parking fee"
has "$T/y.flat" "、垃圾清运费$(money "$(j "$T/s.json" '$.fees.by_item.垃圾清运费.paid_cents')")；" "refuse fee"
has "$T/y.txt" "各项费用合计实收 $(money "$(j "$T/s.json" '$.fees.paid_cents')")" "all items paid"
[ "$(j "$T/s.json" '$.fees.by_item.物业管理费.paid_cents')" -lt "$(j "$T/s.json" '$.fees.paid_cents')" ] ||
	fail "the management fee is not all items"
assert_eq "$(j "$T/s.json" '$.fees.paid_cents')" "$(sqlite3 :memory: "SELECT sum(json_extract(value, '\$.paid_cents'))
	FROM json_each(json_extract(readfile('$T/s.json'), '\$.fees.by_item'))")" "the items' paid add up"
assert_eq "$(j "$T/s.json" '$.fees.due_cents')" "$(sqlite3 :memory: "SELECT sum(json_extract(value, '\$.due_cents'))
	FROM json_each(json_extract(readfile('$T/s.json'), '\$.fees.by_item'))")" "the items' due add up"
has "$T/y.txt" "当期收缴率 $(pct "$(j "$T/s.json" '$.fees.current_rate')")" "collection rate"
has "$T/y.txt" "维修回访率 $(pct "$(j "$T/s.json" '$.rules."T-CB-COVERAGE".rate')")" "callback coverage"
top=$(q "$db" "SELECT category FROM tickets WHERE reported_at LIKE '2026-%' GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
has "$T/y.txt" "主要集中在$top" "top repair category"
# Each month's figures are those of that month's own check.
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/oct.json" >/dev/null
has "$T/y.txt" "$(money "$(j "$T/oct.json" '$.fees.due_cents')")" "October due"
# The twelve months come from the engine's one pass over the year (check_trend),
# not from a run per month: the two reports stored no month's run (issue 16).
# October's own check above is the only one.
months="SELECT run_id FROM check_runs WHERE from_ts LIKE '2026-__-01 00:00:00'
	AND to_ts = datetime(from_ts, '+1 month')"
assert_eq 1 "$(q "$db" "SELECT count(*) FROM ($months)")" "no month runs stored by the reports"
# November, where the data ends, is judged as of the report's as-of time, as
# its own check (as of the data's end) judges it: its row of the month table
# and of the rates table.
"$PMAUDIT" check --db "$db" --month 2026-11 --json "$T/nov.json" >/dev/null 2>&1
pdftotext -layout "$T/a/y.pdf" - 2>/dev/null | grep '^ *2026-11 ' > "$T/nov.rows"
has "$T/nov.rows" " $(count "$(j "$T/nov.json" '$.volumes.tickets')") " "November tickets"
has "$T/nov.rows" " $(count "$(j "$T/nov.json" '$.volumes.callbacks')") " "November callbacks"
has "$T/nov.rows" "$(money "$(j "$T/nov.json" '$.fees.paid_cents')")" "November paid"
has "$T/nov.rows" "$(pct "$(j "$T/nov.json" '$.rules."T-CB-COVERAGE".rate')")" "November callback coverage"
has "$T/nov.rows" "$(pct "$(j "$T/nov.json" '$.fees.current_rate')")" "November collection rate"
# The year's run stores of its records only the ledger's, which the PDF lists
# (aging by site, demand letters); the figures are a full run's (above).
year="SELECT run_id FROM check_runs WHERE from_ts = '2026-01-01 00:00:00'
	AND to_ts = '2027-01-01 00:00:00' AND summary_json LIKE '%\"records\": \"accounts\"%'"
assert_eq 2 "$(q "$db" "SELECT count(*) FROM ($year)")" "two reports' year runs, ledger records only"
assert_eq 0 "$(q "$db" "SELECT count(*) FROM check_records WHERE run_id IN ($year)
	AND record_kind <> 'account'")" "no ticket, complaint or callback record stored"
[ "$(q "$db" "SELECT count(*) FROM check_records WHERE run_id IN ($year)
	AND rule_id IN ('F-AGING', 'F-LETTER')")" -gt 0 ] || fail "the ledger's records are stored"
# Charts: volumes, fees, rates per month; repair and complaint categories; aging.
assert_eq 6 "$(images "$T/a/y.pdf")" "charts in the PDF"
outline_has "$T/a/y.pdf" "一、全年工作概况"
outline_has "$T/a/y.pdf" "四、主要报修与投诉类别"
if "$PMAUDIT" report annual --db "$db" --year 26 --out "$T/x.pdf" 2>/dev/null; then fail "year 26 accepted"; fi
echo ok
