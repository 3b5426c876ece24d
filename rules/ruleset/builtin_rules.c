/*
 * The shipped default rule set, embedded byte for byte with the assembler's
 * .incbin so that rules/default.rules stays the single source (an edited
 * copy could drift from it). The path is relative to the repository root,
 * where make runs the compiler; the Makefile lists the file as a
 * prerequisite of this object so an edit rebuilds it.
 */
#include "rules/ruleset/builtin.h"

__asm__(
	"	.section .rodata\n"
	"	.global pm_builtin_rules\n"
	"	.type pm_builtin_rules, @object\n"
	"pm_builtin_rules:\n"
	"	.incbin \"rules/default.rules\"\n"
	"	.byte 0\n"
	"	.size pm_builtin_rules, . - pm_builtin_rules\n"
	"	.previous\n");
