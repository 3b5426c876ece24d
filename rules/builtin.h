#ifndef PM_BUILTIN_H
#define PM_BUILTIN_H

/*
 * Copies of rules/default.rules and rules/calendar/cn-2024-2026.csv built
 * into the binary (see rules/builtin.c), so that pmaudit works from any
 * directory even when the shipped files are not next to it.
 * Both are NUL-terminated text.
 */
extern const char pm_builtin_rules[];
extern const char pm_builtin_calendar[];

#endif
