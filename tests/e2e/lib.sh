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
# before_v9 DB: undoes schema version 9 (db/db.c fee_ledger_spans()) in DB,
# for a test that makes an older version by hand: the fee ledger's first and
# last times dropped, fees_at back; the caller sets user_version.
before_v9() {
	sqlite3 "$1" "ALTER TABLE fee_ledger DROP COLUMN first_at; ALTER TABLE fee_ledger DROP COLUMN last_at;
		ALTER TABLE fee_ledger DROP COLUMN first_paid; ALTER TABLE fee_ledger DROP COLUMN last_paid;
		ALTER TABLE fee_ledger_state DROP COLUMN first_at; ALTER TABLE fee_ledger_state DROP COLUMN last_at;
		ALTER TABLE fee_ledger_state DROP COLUMN first_paid;
		ALTER TABLE fee_ledger_state DROP COLUMN last_paid;
		CREATE INDEX fees_at ON fees(kind, at)" || fail "undoing schema version 9"
}
