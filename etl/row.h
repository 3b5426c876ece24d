#ifndef PM_ROW_H
#define PM_ROW_H

/*
 * One CSV record turned into the typed values of a log's fields, ready to
 * bind: trimming, empty = NULL, defaults, value parsing and the checks that
 * involve several fields (amount required for charges, payments and waivers;
 * a charge's due date defaulting to the end of its period's month).
 * Pure: no database, no I/O.
 */

#include <stdint.h>
#include "etl/header.h"
#include "etl/reader.h"
#include "etl/value.h"

enum pm_value_tag { PM_NULL, PM_STR, PM_INT };

struct pm_value {
	enum pm_value_tag tag;
	const char *s;		/* PM_STR: points into the record or into buf */
	size_t n;
	int64_t i;		/* PM_INT */
	char buf[PM_TIMESTAMP_SIZE];
};

struct pm_row {
	int nfields;
	struct pm_value value[PM_MAX_FIELDS];
};

/*
 * Fills row from rec per header. text_checked: the record's text is known
 * to be valid UTF-8 without NUL bytes (the file reader checked it), so the
 * values need not be checked one by one. On a bad value returns -1, sets *field to
 * the offending field's canonical name (NULL if the whole record is at
 * fault) and writes the reason (naming the value) into reason.
 */
int row_convert(const struct pm_header *header, const struct pm_record *rec, int text_checked,
		struct pm_row *row, const char **field, char *reason, size_t reason_size);

/*
 * The record's key cell as row_convert() reads it (trimmed; a mapping
 * file's constant or empty marker applies), for a rejected record: *n 0
 * when the file has no key column or the cell is empty. A reject keeps it,
 * so that a later import storing that key resolves the reject.
 */
void row_key(const struct pm_header *header, const struct pm_record *rec, const char **s,
	     size_t *n);

#endif
