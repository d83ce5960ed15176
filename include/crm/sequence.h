/* Numbers from a sequence (an offer's OF-2026-0001): a field whose default is
 * "sequence:<configuration path>" gets, when a record is added without it, the next number of the
 * format at that path, inside the transaction that writes the record, so two writers never get
 * the same one (SQLite: the write lock; PostgreSQL: the upsert of one row, a serialization
 * failure retried). The format's {YYYY}, {YY} and {MM} are the current local year and month; a
 * run of N in braces ({NNNN}) is the counter, zero-padded to that width. The counter is kept per
 * expanded prefix, so "OF-{YYYY}-{NNNN}" starts again at 1 each year. */
#ifndef CRM_SEQUENCE_H
#define CRM_SEQUENCE_H

#include "crm/crm.h"
#include "crm/kind.h"

/* The next value of format (NULL or empty: "{NNNN}") for field f of kind k, skipping one some
 * record already has (an imported number); *out is allocated. CRM_ECONFIG for a format without
 * a counter. */
int crm_sequence_next(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, const char *format,
		      char **out, struct crm_err *err);

#endif
