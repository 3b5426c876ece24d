/* The callback map's records by id, ids kept in the slots (cb_keys.h). */
#include <string.h>
#include "rules/records/cb_keys.h"
#include "util/bigmem.h"
#include "util/strtab.h"

/* A year's table is 64 MB: in huge pages, as the string table's slots are. */
static struct cb_key *slots_alloc(unsigned n)
{
	return bigmem_table((size_t)n * sizeof(struct cb_key));
}

static void slots_free(struct cb_key *slots, unsigned n)
{
	bigmem_table_free(slots, (size_t)n * sizeof(struct cb_key));
}

void cb_keys_free(struct cb_keys *t)
{
	slots_free(t->slots, t->nslots);
	memset(t, 0, sizeof(*t));
}

static int same(const struct cb_key *k, uint32_t h, const char *id, size_t len)
{
	if (k->hash != h || k->len != len)
		return 0;
	return !memcmp(len <= CB_KEY_INLINE ? k->id.text : k->id.ptr, id, len);
}

/* Moves the table's slots to a table of n slots (a power of two). */
static int rehash(struct cb_keys *t, unsigned n)
{
	struct cb_key *slots = slots_alloc(n);
	unsigned i;

	if (!slots)
		return -1;
	for (i = 0; i < t->nslots; i++) {
		unsigned j;

		if (!t->slots[i].n)
			continue;
		for (j = t->slots[i].hash & (n - 1); slots[j].n; j = (j + 1) & (n - 1))
			;
		slots[j] = t->slots[i];
	}
	slots_free(t->slots, t->nslots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

static int grow(struct cb_keys *t)
{
	return rehash(t, t->nslots ? t->nslots * 2 : 1024);
}

int cb_keys_reserve(struct cb_keys *t, size_t n)
{
	unsigned want = 1024;

	while ((size_t)want <= 2 * n && want < (1u << 31))
		want *= 2;
	return want > t->nslots ? rehash(t, want) : 0;
}

/*
 * The slot of id (hash h) in a table with room for one more: its own if
 * it is there (*found = 1), else the empty one where it goes.
 */
static struct cb_key *probe(struct cb_keys *t, uint32_t h, const char *id, size_t len, int *found)
{
	unsigned j;

	for (j = h & (t->nslots - 1); t->slots[j].n; j = (j + 1) & (t->nslots - 1))
		if (same(&t->slots[j], h, id, len)) {
			*found = 1;
			return &t->slots[j];
		}
	*found = 0;
	return &t->slots[j];
}

/* id's empty slot k filled: its first and number of callbacks. */
static void fill(struct cb_key *k, uint32_t h, const char *id, size_t len, uint32_t first,
		 uint32_t n)
{
	if (len > CB_KEY_INLINE)
		k->id.ptr = id;
	else
		memcpy(k->id.text, id, len);
	k->hash = h;
	k->len = (uint32_t)len;
	k->first = first;
	k->n = n;
}

/* Room for one more id, or -1 (too long, too many, out of memory). */
static int room(struct cb_keys *t, size_t len)
{
	if (len > UINT32_MAX - 1 || t->count >= (unsigned)INT32_MAX)
		return -1;
	return t->count * 2 >= t->nslots ? grow(t) : 0;
}

int cb_keys_add(struct cb_keys *t, const char *id, size_t len)
{
	uint32_t h = strtab_hash(id, len);
	struct cb_key *k;
	int found;

	if (room(t, len))
		return -1;
	k = probe(t, h, id, len, &found);
	if (found) {
		k->n++;
		return (int)k->first;
	}
	fill(k, h, id, len, t->count, 1);
	return (int)t->count++;
}

int cb_keys_put(struct cb_keys *t, const char *id, size_t len, uint32_t first, uint32_t n)
{
	uint32_t h = strtab_hash(id, len);
	struct cb_key *k;
	int found;

	if (!n || room(t, len))
		return -1;
	k = probe(t, h, id, len, &found);
	if (found)
		return 1;
	fill(k, h, id, len, first, n);
	t->count++;
	return 0;
}

void cb_keys_prefetch(const struct cb_keys *t, const char *id, size_t len)
{
	if (t->nslots)
		__builtin_prefetch(&t->slots[strtab_hash(id, len) & (t->nslots - 1)]);
}

const struct cb_key *cb_keys_find(const struct cb_keys *t, const char *id, size_t len)
{
	uint32_t h = strtab_hash(id, len);
	unsigned j;

	if (!t->nslots)
		return NULL;
	for (j = h & (t->nslots - 1); t->slots[j].n; j = (j + 1) & (t->nslots - 1))
		if (same(&t->slots[j], h, id, len))
			return &t->slots[j];
	return NULL;
}
