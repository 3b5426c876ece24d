"""Every count the monthly report prints equals the JSON summary's figure
of the same run (`pmaudit check --json`, same window, as-of time and site).

usage: report_counts.py REPORT.txt CUR.json PREV.json DB

REPORT.txt is `pdftotext -layout` of a Chinese monthly report. Checked:
the opening sentence's volumes and rules met/missed; the volume table (this
month and last); every deadline and letter rule's met/breached/pending and
every coverage rule's numerator/denominator (under its heading) and each
per-site table's total row; each weekly rule's weeks; the findings' counts;
the orphan callbacks; the open rejects table; the complaints-by-level table
(its complaints and valid columns against the volumes, and its resolved
column against the database as of the run's as-of time, the cut the
complaint rules apply). Exits 1 naming the first count that differs.
"""
import json
import re
import sqlite3
import sys

text = open(sys.argv[1], encoding="utf-8").read()
cur = json.load(open(sys.argv[2], encoding="utf-8"))
prev = json.load(open(sys.argv[3], encoding="utf-8"))
db = sqlite3.connect(sys.argv[4])
checked = 0


def num(s):
    return int(s.replace(",", ""))


def same(what, printed, expected):
    global checked
    if printed != expected:
        sys.exit("count differs: %s: report %r, JSON %r" % (what, printed, expected))
    checked += 1


def body(text):
    """The text without the running headers and footers of each page."""
    lines = [l for l in text.splitlines()
             if not re.search(r"第 \d+ 页 / 共 \d+ 页", l) and "月度合规稽核报告 ·" not in l]
    return "\n".join(lines)


text = body(text)
vol = cur["volumes"]

# 一、总体情况: the opening sentence
flat = re.sub(r"\n+", "", text)   # a sentence wraps anywhere
m = re.search(r"共受理业主报修 ([\d,]+) 例、投诉 ([\d,]+) 宗，完成回访 ([\d,]+) 次。"
              r"本期有考核记录的 (\d+) 项规则中，(\d+) 项达到目标，(\d+) 项未达到目标", flat)
if not m:
    sys.exit("no opening sentence")
same("opening: tickets", num(m.group(1)), vol["tickets"])
same("opening: complaints", num(m.group(2)), vol["complaints"])
same("opening: callbacks", num(m.group(3)), vol["callbacks"])
judged = [r for r in cur["rules"].values() if r.get("target_met") is not None]
same("opening: rules met", int(m.group(5)), sum(1 for r in judged if r["target_met"]))
same("opening: rules missed", int(m.group(6)), sum(1 for r in judged if not r["target_met"]))
same("opening: rules judged", int(m.group(4)), len(judged))

# the volume table: this month, last month
for label, key in (("报修（按报修时间）", "tickets"), ("投诉（含无效投诉）", "complaints"),
                   ("回访", "callbacks"), ("无对应记录的回访", "orphan_callbacks")):
    m = re.search(r"^%s\s+([\d,]+)\s+([\d,]+)\s" % re.escape(label), text, re.M)
    if not m:
        sys.exit("no volume row " + label)
    same("volumes: " + key, num(m.group(1)), vol[key])
    same("volumes last month: " + key, num(m.group(2)), prev["volumes"][key])

