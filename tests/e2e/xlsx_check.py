#!/usr/bin/env python3
"""Reads a pmaudit workbook back with openpyxl (an independent reader) and
compares it with the JSON summary of the same run and with the database:
every rule's counts and rate, every breach row, the fee figures, aging and
letters, the data-quality rows; the cell types (dates, numbers, text); the
list layout (frozen header, autofilter, print setup); lists split over
sheets.

usage: xlsx_check.py BOOK.xlsx SUMMARY.json DB [--lang en] [--max-rows N]
                     [--checklist CSV]
Exits 1 with a message naming the first difference."""
import argparse
import csv
import datetime
import json
import re
import sqlite3
import sys

import openpyxl

ap = argparse.ArgumentParser()
ap.add_argument("book")
ap.add_argument("summary")
ap.add_argument("db")
ap.add_argument("--lang", default="zh")
ap.add_argument("--max-rows", type=int, default=1048576)
ap.add_argument("--checklist")
args = ap.parse_args()
EN = args.lang == "en"


def fail(msg):
    print("FAIL: %s: %s" % (args.book, msg), file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def tr(zh, en):
    return en if EN else zh


S = json.load(open(args.summary, encoding="utf-8"))
db = sqlite3.connect(args.db)
wb = openpyxl.load_workbook(args.book)

# The run the workbook shows: the latest full run of the JSON's window.
run = db.execute(
    "SELECT run_id FROM check_runs WHERE from_ts = ? AND to_ts = ? AND as_of = ?"
    " AND site IS ? AND summary_json NOT LIKE '%\"records\": false%'"
    " ORDER BY run_id DESC LIMIT 1",
    (S["from"], S["to"], S["as_of"], S["site"])).fetchone()
check(run, "no check run of the JSON's window in the database")
run = run[0]

NAMES = {
    "summary": tr("汇总", "Summary"), "breaches": tr("违规明细", "Breaches"),
    "site": tr("项目排名", "Site ranking"), "aging": tr("欠费账龄", "Arrears aging"),
    "letters": tr("催缴函", "Letters due"), "quality": tr("数据质量", "Data quality"),
    "checklist": tr("抽查清单", "Checklist"),
    "satisfaction": tr("满意度", "Satisfaction"), "backlog": tr("未办结", "Open backlog"),
}
for key in ("summary", "breaches", "site", "aging", "letters", "quality", "satisfaction", "backlog"):
    check(NAMES[key] in wb.sheetnames, "no sheet %s (has %s)" % (NAMES[key], wb.sheetnames))
check(wb.sheetnames[0] == NAMES["summary"], "the summary is not the first sheet")

# Excel decodes _xHHHH_ in a string; the workbook escapes a literal one as _x005F_xHHHH_.
def excel_text(v):
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), v)


def no_formulas():
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                check(c.data_type != "f", "%s!%s is a formula" % (ws.title, c.coordinate))


no_formulas()


def cents(cell, what):
    check(isinstance(cell.value, (int, float)), "%s: not a number: %r" % (what, cell.value))
    check("¥" in cell.number_format and "0.00" in cell.number_format,
          "%s: money format %r" % (what, cell.number_format))
    return round(cell.value * 100)


def rate(cell, what):
    if cell.value is None:
        return None
    check(isinstance(cell.value, (int, float)), "%s: rate not a number: %r" % (what, cell.value))
    check(cell.number_format == "0.00%", "%s: rate format %r" % (what, cell.number_format))
    return cell.value


def when(cell, what):
    """A date cell as the store's text; None if empty."""
    if cell.value is None:
        return None
    check(isinstance(cell.value, datetime.datetime), "%s: not a date: %r" % (what, cell.value))
    check(cell.number_format == "yyyy-mm-dd hh:mm", "%s: date format %r" % (what, cell.number_format))
    v = cell.value + datetime.timedelta(microseconds=500000)
    return v.replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S")


