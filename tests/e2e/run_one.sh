#!/bin/sh
# run_one.sh TEST: runs one end-to-end test in a fresh scratch directory $T,
# prints its line, and leaves NAME.ok or NAME.fail (with the log's tail) in
# $E2E_RESULTS for run.sh to count. The scratch directory is removed when the
# test passes and kept, with its log, when it fails.
set -u
t=$1
name=$(basename "$t" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-$name.XXXXXX")
export T
start=$(date +%s)
if sh "$t" >"$T/log" 2>&1; then
	echo "ok   $name ($(($(date +%s) - start)) s)"
	: > "$E2E_RESULTS/$name.ok"
	rm -rf "$T"
else
	echo "FAIL $name ($(($(date +%s) - start)) s; log: $T/log)"
	{
		echo "FAIL $name (log: $T/log)"
		tail -n 30 "$T/log" | sed 's/^/     /'
	} > "$E2E_RESULTS/$name.fail"
fi
exit 0
