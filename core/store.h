/* Private to core/: the storage interface every module writes its SQL through. Two backends
 * implement it, SQLite (core/store_sqlite.c, the embedded default) and PostgreSQL
 * (core/store_pg.c); no module outside those two files knows which one it talks to.
 *
 * The interface is shaped like SQLite's own statement API, because that is what the modules
 * were written against: prepare SQL text with `?` parameters, bind values, step through rows,
 * read columns. Status codes are numerically SQLite's (CRM_SQL_ROW is SQLITE_ROW), so both
 * backends report in one vocabulary and crm_db_error maps it to exit statuses once.
 *
 * Bound text is not copied by crm_bind_text: it must stay valid until the statement is stepped
 * or reset (SQLite's SQLITE_STATIC); crm_bind_text_copy copies, crm_bind_text_own frees. */
#ifndef CRM_CORE_STORE_H
#define CRM_CORE_STORE_H

#include <stddef.h>

struct crm;
struct crm_err;

enum {
	CRM_SQL_OK = 0,
	CRM_SQL_ERROR = 1,
	CRM_SQL_PERM = 3,
	CRM_SQL_BUSY = 5,
	CRM_SQL_LOCKED = 6,
	CRM_SQL_NOMEM = 7,
	CRM_SQL_READONLY = 8,
	CRM_SQL_CORRUPT = 11,
	CRM_SQL_FULL = 13,
	CRM_SQL_CANTOPEN = 14,
	CRM_SQL_CONSTRAINT = 19,
	CRM_SQL_TOOBIG = 18,
	CRM_SQL_NOTADB = 26,
	CRM_SQL_ROW = 100,
	CRM_SQL_DONE = 101,
	CRM_SQL_CONSTRAINT_PRIMARYKEY = CRM_SQL_CONSTRAINT | (6 << 8),
	CRM_SQL_CONSTRAINT_UNIQUE = CRM_SQL_CONSTRAINT | (8 << 8),
	/* PostgreSQL's serialization failure and deadlock (SQLSTATE 40001, 40P01): the whole
	 * transaction is retried (crm_atomic). Its primary code is BUSY, as SQLite's nearest. */
	CRM_SQL_BUSY_RETRY = CRM_SQL_BUSY | (9 << 8),
};

/* Column types, numerically SQLite's. */
enum { CRM_COL_INTEGER = 1, CRM_COL_FLOAT = 2, CRM_COL_TEXT = 3, CRM_COL_BLOB = 4, CRM_COL_NULL = 5 };

typedef struct crm_stmt crm_stmt;
struct crm_blob;

struct crm_stmt_ops {
	int (*step)(crm_stmt *);
	void (*reset)(crm_stmt *);
	void (*clear_bindings)(crm_stmt *);
	void (*finalize)(crm_stmt *);
	void (*bind_text)(crm_stmt *, int, const char *, int copy_or_own);
	void (*bind_int64)(crm_stmt *, int, long long);
	void (*bind_double)(crm_stmt *, int, double);
	void (*bind_null)(crm_stmt *, int);
	const char *(*col_text)(crm_stmt *, int);
	long long (*col_int64)(crm_stmt *, int);
	double (*col_double)(crm_stmt *, int);
	int (*col_type)(crm_stmt *, int);
	int (*col_count)(crm_stmt *);
};

struct crm_stmt {
	const struct crm_stmt_ops *ops;
};

