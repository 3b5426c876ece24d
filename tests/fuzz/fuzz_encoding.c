/*
 * Fuzz target: the encoding functions on raw bytes (etl/encoding.h).
 *
 * - utf8_valid_prefix: the prefix really is valid, and "truncated" only when
 *   the rest is the start of a sequence.
 * - utf8_sanitize: stays within its 3n+1 capacity and yields valid UTF-8
 *   without NUL.
 * - gb18030_convert: never overruns its output, always makes progress,
 *   writes valid UTF-8 apart from PM_BAD_BYTE; and converting the input in
 *   pieces (as the source does across its reads) gives exactly the whole
 *   conversion, invalid bytes included.
 */
#include <string.h>
#include "etl/encoding.h"
#include "tests/fuzz/fuzz.h"

static void check_utf8(const char *s, size_t n)
{
	size_t valid, clean;
	int truncated;
	char *out = malloc(3 * n + 1);

	FUZZ_CHECK(out != NULL);
	valid = utf8_valid_prefix(s, n, &truncated);
	FUZZ_CHECK(valid <= n);
	FUZZ_CHECK(utf8_valid(s, valid));
	FUZZ_CHECK(utf8_valid(s, n) == (valid == n));
	if (truncated) {
		/* the rest is at most 3 bytes, and more bytes could complete it */
		FUZZ_CHECK(n - valid >= 1 && n - valid <= 3);
	}
	clean = utf8_sanitize(s, n, out);
	FUZZ_CHECK(clean <= 3 * n);
	FUZZ_CHECK(out[clean] == '\0');
	FUZZ_CHECK(utf8_valid(out, clean));
	FUZZ_CHECK(!memchr(out, '\0', clean));
	if (valid == n && !memchr(s, '\0', n))
		FUZZ_CHECK(clean == n && !memcmp(out, s, n));
	free(out);
}

/* Valid UTF-8 once the PM_BAD_BYTE markers are taken out. */
static void check_converted(const char *out, size_t n)
{
	char *copy = malloc(n + 1);
	size_t i, m = 0;

	FUZZ_CHECK(copy != NULL);
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] != PM_BAD_BYTE)
			copy[m++] = out[i];
	FUZZ_CHECK(utf8_valid(copy, m));
	free(copy);
}

/*
 * Converts in[0..n) the way source_next does: pieces of at most step new
 * bytes, the unconsumed tail carried into the next call, final only at the
 * end. The output buffer is cap bytes per call (at least 8 + 3 * step).
 */
static size_t convert(struct pm_gb18030 *gb, const char *in, size_t n, size_t step,
		      char *out, size_t out_size)
{
	size_t pos = 0, end = 0, total = 0, cap = 3 * step + 64;
	int stuck = 0;

	while (pos < n || end < n) {
		size_t consumed, produced;
		int final;

		if (end < n && (end - pos < 8 || stuck))
			end = end + step < n ? end + step : n;
		final = end == n;
		FUZZ_CHECK(total + cap <= out_size);
		gb18030_convert(gb, in + pos, end - pos, final, out + total, cap, &consumed,
				&produced);
		FUZZ_CHECK(consumed <= end - pos);
		FUZZ_CHECK(produced <= cap);
		pos += consumed;
		total += produced;
		if (final && pos == n)
			break;
		/* with all input there and room to write, something must happen */
		if (final)
			FUZZ_CHECK(consumed > 0 || produced > 0);
		stuck = consumed == 0;
	}
	return total;
}

static void check_gb18030(const char *in, size_t n, size_t step)
{
	struct pm_gb18030 gb;
	pm_error err;
	size_t out_size = 3 * n + 64 * (n + 2), whole, pieces;
	char *a = malloc(out_size), *b = malloc(out_size);

	FUZZ_CHECK(a && b);
	FUZZ_CHECK(gb18030_open(&gb, &err) == 0);
	whole = convert(&gb, in, n, n ? n : 1, a, out_size);
	check_converted(a, whole);
	pieces = convert(&gb, in, n, step, b, out_size);
	check_converted(b, pieces);
	FUZZ_CHECK(pieces == whole);
	FUZZ_CHECK(!memcmp(a, b, whole));
	gb18030_close(&gb);
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t step = 1 + (size ? data[0] % 11 : 0);

	check_utf8(s, size);
	check_gb18030(s, size, step);
	return 0;
}
