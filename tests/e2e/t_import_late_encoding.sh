# The encoding is decided from the first MiB and the rest is checked while
# it is imported: a file whose first GB18030 bytes come after that is still
# imported as GB18030 (and nothing of the first attempt is kept); invalid
# bytes or NUL bytes far into a UTF-8 file still reject just their rows.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
# 25000 ASCII rows (about 1.25 MB, valid as both encodings), then Chinese
awk 'BEGIN {
	print "ticket_id,site,category,reported_at,technician"
	for (i = 1; i <= 25000; i++)
		printf "A%06d,Site %d,plumbing,2026-10-%02d 08:05,worker %d\n", i, i % 7, 1 + i % 28, i % 50
}' > ascii.csv
[ "$(wc -c < ascii.csv)" -gt 1100000 ] || fail "the ASCII part must pass the first MiB"
cp ascii.csv late-gbk.csv
printf 'Z1,阳光花园,渗漏水,2026/10/3 8:05,张三\n' | iconv -f UTF-8 -t GB18030 >> late-gbk.csv
"$PMAUDIT" import --db db late-gbk.csv > out.txt
grep -q 'late-gbk.csv: tickets, 25001 rows read, 25001 inserted, 0 updated, 0 unchanged, 0 rejected, .*(run 1, gb18030)$' out.txt ||
	fail "late GB18030: $(cat out.txt)"
assert_eq "阳光花园|张三" "$(q db "SELECT site, technician FROM tickets WHERE ticket_id='Z1'")" \
	"Chinese converted"
assert_eq "1|gb18030|25001" "$(q db "SELECT count(*), encoding, inserted FROM import_runs")" \
	"one run recorded"

# the same with UTF-8 Chinese after the first MiB: stays UTF-8
cp ascii.csv late-utf8.csv
printf 'Z2,翠湖苑,其他,2026-10-04,李四\n' >> late-utf8.csv
"$PMAUDIT" import --db db2 late-utf8.csv > out2.txt
grep -q '25001 inserted.*utf-8)$' out2.txt || fail "late UTF-8: $(cat out2.txt)"
assert_eq "翠湖苑" "$(q db2 "SELECT site FROM tickets WHERE ticket_id='Z2'")" "UTF-8 kept"

# given as UTF-8, with a bad byte and a NUL byte after the first MiB:
# exactly those two rows are rejected, naming their fields
cp ascii.csv late-bad.csv
printf 'Z3,bad\377site,x,2026-10-05,w\nZ4,ok,x,2026-10-05,w\nZ5,ok,x,2026-10-05,nul\000here\n' >> late-bad.csv
rc=0
"$PMAUDIT" import --db db3 --encoding utf-8 late-bad.csv > out3.txt 2>&1 || rc=$?
assert_eq 1 "$rc" "rows rejected"
assert_eq "25002|site,25004|technician" \
	"$(q db3 "SELECT group_concat(line || '|' || field, ',') FROM (SELECT line, field FROM import_rejects ORDER BY line)")" \
	"rejected lines and fields"
assert_eq 25001 "$(q db3 "SELECT count(*) FROM tickets")" "other rows stored"

# auto-detected with only a NUL byte late: UTF-8, that row rejected
cp ascii.csv late-nul.csv
printf 'Z6,ok,x,2026-10-05,nul\000here\nZ7,ok,x,2026-10-05,w\n' >> late-nul.csv
rc=0
"$PMAUDIT" import --db db4 late-nul.csv > out4.txt 2>&1 || rc=$?
assert_eq 1 "$rc" "NUL row rejected"
grep -q 'utf-8)$' out4.txt || fail "NUL does not make a file GB18030: $(cat out4.txt)"
assert_eq "25002|technician|NUL byte in the value" \
	"$(q db4 "SELECT line, field, reason FROM import_rejects")" "NUL reject"

# auto-detected, UTF-8 Chinese and one stray bad byte after the first MiB:
# the first attempt stops at the bad byte, the whole file is scored, it stays
# UTF-8 (docs/import.md) and only that row is rejected
cp ascii.csv late-stray.csv
printf 'Z8,翠湖苑,其他,2026-10-04,李四\nZ9,bad\377,x,2026-10-05,w\nZ10,阳光花园,其他,2026-10-04,张三\n' >> late-stray.csv
rc=0
"$PMAUDIT" import --db db5 late-stray.csv > out5.txt 2>&1 || rc=$?
assert_eq 1 "$rc" "stray byte row rejected"
grep -q '25003 rows read, 25002 inserted, 0 updated, 0 unchanged, 1 rejected, .*(run 1, utf-8)$' out5.txt ||
	fail "late stray byte: $(cat out5.txt)"
assert_eq "25003|site" "$(q db5 "SELECT line, field FROM import_rejects")" "stray byte reject"
assert_eq "阳光花园" "$(q db5 "SELECT site FROM tickets WHERE ticket_id='Z10'")" "UTF-8 kept"
