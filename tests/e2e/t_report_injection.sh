#!/bin/sh
# Data never becomes gnuplot code: a site and a category named
#   x"<newline>system("touch MARKER")
# come out as chart labels, and no marker file appears.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
marker="$T/pwned"
evil="'x\"' || char(10) || 'system(\"touch $marker\")'"
evil2="'y''' || char(10) || 'EOD' || char(10) || 'system(''touch $marker'')'"
q "$db" "INSERT INTO tickets(ticket_id, site, room, category, reported_at, completed_at)
	VALUES ('EVIL-1', $evil, '1-101', $evil2, '2026-10-05 09:00:00', '2026-10-05 11:00:00')"
q "$db" "INSERT INTO complaints(complaint_id, site, level, category, received_at)
	VALUES ('EVIL-2', $evil2, 'minor', $evil, '2026-10-06 09:00:00')"
q "$db" "INSERT INTO fees(entry_id, site, room, fee_item, period, kind, amount, at, due_date)
	VALUES ('EVIL-3', $evil, '1-101', '物业管理费', '2026-08', 'charge', 12000, '2026-08-01 00:00:00', '2026-08-31')"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m.pdf" --charts "$T/charts" >/dev/null ||
	fail "report monthly with hostile names"
"$PMAUDIT" report annual --db "$db" --year 2026 --out "$T/y.pdf" >/dev/null || fail "report annual"
[ ! -e "$marker" ] || fail "gnuplot ran code from the data"
assert_eq 6 "$(ls "$T/charts"/*.png | wc -l)" "charts drawn"
assert_eq 6 "$(images "$T/m.pdf")" "charts in the PDF"
# The name is printed as text (the line break is a break in the table cell).
pdf_text "$T/m.pdf" "$T/m.txt"
# Compared without spaces: where the cell wraps at "touch /tmp/...", pdftotext
# drops the space (whether it wraps there depends on the random $T).
tr -d ' ' <"$T/m.txt" >"$T/m-nospace.txt"
has "$T/m-nospace.txt" "system(\"touch$marker\")" "hostile site printed as text"
echo ok
