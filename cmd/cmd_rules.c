/* pmaudit rules: list the rules in force, what each checks and its source. */
#include <stdio.h>
#include <string.h>
#include "cmd/cmd.h"
#include "util/i18n.h"
#include "rules/calendar/calendar.h"
#include "rules/ruleset/ruleset.h"

static const char SYNOPSIS[] = N_(
"usage: pmaudit rules [--rules FILE] [--calendar FILE]\n"
"\n"
"Lists the rules in force: id, on/off, kind, titles, what each checks, its\n"
"target and the handbook sentence it comes from. Without --rules this is the\n"
"default set (rules/default.rules next to the binary, else the built-in copy).\n"
"The rules file format is described in docs/rules.md.\n"
"\n");

static void print_list(const char *label, const struct rule_list *l)
{
	int i;

	if (!l->count)
		return;
	printf("; %s ", label);
	for (i = 0; i < l->count; i++)
		printf("%s%s", i ? ", " : "", l->items[i]);
}

static const char *tristate(enum tristate t)
{
	return t == YES ? _("yes") : _("no");
}

static void print_subject(const struct rule *r)
{
	printf("    %s", rule_subject_table(r->subject));
	print_list(_("category"), &r->category);
	print_list(_("category not"), &r->category_not);
	print_list(_("level"), &r->level);
	if (r->urgent != ANY)
		printf(_("; urgent %s"), tristate(r->urgent));
	if (r->paid != ANY)
		printf(_("; paid %s"), tristate(r->paid));
	if (r->valid != ANY)
		printf(_("; valid %s"), tristate(r->valid));
	if (r->min_charge >= 0)
		printf(_("; charge >= %lld.%02lld"), r->min_charge / 100, r->min_charge % 100);
	printf("\n");
}

static void print_rule(const struct rule *r)
{
	int i;

	printf("%-22s %-3s %s\n", r->id, r->enabled ? _("on") : _("off"), rule_kind_name(r->kind));
	printf("    %s\n", r->title_zh ? r->title_zh : "");
	printf("    %s\n", r->title_en ? r->title_en : "");
	switch (r->kind) {
	case RULE_DEADLINE:
		print_subject(r);
		printf(_("    start "));
		for (i = 0; i < r->nstart; i++)
			printf("%s%s", i ? _(", else ") : "", r->start[i]);
		printf(_("; end %s; limit %s"), r->end ? r->end : _("first callback"), r->limit_text);
		if (r->deadline_field)
			printf(_(", or %s when given"), r->deadline_field);
		printf(_("; target %g%%\n"), r->target * 100);
		break;
	case RULE_COVERAGE:
	case RULE_WEEKLY:
		print_subject(r);
		printf(_("    %s in the period with a callback at or after it"), r->event);
		print_list(_("by role"), &r->callback_roles);
		printf(_("; target %g%%%s\n"), r->target * 100, r->kind == RULE_WEEKLY ? _(" each ISO week") : "");
		break;
	case RULE_LETTER:
		printf(_("    first reminder"));
		print_list(_("by"), &r->first_reminder);
		printf(_("; then a letter"));
		print_list(_("by"), &r->letter);
		printf(_("; due %d calendar months after the first reminder, %lld days' grace;"
		       " target %g%%\n"), r->after_months, r->grace_seconds / 86400, r->target * 100);
		break;
	case RULE_REPEAT:
		printf(_("    same room and category: %d complaints or %d tickets within %d days\n"),
		       r->min_complaints, r->min_tickets, r->window_days);
		break;
	}
	printf(_("    source: %s\n\n"), r->source ? r->source : _("(none given)"));
}

int cmd_rules(int argc, char **argv)
{
	const char *rules = NULL, *calendar = NULL;
	const struct option_spec options[] = {
		OPT_STRING("rules", 0, &rules, "FILE", "the rules file"),
		OPT_STRING("calendar", 0, &calendar, "FILE", "a holiday calendar (date,kind,name)"),
		OPT_END(),
	};
	const struct cmd_usage usage = { "rules", SYNOPSIS, options, NULL };
	struct ruleset rs;
	struct calendar *cal;
	pm_error err = { "" };
	char years[128];
	size_t i;
	int c, rc = cmd_parse(&usage, argc, argv);

	if (rc < 0)
		return CMD_EXIT_STATUS(rc);
	if (rc > 0) {
		fprintf(stderr, _("pmaudit rules: unexpected argument '%s'\n"), argv[0]);
		return 2;
	}
	if (ruleset_load(rules, &rs, &err)) {
		fprintf(stderr, "pmaudit rules: %s\n", err.msg);
		return 1;
	}
	cal = calendar_new();
	for (c = 0; cal && c < rs.ncalendars && !rc; c++)
		rc = calendar_add_file(cal, rs.calendars[c], &err);
	if (cal && !rc && calendar)
		rc = calendar_add_file(cal, calendar, &err);
	if (!cal || rc || calendar_finish(cal, &err)) {
		fprintf(stderr, "pmaudit rules: %s\n", cal ? err.msg : _("out of memory"));
		calendar_free(cal);
		ruleset_free(&rs);
		return 1;
	}
	calendar_describe(cal, years, sizeof(years));
	printf(_("rules file: %s\nsha256:     %s\n"), rs.origin, rs.sha256);
	printf(_("calendar:   working days for %s (built-in"), years);
	for (c = 0; c < rs.ncalendars; c++)
		printf(" + %s", rs.calendars[c]);
	if (calendar)
		printf(" + %s", calendar);
	printf(")\n\n");
	for (i = 0; i < rs.count; i++)
		print_rule(&rs.rules[i]);
	calendar_free(cal);
	ruleset_free(&rs);
	return 0;
}
