#ifndef PM_RESULTS_PEOPLE_SQL_H
#define PM_RESULTS_PEOPLE_SQL_H

/*
 * Who answers for a record of check_records (aliased r) and where it is:
 * a ticket's room and technician, a complaint's room and department, read
 * from the logs by primary key (empty for other records: a fee account's
 * room is in its id). One text for the records reader and the breaches CSV.
 */
#define PEOPLE_COLUMNS "COALESCE(t.room, c.room, ''), COALESCE(t.technician, c.department, '')"
#define PEOPLE_JOIN \
	" LEFT JOIN tickets t ON r.record_kind = 'ticket' AND t.ticket_id = r.record_id" \
	" LEFT JOIN complaints c ON r.record_kind = 'complaint' AND c.complaint_id = r.record_id"

#endif
