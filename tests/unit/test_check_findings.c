/* Findings: orphans, impossible orderings, open problems, repeats, rejects; JSON and CSV. */
#include "tests/unit/check_helpers.h"
#include "rules/results/results.h"

static void findings(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	repair(db, "T1", "电梯", "2026-10-10 08:00:00", "2026-10-09 08:00:00");
	callback(db, "O1", "ticket", "NOPE", "2026-10-05 08:00:00", NULL, NULL);
	callback(db, "O2", "complaint", "T1", "2026-10-05 08:00:00", NULL, NULL);
	/* before the ticket was reported */
	callback(db, "B1", "ticket", "T1", "2026-10-09 09:00:00", NULL, NULL);
	/* problem found, followed up later: closed; the follow-up found one too: open */
	repair(db, "T2", "电梯", "2026-10-01 08:00:00", "2026-10-02 08:00:00");
	callback(db, "P1", "ticket", "T2", "2026-10-03 08:00:00", NULL, "1");
	callback(db, "P2", "ticket", "T2", "2026-10-04 08:00:00", NULL, "1");
	/* a later callback after the as-of time does not close it */
	repair(db, "T3", "电梯", "2026-10-01 08:00:00", "2026-10-02 08:00:00");
	callback(db, "P3", "ticket", "T3", "2026-10-03 08:00:00", NULL, "1");
	callback(db, "P4", "ticket", "T3", "2026-11-03 08:00:00", NULL, NULL);
	sql_exec(db, "INSERT INTO import_runs(run_id, file, size, sha256, started_at) VALUES(1, 'x.csv', 1, 'x', 'now')", 0);
	sql_exec(db, "INSERT INTO import_rejects(run_id, file, line, text, reason) VALUES(1, 'x.csv', 3, 'bad', 'why')", 0);
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "Q-ORPHAN", "O1"), "finding");
	assert_string_equal(status_of(db, run, "Q-ORPHAN", "O2"), "finding");
	assert_int_equal(figure_int(db, run, "volumes.orphan_callbacks"), 2);
	assert_int_equal(figure_int(db, run, "volumes.callbacks"), 6);  /* P4 is in November */
	assert_string_equal(column_of(db, run, "Q-ORDER", "T1", "detail"), "completed_at before reported_at");
	assert_string_equal(status_of(db, run, "Q-ORDER", "B1"), "finding");
	assert_int_equal(figure_int(db, run, "findings.impossible_order"), 2);
	assert_null(status_of(db, run, "Q-PROBLEM-OPEN", "P1"));
	assert_string_equal(status_of(db, run, "Q-PROBLEM-OPEN", "P2"), "finding");
	assert_string_equal(status_of(db, run, "Q-PROBLEM-OPEN", "P3"), "finding");
	assert_int_equal(figure_int(db, run, "findings.problem_open"), 2);
	assert_int_equal(figure_int(db, run, "findings.rejected_rows"), 1);
	sqlite3_close(db);
}

/* R-REPEAT: 3 tickets or 2 valid complaints, same room and category, within 90 days. */
/*
 * The open backlog as of a time early in the logs (the annual report's
 * previous year, as of this year's first instant): the records begun by
 * then are a small share of the log, read through the start's index
 * (find_backlog.c) -- the same counts as the table scan of a late as-of
 * time gives: open, completed after the as-of time, not yet begun, done.
 */
