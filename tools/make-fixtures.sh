#!/bin/sh
# Rebuilds fixtures/ — the demo's sample exports — from pmgen with a fixed
# seed, then adds the mess of real exports (DATA.md): Chinese header aliases,
# a shuffled column order, GB18030 with CRLF line ends, a UTF-8 BOM, slash and
# 年月日 dates, ¥ money with thousands separators, a quoted field holding a
# comma and a line break, an unknown column, and a few deliberately bad rows.
# fixtures/README.md lists every bad row; `tools/make-fixtures.sh --check`
# only compares a fresh build with the committed files.
#
# Needs: build/pmgen (make all), awk, iconv, sed. Run from anywhere.
set -eu
# Byte semantics in awk and sed, whatever the locale: the output must not vary.
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."
PMGEN=${PMGEN:-build/pmgen}
[ -x "$PMGEN" ] || { echo "make-fixtures: $PMGEN missing; run make all" >&2; exit 2; }
dest=fixtures
check=0
[ "${1:-}" = "--check" ] && check=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
raw=$tmp/raw
mkdir -p "$raw" "$tmp/out"

"$PMGEN" --seed 20261130 --sites 3 --from 2026-09 --to 2026-11 \
	--tickets 300 --complaints 60 --rooms 50 --headers zh --out "$raw"

# Shared awk helpers: alternative spellings of a canonical timestamp.
helpers='
function slash(ts,  d, t) {        # 2026-09-03 08:05:09 -> 2026/9/3 8:05
	split(substr(ts, 1, 10), d, "-"); split(substr(ts, 12), t, ":")
	return (d[1]+0) "/" (d[2]+0) "/" (d[3]+0) " " (t[1]+0) ":" t[2]
}
function slash_full(ts) {          # 2026-09-03 08:05:09 -> 2026/09/03 08:05:09
	gsub("-", "/", ts); return ts
}
function cn(ts,  d, t) {           # -> 2026年9月3日 8时5分
	split(substr(ts, 1, 10), d, "-"); split(substr(ts, 12), t, ":")
	return (d[1]+0) "年" (d[2]+0) "月" (d[3]+0) "日 " (t[1]+0) "时" (t[2]+0) "分"
}
function cn_colon(ts,  d) {        # -> 2026年9月3日 8:05
	split(substr(ts, 1, 10), d, "-")
	return (d[1]+0) "年" (d[2]+0) "月" (d[3]+0) "日 " (substr(ts, 12, 2)+0) ":" substr(ts, 15, 2)
}
function cn_date(dt,  d) {         # 2026-09-07 -> 2026年9月7日
	split(dt, d, "-"); return (d[1]+0) "年" (d[2]+0) "月" (d[3]+0) "日"
}
function yuan(amount, sign,  i, n, s) {  # 1257.50 -> "¥1,257.50" (quoted: it holds a comma)
	i = substr(amount, 1, index(amount, ".") - 1); s = substr(amount, index(amount, "."))
	n = length(i)
	while (n > 3) { s = "," substr(i, n - 2, 3) s; n -= 3 }
	s = substr(i, 1, n) s
	return index(s, ",") ? "\"" sign s "\"" : sign s
}
function join(a, n,  i, s) { s = a[1]; for (i = 2; i <= n; i++) s = s "," a[i]; return s }
'

# tickets.csv: UTF-8, LF. Column names 报修单号/小区/维修类别... instead of the defaults.
awk -F, "$helpers"'
NR == 1 {
	print "报修单号,小区,房号,维修类别,紧急,有偿,维修费用,受理时间,派单时间,上门时间,完成时间,试漏时间,维修员"
	next
}
{
	n = split($0, f, ",")
	row = NR - 1
	if (row % 7 == 0) f[8] = slash(f[8])
	if (row % 9 == 0 && f[11] != "") f[11] = cn(f[11])
	if (row % 10 == 0 && f[9] != "") f[9] = cn_colon(f[9])
	if (row % 12 == 0 && f[10] != "") f[10] = slash_full(f[10])
	if (row % 13 == 0) { f[5] = (f[5] == "是") ? "Y" : "N" }
	if (f[7] != "" && row % 4 == 0) f[7] = yuan(f[7], row % 3 ? "¥" : "￥")
	if (row == 15) f[8] = "2026-02-30 08:15:00"      # bad: no such date
	if (row == 40) f[1] = ""                         # bad: missing ticket id
	if (row == 77) f[7] = "12.345"                   # bad: three decimals
	if (row == 120) f[13] = " " f[13] "  "           # spaces are trimmed: fine
	# Stored but impossible: completed before it was reported (typed date only).
	if (row >= 150 && !early && f[11] ~ /^2026-..-.. / && f[8] ~ /^2026-..-.. / && f[12] == "") {
		f[11] = substr(f[8], 1, 10); early = 1
	}
	print join(f, n)
}' "$raw/tickets.csv" >"$tmp/out/tickets.csv"

