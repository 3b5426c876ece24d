/*
 * pmgen — seeded generator of realistic customer-service exports of a
 * fictional property-management company (the four logs of DATA.md:
 * tickets, complaints, callbacks, fees).
 *
 * Design:
 * - Determinism. Every record is generated from its own PRNG stream,
 *   seeded from (--seed, log kind, record index) with splitmix64. So a record
 *   can be regenerated at any time without storing it: the callbacks log
 *   re-derives the ticket or complaint it follows up. No floating point
 *   is used, so output is byte-identical on every machine.
 * - Constant memory. Records are written one by one into a stdio buffer;
 *   nothing grows with the row count.
 * - Realism. Distributions are chosen so that every rule of RULES.md sees
 *   met, breached, pending and missing cases (see docs/generator.md).
 *
 * Only libc is used, so the tool builds anywhere.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- PRNG */

/*
 * splitmix64 (Steele, Lea, Flood 2014; public domain reference by
 * S. Vigna). One 64-bit state, add a constant, mix. Good enough for test
 * data and trivially portable.
 */
typedef struct { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform integer in [0, n); n > 0. The tiny modulo bias is irrelevant here. */
static int64_t rng_below(rng *r, int64_t n)
{
	return (int64_t)(rng_next(r) % (uint64_t)n);
}

/* Uniform integer in [lo, hi]. */
static int64_t rng_range(rng *r, int64_t lo, int64_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* True with probability per_mille / 1000. */
static int rng_chance(rng *r, int per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* Pick an index by integer weights. */
static int rng_weighted(rng *r, const int *weights, int n)
{
	int total = 0, i;
	for (i = 0; i < n; i++)
		total += weights[i];
	int x = (int)rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

enum { STREAM_TICKET = 1, STREAM_COMPLAINT, STREAM_CALLBACK, STREAM_ROOM, STREAM_EXTRA };

/* A fresh stream for record `index` of log `stream`. */
static rng rng_for(uint64_t seed, int stream, uint64_t index)
{
	rng r = { seed * 0x2545f4914f6cdd1dULL ^ ((uint64_t)stream << 56) ^ index };
	rng_next(&r);
	return r;
}

/* ------------------------------------------------------------ calendar */

/* Seconds since 1970-01-01 00:00 of a naive local (China) time. */
typedef int64_t stamp;
#define MINUTE 60
#define HOUR 3600
#define DAY 86400
#define NONE INT64_MIN

/* Days from civil (H. Hinnant's algorithm), proleptic Gregorian. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A month as a running number: year * 12 + (month - 1). */
typedef int month_no;

static stamp month_start(month_no mo)
{
	return days_from_civil(mo / 12, mo % 12 + 1, 1) * DAY;
}

static int month_days(month_no mo)
{
	return (int)((month_start(mo + 1) - month_start(mo)) / DAY);
}

static int64_t day_of(stamp t)
{
	return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* Same wall-clock time, `n` calendar months later (day clamped). */
static stamp add_months(stamp t, int n)
{
	int y, m, d;
	int64_t day = day_of(t);
	civil_from_days(day, &y, &m, &d);
	month_no mo = y * 12 + m - 1 + n;
	int md = month_days(mo);
	if (d > md)
		d = md;
	return days_from_civil(mo / 12, mo % 12 + 1, d) * DAY + (t - day * DAY);
}

/*
 * Activity over the day, per hour: few reports at night, peaks in the
 * morning and afternoon. Times are spread by the inverse of this
 * distribution so that record order follows time order (ids ascend with
 * time, as in a real export).
 */
static const int hour_weight[24] = {
	1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8, 5, 5, 8, 9, 9, 8, 6, 5, 4, 3, 2, 1,
};
static int64_t hour_cum[25]; /* cumulative weight, in weight-seconds */

static void init_hours(void)
{
	for (int h = 0; h < 24; h++)
		hour_cum[h + 1] = hour_cum[h] + (int64_t)hour_weight[h] * HOUR;
}

/*
 * The time of record k of n falling in month `mo`: the month is cut into n
 * equal slices of activity; record k lands at random in slice k.
 */
static stamp spread_in_month(rng *r, month_no mo, int64_t k, int64_t n)
{
	int64_t per_day = hour_cum[24];
	int64_t total = per_day * month_days(mo);
	int64_t lo = k * total / n, hi = (k + 1) * total / n;
	int64_t p = lo + (hi > lo ? rng_below(r, hi - lo) : 0);
	int64_t day = p / per_day, x = p % per_day;
	int h = 0;
	while (hour_cum[h + 1] <= x)
		h++;
	return month_start(mo) + day * DAY + (int64_t)h * HOUR + (x - hour_cum[h]) / hour_weight[h];
}

/*
 * Staff work between 8:00 and 21:00: a time outside moves to the next
 * morning (urgent repairs and first responses are exempt: the hotline and
 * the duty technicians work round the clock).
 */
static stamp office_hours(rng *r, stamp at)
{
	if (at == NONE)
		return NONE;
	int64_t day = day_of(at), tod = at - day * DAY;
	if (tod < 8 * HOUR)
		return day * DAY + 8 * HOUR + rng_below(r, 2 * HOUR);
	if (tod >= 21 * HOUR)
		return (day + 1) * DAY + 8 * HOUR + rng_below(r, 2 * HOUR);
	return at;
}

/* ------------------------------------------------------------- options */

typedef struct {
	uint64_t seed;
	int sites;
	month_no from, to;
	int64_t tickets, complaints, callbacks, fees, rooms;
	const char *out_dir;
	const char *only;
	int zh;
} options;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pmgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static const char usage[] =
	"usage: pmgen [--seed N] [--sites N] [--from YYYY-MM] [--to YYYY-MM]\n"
	"             [--tickets N] [--complaints N] [--callbacks N] [--fees N | --rooms N]\n"
	"             [--headers en|zh] (--out DIR | --only tickets|complaints|callbacks|fees)\n"
	"Writes tickets.csv, complaints.csv, callbacks.csv and fees.csv into DIR,\n"
	"or one log to standard output. See docs/generator.md.\n";

static int64_t parse_count(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *s == '\0' || *end || v < 0 || v > 100000000LL)
		die("%s: expected a count from 0 to 100000000, got '%s'", opt, s);
	return v;
}

static month_no parse_month(const char *opt, const char *s)
{
	int y, m, n = 0;
	if (sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || s[n] || y < 1971 || y > 9998 || m < 1 || m > 12)
		die("%s: expected YYYY-MM, got '%s'", opt, s);
	return y * 12 + m - 1;
}

static void parse_options(int argc, char **argv, options *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->sites = 3;
	o->from = o->to = -1;
	o->tickets = 1000;
	o->complaints = o->callbacks = o->fees = o->rooms = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			exit(0);
		}
		if (i + 1 >= argc)
			die("unknown or incomplete option '%s'\n%s", a, usage);
		const char *v = argv[++i];
		if (!strcmp(a, "--seed")) {
			char *end;
			errno = 0;
			o->seed = strtoull(v, &end, 10);
			if (errno || !*v || *end)
				die("--seed: expected a number, got '%s'", v);
		} else if (!strcmp(a, "--sites")) {
			o->sites = (int)parse_count(a, v);
			if (o->sites < 1 || o->sites > 999)
				die("--sites: expected 1 to 999");
		} else if (!strcmp(a, "--from")) {
			o->from = parse_month(a, v);
		} else if (!strcmp(a, "--to")) {
			o->to = parse_month(a, v);
		} else if (!strcmp(a, "--tickets")) {
			o->tickets = parse_count(a, v);
		} else if (!strcmp(a, "--complaints")) {
			o->complaints = parse_count(a, v);
		} else if (!strcmp(a, "--callbacks")) {
			o->callbacks = parse_count(a, v);
		} else if (!strcmp(a, "--fees")) {
			o->fees = parse_count(a, v);
		} else if (!strcmp(a, "--rooms")) {
			o->rooms = parse_count(a, v);
			if (o->rooms < 1 || o->rooms > 99999)
				die("--rooms: expected 1 to 99999");
		} else if (!strcmp(a, "--out")) {
			o->out_dir = v;
		} else if (!strcmp(a, "--only")) {
			o->only = v;
			if (strcmp(v, "tickets") && strcmp(v, "complaints") && strcmp(v, "callbacks") && strcmp(v, "fees"))
				die("--only: expected tickets, complaints, callbacks or fees, got '%s'", v);
		} else if (!strcmp(a, "--headers")) {
			if (!strcmp(v, "zh"))
				o->zh = 1;
			else if (strcmp(v, "en"))
				die("--headers: expected en or zh, got '%s'", v);
		} else {
			die("unknown option '%s'\n%s", a, usage);
		}
	}
	if (!o->out_dir == !o->only)
		die("give exactly one of --out DIR or --only LOG\n%s", usage);
	if (o->from < 0 && o->to < 0)
		o->from = o->to = 2026 * 12 + 9; /* 2026-10 */
	else if (o->from < 0)
		o->from = o->to;
	else if (o->to < 0)
		o->to = o->from;
	if (o->to < o->from)
		die("--to is before --from");
	if (o->complaints < 0)
		o->complaints = (o->tickets + 5) / 6;
}

/* ------------------------------------------------------------ the world */

static const char *const site_names[] = {
	"翠湖花园", "金桂苑", "海棠湾", "锦绣华庭", "碧水云天", "紫荆公寓", "枫林绿洲",
	"银杏家园", "丽景名苑", "桂花城", "玉兰新村", "滨江壹号",
};
#define N_SITE_NAMES (int)(sizeof site_names / sizeof site_names[0])

static char site_buf[64];

/* The i-th site: the named ones first, then 翠湖花园2期, 金桂苑2期, ... */
static const char *site_name(int i)
{
	if (i < N_SITE_NAMES)
		return site_names[i];
	snprintf(site_buf, sizeof site_buf, "%s%d期", site_names[i % N_SITE_NAMES], i / N_SITE_NAMES + 1);
	return site_buf;
}

/*
 * Room r of a site, as 5栋2单元1203: mixed radix over 12 buildings, 3
 * units, 30 floors and 4 flats (4320 flats per 12 buildings), so that every
 * r has its own name.
 */
static void room_name(int64_t r, char *buf, size_t len)
{
	/* Scatter consecutive r over the estate: 2731 is coprime to 4320. */
	r = r / 4320 * 4320 + r % 4320 * 2731 % 4320;
	int64_t building = r % 12, rest = r / 12;
	int unit = (int)(rest % 3) + 1;
	rest /= 3;
	int floor = (int)(rest % 30) + 1;
	rest /= 30;
	int flat = (int)(rest % 4) + 1;
	building += 12 * (rest / 4) + 1;
	snprintf(buf, len, "%" PRId64 "栋%d单元%d%02d", building, unit, floor, flat);
}

static const char *const categories[] = {
	"水电", "门窗", "渗漏水", "安全设施", "公共设施", "管道疏通", "电梯", "墙面地面",
};
static const int category_weight[] = { 28, 14, 12, 8, 15, 10, 5, 8 };
enum { CAT_LEAK = 2, CAT_SAFETY = 3, N_CATEGORIES = 8 };

static const char *const technicians[] = {
	"王建国", "李师傅", "张伟", "刘强", "陈志明", "杨军", "赵海涛", "黄永胜", "周立", "吴德才",
};
static const char *const clerks[] = { "林晓燕", "孙丽", "郑敏", "何静", "高雪梅", "罗佳" };
static const char *const supervisors[] = { "马主管", "许振华", "邓玉兰" };
static const char *const managers[] = { "冯经理", "曹文斌" };

/* ------------------------------------------------------------ output */

typedef struct {
	FILE *f;
	char line[8192];
	size_t len;
	int zh;
} out;

static void put_raw(out *o, const char *s, size_t n)
{
	if (o->len + n + 1 < sizeof o->line) {
		memcpy(o->line + o->len, s, n);
		o->len += n;
	}
}

static void put_sep(out *o)
{
	put_raw(o, ",", 1);
}

/* A text field, quoted per RFC 4180 when it holds a comma, quote or line end. */
static void put_text(out *o, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		put_raw(o, s, strlen(s));
		return;
	}
	put_raw(o, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			put_raw(o, "\"", 1);
		put_raw(o, s, 1);
	}
	put_raw(o, "\"", 1);
}

static void put_int(out *o, int64_t v, int width)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)-v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n < width)
		tmp[n++] = '0';
	if (v < 0)
		put_raw(o, "-", 1);
	while (n)
		put_raw(o, &tmp[--n], 1);
}

