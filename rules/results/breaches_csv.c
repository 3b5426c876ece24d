/*
 * The breached and pending records of a run as CSV (rules/results/results.h):
 * one read of check_records in the CSV's order, one writer for check and
 * the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "db/record_json.h"
#include "rules/results/results.h"
#include "rules/results/people_sql.h"
#include "util/buf.h"
#include "util/csv_write.h"

/* The header in the report's language; the columns are the same. */
static const char HEADER_EN[] =
	"rule_id,rule_title,record_id,site,start,deadline,end,status,how_late,late_seconds,"
	"room,responsible";
static const char HEADER_ZH[] =
	"规则编号,规则名称,记录编号,项目,开始时间,期限,完成时间,状态,超时,超时秒数,"
	"房号,责任人";

void results_format_late(long long s, int english, char *buf, size_t size)
{
	long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;

	if (d > 0)
		snprintf(buf, size, english ? "%lldd %lldh" : "%lld天%lld小时", d, h);
	else if (h > 0)
		snprintf(buf, size, english ? "%lldh %lldm" : "%lld小时%lld分", h, m);
	else if (m > 0)
		snprintf(buf, size, english ? "%lldm" : "%lld分钟", m);
	else
		/* a second late is late: said so, not shown as nothing */
		snprintf(buf, size, english ? "under 1m" : "不足1分钟");
}

/* The stored status ('breached', 'pending') as the report words it. */
static const char *status_text(const char *status, int english)
{
	if (english || !status)
		return status;
	if (!strcmp(status, "breached"))
		return "超时";
	if (!strcmp(status, "pending"))
		return "待定";
	if (!strcmp(status, "unknown"))
		return "无法判定";
	return status;
}

/* One field and its separator: a comma, or CRLF after the last. */
static void field(FILE *out, const char *s, int last)
{
	csv_write_field(out, s);
	fputs(last ? "\r\n" : ",", out);
}

static void write_row(FILE *out, const struct breach_row *b, int english)
{
	char late[48], secs[32];

	field(out, b->rule_id, 0);
	field(out, b->rule_title ? b->rule_title : b->rule_id, 0);
	field(out, b->record_id, 0);
	field(out, b->site, 0);
	field(out, b->start, 0);
	field(out, b->deadline, 0);
	field(out, b->end, 0);
	field(out, status_text(b->status, english), 0);
	if (!b->has_late) {
		field(out, NULL, 0);
		field(out, NULL, 0);
	} else {
		results_format_late(b->late_seconds, english, late, sizeof(late));
		snprintf(secs, sizeof(secs), "%lld", b->late_seconds);
		field(out, late, 0);
		field(out, secs, 0);
	}
	field(out, b->room, 0);
	field(out, b->responsible, 1);
}

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/*
 * The CSV's records are read from the sets themselves (db/db.h), not
 * through the view check_records: the view takes each field out of a
 * record's JSON text with a json_extract() of its own, a parse each (7 of
 * them a record here), and the join to the logs and the sort then ran over
 * those rows. Here each record's array is taken apart once, in C
 * (db/record_json.h; a record of another form through json_extract(), as
 * the view would), the records are sorted in C in the CSV's order (rule,
 * start, record id, as ORDER BY compares them) and only then look up their
 * people, one probe by key each -- the join's probes. Same rows, values and
 * order as the view's query (docs/performance.md, "report monthly ...
 * session 6").
 */
#define SETS_SQL \
	"SELECT s.rule_id, s.status, j.value FROM check_record_sets s, json_each(s.records) j" \
	" WHERE s.run_id = ?1 AND s.status IN ('breached', 'pending', 'unknown')"
#define FIELD(f) CHECK_RECORD_AT("?1", CHECK_RECORD_##f)
#define FIELDS_SQL \
	"SELECT " FIELD(KIND) ", " FIELD(ID) ", " FIELD(SITE) ", " FIELD(START) ", " \
	FIELD(DEADLINE) ", " FIELD(END) ", " FIELD(LATE)

/* The record's texts the CSV prints, by their place in its JSON array (db/db.h). */
enum { REC_KIND, REC_ID, REC_SITE, REC_START, REC_DEADLINE, REC_END, REC_TEXTS };
#define REC_LATE REC_TEXTS

