#!/bin/sh
# report monthly on the fixtures: a valid PDF whose figures are those of the
# JSON summary (`pmaudit check --json`) of the same period, formatted as
# printed; six charts; bookmarks; the same bytes twice; the breach CSV.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/s.json" >/dev/null
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m.pdf" --charts "$T/charts" >"$T/out" ||
	fail "report monthly failed"
assert_eq "$T/m.pdf" "$(cat "$T/out")" "report prints the PDF path"
qpdf --check "$T/m.pdf" >/dev/null || fail "qpdf --check"
pdf_text "$T/m.pdf" "$T/m.txt"

# Every rule's rate, and its counts as the sentence prints them.
sqlite3 :memory: "SELECT key FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules'))" >"$T/rules"
[ "$(wc -l <"$T/rules")" -ge 15 ] || fail "expected the 16 default rules in the JSON"
while read -r id; do
	rate=$(j "$T/s.json" "\$.rules.\"$id\".rate")
	kind=$(j "$T/s.json" "\$.rules.\"$id\".kind")
	[ -n "$rate" ] && has "$T/m.txt" "$(pct "$rate")" "$id rate"
	has "$T/m.txt" "$id" "$id listed"
	case $kind in
	deadline|letter)
		met=$(j "$T/s.json" "\$.rules.\"$id\".met")
		br=$(j "$T/s.json" "\$.rules.\"$id\".breached")
		pe=$(j "$T/s.json" "\$.rules.\"$id\".pending")
		has "$T/m.txt" "按时 $met 条，超时 $br 条，待定 $pe 条" "$id counts" ;;
	coverage)
		has "$T/m.txt" "$(j "$T/s.json" "\$.rules.\"$id\".numerator") / $(j "$T/s.json" "\$.rules.\"$id\".denominator")" "$id fraction" ;;
	esac
done <"$T/rules"
# The weekly rule's weeks.
sqlite3 :memory: "SELECT json_extract(value, '\$.week') || ' ' || json_extract(value, '\$.rate')
	FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules.\"T-PAID-CB-WEEKLY\".weeks'))" |
while read -r week rate; do
	has "$T/m.txt" "$week" "week $week"
	has "$T/m.txt" "$(pct "$rate")" "week $week rate"
done
weeks=$(sqlite3 :memory: "SELECT COUNT(*) FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules.\"T-PAID-CB-WEEKLY\".weeks'))")
met=$(sqlite3 :memory: "SELECT COUNT(*) FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules.\"T-PAID-CB-WEEKLY\".weeks')) WHERE json_extract(value, '\$.met')")
has "$T/m.txt" "共 $weeks 周，其中 $met 周达到" "weeks met"
# Fees, aging, volumes.
for k in due_cents paid_cents arrears_start_cents recovered_cents; do
	has "$T/m.txt" "$(money "$(j "$T/s.json" "\$.fees.$k")")" "fees.$k"
done
has "$T/m.txt" "当期收缴率 $(pct "$(j "$T/s.json" '$.fees.current_rate')")" "current collection rate"
has "$T/m.txt" "清欠率 $(pct "$(j "$T/s.json" '$.fees.recovery_rate')")" "recovery rate"
for b in 1-30 31-90 91-180 181-365 365+; do
	has "$T/m.txt" "$(money "$(j "$T/s.json" "\$.fees.aging_cents.\"$b\"")")" "aging $b"
