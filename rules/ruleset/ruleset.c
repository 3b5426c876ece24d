/*
 * The rules file (format: docs/rules.md): parsing and checking it into a
 * struct ruleset, finding the default one, and the table of rule kinds
 * (KINDS) every part of the engine reads a kind's properties from.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include "rules/ruleset/ruleset.h"
#include "rules/ruleset/builtin.h"
#include "util/exe_dir.h"
#include "util/i18n.h"
#include "util/kvfile.h"

static const char *const TICKET_FIELDS[] = {
	"reported_at", "dispatched_at", "arrived_at", "completed_at", "leak_test_at", NULL
};
static const char *const COMPLAINT_FIELDS[] = {
	"received_at", "responded_at", "escalated_at", "replied_at", "resolved_at",
	"requested_by", NULL
};

/* The keys of a rule block, in the order of KEYS (below). */
enum key {
	K_KIND, K_ENABLED, K_TITLE_ZH, K_TITLE_EN, K_SOURCE, K_TARGET, K_SUBJECT,
	K_CATEGORY, K_CATEGORY_NOT, K_LEVEL, K_URGENT, K_PAID, K_VALID, K_MIN_CHARGE,
	K_START, K_END, K_LIMIT, K_DEADLINE_FIELD, K_EVENT, K_CALLBACK_ROLES,
	K_FIRST_REMINDER, K_LETTER, K_AFTER_MONTHS, K_GRACE, K_WINDOW, K_COMPLAINTS,
	K_TICKETS
};

/* Each kind's keys beyond kind/enabled/titles/source/target, and those it requires. */
#define K(key) (1u << (key))
#define FILTER_KEYS (K(K_SUBJECT) | K(K_CATEGORY) | K(K_CATEGORY_NOT) | K(K_LEVEL) | \
		     K(K_URGENT) | K(K_PAID) | K(K_VALID) | K(K_MIN_CHARGE))

/*
 * The table of rule kinds (ruleset.h), in enum rule_kind order. Each kind's
 * reads are what the engine reads for it beyond the fields a rule names
 * (RULES.md): a deadline ending at "the first callback" reads the callbacks'
 * times, coverage rules with roles the callback's role, a letter rule
 * reminders' methods and charges' due dates, the repeat finding groups by
 * room and category.
 */
static const struct kind_row {
	struct rule_kind_info info;
	unsigned keys, required;
} KINDS[RULE_NKINDS] = {
	[RULE_DEADLINE] = { { "deadline", RULE_PART_RECORDS, 1, 1, 1,
			      { { "callbacks", "callback_at", READ_CALLBACK_END } } },
			    FILTER_KEYS | K(K_START) | K(K_END) | K(K_LIMIT) | K(K_DEADLINE_FIELD),
			    K(K_SUBJECT) | K(K_START) | K(K_END) | K(K_LIMIT) },
	[RULE_COVERAGE] = { { "coverage", RULE_PART_RECORDS, 0, 1, 1,
			      { { "callbacks", "callback_at", READ_ALWAYS },
				{ "callbacks", "role", READ_WITH_ROLES } } },
			    FILTER_KEYS | K(K_EVENT) | K(K_CALLBACK_ROLES),
			    K(K_SUBJECT) | K(K_EVENT) },
	[RULE_WEEKLY] = { { "weekly", RULE_PART_RECORDS, 0, 1, 0,
			    { { "callbacks", "callback_at", READ_ALWAYS },
			      { "callbacks", "role", READ_WITH_ROLES } } },
			  FILTER_KEYS | K(K_EVENT) | K(K_CALLBACK_ROLES),
			  K(K_SUBJECT) | K(K_EVENT) | K(K_TARGET) },
	[RULE_LETTER] = { { "letter", RULE_PART_FEES, 1, 1, 0,
			    { { "fees", "method", READ_ALWAYS }, { "fees", "due_date", READ_ALWAYS },
			      { "fees", "amount", READ_ALWAYS } } },
			  K(K_FIRST_REMINDER) | K(K_LETTER) | K(K_AFTER_MONTHS) | K(K_GRACE),
			  K(K_FIRST_REMINDER) | K(K_LETTER) | K(K_AFTER_MONTHS) | K(K_GRACE) },
	[RULE_REPEAT] = { { "repeat", RULE_PART_FINDINGS, 0, 0, 0,
			    { { "tickets", "room", READ_ALWAYS }, { "tickets", "category", READ_ALWAYS },
			      { "complaints", "room", READ_ALWAYS },
			      { "complaints", "category", READ_ALWAYS } } },
			  K(K_WINDOW) | K(K_COMPLAINTS) | K(K_TICKETS),
			  K(K_WINDOW) | K(K_COMPLAINTS) | K(K_TICKETS) },
};