static void backlog_early_as_of(void **state)
{
	static const char *const later[] = { "2026-04-02 08:00:00", "2026-05-03 08:00:00",
					     "2026-06-04 08:00:00", "2026-07-05 08:00:00",
					     "2026-08-06 08:00:00", "2026-09-07 08:00:00",
					     "2026-10-08 08:00:00" };
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	char id[16];
	int i;

	(void)state;
	repair(db, "T1", "电梯", "2026-02-28 12:00:00", NULL);                  /* 0-2 */
	repair(db, "T2", "电梯", "2026-02-25 00:00:00", "2026-03-05 08:00:00"); /* 3-7 */
	repair(db, "T3", "电梯", "2026-02-10 08:00:00", "2026-02-11 08:00:00"); /* done */
	repair(db, "T4", "电梯", "2026-02-12 08:00:00", NULL);                  /* 8-30 */
	repair(db, "T5", "电梯", "2026-01-05 08:00:00", "2026-03-02 08:00:00"); /* 30+ */
	repair(db, "T6", "电梯", "2026-01-06 08:00:00", NULL);                  /* 30+ */
	repair(db, "T7", "电梯", "2026-02-27 00:00:00", NULL);   /* 0-2: 2.0 days exactly */
	repair(db, "T8", "电梯", "2026-02-22 00:00:00", NULL);   /* 3-7: 7.0 days exactly */
	complaint(db, "C1", "一般", "1", "2026-02-27 08:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C2", "一般", "0", "2026-02-27 08:00:00", NULL, NULL, NULL, NULL, NULL);
	/* begun after the as-of time, open or not: most of the logs */
	for (i = 0; i < (int)(sizeof(later) / sizeof(later[0])); i++) {
		snprintf(id, sizeof(id), "L%d", i);
		repair(db, id, "电梯", later[i], i % 2 ? NULL : "2026-10-30 08:00:00");
		snprintf(id, sizeof(id), "M%d", i);
		complaint(db, id, "一般", "1", later[i], NULL, NULL, NULL, NULL, NULL);
	}
	run = run_check_full(db, "2026-02-01 00:00:00", "2026-03-01 00:00:00", NULL, NULL, NULL,
			     NULL);
	assert_int_equal(figure_int(db, run, "backlog.tickets.0-2"), 2);
	assert_int_equal(figure_int(db, run, "backlog.tickets.3-7"), 2);
	assert_int_equal(figure_int(db, run, "backlog.tickets.8-30"), 1);
	assert_int_equal(figure_int(db, run, "backlog.tickets.30+"), 2);
	assert_int_equal(figure_int(db, run, "backlog.complaints.0-2"), 1);
	assert_int_equal(figure_int(db, run, "backlog.complaints.30+"), 0);
	/* as of the logs' end, by the table scan: the later ones count too */
	run = run_check_full(db, "2026-10-01 00:00:00", "2026-11-01 00:00:00", NULL, NULL, NULL,
			     NULL);
	assert_int_equal(figure_int(db, run, "backlog.tickets.30+"), 5 + 3);
	assert_int_equal(figure_int(db, run, "backlog.complaints.30+"), 1 + 6);
	sqlite3_close(db);
}

/* Every backlog.* figure of a run, overall and per site, as one text. */
static char *backlog_figures(sqlite3 *db, sqlite3_int64 run)
{
	char *all = query_text(db, "SELECT group_concat(k, ';') FROM (SELECT key || '=' || int_value"
			       " AS k FROM check_figures WHERE run_id = ?1 AND key LIKE 'backlog.%'"
			       " ORDER BY key)", run, NULL, NULL);

	assert_non_null(all);
	return strdup(all);
}

static sqlite3_int64 paired_run(sqlite3 *db, const char *from, const char *to,
				struct check_backlog_pair *pair)
{
	struct check_params p = { .from = from, .to = to, .backlog_pair = pair };
	pm_error err = { "" };
	sqlite3_int64 run = 0;

	if (check_run_files(db, &p, NULL, NULL, &run, &err))
		fail_msg("check_run: %s", err.msg);
	return run;
}

/*
 * check_params.backlog_pair: two runs' open backlogs from one read (the
 * monthly report's month and the month before) are each what the run
 * counts alone -- the ages exactly 2 and 7 days, the index read of an
 * early as-of time, per site -- whichever run comes first; a run of
 * another as-of time counts its own.
 */