/* YYYY-MM-DD HH:MM:SS, or nothing for NONE. */
static void put_stamp(out *o, stamp t)
{
	if (t == NONE)
		return;
	int y, m, d;
	int64_t day = day_of(t), s = t - day * DAY;
	civil_from_days(day, &y, &m, &d);
	put_int(o, y, 4);
	put_raw(o, "-", 1);
	put_int(o, m, 2);
	put_raw(o, "-", 1);
	put_int(o, d, 2);
	put_raw(o, " ", 1);
	put_int(o, s / HOUR, 2);
	put_raw(o, ":", 1);
	put_int(o, s / MINUTE % 60, 2);
	put_raw(o, ":", 1);
	put_int(o, s % 60, 2);
}

static void put_date(out *o, stamp t)
{
	int y, m, d;
	civil_from_days(day_of(t), &y, &m, &d);
	put_int(o, y, 4);
	put_raw(o, "-", 1);
	put_int(o, m, 2);
	put_raw(o, "-", 1);
	put_int(o, d, 2);
}

static void put_period(out *o, month_no mo)
{
	put_int(o, mo / 12, 4);
	put_raw(o, "-", 1);
	put_int(o, mo % 12 + 1, 2);
}

/* Cents as 1234.50; nothing for NONE. */
static void put_money(out *o, int64_t cents)
{
	if (cents == NONE)
		return;
	if (cents < 0) {
		put_raw(o, "-", 1);
		cents = -cents;
	}
	put_int(o, cents / 100, 1);
	put_raw(o, ".", 1);
	put_int(o, cents % 100, 2);
}

