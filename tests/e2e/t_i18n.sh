#!/bin/sh
# Command-line messages follow the locale through gettext (docs/translating.md):
# LANG, LC_MESSAGES or LC_ALL zh_CN gives Chinese, C or en English, whether
# or not the zh_CN.UTF-8 locale is installed; the catalogue is found next to
# the build's binary and in an installed layout; it translates every message
# of the sources.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"
cd "$T"

zh() { LANG=zh_CN.UTF-8 "$@"; }
has() { grep -q -- "$2" "$1" || fail "$1 lacks '$2': $(head -5 "$1")"; }
lacks() { ! grep -q -- "$2" "$1" || fail "$1 has '$2': $(head -5 "$1")"; }
# stored_reasons DB: the reasons of DB's rejects, in order, joined by |
stored_reasons() { q "$1" "SELECT group_concat(reason, '|') FROM (SELECT reason FROM import_rejects ORDER BY rowid)"; }
# import_fails NAME DB_ZH DB_EN ARGS...: `import ARGS` fails under zh_CN into DB_ZH
# (its messages in NAME.err) and under C into DB_EN (NAME.en)
import_fails() {
	if_name=$1 if_zh=$2 if_en=$3
	shift 3
	zh "$PMAUDIT" import --db "$if_zh" "$@" >/dev/null 2>"$if_name.err" && fail "$if_name imported"
	LANG=C "$PMAUDIT" import --db "$if_en" "$@" >/dev/null 2>"$if_name.en" && fail "$if_name imported (C)"
	return 0
}

# usage, a usage error, --help
set +e
zh "$PMAUDIT" >usage.zh 2>&1; assert_eq 2 $? "no command"
LANG=C "$PMAUDIT" >usage.en 2>&1
zh "$PMAUDIT" check --db x.db --month 2026-13 >month.zh 2>&1; assert_eq 2 $? "bad month"
LANG=C "$PMAUDIT" check --db x.db --month 2026-13 >month.en 2>&1
zh "$PMAUDIT" report monthly --db x.db --month 2026-10 >out.zh 2>&1; assert_eq 2 $? "no --out"
set -e
has usage.zh "用法：pmaudit <命令> \[选项\]"
has usage.zh "把导出的 CSV（工单、投诉、回访、收费台账）导入数据库"
has usage.en "usage: pmaudit <command> \[options\]"
lacks usage.en "用法"
has month.zh "'2026-13' 不是 1970-01 到 2199-11 之间的月份"
has month.en "'2026-13' is not a month from"
has out.zh "必须给出 --out FILE.pdf"
zh "$PMAUDIT" import --help >help.zh
has help.zh "只读取并检查，不保存"
has help.zh "退出状态：0 所有行均已保存"

# LC_MESSAGES alone, LC_ALL over LANG, LANGUAGE as gettext reads it
LANG=C.UTF-8 LC_MESSAGES=zh_CN.UTF-8 "$PMAUDIT" >lcm.out 2>&1 || true
has lcm.out "用法"
LANG=zh_CN.UTF-8 LC_ALL=C "$PMAUDIT" >lcall.out 2>&1 || true
has lcall.out "usage:"
LANG=zh_CN.UTF-8 LANGUAGE=en "$PMAUDIT" >language.out 2>&1 || true
grep -q "usage:" language.out || grep -q "用法" language.out || fail "LANGUAGE=en: $(head -2 language.out)"

