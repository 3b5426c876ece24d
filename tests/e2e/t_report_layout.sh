#!/bin/sh
# Layout of the reports (issue 14): figures numbered 图1, 图2, ... in order;
# a tile title that does not fit ends with "…"; rule ids are never broken
# mid-word; no page ends with a heading (a bookmark's title) alone, nor
# with a heading and its paragraph without the table or figure they
# introduce (keep with next: reports/pdf.c). More than 20 sites:
# t_report_many_sites.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

db="$T/audit.db"
import_fixtures "$db"

# figures_numbered PDF N: captions 图1 .. 图N (or Figure 1: ..), each once, in order
figures_numbered() {
	pdftotext "$1" - 2>/dev/null | grep -o "$2[0-9][0-9]*$3" | tr -dc '0-9\n' >"$T/nums"
	seq 1 "$(images "$1")" >"$T/want"
	cmp -s "$T/nums" "$T/want" || fail "$1: figures numbered $(tr '\n' ' ' <"$T/nums"), want 1..$(images "$1")"
}

for lang in zh en; do
	"$PMAUDIT" report monthly --db "$db" --month 2026-10 --lang $lang --out "$T/m-$lang.pdf" >/dev/null ||
		fail "monthly $lang"
	"$PMAUDIT" report annual --db "$db" --year 2026 --lang $lang --out "$T/a-$lang.pdf" >/dev/null ||
		fail "annual $lang"
	"$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --lang $lang --out "$T/i-$lang.pdf" >/dev/null ||
		fail "inspection $lang"
	for f in m a i; do no_orphan_heading "$T/$f-$lang.pdf"; done
	# each site's reports too: the annual report of 海棠湾 ended a page with
	# the appendix's heading, paragraph and command, its table on the next
	# with a company name the English annual ended page 11 with "6. Site
	# ranking" and its paragraph, its first subsection and table on page 12
	"$PMAUDIT" report annual --db "$db" --year 2026 --lang $lang --company "Example Property Services" \
		--out "$T/s.pdf" >/dev/null 2>&1 || fail "annual with a company, $lang"
	no_orphan_heading "$T/s.pdf"
	for site in 海棠湾 翠湖花园 金桂苑; do
		"$PMAUDIT" report annual --db "$db" --year 2026 --site "$site" --lang $lang \
			--out "$T/s.pdf" >/dev/null 2>&1 || fail "annual $site $lang"
		no_orphan_heading "$T/s.pdf"
		"$PMAUDIT" report monthly --db "$db" --month 2026-10 --site "$site" --lang $lang \
			--out "$T/s.pdf" >/dev/null 2>&1 || fail "monthly $site $lang"
		no_orphan_heading "$T/s.pdf"
	done
done
for f in m a; do
	figures_numbered "$T/$f-zh.pdf" "图" " "
	figures_numbered "$T/$f-en.pdf" "Figure " ":"
done
[ "$(images "$T/m-zh.pdf")" -ge 6 ] || fail "monthly: six figures expected"

# English tile titles are longer than two lines: cut with an ellipsis.
# (the page of the tiles: the one headed "Rules against their targets")
pages=$(pdfinfo "$T/m-en.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
i=1
while [ "$i" -le "$pages" ]; do
	pdftotext -f "$i" -l "$i" "$T/m-en.pdf" - 2>/dev/null >"$T/p"
	grep -q '^Rules against their targets$' "$T/p" && break
	i=$((i + 1))
done
[ "$i" -le "$pages" ] || fail "no page of rule tiles"
grep -q '…$' "$T/p" || fail "no tile title ends with an ellipsis"
# Every rule id is printed whole on some line (never only as two halves).
pdftotext "$T/m-en.pdf" - 2>/dev/null >"$T/m-en.txt"
for id in C-IMPORTANT-RESOLVE C-IMPORTANT-ESCALATE T-PAID-SUPERVISOR T-PAID-CB-WEEKLY; do
	grep -q -- "$id" "$T/m-en.txt" || fail "$id is never printed whole"
done
if grep -q 'C-IMPORTANT-RESO$' "$T/m-en.txt"; then fail "a rule id broken mid-word"; fi

# The inspection checklist's columns hold whole words (issue 14: the English
# header read "Category / technici…"): the header's "technician", every
# sampled ticket id and completion date on one line each.
"$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --lang en --out "$T/ic.pdf" \
	--checklist "$T/ic.csv" >/dev/null 2>&1 || fail "inspection en with checklist"
pdftotext "$T/ic.pdf" - 2>/dev/null >"$T/ic.txt"
grep -qx 'technician' "$T/ic.txt" || fail "the checklist header's 'technician' is not whole"
if grep -q 'technici…' "$T/ic.txt"; then fail "the checklist header is cut"; fi
tail -n +2 "$T/ic.csv" | cut -d, -f2,8 | while IFS=, read -r id done; do
	grep -qw -- "$id" "$T/ic.txt" || fail "ticket $id is not on one line"
	[ -z "$done" ] || grep -q -- "${done%% *}" "$T/ic.txt" || fail "$id: completion date ${done%% *} broken"
done

# The inspection checklist: a reviewer signs it too.
pdf_text "$T/i-zh.pdf" "$T/i-zh.txt"
has "$T/i-zh.txt" "检查人签字" "inspector's signature"

echo ok
