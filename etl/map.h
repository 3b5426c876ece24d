#ifndef PM_MAP_H
#define PM_MAP_H

/*
 * A mapping file (../shared/spec/MAPPING.md, docs/import.md "Your own
 * export"): how one system's export maps onto the input contract. Parsed
 * strictly: an unknown key, section or field, a line that does not parse,
 * two fields on one column or a value given twice is an error naming the
 * mapping file and line. The checks against a file's header (a mapped
 * column the file lacks, a constant whose column the file also has) are
 * made by header_match().
 */

#include <stddef.h>
#include "etl/encoding.h"
#include "etl/header.h"
#include "etl/value.h"
#include "util/error.h"

#define PM_MAP_MAX_LIST 16

/* One export value of [values.FIELD]: from (as exported) -> to (canonical). */
struct pm_map_value {
	int field;
	char *from, *to;
	int line;
};

struct pm_map {
	char *path;
	int kind;			/* enum pm_kind_id or PM_FEE_STATEMENT */
	enum pm_encoding encoding;	/* PM_ENC_AUTO unless given */
	char delimiter;			/* 0 unless given */
	int header_line;		/* 0: auto */
	char *skip_rows[PM_MAP_MAX_LIST];
	int nskip_rows;
	char *empty[PM_MAP_MAX_LIST];
	int nempty;
	enum pm_date_order date_order;
	char *column[PM_MAX_FIELDS];	/* per field: the export's header text, or NULL */
	int column_line[PM_MAX_FIELDS];
	char *constant[PM_MAX_FIELDS];	/* per field: the value for every row, or NULL */
	int constant_line[PM_MAX_FIELDS];
	struct pm_map_value *values;
	size_t nvalues;
	char *text;			/* the file's text: the strings above point into it */
};

/* Parses mapping text; name is used in messages. Free with map_free(). */
int map_parse(const char *name, const char *text, size_t len, struct pm_map *map,
	      pm_error *err);

/* Reads and parses the mapping file at path. */
int map_load(const char *path, struct pm_map *map, pm_error *err);

void map_free(struct pm_map *map);

/* The canonical value of field for the export's text (s, n), or NULL. */
const char *map_value(const struct pm_map *map, int field, const char *s, size_t n);

/* Whether (s, n) is one of the map's empty markers. */
int map_is_empty(const struct pm_map *map, const char *s, size_t n);

/* Whether (s, n) starts with one of the summary-row words. */
int map_is_summary(const struct pm_map *map, const char *s, size_t n);

/* Whether a field's values may be mapped ([values.FIELD]). */
int map_vocabulary_field(int kind, int field);

#endif
