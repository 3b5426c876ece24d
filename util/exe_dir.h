#ifndef PM_EXE_DIR_H
#define PM_EXE_DIR_H

#include <stddef.h>

/*
 * The directory holding the running binary (from /proc/self/exe), where
 * the files that travel with it are looked for: the default rules file
 * (rules/ruleset/ruleset.c) and the message catalogues (util/i18n.c).
 * Returns 0, or -1 when it cannot be told.
 */
int exe_dir(char *buf, size_t size);

#endif
