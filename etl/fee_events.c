/*
 * The fee ledger from a fees file's events as they are read
 * (etl/fee_events.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "etl/fee_events.h"
#include "etl/kinds.h"
#include "db/fee_ledger.h"
#include "util/civil.h"

enum { F_SITE, F_ROOM, F_ITEM, F_PERIOD, F_KIND, F_AMOUNT, F_AT, F_DUE, F_METHOD, NFIELDS };
static const char *const FIELD_NAME[NFIELDS] = {
	"site", "room", "fee_item", "period", "kind", "amount", "at", "due_date", "method"
};

/* Bounds that keep memory small whatever the file; beyond them, the rebuild. */
#define MAX_ACCOUNTS (1u << 21)
#define MAX_METHODS 1024
#define MAX_EVENTS (1u << 31)
/*
 * Accounts are put in order a group of at most this many events at a time
 * (512 KiB), and an account has at most MAX_ACCOUNT_EVENTS: memory stays
 * a few MiB beside the page cache (the import's peak must stay under 64 MB).
 */
#define GROUP_EVENTS 16384
#define MAX_ACCOUNT_EVENTS 65536
/* events a group gathers before they are written to its part of the second file */
#define WRITE_EVENTS 128
#define READ_EVENTS 4096

/* One event as noted: 32 bytes, the columns fees_account orders by and the ledger packs. */
struct ev {
	int64_t at, amount;
	uint32_t account;
	int32_t period, due;    /* due: the stored due_date's day number */
	uint16_t method;        /* 0: NULL; else the method's number + 1 */
	uint8_t kind, flags;    /* enum fee_kind; HAS_* */
};
enum { HAS_AMOUNT = 1, HAS_DUE = 2 };

struct fee_events_account {
	int site, room, item;   /* numbers in the string tables */
	uint32_t count;         /* its events */
};

void fee_events_init(struct pm_fee_events *fe)
{
	const struct pm_kind *fees = &PM_KINDS[PM_FEES];
	int i;

	memset(fe, 0, sizeof(*fe));
	strtab_init(&fe->sites);
	strtab_init(&fe->rooms);
	strtab_init(&fe->items);
	strtab_init(&fe->methods);
	fe->on = 1;
	for (i = 0; i < NFIELDS; i++)
		if ((fe->field[i] = kind_field_index(fees, FIELD_NAME[i])) < 0)
			fe->on = 0;
}

void fee_events_free(struct pm_fee_events *fe)
{
	if (fe->file)
		fclose(fe->file);
	strtab_free(&fe->sites);
	strtab_free(&fe->rooms);
	strtab_free(&fe->items);
	strtab_free(&fe->methods);
	free(fe->acc);
	free(fe->slot);
	memset(fe, 0, sizeof(*fe));
}

/* Collecting stops: what is held goes (the rebuild will do). */
static void turn_off(struct pm_fee_events *fe)
{
	fee_events_free(fe);
	strtab_init(&fe->sites);
	strtab_init(&fe->rooms);
	strtab_init(&fe->items);
	strtab_init(&fe->methods);
}

/* A text value of exactly n bytes, NUL-terminated into out[n + 1]; -1 otherwise. */
static int fixed_text(const struct pm_value *v, size_t n, char *out)
{
	if (v->tag != PM_STR || v->n != n)
		return -1;
	memcpy(out, v->s, n);
	out[n] = '\0';
	return 0;
}

/* A kind's text as stored: its enum fee_kind, or -1 for any other text. */
static int kind_of(const struct pm_value *v)
{
	static const char *const name[] = { "charge", "payment", "waiver", "reminder" };
	int k;

	if (v->tag != PM_STR)
		return -1;
	for (k = 0; k < 4; k++)
		if (v->n == strlen(name[k]) && !memcmp(v->s, name[k], v->n))
			return k;
	return -1;
}

/* The number of a text value in t (no NUL among its bytes), or -1. */
static int intern(struct strtab *t, const struct pm_value *v)
{
	if (v->tag != PM_STR || memchr(v->s, '\0', v->n))
		return -1;
	return strtab_intern_n(t, v->s, v->n);
}

