"""The monthly report's satisfaction and open backlog (issue 14) against the
JSON summary of the same run, in either language.

usage: report_counts_audit.py REPORT.txt CUR.json PREV.json zh|en

REPORT.txt is `pdftotext -layout` of a monthly report. Checked: the
satisfaction sentence (callbacks, rated, each result, the rate and last
month's, or 无数据 / no data), each site's row and the total row of the
satisfaction table; the backlog sentence (open tickets, complaints, over 30
days), and both backlog tables' site rows (every site of the JSON with
something open is listed, at most 20 of them) and total rows. Exits 1 naming
the first count that differs.
"""
import json
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
cur = json.load(open(sys.argv[2], encoding="utf-8"))
prev = json.load(open(sys.argv[3], encoding="utf-8"))
en = sys.argv[4] == "en"
checked = 0

L = {
    "sat": ("10. Satisfaction", "十、回访满意度"),
    "rank": ("11. Site ranking", "十一、项目排名"),
    "backlog": ("12. Open backlog", "十二、未办结事项"),
    "end": ("Appendix", "附录"),
    "total": ("Total", "合计"),
    "nodata": ("no data", "无数据"),
    "tickets": ("Open repair tickets", "未完工报修"),
    "complaints": ("Open complaints (valid)", "未办结投诉（有效投诉）"),
}


def t(key):
    return L[key][0 if en else 1]


def num(s):
    return int(s.replace(",", ""))


def pct(rate):
    return t("nodata") if rate is None else "%.2f%%" % (int(rate * 10000 + 0.5) / 100)


def same(what, printed, expected):
    global checked
    if printed != expected:
        sys.exit("count differs: %s: report %r, JSON %r" % (what, printed, expected))
    checked += 1


lines = [l for l in text.splitlines()
         if not re.search(r"第 \d+ 页 / 共 \d+ 页|Page \d+ of \d+", l)
         and "月度合规稽核报告 ·" not in l and "Monthly Compliance Audit ·" not in l]
text = "\n".join(lines)


def part(start, end):
    a = [m.start() for m in re.finditer(r"^" + re.escape(start), text, re.M)]
    if not a:
        sys.exit("no section " + start)
    rest = text[a[-1]:]
    b = rest.find("\n" + end)
    return rest if b < 0 else rest[:b]


flat = lambda s: re.sub(r"\s*\n\s*", " " if en else "", s)


def zh(pattern):
    """A Chinese sentence may wrap at any of its spaces, which the join removes."""
    return pattern.replace(" ", " ?")


# 满意度
sat = cur["satisfaction"]
sec = part(t("sat"), t("rank"))
f = flat(sec)
if en:
    m = re.search(r"Of ([\d,]+) callbacks in the period ([\d,]+) carry a rating: ([\d,]+) "
                  r"satisfied, ([\d,]+) basically satisfied, ([\d,]+) dissatisfied; "
                  r"satisfaction (\S+ ?\S*) \(last month (\S+ ?\S*)\)", f)
else:
    m = re.search(zh(r"本期回访 ([\d,]+) 次，其中有满意度评价 ([\d,]+) 次：满意 ([\d,]+) 次、"
                  r"基本满意 ([\d,]+) 次、不满意 ([\d,]+) 次，满意度 (\S+?)（上月 (\S+?)）"), f)
if not m:
    sys.exit("no satisfaction sentence")
rated = sat["satisfied"] + sat["basic"] + sat["dissatisfied"]
same("satisfaction: callbacks", num(m.group(1)), rated + sat["unrated"])
same("satisfaction: rated", num(m.group(2)), rated)
same("satisfaction: satisfied", num(m.group(3)), sat["satisfied"])
same("satisfaction: basic", num(m.group(4)), sat["basic"])
same("satisfaction: dissatisfied", num(m.group(5)), sat["dissatisfied"])
same("satisfaction: rate", m.group(6), pct(sat["rate"]))
same("satisfaction: last month", m.group(7), pct(prev["satisfaction"]["rate"]))

cell = r"\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+(\d+\.\d\d%|" + re.escape(t("nodata")) + ")"


def sat_row(name, fig):
    m = re.search(r"^%s%s\s*$" % (re.escape(name), cell), sec, re.M)
    if not m:
        sys.exit("no satisfaction row " + name)
    same("satisfaction row " + name,
         tuple(num(m.group(i)) for i in range(1, 5)) + (m.group(5),),
         (fig["satisfied"], fig["basic"], fig["dissatisfied"], fig["unrated"], pct(fig["rate"])))


if sat["by_site"]:
    if len(sat["by_site"]) <= 21:
        for site, fig in sat["by_site"].items():
            sat_row(site, fig)
    sat_row(t("total"), sat)

# the open backlog
bl = cur["backlog"]
sec = part(t("backlog"), t("end"))
f = flat(sec)
BUCKETS = ("0-2", "3-7", "8-30", "30+")
open_t = sum(bl["tickets"][b] for b in BUCKETS)
open_c = sum(bl["complaints"][b] for b in BUCKETS)
if en:
    m = re.search(r"As of \S+ \S+, ([\d,]+) repair tickets are not completed and ([\d,]+) valid "
                  r"complaints not resolved; ([\d,]+) of them for more than 30 days", f)
else:
    m = re.search(zh(r"截至 \S+ \S+，未完工的报修 ([\d,]+) 单、未解决的有效投诉 ([\d,]+) 宗，"
                  r"其中超过 30 天的 ([\d,]+) 件"), f)
if not m:
    sys.exit("no backlog sentence")
same("backlog: tickets", num(m.group(1)), open_t)
same("backlog: complaints", num(m.group(2)), open_c)
same("backlog: over 30 days", num(m.group(3)), bl["tickets"]["30+"] + bl["complaints"]["30+"])

tstart = sec.index(t("tickets"))
cstart = sec.index(t("complaints"))
bcell = r"\s+([\d,]+)" * 6 + r"\s*$"
for log, sub in (("tickets", sec[tstart:cstart]), ("complaints", sec[cstart:])):
    def row(name, fig):
        m = re.search(r"^%s%s" % (re.escape(name), bcell), sub, re.M)
        if not m:
            sys.exit("no backlog row %s in %s" % (name, log))
        same("backlog %s %s" % (log, name), tuple(num(m.group(i)) for i in range(1, 7)),
             tuple(fig[b] for b in BUCKETS) + (sum(fig[b] for b in BUCKETS), fig["unknown"]))
    listed = [(s, v[log]) for s, v in bl["by_site"].items()
              if sum(v[log][b] for b in BUCKETS) or v[log]["unknown"]]
    if len(listed) <= 20:
        for site, fig in listed:
            row(site, fig)
    row(t("total"), bl[log])

print("%d satisfaction and backlog counts equal" % checked)
