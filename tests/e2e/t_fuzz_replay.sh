# Every fuzz target over its seed corpus and the inputs that once broke it
# (tests/fuzz/corpus/<target>/, tests/fuzz/regress/<target>/), through the
# replay driver: a crash, hang or sanitizer report (in `make asan`) fails.
. "$ROOT/tests/e2e/lib.sh"
case "$O" in /*) bin="$O/replay" ;; *) bin="$ROOT/$O/replay" ;; esac
n=0
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	[ -x "$bin/$name" ] || fail "$bin/$name not built"
	set --
	for d in corpus regress; do
		[ -d "$ROOT/tests/fuzz/$d/$name" ] && set -- "$@" "$ROOT/tests/fuzz/$d/$name"
	done
	[ $# -gt 0 ] || fail "$name has neither seeds nor regression inputs"
	out=$(timeout 300 "$bin/$name" "$@" 2>"$T/$name.err") ||
		{ tail -n 20 "$T/$name.err"; fail "$name: replay failed"; }
	echo "$name: $out"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "expected at least 5 fuzz targets, found $n"
