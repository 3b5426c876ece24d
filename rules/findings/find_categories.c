/*
 * The window's tickets and complaints by category, from the records the
 * findings read (find_records.c): every record whose start lies in [from,
 * to) is held, whatever its site or as-of time, with its category
 * numbered in the records' string table -- the rows a report's category
 * table counts (SELECT category ... WHERE reported_at >= from AND
 * reported_at < to AND site), so a report need not read the log again
 * (check_params.categories).
 */
#include <stdlib.h>
#include "rules/findings/find.h"

int find_records_each_category(const struct find_records *r, const struct run_scope *s,
			       int complaints,
			       int (*fn)(void *arg, const char *name, long long count), void *arg)
{
	const struct find_kind *k = &r->kind[complaints ? FIND_COMPLAINT : FIND_TICKET];
	/* the site's number: the same string, the same number (sites, rooms and categories share the table) */
	int site = s->site ? strtab_find(&r->names, s->site) : -1;
	/* by category number + 1; [0]: none */
	long long *n = calloc((size_t)r->names.count + 1, sizeof(*n));
	int i, rc = 0;

	if (!n)
		return -1;
	if (!s->site || site >= 0)
		for (i = 0; i < k->n; i++) {
			const struct find_row *row = &k->row[i];

			if (row->in_window && (!s->site || row->site == site))
				n[row->category + 1]++;
		}
	for (i = 0; i <= r->names.count && rc == 0; i++)
		if (n[i])
			rc = fn(arg, i ? r->names.strs[i - 1] : NULL, n[i]);
	free(n);
	return rc;
}