# every rule under its heading "ID title" (the first time, not the tiles; after
# the executive summary, whose rectification list names rules too -- its
# counts are held to the JSON by t_report_audit.sh)
sections = re.search(r"^一、", text, re.M)
sections = sections.start() if sections else 0
for rid, r in cur["rules"].items():
    heads = [h.end() for h in re.finditer(r"^%s \S" % re.escape(rid), text, re.M)
             if h.start() > sections]
    if not heads:
        sys.exit("no heading for " + rid)
    after = text[heads[0]:]
    # up to the next rule's heading or the next section
    nxt = re.search(r"^(%s) \S|^[一二三四五六七八九十]+、" % "|".join(map(re.escape, cur["rules"])),
                    after, re.M)
    after = after[:nxt.start()] if nxt else after
    if r["kind"] in ("deadline", "letter"):
        m = re.search(r"按时 ([\d,]+) 条，超时 ([\d,]+) 条，待定 ([\d,]+) 条", after)
        if not m:
            sys.exit("no counts under " + rid)
        same(rid + " met", num(m.group(1)), r["met"])
        same(rid + " breached", num(m.group(2)), r["breached"])
        same(rid + " pending", num(m.group(3)), r["pending"])
        t = re.search(r"^合计\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s", after, re.M)
        if t and r["kind"] == "deadline":
            same(rid + " total row", tuple(num(t.group(i)) for i in (1, 2, 3)),
                 (r["met"], r["breached"], r["pending"]))
    elif r["kind"] == "coverage":
        m = re.search(r"^([\d,]+) / ([\d,]+)，比率", after, re.M)
        if not m:
            sys.exit("no counts under " + rid)
        same(rid + " numerator", num(m.group(1)), r["numerator"])
        same(rid + " denominator", num(m.group(2)), r["denominator"])
        t = re.search(r"^合计\s+([\d,]+)\s+([\d,]+)\s", after, re.M)
        if t:
            same(rid + " total row", (num(t.group(1)), num(t.group(2))),
                 (r["numerator"], r["denominator"]))
    elif r["kind"] == "weekly":
        m = re.search(r"共 (\d+) 周，其中 (\d+) 周达到", after)
        weeks = [w for w in r["weeks"] if w["denominator"]]   # "weeks with paid repairs"
        same(rid + " weeks", int(m.group(1)), len(weeks))
        same(rid + " weeks met", int(m.group(2)), sum(1 for w in weeks if w["met"]))
        for w in weeks:
            m = re.search(r"^%s\s+([\d,]+)\s+([\d,]+)\s" % w["week"], text, re.M)
            same(rid + " " + w["week"], (num(m.group(1)), num(m.group(2))),
                 (w["numerator"], w["denominator"]))

# findings: "Q-ID title（n 条）"
fnd = cur["findings"]
for fid, key in (("Q-PROBLEM-OPEN", "problem_open"), ("Q-MISSING-START", "missing_start"),
                 ("Q-ORDER", "impossible_order"), ("Q-ORPHAN", "orphan_callbacks")):
    m = re.search(r"^%s .*（([\d,]+) 条）" % fid, text, re.M)
    if m:
        same(fid, num(m.group(1)), fnd[key])
    elif fnd[key]:
        sys.exit("%s: %d in the JSON, not in the report" % (fid, fnd[key]))
m = re.search(r"本期找不到对应报修或投诉记录的回访：([\d,]+) 条", text)
same("orphan callbacks", num(m.group(1)), vol["orphan_callbacks"])

# the open rejects, by file and reason
part = text[text.index("导入时拒收的行"):text.index("记录之间的矛盾")]
rejects = sum(num(m.group(1)) for m in re.finditer(r"\S\s{2,}([\d,]+)\s*$", part, re.M)
              if "行数" not in m.group(0))
same("rejected rows", rejects, fnd["rejected_rows"])

# complaints by level: complaints and valid against the volumes, resolved as of the as-of time
part = text[text.index("按级别"):]
part = part[:part.index("按类别")]
rows = re.findall(r"^(\S+投诉|—)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+[\d.]+%", part, re.M)
same("by level: complaints", sum(num(r[1]) for r in rows), vol["complaints"])
same("by level: valid", sum(num(r[2]) for r in rows), vol["complaints"] - vol["complaints_invalid"])
resolved = db.execute(
    "SELECT count(*) FROM complaints WHERE received_at >= ? AND received_at < ?"
    " AND (? IS NULL OR site = ?) AND resolved_at <= ?",
    (cur["from"], cur["to"], cur["site"], cur["site"], cur["as_of"])).fetchone()[0]
same("by level: resolved by the as-of time", sum(num(r[3]) for r in rows), resolved)

print("%d counts equal" % checked)
