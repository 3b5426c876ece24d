#!/bin/sh
# Issue 13, item 1: an output path that is the database (or its journal, an
# input of the command, another output) is refused before any work, with a
# message naming both, and the database is untouched. On the old build
# `report --out d.db` turned the database into a PDF, `check --csv d.db`
# left a 75-byte file, `rejects --csv d.db` died with SIGBUS.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures d.db
sum() { sha256sum "$1" | cut -d' ' -f1; }
before=$(sum d.db)

# refused CMD...: exit status not 0, "is the same file as" on stderr, d.db unchanged
refused() {
	rc=0
	timeout 60 "$PMAUDIT" "$@" >out.txt 2>err.txt || rc=$?
	[ "$rc" -ne 0 ] || fail "$*: exit status 0"
	[ "$rc" -lt 128 ] || fail "$*: killed by a signal ($rc)"
	grep -q "is the same file as" err.txt || fail "$*: message: $(cat err.txt)"
	assert_eq "$before" "$(sum d.db)" "$*: the database changed"
	assert_eq ok "$(sqlite3 d.db 'PRAGMA integrity_check')" "$*: integrity"
}

refused report monthly --db d.db --month 2026-10 --out d.db
grep -q -- "--out d.db is the same file as the database d.db" err.txt ||
	fail "report: the message names both: $(cat err.txt)"
refused check --db d.db --month 2026-10 --csv d.db
refused check --db d.db --month 2026-10 --json d.db
refused check --db d.db --month 2026-10 --json ./d.db
refused rejects --db d.db --csv d.db
refused report inspection --db d.db --quarter 2026Q4 --out i.pdf --checklist d.db
# the journal, a symbolic link, a hard link, another spelling of the path
refused check --db d.db --month 2026-10 --csv d.db-journal
ln -s d.db link.db
refused report monthly --db d.db --month 2026-10 --out link.db
ln d.db hard.db
refused check --db d.db --month 2026-10 --json hard.db
mkdir sub
refused check --db d.db --month 2026-10 --csv sub/../d.db
# the PDF's own breaches CSV is the database
cp d.db m-breaches.csv
before_m=$(sum m-breaches.csv)
rc=0; "$PMAUDIT" report monthly --db m-breaches.csv --month 2026-10 --out m.pdf 2>err.txt || rc=$?
[ "$rc" -ne 0 ] || fail "breaches CSV = database: exit status 0"
grep -q "the breaches CSV m-breaches.csv is the same file as the database" err.txt ||
	fail "breaches CSV = database: $(cat err.txt)"
assert_eq "$before_m" "$(sum m-breaches.csv)" "breaches CSV = database: changed"
[ ! -e m.pdf ] || fail "breaches CSV = database: a PDF was written"
# an input of the same command, and two outputs that are one file
cp "$ROOT/rules/default.rules" my.rules
refused check --db d.db --month 2026-10 --rules my.rules --csv my.rules
cmp -s my.rules "$ROOT/rules/default.rules" || fail "--rules file overwritten"
refused check --db d.db --month 2026-10 --json same.out --csv same.out
[ ! -e same.out ] || fail "two outputs, one file: written"
refused report monthly --db d.db --month 2026-10 --out x.pdf --charts d.db

# and nothing of it stops a normal run
"$PMAUDIT" check --db d.db --month 2026-10 --csv c.csv --json c.json >/dev/null ||
	fail "normal check failed"
[ -s c.csv ] && [ -s c.json ] || fail "normal check: no outputs"
