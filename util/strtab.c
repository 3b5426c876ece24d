/*
 * The engine's string table: interned strings numbered in order of first
 * sight (util/strtab.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/bigmem.h"
#include "util/strtab.h"

#define BLOCK_SIZE (1 << 20)

struct strtab_block {
	struct strtab_block *next;
	size_t used, size;
	char text[];
};

/*
 * A table of a year's strings holds millions of slots: in 4 KB pages,
 * thousands of page faults as each new table is first written, which on a
 * virtual machine cost more than filling it. A large one is mapped in huge
 * pages (bigmem_table()).
 */
static struct strtab_slot *slots_alloc(unsigned n)
{
	return bigmem_table((size_t)n * sizeof(struct strtab_slot));
}

static void slots_free(struct strtab_slot *slots, unsigned n)
{
	bigmem_table_free(slots, (size_t)n * sizeof(struct strtab_slot));
}

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void strtab_free(struct strtab *t)
{
	struct strtab_block *b = t->blocks, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->strs);
	free(t->hashes);
	slots_free(t->slots, t->nslots);
	memset(t, 0, sizeof(*t));
}

/* FNV-1a of n bytes */
unsigned strtab_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (; n; s++, n--)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* A stored string equal to s[0..n). */
static int same(const char *stored, const char *s, size_t n)
{
	return !memcmp(stored, s, n) && stored[n] == '\0';
}

/* A NUL-terminated copy of s[0..len) in the table's blocks. */
static char *copy(struct strtab *t, const char *s, size_t len)
{
	size_t n = len + 1;
	struct strtab_block *b = t->blocks;

	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = t->blocks;
		b->used = 0;
		b->size = size;
		t->blocks = b;
	}
	memcpy(b->text + b->used, s, len);
	b->text[b->used + len] = '\0';
	b->used += n;
	return b->text + b->used - n;
}

char *strtab_store(struct strtab *t, const char *s)
{
	return copy(t, s, strlen(s));
}

static int grow_slots(struct strtab *t)
{
	unsigned n = t->nslots ? t->nslots * 2 : 1024, i;
	struct strtab_slot *slots = slots_alloc(n);

	if (!slots)
		return -1;
	for (i = 0; i < n; i++)
		slots[i].index = -1;
	for (i = 0; i < (unsigned)t->count; i++) {
		unsigned j = t->hashes[i] & (n - 1);

		while (slots[j].index >= 0)
			j = (j + 1) & (n - 1);
		slots[j].hash = t->hashes[i];
		slots[j].index = (int)i;
	}
	slots_free(t->slots, t->nslots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

static int grow_strs(struct strtab *t)
{
	int cap = t->cap ? t->cap * 2 : 256;
	char **strs = realloc(t->strs, (size_t)cap * sizeof(*strs));
	unsigned *hashes;

	if (!strs)
		return -1;
	t->strs = strs;
	hashes = realloc(t->hashes, (size_t)cap * sizeof(*hashes));
	if (!hashes)
		return -1;
	t->hashes = hashes;
	t->cap = cap;
	return 0;
}

int strtab_find(const struct strtab *t, const char *s)
{
	size_t n = strlen(s);
	unsigned h = strtab_hash(s, n), j;

	if (!t->nslots)
		return -1;
	for (j = h & (t->nslots - 1); t->slots[j].index >= 0; j = (j + 1) & (t->nslots - 1))
		if (t->slots[j].hash == h && same(t->strs[t->slots[j].index], s, n))
			return t->slots[j].index;
	return -1;
}

int strtab_intern(struct strtab *t, const char *s)
{
	return strtab_intern_n(t, s, strlen(s));
}

int strtab_intern_n(struct strtab *t, const char *s, size_t n)
{
	unsigned h = strtab_hash(s, n), j;

	if ((unsigned)t->count * 2 >= t->nslots && grow_slots(t))
		return -1;
	for (j = h & (t->nslots - 1); t->slots[j].index >= 0; j = (j + 1) & (t->nslots - 1))
		if (t->slots[j].hash == h && same(t->strs[t->slots[j].index], s, n))
			return t->slots[j].index;
	if (t->count == t->cap && grow_strs(t))
		return -1;
	t->strs[t->count] = copy(t, s, n);
	if (!t->strs[t->count])
		return -1;
	t->hashes[t->count] = h;
	t->slots[j].hash = h;
	t->slots[j].index = t->count;
	return t->count++;
}
