# Re-importing changes nothing; a changed row is updated, not duplicated.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
cat > t.csv <<'CSV'
ticket_id,site,category,reported_at,completed_at
T1,阳光花园,渗漏水,2026-10-03 08:05,
T2,阳光花园,其他,2026-10-03 09:00,2026-10-03 10:00
T3,阳光花园,其他,2026-10-03 10:00,
CSV
"$PMAUDIT" import --db db t.csv > out1.txt
before=$(sqlite3 db "SELECT * FROM tickets ORDER BY ticket_id")
"$PMAUDIT" import --db db t.csv > out2.txt
grep -q '3 rows read, 0 inserted, 0 updated, 3 unchanged, 0 rejected' out2.txt || fail "re-import: $(cat out2.txt)"
assert_eq "$before" "$(sqlite3 db "SELECT * FROM tickets ORDER BY ticket_id")" "re-import left the rows alone"

# T1 is now completed, T3 is gone from the export, T4 is new
cat > t2.csv <<'CSV'
ticket_id,site,category,reported_at,completed_at
T1,阳光花园,渗漏水,2026-10-03 08:05,2026-10-04 08:00
T2,阳光花园,其他,2026-10-03 09:00,2026-10-03 10:00
T4,阳光花园,其他,2026-10-05 10:00,
CSV
"$PMAUDIT" import --db db t2.csv > out3.txt
grep -q '3 rows read, 1 inserted, 1 updated, 1 unchanged, 0 rejected' out3.txt || fail "changed import: $(cat out3.txt)"
assert_eq 4 "$(q db "SELECT count(*) FROM tickets")" "no duplicates"
assert_eq "2026-10-04 08:00:00|3" "$(q db "SELECT completed_at,import_run FROM tickets WHERE ticket_id='T1'")" "T1 updated by run 3"
assert_eq "1" "$(q db "SELECT import_run FROM tickets WHERE ticket_id='T2'")" "T2 untouched"
