/* Private to core/: the open database behind the opaque struct crm, its statements and its
 * transactions. cmd/ never includes this header (tests/lint.bats checks); it sees struct crm
 * only through the accessors of include/crm/crm.h. */
#ifndef CRM_CORE_DB_H
#define CRM_CORE_DB_H

#include <string.h>
#include <time.h>
#include "crm/crm.h"
#include "crm/kind.h"
#include "store.h"

struct crm {
	void *db;                /* the backend's connection */
	const struct crm_store_ops *store;
	struct crm_config *cfg;  /* borrowed from the caller */
	struct crm_env env;      /* the environment main read (TMPDIR for spool files, ...) */
	char *db_path;           /* a file, or a postgresql:// URL with its password */
	char *db_shown;          /* the same for messages: a URL without its password */
	char *user;              /* login of the current user, the one acted as */
	char *real_user;         /* the system's login for the real uid: who is acting */
	int login_is_db;         /* real_user is the database server's login, not the system's */
	time_t now;
	int readonly;            /* opened with CRM_OPEN_READONLY: every write fails */
	int tx_depth;            /* nesting of crm_tx_begin */
	int tx_flat;             /* nested transactions are not savepoints (a big import that commits all
				  * or nothing): a nested rollback sets 2 and the outermost commit fails */
	long long tx_flat_mark;  /* tx_flat: the changes made before the nested transaction began */
	int created;             /* this open created the database */
	int retry;               /* a failure repeating the operation may resolve (crm_take_retry) */
	long long batch_id;      /* the import batch writes belong to, 0 when none */
	const void *import_adding; /* the kind an import is adding: no history row per record, the
				    * import keeps ranges of them instead (core/import.c) */
	struct crm_stmt_cache *stmts;
	/* A backend that indexes after the commit (store.h: search.after_commit): the index rows
	 * the transaction's writes left to write (core/search.c), written by crm_tx_commit once
	 * the outermost transaction has committed; a failure to do so, said by crm_search_lag. */
	struct crm_search_todo *search_todo;
	size_t nsearch_todo, cap_search_todo;
	char *search_lag;
	/* SQLite: an import's index rows are written a stretch at a time inside its transaction
	 * (crm_search_write_pending), not one by one as each record is written */
	int search_bulk;
};

/* core/search.c: the rows left to index are written (after the commit: their own transaction),
 * or forgotten (the transaction was rolled back). */
void crm_search_flush(struct crm *crm);
/* A backend that indexes in the write's transaction, in bulk (crm->search_bulk): the rows left
 * to index are written now, inside the transaction (before it commits, and before anything
 * reads the index). */
int crm_search_write_pending(struct crm *crm, struct crm_err *err);
void crm_search_drop(struct crm *crm);

/* Does the one who ran the command (real_user) differ from whom it acts as (user, --as)? Then
 * history rows and import batches record both. */
static inline int crm_real_user_differs(const struct crm *crm)
{
	return crm->real_user && crm->user && strcmp(crm->user, crm->real_user) != 0;
}


/* Transactions nest through savepoints; the outermost is BEGIN IMMEDIATE so that writers queue
 * on the busy timeout instead of failing mid-way. cmd/ groups calls with crm_atomic instead. */
int crm_tx_begin(struct crm *crm, struct crm_err *err);
/* A transaction taking rows off a queue (store.h: begin_queue, crm_store_skip_locked). */
int crm_tx_begin_queue(struct crm *crm, struct crm_err *err);
int crm_tx_commit(struct crm *crm, struct crm_err *err);
void crm_tx_rollback(struct crm *crm);

/* Map a storage status (core/store.h) to a crm status with a message that says what was being done. */
int crm_db_error(struct crm *crm, int rc, const char *doing, struct crm_err *err);

/* Prepare SQL text written in core/ (never user text); on failure fills err. The caller
 * finalizes the statement. */
int crm_prepare(struct crm *crm, const char *sql, crm_stmt **st, struct crm_err *err);

/* A statement kept prepared for the life of the connection, keyed by its SQL text: hot paths
 * (imports, history) reuse it instead of compiling SQL per row. Give it back with
 * crm_stmt_done, never crm_finalize. */
int crm_stmt_get(struct crm *crm, const char *sql, crm_stmt **st, struct crm_err *err);
void crm_stmt_done(crm_stmt *st);

/* The first column of sql's first row as an integer (0: no row, or NULL), its parameters
 * bound in order from the arguments: binds holds a letter per parameter, 't' for a
 * const char *, 'i' for a long long. Kept prepared, as crm_stmt_get. */
int crm_query_int64(struct crm *crm, long long *out, struct crm_err *err, const char *sql, const char *binds, ...);

/* A history row (action edit) of n changes of record id: field i from olds[i] to news[i]
 * (NULL: none), for changes made outside the record engine (attributes, core/attr.c). */
int crm_history_changes(struct crm *crm, const struct crm_kind *k, long long id, const char *const *fields,
			const char *const *olds, const char *const *news, int n, struct crm_err *err);

#endif
