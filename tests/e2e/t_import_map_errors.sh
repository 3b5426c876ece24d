# A mapping file that does not parse, names a column the file lacks, maps
# two fields to one column, gives a value twice or a constant the file also
# has a column for: exit 2, an error naming the mapping file and line, and
# nothing stored (not even a run record).
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
cat >c.csv <<'CSV'
投诉单号,项目,投诉级别,登记时间,处理完成时间
C1,阳明花园,重大投诉,2026-10-03 08:05,2026-10-04 08:05
CSV
good='kind = complaints
[columns]
received_at = 登记时间
resolved_at = 处理完成时间
level = 投诉级别
[values.level]
major = 重大投诉
'
bad() { # name expected-message map-text
	printf '%s' "$3" >"$1.map"
	set +e
	"$PMAUDIT" import --db "$1.db" --map "$1.map" c.csv >out.txt 2>err.txt
	rc=$?
	set -e
	assert_eq 2 "$rc" "$1: exit status"
	grep -qF -- "$2" err.txt || fail "$1: expected '$2', got: $(cat err.txt)"
	if [ -e "$1.db" ]; then
		assert_eq 0 "$(q "$1.db" 'SELECT count(*) FROM complaints')" "$1: rows stored"
	fi
}
set -e
bad unknown-key "unknown-key.map:2: unknown key 'encodng'" "kind = complaints
encodng = utf-8
"
bad unknown-section "unknown-section.map:2: unknown section [column]" "kind = complaints
[column]
"
bad unknown-field "unknown-field.map:3: unknown field 'resolve_at' for complaints" "kind = complaints
[columns]
resolve_at = 处理完成时间
"
bad no-parse "no-parse.map:3: expected key = value or [section]" "kind = complaints
[columns]
resolved_at 处理完成时间
"
bad missing-column "missing-column.map:3: resolved_at = 处理时间: the file has no such column" "kind = complaints
[columns]
resolved_at = 处理时间
received_at = 登记时间
level = 投诉级别
"
bad two-fields "two-fields.map:4: column '登记时间' is already mapped to received_at (line 3)" "kind = complaints
[columns]
received_at = 登记时间
responded_at = 登记时间
"
bad value-twice "value-twice.map:9: value '重大投诉' is given twice (first at line 7)" "$good
important = 重大投诉
"
bad constant-too "constant-too.map:10: constant site: the file has a column for it too" "$good
[constants]
site = 阳明花园
"
# the mapping file is read before the database is opened: a bad one creates none
[ ! -e unknown-key.db ] || fail "a bad mapping file created the database"
# and the good one imports (a mapping never hides what DATA.md rejects)
printf '%s' "$good" >good.map
printf 'C2,阳明花园,特急,2026-02-30,2026-10-04 08:05\n' >>c.csv
set +e
"$PMAUDIT" import --db good.db --map good.map c.csv >out.txt 2>err.txt
rc=$?
set -e
assert_eq 1 "$rc" "good map: exit status"
assert_eq "C1|major|2026-10-04 08:05:00" "$(q good.db 'SELECT complaint_id, level, resolved_at FROM complaints')" "stored"
grep -qF "c.csv:3: level: unknown level '特急': expected 重大, 重要, 一般 or 轻微; received_at: not a valid timestamp '2026-02-30': day out of range" err.txt ||
	fail "every bad cell in the reason: $(cat err.txt)"

# --kind contradicting the mapping file, and a header line past the end
set +e
"$PMAUDIT" import --db k.db --kind tickets --map good.map c.csv >out.txt 2>err.txt
rc=$?
set -e
assert_eq 2 "$rc" "--kind against the map: exit status"
grep -qF "kind tickets contradicts the mapping file's kind = complaints" err.txt || fail "kind: $(cat err.txt)"
printf 'kind = complaints\nheader = 40\n' >far.map
set +e
"$PMAUDIT" import --db far.db --map far.map c.csv >out.txt 2>err.txt
rc=$?
set -e
assert_eq 2 "$rc" "header past the end: exit status"
grep -qF "c.csv:1: the file ends before the header line the mapping file names" err.txt || fail "far: $(cat err.txt)"
assert_eq 0 "$(q far.db 'SELECT count(*) FROM complaints')" "far: rows stored"
