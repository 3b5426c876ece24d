#!/bin/sh
# report inspection: a reproducible, stratified 20% sample of the quarter's
# repair tickets; the checklist CSV (UTF-8 BOM); figures as in the JSON.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
run() { "$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 "$@" >/dev/null || fail "inspection $*"; }
mkdir -p "$T/a" "$T/b"
run --seed 7 --out "$T/a/i.pdf" --checklist "$T/a/c.csv"
run --seed 7 --out "$T/b/i.pdf" --checklist "$T/b/c.csv"
qpdf --check "$T/a/i.pdf" >/dev/null || fail "qpdf --check"
cmp "$T/a/i.pdf" "$T/b/i.pdf" || fail "same seed, different PDF"
cmp "$T/a/c.csv" "$T/b/c.csv" || fail "same seed, different checklist"
[ "$(head -c 3 "$T/a/c.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "checklist has no BOM"

# ceil(20%) of each site's tickets reported in the quarter.
want=$(q "$db" "SELECT SUM((n + 4) / 5) FROM (SELECT COUNT(*) AS n FROM tickets
	WHERE reported_at >= '2026-10-01' AND reported_at < '2027-01-01' GROUP BY site)")
got=$(($(wc -l <"$T/a/c.csv") - 1))
assert_eq "$want" "$got" "sampled tickets"
for site in $(q "$db" "SELECT DISTINCT site FROM tickets WHERE reported_at >= '2026-10-01'"); do
	n=$(q "$db" "SELECT COUNT(*) FROM tickets WHERE site = '$site' AND reported_at >= '2026-10-01' AND reported_at < '2027-01-01'")
	assert_eq $(((n + 4) / 5)) "$(grep -c ",$site," "$T/a/c.csv")" "sample of $site"
done
# Every sampled ticket is a ticket of the quarter, listed once.
cut -d, -f2 "$T/a/c.csv" | tail -n +2 | sort | uniq -d | grep -q . && fail "a ticket sampled twice"
for id in $(cut -d, -f2 "$T/a/c.csv" | tail -n +2); do
	assert_eq 1 "$(q "$db" "SELECT COUNT(*) FROM tickets WHERE ticket_id = '$id' AND reported_at >= '2026-10-01'")" "$id in the quarter"
done

# Another seed, another sample.
run --seed 8 --out "$T/b/i.pdf" --checklist "$T/b/c8.csv"
cmp -s "$T/a/c.csv" "$T/b/c8.csv" && fail "seeds 7 and 8 gave the same sample"

# Stratified: a new ticket in one site leaves the other sites' samples alone.
q "$db" "INSERT INTO tickets(ticket_id, site, category, reported_at) VALUES ('TX-NEW', '海棠湾', '水电', '2026-10-09 10:00:00')"
run --seed 7 --out "$T/b/i.pdf" --checklist "$T/b/c2.csv"
for site in 翠湖花园 金桂苑; do
	grep ",$site," "$T/a/c.csv" | cut -d, -f2 >"$T/x1"
	grep ",$site," "$T/b/c2.csv" | cut -d, -f2 >"$T/x2"
	cmp -s "$T/x1" "$T/x2" || fail "sample of $site changed with a ticket elsewhere"
done

# The PDF: the sampled tickets, the supervisor count, the coverage figures of the JSON.
pdf_text "$T/a/i.pdf" "$T/i.txt"
for id in $(cut -d, -f2 "$T/a/c.csv" | tail -n +2); do has "$T/i.txt" "$id" "sampled ticket"; done
sup=$(tail -n +2 "$T/a/c.csv" | cut -d, -f12 | grep -c '是' || true)
has "$T/i.txt" "回访 $sup 例" "supervisor callbacks"
"$PMAUDIT" check --db "$db" --quarter 2026Q4 --json "$T/s.json" >/dev/null
for id in T-CB-COVERAGE T-PAID-SUPERVISOR; do
	has "$T/i.txt" "$(pct "$(j "$T/s.json" "\$.rules.\"$id\".rate")")" "$id rate"
done
has "$T/i.txt" "随机种子 7" "seed on the cover"
outline_has "$T/a/i.pdf" "二、抽查清单"

if "$PMAUDIT" report inspection --db "$db" --quarter 2026Q5 --out "$T/x.pdf" 2>"$T/err"; then fail "bad quarter accepted"; fi
grep -q 2026Q5 "$T/err" || fail "bad quarter not named"
if "$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --fraction 1.5 --out "$T/x.pdf" 2>/dev/null; then fail "fraction 1.5 accepted"; fi
echo ok