static void put_bool(out *o, int v)
{
	if (o->zh)
		put_text(o, v ? "是" : "否");
	else
		put_raw(o, v ? "1" : "0", 1);
}

static void end_line(out *o)
{
	put_raw(o, "\n", 1);
	fwrite(o->line, 1, o->len, o->f);
	o->len = 0;
}

/* An id like T2026090001: prefix, year and month, then a sequence number. */
static void put_id(out *o, const char *prefix, month_no mo, int64_t seq, int width)
{
	put_raw(o, prefix, strlen(prefix));
	put_int(o, mo / 12, 4);
	put_int(o, mo % 12 + 1, 2);
	put_int(o, seq, width);
}

/* Digits the per-month sequence needs: 4 like T2026090001, more for huge runs. */
static int seq_width(int64_t per_month)
{
	int w = 4;
	for (int64_t lim = 9999; per_month > lim && w < 12; lim = lim * 10 + 9)
		w++;
	return w;
}

/* ------------------------------------------------------------ tickets */

typedef struct {
	int64_t index;
	month_no mo;
	int64_t seq;
	int site;
	int64_t room;
	int category;
	int urgent, paid;
	int64_t charge;
	stamp reported, dispatched, arrived, completed, leak_test;
	int technician;
} ticket;

typedef struct {
	const options *opt;
	int months;
	stamp export_end; /* nothing after the end of the --to month is exported */
	int64_t rooms;    /* rooms per site */
} world;

/* How many of `total` records fall in month number `m` of the range. */
static int64_t per_month(int64_t total, int months, int m)
{
	return total / months + (m < total % months);
}

/* Map a record index to its month and its sequence number inside it. */
static void locate(int64_t total, int months, int64_t index, int *m, int64_t *k)
{
	int64_t base = total / months, extra = total % months;
	int64_t big = (base + 1) * extra; /* the first `extra` months hold base + 1 */
	if (index < big) {
		*m = (int)(index / (base + 1));
		*k = index % (base + 1);
	} else {
		*m = (int)(extra + (index - big) / base);
		*k = (index - big) % base;
	}
}

/* Drops an event the export cannot know yet (after its end). */
static stamp seen(const world *w, stamp t)
{
	return t == NONE || t >= w->export_end ? NONE : t;
}

