#ifndef PM_KVFILE_H
#define PM_KVFILE_H

/*
 * The line reader shared by the text files users write by hand: the rules
 * file (rules/ruleset/ruleset.c) and the mapping file (etl/map.c). UTF-8 text (a
 * leading BOM dropped), one statement a line: `key = value`, a `[section]`
 * header, a `#` comment or a blank line. A line that is not UTF-8 or holds
 * a control character is an error naming the file and line, so that a file
 * saved as GBK, or an escape sequence, never reaches a terminal or a PDF.
 */

#include <stddef.h>
#include "util/error.h"

#define KV_LINE_MAX 4096

struct kv_reader {
	const char *name;		/* the file, for messages */
	const char *text;
	size_t len, pos;
	int line;			/* of the line last returned, from 1 */
	int inline_comments;		/* " #..." after a statement is a comment too */
	char buf[KV_LINE_MAX];
};

void kv_open(struct kv_reader *r, const char *name, const char *text, size_t len);

/*
 * The next statement, trimmed and never empty, in *stmt (valid until the
 * next call). Returns 1, 0 at the end, or -1 with err naming file and line.
 */
int kv_next(struct kv_reader *r, char **stmt, pm_error *err);

/* Trims spaces and tabs (and a CR) from both ends of s, in place. */
char *kv_trim(char *s);

/* Splits "key = value" in place: 0, or -1 if there is no '='. */
int kv_assignment(char *stmt, char **key, char **value);

/*
 * The NAME of "[NAME]" alone on its line, trimmed, in place; NULL if stmt
 * is not such a header.
 */
char *kv_section(char *stmt);

/*
 * Splits a list separated by ',' or the full-width '，' in place into at
 * most max trimmed items. Returns the count, or -1 if an item is empty or
 * there are more than max.
 */
int kv_list(char *value, char **items, int max);

#endif
