#ifndef PM_STRTAB_H
#define PM_STRTAB_H

#include <stddef.h>

/*
 * Interned strings numbered 0, 1, 2, ... in the order first seen: the
 * engine's one string table (the evaluator's sites, callback roles and
 * referenced record ids; the findings' sites, rooms, categories). Strings are
 * copied into large blocks (a year's callbacks reference ~1M ids: one
 * malloc each would double their memory).
 */
struct strtab_block;

/* A slot holds the hash beside the number: a probe reads one cache line, not two. */
struct strtab_slot {
	unsigned hash;
	int index;              /* -1: empty */
};

struct strtab {
	char **strs;            /* by number */
	unsigned *hashes;
	int count, cap;
	struct strtab_slot *slots;      /* open addressing */
	unsigned nslots;
	struct strtab_block *blocks;
};

void strtab_init(struct strtab *t);
void strtab_free(struct strtab *t);
/* The number of s, adding it if new; -1 when out of memory. */
int strtab_intern(struct strtab *t, const char *s);
/* The same for the n bytes s[0..n) (no NUL among them). */
int strtab_intern_n(struct strtab *t, const char *s, size_t n);
/* A copy of s kept with the table's strings, not numbered; NULL when out of memory. */
char *strtab_store(struct strtab *t, const char *s);
/* The number of s, or -1 if it is not in the table. */
int strtab_find(const struct strtab *t, const char *s);
/* The table's hash of the n bytes s[0..n) (FNV-1a), for other tables of strings. */
unsigned strtab_hash(const char *s, size_t n);

#endif
