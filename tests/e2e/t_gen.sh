#!/bin/sh
# pmgen: deterministic, counts as asked, well-formed CSV with the DATA.md
# headers; fixtures/ is exactly what tools/make-fixtures.sh makes.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"

gen() { "$PMGEN" --sites 4 --from 2026-09 --to 2026-11 --tickets 2000 --complaints 333 "$@"; }

# csv_check FILE FIELDS: every record (quotes may hold commas and line
# breaks) has FIELDS fields; prints the number of records after the header.
csv_check() {
	awk -v want="$2" -v file="$1" '
	{
		line = (inq ? line "\n" : "") $0
		n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (c == "\"") inq = !inq
			else if (c == "," && !inq) fields++
		}
		if (inq) next
		if (fields + 1 != want) { printf "%s:%d: %d fields, want %d\n", file, NR, fields + 1, want; bad = 1; exit 1 }
		fields = 0; records++
	}
	END { if (bad) exit 1; if (inq) { print file ": unterminated quote"; exit 1 }; print records - 1 }' "$1"
}

mkdir -p "$T/a" "$T/b" "$T/c" "$T/zh"
gen --seed 42 --out "$T/a"
gen --seed 42 --out "$T/b"
gen --seed 43 --out "$T/c"
for f in tickets complaints callbacks fees; do
	cmp -s "$T/a/$f.csv" "$T/b/$f.csv" || fail "$f.csv differs between two runs with the same seed"
	cmp -s "$T/a/$f.csv" "$T/c/$f.csv" && fail "$f.csv is the same for seeds 42 and 43"
done

# --only writes the same log to standard output.
gen --seed 42 --only complaints >"$T/only.csv"
cmp -s "$T/only.csv" "$T/a/complaints.csv" || fail "--only complaints differs from --out"

# Canonical English headers (DATA.md field names, DATA.md order).
assert_eq "ticket_id,site,room,category,urgent,paid,charge,reported_at,dispatched_at,arrived_at,completed_at,leak_test_at,technician" \
	"$(head -n 1 "$T/a/tickets.csv")" "tickets header"
assert_eq "complaint_id,site,room,channel,level,category,department,received_at,responded_at,escalated_at,replied_at,resolved_at,requested_by,valid,summary" \
	"$(head -n 1 "$T/a/complaints.csv")" "complaints header"
assert_eq "callback_id,site,ref_kind,ref_id,callback_at,method,staff,role,result,problem_found" \
	"$(head -n 1 "$T/a/callbacks.csv")" "callbacks header"
assert_eq "entry_id,site,room,fee_item,period,kind,amount,at,due_date,method,custody" \
	"$(head -n 1 "$T/a/fees.csv")" "fees header"

# Well-formed and as many rows as asked.
assert_eq 2000 "$(csv_check "$T/a/tickets.csv" 13)" "ticket rows"
assert_eq 333 "$(csv_check "$T/a/complaints.csv" 15)" "complaint rows"
cbs=$(csv_check "$T/a/callbacks.csv" 10)
fees=$(csv_check "$T/a/fees.csv" 11)
[ "$cbs" -gt 1500 ] || fail "only $cbs callbacks for 2000 tickets"
[ "$fees" -gt 500 ] || fail "only $fees fee events"

# Unique ids in every log.
for f in tickets complaints callbacks fees; do
	dup=$(tail -n +2 "$T/a/$f.csv" | cut -d, -f1 | sort | uniq -d | head -n 1)
	assert_eq "" "$dup" "duplicate id in $f.csv"
done

# Canonical value forms: timestamps, money, bools, kinds.
awk -F, 'NR > 1 && ($8 !~ /^2026-(09|10|11)-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$/ ||
	$5 !~ /^[01]$/ || $7 !~ /^([0-9]+\.[0-9][0-9])?$/) { print FILENAME ":" NR ": " $0; exit 1 }' \
	"$T/a/tickets.csv" || fail "non-canonical ticket values"
awk -F, 'NR > 1 && ($6 !~ /^(charge|payment|waiver|reminder)$/ || $5 !~ /^20[0-9][0-9]-[01][0-9]$/) {
	print FILENAME ":" NR ": " $0; exit 1 }' "$T/a/fees.csv" || fail "non-canonical fee values"

# Every rule has material: late arrivals, leak tests, supervisors, letters,
# arrears from before the range, orphans referring to unknown ids.
urgent=$(awk -F, 'NR > 1 && $5 == 1 && $10 != "" && $10 > $8' "$T/a/tickets.csv" | wc -l)
[ "$urgent" -gt 0 ] || fail "no urgent tickets with an arrival time"
grep -q ',渗漏水,.*,20[0-9-]* [0-9:]*,20[0-9-]* [0-9:]*,[^,]*$' "$T/a/tickets.csv" || fail "no leak tests"
grep -q ',主管,' "$T/a/callbacks.csv" || fail "no supervisor callbacks"
grep -q ',特快专递,\|,函件,' "$T/a/fees.csv" || fail "no letters"
grep -q ',2025-[0-9][0-9],charge,' "$T/a/fees.csv" || fail "no charges from before the range"
for l in 重大 重要 一般 轻微; do grep -q ",$l," "$T/a/complaints.csv" || fail "no $l complaints"; done
tail -n +2 "$T/a/tickets.csv" | cut -d, -f1 | sort >"$T/ids"
tail -n +2 "$T/a/complaints.csv" | cut -d, -f1 | sort >>"$T/ids"
sort -o "$T/ids" "$T/ids"
tail -n +2 "$T/a/callbacks.csv" | cut -d, -f4 | sort -u >"$T/refs"
orphans=$(comm -23 "$T/refs" "$T/ids" | wc -l)
[ "$orphans" -gt 0 ] && [ "$orphans" -lt 50 ] || fail "$orphans orphan refs, want a few"

# Exact counts when asked; Chinese headers and value words.
"$PMGEN" --seed 5 --tickets 100 --callbacks 250 --fees 777 --headers zh --out "$T/zh"
assert_eq 250 "$(csv_check "$T/zh/callbacks.csv" 10)" "--callbacks 250"
assert_eq 777 "$(csv_check "$T/zh/fees.csv" 11)" "--fees 777"
assert_eq "工单号,项目,房号,报修类别,是否紧急,是否有偿,收费金额,报修时间,派单时间,到场时间,完工时间,试漏时间,维修人员" \
	"$(head -n 1 "$T/zh/tickets.csv")" "zh tickets header"
grep -q ',报修,' "$T/zh/callbacks.csv" || fail "no 报修 in zh callbacks"
grep -q ',应收,' "$T/zh/fees.csv" || fail "no 应收 in zh fees"
grep -q ',是,' "$T/zh/tickets.csv" || fail "no 是 in zh tickets"

# Bad options are refused with exit status 2.
set +e
"$PMGEN" --tickets many --out "$T" 2>"$T/err"; rc=$?
set -e
assert_eq 2 "$rc" "exit status for a bad count"
grep -q -- '--tickets' "$T/err" || fail "error does not name the option"

# The committed fixtures are reproducible.
PMGEN="$PMGEN" "$ROOT/tools/make-fixtures.sh" --check