const struct rule_kind_info *rule_kind_info(enum rule_kind kind)
{
	return &KINDS[kind].info;
}

const char *rule_kind_name(enum rule_kind kind)
{
	return KINDS[kind].info.name;
}

const char *rule_subject_table(enum rule_subject subject)
{
	return subject == SUBJECT_TICKETS ? "tickets" : "complaints";
}

const char *rule_subject_id(enum rule_subject subject)
{
	return subject == SUBJECT_TICKETS ? "ticket_id" : "complaint_id";
}

/* The parser's position, for messages. */
struct parse_state {
	const char *name;
	int line;
	struct ruleset *rs;
	struct rule *rule;              /* the block being read, NULL before the first */
	unsigned seen;                  /* bit per key seen in this block */
};

static int bad(struct parse_state *ps, pm_error *err, const char *key, const char *fmt, const char *value)
{
	char what[600];

	/* fmt is translated as pm_fail's is (xgettext keyword bad:4) */
	snprintf(what, sizeof(what), _(fmt), value);
	return pm_fail(err, "%s:%d: %s: %s", ps->name, ps->line, key, what);
}

static int parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "是"))
		*out = 1;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "否"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int parse_tristate(const char *v, enum tristate *out)
{
	int b;

	if (!strcasecmp(v, "any")) {
		*out = ANY;
		return 0;
	}
	if (parse_bool(v, &b))
		return -1;
	*out = b ? YES : NO;
	return 0;
}

/* A whole non-negative number, nothing else. */
static int parse_count(const char *v, long long max, long long *out)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || end == v || n > max)
		return -1;
	*out = n;
	return (int)(end - v);
}

/* 30m, 1h, 2d (elapsed), sameday, Nwd (working days). */
static int parse_limit(const char *v, enum limit_unit *unit, long long *value)
{
	long long n;
	int used;

	if (!strcmp(v, "sameday")) {
		*unit = LIMIT_SAMEDAY;
		*value = 0;
		return 0;
	}
	used = parse_count(v, 100000, &n);
	if (used <= 0 || n == 0)
		return -1;
	v += used;
	if (!strcmp(v, "wd")) {
		if (n > 366)
			return -1;
		*unit = LIMIT_WORKDAYS;
		*value = n;
		return 0;
	}
	*unit = LIMIT_SECONDS;
	if (!strcmp(v, "s"))
		*value = n;
	else if (!strcmp(v, "m"))
		*value = n * 60;
	else if (!strcmp(v, "h"))
		*value = n * 3600;
	else if (!strcmp(v, "d"))
		*value = n * 86400;
	else
		return -1;
	return 0;
}

/* "100%", "60%", "0.95" -> 0..1 */
static int parse_target(const char *v, double *out)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (errno || end == v)
		return -1;
	if (*end == '%') {
		x /= 100;
		end++;
	}
	/* written so that NaN ("nan", which strtod accepts) is refused too */
	if (*end || !(x >= 0 && x <= 1))
		return -1;
	*out = x;
	return 0;
}

/* "200", "200.5", "200.00" -> cents */
static int parse_money(const char *v, long long *cents)
{
	long long whole, frac = 0;
	int used, digits = 0;

	used = parse_count(v, 100000000000LL, &whole);
	if (used <= 0)
		return -1;
	v += used;
	if (*v == '.') {
		v++;
		while (isdigit((unsigned char)*v) && digits < 2) {
			frac = frac * 10 + (*v++ - '0');
			digits++;
		}
		if (digits == 0)
			return -1;
		if (digits == 1)
			frac *= 10;
	}
	if (*v)
		return -1;
	*cents = whole * 100 + frac;
	return 0;
}

static int parse_list(struct parse_state *ps, const char *key, char *v,
		      struct rule_list *list, pm_error *err)
{
	char *item, *save = NULL;

