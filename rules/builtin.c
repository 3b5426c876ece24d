/*
 * The shipped default rule set and holiday calendar, embedded byte for byte
 * with the assembler's .incbin so that the files in rules/ stay the single
 * source (an edited copy could drift from them). The paths are relative to
 * the repository root, where make runs the compiler; the Makefile lists both
 * files as prerequisites of this object so an edit rebuilds it.
 */
#include "rules/builtin.h"

__asm__(
	"	.section .rodata\n"
	"	.global pm_builtin_rules\n"
	"	.type pm_builtin_rules, @object\n"
	"pm_builtin_rules:\n"
	"	.incbin \"rules/default.rules\"\n"
	"	.byte 0\n"
	"	.size pm_builtin_rules, . - pm_builtin_rules\n"
	"	.global pm_builtin_calendar\n"
	"	.type pm_builtin_calendar, @object\n"
	"pm_builtin_calendar:\n"
	"	.incbin \"rules/calendar/cn-2024-2026.csv\"\n"
	"	.byte 0\n"
	"	.size pm_builtin_calendar, . - pm_builtin_calendar\n"
	"	.previous\n");
