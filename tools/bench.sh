#!/bin/sh
# `make bench`: the performance measurements of docs/performance.md.
#
# Generates the data with the seeded generator (cached under bench/cache/
# between runs), runs each measurement RUNS times and prints the median
# wall seconds, the median CPU seconds (user + system, all threads),
# rows/s, the peak RSS of all runs, and for the import the ratio to
# `sqlite3 .import` of the same file measured in the same run, in turns
# with it (the median of the run-by-run ratios, wall and CPU). On a shared machine wall times are noisy; CPU seconds much less so.
# The audit data set (four files) is measured twice: as generated (rows in
# time order) and shuffled (the same rows in a fixed random order, header
# kept): its import against `sqlite3 .import` of the same four files, and
# each check and report against one full scan of the four tables by sqlite3
# on the same database (issue 16's table).
# Public tools only: /usr/bin/time (GNU time), sqlite3, iconv, shuf, awk.
#
#   BENCH_SIZES="100000 1000000 5000000"  rows for the import scaling table ("": none)
#   BENCH_ORDERS="ordered shuffled"        row orders of the audit data set
#   RUNS=5                                 repetitions per measurement
#   BENCH_AUDIT=0                          skip check and report
#   BENCH_IMPORT=0                         skip the import measurements
set -eu
cd "$(dirname "$0")/.."
PMAUDIT=${PMAUDIT:-build/pmaudit}
PMGEN=${PMGEN:-build/pmgen}
SIZES=${BENCH_SIZES-"100000 1000000 5000000"}
RUNS=${RUNS:-5}
AUDIT=${BENCH_AUDIT:-1}
[ "${BENCH_IMPORT:-1}" = 1 ] || SIZES=""
cache=bench/cache
work=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

# gen_tickets N: canonical UTF-8 tickets file of N rows, cached.
gen_tickets() {
	f="$cache/tickets-$1.csv"
	if [ ! -s "$f" ]; then
		"$PMGEN" --seed 42 --sites 100 --from 2025-12 --to 2026-11 \
			--tickets "$1" --only tickets > "$f.tmp"
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# time_once TIMES CMD...: one run of CMD on a fresh database ($work/db
# removed; $PREPARE, if set, run first); appends "wall user sys max_rss_kb"
# to the file TIMES, or fails if the command failed (exit status above 1).
time_once() {
	out=$1
	shift
	rm -f "$work/db" "$work/db-journal" "$work/db-wal"
	[ -z "${PREPARE:-}" ] || sh -c "$PREPARE"
	rc=0
	/usr/bin/time -f "%e %U %S %M" -o "$work/t1" "$@" >/dev/null 2>"$work/err" || rc=$?
	if [ "$rc" -gt 1 ]; then
		sed 's/^/    /' "$work/err" | tail -n 3 >&2
		return 1
	fi
	tail -n 1 "$work/t1" >> "$out"
}

# stats TIMES: "median_wall_seconds median_cpu_seconds max_rss_kb" of the runs
stats() {
	wall=$(awk '{ print $1 }' "$1" | sort -n | median)
	cpu=$(awk '{ printf "%.2f\n", $2 + $3 }' "$1" | sort -n | median)
	rss=$(awk '$4 > m { m = $4 } END { print m }' "$1")
	echo "$wall $cpu $rss"
}

# pair_ratio A B COLUMN: the median over the runs of B's / A's value of
# COLUMN (1 wall, 2 CPU), run by run: the nth run of B against the nth of A,
# made one after the other, so that both saw the same machine
pair_ratio() {
	paste -d' ' "$1" "$2" | awk -v c="$3" '{
		a = c == 1 ? $1 : $2 + $3; b = c == 1 ? $5 : $6 + $7
		printf "%.4f\n", (a > 0 ? b / a : 0) }' | sort -n | median
}

# measure CMD...: runs CMD $RUNS times and prints its stats, or "fail".
measure() {
	: > "$work/times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		time_once "$work/times" "$@" || { echo fail; return; }
		i=$((i + 1))
	done
	stats "$work/times"
}

# median: the middle line of sorted numbers on stdin
median() { awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

row() { # label rows wall cpu rss_kb ratio [verdict]
	awk -v l="$1" -v n="$2" -v s="$3" -v c="$4" -v r="$5" -v q="$6" -v v="${7:-}" 'BEGIN {
		printf "%-40s %9s %7.2f %7.2f %10s %7.1f  %-22s %s\n", l, n, s, c,
			(s > 0 && n > 0) ? sprintf("%.0f", n / s) : "-", r / 1024, q, v }'
}

# target WHAT VALUE LIMIT: "ok: ..." or "MISSED: ...", each miss noted in
# $work/missed for the last line (it runs in a command substitution).
target() {
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then
		echo "ok: $1 <= $3"
	else
		echo "$1" >> "$work/missed"
		echo "MISSED: $1 > $3"
	fi
}

