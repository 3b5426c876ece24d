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
/* sampled keys kept per watched index (halved when reached), and fewest to judge by */
#define SAMPLE_MAX 2048
#define SAMPLE_MIN 64
/* bytes of an encoded key kept (a prefix orders as the key, or as a tie) */
#define SAMPLE_KEY_BYTES 120

static int led_by_timestamp(const struct pm_kind *kind, const char *column)
{
	int f = column ? kind_field_index(kind, column) : -1;

	return f >= 0 && (kind->fields[f].type == PM_TIMESTAMP ||
			  kind->fields[f].type == PM_TIMESTAMP_EOD);
}

/* Watches index name (sql) in d; if memory is short it is simply kept. */
static struct pm_watched *watch(struct pm_deferred *d, const char *name, const char *sql)
{
	struct pm_watched *w = &d->watched[d->nwatched];

	if (d->nwatched == PM_MAX_WATCHED)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->name = strdup(name);
	w->sql = strdup(sql);
	if (!w->name || !w->sql) {
		free(w->name);
		free(w->sql);
		return NULL;
	}
	d->nwatched++;
	return w;
}

static void unwatch(struct pm_watched *w)
{
	int i;

	free(w->name);
	free(w->sql);
	free(w->per_day);
	for (i = 0; i < w->nsample; i++)
		free(w->sample[i]);
	free(w->sample);
	w->name = w->sql = NULL;
	w->per_day = NULL;
	w->sample = NULL;
	w->nsample = 0;
}

/* A watched index led by timestamp field: keys counted per day. */
static void watch_days(struct pm_deferred *d, const char *name, const char *sql, int field)
{
	struct pm_watched *w = watch(d, name, sql);

	if (!w)
		return;
	w->field = field;
	if (!(w->per_day = calloc(WATCH_DAYS, sizeof(*w->per_day)))) {
		unwatch(w);
		d->nwatched--;
	}
}

/* A watched index on columns[0..n): a sample of its keys. */
static void watch_keys(struct pm_deferred *d, const char *name, const char *sql,
		       const int *columns, int n)
{
	struct pm_watched *w = watch(d, name, sql);

	if (!w)
		return;
	memcpy(w->columns, columns, (size_t)n * sizeof(*columns));
	w->ncolumns = n;
	if (!(w->sample = calloc(SAMPLE_MAX, sizeof(*w->sample)))) {
		unwatch(w);
		d->nwatched--;
	}
}

/*
 * The index's columns as fields of kind, in order: their number, or -1 if
 * one is not a field (an expression, import_run) or there are too many.
 */
static int index_columns(sqlite3 *db, const struct pm_kind *kind, const char *index, int *columns,
			 pm_error *err)
{
	sqlite3_stmt *stmt;
	int n = 0, rc;

	if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", -1,
			       &stmt, NULL)) {
		db_error(db, err);
		return -2;
	}
	sqlite3_bind_text(stmt, 1, index, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		int f = name ? kind_field_index(kind, name) : -1;

		if (f < 0 || n == PM_WATCH_COLUMNS) {
			n = -1;
			break;
		}
		columns[n++] = f;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(db, err);
		return -2;
	}
	return n;
}

/*
 * Keeps index name (sql) of kind's table while loading, watched (returns 1),
 * or leaves it to be dropped (0); -1 on a database error.
 */
static int watch_index(sqlite3 *db, const struct pm_kind *kind, struct pm_deferred *d,
		       const char *name, const char *sql, const char *lead, int partial,
		       pm_error *err)
{
	int columns[PM_WATCH_COLUMNS], n, before = d->nwatched;

	if (led_by_timestamp(kind, lead)) {
		watch_days(d, name, sql, kind_field_index(kind, lead));
		return 1;	/* watched, or kept if memory is short */
	}
	/* a partial index's keys are not all the rows' */
	if (partial)
		return 0;
	if ((n = index_columns(db, kind, name, columns, err)) == -2)
		return -1;
	if (n < 1)
		return 0;
	watch_keys(d, name, sql, columns, n);
	return d->nwatched > before;
}

