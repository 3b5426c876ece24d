/*
 * Mapping files: one system's export onto the input contract (etl/map.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "etl/kinds.h"
#include "etl/map.h"
#include "util/i18n.h"
#include "util/kvfile.h"

/* A mapping file is a few dozen lines; anything this large is a mistake. */
#define MAP_MAX_BYTES (1 << 20)
#define MAP_MAX_VALUES 1024

/* Summary rows without a mapping file (and with one that names none). */
static const char *const DEFAULT_SUMMARY[] = { "合计", "总计", "小计" };

enum section { TOP, COLUMNS, VALUES, CONSTANTS };

struct map_parse {
	const char *name;
	int line;
	struct pm_map *map;
	enum section section;
	int values_field;		/* [values.FIELD] being read */
	int kind_line;
	unsigned top_seen;		/* bit per top-level key given */
};

static int at(struct map_parse *mp, pm_error *err, const char *fmt, const char *a,
	      const char *b)
{
	char what[700];

	/* fmt is translated as pm_fail's is (xgettext keyword at:3) */
	snprintf(what, sizeof(what), _(fmt), a, b);
	return pm_fail(err, "%s:%d: %s", mp->name, mp->line, what);
}

static const char *const TOP_KEYS[] = {
	"kind", "encoding", "delimiter", "header", "skip_rows", "empty", "date_order", NULL
};

static int set_kind(struct map_parse *mp, const char *v, pm_error *err)
{
	int kind = kind_by_name(v);

	if (kind < 0)
		return at(mp, err, "kind: '%s' is not tickets, complaints, callbacks, fees or "
			  "fee-statement%s", v, "");
	mp->map->kind = kind;
	mp->kind_line = mp->line;
	return 0;
}

static int set_header(struct map_parse *mp, const char *v, pm_error *err)
{
	char *end;
	long n;

	if (!strcmp(v, "auto")) {
		mp->map->header_line = 0;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1 || n > 1000)
		return at(mp, err, "header: '%s' is not auto or a line number (1-1000)%s", v, "");
	mp->map->header_line = (int)n;
	return 0;
}

static int set_list(struct map_parse *mp, const char *key, char *v, char **items, int *count,
		    pm_error *err)
{
	*count = kv_list(v, items, PM_MAP_MAX_LIST);
	if (*count < 0) {
		*count = 0;
		return at(mp, err, "%s: an empty item, or more than 16 items, in '%s'", key, v);
	}
	return 0;
}

static int set_top(struct map_parse *mp, int k, char *v, pm_error *err)
{
	struct pm_map *map = mp->map;

	switch (k) {
	case 0:
		return set_kind(mp, v, err);
	case 1:
		if (encoding_parse(v) < 0)
			return at(mp, err, "encoding: '%s' is not auto, utf-8 or gb18030%s", v, "");
		map->encoding = encoding_parse(v);
		return 0;
	case 2:
		if (!strcmp(v, "comma"))
			map->delimiter = ',';
		else if (!strcmp(v, "tab"))
			map->delimiter = '\t';
		else if (!strcmp(v, "semicolon"))
			map->delimiter = ';';
		else
			return at(mp, err, "delimiter: '%s' is not comma, tab or semicolon%s", v, "");
		return 0;
	case 3:
		return set_header(mp, v, err);
	case 4:
		return set_list(mp, "skip_rows", v, map->skip_rows, &map->nskip_rows, err);
	case 5:
		return set_list(mp, "empty", v, map->empty, &map->nempty, err);
	default:
		if (!strcmp(v, "ymd"))
			map->date_order = PM_YMD;
		else if (!strcmp(v, "mdy"))
			map->date_order = PM_MDY;
		else if (!strcmp(v, "dmy"))
			map->date_order = PM_DMY;
		else
			return at(mp, err, "date_order: '%s' is not ymd, mdy or dmy%s", v, "");
		return 0;
	}
}

static int top_assignment(struct map_parse *mp, const char *key, char *v, pm_error *err)
{
	int k;

	for (k = 0; TOP_KEYS[k]; k++)
		if (!strcmp(TOP_KEYS[k], key))
			break;
	if (!TOP_KEYS[k])
		return at(mp, err, "unknown key '%s' (expected kind, encoding, delimiter, header, "
			  "skip_rows, empty or date_order)%s", key, "");
	if (mp->top_seen & (1u << k))
		return at(mp, err, "%s is given twice%s", key, "");
	if (!*v)
		return at(mp, err, "%s: empty value%s", key, "");
	mp->top_seen |= 1u << k;
	return set_top(mp, k, v, err);
}

/* The field called name in the map's kind, or an error naming it. */
static int field_of(struct map_parse *mp, const char *name, int *field, pm_error *err)
{
	const struct pm_kind *k = kind_get(mp->map->kind);

	*field = kind_field_index(k, name);
	if (*field < 0)
		return at(mp, err, "unknown field '%s' for %s", name, k->name);
	return 0;
}

