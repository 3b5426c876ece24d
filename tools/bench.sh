#!/bin/sh
# `make bench`: the performance measurements of docs/performance.md.
#
# Generates the data with the seeded generator (cached under bench/cache/
# between runs), runs each measurement RUNS times and prints the median
# seconds, rows/s and peak RSS, and for the import the ratio to
# `sqlite3 .import` of the same file measured in the same run.
# Public tools only: /usr/bin/time (GNU time), sqlite3, iconv.
#
#   BENCH_SIZES="100000 1000000 5000000"  rows for the import scaling table
#   RUNS=3                                 repetitions per measurement
set -eu
cd "$(dirname "$0")/.."
PMAUDIT=${PMAUDIT:-build/pmaudit}
PMGEN=${PMGEN:-build/pmgen}
SIZES=${BENCH_SIZES:-"100000 1000000 5000000"}
RUNS=${RUNS:-3}
cache=bench/cache
work=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

# gen_tickets N: canonical UTF-8 tickets file of N rows, cached.
gen_tickets() {
	f="$cache/tickets-$1.csv"
	[ -s "$f" ] || "$PMGEN" --seed 42 --sites 100 --from 2025-12 --to 2026-11 \
		--tickets "$1" --only tickets > "$f"
	echo "$f"
}

# measure CMD...: runs CMD $RUNS times (a fresh database each time, $DB),
# prints "median_seconds max_rss_kb".
measure() {
	: > "$work/times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		rm -f "$work/db" "$work/db-journal" "$work/db-wal"
		[ -z "${PREPARE:-}" ] || sh -c "$PREPARE"
		/usr/bin/time -f "%e %M" -o "$work/t1" "$@" >/dev/null 2>"$work/err" ||
			{ rc=$?; [ "$rc" -le 1 ] || { cat "$work/err" >&2; exit 1; }; }
		cat "$work/t1" >> "$work/times"
		i=$((i + 1))
	done
	sort -n "$work/times" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
		END { printf "%s %d\n", t[int((NR + 1) / 2)], m }'
}

row() { # label rows seconds rss_kb ratio
	awk -v l="$1" -v n="$2" -v s="$3" -v r="$4" -v q="$5" 'BEGIN {
		printf "%-34s %10s %8.2f %12s %9.1f %8s\n", l, n, s,
			(s > 0 && n > 0) ? sprintf("%.0f", n / s) : "-", r / 1024, q }'
}

printf "%-34s %10s %8s %12s %9s %8s\n" measurement rows seconds rows/s "RSS MB" "vs sqlite3"
DB="$work/db"
for n in $SIZES; do
	f=$(gen_tickets "$n")
	set -- $(measure sqlite3 "$DB" ".import --csv $f t")
	base=$1
	row "sqlite3 .import ($n)" "$n" "$1" "$2" "1.00"
	set -- $(measure "$PMAUDIT" import --db "$DB" "$f")
	row "pmaudit import ($n)" "$n" "$1" "$2" "$(awk -v a="$1" -v b="$base" 'BEGIN{printf "%.2f", a/b}')"
	if [ "$n" = 1000000 ]; then
		g="$cache/tickets-$n.gb18030.csv"
		[ -s "$g" ] || iconv -f UTF-8 -t GB18030 "$f" > "$g"
		utf8=$1
		set -- $(measure "$PMAUDIT" import --db "$DB" "$g")
		row "pmaudit import GB18030 ($n)" "$n" "$1" "$2" \
			"$(awk -v a="$1" -v b="$utf8" 'BEGIN{printf "%.2fxU", a/b}')"
	fi
done

# The audit database: 1M tickets, 1M callbacks, 200k complaints, 2M fee events.
big="$cache/audit.db"
if [ ! -s "$big" ]; then
	mkdir -p "$cache/audit"
	"$PMGEN" --seed 7 --sites 100 --from 2025-12 --to 2026-11 --tickets 1000000 \
		--callbacks 1000000 --complaints 200000 --fees 2000000 --out "$cache/audit"
	"$PMAUDIT" import --db "$big" "$cache"/audit/*.csv >/dev/null || [ $? -le 1 ]
fi
cp "$big" "$work/audit.db"
PREPARE=""
set -- $(measure "$PMAUDIT" check --db "$work/audit.db" --month 2026-10)
row "check --month (4.2M records)" - "$1" "$2" -
set -- $(measure "$PMAUDIT" check --db "$work/audit.db" --year 2026)
row "check --year (4.2M records)" - "$1" "$2" -
set -- $(measure "$PMAUDIT" report monthly --db "$work/audit.db" --month 2026-10 --out "$work/m.pdf")
row "report monthly (4.2M records)" - "$1" "$2" -
