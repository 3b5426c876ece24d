/*
 * Schema version 1. Field names follow ../shared/spec/DATA.md so that users
 * can query the store with sqlite3 themselves:
 *   timestamps  TEXT 'YYYY-MM-DD HH:MM:SS' (China local time, UTC+8)
 *   dates       TEXT 'YYYY-MM-DD'; periods TEXT 'YYYY-MM'
 *   money       INTEGER cents (fen); booleans INTEGER 0/1
 *   enumerations are stored as their canonical English word
 *   (complaints.level major|important|minor, callbacks.ref_kind
 *   ticket|complaint, fees.kind charge|payment|waiver|reminder).
 * import_run/src_line on each record say which import last wrote it and
 * from which physical line of its file.
 * The four logs are rowid tables with their key as a NOT NULL PRIMARY KEY
 * (a unique index), not WITHOUT ROWID: new rows are appended to the table
 * b-tree and only the small key index is searched, which stores 100k
 * tickets with 8% fewer instructions in key order and 13% fewer in random
 * order, and index lookups by the rules fetch rows by integer rowid
 * (docs/performance.md). (Since version 8 an empty table's key is a named
 * unique index instead, which a large import may set aside: below.)
 */
#include "db/fee_ledger_sql.h"

static const char SCHEMA_V1[] =
"CREATE TABLE import_runs(\n"
"  run_id INTEGER PRIMARY KEY,\n"
"  file TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,\n"
"  kind TEXT, encoding TEXT,\n"
"  rows_read INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,\n"
"  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,\n"
"  rejected INTEGER NOT NULL DEFAULT 0,\n"
"  started_at TEXT NOT NULL, ended_at TEXT,\n"
"  status TEXT NOT NULL DEFAULT 'ok');\n"
"CREATE TABLE import_rejects(\n"
"  run_id INTEGER NOT NULL REFERENCES import_runs(run_id),\n"
"  file TEXT NOT NULL, line INTEGER NOT NULL,\n"
"  field TEXT, text TEXT NOT NULL, reason TEXT NOT NULL);\n"
"CREATE INDEX import_rejects_run ON import_rejects(run_id, line);\n"
"CREATE TABLE tickets(\n"
"  ticket_id TEXT NOT NULL PRIMARY KEY, site TEXT NOT NULL, room TEXT,\n"
"  category TEXT NOT NULL, urgent INTEGER NOT NULL DEFAULT 0,\n"
"  paid INTEGER NOT NULL DEFAULT 0, charge INTEGER,\n"
"  reported_at TEXT NOT NULL, dispatched_at TEXT, arrived_at TEXT,\n"
"  completed_at TEXT, leak_test_at TEXT, technician TEXT,\n"
"  import_run INTEGER, src_line INTEGER);\n"
"CREATE INDEX tickets_reported ON tickets(reported_at);\n"
"CREATE INDEX tickets_completed ON tickets(completed_at);\n"
/*
 * T-CB-LEAK starts at leak_test_at: the rules engine reads a window of it.
 * Most tickets have no leak test: a partial index leaves their NULLs out,
 * which the window (leak_test_at >= ?) never needs, and which would each
 * be inserted before all the dates, away from the index's growing end
 * (30% of the storing thread's instructions in an import).
 */