static void backlog_pair_as_two_runs(void **state)
{
	static const char *const wins[3][2] = {
		{ "2026-02-01 00:00:00", "2026-03-01 00:00:00" },
		{ "2026-10-01 00:00:00", "2026-11-01 00:00:00" },
		{ "2026-09-01 00:00:00", "2026-10-01 00:00:00" },
	};
	struct check_backlog_pair *pair;
	sqlite3 *db = fresh_db();
	pm_error err = { "" };
	char *alone[3];
	int order, i;

	(void)state;
	repair(db, "T1", "电梯", "2026-02-28 12:00:00", NULL);
	repair(db, "T2", "电梯", "2026-02-25 00:00:00", "2026-03-05 08:00:00");
	repair(db, "T3", "电梯", "2026-02-10 08:00:00", "2026-02-11 08:00:00");
	repair(db, "T4", "电梯", "2026-02-27 00:00:00", NULL);   /* 2.0 days at 1 Mar */
	repair(db, "T5", "电梯", "2026-10-25 00:00:00", NULL);   /* 7.0 days at 1 Nov */
	repair(db, "T6", "电梯", "2026-09-30 08:00:00", "2026-10-20 08:00:00");
	repair(db, "T7", "电梯", "2026-10-03 08:00:00", "2026-10-04 08:00:00");
	sql_exec(db, "UPDATE tickets SET site = 'B' WHERE ticket_id IN ('T2', 'T5')", 0);
	complaint(db, "C1", "一般", "1", "2026-02-27 08:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C2", "一般", "0", "2026-02-27 08:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C3", "一般", "1", "2026-09-20 08:00:00", NULL, NULL, NULL,
		  "2026-10-10 08:00:00", NULL);
	for (i = 0; i < 3; i++)
		alone[i] = backlog_figures(db, run_check_full(db, wins[i][0], wins[i][1], NULL, NULL,
							      NULL, NULL));
	for (order = 0; order < 2; order++) {
		if (check_backlog_pair_new(wins[0][1], wins[1][1], NULL, &pair, &err))
			fail_msg("%s", err.msg);
		for (i = 0; i < 3; i++) {
			/* September (not paired), October (counts both), February; then the other way */
			int k = order ? i : 2 - i;
			char *paired = backlog_figures(db, paired_run(db, wins[k][0], wins[k][1], pair));

			assert_string_equal(paired, alone[k]);
			free(paired);
		}
		check_backlog_pair_free(pair);
	}
	for (i = 0; i < 3; i++)
		free(alone[i]);
	sqlite3_close(db);
}

/* The backlog test's logs: open, done, done after the as-of time, begun long before. */
static void backlog_logs(sqlite3 *db)
{
	repair(db, "T1", "电梯", "2026-02-28 12:00:00", NULL);
	repair(db, "T2", "电梯", "2025-06-25 00:00:00", NULL);    /* before R-REPEAT's look-back */
	repair(db, "T3", "电梯", "2026-02-10 08:00:00", "2026-02-11 08:00:00");
	repair(db, "T4", "电梯", "2026-12-29 00:00:00", "2027-01-05 08:00:00");
	repair(db, "T5", "电梯", "2026-12-25 00:00:00", NULL);    /* 7.0 days at the year's end */
	repair(db, "T6", "电梯", "2027-01-03 00:00:00", NULL);    /* not begun by then */
	sql_exec(db, "UPDATE tickets SET site = 'B' WHERE ticket_id IN ('T2', 'T5')", 0);
	/* a file without the completion field: unknown, not open */
	sql_exec(db, "UPDATE tickets SET fields = 1 WHERE ticket_id = 'T1'", 0);
	complaint(db, "C1", "一般", "1", "2026-02-27 08:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C2", "一般", "0", "2026-02-27 08:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C3", "一般", "1", "2025-09-20 08:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C4", "一般", "1", "2026-09-20 08:00:00", NULL, NULL, NULL,
		  "2027-01-10 08:00:00", NULL);
}

/*
 * The runs of [from, to) -- for every site, then for site B -- on a file's
 * database, which reads ahead on connections of its own, and on one in
 * memory, which reads nothing ahead: dump() gives the same text of both,
 * and the one in memory's holds want[i].
 */
static void same_read_ahead(sqlite3 *file, sqlite3 *mem, const char *from, const char *to,
			    char *(*dump)(sqlite3 *, sqlite3_int64), const char *const want[2])
{
	static const char *const sites[] = { NULL, "B" };
	pm_error err = { "" };
	int i;

	for (i = 0; i < 2; i++) {
		struct check_params p = { .from = from, .to = to, .site = sites[i] };
		sqlite3_int64 a = 0, b = 0;
		char *read_ahead, *own;

		if (check_run_files(file, &p, NULL, NULL, &a, &err) ||
		    check_run_files(mem, &p, NULL, NULL, &b, &err))
			fail_msg("check_run: %s", err.msg);
		read_ahead = dump(file, a);
		own = dump(mem, b);
		assert_string_equal(read_ahead, own);
		assert_non_null(strstr(own, want[i]));
		free(read_ahead);
		free(own);
	}
}

/*
 * A file's run reads ahead (rules/engine/preload.h): the open backlog is
 * counted on a read-ahead connection of its own, for a year by a table
 * scan of each log. The figures are those a database in memory (which
 * reads nothing ahead) counts on the run's connection, for every site and
 * for one.
 */