done
has "$T/m.txt" "共受理业主报修 $(count "$(j "$T/s.json" '$.volumes.tickets')") 例、投诉 $(count "$(j "$T/s.json" '$.volumes.complaints')") 宗，完成回访 $(count "$(j "$T/s.json" '$.volumes.callbacks')") 次" "volumes"
has "$T/m.txt" "找不到对应报修或投诉记录的回访：$(j "$T/s.json" '$.volumes.orphan_callbacks') 条" "orphan callbacks"
# Letters due now: each account of the JSON's action list.
sqlite3 :memory: "SELECT json_extract(value, '\$.account') FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules.\"F-LETTER\".letters_due'))" |
while read -r account; do has "$T/m.txt" "$account" "letter due"; done
# Cover: period, as-of, the fixture files' SHA-256.
has "$T/m.txt" "月度合规稽核报告" "title"
has "$T/m.txt" "2026-10-01 至 2026-10-31" "period"
has "$T/m.txt" "$(sha256sum "$ROOT/fixtures/tickets.csv" | cut -c1-64)" "fingerprint"
pages=$(pdfinfo "$T/m.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
tr -d ' ' <"$T/m.txt" | grep -qF "第${pages}页/共${pages}页" || fail "page footer of the last page"

# Charts: daily volumes, by site, repair categories, complaint categories, aging, trend.
assert_eq 6 "$(images "$T/m.pdf")" "charts in the PDF"
assert_eq 6 "$(ls "$T/charts"/*.png | wc -l)" "chart files kept with --charts"
outline_has "$T/m.pdf" "一、总体情况"
outline_has "$T/m.pdf" "七、物业费收缴"
outline_has "$T/m.pdf" "T-CB-SAFETY  安全设施维修2天内回访"

# The breach CSV: UTF-8 BOM, one row per breached or pending record.
csv="$T/m-breaches.csv"
[ "$(head -c 3 "$csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "breach CSV has no BOM"
want=$(sqlite3 :memory: "SELECT SUM(COALESCE(json_extract(value, '\$.breached'), 0) + COALESCE(json_extract(value, '\$.pending'), 0))
	FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules')) WHERE json_extract(value, '\$.kind') IN ('deadline', 'letter')")
got=$(grep -c -E ',(超时|待定),' "$csv")
[ "$got" -ge "$want" ] || fail "breach CSV: $got rows, want at least $want"

# Same input, same bytes (also after more check runs were stored; the
# file name is printed in the appendix, so the same name in another folder).
mkdir -p "$T/again"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/again/m.pdf" >/dev/null
cmp "$T/m.pdf" "$T/again/m.pdf" || fail "two runs differ"

# English, one site, as-of inside the month.
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --site 翠湖花园 --lang en --company "Acme PM" \
	--as-of "2026-10-20 12:00" --out "$T/en.pdf" >/dev/null
"$PMAUDIT" check --db "$db" --month 2026-10 --site 翠湖花园 --as-of "2026-10-20 12:00" --json "$T/en.json" >/dev/null
pdf_text "$T/en.pdf" "$T/en.txt"
has "$T/en.txt" "Monthly Compliance Audit" "English title"
has "$T/en.txt" "Acme PM · 翠湖花园" "company and site"
has "$T/en.txt" "2026-10-20 12:00:00" "as-of"
has "$T/en.txt" "$(pct "$(j "$T/en.json" '$.rules."T-CB-OTHER".rate')")" "site rate"
has "$T/en.txt" "$(money "$(j "$T/en.json" '$.fees.due_cents')")" "site due"
outline_has "$T/en.pdf" "1. Summary"

# A month without any records still makes a valid report.
"$PMAUDIT" report monthly --db "$db" --month 2030-01 --out "$T/empty.pdf" >/dev/null || fail "empty month"
qpdf --check "$T/empty.pdf" >/dev/null || fail "qpdf --check on the empty month"
pdftotext "$T/empty.pdf" - 2>/dev/null | grep -q gnuplot && fail "a gnuplot error in the empty month"

# Errors name the problem.
if "$PMAUDIT" report monthly --db "$db" --month 2026-13 --out "$T/x.pdf" 2>"$T/err"; then fail "bad month accepted"; fi
grep -q "2026-13" "$T/err" || fail "bad month not named"
if "$PMAUDIT" report monthly --db "$T/none.db" --month 2026-10 --out "$T/x.pdf" 2>"$T/err"; then fail "missing db accepted"; fi
[ ! -e "$T/none.db" ] || fail "a missing database was created"
"$PMAUDIT" report --help | grep -q "inspection" || fail "report --help"
echo ok
