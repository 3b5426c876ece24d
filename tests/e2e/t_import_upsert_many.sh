# Rows are stored many per SQL statement: updates, unchanged rows, new rows,
# keys repeated within one file and rejected rows in between must come out
# exactly as if each row were stored on its own, with the right counts.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
"$PMGEN" --seed 3 --sites 5 --from 2026-01 --to 2026-03 --tickets 1000 --only tickets > a.csv
assert_eq 1001 "$(wc -l < a.csv)" "generated rows"
"$PMAUDIT" import --db db a.csv > out1.txt
grep -q '1000 rows read, 1000 inserted, 0 updated, 0 unchanged, 0 rejected' out1.txt ||
	fail "first import: $(cat out1.txt)"

# b.csv, in this order:
#  the 1000 rows again, every 7th with another technician  (142 updated, 858 unchanged)
#  300 new rows N<id>                                       (300 inserted)
#  a bad timestamp                                          (1 rejected)
#  N rows 1..100 again with another technician              (100 updated)
#  N rows 101..150 again as they are                        (50 unchanged)
#  a row with too many fields                               (1 rejected)
awk -F, -v OFS=, '
NR == 1 { print; next }
{ row[NR - 1] = $0; n = NR - 1 }
END {
	for (i = 1; i <= n; i++) {
		$0 = row[i]
		if (i % 7 == 0) $13 = "X" i
		print
	}
	for (i = 1; i <= 300; i++) { $0 = row[i]; $1 = "N" $1; print }
	$0 = row[1]; $1 = "BAD1"; $8 = "2026-02-30 10:00"; print
	for (i = 1; i <= 100; i++) { $0 = row[i]; $1 = "N" $1; $13 = "Y" i; print }
	for (i = 101; i <= 150; i++) { $0 = row[i]; $1 = "N" $1; print }
	$0 = row[2]; $1 = "BAD2"; print $0 ",extra"
}' a.csv > b.csv
rc=0
"$PMAUDIT" import --db db b.csv > out2.txt 2>err2.txt || rc=$?
assert_eq 1 "$rc" "exit status with rejected rows"
grep -q '1452 rows read, 300 inserted, 242 updated, 908 unchanged, 2 rejected' out2.txt ||
	fail "second import: $(cat out2.txt)"
assert_eq 1300 "$(q db 'SELECT count(*) FROM tickets')" "rows stored"
first=$(sed -n 2p a.csv | cut -d, -f1)
seventh=$(sed -n 8p a.csv | cut -d, -f1)
assert_eq "X7|2" "$(q db "SELECT technician, import_run FROM tickets WHERE ticket_id='$seventh'")" \
	"7th row updated by run 2"
assert_eq "1" "$(q db "SELECT import_run FROM tickets WHERE ticket_id='$first'")" "1st row untouched"
assert_eq "Y1|2" "$(q db "SELECT technician, import_run FROM tickets WHERE ticket_id='N$first'")" \
	"a key repeated in one file: the later row wins"
assert_eq "858|442" "$(q db "SELECT sum(import_run = 1), sum(import_run = 2) FROM tickets")" \
	"rows by run"
# src_line: the line of the row that last changed it (header is line 1)
assert_eq 1303 "$(q db "SELECT src_line FROM tickets WHERE ticket_id='N$first'")" \
	"line of the later row"
assert_eq "2|BAD1 BAD2" "$(q db "SELECT count(*), group_concat(substr(text, 1, 4), ' ') FROM
	(SELECT text FROM import_rejects WHERE run_id = 2 ORDER BY line)")" "rejected rows"
