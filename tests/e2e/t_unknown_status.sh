#!/bin/sh
# The unknown (无法判定) status (issue 12, MAPPING.md "Never silently wrong"):
# a record whose file lacked a field a rule needs is not judged for that rule
# -- counted unknown, never breached -- in check's table, check --json, the
# breaches CSV and the monthly report; a later file WITH the field makes the
# records judged again; a file WITHOUT it updating a record that had it
# keeps the record judged (the fields some import gave it). The workbook too.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
. "$ROOT/tests/e2e/xlsx_lib.sh"

db=$T/u.db
M="--month 2026-10"

# Three complaints, none resolved in the file: it has no resolved_at column.
# Without the unknown status each would be breached (no resolution by the
# month's end). C1 important, C2 minor, C3 major.
cat >"$T/c-nores.csv" <<'EOF'
complaint_id,site,level,received_at,responded_at,escalated_at,replied_at,requested_by
C1,金桂苑,重要,2026-10-05 09:00:00,2026-10-05 09:10:00,2026-10-05 09:30:00,,
C2,金桂苑,一般,2026-10-06 10:00:00,2026-10-06 10:05:00,,,
C3,海棠湾,重大,2026-10-07 08:00:00,2026-10-07 08:10:00,2026-10-07 12:00:00,2026-10-08 09:00:00,
EOF
# One paid repair above ¥200 in a file with neither paid nor charge.
cat >"$T/t-nopaid.csv" <<'EOF'
ticket_id,site,category,reported_at,completed_at
T1,金桂苑,电梯,2026-10-08 08:00:00,2026-10-08 12:00:00
EOF
"$PMAUDIT" import --db "$db" "$T/c-nores.csv" "$T/t-nopaid.csv" >"$T/import1.log" 2>&1 ||
	fail "import 1: $(tail -3 "$T/import1.log")"
grep -q "no resolved_at: rules C-MAJOR-RESOLVE, C-IMPORTANT-RESOLVE, C-MINOR-RESOLVE" "$T/import1.log" ||
	fail "the import does not report the missing resolved_at"

# check's table: RULE MET BREACHED PENDING UNKNOWN RATE ...
row() { awk -v id="$2" '$1 == id { print $2, $3, $4, $5, $6 }' "$1"; }
"$PMAUDIT" check --db "$db" $M --json "$T/1.json" --csv "$T/1.csv" >"$T/1.txt" ||
	fail "check 1"
head -30 "$T/1.txt" | grep -q ' unknown ' || fail "check's table has no unknown column"
assert_eq "0 0 0 1 -" "$(row "$T/1.txt" C-IMPORTANT-RESOLVE)" "table: C-IMPORTANT-RESOLVE"
assert_eq "0 0 0 1 -" "$(row "$T/1.txt" C-MINOR-RESOLVE)" "table: C-MINOR-RESOLVE"
assert_eq "0 0 0 1 -" "$(row "$T/1.txt" C-MAJOR-RESOLVE)" "table: C-MAJOR-RESOLVE"
# the fields the file had are judged as before
assert_eq "1 0 0 0 100.00%" "$(row "$T/1.txt" C-IMPORTANT-ESCALATE)" "table: C-IMPORTANT-ESCALATE"
assert_eq "3 0 0 0 100.00%" "$(row "$T/1.txt" C-RESPOND)" "table: C-RESPOND"
for r in C-IMPORTANT-RESOLVE C-MINOR-RESOLVE C-MAJOR-RESOLVE; do
	assert_eq 1 "$(j "$T/1.json" "\$.rules.$r.unknown")" "json: $r unknown"
	assert_eq 0 "$(j "$T/1.json" "\$.rules.$r.breached")" "json: $r breached"
	assert_eq "" "$(j "$T/1.json" "\$.rules.$r.rate")" "json: $r rate (null)"
