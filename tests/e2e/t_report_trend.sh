#!/bin/sh
# report monthly's section 9, the twelve-month trend, now from check_trend()
# (one pass) instead of a check run per month: on the fixtures the table's
# text is what main's engine printed before the change (written down below
# from `make demo`'s out/monthly-2026-10.pdf); on a generated year of data
# every row is what `pmaudit check --month M --json` of that month says,
# formatted as printed; with --as-of the report's own month is as of then.
# The last column is 满意度 (issue 14): a month whose callbacks carry no
# rating prints 无数据 / "no data", never 0% nor "—".
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

# trend_rows PDF: the section's table, one cell a line, from the first month
# on: twelve rows of six cells (the header's cells may wrap; a page break
# inside the table adds the page's footer, header and the repeated header row,
# which are not cells of the rows)
trend_rows() {
	pdftotext "$1" - 2>/dev/null | grep -v '^$' |
		awk '/^(九、近十二个月趋势|9\. Twelve-month trend)$/ { p = 1; next }
		     p && /^[0-9][0-9][0-9][0-9]-[0-9][0-9]$/ { q = 1 }
		     q && n < 72 && /^([0-9][0-9][0-9][0-9]-[0-9][0-9]|[0-9.]+%|—|无数据|no data)$/ { print; n++ }'
}

# rate_cell JSON PATH: a rate as the table prints it, "—" for null
rate_cell() {
	v=$(j "$1" "$2")
	if [ -z "$v" ]; then echo "—"; else echo "$(pct "$v")"; fi
}

# sat_cell JSON: the satisfaction rate as printed, 无数据 / no data for null
sat_cell() {
	v=$(j "$1" '$.satisfaction.rate')
	if [ -n "$v" ]; then echo "$(pct "$v")"; elif [ "$NO_DATA" = en ]; then echo "no data"; else echo "无数据"; fi
}
NO_DATA=zh

# expected_rows DB FIRST_MONTH [--site S]: the twelve rows from one check per month
expected_rows() {
	db=$1 month=$2
	shift 2
	i=0
	while [ $i -lt 12 ]; do
		"$PMAUDIT" check --db "$db" --month "$month" --json "$T/m.json" "$@" >/dev/null ||
			fail "check --month $month failed"
		echo "$month"
		rate_cell "$T/m.json" '$.rules."T-CB-COVERAGE".rate'
		rate_cell "$T/m.json" '$.rules."C-CB-COVERAGE".rate'
		rate_cell "$T/m.json" '$.rules."T-ARRIVE".rate'
		rate_cell "$T/m.json" '$.fees.current_rate'
		sat_cell "$T/m.json"
		month=$(sqlite3 :memory: "SELECT strftime('%Y-%m', '$month-01', '+1 month')")
		i=$((i + 1))
	done
}

# --- the fixtures, against main's text
db="$T/f.db"
import_fixtures "$db"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --company "示例物业服务有限公司" \
	--out "$T/f.pdf" >/dev/null || fail "report monthly on the fixtures failed"
trend_rows "$T/f.pdf" | tr '\n' '|' >"$T/f.rows"
# The months before the data (tickets, complaints and the ledger's payments
# begin in 2026-09) print 无数据 since issue 14; they printed — and 0.00%
# (collection) before. The months with data are main's figures unchanged.
n='无数据|无数据|无数据|无数据|无数据'
main="2025-11|$n|2025-12|$n|2026-01|$n|2026-02|$n|2026-03|$n|2026-04|$n|2026-05|$n|"
main="${main}2026-06|$n|2026-07|$n|2026-08|$n|"'2026-09|83.87%|94.44%|92.31%|76.28%|93.07%|'
main="$main"'2026-10|86.02%|88.89%|85.00%|77.73%|91.96%|'
assert_eq "$main" "$(cat "$T/f.rows")" "fixtures: the trend table as main printed it"

# --- a generated year: every month has records and fees
mkdir -p "$T/gen"
"$PMGEN" --seed 5 --sites 3 --from 2025-11 --to 2026-10 --tickets 4000 --callbacks 4000 \
	--complaints 800 --fees 8000 --out "$T/gen" || fail "pmgen failed"
db="$T/g.db"
"$PMAUDIT" import --db "$db" "$T"/gen/*.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import failed"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/g.pdf" >/dev/null ||
	fail "report monthly failed"
trend_rows "$T/g.pdf" >"$T/g.rows"
expected_rows "$db" 2025-11 >"$T/g.expected"
assert_eq 72 "$(wc -l <"$T/g.expected")" "twelve rows of six cells"
[ "$(grep -c '%' "$T/g.expected")" -eq 60 ] || fail "every month should have all five rates"
diff "$T/g.expected" "$T/g.rows" >"$T/g.diff" || fail "trend rows differ from the month checks: $(head -5 "$T/g.diff")"

# one site, in English
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --site 金桂苑 --lang en --out "$T/s.pdf" >/dev/null ||
	fail "report monthly --site failed"
trend_rows "$T/s.pdf" >"$T/s.rows"
NO_DATA=en expected_rows "$db" 2025-11 --site 金桂苑 >"$T/s.expected"
diff "$T/s.expected" "$T/s.rows" >"$T/s.diff" || fail "site trend rows differ: $(head -5 "$T/s.diff")"
cmp -s "$T/s.rows" "$T/g.rows" && fail "one site's trend should differ from all sites'"

# --as-of inside the month: the last row is the month as of then, the others as of their ends
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --as-of "2026-10-20 00:00:00" --out "$T/a.pdf" >/dev/null ||
	fail "report monthly --as-of failed"
trend_rows "$T/a.pdf" >"$T/a.rows"
"$PMAUDIT" check --db "$db" --month 2026-10 --as-of "2026-10-20 00:00:00" --json "$T/a.json" >/dev/null
{
	head -66 "$T/g.expected"
	echo 2026-10
	rate_cell "$T/a.json" '$.rules."T-CB-COVERAGE".rate'
	rate_cell "$T/a.json" '$.rules."C-CB-COVERAGE".rate'
	rate_cell "$T/a.json" '$.rules."T-ARRIVE".rate'
	rate_cell "$T/a.json" '$.fees.current_rate'
	sat_cell "$T/a.json"
} >"$T/a.expected"
diff "$T/a.expected" "$T/a.rows" >"$T/a.diff" || fail "--as-of trend rows differ: $(head -5 "$T/a.diff")"
cmp -s "$T/a.rows" "$T/g.rows" && fail "the as-of time should change October's row"
# A month whose callbacks carry no rating (the result column left empty in
# 2026-06): its satisfaction is 无数据 while its other rates are printed.
sqlite3 "$db" "UPDATE callbacks SET result = NULL WHERE callback_at >= '2026-06-01' AND callback_at < '2026-07-01'"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/u.pdf" >/dev/null || fail "report monthly, unrated June"
trend_rows "$T/u.pdf" | tr '\n' '|' >"$T/u.rows"
grep -q '|2026-06|[0-9.]*%|[0-9.]*%|[0-9.]*%|[0-9.]*%|无数据|2026-07|' "$T/u.rows" ||
	fail "June without ratings: $(tr '|' ' ' <"$T/u.rows" | grep -o '2026-06.*2026-07')"
"$PMAUDIT" check --db "$db" --month 2026-06 --json "$T/u.json" >/dev/null
assert_eq "" "$(j "$T/u.json" '$.satisfaction.rate')" "June's satisfaction rate is null"
[ "$(j "$T/u.json" '$.satisfaction.unrated')" -gt 0 ] || fail "June's callbacks are unrated"
exit 0
