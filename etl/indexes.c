/*
 * Which secondary indexes a large load sets aside, and when: see
 * etl/indexes.h for the policy, docs/performance.md for the measurements.
 */
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "etl/batch.h"
#include "etl/indexes.h"
#include "etl/kinds.h"
#include "util/civil.h"

/* days from 1970-01-01 counted per watched index; later keys count as the last */
#define WATCH_DAYS 84100
/* every how many rows of a batch a key is sampled for its spread */
#define WATCH_SAMPLE_EVERY 16
/*
 * Index entries that inserts may spread over and still find their pages in
 * the load's page cache: 2^17 timestamp entries are about 1,000 pages of
 * the 8,192 a 32 MiB cache holds, beside the table's growing end, the key
 * index and up to two other watched indexes.
 */
#define WATCH_NEAR_ENTRIES (1 << 17)
/* batches in a row spread that wide before the index is set aside */
#define WATCH_WIDE_BATCHES 4

static int led_by_timestamp(const struct pm_kind *kind, const char *column)
{
	int f = column ? kind_field_index(kind, column) : -1;

	return f >= 0 && (kind->fields[f].type == PM_TIMESTAMP ||
			  kind->fields[f].type == PM_TIMESTAMP_EOD);
}

/* Watches index name (sql) led by field; if memory is short it is simply kept. */
static void watch(struct pm_deferred *d, const char *name, const char *sql, int field)
{
	struct pm_watched *w = &d->watched[d->nwatched];

	if (d->nwatched == PM_MAX_WATCHED)
		return;
	w->name = strdup(name);
	w->sql = strdup(sql);
	w->per_day = calloc(WATCH_DAYS, sizeof(*w->per_day));
	w->field = field;
	w->wide_batches = 0;
	if (!w->name || !w->sql || !w->per_day) {
		free(w->name);
		free(w->sql);
		free(w->per_day);
		return;
	}
	d->nwatched++;
}

/* Watches the key's unique index (name, sql); if memory is short it is simply kept. */
static void watch_key(struct pm_deferred *d, const char *name, const char *sql, int field)
{
	struct pm_key_watch *k = &d->key;

	k->name = strdup(name);
	k->sql = strdup(sql);
	k->field = field;
	if (!k->name || !k->sql) {
		free(k->name);
		free(k->sql);
		k->name = k->sql = NULL;
	}
}

int indexes_drop(sqlite3 *db, const struct pm_kind *kind, int watch_the_key,
		 struct pm_deferred *d, pm_error *err)
{
	sqlite3_stmt *stmt;
	char *names[PM_MAX_DEFERRED];
	int i, n = 0, rc;

	memset(d, 0, sizeof(*d));
	/* autoindexes (a PRIMARY KEY's) have no SQL and are not listed */
	if (sqlite3_prepare_v2(db, "SELECT s.name, s.sql, (SELECT i.name FROM pragma_index_info(s.name) i"
			       " WHERE i.seqno = 0), (SELECT l.\"unique\" FROM pragma_index_list(?1) l"
			       " WHERE l.name = s.name) FROM sqlite_schema s WHERE s.type = 'index'"
			       " AND s.tbl_name = ?1 AND s.sql IS NOT NULL ORDER BY s.name", -1, &stmt,
			       NULL))
		return db_error(db, err);
	sqlite3_bind_text(stmt, 1, kind->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < PM_MAX_DEFERRED) {
		const char *lead = (const char *)sqlite3_column_text(stmt, 2);

		/* a unique index finds repeated keys: only the key's, watched, may go */
		if (sqlite3_column_int(stmt, 3)) {
			if (watch_the_key && lead && kind_field_index(kind, lead) == kind->key)
				watch_key(d, (const char *)sqlite3_column_text(stmt, 0),
					  (const char *)sqlite3_column_text(stmt, 1), kind->key);
			continue;
		}
		if (led_by_timestamp(kind, lead)) {
			watch(d, (const char *)sqlite3_column_text(stmt, 0),
			      (const char *)sqlite3_column_text(stmt, 1), kind_field_index(kind, lead));
			continue;
		}
		names[n] = sqlite3_mprintf("DROP INDEX \"%w\"", sqlite3_column_text(stmt, 0));
		d->sql[n] = strdup((const char *)sqlite3_column_text(stmt, 1));
		if (!names[n] || !d->sql[n]) {
			sqlite3_free(names[n]);
			free(d->sql[n]);
			break;
		}
		n++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		for (i = 0; i < n; i++) {
			sqlite3_free(names[i]);
			free(d->sql[i]);
		}
		d->n = 0;
		return rc == SQLITE_ROW ? pm_fail(err, "too many indexes on %s", kind->name)
			: db_error(db, err);
	}
	d->n = n;
	rc = 0;
	for (i = 0; i < n; i++) {
		if (rc == 0 && db_exec(db, names[i], err))
			rc = -1;
		sqlite3_free(names[i]);
	}
	return rc;
}

