#ifndef PM_HEADER_H
#define PM_HEADER_H

/*
 * Header matching: which column of a file holds which field of a log.
 * Names match case-insensitively after trimming spaces (and a UTF-8 BOM),
 * either the canonical English name or a Chinese alias (etl/kinds.c).
 * Pure functions over the header row's cells.
 */

#include <stddef.h>
#include "etl/kinds.h"
#include "util/error.h"

#define PM_MAX_FIELDS 16

struct pm_map;

struct pm_header {
	int kind;			/* enum pm_kind_id, or PM_FEE_STATEMENT */
	const struct pm_map *map;	/* the mapping file, or NULL */
	size_t ncols;
	int *col_field;			/* per column: field index, or -1 if unknown */
	int field_col[PM_MAX_FIELDS];	/* per field: column index, or -1 if absent */
	int derive_paid;		/* tickets without paid but with charge: */
					/* paid = charge > 0 (MAPPING.md) */
	/* fees: the fields the checks across fields read, looked up once a file */
	int fee_kind, fee_amount, fee_due, fee_period;
};

/*
 * The fields the file gives, a bit per field index: by a column, a
 * mapping file's constant, or derived (paid from charge).
 */
unsigned header_fields_present(const struct pm_header *h);

/* Field index of one header cell in kind, or -1. */
int header_field_of(int kind, const char *name, size_t len);

/*
 * Whether the header cell (name, len) is field f's name or one of its
 * aliases: header_field_of() can give f only then, and it is one field's
 * few names against all of the kind's.
 */
int header_names_field(int kind, int f, const char *name, size_t len);

/*
 * Recognises the log from its header: the kind whose unique key column is
 * present (if several, the one matching most columns). Returns the kind, or
 * -1 with a message in err.
 */
int header_detect_kind(const char *const *names, const size_t *lens, size_t ncols,
		       pm_error *err);

/*
 * Maps the header onto kind's fields. Fails (-1, message naming the column)
 * if a required column is missing or two columns give the same field.
 * Unknown column names are listed, comma-separated, in unknown (may be
 * NULL); they are not an error. On success free with header_free().
 */
int header_match(int kind, const char *const *names, const size_t *lens, size_t ncols,
		 struct pm_header *out, char *unknown, size_t unknown_size, pm_error *err);

/*
 * header_match() through a mapping file (etl/map.h; NULL: none): its
 * [columns] name the columns of the fields they name (the aliases still
 * find the others), a field with a [constants] value needs no column and
 * must not have one, and a mapped column the header lacks is an error
 * naming the mapping file and line. Unknown columns whose name resembles
 * an alias carry a hint: "处理完成时间 (resolved_at?)".
 */
int header_match_map(int kind, const struct pm_map *map, const char *const *names,
		     const size_t *lens, size_t ncols, struct pm_header *out, char *unknown,
		     size_t unknown_size, pm_error *err);

/* Columns of the header that name a field (by alias or mapping). */
int header_known_columns(int kind, const struct pm_map *map, const char *const *names,
			 const size_t *lens, size_t ncols);

/* The field a header cell gives: the mapping's [columns] first, then aliases; or -1. */
int header_column_field(int kind, const struct pm_map *map, const char *name, size_t len);

/*
 * The kind a header most likely belongs to, counting the columns that name
 * or resemble a field of it; -1 if none does.
 */
int header_guess_kind(const char *const *names, const size_t *lens, size_t ncols);

/* The field whose alias (s, n) resembles, for a hint; or -1. */
int header_resembles(int kind, const char *s, size_t n);
/*
 * The same, taken a bit per field a column already gives: those are named
 * only on a strong likeness (a wrong hint is worse than none).
 */
int header_resembles_free(int kind, const char *s, size_t n, unsigned taken);

void header_free(struct pm_header *h);

#endif
