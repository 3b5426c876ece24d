#!/bin/sh
# Runs each named libFuzzer target (built by `make fuzz` in build-fuzz/fuzz/)
# for $FUZZ_SECONDS over its seed corpus tests/fuzz/corpus/<target>/.
# New inputs it finds go to build-fuzz/corpus/<target>/ (scratch, never the
# repository); a crash, hang or sanitizer report is saved in
# build-fuzz/crashes/<target>/ and fails the run. See docs/fuzzing.md.
set -u
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
fails=0
for t in "$@"; do
	bin=build-fuzz/fuzz/$t
	scratch=build-fuzz/corpus/$t
	crashes=build-fuzz/crashes/$t
	mkdir -p "$scratch" "$crashes"
	set -- "$scratch"
	[ -d "tests/fuzz/corpus/$t" ] && set -- "$@" "tests/fuzz/corpus/$t"
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	echo "== $t: ${seconds}s"
	# the first corpus directory receives the new inputs
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	   "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	          -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
	          $dict "$@" >"build-fuzz/$t.log" 2>&1; then
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
			"build-fuzz/$t.log" | tr '\n' ' '
		echo
	else
		fails=$((fails + 1))
		echo "FAIL $t (log: build-fuzz/$t.log); the input is in $crashes/:"
		ls "$crashes"
		grep -m1 -E 'ERROR|broken promise|runtime error' "build-fuzz/$t.log"
		echo "save it in tests/fuzz/regress/$t/ once fixed"
	fi
done
[ "$fails" -eq 0 ] || { echo "$fails fuzz target(s) failed"; exit 1; }
echo "fuzz: no crash, hang or sanitizer report"
