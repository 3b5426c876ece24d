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
# before_v10 DB: undoes schema version 10 (db/db.c check_records_to_sets())
# in DB: check_records a table again, with the rows the view gives, in its
# order, and its index.
before_v10() {
	sqlite3 "$1" "CREATE TABLE old_records AS SELECT * FROM check_records; DROP VIEW check_records;
		DROP TABLE check_record_sets;
		CREATE TABLE check_records(run_id INTEGER NOT NULL, rule_id TEXT NOT NULL,
		  record_kind TEXT NOT NULL, record_id TEXT NOT NULL, site TEXT,
		  start_at TEXT, deadline_at TEXT, end_at TEXT,
		  status TEXT NOT NULL, late_seconds INTEGER, amount_cents INTEGER, detail TEXT);
		INSERT INTO check_records SELECT * FROM old_records; DROP TABLE old_records;
		CREATE INDEX check_records_run ON check_records(run_id, rule_id, status)" ||
		fail "undoing schema version 10"
}
# before_v9 DB: undoes schema versions 10 and 9 (db/db.c fee_ledger_spans()) in DB,
# for a test that makes an older version by hand: the fee ledger's first and
# last times dropped, fees_at back; the caller sets user_version.
before_v9() {
	before_v10 "$1"
	sqlite3 "$1" "ALTER TABLE fee_ledger DROP COLUMN first_at; ALTER TABLE fee_ledger DROP COLUMN last_at;
		ALTER TABLE fee_ledger DROP COLUMN first_paid; ALTER TABLE fee_ledger DROP COLUMN last_paid;
		ALTER TABLE fee_ledger_state DROP COLUMN first_at; ALTER TABLE fee_ledger_state DROP COLUMN last_at;
		ALTER TABLE fee_ledger_state DROP COLUMN first_paid;
		ALTER TABLE fee_ledger_state DROP COLUMN last_paid;
		CREATE INDEX fees_at ON fees(kind, at)" || fail "undoing schema version 9"
}
