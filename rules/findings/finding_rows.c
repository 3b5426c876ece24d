/*
 * Finding rows (status 'finding') into check_records, through the sink's
 * record writer (rules/results/results_sink.h), which batches them and
 * stores none in a figures-only run; and the finding's detail text, built
 * in a buffer of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "rules/findings/find.h"

int finding_rows_open(struct check_ctx *c, struct finding_rows *w, pm_error *err)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	buf_init(&w->detail);
	if (record_writer_open(c, &w->out, err)) {
		finding_rows_close(w);
		return -1;
	}
	return 0;
}

int finding_row(struct finding_rows *w, const char *rule, const char *kind, const char *id,
		const char *site, const char *start, const char *end, const char *detail,
		pm_error *err)
{
	struct record_row row;

	memset(&row, 0, sizeof(row));
	row.rule_id = rule;
	row.kind = kind;
	row.id = id;
	row.site = site;
	row.start = start;
	row.end = end;
	row.status = "finding";
	row.detail = detail;
	return record_writer_put(w->c, &w->out, &row, err);
}

const char *finding_detail(struct finding_rows *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf_reserve(&w->detail, 256))
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(w->detail.data, w->detail.cap, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n >= w->detail.cap) {
		if (buf_reserve(&w->detail, (size_t)n + 1))
			return NULL;
		va_start(ap, fmt);
		vsnprintf(w->detail.data, w->detail.cap, fmt, ap);
		va_end(ap);
	}
	return w->detail.data;
}

int finding_rows_finish(struct finding_rows *w, pm_error *err)
{
	return record_writer_flush(w->c, &w->out, err);
}

void finding_rows_close(struct finding_rows *w)
{
	record_writer_close(&w->out);
	buf_free(&w->detail);
}
