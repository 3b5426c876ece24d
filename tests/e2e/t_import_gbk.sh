# A GBK/GB18030 file as Chinese Excel writes it: Chinese headers, slash
# dates, CRLF, the CP936 euro byte 0x80; detected automatically.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
printf '工单号,项目,房号,报修类别,报修时间,完工时间,维修人员\r\nT1,阳光花园,1-101,渗漏水,2026/10/3 8:05,2026/10/3 12:00,张三\r\nT2,翠湖苑,2-201,安全设施,2026/10/4 9:00,,李四\r\n' > u.csv
iconv -f UTF-8 -t GB18030 u.csv > gbk.csv
# a technician "€王" written by Excel as 0x80 then 王 in GBK
printf 'T3,阳光花园,1-103,其他,2026/10/5 9:00,,' | iconv -f UTF-8 -t GB18030 >> gbk.csv
printf '\200' >> gbk.csv
printf '王\r\n' | iconv -f UTF-8 -t GB18030 >> gbk.csv
"$PMAUDIT" import --db db gbk.csv > out.txt
cat out.txt
grep -q 'gbk.csv: tickets, 3 rows read, 3 inserted, 0 updated, 0 unchanged, 0 rejected' out.txt || fail "summary"
grep -q 'gb18030)$' out.txt || fail "encoding detected"
assert_eq "阳光花园|渗漏水|2026-10-03 08:05:00|2026-10-03 12:00:00|张三" \
	"$(q db "SELECT site,category,reported_at,completed_at,technician FROM tickets WHERE ticket_id='T1'")" "converted"
assert_eq "€王" "$(q db "SELECT technician FROM tickets WHERE ticket_id='T3'")" "euro byte"
assert_eq "gb18030" "$(q db "SELECT encoding FROM import_runs")" "run encoding"

# a four-byte GB18030 character (U+20000) survives
printf '工单号,项目,类别,报修时间\nT9,𠀀苑,其他,2026-10-03\n' | iconv -f UTF-8 -t GB18030 > four.csv
"$PMAUDIT" import --db db --encoding gb18030 four.csv
assert_eq "𠀀苑" "$(q db "SELECT site FROM tickets WHERE ticket_id='T9'")" "four-byte"

# forced UTF-8 on the GBK file: rows rejected with a reason, no crash;
# the header is GBK too, so the file cannot even be recognised
set +e
"$PMAUDIT" import --db db --encoding utf-8 gbk.csv 2> err.txt
rc=$?
set -e
assert_eq 2 "$rc" "GBK header read as UTF-8"
# invalid bytes only in a data row: that row is rejected
printf 'ticket_id,site,category,reported_at\nT20,ok,x,2026-10-03\nT21,bad\377,x,2026-10-03\n' > bad.csv
set +e
"$PMAUDIT" import --db db --encoding utf-8 bad.csv
rc=$?
set -e
assert_eq 1 "$rc" "invalid UTF-8 row"
assert_eq "3|site" "$(q db "SELECT line,field FROM import_rejects WHERE file='bad.csv'")" "invalid byte reject"
q db "SELECT text FROM import_rejects WHERE file='bad.csv'" | grep -q 'T21,bad�' || fail "reject text sanitized"

# UTF-8 with BOM and English headers
printf '\357\273\277ticket_id,site,category,reported_at\nT30,BOM苑,x,2026-10-03\n' > bom.csv
"$PMAUDIT" import --db db bom.csv
assert_eq "BOM苑" "$(q db "SELECT site FROM tickets WHERE ticket_id='T30'")" "BOM file"