/* What a backend does for a connection (struct crm holds one). */
struct crm_store_ops {
	const char *name; /* "sqlite", "postgresql" */
	const char *const *migrations; /* the backend's schema migrations, NULL-terminated */
	const char *begin_write, *begin_read; /* how a write and a read transaction begin */
	/* Taking rows off a queue (notifications) while other takers do the same: how such a
	 * transaction begins (crm_tx_begin_queue), and the clause that ends the SELECT choosing the
	 * next row (crm_store_skip_locked), so that the row stays held until the transaction ends
	 * and a concurrent taker passes over it rather than waiting or failing to serialize. On
	 * SQLite writers queue (BEGIN IMMEDIATE) and the clause is empty; on PostgreSQL READ
	 * COMMITTED and FOR UPDATE SKIP LOCKED, each statement guarding itself by its condition. */
	const char *begin_queue, *skip_locked;
	/* A query of the foreign keys pointing at table ?1: rows (table, column), in order. */
	const char *references;
	const char *bulk; /* settings for a connection about to write many rows, or NULL */
	/* Case-insensitive keys (names, logins, e-mails) ignore the case of every letter
	 * (PostgreSQL's citext), not of ASCII letters only (SQLite's NOCASE): a copy into such a
	 * database first looks for keys that would collide there (core/copy.c). */
	int unicode_nocase;
	/* Registers the ticket kind's computed-field SQL functions on this connection (an
	 * in-process database calls back into crm); NULL: the backend's schema defines them over
	 * session settings (crm_ticket_attach sets those). */
	int (*attach_ticket_functions)(struct crm *crm, struct crm_err *err);
	int (*prepare)(struct crm *, const char *sql, int persistent, crm_stmt **);
	int (*exec)(struct crm *, const char *sql); /* one or more statements, no parameters */
	const char *(*errmsg)(struct crm *, int rc);
	long long (*last_id)(struct crm *);
	long long (*changes)(struct crm *);
	long long (*total_changes)(struct crm *);
	long long (*max_length)(struct crm *); /* the largest text or document the backend stores */
	int (*in_transaction)(struct crm *);
	/* The login the server knows this session by, NULL (a file has no login); the caller frees. */
	char *(*login)(struct crm *);
	/* Values for the session that SQL functions of the backend read (NULL: none needed). */
	int (*session_set)(struct crm *, int n, const char *const *names, const char *const *values);
	void (*close)(struct crm *);
	/* Schema: its version (foreign: the database holds another program's tables), migrations
	 * run between begin and end (outside the transaction), checked before they commit. */
	int (*schema_version)(struct crm *, int *version, int *foreign);
	int (*set_schema_version)(struct crm *, int version);
	int (*migrate_begin)(struct crm *);
	int (*migrate_check)(struct crm *, struct crm_err *);
	int (*migrate_end)(struct crm *);
	/* Documents: content is created at its final size, written and read in pieces. */
	int (*blob_create)(struct crm *, const char *sha256, long long size, long long *blob);
	int (*blob_open)(struct crm *, long long blob, int write, struct crm_blob **);
	long long (*blob_size)(struct crm_blob *);
	int (*blob_read)(struct crm_blob *, void *buf, int n, long long offset);
	int (*blob_write)(struct crm_blob *, const void *buf, int n, long long offset);
	int (*blob_close)(struct crm_blob *);
	/* The largest number a table's records were given, removed ones included (numbers are never
	 * reused), 0 when it has none or numbers no records; and setting it (crm db copy). */
	int (*seq_get)(struct crm *, const char *table, long long *last);
	int (*seq_set)(struct crm *, const char *table, long long last);
	/* The search index (core/search.c; migration 019): SQLite's FTS5 table, PostgreSQL's
	 * tsvector column under a GIN index. Parameters: ?1 kind, ?2 record id, ?3 label, ?4 body,
	 * ?5 and ?6 the label's and body's folded words, ?7 the row's own number (the record's
	 * number times 32 plus its kind's code); a backend's statement uses those it needs. */
	struct crm_store_search {
		const char *rm;    /* the record's row goes (?1 ?2 ?7) */
		const char *put;   /* the record's row is written, replacing the one there */
		/* the row of a record just added, which has none yet: on SQLite a plain INSERT,
		 * without the look-up for a row to replace that costs FTS5 a third of the write
		 * (NULL: put) */
		const char *add;
		const char *clear; /* every row goes (search --rebuild) */
		/* ?1 the match expression, ?2 a kind or NULL, ?3 the limit: rows of kind,
		 * record_id, label, body, best first */
		const char *query;
		/* The match expression: each word's folded parts are a phrase between open and
		 * close (between separating the parts; close makes the last part a prefix), and
		 * the phrases are joined by and. */
		const char *open, *between, *close, *and;
		/* FROM and WHERE of the index rows the match expression (?) finds, for a filter's
		 * bare word: " AND kind = '<kind>'" follows. */
		const char *ids;
		/* 1: the index holds only the words (SQLite): a row's number is the record's
		 * times 32 plus its kind's code (core/search.c), query gives that number alone,
		 * its ?2 is the kind's code, and a hit's label and body are read from the record;
		 * 0: the rows hold kind and record_id, and query gives kind, record_id, label and
		 * body, its ?2 the kind's name */
		int words_only;
		/* 1: a write's index rows are written after its transaction commits, in a
		 * transaction of their own (READ COMMITTED on PostgreSQL, where SERIALIZABLE
		 * writers would otherwise conflict over the index too), a stretch of rows per
		 * statement; 0: in the write's own transaction (SQLite). The statements below are
		 * that backend's: ?1 an array of lock numbers (one per kind), each locked until the
		 * transaction ends, so that two writers of one record index it one after the other,
		 * the second from what the first's commit left or newer */
		int after_commit;
		const char *lock;
		const char *in;       /* appended to "WHERE t.id": ?1 an array of record numbers */
		const char *put_many; /* ?1..?6 arrays: kinds, record ids, labels, bodies, label and body words */
		const char *rm_many;  /* ?1 a kind, ?2 an array of record numbers */
	} search;
	/* What an import plans by (core/import.c), 1 or 0: the table keeps column in a column of
	 * its own; a unique index (not the primary key) holds exactly these columns, so that adding
	 * a record whose key exists fails on it. */
	int (*has_column)(struct crm *, const char *table, const char *column);
	int (*unique_over)(struct crm *, const char *table, const char *const *columns, int n);
	/* Writing ahead (crm_store_ahead_begin below); NULL: the backend writes each at once. */
	int (*ahead_begin)(struct crm *);
	int (*ahead_failed)(struct crm *);
	int (*ahead_end)(struct crm *);
};

