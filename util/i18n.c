/*
 * Setting up gettext for the command line (util/i18n.h).
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/exe_dir.h"
#include "util/i18n.h"

/* The locale name the environment gives LC_MESSAGES, as setlocale() reads it. */
static const char *messages_locale_name(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	return NULL;
}

/*
 * A clean Debian 12 has only C, C.UTF-8 and POSIX: setlocale() refuses
 * zh_CN.UTF-8 and gettext would stay English. gettext takes the language
 * from LANGUAGE whenever LC_MESSAGES is not plain "C", so C.UTF-8 plus
 * LANGUAGE gives the catalogue without the locale being generated.
 */
static void set_messages_locale(void)
{
	const char *name;

	if (setlocale(LC_MESSAGES, ""))
		return;
	name = messages_locale_name();
	if (!name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0)
		return;
	if (setlocale(LC_MESSAGES, "C.UTF-8") && !getenv("LANGUAGE"))
		setenv("LANGUAGE", name, 1);
}

/*
 * DIR/locale (build/pmaudit in the build tree), DIR/build/locale (the copy
 * ./pmaudit at the top of the tree), else DIR/../share/locale (installed
 * as PREFIX/bin/pmaudit); 0 if found.
 */
static int find_catalogue_dir(char *out, size_t size)
{
	static const char *const near_binary[] = { "/locale", "/build/locale", "/../share/locale" };
	char dir[PATH_MAX], mo[PATH_MAX + 64];
	size_t i;

	if (exe_dir(dir, sizeof(dir)) < 0)
		return -1;
	for (i = 0; i < sizeof(near_binary) / sizeof(near_binary[0]); i++) {
		snprintf(mo, sizeof(mo), "%s%s/zh_CN/LC_MESSAGES/%s.mo", dir, near_binary[i],
			 PM_TEXT_DOMAIN);
		if (access(mo, R_OK) == 0) {
			snprintf(out, size, "%s%s", dir, near_binary[i]);
			return 0;
		}
	}
	return -1;
}

void i18n_init(void)
{
	char dir[PATH_MAX + 32];

	set_messages_locale();
	/* otherwise gettext's default, /usr/share/locale */
	if (find_catalogue_dir(dir, sizeof(dir)) == 0)
		bindtextdomain(PM_TEXT_DOMAIN, dir);
	/* the catalogue's UTF-8 whatever LC_CTYPE is: all our output is UTF-8 */
	bind_textdomain_codeset(PM_TEXT_DOMAIN, "UTF-8");
	textdomain(PM_TEXT_DOMAIN);
}

int i18n_chinese(void)
{
	/* TRANSLATORS: the code of the catalogue's language (zh_CN) */
	return strncmp(_("en"), "zh", 2) == 0;
}
