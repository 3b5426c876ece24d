/*
 * `pmaudit import --dry-run` and `--write-map` (etl/dry_run.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "etl/dry_run.h"
#include "etl/kinds.h"
#include "db/reject_reason.h"
#include "util/i18n.h"
#include "util/outfile.h"
#include "util/term.h"

/* first rows shown, reasons shown, lines listed per reason */
#define SHOW_ROWS 3
#define SHOW_REASONS 20
#define SHOW_LINES 5

int dry_run_open(sqlite3 **db, pm_error *err)
{
	/* "": a private database in a temporary file, deleted on close */
	return db_open("", 10000, db, err);
}

void dry_run_columns(const struct pm_import_result *r, FILE *out)
{
	int i;

	fprintf(out, _("  columns:\n"));
	for (i = 0; i < r->ncolumns; i++) {
		const struct pm_column_read *c = &r->column[i];

		if (!strcmp(c->how, "derived"))
			term_printf(out, _("    (no column) -> %s (derived: paid = charge > 0)"), c->field);
		else if (!strcmp(c->how, "constant"))
			term_printf(out, _("    (constant) %s -> %s (mapping file)"), c->name, c->field);
		else if (c->field[0])
			/* how: "alias" or "mapping file" (etl/import.c) */
			term_printf(out, "    %s -> %s (%s)", c->name, c->field,
				    !strcmp(c->how, "alias") ? _("alias") : _("mapping file"));
		else if (c->hint[0])
			term_printf(out, _("    %s -> (unmapped (%s?))"), c->name, c->hint);
		else
			term_printf(out, _("    %s -> (unmapped)"), c->name);
	}
}

/* The first rows of this run as stored, one "field=value" list each. */
static void print_rows(sqlite3 *db, const struct pm_import_result *r, FILE *out)
{
	const struct pm_kind *k = &PM_KINDS[r->kind];
	sqlite3_stmt *stmt;
	char sql[160];
	int c;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE import_run=?1 ORDER BY src_line, rowid "
		 "LIMIT %d", k->name, SHOW_ROWS * (r->statement ? 3 : 1));
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL))
		return;
	sqlite3_bind_int64(stmt, 1, r->run_id);
	fprintf(out, _("  first rows as they would be stored:\n"));
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char line[2048] = "";
		size_t used = 0;

		for (c = 0; c < k->nfields && used < sizeof(line); c++) {
			const unsigned char *v = sqlite3_column_text(stmt, c);

			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s=%s",
						 c ? " " : "", k->fields[c].name,
						 v ? (const char *)v : "NULL");
		}
		term_printf(out, _("    line %lld: %s"), (long long)sqlite3_column_int64(stmt, k->nfields + 1),
			    line);
	}
	sqlite3_finalize(stmt);
}

/*
 * Rejects grouped by what is wrong: the field and the reason up to the
 * quoted value (so that '特急' and '特级' count as one reason).
 */
/*
 * A group's first reject in full, as an import prints it: the value and
 * why it was refused ("... needs date_order = mdy or dmy in a mapping
 * file"), which the group's reason alone does not say.
 */
static void print_first(sqlite3_stmt *stmt, FILE *out)
{
	const char *full = (const char *)sqlite3_column_text(stmt, 4);
	char zh[1200];

	if (!full)
		return;
	if (i18n_chinese()) {
		reject_reason_zh(full, zh, sizeof(zh));
		full = zh;
	}
	term_printf(out, _("      e.g. line %lld: %s"), (long long)sqlite3_column_int64(stmt, 3), full);
}