	list->count = 0;
	for (item = strtok_r(v, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		item = kv_trim(item);
		if (!*item)
			return bad(ps, err, key, "%sempty item in the list", "");
		if (list->count == RULE_MAX_LIST)
			return bad(ps, err, key, "%smore than 16 items", "");
		list->items[list->count] = strdup(item);
		if (!list->items[list->count])
			return pm_fail(err, "out of memory");
		list->count++;
	}
	if (!list->count)
		return bad(ps, err, key, "%sexpected a comma-separated list", "");
	return 0;
}

static const char *find_field(enum rule_subject subject, const char *name)
{
	const char *const *f = subject == SUBJECT_TICKETS ? TICKET_FIELDS : COMPLAINT_FIELDS;

	for (; *f; f++)
		if (!strcmp(*f, name))
			return *f;
	return NULL;
}

static int parse_field(struct parse_state *ps, const char *key, const char *v,
		       const char **out, pm_error *err)
{
	if (ps->rule->subject == SUBJECT_NONE)
		return bad(ps, err, key, "%sgive subject before the fields", "");
	*out = find_field(ps->rule->subject, v);
	if (!*out)
		return pm_fail(err, "%s:%d: %s: '%s' is not a timestamp field of %s",
			       ps->name, ps->line, key, v, rule_subject_table(ps->rule->subject));
	return 0;
}

static int parse_start(struct parse_state *ps, char *v, pm_error *err)
{
	char *item, *save = NULL;
	struct rule *r = ps->rule;

	r->nstart = 0;
	for (item = strtok_r(v, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (r->nstart == RULE_MAX_START)
			return bad(ps, err, "start", "%sat most 4 fields", "");
		if (parse_field(ps, "start", kv_trim(item), &r->start[r->nstart], err))
			return -1;
		r->nstart++;
	}
	return r->nstart ? 0 : bad(ps, err, "start", "%sexpected a field name", "");
}

static int parse_level(struct parse_state *ps, char *v, pm_error *err)
{
	struct rule_list *l = &ps->rule->level;
	int i;

	if (parse_list(ps, "level", v, l, err))
		return -1;
	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i], "major") && strcmp(l->items[i], "important") &&
		    strcmp(l->items[i], "minor"))
			return bad(ps, err, "level", "'%s' must be major, important or minor",
				   l->items[i]);
	return 0;
}

static int parse_kind(struct parse_state *ps, const char *v, pm_error *err)
{
	int i;

	for (i = 0; i < RULE_NKINDS; i++)
		if (!strcmp(v, KINDS[i].info.name)) {
			ps->rule->kind = (enum rule_kind)i;
			return 0;
		}
	return bad(ps, err, "kind", "'%s' must be deadline, coverage, weekly, letter or repeat", v);
}

static int dup_text(char **out, const char *v, pm_error *err)
{
	free(*out);
	*out = strdup(v);
	return *out ? 0 : pm_fail(err, "out of memory");
}

/* Resolves a calendar path relative to the rules file's directory. */
static int add_calendar(struct parse_state *ps, const char *v, pm_error *err)
{
	struct ruleset *rs = ps->rs;
	const char *slash = strrchr(ps->name, '/');
	char *path;
	size_t dir;

	if (rs->ncalendars == RULES_MAX_CALENDARS)
		return bad(ps, err, "calendar", "%sat most 8 calendar files", "");
	dir = (v[0] != '/' && slash) ? (size_t)(slash - ps->name) + 1 : 0;
	path = malloc(dir + strlen(v) + 1);
	if (!path)
		return pm_fail(err, "out of memory");
	memcpy(path, ps->name, dir);
	strcpy(path + dir, v);
	rs->calendars[rs->ncalendars++] = path;
	return 0;
}

/* Keys, in the order of the bits in parse_state.seen. */
static const char *const KEYS[] = {
	"kind", "enabled", "title_zh", "title_en", "source", "target", "subject",
	"category", "category_not", "level", "urgent", "paid", "valid", "min_charge",
	"start", "end", "limit", "deadline_field", "event", "callback_roles",
	"first_reminder", "letter", "after_months", "grace", "window", "complaints",
	"tickets", NULL
};

static int need_subject(struct parse_state *ps, const char *key, enum rule_subject s, pm_error *err)
{
	if (ps->rule->subject != s)
		return pm_fail(err, "%s:%d: %s: applies to subject = %s only (give subject first)",
			       ps->name, ps->line, key, rule_subject_table(s));
	return 0;
}

