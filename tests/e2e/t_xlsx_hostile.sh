#!/bin/sh
# Hostile text in the workbook stays text: a formula-looking value
# (=cmd|' /C calc'!A0), control characters, a literal _x0041_ (which Excel
# would decode), and a 1 MB field, cut at Excel's 32,767 characters with a
# marker. No cell of any sheet is a formula.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
. "$ROOT/tests/e2e/xlsx_lib.sh"
cd "$T"

# One ticket completed and never called back: breached by T-CB-OTHER and
# T-CB-COVERAGE, so its room, category and technician reach the breach list.
"$PY" - <<'PYEOF'
big = ("维修很慢😀" * 70000)[:312000]   # 998,400 bytes of UTF-8 (a record may hold 1 MiB), 4-byte characters in it
with open("hostile.csv", "w", encoding="utf-8", newline="") as f:
    f.write("ticket_id,site,room,category,reported_at,completed_at,technician\n")
    f.write('H1,海棠湾,"=cmd|\' /C calc\'!A0",水电,2026-10-02 09:00,2026-10-02 10:00,"%s"\n' % big)
    f.write('H2,海棠湾,"a\x01b\x1b[31mc\x7f",水电,2026-10-03 09:00,2026-10-03 10:00,"_x0041_@SUM(1)"\n')
PYEOF
"$PMAUDIT" import --db h.db hostile.csv >/dev/null || fail "import of the hostile rows failed ($?)"
assert_eq 2 "$(q h.db 'SELECT count(*) FROM tickets')" "both rows stored"
"$PMAUDIT" check --db h.db --month 2026-10 --json h.json --xlsx h.xlsx >/dev/null || fail "check --xlsx failed"
xlsx_check h.xlsx h.json h.db

"$PY" - h.xlsx h.db <<'PYEOF' || fail "hostile text in the workbook"
import sqlite3, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["违规明细"]
rows = {r[4].value: r for r in ws.iter_rows(min_row=2) if r[0].value == "T-CB-OTHER"}
h1, h2 = rows["H1"], rows["H2"]
assert h1[3].value == "=cmd|' /C calc'!A0" and h1[3].data_type == "s", h1[3].value
tech = db.execute("SELECT technician FROM tickets WHERE ticket_id = 'H1'").fetchone()[0]
assert len(tech.encode()) > 990000
cell = h1[6].value
units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in cell)
assert units <= 32767, units
assert cell.endswith("…[已截断]"), cell[-20:]
assert tech.startswith(cell[:-len("…[已截断]")]), "the kept part is not the field's start"
assert units > 32000, "cut far too early: %d" % units
# control characters are shown as their symbols, never sent as bytes
assert h2[3].value == "a\u2401b\u241b[31mc\u2421", repr(h2[3].value)
# a literal _x0041_ is escaped so that Excel does not decode it to "A"
assert h2[6].value == "_x005F_x0041_@SUM(1)", repr(h2[6].value)
for sheet in wb.worksheets:
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f", (sheet.title, c.coordinate)
print("hostile text ok")
PYEOF
# The sheets' XML holds no formula element at all.
for f in $(unzip -Z1 h.xlsx 'xl/worksheets/*.xml'); do
	! unzip -p h.xlsx "$f" | grep -q '<f>' || fail "$f holds a formula"
done
echo "ok"