int indexes_drop(sqlite3 *db, const struct pm_kind *kind, struct pm_deferred *d, pm_error *err)
{
	sqlite3_stmt *stmt;
	char *names[PM_MAX_DEFERRED];
	int i, n = 0, rc;

	memset(d, 0, sizeof(*d));
	/* autoindexes (the key's) have no SQL and are not listed */
	if (sqlite3_prepare_v2(db, "SELECT s.name, s.sql, (SELECT i.name FROM pragma_index_info(s.name) i"
			       " WHERE i.seqno = 0), (SELECT l.partial FROM pragma_index_list(?1) l"
			       " WHERE l.name = s.name) FROM sqlite_schema s WHERE s.type = 'index'"
			       " AND s.tbl_name = ?1 AND s.sql IS NOT NULL ORDER BY s.name", -1, &stmt,
			       NULL))
		return db_error(db, err);
	sqlite3_bind_text(stmt, 1, kind->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < PM_MAX_DEFERRED) {
		const char *lead = (const char *)sqlite3_column_text(stmt, 2);
		int watched = watch_index(db, kind, d, (const char *)sqlite3_column_text(stmt, 0),
					  (const char *)sqlite3_column_text(stmt, 1), lead,
					  sqlite3_column_int(stmt, 3), err);

		if (watched < 0) {
			rc = SQLITE_ERROR;
			break;
		}
		if (watched)
			continue;
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

/*
 * The key of row for index w, encoded so that memcmp orders two keys as
 * SQLite orders the index (BINARY collation: NULL, then integers, then
 * text by bytes, a prefix first), cut at SAMPLE_KEY_BYTES; out[0] is its
 * length. Text holds no NUL (the reader refuses it), so NUL ends a text.
 */
static void encode_key(const struct pm_watched *w, const struct pm_row *row, unsigned char *out)
{
	unsigned char key[SAMPLE_KEY_BYTES + 16 + PM_WATCH_COLUMNS * 10];
	size_t n = 0, len;
	int c, b;

	for (c = 0; c < w->ncolumns && n < SAMPLE_KEY_BYTES; c++) {
		const struct pm_value *v = &row->value[w->columns[c]];

		if (v->tag == PM_INT) {
			uint64_t u = (uint64_t)v->i ^ UINT64_C(0x8000000000000000);

			key[n++] = 1;
			for (b = 7; b >= 0; b--)
				key[n++] = (unsigned char)(u >> (b * 8));
		} else if (v->tag == PM_STR) {
			len = v->n < SAMPLE_KEY_BYTES ? v->n : SAMPLE_KEY_BYTES;
			key[n++] = 2;
			memcpy(key + n, v->s, len);
			n += len;
			key[n++] = 0;
		} else {
			key[n++] = 0;
		}
	}
	if (n > SAMPLE_KEY_BYTES)
		n = SAMPLE_KEY_BYTES;
	out[0] = (unsigned char)n;
	memcpy(out + 1, key, n);
}

static int cmp_key(const unsigned char *a, const unsigned char *b)
{
	int r = memcmp(a + 1, b + 1, a[0] < b[0] ? a[0] : b[0]);

	return r ? r : (int)a[0] - (int)b[0];
}

static int cmp_key_ptr(const void *a, const void *b)
{
	return cmp_key(*(unsigned char *const *)a, *(unsigned char *const *)b);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Sampled keys before key. */
static int sample_rank(const struct pm_watched *w, const unsigned char *key)
{
	int lo = 0, hi = w->nsample;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (cmp_key(w->sample[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Adds the sorted keys[0..n) to the sample (taking them); a full sample
 * keeps every other key, so it stays spread evenly over the keys stored.
 */
static void sample_add(struct pm_watched *w, unsigned char **keys, int n)
{
	unsigned char *merged[SAMPLE_MAX];
	int i = 0, j = 0, m = 0;

	if (w->nsample + n > SAMPLE_MAX) {
		for (i = 0; i < w->nsample; i++)
			if (i % 2)
				free(w->sample[i]);
			else
				w->sample[i / 2] = w->sample[i];
		w->nsample = (w->nsample + 1) / 2;
		i = 0;
	}
	while (i < w->nsample || j < n)
		if (j == n || (i < w->nsample && cmp_key(w->sample[i], keys[j]) <= 0))
			merged[m++] = w->sample[i++];
		else
			merged[m++] = keys[j++];
	memcpy(w->sample, merged, (size_t)m * sizeof(*merged));
	w->nsample = m;
}

/*
 * How many stored keys lie between the batch's 5th and 95th percentile
 * keys (sampled), estimated from their ranks in the sample of the keys
 * stored before; then adds the batch's sampled keys to the sample.
 */
static double batch_spread_keys(struct pm_watched *w, const struct pm_batch *b)
{
	unsigned char *keys[PM_BATCH_ROWS / WATCH_SAMPLE_EVERY + 1];
	int rank[PM_BATCH_ROWS / WATCH_SAMPLE_EVERY + 1];
	double spread = 0;
	size_t i;
	int n = 0, k, distinct;

	for (i = 0; i < b->n; i += WATCH_SAMPLE_EVERY) {
		if (b->items[i].rejected)
			continue;
		if (!(keys[n] = malloc(SAMPLE_KEY_BYTES + 1)))
			break;
		encode_key(w, &b->items[i].row, keys[n]);
		rank[n] = sample_rank(w, keys[n]);
		n++;
	}
	if (n >= 8 && w->nsample >= SAMPLE_MIN) {
		qsort(rank, (size_t)n, sizeof(*rank), cmp_int);
		for (k = 1, distinct = 1; k < n; k++)
			distinct += rank[k] != rank[k - 1];
		/*
		 * Keys that fall in a few places, each taking a run of them (an
		 * account's events in fees_account, each (period, kind) of
		 * fees_period) touch a few pages, however far apart they are;
		 * random keys fall each in a place of its own.
		 */
		if (distinct > n * 3 / 4)
			spread = (double)(rank[n - 1 - n / 20] - rank[n / 20]) / w->nsample *
				(double)w->stored;
	}
	for (i = 0; i < b->n; i++)
		w->stored += !b->items[i].rejected;
	qsort(keys, (size_t)n, sizeof(*keys), cmp_key_ptr);
	sample_add(w, keys, n);
	return spread;
}

int indexes_watch(sqlite3 *db, struct pm_deferred *d, const struct pm_batch *b, pm_error *err)
{
	int i, rc;
	char *sql;

	for (i = 0; i < d->nwatched; i++) {
		struct pm_watched *w = &d->watched[i];

		if (!w->name)
			continue;
		if ((w->per_day ? batch_spread(w, b) : batch_spread_keys(w, b)) <= WATCH_NEAR_ENTRIES) {
			w->wide_batches = 0;
			continue;
		}
		if (++w->wide_batches < WATCH_WIDE_BATCHES || d->n == PM_MAX_DEFERRED)
			continue;
		sql = sqlite3_mprintf("DROP INDEX \"%w\"", w->name);
		if (!sql)
			return pm_fail(err, "out of memory");
		rc = db_exec(db, sql, err);
		sqlite3_free(sql);
		if (rc)
			return -1;
		d->sql[d->n++] = w->sql;
		w->sql = NULL;
		unwatch(w);
	}
	return 0;
}

int indexes_rebuild(sqlite3 *db, struct pm_deferred *d, pm_error *err)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (db_exec(db, d->sql[i], err))
			return -1;
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
}
