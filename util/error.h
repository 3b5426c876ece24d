#ifndef PM_ERROR_H
#define PM_ERROR_H

/*
 * Errors travel as return codes: a function that can fail returns 0 on
 * success and -1 on failure, after writing a human-readable message into the
 * caller's pm_error. Library code never prints and never exits; the command
 * (cmd/) decides what the user sees.
 */
typedef struct pm_error {
	char msg[1024];
} pm_error;

/*
 * Formats the message into err (if not NULL) and returns -1. fmt is
 * translated (gettext, util/i18n.h) when the command line set a language:
 * xgettext collects pm_fail's second argument into po/pmaudit.pot.
 */
int pm_fail(pm_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