done
assert_eq 0 "$(j "$T/1.json" '$.rules.C-RESPOND.unknown')" "json: C-RESPOND unknown"
# paid and charge unknown: the paid-repair rules cannot tell T1 is theirs
assert_eq 1 "$(j "$T/1.json" '$.rules.T-PAID-SUPERVISOR.unknown')" "json: T-PAID-SUPERVISOR unknown"
assert_eq 0 "$(j "$T/1.json" '$.rules.T-PAID-SUPERVISOR.denominator')" "json: T-PAID-SUPERVISOR denominator"
assert_eq 1 "$(j "$T/1.json" '$.rules.T-PAID-CB-WEEKLY.unknown')" "json: T-PAID-CB-WEEKLY unknown"
assert_eq 0 "$(j "$T/1.json" '$.rules.T-PAID-CB-WEEKLY.denominator')" "json: T-PAID-CB-WEEKLY denominator"
# the CSV lists them as 无法判定, and none of them as breached
for id in C1 C2 C3; do
	grep -q "RESOLVE,[^,]*,$id,.*,无法判定," "$T/1.csv" || fail "csv: $id is not listed as 无法判定"
done
if grep -q "RESOLVE,[^,]*,C[123],.*,超时," "$T/1.csv"; then fail "csv: an unresolved complaint is breached"; fi
"$PMAUDIT" check --db "$db" $M --lang en --csv "$T/1-en.csv" >/dev/null || fail "check en"
assert_eq 3 "$(grep -c 'RESOLVE,.*,unknown,' "$T/1-en.csv")" "csv (en): unknown rows"
# the workbook: the unknown column holds the stored counts (xlsx_check compares
# each rule's with the JSON's "unknown") and the breaches sheet lists them
"$PMAUDIT" check --db "$db" $M --json "$T/x.json" --xlsx "$T/1.xlsx" >/dev/null || fail "check --xlsx"
xlsx_check "$T/1.xlsx" "$T/x.json" "$db"
"$PY" - "$T/1.xlsx" <<'PY' || fail "workbook: no 无法判定 row or count"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
assert cells.count("无法判定") >= 4, cells.count("无法判定")  # the column header and three rows
PY
# the monthly report: the rules' sentences and tables say 无法判定
"$PMAUDIT" report monthly --db "$db" $M --out "$T/m1.pdf" >/dev/null 2>&1 || fail "report 1"
pdf_text "$T/m1.pdf" "$T/m1.txt"
grep -q "无法判定 1 条（导入文件缺少该规则所需字段，不计入比率）" "$T/m1.txt" ||
	fail "report: no 无法判定 count in a rule's sentence"
grep -q "无法判定的记录（导入文件缺少该规则所需的字段）不作判定" "$T/m1.txt" ||
	fail "report: the rate's note does not say how unknown records count"

# The same complaints again, now WITH resolved_at: judged. C1 in 3 days
# (met), C2 minor late (breached), C3 in 10 days (met).
cat >"$T/c-res.csv" <<'EOF'
complaint_id,site,level,received_at,responded_at,escalated_at,replied_at,resolved_at,requested_by
C1,金桂苑,重要,2026-10-05 09:00:00,2026-10-05 09:10:00,2026-10-05 09:30:00,,2026-10-06 09:00:00,
C2,金桂苑,一般,2026-10-06 10:00:00,2026-10-06 10:05:00,,,2026-10-20 10:00:00,
C3,海棠湾,重大,2026-10-07 08:00:00,2026-10-07 08:10:00,2026-10-07 12:00:00,2026-10-08 09:00:00,2026-10-09 08:00:00,
EOF
"$PMAUDIT" import --db "$db" "$T/c-res.csv" >"$T/import2.log" 2>&1 || fail "import 2: $(tail -3 "$T/import2.log")"
"$PMAUDIT" check --db "$db" $M --json "$T/2.json" --csv "$T/2.csv" >"$T/2.txt" || fail "check 2"
assert_eq "1 0 0 0 100.00%" "$(row "$T/2.txt" C-IMPORTANT-RESOLVE)" "judged: C-IMPORTANT-RESOLVE"
assert_eq "0 1 0 0 0.00%" "$(row "$T/2.txt" C-MINOR-RESOLVE)" "judged: C-MINOR-RESOLVE"
assert_eq "1 0 0 0 100.00%" "$(row "$T/2.txt" C-MAJOR-RESOLVE)" "judged: C-MAJOR-RESOLVE"
assert_eq 0 "$(j "$T/2.json" '$.rules.C-MINOR-RESOLVE.unknown')" "json 2: C-MINOR-RESOLVE unknown"
if grep -q ',无法判定,' "$T/2.csv" && grep ',无法判定,' "$T/2.csv" | grep -q '^C-'; then
	fail "csv 2: a complaint is still 无法判定"