static int set_key(struct parse_state *ps, enum key k, char *v, pm_error *err)
{
	struct rule *r = ps->rule;
	const char *key = KEYS[k];
	long long n;
	int b;

	switch (k) {
	case K_KIND:
		return parse_kind(ps, v, err);
	case K_ENABLED:
		if (parse_bool(v, &b))
			return bad(ps, err, key, "'%s' must be yes or no", v);
		r->enabled = b;
		return 0;
	case K_TITLE_ZH:
		return dup_text(&r->title_zh, v, err);
	case K_TITLE_EN:
		return dup_text(&r->title_en, v, err);
	case K_SOURCE:
		return dup_text(&r->source, v, err);
	case K_TARGET:
		if (parse_target(v, &r->target))
			return bad(ps, err, key, "'%s' must be a percentage such as 100%% or 60%%", v);
		return 0;
	case K_SUBJECT:
		if (!strcmp(v, "tickets"))
			r->subject = SUBJECT_TICKETS;
		else if (!strcmp(v, "complaints"))
			r->subject = SUBJECT_COMPLAINTS;
		else
			return bad(ps, err, key, "'%s' must be tickets or complaints", v);
		if (r->subject == SUBJECT_COMPLAINTS && !(ps->seen & (1u << K_VALID)))
			r->valid = YES;
		return 0;
	case K_CATEGORY:
		return parse_list(ps, key, v, &r->category, err);
	case K_CATEGORY_NOT:
		return parse_list(ps, key, v, &r->category_not, err);
	case K_LEVEL:
		return need_subject(ps, key, SUBJECT_COMPLAINTS, err) || parse_level(ps, v, err) ? -1 : 0;
	case K_URGENT:
	case K_PAID:
		if (need_subject(ps, key, SUBJECT_TICKETS, err))
			return -1;
		if (parse_tristate(v, k == K_URGENT ? &r->urgent : &r->paid))
			return bad(ps, err, key, "'%s' must be yes, no or any", v);
		return 0;
	case K_VALID:
		if (need_subject(ps, key, SUBJECT_COMPLAINTS, err))
			return -1;
		if (parse_tristate(v, &r->valid))
			return bad(ps, err, key, "'%s' must be yes, no or any", v);
		return 0;
	case K_MIN_CHARGE:
		if (need_subject(ps, key, SUBJECT_TICKETS, err))
			return -1;
		if (parse_money(v, &r->min_charge))
			return bad(ps, err, key, "'%s' must be an amount in yuan such as 200.00", v);
		return 0;
	case K_START:
		return parse_start(ps, v, err);
	case K_END:
		if (!strcmp(v, "callback")) {
			r->end = NULL;
			return 0;
		}
		return parse_field(ps, key, v, &r->end, err);
	case K_LIMIT:
		if (parse_limit(v, &r->limit_unit, &r->limit_value))
			return bad(ps, err, key, "'%s' must be like 30m, 1h, 2d, sameday or 3wd", v);
		snprintf(r->limit_text, sizeof(r->limit_text), "%s", v);
		return 0;
	case K_DEADLINE_FIELD:
		return parse_field(ps, key, v, &r->deadline_field, err);
	case K_EVENT:
		return parse_field(ps, key, v, &r->event, err);
	case K_CALLBACK_ROLES:
		return parse_list(ps, key, v, &r->callback_roles, err);
	case K_FIRST_REMINDER:
		return parse_list(ps, key, v, &r->first_reminder, err);
	case K_LETTER:
		return parse_list(ps, key, v, &r->letter, err);
	case K_AFTER_MONTHS:
		if (parse_count(v, 120, &n) != (int)strlen(v) || n == 0)
			return bad(ps, err, key, "'%s' must be a number of months (1-120)", v);
		r->after_months = (int)n;
		return 0;
	case K_GRACE: {
		enum limit_unit unit;

		if (parse_limit(v, &unit, &r->grace_seconds) || unit != LIMIT_SECONDS)
			return bad(ps, err, key, "'%s' must be an elapsed time such as 7d", v);
		return 0;
	}
	case K_WINDOW:
		if (parse_count(v, 3650, &n) <= 0 || strcmp(v + strspn(v, "0123456789"), "d") || n == 0)
			return bad(ps, err, key, "'%s' must be a number of days such as 90d", v);
		r->window_days = (int)n;
		return 0;
	case K_COMPLAINTS:
	case K_TICKETS:
		if (parse_count(v, 1000, &n) != (int)strlen(v) || n < 1)
			return bad(ps, err, key, "'%s' must be a whole number of at least 1", v);
		if (k == K_COMPLAINTS)
			r->min_complaints = (int)n;
		else
			r->min_tickets = (int)n;
		return 0;
	}
	return 0;
}

