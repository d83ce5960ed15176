/* Moving a whole database to another one, on either backend (crm db copy): every table of the
 * schema, record numbers kept, documents streamed, in one transaction on the target, then
 * verified table by table by row count and SHA-256. */
#ifndef CRM_COPY_H
#define CRM_COPY_H

#include "crm/crm.h"

#define CRM_COPY_MAX_TABLES 64

/* One table's verification: rows and the SHA-256 of its canonical text, on both sides. */
struct crm_copy_table {
	const char *name;
	long long rows, target_rows;
	char sha256[65], target_sha256[65];
	int ok; /* counts and checksums equal (for blobs: every content re-read matches its SHA-256) */
};

struct crm_copy_report {
	struct crm_copy_table tables[CRM_COPY_MAX_TABLES];
	int n;
	int emptied; /* the target held records and --force emptied it */
	int verified; /* both sides were read back and compared */
	int ok;       /* and every table matched */
};

enum crm_copy_flags {
	CRM_COPY_FORCE = 1 << 0, /* empty a target that holds records instead of refusing it */
};

/* Copy everything from `from` (opened read-only, read in one snapshot, never written) into `to`
 * (opened for writing at the same schema version). A target holding records is refused
 * (CRM_ECONFLICT) unless CRM_COPY_FORCE, which empties it first; a database that holds nothing
 * but the one user a new database starts with counts as empty. Everything is written in one
 * transaction on the target and verified before it commits: on any failure or mismatch nothing
 * is written (a mismatch is CRM_EFAIL with report->ok 0 and the report filled). */
/* progress (may be NULL) is told the table being copied or verified and the rows done so far. */
typedef void crm_copy_progress(const char *doing, const char *table, long long rows, void *ctx);
int crm_copy(struct crm *from, struct crm *to, unsigned flags, crm_copy_progress *progress, void *ctx,
	     struct crm_copy_report *report, struct crm_err *err);

/* A table of the schema as db copy knows it: every column, in SQL ("id, name, ..."), and its
 * key ("id", or the columns that are); 0 for a table it does not know. */
int crm_schema_table(const char *table, const char **cols, const char **key);

#endif
