#ifndef PM_RESULTS_BREACHES_H
#define PM_RESULTS_BREACHES_H

/*
 * The one writer of a run's breached and pending records as CSV, used by
 * `pmaudit check --csv` and by the monthly report's FILE-breaches.csv, so
 * both files of one run are the same bytes. UTF-8 with a BOM (Excel reads it
 * as UTF-8), CRLF line ends, RFC 4180 quoting. Columns, in the report's
 * language (english 0: the Chinese header, rule titles and words):
 *   rule_id, rule_title, record_id, site, start, deadline, end, status,
 *   how_late, late_seconds, room, responsible
 *   规则编号, 规则名称, 记录编号, 项目, 开始时间, 期限, 完成时间, 状态,
 *   超时, 超时秒数, 房号, 责任人
 * (room and responsible: a ticket's room and technician, a complaint's room
 * and department; empty for other records)
 * ordered by rule id, start, record id. status is breached/pending (超时/
 * 待定); how_late is "1d 3h" (1天3小时); how_late and late_seconds are
 * empty for a record that is not late (pending, or a coverage breach).
 */
#include <stdio.h>
#include <sqlite3.h>
#include "util/error.h"

struct breach_row {
	const char *rule_id, *record_id, *site, *start, *deadline, *end, *status;
	const char *rule_title;    /* in the CSV's language; NULL: none stored */
	const char *room, *responsible;   /* "" when the record has none */
	int has_late;              /* late_seconds is given */
	long long late_seconds;
};

/*
 * Called for each row written (the report keeps the first rows for its
 * appendix, so the records are read once); a non-zero return stops the
 * writer, which then fails with err as the callback left it.
 */
typedef int (*breach_row_fn)(void *ctx, const struct breach_row *row, pm_error *err);

int results_write_breaches(sqlite3 *db, sqlite3_int64 run_id, int english, FILE *out,
			   breach_row_fn each, void *ctx, pm_error *err);

/*
 * How late, as a reader says it: "1d 3h", "3h 5m", "12m" (1天3小时, 3小时5分,
 * 12分钟); under a minute is "under 1m" (不足1分钟). The reports print
 * lateness with it too.
 */
void results_format_late(long long seconds, int english, char *buf, size_t size);

#endif
