#!/bin/sh
# What an audit needs (issue 14): the person responsible and the room of
# every breached or pending record in the monthly report's lists.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m.pdf" >/dev/null || fail "monthly"
pdf_text "$T/m.pdf" "$T/m.txt"
tr -d ' ' <"$T/m.txt" >"$T/m.nospace"

# Every breached or pending ticket and complaint of the appendix (all 65 of
# the fixtures' month) shows its site and room, and its technician or department.
python3 - "$T/m-breaches.csv" >"$T/people" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    if r["记录编号"][:2] in ("T2", "C2"):
        print(r["记录编号"] + "\t" + r["项目"] + " " + r["房号"] + "\t" + r["责任人"])
PY
[ "$(wc -l <"$T/people")" -ge 20 ] || fail "expected breached tickets and complaints"
while IFS="$(printf '\t')" read -r id place who; do
	has "$T/m.nospace" "$(echo "$id$place$who" | tr -d ' ')" "$id: site, room and responsible in the list"
done <"$T/people"

# The approval block on the cover: the names of the options, blank lines without.
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --prepared-by 王晓明 --reviewed-by "李 主管" \
	--approved-by "O'Brien" --out "$T/signed.pdf" >/dev/null || fail "monthly with names"
pdftotext -f 1 -l 1 "$T/signed.pdf" - 2>/dev/null | tr -d ' \n' >"$T/cover"
for w in 编制 审核 批准 姓名：王晓明 姓名：李主管 "姓名：O'Brien" 签字： 日期：; do
	has "$T/cover" "$w" "approval block on the cover"
done
pdftotext -f 1 -l 1 "$T/m.pdf" - 2>/dev/null | tr -d ' \n' >"$T/cover0"
has "$T/cover0" "批准" "approval block without names"
grep -q "姓名：王晓明" "$T/cover0" && fail "a name without --prepared-by"
# on the cover itself, in English too (its longer lines leave less room)
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --lang en --out "$T/m-en.pdf" >/dev/null 2>&1 ||
	fail "monthly en"
pdftotext -f 1 -l 1 "$T/m-en.pdf" - 2>/dev/null | grep -q 'Approved by' || fail "English approval block not on the cover"
"$PMAUDIT" report annual --db "$db" --year 2026 --lang en --approved-by "Wang Min" --out "$T/a.pdf" \
	>/dev/null 2>&1 || fail "annual with a name"
pdftotext -f 1 -l 1 "$T/a.pdf" - 2>/dev/null >"$T/acover"
for w in "Prepared by" "Reviewed by" "Approved by" "Name: Wang Min"; do
	has "$T/acover" "$w" "annual approval block"
done
"$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --reviewed-by 赵审核 --out "$T/i.pdf" \
	>/dev/null 2>&1 || fail "inspection with a reviewer"
pdf_text "$T/i.pdf" "$T/i.txt"
has "$T/i.txt" "审核" "the checklist's reviewer"
has "$T/i.txt" "姓名：赵审核" "the checklist's reviewer's name"

# The fingerprint is no longer on the cover but in the appendix 数据来源, with
# the command that reproduces the figures: run it, and its JSON is the one
# `check` writes for the report's period and as-of time.
sha=$(sha256sum "$ROOT/fixtures/tickets.csv" | cut -c1-16)
grep -q "$sha" "$T/cover" && fail "the SHA-256 is still on the cover"
pdftotext "$T/m.pdf" - 2>/dev/null | tr -d '\n' >"$T/all"
has "$T/all" "数据来源" "appendix 数据来源"
grep -q "$sha" "$T/all" || fail "the fingerprint is not in the appendix"
# (a long command wraps at its spaces: the lines joined with a space)
cmd=$(pdftotext "$T/m.pdf" - 2>/dev/null | tr '\n' ' ' | grep -o 'pmaudit check [^（]*--json summary\.json')
case $cmd in *"--month 2026-10"*"--as-of"*"--json summary.json") ;; *) fail "command: '$cmd'" ;; esac
(cd "$T" && eval "\"\$PMAUDIT\" ${cmd#pmaudit }" >/dev/null 2>&1) || fail "the printed command failed: $cmd"
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/direct.json" >/dev/null 2>&1
python3 - "$T/summary.json" "$T/direct.json" <<'PY' || fail "the printed command gives other figures"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ("from", "to", "as_of", "rules", "fees", "volumes", "findings"):
    assert a[k] == b[k], k
PY
# --site is in the command
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --site 金桂苑 --out "$T/site.pdf" >/dev/null 2>&1 ||
	fail "monthly --site"
pdftotext "$T/site.pdf" - 2>/dev/null | tr -d ' \n' | grep -q 'pmauditcheck.*--site金桂苑--json' ||
	fail "--site in the command"

# The executive summary page: every rule the JSON says missed its target is
# listed once, in the rectification list with its rate, target and breached
# count (deadline and letter rules) and the site breaching most, with that
# site's count.
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/s.json" >/dev/null 2>&1
pdftotext -f 2 -l 2 "$T/m.pdf" - 2>/dev/null | tr -d ' \n' >"$T/exec"
has "$T/exec" "执行摘要" "the executive summary on page 2"
has "$T/exec" "整改清单" "the rectification list"
sqlite3 :memory: "SELECT key, json_extract(value, '\$.kind'), json_extract(value, '\$.breached'),
	replace(json_extract(value, '\$.title_zh'), ' ', ''), json_extract(value, '\$.rate'),
	json_extract(value, '\$.target')
	FROM json_each(json_extract(readfile('$T/s.json'), '\$.rules'))
	WHERE json_extract(value, '\$.target_met') = 0" >"$T/missed"
[ -s "$T/missed" ] || fail "the fixtures' month should miss some targets"
has "$T/exec" "$(wc -l <"$T/missed" | tr -d ' ')项未达到目标" "the number of missed targets"
while IFS='|' read -r id kind breached title rate target; do
	row="$id$title$(pct "$rate")$(pct "$target")"
	case $kind in
	deadline|letter) has "$T/exec" "$row$breached" "$id, its rate, target and breached count in the list" ;;
	*) has "$T/exec" "$row" "$id with its rate and target in the list" ;;
	esac
done <"$T/missed"