static void print_rejects(sqlite3 *db, const struct pm_import_result *r, FILE *out)
{
	static const char sql[] =
		"SELECT coalesce(field || ': ', '') || CASE WHEN instr(reason, '''') > 0 "
		"THEN rtrim(substr(reason, 1, instr(reason, '''') - 1)) ELSE reason END AS what, "
		"count(*), group_concat(line, ', '), "
		/* the first of the group in full: its value and why (SQLite's min() row) */
		"min(line), coalesce(field || ': ', '') || reason FROM (SELECT * FROM import_rejects "
		"WHERE run_id=?1 ORDER BY line) GROUP BY what ORDER BY min(line) LIMIT ?2";
	sqlite3_stmt *stmt;

	if (!r->rejected) {
		fprintf(out, _("  rejects: none\n"));
		return;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL))
		return;
	sqlite3_bind_int64(stmt, 1, r->run_id);
	sqlite3_bind_int(stmt, 2, SHOW_REASONS);
	fprintf(out, _("  rejects: %lld\n"), (long long)r->rejected);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *lines = (const char *)sqlite3_column_text(stmt, 2);
		int count = sqlite3_column_int(stmt, 1), shown = 0;
		const char *p = lines;

		/* the first SHOW_LINES line numbers */
		while (p && *p && shown < SHOW_LINES) {
			p = strchr(p, ',');
			shown++;
			if (p)
				p++;
		}
		const char *what = (const char *)sqlite3_column_text(stmt, 0);
		char zh[600];

		if (what && i18n_chinese()) {
			reject_reason_zh(what, zh, sizeof(zh));
			what = zh;
		}
		term_printf(out, _("    %dx %s (line %.*s%s)"), count, what ? what : "",
			    (int)(p && *p ? (size_t)(p - lines - 1) : strlen(lines)), lines,
			    p && *p ? ", ..." : "");
		print_first(stmt, out);
	}
	sqlite3_finalize(stmt);
}

void dry_run_report(sqlite3 *db, const char *path, const struct pm_import_result *r,
		    FILE *out)
{
	int i;

	term_printf(out, _("%s: %s%s, %s, header on line %lld, %lld line(s) above it skipped"),
		    path, r->statement ? _("fee statement -> ") : "", PM_KINDS[r->kind].name,
		    encoding_name(r->encoding), (long long)r->header_line,
		    (long long)r->title_lines);
	dry_run_columns(r, out);
	print_rows(db, r, out);
	fprintf(out, _("  rows read: %lld, would be stored: %lld, rejected: %lld\n"),
		(long long)r->rows, (long long)r->stored, (long long)r->rejected);
	print_rejects(db, r, out);
	fprintf(out, _("  summary rows skipped: %lld"), (long long)r->summary_rows);
	for (i = 0; i < r->summary_rows && i < PM_IMPORT_SHOW_LINES; i++)
		fprintf(out, "%s%lld", i ? ", " : _(" (line "), (long long)r->summary_line[i]);
	fprintf(out, "%s\n", r->summary_rows ? ")" : "");
	if (r->paid_derived)
		fprintf(out, _("  paid: no such column; read as paid = charge > 0\n"));
}

/* The phrases of etl/row.c that quote a value a vocabulary did not know. */
static const struct {
	const char *phrase;
} UNKNOWN_VALUE[] = {
	{ "unknown level '" }, { "not a yes/no value '" }, { "unknown callback type '" },
	{ "unknown entry type '" },
};

#define MAX_UNKNOWN 64

struct unknown_values {
	int n;
	char field[MAX_UNKNOWN][32];
	char value[MAX_UNKNOWN][128];
};

static void add_unknown_value(struct unknown_values *u, const char *field, size_t flen,
			      const char *value, size_t vlen)
{
	int i;

	if (flen >= sizeof(u->field[0]) || vlen >= sizeof(u->value[0]))
		return;
	for (i = 0; i < u->n; i++)
		if (!strncmp(u->field[i], field, flen) && !u->field[i][flen] &&
		    !strncmp(u->value[i], value, vlen) && !u->value[i][vlen])
			return;
	if (u->n == MAX_UNKNOWN)
		return;
	memcpy(u->field[u->n], field, flen);
	u->field[u->n][flen] = '\0';
	memcpy(u->value[u->n], value, vlen);
	u->value[u->n][vlen] = '\0';
	u->n++;
}

