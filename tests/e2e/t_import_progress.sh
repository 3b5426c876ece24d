# The progress line: on a terminal for files over 4 MB, never otherwise.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
awk 'BEGIN { print "ticket_id,site,room,category,reported_at,technician"
	for (i = 1; i <= 60000; i++)
		printf "P%06d,阳光花园项目,%d栋%d单元%d,渗漏水,2026-10-03 08:05:00,维修员张师傅\n", i, i % 30, i % 6, i % 999 }' > big.csv
[ "$(wc -c < big.csv)" -gt 4194304 ] || fail "test file too small"
# not a terminal: the summary only
"$PMAUDIT" import --db db1 big.csv > out.txt 2> err.txt
assert_eq "" "$(cat err.txt)" "no progress when stderr is not a terminal"
# a terminal (script(1) from bsdutils gives the command one)
script -qec "\"$PMAUDIT\" import --db db2 big.csv" /dev/null > tty.txt
tr '\r' '\n' < tty.txt | grep -q '^big.csv: [0-9]* rows, [0-9.]* MB/s, [0-9]*%' || fail "progress line: $(cat tty.txt)"
tr '\r' '\n' < tty.txt | sed 's/\x1b\[K//g' | grep -q '^big.csv: tickets, 60000 rows read, 60000 inserted' || fail "summary on the terminal"
