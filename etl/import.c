/*
 * Importing one file: a reader thread converts rows, the caller's thread
 * stores them, in one transaction (etl/import.h).
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "etl/batch.h"
#include "etl/header.h"
#include "etl/indexes.h"
#include "etl/import.h"
#include "db/reject_reason.h"
#include "etl/kinds.h"
#include "etl/load.h"
#include "etl/map.h"
#include "etl/reader.h"
#include "etl/row.h"
#include "etl/source.h"
#include "etl/time_order.h"
#include "etl/statement.h"
#include "etl/bills.h"
#include "etl/fee_events.h"
#include "db/db.h"
#include "util/i18n.h"
#include "db/fee_ledger.h"

/* The header is looked for among the first records (MAPPING.md). */
#define HEADER_SEARCH_LINES 20
/* How many records between two progress calls. */
#define PROGRESS_EVERY 16384
/*
 * A file at least this large loaded into an empty table builds the
 * table's secondary indexes at the end instead of row by row.
 */
#define DEFER_INDEXES_BYTES (16 << 20)
/* batches in flight between the reading and the storing thread */
#define SLOTS 3
/*
 * The rows a file stores in time order (etl/time_order.h) are collected in
 * chunks of this size: two, one filled while the other is stored, in
 * place of 28 MiB of the load's page cache, which an insert-only load
 * without indexes does not need.
 */
#define TIME_CHUNK_BYTES (12u << 20)
#define TIME_ORDER_CACHE "PRAGMA cache_size=-4096"

/*
 * The hand-over between the reader thread (fills slot[fill]) and the
 * storing thread (empties slot[head]); count is how many are full.
 */
struct queue {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct pm_batch slot[SLOTS];
	size_t head, count, fill;
	int done;		/* the reader has finished */
	int stop;		/* the storer failed: the reader should give up */
};

/*
 * One file's import. The reader thread owns src, header, have_header, the
 * failure fields, result->rows and result->kind (set before the first batch
 * is handed over); the storing thread owns db, loader and the other counts.
 */
struct import {
	sqlite3 *db;
	const char *path;
	char source[PATH_MAX];	/* the file's canonical path (import_runs.source) */
	const struct pm_import_options *opt;
	struct pm_import_result *result;
	struct pm_source src;
	struct pm_header header;
	int have_header;
	int header_tries;	/* records looked at as the header so far */
	int header_best;	/* known columns of the best failed candidate, or -1 */
	struct pm_loader loader;
	int loader_open;
	pm_error *err;
	int failed;		/* the file cannot be imported (err says why) */
	int64_t fail_line;	/* where, for the failed-run record */
	const char *fail_field;
	char fail_text[1024];
	char fail_reason[512];          /* English, as stored */
	char fail_shown[512];           /* the same as the user reads it */
	struct queue q;
	int read_rc;		/* read_file()'s result, from the reader thread */
	int64_t rows_before;	/* rows in the table before this file */
	int fee_ledger;		/* fees: how the file keeps fee_ledger (enum fee_upkeep) */
	int fee_ledger_stale;	/* fees: the ledger was stale before the file */
	struct pm_deferred deferred;	/* indexes to build at the end */
	struct time_store *timed;	/* once inserted without upsert: rows stored in time order */
	int keep_key;		/* the key's index stays while loading (a second attempt) */
	int key_repeated;	/* its build at the end found a key the file repeats */
	struct pm_bills bills;		/* a fee statement's bills (etl/bills.h) */
	/*
	 * fees: the events read, for the ledger (etl/fee_events.h); the reading
	 * thread's until it is done. The storing thread clears fee_events_wanted
	 * when the file does not go into an empty table.
	 */
	struct pm_fee_events fee_events;
	int fee_events_open;
	atomic_int fee_events_wanted;
};

/*
 * Rows stored in time order: chunk[fill] collects them while the other is
 * stored; the loader binds rows from row[] (a row stays bound until the
 * loader's next flush, at most PM_LOAD_ROWS later).
 */
struct time_store {
	struct pm_time_chunk chunk[2];
	int fill;
	struct pm_row row[PM_LOAD_ROWS];
};

static void now_text(char out[PM_TIMESTAMP_SIZE])
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, PM_TIMESTAMP_SIZE, "%Y-%m-%d %H:%M:%S", &tm);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec end;

	clock_gettime(CLOCK_MONOTONIC, &end);
	return (double)(end.tv_sec - start->tv_sec) + (end.tv_nsec - start->tv_nsec) / 1e9;
}

static char default_delimiter(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && !strcasecmp(path + n - 4, ".tsv") ? '\t' : ',';
}

/* The value of an integer pragma such as "PRAGMA cache_size". */
static int pragma_int(sqlite3 *db, const char *sql, int *value, pm_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL))
		return db_error(db, err);
	rc = sqlite3_step(stmt);
	*value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : db_error(db, err);
}

/*
 * Settings for loading one file, restored afterwards (docs/performance.md).
 * temp_store=MEMORY: a statement that stores many rows keeps a statement
 * journal to undo just itself if it fails; in a temporary file that costs
 * a million write() calls per million rows, in memory it is a few pages
 * per statement. Nothing in temporary storage is needed after a crash:
 * the rollback journal, which stays as configured (DELETE mode,
 * synchronous=FULL), is what takes the database back to before the file.
 * cache_size=-32768 (32 MiB): the right-hand edges of the table and index
 * b-trees and the key index stay in memory; peak memory stays under 64 MB.
 * threads is set for the builds at the end (build_indexes()) and restored
 * with the others.
 */
struct bulk_settings {
	int temp_store, cache_size, threads;
};

static int bulk_begin(sqlite3 *db, struct bulk_settings *saved, pm_error *err)
{
	if (pragma_int(db, "PRAGMA temp_store", &saved->temp_store, err) ||
	    pragma_int(db, "PRAGMA cache_size", &saved->cache_size, err) ||
	    pragma_int(db, "PRAGMA threads", &saved->threads, err))
		return -1;
	return db_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768", err);
}

