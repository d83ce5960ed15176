/* Bulk import of CSV files into any kind of record, through the same engine as add and edit,
 * and the batches imports leave behind (list, show, revert). */
#ifndef CRM_IMPORT_H
#define CRM_IMPORT_H

#include <stdio.h>
#include "crm/crm.h"
#include "crm/csvin.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/value.h"

enum crm_import_mode { CRM_IMPORT_UPSERT = 0, CRM_IMPORT_CREATE, CRM_IMPORT_UPDATE };

/* Parse "create", "update" or "upsert"; -1 if unknown. */
int crm_import_mode_parse(const char *name);
const char *crm_import_mode_name(enum crm_import_mode m);

/* What happened to one row, or (with diff) to one field of an updated record. */
struct crm_import_event {
	long long line;        /* where the row starts in the file */
	const char *action;    /* "create", "update", "unchanged", "reject", or "create-ref" for a
				* referenced record made by create_missing */
	const char *kind;
	long long id;          /* the record's number; 0 for a rejected row */
	const char *record;    /* how the row names it: its key values, else its name */
	const char *field;     /* update (diff): the field that changed; reject: the field at fault */
	const char *old_value, *new_value; /* update (diff) */
	const char *error;     /* reject: why, without the line */
};

struct crm_import_opts {
	const struct crm_kind *kind;
	FILE *in;                      /* read to the end, not closed */
	const char *file;              /* recorded with the batch and named in messages */
	enum crm_import_mode mode;
	const char *key;               /* "email", "first_name,last_name", "id"; NULL: natural key */
	const char *const *maps;       /* "Header=field"; "Header=" or "Header=-" skips the column */
	int nmaps;
	const char *profile;           /* configuration import_profiles.<name>: {Header: field} */
	struct crm_csvin_opts csv;
	int ignore_extra;              /* skip columns that match no field instead of failing */
	int create_missing;            /* create referenced records named but not found (accounts) */
	int partial;                   /* commit the good rows even when some are rejected */
	int dry_run;                   /* run everything, then roll back */
	int raw;                       /* keep a leading ' that export put before = + - @ */
	int diff;                      /* send an event per changed field of updated records */
	FILE *rejects;                 /* rejected rows as CSV (+ _line, _field, _error), or NULL */
	void (*event)(void *ctx, const struct crm_import_event *ev); /* may be NULL */
	void (*progress)(void *ctx, long long rows, long long bytes);  /* may be NULL */
	void *ctx;
};

struct crm_import_result {
	long long batch;               /* the batch recorded; 0 when nothing was written */
	long long rows, created, updated, unchanged, rejected, refs_created;
	int written;                   /* the changes were committed */
	int failed;                    /* the import stopped at an error (not a rejected row) */
	long long dropped;             /* vCard: photos and other inline binary values left out */
};

/* Import every row of o->in as a record of o->kind, in one transaction.
 * CRM_OK: every row went in. CRM_EINVALID: rows were rejected (each reported through event and
 * rejects); nothing was written unless o->partial. Any other status (unreadable or malformed
 * file, unknown column, database failure): nothing was written, err says why. */
int crm_import_run(struct crm *crm, const struct crm_import_opts *o, struct crm_import_result *res,
		   struct crm_err *err);

/* For crm_history_print: records an import created have no add row in history (the batch
 * keeps them as ranges of numbers); this prints their add, with the batch's time and user and
 * the values the record had then, among the history rows. Call it before printing each
 * history row with that row's id, then once with LLONG_MAX. h starts zeroed. */
struct crm_import_history {
	int loaded, n, next;
	long long batch[8], after[8];
};
void crm_import_history_rows(struct crm *crm, const struct crm_kind *k, long long id,
			     long long before_history, struct crm_import_history *h, struct crm_printer *p);

/* Rows handed to a caller: names[i] and cells[i] for i < ncols, valid during the call. The
 * first call has cells NULL: the column names alone, even when no row follows. */
typedef void (*crm_row_fn)(void *ctx, const char *const *names, const struct crm_value *cells, int ncols);

/* The batches, newest first (only > 0: that batch alone; CRM_ENOTFOUND if it does not exist). */
int crm_import_batches(struct crm *crm, long long only, crm_row_fn fn, void *ctx, struct crm_err *err);
/* The records a batch created or updated, in order: action, kind, id, record (its name now). */
int crm_import_batch_records(struct crm *crm, long long batch, crm_row_fn fn, void *ctx,
			     struct crm_err *err);

/* Undo a batch: restore what it updated (from history), then delete what it created, in one
 * transaction. CRM_ENOTFOUND: no such batch; CRM_ECONFLICT: already reverted, or records it
 * touched changed since (named in err), and nothing is changed. */
int crm_import_revert(struct crm *crm, long long batch, long long *restored, long long *deleted,
		      struct crm_err *err);

#endif
