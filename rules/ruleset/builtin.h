#ifndef PM_BUILTIN_H
#define PM_BUILTIN_H

/*
 * A copy of rules/default.rules built into the binary (see
 * rules/ruleset/builtin_rules.c), so that pmaudit works from any directory
 * even when the shipped file is not next to it. NUL-terminated text.
 */
extern const char pm_builtin_rules[];

#endif