/* A stored record: its texts in the reader's buffer by offset (-1: NULL). */
struct breach_rec {
	long long off[REC_TEXTS];
	int type[REC_TEXTS];            /* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT, _BLOB */
	int name[2];                    /* rule id and status: in the reader's names */
	int has_late;
	long long late;
	int seq;                        /* the order read: ties stay in it */
};

struct breach_reader {
	struct buf text;                /* the records' texts, NUL-terminated */
	struct buf scratch;             /* one record's strings while it is taken apart */
	sqlite3_stmt *fields;           /* FIELDS_SQL, for a record of another form */
	struct breach_rec *rec;
	int n, cap;
	char **names;                   /* the sets' rule ids and statuses, each once */
	char **titles;                  /* a rule id's title (NULL: none), by its name */
	int nnames;
};

/* A name's index in r->names, added if new; -1 out of memory. */
static int name_of(struct breach_reader *r, const char *s)
{
	char **names, **titles;
	int i;

	for (i = r->nnames - 1; i >= 0; i--)
		if (!strcmp(r->names[i], s))
			return i;
	names = realloc(r->names, (size_t)(r->nnames + 1) * sizeof(*names));
	if (names)
		r->names = names;
	titles = realloc(r->titles, (size_t)(r->nnames + 1) * sizeof(*titles));
	if (titles)
		r->titles = titles;
	if (!names || !titles || !(r->names[r->nnames] = strdup(s)))
		return -1;
	r->titles[r->nnames] = NULL;
	return r->nnames++;
}

static struct breach_rec *new_rec(struct breach_reader *r, sqlite3_stmt *st)
{
	struct breach_rec *x;
	int k;

	if (r->n == r->cap) {
		int cap = r->cap ? 2 * r->cap : 1024;
		struct breach_rec *more = realloc(r->rec, (size_t)cap * sizeof(*more));

		if (!more)
			return NULL;
		r->rec = more;
		r->cap = cap;
	}
	x = &r->rec[r->n];
	memset(x, 0, sizeof(*x));
	for (k = 0; k < REC_TEXTS; k++) {
		x->off[k] = -1;
		x->type[k] = SQLITE_NULL;
	}
	x->seq = r->n;
	if ((x->name[0] = name_of(r, text(st, 0))) < 0 ||
	    (x->name[1] = name_of(r, text(st, 1))) < 0)
		return NULL;
	r->n++;
	return x;
}

static int put_text(struct breach_reader *r, struct breach_rec *x, int k, int type,
		    const char *v)
{
	size_t at;

	if (buf_append_str(&r->text, v, &at))
		return -1;
	x->off[k] = (long long)at;
	x->type[k] = type;
	return 0;
}

/* The record from its JSON in C; 1 for one of another form, -1 out of memory. */
static int from_json(struct breach_reader *r, struct breach_rec *x, const char *json, size_t n)
{
	struct record_json f;
	char num[24];
	int k;

	r->scratch.len = 0;
	if (buf_reserve(&r->scratch, n + 1))
		return -1;
	/* a text lateness is SQLite's to turn into a number */
	if (record_json_parse(json, n, r->scratch.data, &f) || f.type[REC_LATE] == RECORD_JSON_TEXT)
		return 1;
	for (k = 0; k < REC_TEXTS; k++) {
		if (f.type[k] == RECORD_JSON_TEXT && put_text(r, x, k, SQLITE_TEXT, f.text[k]))
			return -1;
		if (f.type[k] != RECORD_JSON_INT)
			continue;
		/* an integer's text as SQLite gives it */
		snprintf(num, sizeof(num), "%lld", f.num[k]);
		if (put_text(r, x, k, SQLITE_INTEGER, num))
			return -1;
	}
	x->has_late = f.type[REC_LATE] == RECORD_JSON_INT;
	x->late = f.num[REC_LATE];
	return 0;
}

