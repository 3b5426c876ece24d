#ifndef PM_FIND_STRINGS_H
#define PM_FIND_STRINGS_H

/*
 * Text storage for the findings' in-memory passes (rules/findings/): an
 * arena that copies the text SQLite hands out for one row only, and an
 * index from a record's key to its position in an array. The distinct
 * values (sites, rooms, categories) are numbered by the engine's one string
 * table, util/strtab.h.
 */
#include <stddef.h>
#include <stdint.h>

struct str_arena {
	struct arena_block *blocks;
	char *next;
	size_t left;
};

/* n bytes that live until str_arena_free(); NULL: out of memory. */
char *str_arena_alloc(struct str_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n) in the arena; NULL: out of memory. */
const char *str_arena_copy(struct str_arena *a, const char *s, size_t n);
void str_arena_free(struct str_arena *a);

/* A hash of n bytes for the tables below. */
uint32_t str_hash(const char *s, size_t n);

/* A slot of the open-addressing tables: the text, its hash and its value. */
struct str_slot {
	const char *s;              /* NULL: empty */
	uint32_t hash;
	int value;
};

/*
 * Key -> index. The keys are not copied: they must outlive the index
 * (they are arena copies in the passes). Keys are compared as bytes.
 */
struct str_index {
	struct str_slot *slot;
	size_t cap, count;
};

/* Adds key -> value (a key added twice keeps its first value). -1: out of memory. */
int str_index_put(struct str_index *x, const char *key, size_t n, int value);
/*
 * Adds key[i] -> value[i] for i < n at once. A put in a table of a million
 * keys is a cache miss; here each slot is fetched ahead while earlier keys
 * go in.
 */
int str_index_put_all(struct str_index *x, const char *const *key, const int *value, size_t n);
/* The value of key[0..n), or -1. */
int str_index_get(const struct str_index *x, const char *key, size_t n);
/*
 * found[i] = the stored key equal to key[i] (len[i] bytes), or NULL, for
 * i < n. A look-up in a table of a million keys waits for two cache misses
 * (the slot, then the key); here the slots of the keys ahead are fetched,
 * then their keys, while earlier ones are compared.
 */
void str_index_find_all(const struct str_index *x, const char *const *key, const size_t *len,
			size_t n, const char **found);
void str_index_free(struct str_index *x);

#endif
