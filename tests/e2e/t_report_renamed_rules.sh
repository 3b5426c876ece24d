#!/bin/sh
# Renaming the rules in a rules file empties no report section: the reports
# find a rule by what it does (rules/results/results.h: roles), not by its id. Every
# id of rules/default.rules is renamed (T-CB-SAFETY -> U-HF-SAFETY, C-... ->
# D-..., F-... -> G-..., R-... -> S-...: the same lengths and the same sort
# order, so tables wrap and sort as before); the monthly, annual and
# inspection reports on the fixtures must then print exactly the text of
# the same reports with the rules as they were, but for the ids.
# e2e: not under asan -- the tests run there reach every line this one reaches (make e2e-cover)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

# rename: the ids of a rules file (headers [ID]) and of a text
rename() { sed -e 's/\bT-CB-/U-HF-/g' -e 's/\bC-CB-/D-HF-/g' -e 's/\bT-\([A-Z]\)/U-\1/g' \
	-e 's/\bC-\([A-Z]\)/D-\1/g' -e 's/\bF-LETTER/G-LETTER/g' -e 's/\bR-REPEAT/S-REPEAT/g'; }
# back: the renamed ids of a text as they were
back() { sed -e 's/\bU-HF-/T-CB-/g' -e 's/\bD-HF-/C-CB-/g' -e 's/\bU-\([A-Z]\)/T-\1/g' \
	-e 's/\bD-\([A-Z]\)/C-\1/g' -e 's/\bG-LETTER/F-LETTER/g' -e 's/\bS-REPEAT/R-REPEAT/g'; }

import_fixtures "$T/base.db"
rename <"$ROOT/rules/default.rules" >"$T/renamed.rules"
[ "$(grep -c '^\[[UDGS]-' "$T/renamed.rules")" = "$(grep -c '^\[' "$ROOT/rules/default.rules")" ] ||
	fail "not every rule id was renamed"
grep -q '^\[[TCFR]-' "$T/renamed.rules" && fail "an old id is left in the renamed rules"

# reports WHICH RULES: the three reports' text, one database copy each time;
# the rules file is always at $T/r/in-force.rules (its path is on the cover)
reports() {
	mkdir -p "$T/r" "$T/$1"
	cp "$2" "$T/r/in-force.rules"
	cp "$T/base.db" "$T/$1/db"
	"$PMAUDIT" report monthly --db "$T/$1/db" --month 2026-10 --rules "$T/r/in-force.rules" \
		--out "$T/r/m.pdf" >/dev/null || fail "$1: report monthly"
	"$PMAUDIT" report annual --db "$T/$1/db" --year 2026 --rules "$T/r/in-force.rules" \
		--out "$T/r/a.pdf" >/dev/null || fail "$1: report annual"
	"$PMAUDIT" report inspection --db "$T/$1/db" --quarter 2026Q4 --rules "$T/r/in-force.rules" \
		--out "$T/r/i.pdf" >/dev/null || fail "$1: report inspection"
	# runs of spaces squeezed: -layout pads a column by the widths of the
	# glyphs on its page, and G is wider than F (G-LETTER on a page moved
	# a column by one space)
	for k in m a i; do
		# (the command in 数据来源 names each set's database and rules file)
		pdftotext -layout "$T/r/$k.pdf" - 2>/dev/null | tr -s ' ' |
			sed -E '/^ ?pmaudit check /,/summary\.json/d' >"$T/$1/$k.txt"
	done
	cp "$T/r/m-breaches.csv" "$T/$1/breaches.csv"
}

reports default "$ROOT/rules/default.rules"
reports renamed "$T/renamed.rules"
for k in m a i; do
	grep -q 'U-HF-SAFETY\|U-HF-COVERAGE' "$T/renamed/$k.txt" || [ "$k" = i ] ||
		fail "$k: the renamed ids are not printed"
	back <"$T/renamed/$k.txt" >"$T/renamed/$k.back"
	diff "$T/default/$k.txt" "$T/renamed/$k.back" >"$T/$k.diff" ||
		fail "report $k differs with renamed rules: $(head -20 "$T/$k.diff")"
done
# the sections that went by id before: each still lists its rules
grep -q 'U-HF-SAFETY' "$T/renamed/m.txt" || fail "repair callbacks section is empty"
grep -q 'U-ARRIVE' "$T/renamed/m.txt" || fail "arrival section is empty"
grep -q 'G-LETTER' "$T/renamed/m.txt" || fail "letter section is empty"
back <"$T/renamed/breaches.csv" | cmp -s - "$T/default/breaches.csv" || fail "breaches CSV differs"
echo ok