static int column_assignment(struct map_parse *mp, const char *key, char *v, pm_error *err)
{
	struct pm_map *map = mp->map;
	int f, g;

	if (field_of(mp, key, &f, err))
		return -1;
	if (!*v)
		return at(mp, err, "%s: empty column name%s", key, "");
	if (map->column[f])
		return at(mp, err, "%s is mapped twice%s", key, "");
	for (g = 0; g < PM_MAX_FIELDS; g++)
		if (map->column[g] && !strcasecmp(map->column[g], v)) {
			char other[64];

			snprintf(other, sizeof(other), "%s (line %d)",
				 kind_get(map->kind)->fields[g].name, map->column_line[g]);
			return at(mp, err, "column '%s' is already mapped to %s: two fields cannot "
				  "read one column", v, other);
		}
	map->column[f] = v;
	map->column_line[f] = mp->line;
	return 0;
}

static int constant_assignment(struct map_parse *mp, const char *key, char *v, pm_error *err)
{
	struct pm_map *map = mp->map;
	int f;

	if (field_of(mp, key, &f, err))
		return -1;
	if (!*v)
		return at(mp, err, "%s: empty constant%s", key, "");
	if (map->constant[f])
		return at(mp, err, "constant %s is given twice%s", key, "");
	map->constant[f] = v;
	map->constant_line[f] = mp->line;
	return 0;
}

int map_vocabulary_field(int kind, int field)
{
	const struct pm_field *f = &kind_get(kind)->fields[field];

	if (f->type == PM_BOOL || f->type == PM_LEVEL || f->type == PM_REF_KIND ||
	    f->type == PM_FEE_KIND)
		return 1;
	return kind == PM_TICKETS && !strcmp(f->name, "category");
}

/* Whether canon is a canonical value of the field (the left-hand side). */
static int canonical(int kind, int field, const char *canon)
{
	const struct pm_field *f = &kind_get(kind)->fields[field];
	size_t n = strlen(canon);

	switch (f->type) {
	case PM_BOOL:
		return !strcmp(canon, "yes") || !strcmp(canon, "no");
	case PM_LEVEL:
		return value_level(canon, n) && !strcmp(value_level(canon, n), canon);
	case PM_REF_KIND:
		return value_ref_kind(canon, n) && !strcmp(value_ref_kind(canon, n), canon);
	case PM_FEE_KIND:
		return value_fee_kind(canon, n) && !strcmp(value_fee_kind(canon, n), canon);
	default:
		return n > 0;	/* ticket categories: any text */
	}
}

static const char *canonical_hint(int kind, int field)
{
	switch (kind_get(kind)->fields[field].type) {
	case PM_BOOL:
		return "yes or no";
	case PM_LEVEL:
		return "major, important or minor";
	case PM_REF_KIND:
		return "ticket or complaint";
	case PM_FEE_KIND:
		return "charge, payment, waiver or reminder";
	default:
		return "a category";
	}
}

static int add_value(struct map_parse *mp, const char *canon, char *from, pm_error *err)
{
	struct pm_map *map = mp->map;
	struct pm_map_value *grown;
	size_t i;

	for (i = 0; i < map->nvalues; i++)
		if (map->values[i].field == mp->values_field && !strcmp(map->values[i].from, from)) {
			char first[16];

			snprintf(first, sizeof(first), "%d", map->values[i].line);
			return at(mp, err, "value '%s' is given twice (first at line %s)", from, first);
		}
	if (map->nvalues == MAP_MAX_VALUES)
		return at(mp, err, "more than 1024 values%s%s", "", "");
	grown = realloc(map->values, (map->nvalues + 1) * sizeof(*grown));
	if (!grown)
		return pm_fail(err, "out of memory");
	map->values = grown;
	grown[map->nvalues].field = mp->values_field;
	grown[map->nvalues].from = from;
	grown[map->nvalues].to = (char *)canon;
	grown[map->nvalues].line = mp->line;
	map->nvalues++;
	return 0;
}

static int values_assignment(struct map_parse *mp, const char *key, char *v, pm_error *err)
{
	char *items[PM_MAP_MAX_LIST];
	int count, i;

	if (!canonical(mp->map->kind, mp->values_field, key))
		return at(mp, err, "'%s' is not a value of this field (expected %s)", key,
			  canonical_hint(mp->map->kind, mp->values_field));
	count = kv_list(v, items, PM_MAP_MAX_LIST);
	if (count < 0)
		return at(mp, err, "%s: an empty item, or more than 16 items, in '%s'", key, v);
	for (i = 0; i < count; i++)
		if (add_value(mp, key, items[i], err))
			return -1;
	return 0;
}

static int start_section(struct map_parse *mp, char *stmt, pm_error *err)
{
	char *name = kv_section(stmt);

	if (!name)
		return at(mp, err, "a section header is [NAME] alone on its line%s%s", "", "");
	if (mp->map->kind < 0)
		return at(mp, err, "[%s] before kind = ...: say first which log the file is%s",
			  name, "");
	if (!strcmp(name, "columns")) {
		mp->section = COLUMNS;
	} else if (!strcmp(name, "constants")) {
		mp->section = CONSTANTS;
	} else if (!strncmp(name, "values.", 7)) {
		if (field_of(mp, name + 7, &mp->values_field, err))
			return -1;
		if (!map_vocabulary_field(mp->map->kind, mp->values_field))
			return at(mp, err, "[%s]: %s has no fixed vocabulary to map", name, name + 7);
		mp->section = VALUES;
	} else {
		return at(mp, err, "unknown section [%s] (expected [columns], [values.FIELD] or "
			  "[constants])%s", name, "");
	}
	return 0;
}