static void bulk_end(sqlite3 *db, const struct bulk_settings *saved)
{
	char sql[128];
	pm_error ignored;

	snprintf(sql, sizeof(sql), "PRAGMA temp_store=%d; PRAGMA cache_size=%d; PRAGMA threads=%d",
		 saved->temp_store, saved->cache_size, saved->threads);
	db_exec(db, sql, &ignored);
}

/*
 * Marks the file as not importable, keeping where and what for the record:
 * msg in English is stored (reports translate it), shown as the user reads it.
 */
static int file_error_shown(struct import *im, const struct pm_record *rec, const char *field,
			    const char *msg, const char *shown)
{
	im->failed = 1;
	im->fail_line = rec ? rec->line : 1;
	im->fail_field = field;
	snprintf(im->fail_text, sizeof(im->fail_text), "%.*s",
		 rec ? (int)(rec->raw_len > 1000 ? 1000 : rec->raw_len) : 0, rec ? rec->raw : "");
	snprintf(im->fail_reason, sizeof(im->fail_reason), "%s", msg);
	pm_fail(im->err, "%s:%lld: %s", im->path, (long long)im->fail_line, shown);
	return 1;
}

/* The same for msg, a literal of the sources (N_): shown through the catalogue. */
static int file_error(struct import *im, const struct pm_record *rec, const char *field,
		      const char *msg)
{
	return file_error_shown(im, rec, field, msg, _(msg));
}

