#!/bin/sh
# Runs every tests/e2e/t_*.sh; each gets $PMAUDIT (the binary), $PMGEN (the
# data generator) and a fresh scratch directory $T (tests/e2e/run_one.sh).
# Prints a line per test and fails if any test failed.
#
# Most tests only wait on their own processes, so they run $E2E_JOBS at a
# time (default: the cores plus one -- a test often waits on a pipe, a
# gnuplot or a lock, and with 2 cores 3 at a time took 150 s where 2 took
# 171 s and 1 about 290 s): the suite runs
# twice in `make test` (plain and under ASan) and one at a time it no longer
# fitted in the 10 minutes the brief allows. A test whose assertions depend
# on how fast the machine is -- it kills an import after a delay measured on
# an idle machine, and needs so many kills to land -- says "# e2e: alone" on
# a line of its own; those run one at a time, after the others, so that no
# other test shares the machine with them.
#
# Under the sanitizers (E2E_SANITIZED=1, `make asan`) the tests marked
# "# e2e: not under asan" are left out: each reaches no line of pmaudit
# that the tests run there do not reach too (tools/e2e_cover.sh checks it),
# and running all of them a second time under ASan kept `make test` over
# its ten minutes (docs/testing.md).
#
#   E2E_JOBS=1 tests/e2e/run.sh       everything one at a time
#   E2E_ONLY='t_i18n t_gen' ...       only these tests
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export ROOT="$root"
jobs=${E2E_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
results=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-e2e.XXXXXX")
trap 'rm -rf "$results"' EXIT
export E2E_RESULTS="$results"

# wanted NAME: true if E2E_ONLY is unset or names the test
wanted() {
	[ -z "${E2E_ONLY:-}" ] && return 0
	case " $E2E_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

: > "$results/shared"
: > "$results/alone"
skipped=0
for t in "$here"/t_*.sh; do
	[ -e "$t" ] || continue
	wanted "$(basename "$t" .sh)" || continue
	if [ -n "${E2E_SANITIZED:-}" ] && [ -z "${E2E_ONLY:-}" ] &&
	   grep -q '^# e2e: not under asan' "$t"; then
		skipped=$((skipped + 1))
		continue
	fi
	if grep -q '^# e2e: alone' "$t"; then
		echo "$t" >> "$results/alone"
	else
		echo "$t" >> "$results/shared"
	fi
done

start=$(date +%s)
# xargs fails (123) when a test fails; the count below is what decides
xargs -r -P "$jobs" -n 1 sh "$here/run_one.sh" < "$results/shared" || true
xargs -r -P 1 -n 1 sh "$here/run_one.sh" < "$results/alone" || true

total=$(cat "$results/shared" "$results/alone" | wc -l)
fails=$(find "$results" -name '*.fail' | wc -l)
passed=$(find "$results" -name '*.ok' | wc -l)
echo "$passed of $total end-to-end tests passed in $(($(date +%s) - start)) s ($jobs at a time)"
[ "$skipped" -eq 0 ] || echo "$skipped tests marked \"not under asan\" left out (docs/testing.md)"
for f in "$results"/*.fail; do
	[ -e "$f" ] && cat "$f"
done
[ "$fails" -eq 0 ] && [ "$passed" -eq "$total" ] || { echo "$((total - passed)) end-to-end test(s) failed"; exit 1; }
echo "all end-to-end tests passed"