/*
 * The account's three numbers mixed (splitmix64's finalizer): linear
 * probing needs every bit mixed.
 */
static uint32_t triple_hash(const int id[3])
{
	uint64_t x = (uint64_t)(unsigned)id[0] * 0x9E3779B97F4A7C15ull +
		     (uint64_t)(unsigned)id[1] * 0xC2B2AE3D27D4EB4Full + (unsigned)id[2];

	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBull;
	return (uint32_t)(x ^ (x >> 31));
}

static int grow_slots(struct pm_fee_events *fe)
{
	uint32_t n = fe->nslot ? fe->nslot * 2 : 4096, i, j;
	struct fee_events_slot *slot = calloc(n, sizeof(*slot));

	if (!slot)
		return -1;
	for (i = 0; i < fe->nslot; i++) {
		if (!fe->slot[i].account)
			continue;
		for (j = triple_hash(fe->slot[i].id) & (n - 1); slot[j].account; j = (j + 1) & (n - 1))
			;
		slot[j] = fe->slot[i];
	}
	free(fe->slot);
	fe->slot = slot;
	fe->nslot = n;
	return 0;
}

static int64_t new_account(struct pm_fee_events *fe, const int id[3], uint32_t j)
{
	struct fee_events_account *a;

	if (fe->nacc == MAX_ACCOUNTS)
		return -1;
	if (fe->nacc == fe->cap) {
		uint32_t cap = fe->cap ? fe->cap * 2 : 4096;

		a = realloc(fe->acc, cap * sizeof(*a));
		if (!a)
			return -1;
		fe->acc = a;
		fe->cap = cap;
	}
	a = &fe->acc[fe->nacc];
	a->site = id[0];
	a->room = id[1];
	a->item = id[2];
	a->count = 0;
	memcpy(fe->slot[j].id, id, sizeof(fe->slot[j].id));
	fe->slot[j].account = fe->nacc + 1;
	return fe->nacc++;
}

/*
 * The account of site, room and fee item numbered id[], adding it if new;
 * -1 when out of bounds or memory. The slot holds the numbers: one cache
 * miss a look-up (the string tables are small: 100 sites, 320 rooms and 3
 * fee items in the benchmark's 73k accounts).
 */
static int64_t account_of(struct pm_fee_events *fe, const int id[3], uint32_t hash)
{
	uint32_t j;

	for (j = hash & (fe->nslot - 1); fe->slot[j].account; j = (j + 1) & (fe->nslot - 1))
		if (!memcmp(fe->slot[j].id, id, sizeof(fe->slot[j].id)))
			return fe->slot[j].account - 1;
	return new_account(fe, id, j);
}

/* The event of row into *e; -1 if the row holds anything not kept exactly. */
static int event_of(struct pm_fee_events *fe, const struct pm_row *row, struct ev *e)
{
	const struct pm_value *v = row->value;
	const struct pm_value *amount = &v[fe->field[F_AMOUNT]], *due = &v[fe->field[F_DUE]];
	const struct pm_value *method = &v[fe->field[F_METHOD]];
	char text[32];
	int64_t day;
	int kind, m;

	memset(e, 0, sizeof(*e));
	if ((kind = kind_of(&v[fe->field[F_KIND]])) < 0)
		return -1;
	e->kind = (uint8_t)kind;
	if (fixed_text(&v[fe->field[F_PERIOD]], 7, text) || civil_parse_period(text, &e->period) ||
	    fixed_text(&v[fe->field[F_AT]], 19, text) || civil_parse_timestamp(text, &e->at))
		return -1;
	if (amount->tag == PM_INT) {
		e->flags |= HAS_AMOUNT;
		e->amount = amount->i;
	} else if (amount->tag != PM_NULL) {
		return -1;
	}
	if (due->tag != PM_NULL) {
		if (fixed_text(due, 10, text) || civil_parse_date(text, &day))
			return -1;
		e->flags |= HAS_DUE;
		e->due = (int32_t)day;
	} else if (kind == FEE_CHARGE) {
		return -1;	/* the ledger's due would be derived from the period: the rebuild's */
	}
	if (method->tag != PM_NULL) {
		if ((m = intern(&fe->methods, method)) < 0 || m >= MAX_METHODS)
			return -1;
		e->method = (uint16_t)(m + 1);
	}
	return 0;
}