/* Two digits at s as a number, or -1. */
static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + s[1] - '0';
}

/*
 * Seconds since 1970 of a stored timestamp ('YYYY-MM-DD HH:MM:SS', or a
 * bare date), clamped to the days counted; -1 for NULL or anything else.
 */
static int64_t key_seconds(const struct pm_value *v)
{
	int c, y, m, d, hh = 0, mm = 0, ss = 0;
	int64_t day;

	if (v->tag != PM_STR || (v->n != 10 && v->n < 19))
		return -1;
	c = two_digits(v->s);
	y = two_digits(v->s + 2);
	m = two_digits(v->s + 5);
	d = two_digits(v->s + 8);
	if (v->n >= 19) {
		hh = two_digits(v->s + 11);
		mm = two_digits(v->s + 14);
		ss = two_digits(v->s + 17);
	}
	if (c < 0 || y < 0 || m < 1 || m > 12 || d < 1 || d > 31 || hh < 0 || mm < 0 || ss < 0)
		return -1;
	day = civil_days(c * 100 + y, m, d);
	if (day < 0)
		day = 0;
	if (day >= WATCH_DAYS)
		day = WATCH_DAYS - 1;
	return day * 86400 + hh * 3600 + mm * 60 + ss;
}

/* Keys stored between lo and hi seconds, counting a day's keys as spread evenly over it. */
static double entries_between(const int *per_day, int64_t lo, int64_t hi)
{
	int64_t lo_day = lo / 86400, hi_day = hi / 86400, day;
	double lo_frac = (double)(lo % 86400) / 86400, hi_frac = (double)(hi % 86400) / 86400;
	double n;

	if (lo_day == hi_day)
		return per_day[lo_day] * (hi_frac - lo_frac);
	n = per_day[lo_day] * (1 - lo_frac) + per_day[hi_day] * hi_frac;
	for (day = lo_day + 1; day < hi_day; day++)
		n += per_day[day];
	return n;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * How many stored keys lie between the batch's 5th and 95th percentile
 * keys (sampled): the part of the index its inserts touch. In time order
 * that is a few hours' worth (or a few days' for a completion time); in
 * random order, everything stored so far. Then counts the batch's keys.
 */
static double batch_spread(struct pm_watched *w, const struct pm_batch *b)
{
	int64_t sample[PM_BATCH_ROWS / WATCH_SAMPLE_EVERY + 1], secs;
	size_t i, n = 0;
	double spread = 0;

	for (i = 0; i < b->n; i += WATCH_SAMPLE_EVERY)
		if (!b->items[i].rejected &&
		    (secs = key_seconds(&b->items[i].row.value[w->field])) >= 0)
			sample[n++] = secs;
	if (n >= 8) {
		qsort(sample, n, sizeof(*sample), cmp_int64);
		spread = entries_between(w->per_day, sample[n / 20], sample[n - 1 - n / 20]);
	}
	for (i = 0; i < b->n; i++)
		if (!b->items[i].rejected &&
		    (secs = key_seconds(&b->items[i].row.value[w->field])) >= 0)
			w->per_day[secs / 86400]++;
	return spread;
}

