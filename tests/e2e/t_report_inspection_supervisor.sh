#!/bin/sh
# The inspection checklist's 主管已回访 (issue 14): 是 when a callback of the
# ticket is by a supervisor (role 主管, 主任 or 经理); 无法判定 / "unknown"
# when none is but one came only from files without a role column (it may
# have been the supervisor's: rule T-PAID-SUPERVISOR's unknown status,
# docs/rules.md "Who called back"); 否 otherwise -- in the checklist CSV, the
# workbook's checklist sheet and the PDF (the overview counts them), in
# Chinese and in English. The supervisor's roles are the rules file's.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
. "$ROOT/tests/e2e/xlsx_lib.sh"

cd "$T"
cat >t.csv <<'CSV'
ticket_id,site,room,category,reported_at,completed_at
T1,金桂苑,1-101,水电,2026-10-05 09:00:00,2026-10-05 12:00:00
T2,金桂苑,1-102,水电,2026-10-06 09:00:00,2026-10-06 12:00:00
T3,金桂苑,1-103,水电,2026-10-07 09:00:00,2026-10-07 12:00:00
T4,金桂苑,1-104,水电,2026-10-08 09:00:00,2026-10-08 12:00:00
CSV
# with a role column: T1 by a supervisor, T3 by a clerk
cat >cb-role.csv <<'CSV'
callback_id,ref_kind,ref_id,site,callback_at,staff,role,result
B1,报修,T1,金桂苑,2026-10-06 10:00:00,王主管,主管,满意
B3,报修,T3,金桂苑,2026-10-08 10:00:00,郑敏,客服专员,满意
CSV
# without one: T2's only callback
cat >cb-norole.csv <<'CSV'
callback_id,ref_kind,ref_id,site,callback_at,staff,result
B2,报修,T2,金桂苑,2026-10-07 10:00:00,李四,满意
CSV
"$PMAUDIT" import --db d.db t.csv cb-role.csv cb-norole.csv >import.log 2>&1 ||
	fail "import: $(tail -3 import.log)"
for lang in zh en; do
	"$PMAUDIT" report inspection --db d.db --quarter 2026Q4 --fraction 1 --lang $lang \
		--out i-$lang.pdf --checklist c-$lang.csv --xlsx i-$lang.xlsx >/dev/null 2>&1 ||
		fail "inspection $lang"
done
# the CSV: ticket id (column 2) and 主管已回访 (column 12)
col() { tail -n +2 "$1" | awk -F, '{ print $2 ":" $12 }' | sort | tr '\n' ' '; }
assert_eq "T1:是 T2:无法判定 T3:否 T4:否 " "$(col c-zh.csv)" "checklist CSV (zh)"
assert_eq "T1:yes T2:unknown T3:no T4:no " "$(col c-en.csv)" "checklist CSV (en)"
# the workbook's checklist: the same cells
"$PY" - i-zh.xlsx i-en.xlsx <<'PY' || fail "workbook checklists (above)"
import sys, openpyxl
for book, want in zip(sys.argv[1:], ({"T1": "是", "T2": "无法判定", "T3": "否", "T4": "否"},
                                     {"T1": "yes", "T2": "unknown", "T3": "no", "T4": "no"})):
    wb = openpyxl.load_workbook(book)
    ws = wb[wb.sheetnames[1]]
    got = {r[1].value: r[11].value for r in ws.iter_rows(min_row=2) if r[1].value in want}
    if got != want:
        print("FAIL: %s: %r, want %r" % (book, got, want), file=sys.stderr)
        sys.exit(1)
PY
# the PDF: one by a supervisor, one that cannot be told
pdf_text i-zh.pdf zh.txt
pdftotext i-en.pdf - 2>/dev/null | tr -d ' \n' >en.txt
has zh.txt "由主管（岗位为主管、主任或经理）回访 1 例。另有 1 例无法判定是否由主管回访" "zh overview"
has en.txt "1ofthembyasupervisor(role主管,主任or经理).For1moreitcannotbetold" "en overview"
has zh.txt "满意 · 主管回访无法判定" "zh checklist row of T2"
has en.txt "满意·supervisor:unknown" "en checklist row of T2"

# Whose callback is the supervisor's is the rules file's: T-PAID-SUPERVISOR's
# callback_roles, as the engine matches them. A company whose supervisors are
# 客服专员 gets T3 as the supervisor's; a rules file that names no roles gets
# no supervisor's callback at all (no 无法判定 either) and says so.
sed 's/^callback_roles *=.*/callback_roles = 客服专员/' "$ROOT/rules/default.rules" >clerk.rules
sed '/^callback_roles *=/d' "$ROOT/rules/default.rules" >noroles.rules
grep -q '^callback_roles = 客服专员' clerk.rules || fail "clerk.rules"
for rules in clerk noroles; do
	"$PMAUDIT" report inspection --db d.db --quarter 2026Q4 --fraction 1 --rules $rules.rules \
		--out i-$rules.pdf --checklist c-$rules.csv >/dev/null 2>&1 || fail "inspection $rules"
	"$PMAUDIT" report inspection --db d.db --quarter 2026Q4 --fraction 1 --rules $rules.rules \
		--lang en --out i-$rules-en.pdf >/dev/null 2>&1 || fail "inspection $rules en"
done
assert_eq "T1:否 T2:无法判定 T3:是 T4:否 " "$(col c-clerk.csv)" "checklist CSV, supervisors are 客服专员"
assert_eq "T1:否 T2:否 T3:否 T4:否 " "$(col c-noroles.csv)" "checklist CSV, no supervisor's roles"
pdf_text i-clerk.pdf clerk.txt
pdf_text i-noroles.pdf noroles.txt
pdftotext i-clerk-en.pdf - 2>/dev/null | tr -d ' \n' >clerk-en.txt
pdftotext i-noroles-en.pdf - 2>/dev/null | tr -d ' \n' >noroles-en.txt
has clerk.txt "由主管（岗位为客服专员）回访 1 例" "zh overview, 客服专员"
has clerk-en.txt "1ofthembyasupervisor(role客服专员)" "en overview, 客服专员"
has noroles.txt "规则文件中没有规定主管岗位的回访规则，不判定是否由主管回访" "zh overview, no roles"
has noroles-en.txt "Noruleoftherulesfilenamesthesupervisor'sroles" "en overview, no roles"
grep -q "主管回访无法判定" noroles.txt && fail "no roles: no checklist row is unknown either"
echo ok