static void make_ticket(const world *w, int64_t index, ticket *t)
{
	const options *opt = w->opt;
	rng r = rng_for(opt->seed, STREAM_TICKET, (uint64_t)index);
	int m;
	memset(t, 0, sizeof *t);
	t->index = index;
	locate(opt->tickets, w->months, index, &m, &t->seq);
	t->mo = opt->from + m;
	t->reported = spread_in_month(&r, t->mo, t->seq, per_month(opt->tickets, w->months, m));
	t->site = (int)rng_below(&r, opt->sites);
	t->category = rng_weighted(&r, category_weight, N_CATEGORIES);
	t->room = rng_below(&r, w->rooms);
	/* A few problem flats leak again and again (repeated-problem finding). */
	if (rng_chance(&r, 20)) {
		t->room = rng_below(&r, w->rooms < 3 ? w->rooms : 3);
		t->category = CAT_LEAK;
	}
	t->urgent = rng_chance(&r, t->category == CAT_SAFETY || t->category == CAT_LEAK ? 300 : 100);
	t->paid = rng_chance(&r, 250);
	t->charge = NONE;
	if (t->paid) {
		/* Half-yuan steps; about a third at or above 200.00. */
		t->charge = rng_chance(&r, 330) ? rng_range(&r, 400, 1600) * 50 : rng_range(&r, 40, 399) * 50;
	}
	t->technician = (int)rng_below(&r, 10);
	t->dispatched = t->reported + rng_range(&r, 60, 10 * MINUTE);

	int how = (int)rng_below(&r, 1000);
	if (t->urgent) {
		if (how < 860)
			t->arrived = t->reported + rng_range(&r, 3 * MINUTE, 15 * MINUTE);
		else if (how < 970)
			t->arrived = t->reported + rng_range(&r, 15 * MINUTE + 1, 90 * MINUTE);
		else
			t->arrived = NONE; /* never recorded */
	} else {
		t->arrived = how < 920 ? t->dispatched + rng_range(&r, 20 * MINUTE, 28 * HOUR) : NONE;
		t->arrived = office_hours(&r, t->arrived);
	}

	/* Work takes from half an hour to a few days; a few stay open. */
	stamp base = t->arrived != NONE ? t->arrived : t->dispatched + 2 * HOUR;
	how = (int)rng_below(&r, 1000);
	if (how < 930)
		t->completed = base + rng_range(&r, 30 * MINUTE, rng_chance(&r, 850) ? 4 * HOUR : 5 * DAY);
	else if (how < 990)
		t->completed = NONE;
	else
		t->completed = t->reported - rng_range(&r, HOUR, 2 * DAY); /* impossible: data error */
	if (!t->urgent && t->completed > t->reported)
		t->completed = office_hours(&r, t->completed);
	t->leak_test = NONE;
	if (t->category == CAT_LEAK && t->completed != NONE && rng_chance(&r, 800))
		t->leak_test = t->completed + rng_range(&r, DAY, 3 * DAY);
	t->dispatched = seen(w, t->dispatched);
	t->arrived = seen(w, t->arrived);
	t->completed = seen(w, t->completed);
	t->leak_test = t->completed == NONE ? NONE : seen(w, t->leak_test);
}

static void put_ticket_id(out *o, const world *w, month_no mo, int64_t seq)
{
	put_id(o, "T", mo, seq + 1, seq_width(per_month(w->opt->tickets, w->months, 0)));
}

static void write_tickets(const world *w, out *o)
{
	char room[64];
	fputs(o->zh ? "工单号,项目,房号,报修类别,是否紧急,是否有偿,收费金额,报修时间,派单时间,到场时间,完工时间,试漏时间,维修人员\n"
		    : "ticket_id,site,room,category,urgent,paid,charge,reported_at,dispatched_at,arrived_at,completed_at,leak_test_at,technician\n",
	      o->f);
	for (int64_t i = 0; i < w->opt->tickets; i++) {
		ticket t;
		make_ticket(w, i, &t);
		put_ticket_id(o, w, t.mo, t.seq);
		put_sep(o);
		put_text(o, site_name(t.site));
		put_sep(o);
		room_name(t.room, room, sizeof room);
		put_text(o, room);
		put_sep(o);
		put_text(o, categories[t.category]);
		put_sep(o);
		put_bool(o, t.urgent);
		put_sep(o);
		put_bool(o, t.paid);
		put_sep(o);
		put_money(o, t.charge);
		put_sep(o);
		put_stamp(o, t.reported);
		put_sep(o);
		put_stamp(o, t.dispatched);
		put_sep(o);
		put_stamp(o, t.arrived);
		put_sep(o);
		put_stamp(o, t.completed);
		put_sep(o);
		put_stamp(o, t.leak_test);
		put_sep(o);
		put_text(o, technicians[t.technician]);
		end_line(o);
	}
}

/* ------------------------------------------------------------ complaints */

static const char *const levels[] = { "重大", "重要", "一般", "轻微" };
static const int level_weight[] = { 6, 16, 56, 22 };
enum { LVL_MAJOR, LVL_IMPORTANT, LVL_ORDINARY, LVL_SLIGHT };

static const char *const channels[] = { "来电", "来访", "网络", "信函", "传真" };
static const int channel_weight[] = { 55, 25, 15, 4, 1 };

static const struct {
	const char *category, *department, *summary;
} complaint_kinds[] = {
	{ "服务态度", "客服部", "前台人员态度生硬,业主不满" },
	{ "噪音", "秩序部", "楼上夜间装修噪音扰民" },
	{ "环境卫生", "环境部", "楼道垃圾未及时清运" },
	{ "停车管理", "秩序部", "车位被外来车辆占用" },
	{ "安保", "秩序部", "门禁损坏,陌生人随意进出" },
	{ "维修质量", "工程部", "维修后仍然漏水,要求返修" },
	{ "收费", "财务部", "对物业费收费标准有异议" },
	{ "绿化", "环境部", "小区绿化带长期无人修剪" },
	{ "电梯", "工程部", "电梯频繁故障,困人" },
};
#define N_COMPLAINT_KINDS (int)(sizeof complaint_kinds / sizeof complaint_kinds[0])

typedef struct {
	month_no mo;
	int64_t seq;
	int site;
	int64_t room;
	int channel, level, kind, valid;
	stamp received, responded, escalated, replied, resolved, requested_by;
} complaint;

/* Usually on time, sometimes late, rarely never: the end of a deadline rule. */
static stamp finish(rng *r, stamp start, int64_t limit, int late_pm, int never_pm)
{
	int x = (int)rng_below(r, 1000);
	if (x < never_pm)
		return NONE;
	if (x < never_pm + late_pm)
		return start + limit + rng_range(r, 1, limit < 2 * HOUR ? 3 * HOUR : 3 * DAY);
	return start + rng_range(r, limit / 20 + 1, limit);
}

