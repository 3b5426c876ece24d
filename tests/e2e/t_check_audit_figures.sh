#!/bin/sh
# check's text table carries issue 14's audit figures beside the rules: 满意度
# (the JSON's "satisfaction"), the open backlog by age (the JSON's "backlog")
# and the site ranking per rule group -- the same stored figures, ranked by
# the same code (rules/results/ranking.c) as the workbook's ranking sheet and
# the PDF's 项目排名, read back here with openpyxl and pdftotext. In English
# (C locale) and in Chinese (LANG=zh_CN.UTF-8).
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
. "$ROOT/tests/e2e/xlsx_lib.sh"

db="$T/audit.db"
import_fixtures "$db"
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/s.json" --xlsx "$T/c.xlsx" >"$T/out" 2>&1 ||
	fail "check failed: $(cat "$T/out")"
"$PMAUDIT" check --db "$db" --month 2026-10 >"$T/out" 2>&1 || fail "check failed"
LANG=zh_CN.UTF-8 "$PMAUDIT" check --db "$db" --month 2026-10 >"$T/out-zh" 2>&1 || fail "check (zh) failed"
"$PMAUDIT" report monthly --db "$db" --month 2026-10 --out "$T/m.pdf" >/dev/null 2>&1 || fail "monthly"
pdf_text "$T/m.pdf" "$T/m.txt"

"$PY" - "$T/out" "$T/out-zh" "$T/s.json" "$T/c.xlsx" "$T/m.txt" <<'PY' || fail "check's table (above)"
import json, re, sys
import openpyxl

out, out_zh, summary, book, pdf = sys.argv[1:]
S = json.load(open(summary, encoding="utf-8"))
en = open(out, encoding="utf-8").read()
zh = open(out_zh, encoding="utf-8").read()
pdf = open(pdf, encoding="utf-8").read().replace(" ", "")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


sat = S["satisfaction"]
line = "satisfaction: %d satisfied, %d basically satisfied, %d dissatisfied, %d unrated; rate %.2f%%" % (
    sat["satisfied"], sat["basic"], sat["dissatisfied"], sat["unrated"], 100 * sat["rate"])
if line not in en:
    fail("no line %r in:\n%s" % (line, en))
if "满意度：满意 %d 次" % sat["satisfied"] not in zh:
    fail("no Chinese satisfaction line in:\n%s" % zh)

for log, label, zh_log in (("tickets", "repair tickets", "未完工报修"),
                           ("complaints", "valid complaints", "未办结投诉")):
    b = S["backlog"][log]
    cells = [b[k] for k in ("0-2", "3-7", "8-30", "30+")]
    cells += [sum(cells), b["unknown"]]
    want = r"\n  %s\s+%s\n" % (label, r"\s+".join(str(c) for c in cells))
    if not re.search(want, en):
        fail("no backlog row %r in:\n%s" % (want, en))
    if not re.search(r"\n  %s\s+%s\n" % (zh_log, r"\s+".join(str(c) for c in cells)), zh):
        fail("no Chinese backlog row of %s" % log)

# the ranking: each group's rows as the workbook's ranking sheet lists them
wb = openpyxl.load_workbook(book)
sheet = [[c.value for c in r] for r in wb["项目排名"].iter_rows(min_row=2)]
groups = {}
for g, rank, site, met, breached, pending, unknown, rate in sheet:
    groups.setdefault(g, []).append((rank, site, met, breached, rate))
if not groups:
    fail("the workbook ranks nothing")
for g, rows in groups.items():
    # check's Chinese table names the group as the workbook does
    at = zh.find("项目排名：" + g)
    if at < 0:
        fail("check (zh) has no ranking of %s" % g)
    at = en.find("site ranking: ")
    for rank, site, met, breached, rate in rows:
        want = r"\n\s+%d\s+%s\s+%d\s+%d\s+%.2f%%\n" % (rank, re.escape(site), met, breached, 100 * rate)
        if not re.search(want, zh[zh.find("项目排名：" + g):]):
            fail("check (zh), %s: no row %r" % (g, want))
        # the PDF's 项目排名 table row: rank, site, met, missed, rate
        if "%d%s%d%d%.2f%%" % (rank, site, met, breached, 100 * rate) not in pdf:
            fail("the PDF's ranking of %s has no row %d %s %d %d" % (g, rank, site, met, breached))
if en.count("site ranking: ") != len(groups):
    fail("check (en) ranks %d groups, the workbook %d" % (en.count("site ranking: "), len(groups)))
PY

# No rated callback: a site whose callbacks carry no result has no rate --
# "rate: no data" in check's text, 无数据 in the workbook's 满意度 sheet
# (xlsx_check.py holds every row to the JSON, a null rate to 无数据).
sqlite3 "$db" "UPDATE callbacks SET result = NULL WHERE site = '金桂苑'"
"$PMAUDIT" check --db "$db" --month 2026-10 --site 金桂苑 >"$T/site.out" 2>&1 || fail "check --site"
grep -q '^satisfaction: 0 satisfied, 0 basically satisfied, 0 dissatisfied, [1-9][0-9]* unrated; rate: no data$' \
	"$T/site.out" || fail "no 'rate: no data': $(grep '^satisfaction' "$T/site.out")"
LANG=zh_CN.UTF-8 "$PMAUDIT" check --db "$db" --month 2026-10 --site 金桂苑 >"$T/site.zh" 2>&1 ||
	fail "check --site (zh)"
grep -q '；满意度：无数据$' "$T/site.zh" || fail "no 满意度：无数据: $(grep '^满意度' "$T/site.zh")"
"$PMAUDIT" check --db "$db" --month 2026-10 --json "$T/u.json" --xlsx "$T/u.xlsx" >/dev/null 2>&1 ||
	fail "check --xlsx, unrated site"
assert_eq "" "$(j "$T/u.json" '$.satisfaction.by_site.金桂苑.rate')" "the JSON: no rate for 金桂苑"
xlsx_check "$T/u.xlsx" "$T/u.json" "$db"
echo ok
