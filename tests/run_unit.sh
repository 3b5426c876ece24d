#!/bin/sh
# tests/run_unit.sh JOBS TEST...: runs the cmocka unit tests JOBS at a time
# (they take their scratch files from mkstemp/mkdtemp, so they do not share
# any), prints each test's output whole once it ends, and fails if any
# failed, naming them. One at a time, `make test` spent ~25 s here with one
# of the two cores idle.
set -u
jobs=$1
shift
out=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-unit.XXXXXX")
trap 'rm -rf "$out"' EXIT
# each test's output goes to its own file, the exit status beside it
for t in "$@"; do echo "$t"; done |
	xargs -P "$jobs" -I{} sh -c 'n=$(basename "$1"); "$1" >"$2/$n.out" 2>&1; echo $? >"$2/$n.rc"' \
		sh {} "$out"
failed=""
for t in "$@"; do
	n=$(basename "$t")
	echo "== $t"
	cat "$out/$n.out"
	[ "$(cat "$out/$n.rc" 2>/dev/null)" = 0 ] || failed="$failed $n"
done
[ -z "$failed" ] || { echo "unit tests failed:$failed"; exit 1; }
echo "all $# unit tests passed"
