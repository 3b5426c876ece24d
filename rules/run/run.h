#ifndef PM_RULES_RUN_H
#define PM_RULES_RUN_H

/*
 * The run context shared by the rules engine's modules (rules/<module>/),
 * not by its callers (rules/engine/check.h): the run's read-only scope and
 * its mutable state. Every statement is prepared through ctx_prepare() (or,
 * on a read-ahead thread, reader_prepare()), which binds the run's common
 * named parameters wherever a statement uses them:
 *   :run :from :to :asof :site :pfrom :pto
 * (:pfrom/:pto bound the fee periods 'YYYY-MM' whose first day lies in
 * [from, to)). The rules' lists are read in C from the parsed rules file.
 */
#include <sqlite3.h>
#include "rules/ruleset/ruleset.h"
#include "rules/calendar/calendar.h"
#include "util/error.h"
#include "util/strtab.h"

struct fee_pass;
struct cb_pass;
struct find_records;
struct find_backlog;
struct backlog_pair;
struct letter_summary;
struct months_spec;

/* Where a run's results go (rules/results/results_sink.h). */
enum run_target {
	RUN_TARGET_MAIN,        /* the database's check_* tables */
	RUN_TARGET_SCRATCH      /* TEMP tables of the same names (check_scratch_open()) */
};

/*
 * The run's scope: what is judged -- the window [from, to), the as-of
 * time, the site (NULL: all), the fee periods of the window, the rules and
 * the calendar.
 *
 * Read-only by type. The engine fills it in (check_run(), check_trend(),
 * check_fees_by_site(): rules/engine/) before any part runs; after that
 * every part sees it only through a const pointer (check_ctx.scope), and so
 * does each read-ahead thread (rules/engine/preload.h), which gets that
 * pointer and its own connection and output, never the run's context. The
 * compiler refuses a write through it; what the pointers in it point to
 * (the window's texts, the parsed rules, the calendar) belongs to the
 * engine's caller or to the engine, and stays unchanged until the run has
 * joined its threads and returned.
 */
struct run_scope {
	const char *from, *to, *as_of, *site;
	char pfrom[16], pto[16];        /* the fee periods of [from, to): see reader_prepare() */
	const struct ruleset *rs;
	const struct calendar *cal;
	/* the open backlog counted with another run's (check_params.backlog_pair), or NULL */
	struct backlog_pair *backlog_pair;
};

/*
 * A check run as its parts see it on the run's own thread: its connection,
 * its scope (read-only, above), and two groups of state with one rule each.
 *
 * The sink -- where and how results are stored -- is read only by the
 * writers of rules/results/ (run_id is set once, when the run's row is
 * stored, before any part runs).
 *
 * The hand-offs are each written by one part and read by a later one, as
 * noted; the engine frees them when the run ends. No read-ahead thread
 * touches them: the engine moves a thread's results into them once it
 * has joined the thread.
 */
struct check_ctx {
	sqlite3 *db;                    /* the run's connection */
	const struct run_scope *scope;
	void (*profile)(const char *what, double seconds);

	/* the sink */
	sqlite3_int64 run_id;
	int keep_met;           /* check_params.keep_met: the met records are stored too */
	int figures_only;       /* check_params.figures_only: no check_records rows */
	int account_records_only; /* check_params.account_records_only: only 'account' rows */
	enum run_target target;
	struct writer_mem *writer_mem;  /* the record writers' memory, kept for the next (results_sink.h) */

	/* the hand-offs */
	sqlite3_int64 missing_start;    /* Q-MISSING-START's distinct records: records -> findings */
	struct fee_pass *fees;          /* the fee pass -> F-LETTER and the fee figures (rules/fees) */
	struct letter_summary *letters; /* F-LETTER -> the JSON summary (rules/engine/summary.c) */
	int nletters;
	struct find_records *records;   /* the engine (read ahead) or the findings -> the findings */
	struct cb_pass *callbacks_judged; /* the engine (read ahead) -> the findings */
	struct find_backlog *backlog;   /* the engine (read ahead) -> the findings */
	/* a trend's months, counted by the records pass too (rules/records/records.h); NULL: none */
	const struct months_spec *months;
};