static void backlog_read_ahead(void **state)
{
	static const char *const want[] = { "backlog.tickets.unknown=1", "backlog.tickets.3-7/B=1" };
	char path[] = "/tmp/pmaudit-backlog-XXXXXX";
	sqlite3 *file = file_db(path), *mem = fresh_db();

	(void)state;
	backlog_logs(file);
	backlog_logs(mem);
	same_read_ahead(file, mem, "2026-01-01 00:00:00", "2027-01-01 00:00:00", backlog_figures,
			want);
	sqlite3_close(file);
	sqlite3_close(mem);
	unlink(path);
}

/* R-REPEAT's stored records and figures of a run, as one text. */
static char *repeat_rows(sqlite3 *db, sqlite3_int64 run)
{
	char *all = query_text(db, "SELECT ifnull((SELECT group_concat(status || records, ';') FROM"
			       " (SELECT status, records FROM check_record_sets WHERE run_id = ?1"
			       " AND rule_id = 'R-REPEAT' ORDER BY rowid)), '') || '|' ||"
			       " (SELECT group_concat(key || '=' || int_value, ';') FROM check_figures"
			       " WHERE run_id = ?1 AND key LIKE 'findings.repeat%')", run, NULL, NULL);

	assert_non_null(all);
	return strdup(all);
}

/*
 * R-REPEAT's repeats found on the read-ahead thread with the records
 * (findings_repeats_ahead()) and stored by the run: the same records, in
 * the same order, and the same figures as a database in memory (nothing
 * read ahead) finds on the run's thread -- both kinds, several rooms and
 * sites, for every site and for one.
 */
static void repeats_read_ahead(void **state)
{
	static const char *const want[] = { "finding[[", "finding[[" };
	static const char *const days[] = { "2026-08-01", "2026-09-15", "2026-10-20", "2026-10-20",
					    "2026-11-02" };
	char path[] = "/tmp/pmaudit-repeats-XXXXXX";
	sqlite3 *file = file_db(path), *mem = fresh_db(), *dbs[2] = { file, mem };
	char id[32], ts[32], room[16];
	int d, i, k;

	(void)state;
	for (k = 0; k < 2; k++)
		for (i = 0; i < 12; i++)
			for (d = 0; d < 5; d++) {
				snprintf(id, sizeof(id), "T%02d%d", i, d);
				snprintf(ts, sizeof(ts), "%s %02d:00:00", days[d], 8 + i % 3);
				snprintf(room, sizeof(room), "%d-10%d", i % 4, i % 2);
				ticket_room(dbs[k], id, i % 3 ? "A" : "B", room, i % 2 ? "渗漏水" : "电梯", ts);
				snprintf(id, sizeof(id), "C%02d%d", i, d);
				sql_exec(dbs[k], "INSERT INTO complaints(complaint_id, site, room, level,"
					 " category, valid, received_at) VALUES(?1, ?2, ?3, 'minor', '噪音',"
					 " ?4, ?5)", 5, id, i % 3 ? "A" : "B", room, d == 1 ? "0" : "1", ts);
			}
	same_read_ahead(file, mem, "2026-10-01 00:00:00", "2026-11-01 00:00:00", repeat_rows, want);
	sqlite3_close(file);
	sqlite3_close(mem);
	unlink(path);
}

static void repeats(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	/* 08-01, 09-15, 10-20: the third is within 90 days of the first (10-20 - 90 d = 07-22) */
	ticket_room(db, "R1", "A", "1-101", "渗漏水", "2026-08-01 09:00:00");
	ticket_room(db, "R2", "A", "1-101", "渗漏水", "2026-09-15 09:00:00");
	ticket_room(db, "R3", "A", "1-101", "渗漏水", "2026-10-20 09:00:00");
	/* 07-01 is more than 90 days before 10-05: only two in the window of days */
	ticket_room(db, "S1", "A", "1-102", "渗漏水", "2026-07-01 09:00:00");
	ticket_room(db, "S2", "A", "1-102", "渗漏水", "2026-08-15 09:00:00");
	ticket_room(db, "S3", "A", "1-102", "渗漏水", "2026-10-05 09:00:00");
	/* same room, other category */
	ticket_room(db, "S4", "A", "1-101", "电梯", "2026-10-21 09:00:00");
	/* complaints: two valid ones repeat; an invalid one does not count */
	complaint(db, "C1", "minor", "1", "2026-10-01 09:00:00", NULL, NULL, NULL, NULL, NULL);
	complaint(db, "C2", "minor", "1", "2026-10-25 09:00:00", NULL, NULL, NULL, NULL, NULL);
	sql_exec(db, "INSERT INTO complaints(complaint_id, site, room, level, category, valid, received_at)"
		 " VALUES('C3', 'A', '3-303', 'minor', '噪音', 1, '2026-10-02 09:00:00'),"
		 " ('C4', 'A', '3-303', 'minor', '噪音', 0, '2026-10-03 09:00:00')", 0);
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "R-REPEAT", "R3"), "finding");
	assert_null(status_of(db, run, "R-REPEAT", "R2"));
	assert_null(status_of(db, run, "R-REPEAT", "S3"));
	assert_null(status_of(db, run, "R-REPEAT", "S4"));
	assert_string_equal(status_of(db, run, "R-REPEAT", "C2"), "finding");
	assert_null(status_of(db, run, "R-REPEAT", "C1"));
	assert_null(status_of(db, run, "R-REPEAT", "C4"));
	assert_int_equal(figure_int(db, run, "findings.repeat_records"), 2);
	assert_int_equal(figure_int(db, run, "findings.repeat_groups"), 2);
	sqlite3_close(db);
}

