#ifndef PM_RECORD_JSON_H
#define PM_RECORD_JSON_H

#include <stddef.h>

/*
 * One stored record of check_record_sets (db/db.h: a JSON array of
 * [record_kind, record_id, site, start_at, deadline_at, end_at,
 * late_seconds, amount_cents, detail]) taken apart in C, for a reader of
 * many records: through SQLite each field is a json_extract(), a parse of
 * the record each (rules/results/breaches_csv.c).
 *
 * Only the form the engine and the schema's migration write: no blanks,
 * each element null, an integer of up to 18 digits, or a string whose
 * escapes are \" \\ \/ \b \f \n \r \t or \u0001-\u007f. Then each field
 * is what json_extract(record, '$[i]') gives: NULL, an integer, or the
 * string with its escapes undone. Anything else -- a real, an exponent,
 * true, a nested array, \u0000, a character above \u007f written as an
 * escape, a raw control character -- is refused (-1), and the caller
 * reads that record through SQLite's own JSON, which knows all of it.
 */
enum record_json_type { RECORD_JSON_NULL, RECORD_JSON_INT, RECORD_JSON_TEXT };

#define RECORD_JSON_FIELDS 9

struct record_json {
	enum record_json_type type[RECORD_JSON_FIELDS];
	long long num[RECORD_JSON_FIELDS];      /* RECORD_JSON_INT */
	const char *text[RECORD_JSON_FIELDS];   /* RECORD_JSON_TEXT: NUL-terminated, in buf */
	int n;                                  /* the array's elements (fields past it: NULL) */
};

/*
 * Parses the n bytes at json into *out; the strings are written into buf,
 * which must hold n bytes. 0, or -1 for a record of another form.
 */
int record_json_parse(const char *json, size_t n, char *buf, struct record_json *out);

#endif
