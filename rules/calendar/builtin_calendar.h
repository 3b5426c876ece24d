#ifndef PM_BUILTIN_CALENDAR_H
#define PM_BUILTIN_CALENDAR_H

/*
 * A copy of rules/calendar/cn-2024-2026.csv built into the binary (see
 * rules/calendar/builtin_calendar.c). NUL-terminated text.
 */
extern const char pm_builtin_calendar[];

#endif