/* Checks the finished block: every key belongs to its kind, none is missing. */
static int finish_rule(struct parse_state *ps, pm_error *err)
{
	struct rule *r = ps->rule;
	unsigned common = 1u << K_KIND | 1u << K_ENABLED | 1u << K_TITLE_ZH |
			  1u << K_TITLE_EN | 1u << K_SOURCE | 1u << K_TARGET;
	unsigned allowed, missing;
	int k;

	if (!r)
		return 0;
	if (!(ps->seen & (1u << K_KIND)))
		return pm_fail(err, "%s:%d: rule %s: missing kind = deadline|coverage|weekly|letter|repeat",
			       ps->name, r->line, r->id);
	allowed = common | KINDS[r->kind].keys;
	for (k = 0; KEYS[k]; k++)
		if ((ps->seen & (1u << k)) && !(allowed & (1u << k)))
			return pm_fail(err, "%s:%d: rule %s: key %s does not apply to kind = %s",
				       ps->name, r->line, r->id, KEYS[k], rule_kind_name(r->kind));
	missing = KINDS[r->kind].required & ~ps->seen;
	for (k = 0; KEYS[k]; k++)
		if (missing & (1u << k) & ~(1u << K_TARGET))
			return pm_fail(err, "%s:%d: rule %s: missing key %s", ps->name, r->line,
				       r->id, KEYS[k]);
	if (missing & (1u << K_TARGET))
		return pm_fail(err, "%s:%d: rule %s: missing key target (the share each week must reach)",
			       ps->name, r->line, r->id);
	if (r->deadline_field && r->limit_unit == LIMIT_NONE)
		return pm_fail(err, "%s:%d: rule %s: missing key limit", ps->name, r->line, r->id);
	ps->rule = NULL;
	return 0;
}

static int valid_id(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n >= sizeof(((struct rule *)0)->id))
		return 0;
	return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

static int start_rule(struct parse_state *ps, char *s, pm_error *err)
{
	struct ruleset *rs = ps->rs;
	struct rule *grown, *r;
	size_t i;

	if (finish_rule(ps, err))
		return -1;
	s = kv_section(s);
	if (!s)
		return pm_fail(err, "%s:%d: a rule header is [RULE-ID] alone on its line",
			       ps->name, ps->line);
	if (!valid_id(s))
		return pm_fail(err, "%s:%d: '%s' is not a rule id (letters, digits, - and _, "
			       "at most 47)", ps->name, ps->line, s);
	for (i = 0; i < rs->count; i++)
		if (!strcmp(rs->rules[i].id, s))
			return pm_fail(err, "%s:%d: rule %s is defined twice (first at line %d)",
				       ps->name, ps->line, s, rs->rules[i].line);
	grown = realloc(rs->rules, (rs->count + 1) * sizeof(*grown));
	if (!grown)
		return pm_fail(err, "out of memory");
	rs->rules = grown;
	r = &rs->rules[rs->count++];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", s);
	r->line = ps->line;
	r->enabled = 1;
	r->target = 1.0;
	r->urgent = r->paid = r->valid = ANY;
	r->min_charge = -1;
	ps->rule = r;
	ps->seen = 0;
	return 0;
}

static int parse_assignment(struct parse_state *ps, char *s, pm_error *err)
{
	char *key, *value;
	int k;

	if (kv_assignment(s, &key, &value))
		return pm_fail(err, "%s:%d: expected key = value or [RULE-ID]", ps->name, ps->line);
	if (!ps->rule) {
		if (strcmp(key, "calendar"))
			return pm_fail(err, "%s:%d: '%s': before the first [RULE-ID] only "
				       "calendar = FILE is allowed", ps->name, ps->line, key);
		if (!*value)
			return pm_fail(err, "%s:%d: calendar: expected a file name", ps->name, ps->line);
		return add_calendar(ps, value, err);
	}
	for (k = 0; KEYS[k]; k++)
		if (!strcmp(KEYS[k], key))
			break;
	if (!KEYS[k])
		return pm_fail(err, "%s:%d: unknown key '%s'", ps->name, ps->line, key);
	if (ps->seen & (1u << k))
		return pm_fail(err, "%s:%d: %s is given twice in rule %s", ps->name, ps->line,
			       key, ps->rule->id);
	if (!*value)
		return pm_fail(err, "%s:%d: %s: empty value", ps->name, ps->line, key);
	ps->seen |= 1u << k;
	return set_key(ps, (enum key)k, value, err);
}