def text(cell, what):
    if cell.value is None:
        return None
    check(cell.data_type == "s" and isinstance(cell.value, str), "%s: not text: %r" % (what, cell.value))
    return excel_text(cell.value)


def list_parts(base):
    """The sheets of a list: base, base(2), ...; checks each one's layout."""
    parts = [wb[base]]
    n = 2
    while "%s(%d)" % (base, n) in wb.sheetnames:
        parts.append(wb["%s(%d)" % (base, n)])
        n += 1
    rows = []
    header = None
    for i, ws in enumerate(parts):
        check(ws.freeze_panes == "A2", "%s: header not frozen (%r)" % (ws.title, ws.freeze_panes))
        check(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), "%s: no autofilter" % ws.title)
        check(ws.page_setup.orientation == "landscape", "%s: not landscape" % ws.title)
        check(ws.print_title_rows in ("1:1", "$1:$1"), "%s: header row not repeated (%r)" % (ws.title, ws.print_title_rows))
        check(ws.page_setup.fitToWidth in (1, None) and ws.sheet_properties.pageSetUpPr.fitToPage,
              "%s: not fit to width" % ws.title)
        h = [c.value for c in ws[1]]
        check(header is None or h == header, "%s: header differs from the first part" % ws.title)
        header = h
        body = list(ws.iter_rows(min_row=2))
        last_filter_row = int(re.sub(r"^.*:[A-Z]+", "", ws.auto_filter.ref))
        if i < len(parts) - 1:
            # a full part: max-rows rows, the last one the note
            check(ws.max_row == args.max_rows, "%s: %d rows, expected %d" % (ws.title, ws.max_row, args.max_rows))
            note = body[-1][0].value or ""
            check("%s(%d)" % (base, i + 2) in note, "%s: no note naming the next sheet: %r" % (ws.title, note))
            body = body[:-1]
            check(last_filter_row == args.max_rows - 1, "%s: autofilter %s covers the note" % (ws.title, ws.auto_filter.ref))
        check(len(body) + 1 <= args.max_rows, "%s: more rows than a sheet holds" % ws.title)
        rows.extend(body)
    return header, rows, len(parts)


# ---- summary ----
ws = wb[NAMES["summary"]]
cells = {}
rules_at = sites_at = None
for row in ws.iter_rows():
    a = row[0].value
    if a is None:
        continue
    cells.setdefault(a, row)
    if a == tr("规则编号", "Rule") and rules_at is None:
        rules_at = row[0].row
    elif a == tr("规则编号", "Rule"):
        sites_at = row[0].row
check(rules_at and sites_at, "summary: the rules and by-site tables were not found")
check(when(cells[tr("数据截止时间", "As of")][1], "as of") == S["as_of"], "summary: as-of time")
check(when(cells[tr("统计期间起", "Period from")][1], "from") == S["from"], "summary: period from")
command = text(cells[tr("复核命令", "Reproduce with")][1], "command")
check(command.startswith("pmaudit check") and S["from"] in command and "--json" in command,
      "summary: no command reproducing the figures: %r" % command)

seen = set()
r = rules_at + 1
while ws.cell(r, 1).value:
    rid = text(ws.cell(r, 1), "rule id")
    j = S["rules"].get(rid)
    check(j is not None, "summary: rule %s not in the JSON" % rid)
    what = "summary " + rid
    met, br, pe, unk = (ws.cell(r, k).value for k in (4, 5, 6, 7))
    if "met" in j and j["kind"] != "weekly":
        check((met, br, pe) == (j["met"], j["breached"], j["pending"]),
              "%s: met/breached/pending %r, JSON %r" % (what, (met, br, pe), (j["met"], j["breached"], j["pending"])))
    else:
        check((met, met + br) == (j["numerator"], j["denominator"]),
              "%s: numerator/denominator %r, JSON %r" % (what, (met, met + br), (j["numerator"], j["denominator"])))
        check(pe is None, "%s: pending for a coverage rule" % what)
    check(unk == j.get("unknown", 0), "%s: unknown %r" % (what, unk))
    got = rate(ws.cell(r, 8), what)
    check((got is None) == (j["rate"] is None), "%s: rate %r, JSON %r" % (what, got, j["rate"]))
    if got is not None:
        check(abs(got - j["rate"]) < 0.00005 + 1e-12, "%s: rate %r, JSON %r" % (what, got, j["rate"]))
    check(abs(rate(ws.cell(r, 3), what) - j["target"]) < 1e-9, "%s: target" % what)
    seen.add(rid)
    r += 1
