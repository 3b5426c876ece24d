#ifndef PM_EVAL_CALLBACKS_H
#define PM_EVAL_CALLBACKS_H

#include <sqlite3.h>
#include "rules/records/cb_keys.h"
#include "util/strtab.h"
#include "util/error.h"

/*
 * The callbacks a rule can count, in memory: those with callback_at in
 * [from, as_of]. A callback counts for a record when it is at or after the
 * record's start (or event), which lies at or after from, and by the as-of
 * time, so no other callback can. Looked up by (ref_kind, ref_id); each
 * record's callbacks are sorted by callback_at (text order, as SQL's min()).
 */
enum cb_kind { CB_TICKET, CB_COMPLAINT };

/*
 * A callback's role when the callback was never given one: every file that
 * wrote it lacked a role column (callbacks.fields, schema v6). Unlike NULL
 * (the column was there, the cell empty: no role) nobody knows who called.
 */
#define CB_ROLE_UNKNOWN (-2)

/*
 * A callback of a record: its time kept in the hit itself when it fits (a
 * 'YYYY-MM-DD HH:MM:SS' does), so that the record's look-up and the
 * comparisons of its callbacks' times read one line of memory.
 */
#define CB_AT_INLINE 20

struct cb_hit {
	const char *at;         /* text, or a copy of it in cb_map.texts */
	int role;               /* number in cb_map.roles, -1 for NULL, CB_ROLE_UNKNOWN */
	char text[CB_AT_INLINE];
};

struct cb_map {
	struct cb_keys ids[2];  /* ref_id by kind: where its hits lie */
	struct strtab texts;    /* the callbacks' times, the long ids */
	struct strtab roles;
	struct cb_hit *hits[2]; /* each id's together, in time order */
	size_t hits_mapped[2];  /* bytes of hits' region (bigmem_map()), 0: malloc() */
	long long count;
};

int cb_map_load(sqlite3 *db, const char *from, const char *as_of, int want_roles,
		struct cb_map *m, pm_error *err);
void cb_map_free(struct cb_map *m);

/*
 * Asks the processor for the line of memory where id's record would be,
 * some work before cb_map_find() reads it (the records pass: before the
 * row's other columns are read).
 */
void cb_map_prefetch(const struct cb_map *m, enum cb_kind kind, const char *id);
/* The callbacks of a record (n = 0: none). */
const struct cb_hit *cb_map_find(const struct cb_map *m, enum cb_kind kind, const char *id,
				 int *n);

/* The index of the first of hits[0..n) at or after t, n if none. */
int cb_first_from(const struct cb_hit *hits, int n, const char *t);

#endif