static int insert_run(struct import *im, const char *status, const char *sha256, pm_error *err)
{
	struct pm_import_result *r = im->result;
	sqlite3_stmt *stmt;
	char started[PM_TIMESTAMP_SIZE];
	int rc;

	now_text(started);
	if (sqlite3_prepare_v2(im->db,
			       "INSERT INTO import_runs(file,size,sha256,kind,encoding,started_at,status,"
			       "source) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", -1, &stmt, NULL))
		return db_error(im->db, err);
	sqlite3_bind_text(stmt, 1, im->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, r->size);
	sqlite3_bind_text(stmt, 3, sha256, -1, SQLITE_STATIC);
	if (r->kind >= 0)
		sqlite3_bind_text(stmt, 4, PM_KINDS[r->kind].name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, encoding_name(r->encoding), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, started, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 7, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, im->source, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return db_error(im->db, err);
	r->run_id = sqlite3_last_insert_rowid(im->db);
	return 0;
}

static int finish_run(struct import *im, const char *sha256)
{
	struct pm_import_result *r = im->result;
	sqlite3_stmt *stmt;
	char ended[PM_TIMESTAMP_SIZE];
	int rc;

	now_text(ended);
	if (sqlite3_prepare_v2(im->db,
			       "UPDATE import_runs SET sha256=?2, kind=?3, rows_read=?4, inserted=?5, "
			       "updated=?6, unchanged=?7, rejected=?8, ended_at=?9, fields=?10 "
			       "WHERE run_id=?1",
			       -1, &stmt, NULL))
		return db_error(im->db, im->err);
	sqlite3_bind_int64(stmt, 1, r->run_id);
	sqlite3_bind_text(stmt, 2, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, PM_KINDS[r->kind].name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, r->rows);
	sqlite3_bind_int64(stmt, 5, r->inserted);
	sqlite3_bind_int64(stmt, 6, r->updated);
	sqlite3_bind_int64(stmt, 7, r->unchanged);
	sqlite3_bind_int64(stmt, 8, r->rejected);
	sqlite3_bind_text(stmt, 9, ended, -1, SQLITE_TRANSIENT);
	if (im->have_header)
		sqlite3_bind_text(stmt, 10, r->fields, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return db_error(im->db, im->err);
	return 0;
}

static unsigned fields_present(const struct import *im);

/* The stored table's fields the file gave, comma-separated (import_runs.fields). */
static void field_list(const struct import *im, char *out, size_t size)
{
	const struct pm_kind *k = &PM_KINDS[im->result->kind];
	unsigned present = fields_present(im);
	size_t used = 0;
	int f;

	out[0] = '\0';
	for (f = 0; f < k->nfields; f++)
		if (present & (1u << f) && used < size)
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
						 k->fields[f].name);
}

/* Adds one column to the result's description (the first 64 only). */
static void add_column(struct import *im, const char *name, size_t len, const char *field,
		       const char *how, const char *hint)
{
	struct pm_import_result *r = im->result;
	struct pm_column_read *c;

	if (r->ncolumns == PM_IMPORT_MAX_COLUMNS)
		return;
	c = &r->column[r->ncolumns++];
	len = utf8_valid_prefix(name, len >= sizeof(c->name) ? sizeof(c->name) - 1 : len, NULL);
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	snprintf(c->field, sizeof(c->field), "%s", field);
	snprintf(c->how, sizeof(c->how), "%s", how);
	snprintf(c->hint, sizeof(c->hint), "%s", hint);
}

/*
 * How each column of a header is read, for --dry-run and --write-map: of
 * the header found, or of the likeliest candidate when none was.
 */
static void describe_columns(struct import *im, int kind, const struct pm_record *rec)
{
	const struct pm_kind *k = kind_get(kind);
	const struct pm_map *map = im->opt->map;
	unsigned taken = 0;     /* fields a column or constant gives: no hint names them */
	size_t c;
	int f;

	im->result->ncolumns = 0;
	for (c = 0; c < rec->nfields; c++) {
		const char *name = rec->field[c];
		size_t len = rec->len[c];

		value_trim(&name, &len);
		if ((f = header_column_field(kind, map, name, len)) >= 0 && f < 32)
			taken |= 1u << f;
	}
	for (f = 0; map && f < k->nfields && f < 32; f++)
		if (map->constant[f])
			taken |= 1u << f;
	for (c = 0; c < rec->nfields; c++) {
		const char *name = rec->field[c];
		size_t len = rec->len[c];
		int g;

		value_trim(&name, &len);
		f = header_column_field(kind, map, name, len);
		if (f >= 0) {
			add_column(im, name, len, k->fields[f].name,
				   map && map->column[f] ? "mapping file" : "alias", "");
			continue;
		}
		g = header_resembles_free(kind, name, len, taken);
		add_column(im, name, len, "", "unmapped", g >= 0 ? k->fields[g].name : "");
	}
	for (f = 0; map && f < k->nfields; f++)
		if (map->constant[f])
			add_column(im, map->constant[f], strlen(map->constant[f]), k->fields[f].name,
				   "constant", "");
	if (im->have_header && im->header.derive_paid)
		add_column(im, "", 0, "paid", "derived", "");
}

/* The kind the options (or the mapping file) name, or -1. */
static int named_kind(const struct pm_import_options *opt)
{
	if (opt->kind >= 0)
		return opt->kind;
	return opt->map ? opt->map->kind : -1;
}

/*
 * Whether rec is the header: its kind (named, or recognised from it) and
 * every required field found. On failure *known says how many columns it
 * named, so that the error reported is that of the likeliest header.
 */
static int try_header(struct import *im, const struct pm_record *rec, int *known, pm_error *why)
{
	const struct pm_map *map = im->opt->map;
	char unknown[400];
	int kind = named_kind(im->opt);

	*known = 0;
	if (kind < 0) {
		kind = header_detect_kind(rec->field, rec->len, rec->nfields, why);
		if (kind < 0) {
			int guess = header_guess_kind(rec->field, rec->len, rec->nfields);

			if (guess >= 0)
				*known = header_known_columns(guess, map, rec->field, rec->len,
							      rec->nfields);
			return -1;
		}
	}
	*known = header_known_columns(kind, map, rec->field, rec->len, rec->nfields);
	if (header_match_map(kind, map, rec->field, rec->len, rec->nfields, &im->header,
			     unknown, sizeof(unknown), why))
		return -1;
	im->have_header = 1;
	im->result->kind = kind == PM_FEE_STATEMENT ? PM_FEES : kind;
	im->result->statement = kind == PM_FEE_STATEMENT;
	im->result->header_line = rec->line;
	im->result->paid_derived = im->header.derive_paid;
	field_list(im, im->result->fields, sizeof(im->result->fields));
	describe_columns(im, kind, rec);
	if (unknown[0])
		snprintf(im->result->warning, sizeof(im->result->warning),
			 "unknown columns ignored: %.400s", unknown);
	return 0;
}

/* Keeps a failed header candidate's error if it is the likeliest so far. */
static void keep_candidate(struct import *im, const struct pm_record *rec, int known,
			   const pm_error *why)
{
	if (im->header_tries > 1 && known <= im->header_best)
		return;
	im->header_best = known;
	im->fail_line = rec->line;
	/* what --dry-run and --write-map show of a file whose header was not found */
	if (named_kind(im->opt) >= 0 || header_guess_kind(rec->field, rec->len, rec->nfields) >= 0) {
		int kind = named_kind(im->opt) >= 0 ? named_kind(im->opt)
			   : header_guess_kind(rec->field, rec->len, rec->nfields);

		im->result->kind = kind == PM_FEE_STATEMENT ? PM_FEES : kind;
		im->result->header_line = rec->line;
		describe_columns(im, kind, rec);
	}
	im->fail_field = NULL;
	snprintf(im->fail_text, sizeof(im->fail_text), "%.*s",
		 (int)(rec->raw_len > 1000 ? 1000 : rec->raw_len), rec->raw);
	/* etl/header.c's reasons are English (stored so); shown in Chinese from the phrases */
	snprintf(im->fail_reason, sizeof(im->fail_reason), "%.500s", why->msg);
	if (i18n_chinese())
		reject_reason_zh(why->msg, im->fail_shown, sizeof(im->fail_shown));
	else
		snprintf(im->fail_shown, sizeof(im->fail_shown), "%.500s", why->msg);
}

/* No record was the header: the likeliest candidate's error fails the file. */
static int no_header(struct import *im)
{
	im->failed = 1;
	/* stored in English (keep_candidate), shown in the user's language */
	pm_fail(im->err, "%s:%lld: %s", im->path, (long long)im->fail_line, im->fail_shown);
	return 1;
}

/*
 * Records before the header: the header is the first of the first 20
 * records in which every required field is found (or the line a mapping
 * file names); the records above it (report titles, export dates) are
 * skipped and counted.
 */
static int on_header(struct import *im, const struct pm_record *rec)
{
	const struct pm_map *map = im->opt->map;
	int fixed = map && map->header_line, known;
	pm_error why;
	size_t i;

	if (fixed && rec->line < map->header_line) {
		im->result->title_lines++;
		return 0;
	}
	if (rec->error)
		return file_error(im, rec, NULL, rec->error);
	for (i = 0; i < rec->raw_len; i++)
		if (rec->raw[i] == '\0')
			return file_error(im, rec, NULL,
					  N_("not a CSV text file (binary data in the header)"));
	/* GB18030's bad bytes arrive as PM_BAD_BYTE, which is not UTF-8 either */
	if (!utf8_valid(rec->raw, rec->raw_len))
		return file_error(im, rec, NULL, N_("the header holds bytes that are not valid "
				  "in the file's encoding"));
	im->header_tries++;
	if (try_header(im, rec, &known, &why) == 0)
		return 0;
	keep_candidate(im, rec, known, &why);
	if (fixed || im->header_tries >= HEADER_SEARCH_LINES)
		return no_header(im);
	im->result->title_lines++;
	return 0;
}

/* A 合计/总计/小计 row: its first non-empty cell starts with such a word. */
static int is_summary_row(const struct import *im, const struct pm_record *rec)
{
	size_t c;

	for (c = 0; c < rec->nfields; c++) {
		const char *s = rec->field[c];
		size_t n = rec->len[c];

		value_trim(&s, &n);
		if (n)
			return map_is_summary(im->opt->map, s, n);
	}
	return 0;
}

static void count_summary_row(struct import *im, const struct pm_record *rec)
{
	struct pm_import_result *r = im->result;

	if (r->summary_rows < PM_IMPORT_SHOW_LINES)
		r->summary_line[r->summary_rows] = rec->line;
	r->summary_rows++;
}

/*
 * Hands the filled batch to the storing thread and waits for a free one.
 * Returns 1 if the storer has given up.
 */
/*
 * Reader thread: the events of a sealed fees batch, for the ledger
 * (etl/fee_events.h), unless the file does not go into an empty table.
 */
static void note_fee_events(struct import *im, const struct pm_batch *b)
{
	if (im->header.kind != PM_FEES)
		return;
	if (!im->fee_events_open) {
		fee_events_init(&im->fee_events);
		im->fee_events_open = 1;
	}
	if (im->fee_events.on && !atomic_load_explicit(&im->fee_events_wanted, memory_order_relaxed))
		fee_events_free(&im->fee_events);
	fee_events_add_batch(&im->fee_events, b);
}

static int publish(struct import *im, int last)
{
	struct queue *q = &im->q;
	int stop;

	batch_seal(&q->slot[q->fill]);
	note_fee_events(im, &q->slot[q->fill]);
	if (last && im->fee_events_open)
		fee_events_read_all(&im->fee_events);
	pthread_mutex_lock(&q->lock);
	q->count++;
	q->fill = (q->fill + 1) % SLOTS;
	if (last)
		q->done = 1;
	pthread_cond_broadcast(&q->changed);
	while (!last && q->count == SLOTS && !q->stop)
		pthread_cond_wait(&q->changed, &q->lock);
	stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	if (!last)
		batch_clear(&q->slot[q->fill]);
	return stop;
}

/* A fee statement's bill: its events, or the record rejected. */
static int add_bill(struct pm_batch *batch, const struct pm_record *rec, const struct pm_row *bill)
{
	struct pm_statement_events ev;
	const char *field;
	char reason[256];
	int i;

	/* a bill's events have keys of their own: its reject is resolved by the file */
	if (statement_split(bill, &ev, &field, reason, sizeof(reason)))
		return batch_add_reject(batch, rec->line, rec->raw, rec->raw_len, field, reason,
					NULL, 0);
	for (i = 0; i < ev.n; i++)
		if (batch_add_row(batch, rec->line, &ev.row[i]))
			return -1;
	return 0;
}

/*
 * A rejected record, with its key when the key cell is readable text (at
 * most 200 bytes of valid UTF-8): an import that later stores that key
 * resolves the reject.
 */
static int add_reject(struct import *im, struct pm_batch *batch, const struct pm_record *rec,
		      const char *field, const char *reason)
{
	const char *key;
	size_t key_len;

	row_key(&im->header, rec, &key, &key_len);
	if (key_len > 200 || memchr(key, '\0', key_len) ||
	    utf8_valid_prefix(key, key_len, NULL) != key_len)
		key_len = 0;
	return batch_add_reject(batch, rec->line, rec->raw, rec->raw_len, field, reason, key,
				key_len);
}

/* Reader thread: converts each record into the current batch. */
static int on_record(void *ctx, const struct pm_record *rec)
{
	struct import *im = ctx;
	struct pm_batch *batch = &im->q.slot[im->q.fill];
	struct pm_row row;
	const char *field;
	char reason[1024];
	int rc;

	if (!im->have_header)
		return on_header(im, rec);
	if (im->header.kind == PM_FEE_STATEMENT && batch->n + PM_STATEMENT_EVENTS > PM_BATCH_ROWS) {
		/* a bill's events go into one batch */
		if (publish(im, 0))
			return 1;
		batch = &im->q.slot[im->q.fill];
	}
	if (!rec->error && is_summary_row(im, rec)) {
		count_summary_row(im, rec);
		return 0;
	}
	im->result->rows++;
	if (im->opt->progress && im->result->rows % PROGRESS_EVERY == 0)
		im->opt->progress(im->opt->progress_ctx, im->src.bytes_read, im->src.size,
				  im->result->rows);
	if (row_convert(&im->header, rec, im->src.clean, &row, &field, reason, sizeof(reason)))
		rc = add_reject(im, batch, rec, field, reason);
	else if (im->header.kind == PM_FEE_STATEMENT)
		rc = add_bill(batch, rec, &row);
	else
		rc = batch_add_row(batch, rec->line, &row);
	if (rc)
		return -1;
	return batch_full(batch) ? publish(im, 0) : 0;
}

/* Streams the whole file through the reader; 0, or -1 / 1 as on_record. */
static int read_file(struct import *im)
{
	const struct pm_map *map = im->opt->map;
	char delim = im->opt->delimiter ? im->opt->delimiter
		   : map && map->delimiter ? map->delimiter : default_delimiter(im->path);
	struct pm_reader *reader = reader_new(delim);
	const char *data;
	size_t len;
	int rc = 0;

	if (!reader)
		return pm_fail(im->err, "out of memory");
	for (;;) {
		if (source_next(&im->src, &data, &len, im->err)) {
			rc = -1;
			break;
		}
		if (len == 0) {
			rc = reader_finish(reader, on_record, im);
			break;
		}
		rc = reader_feed(reader, data, len, on_record, im);
		if (rc)
			break;
	}
	if (rc < 0 && !im->err->msg[0])
		pm_fail(im->err, "%s: out of memory", im->path);
	reader_free(reader);
	if (rc == 0 && !im->have_header && !im->failed && im->header_tries > 0)
		return no_header(im);
	if (rc == 0 && !im->have_header && !im->failed && im->result->title_lines > 0)
		return file_error(im, NULL, NULL, N_("the file ends before the header line the "
				  "mapping file names (header = ...)"));
	if (rc == 0 && !im->have_header && !im->failed)
		return file_error(im, NULL, NULL, N_("empty file: no header row"));
	return rc;
}

/* After a failure: a run record saying so, with the reason as a reject. */
static void record_failed_run(struct import *im)
{
	char sha[65] = "";
	pm_error ignored;
	struct pm_loader rejects;

	if (source_sha256(&im->src, sha, &ignored))
		sha[0] = '\0';
	if (db_exec(im->db, "BEGIN IMMEDIATE", &ignored))
		return;
	if (insert_run(im, "failed", sha, &ignored) == 0 &&
	    loader_open(&rejects, im->db, -1, im->result->run_id, &ignored) == 0) {
		loader_reject(&rejects, im->path, im->fail_line, im->fail_text,
			      strlen(im->fail_text), im->fail_field, im->fail_reason, NULL, 0,
			      &ignored);
		loader_close(&rejects);
	}
	if (db_exec(im->db, "COMMIT", &ignored))
		sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
}

static void time_order_end(struct import *im);

static void release(struct import *im)
{
	time_order_end(im);
	indexes_free(&im->deferred);
	bills_close(&im->bills);
	if (im->fee_events_open)
		fee_events_free(&im->fee_events);
	im->fee_events_open = 0;
	if (im->loader_open)
		loader_close(&im->loader);
	im->loader_open = 0;
	if (im->have_header)
		header_free(&im->header);
	im->have_header = 0;
}

static int queue_init(struct queue *q)
{
	int i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < SLOTS; i++)
		if (batch_init(&q->slot[i]))
			return -1;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	return 0;
}