check(seen == set(S["rules"]), "summary: rules missing: %s" % (set(S["rules"]) - seen))

# per site: each rule's sites add up to the rule's counts
r = sites_at + 1
per_rule = {}
while ws.cell(r, 1).value:
    rid = ws.cell(r, 1).value
    t = per_rule.setdefault(rid, [0, 0, 0])
    for k in range(3):
        t[k] += ws.cell(r, 4 + k).value
    r += 1
for rid, (met, br, pe) in per_rule.items():
    j = S["rules"][rid]
    if "met" in j and j["kind"] != "weekly":
        check((met, br, pe) == (j["met"], j["breached"], j["pending"]), "summary by site %s: sums" % rid)
    else:
        check((met, met + br) == (j["numerator"], j["denominator"]), "summary by site %s: sums" % rid)

# weeks of the weekly rule
for rid, j in S["rules"].items():
    for w in j.get("weeks", []):
        row = cells.get(w["week"])
        check(row is not None, "summary: week %s missing" % w["week"])
        check((row[3].value, row[3].value + row[4].value) == (w["numerator"], w["denominator"]),
              "summary: week %s counts" % w["week"])

# fees
F = S["fees"]
for label, key in ((tr("本期应收", "Due (charges less waivers)"), "due_cents"),
                   (tr("截至数据截止时间实收", "Paid by the as-of time"), "paid_cents"),
                   (tr("期初欠费", "Arrears at the start"), "arrears_start_cents"),
                   (tr("本期收回欠费", "Arrears recovered"), "recovered_cents")):
    check(cents(cells[label][1], label) == F[key], "summary %s: %r, JSON %r" % (label, cells[label][1].value, F[key]))
for label, key in ((tr("当期收缴率", "Current collection rate"), "current_rate"),
                   (tr("清欠率", "Recovery rate"), "recovery_rate")):
    got = rate(cells[label][1], label)
    check((got is None and F[key] is None) or abs(got - F[key]) < 0.00005 + 1e-12, "summary %s" % label)
BUCKETS = ["1-30", "31-90", "91-180", "181-365", "365+"]
for k, label in enumerate(tr(["账龄 1-30天", "账龄 31-90天", "账龄 91-180天", "账龄 181-365天", "账龄 365天以上"],
                             ["Aging 1-30 d", "Aging 31-90 d", "Aging 91-180 d", "Aging 181-365 d", "Aging over 365 d"])):
    check(cents(cells[label][1], label) == F["aging_cents"][BUCKETS[k]], "summary %s" % label)

# fees by site (all-sites runs): the sites add up to the run's figures
if S["site"] is None:
    row = cells.get(tr("各项目收缴情况", "Collection by site"))
    check(row is not None, "summary: no fees by site")
    r = row[0].row + 1
    sums = [0, 0, 0, 0]
    while ws.cell(r, 1).value:
        for k, col in enumerate((2, 3, 5, 6)):
            sums[k] += cents(ws.cell(r, col), "fees by site")
        rate(ws.cell(r, 4), "fees by site rate")
        r += 1
    for k, key in enumerate(("due_cents", "paid_cents", "arrears_start_cents", "recovered_cents")):
        check(sums[k] == F[key], "fees by site: %s sums to %d, JSON %d" % (key, sums[k], F[key]))

