# Helpers sourced by the end-to-end tests.
fail() { echo "FAIL: $*" >&2; exit 1; }
# assert_eq EXPECTED ACTUAL WHAT
assert_eq() { [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"; }
# q DB SQL: one value from the database
q() { sqlite3 "$1" "$2"; }