/* The record through json_extract(), as the view takes it apart; -1 with err. */
static int from_sql(sqlite3 *db, struct breach_reader *r, struct breach_rec *x,
		    sqlite3_value *json, pm_error *err)
{
	sqlite3_stmt *st;
	int k, rc;

	if (!r->fields && sqlite3_prepare_v2(db, FIELDS_SQL, -1, &r->fields, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	st = r->fields;
	sqlite3_reset(st);
	sqlite3_bind_value(st, 1, json);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	for (k = 0; k < REC_TEXTS; k++)
		if (sqlite3_column_type(st, k) != SQLITE_NULL &&
		    put_text(r, x, k, sqlite3_column_type(st, k), text(st, k)))
			return pm_fail(err, "out of memory");
	x->has_late = sqlite3_column_type(st, REC_LATE) != SQLITE_NULL;
	x->late = sqlite3_column_int64(st, REC_LATE);
	sqlite3_reset(st);
	return 0;
}

/* Every breached, pending and unknown record of the run, in the order the sets give them. */
static int read_records(sqlite3 *db, sqlite3_int64 run_id, struct breach_reader *r,
			pm_error *err)
{
	sqlite3_stmt *st;
	int rc, got = 0;

	if (sqlite3_prepare_v2(db, SETS_SQL, -1, &st, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	while (got >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct breach_rec *x = new_rec(r, st);
		const char *json = text(st, 2);

		if (!x || !json) {
			got = pm_fail(err, "out of memory");
			break;
		}
		got = from_json(r, x, json, (size_t)sqlite3_column_bytes(st, 2));
		if (got < 0)
			pm_fail(err, "out of memory");
		else if (got > 0)
			got = from_sql(db, r, x, sqlite3_column_value(st, 2), err);
	}
	sqlite3_finalize(st);
	if (got < 0)
		return -1;
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

/* SQLite's order of values: NULL, numbers, texts (BINARY: bytes), blobs. */
static int type_rank(int type)
{
	return type == SQLITE_NULL ? 0 : type == SQLITE_TEXT ? 2 : type == SQLITE_BLOB ? 3 : 1;
}

static int cmp_field(const struct breach_reader *r, const struct breach_rec *a,
		     const struct breach_rec *b, int k)
{
	const char *x, *y;
	int ra = type_rank(a->type[k]), rb = type_rank(b->type[k]);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0)
		return 0;
	x = r->text.data + a->off[k];
	y = r->text.data + b->off[k];
	if (ra == 1) {
		double dx = strtod(x, NULL), dy = strtod(y, NULL);

		return dx < dy ? -1 : dx > dy;
	}
	return strcmp(x, y);
}

/* ORDER BY rule_id, start_at, record_id, as the CSV is ordered. */
static int cmp_rec(const void *pa, const void *pb, void *reader)
{
	const struct breach_reader *sorting = reader;
	const struct breach_rec *a = pa, *b = pb;
	int c = strcmp(sorting->names[a->name[0]], sorting->names[b->name[0]]);

	if (!c)
		c = cmp_field(sorting, a, b, REC_START);
	if (!c)
		c = cmp_field(sorting, a, b, REC_ID);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static void reader_free(struct breach_reader *r)
{
	int i;

	for (i = 0; i < r->nnames; i++) {
		free(r->names[i]);
		free(r->titles[i]);
	}
	free(r->names);
	free(r->titles);
	free(r->rec);
	buf_free(&r->text);
	buf_free(&r->scratch);
	sqlite3_finalize(r->fields);
}

/* A text column copied (NULL stays NULL); -1 out of memory. */
static int copy_column(sqlite3_stmt *st, int i, char **out)
{
	const char *v = text(st, i);

	*out = NULL;
	return v && !(*out = strdup(v)) ? -1 : 0;
}

/* The rule's title as the run stored it, in the language asked for (NULL: none). */
static int rule_title(sqlite3 *db, sqlite3_int64 run_id, int english, struct breach_reader *r,
		      int name, pm_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT CASE WHEN ?2 THEN coalesce(nullif(title_en, ''), title_zh)"
			       " ELSE coalesce(nullif(title_zh, ''), title_en) END"
			       " FROM check_rule_results WHERE run_id = ?1 AND rule_id = ?3", -1, &st,
			       NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, english != 0);
	sqlite3_bind_text(st, 3, r->names[name], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && copy_column(st, 0, &r->titles[name])) {
		sqlite3_finalize(st);
		return pm_fail(err, "out of memory");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	       : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

/* The record's room and responsible ("" none): its ticket's or complaint's, by key. */
static int people(sqlite3 *db, sqlite3_stmt *probe[2], const struct breach_reader *r,
		  const struct breach_rec *x, struct breach_row *b, pm_error *err)
{
	const char *kind = x->off[REC_KIND] < 0 ? "" : r->text.data + x->off[REC_KIND];
	int which = !strcmp(kind, "ticket") ? 0 : !strcmp(kind, "complaint") ? 1 : -1;
	sqlite3_stmt *st;
	int rc;

	b->room = b->responsible = "";
	if (which < 0 || x->off[REC_ID] < 0)
		return 0;
	if (!probe[which] &&
	    sqlite3_prepare_v2(db, which ? PEOPLE_COMPLAINT_SQL : PEOPLE_TICKET_SQL, -1,
			       &probe[which], NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	st = probe[which];
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, r->text.data + x->off[REC_ID], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b->room = text(st, 0);
		b->responsible = text(st, 1);
		return 0;
	}
	return rc == SQLITE_DONE ? 0 : pm_fail(err, "database: %s", sqlite3_errmsg(db));
}

static const char *field_text(const struct breach_reader *r, const struct breach_rec *x, int k)
{
	return x->off[k] < 0 ? NULL : r->text.data + x->off[k];
}

/* The sorted records written, each with its rule's title and its people. */
static int write_records(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out,
			 struct breach_reader *r, breach_row_fn each, void *ctx, pm_error *err)
{
	sqlite3_stmt *probe[2] = { NULL, NULL };
	int i, rule = -1, rc = 0;

	for (i = 0; i < r->n && rc == 0; i++) {
		const struct breach_rec *x = &r->rec[i];
		struct breach_row b;

		if (x->name[0] != rule) {
			rule = x->name[0];
			if ((rc = rule_title(db, run_id, english, r, rule, err)))
				break;
		}
		b.rule_id = r->names[x->name[0]];
		b.status = r->names[x->name[1]];
		b.record_id = field_text(r, x, REC_ID);
		b.site = field_text(r, x, REC_SITE);
		b.start = field_text(r, x, REC_START);
		b.deadline = field_text(r, x, REC_DEADLINE);
		b.end = field_text(r, x, REC_END);
		b.has_late = x->has_late;
		b.late_seconds = x->late;
		b.rule_title = r->titles[rule];
		if ((rc = people(db, probe, r, x, &b, err)))
			break;
		write_row(out, &b, english);
		if (each)
			rc = each(ctx, &b, err);
	}
	sqlite3_finalize(probe[0]);
	sqlite3_finalize(probe[1]);
	return rc;
}

int results_write_breaches(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out,
			   breach_row_fn each, void *ctx, pm_error *err)
{
	struct breach_reader r;
	int rc;

	memset(&r, 0, sizeof(r));
	buf_init(&r.text);
	buf_init(&r.scratch);
	/*
	 * one read transaction for the sets and the probes (a savepoint inside
	 * the caller's): else each probe takes and drops the file's lock,
	 * two system calls a record
	 */
	if (sqlite3_exec(db, "SAVEPOINT breaches_csv", NULL, NULL, NULL))
		return pm_fail(err, "database: %s", sqlite3_errmsg(db));
	rc = read_records(db, run_id, &r, err);
	if (rc == 0) {
		/* no records: rec is NULL, which qsort_r() must not be given */
		if (r.n > 1)
			qsort_r(r.rec, (size_t)r.n, sizeof(*r.rec), cmp_rec, &r);
		fputs(CSV_UTF8_BOM, out);
		fputs(english ? HEADER_EN : HEADER_ZH, out);
		fputs("\r\n", out);
		rc = write_records(db, run_id, english, out, &r, each, ctx, err);
	}
	reader_free(&r);
	sqlite3_exec(db, "RELEASE breaches_csv", NULL, NULL, NULL);
	if (rc)
		return -1;
	return ferror(out) ? pm_fail(err, "write error") : 0;
}
