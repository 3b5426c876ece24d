#ifndef PM_RULES_RESULTS_SINK_H
#define PM_RULES_RESULTS_SINK_H

/*
 * The one sink for a run's results: every row of the check_* tables a run
 * stores goes through these functions (results_rules.c: a rule's rows and
 * check_records; results_store.c: weeks and figures), to the run's
 * target (c->target: the database's tables, or a scratch run's TEMP
 * tables, results_scratch.c). Every check_records row -- the per-record
 * rules', the findings', F-AGING's and F-LETTER's -- goes through the one
 * record writer (record_writer_put()), and the run mode is decided there:
 * in a figures-only run (c->figures_only) the writer has no statement and
 * only counts the rows, so no part needs to know the mode. A rate is
 * computed in one place, results_rate() (results.h, shared with the readers).
 */
#include "rules/results/results.h"
#include "rules/run/run.h"
#include "util/buf.h"
#include "util/jsonbuf.h"
#include "util/strtab.h"

struct site_count {
	sqlite3_int64 met, breached, pending, unknown, seen;  /* seen: every record evaluated */
};

/*
 * One check_records row; NULL text and has_late = 0 store NULL. The amount
 * is a value as read (amount), or cents (has_cents), or NULL.
 */
struct record_row {
	const char *rule_id, *kind, *id, *site, *start, *deadline, *end, *status, *detail;
	int has_late;
	sqlite3_int64 late;
	sqlite3_value *amount;
	int has_cents;
	sqlite3_int64 cents;
};

/*
 * Rows are kept (copied into text) and stored later, up to WRITER_CHUNK
 * rows at a time, ordered by (rule_id, status) and in the order put within
 * each, RECORD_SET_ROWS of a group to a check_record_sets row (schema
 * version 10, db/schema.sql.h): a run stores a set, one b-tree entry, for
 * every thousand records instead of a table row and an index entry for
 * each, and the view check_records gives each rule's and status's rows in
 * the same order as the old index did (docs/performance.md).
 */
#define RECORD_SET_ROWS 1000
#define WRITER_TEXTS 9
#define WRITER_CHUNK 524288
/* the pending rows' texts: 256 bytes a row on average before a chunk is stored early */
#define WRITER_TEXT_BYTES ((size_t)WRITER_CHUNK * 256)

struct writer_row {
	unsigned off[WRITER_TEXTS];     /* the texts: offsets into text */
	int len[WRITER_TEXTS];          /* their lengths in bytes; -1: NULL */
	int has_late, has_cents;
	int group;                      /* index into groups: its (rule_id, status) */
	sqlite3_int64 late, cents;
	sqlite3_value *amount;
};

struct writer_group {
	char *rule_id, *status;         /* "" for NULL (the INSERT then fails as it did) */
};

/*
 * The pending rows and their texts live in two regions mapped at their
 * full size when the first row is kept (util/bigmem.h): they never move,
 * so filling them copies nothing, and they come in huge pages, so filling
 * a chunk's ~100 MB takes a few dozen page faults instead of ~25,000 --
 * which, with the run's read-ahead threads, each cost a TLB shootdown on
 * the other core (docs/performance.md). A closed writer leaves them to the
 * run's next one (c->writer_mem): a page is zeroed by the kernel once a run,
 * not once a writer. results_sink_free() unmaps them when the run ends.
 */
struct record_writer {
	struct check_ctx *c;            /* the run, whose writer_mem a closed writer leaves its regions in */
	sqlite3_stmt *st;               /* stores a set */
	struct jsonbuf set;             /* the set being made: a JSON array of records */
	sqlite3_int64 rows;             /* rows put, stored or not yet */
	int pending;
	struct writer_row *row;         /* WRITER_CHUNK pending rows (mapped) */
	int *order;                     /* scratch: the pending rows in storing order (same map) */
	char *text;                     /* the pending rows' texts, WRITER_TEXT_BYTES (mapped) */
	size_t text_len;
	struct writer_group *groups;    /* the (rule_id, status) pairs seen, ngroups */
	int ngroups, last_group;
};

