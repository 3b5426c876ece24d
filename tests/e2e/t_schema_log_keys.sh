# Schema version 8 (db/log_keys.c): an empty log table gets its key as a
# named unique index (<table>_key); one that holds rows keeps its PRIMARY
# KEY, and both find a repeated key. A version 7 database is made here by
# hand: tickets with rows and complaints empty, both keyed by PRIMARY KEY.
. "$ROOT/tests/e2e/lib.sh"
cd "$T"
# (the fixture has rows to reject: the exit status says so)
"$PMAUDIT" import --db a.db "$ROOT/fixtures/tickets.csv" >/dev/null 2>&1
assert_eq "tickets_completed tickets_key tickets_leak_test tickets_reported" \
	"$(q a.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
	WHERE type = 'index' AND tbl_name = 'tickets' ORDER BY name)")" "a new database's tickets indexes"
rows=$(q a.db "SELECT count(*) FROM tickets")
[ "$rows" -gt 0 ] || fail "no tickets"
# a run's records, for version 10's step (check_records into sets) to move
"$PMAUDIT" check --db a.db --month 2026-10 >/dev/null 2>&1 || true
records() { q a.db "SELECT count(*) || ':' || group_concat(x, '|') FROM (SELECT quote(run_id) || quote(rule_id)
	|| quote(record_kind) || quote(record_id) || quote(site) || quote(start_at) || quote(deadline_at)
	|| quote(end_at) || quote(status) || quote(late_seconds) || quote(amount_cents) || quote(detail) AS x
	FROM check_records)"; }
stored=$(records)
[ "${stored%%:*}" -gt 0 ] || fail "no records stored"
# back to version 7: each key a PRIMARY KEY again, indexes as they were
as_primary_key() {	# TABLE KEY
	table_sql=$(q a.db "SELECT sql FROM sqlite_schema WHERE name = '$1'" |
		sed "s/$2 TEXT NOT NULL,/$2 TEXT NOT NULL PRIMARY KEY,/")
	index_sql=$(q a.db "SELECT group_concat(sql, '; ') FROM sqlite_schema WHERE tbl_name = '$1'
		AND type = 'index' AND name <> '$1_key'")
	sqlite3 a.db "BEGIN; ALTER TABLE $1 RENAME TO old_$1; $table_sql; INSERT INTO $1 SELECT * FROM old_$1;
		DROP TABLE old_$1; $index_sql; COMMIT" || fail "making $1 as in version 7"
}
as_primary_key tickets ticket_id
as_primary_key complaints complaint_id
before_v9 a.db
sqlite3 a.db "PRAGMA user_version = 7"
assert_eq "sqlite_autoindex_complaints_1|sqlite_autoindex_tickets_1" \
	"$(q a.db "SELECT group_concat(name, '|') FROM (SELECT name FROM sqlite_schema
	WHERE name LIKE '%autoindex%' AND tbl_name IN ('tickets', 'complaints') ORDER BY name)")" "version 7 made"
# the upgrade: complaints (empty) remade, tickets (rows) kept
"$PMAUDIT" import --db a.db "$ROOT/fixtures/tickets.csv" >/dev/null 2>&1
assert_eq 10 "$(q a.db "PRAGMA user_version")" "migrated (to the current version)"
assert_eq "$stored" "$(records)" "v10: the records through the view, as the table held them, in its order"
assert_eq 0 "$(q a.db "SELECT count(*) FROM sqlite_schema WHERE name = 'check_records_run'")" "v10: the old index gone"
assert_eq "complaints_key" "$(q a.db "SELECT name FROM sqlite_schema WHERE tbl_name = 'complaints'
	AND sql LIKE 'CREATE UNIQUE INDEX%'")" "the empty table's key index"
assert_eq "1|0" "$(q a.db "SELECT count(*) FILTER (WHERE name = 'sqlite_autoindex_tickets_1'),
	count(*) FILTER (WHERE name = 'tickets_key') FROM sqlite_schema")" "the table with rows keeps its PRIMARY KEY"
assert_eq "$rows|0|0" "$(q a.db "SELECT count(*), (SELECT inserted FROM import_runs ORDER BY run_id DESC LIMIT 1),
	(SELECT updated FROM import_runs ORDER BY run_id DESC LIMIT 1) FROM tickets")" \
	"a re-import through the PRIMARY KEY changes nothing"
# both forms refuse a repeated key
sqlite3 a.db "INSERT INTO tickets(ticket_id, site, category, reported_at)
	SELECT ticket_id, site, category, reported_at FROM tickets LIMIT 1" 2>/dev/null &&
	fail "a repeated ticket_id stored"
"$PMAUDIT" import --db a.db "$ROOT/fixtures/complaints-gbk.csv" >/dev/null 2>&1
[ "$(q a.db "SELECT count(*) FROM complaints")" -gt 0 ] || fail "no complaints stored"
sqlite3 a.db "INSERT INTO complaints(complaint_id, site, level, received_at)
	SELECT complaint_id, site, level, received_at FROM complaints LIMIT 1" 2>/dev/null &&
	fail "a repeated complaint_id stored"
assert_eq ok "$(q a.db 'PRAGMA integrity_check')" "integrity"
echo ok
