#ifndef PM_SAFE_NAME_H
#define PM_SAFE_NAME_H

#include <stddef.h>

/*
 * A file name made from a name in the data (a site), for a file written
 * into a folder the user chose (report monthly --each-site DIR): the name
 * stays readable where it can, and can never leave the folder or hide.
 *
 *  - '/', '\\', control characters (below 0x20, DEL) and the characters
 *    Windows refuses ( < > : " | ? * ) become '_', and so does a byte that
 *    is not valid UTF-8;
 *  - a leading '.' or space becomes '_' (no hidden file, no "..");
 *    trailing dots and spaces are cut (Windows drops them);
 *  - a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or
 *    without an extension) gets a '_' in front;
 *  - at most SAFE_NAME_MAX bytes, cut between characters;
 *  - an empty result is "site".
 *
 * When any of that changed the name, "-" and 8 hex digits of a hash of
 * the whole original name follow, so two names that differ only in what
 * was replaced or cut ("a/b" and "a:b", two long names with the same
 * beginning) still get different files, whatever order they come in.
 * Returns 1 when the name was changed, 0 when it is the name as given.
 * out holds at least SAFE_NAME_SIZE bytes.
 */
#define SAFE_NAME_MAX 120
#define SAFE_NAME_SIZE (SAFE_NAME_MAX + 10)

int safe_file_name(const char *name, char *out);

#endif