/* One "reason" segment of a reject: the value, if a vocabulary refused it. */
static void scan_segment(struct unknown_values *u, const char *field, size_t flen,
			 const char *seg, size_t slen)
{
	size_t i, plen;

	for (i = 0; i < sizeof(UNKNOWN_VALUE) / sizeof(UNKNOWN_VALUE[0]); i++) {
		const char *q, *end;

		plen = strlen(UNKNOWN_VALUE[i].phrase);
		if (slen < plen || strncmp(seg, UNKNOWN_VALUE[i].phrase, plen))
			continue;
		q = seg + plen;
		end = memchr(q, '\'', slen - plen);
		if (end)
			add_unknown_value(u, field, flen, q, (size_t)(end - q));
	}
}

/* Values the vocabularies did not know, from the run's rejects. */
static void unknown_values(sqlite3 *db, int64_t run_id, struct unknown_values *u)
{
	sqlite3_stmt *stmt;

	u->n = 0;
	if (sqlite3_prepare_v2(db, "SELECT field, reason FROM import_rejects WHERE run_id=?1 "
			       "AND field IS NOT NULL ORDER BY line", -1, &stmt, NULL))
		return;
	sqlite3_bind_int64(stmt, 1, run_id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *field = (const char *)sqlite3_column_text(stmt, 0);
		const char *reason = (const char *)sqlite3_column_text(stmt, 1);
		size_t flen = strlen(field);

		/* "why; field2: why2; field3: why3" */
		for (;;) {
			const char *next = strstr(reason, "; ");
			size_t len = next ? (size_t)(next - reason) : strlen(reason);
			const char *colon;

			scan_segment(u, field, flen, reason, len);
			if (!next)
				break;
			reason = next + 2;
			colon = strstr(reason, ": ");
			if (!colon)
				break;
			field = reason;
			flen = (size_t)(colon - reason);
			reason = colon + 2;
		}
	}
	sqlite3_finalize(stmt);
}

static void write_columns(FILE *f, const struct pm_import_result *r)
{
	int i;

	fprintf(f, "\n[columns]\n");
	for (i = 0; i < r->ncolumns; i++) {
		const struct pm_column_read *c = &r->column[i];

		if (!strcmp(c->how, "constant") || !strcmp(c->how, "derived"))
			continue;	/* no column */
		if (c->field[0])
			fprintf(f, "%s = %s\n", c->field, c->name);
		else if (c->hint[0])
			fprintf(f, "# %s = %s    # unmapped column; its name suggests this field: "
				"check, then remove the '#'\n", c->hint, c->name);
		else
			fprintf(f, "# FIELD = %s    # unmapped column: name its field, or leave it "
				"out\n", c->name);
	}
}

static void write_values(FILE *f, sqlite3 *db, const struct pm_import_result *r,
			 const struct pm_map *map)
{
	const struct pm_kind *k = kind_get(map ? map->kind : r->kind);
	struct unknown_values u;
	const char *done = "";
	size_t v;
	int i;

	if (map)
		for (v = 0; v < map->nvalues; v++) {
			const char *name = k->fields[map->values[v].field].name;

			if (strcmp(done, name))
				fprintf(f, "\n[values.%s]\n", name);
			done = name;
			fprintf(f, "%s = %s\n", map->values[v].to, map->values[v].from);
		}
	unknown_values(db, r->run_id, &u);
	for (i = 0; i < u.n; i++) {
		if (i == 0 || strcmp(u.field[i], u.field[i - 1]))
			fprintf(f, "\n# [values.%s]    # values the import did not know\n",
				u.field[i]);
		fprintf(f, "# CANONICAL = %s\n", u.value[i]);
	}
}

