#!/bin/sh
# An unknown --site is an error (exit 2) for check and every report, listing
# the sites of the database closest first by edit distance in characters;
# no PDF is written. A known site still works (issue 14: `--site 翠湖` used
# to give a 7-page report of dashes and exit 0).
set -eu
. "$ROOT/tests/e2e/lib.sh"

db="$T/a.db"
"$PMAUDIT" import --db "$db" "$ROOT"/fixtures/tickets.csv "$ROOT"/fixtures/complaints-gbk.csv \
	"$ROOT"/fixtures/callbacks.csv "$ROOT"/fixtures/fees.csv >/dev/null 2>&1 || true

# expect_unknown WHAT EXPECTED-LIST COMMAND...
expect_unknown() {
	what=$1 list=$2
	shift 2
	set +e
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	assert_eq 2 "$rc" "$what: exit status"
	grep -q "unknown site" "$T/err" || fail "$what: no 'unknown site' in: $(cat "$T/err")"
	grep -q "closest first: $list\$" "$T/err" || fail "$what: list, got: $(cat "$T/err")"
}

expect_unknown "check 翠湖" "翠湖花园, 海棠湾, 金桂苑" \
	"$PMAUDIT" check --db "$db" --month 2026-10 --site 翠湖
expect_unknown "monthly 金桂" "金桂苑, 海棠湾, 翠湖花园" \
	"$PMAUDIT" report monthly --db "$db" --month 2026-10 --site 金桂 --out "$T/m.pdf"
[ -e "$T/m.pdf" ] && fail "a PDF was written for an unknown site"
expect_unknown "inspection 海棠" "海棠湾, 金桂苑, 翠湖花园" \
	"$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --site 海棠 --out "$T/i.pdf"
expect_unknown "annual 翠湖花圆" "翠湖花园, 海棠湾, 金桂苑" \
	"$PMAUDIT" report annual --db "$db" --year 2026 --site 翠湖花圆 --out "$T/y.pdf"
[ -e "$T/i.pdf" ] || [ -e "$T/y.pdf" ] && fail "a PDF was written for an unknown site"

# Characters, not bytes: 'ab' is one character from 'a湖' (three bytes from
# it) and two from 'abcd'. A site known only from callbacks is known.
sqlite3 "$db" "INSERT INTO tickets(ticket_id, site, category, reported_at) VALUES
  ('X1', 'abcd', '水电', '2026-10-02 10:00:00'), ('X2', 'a湖', '水电', '2026-10-02 10:00:00');
  INSERT INTO callbacks(callback_id, site, ref_kind, ref_id, callback_at)
  VALUES('H-only', '只有回访', 'ticket', 'X1', '2026-10-03 10:00:00')"
expect_unknown "check ab" "a湖, abcd, 海棠湾, 金桂苑, 只有回访, 翠湖花园" \
	"$PMAUDIT" check --db "$db" --month 2026-10 --site ab

# Known sites run as before.
"$PMAUDIT" check --db "$db" --month 2026-10 --site 只有回访 >/dev/null
"$PMAUDIT" check --db "$db" --month 2026-10 --site 金桂苑 | grep -q '金桂苑' || fail "known site"
"$PMAUDIT" report inspection --db "$db" --quarter 2026Q4 --site 海棠湾 --out "$T/ok.pdf" >/dev/null
[ -s "$T/ok.pdf" ] || fail "known site: no PDF"
echo "ok"