# data coverage: per log the JSON's first and last event (the site's with --site, db_coverage)
for key, label in (("tickets", tr("报修工单", "tickets")), ("complaints", tr("投诉", "complaints")),
                   ("callbacks", tr("回访", "callbacks")), ("fees", tr("收费台账", "fees")),
                   ("fee_payments", tr("收费台账（收款）", "fee_payments"))):
    cov = S["coverage"][key]
    row = cells[label]
    if cov["first"]:
        check(when(row[1], label) == cov["first"] and when(row[2], label) == cov["last"],
              "coverage %s: %r..%r, JSON %r" % (label, row[1].value, row[2].value, cov))
    else:
        check(text(row[1], label) == tr("无记录", "no records"), "coverage %s: no records" % label)

# fees by fee item: the JSON's fees.by_item, each item's due, paid and rate
for item, f in S["fees"].get("by_item", {}).items():
    row = cells.get(item)
    check(row is not None, "summary: fee item %s missing" % item)
    check((cents(row[1], item), cents(row[2], item)) == (f["due_cents"], f["paid_cents"]),
          "summary fee item %s: %r %r, JSON %r" % (item, row[1].value, row[2].value, f))
    got = rate(row[3], item)
    check((got is None) == (f["current_rate"] is None) and
          (got is None or abs(got - f["current_rate"]) < 0.00005 + 1e-12), "summary fee item %s: rate" % item)
# ---- breaches: every breached, pending and unknown record, in the CSV's order ----
header, rows, parts = list_parts(NAMES["breaches"])
want = db.execute(
    "SELECT rule_id, record_id, COALESCE(site, ''), start_at, deadline_at, end_at, status, late_seconds"
    " FROM check_records WHERE run_id = ? AND status IN ('breached', 'pending', 'unknown')"
    " ORDER BY rule_id, start_at, record_id", (run,)).fetchall()
check(len(rows) == len(want), "breaches: %d rows, database %d" % (len(rows), len(want)))
status_text = {"breached": tr("超时", "breached"), "pending": tr("待定", "pending"),
               "unknown": tr("无法判定", "unknown")}
counts = {}
for i, (row, w) in enumerate(zip(rows, want)):
    what = "breach row %d (%s %s)" % (i + 1, w[0], w[1])
    got = (text(row[0], what), text(row[4], what), text(row[2], what) or "",
           when(row[7], what), when(row[8], what), when(row[9], what))
    check(got == tuple(w[:6]), "%s: %r, database %r" % (what, got, w[:6]))
    check(row[10].value == status_text[w[6]], "%s: status %r" % (what, row[10].value))
    late = row[11].value
    if w[7] is None:
        check(late is None, "%s: lateness without late_seconds" % what)
    else:
        check(isinstance(late, datetime.timedelta) and row[11].number_format == "[h]:mm",
              "%s: lateness not a [h]:mm duration: %r %r" % (what, late, row[11].number_format))
        check(round(late.total_seconds()) == w[7], "%s: lateness %r s, database %r" % (what, late.total_seconds(), w[7]))
    c = counts.setdefault(w[0], {"breached": 0, "pending": 0, "unknown": 0})
    c[w[6]] += 1
for rid, j in S["rules"].items():
    c = counts.get(rid, {"breached": 0, "pending": 0, "unknown": 0})
    check(c["unknown"] == j.get("unknown", 0), "unknown rows of %s: %r" % (rid, c))
    if j["kind"] in ("deadline", "letter"):
        check((c["breached"], c["pending"]) == (j["breached"], j["pending"]), "breaches of %s: %r" % (rid, c))
    elif j["kind"] == "coverage":
        check(c["breached"] == j["denominator"] - j["numerator"], "breaches of %s: %r" % (rid, c))
summary_rows = [r for r in wb[NAMES["summary"]].iter_rows() if r[0].value == NAMES["breaches"]]
check(summary_rows and summary_rows[-1][1].value == len(want), "summary: breach rows in the sheet index")
if parts > 1:
    check("(%d)" % parts in (summary_rows[-1][2].value or ""), "summary: the split is not noted")