/*
 * R-REPEAT's edges: a record exactly 90 days earlier counts, one a second
 * earlier does not; records at the same time count for each other, whatever
 * their order; the count is in the detail.
 */
static void repeat_edges(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;

	(void)state;
	/* 10-10 09:00 - 90 days = 07-12 09:00:00 */
	ticket_room(db, "E1", "A", "1-201", "门窗", "2026-07-12 09:00:00");
	ticket_room(db, "E2", "A", "1-201", "门窗", "2026-08-30 09:00:00");
	ticket_room(db, "E3", "A", "1-201", "门窗", "2026-10-10 09:00:00");
	ticket_room(db, "F1", "A", "1-202", "门窗", "2026-07-12 08:59:59");
	ticket_room(db, "F2", "A", "1-202", "门窗", "2026-08-30 09:00:00");
	ticket_room(db, "F3", "A", "1-202", "门窗", "2026-10-10 09:00:00");
	/* three at one instant: each is the third */
	ticket_room(db, "G3", "A", "1-203", "门窗", "2026-10-15 10:00:00");
	ticket_room(db, "G1", "A", "1-203", "门窗", "2026-10-15 10:00:00");
	ticket_room(db, "G2", "A", "1-203", "门窗", "2026-10-15 10:00:00");
	run = run_check(db, NULL);
	assert_string_equal(status_of(db, run, "R-REPEAT", "E3"), "finding");
	assert_non_null(strstr(column_of(db, run, "R-REPEAT", "E3", "detail"), ": 3 tickets"));
	assert_null(status_of(db, run, "R-REPEAT", "F3"));
	assert_string_equal(status_of(db, run, "R-REPEAT", "G1"), "finding");
	assert_string_equal(status_of(db, run, "R-REPEAT", "G2"), "finding");
	assert_string_equal(status_of(db, run, "R-REPEAT", "G3"), "finding");
	assert_int_equal(figure_int(db, run, "findings.repeat_records"), 4);
	assert_int_equal(figure_int(db, run, "findings.repeat_groups"), 2);
	sqlite3_close(db);
}

