#ifndef PM_KINDS_H
#define PM_KINDS_H

/*
 * The four logs of the input contract (docs/import.md): for each kind its
 * table, and for each field its canonical name, Chinese aliases, value type,
 * whether it is required and its default. Header matching, value checking
 * and loading are all driven by these tables.
 */

enum pm_type {
	PM_TEXT,
	PM_TIMESTAMP,
	PM_TIMESTAMP_EOD,	/* timestamp; a bare date means that day's 23:59:59 */
	PM_DATE,
	PM_PERIOD,
	PM_MONEY,
	PM_BOOL,
	PM_LEVEL,		/* complaints.level */
	PM_REF_KIND,		/* callbacks.ref_kind */
	PM_FEE_KIND,		/* fees.kind */
};

#define PM_MAX_ALIASES 5

struct pm_field {
	const char *name;			/* canonical name = column name */
	const char *aliases[PM_MAX_ALIASES];	/* NULL-terminated when shorter */
	enum pm_type type;
	int required;
	int bool_default;			/* PM_BOOL only: value when empty */
};

enum pm_kind_id { PM_TICKETS, PM_COMPLAINTS, PM_CALLBACKS, PM_FEES, PM_NKINDS };

struct pm_kind {
	const char *name;		/* "tickets": also the table name */
	const struct pm_field *fields;
	int nfields;
	int key;			/* index of the unique key field */
};

extern const struct pm_kind PM_KINDS[PM_NKINDS];

/*
 * Not a log of its own: a fee statement's rows (one per bill) become fees
 * events. It has a field table for reading, but no table in the store.
 */
#define PM_FEE_STATEMENT PM_NKINDS

/* PM_KINDS[id], or the fee statement's table for PM_FEE_STATEMENT. */
const struct pm_kind *kind_get(int id);

/* The kind named name ("tickets", ..., "fee-statement"), or -1. */
int kind_by_name(const char *name);

/* Index of the field called name (canonical) in kind, or -1. */
int kind_field_index(const struct pm_kind *kind, const char *name);

#endif
