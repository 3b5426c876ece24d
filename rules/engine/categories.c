/*
 * A run's window by category (check_params.categories), counted from the
 * tickets and complaints its findings read (find_records_each_category()):
 * the annual summary's category tables without a scan of each log.
 */
#include <stdlib.h>
#include <string.h>
#include "rules/engine/engine.h"
#include "rules/findings/findings.h"

struct adding {
	struct check_categories *out;
	int log, cap;
};

static int add_category(void *arg, const char *name, long long count)
{
	struct adding *a = arg;
	struct check_categories *c = a->out;
	struct check_category *x;

	if (c->n[a->log] == a->cap) {
		int cap = a->cap ? 2 * a->cap : 64;

		x = realloc(c->log[a->log], (size_t)cap * sizeof(*x));
		if (!x)
			return -1;
		c->log[a->log] = x;
		a->cap = cap;
	}
	x = &c->log[a->log][c->n[a->log]];
	x->name = NULL;
	if (name && !(x->name = strdup(name)))
		return -1;
	x->count = count;
	c->n[a->log]++;
	return 0;
}

int check_count_categories(struct check_ctx *c, struct check_categories *out, pm_error *err)
{
	struct find_records *r;
	int log;

	check_categories_free(out);
	/* the run's records, read by its volumes (check_volumes()) if not before */
	if (find_records_get(c, &r, err))
		return -1;
	for (log = 0; log < 2; log++) {
		struct adding a = { out, log, 0 };

		if (find_records_each_category(r, c->scope, log == CHECK_COMPLAINTS, add_category, &a)) {
			check_categories_free(out);
			return pm_fail(err, "out of memory");
		}
	}
	out->counted = 1;
	return 0;
}

void check_categories_free(struct check_categories *c)
{
	int log, i;

	for (log = 0; log < 2; log++) {
		for (i = 0; i < c->n[log]; i++)
			free(c->log[log][i].name);
		free(c->log[log]);
	}
	memset(c, 0, sizeof(*c));
}