fi

# A file WITHOUT resolved_at updating the records (a new responded_at for
# C2): they keep the resolved_at and stay judged.
cat >"$T/c-nores2.csv" <<'EOF'
complaint_id,site,level,received_at,responded_at,escalated_at,replied_at,requested_by
C1,金桂苑,重要,2026-10-05 09:00:00,2026-10-05 09:10:00,2026-10-05 09:30:00,,
C2,金桂苑,一般,2026-10-06 10:00:00,2026-10-06 10:20:00,,,
C3,海棠湾,重大,2026-10-07 08:00:00,2026-10-07 08:10:00,2026-10-07 12:00:00,2026-10-08 09:00:00,
EOF
"$PMAUDIT" import --db "$db" "$T/c-nores2.csv" >"$T/import3.log" 2>&1 || fail "import 3: $(tail -3 "$T/import3.log")"
assert_eq "2026-10-06 10:20:00" "$(q "$db" "SELECT responded_at FROM complaints WHERE complaint_id = 'C2'")" "C2 updated"
"$PMAUDIT" check --db "$db" $M --json "$T/3.json" >"$T/3.txt" || fail "check 3"
assert_eq "1 0 0 0 100.00%" "$(row "$T/3.txt" C-IMPORTANT-RESOLVE)" "kept: C-IMPORTANT-RESOLVE"
assert_eq "0 1 0 0 0.00%" "$(row "$T/3.txt" C-MINOR-RESOLVE)" "kept: C-MINOR-RESOLVE"
assert_eq "1 0 0 0 100.00%" "$(row "$T/3.txt" C-MAJOR-RESOLVE)" "kept: C-MAJOR-RESOLVE"
assert_eq 0 "$(j "$T/3.json" '$.rules.C-IMPORTANT-RESOLVE.unknown')" "json 3: unknown"

# paid and charge given later: T1 is judged by the paid-repair rules
cat >"$T/t-paid.csv" <<'EOF'
ticket_id,site,category,paid,charge,reported_at,completed_at
T1,金桂苑,电梯,是,250.00,2026-10-08 08:00:00,2026-10-08 12:00:00
EOF
"$PMAUDIT" import --db "$db" "$T/t-paid.csv" >"$T/import4.log" 2>&1 || fail "import 4: $(tail -3 "$T/import4.log")"
"$PMAUDIT" check --db "$db" $M --json "$T/4.json" >/dev/null || fail "check 4"
assert_eq 0 "$(j "$T/4.json" '$.rules.T-PAID-SUPERVISOR.unknown')" "json 4: T-PAID-SUPERVISOR unknown"
assert_eq 1 "$(j "$T/4.json" '$.rules.T-PAID-SUPERVISOR.denominator')" "json 4: T-PAID-SUPERVISOR denominator"

# the stored site counts hold the unknown records too
assert_eq 3 "$(q "$db" "SELECT sum(unknown) FROM check_site_results s JOIN check_runs r USING (run_id)
	WHERE run_id = (SELECT min(run_id) FROM check_runs) AND rule_id LIKE '%RESOLVE'")" "site counts: unknown"
# A field a rule only prefers is no need: a leak repair in a file without
# leak_test_at is judged from completed_at (RULES.md: "leak_test_at, else
# completed_at"), a minor complaint without requested_by by its 2 days.
cat >"$T/t-leak.csv" <<'EOF'
ticket_id,site,category,reported_at,completed_at
L1,金桂苑,渗漏水,2026-10-09 08:00:00,2026-10-09 12:00:00
EOF
cat >"$T/c-minor.csv" <<'EOF'
complaint_id,site,level,received_at,resolved_at
M1,金桂苑,一般,2026-10-12 09:00:00,2026-10-13 09:00:00
EOF
"$PMAUDIT" import --db "$T/leak.db" "$T/t-leak.csv" "$T/c-minor.csv" >"$T/import5.log" 2>&1 ||
	fail "import 5: $(tail -3 "$T/import5.log")"
