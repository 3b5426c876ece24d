#ifndef PM_EVAL_STRINGS_H
#define PM_EVAL_STRINGS_H

/*
 * Text storage for the in-memory passes of the rules engine (rules/eval_*.c):
 * an arena that copies the text SQLite hands out for one row only, a pool
 * that keeps one copy of each distinct value (sites, rooms, categories:
 * a few hundred values over a million rows, compared by pointer), and an
 * index from a record's key to its position in an array.
 */
#include <stddef.h>
#include <stdint.h>

struct str_arena {
	struct arena_block *blocks;
	char *next;
	size_t left;
};

/* A NUL-terminated copy of s[0..n) that lives until str_arena_free(); NULL: out of memory. */
const char *str_arena_copy(struct str_arena *a, const char *s, size_t n);
void str_arena_free(struct str_arena *a);

/* A hash of n bytes for the tables below. */
uint32_t str_hash(const char *s, size_t n);

/* A slot of the open-addressing tables: the text, its hash and length (or value). */
struct str_slot {
	const char *s;              /* NULL: empty */
	uint32_t hash;
	int value;                  /* pool: the length; index: the value */
};

struct str_pool {
	struct str_arena text;
	struct str_slot *slot;
	size_t cap, count;
};

/* The pool's copy of s[0..n) (the same pointer for equal text); NULL: out of memory. */
const char *str_pool_intern(struct str_pool *p, const char *s, size_t n);
void str_pool_free(struct str_pool *p);

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
/* The value of key[0..n), or -1. */
int str_index_get(const struct str_index *x, const char *key, size_t n);
void str_index_free(struct str_index *x);

#endif
