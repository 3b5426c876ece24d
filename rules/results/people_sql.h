#ifndef PM_RESULTS_PEOPLE_SQL_H
#define PM_RESULTS_PEOPLE_SQL_H

/*
 * Who answers for a record of check_records (aliased r) and where it is:
 * a ticket's room and technician, a complaint's room and department, read
 * from the logs by primary key (empty for other records: a fee account's
 * room is in its id). One text for the records reader and the breaches CSV.
 */
#define PEOPLE_COLUMNS \
	"COALESCE(pt.room, pc.room, ''), COALESCE(pt.technician, pc.department, '')"
/* a ticket's category, a complaint's level as stored ("" else): the workbook's column */
#define PEOPLE_CATEGORY "COALESCE(pt.category, pc.level, '')"
/*
 * The same by key, one record at a time (?1: its id): the breaches CSV
 * looks its records up once they are sorted (rules/results/breaches_csv.c);
 * a record of another kind, or one not found, has "" for both.
 */
#define PEOPLE_TICKET_SQL \
	"SELECT COALESCE(room, ''), COALESCE(technician, '') FROM tickets WHERE ticket_id = ?1"
#define PEOPLE_COMPLAINT_SQL \
	"SELECT COALESCE(room, ''), COALESCE(department, '') FROM complaints WHERE complaint_id = ?1"
#define PEOPLE_JOIN \
	" LEFT JOIN tickets pt ON r.record_kind = 'ticket' AND pt.ticket_id = r.record_id" \
	" LEFT JOIN complaints pc ON r.record_kind = 'complaint' AND pc.complaint_id = r.record_id"

#endif