# import: the summary line, and the rejected rows with their reasons in Chinese
set +e
zh "$PMAUDIT" import --db f.db "$ROOT"/fixtures/*.csv >import.out 2>import.err
assert_eq 1 $? "import of the fixtures (some rows rejected)"
set -e
has import.out "tickets.csv：tickets，读取 300 行，新增"
has import.out "拒收 3 行"
has import.err "不是有效的时间 '2026-10-12 25:10': 小时超出范围"
has import.err "未知的投诉等级 '特级': 应为 重大、重要、一般 或 轻微"
lacks import.err "not a valid"
# what is stored stays English: scripts and pmaudit rejects --csv read it
"$PMAUDIT" import --db e.db "$ROOT"/fixtures/*.csv >/dev/null 2>&1 || true
assert_eq "$(q e.db "SELECT group_concat(line || reason, '|') FROM import_rejects")" \
	"$(q f.db "SELECT group_concat(line || reason, '|') FROM import_rejects")" "stored reasons"
zh "$PMAUDIT" rejects --db f.db >rejects.zh
has rejects.zh "导入批次 "
has rejects.zh "应收记录必须填写金额"
"$PMAUDIT" rejects --db f.db >rejects.en
has rejects.en "amount is required for a charge"

# a file that fails as a whole: its reason in Chinese on the terminal, stored in English
: > empty.csv
set +e
zh "$PMAUDIT" import --db g.db empty.csv >empty.out 2>empty.err
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "an empty file imported"
has empty.err "empty.csv:1：空文件：没有表头行"
lacks empty.err "empty file"
assert_eq "$(q g.db "SELECT reason FROM import_rejects")" "empty file: no header row" "stored reason"
LANG=C "$PMAUDIT" import --db h.db empty.csv >/dev/null 2>empty.en || true
has empty.en "empty.csv:1: empty file: no header row"

# Composed reasons (issue 14): a file that is not text and a header no log
# fits. Under zh_CN the whole message is Chinese on the terminal (the
# composed "this looks like %s" and what it looks like); the reasons are
# stored in English whatever the locale -- the header's too, which pm_fail()
# used to store translated -- and a report shows them in its own language.
printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj\n' >scan.csv
printf '编号,名称,金额\n1,甲,2\n' >other.csv
for f in scan other; do import_fails $f r.db r-en.db $f.csv; done
has scan.err "scan.csv:1：不是 CSV 文本文件：看起来是PDF 文档"
lacks scan.err "looks like"
lacks scan.err "document"
has scan.en "scan.csv:1: not a CSV text file: this looks like a PDF document"
has other.err "other.csv:1：无法判断这是哪种台账：表头中没有 ticket_id（工单号）"
lacks other.err "cannot tell"
has other.en "other.csv:1: cannot tell which log this is: the header has none of ticket_id"
for d in r.db r-en.db; do
	assert_eq "not a CSV text file: this looks like a PDF document|cannot tell which log this is: the header has none of ticket_id (工单号), complaint_id (投诉编号), callback_id (回访编号), entry_id (流水号); name the log with --kind" \
		"$(stored_reasons $d)" \
		"$d: the reasons stored in English"
done
# the reports: the data-quality appendix's open rejects in the report's language
"$PMAUDIT" import --db r.db "$ROOT"/fixtures/*.csv >/dev/null 2>&1 || true
"$PMAUDIT" report monthly --db r.db --month 2026-10 --out r-zh.pdf >/dev/null 2>&1 || fail "report zh"
"$PMAUDIT" report monthly --db r.db --month 2026-10 --lang en --out r-en.pdf >/dev/null 2>&1 || fail "report en"
pdftotext r-zh.pdf - 2>/dev/null | tr -d ' \n' >r-zh.txt
pdftotext r-en.pdf - 2>/dev/null | tr -d '\n' >r-en.txt
has r-zh.txt "不是CSV文本文件：看起来是PDF文档"
has r-zh.txt "无法判断这是哪种台账"
lacks r-zh.txt "looks like"
lacks r-zh.txt "cannot tell"
has r-en.txt "this looks like a PDF document"
has r-en.txt "cannot tell which log this is"

# A mapping file the header contradicts: the same rule (stored in English,
# shown in the user's language), for a mapped column the file lacks and
# for a constant whose column the file has
sed 's/^technician *=.*/technician = 维修人员X/' "$ROOT/maps/saas-tickets.map" >nocol.map
{ cat "$ROOT/maps/saas-tickets.map"; printf '\n[constants]\nsite = 翠湖\n'; } >dup.map
nocol_line=$(grep -n '^technician' nocol.map | cut -d: -f1)
dup_line=$(grep -n '^site = 翠湖' dup.map | cut -d: -f1)
for m in nocol dup; do
	import_fails $m m.db m-en.db --map $m.map "$ROOT/fixtures/exports/报事明细.csv"