static inline int crm_step(crm_stmt *st) { return st->ops->step(st); }
static inline void crm_reset(crm_stmt *st) { st->ops->reset(st); }
static inline void crm_clear_bindings(crm_stmt *st) { st->ops->clear_bindings(st); }
static inline void crm_finalize(crm_stmt *st) { if (st) st->ops->finalize(st); }
static inline void crm_bind_text(crm_stmt *st, int i, const char *s) { st->ops->bind_text(st, i, s, 0); }
static inline void crm_bind_text_copy(crm_stmt *st, int i, const char *s) { st->ops->bind_text(st, i, s, 1); }
/* Takes s (malloc'd) and frees it when done with it. */
static inline void crm_bind_text_own(crm_stmt *st, int i, char *s) { st->ops->bind_text(st, i, s, 2); }
static inline void crm_bind_int64(crm_stmt *st, int i, long long v) { st->ops->bind_int64(st, i, v); }
static inline void crm_bind_double(crm_stmt *st, int i, double v) { st->ops->bind_double(st, i, v); }
static inline void crm_bind_null(crm_stmt *st, int i) { st->ops->bind_null(st, i); }
static inline const char *crm_col_text(crm_stmt *st, int i) { return st->ops->col_text(st, i); }
static inline long long crm_col_int64(crm_stmt *st, int i) { return st->ops->col_int64(st, i); }
static inline int crm_col_int(crm_stmt *st, int i) { return (int)st->ops->col_int64(st, i); }
static inline double crm_col_double(crm_stmt *st, int i) { return st->ops->col_double(st, i); }
static inline int crm_col_type(crm_stmt *st, int i) { return st->ops->col_type(st, i); }
static inline int crm_col_count(crm_stmt *st) { return st->ops->col_count(st); }