static void unwatch(struct pm_watched *w)
{
	free(w->name);
	free(w->sql);
	free(w->per_day);
	w->name = w->sql = NULL;
	w->per_day = NULL;
}

/* Keys compared as SQLite's BINARY collation compares texts. */
static int key_cmp(const struct pm_value *a, const struct pm_value *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->s, b->s, n) : 0;

	return c ? c : (a->n > b->n) - (a->n < b->n);
}

/*
 * Whether the batch's keys come in random order: at least a quarter of its
 * rows' keys fall below the key of the row before and a quarter above it.
 * Keys in order go up from row to row, newest first down; either way each
 * goes to the index's edge, where the last one went. Shuffled, or sorted
 * by anything else, they go both ways, each to a page of its own.
 */
static int keys_disordered(const struct pm_key_watch *k, const struct pm_batch *b)
{
	const struct pm_value *prev = NULL;
	size_t i, up = 0, down = 0;

	for (i = 0; i < b->n; i++) {
		const struct pm_value *v = &b->items[i].row.value[k->field];
		int c;

		if (b->items[i].rejected || v->tag != PM_STR)
			continue;
		if (prev && (c = key_cmp(prev, v)) != 0)
			*(c < 0 ? &up : &down) += 1;
		prev = v;
	}
	return up + down >= 64 && (up < down ? up : down) * 4 > up + down;
}

/* Drops the index name for the build at the end (sql its definition, now d's). */
static int set_aside(sqlite3 *db, struct pm_deferred *d, const char *name, char *sql,
		     pm_error *err)
{
	char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", name);
	int rc;

	if (!drop)
		return pm_fail(err, "out of memory");
	rc = db_exec(db, drop, err);
	sqlite3_free(drop);
	if (rc)
		return -1;
	d->sql[d->n++] = sql;
	return 0;
}

/* The key's index, dropped after WATCH_WIDE_BATCHES batches in a row of keys in random order. */
static int watch_key_order(sqlite3 *db, struct pm_deferred *d, const struct pm_batch *b,
			   pm_error *err)
{
	struct pm_key_watch *k = &d->key;

	if (!k->name || k->dropped)
		return 0;
	if (!keys_disordered(k, b)) {
		k->disordered_batches = 0;
		return 0;
	}
	if (++k->disordered_batches < WATCH_WIDE_BATCHES || d->n == PM_MAX_DEFERRED)
		return 0;
	if (set_aside(db, d, k->name, k->sql, err))
		return -1;
	k->sql = NULL;
	k->dropped = 1;
	return 0;
}

int indexes_watch(sqlite3 *db, struct pm_deferred *d, const struct pm_batch *b, pm_error *err)
{
	int i;

	for (i = 0; i < d->nwatched; i++) {
		struct pm_watched *w = &d->watched[i];

		if (!w->name)
			continue;
		if (batch_spread(w, b) <= WATCH_NEAR_ENTRIES) {
			w->wide_batches = 0;
			continue;
		}
		if (++w->wide_batches < WATCH_WIDE_BATCHES || d->n == PM_MAX_DEFERRED)
			continue;
		if (set_aside(db, d, w->name, w->sql, err))
			return -1;
		w->sql = NULL;
		unwatch(w);
	}
	return watch_key_order(db, d, b, err);
}

int indexes_rebuild(sqlite3 *db, struct pm_deferred *d, int *key_repeated, pm_error *err)
{
	int i;

	*key_repeated = 0;
	for (i = 0; i < d->n; i++)
		if (db_exec(db, d->sql[i], err)) {
			*key_repeated = d->key.dropped &&
				sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE;
			return -1;
		}
	return 0;
}

void indexes_free(struct pm_deferred *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		free(d->sql[i]);
	d->n = 0;
	for (i = 0; i < d->nwatched; i++)
		unwatch(&d->watched[i]);
	d->nwatched = 0;
	free(d->key.name);
	free(d->key.sql);
	memset(&d->key, 0, sizeof(d->key));
}