static void make_complaint(const world *w, int64_t index, complaint *c)
{
	const options *opt = w->opt;
	rng r = rng_for(opt->seed, STREAM_COMPLAINT, (uint64_t)index);
	int m;
	memset(c, 0, sizeof *c);
	locate(opt->complaints, w->months, index, &m, &c->seq);
	c->mo = opt->from + m;
	c->received = spread_in_month(&r, c->mo, c->seq, per_month(opt->complaints, w->months, m));
	c->site = (int)rng_below(&r, opt->sites);
	c->room = rng_below(&r, w->rooms);
	c->channel = rng_weighted(&r, channel_weight, 5);
	c->level = rng_weighted(&r, level_weight, 4);
	c->kind = (int)rng_below(&r, N_COMPLAINT_KINDS);
	/* Repeat complainers: the same flats complain about the same thing. */
	if (rng_chance(&r, 40)) {
		c->room = rng_below(&r, w->rooms < 2 ? w->rooms : 2);
		c->kind = 1;
	}
	c->valid = !rng_chance(&r, 50);
	c->responded = finish(&r, c->received, 30 * MINUTE, 90, 25);
	c->escalated = c->replied = c->requested_by = NONE;
	int64_t to_midnight = (day_of(c->received) + 1) * DAY - 1 - c->received;
	switch (c->level) {
	case LVL_MAJOR:
		c->escalated = finish(&r, c->received, to_midnight > 0 ? to_midnight : 1, 100, 30);
		c->replied = finish(&r, c->received, 2 * DAY, 100, 40);
		c->resolved = finish(&r, c->received, 10 * DAY, 120, 50);
		break;
	case LVL_IMPORTANT:
		c->escalated = finish(&r, c->received, HOUR, 120, 30);
		c->resolved = finish(&r, c->received, 3 * DAY, 100, 50);
		break;
	default:
		if (rng_chance(&r, 250)) {
			/* The resident asked for a date: a bare date, end of that day. */
			stamp by = (day_of(c->received) + rng_range(&r, 1, 5)) * DAY;
			c->requested_by = by;
			int64_t limit = by + DAY - 1 - c->received;
			c->resolved = finish(&r, c->received, limit, 100, 40);
		} else {
			c->resolved = finish(&r, c->received, 2 * DAY, 90, 40);
		}
		break;
	}
	c->replied = office_hours(&r, c->replied);
	c->resolved = office_hours(&r, c->resolved);
	c->responded = seen(w, c->responded);
	c->escalated = seen(w, c->escalated);
	c->replied = seen(w, c->replied);
	c->resolved = seen(w, c->resolved);
}

static void put_complaint_id(out *o, const world *w, month_no mo, int64_t seq)
{
	put_id(o, "C", mo, seq + 1, seq_width(per_month(w->opt->complaints, w->months, 0)));
}

static void write_complaints(const world *w, out *o)
{
	char room[64];
	fputs(o->zh ? "投诉编号,项目,房号,投诉方式,投诉等级,投诉类别,涉及部门,投诉时间,首次响应时间,上报时间,答复时间,解决时间,要求期限,是否有效,内容摘要\n"
		    : "complaint_id,site,room,channel,level,category,department,received_at,responded_at,escalated_at,replied_at,resolved_at,requested_by,valid,summary\n",
	      o->f);
	for (int64_t i = 0; i < w->opt->complaints; i++) {
		complaint c;
		make_complaint(w, i, &c);
		put_complaint_id(o, w, c.mo, c.seq);
		put_sep(o);
		put_text(o, site_name(c.site));
		put_sep(o);
		room_name(c.room, room, sizeof room);
		put_text(o, room);
		put_sep(o);
		put_text(o, channels[c.channel]);
		put_sep(o);
		/* Levels are Chinese words in every export (DATA.md knows no English ones). */
		put_text(o, levels[c.level]);
		put_sep(o);
		put_text(o, complaint_kinds[c.kind].category);
		put_sep(o);
		put_text(o, complaint_kinds[c.kind].department);
		put_sep(o);
		put_stamp(o, c.received);
		put_sep(o);
		put_stamp(o, c.responded);
		put_sep(o);
		put_stamp(o, c.escalated);
		put_sep(o);
		put_stamp(o, c.replied);
		put_sep(o);
		put_stamp(o, c.resolved);
		put_sep(o);
		if (c.requested_by != NONE)
			put_date(o, c.requested_by);
		put_sep(o);
		put_bool(o, c.valid);
		put_sep(o);
		put_text(o, complaint_kinds[c.kind].summary);
		end_line(o);
	}
}

/* ------------------------------------------------------------ callbacks */

/*
 * With --callbacks N the natural callbacks are counted in a first pass
 * (nothing written); if there are more than N, every record is still
 * walked but only an evenly spread N of them are written, so that tickets
 * and complaints keep their share. If there are fewer, extra visits are
 * added at the end.
 */
typedef struct {
	const world *w;
	out *o;
	int64_t written;  /* callbacks written so far (also the id sequence) */
	int64_t natural;  /* callbacks generated so far, written or not */
	int64_t total;    /* natural callbacks of the whole run, when thinning */
	int64_t limit;    /* --callbacks, or -1 */
	int counting;     /* first pass: count only */
} cb_writer;

static const char *const results[] = { "满意", "基本满意", "不满意" };

/* Whether the k-th (1-based) natural callback is among the evenly spread `limit`. */
static int cb_kept(const cb_writer *cw, int64_t k)
{
	if (cw->limit < 0 || cw->total <= cw->limit)
		return 1;
	return (k * cw->limit) / cw->total != ((k - 1) * cw->limit) / cw->total;
}

/* role: 0 clerk, 1 supervisor, 2 manager */
static int cb_emit(cb_writer *cw, rng *r, int site, int is_ticket, const char *ref_prefix, month_no ref_mo,
		   int64_t ref_seq, int ref_width, stamp at, int role, int problem)
{
	out *o = cw->o;
	/* Draw every random value first: a skipped callback uses the same draws. */
	const char *method = rng_chance(r, 850) ? "电话" : "上门";
	const char *staff = role == 2 ? managers[rng_below(r, 2)]
		: role == 1 ? supervisors[rng_below(r, 3)] : clerks[rng_below(r, 6)];
	const char *result = problem ? "不满意" : results[rng_chance(r, 700) ? 0 : rng_chance(r, 900) ? 1 : 2];
	cw->natural++;
	if (cw->counting || !cb_kept(cw, cw->natural))
		return 0;
	month_no at_mo;
	{
		int y, m, d;
		civil_from_days(day_of(at), &y, &m, &d);
		at_mo = y * 12 + m - 1;
	}
	cw->written++;
	put_id(o, "HF", at_mo, cw->written, 8);
	put_sep(o);
	put_text(o, site_name(site));
	put_sep(o);
	if (o->zh)
		put_text(o, is_ticket ? "报修" : "投诉");
	else
		put_text(o, is_ticket ? "ticket" : "complaint");
	put_sep(o);
	put_id(o, ref_prefix, ref_mo, ref_seq, ref_width);
	put_sep(o);
	put_stamp(o, at);
	put_sep(o);
	put_text(o, method);
	put_sep(o);
	put_text(o, staff);
	put_sep(o);
	put_text(o, role == 2 ? "经理" : role == 1 ? "主管" : "客服专员");
	put_sep(o);
	put_text(o, result);
	put_sep(o);
	put_bool(o, problem);
	end_line(o);
	return 1;
}

