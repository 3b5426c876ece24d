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
vg check --db "$dir/v.db" --month 2026-10 --json "$dir/v.json" --xlsx "$dir/c.xlsx" >/dev/null
# with a report per site: the sites' slices of the logs (db/site_slice.c)
vg report monthly --db "$dir/v.db" --month 2026-10 --out "$dir/v.pdf" --xlsx "$dir/v.xlsx" \
	--each-site "$dir/sites" >/dev/null
vg report inspection --db "$dir/v.db" --quarter 2026Q4 --out "$dir/i.pdf" --xlsx "$dir/i.xlsx" >/dev/null
echo "valgrind: import, check and report (with their workbooks and the sites' reports) clean"
