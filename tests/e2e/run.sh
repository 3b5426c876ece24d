#!/bin/sh
# Runs every tests/e2e/t_*.sh in order; each gets $PMAUDIT (the binary),
# $PMGEN (the data generator) and a fresh scratch directory $T.
# Prints a line per test and fails if any test failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export ROOT="$root"
fails=0
for t in "$here"/t_*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	T=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-$name.XXXXXX")
	export T
	if sh "$t" >"$T/log" 2>&1; then
		echo "ok   $name"
		rm -rf "$T"
	else
		echo "FAIL $name (log: $T/log)"
		tail -n 30 "$T/log" | sed 's/^/     /'
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ] || { echo "$fails end-to-end test(s) failed"; exit 1; }
echo "all end-to-end tests passed"