static void queue_free(struct queue *q)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		batch_free(&q->slot[i]);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->changed);
}

static void *reader_thread(void *arg)
{
	struct import *im = arg;
	struct queue *q = &im->q;
	int stop;

	im->read_rc = read_file(im);
	pthread_mutex_lock(&q->lock);
	stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	if (!stop && im->read_rc == 0) {
		publish(im, 1);
		return NULL;
	}
	pthread_mutex_lock(&q->lock);
	q->done = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/*
 * How a fees file keeps the derived fee_ledger (db/fee_ledger.h) current:
 * by rebuilding it whole at the end (1.1 s CPU for 2M events; into an
 * empty table, from the events the reader noted, etl/fee_events.h), or, for a
 * small file into a large ledger, by rebuilding the rows of the accounts the
 * file touched. A monthly export names nearly every account, so only a file
 * of at most 1/32 of the table's rows (guessed from its size at 64 bytes a
 * row, fewer than real rows take) is worth tracking.
 */
enum fee_upkeep { FEES_NONE, FEES_REBUILD, FEES_TOUCHED };

static int fees_begin(struct import *im, pm_error *err)
{
	int stale;

	if (fee_ledger_is_stale(im->db, &stale, err))
		return -1;
	if (stale == FEE_LEDGER_ABSENT) {
		im->fee_ledger = FEES_NONE;
		return 0;
	}
	/* a bulk load would call them once per row: fees_done() rebuilds instead */
	if (fee_ledger_drop_triggers(im->db, err))
		return -1;
	im->fee_ledger = FEES_REBUILD;
	im->fee_ledger_stale = stale;
	/*
	 * The events read make the ledger only of a file into an empty table.
	 * They take 3-4 MB (2M events, 73k accounts): the load's page cache
	 * gives them 4 MiB of its 32, so that the peak stays where it was
	 * (the load appends to the table and the key's index, whose right
	 * edges are all it needs to keep).
	 */
	atomic_store(&im->fee_events_wanted, im->rows_before == 0 && !im->result->statement);
	if (im->rows_before == 0 && !im->result->statement &&
	    db_exec(im->db, "PRAGMA cache_size=-28672", err))
		return -1;
	if (!stale && im->rows_before > 0 && im->result->size / 64 * 32 < im->rows_before) {
		im->fee_ledger = FEES_TOUCHED;
		return fee_ledger_track_begin(im->db, err);
	}
	return 0;
}

/*
 * The fields of the stored table the file gives. A fee statement gives
 * every field of its events but method (and custody only from a column);
 * a fees file always gives due_date (a charge's default is derived).
 */
static unsigned fields_present(const struct import *im)
{
	const struct pm_kind *fees = &PM_KINDS[PM_FEES];
	unsigned present = header_fields_present(&im->header), all;
	int custody = kind_field_index(kind_get(PM_FEE_STATEMENT), "custody");

	if (im->header.kind == PM_FEE_STATEMENT) {
		all = (1u << fees->nfields) - 1;
		all &= ~(1u << kind_field_index(fees, "method"));
		if (!(present & (1u << custody)))
			all &= ~(1u << kind_field_index(fees, "custody"));
		return all;
	}
	if (im->header.kind == PM_FEES)
		present |= 1u << kind_field_index(fees, "due_date");
	/*
	 * A complaints file without is-valid: every complaint is valid, DATA.md's
	 * default, which is what a system exporting only valid ones means.
	 */
	if (im->header.kind == PM_COMPLAINTS)
		present |= 1u << kind_field_index(&PM_KINDS[PM_COMPLAINTS], "valid");
	return present;
}

/*
 * Once the file is inserted without upsert, its rows go in time order
 * (etl/time_order.h), for a kind that has a time field. Without the memory
 * for it they stay in file order.
 */
static int time_order_begin(struct import *im, pm_error *err)
{
	int field = time_order_field(im->result->kind);
	struct time_store *t;

	if (field < 0 || !(t = calloc(1, sizeof(*t))))
		return 0;
	if (time_chunk_init(&t->chunk[0], field, TIME_CHUNK_BYTES) ||
	    time_chunk_init(&t->chunk[1], field, TIME_CHUNK_BYTES)) {
		time_chunk_free(&t->chunk[0]);
		free(t);
		return 0;
	}
	im->timed = t;
	return db_exec(im->db, TIME_ORDER_CACHE, err);
}

static void time_order_end(struct import *im)
{
	if (!im->timed)
		return;
	time_chunk_free(&im->timed->chunk[0]);
	time_chunk_free(&im->timed->chunk[1]);
	free(im->timed);
	im->timed = NULL;
}

/*
 * After a batch: the watched indexes (etl/indexes.h). Once the key's index
 * is set aside, the rest of the file is inserted without upsert.
 */
static int watch_indexes(struct import *im, const struct pm_batch *b, pm_error *err)
{
	struct pm_deferred *d = &im->deferred;

	if (!d->key.name)
		return 0;
	if (indexes_watch(im->db, d, b, err))
		return -1;
	if (!d->key.dropped || im->loader.insert_only)
		return 0;
	return loader_insert_only(&im->loader, err) || time_order_begin(im, err) ? -1 : 0;
}

/* Storing thread: a rejected record, kept with its line and reason. */
static int store_reject(struct import *im, const struct pm_batch *b,
			const struct pm_batch_item *item, pm_error *err)
{
	im->result->rejected++;
	return loader_reject(&im->loader, im->path, item->line, batch_text(b, item->raw_off),
			     item->raw_len, item->field, batch_text(b, item->reason_off),
			     batch_text(b, item->key_off), item->key_len, err);
}

/* Storing thread: the batch's rows and rejects as the file gives them. */
static int store_in_file_order(struct import *im, const struct pm_batch *b, pm_error *err)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct pm_batch_item *item = &b->items[i];

		if (item->rejected ? store_reject(im, b, item, err)
		    : (im->result->stored++, loader_add(&im->loader, &item->row, item->line, err)))
			return -1;
	}
	return 0;
}