/* A temporary file for the events, written by this thread only. */
static FILE *events_file(void)
{
	FILE *f = tmpfile();

	if (f && setvbuf(f, NULL, _IOFBF, 1 << 16)) {
		fclose(f);
		f = NULL;
	}
	return f;
}

/*
 * A batch's rows, in two passes so that the look-ups' cache misses
 * overlap: a shuffled file's accounts are all over the table, and one row
 * at a time waits for its slot (texts looked up in three tables and an
 * account's slot read in turn cost the reading thread 0.5 us a row, as
 * much as the rest of reading it). First every row's event, its texts'
 * numbers and its slot fetched ahead; then the look-ups.
 */
struct pending {
	int id[3];
	uint32_t hash;
	struct ev ev;
};

static int add_pending(struct pm_fee_events *fe, struct pending *p, size_t n)
{
	size_t i;
	int64_t account;

	for (i = 0; i < n; i++) {
		if ((account = account_of(fe, p[i].id, p[i].hash)) < 0 ||
		    ++fe->acc[account].count > MAX_ACCOUNT_EVENTS)
			return -1;
		p[i].ev.account = (uint32_t)account;
		if (fwrite_unlocked(&p[i].ev, sizeof(p[i].ev), 1, fe->file) != 1)
			return -1;
	}
	fe->n += (int64_t)n;
	return 0;
}

static int add_batch(struct pm_fee_events *fe, const struct pm_batch *b, struct pending *p)
{
	size_t i, n = 0;

	if (!fe->file && !(fe->file = events_file()))
		return -1;
	/* room for every row's account first: a slot fetched ahead stays where it is */
	while ((fe->nacc + b->n) * 4 >= (size_t)fe->nslot * 3)
		if (grow_slots(fe))
			return -1;
	for (i = 0; i < b->n; i++) {
		const struct pm_batch_item *item = &b->items[i];
		const struct pm_value *v = item->row.value;

		if (item->rejected)
			continue;
		if (event_of(fe, &item->row, &p[n].ev) ||
		    (p[n].id[0] = intern(&fe->sites, &v[fe->field[F_SITE]])) < 0 ||
		    (p[n].id[1] = intern(&fe->rooms, &v[fe->field[F_ROOM]])) < 0 ||
		    (p[n].id[2] = intern(&fe->items, &v[fe->field[F_ITEM]])) < 0)
			return -1;
		p[n].hash = triple_hash(p[n].id);
		__builtin_prefetch(&fe->slot[p[n].hash & (fe->nslot - 1)]);
		n++;
	}
	if (fe->n + (int64_t)n >= MAX_EVENTS)
		return -1;
	return add_pending(fe, p, n);
}

void fee_events_add_batch(struct pm_fee_events *fe, const struct pm_batch *b)
{
	struct pending *p;

	if (!fe->on || b->n == 0)
		return;
	p = malloc(b->n * sizeof(*p));
	if (!p || add_batch(fe, b, p))
		turn_off(fe);
	free(p);
}

void fee_events_read_all(struct pm_fee_events *fe)
{
	free(fe->slot);
	fe->slot = NULL;
	fe->nslot = 0;
}

/*
 * Ordering. Texts compare as SQLite's BINARY collation compares these
 * (no NUL inside): strcmp. Each string table's numbers get ranks, so that
 * accounts and methods then compare as integers.
 */
static int text_order(const void *a, const void *b, void *ctx)
{
	char *const *strs = ctx;

	return strcmp(strs[*(const int *)a], strs[*(const int *)b]);
}