static void sha256_hex(const char *text, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_Digest(text, len, md, &n, EVP_sha256(), NULL);
	for (i = 0; i < n && i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[2 * i] = '\0';
}

int ruleset_parse(const char *name, const char *text, size_t len,
		  struct ruleset *rs, pm_error *err)
{
	struct parse_state ps = { name, 0, rs, NULL, 0 };
	struct kv_reader kv;
	char *s;
	int rc;

	memset(rs, 0, sizeof(*rs));
	rs->origin = strdup(name);
	sha256_hex(text, len, rs->sha256);
	kv_open(&kv, name, text, len);
	while ((rc = kv_next(&kv, &s, err)) > 0) {
		ps.line = kv.line;
		if ((*s == '[' ? start_rule(&ps, s, err) : parse_assignment(&ps, s, err)))
			goto fail;
	}
	if (rc < 0)
		goto fail;
	if (finish_rule(&ps, err))
		goto fail;
	if (!rs->count) {
		pm_fail(err, "%s: no rules in the file", name);
		goto fail;
	}
	return 0;
fail:
	ruleset_free(rs);
	return -1;
}

static int load_file(const char *path, struct ruleset *rs, pm_error *err)
{
	FILE *f;
	struct stat st;
	char *text;
	long size;
	int rc;

	/* before fopen, which would wait forever on a FIFO without a writer */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return pm_fail(err, "%s: not a regular file", path);
	f = fopen(path, "rb");
	if (!f)
		return pm_fail(err, "%s: cannot open rules file: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return pm_fail(err, "%s: not a regular file", path);
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return pm_fail(err, "%s: cannot read rules file", path);
	}
	if (size > 1 << 20) {
		fclose(f);
		return pm_fail(err, "%s: a rules file is at most 1 MiB", path);
	}
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		fclose(f);
		return pm_fail(err, "%s: cannot read rules file", path);
	}
	fclose(f);
	rc = ruleset_parse(path, text, (size_t)size, rs, err);
	free(text);
	return rc;
}

int ruleset_load(const char *path, struct ruleset *rs, pm_error *err)
{
	static const char *const near_binary[] = {
		"/rules/default.rules", "/../rules/default.rules",
		"/../share/pmaudit/default.rules"
	};
	char dir[PATH_MAX], candidate[PATH_MAX + 64];
	size_t i;

	if (path)
		return load_file(path, rs, err);
	if (exe_dir(dir, sizeof(dir)) == 0)
		for (i = 0; i < sizeof(near_binary) / sizeof(near_binary[0]); i++) {
			snprintf(candidate, sizeof(candidate), "%s%s", dir, near_binary[i]);
			if (access(candidate, R_OK) == 0)
				return load_file(candidate, rs, err);
		}
	return ruleset_parse("built-in default", pm_builtin_rules,
			     strlen(pm_builtin_rules), rs, err);
}

static void free_list(struct rule_list *l)
{
	int i;

	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	l->count = 0;
}

int rule_list_found_in(const struct rule_list *list, const char *text)
{
	int n;

	for (n = 0; text && n < list->count; n++)
		if (strstr(text, list->items[n]))
			return 1;
	return 0;
}

void ruleset_free(struct ruleset *rs)
{
	size_t i;
	int c;

	for (i = 0; i < rs->count; i++) {
		struct rule *r = &rs->rules[i];

		free(r->title_zh);
		free(r->title_en);
		free(r->source);
		free_list(&r->category);
		free_list(&r->category_not);
		free_list(&r->level);
		free_list(&r->callback_roles);
		free_list(&r->first_reminder);
		free_list(&r->letter);
	}
	for (c = 0; c < rs->ncalendars; c++)
		free(rs->calendars[c]);
	free(rs->rules);
	free(rs->origin);
	memset(rs, 0, sizeof(*rs));
}