/*
 * Storing thread, once the rows go in time order: the batch's rejects are
 * stored, its rows collected (store_chunk() stores them).
 */
static int collect_in_time_order(struct import *im, const struct pm_batch *b, pm_error *err)
{
	struct pm_time_chunk *c = &im->timed->chunk[im->timed->fill];
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct pm_batch_item *item = &b->items[i];

		if (item->rejected ? store_reject(im, b, item, err)
		    : (im->result->stored++, time_chunk_add(c, &item->row, item->line)
		       ? pm_fail(err, "out of memory") : 0))
			return -1;
	}
	return 0;
}

/* Storing thread: one batch into the database. */
static int store_batch(struct import *im, const struct pm_batch *b, pm_error *err)
{
	struct pm_import_result *r = im->result;

	if (!im->loader_open) {
		if (loader_open_fields(&im->loader, im->db, r->kind, r->run_id, fields_present(im),
				       err))
			return -1;
		im->loader_open = 1;
		if (loader_count(&im->loader, &im->rows_before, err))
			return -1;
		/*
		 * the key's index may go too, but not for a fee statement, whose
		 * bills look stored events up by key
		 */
		if (im->rows_before == 0 && r->size >= DEFER_INDEXES_BYTES &&
		    indexes_drop(im->db, &PM_KINDS[r->kind], !im->keep_key && !r->statement,
				 &im->deferred, err))
			return -1;
		if (r->kind == PM_FEES && fees_begin(im, err))
			return -1;
		if (r->statement && bills_open(&im->bills, im->db, err))
			return -1;
	}
	if (im->timed ? collect_in_time_order(im, b, err) : store_in_file_order(im, b, err))
		return -1;
	/* the rows live in the batch, which goes back to the reader */
	if (loader_flush(&im->loader, err))
		return -1;
	if (r->statement && bills_note(&im->bills, b, err))
		return -1;
	return watch_indexes(im, b, err);
}

