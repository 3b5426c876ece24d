/*
 * Fuzz target: the mapping-file parser (etl/map.h, map_parse) on raw text
 * that is not NUL-terminated, and a parsed map applied to a header.
 *
 * Checked: it succeeds, or fails with a message naming the file; a parsed
 * map has a kind, columns and constants only for fields of that kind,
 * never both for one field, no column named twice, values only for fields
 * with a vocabulary and no export value twice per field; matching a
 * header through it never crashes; freeing it leaks nothing.
 */
#include <string.h>
#include "etl/header.h"
#include "etl/kinds.h"
#include "etl/map.h"
#include "tests/fuzz/fuzz.h"

static void check_map(const struct pm_map *map)
{
	const struct pm_kind *k;
	size_t i, j;
	int f, g;

	FUZZ_CHECK(map->kind >= 0 && map->kind <= PM_FEE_STATEMENT);
	k = kind_get(map->kind);
	for (f = 0; f < PM_MAX_FIELDS; f++) {
		FUZZ_CHECK(f < k->nfields || (!map->column[f] && !map->constant[f]));
		FUZZ_CHECK(!(map->column[f] && map->constant[f]));
		for (g = 0; g < f; g++)
			FUZZ_CHECK(!map->column[f] || !map->column[g] ||
				   strcasecmp(map->column[f], map->column[g]));
	}
	for (i = 0; i < map->nvalues; i++) {
		FUZZ_CHECK(map->values[i].field >= 0 && map->values[i].field < k->nfields);
		FUZZ_CHECK(map_vocabulary_field(map->kind, map->values[i].field));
		FUZZ_CHECK(map->values[i].from[0] && map->values[i].to[0]);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(map->values[j].field != map->values[i].field ||
				   strcmp(map->values[j].from, map->values[i].from));
	}
	FUZZ_CHECK(map->nskip_rows >= 0 && map->nskip_rows <= PM_MAP_MAX_LIST);
	FUZZ_CHECK(map->nempty >= 0 && map->nempty <= PM_MAP_MAX_LIST);
}

/* The map's own column names as a header: it must match or fail cleanly. */
static void apply(const struct pm_map *map)
{
	const char *names[PM_MAX_FIELDS];
	size_t lens[PM_MAX_FIELDS], n = 0;
	struct pm_header h;
	char unknown[64];
	pm_error err;
	int f;

	for (f = 0; f < PM_MAX_FIELDS; f++)
		if (map->column[f]) {
			names[n] = map->column[f];
			lens[n++] = strlen(map->column[f]);
		}
	err.msg[0] = '\0';
	if (header_match_map(map->kind, map, names, lens, n, &h, unknown, sizeof(unknown), &err))
		FUZZ_CHECK(err.msg[0]);
	else
		header_free(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_map map;
	pm_error err;
	char *text = malloc(size ? size : 1);

	FUZZ_CHECK(text != NULL);
	memcpy(text, data, size);
	err.msg[0] = '\0';
	if (map_parse("fuzz/input.map", text, size, &map, &err)) {
		FUZZ_CHECK(!strncmp(err.msg, "fuzz/input.map", 14));
	} else {
		check_map(&map);
		apply(&map);
		map_free(&map);
	}
	free(text);
	return 0;
}