# ---- by site: each group's sites add up to the group's rules ----
header, rows, _ = list_parts(NAMES["site"])
sums = {}
for row in rows:
    g = sums.setdefault(row[0].value, [0, 0])
    g[0] += row[3].value
    g[1] += row[4].value
total_met = sum(g[0] for g in sums.values())
want_met = sum(j["met"] if j["kind"] in ("deadline", "letter") else j.get("numerator", 0)
               for j in S["rules"].values() if j["kind"] != "weekly")
weekly = sum(j.get("numerator", 0) for j in S["rules"].values() if j["kind"] == "weekly")
check(total_met == want_met + weekly, "by site: met %d, rules %d" % (total_met, want_met + weekly))
for g in sums:
    ranks = [row[1].value for row in rows if row[0].value == g]
    check(ranks[0] == 1 and ranks == sorted(ranks), "by site %s: ranks %r" % (g, ranks))
    # best first: the rates never rise down a group; equal rates share a rank
    grp = [(row[1].value, row[3].value, row[4].value) for row in rows if row[0].value == g]
    for (r0, m0, b0), (r1, m1, b1) in zip(grp, grp[1:]):
        check(m0 * (m1 + b1) >= m1 * (m0 + b0), "ranking %s: rates rise at rank %d" % (g, r1))
        check((r0 == r1) == (m0 * (m1 + b1) == m1 * (m0 + b0)), "ranking %s: rank %d shared wrongly" % (g, r1))
    for row in rows:
        if row[0].value == g:
            check(abs(rate(row[7], "ranking rate") - row[3].value / (row[3].value + row[4].value)) < 0.00005,
                  "ranking %s: rate of %s" % (g, row[2].value))

# ---- satisfaction: every site's row and the total are the JSON's "satisfaction" ----
SAT = S["satisfaction"]
SAT_KEYS = ("satisfied", "basic", "dissatisfied", "unrated")
header, rows, _ = list_parts(NAMES["satisfaction"])
check(rows and rows[-1][0].value == tr("合计", "Total"), "satisfaction: no total row")


def sat_row(row, want, what):
    check([row[1 + k].value for k in range(4)] == [want[k] for k in SAT_KEYS],
          "%s: counts %r, JSON %r" % (what, [c.value for c in row[1:5]], want))
    if want["rate"] is None:
        check(row[5].value == tr("无数据", "no data"), "%s: a rate of no rated callback: %r" % (what, row[5].value))
    else:
        check(abs(rate(row[5], what) - want["rate"]) < 0.00005, "%s: rate %r, JSON %r" % (what, row[5].value, want["rate"]))


check(sorted(text(r[0], "site") for r in rows[:-1]) == sorted(SAT["by_site"]),
      "satisfaction: sites %r, JSON %r" % ([r[0].value for r in rows[:-1]], list(SAT["by_site"])))
for row in rows[:-1]:
    sat_row(row, SAT["by_site"][text(row[0], "site")], "satisfaction of " + row[0].value)
sat_row(rows[-1], SAT, "satisfaction total")

# ---- open backlog: every site's row and the total are the JSON's "backlog" ----
BL = S["backlog"]
BUCKETS_BL = ("0-2", "3-7", "8-30", "30+")
header, rows, _ = list_parts(NAMES["backlog"])
check(rows and rows[-1][0].value == tr("合计", "Total"), "backlog: no total row")


def backlog_row(row, want, what):
    for i, log in enumerate(("tickets", "complaints")):
        got = [row[1 + 6 * i + k].value for k in range(6)]
        exp = [want[log][b] for b in BUCKETS_BL]
        exp += [sum(exp), want[log]["unknown"]]
        check(got == exp, "%s %s: %r, JSON %r" % (what, log, got, exp))


