#!/bin/sh
# pmaudit check over the committed fixtures (imported with pmaudit import):
# the data-quality cases fixtures/README.md documents are found, record by
# record, and the JSON is the same on a second run.
set -eu
. "$ROOT/tests/e2e/lib.sh"

db="$T/fx.db"
"$PMAUDIT" import --db "$db" "$ROOT"/fixtures/*.csv >"$T/import.log" 2>&1 || [ $? -eq 1 ]
[ "$(q "$db" "SELECT count(*) FROM tickets")" -gt 0 ] || fail "import stored nothing: $(cat "$T/import.log")"

"$PMAUDIT" check --db "$db" --from 2026-09-01 --to 2026-11-30 --json "$T/a.json" --csv "$T/a.csv" >"$T/out"
run=$(q "$db" "SELECT max(run_id) FROM check_runs")
rows() { q "$db" "SELECT group_concat(record_id, ' ') FROM (SELECT record_id FROM check_records WHERE run_id = $run AND rule_id = '$1' ORDER BY record_id)"; }
fig() { q "$db" "SELECT int_value FROM check_figures WHERE run_id = $run AND key = '$1'"; }

# Orphans: 2 on records exported later, 5 on rejected rows (README "Stored but flagged").
assert_eq "HF20260900000014 HF20260900000038 HF20260900000069 HF20261000000307 HF20261100000319 HF20261100000330 HF20261100000331" \
	"$(rows Q-ORPHAN)" "orphan callbacks"
assert_eq 7 "$(fig volumes.orphan_callbacks)" "volumes.orphan_callbacks"
# Completed before reported.
assert_eq "T2026090050 T2026100050" "$(rows Q-ORDER)" "impossible orderings"
# Callbacks on tickets nobody closed.
assert_eq "T2026100022 T2026100092" "$(rows Q-MISSING-START)" "missing start events"
# Callbacks logged before completion are not the callback.
for pair in HF20260900000071:T2026090080 HF20261100000247:T2026110064; do
	cb=${pair%%:*}; t=${pair#*:}
	at=$(q "$db" "SELECT callback_at FROM callbacks WHERE callback_id = '$cb'")
	end=$(q "$db" "SELECT coalesce(end_at, '') FROM check_records WHERE run_id = $run AND record_id = '$t' AND rule_id LIKE 'T-CB-%' AND rule_id <> 'T-CB-COVERAGE'")
	[ "$end" != "$at" ] || fail "$cb (before completion) counted as the callback of $t"
done
# 11 rejected rows (README "The bad rows").
assert_eq 11 "$(fig findings.rejected_rows)" "rejected rows"
# Long-standing debtors reach the 365+ bucket.
[ "$(fig fees.aging.365+)" -gt 0 ] || fail "no 365+ arrears"

# F-LETTER has pending cases as of 2026-11-01 (README).
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/oct.json" >/dev/null
[ "$(q "$db" "SELECT json_extract(readfile('$T/oct.json'), '\$.rules.F-LETTER.pending')")" -gt 0 ] || fail "F-LETTER pending"

# Deterministic: the same run twice gives the same JSON and CSV.
"$PMAUDIT" check --db "$db" --from 2026-09-01 --to 2026-11-30 --json "$T/b.json" --csv "$T/b.csv" >/dev/null
cmp "$T/a.json" "$T/b.json" || fail "JSON differs between runs"
cmp "$T/a.csv" "$T/b.csv" || fail "CSV differs between runs"