static int statement(struct map_parse *mp, char *stmt, pm_error *err)
{
	char *key, *value;

	if (*stmt == '[')
		return start_section(mp, stmt, err);
	if (kv_assignment(stmt, &key, &value))
		return at(mp, err, "expected key = value or [section]%s%s", "", "");
	if (!*key)
		return at(mp, err, "a key is missing before '='%s%s", "", "");
	switch (mp->section) {
	case TOP:
		return top_assignment(mp, key, value, err);
	case COLUMNS:
		return column_assignment(mp, key, value, err);
	case CONSTANTS:
		return constant_assignment(mp, key, value, err);
	default:
		return values_assignment(mp, key, value, err);
	}
}

/* After the last line: what must hold for the whole file. */
static int check_whole(struct map_parse *mp, pm_error *err)
{
	struct pm_map *map = mp->map;
	int f;

	if (map->kind < 0)
		return pm_fail(err, "%s: kind = ... is missing (tickets, complaints, callbacks, "
			       "fees or fee-statement)", mp->name);
	for (f = 0; f < PM_MAX_FIELDS; f++)
		if (map->column[f] && map->constant[f])
			return pm_fail(err, "%s:%d: %s is both a column (line %d) and a constant",
				       mp->name, map->constant_line[f],
				       kind_get(map->kind)->fields[f].name, map->column_line[f]);
	return 0;
}

int map_parse(const char *name, const char *text, size_t len, struct pm_map *map,
	      pm_error *err)
{
	struct map_parse mp;
	struct kv_reader kv;
	char *stmt;
	int rc;

	memset(map, 0, sizeof(*map));
	memset(&mp, 0, sizeof(mp));
	map->kind = -1;
	map->path = strdup(name);
	/* the strings of the map point into lines that outlive the reader */
	map->text = malloc(len + 1);
	if (!map->path || !map->text) {
		map_free(map);
		return pm_fail(err, "out of memory");
	}
	mp.name = name;
	mp.map = map;
	kv_open(&kv, name, text, len);
	kv.inline_comments = 1;
	map->text[0] = '\0';
	{
		size_t used = 0;

		while ((rc = kv_next(&kv, &stmt, err)) > 0) {
			size_t n = strlen(stmt);
			char *copy = map->text + used;

			memcpy(copy, stmt, n + 1);
			used += n + 1;
			mp.line = kv.line;
			if (statement(&mp, copy, err)) {
				rc = -1;
				break;
			}
		}
	}
	if (rc < 0 || check_whole(&mp, err)) {
		map_free(map);
		return -1;
	}
	return 0;
}

int map_load(const char *path, struct pm_map *map, pm_error *err)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t len;
	int rc;

	memset(map, 0, sizeof(*map));
	if (!f)
		return pm_fail(err, "%s: cannot open mapping file: %s", path, strerror(errno));
	text = malloc(MAP_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return pm_fail(err, "out of memory");
	}
	len = fread(text, 1, MAP_MAX_BYTES + 1, f);
	fclose(f);
	if (len > MAP_MAX_BYTES) {
		free(text);
		return pm_fail(err, "%s: a mapping file of more than 1 MiB; is this the export?",
			       path);
	}
	rc = map_parse(path, text, len, map, err);
	free(text);
	return rc;
}

void map_free(struct pm_map *map)
{
	free(map->path);
	free(map->text);
	free(map->values);
	memset(map, 0, sizeof(*map));
	map->kind = -1;
}

const char *map_value(const struct pm_map *map, int field, const char *s, size_t n)
{
	size_t i;

	if (!map)
		return NULL;
	for (i = 0; i < map->nvalues; i++)
		if (map->values[i].field == field && strlen(map->values[i].from) == n &&
		    !memcmp(map->values[i].from, s, n))
			return map->values[i].to;
	return NULL;
}

int map_is_empty(const struct pm_map *map, const char *s, size_t n)
{
	int i;

	if (!map)
		return 0;
	for (i = 0; i < map->nempty; i++)
		if (strlen(map->empty[i]) == n && !memcmp(map->empty[i], s, n))
			return 1;
	return 0;
}

static int starts_with(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && !memcmp(s, word, w);
}

int map_is_summary(const struct pm_map *map, const char *s, size_t n)
{
	int i;

	if (map && map->nskip_rows) {
		for (i = 0; i < map->nskip_rows; i++)
			if (starts_with(s, n, map->skip_rows[i]))
				return 1;
		return 0;
	}
	for (i = 0; i < (int)(sizeof(DEFAULT_SUMMARY) / sizeof(DEFAULT_SUMMARY[0])); i++)
		if (starts_with(s, n, DEFAULT_SUMMARY[i]))
			return 1;
	return 0;
}
