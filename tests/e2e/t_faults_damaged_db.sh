#!/bin/sh
# Issue 13, item 7: check and report verify the database before reading it
# (PRAGMA quick_check): bytes changed on disk are an error naming the file,
# never figures. The old build printed changed figures and exited 0. Each
# damage here garbles the cell pointers of one b-tree page in the middle of
# the file, as a bad sector or a torn copy would; the undamaged copy of
# the same database passes.
set -eu
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/report_lib.sh"

cd "$T"
import_fixtures good.db
pages=$(q good.db 'PRAGMA page_count')
size=$(q good.db 'PRAGMA page_size')
"$PMAUDIT" check --db good.db --month 2026-10 >/dev/null || fail "the undamaged database fails"

# damage PAGE: 32 bytes of the page's cell pointer array flipped, in a copy
damage() {
	cp good.db bad.db
	python3 - bad.db "$1" "$size" <<'EOF'
import sys
path, page, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    f.seek((page - 1) * size + 8)
    b = bytearray(f.read(32))
    f.seek((page - 1) * size + 8)
    f.write(bytes(x ^ 0xA5 for x in b))
EOF
}

tried=0
for frac in 30 40 50 60 70; do
	page=$((pages * frac / 100))
	damage "$page"
	# only pages quick_check sees as damaged (a free page may hold anything)
	[ "$(sqlite3 bad.db 'PRAGMA quick_check' 2>&1)" != ok ] || continue
	tried=$((tried + 1))
	cp bad.db damaged.db
	for cmd in "check --db bad.db --month 2026-10" \
		   "report monthly --db bad.db --month 2026-10 --out bad.pdf --no-charts" \
		   "report annual --db bad.db --year 2026 --out bad.pdf --no-charts" \
		   "report inspection --db bad.db --quarter 2026Q4 --out bad.pdf"; do
		rc=0
		# shellcheck disable=SC2086
		"$PMAUDIT" $cmd >out.txt 2>err.txt || rc=$?
		assert_eq 1 "$rc" "page $page, $cmd: exit status"
		grep -q "bad.db: the database is damaged" err.txt ||
			fail "page $page, $cmd: message: $(cat err.txt)"
		if grep -q "current rate" out.txt; then fail "page $page: figures printed"; fi
		[ ! -e bad.pdf ] || fail "page $page: a PDF was written"
	done
done
[ "$tried" -ge 3 ] || fail "only $tried damaged pages were found"

# check and the three reports verify beside their runs
# (docs/performance.md, "The run's second core"): on one core the file is
# verified first, and a step that fails before the verdict (an unknown
# --site here) still names the damage, not its own failure
for cmd in "check --db damaged.db --month 2026-10" \
	   "report monthly --db damaged.db --month 2026-10 --out bad.pdf --no-charts" \
	   "report annual --db damaged.db --year 2026 --out bad.pdf --no-charts" \
	   "report inspection --db damaged.db --quarter 2026Q4 --out bad.pdf"; do
	rc=0
	# shellcheck disable=SC2086
	PMAUDIT_THREADS=1 "$PMAUDIT" $cmd >out.txt 2>err.txt || rc=$?
	assert_eq 1 "$rc" "one thread, $cmd: exit status"
	grep -q "damaged.db: the database is damaged" err.txt || fail "one thread, $cmd: $(cat err.txt)"
	[ ! -e bad.pdf ] || fail "one thread: a PDF was written"
	rc=0
	# shellcheck disable=SC2086
	"$PMAUDIT" $cmd --site 不存在的项目 >out.txt 2>err.txt || rc=$?
	assert_eq 1 "$rc" "unknown site, $cmd: exit status"
	grep -q "damaged.db: the database is damaged" err.txt || fail "unknown site, $cmd: $(cat err.txt)"
	if grep -q "unknown site" err.txt; then fail "unknown site, $cmd: the site named, not the damage"; fi
done
rc=0
"$PMAUDIT" check --db good.db --month 2026-10 --site 不存在的项目 >/dev/null 2>err.txt || rc=$?
assert_eq 2 "$rc" "unknown site, undamaged: exit status"
grep -q "unknown site" err.txt || fail "unknown site, undamaged: $(cat err.txt)"

# a file that is not a database at all, and one cut short, name the file
head -c 5000 /dev/urandom > noise.db
rc=0
"$PMAUDIT" check --db noise.db --month 2026-10 >/dev/null 2>err.txt || rc=$?
assert_eq 1 "$rc" "noise: exit status"
grep -q "noise.db: file is not a database" err.txt || fail "noise: $(cat err.txt)"
head -c $((size * pages / 2)) good.db > half.db
rc=0
"$PMAUDIT" report monthly --db half.db --month 2026-10 --out h.pdf >/dev/null 2>err.txt || rc=$?
assert_eq 1 "$rc" "half a database: exit status"
grep -q "half.db" err.txt || fail "half a database: the file is not named: $(cat err.txt)"
[ ! -e h.pdf ] || fail "half a database: a PDF was written"