/* rank[number] of each of t's strings in text order; NULL when out of memory. */
static int *ranks(const struct strtab *t)
{
	int *order = malloc(((size_t)t->count + 1) * sizeof(int));
	int *rank = malloc(((size_t)t->count + 1) * sizeof(int));
	int i;

	if (order && rank) {
		for (i = 0; i < t->count; i++)
			order[i] = i;
		if (t->count > 1)
			qsort_r(order, (size_t)t->count, sizeof(int), text_order, t->strs);
		for (i = 0; i < t->count; i++)
			rank[order[i]] = i;
	} else {
		free(rank);
		rank = NULL;
	}
	free(order);
	return rank;
}

struct order {
	const struct pm_fee_events *fe;
	int *site, *room, *item, *method;       /* ranks */
};

static int cmp_int(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int account_order(const void *a, const void *b, void *ctx)
{
	const struct order *o = ctx;
	const struct fee_events_account *x = &o->fe->acc[*(const uint32_t *)a];
	const struct fee_events_account *y = &o->fe->acc[*(const uint32_t *)b];
	int c = cmp_int(o->site[x->site], o->site[y->site]);

	if (!c)
		c = cmp_int(o->room[x->room], o->room[y->room]);
	return c ? c : cmp_int(o->item[x->item], o->item[y->item]);
}

/* The kinds' texts in byte order: charge, payment, reminder, waiver. */
static int kind_rank(int kind)
{
	static const int rank[] = { [FEE_CHARGE] = 0, [FEE_PAYMENT] = 1, [FEE_REMINDER] = 2,
				    [FEE_WAIVER] = 3 };
	return rank[kind];
}

/*
 * fees_account's order within an account: period, kind, at (canonical
 * texts sort as their numbers), amount, due_date, method, a NULL first.
 * Events equal in all of them pack to the same bytes, so the rowid that
 * orders them in the index does not matter.
 */
static int event_order(const void *a, const void *b, void *ctx)
{
	const struct order *o = ctx;
	const struct ev *x = a, *y = b;
	int c = cmp_int(x->period, y->period);

	if (!c)
		c = cmp_int(kind_rank(x->kind), kind_rank(y->kind));
	if (!c)
		c = cmp_int(x->at, y->at);
	if (!c)
		c = cmp_int(x->flags & HAS_AMOUNT, y->flags & HAS_AMOUNT);
	if (!c && (x->flags & HAS_AMOUNT))
		c = cmp_int(x->amount, y->amount);
	if (!c)
		c = cmp_int(x->flags & HAS_DUE, y->flags & HAS_DUE);
	if (!c && (x->flags & HAS_DUE))
		c = cmp_int(x->due, y->due);
	if (!c)
		c = cmp_int(x->method != 0, y->method != 0);
	if (!c && x->method)
		c = cmp_int(o->method[x->method - 1], o->method[y->method - 1]);
	return c;
}

/* The groups: consecutive accounts in order, at most GROUP_EVENTS events each (or one account). */
struct groups {
	uint32_t *by_rank;              /* account numbers in order */
	uint32_t n, *first_rank;        /* group g: ranks first_rank[g] .. first_rank[g + 1] */
	uint32_t *start, *count;        /* its events' place in the ordered whole */
	/* by account: where its events begin in the whole, its group, those placed so far */
	uint32_t *acc_start, *acc_group, *acc_placed;
};

static void groups_free(struct groups *g)
{
	free(g->by_rank);
	free(g->first_rank);
	free(g->start);
	free(g->count);
	free(g->acc_start);
	free(g->acc_group);
	free(g->acc_placed);
}

static int make_groups(struct pm_fee_events *fe, struct order *o, struct groups *g)
{
	uint32_t r, at = 0;

	memset(g, 0, sizeof(*g));
	g->by_rank = malloc(fe->nacc * sizeof(uint32_t));
	g->first_rank = malloc((fe->nacc + 1) * sizeof(uint32_t));
	g->start = malloc((fe->nacc + 1) * sizeof(uint32_t));
	g->count = malloc((fe->nacc + 1) * sizeof(uint32_t));
	g->acc_start = malloc(fe->nacc * sizeof(uint32_t));
	g->acc_group = malloc(fe->nacc * sizeof(uint32_t));
	g->acc_placed = calloc(fe->nacc, sizeof(uint32_t));
	if (!g->by_rank || !g->first_rank || !g->start || !g->count || !g->acc_start ||
	    !g->acc_group || !g->acc_placed)
		return -1;
	for (r = 0; r < fe->nacc; r++)
		g->by_rank[r] = r;
	qsort_r(g->by_rank, fe->nacc, sizeof(uint32_t), account_order, o);
	for (r = 0; r < fe->nacc; r++) {
		struct fee_events_account *a = &fe->acc[g->by_rank[r]];

		if (r == 0 || g->count[g->n - 1] + a->count > GROUP_EVENTS) {
			g->first_rank[g->n] = r;
			g->start[g->n] = at;
			g->count[g->n++] = 0;
		}
		g->acc_group[g->by_rank[r]] = g->n - 1;
		g->acc_start[g->by_rank[r]] = at;
		g->count[g->n - 1] += a->count;
		at += a->count;
	}
	g->first_rank[g->n] = fe->nacc;
	return 0;
}

/* pwrite (writing) or pread all of len bytes at off; -1 on failure or end of file. */
static int transfer_all(int fd, void *data, size_t len, off_t off, int writing)
{
	char *p = data;

	while (len > 0) {
		ssize_t n = writing ? pwrite(fd, p, len, off) : pread(fd, p, len, off);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/*
 * The events, read in the order they came, each written to its group's
 * part of the second file (gathered WRITE_EVENTS at a time per group).
 */
static int distribute(struct pm_fee_events *fe, const struct groups *g, int fd)
{
	struct ev *in = malloc(READ_EVENTS * sizeof(*in));
	struct ev *out = malloc((size_t)g->n * WRITE_EVENTS * sizeof(*out));
	uint32_t *gathered = calloc(g->n, sizeof(uint32_t)), *written = calloc(g->n, sizeof(uint32_t));
	size_t got, i;
	uint32_t k;
	int rc = -1;

	if (!in || !out || !gathered || !written || fflush(fe->file) || fseeko(fe->file, 0, SEEK_SET))
		goto done;
	while ((got = fread(in, sizeof(*in), READ_EVENTS, fe->file)) > 0) {
		for (i = 0; i < got; i++) {
			k = g->acc_group[in[i].account];
			out[(size_t)k * WRITE_EVENTS + gathered[k]++] = in[i];
			if (gathered[k] < WRITE_EVENTS)
				continue;
			if (transfer_all(fd, &out[(size_t)k * WRITE_EVENTS], WRITE_EVENTS * sizeof(*out),
				 (off_t)(g->start[k] + written[k]) * (off_t)sizeof(*out), 1))
				goto done;
			written[k] += WRITE_EVENTS;
			gathered[k] = 0;
		}
	}
	if (ferror(fe->file))
		goto done;
	for (k = 0; k < g->n; k++)
		if (gathered[k] && transfer_all(fd, &out[(size_t)k * WRITE_EVENTS],
						gathered[k] * sizeof(*out),
						(off_t)(g->start[k] + written[k]) * (off_t)sizeof(*out),
						1))
			goto done;
	rc = 0;
done:
	free(in);
	free(out);
	free(gathered);
	free(written);
	return rc;
}

/* One account's events as the ledger's writer takes them. */
static void to_fee_events(const struct pm_fee_events *fe, const struct ev *ev, uint32_t n,
			  struct fee_event *out)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct fee_event *e = &out[i];

		memset(e, 0, sizeof(*e));
		e->period = ev[i].period;
		e->kind = ev[i].kind;
		e->at = ev[i].at;
		e->has_amount = (ev[i].flags & HAS_AMOUNT) != 0;
		e->amount = ev[i].amount;
		/* the ledger's due is a charge's (a charge always has one here) */
		e->has_due = e->kind == FEE_CHARGE;
		e->due = ev[i].due;
		if (e->kind == FEE_REMINDER && ev[i].method)
			e->method = fe->methods.strs[ev[i].method - 1];
	}
}

/* Group k: its events read, put in order account by account, and written to the ledger. */
static int store_group(struct pm_fee_events *fe, const struct groups *g, struct order *o,
		       uint32_t k, int fd, struct ev *in, struct ev *sorted,
		       struct fee_event *events, struct fee_ledger_writer *w, pm_error *err)
{
	uint32_t i, r;

	if (transfer_all(fd, in, g->count[k] * sizeof(*in), (off_t)g->start[k] * (off_t)sizeof(*in),
			 0))
		return pm_fail(err, "fee ledger: cannot read back a temporary file");
	for (i = 0; i < g->count[k]; i++) {
		uint32_t id = in[i].account;

		sorted[g->acc_start[id] - g->start[k] + g->acc_placed[id]++] = in[i];
	}
	for (r = g->first_rank[k]; r < g->first_rank[k + 1]; r++) {
		const struct fee_events_account *a = &fe->acc[g->by_rank[r]];
		struct ev *ev = &sorted[g->acc_start[g->by_rank[r]] - g->start[k]];
		const char *key[3] = { fe->sites.strs[a->site], fe->rooms.strs[a->room],
				       fe->items.strs[a->item] };
		int len[3] = { (int)strlen(key[0]), (int)strlen(key[1]), (int)strlen(key[2]) };

		qsort_r(ev, a->count, sizeof(*ev), event_order, o);
		to_fee_events(fe, ev, a->count, events);
		if (fee_ledger_write_account(w, key, len, events, (int)a->count, err))
			return -1;
	}
	return 0;
}

static int store_groups(struct pm_fee_events *fe, const struct groups *g, struct order *o, int fd,
			sqlite3 *db, pm_error *err)
{
	uint32_t k, most = 0, largest = 0;
	struct ev *in, *sorted;
	struct fee_event *events;
	struct fee_ledger_writer w;
	int rc = -1;

	for (k = 0; k < g->n; k++)
		if (g->count[k] > most)
			most = g->count[k];
	for (k = 0; k < fe->nacc; k++)
		if (fe->acc[k].count > largest)
			largest = fe->acc[k].count;
	in = malloc(most * sizeof(*in));
	sorted = malloc(most * sizeof(*sorted));
	events = malloc(largest * sizeof(*events));
	if (!in || !sorted || !events) {
		pm_fail(err, "out of memory");
	} else if (fee_ledger_write_begin(db, &w, err) == 0) {
		for (k = 0; k < g->n; k++)
			if (store_group(fe, g, o, k, fd, in, sorted, events, &w, err))
				break;
		rc = fee_ledger_write_end(&w, k < g->n, err);
	} else {
		fee_ledger_write_end(&w, 1, err);
	}
	free(in);
	free(sorted);
	free(events);
	return rc;
}

int fee_events_store(struct pm_fee_events *fe, sqlite3 *db, pm_error *err)
{
	struct order o = { fe, NULL, NULL, NULL, NULL };
	struct groups g;
	FILE *second = NULL;
	int rc = 0;

	if (!fe->on || fe->n == 0)
		return 0;
	memset(&g, 0, sizeof(g));
	o.site = ranks(&fe->sites);
	o.room = ranks(&fe->rooms);
	o.item = ranks(&fe->items);
	o.method = ranks(&fe->methods);
	/* until the ledger is emptied, any failure leaves the rebuild to do it */
	if (o.site && o.room && o.item && o.method && make_groups(fe, &o, &g) == 0 &&
	    (second = tmpfile()) && distribute(fe, &g, fileno(second)) == 0)
		rc = store_groups(fe, &g, &o, fileno(second), db, err) ? -1 : 1;
	if (second)
		fclose(second);
	groups_free(&g);
	free(o.site);
	free(o.room);
	free(o.item);
	free(o.method);
	return rc;
}