/*
 * Builds the indexes set aside for the load. SQLite sorts the keys in
 * pieces of up to cache_size bytes written to temporary files: the page
 * cache shrinks to 2 MiB, since the load is done, and temporary files go
 * to disk (not memory), so that memory stays flat whatever the size. The
 * build reads the table in order and writes the index in order, so a
 * large cache buys it nothing, and 2 MiB pieces sort faster than 8 MiB
 * ones (they stay in the processor's cache): 2M fee events, paired runs,
 * 0.92x the CPU and 48 MB peak instead of 53 (docs/performance.md).
 * threads=1: each piece is sorted and written, and the pieces merged, by
 * a helper thread while this one reads the table and writes the index;
 * the reading thread is done with the file, so the helper has the second
 * core. The four files shuffled: this thread's CPU 16.5 -> 12.8 s, all
 * threads' 20.1 -> 22.3 s, peak 56 MB (docs/performance.md, "The import,
 * fifth pass"). The temporary files hold nothing needed after a crash:
 * the rollback journal undoes the drop and the load together.
 */
static int build_indexes(struct import *im, pm_error *err)
{
	if (db_exec(im->db, "PRAGMA cache_size=-2048; PRAGMA temp_store=FILE; PRAGMA threads=1",
		    err))
		return -1;
	return indexes_rebuild(im->db, &im->deferred, &im->key_repeated, err);
}

/*
 * Inserted rows are the growth of the table; the others that changed
 * something were updated, and the rest were already stored as they are.
 */
static int count_outcomes(struct import *im, pm_error *err)
{
	struct pm_import_result *r = im->result;
	int64_t rows_after;

	if (!im->loader_open)
		return 0;
	if (im->deferred.n && build_indexes(im, err))
		return -1;
	if (loader_count(&im->loader, &rows_after, err))
		return -1;
	r->inserted = rows_after - im->rows_before;
	r->updated = im->loader.changed - r->inserted;
	r->unchanged = r->stored - im->loader.changed;
	return 0;
}

/*
 * Storing thread: hands the batch at the queue's head back to the reader
 * (its rows are stored or copied); rc says whether storing failed.
 */