# rss_ok KB: the import's memory target, peak RSS under 64 MB
rss_ok() { target "RSS MB" "$(awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }')" 63.99; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)," \
	"$(free -g | awk '/^Mem:/ { print $2 }') GB RAM; load now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite $(sqlite3 --version | cut -d' ' -f1); RUNS=$RUNS; medians; RSS = peak of all runs"
printf "%-40s %9s %7s %7s %10s %7s  %-22s %s\n" measurement rows wall_s cpu_s rows/s "RSS_MB" \
	"vs sqlite3 (wall, cpu)" "target"
DB="$work/db"
PREPARE=""
# The import against sqlite3 .import of the same file, in turns (sqlite3,
# pmaudit, and for 1M rows pmaudit on the GB18030 file, then again): each
# ratio is the median of the ratios of runs made one after the other, so a
# change in the machine's speed between runs does not decide it.
for n in $SIZES; do
	f=$(gen_tickets "$n")
	g="$cache/tickets-$n.gb18030.csv"
	if [ "$n" = 1000000 ] && [ ! -s "$g" ]; then
		iconv -f UTF-8 -t GB18030 "$f" > "$g.tmp" && mv "$g.tmp" "$g"
	fi
	: > "$work/base"; : > "$work/utf8"; : > "$work/gb"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		time_once "$work/base" sqlite3 "$DB" ".import --csv $f t"
		time_once "$work/utf8" "$PMAUDIT" import --db "$DB" "$f"
		[ "$n" != 1000000 ] || time_once "$work/gb" "$PMAUDIT" import --db "$DB" "$g"
		i=$((i + 1))
	done
	set -- $(stats "$work/base")
	row "sqlite3 .import ($n)" "$n" "$1" "$2" "$3" "1.00 1.00"
	set -- $(stats "$work/utf8")
	wall_ratio=$(pair_ratio "$work/base" "$work/utf8" 1)
	cpu_ratio=$(pair_ratio "$work/base" "$work/utf8" 2)
	# the goal's ratio is for 1M rows; every size must stay under 64 MB
	if [ "$n" = 1000000 ]; then
		verdict="$(target "wall ratio" "$(ratio "$wall_ratio" 1)" 1.00); $(rss_ok "$3")"
	else
		verdict=$(rss_ok "$3")
	fi
	row "pmaudit import ($n)" "$n" "$1" "$2" "$3" \
		"$(ratio "$wall_ratio" 1) $(ratio "$cpu_ratio" 1)" "$verdict"
	if [ "$n" = 1000000 ]; then
		set -- $(stats "$work/gb")
		gb_ratio=$(pair_ratio "$work/utf8" "$work/gb" 1)
		row "pmaudit import GB18030 ($n)" "$n" "$1" "$2" "$3" \
			"$(ratio "$gb_ratio" 1) $(ratio "$(pair_ratio "$work/utf8" "$work/gb" 2)" 1) of UTF-8" \
			"$(target "ratio to UTF-8" "$(ratio "$gb_ratio" 1)" 1.20); $(rss_ok "$3")"
	fi
done
summary() {
	if [ -s "$work/missed" ]; then
		echo "targets: $(wc -l < "$work/missed") MISSED"
	else
		echo "targets: all met"
	fi
}

# The audit data set: 1M tickets, 1M callbacks, 200k complaints, 2M fee events.
audit_files() { # ordered|shuffled: the directory of its four files, made once
	dir="$cache/audit"
	if [ ! -s "$dir/fees.csv" ]; then
		mkdir -p "$dir"
		"$PMGEN" --seed 7 --sites 100 --from 2025-12 --to 2026-11 --tickets 1000000 \
			--callbacks 1000000 --complaints 200000 --fees 2000000 --out "$dir" >/dev/null
	fi
	[ "$1" = shuffled ] || { echo "$dir"; return; }
	# the same rows in one fixed random order (shuf's --random-source: bytes
	# from awk's seeded generator), the header line first
	sdir="$cache/audit-shuffled"
	if [ ! -s "$sdir/fees.csv" ]; then
		mkdir -p "$sdir"
		LC_ALL=C awk 'BEGIN { srand(16); for (i = 0; i < 16777216; i++) printf "%c", int(rand() * 256) }' \
			> "$sdir/random-source"
		for f in tickets complaints callbacks fees; do
			{ head -n 1 "$dir/$f.csv"; tail -n +2 "$dir/$f.csv" |
				shuf --random-source="$sdir/random-source"; } > "$sdir/$f.csv.tmp"
			mv "$sdir/$f.csv.tmp" "$sdir/$f.csv"
		done
	fi
	echo "$sdir"
}
AUDIT_FILES="tickets complaints callbacks fees"
ORDERS=${BENCH_ORDERS:-"ordered shuffled"}