/*
 * check_figures: an integer figure; a rate (den == 0 stores NULL). The key
 * is the figure's in the one table of keys (results.h results_figure_key()),
 * which the reports read through.
 */
int ctx_figure_int(struct check_ctx *c, enum results_figure f, sqlite3_int64 v, pm_error *err);
int ctx_figure_rate(struct check_ctx *c, enum results_figure f, sqlite3_int64 num,
		    sqlite3_int64 den, pm_error *err);
/*
 * Figure f of one site, "<key>/<site>" (results_site_figure_key()): an
 * integer; a rate. Through one statement kept open: a run may store a
 * dozen figures for each of 100,000 sites.
 */
struct site_figures {
	struct check_ctx *c;
	sqlite3_stmt *st;
	char *key;
	size_t cap;
};

int site_figures_open(struct check_ctx *c, struct site_figures *w, pm_error *err);
int site_figure_int(struct site_figures *w, const char *site, enum results_figure f,
		    sqlite3_int64 v, pm_error *err);
int site_figure_rate(struct site_figures *w, const char *site, enum results_figure f,
		     sqlite3_int64 num, sqlite3_int64 den, pm_error *err);
void site_figures_close(struct site_figures *w);
/* One fee item's due, paid and collection rate (results_fee_item_key()). */
int ctx_fee_item_figures(struct check_ctx *c, const char *item, sqlite3_int64 due,
			 sqlite3_int64 paid, pm_error *err);

/*
 * One check_rule_results row for a rule from its counts: met of met +
 * breached is its rate; met, breached and pending are stored for a kind
 * whose table row says counted. A weekly rule's row comes from its weeks
 * instead: store_weekly_result().
 */
int check_rule_result_counts(struct check_ctx *c, const struct rule *r, sqlite3_int64 met,
			     sqlite3_int64 breached, sqlite3_int64 pending, pm_error *err);
/* The rule's unknown count (records lacking a field it needs), after its row is stored. */
int store_rule_unknown(struct check_ctx *c, const struct rule *r, sqlite3_int64 unknown,
		       pm_error *err);
int store_weekly_result(struct check_ctx *c, const struct rule *r, int nweeks,
			const sqlite3_int64 *num, const sqlite3_int64 *den, pm_error *err);

/*
 * Scratch runs (rules/engine/check.h check_scratch_open(), check_run_copy()):
 * TEMP tables named and shaped as the run tables, and the copy of a run
 * from them into the database. The tables are one list, RESULTS_TABLES.
 */
int results_scratch_open(sqlite3 *scratch, pm_error *err);
int results_run_copy(sqlite3 *scratch, sqlite3_int64 from_run, sqlite3 *db,
		     sqlite3_int64 *to_run, pm_error *err);
/* The run's target for the connection c->db (c->target), checked against its tables. */
int results_target(struct check_ctx *c, pm_error *err);

int record_writer_open(struct check_ctx *c, struct record_writer *w, pm_error *err);
int record_writer_put(struct check_ctx *c, struct record_writer *w, const struct record_row *row,
		      pm_error *err);
/* Stores the rows still pending; call before anything reads check_records. */
int record_writer_flush(struct check_ctx *c, struct record_writer *w, pm_error *err);
void record_writer_close(struct record_writer *w);
/* The memory the run's writers kept (c->writer_mem); when the run ends. */
void results_sink_free(struct check_ctx *c);

/* check_weeks: week i has num[i] called back of den[i]. */
int store_weeks(struct check_ctx *c, const struct rule *r, char (*labels)[16], int nweeks,
		const sqlite3_int64 *num, const sqlite3_int64 *den, pm_error *err);

/* check_site_results: one row per site (number in sites) the rule saw records of. */
int store_site_results(struct check_ctx *c, const struct rule *r, const struct strtab *sites,
		       const struct site_count *counts, int ncounts, pm_error *err);

#endif