static void release_head(struct queue *q, int rc)
{
	pthread_mutex_lock(&q->lock);
	q->head = (q->head + 1) % SLOTS;
	q->count--;
	if (rc)
		q->stop = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

/*
 * Storing thread, rows in time order: collects the batches the reader has
 * ready while the filling chunk has room (store_chunk() calls it between
 * its statements, so that the reader is not held up while a chunk is
 * stored).
 */
static int collect_ready(struct import *im, pm_error *err)
{
	struct queue *q = &im->q;
	const struct pm_batch *b;
	int rc;

	for (;;) {
		if (time_chunk_full(&im->timed->chunk[im->timed->fill]))
			return 0;
		pthread_mutex_lock(&q->lock);
		b = q->count ? &q->slot[q->head] : NULL;
		pthread_mutex_unlock(&q->lock);
		if (!b)
			return 0;
		rc = collect_in_time_order(im, b, err);
		release_head(q, rc);
		if (rc)
			return -1;
	}
}

/*
 * Storing thread: the filled chunk's rows in time order, while the other
 * chunk collects what the reader converts meanwhile.
 */
static int store_chunk(struct import *im, pm_error *err)
{
	struct time_store *t = im->timed;
	struct pm_time_chunk *c = &t->chunk[t->fill];
	size_t i;

	time_chunk_sort(c);
	t->fill = !t->fill;
	for (i = 0; i < c->n; i++) {
		struct pm_row *row = &t->row[i % PM_LOAD_ROWS];
		int64_t line;

		time_chunk_row(c, i, row, &line);
		if (loader_add(&im->loader, row, line, err))
			return -1;
		if (im->loader.npending == 0 && collect_ready(im, err))
			return -1;
	}
	if (loader_flush(&im->loader, err))
		return -1;
	time_chunk_clear(c);
	return 0;
}

/*
 * Storing thread, once the reader is done: the rows still collected (unless
 * the file failed), and the chunks' memory given back before the index
 * builds take theirs.
 */
static int store_the_rest(struct import *im, pm_error *err)
{
	int rc = 0;

	if (im->timed && im->read_rc == 0 && im->timed->chunk[im->timed->fill].n)
		rc = store_chunk(im, err);
	time_order_end(im);
	return rc;
}

/* Storing thread: takes batches until the reader is done (or a failure). */
static int store_batches(struct import *im, pm_error *err)
{
	struct queue *q = &im->q;
	const struct pm_batch *b;
	int rc;

	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->count == 0 && !q->done)
			pthread_cond_wait(&q->changed, &q->lock);
		b = q->count ? &q->slot[q->head] : NULL;
		pthread_mutex_unlock(&q->lock);
		if (!b)
			return store_the_rest(im, err);
		rc = store_batch(im, b, err);
		release_head(q, rc);
		if (!rc && im->timed && time_chunk_full(&im->timed->chunk[im->timed->fill]))
			rc = store_chunk(im, err);
		if (rc) {
			pthread_mutex_lock(&q->lock);
			q->stop = 1;
			pthread_cond_broadcast(&q->changed);
			pthread_mutex_unlock(&q->lock);
			return -1;
		}
	}
}

/*
 * Reads the file in a second thread while this one stores what it has
 * converted: parsing and SQLite each take about half the time of a load,
 * so on two cores the import takes about as long as the slower of them.
 */
static int read_and_store(struct import *im, pm_error *err)
{
	pm_error store_err;
	pthread_t reader;
	int rc;

	store_err.msg[0] = '\0';
	if (queue_init(&im->q)) {
		queue_free(&im->q);
		return pm_fail(err, "out of memory");
	}
	if (pthread_create(&reader, NULL, reader_thread, im)) {
		queue_free(&im->q);
		return pm_fail(err, "cannot start a thread");
	}
	rc = store_batches(im, &store_err);
	pthread_join(reader, NULL);
	queue_free(&im->q);
	/* a storing failure stops the reader too, so it is the one to report */
	if (rc || (im->read_rc == 0 && count_outcomes(im, &store_err))) {
		snprintf(err->msg, sizeof(err->msg), "%s: %.900s", im->path, store_err.msg);
		return -1;
	}
	return im->read_rc ? -1 : 0;	/* if it failed, err says why */
}

/*
 * The ledger can be written from the events read (etl/fee_events.h): the
 * file went into an empty table, and every row it stored was inserted once
 * and noted (none updated, none left as it was, none removed).
 */
static int ledger_from_events(const struct import *im)
{
	const struct pm_import_result *r = im->result;

	return im->fee_events_open && im->fee_events.on && im->rows_before == 0 &&
	       !r->statement && r->updated == 0 && r->unchanged == 0 && r->removed == 0 &&
	       r->inserted == r->stored && r->inserted == im->fee_events.n;
}

/*
 * After a fees file: the derived fee_ledger (db/fee_ledger.h) rebuilt from
 * the table, if the file changed it or it was stale, and the triggers
 * store_batch() dropped put back; in the file's transaction, so a crash
 * leaves both the old fees and the old ledger, or both new.
 */
static int fees_done(struct import *im, pm_error *err)
{
	if (im->result->kind != PM_FEES || !im->loader_open || im->fee_ledger == FEES_NONE)
		return 0;
	if (im->fee_ledger == FEES_TOUCHED) {
		if (fee_ledger_track_end(im->db, err))
			return -1;
	} else if (im->fee_ledger_stale || im->loader.changed > 0 || im->result->removed > 0) {
		int written = ledger_from_events(im) ? fee_events_store(&im->fee_events, im->db, err)
			      : 0;

		if (written < 0 || (written == 0 && fee_ledger_rebuild(im->db, err)))
			return -1;
	}
	return fee_ledger_create_triggers(im->db, err);
}

/*
 * The rejects this import resolves (schema v4, db/schema.sql.h): every
 * open one of an earlier run of the same file -- the file was read again
 * and its rows either stored or rejected anew. A file is known by its
 * canonical path (the name given, for runs before v4) and by its content:
 * the same source, the same content, a source that once had this content
 * or a content this source once had (a copy of tickets.csv imported as
 * copy.csv, then tickets.csv fixed: the copy's rejects are the old file's).
 * And every open one of the same log whose key this
 * import stored (inserted or changed; a row stored unchanged keeps its
 * earlier run and does not count).
 */
