#!/bin/sh
# pmaudit check / rules end to end on a hand-made database (records written
# with sqlite3 in the storage conventions, so this does not need the
# importer): the table, --json, --csv, exit codes, --rules errors, working
# days with --calendar, and running the binary from another directory.
set -eu
. "$ROOT/tests/e2e/lib.sh"

db="$T/audit.db"
# check no longer creates a missing database (it printed zeros: issue 13);
# importing a header-only file creates the schema.
printf 'ticket_id,site,category,reported_at\n' > "$T/none.csv"
"$PMAUDIT" import --db "$db" "$T/none.csv" >/dev/null
sqlite3 "$db" <<'SQL'
INSERT INTO tickets(ticket_id, site, room, category, urgent, paid, charge, reported_at, arrived_at, completed_at) VALUES
 ('T1', '翠湖花园', '1-101', '安全设施', 1, 0, NULL, '2026-10-05 10:00:00', '2026-10-05 10:15:00', '2026-10-06 10:00:00'),
 ('T2', '翠湖花园', '1-102', '电梯', 1, 1, 25000, '2026-10-05 10:00:00', '2026-10-05 10:15:01', '2026-10-06 10:00:00'),
 ('T3', '金桂苑', '2-201', '水电', 0, 0, NULL, '2026-10-30 10:00:00', NULL, '2026-10-31 10:00:00');
INSERT INTO callbacks(callback_id, site, ref_kind, ref_id, callback_at, role) VALUES
 ('H1', '翠湖花园', 'ticket', 'T1', '2026-10-08 10:00:00', '主管'),
 ('H2', '翠湖花园', 'ticket', 'T2', '2026-10-08 10:00:01', '客服专员'),
 ('H3', '金桂苑', 'ticket', 'NONE', '2026-10-09 10:00:00', NULL);
INSERT INTO complaints(complaint_id, site, level, valid, received_at, responded_at, replied_at) VALUES
 ('C1', '金桂苑', 'minor', 1, '2026-09-30 10:00:00', '2026-09-30 10:10:00', '2026-10-08 23:59:59'),
 ('C2', '金桂苑', 'minor', 0, '2026-10-03 10:00:00', NULL, NULL),
 ('C3', '金桂苑', 'minor', 1, '2026-12-31 10:00:00', NULL, NULL);
INSERT INTO fees(entry_id, site, room, fee_item, period, kind, amount, at, due_date) VALUES
 ('F1', '翠湖花园', '1-101', '物业管理费', '2026-10', 'charge', 10000, '2026-10-01', '2026-10-31'),
 ('F2', '翠湖花园', '1-101', '物业管理费', '2026-10', 'payment', 2500, '2026-10-10 09:00:00', NULL);
SQL

# The table: one line per rule, then fees and findings.
out=$("$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/s.json" --csv "$T/r.csv")
echo "$out"
echo "$out" | grep -q '^T-CB-SAFETY  *1  *0  *0  *0  *100.00%  *100%  yes' || fail "T-CB-SAFETY line"
echo "$out" | grep -q '^T-ARRIVE  *1  *1  *0  *0  *50.00%  *100%  no' || fail "T-ARRIVE line"
echo "$out" | grep -q '^T-CB-OTHER  *0  *1  *1 ' || fail "T-CB-OTHER line"
echo "$out" | grep -q 'current rate (当期收缴率)  *25.00%' || fail "current rate"
echo "$out" | grep -q '1 orphan callbacks' || fail "orphans"

# JSON: valid, OUTPUT.md keys, and the same text as check_runs.summary_json.
assert_eq 1 "$(sqlite3 "$db" "SELECT json_valid(readfile('$T/s.json'))")" "valid JSON"
assert_eq 0.5 "$(sqlite3 "$db" "SELECT json_extract(readfile('$T/s.json'), '\$.rules.T-ARRIVE.rate')")" "T-ARRIVE rate"
assert_eq 7500 "$(sqlite3 "$db" "SELECT json_extract(readfile('$T/s.json'), '\$.fees.aging_cents.1-30')")" "aging 1-30"
assert_eq 3 "$(sqlite3 "$db" "SELECT json_extract(readfile('$T/s.json'), '\$.volumes.tickets')")" "tickets"
assert_eq 1 "$(sqlite3 "$db" "SELECT json_extract(readfile('$T/s.json'), '\$.volumes.complaints')")" "complaints (C2)"
assert_eq 1 "$(sqlite3 "$db" "SELECT CAST(readfile('$T/s.json') AS TEXT) = summary_json FROM check_runs ORDER BY run_id DESC LIMIT 1")" "stored summary"
# The same data gives the same JSON.
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/s2.json" >/dev/null
cmp "$T/s.json" "$T/s2.json" || fail "JSON not deterministic"

# --no-records: a figures-only run; the same table and JSON (plus "records": false), no records.
out2=$("$PMAUDIT" check --db "$db" --month 2026-10 --no-records --json "$T/f.json" | tail -n +2)
assert_eq "$(echo "$out" | tail -n +2)" "$out2" "--no-records table"
assert_eq 0 "$(q "$db" "SELECT count(*) FROM check_records WHERE run_id = (SELECT max(run_id) FROM check_runs)")" "--no-records stores no records"
assert_eq 0 "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/f.json'), '\$.records')")" "--no-records JSON says so"
grep -v '"records": false' "$T/f.json" | cmp - "$T/s.json" || fail "--no-records JSON differs"
grep -q '"records"' "$T/s.json" && fail "a full run's JSON has a records key"
set +e
"$PMAUDIT" check --db "$db" --month 2026-10 --no-records --csv "$T/x.csv" >/dev/null 2>&1; assert_eq 2 $? "--no-records --csv"
"$PMAUDIT" check --db "$db" --month 2026-10 --no-records --keep-met >/dev/null 2>&1; assert_eq 2 $? "--no-records --keep-met"
set -e

