#!/bin/sh
# Issue 13, item 3: any number of processes may open a new database at
# once. The schema is created under BEGIN IMMEDIATE with its version read
# again inside, so the second process finds the first one's schema instead
# of failing with "table import_runs already exists" (18 of 20 tries of two
# imports on a new file failed on the old build). Here: eight imports of
# different files at once, then an import and a check at once, each on a
# new file, a few times over; every one succeeds and all data is there.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"

cd "$T"
"$PMGEN" --seed 3 --out gen >/dev/null 2>&1 || fail "pmgen failed"
# eight small files of distinct tickets
head -1 gen/tickets.csv > header
for k in 1 2 3 4 5 6 7 8; do
	{ cat header; sed -n "$((k * 100 - 98)),$((k * 100 + 1))p" gen/tickets.csv; } > "t$k.csv"
done
want=$(( $(cat t*.csv | wc -l) - 8 ))

for round in 1 2 3; do
	rm -f new.db new.db-journal
	pids=""
	for k in 1 2 3 4 5 6 7 8; do
		"$PMAUDIT" import --db new.db "t$k.csv" >"out$k.txt" 2>"err$k.txt" &
		pids="$pids $!"
	done
	k=0
	for pid in $pids; do
		k=$((k + 1))
		rc=0
		wait "$pid" || rc=$?
		[ "$rc" -eq 0 ] || fail "round $round: import $k failed ($rc): $(cat "err$k.txt")"
	done
	assert_eq "$want" "$(q new.db 'SELECT count(*) FROM tickets')" "round $round: tickets stored"
	assert_eq 8 "$(q new.db "SELECT count(*) FROM import_runs WHERE status = 'ok'")" \
		"round $round: import runs"
	assert_eq ok "$(q new.db 'PRAGMA integrity_check')" "round $round: integrity"

	# two imports of different logs on a new file, then a check
	rm -f both.db both.db-journal
	"$PMAUDIT" import --db both.db gen/tickets.csv >imp.txt 2>imperr.txt &
	ipid=$!
	"$PMAUDIT" import --db both.db gen/complaints.csv >imp2.txt 2>imp2err.txt &
	ipid2=$!
	rc=0
	wait "$ipid" || rc=$?
	[ "$rc" -eq 0 ] || fail "round $round: import (tickets) failed: $(cat imperr.txt)"
	rc=0
	wait "$ipid2" || rc=$?
	[ "$rc" -eq 0 ] || fail "round $round: import (complaints) failed: $(cat imp2err.txt)"
	"$PMAUDIT" check --db both.db --month 2026-10 >chk.txt 2>chkerr.txt ||
		fail "round $round: check after the imports: $(cat chkerr.txt)"
	assert_eq "$(($(wc -l <gen/tickets.csv) - 1))" "$(q both.db 'SELECT count(*) FROM tickets')" \
		"round $round: tickets"
	assert_eq "$(($(wc -l <gen/complaints.csv) - 1))" \
		"$(q both.db 'SELECT count(*) FROM complaints')" "round $round: complaints"
done

# import and check started at once on a new file
for round in 1 2 3; do
	rm -f ic.db ic.db-journal
	"$PMAUDIT" import --db ic.db gen/tickets.csv >/dev/null 2>imperr.txt &
	ipid=$!
	rc=0
	"$PMAUDIT" check --db ic.db --month 2026-10 >/dev/null 2>chkerr.txt || rc=$?
	if [ "$rc" -ne 0 ]; then
		# only "no such database" / "empty database" (the import had not made it yet)
		grep -q "no such database\|empty database" chkerr.txt ||
			fail "round $round: check beside a new import: $(cat chkerr.txt)"
	fi
	wait "$ipid" || fail "round $round: import beside a check: $(cat imperr.txt)"
	assert_eq "$(($(wc -l <gen/tickets.csv) - 1))" "$(q ic.db 'SELECT count(*) FROM tickets')" \
		"round $round: import beside a check: tickets"
done