/*
 * The callbacks that follow one finished record: the first one usually in
 * time, sometimes late or never; a found problem is usually (not always)
 * called back again.
 */
static void cb_follow(cb_writer *cw, rng *r, int site, int is_ticket, const char *prefix, month_no mo,
		      int64_t seq, int width, stamp start, int64_t limit, int supervisor_pm)
{
	int x = (int)rng_below(r, 1000);
	stamp at;
	if (x < 60)
		return; /* never called back */
	if (x < 140)
		at = start + limit + rng_range(r, 1, 4 * DAY);
	else
		at = start + rng_range(r, 10 * MINUTE, limit);
	at = office_hours(r, at);
	if (at >= cw->w->export_end)
		return;
	int role = rng_chance(r, supervisor_pm) ? (rng_chance(r, 300) ? 2 : 1) : 0;
	int problem = rng_chance(r, 50);
	cb_emit(cw, r, site, is_ticket, prefix, mo, seq, width, at, role, problem);
	if (problem && rng_chance(r, 650)) {
		at = office_hours(r, at + rng_range(r, HOUR, 3 * DAY));
		if (at < cw->w->export_end)
			cb_emit(cw, r, site, is_ticket, prefix, mo, seq, width, at, 1, 0);
	}
}

/* Every natural callback: on tickets, on complaints, then the orphans. */
static void cb_all(cb_writer *cw)
{
	const world *w = cw->w;
	const options *opt = w->opt;
	int t_width = seq_width(per_month(opt->tickets, w->months, 0));
	int c_width = seq_width(per_month(opt->complaints, w->months, 0));
	for (int64_t i = 0; i < opt->tickets; i++) {
		ticket t;
		make_ticket(w, i, &t);
		rng r = rng_for(opt->seed, STREAM_CALLBACK, (uint64_t)i);
		/*
		 * Now and then the work was done but nobody closed the ticket: a
		 * callback exists while completed_at is missing (a data-quality
		 * finding: the start event of the callback rule is missing).
		 */
		if (t.completed == NONE && t.arrived != NONE && rng_chance(&r, 150)) {
			stamp at = office_hours(&r, t.arrived + rng_range(&r, 2 * HOUR, 2 * DAY));
			if (at < w->export_end)
				cb_emit(cw, &r, t.site, 1, "T", t.mo, t.seq + 1, t_width, at, 0, 0);
		}
		if (t.completed == NONE || t.completed < t.reported)
			continue;
		/* A few callbacks are logged before the work was finished. */
		if (rng_chance(&r, 10) && t.arrived != NONE)
			cb_emit(cw, &r, t.site, 1, "T", t.mo, t.seq + 1, t_width, t.arrived + MINUTE, 0, 0);
		stamp start = t.leak_test != NONE ? t.leak_test : t.completed;
		int64_t limit = t.category == CAT_LEAK ? 3 * DAY : 2 * DAY;
		int sup_pm = t.paid && t.charge >= 20000 ? 880 : 120;
		cb_follow(cw, &r, t.site, 1, "T", t.mo, t.seq + 1, t_width, start, limit, sup_pm);
	}
	for (int64_t i = 0; i < opt->complaints; i++) {
		complaint c;
		make_complaint(w, i, &c);
		rng r = rng_for(opt->seed, STREAM_CALLBACK, (uint64_t)(opt->tickets + i));
		if (c.resolved == NONE)
			continue;
		cb_follow(cw, &r, c.site, 0, "C", c.mo, c.seq + 1, c_width, c.resolved, 2 * DAY, 400);
	}
	/*
	 * Orphans: callbacks on records exported later (ids from the month
	 * after the range, which no ticket or complaint of this run has).
	 */
	int64_t orphans = opt->tickets / 200 + 1;
	for (int64_t i = 0; i < orphans && opt->tickets > 0; i++) {
		rng r = rng_for(opt->seed, STREAM_EXTRA, (uint64_t)i);
		stamp at = month_start(opt->to) + rng_below(&r, (int64_t)month_days(opt->to) * DAY);
		cb_emit(cw, &r, (int)rng_below(&r, opt->sites), 1, "T", opt->to + 1, rng_range(&r, 1, 999),
			t_width, at, 0, 0);
	}
}

static void write_callbacks(const world *w, out *o)
{
	const options *opt = w->opt;
	cb_writer cw = { w, o, 0, 0, 0, opt->callbacks, 0 };
	int t_width = seq_width(per_month(opt->tickets, w->months, 0));
	int64_t orphans = opt->tickets / 200 + 1;
	fputs(o->zh ? "回访编号,项目,回访类型,关联单号,回访时间,回访方式,回访人,回访人岗位,回访结果,发现问题\n"
		    : "callback_id,site,ref_kind,ref_id,callback_at,method,staff,role,result,problem_found\n",
	      o->f);
	if (cw.limit >= 0) {
		cw.counting = 1;
		cb_all(&cw);
		cw.total = cw.natural;
		cw.natural = 0;
		cw.counting = 0;
	}
	cb_all(&cw);
	/* --callbacks asked for more: extra visits to random completed tickets. */
	/* Bounded: with (almost) no finished tickets there is nothing to visit. */
	int64_t tries = cw.limit >= 0 ? 100 * cw.limit + 10000 : 0;
	for (int64_t k = 0; cw.written < cw.limit && opt->tickets > 0 && k < tries; k++) {
		rng r = rng_for(opt->seed, STREAM_EXTRA, (uint64_t)orphans + k);
		ticket t;
		make_ticket(w, rng_below(&r, opt->tickets), &t);
		if (t.completed == NONE || t.completed < t.reported)
			continue;
		stamp at = t.completed + rng_range(&r, HOUR, 6 * DAY);
		if (at >= w->export_end)
			at = t.completed + 1;
		if (at >= w->export_end)
			continue;
		cb_emit(&cw, &r, t.site, 1, "T", t.mo, t.seq + 1, t_width, at, 0, 0);
	}
	if (cw.limit >= 0 && cw.written < cw.limit)
		fprintf(stderr, "pmgen: warning: only %" PRId64 " of %" PRId64 " callbacks: too few finished tickets\n",
			cw.written, cw.limit);
}

