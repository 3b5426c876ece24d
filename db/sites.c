/*
 * Known sites: whether a --site names a site of the data, and if not, the
 * sites there are, closest first, for the error message (issue 14: a typo
 * used to give a whole report of dashes and exit 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "util/strtab.h"
#include "util/utf8.h"

/* The most sites an error message lists. */
#define LISTED 12

/*
 * A site is known when any log holds a record of it. The fee ledger and
 * fees_account are indexed by site; the others are read until the first
 * record of the site, which for a real site comes early.
 */
static const char SITE_KNOWN_SQL[] =
	"SELECT EXISTS(SELECT 1 FROM fees WHERE site = ?1)"
	" OR EXISTS(SELECT 1 FROM tickets WHERE site = ?1)"
	" OR EXISTS(SELECT 1 FROM complaints WHERE site = ?1)"
	" OR EXISTS(SELECT 1 FROM callbacks WHERE site = ?1)";

static const char SITES_SQL[] =
	"SELECT site FROM fees UNION SELECT site FROM tickets"
	" UNION SELECT site FROM complaints UNION SELECT site FROM callbacks";

struct near_site {
	char *name;
	int distance;
};

static int by_distance(const void *pa, const void *pb)
{
	const struct near_site *a = pa, *b = pb;

	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Every site of the data with its distance from site; *n of them. */
static int sites_by_distance(sqlite3 *db, const char *site, struct near_site **out, int *n,
			     pm_error *err)
{
	struct near_site *list = NULL;
	sqlite3_stmt *st;
	int cap = 0, rc;

	*n = 0;
	if (sqlite3_prepare_v2(db, SITES_SQL, -1, &st, NULL))
		return db_error(db, err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (!name)
			continue;
		if (*n == cap) {
			struct near_site *grown = realloc(list, sizeof(*list) * (cap = cap ? 2 * cap : 64));

			if (!grown)
				break;
			list = grown;
		}
		list[*n].name = strdup(name);
		if (!list[*n].name)
			break;
		list[*n].distance = utf8_edit_distance(site, name);
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = list;
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_ROW)
			return pm_fail(err, "out of memory");
		return db_error(db, err);
	}
	qsort(list, (size_t)*n, sizeof(*list), by_distance);
	return 0;
}

/* "unknown site 'x'; the sites in the database, closest first: a, b, … (n more)" */
static int unknown_site(sqlite3 *db, const char *site, pm_error *err)
{
	struct near_site *list = NULL;
	char names[800] = "";
	size_t used = 0;
	int n, i, rc = sites_by_distance(db, site, &list, &n, err);

	for (i = 0; rc == 0 && i < n && i < LISTED; i++) {
		int w = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
				 list[i].name);

		if (w < 0 || (size_t)w >= sizeof(names) - used) {
			names[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	if (rc == 0 && n == 0)
		pm_fail(err, "unknown site '%s': the database holds no records of any site", site);
	else if (rc == 0 && i < n)
		pm_fail(err, "unknown site '%s'; the sites in the database, closest first: "
			"%s and %d more", site, names, n - i);
	else if (rc == 0)
		pm_fail(err, "unknown site '%s'; the sites in the database, closest first: %s",
			site, names);
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
	return -1;
}

int db_site_known(sqlite3 *db, const char *site, pm_error *err)
{
	sqlite3_stmt *st;
	int rc, known;

	if (!site)
		return 0;
	if (sqlite3_prepare_v2(db, SITE_KNOWN_SQL, -1, &st, NULL))
		return db_error(db, err);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	known = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(db, err);
	return known ? 0 : unknown_site(db, site, err);
}

int db_sites_list(sqlite3 *db, struct strtab *sites, pm_error *err)
{
	static const char SQL[] = "SELECT site FROM (%s) WHERE site <> '' ORDER BY site";
	char sql[sizeof(SQL) + sizeof(SITES_SQL)];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), SQL, SITES_SQL);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return db_error(db, err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (strtab_intern(sites, (const char *)sqlite3_column_text(st, 0)) < 0)
			break;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return pm_fail(err, "out of memory");
	return rc == SQLITE_DONE ? 0 : db_error(db, err);
}