/* Connection-wide calls (defined in core/crm.c over the connection's backend). */
int crm_store_prepare(struct crm *crm, const char *sql, crm_stmt **st); /* a status, no message */
int crm_store_in_transaction(struct crm *crm);
void crm_store_bulk(struct crm *crm); /* the connection is about to write many rows (imports) */
int crm_store_session_set(struct crm *crm, int n, const char *const *names, const char *const *values);
int crm_store_exec(struct crm *crm, const char *sql);
const char *crm_store_errmsg(struct crm *crm, int rc);
long long crm_store_last_id(struct crm *crm);
long long crm_store_changes(struct crm *crm);
long long crm_store_total_changes(struct crm *crm);
long long crm_store_max_length(struct crm *crm);
const char *crm_store_backend(const struct crm *crm);
const char *crm_store_skip_locked(const struct crm *crm); /* see crm_store_ops.skip_locked */
const char *crm_store_references(const struct crm *crm); /* see crm_store_ops.references */

int crm_blob_create(struct crm *crm, const char *sha256, long long size, long long *blob);
int crm_blob_open(struct crm *crm, long long blob, int write, struct crm_blob **b);
long long crm_blob_size(struct crm *crm, struct crm_blob *b);
int crm_blob_read(struct crm *crm, struct crm_blob *b, void *buf, int n, long long offset);
int crm_blob_write(struct crm *crm, struct crm_blob *b, const void *buf, int n, long long offset);
int crm_blob_close(struct crm *crm, struct crm_blob *b);
int crm_store_seq_get(struct crm *crm, const char *table, long long *last);
int crm_store_seq_set(struct crm *crm, const char *table, long long last);
int crm_store_has_column(struct crm *crm, const char *table, const char *column);
int crm_store_unique_over(struct crm *crm, const char *table, const char *const *columns, int n);
/* Writing ahead, for an import's many rows in one transaction. Between begin and end a backend
 * whose every statement is a round trip to a server may send an INSERT that returns a new
 * record's number without waiting for it: the step says done at once, and the number is the
 * one it will get. What such a write did wrong (a refused row, or a number not the one given)
 * is known later: from then on crm_store_ahead_failed is 1 and every statement fails, and end
 * undoes everything written since begin and returns an error; the caller does that stretch again
 * without writing ahead. begin: 1 when the backend writes ahead (in a transaction only), 0 when
 * it does not (SQLite: each write is a function call; nothing changes). end: CRM_SQL_OK when
 * everything written since begin stands. */
int crm_store_ahead_begin(struct crm *crm);
int crm_store_ahead_failed(struct crm *crm);
int crm_store_ahead_end(struct crm *crm);

/* The SQLite backend (core/store_sqlite.c). */
extern const struct crm_store_ops crm_store_sqlite;
int crm_store_sqlite_open(struct crm *crm, int readonly, long timeout_ms, struct crm_err *err);
int crm_store_sqlite_ready(struct crm *crm, struct crm_err *err);
const char *crm_store_sqlite_version(void);
/* libpq's version ("15.10"), or NULL when it cannot be loaded. */
const char *crm_store_pg_client_version(void);
/* Register the SQL function crm_fold(text) on a sqlite3 connection. */
int crm_store_sqlite_attach_fold(void *db);

/* The PostgreSQL backend (core/store_pg.c): the database is a postgresql:// URL. */
extern const struct crm_store_ops crm_store_pg;
int crm_store_is_url(const char *path);
char *crm_store_url_display(const char *url); /* without its password; the caller frees */
int crm_store_pg_open(struct crm *crm, int readonly, long timeout_ms, struct crm_err *err);
int crm_store_pg_ready(struct crm *crm, struct crm_err *err);

#endif
