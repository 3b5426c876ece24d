# Exit status 0 / 1 / 2 and messages that name file, line and column.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
run() { set +e; "$PMAUDIT" import --db db "$@" > out.txt 2> err.txt; rc=$?; set -e; }

printf 'ticket_id,site,category,reported_at\nT1,s,x,2026-10-03\n' > good.csv
run good.csv; assert_eq 0 "$rc" "good file"
printf 'ticket_id,site,category,reported_at\nT2,s,x,2026-13-03\n' > bad.csv
run bad.csv; assert_eq 1 "$rc" "bad row"
run missing.csv; assert_eq 2 "$rc" "missing file"
grep -q 'missing.csv' err.txt || fail "names the missing file"
mkdir dir.csv
run dir.csv; assert_eq 2 "$rc" "directory"
printf 'ticket_id,site,reported_at\nT3,s,2026-10-03\n' > nocat.csv
run nocat.csv; assert_eq 2 "$rc" "missing column"
grep -q 'nocat.csv:1: missing required column category' err.txt || fail "names the column: $(cat err.txt)"
assert_eq 0 "$(q db "SELECT count(*) FROM tickets WHERE ticket_id='T3'")" "nothing stored from a refused file"
assert_eq failed "$(q db "SELECT status FROM import_runs WHERE file='nocat.csv'")" "failed run recorded"
"$PMAUDIT" rejects --db db | grep -q '^nocat.csv:1: missing required column category' || fail "rejects shows why the file was refused"
: > empty.csv
run empty.csv; assert_eq 2 "$rc" "empty file"
grep -q 'empty.csv' err.txt || fail "empty message"
head -c 3000 /dev/urandom > noise.csv
printf '\0\1\2' >> noise.csv
run noise.csv; assert_eq 2 "$rc" "not CSV"
printf 'name,age\nbob,3\n' > other.csv
run other.csv; assert_eq 2 "$rc" "unknown log"
grep -q 'kind' err.txt || fail "suggests --kind"
printf 'ticket_id,site,category,reported_at,受理时间\n' > dup.csv
run dup.csv; assert_eq 2 "$rc" "duplicate column"
grep -q 'reported_at' err.txt || fail "duplicate message"
# header only: nothing to store, nothing wrong
printf 'ticket_id,site,category,reported_at\n' > header.csv
run header.csv; assert_eq 0 "$rc" "header only"
# several files: the worst status wins, the good ones are stored
printf 'ticket_id,site,category,reported_at\nT4,s,x,2026-10-03\n' > good2.csv
run good2.csv missing.csv bad.csv; assert_eq 2 "$rc" "mixed"
assert_eq 1 "$(q db "SELECT count(*) FROM tickets WHERE ticket_id='T4'")" "good file of a mixed run stored"
# --kind forces the log; unknown options are usage errors
run --kind complaints good.csv; assert_eq 2 "$rc" "wrong --kind"
grep -q 'complaint_id' err.txt || fail "wrong kind names the column"
run --kind nonsense good.csv; assert_eq 2 "$rc" "bad --kind"
set +e; "$PMAUDIT" import --help > help.txt; rc=$?; set -e
assert_eq 0 "$rc" "--help"
grep -q 'Exit status' help.txt || fail "help documents exit status"