"CREATE INDEX tickets_leak_test ON tickets(leak_test_at) WHERE leak_test_at IS NOT NULL;\n"
"CREATE TABLE complaints(\n"
"  complaint_id TEXT NOT NULL PRIMARY KEY, site TEXT NOT NULL, room TEXT,\n"
"  channel TEXT, level TEXT NOT NULL, category TEXT, department TEXT,\n"
"  received_at TEXT NOT NULL, responded_at TEXT, escalated_at TEXT,\n"
"  replied_at TEXT, resolved_at TEXT, requested_by TEXT,\n"
"  valid INTEGER NOT NULL DEFAULT 1, summary TEXT,\n"
"  import_run INTEGER, src_line INTEGER);\n"
"CREATE INDEX complaints_received ON complaints(received_at);\n"
"CREATE INDEX complaints_resolved ON complaints(resolved_at);\n"
"CREATE TABLE callbacks(\n"
"  callback_id TEXT NOT NULL PRIMARY KEY, site TEXT NOT NULL,\n"
"  ref_kind TEXT NOT NULL, ref_id TEXT NOT NULL, callback_at TEXT NOT NULL,\n"
"  method TEXT, staff TEXT, role TEXT, result TEXT,\n"
"  problem_found INTEGER NOT NULL DEFAULT 0,\n"
"  import_run INTEGER, src_line INTEGER);\n"
"CREATE INDEX callbacks_ref ON callbacks(ref_kind, ref_id, callback_at);\n"
"CREATE INDEX callbacks_at ON callbacks(callback_at);\n"
"CREATE TABLE fees(\n"
"  entry_id TEXT NOT NULL PRIMARY KEY, site TEXT NOT NULL, room TEXT NOT NULL,\n"
"  fee_item TEXT NOT NULL, period TEXT NOT NULL, kind TEXT NOT NULL,\n"
"  amount INTEGER, at TEXT NOT NULL, due_date TEXT, method TEXT,\n"
"  custody INTEGER NOT NULL DEFAULT 0,\n"
"  import_run INTEGER, src_line INTEGER);\n"
"CREATE INDEX fees_period ON fees(period, kind);\n"
/*
 * fees_account covers every column the rules engine's per-charge pass reads,
 * in its GROUP BY order: the pass never touches the table (docs/performance.md).
 */
"CREATE INDEX fees_account ON fees(site, room, fee_item, period, kind, at, amount,\n"
"  due_date, method);\n"
"CREATE INDEX fees_at ON fees(kind, at);\n"
/*
 * Results of `pmaudit check`. One row in check_runs per run; every record a
 * rule evaluated is in check_records with its status, so each figure can be
 * traced to the records behind it (and reports group them by site, level, ...).
 */
"CREATE TABLE check_runs(\n"
"  run_id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,\n"
"  from_ts TEXT NOT NULL, to_ts TEXT NOT NULL, as_of TEXT NOT NULL,\n"
"  site TEXT, rules_file TEXT, rules_sha256 TEXT, summary_json TEXT);\n"
"CREATE TABLE check_rule_results(\n"
"  run_id INTEGER NOT NULL REFERENCES check_runs(run_id),\n"
"  rule_id TEXT NOT NULL, rule_kind TEXT NOT NULL,\n"
"  title_zh TEXT, title_en TEXT,\n"
"  met INTEGER, breached INTEGER, pending INTEGER,\n"
"  numerator INTEGER, denominator INTEGER, rate REAL,\n"
"  target REAL, target_met INTEGER,\n"
"  PRIMARY KEY(run_id, rule_id));\n"
"CREATE TABLE check_weeks(\n"
"  run_id INTEGER NOT NULL, rule_id TEXT NOT NULL, week TEXT NOT NULL,\n"
"  numerator INTEGER, denominator INTEGER, rate REAL, met INTEGER,\n"
"  PRIMARY KEY(run_id, rule_id, week));\n"
"CREATE TABLE check_records(\n"
"  run_id INTEGER NOT NULL, rule_id TEXT NOT NULL,\n"
"  record_kind TEXT NOT NULL, record_id TEXT NOT NULL, site TEXT,\n"
"  start_at TEXT, deadline_at TEXT, end_at TEXT,\n"
"  status TEXT NOT NULL, late_seconds INTEGER, amount_cents INTEGER,\n"
"  detail TEXT);\n"
"CREATE INDEX check_records_run ON check_records(run_id, rule_id, status);\n"
"CREATE TABLE check_figures(\n"
"  run_id INTEGER NOT NULL, key TEXT NOT NULL,\n"
"  int_value INTEGER, real_value REAL, text_value TEXT,\n"
"  PRIMARY KEY(run_id, key));\n";

/*
 * Schema version 2: the fast rules engine.
 * check_records no longer holds the records a rule found met (a year's check
 * evaluated millions of them, and writing them was most of its time); it
 * holds every breached, pending, not-evaluated and finding record. The met
 * counts are kept per rule and site in check_site_results, whose sums are
 * the rule's figures in check_rule_results.
 */
