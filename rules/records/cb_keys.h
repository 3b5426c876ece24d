#ifndef PM_CB_KEYS_H
#define PM_CB_KEYS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The records of the callback map (eval_callbacks.h), by id: an
 * open-addressed table whose slot holds the id itself when it is short
 * (ticket and complaint ids are about 12 bytes) and where the record's
 * callbacks lie. A look-up reads one slot, one cache line; through a string
 * table it read the slot, the table's string pointers, the string and an
 * array of starts -- four cache misses a record when the records come in
 * another order than the callbacks (docs/performance.md, "check --year,
 * session 7").
 */
#define CB_KEY_INLINE 16

struct cb_key {
	uint32_t hash;
	uint32_t len;
	uint32_t first;         /* while loading: the key's number; then its first hit */
	uint32_t n;             /* its callbacks; 0: an empty slot */
	union {
		char text[CB_KEY_INLINE];       /* len <= CB_KEY_INLINE, not terminated */
		const char *ptr;                /* longer: the caller's, kept as long as the table */
	} id;
};

struct cb_keys {
	struct cb_key *slots;
	unsigned nslots, count;
};

/*
 * Room for n ids in an empty table, so that adding them never grows it:
 * growing copies every slot to a table twice as large (a month's map grew
 * eight times, its page faults a sixth of the map's thread). -1 when out
 * of memory.
 */
int cb_keys_reserve(struct cb_keys *t, size_t n);
/*
 * The number of id (len = strlen(id)): 0, 1, 2, ... in order of first
 * sight; one more callback counted for it. A long id is not copied: the
 * caller keeps it as long as the table (the callback map's are in its
 * texts). -1 when out of memory.
 */
int cb_keys_add(struct cb_keys *t, const char *id, size_t len);
/*
 * id added with its callbacks already placed: the first of them in the
 * map's hits and their number n (>= 1). 0, 1 when id is in the table
 * already (nothing changed), -1 when out of memory. The same rules for a
 * long id as cb_keys_add().
 */
int cb_keys_put(struct cb_keys *t, const char *id, size_t len, uint32_t first, uint32_t n);
/* The line of memory of id's first slot asked of the processor ahead of a look-up. */
void cb_keys_prefetch(const struct cb_keys *t, const char *id, size_t len);
/* The slot of id (len = strlen(id)), NULL if it is not in the table. */
const struct cb_key *cb_keys_find(const struct cb_keys *t, const char *id, size_t len);
void cb_keys_free(struct cb_keys *t);

#endif
