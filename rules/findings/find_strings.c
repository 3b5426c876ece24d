/* Arena, intern pool and key index for the rules engine's in-memory passes. */
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find_strings.h"
#include "util/bigmem.h"

#define ARENA_BLOCK (1 << 20)

struct arena_block {
	struct arena_block *prev;
	char data[];
};

char *str_arena_alloc(struct str_arena *a, size_t n)
{
	char *out;

	if (n > a->left) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		struct arena_block *b = malloc(sizeof(*b) + size);

		if (!b)
			return NULL;
		b->prev = a->blocks;
		a->blocks = b;
		a->next = b->data;
		a->left = size;
	}
	out = a->next;
	a->next += n;
	a->left -= n;
	return out;
}

const char *str_arena_copy(struct str_arena *a, const char *s, size_t n)
{
	char *out = str_arena_alloc(a, n + 1);

	if (!out)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

void str_arena_free(struct str_arena *a)
{
	while (a->blocks) {
		struct arena_block *prev = a->blocks->prev;

		free(a->blocks);
		a->blocks = prev;
	}
	a->next = NULL;
	a->left = 0;
}

/*
 * Eight bytes at a time, each word mixed by a multiply (the byte-wise
 * FNV-1a was 7% of reading a month's records: three values a row).
 */
uint32_t str_hash(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	for (w = 0; n > 0; n--)
		w = w << 8 | (unsigned char)s[n - 1];
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 29;
	h *= 0xFF51AFD7ED558CCDULL;
	return (uint32_t)(h ^ h >> 32);
}

/*
 * A table of a year's record ids is 32 MB of slots: in 4 KB pages, 8,000
 * page faults as it is first written, which on this kind of virtual
 * machine cost more than the hashing (docs/performance.md, "report annual
 * ... session 5"). A large one is mapped in huge pages (util/bigmem.h),
 * the size deciding both here and when it is freed.
 */
#define SLOTS_BIG ((size_t)1 << 20)

static struct str_slot *slots_alloc(size_t n)
{
	return n * sizeof(struct str_slot) >= SLOTS_BIG ? bigmem_map(n * sizeof(struct str_slot)) :
	       calloc(n, sizeof(struct str_slot));
}

static void slots_free(struct str_slot *slot, size_t n)
{
	if (n * sizeof(struct str_slot) >= SLOTS_BIG)
		bigmem_unmap(slot, n * sizeof(struct str_slot));
	else
		free(slot);
}

/*
 * Moves a table to n slots (a power of two, more than twice its keys),
 * each slot by its stored hash. The tables stay at most half full, so a
 * probe sequence is short.
 */
static int slots_resize(struct str_slot **slot, size_t *cap, size_t n)
{
	struct str_slot *to = slots_alloc(n);
	size_t i;

	if (!to)
		return -1;
	for (i = 0; i < *cap; i++) {
		size_t j;

		if (!(*slot)[i].s)
			continue;
		for (j = (*slot)[i].hash & (n - 1); to[j].s; j = (j + 1) & (n - 1))
			;
		to[j] = (*slot)[i];
	}
	slots_free(*slot, *cap);
	*slot = to;
	*cap = n;
	return 0;
}

/* Index and pool keys are NUL-terminated arena copies: compare n bytes and the end. */
static int same_key(const struct str_slot *x, uint32_t h, const char *key, size_t n)
{
	return x->hash == h && !memcmp(x->s, key, n) && x->s[n] == '\0';
}

int str_index_put(struct str_index *x, const char *key, size_t n, int value)
{
	uint32_t h = str_hash(key, n);
	size_t j;

	if (2 * (x->count + 1) > x->cap &&
	    slots_resize(&x->slot, &x->cap, x->cap ? 2 * x->cap : 1024))
		return -1;
	for (j = h & (x->cap - 1); x->slot[j].s; j = (j + 1) & (x->cap - 1))
		if (same_key(&x->slot[j], h, key, n))
			return 0;
	x->slot[j].s = key;
	x->slot[j].hash = h;
	x->slot[j].value = value;
	x->count++;
	return 0;
}

/* Grows the table, at once, until n more keys keep it at most half full. */
static int index_reserve(struct str_index *x, size_t n)
{
	size_t cap = x->cap ? x->cap : 1024;

	while (2 * (x->count + n) > cap)
		cap *= 2;
	return cap == x->cap ? 0 : slots_resize(&x->slot, &x->cap, cap);
}

static void put_hashed(struct str_index *x, const char *key, size_t n, uint32_t h, int value)
{
	size_t j;

	for (j = h & (x->cap - 1); x->slot[j].s; j = (j + 1) & (x->cap - 1))
		if (same_key(&x->slot[j], h, key, n))
			return;
	x->slot[j].s = key;
	x->slot[j].hash = h;
	x->slot[j].value = value;
	x->count++;
}

#define AHEAD 16

int str_index_put_all(struct str_index *x, const char *const *key, const int *value, size_t n)
{
	uint32_t *hash = malloc((n + 1) * sizeof(*hash));
	size_t i;

	if (!hash || index_reserve(x, n)) {
		free(hash);
		return -1;
	}
	for (i = 0; i < n; i++)
		hash[i] = str_hash(key[i], strlen(key[i]));
	for (i = 0; i < n; i++) {
		if (i + AHEAD < n)
			__builtin_prefetch(&x->slot[hash[i + AHEAD] & (x->cap - 1)], 1);
		put_hashed(x, key[i], strlen(key[i]), hash[i], value[i]);
	}
	free(hash);
	return 0;
}

int str_index_get(const struct str_index *x, const char *key, size_t n)
{
	uint32_t h = str_hash(key, n);
	size_t j;

	if (!x->cap)
		return -1;
	for (j = h & (x->cap - 1); x->slot[j].s; j = (j + 1) & (x->cap - 1))
		if (same_key(&x->slot[j], h, key, n))
			return x->slot[j].value;
	return -1;
}

#define FIND_BATCH 64

/* The first slot of a key's probe sequence whose hash matches, or its empty slot. */
static size_t first_match(const struct str_index *x, uint32_t h)
{
	size_t j;

	for (j = h & (x->cap - 1); x->slot[j].s && x->slot[j].hash != h; j = (j + 1) & (x->cap - 1))
		;
	return j;
}

/* The rest of a probe from slot j on, comparing the keys. */
static const char *finish_find(const struct str_index *x, size_t j, uint32_t h, const char *key,
			       size_t n)
{
	for (; x->slot[j].s; j = (j + 1) & (x->cap - 1))
		if (same_key(&x->slot[j], h, key, n))
			return x->slot[j].s;
	return NULL;
}

void str_index_find_all(const struct str_index *x, const char *const *key, const size_t *len,
			size_t n, const char **found)
{
	uint32_t hash[FIND_BATCH];
	size_t at[FIND_BATCH], done, i, m;

	for (done = 0; done < n; done += m) {
		m = n - done < FIND_BATCH ? n - done : FIND_BATCH;
		if (!x->cap) {
			for (i = 0; i < m; i++)
				found[done + i] = NULL;
			continue;
		}
		for (i = 0; i < m; i++) {
			hash[i] = str_hash(key[done + i], len[done + i]);
			__builtin_prefetch(&x->slot[hash[i] & (x->cap - 1)]);
		}
		for (i = 0; i < m; i++) {
			at[i] = first_match(x, hash[i]);
			if (x->slot[at[i]].s)
				__builtin_prefetch(x->slot[at[i]].s);
		}
		for (i = 0; i < m; i++)
			found[done + i] = finish_find(x, at[i], hash[i], key[done + i], len[done + i]);
	}
}

void str_index_free(struct str_index *x)
{
	slots_free(x->slot, x->cap);
	memset(x, 0, sizeof(*x));
}