/* ------------------------------------------------------------ fees */

typedef struct {
	const world *w;
	out *o;
	int64_t seq;
	int64_t limit; /* --fees, or -1 */
	int site;
	char room[64];
	int custody;
} fee_writer;

enum { FEE_CHARGE, FEE_PAYMENT, FEE_WAIVER, FEE_REMINDER };
static const char *const fee_kind_zh[] = { "应收", "实收", "减免", "催缴" };
static const char *const fee_kind_en[] = { "charge", "payment", "waiver", "reminder" };

/*
 * Cashiers and collectors work 8:00-21:00: an event outside those hours
 * moves into them without a random draw (so the draws of the ledger stay
 * the same). Charges are posted by a night batch and keep their time.
 */
static stamp cashier_hours(stamp at)
{
	int64_t day = day_of(at), tod = at - day * DAY;
	if (tod < 8 * HOUR)
		return day * DAY + 8 * HOUR + tod;
	if (tod >= 21 * HOUR)
		return (day + 1) * DAY + 8 * HOUR + (tod - 21 * HOUR);
	return at;
}

static void fee_emit(fee_writer *fw, const char *item, month_no period, int kind, int64_t amount, stamp at,
		     const char *method)
{
	out *o = fw->o;
	if (kind != FEE_CHARGE)
		at = cashier_hours(at);
	if (at >= fw->w->export_end || (fw->limit >= 0 && fw->seq >= fw->limit))
		return;
	fw->seq++;
	put_raw(o, "SF", 2);
	put_int(o, fw->seq, 9);
	put_sep(o);
	put_text(o, site_name(fw->site));
	put_sep(o);
	put_text(o, fw->room);
	put_sep(o);
	put_text(o, item);
	put_sep(o);
	put_period(o, period);
	put_sep(o);
	put_text(o, o->zh ? fee_kind_zh[kind] : fee_kind_en[kind]);
	put_sep(o);
	put_money(o, kind == FEE_REMINDER ? NONE : amount);
	put_sep(o);
	put_stamp(o, at);
	put_sep(o);
	if (kind == FEE_CHARGE)
		put_date(o, month_start(period + 1) - DAY);
	put_sep(o);
	if (method)
		put_text(o, method);
	put_sep(o);
	put_bool(o, fw->custody);
	end_line(o);
}

/* How a household pays. */
enum { PAY_ON_TIME, PAY_LATE, PAY_PARTIAL, PAY_SOMETIMES, PAY_NEVER };
static const int payer_weight[] = { 70, 12, 6, 6, 6 };

static const char *const pay_methods[] = { "微信", "银行托收", "支付宝", "现金", "刷卡" };

/*
 * One fee item of one room for one period: the charge, then what the
 * household does about it, then the collection steps if it stays unpaid.
 * `first_phone` tracks the first phone reminder of this room and item,
 * since the formal letter is due three months after it (F-LETTER).
 */
static void fee_period(fee_writer *fw, rng *r, const char *item, month_no period, int64_t amount, int payer,
		       stamp *first_phone, int *lettered)
{
	stamp start = month_start(period), due = month_start(period + 1) - DAY;
	stamp due_end = due + DAY - 1;
	fee_emit(fw, item, period, FEE_CHARGE, amount, start + rng_range(r, 1 * HOUR, 2 * HOUR), NULL);
	if (rng_chance(r, 20)) {
		/* Hardship or vacancy: part of the fee waived. */
		int64_t off = amount * rng_range(r, 1, 10) / 10;
		fee_emit(fw, item, period, FEE_WAIVER, off, start + rng_range(r, 2 * DAY, 20 * DAY), NULL);
		amount -= off;
	}
	if (amount <= 0)
		return;
	const char *method = pay_methods[rng_weighted(r, (const int[]){ 40, 30, 15, 10, 5 }, 5)];
	int behaviour = payer;
	if (payer == PAY_SOMETIMES)
		behaviour = rng_chance(r, 500) ? PAY_ON_TIME : PAY_NEVER;
	else if (payer == PAY_ON_TIME && rng_chance(r, 40))
		behaviour = PAY_LATE;
	switch (behaviour) {
	case PAY_ON_TIME:
		fee_emit(fw, item, period, FEE_PAYMENT, amount, start + rng_range(r, 0, due_end - start), method);
		return;
	case PAY_LATE:
		fee_emit(fw, item, period, FEE_REMINDER, NONE, due_end + rng_range(r, 3 * DAY, 10 * DAY), "电话");
		fee_emit(fw, item, period, FEE_PAYMENT, amount, due_end + rng_range(r, 10 * DAY, 60 * DAY), method);
		return;
	case PAY_PARTIAL: {
		int64_t part = amount * rng_range(r, 3, 8) / 10;
		fee_emit(fw, item, period, FEE_PAYMENT, part, start + rng_range(r, 0, due_end - start), method);
		break;
	}
	default:
		break;
	}
	/* Unpaid (in full): phone or SMS, then after three months a letter. */
	stamp phone = cashier_hours(due_end + rng_range(r, 2 * DAY, 30 * DAY));
	fee_emit(fw, item, period, FEE_REMINDER, NONE, phone, rng_chance(r, 700) ? "电话" : "短信");
	if (*first_phone == NONE || phone < *first_phone)
		*first_phone = phone;
	if (!*lettered && phone < fw->w->export_end) {
		stamp l = add_months(*first_phone, 3);
		int x = (int)rng_below(r, 1000);
		/* Most letters go out in the week after L, some late, some never. */
		stamp at = x < 600 ? l + rng_range(r, 0, 7 * DAY) : x < 850 ? l + rng_range(r, 8 * DAY, 40 * DAY) : NONE;
		if (at != NONE && at < fw->w->export_end) {
			fee_emit(fw, item, period, FEE_REMINDER, NONE, at, rng_chance(r, 600) ? "特快专递" : "函件");
			*lettered = 1;
		}
		if (x >= 850)
			*lettered = 1; /* this household is never sent a letter */
	}
	/* Old debts are sometimes settled inside the range (arrears recovery). */
	month_no from = fw->w->opt->from;
	if (period < from && rng_chance(r, 250)) {
		stamp window = month_start(fw->w->opt->to + 1) - month_start(from);
		fee_emit(fw, item, period, FEE_PAYMENT, amount, month_start(from) + rng_below(r, window), method);
	}
}

