/*
 * check and report monthly verify their database beside their work
 * (db_open_unverified(), check_params.verify_path): a step that fails
 * before the verdict may have failed because the file is damaged, and then
 * that is what the user must read, as when the file was verified before
 * anything was read (issue 13).
 */
#include <stdio.h>
#include "cmd/cmd.h"
#include "db/db.h"
#include "util/term.h"

int cmd_damaged(const char *who, sqlite3 *db, const char *path)
{
	pm_error err = { "" };

	if (db_verify(db, path, &err) == 0)
		return 0;
	term_printf(stderr, "%s: %s", who, err.msg);
	return 1;
}
