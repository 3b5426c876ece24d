# A database failure in the middle of a file (here a trigger that aborts on
# one row): the file is rolled back entirely, exit status 2, the message
# says what failed; the reading side stops cleanly.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
awk 'BEGIN { print "ticket_id,site,category,reported_at"
	for (i = 1; i <= 20000; i++) printf "D%05d,s,x,2026-10-03 08:00\n", i }' > t.csv
printf 'ticket_id,site,category,reported_at\nKEEP,s,x,2026-10-01\n' > keep.csv
"$PMAUDIT" import --db db keep.csv
q db "CREATE TRIGGER boom BEFORE INSERT ON tickets WHEN NEW.ticket_id='D12345'
	BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END;"
set +e
"$PMAUDIT" import --db db t.csv > out.txt 2> err.txt
rc=$?
set -e
assert_eq 2 "$rc" "exit status"
grep -q 't.csv: database: refused by trigger' err.txt || fail "message: $(cat err.txt)"
assert_eq 1 "$(q db "SELECT count(*) FROM tickets")" "nothing of the failed file"
assert_eq ok "$(q db "PRAGMA integrity_check")" "integrity"
q db "DROP TRIGGER boom"
"$PMAUDIT" import --db db t.csv > out.txt
grep -q '20000 rows read, 20000 inserted' out.txt || fail "import after the trigger is gone"
