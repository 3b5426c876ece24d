/*
 * Fuzz target: the header matcher (etl/header.h). The input is split into
 * header cells at each LF byte (cells may hold any other byte, NUL
 * included, as CSV fields may); each cell is its own allocation of exactly
 * its length plus the NUL the reader adds.
 *
 * Checked: detection and matching succeed or fail with a message; a match
 * is consistent both ways (column -> field -> column), names no field
 * twice, has every required field, and agrees with header_field_of; the
 * list of unknown columns fits its buffer even when that is tiny, and is
 * valid UTF-8 (it is printed).
 */
#include <string.h>
#include "etl/encoding.h"
#include "etl/header.h"
#include "tests/fuzz/fuzz.h"

#define MAX_CELLS 64

static void check_match(int kind, const char *const *names, const size_t *lens, size_t n,
			size_t unknown_size)
{
	const struct pm_kind *k = &PM_KINDS[kind];
	struct pm_header h;
	char unknown[512];
	pm_error err;
	size_t c;
	int f;

	memset(unknown, 'x', sizeof(unknown));
	err.msg[0] = '\0';
	if (header_match(kind, names, lens, n, &h, unknown, unknown_size, &err)) {
		FUZZ_CHECK(err.msg[0] != '\0');
		return;
	}
	if (unknown_size) {
		FUZZ_CHECK(memchr(unknown, '\0', unknown_size) != NULL);
		FUZZ_CHECK(unknown[unknown_size] == 'x');
		/* printed as a warning: never a character cut in two */
		FUZZ_CHECK(utf8_valid(unknown, strlen(unknown)));
	} else {
		FUZZ_CHECK(unknown[0] == 'x');
	}
	FUZZ_CHECK(h.kind == kind && h.ncols == n);
	for (c = 0; c < n; c++) {
		f = h.col_field[c];
		FUZZ_CHECK(f == header_field_of(kind, names[c], lens[c]));
		FUZZ_CHECK(f >= -1 && f < k->nfields);
		if (f >= 0)
			FUZZ_CHECK(h.field_col[f] == (int)c);
	}
	for (f = 0; f < PM_MAX_FIELDS; f++) {
		if (f >= k->nfields) {
			FUZZ_CHECK(h.field_col[f] == -1);
			continue;
		}
		if (h.field_col[f] >= 0)
			FUZZ_CHECK((size_t)h.field_col[f] < n && h.col_field[h.field_col[f]] == f);
		if (k->fields[f].required)
			FUZZ_CHECK(h.field_col[f] >= 0);
	}
	header_free(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cell[MAX_CELLS];
	const char *names[MAX_CELLS];
	size_t lens[MAX_CELLS], n = 0, pos = 0, i;
	pm_error err;
	int kind;

	while (n < MAX_CELLS && (pos < size || n == 0)) {
		const uint8_t *lf = memchr(data + pos, '\n', size - pos);
		size_t len = lf ? (size_t)(lf - (data + pos)) : size - pos;

		cell[n] = malloc(len + 1);
		FUZZ_CHECK(cell[n] != NULL);
		memcpy(cell[n], data + pos, len);
		cell[n][len] = '\0';
		names[n] = cell[n];
		lens[n] = len;
		n++;
		pos += len + 1;
	}
	err.msg[0] = '\0';
	kind = header_detect_kind(names, lens, n, &err);
	FUZZ_CHECK(kind >= -1 && kind < PM_NKINDS);
	FUZZ_CHECK(kind >= 0 || err.msg[0] != '\0');
	for (kind = 0; kind < PM_NKINDS; kind++) {
		check_match(kind, names, lens, n, 400);
		check_match(kind, names, lens, n, 1 + size % 17);
		check_match(kind, names, lens, n, 0);
		/* no header at all */
		check_match(kind, names, lens, 0, 16);
	}
	for (i = 0; i < n; i++)
		free(cell[i]);
	return 0;
}
