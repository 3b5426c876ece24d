#!/bin/sh
# A --lang zh report is Chinese throughout (issue 14): every page of the
# three reports on the fixtures, read back with pdftotext, holds no English
# words once the allowed Latin text is taken out (ids of rules and records,
# file names and paths, the data fingerprint, units and format names such as
# CSV, UTF-8, SHA-256, field codes in quoted reject reasons, and the command
# that reproduces the figures, its options also where the command wraps); the texts stored in English (finding
# details, reject reasons) are printed in Chinese, the appendix names each
# rule by its title. The --lang en report keeps them in English.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

import_fixtures "$T/f.db"
"$PMAUDIT" report monthly --db "$T/f.db" --month 2026-10 --out "$T/m.pdf" >/dev/null || fail "monthly"
"$PMAUDIT" report inspection --db "$T/f.db" --quarter 2026Q4 --out "$T/i.pdf" >/dev/null || fail "inspection"
"$PMAUDIT" report annual --db "$T/f.db" --year 2026 --out "$T/a.pdf" >/dev/null || fail "annual"
"$PMAUDIT" report monthly --db "$T/f.db" --month 2026-10 --lang en --out "$T/m-en.pdf" >/dev/null ||
	fail "monthly en"

# english_words TXT: the Latin words of a report's text that are not allowed.
# A path cut at a table cell's edge goes on on the next line: joined first;
# a line of hex digits alone is a piece of a SHA-256 cut the same way.
english_words() {
	awk '{ printf (cont ? "%s" : "\n%s"), $0; cont = ($0 ~ /\/[^ ]*$/) } END { print "" }' "$1" |
	grep -v -E '^[0-9a-f]+$' |
	sed -E \
		-e 's#[^ ]*/[^ ]*##g' \
		-e 's/[A-Za-z0-9_.-]+\.(csv|pdf|rules|db|json)//g' \
		-e 's/pmaudit [a-z]+( [^ ]+)*//g' \
		-e 's/--[a-z][a-z-]*//g' \
		-e 's/\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)+\b//g' \
		-e 's/\b[A-Z]+[0-9]+\b//g' \
		-e 's/\b[0-9a-f]{8,}\b//g' \
		-e 's/\b[0-9]{4}-W[0-9]{2}\b//g' \
		-e 's/\b(SHA-256|UTF-8|CSV|PDF|JSON|Excel|BOM)\b//g' \
		-e "s/'[^']*'//g" \
		-e 's/\b[a-z]+_[a-z_]+\b//g' |
		grep -oE '[A-Za-z]{2,}' | sort | uniq -c | sort -rn || true
}

for k in m i a; do
	pdftotext "$T/$k.pdf" "$T/$k.txt" 2>/dev/null
	words=$(english_words "$T/$k.txt")
	[ -z "$words" ] || fail "$k: English in the Chinese report: $(echo "$words" | head -20 | tr '\n' ' ')"
done

# the texts stored in English, in Chinese
pdf_text "$T/m.pdf" "$T/m.flat"
for phrase in "completed_at before" "problem found" "is unknown" "callback is recorded" \
	"not a valid" "required value" "unknown level"; do
	grep -q "$phrase" "$T/m.flat" && fail "monthly (zh) still says '$phrase'"
done
grep -q "完工时间早于报修时间" "$T/m.flat" || fail "Q-ORDER detail in Chinese"
grep -q "投诉 C2026100013 不存在" "$T/m.flat" || fail "Q-ORPHAN detail in Chinese"
grep -q "回访发现问题，其后没有再回访" "$T/m.flat" || fail "Q-PROBLEM-OPEN detail in Chinese"
grep -q "T-CB-OTHER: 没有完工时间，却已有回访" "$T/m.flat" || fail "Q-MISSING-START detail in Chinese"
grep -q "未知的投诉等级 '特级'" "$T/m.flat" || fail "reject reason in Chinese"
# the appendix: rule titles, lateness in days and hours
sed -n '/附录/,$p' "$T/m.flat" | grep -q "其他维修2天内回访" || fail "appendix without rule titles"
sed -n '/附录/,$p' "$T/m.flat" | grep -q "[0-9]天[0-9]*小时" || fail "appendix lateness"

# Data pmgen made (repeated problems, which the fixtures have none of): the
# same, and the repeat rule is named by its title from the rules file
"$PMGEN" --seed 7 --sites 3 --from 2026-08 --to 2026-10 --tickets 2500 --out "$T/gen" >/dev/null
"$PMAUDIT" import --db "$T/g.db" "$T"/gen/*.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import gen"
"$PMAUDIT" report monthly --db "$T/g.db" --month 2026-10 --out "$T/g.pdf" >/dev/null || fail "monthly gen"
pdftotext "$T/g.pdf" "$T/g.txt" 2>/dev/null
words=$(english_words "$T/g.txt")
[ -z "$words" ] || fail "generated data: English in the Chinese report: $(echo "$words" | head -20 | tr '\n' ' ')"
pdf_text "$T/g.pdf" "$T/g.flat"
grep -q "R-REPEAT 反复出现的问题（" "$T/g.flat" || fail "R-REPEAT without its title"
grep -q "：报修 [0-9]* 次（90 天内）" "$T/g.flat" || fail "R-REPEAT detail in Chinese"

# English throughout --lang en: the same texts as stored
pdf_text "$T/m-en.pdf" "$T/m-en.flat"
grep -q "completed_at before reported_at" "$T/m-en.flat" || fail "Q-ORDER detail in English"
grep -q "unknown level '特级'" "$T/m-en.flat" || fail "reject reason in English"
for word in 超时 待定 未完成 完工时间 不存在 规则; do
	grep -q "$word" "$T/m-en.flat" && fail "the English report says '$word'"
done
echo ok