static const char SCHEMA_V2[] =
"CREATE TABLE check_site_results(\n"
"  run_id INTEGER NOT NULL, rule_id TEXT NOT NULL, site TEXT NOT NULL,\n"
"  met INTEGER NOT NULL, breached INTEGER NOT NULL, pending INTEGER NOT NULL,\n"
"  PRIMARY KEY(run_id, rule_id, site)) WITHOUT ROWID;\n"
/*
 * fee_ledger: the fee ledger by account for the rules engine, derived from
 * fees (db/fee_ledger.h, docs/architecture.md "The fee ledger"). Every check
 * reads the whole ledger; one row per account (site, room, fee item) with
 * its events packed in fees_account order is 73k rows to read instead of
 * 2M index entries, and an eighth of the pages (26 MB against 202 MB). The
 * import rebuilds it, or the accounts a small file touched, in the
 * transaction of each fees file. fee_ledger_state.stale = 1 says it does not
 * match fees: the triggers set it when anything else (the sqlite3 CLI)
 * changes fees, and a check then rebuilds it or reads fees itself. A
 * database upgraded from version 1 with fees in it starts stale.
 */
"CREATE TABLE fee_ledger(\n"
"  site TEXT NOT NULL, room TEXT NOT NULL, fee_item TEXT NOT NULL,\n"
"  events BLOB NOT NULL,\n"
"  PRIMARY KEY(site, room, fee_item)) WITHOUT ROWID;\n"
"CREATE TABLE fee_ledger_state(stale INTEGER NOT NULL);\n"
"INSERT INTO fee_ledger_state SELECT EXISTS (SELECT 1 FROM fees);\n"
FEE_LEDGER_TRIGGERS;

/*
 * Schema version 3: which fields each import run's file had (issue 12).
 * import_runs.fields lists them, comma-separated, by canonical name (those
 * given by a column, a mapping file's constant, or derived such as paid
 * from charge). A rule whose field a file lacked cannot judge that file's
 * records (MAPPING.md "Never silently wrong"); rules/ruleset/ruleset.h (field_needs.c) says
 * which rule needs which field.
 */
static const char SCHEMA_V3[] =
"ALTER TABLE import_runs ADD COLUMN fields TEXT;\n";

/*
 * Schema version 4: rejects belong to a source (issue 14). Re-importing a
 * file, fixed, used to add its rejects to the old ones ("rejected import
 * rows" 11 -> 13 -> 15).
 *   import_runs.source      the file as the system knows it (its canonical
 *                           path at import; the name given, for runs before
 *                           v4); import_runs.file stays the name the user gave
 *   import_rejects.record_key  the rejected record's key as read (NULL: none)
 *   import_rejects.resolved_by the import run that resolved it; NULL: open
 * An import resolves every open reject of an earlier run of the same source
 * or the same content (it read the same file again), and every open reject
 * whose key it stored in the same log (etl/import.c resolve_rejects()).
 * Data-quality figures count open rejects. On upgrade, the rejects of a
 * run that a later run of the same file name or content followed are
 * resolved by the latest such run -- what the reports counted before, which
 * was the latest run of each name.
 */
static const char SCHEMA_V4[] =
"ALTER TABLE import_runs ADD COLUMN source TEXT;\n"
"ALTER TABLE import_rejects ADD COLUMN record_key TEXT;\n"
"ALTER TABLE import_rejects ADD COLUMN resolved_by INTEGER;\n"
"UPDATE import_runs SET source = file;\n"
"UPDATE import_rejects SET resolved_by = (\n"
"  SELECT max(l.run_id) FROM import_runs r JOIN import_runs l\n"
"    ON l.file = r.file OR (l.sha256 = r.sha256 AND r.sha256 <> '')\n"
"  WHERE r.run_id = import_rejects.run_id AND l.run_id > r.run_id);\n"
"CREATE INDEX import_rejects_open ON import_rejects(record_key) WHERE resolved_by IS NULL;\n";

/*
 * Schema version 5: which fields each record was ever given (issue 12).
 * tickets.fields and complaints.fields hold a bit mask: bit i is the
 * table's column i (its cid in PRAGMA table_info, the order of DATA.md and
 * of etl/kinds.c). The import's upsert ORs in the fields its file had, so
 * a later file that lacks a field never takes it away: the record stays
 * judged by the fields some import gave it (MAPPING.md "Never silently
 * wrong"). NULL: a record stored before version 5, taken as having every
 * field (the figures of an upgraded database do not change). The rules
 * engine counts a record whose mask lacks a field a rule needs as unknown
 * for that rule (docs/mapping.md): check_rule_results.unknown and
 * check_site_results.unknown.
 */
static const char SCHEMA_V5[] =
"ALTER TABLE tickets ADD COLUMN fields INTEGER;\n"
"ALTER TABLE complaints ADD COLUMN fields INTEGER;\n"
"ALTER TABLE check_rule_results ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0;\n"
"ALTER TABLE check_site_results ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0;\n";