static void write_fees(const world *w, out *o)
{
	const options *opt = w->opt;
	fee_writer fw = { w, o, 0, opt->fees, 0, "", 0 };
	fputs(o->zh ? "流水号,项目,房号,收费项目,所属期间,类型,金额,发生时间,应缴日期,方式,托管\n"
		    : "entry_id,site,room,fee_item,period,kind,amount,at,due_date,method,custody\n",
	      o->f);
	/*
	 * Room-major order, so that a --fees limit cuts the same rooms in every
	 * site; with a limit, rooms are added until it is reached.
	 */
	int64_t last_room = opt->fees >= 0 ? 10000000 : w->rooms;
	for (int64_t room = 0; room < last_room && (fw.limit < 0 || fw.seq < fw.limit); room++) {
		for (int s = 0; s < opt->sites; s++) {
			uint64_t key = ((uint64_t)s << 44) | ((uint64_t)room << 20);
			rng r = rng_for(opt->seed, STREAM_ROOM, key);
			fw.site = s;
			room_name(room, fw.room, sizeof fw.room);
			fw.custody = rng_chance(&r, 50);
			/* Flats of 55-165 m²; a few duplexes up to 520 m². */
			int64_t area = rng_chance(&r, 30) ? rng_range(&r, 300, 520) : rng_range(&r, 55, 165);
			/* 2.50 yuan per square metre and month; custody homes pay 70%. */
			int64_t mgmt = area * 250;
			if (fw.custody)
				mgmt = mgmt * 7 / 10;
			int parking = rng_chance(&r, 300);
			int payer = rng_weighted(&r, payer_weight, 5);
			month_no first = opt->from;
			/* Long-standing debtors: unpaid since up to 14 months before. */
			if (payer == PAY_NEVER)
				first = opt->from - (month_no)(rng_chance(&r, 500) ? rng_range(&r, 2, 4) : rng_range(&r, 5, 14));
			struct {
				const char *item;
				int64_t amount;
				int on;
				stamp first_phone;
				int lettered;
			} items[3] = {
				{ "物业管理费", mgmt, 1, NONE, 0 },
				{ "垃圾清运费", 1500, 1, NONE, 0 },
				{ "停车费", 30000, parking, NONE, 0 },
			};
			for (month_no p = first; p <= opt->to; p++) {
				for (int k = 0; k < 3; k++) {
					if (!items[k].on)
						continue;
					rng pr = rng_for(opt->seed, STREAM_ROOM, key + (uint64_t)(p - first) * 3 + (uint64_t)k + 1);
					fee_period(&fw, &pr, items[k].item, p, items[k].amount, payer, &items[k].first_phone,
						   &items[k].lettered);
				}
			}
		}
	}
}

/* ------------------------------------------------------------ main */

typedef void (*writer_fn)(const world *, out *);

static void write_file(const world *w, const char *dir, const char *name, writer_fn fn)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	out o = { .f = f, .zh = w->opt->zh };
	fn(w, &o);
	if (ferror(f) | fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
	options opt;
	parse_options(argc, argv, &opt);
	init_hours();
	world w = { &opt, opt.to - opt.from + 1, month_start(opt.to + 1), 0 };
	if (opt.rooms > 0)
		w.rooms = opt.rooms;
	else if (opt.fees >= 0)
		/* About 5.5 ledger events per room and month. */
		w.rooms = opt.fees * 10 / ((int64_t)opt.sites * w.months * 55) + 1;
	else
		/* About as many fee events as tickets. */
		w.rooms = opt.tickets * 10 / ((int64_t)opt.sites * w.months * 55) + 10;
	if (w.rooms > 99999)
		w.rooms = 99999;

	if (opt.only) {
		static char buf[1 << 20];
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
		out o = { .f = stdout, .zh = opt.zh };
		if (!strcmp(opt.only, "tickets"))
			write_tickets(&w, &o);
		else if (!strcmp(opt.only, "complaints"))
			write_complaints(&w, &o);
		else if (!strcmp(opt.only, "callbacks"))
			write_callbacks(&w, &o);
		else
			write_fees(&w, &o);
		if (fflush(stdout) || ferror(stdout))
			die("cannot write to standard output: %s", strerror(errno));
		return 0;
	}
	if (mkdir(opt.out_dir, 0777) != 0 && errno != EEXIST)
		die("cannot create %s: %s", opt.out_dir, strerror(errno));
	write_file(&w, opt.out_dir, "tickets.csv", write_tickets);
	write_file(&w, opt.out_dir, "complaints.csv", write_complaints);
	write_file(&w, opt.out_dir, "callbacks.csv", write_callbacks);
	write_file(&w, opt.out_dir, "fees.csv", write_fees);
	return 0;
}