# complaints-gbk.csv: GB18030 with CRLF, as Chinese Excel saves it; an extra
# column 备注 that pmaudit does not know; one summary spanning two lines.
awk -F, "$helpers"'
NR == 1 {
	print "投诉单号,管理处,住址,渠道,级别,类别,责任部门,受理时间,回应时间,转呈时间,答复时间,处理完毕时间,住户要求期限,有效投诉,投诉内容,备注"
	next
}
{
	# The summary (last column) may be quoted and hold commas: keep it whole.
	n = split($0, f, ",")
	summary = f[15]; for (i = 16; i <= n; i++) summary = summary "," f[i]
	n = 15; f[15] = summary
	row = NR - 1
	note = ""
	if (row % 6 == 0) f[8] = slash(f[8])
	if (row % 8 == 0 && f[12] != "") f[12] = cn_colon(f[12])
	if (f[13] != "" && row % 2 == 0) f[13] = cn_date(f[13])
	if (row == 5) note = "已赠送¥50购物卡致歉"
	if (row == 12) note = "\"住户称自行维修花费￥1,200,要求报销\""
	if (row == 21) f[15] = "\"住户反映:楼上卫生间漏水,\n已多次沟通无果\""
	if (row == 33) f[5] = "特级"                     # bad: unknown level
	if (row == 47) f[8] = "2026-11-31 10:00:00"      # bad: no such date
	if (row == 50) note = "欧元报价€30"
	if (row == 56) note = "CP936欧元@EURO@45"         # becomes byte 0x80 below
	print join(f, n) "," note
}' "$raw/complaints.csv" | sed 's/$/\r/' >"$tmp/complaints.utf8"
# Old Excel (code page 936) writes the euro sign as the single byte 0x80,
# which strict GB18030 lacks; pmaudit reads it as €.
iconv -f UTF-8 -t GB18030 "$tmp/complaints.utf8" | LC_ALL=C sed 's/@EURO@/\x80/' >"$tmp/out/complaints-gbk.csv"

# callbacks.csv: UTF-8 with BOM; columns in another order, other aliases.
# In:  回访编号 项目 回访类型 关联单号 回访时间 回访方式 回访人 回访人岗位 回访结果 发现问题
# Out: 回访时间 回访单号 关联编号 关联类型 项目名称 回访人 岗位 回访方式 满意度 发现问题
awk -F, "$helpers"'
NR == 1 {
	printf "\357\273\277"
	print "回访时间,回访单号,关联编号,关联类型,项目名称,回访人,岗位,回访方式,满意度,发现问题"
	next
}
{
	row = NR - 1
	at = $5
	if (row % 5 == 0) at = slash_full(at)
	else if (row % 11 == 0) at = cn_colon(at)
	kind = $3
	found = $10
	if (row % 17 == 0) found = (found == "是") ? "yes" : "no"
	if (row == 30) at = "2026-10-12 25:10"          # bad: no such hour
	if (row == 90) kind = "维修"                    # bad: unknown ref kind
	print at "," $1 "," $4 "," kind "," $2 "," $7 "," $8 "," $6 "," $9 "," found
}' "$raw/callbacks.csv" >"$tmp/out/callbacks.csv"

# fees.csv: UTF-8, LF; periods and money as people type them.
awk -F, "$helpers"'
NR == 1 {
	print "单据号,项目,房屋,费用项目,账期,业务类型,金额,日期,缴费期限,方式,托管"
	next
}
{
	n = split($0, f, ",")
	row = NR - 1
	split(f[5], p, "-")
	if (row % 7 == 0) f[5] = p[1] "年" (p[2]+0) "月"
	else if (row % 11 == 0) f[5] = p[1] p[2]
	else if (row % 13 == 0) f[5] = p[1] "/" p[2]
	if (f[7] != "" && (row % 5 == 0 || f[7]+0 >= 1000)) f[7] = yuan(f[7], row % 3 ? "¥" : "￥")
	if (row % 9 == 0) f[8] = substr(f[8], 1, 10)
	else if (row % 19 == 0) f[8] = slash(f[8])
	money = (f[6] == "应收" || f[6] == "实收")
	if (row >= 200 && money && !bad1) { f[7] = "12.345"; bad1 = 1 }   # bad: three decimals
	if (row == 900) f[6] = "退款"                    # bad: unknown kind
	if (row == 1500) f[3] = ""                       # bad: missing room
	if (row >= 2000 && money && !bad2) { f[7] = ""; bad2 = 1 }       # bad: amount missing
	print join(f, n)
}' "$raw/fees.csv" >"$tmp/out/fees.csv"

if [ "$check" = 1 ]; then
	for f in tickets.csv complaints-gbk.csv callbacks.csv fees.csv; do
		cmp -s "$tmp/out/$f" "$dest/$f" || { echo "make-fixtures: $dest/$f is not what the script makes" >&2; exit 1; }
	done
	echo "fixtures are up to date"
	exit 0
fi
mkdir -p "$dest"
for f in tickets.csv complaints-gbk.csv callbacks.csv fees.csv; do
	cp "$tmp/out/$f" "$dest/$f"
done
echo "wrote $dest/: $(cd "$dest" && ls *.csv | tr '\n' ' ')"
