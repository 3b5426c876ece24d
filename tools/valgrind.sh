#!/bin/sh
# valgrind memcheck over import + check + report of the fixtures (and the
# Excel workbooks, libxlsxwriter included):
# any memory error or leak fails (exit code 99 from valgrind).
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/pmaudit-vg.XXXXXX")
trap 'rm -rf "$dir"' EXIT
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible "$PMAUDIT" "$@"
}
# import exits 1 because the fixtures hold deliberately bad rows.
rc=0; vg import --db "$dir/v.db" fixtures/*.csv >/dev/null || rc=$?
[ "$rc" -le 1 ] || { echo "valgrind: import failed ($rc)"; exit 1; }
# check and the two reports each on their own copy of the database, side
# by side: one valgrind run uses one core, and one after the other they
# left the second core idle for ~40 s of `make test`.
for n in c m i; do cp "$dir/v.db" "$dir/$n.db"; done
vg check --db "$dir/c.db" --month 2026-10 --json "$dir/v.json" --xlsx "$dir/c.xlsx" \
	>/dev/null 2>"$dir/c.err" &
check=$!
# with a report per site: the sites' slices of the logs (db/site_slice.c)
vg report monthly --db "$dir/m.db" --month 2026-10 --out "$dir/v.pdf" --xlsx "$dir/v.xlsx" \
	--each-site "$dir/sites" >/dev/null 2>"$dir/m.err" &
monthly=$!
vg report inspection --db "$dir/i.db" --quarter 2026Q4 --out "$dir/i.pdf" --xlsx "$dir/i.xlsx" \
	>/dev/null 2>"$dir/i.err" &
inspection=$!
failed=""
wait $check || failed="$failed check"
wait $monthly || failed="$failed monthly"
wait $inspection || failed="$failed inspection"
if [ -n "$failed" ]; then
	cat "$dir/c.err" "$dir/m.err" "$dir/i.err" >&2
	echo "valgrind: failed:$failed"
	exit 1
fi
echo "valgrind: import, check and report (with their workbooks and the sites' reports) clean"