done
has nocol.err "nocol.map:$nocol_line：technician = 维修人员X：文件中没有这一列"
lacks nocol.err "no such column"
has nocol.en "nocol.map:$nocol_line: technician = 维修人员X: the file has no such column"
has dup.err "dup.map:$dup_line：常量 site：文件中也有这一列（第 2 列）；请删去其中之一"
lacks dup.err "remove one"
has dup.en "dup.map:$dup_line: constant site: the file has a column for it too (column 2)"
for d in m.db m-en.db; do
	assert_eq "nocol.map:$nocol_line: technician = 维修人员X: the file has no such column|dup.map:$dup_line: constant site: the file has a column for it too (column 2); remove one of them" \
		"$(stored_reasons $d)" \
		"$d: the mapping file's reasons stored in English"
done

# import --dry-run: the report on the file, its reasons in Chinese
zh "$PMAUDIT" import --dry-run "$ROOT/fixtures/callbacks.csv" >dry.zh || [ $? -eq 1 ] || fail "dry run"
has dry.zh "回访时间 -> callback_at (表头别名)"
has dry.zh "读取 331 行，将保存 329 行，拒收 2 行"
has dry.zh "ref_kind: 未知的回访类型（第 91 行）"

# check: the table's header and figures
zh "$PMAUDIT" check --db f.db --month 2026-10 >check.zh
has check.zh "稽核运行 [0-9]*：2026-10-01 00:00:00 至 2026-11-01 00:00:00"
has check.zh "物业费（元）"
has check.zh "当期收缴率"
has check.zh "数量：工单 100 条，投诉 19 条"
"$PMAUDIT" check --db f.db --month 2026-10 >check.en
has check.en "fees (yuan)"
# the figures are the same in both languages
assert_eq "$(grep -o '[0-9][0-9.%]*' check.en | sed 1d | tr '\n' ' ')" \
	"$(grep -o '[0-9][0-9.%]*' check.zh | sed 1d | tr '\n' ' ')" "check figures in both languages"

# an error from the library (pm_fail) in Chinese
printf '[X]\nkind = deadline\nlimit = 2 days\n' >bad.rules
zh "$PMAUDIT" check --db f.db --month 2026-10 --rules bad.rules >/dev/null 2>rules.err || true
has rules.err "bad.rules:3"
has rules.err "应写成 30m、1h、2d、sameday 或 3wd 这样的时限"

# an installed layout: PREFIX/bin/pmaudit finds PREFIX/share/locale
mkdir -p prefix/bin prefix/share/locale/zh_CN/LC_MESSAGES bare
cp "$PMAUDIT" prefix/bin/pmaudit
cp "$(dirname "$PMAUDIT")/locale/zh_CN/LC_MESSAGES/pmaudit.mo" prefix/share/locale/zh_CN/LC_MESSAGES/
zh prefix/bin/pmaudit >installed.out 2>&1 || true
has installed.out "用法"
# no catalogue anywhere: English, nothing worse
cp "$PMAUDIT" bare/pmaudit
zh bare/pmaudit >bare.out 2>&1 || true
has bare.out "usage:"

# The catalogue translates every message the sources mark (make pot's
# keywords), none fuzzy or untranslated.
if command -v xgettext >/dev/null 2>&1; then
	# make e2e passes the Makefile's keywords; run alone, ask make for them
	flags=${XGETTEXT_FLAGS:-$(make -s --no-print-directory -C "$ROOT" print-xgettext-flags)} ||
		fail "cannot get the xgettext keywords from the Makefile"
	(cd "$ROOT" && eval xgettext "$flags" -o "$T/now.pot" \
		$(ls cmd/*.c util/*.c db/*.c etl/*.c rules/*.c rules/*/*.c reports/*.c 2>/dev/null)) \
		2>xgettext.err || fail "xgettext: $(head -3 xgettext.err)"
	how="run make po-update and translate what it marks (docs/translating.md)"
	if ! msgcmp "$ROOT/po/zh_CN.po" now.pot 2>msgcmp.err; then
		missing=$(sed -n 's/^now.pot:\([0-9]*\): this message is used but not defined.*/\1/p' msgcmp.err |
			  head -5 | while read -r n; do sed -n "$((n - 1))p" now.pot; done)
		fail "po/zh_CN.po lacks messages of the sources; $how: $missing"
	fi
	msgfmt --statistics -o /dev/null "$ROOT/po/zh_CN.po" 2>stats
	grep -q -E 'fuzzy|untranslated' stats && fail "po/zh_CN.po: $(cat stats); $how"
else
	echo "SKIP the catalogue's completeness: no xgettext (make deps installs gettext)"
fi
echo ok