/* Ticket categories besides 安全设施 and 渗漏水: each counts as "other". */
static void write_categories(FILE *f, sqlite3 *db, const struct pm_import_result *r)
{
	sqlite3_stmt *stmt;
	int n = 0;

	if (r->kind != PM_TICKETS ||
	    sqlite3_prepare_v2(db, "SELECT DISTINCT category FROM tickets WHERE import_run=?1 "
			       "AND category NOT IN ('安全设施', '渗漏水') ORDER BY 1 LIMIT 100",
			       -1, &stmt, NULL))
		return;
	sqlite3_bind_int64(stmt, 1, r->run_id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (n++ == 0)
			fprintf(f, "\n# [values.category]    # these count as other repairs; list "
				"safety and leak work:\n# 安全设施 = ...\n# 渗漏水 = ...\n");
		fprintf(f, "#   %s\n", sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
}

/* "key = a, b" from the map's list, or the usual values commented out. */
static void write_list(FILE *f, const char *key, char *const *items, int n,
		       const char *usual)
{
	int i;

	if (n == 0) {
		fprintf(f, "# %s = %s\n", key, usual);
		return;
	}
	fprintf(f, "%s = ", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", items[i]);
	fprintf(f, "\n");
}

/*
 * date_order: the mapping file's, kept; else, when dates such as
 * 05/01/2022 were refused for want of one, a commented line saying so (the
 * user knows whether the system writes the month or the day first).
 */
static void write_date_order(FILE *f, sqlite3 *db, const struct pm_import_result *r,
			     const struct pm_map *map)
{
	static const char *const names[] = { "ymd", "mdy", "dmy" };
	sqlite3_stmt *stmt;

	if (map && map->date_order != PM_YMD) {
		fprintf(f, "date_order = %s\n", names[map->date_order]);
		return;
	}
	if (sqlite3_prepare_v2(db, "SELECT line FROM import_rejects WHERE run_id=?1 AND "
			       "instr(reason, 'needs date_order') > 0 ORDER BY line LIMIT 1",
			       -1, &stmt, NULL))
		return;
	sqlite3_bind_int64(stmt, 1, r->run_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		fprintf(f, "# date_order = mdy    # dates written year last were refused (line %lld): "
			"mdy if the month comes first (US), dmy if the day does\n",
			(long long)sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
}

int dry_run_write_map(sqlite3 *db, const char *path, const struct pm_import_result *r,
		      const struct pm_map *map, const char *out_path, pm_error *err)
{
	const struct pm_kind *k;
	struct outfile out;
	FILE *f;

	/* whole or not at all: a temporary renamed over out_path (util/outfile.h) */
	if (outfile_open(&out, out_path, err))
		return -1;
	f = out.f;
	k = kind_get(map ? map->kind : r->kind);
	fprintf(f, "# Mapping file written by `pmaudit import --write-map` from %s.\n"
		"# Check every line, complete the commented ones (remove the '#'), then try it:\n"
		"#   pmaudit import --dry-run --map THIS-FILE %s\n"
		"# Format: docs/import.md, \"Your own export\".\n\n", path, path);
	fprintf(f, "kind = %s\nencoding = %s\nheader = auto    # found on line %lld\n",
		k->name, encoding_name(r->encoding), (long long)r->header_line);
	write_list(f, "skip_rows", map ? map->skip_rows : NULL, map ? map->nskip_rows : 0,
		   "合计, 总计, 小计");
	write_list(f, "empty", map ? map->empty : NULL, map ? map->nempty : 0, "-, —, /");
	write_date_order(f, db, r, map);
	write_columns(f, r);
	write_values(f, db, r, map);
	write_categories(f, db, r);
	if (map) {
		int c, any = 0;

		for (c = 0; c < k->nfields; c++)
			if (map->constant[c])
				fprintf(f, "%s%s = %s\n", any++ ? "" : "\n[constants]\n",
					k->fields[c].name, map->constant[c]);
	}
	return outfile_commit(&out, err);
}
