#!/bin/sh
# e2e_cover.sh: which lines of pmaudit each end-to-end test reaches, and so
# which tests the sanitizer pass can leave out (docs/testing.md).
#
# Builds the suite with gcov (build-cov/), runs every tests/e2e/t_*.sh with
# its own GCOV_PREFIX so that tests can run side by side without mixing
# their counts, reads each test's counts back with `gcov --json-format` and
# hands them to tools/e2e_cover.py, which prints, for every test, its
# seconds and the lines of etl/ rules/ reports/ db/ util/ cmd/ that no other
# test reaches, and checks the tests marked "# e2e: not under asan".
#
#   make e2e-cover            (or: sh tools/e2e_cover.sh [WORKDIR])
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-cover.XXXXXX")}
mkdir -p "$work/counts" "$work/lines" "$work/results"
cd "$root"
E2E_ONLY=none make -s O=build-cov CFLAGS="-O0 -g --coverage" LDFLAGS=--coverage e2e >/dev/null
jobs=${E2E_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}

# one test under its own GCOV_PREFIX: its processes' counts land in
# $work/counts/NAME/<absolute path of the object directory>
cat > "$work/one.sh" <<'EOF'
name=$(basename "$1" .sh)
export GCOV_PREFIX="$COVER_WORK/counts/$name" GCOV_PREFIX_STRIP=0
sh "$ROOT/tests/e2e/run_one.sh" "$1"
EOF
export COVER_WORK="$work" ROOT="$root" E2E_RESULTS="$work/results" O=build-cov
export PMAUDIT="$root/build-cov/pmaudit" PMGEN="$root/build-cov/pmgen"
export XGETTEXT_FLAGS="$(make -s print-xgettext-flags)"
ls tests/e2e/t_*.sh | xargs -P "$jobs" -n 1 sh "$work/one.sh" | tee "$work/times"

# gcov wants each object's notes (.gcno) beside its counts (.gcda)
for dir in "$work"/counts/*/; do
	name=$(basename "$dir")
	objs="$dir$root/build-cov"
	[ -d "$objs" ] || { : > "$work/lines/$name.json"; continue; }
	(cd build-cov && find . -name '*.gcno' -exec cp --parents {} "$objs/" \;)
	find "$objs" -name '*.gcda' | xargs gcov -t --json-format 2>/dev/null > "$work/lines/$name.json"
done
python3 tools/e2e_cover.py "$work/times" "$work/lines" tests/e2e
echo "counts and lines kept in $work"
