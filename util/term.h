#ifndef PM_TERM_H
#define PM_TERM_H

/*
 * Printing text that came from an input file. A CSV cell can hold escape
 * sequences (ESC [ 2 J clears the screen, ESC ] 0 ; sets the window title,
 * some terminals even answer queries as if typed) or right-to-left
 * overrides that make a line read differently from what it holds. Every
 * message that may quote input goes through these functions, which show
 * such characters as visible escapes instead of sending them.
 */

#include <stdio.h>

/*
 * Writes s to out with C0 and C1 control characters and DEL as \xNN (\n,
 * \r, \t: \n \r \t), bidirectional controls (U+202A-U+202E,
 * U+2066-U+2069) as \uNNNN, and bytes that are not valid UTF-8 as \xNN.
 * With keep_newlines, LF is written as is (for multi-line original text)
 * and TAB too. Everything else, Chinese included, is written unchanged.
 */
void term_write(FILE *out, const char *s, int keep_newlines);

/* Formats a message, writes it with term_write() and ends the line. */
void term_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