# CSV: BOM, header, breached and pending rows only.
head -c 3 "$T/r.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "CSV BOM"
# Chinese by default (issue 14): header, rule title, status and lateness
head -1 "$T/r.csv" | grep -q '规则编号,规则名称,记录编号,项目,开始时间,期限,完成时间,状态,超时,超时秒数' || fail "CSV header"
grep -q '^T-ARRIVE,紧急报修15分钟到场,T2,翠湖花园,2026-10-05 10:00:00,2026-10-05 10:15:00,2026-10-05 10:15:01,超时,不足1分钟,1' "$T/r.csv" \
	|| fail "CSV T-ARRIVE row"
grep -q ',met,\|,达标,' "$T/r.csv" && fail "CSV lists a met record"
# --lang en: the same rows in English
"$PMAUDIT" check --db "$db" --month 2026-10 --lang en --csv "$T/r-en.csv" >/dev/null
head -1 "$T/r-en.csv" | grep -q 'rule_id,rule_title,record_id,site,start,deadline,end,status,how_late,late_seconds' || fail "CSV header (en)"
grep -q '^T-ARRIVE,On site within 15 minutes of an urgent repair request,T2,翠湖花园,2026-10-05 10:00:00,2026-10-05 10:15:00,2026-10-05 10:15:01,breached,under 1m,1' "$T/r-en.csv" \
	|| fail "CSV T-ARRIVE row (en)"
assert_eq "$(wc -l <"$T/r.csv")" "$(wc -l <"$T/r-en.csv")" "rows in both languages"
set +e
"$PMAUDIT" check --db "$db" --month 2026-10 --lang fr >/dev/null 2>&1; assert_eq 2 $? "--lang fr"
set -e

# --site and --as-of.
"$PMAUDIT" check --db "$db" --month 2026-10 --site 金桂苑 --as-of 2026-10-31 --json - >"$T/site.json"
assert_eq 1 "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/site.json'), '\$.volumes.tickets')")" "site tickets"
assert_eq '2026-10-31 00:00:00' "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/site.json'), '\$.as_of')")" "as-of"

# Bad usage exits 2, errors exit 1 with the file and line.
set +e
"$PMAUDIT" check --db "$db" >/dev/null 2>&1; assert_eq 2 $? "no period"
"$PMAUDIT" check --db "$db" --month 2026-13 >/dev/null 2>&1; assert_eq 2 $? "bad month"
printf '[X]\nkind = deadline\nlimit = 2 days\n' >"$T/bad.rules"
msg=$("$PMAUDIT" check --db "$db" --month 2026-10 --rules "$T/bad.rules" 2>&1); assert_eq 1 $? "bad rules"
echo "$msg" | grep -q "$T/bad.rules:3: limit" || fail "rules error names file and line: $msg"
# Working days: the example policy needs 2027 for C3 (received 2026-12-31).
msg=$("$PMAUDIT" check --db "$db" --month 2026-12 --rules "$ROOT/rules/example-standard.rules" 2>&1)
assert_eq 1 $? "uncovered year"
echo "$msg" | grep -q "2027" || fail "names the missing year: $msg"
set -e
printf 'date,kind,name\n2027-01-01,holiday,元旦\n' >"$T/cn-2027.csv"
"$PMAUDIT" check --db "$db" --month 2026-12 --rules "$ROOT/rules/example-standard.rules" \
	--calendar "$T/cn-2027.csv" --csv "$T/wd.csv" >/dev/null
grep -q '^S002-PLAN-GENERAL,[^,]*,C3,金桂苑,2026-12-31 10:00:00,2027-01-04 23:59:59,,待定' "$T/wd.csv" || fail "1wd over New Year"
# 国庆: C1 received 09-30, 1 working day = 10-08 23:59:59
# (met records are counted per site; --keep-met stores them to show the deadline)
"$PMAUDIT" check --db "$db" --month 2026-09 --as-of 2026-10-09 --rules "$ROOT/rules/example-standard.rules" >/dev/null
assert_eq '' "$(q "$db" "SELECT status FROM check_records WHERE rule_id = 'S002-PLAN-GENERAL' AND record_id = 'C1' AND run_id = (SELECT max(run_id) FROM check_runs)")" "met C1 not stored"
assert_eq 1 "$(q "$db" "SELECT met FROM check_site_results WHERE rule_id = 'S002-PLAN-GENERAL' AND site = '金桂苑' AND run_id = (SELECT max(run_id) FROM check_runs)")" "met C1 counted"
"$PMAUDIT" check --db "$db" --month 2026-09 --as-of 2026-10-09 --rules "$ROOT/rules/example-standard.rules" --keep-met >/dev/null
assert_eq 'met|2026-10-08 23:59:59' "$(q "$db" "SELECT status || '|' || deadline_at FROM check_records WHERE rule_id = 'S002-PLAN-GENERAL' AND record_id = 'C1' ORDER BY run_id DESC LIMIT 1")" "1wd over 国庆"

# rules lists the default set with sources, from any directory.
cd /
out=$("$PMAUDIT" rules)
echo "$out" | grep -q '^T-CB-LEAK  *on  *deadline' || fail "rules lists T-CB-LEAK"
echo "$out" | grep -q 'source: 000: 房屋渗漏水项目维修试漏后3天内回访' || fail "rules shows the source"
"$PMAUDIT" check --help | grep -q -- '--quarter' || fail "help"
