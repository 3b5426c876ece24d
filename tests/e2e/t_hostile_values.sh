# Hostile values in every text field that reaches SQL, a chart label or the
# PDF are stored literally and come out as text; nothing is executed.
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
marker="$T/pwned"
# One hostile string per row, in the site (a chart label), room and technician.
# python3 is not assumed: printf writes the exact bytes.
{
	printf 'ticket_id,site,room,category,reported_at,completed_at,technician\n'
	printf 'H1,"x""\nsystem(""touch %s"")",1-101,水电,2026-10-02 09:00,2026-10-02 10:00,"a\\\\b"\n' "$marker"
	printf 'H2,"`touch %s`",1-102,水电,2026-10-03 09:00,2026-10-03 10:00,"$(touch %s)"\n' "$marker" "$marker"
	printf "H3,\"'); DROP TABLE tickets;--\",1-103,水电,2026-10-04 09:00,2026-10-04 10:00,\"Robert'); --\"\n"
	printf 'H4,"EOD\nplot 1",1-104,安全设施,2026-10-05 09:00,2026-10-05 10:00,"\\"\n'
	printf 'H5,"%s",1-105,水电,2026-10-06 09:00,2026-10-06 10:00,"set output ""%s"""\n' "\\\$x" "$marker"
} > hostile.csv
"$PMAUDIT" import --db h.db hostile.csv || fail "import of hostile values failed ($?)"
assert_eq 5 "$(q h.db 'SELECT count(*) FROM tickets')" "all hostile rows stored"
assert_eq "x\"
system(\"touch $marker\")" "$(q h.db "SELECT site FROM tickets WHERE ticket_id='H1'")" "quote+newline site stored literally"
assert_eq 'a\\b' "$(q h.db "SELECT technician FROM tickets WHERE ticket_id='H1'")" "backslashes literal"
assert_eq "\`touch $marker\`" "$(q h.db "SELECT site FROM tickets WHERE ticket_id='H2'")" "backticks literal"
assert_eq "\$(touch $marker)" "$(q h.db "SELECT technician FROM tickets WHERE ticket_id='H2'")" "command substitution literal"
assert_eq "'); DROP TABLE tickets;--" "$(q h.db "SELECT site FROM tickets WHERE ticket_id='H3'")" "SQL text literal"
assert_eq "EOD
plot 1" "$(q h.db "SELECT site FROM tickets WHERE ticket_id='H4'")" "datablock terminator literal"

# The same values through check and the report (chart labels, PDF text).
"$PMAUDIT" check --db h.db --month 2026-10 --json h.json >/dev/null || fail "check failed"
"$PMAUDIT" report monthly --db h.db --month 2026-10 --out h.pdf --charts charts >/dev/null ||
	fail "report failed"
[ ! -e "$marker" ] || fail "a hostile value ran a command"
qpdf --check h.pdf >/dev/null || fail "qpdf --check on the report"
pdftotext h.pdf - | grep -q 'DROP TABLE' || fail "SQL text not printed as text in the PDF"
assert_eq ok "$(q h.db 'PRAGMA integrity_check')" "integrity"
