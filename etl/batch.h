#ifndef PM_BATCH_H
#define PM_BATCH_H

/*
 * A batch of converted rows and rejected records, with its own copy of
 * their text, handed from the thread that reads and converts a file to the
 * thread that stores it (etl/import.c). Reading and storing then overlap on
 * two cores instead of taking turns.
 */

#include <stddef.h>
#include <stdint.h>
#include "etl/row.h"
#include "util/buf.h"

#define PM_BATCH_ROWS 1024
/* a batch is also full once its text passes this size */
#define PM_BATCH_TEXT (4u << 20)

struct pm_batch_item {
	int64_t line;		/* physical line of the record */
	int rejected;
	struct pm_row row;	/* accepted: strings point into the batch text once sealed */
	size_t text_off[PM_MAX_FIELDS];
	const char *field;	/* rejected: field name (static) or NULL */
	size_t raw_off, raw_len, reason_off;
	size_t key_off, key_len;	/* rejected: the record's key as read; key_len 0: none */
};

struct pm_batch {
	size_t n;
	struct pm_batch_item *items;
	struct buf text;		/* the rows' texts, each NUL-terminated */
};

int batch_init(struct pm_batch *b);
void batch_free(struct pm_batch *b);
void batch_clear(struct pm_batch *b);
int batch_full(const struct pm_batch *b);

/*
 * Adds a converted row (its strings are copied); -1 when out of memory or
 * the batch already holds PM_BATCH_ROWS items (hand it over once
 * batch_full() says so).
 */
int batch_add_row(struct pm_batch *b, int64_t line, const struct pm_row *row);

/*
 * Adds a rejected record: original text, field (static), reason, and the
 * record's key as read (key_len 0: none), by which a later import that
 * stores the record resolves the reject.
 */
int batch_add_reject(struct pm_batch *b, int64_t line, const char *raw, size_t raw_len,
		     const char *field, const char *reason, const char *key, size_t key_len);

/* Points the rows' strings at the batch text; call before handing it over. */
void batch_seal(struct pm_batch *b);

/* The text at offset off. */
const char *batch_text(const struct pm_batch *b, size_t off);

#endif
