#ifndef PM_I18N_H
#define PM_I18N_H

/*
 * Command-line messages in the user's language, through GNU gettext
 * (docs/translating.md). _("text") is the text in the language of
 * LC_MESSAGES (LC_ALL, LC_MESSAGES or LANG); N_("text") only marks a text
 * for the catalogue (po/pmaudit.pot) where it is translated later, at
 * print time. pm_fail() translates its format itself, so the library's
 * error messages need no mark. Until i18n_init() is called (the unit
 * tests, the fuzz targets) every text is the English one.
 */
#include <libintl.h>

#define _(text) gettext(text)
#define N_(text) text

#define PM_TEXT_DOMAIN "pmaudit"

/*
 * Sets LC_MESSAGES from the environment and binds the catalogue: the
 * build tree's (DIR/locale or DIR/build/locale, DIR the binary's folder),
 * else the installed one (DIR/../share/locale), else gettext's default. When the locale the environment names is not
 * installed (a clean Debian has no zh_CN.UTF-8), the language is taken
 * from its name all the same. Only LC_MESSAGES: numbers in the CSV and
 * JSON outputs never take a locale's decimal comma.
 */
void i18n_init(void);

/*
 * 1 when the messages are Chinese (the catalogue in use is zh_CN's): the
 * texts that are not in the catalogue but stored in English, such as the
 * reject reasons (db/reject_reason.h), are then shown in Chinese too.
 */
int i18n_chinese(void);

#endif
