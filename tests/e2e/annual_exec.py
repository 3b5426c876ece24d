"""The annual executive summary's expected lines from the JSON of the same
runs: tests/e2e/t_report_annual_exec.sh.

    annual_exec.py LANG YEAR.json BEFORE.json AFTER.json SITE.json...

prints one expected text a line (spaces removed, as the test removes them
from pdftotext's output): the number of missed targets, each missed rule's
row of the rectification list (rate, target and, for deadline and letter
rules, the breached count), the three largest changes from BEFORE to
AFTER, and the three sites with most breached records (deadline and letter
rules' breached, coverage and weekly rules' denominator - numerator, from
each site's own run).
"""
import json
import sys

lang, year, before, after = sys.argv[1:5]
zh = lang == "zh"
y = json.load(open(year))["rules"]
b = json.load(open(before))["rules"]
a = json.load(open(after))["rules"]


def pct(r):
    return "%.2f%%" % (int(r * 10000 + 0.5) / 100)


def title(x):
    return (x["title_zh"] if zh else x["title_en"]).replace(" ", "")


judged = [k for k, x in y.items() if x.get("target_met") is not None]
missed = [k for k in judged if not y[k]["target_met"]]
print(("%d项未达到目标" % len(missed)) if zh else
      ("%dofthe%drules" % (len(missed), len(judged))))
for k in missed:
    # the rectification list's row: rule, rate, target and (deadline and
    # letter rules) the breached count; a wrapped title's lines stay
    # together in pdftotext's output, so the row reads as one text
    x = y[k]
    line = k + title(x) + pct(x["rate"]) + pct(x["target"])
    if x["kind"] in ("deadline", "letter"):
        line += "{:,}".format(x["breached"])
    print(line)

changes = []
for i, (k, x) in enumerate(a.items()):
    p = b.get(k)
    if p and x.get("rate") is not None and p.get("rate") is not None and x["rate"] != p["rate"]:
        changes.append((-abs(x["rate"] - p["rate"]), i, k, p["rate"], x["rate"]))
for _, _, k, r0, r1 in sorted(changes)[:3]:
    print(k + ("：" if zh else ":") + pct(r0) + "→" + pct(r1))

sites = []
for f in sys.argv[5:]:
    s = json.load(open(f))
    n = 0
    for x in s["rules"].values():
        if x["kind"] in ("coverage", "weekly"):
            n += (x.get("denominator") or 0) - (x.get("numerator") or 0)
        else:
            n += x.get("breached") or 0
    if n:
        sites.append((-n, s["site"]))
line = ("超时记录最多的项目：" if zh else "Siteswiththemostbreachedrecords:")
for i, (n, site) in enumerate(sorted(sites)[:3]):
    line += ("、" if zh else ",") * (i > 0) + site + str(-n) + ("条" if zh else "")
print(line)