check(sorted(text(r[0], "site") for r in rows[:-1]) == sorted(BL["by_site"]),
      "backlog: sites %r, JSON %r" % ([r[0].value for r in rows[:-1]], list(BL["by_site"])))
for row in rows[:-1]:
    backlog_row(row, BL["by_site"][text(row[0], "site")], "backlog of " + row[0].value)
backlog_row(rows[-1], BL, "backlog total")

# ---- arrears aging: the accounts add up to the JSON's aging ----
header, rows, _ = list_parts(NAMES["aging"])
check(rows and rows[-1][0].value == tr("合计", "Total"), "aging: no total row")
total = [0] * 5
for row in rows[:-1]:
    for k in range(5):
        total[k] += cents(row[3 + k], "aging")
    check(cents(row[8], "aging total") == sum(cents(row[3 + k], "aging") for k in range(5)), "aging: row total")
for k in range(5):
    check(total[k] == F["aging_cents"][BUCKETS[k]], "aging %s: accounts sum %d, JSON %d" % (BUCKETS[k], total[k], F["aging_cents"][BUCKETS[k]]))
    check(cents(rows[-1][3 + k], "aging") == F["aging_cents"][BUCKETS[k]], "aging total row %s" % BUCKETS[k])

# ---- letters due: the JSON's action list ----
header, rows, _ = list_parts(NAMES["letters"])
due = S["rules"].get("F-LETTER", {}).get("letters_due", [])
got = [("%s/%s/%s" % (text(r[0], "site"), text(r[1], "room"), text(r[2], "item")), when(r[4], "due by")) for r in rows]
check(sorted(got) == sorted((d["account"], d["by"]) for d in due), "letters due: %r, JSON %r" % (got, due))

# ---- data quality: the latest imports' rejects and the Q-* findings ----
header, rows, _ = list_parts(NAMES["quality"])
# the open rejects, as the reports and findings.rejected_rows count them
rejects = db.execute("SELECT COUNT(*) FROM import_rejects WHERE resolved_by IS NULL").fetchone()[0]
check(rejects == S["findings"].get("rejected_rows", rejects), "data quality: the JSON counts %r open rejects, db %d"
      % (S["findings"].get("rejected_rows"), rejects))
kinds = [r[0].value for r in rows]
check(kinds.count(tr("导入拒收", "rejected at import")) == rejects, "data quality: rejects %d, db %d" % (kinds.count(tr("导入拒收", "rejected at import")), rejects))
fnd = S.get("findings", {})
want_f = fnd.get("impossible_order", 0) + fnd.get("missing_start", 0) + fnd.get("orphan_callbacks", 0)
check(kinds.count(tr("记录矛盾", "inconsistent record")) == want_f, "data quality: findings")
for r in rows:
    if r[0].value == tr("导入拒收", "rejected at import"):
        check(isinstance(r[2].value, int), "data quality: line not a number")

# ---- the inspection checklist: the CSV's rows, empty inspector columns ----
if args.checklist:
    header, rows, _ = list_parts(NAMES["checklist"])
    with open(args.checklist, encoding="utf-8-sig", newline="") as f:
        csv_rows = list(csv.reader(f))[1:]
    check(len(rows) == len(csv_rows), "checklist: %d rows, CSV %d" % (len(rows), len(csv_rows)))
    for row, c in zip(rows, csv_rows):
        check(row[0].value == int(c[0]) and text(row[1], "ticket") == c[1], "checklist: row %s" % c[0])
        check(len(row) == len(c) == 18, "checklist %s: %d columns, CSV %d" % (c[1], len(row), len(c)))
        check((text(row[5], "technician") or "") == c[5], "checklist %s: technician" % c[1])
        check(when(row[6], "reported") == (c[6] or None), "checklist %s: reported" % c[1])
        check(all(row[k].value is None for k in range(14, 18)), "checklist %s: inspector columns not empty" % c[1])
print("ok: %s (%d sheets)" % (args.book, len(wb.sheetnames)))
