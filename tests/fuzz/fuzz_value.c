/*
 * Fuzz target: the value parsers of etl/value.h on raw bytes (not
 * NUL-terminated: the input is copied to a buffer of exactly its size, so
 * ASan catches a read one past the end).
 *
 * Checked: every parser accepts or refuses with a reason; what it accepts
 * comes out in the stored form, is a real calendar value, and parses back
 * to itself (the stored form is one of the accepted forms).
 */
#include <string.h>
#include "etl/value.h"
#include "tests/fuzz/fuzz.h"

static int is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 'YYYY-MM-DD' with a real day. */
static void check_date_text(const char *d)
{
	char end[PM_DATE_SIZE], period[PM_PERIOD_SIZE];

	FUZZ_CHECK(is_digits(d, 4) && d[4] == '-' && is_digits(d + 5, 2) && d[7] == '-' &&
		   is_digits(d + 8, 2));
	memcpy(period, d, 7);
	period[7] = '\0';
	FUZZ_CHECK(value_period_end(period, end) == 0);
	FUZZ_CHECK(memcmp(d, "1900-01-01", 10) >= 0 && memcmp(d + 8, "01", 2) >= 0);
	FUZZ_CHECK(memcmp(d, end, 10) <= 0);
}

static void check_timestamp(const char *s, size_t n)
{
	char out[PM_TIMESTAMP_SIZE], again[PM_TIMESTAMP_SIZE], date[PM_DATE_SIZE];
	const char *why = NULL;
	int has_time = -1, ok;

	ok = value_timestamp(s, n, out, &has_time, &why) == 0;
	/* the year-last orders accept what ymd accepts, and maybe more */
	if (ok) {
		char other[PM_TIMESTAMP_SIZE];

		FUZZ_CHECK(value_timestamp_order(s, n, PM_MDY, other, NULL, NULL) == 0);
		FUZZ_CHECK(!strcmp(out, other));
	} else {
		char other[PM_TIMESTAMP_SIZE];

		if (value_timestamp_order(s, n, PM_DMY, other, NULL, NULL) == 0)
			FUZZ_CHECK(value_timestamp(other, strlen(other), out, NULL, NULL) == 0);
	}
	FUZZ_CHECK(ok || why != NULL);
	FUZZ_CHECK((value_date(s, n, date, NULL) == 0) == ok);
	if (!ok)
		return;
	FUZZ_CHECK(has_time == 0 || has_time == 1);
	FUZZ_CHECK(strlen(out) == PM_TIMESTAMP_SIZE - 1);
	check_date_text(out);
	FUZZ_CHECK(out[10] == ' ' && out[13] == ':' && out[16] == ':');
	FUZZ_CHECK(memcmp(out + 11, "23", 2) <= 0 && memcmp(out + 14, "59", 2) <= 0 &&
		   memcmp(out + 17, "59", 2) <= 0);
	FUZZ_CHECK(!memcmp(out, date, 10) && date[10] == '\0');
	FUZZ_CHECK(value_timestamp(out, strlen(out), again, NULL, NULL) == 0);
	FUZZ_CHECK(!strcmp(out, again));
	if (!has_time)
		FUZZ_CHECK(!strcmp(out + 10, " 00:00:00"));
}

static void check_period(const char *s, size_t n)
{
	char out[PM_PERIOD_SIZE], again[PM_PERIOD_SIZE], end[PM_DATE_SIZE];
	const char *why = NULL;

	if (value_period(s, n, out, &why)) {
		FUZZ_CHECK(why != NULL);
		return;
	}
	FUZZ_CHECK(strlen(out) == 7 && out[4] == '-');
	FUZZ_CHECK(value_period_end(out, end) == 0);
	check_date_text(end);
	FUZZ_CHECK(value_period(out, 7, again, NULL) == 0 && !strcmp(out, again));
}

static void check_money(const char *s, size_t n)
{
	int64_t cents, again;
	const char *why = NULL;
	char text[32];
	uint64_t mag;

	if (value_money(s, n, &cents, &why)) {
		FUZZ_CHECK(why != NULL);
		return;
	}
	/* written back as plain yuan.fen, it must parse to the same cents */
	mag = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(text, sizeof(text), "%s%llu.%02llu", cents < 0 ? "-" : "",
		 (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
	FUZZ_CHECK(value_money(text, strlen(text), &again, NULL) == 0);
	FUZZ_CHECK(again == cents);
}

static void check_words(const char *s, size_t n)
{
	const char *why = NULL, *w;
	int b = -1;

	if (value_bool(s, n, &b, &why) == 0)
		FUZZ_CHECK(b == 0 || b == 1);
	else
		FUZZ_CHECK(why != NULL);
	w = value_level(s, n);
	FUZZ_CHECK(!w || !strcmp(w, "major") || !strcmp(w, "important") || !strcmp(w, "minor"));
	w = value_ref_kind(s, n);
	FUZZ_CHECK(!w || !strcmp(w, "ticket") || !strcmp(w, "complaint"));
	w = value_fee_kind(s, n);
	FUZZ_CHECK(!w || !strcmp(w, "charge") || !strcmp(w, "payment") || !strcmp(w, "waiver") ||
		   !strcmp(w, "reminder"));
}

static void check_trim(const char *s, size_t n)
{
	const char *t = s;
	size_t m = n;

	value_trim(&t, &m);
	FUZZ_CHECK(t >= s && t + m <= s + n);
	if (m) {
		FUZZ_CHECK(*t != ' ' && *t != '\t' && t[m - 1] != ' ' && t[m - 1] != '\t');
	}
}

/* value_period_end takes a NUL-terminated text; anything but a period is refused. */
static void check_period_end(const char *s, size_t n)
{
	char text[16], end[PM_DATE_SIZE];

	if (n >= sizeof(text))
		return;
	memcpy(text, s, n);
	text[n] = '\0';
	if (value_period_end(text, end) == 0)
		FUZZ_CHECK(strlen(end) == 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	const char *t;
	size_t n = size;

	FUZZ_CHECK(s != NULL);
	memcpy(s, data, size);
	check_timestamp(s, size);
	check_period(s, size);
	check_money(s, size);
	check_words(s, size);
	check_trim(s, size);
	check_period_end(s, size);
	/* the parsers see trimmed values in import */
	t = s;
	value_trim(&t, &n);
	check_timestamp(t, n);
	check_money(t, n);
	free(s);
	return 0;
}
