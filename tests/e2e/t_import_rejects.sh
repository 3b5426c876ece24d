# Rejected rows keep file, physical line (counting newlines inside quotes),
# original text and reason; `rejects` lists them and exports them as CSV.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
printf 'ticket_id,site,category,reported_at,charge\r\n' > t.csv
printf 'T1,"阳光\r\n花园\r\n三期",其他,2026-10-03 08:05,1\r\n' >> t.csv
printf '\r\n' >> t.csv
printf 'T2,阳光花园,其他,2026-02-30 08:00,1\r\n' >> t.csv
printf 'T3,"say ""hi""",其他,2026-10-03 08:05,1.234\r\n' >> t.csv
printf 'T4,阳光花园,其他,2026-10-03 08:05\r\n' >> t.csv
printf 'T5,,其他,2026-10-03 08:05,1\r\n' >> t.csv
printf 'T6,阳光花园,其他,2026-10-03 25:00,1' >> t.csv
set +e
"$PMAUDIT" import --db db t.csv > out.txt 2> err.txt
rc=$?
set -e
cat out.txt err.txt
assert_eq 1 "$rc" "exit status with rejects"
grep -q '6 rows read, 1 inserted, 0 updated, 0 unchanged, 5 rejected' out.txt || fail "counts"
grep -q '^t.csv:6: reported_at: not a valid timestamp' err.txt || fail "message names file, line, field"
assert_eq "6|reported_at
7|charge
8|
9|site
10|reported_at" "$(q db "SELECT line, field FROM import_rejects ORDER BY line")" "physical lines and fields"
assert_eq "T3,\"say \"\"hi\"\"\",其他,2026-10-03 08:05,1.234" \
	"$(q db "SELECT text FROM import_rejects WHERE line=7")" "original text"
q db "SELECT reason FROM import_rejects WHERE line=8" | grep -q 'expected 5 fields' || fail "width reason"
assert_eq "阳光
花园
三期" "$(q db "SELECT replace(site, char(13), '') FROM tickets WHERE ticket_id='T1'")" "multi-line field stored"

"$PMAUDIT" rejects --db db > list.txt
grep -q '^t.csv:7: charge: not a valid amount' list.txt || fail "rejects list"
"$PMAUDIT" rejects --db db --run 1 --csv rej.csv
assert_eq "efbbbf" "$(head -c 3 rej.csv | od -An -tx1 | tr -d ' \n')" "BOM"
# the export reads back with sqlite3's own CSV reader
tail -c +4 rej.csv > rej-nobom.csv
sqlite3 back.db ".import --csv rej-nobom.csv r"
assert_eq 5 "$(q back.db "SELECT count(*) FROM r")" "exported records"
assert_eq "T3,\"say \"\"hi\"\"\",其他,2026-10-03 08:05,1.234" \
	"$(q back.db "SELECT text FROM r WHERE line='7'")" "exported text"
assert_eq "1|t.csv|charge" "$(q back.db "SELECT run,file,field FROM r WHERE line='7'")" "exported columns"
"$PMAUDIT" rejects --db db --run 99 > none.txt
assert_eq "" "$(cat none.txt)" "unknown run lists nothing"