! grep -q "no leak_test_at\|no requested_by" "$T/import5.log" || fail "import 5 calls a fallback field missing"
"$PMAUDIT" check --db "$T/leak.db" $M --as-of 2026-11-01 --json "$T/5.json" >/dev/null || fail "check 5"
assert_eq "0 1" "$(j "$T/5.json" '$.rules.T-CB-LEAK.unknown') $(j "$T/5.json" '$.rules.T-CB-LEAK.breached')" \
	"json 5: T-CB-LEAK judged from completed_at (no callback: breached)"
assert_eq "0 1" "$(j "$T/5.json" '$.rules.C-MINOR-RESOLVE.unknown') $(j "$T/5.json" '$.rules.C-MINOR-RESOLVE.met')" \
	"json 5: C-MINOR-RESOLVE judged by its 2 days"
# Callbacks carry the fields they were given too (schema v6): a paid repair
# of 200 yuan or more whose callbacks at or after completion include one
# from a file without a role column, and none by a supervisor, cannot be
# judged by T-PAID-SUPERVISOR (that callback may have been the
# supervisor's): unknown, not breached (docs/rules.md "Unknown").
#   P1  called back only by a file without role            -> unknown
#   P2  called back by a 客服专员 (role known)              -> breached
#   P3  called back by a 客服主管                          -> met
#   P4  a 客服专员 (known) and a role-less callback          -> unknown
#   P5  a role column with an empty cell (known: nobody)    -> breached
#   P6  no callback at all                                  -> breached
cat >"$T/t-paid6.csv" <<'EOF'
ticket_id,site,category,paid,charge,reported_at,completed_at
P1,金桂苑,水电,是,250.00,2026-10-08 08:00:00,2026-10-08 12:00:00
P2,金桂苑,水电,是,300.00,2026-10-09 08:00:00,2026-10-09 12:00:00
P3,金桂苑,水电,是,300.00,2026-10-10 08:00:00,2026-10-10 12:00:00
P4,海棠湾,水电,是,300.00,2026-10-11 08:00:00,2026-10-11 12:00:00
P5,海棠湾,水电,是,300.00,2026-10-12 08:00:00,2026-10-12 12:00:00
P6,海棠湾,水电,是,300.00,2026-10-13 08:00:00,2026-10-13 12:00:00
EOF
cat >"$T/cb-norole.csv" <<'EOF'
callback_id,site,ref_kind,ref_id,callback_at,staff,result
K1,金桂苑,报修,P1,2026-10-09 09:00:00,王,满意
K4b,海棠湾,报修,P4,2026-10-12 10:00:00,赵,满意
EOF
cat >"$T/cb-role.csv" <<'EOF'
callback_id,site,ref_kind,ref_id,callback_at,staff,role
K2,金桂苑,报修,P2,2026-10-10 09:00:00,李,客服专员
K3,金桂苑,报修,P3,2026-10-11 09:00:00,张,客服主管
K4a,海棠湾,报修,P4,2026-10-12 09:00:00,钱,客服专员
K5,海棠湾,报修,P5,2026-10-13 09:00:00,孙,
EOF
pdb=$T/paid.db
"$PMAUDIT" import --db "$pdb" "$T/t-paid6.csv" "$T/cb-norole.csv" "$T/cb-role.csv" >"$T/import6.log" 2>&1 ||
	fail "import 6: $(tail -3 "$T/import6.log")"
grep -q "cb-norole.csv: the file has no role: rules T-PAID-SUPERVISOR cannot judge its records" "$T/import6.log" ||
	fail "the import does not report the missing role"
! grep -q "cb-role.csv: the file has no role" "$T/import6.log" || fail "a file with a role column is reported"
# the role bit is set exactly for the role file's callbacks (an empty cell too)
assert_eq "K2 K3 K4a K5" "$(q "$pdb" "SELECT group_concat(callback_id, ' ') FROM (SELECT callback_id FROM callbacks
	WHERE fields & (1 << (SELECT cid FROM pragma_table_info('callbacks') WHERE name = 'role')) <> 0
	ORDER BY 1)")" "callbacks given a role"
