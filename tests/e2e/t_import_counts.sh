# A small import of all four logs: exact counts, stored values, run records.
set -eu
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
cat > tickets.csv <<'CSV'
ticket_id,site,room,category,urgent,paid,charge,reported_at,dispatched_at,arrived_at,completed_at,leak_test_at,technician
T1,阳光花园,1-101,渗漏水,Y,yes,"1,234.50",2026-10-03 08:05:00,2026-10-03 08:10,2026/10/3 8:30,2026-10-03T12:00:00,2026-10-04 09:00,张三
T2,阳光花园,1-102,安全设施,,,,2026年10月3日 8时5分,,,,,
T3,翠湖苑,2-201,其他,N,N,¥80,2026/10/05,,,2026-10-04 10:00,,李四
CSV
cat > complaints.csv <<'CSV'
投诉编号,小区,房号,投诉方式,投诉等级,类别,涉及部门,投诉时间,首次响应时间,上报时间,答复时间,解决时间,要求期限,是否有效,内容摘要
C1,阳光花园,1-101,来电,重大,噪音,工程部,2026-10-03 09:00,2026-10-03 09:20,,,2026-10-05 10:00,2026-10-10,,楼上装修
C2,阳光花园,1-102,网络,一般,,,2026-10-04 10:00,,,,,2026-10-06 18:00,否,
CSV
printf 'callback_id\tsite\tref_kind\tref_id\tcallback_at\tmethod\tstaff\trole\tresult\tproblem_found\nB1\t阳光花园\t报修\tT1\t2026-10-05 10:00\t电话\t王五\t主管\t满意\t\nB2\t阳光花园\tcomplaint\tC9\t2026-10-06 10:00\t上门\t赵六\t客服\t不满意\t是\n' > callbacks.tsv
cat > fees.csv <<'CSV'
流水号,项目,房号,收费项目,账期,类型,金额,日期,应缴日期,方式,托管
F1,阳光花园,1-101,物业管理费,2024年2月,应收,"1,200.00",2024-02-01,,,是
F2,阳光花园,1-101,物业管理费,202402,实收,-20.5,2024/2/20 10:00,,微信,
F3,阳光花园,1-101,物业管理费,2024/02,催缴,,2024-03-05,,电话,
CSV
"$PMAUDIT" import --db db tickets.csv complaints.csv callbacks.tsv fees.csv > out.txt
cat out.txt
grep -q '^tickets.csv: tickets, 3 rows read, 3 inserted, 0 updated, 0 unchanged, 0 rejected' out.txt || fail "tickets summary"
grep -q '^complaints.csv: complaints, 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 rejected' out.txt || fail "complaints summary"
grep -q '^callbacks.tsv: callbacks, 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 rejected' out.txt || fail "callbacks summary"
grep -q '^fees.csv: fees, 3 rows read, 3 inserted, 0 updated, 0 unchanged, 0 rejected' out.txt || fail "fees summary"

assert_eq "1|1|123450|2026-10-03 08:05:00|2026-10-03 08:30:00|2026-10-03 12:00:00|张三" \
	"$(q db "SELECT urgent,paid,charge,reported_at,arrived_at,completed_at,technician FROM tickets WHERE ticket_id='T1'")" "T1 values"
assert_eq "0|0||2026-10-03 08:05:00|" \
	"$(q db "SELECT urgent,paid,charge,reported_at,completed_at FROM tickets WHERE ticket_id='T2'")" "T2 defaults and NULLs"
# completed before reported: stored all the same (the rules flag it)
assert_eq "8000|2026-10-05 00:00:00|2026-10-04 10:00:00" \
	"$(q db "SELECT charge,reported_at,completed_at FROM tickets WHERE ticket_id='T3'")" "T3"
assert_eq "major|2026-10-10 23:59:59|1|楼上装修" \
	"$(q db "SELECT level,requested_by,valid,summary FROM complaints WHERE complaint_id='C1'")" "C1"
assert_eq "minor|2026-10-06 18:00:00|0" \
	"$(q db "SELECT level,requested_by,valid FROM complaints WHERE complaint_id='C2'")" "C2"
assert_eq "ticket|T1|0|complaint|C9|1" \
	"$(q db "SELECT group_concat(ref_kind||'|'||ref_id||'|'||problem_found, '|') FROM (SELECT * FROM callbacks ORDER BY callback_id)")" "callbacks"
assert_eq "charge|120000|2024-02|2024-02-29|1" \
	"$(q db "SELECT kind,amount,period,due_date,custody FROM fees WHERE entry_id='F1'")" "F1 charge with default due date"
assert_eq "payment|-2050||0|2024-02-20 10:00:00" \
	"$(q db "SELECT kind,amount,due_date,custody,at FROM fees WHERE entry_id='F2'")" "F2"
assert_eq "reminder||电话" "$(q db "SELECT kind,amount,method FROM fees WHERE entry_id='F3'")" "F3"

assert_eq 4 "$(q db "SELECT count(*) FROM import_runs WHERE status='ok' AND ended_at IS NOT NULL")" "runs"
assert_eq "$(sha256sum fees.csv | cut -d' ' -f1)|$(wc -c < fees.csv)|fees|utf-8|3|3" \
	"$(q db "SELECT sha256,size,kind,encoding,rows_read,inserted FROM import_runs WHERE file='fees.csv'")" "fees run record"
