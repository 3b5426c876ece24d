"""The annual report's counts against the JSON summaries of the same runs.

usage: report_counts_annual.py YEAR.txt YEAR.json MONTHS-DIR

YEAR.txt is `pdftotext -layout` of a Chinese annual report, YEAR.json the
year's `check --json` (same as-of time), MONTHS-DIR holds YYYY-MM.json of
each month with data (`check --month`, as of min(month end, the year's
as-of time), as the report's month runs). Checked: the opening sentence's
volumes, the volume table's year column, each month's row (volumes, due,
paid) and every deadline or letter rule's met/breached/pending under its heading (where printed).
"""
import json
import os
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
year = json.load(open(sys.argv[2], encoding="utf-8"))
checked = 0


def num(s):
    return int(s.replace(",", "").replace("¥", "").replace(".", ""))


def same(what, printed, expected):
    global checked
    if printed != expected:
        sys.exit("count differs: %s: report %r, JSON %r" % (what, printed, expected))
    checked += 1


flat = re.sub(r"\n+", "", text)
vol = year["volumes"]
m = re.search(r"全年共处理业主报修 ([\d,]+) 例", flat)
same("opening: tickets", num(m.group(1)), vol["tickets"])
m = re.search(r"受理业主投诉 ([\d,]+) 宗", flat)
same("opening: complaints", num(m.group(1)), vol["complaints"])
m = re.search(r"全年完成回访 ([\d,]+) 次", flat)
same("opening: callbacks", num(m.group(1)), vol["callbacks"])
for label, key in (("报修（按报修时间）", "tickets"), ("投诉（含无效投诉）", "complaints"),
                   ("回访", "callbacks"), ("无对应记录的回访", "orphan_callbacks")):
    m = re.search(r"^%s\s+([\d,]+)\s" % re.escape(label), text, re.M)
    same("volumes: " + key, num(m.group(1)), vol[key])
for name in sorted(os.listdir(sys.argv[3])):
    month = name[:7]
    mj = json.load(open(os.path.join(sys.argv[3], name), encoding="utf-8"))
    m = re.search(r"^%s\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+(¥[\d,.]+)\s+(¥[\d,.]+)\s*$" % month,
                  text, re.M)
    if not m:
        sys.exit("no month row " + month)
    same(month + " row", tuple(num(m.group(i)) for i in range(1, 6)),
         (mj["volumes"]["tickets"], mj["volumes"]["complaints"], mj["volumes"]["callbacks"],
          mj["fees"]["due_cents"], mj["fees"]["paid_cents"]))
for rid, r in year["rules"].items():
    if r["kind"] not in ("deadline", "letter"):
        continue
    heads = [h.end() for h in re.finditer(r"^%s \S" % re.escape(rid), text, re.M)]
    if not heads:
        continue   # the annual prints a rule's detail only where it has records
    after = text[heads[0]:heads[0] + 600]
    m = re.search(r"按时 ([\d,]+) 条，超时 ([\d,]+) 条，待定 ([\d,]+) 条", after)
    if m:
        same(rid, tuple(num(m.group(i)) for i in (1, 2, 3)),
             (r["met"], r["breached"], r["pending"]))
print("%d counts equal" % checked)
