/*
 * pmaudit report monthly --each-site DIR: after the group report, one
 * monthly report per site into DIR, for each site manager.
 *
 * Each site's PDF is the report `--site NAME` writes (the same code with
 * the same options but --site, --out, and no --xlsx or --charts), so its
 * figures are those of `report monthly --site NAME` by construction; the
 * test compares the two. One report is made at a time and freed before
 * the next: what stays in memory across sites is the list of site names
 * and their file names (about a hundred bytes a site).
 *
 * The file names come from the site names (util/safe_name.h); two sites
 * whose names end up the same (equal but for case, which a case-blind
 * file system would not tell apart) get -2, -3, ... in site order. Every
 * name is given and path-checked (util/pathcheck.h) before the first
 * report is made, and every file is an outfile (util/outfile.h), written
 * whole or not at all.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd/each_site.h"
#include "util/i18n.h"
#include "db/db.h"
#include "util/pathcheck.h"
#include "util/safe_name.h"
#include "util/strtab.h"
#include "util/term.h"

struct site_files {
	struct strtab sites;      /* the sites, in byte order */
	char **files;             /* DIR/name.pdf of each site */
	struct strtab taken;      /* the names given so far, in lower case */
};

/* name's key in taken: ASCII letters in lower case (a case-blind file system) */
static void lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* DIR/<safe name>[-k].pdf for site i, unique among those given so far */
static char *file_for(struct site_files *f, const char *dir, const char *site)
{
	char base[SAFE_NAME_SIZE + 16], key[SAFE_NAME_SIZE + 16], *path;
	int k;

	safe_file_name(site, base);
	snprintf(key, sizeof(key), "%s", base);
	lower_ascii(key);
	for (k = 2; strtab_find(&f->taken, key) >= 0; k++) {
		/* base is a safe name (< SAFE_NAME_SIZE): the precision says so to the compiler */
		snprintf(key, sizeof(key), "%.*s-%d", SAFE_NAME_SIZE, base, k);
		lower_ascii(key);
	}
	if (strtab_intern(&f->taken, key) < 0)
		return NULL;
	if (k > 2)
		snprintf(base + strlen(base), sizeof(base) - strlen(base), "-%d", k - 1);
	path = malloc(strlen(dir) + strlen(base) + 6);
	if (path)
		sprintf(path, "%s/%s.pdf", dir, base);
	return path;
}

static void files_free(struct site_files *f)
{
	int i;

	for (i = 0; f->files && i < f->sites.count; i++)
		free(f->files[i]);
	free(f->files);
	strtab_free(&f->sites);
	strtab_free(&f->taken);
}

/* DIR exists as a folder, or is made (its parent must exist). */
static int ensure_dir(const char *dir, pm_error *err)
{
	struct stat st;

	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : pm_fail(err, "--each-site %s: not a folder", dir);
	if (errno != ENOENT || mkdir(dir, 0777) < 0)
		return pm_fail(err, "--each-site %s: %s", dir, strerror(errno));
	return 0;
}

/*
 * The site's outputs against the database, the inputs and the group
 * report's outputs: none may be another (util/pathcheck.h).
 */
static int check_site_paths(const struct report_opts *group, const char *db_path,
			    const char *pdf, pm_error *err)
{
	char *csv = breaches_csv_path(pdf), *group_csv = breaches_csv_path(group->out);
	const struct path_use uses[] = {
		{ pdf, "the site's PDF", 1 }, { csv, "the site's breaches CSV", 1 },
		{ group->out, "--out", 1 }, { group_csv, "the breaches CSV", 1 },
		{ group->xlsx, "--xlsx", 1 }, { group->charts_dir, "--charts", 1 },
		{ group->rules_file, "--rules", 0 }, { group->calendar_file, "--calendar", 0 },
	};
	int rc = paths_check(db_path, uses, sizeof(uses) / sizeof(uses[0]), err);

	free(csv);
	free(group_csv);
	return rc;
}

int each_site_prepare(sqlite3 *db, const struct report_opts *group, const char *db_path,
		      const char *dir, struct site_files **out, pm_error *err)
{
	struct site_files *f = calloc(1, sizeof(*f));
	int i;

	*out = NULL;
	if (!f)
		return pm_fail(err, "out of memory");
	strtab_init(&f->sites);
	strtab_init(&f->taken);
	if (ensure_dir(dir, err) < 0 || db_sites_list(db, &f->sites, err) < 0)
		goto fail;
	f->files = calloc((size_t)f->sites.count + 1, sizeof(*f->files));
	if (!f->files) {
		pm_fail(err, "out of memory");
		goto fail;
	}
	for (i = 0; i < f->sites.count; i++) {
		f->files[i] = file_for(f, dir, f->sites.strs[i]);
		if (!f->files[i]) {
			pm_fail(err, "out of memory");
			goto fail;
		}
		if (check_site_paths(group, db_path, f->files[i], err) < 0) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			pm_fail(err, "site '%s': %s", f->sites.strs[i], why);
			goto fail;
		}
	}
	*out = f;
	return 0;
fail:
	files_free(f);
	free(f);
	return -1;
}

/* One site's report; 1 after printing an error naming the site and its file. */
static int site_report(sqlite3 *db, const struct report_opts *group, struct site_files *f,
		       int i, struct db_site_slice *slice)
{
	struct report_opts o = *group;
	pm_error err = { "" };
	int sliced = 0;

	o.site = f->sites.strs[i];
	o.out = f->files[i];
	o.xlsx = NULL;
	o.charts_dir = NULL;
	o.checklist = NULL;
	o.verify_path = NULL;   /* the group's report had the verdict */
	/*
	 * The slice is TEMP tables of this connection: the report's second
	 * thread and read-ahead connections would read main's whole logs.
	 */
	if (db_site_slice_use(slice, o.site, &sliced, &err) == 0) {
		o.one_thread = o.one_thread || sliced;
		if (report_monthly(db, &o, &err) == 0) {
			term_printf(stdout, "%s", o.out);
			return 0;
		}
	}
	/* may quote a site or a label from the data */
	term_printf(stderr, _("pmaudit report monthly: site '%s' (%s): %s"), o.site, o.out, err.msg);
	return 1;
}

/*
 * The largest site read from a slice (db/db.h): DB_SLICE_MAX_ROWS, or
 * PMAUDIT_SLICE_MAX_ROWS, with which a test makes sites of a few records
 * read the whole database, as a large site's are.
 */
static long long slice_max_rows(void)
{
	const char *v = getenv("PMAUDIT_SLICE_MAX_ROWS");

	return v && *v ? atoll(v) : DB_SLICE_MAX_ROWS;
}

int each_site_run(sqlite3 *db, const struct report_opts *group, struct site_files *f)
{
	struct db_site_slice *slice;
	pm_error err = { "" };
	int i, rc = 0;

	if (db_site_slice_open(db, slice_max_rows(), &slice, &err) < 0) {
		term_printf(stderr, "pmaudit report monthly: %s", err.msg);
		return 1;
	}
	for (i = 0; i < f->sites.count && rc == 0; i++)
		rc = site_report(db, group, f, i, slice);
	db_site_slice_close(slice);
	return rc;
}

int each_site_count(const struct site_files *f)
{
	return f->sites.count;
}

void each_site_free(struct site_files *f)
{
	if (!f)
		return;
	files_free(f);
	free(f);
}
