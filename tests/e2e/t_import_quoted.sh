# Quoted fields with commas, quotes, CRLF/LF newlines and tabs survive byte for byte.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
printf 'ticket_id,site,category,reported_at,technician\n' > t.csv
printf 'T1,"a, b",x,2026-10-03 08:05,"he said ""no"", twice"\n' >> t.csv
printf 'T2,"line1\nline2\r\nline3",x,2026-10-03 08:05,"tab\there"\n' >> t.csv
printf 'T3,"""",x,2026-10-03 08:05,"中文,“全角”"\n' >> t.csv
"$PMAUDIT" import --db db t.csv
# compare the stored bytes with what the file holds between the quotes
assert_eq "$(printf 'a, b' | od -An -tx1)" "$(q db "SELECT site FROM tickets WHERE ticket_id='T1'" | tr -d '\n' | od -An -tx1)" "comma"
assert_eq "$(printf 'he said "no", twice' | od -An -tx1)" "$(q db "SELECT technician FROM tickets WHERE ticket_id='T1'" | tr -d '\n' | od -An -tx1)" "quotes"
assert_eq "$(printf 'line1\nline2\r\nline3' | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')" "$(q db "SELECT hex(site) FROM tickets WHERE ticket_id='T2'")" "newlines"
assert_eq "$(printf 'tab\there' | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')" "$(q db "SELECT hex(technician) FROM tickets WHERE ticket_id='T2'")" "tab"
assert_eq '"' "$(q db "SELECT site FROM tickets WHERE ticket_id='T3'")" "lone quote"
assert_eq '中文,“全角”' "$(q db "SELECT technician FROM tickets WHERE ticket_id='T3'")" "full-width"