/*
 * Schema version 6: callbacks keep the fields each was ever given too
 * (issue 12), as tickets and complaints do since version 5: callbacks.fields,
 * a bit per column of the table (cid order), ORed in by every import. A
 * paid repair whose only callbacks came from files without a role column
 * cannot be judged by T-PAID-SUPERVISOR (who called back is not known): it
 * is unknown, not breached (docs/rules.md "Unknown"). NULL: a callback
 * stored before version 6, taken as having every field.
 */
static const char SCHEMA_V6[] =
"ALTER TABLE callbacks ADD COLUMN fields INTEGER;\n";

/*
 * Schema version 7: fees_period(period, kind) is dropped. Nothing reads it
 * (every fee figure comes from fee_ledger; the coverage probe reads
 * fees_at), and an import of 2M fee events spent 1.6 s of CPU building it
 * and wrote 45 MB for it (docs/performance.md, "The import, third pass").
 */
static const char SCHEMA_V7[] =
"DROP INDEX IF EXISTS fees_period;\n";

/*
 * Schema version 8: the logs' keys as named unique indexes. Version 1 made
 * each key a PRIMARY KEY, whose index (sqlite_autoindex_<table>_1) cannot
 * be dropped; a file whose keys come in random order (shuffled, sorted by
 * room, as an Excel user last sorted it) then inserted every row at a
 * random page of that index: 2M shuffled fee events spent 5.6 s of CPU
 * loading into a table with its key index against 1.3 s without it plus
 * 1.4 s to build it sorted (docs/performance.md, "The import, third pass").
 * Now an empty table is made again as
 *   <key> TEXT NOT NULL ... ; CREATE UNIQUE INDEX <table>_key ON <table>(<key>)
 * (db/log_keys.c, the step's C part), which a large import into it may set
 * aside and build at the end (etl/indexes.h). A table that holds rows keeps
 * its PRIMARY KEY -- remaking it would copy every row -- and is loaded with
 * its key index kept, as before. Both forms keep the key unique and NOT
 * NULL, and the import's upsert finds a repeated key through either.
 */
static const char SCHEMA_V8[] = "";

/*
 * Schema version 9: fees_at(kind, at) is dropped. It served only the
 * database's coverage (the first and last time of the fees and of the
 * payments), and an import of 2M fee events spent 1.8-2.4 s of CPU
 * building it, serially after the load, and wrote 68 MB for it
 * (docs/performance.md, "The import, fourth pass"). The fee ledger keeps
 * each account's first and last time instead (db/fee_ledger.c; the
 * step's C part, fee_ledger_spans() in db/db.c, adds the columns and marks
 * a ledger holding rows stale so that it is rebuilt with them).
 */
static const char SCHEMA_V9[] =
"DROP INDEX IF EXISTS fees_at;\n";

/*
 * Schema version 10: check_records is a view; the rows are stored in sets
 * (issue 16). A year's check stored ~1M check_records rows one b-tree
 * entry each (and one in check_records_run): 1.1 s of CPU in SQLite's
 * inserts and index, a third of the run's own thread, the largest part of
 * `check --year` (docs/performance.md, "check --year: the records in sets").
 * Now check_record_sets holds one row per run, rule, status and up to
 * RECORD_SET_ROWS records (rules/results/results_sink.h), the records a
 * JSON array of arrays [record_kind, record_id, site, start_at,
 * deadline_at, end_at, late_seconds, amount_cents, detail], in the order
 * they were put. The view check_records has the table's old columns,
 * names, values and types, so every query of it (the reports', auditors'
 * own with sqlite3) gives what it gave; its rows of one run, rule and
 * status come in the order the old index gave them. It has no rowid
 * (rowid is NULL) and cannot be written: the engine writes the sets.
 * The view's and the sets' SQL are db/db.h's CHECK_RECORDS_VIEW_SQL and
 * CHECK_RECORD_SETS_SQL (a scratch run makes TEMP ones of them).
 */
static const char SCHEMA_V10[] =
"CREATE " CHECK_RECORD_SETS_SQL("")
"CREATE INDEX check_record_sets_run ON check_record_sets(run_id, rule_id, status);\n"
/* the step's C part moves the stored rows into sets, then makes the view (db.c) */
;
