# import --rules FILE: the rules in force are the rules file's, as check and
# report take it, so a file lacking a field that one of ITS rules needs is
# reported at import with that rule (MAPPING.md "Never silently wrong"),
# in an import and a dry run; the rules file is loaded by the command and
# a bad one stores nothing; the records are then unknown for that rule.
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
cd "$T"
set -e
# a company's own rule: dispatch within 30 minutes of the report
cat >own.rules <<'RULES'
[T-DISPATCH]
kind     = deadline
title_zh = 报修30分钟内派单
title_en = Dispatched within 30 minutes of the report
subject  = tickets
start    = reported_at
end      = dispatched_at
limit    = 30m
target   = 100%
source   = 本公司服务规范
RULES
# the export has no 派单时间 (dispatched_at)
cat >t.csv <<'CSV'
工单号,项目,类别,报修时间,完工时间,到场时间,是否紧急,是否有偿,收费金额,房号
T1,金桂苑,水电,2026-10-08 08:00:00,2026-10-08 12:00:00,2026-10-08 08:10:00,是,否,,1-101
CSV
"$PMAUDIT" import --db a.db --rules own.rules t.csv >out.txt 2>err.txt || fail "import --rules: $(cat err.txt)"
grep -qxF "t.csv: the file has no dispatched_at: rules T-DISPATCH cannot judge its records (无法判定)" out.txt ||
	fail "import --rules: the rule is not named: $(cat out.txt)"
# the built-in rules are not in force: nothing else is named
assert_eq 1 "$(grep -c 'cannot judge' out.txt)" "import --rules: lines naming rules"
# without --rules the default set is in force; it needs no dispatched_at
"$PMAUDIT" import --db b.db t.csv >out-default.txt 2>&1 || fail "import: $(cat out-default.txt)"
! grep -q "dispatched_at\|T-DISPATCH" out-default.txt || fail "default rules: $(cat out-default.txt)"
# a dry run lists it with its rule too
"$PMAUDIT" import --dry-run --rules own.rules t.csv >dry.txt 2>&1 || fail "dry run: $(cat dry.txt)"
grep -qxF "  rules that will lack data (the file has no such field):" dry.txt || fail "dry run: $(cat dry.txt)"
grep -qxF "    dispatched_at: T-DISPATCH" dry.txt || fail "dry run: the rule: $(cat dry.txt)"
# the check with the same rules: unknown, not breached
"$PMAUDIT" check --db a.db --rules own.rules --month 2026-10 --json a.json >/dev/null 2>&1 || fail "check"
assert_eq "0 1" "$(j a.json '$.rules.T-DISPATCH.breached') $(j a.json '$.rules.T-DISPATCH.unknown')" \
	"check: T-DISPATCH unknown"
# a rules file that does not load: exit 2, the file and line named, nothing stored
printf '[T-DISPATCH]\nkind = deadlin\n' >bad.rules
set +e
"$PMAUDIT" import --db c.db --rules bad.rules t.csv >out-bad.txt 2>err-bad.txt
rc=$?
set -e
assert_eq 2 "$rc" "bad rules: exit status"
grep -q "^pmaudit import: bad.rules:2: " err-bad.txt || fail "bad rules: $(cat err-bad.txt)"
[ ! -e c.db ] || assert_eq 0 "$(q c.db 'SELECT count(*) FROM tickets')" "bad rules: rows stored"
set +e
"$PMAUDIT" import --db c.db --rules missing.rules t.csv >/dev/null 2>err-missing.txt
rc=$?
set -e
assert_eq 2 "$rc" "missing rules file: exit status"
grep -q "missing.rules" err-missing.txt || fail "missing rules file: $(cat err-missing.txt)"
echo ok
