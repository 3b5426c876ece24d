#!/usr/bin/env python3
"""Writes the records of the canonical fixtures the way other systems export
them (maps/saas-tickets.map, saas-complaints.map, callcentre-callbacks.map,
fees-ledger.map describe these shapes): other column names and order, a title
line above the header, a 合计 row, foreign vocabularies and value forms (Excel
serial numbers, 上午/下午, fractional seconds, timezones, full-width digits,
1234.5元, ¥ 1,234.50, √/×, 有/无), GBK and tab-separated text.

Stored records are written from the canonical database (their parsed values,
so both files hold the same records); the rows the canonical import rejected
are written with their original cells, so they are rejected again.

usage: foreign_exports.py FIXTURES-DIR CANONICAL-DB OUT-DIR [--head N]
"""
import csv
import datetime
import io
import sqlite3
import sys

fixtures, dbpath, out = sys.argv[1], sys.argv[2], sys.argv[3]
head = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--head" else None
db = sqlite3.connect(dbpath)
db.row_factory = sqlite3.Row

EPOCH = datetime.datetime(1899, 12, 30)
WIDE = str.maketrans("0123456789-:. ", "０１２３４５６７８９－：．　")


def ts(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def serial(text):
    d = ts(text) - EPOCH
    return ("%.10f" % (d.days + d.seconds / 86400)).rstrip("0").rstrip(".")


def half_day(text, sep="/"):
    t = ts(text)
    h = t.hour % 12 or 12
    return "%s %s %02d:%02d:%02d" % (t.strftime("%Y" + sep + "%m" + sep + "%d"),
                                     "上午" if t.hour < 12 else "下午", h, t.minute, t.second)


def utc(text):
    return (ts(text) - datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(cents, i):
    if cents is None:
        return "-"
    yuan = "%d.%02d" % divmod(abs(cents), 100)
    if cents < 0:
        return "(%s)" % yuan
    if i % 2:
        whole, frac = yuan.split(".")
        return "¥ {:,}.{}".format(int(whole), frac)
    return yuan + "元"


def read(name, encoding):
    with open("%s/%s" % (fixtures, name), encoding=encoding, errors="surrogateescape",
              newline="") as f:
        rows = list(csv.reader(f))
    rows[0][0] = rows[0][0].lstrip("\ufeff")
    return rows[0], rows[1:]


def write(name, title, header, rows, total, encoding, delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for line in title:
        w.writerow(line)
    w.writerow(header)
    w.writerows(rows)
    w.writerow(total)
    with open("%s/%s" % (out, name), "w", encoding=encoding, errors="surrogateescape",
              newline="") as f:
        f.write(buf.getvalue())


def convert(rows, cols, key_col, table, key, stored_row, rejected_row):
    result = []
    for i, cells in enumerate(rows[:head] if head else rows):
        rec = db.execute("SELECT * FROM %s WHERE %s=?" % (table, key),
                         (cells[key_col],)).fetchone() if cells[key_col] else None
        orig = dict(zip(cols, cells))
        result.append(stored_row(rec, i, orig) if rec else rejected_row(orig))
    return result


def opt(v, f=lambda x: x):
    return "-" if v is None else f(v)


# ---- (a) tickets: a SaaS 报事明细 -------------------------------------------
cols, rows = read("tickets.csv", "utf-8")
T_COLS = ["报事单号", "项目", "房号", "报事类别", "紧急程度", "报事时间", "派工时间",
          "上门时间", "处理完成时间", "试漏时间", "维修费用", "处理人", "备注"]
T_FROM = ["报修单号", "小区", "房号", "维修类别", "紧急", "受理时间", "派单时间", "上门时间",
          "完成时间", "试漏时间", "维修费用", "维修员", None]


def ticket(r, i, orig):
    cat = {"安全设施": ("消防", "门禁")[i % 2], "渗漏水": "漏水"}.get(r["category"], r["category"])
    return [r["ticket_id"], r["site"], r["room"] or "", cat, "紧急" if r["urgent"] else "普通",
            serial(r["reported_at"]), opt(r["dispatched_at"], lambda v: v.replace("-", "/")),
            opt(r["arrived_at"], lambda v: v.translate(WIDE) if i % 3 == 0 else v),
            opt(r["completed_at"], half_day),
            opt(r["leak_test_at"], lambda v: v.replace("-", ".")),
            money(r["charge"], i), r["technician"] or "", ""]


def original(orig, src):
    return [orig.get(c, "") if c else "" for c in src]


out_rows = convert(rows, cols, 0, "tickets", "ticket_id", ticket, lambda o: original(o, T_FROM))
write("报事明细.csv", [["2026年9月—11月报事明细"], ["导出时间：2026-12-01 09:00"]], T_COLS,
      out_rows, ["合计", "%d条" % len(out_rows)], "utf-8")

# ---- (b) complaints: a SaaS 投诉明细, GBK -----------------------------------
cols, rows = read("complaints-gbk.csv", "gb18030")
C_COLS = ["投诉单号", "项目名称", "房号", "渠道", "投诉级别", "投诉类别", "责任部门", "登记时间",
          "首次回复时间", "上报时间", "答复时间", "处理完成时间", "要求期限", "是否有效投诉",
          "投诉内容", "备注"]
C_FROM = ["投诉单号", "管理处", "住址", "渠道", "级别", "类别", "责任部门", "受理时间", "回应时间",
          "转呈时间", "答复时间", "处理完毕时间", "住户要求期限", "有效投诉", "投诉内容", "备注"]
LEVEL = {"major": ("重大投诉", "A类"), "important": ("重要投诉", "B类"),
         "minor": ("一般投诉", "C类")}


def complaint(r, i, orig):
    return [r["complaint_id"], r["site"], r["room"] or "", r["channel"] or "",
            LEVEL[r["level"]][i % 2], r["category"] or "", r["department"] or "",
            r["received_at"] + ".000", opt(r["responded_at"], lambda v: v.replace(" ", "T") + "+08:00"),
            opt(r["escalated_at"]), opt(r["replied_at"]), opt(r["resolved_at"], utc),
            opt(r["requested_by"], lambda v: v.replace(" ", "T") + "+08:00"),
            "有效" if r["valid"] else "无效", r["summary"] or "", orig.get("备注", "")]


out_rows = convert(rows, cols, 0, "complaints", "complaint_id", complaint,
                   lambda o: original(o, C_FROM))
write("投诉明细.csv", [["2026年第四季度投诉明细"]], C_COLS, out_rows, ["合计", len(out_rows)],
      "gb18030")

# ---- (c) callbacks: a call centre's 回访记录, GBK, tab-separated -------------
cols, rows = read("callbacks.csv", "utf-8")
B_COLS = ["回访流水号", "回访类别", "工单/投诉编号", "项目", "回访日期时间", "坐席", "坐席岗位",
          "回访方式", "满意度", "发现问题"]
B_FROM = ["回访单号", "关联类型", "关联编号", "项目名称", "回访时间", "回访人", "岗位", "回访方式",
          "满意度", "发现问题"]


def callback(r, i, orig):
    return [r["callback_id"], "维修回访" if r["ref_kind"] == "ticket" else "投诉回访", r["ref_id"],
            r["site"], half_day(r["callback_at"]), r["staff"] or "", r["role"] or "",
            r["method"] or "", r["result"] or "", "有" if r["problem_found"] else "无"]


out_rows = convert(rows, cols, 1, "callbacks", "callback_id", callback,
                   lambda o: original(o, B_FROM))
write("回访记录.txt", [], B_COLS, out_rows, [], "gb18030", "\t")

# ---- fees: a 收费流水 ledger export --------------------------------------------
cols, rows = read("fees.csv", "utf-8")
F_COLS = ["收费流水号", "管理处", "房号", "收费项目", "所属期间", "业务类型", "金额", "发生日期",
          "缴费期限", "收款/催缴方式", "托管"]
F_FROM = ["单据号", "项目", "房屋", "费用项目", "账期", "业务类型", "金额", "日期", "缴费期限",
          "方式", "托管"]
KIND = {"charge": "应收款", "payment": "实收款", "waiver": "减免款", "reminder": "催缴"}


def fee(r, i, orig):
    y, m = r["period"].split("-")
    return [r["entry_id"], r["site"], r["room"], r["fee_item"], "%s年%d月" % (y, int(m)),
            KIND[r["kind"]], money(r["amount"], i), r["at"].replace("-", "."),
            opt(r["due_date"], lambda v: v.replace("-", "")), r["method"] or "",
            "√" if r["custody"] else "×"]


out_rows = convert(rows, cols, 0, "fees", "entry_id", fee, lambda o: original(o, F_FROM))
write("收费流水.csv", [["收费流水 2025-07 至 2026-11"]], F_COLS, out_rows,
      ["合计", "", "", "", "", "", "%d笔" % len(out_rows)], "utf-8")