"$PMAUDIT" check --db "$pdb" $M --as-of 2026-11-01 --json "$T/6.json" --csv "$T/6.csv" >"$T/6.txt" ||
	fail "check 6"
# met 1, breached 3, pending -, unknown 2, rate 1/4
assert_eq "1 3 - 2 25.00%" "$(row "$T/6.txt" T-PAID-SUPERVISOR)" "table: T-PAID-SUPERVISOR"
assert_eq "2 1 4" "$(for k in unknown numerator denominator; do
	j "$T/6.json" "\$.rules.T-PAID-SUPERVISOR.$k"; done | tr '\n' ' ' | sed 's/ $//')" "json: T-PAID-SUPERVISOR"
# the role is no field of the other callback rules: every repair but P6 is called back
assert_eq "0 5 6" "$(for k in unknown numerator denominator; do j "$T/6.json" "\$.rules.T-CB-COVERAGE.$k"; done |
	tr '\n' ' ' | sed 's/ $//')" "json: T-CB-COVERAGE judged"
for id in P1 P4; do
	grep -q "^T-PAID-SUPERVISOR,[^,]*,$id,.*,无法判定," "$T/6.csv" || fail "csv: $id is not 无法判定"
done
for id in P2 P5 P6; do
	grep -q "^T-PAID-SUPERVISOR,[^,]*,$id,.*,超时," "$T/6.csv" || fail "csv: $id is not breached"
done
assert_eq "callbacks.role" "$(q "$pdb" "SELECT group_concat(DISTINCT detail) FROM check_records
	WHERE rule_id = 'T-PAID-SUPERVISOR' AND status = 'unknown'")" "the unknown records' detail"
"$PMAUDIT" report monthly --db "$pdb" $M --as-of 2026-11-01 --out "$T/m6.pdf" >/dev/null 2>&1 || fail "report 6"
pdftotext -layout "$T/m6.pdf" "$T/m6.txt" 2>/dev/null
grep -A2 "^T-PAID-SUPERVISOR 200元以上有偿维修主管回访" "$T/m6.txt" | tr -d '\n' |
	grep -q "1 / 4，比率 25.00%.*无法判定 2 条（导入文件缺少该规则所需字段，不计入比" ||
	fail "report: T-PAID-SUPERVISOR's sentence has no 无法判定 count"
# the appendix says 无法判定 for them, not 未完成 (not done); the others late
assert_eq 2 "$(grep '^200元以上有偿维 *P[14] ' "$T/m6.txt" | grep -c '—  *无法判定$')" "appendix: 无法判定"
assert_eq 3 "$(grep '^200元以上有偿维 *P[256] ' "$T/m6.txt" | grep -c '未完成  *—$')" "appendix: breached"
# a role-less file updating a callback that has a role keeps it (and the
# callback its role bit): P2 stays breached, not unknown
cat >"$T/cb-norole2.csv" <<'EOF'
callback_id,site,ref_kind,ref_id,callback_at,staff
K2,金桂苑,报修,P2,2026-10-10 09:00:00,李四
EOF
"$PMAUDIT" import --db "$pdb" "$T/cb-norole2.csv" >"$T/import7.log" 2>&1 || fail "import 7"
assert_eq "李四|客服专员" "$(q "$pdb" "SELECT staff, role FROM callbacks WHERE callback_id = 'K2'")" "K2 keeps its role"
# and P1's callback imported again with a role: judged (met)
cat >"$T/cb-role2.csv" <<'EOF'
callback_id,site,ref_kind,ref_id,callback_at,role
K1,金桂苑,报修,P1,2026-10-09 09:00:00,管理处主任
EOF
"$PMAUDIT" import --db "$pdb" "$T/cb-role2.csv" >"$T/import8.log" 2>&1 || fail "import 8"
"$PMAUDIT" check --db "$pdb" $M --as-of 2026-11-01 --json "$T/8.json" >"$T/8.txt" || fail "check 8"
assert_eq "2 3 - 1 40.00%" "$(row "$T/8.txt" T-PAID-SUPERVISOR)" "table 8: P1 met, P2 still breached"
echo ok
