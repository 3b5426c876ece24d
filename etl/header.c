/*
 * Matching a file's header row to the fields of a log (etl/header.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "etl/encoding.h"
#include "etl/header.h"
#include "etl/value.h"

static const char UTF8_BOM[] = "\xef\xbb\xbf";

static void clean_name(const char **s, size_t *n)
{
	/* Excel puts the BOM before the first name; spaces may surround it */
	value_trim(s, n);
	if (*n >= 3 && !memcmp(*s, UTF8_BOM, 3)) {
		*s += 3;
		*n -= 3;
		value_trim(s, n);
	}
}

static int name_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(s, name, n);
}

int header_field_of(int kind, const char *name, size_t len)
{
	const struct pm_kind *k = &PM_KINDS[kind];
	int f, a;

	clean_name(&name, &len);
	for (f = 0; f < k->nfields; f++) {
		if (name_is(name, len, k->fields[f].name))
			return f;
		for (a = 0; a < PM_MAX_ALIASES && k->fields[f].aliases[a]; a++)
			if (name_is(name, len, k->fields[f].aliases[a]))
				return f;
	}
	return -1;
}

int header_detect_kind(const char *const *names, const size_t *lens, size_t ncols,
		       pm_error *err)
{
	int kind, best = -1, best_score = -1, tie = 0;
	size_t c;

	for (kind = 0; kind < PM_NKINDS; kind++) {
		int has_key = 0, score = 0, f;

		for (c = 0; c < ncols; c++) {
			f = header_field_of(kind, names[c], lens[c]);
			if (f < 0)
				continue;
			score++;
			if (f == PM_KINDS[kind].key)
				has_key = 1;
		}
		if (!has_key)
			continue;
		if (score > best_score) {
			best = kind;
			best_score = score;
			tie = 0;
		} else if (score == best_score) {
			tie = 1;
		}
	}
	if (best < 0)
		return pm_fail(err, "cannot tell which log this is: the header has none of "
			       "ticket_id (工单号), complaint_id (投诉编号), callback_id (回访编号), "
			       "entry_id (流水号); name the log with --kind");
	if (tie)
		return pm_fail(err, "cannot tell which log this is: the header fits several; "
			       "name the log with --kind");
	return best;
}

static void add_unknown(char *unknown, size_t size, const char *name, size_t len)
{
	size_t used;

	if (!unknown || size == 0)
		return;
	used = strlen(unknown);
	/*
	 * At most 64 bytes of a name, cut between characters; a name that does
	 * not fit whole is left out: the list is printed, so it must stay UTF-8.
	 */
	len = utf8_valid_prefix(name, len > 64 ? 64 : len, NULL);
	if (used + (used ? 2 : 0) + len >= size)
		return;
	snprintf(unknown + used, size - used, "%s%.*s", used ? ", " : "", (int)len, name);
}

static int describe_missing(const struct pm_field *field, pm_error *err)
{
	char aliases[256] = "";
	int a;

	for (a = 0; a < PM_MAX_ALIASES && field->aliases[a]; a++) {
		size_t used = strlen(aliases);

		snprintf(aliases + used, sizeof(aliases) - used, "%s%s", a ? ", " : "",
			 field->aliases[a]);
	}
	return pm_fail(err, "missing required column %s (%s)", field->name, aliases);
}

int header_match(int kind, const char *const *names, const size_t *lens, size_t ncols,
		 struct pm_header *out, char *unknown, size_t unknown_size, pm_error *err)
{
	const struct pm_kind *k = &PM_KINDS[kind];
	size_t c;
	int f;

	memset(out, 0, sizeof(*out));
	if (unknown && unknown_size)
		unknown[0] = '\0';
	out->kind = kind;
	out->ncols = ncols;
	out->col_field = malloc((ncols ? ncols : 1) * sizeof(int));
	if (!out->col_field)
		return pm_fail(err, "out of memory");
	for (f = 0; f < PM_MAX_FIELDS; f++)
		out->field_col[f] = -1;
	for (c = 0; c < ncols; c++) {
		f = header_field_of(kind, names[c], lens[c]);
		out->col_field[c] = f;
		if (f < 0) {
			const char *name = names[c];
			size_t len = lens[c];

			clean_name(&name, &len);
			add_unknown(unknown, unknown_size, name, len);
			continue;
		}
		if (out->field_col[f] >= 0) {
			pm_fail(err, "columns %d and %zu both give field %s; keep one of them",
				out->field_col[f] + 1, c + 1, k->fields[f].name);
			header_free(out);
			return -1;
		}
		out->field_col[f] = (int)c;
	}
	for (f = 0; f < k->nfields; f++) {
		if (k->fields[f].required && out->field_col[f] < 0) {
			describe_missing(&k->fields[f], err);
			header_free(out);
			return -1;
		}
	}
	return 0;
}

void header_free(struct pm_header *h)
{
	free(h->col_field);
	h->col_field = NULL;
}