/*
 * What a read-ahead thread reads with, and what the functions it calls
 * take: a connection (the thread's own) and the run's scope, read-only --
 * no way to the run's context. The run's thread makes one of its own
 * context with ctx_reader() to call the same functions.
 */
struct run_reader {
	sqlite3 *db;
	const struct run_scope *scope;
};

struct run_reader ctx_reader(const struct check_ctx *c);
/*
 * A statement on rd's connection with the scope's named parameters bound
 * wherever it uses them (:from :to :asof :site :pfrom :pto). ctx_prepare()
 * is this and :run.
 */
int reader_prepare(const struct run_reader *rd, const char *sql, sqlite3_stmt **st,
		   pm_error *err);

/* sqlite3_exec with the message in err. */
int db_exec_plain(struct check_ctx *c, const char *sql, pm_error *err);
/*
 * A read transaction around c's reads (every figure from the same data),
 * or, inside a caller's transaction (a report's), a savepoint of it named
 * savepoint; *nested says which, for ctx_read_end(). 0, or -1 with err.
 */
int ctx_read_begin(struct check_ctx *c, const char *savepoint, int *nested, pm_error *err);
void ctx_read_end(struct check_ctx *c, const char *savepoint, int nested, int failed);
int ctx_prepare(struct check_ctx *c, const char *sql, sqlite3_stmt **st, pm_error *err);
/* Binds a text value to a named parameter if the statement has it. */
void ctx_bind_text(sqlite3_stmt *st, const char *name, const char *value);
void ctx_bind_int(sqlite3_stmt *st, const char *name, sqlite3_int64 value);
/* Steps a statement to completion and finalizes it. */
int ctx_finish(struct check_ctx *c, sqlite3_stmt *st, pm_error *err);
/* Prepares, binds :rule (may be NULL), runs and finalizes. */
int ctx_run(struct check_ctx *c, const char *sql, const char *rule_id, pm_error *err);
/* Runs a query returning one integer (NULL -> 0). */
int ctx_int(struct check_ctx *c, const char *sql, const char *rule_id,
	    sqlite3_int64 *out, pm_error *err);

/*
 * How the rows of a window lie in their table, for the choice between range
 * scans of a timestamp's index, which look each row up in the table, and
 * one scan of the whole table (rules/run/range_spread.c; used by
 * rules/records/eval_scan.c and rules/findings/find_records.c). A table is
 * counted in blocks of 16 rowids (a page holds 25 of the benchmark's
 * tickets); a table of fewer than RUN_MIN_BLOCKS is read either way at no
 * cost. Rows stored in time order put a window's rows on few blocks (1/16
 * to 1/2 of a block each); rows in any other order (shuffled, by site,
 * newest first) on a block each.
 */
#define RUN_BLOCK_SHIFT 4
#define RUN_SAMPLE 4096
#define RUN_MIN_BLOCKS 64

/* The table's rows (its largest rowid: rows are never deleted) and blocks. */
int run_table_blocks(sqlite3 *db, const char *table, sqlite3_int64 *rows, sqlite3_int64 *blocks,
		     pm_error *err);
/*
 * *per_row: the blocks the first RUN_SAMPLE rows of the range [lower, upper)
 * of field ([lower, upper] if upper_inclusive), also <= as_of, lie on, per
 * row (0 for an empty range): about the blocks a range scan of n such rows
 * looks up, n * *per_row.
 */
int run_range_spread(sqlite3 *db, const char *table, const char *field, const char *lower,
		     const char *upper, int upper_inclusive, const char *as_of, double *per_row,
		     pm_error *err);


#endif
