# The committed fixtures (fixtures/README.md): exact counts and the rejected lines.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
set +e
"$PMAUDIT" import --db db "$ROOT"/fixtures/tickets.csv "$ROOT"/fixtures/complaints-gbk.csv \
	"$ROOT"/fixtures/callbacks.csv "$ROOT"/fixtures/fees.csv > out.txt 2> err.txt
rc=$?
set -e
cat out.txt err.txt
assert_eq 1 "$rc" "fixtures hold bad rows"
assert_eq "tickets|300|297|3|utf-8
complaints|60|58|2|gb18030
callbacks|331|329|2|utf-8
fees|2389|2385|4|utf-8" "$(q db "SELECT kind,rows_read,inserted,rejected,encoding FROM import_runs ORDER BY run_id")" "counts"
assert_eq "callbacks.csv:31:callback_at
callbacks.csv:91:ref_kind
complaints-gbk.csv:35:level
complaints-gbk.csv:49:received_at
fees.csv:201:amount
fees.csv:901:kind
fees.csv:1501:room
fees.csv:2001:amount
tickets.csv:16:reported_at
tickets.csv:41:ticket_id
tickets.csv:78:charge" "$(q db "SELECT replace(file, '$ROOT/fixtures/', '')||':'||line||':'||field FROM import_rejects ORDER BY file, line")" "rejected lines"
assert_eq 2 "$(q db "SELECT count(*) FROM tickets WHERE completed_at < reported_at")" "impossible rows stored"
