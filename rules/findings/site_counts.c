/*
 * Counts by site (rules/findings/find.h): a row of `width` counters per
 * site, the sites numbered in the order first seen. The satisfaction's
 * tally by result and the open backlog's by age are both of this shape.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/findings/find.h"

void site_counts_init(struct site_counts *t, int width)
{
	memset(t, 0, sizeof(*t));
	strtab_init(&t->sites);
	t->width = width;
}

void site_counts_free(struct site_counts *t)
{
	strtab_free(&t->sites);
	free(t->n);
	t->n = NULL;
	t->cap = 0;
}

long long *site_counts_row(struct site_counts *t, const char *site)
{
	int i = strtab_intern(&t->sites, site ? site : "");

	if (i < 0)
		return NULL;
	if (i >= t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		long long *more = realloc(t->n, (size_t)cap * (size_t)t->width * sizeof(*more));

		if (!more)
			return NULL;
		memset(more + (size_t)t->cap * (size_t)t->width, 0,
		       (size_t)(cap - t->cap) * (size_t)t->width * sizeof(*more));
		t->n = more;
		t->cap = cap;
	}
	return t->n + (size_t)i * (size_t)t->width;
}
