#ifndef PM_CHART_H
#define PM_CHART_H

#include <stdio.h>
#include "util/error.h"

/*
 * Charts drawn by gnuplot (pngcairo, WenQuanYi Zen Hei) through a pipe.
 *
 * Safety: category labels and series names come from the data (site names,
 * categories typed by clerks) and are never written into the gnuplot script
 * as code. They travel only inside the inline datablock, as double-quoted
 * data fields from which '"', '\\' and control characters are removed, so no
 * line of the block can end it ("EOD") or become a command. Titles are the
 * program's own fixed strings and are single-quoted as well.
 */

enum chart_kind {
	CHART_LINES,     /* one line per series over the categories (days, months) */
	CHART_BARS,      /* clustered vertical bars, optional target line */
	CHART_STACKED,   /* one stacked bar per category, a segment per series */
	CHART_HBARS      /* horizontal bars, one series, categories top to bottom */
};

#define CHART_MAX_SERIES 8

struct chart {
	enum chart_kind kind;
	const char *title;        /* may be NULL: the report prints a caption */
	const char *ylabel;
	int nseries;
	const char *series[CHART_MAX_SERIES];
	int ncats;
	const char *const *cats;
	const double *values;     /* ncats x nseries, row by row; NAN = no value */
	int percent;              /* values are rates 0..1, axis in percent */
	int whole;                /* values are counts: axis ticks in whole steps */
	int money;                /* values are yuan: axis labels "¥1200" */
	int has_target;
	double target;            /* same unit as values */
	const char *target_label;
	int label_every;          /* CHART_LINES: label every nth category (0: all) */
	int width, height;        /* pixels; 0: 1000 x 460 */
};

/* Whether any value is a number: gnuplot refuses to plot nothing at all. */
int chart_has_data(const struct chart *c);

/* Writes the PNG; fails with gnuplot's message if it failed. */
int chart_render(const struct chart *c, const char *png_path, pm_error *err);

/*
 * One gnuplot for several charts (a report's): chart_session_start()
 * starts it, chart_session_render() draws one chart as chart_render()
 * does -- the script begins with `reset`, so the PNG's bytes are those of
 * a gnuplot of its own -- and chart_session_end() closes its input and
 * waits for it (killing it after PMAUDIT_GNUPLOT_TIMEOUT seconds). After
 * a failed chart the session draws no more.
 */
struct chart_session;
int chart_session_start(struct chart_session **s, pm_error *err);
int chart_session_render(struct chart_session *s, const struct chart *c, const char *png_path,
			 pm_error *err);
void chart_session_end(struct chart_session *s);

/* The gnuplot script for c (for tests and for chart_render). */
int chart_script(FILE *out, const struct chart *c, const char *png_path);

#endif
