#!/bin/sh
# Throws every file of the shared hostile test data at the real binary built
# with ASan and UBSan: `pmaudit import --kind tickets FILE`, `pmaudit import
# FILE`, and once more with a tickets header line put before the file's
# bytes (none of these files has our header, so only then do their rows
# reach value checking and the rejects table). Each run gets a fresh
# database and a time limit. Passes when no run crashes, hangs, trips a
# sanitizer or exits other than 0, 1 or 2.
#
# Not part of `make test`: the data lives outside the repository
# (../shared/testdata, or $SHARED_TESTDATA). Usage: tools/shared-corpus.sh
# [DIR...] (default: csv-fuzz-corpus and real-complaint-logs). See
# docs/fuzzing.md.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
data=${SHARED_TESTDATA:-$root/../shared/testdata}
limit=${TIME_LIMIT:-30}
[ $# -gt 0 ] || set -- "$data/csv-fuzz-corpus" "$data/real-complaint-logs"
for d in "$@"; do
	[ -d "$d" ] || { echo "shared-corpus: no directory $d" >&2; exit 2; }
done

san="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer"
make -s O=build-asan CFLAGS="$san" LDFLAGS="-fsanitize=address,undefined" all >/dev/null ||
	{ echo "shared-corpus: the ASan build failed" >&2; exit 2; }
bin=$root/build-asan/pmaudit

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-shared.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# a sanitizer report is exit code 99 (never a pmaudit status) and stops at once
export ASAN_OPTIONS=exitcode=99:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

header="ticket_id,site,category,reported_at,room,urgent,paid,charge,dispatched_at,arrived_at,completed_at,leak_test_at,technician"
files=0 runs=0 bad=0 rc0=0 rc1=0 rc2=0
list=$scratch/files
find "$@" -type f | LC_ALL=C sort >"$list"
while IFS= read -r f; do
	files=$((files + 1))
	for kind in tickets auto header; do
		rm -f "$scratch/x.db" "$scratch/x.db-journal"
		case $kind in
		auto) set -- import --db "$scratch/x.db" "$f" ;;
		tickets) set -- import --db "$scratch/x.db" --kind tickets "$f" ;;
		header)
			{ echo "$header"; cat "$f"; } >"$scratch/with-header.csv"
			set -- import --db "$scratch/x.db" "$scratch/with-header.csv" ;;
		esac
		timeout "$limit" "$bin" "$@" >/dev/null 2>"$scratch/err" </dev/null
		rc=$?
		runs=$((runs + 1))
		why=""
		case $rc in
		0) rc0=$((rc0 + 1)) ;;
		1) rc1=$((rc1 + 1)) ;;
		2) rc2=$((rc2 + 1)) ;;
		124) why="hang (over ${limit}s)" ;;
		*) why="exit code $rc" ;;
		esac
		if grep -qE 'runtime error:|AddressSanitizer|LeakSanitizer' "$scratch/err"; then
			why="${why:+$why, }sanitizer report"
		fi
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			echo "FAIL ($kind) $f: $why"
			sed -n '1,15s/^/     /p' "$scratch/err"
		fi
	done
done <"$list"
echo "shared-corpus: $files files, $runs runs: $rc0 exit 0, $rc1 exit 1, $rc2 exit 2, $bad failed"
[ "$bad" -eq 0 ]
