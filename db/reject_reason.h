#ifndef PM_REJECT_REASON_H
#define PM_REJECT_REASON_H

#include <stddef.h>

/*
 * The reasons the importer stores with a rejected row (import_rejects.reason)
 * are English, as they always were: tests, scripts and `pmaudit rejects
 * --csv` read them. A Chinese report and Chinese command-line messages
 * show them in Chinese through this table of the importer's phrases
 * (etl/row.c, etl/value.c, etl/reader.c, etl/statement.c): each phrase
 * at the start of a reason or of one of its parts ("; field: ...", ": why")
 * is replaced, a phrase's "%s" holes (a number, an example) carried over;
 * quoted values, field names and what the table does not know stay as
 * stored. out always holds a terminated text.
 */
void reject_reason_zh(const char *reason, char *out, size_t size);

#endif
