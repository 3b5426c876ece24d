#!/bin/sh
# Issue 13, item 8, the smaller faults, each with what a user expects:
# --out /dev/stdout writes a valid PDF; check on a missing or empty
# database is an error like report's (it created the file and printed
# zeros); an in-memory database is refused for import (it printed "297
# inserted" and kept nothing); "file is not a database" names the file; a
# foreign SQLite file is named as such and rejects does not advise `pmaudit
# import`; check's lock message is the one of the other commands; CSV
# cells that a spreadsheet would run as formulas are defused (--raw-csv
# keeps them). (Temporary chart folders after SIGINT/SIGTERM: t_faults_charts.)
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures d.db

# check's lock message (check waits 30 s for a lock: held meanwhile in the
# background). Not in the sanitizer pass (O=build-asan): the message is the
# same code there, and the wait is half a minute of nothing.
LOCK_TEST=1
case ${O:-build} in *asan*) LOCK_TEST=0 ;; esac
cp d.db locked.db
if [ "$LOCK_TEST" = 1 ]; then
python3 -c "
import os, sqlite3, time
c = sqlite3.connect('locked.db', isolation_level=None)
c.execute('BEGIN IMMEDIATE')
open('locked.ready', 'w').close()
# held until the check has given up (check.done), not for a fixed time: on a
# busy machine check may start its 30 s wait late (at most 5 minutes)
t = time.time()
while not os.path.exists('check.done') and time.time() - t < 300:
    time.sleep(0.1)
" &
locker=$!
while [ ! -e locked.ready ]; do sleep 0.1; done
"$PMAUDIT" check --db locked.db --month 2026-10 >/dev/null 2>lock-check.txt &
checker=$!
fi

# 1. the PDF on standard output: valid, and nothing else in the stream
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out /dev/stdout >s.pdf 2>s.err ||
	fail "--out /dev/stdout failed: $(cat s.err)"
qpdf --check s.pdf >/dev/null 2>&1 || fail "--out /dev/stdout: not a valid PDF"
assert_eq "/dev/stdout" "$(cat s.err)" "--out /dev/stdout: the path goes to stderr"
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out - 2>/dev/null | cat >p.pdf
qpdf --check p.pdf >/dev/null 2>&1 || fail "--out - through a pipe: not a valid PDF"
pdf_text p.pdf p.txt
has p.txt "pmaudit check --csv" "--out -: the appendix says where all records are"
# appended to a file the shell opened with >>: what was there stays
echo "header line" > app.bin
"$PMAUDIT" report monthly --db d.db --month 2026-10 --out /dev/stdout >>app.bin 2>/dev/null ||
	fail "--out /dev/stdout >> file failed"
assert_eq "header line" "$(head -n 1 app.bin)" "--out /dev/stdout >> file: the start was kept"
tail -c +13 app.bin > app.pdf
qpdf --check app.pdf >/dev/null 2>&1 || fail "--out /dev/stdout >> file: not a valid PDF after it"
# check --json /dev/stdout: the JSON alone, no table in it
"$PMAUDIT" check --db d.db --month 2026-10 --json /dev/stdout >j.json || fail "--json /dev/stdout"
assert_eq 1 "$(sqlite3 :memory: "SELECT json_valid(readfile('j.json'))")" "--json /dev/stdout: valid JSON"

# 2. check on a missing or empty database: an error, as report's, nothing created
for cmd in check report; do
	args="--month 2026-10"
	[ "$cmd" = report ] && args="monthly --month 2026-10 --out x.pdf"
	rc=0
	# shellcheck disable=SC2086
	"$PMAUDIT" $cmd $args --db missing.db >/dev/null 2>err.txt || rc=$?
	assert_eq 1 "$rc" "$cmd on a missing database: exit status"
	grep -q "missing.db: no such database (run \`pmaudit import\` first)" err.txt ||
		fail "$cmd on a missing database: $(cat err.txt)"
	[ ! -e missing.db ] || fail "$cmd created the missing database"
	: > empty.db
	rc=0
	# shellcheck disable=SC2086
	"$PMAUDIT" $cmd $args --db empty.db >out.txt 2>err.txt || rc=$?
	assert_eq 1 "$rc" "$cmd on an empty database: exit status"
	grep -q "empty.db: empty database file" err.txt || fail "$cmd on an empty database: $(cat err.txt)"
	assert_eq 0 "$(wc -c <empty.db)" "$cmd on an empty database: the file was written"
done

# 3. an in-memory database keeps nothing: import refuses it
for how in env opt; do
	rc=0
	if [ $how = env ]; then
		PMAUDIT_DB=:memory: "$PMAUDIT" import "$ROOT/fixtures/tickets.csv" >out.txt 2>err.txt || rc=$?
	else
		"$PMAUDIT" import --db :memory: "$ROOT/fixtures/tickets.csv" >out.txt 2>err.txt || rc=$?
	fi
	assert_eq 2 "$rc" ":memory: ($how): exit status"
	grep -q ":memory: is an in-memory database: nothing imported would be kept" err.txt ||
		fail ":memory: ($how): $(cat err.txt)"
	if grep -q inserted out.txt; then fail ":memory: ($how): rows reported as inserted"; fi
