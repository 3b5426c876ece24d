/*
 * The shipped holiday calendar, embedded byte for byte with the assembler's
 * .incbin so that rules/calendar/cn-2024-2026.csv stays the single source.
 * The path is relative to the repository root, where make runs the
 * compiler; the Makefile lists the file as a prerequisite of this object.
 */
#include "rules/calendar/builtin_calendar.h"

__asm__(
	"	.section .rodata\n"
	"	.global pm_builtin_calendar\n"
	"	.type pm_builtin_calendar, @object\n"
	"pm_builtin_calendar:\n"
	"	.incbin \"rules/calendar/cn-2024-2026.csv\"\n"
	"	.byte 0\n"
	"	.size pm_builtin_calendar, . - pm_builtin_calendar\n"
	"	.previous\n");
