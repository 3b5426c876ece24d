/*
 * Matching a file's header row to the fields of a log (etl/header.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "etl/encoding.h"
#include "etl/header.h"
#include "etl/map.h"
#include "util/utf8.h"
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

/*
 * Why a record is not the header: a reject's reason, which the importer
 * stores in English whatever the locale (a Chinese one is shown from the
 * stored text through db/reject_reason.h), so not pm_fail()'s translated
 * message. Returns -1.
 */
static int reason(pm_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int reason(pm_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int header_names_field(int kind, int f, const char *name, size_t len)
{
	const struct pm_field *field = &kind_get(kind)->fields[f];
	int a;

	clean_name(&name, &len);
	if (name_is(name, len, field->name))
		return 1;
	for (a = 0; a < PM_MAX_ALIASES && field->aliases[a]; a++)
		if (name_is(name, len, field->aliases[a]))
			return 1;
	return 0;
}

int header_field_of(int kind, const char *name, size_t len)
{
	const struct pm_kind *k = kind_get(kind);
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
			if (f == kind_get(kind)->key)
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
		return reason(err, "cannot tell which log this is: the header has none of "
			       "ticket_id (工单号), complaint_id (投诉编号), callback_id (回访编号), "
			       "entry_id (流水号); name the log with --kind");
	if (tie)
		return reason(err, "cannot tell which log this is: the header fits several; "
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
	return reason(err, "missing required column %s (%s)", field->name, aliases);
}

/* Code points that say nothing about which field a name means. */
static int generic_char(unsigned cp)
{
	return cp == 0x65F6 || cp == 0x95F4 || cp == 0x65E5 || cp == 0x671F;	/* 时间日期 */
}

/* The last code point of the n bytes at s (valid UTF-8). */
static unsigned last_char(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return 0;
	i--;
	return utf8_code_point(s + i, utf8_sequence_length(s + i, n - i));
}

/*
 * How much the header name (s, n) looks like word: two points per
 * non-generic character of s found in word, one more if both end alike
 * (时间, 单号: the same kind of value). -1 if s is ASCII or not UTF-8; 0 if
 * it is not alike enough for a hint.
 */
static int likeness(const char *s, size_t n, const char *word)
{
	size_t i = 0, wlen = strlen(word);
	int shared = 0, wide = 0;

	while (i < n) {
		int len = utf8_sequence_length(s + i, n - i);
		unsigned cp;

		if (len == 0)
			return -1;
		cp = utf8_code_point(s + i, len);
		if (len > 1) {
			char one[5];

			wide = 1;
			memcpy(one, s + i, (size_t)len);
			one[len] = '\0';
			if (!generic_char(cp) && strstr(word, one))
				shared++;
		}
		i += (size_t)len;
	}
	if (!wide)
		return -1;
	/* the alias inside the name (级别 in 投诉级别): the strongest likeness */
	if (wlen < n && memmem(s, n, word, wlen))
		return 100 + (int)wlen;
	if (shared >= 2 || (shared == 1 && last_char(s, n) == last_char(word, wlen)))
		return 2 * shared + (last_char(s, n) == last_char(word, wlen));
	return 0;
}

/* Whether word (len m) is in s (len n) as a whole word: no letter right before or after it. */
static int has_word(const char *s, size_t n, const char *word, size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (!strncasecmp(s + i, word, m) && (i == 0 || !isalpha((unsigned char)s[i - 1])) &&
		    (i + m == n || !isalpha((unsigned char)s[i + m])))
			return 1;
	return 0;
}

/*
 * An English column name and a field name resemble when the shorter is a
 * whole word of the longer and has 4 letters or more: "Site Name" is site,
 * "resolved" resolved_at; but fees' `at` is in every "Date" and "Status",
 * and a hint on half the columns of a foreign export is no hint.
 */
static int ascii_resembles(const char *s, size_t n, const char *name)
{
	size_t m = strlen(name);

	if (n < 4 || m < 4)
		return 0;
	return n <= m ? has_word(name, m, s, n) : has_word(s, n, name, m);
}

int header_resembles(int kind, const char *s, size_t n)
{
	return header_resembles_free(kind, s, n, 0);
}

int header_resembles_free(int kind, const char *s, size_t n, unsigned taken)
{
	const struct pm_kind *k = kind_get(kind);
	int f, a, best = -1, best_score = 0;

	for (f = 0; f < k->nfields; f++) {
		/*
		 * A field a column already gives is named only on a strong
		 * likeness (three characters shared, or an alias inside the
		 * name: 处理完成时间 beside 解决时间 may be the real resolution
		 * time); 处理人 is not the site because 项目 gives it and 管理处
		 * shares two characters.
		 */
		int strong_only = f < 32 && (taken & (1u << f));

		if (!strong_only && ascii_resembles(s, n, k->fields[f].name))
			return f;
		for (a = 0; a < PM_MAX_ALIASES && k->fields[f].aliases[a]; a++) {
			int score = likeness(s, n, k->fields[f].aliases[a]);

			if (strong_only && score < 6)
				continue;
			if (score > best_score) {
				best = f;
				best_score = score;
			}
		}
	}
	return best;
}

static void add_unknown_hinted(char *unknown, size_t size, int kind, const char *name,
			       size_t len, unsigned taken)
{
	int f = header_resembles_free(kind, name, len, taken);
	char hinted[160];

	if (f < 0) {
		add_unknown(unknown, size, name, len);
		return;
	}
	len = utf8_valid_prefix(name, len > 64 ? 64 : len, NULL);
	snprintf(hinted, sizeof(hinted), "%.*s (%s?)", (int)len, name, kind_get(kind)->fields[f].name);
	add_unknown(unknown, size, hinted, strlen(hinted));
}

/* The fields the header's columns (or the mapping's constants) give: no hint names them. */
static unsigned fields_taken(const struct pm_header *h)
{
	int f, n = kind_get(h->kind)->nfields;
	unsigned taken = 0;

	for (f = 0; f < n && f < 32; f++)
		if (h->field_col[f] >= 0 || (h->map && h->map->constant[f]))
			taken |= 1u << f;
	return taken;
}

/* The unknown columns, in order, each hinted with a field no column gives. */
static void list_unknown(const struct pm_header *h, const char *const *names, const size_t *lens,
			 char *unknown, size_t unknown_size)
{
	unsigned taken = fields_taken(h);
	size_t c;

	for (c = 0; c < h->ncols; c++) {
		const char *name = names[c];
		size_t len = lens[c];

		if (h->col_field[c] >= 0)
			continue;
		clean_name(&name, &len);
		add_unknown_hinted(unknown, unknown_size, h->kind, name, len, taken);
	}
}

/* The field a header cell gives: the mapping's [columns] first, then aliases. */
static int field_of_column(int kind, const struct pm_map *map, const char *name, size_t len)
{
	int f;

	clean_name(&name, &len);
	if (map) {
		for (f = 0; f < PM_MAX_FIELDS; f++)
			if (map->column[f] && strlen(map->column[f]) == len &&
			    !strncasecmp(map->column[f], name, len))
				return f;
	}
	f = header_field_of(kind, name, len);
	/* [columns] moved this field to another column */
	if (f >= 0 && map && map->column[f])
		return -1;
	return f;
}

int header_column_field(int kind, const struct pm_map *map, const char *name, size_t len)
{
	return field_of_column(kind, map, name, len);
}

int header_guess_kind(const char *const *names, const size_t *lens, size_t ncols)
{
	int kind, best = -1, best_score = 0;
	size_t c;

	for (kind = 0; kind < PM_NKINDS; kind++) {
		int score = 0;

		for (c = 0; c < ncols; c++) {
			const char *name = names[c];
			size_t len = lens[c];

			clean_name(&name, &len);
			if (header_field_of(kind, name, len) >= 0)
				score += 2;
			else if (header_resembles(kind, name, len) >= 0)
				score++;
		}
		if (score > best_score) {
			best = kind;
			best_score = score;
		}
	}
	return best;
}

int header_known_columns(int kind, const struct pm_map *map, const char *const *names,
			 const size_t *lens, size_t ncols)
{
	size_t c;
	int known = 0;

	for (c = 0; c < ncols; c++)
		if (field_of_column(kind, map, names[c], lens[c]) >= 0)
			known++;
	return known;
}

/*
 * A mapped column or a constant the header contradicts: a reason stored
 * in English like the others of this file (db/reject_reason.c has its
 * Chinese).
 */
static int check_map(const struct pm_kind *k, const struct pm_map *map,
		     const struct pm_header *out, pm_error *err)
{
	int f;

	for (f = 0; f < k->nfields; f++) {
		if (map->column[f] && out->field_col[f] < 0)
			return reason(err, "%s:%d: %s = %s: the file has no such column",
				       map->path, map->column_line[f], k->fields[f].name,
				       map->column[f]);
		if (map->constant[f] && out->field_col[f] >= 0)
			return reason(err, "%s:%d: constant %s: the file has a column for it too "
				       "(column %d); remove one of them", map->path,
				       map->constant_line[f], k->fields[f].name,
				       out->field_col[f] + 1);
	}
	return 0;
}

int header_match_map(int kind, const struct pm_map *map, const char *const *names,
		     const size_t *lens, size_t ncols, struct pm_header *out, char *unknown,
		     size_t unknown_size, pm_error *err)
{
	const struct pm_kind *k = kind_get(kind);
	size_t c;
	int f;

	memset(out, 0, sizeof(*out));
	if (unknown && unknown_size)
		unknown[0] = '\0';
	out->kind = kind;
	out->map = map;
	out->ncols = ncols;
	out->col_field = malloc((ncols ? ncols : 1) * sizeof(int));
	if (!out->col_field)
		return pm_fail(err, "out of memory");
	for (f = 0; f < PM_MAX_FIELDS; f++)
		out->field_col[f] = -1;
	for (c = 0; c < ncols; c++) {
		f = field_of_column(kind, map, names[c], lens[c]);
		out->col_field[c] = f;
		if (f < 0)
			continue;
		if (out->field_col[f] >= 0) {
			reason(err, "columns %d and %zu both give field %s; keep one of them",
				out->field_col[f] + 1, c + 1, k->fields[f].name);
			header_free(out);
			return -1;
		}
		out->field_col[f] = (int)c;
	}
	list_unknown(out, names, lens, unknown, unknown_size);
	if (map && check_map(k, map, out, err)) {
		header_free(out);
		return -1;
	}
	if (kind == PM_FEES) {
		out->fee_kind = kind_field_index(k, "kind");
		out->fee_amount = kind_field_index(k, "amount");
		out->fee_due = kind_field_index(k, "due_date");
		out->fee_period = kind_field_index(k, "period");
	}
	if (kind == PM_TICKETS) {
		int paid = kind_field_index(k, "paid"), charge = kind_field_index(k, "charge");

		out->derive_paid = out->field_col[paid] < 0 && !(map && map->constant[paid]) &&
				   out->field_col[charge] >= 0;
	}
	for (f = 0; f < k->nfields; f++) {
		if (k->fields[f].required && out->field_col[f] < 0 && !(map && map->constant[f])) {
			describe_missing(&k->fields[f], err);
			header_free(out);
			return -1;
		}
	}
	return 0;
}

int header_match(int kind, const char *const *names, const size_t *lens, size_t ncols,
		 struct pm_header *out, char *unknown, size_t unknown_size, pm_error *err)
{
	return header_match_map(kind, NULL, names, lens, ncols, out, unknown, unknown_size, err);
}

unsigned header_fields_present(const struct pm_header *h)
{
	const struct pm_kind *k = kind_get(h->kind);
	unsigned present = 0;
	int f;

	for (f = 0; f < k->nfields; f++)
		if (h->field_col[f] >= 0 || (h->map && h->map->constant[f]))
			present |= 1u << f;
	if (h->derive_paid)
		present |= 1u << kind_field_index(k, "paid");
	return present;
}

void header_free(struct pm_header *h)
{
	free(h->col_field);
	h->col_field = NULL;
}
