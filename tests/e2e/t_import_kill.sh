# kill -9 in the middle of a large import: the database stays intact and
# holds the file entirely or not at all (here: not at all, since it was
# killed mid-file); importing again then stores all of it.
# e2e: alone -- its kills fall at timed moments (tests/e2e/run.sh)
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
rows=200000
awk -v n=$rows 'BEGIN {
	print "ticket_id,site,room,category,urgent,paid,charge,reported_at,completed_at,technician"
	for (i = 1; i <= n; i++)
		printf "K%07d,阳光花园,%d-%03d,渗漏水,否,是,12.50,2026-10-%02d 08:05:00,2026-10-%02d 17:00,\"张, 三\"\n", i, i % 30, i % 999, 1 + i % 28, 1 + i % 28
}' > big.csv
# a first small file that must survive untouched
printf 'ticket_id,site,category,reported_at\nKEEP,s,x,2026-10-01\n' > keep.csv
"$PMAUDIT" import --db db keep.csv

"$PMAUDIT" import --db db big.csv > out.txt 2>&1 &
pid=$!
# wait until the import's transaction has written to the journal
i=0
while [ ! -s db-journal ] && [ ! -s db-wal ]; do
	i=$((i + 1))
	[ $i -lt 2000 ] || fail "import never started writing"
	sleep 0.01
done
sleep 0.1
kill -9 $pid 2>/dev/null || fail "import finished before it could be killed; make the file larger"
wait $pid 2>/dev/null || true

assert_eq ok "$(q db "PRAGMA integrity_check")" "integrity after kill -9"
assert_eq 0 "$(q db "SELECT count(*) FROM tickets WHERE ticket_id LIKE 'K0%'")" "no row of the killed file"
assert_eq 0 "$(q db "SELECT count(*) FROM import_runs WHERE file='big.csv'")" "no run of the killed file"
assert_eq 1 "$(q db "SELECT count(*) FROM tickets WHERE ticket_id='KEEP'")" "earlier import kept"

"$PMAUDIT" import --db db big.csv > out2.txt
grep -q "$rows rows read, $rows inserted, 0 updated, 0 unchanged, 0 rejected" out2.txt || fail "re-import: $(cat out2.txt)"
assert_eq "$rows" "$(q db "SELECT count(*) FROM tickets WHERE ticket_id LIKE 'K0%'")" "whole file after re-import"
assert_eq "张, 三" "$(q db "SELECT technician FROM tickets WHERE ticket_id='K0199999'")" "last row"