# The four files in one command against sqlite3 .import of the same four
# files into four untyped tables, in turns as above.
if [ "${BENCH_IMPORT:-1}" = 1 ]; then
	for order in $ORDERS; do
		dir=$(audit_files "$order")
		set --
		for f in $AUDIT_FILES; do set -- "$@" ".import --csv $dir/$f.csv $f"; done
		: > "$work/base"; : > "$work/four"
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			time_once "$work/base" sqlite3 "$DB" "$@"
			time_once "$work/four" "$PMAUDIT" import --db "$DB" \
				$(for f in $AUDIT_FILES; do echo "$dir/$f.csv"; done)
			i=$((i + 1))
		done
		n=$(($(cat "$dir"/*.csv | wc -l) - 4))
		set -- $(stats "$work/base")
		row "sqlite3 .import 4 files, $order" "$n" "$1" "$2" "$3" "1.00 1.00"
		set -- $(stats "$work/four")
		wall_ratio=$(ratio "$(pair_ratio "$work/base" "$work/four" 1)" 1)
		row "pmaudit import 4 files, $order" "$n" "$1" "$2" "$3" \
			"$wall_ratio $(ratio "$(pair_ratio "$work/base" "$work/four" 2)" 1)" \
			"$(target "wall ratio" "$wall_ratio" 1.00); $(rss_ok "$3")"
	done
fi
[ "$AUDIT" = 1 ] || { summary; exit 0; }

# check and report on each order's audit database, imported by this binary
# and cached per schema text, database set-up (db/db.c: what the import
# stores and how -- a new database's page size -- change with them) and
# import code (etl/: the order rows are stored in, which check and report
# read, changes with it -- a shuffled file's rows in time order since
# session 9); each
# run gets a fresh copy, outside the timing, since check and report write
# their results into it. The reference is one full scan of the four tables
# by sqlite3 on the same database, warm, measured in the same run.
SCAN="SELECT count(*), sum(length(ticket_id)+length(site)+length(reported_at)+ifnull(length(completed_at),0)) FROM tickets;
SELECT count(*), sum(length(complaint_id)+length(received_at)) FROM complaints;
SELECT count(*), sum(length(callback_at)) FROM callbacks; SELECT count(*), sum(amount) FROM fees;"
echo "check and report: median wall seconds against one full scan (sqlite3, warm) of the same database"
for order in $ORDERS; do
	dir=$(audit_files "$order")
	big="$cache/audit-$order-$(cat db/schema.sql.h db/db.c etl/*.c etl/*.h | cksum | cut -d' ' -f1).db"
	if [ ! -s "$big" ]; then
		rm -f "$big.tmp"
		"$PMAUDIT" import --db "$big.tmp" $(for f in $AUDIT_FILES; do echo "$dir/$f.csv"; done) \
			>/dev/null || [ $? -le 1 ]
		mv "$big.tmp" "$big"
	fi
	cp "$big" "$work/audit.db"
	PREPARE=""
	sqlite3 "$work/audit.db" "$SCAN" >/dev/null	# warm
	set -- $(measure sqlite3 "$work/audit.db" "$SCAN")
	scan=$1
	row "one full scan, $order" - "$1" "$2" "$3" "1.00"
	# the copy is written out before the timed run (sync FILE: fsync of
	# that file), so that no run pays, in its COMMIT's fsync, for the
	# writing of 1.2 GB it did not make
	PREPARE="cp '$big' '$work/audit.db' && sync '$work/audit.db'"
	audit_row() { # label limit_ratio CMD...
		label="$1, $order" limit=$2
		shift 2
		set -- $(measure "$@")
		if [ "$1" = fail ]; then
			echo "$label" >> "$work/missed"
			printf "%-40s %9s %7s\n" "$label" - failed
		else
			r=$(ratio "$1" "$scan")
			row "$label" - "$1" "$2" "$3" "$r" "$(target "ratio to scan" "$r" "$limit")"
		fi
	}
	audit_row "check --month" 2 \
		"$PMAUDIT" check --db "$work/audit.db" --month 2026-10
	audit_row "check --year" 6 \
		"$PMAUDIT" check --db "$work/audit.db" --year 2026
	audit_row "report monthly" 4 \
		"$PMAUDIT" report monthly --db "$work/audit.db" --month 2026-10 --out "$work/m.pdf"
	audit_row "report annual" 8 \
		"$PMAUDIT" report annual --db "$work/audit.db" --year 2026 --out "$work/a.pdf"
	audit_row "report inspection --quarter" 3 \
		"$PMAUDIT" report inspection --db "$work/audit.db" --quarter 2026Q3 --out "$work/i.pdf"
done
summary