static int resolve_rejects(struct import *im, const char *sha256, pm_error *err)
{
	static const char same_file[] =
		"UPDATE import_rejects SET resolved_by = ?1 WHERE resolved_by IS NULL AND run_id <> ?1"
		" AND run_id IN (SELECT run_id FROM import_runs WHERE source IN (?2, ?3) OR sha256 = ?4"
		"  OR (sha256 <> '' AND sha256 IN (SELECT sha256 FROM import_runs WHERE source IN (?2, ?3)))"
		"  OR source IN (SELECT source FROM import_runs WHERE sha256 = ?4 AND sha256 <> ''))";
	const struct pm_kind *k = &PM_KINDS[im->result->kind];
	char same_key[512];
	const char *sql[2] = { same_file, same_key };
	sqlite3_stmt *st;
	int i, rc = SQLITE_DONE;

	snprintf(same_key, sizeof(same_key),
		 "UPDATE import_rejects SET resolved_by = ?1 WHERE resolved_by IS NULL AND run_id <> ?1"
		 " AND record_key IS NOT NULL"
		 " AND run_id IN (SELECT run_id FROM import_runs WHERE kind = ?5)"
		 " AND EXISTS (SELECT 1 FROM %s WHERE %s = import_rejects.record_key AND import_run = ?1)",
		 k->name, k->fields[k->key].name);
	for (i = 0; i < 2 && rc == SQLITE_DONE; i++) {
		if (sqlite3_prepare_v2(im->db, sql[i], -1, &st, NULL))
			return db_error(im->db, err);
		sqlite3_bind_int64(st, 1, im->result->run_id);
		sqlite3_bind_text(st, 2, im->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, im->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, k->name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return rc == SQLITE_DONE ? 0 : db_error(im->db, err);
}

/*
 * A fee statement: the events its bills no longer show are removed, after
 * the file is stored and counted, before the fee ledger is brought up to
 * date (the removal is a change of fees like any other).
 */
static int replace_bills(struct import *im, pm_error *err)
{
	if (!im->result->statement || !im->bills.note)
		return 0;
	return bills_replace(&im->bills, &im->result->removed, err);
}

/* One transaction per file: after a crash the file is all there or absent. */
static int import_in_transaction(struct import *im)
{
	sqlite3 *db = im->db;
	pm_error *err = im->err;
	char sha[65];
	struct db_writeback *wb;

	if (db_exec(db, "BEGIN IMMEDIATE", err))
		return -1;
	wb = db_writeback_start(db);
	if (insert_run(im, "ok", "", err) || read_and_store(im, err) || replace_bills(im, err) ||
	    fees_done(im, err) ||
	    source_sha256(&im->src, sha, err) || finish_run(im, sha) ||
	    resolve_rejects(im, sha, err))
		goto rollback;
	release(im);
	if (db_exec(db, "COMMIT", err))
		goto rollback;
	db_writeback_stop(wb);
	return 0;
rollback:
	db_writeback_stop(wb);
	release(im);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (im->fee_ledger == FEES_TOUCHED)
		fee_ledger_track_drop(db);
	im->result->run_id = 0;
	if (im->failed)
		record_failed_run(im);
	return -1;
}

/*
 * Sets up im for one attempt at path; scanned: the encoding is decided
 * from the whole file, not tentatively from its first MiB.
 */
static int start(struct import *im, sqlite3 *db, const char *path,
		 const struct pm_import_options *opt, int scanned,
		 struct pm_import_result *result, pm_error *err)
{
	enum pm_encoding enc;

	memset(result, 0, sizeof(*result));
	memset(im, 0, sizeof(*im));
	atomic_init(&im->fee_events_wanted, 1);
	result->kind = named_kind(opt) == PM_FEE_STATEMENT ? PM_FEES : named_kind(opt);
	err->msg[0] = '\0';
	im->db = db;
	im->path = path;
	/* "tickets.csv" and "./tickets.csv" are one source; a path that cannot be resolved is its name */
	if (!realpath(path, im->source))
		snprintf(im->source, sizeof(im->source), "%s", path);
	im->opt = opt;
	im->result = result;
	im->err = err;
	enc = opt->encoding;
	if (enc == PM_ENC_AUTO && opt->map)
		enc = opt->map->encoding;
	if (scanned ? source_open_scanned(&im->src, path, err)
	    : source_open(&im->src, path, enc, err))
		return -1;
	result->size = im->src.size;
	result->encoding = im->src.encoding;
	return 0;
}

/* TRANSLATORS: %s is what the file seems to be ("a PDF document", ...) */
static const char NOT_TEXT[] = N_("not a CSV text file: this looks like %s");

int import_file(sqlite3 *db, const char *path, const struct pm_import_options *opt,
		struct pm_import_result *result, pm_error *err)
{
	struct import im;
	struct bulk_settings saved;
	struct timespec start_time;
	int rc = -1, scanned = 0;

	clock_gettime(CLOCK_MONOTONIC, &start_time);
	if (start(&im, db, path, opt, 0, result, err))
		goto done;
	if (im.src.not_text) {
		char msg[256];

		char shown[512];

		/* stored in English (reports translate it), shown whole in the user's language */
		snprintf(msg, sizeof(msg), NOT_TEXT, im.src.not_text);
		snprintf(shown, sizeof(shown), _(NOT_TEXT), _(im.src.not_text));
		file_error_shown(&im, NULL, NULL, msg, shown);
		record_failed_run(&im);
		goto done;
	}
	if (bulk_begin(db, &saved, err))
		goto done;
	rc = import_in_transaction(&im);
	if (rc && im.src.not_utf8) {
		/*
		 * Taken for UTF-8 from its first MiB, the file held invalid UTF-8
		 * further on: nothing of it was kept; decide from the whole file
		 * (docs/import.md) and import it again.
		 */
		scanned = 1;
		source_close(&im.src);
		rc = start(&im, db, path, opt, scanned, result, err) ? -1
			: import_in_transaction(&im);
	}
	if (rc && im.key_repeated) {
		/*
		 * Its keys in random order, the file was inserted without its key
		 * index, and it repeats a key: nothing of it was kept; import it
		 * again with the index, which stores the repeated rows as updates.
		 */
		source_close(&im.src);
		rc = -1;
		if (start(&im, db, path, opt, scanned, result, err) == 0) {
			im.keep_key = 1;
			rc = import_in_transaction(&im);
		}
	}
	bulk_end(db, &saved);
done:
	result->seconds = seconds_since(&start_time);
	source_close(&im.src);
	return rc;
}
