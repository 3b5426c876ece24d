# Helpers sourced by the end-to-end tests.

# Command-line messages follow the locale (docs/translating.md): the tests
# assert the English ones whatever the machine's locale is; t_i18n.sh sets
# LANG on the commands whose Chinese it asserts.
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C.UTF-8
export LANG
fail() { echo "FAIL: $*" >&2; exit 1; }
# assert_eq EXPECTED ACTUAL WHAT
assert_eq() { [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"; }
# q DB SQL: one value from the database
q() { sqlite3 "$1" "$2"; }