done

# 4. a file that is not a database, for every command, names the file
head -c 3000 /dev/urandom > junk.db
for cmd in "import --db junk.db $ROOT/fixtures/tickets.csv" "rejects --db junk.db" \
	   "check --db junk.db --month 2026-10"; do
	# shellcheck disable=SC2086
	"$PMAUDIT" $cmd >/dev/null 2>err.txt && fail "$cmd: exit status 0"
	grep -q "junk.db: file is not a database" err.txt || fail "$cmd: $(cat err.txt)"
done

# 5. another program's SQLite file with a table called tickets
sqlite3 foreign.db "CREATE TABLE tickets(id INTEGER PRIMARY KEY, title TEXT);
	INSERT INTO tickets(title) VALUES ('printer jam');"
before=$(sha256sum foreign.db)
for cmd in "import --db foreign.db $ROOT/fixtures/tickets.csv" "rejects --db foreign.db" \
	   "check --db foreign.db --month 2026-10"; do
	# shellcheck disable=SC2086
	"$PMAUDIT" $cmd >/dev/null 2>err.txt && fail "$cmd: exit status 0"
	grep -q "foreign.db: not a pmaudit database: it is an SQLite database of another program" \
		err.txt || fail "$cmd: $(cat err.txt)"
	if grep -q "already exists\|run \`pmaudit import\`" err.txt; then fail "$cmd: $(cat err.txt)"; fi
done
assert_eq "$before" "$(sha256sum foreign.db)" "the foreign database was changed"

# 6. formula injection: cells starting with = + - @ get a quote; numbers do not
H="ticket_id,site,room,category,urgent,reported_at,arrived_at,completed_at"
{
	echo "$H"
	echo "=1+1,=HYPERLINK(\"http://evil\"),+8613800000000,@SUM(A1),是,2026-10-05 10:00,2026-10-05 12:00,"
	echo "-20.00,-cmd|' /C calc'!A0,1-101,水电,是,2026-10-06 10:00,2026-10-06 12:00,"
	echo "=bad,S,1,水电,是,2026-10-40 10:00,,"
} > evil.csv
"$PMAUDIT" import --db e.db evil.csv >/dev/null 2>&1 || [ $? -eq 1 ] || fail "import evil.csv"
"$PMAUDIT" check --db e.db --month 2026-10 --csv e.csv >/dev/null || fail "check --csv"
"$PMAUDIT" check --db e.db --month 2026-10 --csv raw.csv --raw-csv >/dev/null ||
	fail "check --csv --raw-csv"
"$PMAUDIT" rejects --db e.db --csv r.csv || fail "rejects --csv"
"$PMAUDIT" report monthly --db e.db --month 2026-10 --out e.pdf --no-charts >/dev/null ||
	fail "report monthly"
"$PMAUDIT" report inspection --db e.db --quarter 2026Q4 --fraction 1 --out i.pdf \
	--checklist i.csv >/dev/null || fail "report inspection"
python3 - e.csv raw.csv r.csv e-breaches.csv i.csv <<'EOF' || fail "CSV cells not defused"
import csv, sys
def cells(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [c for row in csv.reader(f) for c in row]
starters = ("=", "+", "-", "@", "\t", "\r")
def is_number(c):
    try:
        float(c)
        return c.strip() == c
    except ValueError:
        return False
for path in [sys.argv[1], sys.argv[3], sys.argv[4], sys.argv[5]]:
    got = cells(path)
    bad = [c for c in got if c.startswith(starters) and not is_number(c)]
    assert not bad, (path, bad)
    assert any(c.startswith("'=") for c in got), (path, "no defused cell")
raw = cells(sys.argv[2])
assert "=1+1" in raw and "=HYPERLINK(\"http://evil\")" in raw, raw
assert "-20.00" in raw and "-20.00" in cells(sys.argv[1]), "a number must stay a number"
assert "'=1+1" in cells(sys.argv[1])
assert any(c.startswith("'=bad,") for c in cells(sys.argv[3])), cells(sys.argv[3])
EOF

# check's lock message, now that the lock was held long enough
if [ "$LOCK_TEST" = 1 ]; then
	rc=0
	wait "$checker" || rc=$?
	: > check.done
	wait "$locker" || true
	assert_eq 1 "$rc" "check on a locked database: exit status"
	grep -q "pmaudit check: database is locked by another process; try again when it has finished" \
		lock-check.txt || fail "check's lock message: $(cat lock-check.txt)"
fi