/* The run's breaches CSV in one language, read back into buf. */
static void breaches_csv(sqlite3 *db, sqlite3_int64 run, int english, char *buf, size_t size)
{
	FILE *f = tmpfile();
	pm_error err = { "" };
	size_t n;

	assert_non_null(f);
	assert_int_equal(check_write_csv(db, run, english, f, &err), 0);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/*
 * The CSV lists breached and pending records only, quoted per RFC 4180, with
 * a BOM; header, rule title, status and lateness in the language asked for.
 */
static void csv_export(void **state)
{
	sqlite3 *db = fresh_db();
	sqlite3_int64 run;
	char buf[4096];

	(void)state;
	sql_exec(db, "INSERT INTO tickets(ticket_id, site, room, category, urgent, reported_at, arrived_at,"
		 " technician) VALUES"
		 " ('U1', 'East, \"Block\" 1', '1-101', '电梯', 1, '2026-10-05 10:00:00', '2026-10-06 12:00:01',"
		 " '张伟'),"
		 " ('U2', 'A', NULL, '电梯', 1, '2026-10-05 10:00:00', '2026-10-05 10:01:00', NULL),"
		 " ('U3', 'A', NULL, '电梯', 1, '2026-10-31 23:59:00', NULL, NULL)", 0);
	run = run_check(db, NULL);
	breaches_csv(db, run, 1, buf, sizeof(buf));
	assert_string_equal(buf,
		"\xEF\xBB\xBF" "rule_id,rule_title,record_id,site,start,deadline,end,status,how_late,"
		"late_seconds,room,responsible\r\n"
		"T-ARRIVE,On site within 15 minutes of an urgent repair request,U1,"
		"\"East, \"\"Block\"\" 1\",2026-10-05 10:00:00,2026-10-05 10:15:00,"
		"2026-10-06 12:00:01,breached,1d 1h,92701,1-101,张伟\r\n"
		"T-ARRIVE,On site within 15 minutes of an urgent repair request,U3,A,"
		"2026-10-31 23:59:00,2026-11-01 00:14:00,,pending,,,,\r\n");
	breaches_csv(db, run, 0, buf, sizeof(buf));
	assert_string_equal(buf,
		"\xEF\xBB\xBF" "规则编号,规则名称,记录编号,项目,开始时间,期限,完成时间,状态,超时,超时秒数,房号,责任人\r\n"
		"T-ARRIVE,紧急报修15分钟到场,U1,"
		"\"East, \"\"Block\"\" 1\",2026-10-05 10:00:00,2026-10-05 10:15:00,"
		"2026-10-06 12:00:01,超时,1天1小时,92701,1-101,张伟\r\n"
		"T-ARRIVE,紧急报修15分钟到场,U3,A,"
		"2026-10-31 23:59:00,2026-11-01 00:14:00,,待定,,,,\r\n");
	sqlite3_close(db);
}

/* The summary keeps OUTPUT.md's shape, rules in file order; a disabled rule is absent. */
static void json_summary(void **state)
{
	sqlite3 *db = fresh_db();
	const char *rules = temp_file(
		"[T-ARRIVE]\nkind = deadline\nsubject = tickets\nurgent = yes\nstart = reported_at\n"
		"end = arrived_at\nlimit = 15m\n\n"
		"[C-RESPOND]\nkind = deadline\nenabled = no\nsubject = complaints\nstart = received_at\n"
		"end = responded_at\nlimit = 30m\n", 0);
	const char *json;
	sqlite3_int64 run;

	(void)state;
	ticket(db, "U1", "电梯", "1", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 10:15:00", NULL, NULL);
	ticket(db, "U2", "电梯", "1", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 10:16:00", NULL, NULL);
	ticket(db, "U3", "电梯", "1", "0", NULL, "2026-10-05 10:00:00", "2026-10-05 10:17:00", NULL, NULL);
	run = run_check_full(db, OCT_FROM, OCT_TO, NULL, NULL, rules, NULL);
	json = summary_of(db, run);
	assert_non_null(strstr(json, "\"from\": \"2026-10-01 00:00:00\",\n  \"to\": \"2026-11-01 00:00:00\",\n"
			       "  \"as_of\": \"2026-11-01 00:00:00\",\n  \"site\": null,"));
	assert_non_null(strstr(json, "\"T-ARRIVE\": {\"kind\": \"deadline\", \"title_zh\": \"T-ARRIVE\","
			       " \"title_en\": \"T-ARRIVE\", \"met\": 1, \"breached\": 2, \"pending\": 0, \"unknown\": 0,"
			       " \"rate\": 0.3333, \"target\": 1.0, \"target_met\": false}"));
	assert_null(strstr(json, "C-RESPOND"));
	assert_non_null(strstr(json, "\"aging_cents\": {\"1-30\": 0, \"31-90\": 0, \"91-180\": 0, \"181-365\": 0, \"365+\": 0}"));
	assert_non_null(strstr(json, "\"volumes\": {\"callbacks\": 0, \"complaints\": 0, \"complaints_invalid\": 0,"
			       " \"orphan_callbacks\": 0, \"tickets\": 3}"));
	assert_string_equal(query_text(db, "SELECT count(*) FROM check_rule_results WHERE run_id = ?1", run, NULL, NULL), "1");
	unlink(rules);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(findings),
		cmocka_unit_test(backlog_early_as_of),
		cmocka_unit_test(backlog_pair_as_two_runs),
		cmocka_unit_test(backlog_read_ahead),
		cmocka_unit_test(repeats),
		cmocka_unit_test(repeats_read_ahead),
		cmocka_unit_test(repeat_edges),
		cmocka_unit_test(csv_export),
		cmocka_unit_test(json_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
