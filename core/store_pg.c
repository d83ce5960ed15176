/* The PostgreSQL backend of the storage interface (core/store.h), through libpq: for teams that
 * share one database from several machines. The modules' SQL is written once; the few places
 * where SQLite's dialect differs are translated here when a statement is prepared (parameters,
 * COLLATE NOCASE, LIKE, GLOB, INSERT OR IGNORE, the column "user"), and the schema (core/sql/pg/) supplies SQLite's
 * functions under their names. What SQLite does implicitly is done explicitly:
 * - A failed statement inside a transaction does not abort it (SQLite undoes the statement
 *   alone): each write in a transaction runs under its own savepoint.
 * - last_insert_rowid: an INSERT into a table with an `id` column returns it (RETURNING id),
 *   and an INSERT that gives its own id moves the table's sequence past it, so numbers are
 *   never reused (SQLite's AUTOINCREMENT).
 * - Integers, booleans and numbers come back as text and are read as SQLite would give them. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <libpq/libpq-fs.h>
#include "crm/date.h"
#include "db.h"
#include "lazy_pq.h"
#include "store.h"

/* Type OIDs (pg_type.h is server-side). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

struct pg_stmt;

/* Writing ahead (crm_store_ahead_begin): a table's next number as this session expects it. */
struct next_id {
	char *table;
	long long next;
};

struct pg_conn {
	PGconn *conn;
	struct pg_stmt *streaming; /* whose rows are still coming on the connection */
	/* Writing ahead: INSERTs sent in pipeline mode, their results not read yet; each should
	 * return the number it was told it would get (piped). */
	int ahead, ahead_failed;
	long long *piped;
	size_t npiped, cap_piped;
	struct next_id *nexts;
	size_t nnexts;
	char *errmsg;
	/* The last error other than 25P02: once a statement fails outside a savepoint, every later
	 * one in the transaction fails with 25P02 ("current transaction is aborted"), which means
	 * this one (a lost serialization race is still a retry, not a failure). */
	int cause_rc;
	char *cause_msg;
	long long last_id, changes, total_changes;
	int seq;              /* names of server-side prepared statements */
	char **id_tables;     /* tables with an `id` column: their INSERTs return it */
	size_t n_id_tables;
};

#define PG(crm) ((struct pg_conn *)(crm)->db)

struct pg_stmt {
	crm_stmt base;
	struct crm *crm;
	char *sql;            /* translated */
	char name[24];        /* server-side prepared statement, "" when not persistent */
	int prepared;
	int write;            /* INSERT, UPDATE or DELETE: runs under a savepoint in a transaction */
	int control;          /* BEGIN, COMMIT, SAVEPOINT, ...: never under a savepoint of its own */
	int returns_id;       /* RETURNING id was added: the row is the new id, not a result */
	char *id_table;       /* an INSERT naming its own id: the table whose sequence follows */
	char *new_table;      /* INSERT ... VALUES (...) RETURNING id: a new row numbered by its table
				 (what may be written ahead) */
	int nparams;
	char **vals;
	Oid *types;           /* 0 (PostgreSQL infers it) or text where it cannot */
	PGresult *res;
	int executed, row, nrows;
	int ran;              /* has run once without error */
	char numbuf[32];
	/* A SELECT's rows come one at a time (libpq's single-row mode), so that a large result is
	 * never whole in memory. Until the last has been read the connection is busy: another
	 * statement that needs it first reads the rest ahead into queue (drain). */
	int stream;           /* rows are being streamed: res holds the current one alone */
	PGresult *pending;    /* the first row, read when the statement ran */
	PGresult **queue;     /* rows read ahead */
	size_t qhead, qlen, qcap;
	int stream_rc;        /* an error that ended the stream, reported when reached */
	char *stream_err;
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

struct sbuf {
	char *s;
	size_t n, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void set_error(struct pg_conn *pc, const char *msg)
{
	free(pc->errmsg);
	pc->errmsg = xstrdup(msg ? msg : "unknown error");
	size_t n = strlen(pc->errmsg);
	while (n && (pc->errmsg[n - 1] == '\n' || pc->errmsg[n - 1] == ' '))
		pc->errmsg[--n] = '\0';
	/* libpq prefixes "ERROR:  "; the caller says what it was doing. */
	if (strncmp(pc->errmsg, "ERROR:  ", 8) == 0)
		memmove(pc->errmsg, pc->errmsg + 8, strlen(pc->errmsg + 8) + 1);
}

/* A unique violation said as SQLite says it, "UNIQUE constraint failed: accounts.name", which
 * the engine reads to name the field at fault: the table, and the columns of the detail
 * "Key (name)=(Acme) already exists." */
static void unique_message(struct pg_conn *pc, PGresult *res)
{
	const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *open = detail && strncmp(detail, "Key (", 5) == 0 ? detail + 5 : NULL;
	const char *close = open ? strstr(open, ")=(") : NULL;
	if (!table || !close)
		return;
	struct sbuf b = { 0 };
	sb_puts(&b, "UNIQUE constraint failed: ");
	for (const char *p = open; p < close;) {
		const char *comma = memchr(p, ',', (size_t)(close - p));
		const char *end = comma ? comma : close;
		if (p != open)
			sb_puts(&b, ", ");
		sb_puts(&b, table);
		sb_puts(&b, ".");
		sb_put(&b, p, (size_t)(end - p));
		p = comma ? comma + 1 : close;
		while (p < close && *p == ' ')
			p++;
	}
	free(pc->errmsg);
	pc->errmsg = b.s;
}

static int status_of_state(struct pg_conn *pc, PGresult *res, const char *state);

/* A PostgreSQL error as a storage status, numerically SQLite's. */
static int status_of(struct pg_conn *pc, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	/* The primary message only: the server's CONTEXT lines (which PL/pgSQL function, which
	 * statement) are not words for a crm user. */
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	set_error(pc, primary ? primary : res ? PQresultErrorMessage(res) : PQerrorMessage(pc->conn));
	if (!state)
		return PQstatus(pc->conn) == CONNECTION_OK ? CRM_SQL_ERROR : CRM_SQL_CANTOPEN;
	if (strcmp(state, "25P02") == 0 && pc->cause_rc) {
		set_error(pc, pc->cause_msg);
		return pc->cause_rc;
	}
	int rc = status_of_state(pc, res, state);
	pc->cause_rc = rc;
	free(pc->cause_msg);
	pc->cause_msg = xstrdup(pc->errmsg);
	return rc;
}

static int status_of_state(struct pg_conn *pc, PGresult *res, const char *state)
{
	if (strcmp(state, "23505") == 0) {
		unique_message(pc, res);
		return CRM_SQL_CONSTRAINT_UNIQUE;
	}
	if (strcmp(state, "23503") == 0) { /* as SQLite words it; the detail says which row */
		const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		struct sbuf m = { 0 };
		sb_puts(&m, "FOREIGN KEY constraint failed");
		if (detail) {
			sb_puts(&m, ": ");
			sb_puts(&m, detail);
		}
		free(pc->errmsg);
		pc->errmsg = m.s;
		return CRM_SQL_CONSTRAINT;
	}
	if (strncmp(state, "23", 2) == 0)
		return CRM_SQL_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return CRM_SQL_BUSY_RETRY;
	if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return CRM_SQL_BUSY;
	if (strcmp(state, "25006") == 0)
		return CRM_SQL_READONLY;
	if (strcmp(state, "42501") == 0)
		return CRM_SQL_PERM;
	if (strcmp(state, "53100") == 0)
		return CRM_SQL_FULL;
	if (strncmp(state, "53", 2) == 0)
		return CRM_SQL_NOMEM;
	if (strcmp(state, "54000") == 0 || strcmp(state, "22001") == 0)
		return CRM_SQL_TOOBIG;
	if (strncmp(state, "08", 2) == 0)
		return CRM_SQL_CANTOPEN;
	return CRM_SQL_ERROR;
}

/* ---------------------------------------------------------------- streamed results */

/* The results left on the connection after the one read (libpq ends a query with NULL). */
static void results_end(PGconn *conn)
{
	PGresult *r;
	while ((r = PQgetResult(conn)) != NULL)
		PQclear(r);
}

/* The streaming statement's next row from the connection, or NULL at its end (an error that
 * ended it is kept in the statement). */
static PGresult *stream_read(struct pg_conn *pc, struct pg_stmt *st)
{
	PGresult *r = PQgetResult(pc->conn);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_TUPLES_OK;
	if (s == PGRES_SINGLE_TUPLE)
		return r;
	if (r && s != PGRES_TUPLES_OK) {
		st->stream_rc = status_of(pc, r);
		free(st->stream_err);
		st->stream_err = xstrdup(pc->errmsg);
	}
	PQclear(r);
	if (r)
		results_end(pc->conn);
	pc->streaming = NULL;
	return NULL;
}

static void ahead_sync(struct pg_conn *pc);

/* Another call needs the connection: the streaming statement's remaining rows are read ahead,
 * into its queue, and the connection is free. */
static void drain_stream(struct pg_conn *pc)
{
	struct pg_stmt *st = pc->streaming;
	PGresult *r;
	while (st && pc->streaming == st && (r = stream_read(pc, st)) != NULL) {
		if (st->qlen == st->qcap) {
			st->qcap = st->qcap ? st->qcap * 2 : 64;
			st->queue = realloc(st->queue, st->qcap * sizeof *st->queue);
			if (!st->queue)
				abort();
		}
		st->queue[st->qlen++] = r;
	}
}

/* ... and the writes sent ahead are answered (a stream and writes ahead never overlap: either
 * begins after the connection was free). */
static void drain(struct pg_conn *pc)
{
	if (pc->npiped || PQpipelineStatus(pc->conn) != PQ_PIPELINE_OFF)
		ahead_sync(pc);
	drain_stream(pc);
}

static PGresult *stream_next(struct pg_conn *pc, struct pg_stmt *st)
{
	PGresult *r = st->pending;
	if (r) {
		st->pending = NULL;
		return r;
	}
	if (st->qhead < st->qlen)
		return st->queue[st->qhead++];
	return pc && pc->streaming == st ? stream_read(pc, st) : NULL;
}

/* The statement's stream, read or not, is given up: the connection is free again. */
static void stream_drop(struct pg_stmt *st, struct pg_conn *pc)
{
	PQclear(st->pending);
	st->pending = NULL;
	for (size_t i = st->qhead; i < st->qlen; i++)
		PQclear(st->queue[i]);
	st->qhead = st->qlen = 0;
	if (pc && pc->streaming == st) {
		results_end(pc->conn);
		pc->streaming = NULL;
	}
	st->stream = 0;
	st->stream_rc = 0;
	free(st->stream_err);
	st->stream_err = NULL;
}

static int exec_simple(struct pg_conn *pc, const char *sql)
{
	drain(pc);
	PGresult *res = PQexec(pc->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? CRM_SQL_OK : status_of(pc, res);
	PQclear(res);
	return rc;
}

/* ---------------------------------------------------------------- SQL translation */

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The word w (case-insensitive) at p, standing alone. */
static int word_at(const char *start, const char *p, const char *w)
{
	size_t n = strlen(w);
	return (p == start || !ident_char(p[-1])) && strncasecmp(p, w, n) == 0 && !ident_char(p[n]);
}


static int is_id_table(struct pg_conn *pc, const char *name, size_t n)
{
	for (size_t i = 0; i < pc->n_id_tables; i++)
		if (strlen(pc->id_tables[i]) == n && strncasecmp(pc->id_tables[i], name, n) == 0)
			return 1;
	return 0;
}

/* The parameter at *p, ?N or ?, as $n: ? numbers on from the last (*seq); *max is the largest. */
static void placeholder(struct sbuf *b, const char **p, int *seq, int *max)
{
	char num[16];
	int n;
	if ((*p)[1] >= '0' && (*p)[1] <= '9') {
		n = (int)strtol(*p + 1, (char **)p, 10);
	} else {
		n = ++*seq;
		(*p)++;
	}
	if (n > *max)
		*max = n;
	snprintf(num, sizeof num, "$%d", n);
	sb_puts(b, num);
}

/* SQLite's dialect as PostgreSQL's, for the statements core/ writes (never user text). */
static void translate(struct pg_conn *pc, struct pg_stmt *st, const char *sql)
{
	struct sbuf b = { 0 };
	int seq = 0, max = 0, or_ignore = 0;
	const char *p = sql;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	const char *first = p;
	st->write = word_at(first, p, "INSERT") || word_at(first, p, "UPDATE") || word_at(first, p, "DELETE") ||
		    word_at(first, p, "REPLACE");
	int insert = word_at(first, p, "INSERT");
	st->control = word_at(first, p, "BEGIN") || word_at(first, p, "COMMIT") || word_at(first, p, "ROLLBACK") ||
		      word_at(first, p, "SAVEPOINT") || word_at(first, p, "RELEASE") || word_at(first, p, "END");
	while (*p) {
		if (*p == '\'' || *p == '"') { /* a literal or a quoted name, copied whole */
			char q = *p;
			const char *e = p + 1;
			while (*e && !(*e == q && e[1] != q))
				e += *e == q ? 2 : 1;
			sb_put(&b, p, (size_t)(e - p) + (*e ? 1 : 0));
			p = *e ? e + 1 : e;
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (*p == '?') {
			placeholder(&b, &p, &seq, &max);
			continue;
		}
		if (word_at(sql, p, "COLLATE") && strncasecmp(p + 7, " NOCASE", 7) == 0 && !ident_char(p[14])) {
			p += 14;
			continue;
		}
		if (word_at(sql, p, "user") && (p == sql || p[-1] != '.')) { /* a reserved word in PostgreSQL: the column */
			sb_puts(&b, "\"user\"");
			p += 4;
			continue;
		}
		if (word_at(sql, p, "GLOB")) { /* x GLOB ?n: a regular expression made from the pattern */
			p += 4;
			while (*p == ' ')
				p++;
			sb_puts(&b, "~ crm_glob_regex(");
			if (*p == '?')
				placeholder(&b, &p, &seq, &max);
			sb_puts(&b, ")");
			continue;
		}
		if (word_at(sql, p, "REAL")) { /* SQLite's REAL is a double; PostgreSQL's a float4 */
			sb_puts(&b, "double precision");
			p += 4;
			continue;
		}
		if (word_at(sql, p, "LIKE")) {
			sb_puts(&b, "ILIKE");
			p += 4;
			continue;
		}
		if (word_at(sql, p, "OR") && insert && !or_ignore && strncasecmp(p, "OR IGNORE", 9) == 0 &&
		    p - first < 12) {
			or_ignore = 1;
			p += 9;
			while (*p == ' ')
				p++;
			continue;
		}
		sb_put(&b, p, 1);
		p++;
	}
	/* Trailing semicolons and space go: clauses are appended. */
	while (b.n && (b.s[b.n - 1] == ';' || b.s[b.n - 1] == ' ' || b.s[b.n - 1] == '\n'))
		b.s[--b.n] = '\0';
	if (insert) {
		/* INSERT INTO name [(cols)] ... */
		const char *q = b.s + 6;
		while (*q == ' ')
			q++;
		if (strncasecmp(q, "INTO", 4) == 0) {
			q += 4;
			while (*q == ' ')
				q++;
			const char *t = q;
			while (ident_char(*q))
				q++;
			size_t tn = (size_t)(q - t);
			int has_returning = strstr(b.s, "RETURNING") != NULL || strstr(b.s, "returning") != NULL;
			if (tn && is_id_table(pc, t, tn)) {
				while (*q == ' ')
					q++;
				/* Its own id among the columns: the sequence must follow it. */
				if (*q == '(') {
					const char *e = strchr(q, ')');
					for (const char *c = q + 1; e && c < e; c++)
						if (word_at(q, c, "id")) {
							st->id_table = strndup(t, tn);
							break;
						}
				}
				if (!has_returning) {
					if (!or_ignore && !st->id_table && !strstr(b.s, "SELECT") &&
					    !strstr(b.s, "select") && strstr(b.s, " VALUES ("))
						st->new_table = strndup(t, tn);
					if (or_ignore)
						sb_puts(&b, " ON CONFLICT DO NOTHING");
					sb_puts(&b, " RETURNING id");
					st->returns_id = 1;
					or_ignore = 0;
				}
			}
		}
		if (or_ignore) {
			char *r = strstr(b.s, " RETURNING");
			if (r) {
				char *tail = xstrdup(r);
				b.n = (size_t)(r - b.s);
				b.s[b.n] = '\0';
				sb_puts(&b, " ON CONFLICT DO NOTHING");
				sb_puts(&b, tail);
				free(tail);
			} else {
				sb_puts(&b, " ON CONFLICT DO NOTHING");
			}
		}
	}
	st->sql = b.s ? b.s : xstrdup("");
	st->nparams = max;
}

/* ---------------------------------------------------------------- statements */

static void pg_reset(crm_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	stream_drop(st, st->crm->db ? PG(st->crm) : NULL);
	PQclear(st->res);
	st->res = NULL;
	st->executed = st->row = st->nrows = 0;
}

static void pg_clear(crm_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
	}
}

static void pg_finalize(crm_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	pg_reset(s);
	pg_clear(s);
	/* Server-side statements are kept only by the cache, for the session: they end with it. */
	free(st->queue);
	free(st->vals);
	free(st->types);
	free(st->sql);
	free(st->id_table);
	free(st->new_table);
	free(st);
}

static void bind(struct pg_stmt *st, int i, char *v)
{
	if (i < 1 || i > st->nparams) {
		free(v);
		return;
	}
	free(st->vals[i - 1]);
	st->vals[i - 1] = v;
}

static void pg_bind_text(crm_stmt *s, int i, const char *v, int how)
{
	bind((struct pg_stmt *)s, i, v ? (how == 2 ? (char *)v : xstrdup(v)) : NULL);
}

static void pg_bind_int64(crm_stmt *s, int i, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	bind((struct pg_stmt *)s, i, xstrdup(buf));
}

static void pg_bind_double(crm_stmt *s, int i, double v)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.17g", v);
	bind((struct pg_stmt *)s, i, xstrdup(buf));
}

static void pg_bind_null(crm_stmt *s, int i) { bind((struct pg_stmt *)s, i, NULL); }

static int in_transaction(struct pg_conn *pc)
{
	if (pc->npiped)
		drain(pc);
	PGTransactionStatusType t = PQtransactionStatus(pc->conn);
	if (t == PQTRANS_ACTIVE && pc->streaming) { /* a stream is being read: its end says */
		drain(pc);
		t = PQtransactionStatus(pc->conn);
	}
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

/* After PostgreSQL could not determine a parameter's type (SQLSTATE 42P18 or 42P08, "could not determine
 * data type of parameter $n"): that parameter is text from now on. 1 when one was found. */
static int untyped_param(struct pg_stmt *st)
{
	const char *state = PQresultErrorField(st->res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(st->res, PG_DIAG_MESSAGE_PRIMARY);
	const char *at = msg ? strstr(msg, "parameter $") : NULL;
	if (!state || (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0) || !at)
		return 0;
	int n = atoi(at + 11);
	if (n < 1 || n > st->nparams || st->types[n - 1] == 25)
		return 0;
	st->types[n - 1] = 25; /* text */
	return 1;
}

/* One result of a pipeline, and the NULL that ends it. */
static PGresult *pipeline_result(PGconn *c)
{
	PGresult *r = PQgetResult(c), *x;
	if (r)
		while ((x = PQgetResult(c)) != NULL)
			PQclear(x);
	return r;
}

/* A statement that has run before (its parameters typed, prepared), under its savepoint, in one
 * round trip instead of three: SAVEPOINT, the statement and RELEASE sent together in libpq's
 * pipeline mode. st->res is the statement's result; *released says whether the savepoint went
 * (it stays, to be rolled back to, when the statement failed). CRM_SQL_OK, or the savepoint's
 * own failure. */
static int run_pipelined(struct pg_conn *pc, struct pg_stmt *st, int *released)
{
	PGconn *c = pc->conn;
	const char *const *vals = (const char *const *)st->vals;
	*released = 0;
	PQclear(st->res);
	st->res = NULL;
	if (!PQenterPipelineMode(c))
		return status_of(pc, NULL);
	int sent = PQsendQueryParams(c, "SAVEPOINT crm_statement", 0, NULL, NULL, NULL, NULL, 0) &&
		   (st->prepared ? PQsendQueryPrepared(c, st->name, st->nparams, vals, NULL, NULL, 0)
				 : PQsendQueryParams(c, st->sql, st->nparams, st->types, vals, NULL, NULL, 0)) &&
		   PQsendQueryParams(c, "RELEASE SAVEPOINT crm_statement", 0, NULL, NULL, NULL, NULL, 0) &&
		   PQpipelineSync(c);
	PGresult *r[3] = { NULL, NULL, NULL };
	if (sent) {
		for (int i = 0; i < 3; i++)
			r[i] = pipeline_result(c);
		PGresult *x = PQgetResult(c); /* the sync */
		PQclear(x);
	}
	PQexitPipelineMode(c);
	int rc = CRM_SQL_OK;
	if (!sent || PQresultStatus(r[0]) != PGRES_COMMAND_OK)
		rc = status_of(pc, r[0]);
	else
		st->res = r[1], r[1] = NULL;
	*released = rc == CRM_SQL_OK && PQresultStatus(r[2]) == PGRES_COMMAND_OK;
	PQclear(r[0]);
	PQclear(r[1]);
	PQclear(r[2]);
	return rc;
}

/* ---------------------------------------------------------------- writing ahead */

/* Writes sent ahead are answered every AHEAD_SYNC (their results, a few dozen bytes each, must
 * not fill the socket while the server waits for them to be read). */
#define AHEAD_SYNC 256
/* In pipeline mode, a command without rows (the stretch's SAVEPOINT), not a write. */
#define PIPED_COMMAND (-1)

static struct next_id *next_find(struct pg_conn *pc, const char *table)
{
	for (size_t i = 0; i < pc->nnexts; i++)
		if (strcmp(pc->nexts[i].table, table) == 0)
			return &pc->nexts[i];
	return NULL;
}

/* The number this session expects the table's next new row to get; 0: not known. */
static void next_set(struct pg_conn *pc, const char *table, long long next)
{
	struct next_id *n = next_find(pc, table);
	if (!n) {
		if (!next)
			return;
		pc->nexts = realloc(pc->nexts, (pc->nnexts + 1) * sizeof *pc->nexts);
		if (!pc->nexts)
			abort();
		n = &pc->nexts[pc->nnexts++];
		n->table = xstrdup(table);
	}
	n->next = next;
}

static void nexts_forget(struct pg_conn *pc)
{
	for (size_t i = 0; i < pc->nnexts; i++)
		free(pc->nexts[i].table);
	free(pc->nexts);
	pc->nexts = NULL;
	pc->nnexts = 0;
}

/* The first failure is the one reported. */
static void ahead_fail(struct pg_conn *pc, PGresult *res, const char *msg)
{
	if (!pc->ahead_failed) {
		if (res)
			status_of(pc, res);
		else
			set_error(pc, msg);
	}
	pc->ahead_failed = 1;
}

/* The writes sent ahead are answered: each must have written its row, numbered as told. */
static void ahead_sync(struct pg_conn *pc)
{
	PGconn *c = pc->conn;
	size_t n = pc->npiped;
	pc->npiped = 0;
	if (PQpipelineStatus(c) == PQ_PIPELINE_OFF)
		return;
	if (!PQpipelineSync(c)) {
		ahead_fail(pc, NULL, PQerrorMessage(c));
	} else {
		for (size_t i = 0; i < n; i++) {
			PGresult *r = pipeline_result(c);
			ExecStatusType s = PQresultStatus(r);
			if (pc->piped[i] == PIPED_COMMAND) {
				if (s != PGRES_COMMAND_OK)
					ahead_fail(pc, s == PGRES_PIPELINE_ABORTED ? NULL : r, "a savepoint sent ahead failed");
				PQclear(r);
				continue;
			}
			/* (libpq may still be in the single-row mode of a query before the pipeline: the
			 * row then comes alone, its empty end is passed over by pipeline_result) */
			if ((s != PGRES_TUPLES_OK && s != PGRES_SINGLE_TUPLE) || PQntuples(r) != 1)
				ahead_fail(pc, s == PGRES_PIPELINE_ABORTED ? NULL : r, "a write sent ahead did not run");
			else if (atoll(PQgetvalue(r, 0, 0)) != pc->piped[i])
				ahead_fail(pc, NULL, "another session took the numbers written ahead");
			PQclear(r);
		}
		PQclear(PQgetResult(c)); /* the sync */
	}
	if (!PQexitPipelineMode(c))
		ahead_fail(pc, NULL, PQerrorMessage(c));
	if (pc->ahead_failed)
		nexts_forget(pc);
}

static void piped_push(struct pg_conn *pc, long long expect);

/* An INSERT of a new row written ahead: sent, not waited for; the number it is to get is the
 * table's next as this session expects it, checked when it is answered. */
static int send_ahead(struct pg_conn *pc, struct pg_stmt *st, struct next_id *next)
{
	PGconn *c = pc->conn;
	drain_stream(pc);
	const char *const *vals = (const char *const *)st->vals;
	int sent = (PQpipelineStatus(c) != PQ_PIPELINE_OFF || PQenterPipelineMode(c)) &&
		   (st->prepared ? PQsendQueryPrepared(c, st->name, st->nparams, vals, NULL, NULL, 0)
				 : PQsendQueryParams(c, st->sql, st->nparams, st->types, vals, NULL, NULL, 0));
	if (!sent) {
		ahead_fail(pc, NULL, PQerrorMessage(c));
		return CRM_SQL_ERROR;
	}
	piped_push(pc, next->next);
	pc->last_id = next->next++;
	pc->changes = 1;
	pc->total_changes++;
	PQclear(st->res);
	st->res = NULL;
	st->executed = 1;
	st->row = st->nrows = 0;
	if (pc->npiped >= AHEAD_SYNC)
		ahead_sync(pc);
	return CRM_SQL_OK;
}

static void piped_push(struct pg_conn *pc, long long expect)
{
	if (pc->npiped == pc->cap_piped) {
		pc->cap_piped = pc->cap_piped ? 2 * pc->cap_piped : AHEAD_SYNC + 2;
		pc->piped = realloc(pc->piped, pc->cap_piped * sizeof *pc->piped);
		if (!pc->piped)
			abort();
	}
	pc->piped[pc->npiped++] = expect;
}

/* A command (a SAVEPOINT) sent in the pipeline, answered with the writes. */
static int send_command(struct pg_conn *pc, const char *sql)
{
	PGconn *c = pc->conn;
	if ((PQpipelineStatus(c) == PQ_PIPELINE_OFF && !PQenterPipelineMode(c)) ||
	    !PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0)) {
		ahead_fail(pc, NULL, PQerrorMessage(c));
		return CRM_SQL_ERROR;
	}
	piped_push(pc, PIPED_COMMAND);
	return CRM_SQL_OK;
}

/* The stretch's savepoint goes with its first writes (no round trip of its own). */
static int pg_ahead_begin(struct crm *crm)
{
	struct pg_conn *pc = PG(crm);
	if (pc->ahead || !in_transaction(pc))
		return 0;
	drain_stream(pc);
	pc->ahead_failed = 0;
	if (send_command(pc, "SAVEPOINT crm_ahead") != CRM_SQL_OK) {
		drain(pc);
		pc->ahead_failed = 0;
		return 0;
	}
	pc->ahead = 1;
	return 1;
}

static int pg_ahead_failed(struct crm *crm) { return PG(crm)->ahead_failed; }

/* The stretch ends: kept when everything sent ahead was written as told, else undone. */
static int pg_ahead_end(struct crm *crm)
{
	struct pg_conn *pc = PG(crm);
	if (!pc->ahead)
		return CRM_SQL_OK;
	/* The release only once every answer is read: a number found wrong in the last one must
	 * still be undone. The numbers expected next stay expected (the next stretch's are checked
	 * too). */
	drain(pc);
	pc->ahead = 0;
	if (!pc->ahead_failed && exec_simple(pc, "RELEASE SAVEPOINT crm_ahead") == CRM_SQL_OK)
		return CRM_SQL_OK;
	nexts_forget(pc);
	char *msg = xstrdup(pc->errmsg ? pc->errmsg : "a write sent ahead failed");
	exec_simple(pc, "ROLLBACK TO SAVEPOINT crm_ahead; RELEASE SAVEPOINT crm_ahead");
	free(pc->errmsg);
	pc->errmsg = msg;
	pc->ahead_failed = 0;
	return CRM_SQL_ERROR;
}

static int execute(struct pg_stmt *st)
{
	struct pg_conn *pc = PG(st->crm);
	if (pc->ahead) {
		/* After a failure written ahead, nothing runs until the stretch is undone. */
		struct next_id *next = pc->ahead_failed || !st->new_table || !st->ran || (st->name[0] && !st->prepared)
					       ? NULL
					       : next_find(pc, st->new_table);
		if (next && next->next)
			return send_ahead(pc, st, next);
		drain(pc);
		if (pc->ahead_failed)
			return CRM_SQL_ERROR;
	}
	drain(pc);
	/* Writes, and a statement's first run with parameters (their types may need a second
	 * try), run under a savepoint in a transaction: a failure undoes the statement, not the
	 * transaction. */
	int savepoint = !st->control && (st->write || (!st->ran && st->nparams > 0)) && in_transaction(pc);
	/* A query's rows are streamed (not under a savepoint, which must be released after it). */
	int stream = !savepoint && !st->write && !st->control && !st->returns_id;
	int released = 0, pipelined = savepoint && st->ran && (!st->name[0] || st->prepared);
	if (pipelined) {
		int rc = run_pipelined(pc, st, &released);
		if (rc != CRM_SQL_OK)
			return rc;
	} else if (savepoint) {
		int rc = exec_simple(pc, "SAVEPOINT crm_statement");
		if (rc != CRM_SQL_OK)
			return rc;
	}
	const char *const *vals = (const char *const *)st->vals;
	ExecStatusType s = PQresultStatus(st->res);
	for (int tries = 0; !pipelined; tries++) {
		if (st->name[0] && !st->prepared) {
			PGresult *res = PQprepare(pc->conn, st->name, st->sql, st->nparams, st->types);
			if (PQresultStatus(res) == PGRES_COMMAND_OK)
				st->prepared = 1;
			PQclear(st->res);
			st->res = res;
		}
		if ((!st->name[0] || st->prepared) && stream) {
			PQclear(st->res);
			st->res = NULL;
			int sent = st->prepared
					   ? PQsendQueryPrepared(pc->conn, st->name, st->nparams, vals, NULL, NULL, 0)
					   : PQsendQueryParams(pc->conn, st->sql, st->nparams, st->types, vals, NULL, NULL, 0);
			if (sent) {
				PQsetSingleRowMode(pc->conn);
				st->res = PQgetResult(pc->conn);
				if (PQresultStatus(st->res) == PGRES_SINGLE_TUPLE)
					pc->streaming = st; /* the others follow */
				else
					results_end(pc->conn);
			}
		} else if (!st->name[0] || st->prepared) {
			PQclear(st->res);
			st->res = st->prepared ? PQexecPrepared(pc->conn, st->name, st->nparams, vals, NULL, NULL, 0)
					       : PQexecParams(pc->conn, st->sql, st->nparams, st->types, vals, NULL, NULL, 0);
		}
		s = PQresultStatus(st->res);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_SINGLE_TUPLE || tries >= st->nparams ||
		    !untyped_param(st))
			break;
		/* A parameter PostgreSQL could not type ("? IS NULL"): text, and again. In a
		 * transaction the failed attempt must be undone first. */
		if (savepoint)
			exec_simple(pc, "ROLLBACK TO SAVEPOINT crm_statement; SAVEPOINT crm_statement");
		else if (in_transaction(pc))
			break;
	}
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_SINGLE_TUPLE) {
		int rc = status_of(pc, st->res);
		PQclear(st->res);
		st->res = NULL;
		if (st->new_table || st->id_table) /* a number may have been taken */
			next_set(pc, st->new_table ? st->new_table : st->id_table, 0);
		if (savepoint) {
			/* The error message is the statement's, not the rollback's. */
			char *msg = xstrdup(pc->errmsg);
			exec_simple(pc, "ROLLBACK TO SAVEPOINT crm_statement; RELEASE SAVEPOINT crm_statement");
			free(pc->errmsg);
			pc->errmsg = msg;
		}
		return rc;
	}
	st->executed = 1;
	st->ran = 1;
	st->row = 0;
	st->nrows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
	if (s == PGRES_SINGLE_TUPLE) { /* the first row, stepped to next */
		st->stream = 1;
		st->pending = st->res;
		st->res = NULL;
	}
	if (st->write) {
		const char *n = PQcmdTuples(st->res);
		pc->changes = n && *n ? atoll(n) : 0;
		pc->total_changes += pc->changes;
	}
	if (st->returns_id) {
		if (st->nrows > 0)
			pc->last_id = atoll(PQgetvalue(st->res, st->nrows - 1, 0));
		if (st->new_table) /* what writing ahead expects next (crm_store_ahead_begin) */
			next_set(pc, st->new_table, st->nrows > 0 ? pc->last_id + 1 : 0);
		st->nrows = 0; /* the caller asked for no rows */
		if (st->id_table) {
			next_set(pc, st->id_table, 0);
			char sql[256];
			snprintf(sql, sizeof sql,
				 "SELECT setval(pg_get_serial_sequence('%s', 'id'), greatest((SELECT max(id) FROM %s), 1))",
				 st->id_table, st->id_table);
			exec_simple(pc, sql);
		}
	}
	if (savepoint && !released)
		exec_simple(pc, "RELEASE SAVEPOINT crm_statement");
	return CRM_SQL_OK;
}

static int pg_step(crm_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	if (!st->executed) {
		int rc = execute(st);
		if (rc != CRM_SQL_OK)
			return rc;
		st->row = -1;
	}
	if (st->stream) {
		struct pg_conn *pc = PG(st->crm);
		PQclear(st->res);
		st->res = stream_next(pc, st);
		st->row = 0;
		st->nrows = st->res ? 1 : 0;
		if (st->res)
			return CRM_SQL_ROW;
		st->stream = 0;
		if (st->stream_rc) {
			int rc = st->stream_rc;
			set_error(pc, st->stream_err);
			stream_drop(st, pc);
			return rc;
		}
		return CRM_SQL_DONE;
	}
	if (st->row + 1 < st->nrows) {
		st->row++;
		return CRM_SQL_ROW;
	}
	st->row = st->nrows;
	return CRM_SQL_DONE;
}

static int valid_cell(struct pg_stmt *st, int i)
{
	return st->res && st->row >= 0 && st->row < st->nrows && i >= 0 && i < PQnfields(st->res);
}

static int pg_col_type(crm_stmt *s, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	if (!valid_cell(st, i) || PQgetisnull(st->res, st->row, i))
		return CRM_COL_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return CRM_COL_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return CRM_COL_FLOAT;
	case OID_NUMERIC: /* sum() of integers is numeric: whole numbers read as integers */
		return strpbrk(PQgetvalue(st->res, st->row, i), ".eE") ? CRM_COL_FLOAT : CRM_COL_INTEGER;
	case OID_BYTEA:
		return CRM_COL_BLOB;
	default:
		return CRM_COL_TEXT;
	}
}

static const char *pg_col_text(crm_stmt *s, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	if (!valid_cell(st, i) || PQgetisnull(st->res, st->row, i))
		return NULL;
	const char *v = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

static long long pg_col_int64(crm_stmt *s, int i)
{
	const char *v = pg_col_text(s, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_col_double(crm_stmt *s, int i)
{
	const char *v = pg_col_text(s, i);
	return v ? strtod(v, NULL) : 0;
}

static int pg_col_count(crm_stmt *s)
{
	struct pg_stmt *st = (struct pg_stmt *)s;
	return st->res ? PQnfields(st->res) : 0;
}

static const struct crm_stmt_ops pg_stmt_ops = {
	pg_step, pg_reset, pg_clear, pg_finalize, pg_bind_text, pg_bind_int64, pg_bind_double, pg_bind_null,
	pg_col_text, pg_col_int64, pg_col_double, pg_col_type, pg_col_count,
};

static int pg_prepare(struct crm *crm, const char *sql, int persistent, crm_stmt **out)
{
	struct pg_conn *pc = PG(crm);
	struct pg_stmt *st = calloc(1, sizeof *st);
	if (!st)
		abort();
	st->base.ops = &pg_stmt_ops;
	st->crm = crm;
	translate(pc, st, sql);
	if (persistent)
		snprintf(st->name, sizeof st->name, "crm_%d", ++pc->seq);
	st->vals = calloc(st->nparams ? (size_t)st->nparams : 1, sizeof *st->vals);
	st->types = calloc(st->nparams ? (size_t)st->nparams : 1, sizeof *st->types);
	if (!st->vals || !st->types)
		abort();
	*out = &st->base;
	return CRM_SQL_OK;
}

/* ---------------------------------------------------------------- connection */

static int pg_exec(struct crm *crm, const char *sql) { return exec_simple(PG(crm), sql); }

static const char *pg_errmsg(struct crm *crm, int rc)
{
	if (crm && crm->db && !rc && PG(crm)->errmsg)
		return PG(crm)->errmsg;
	return crm && crm->db && PG(crm)->errmsg ? PG(crm)->errmsg : rc == CRM_SQL_BUSY ? "busy" : "error";
}

static long long pg_last_id(struct crm *crm) { return PG(crm)->last_id; }
static long long pg_changes(struct crm *crm) { return PG(crm)->changes; }
static long long pg_total_changes(struct crm *crm) { return PG(crm)->total_changes; }
/* Text is limited to 1 GB; documents are large objects, limited here like SQLite's blobs. */
static long long pg_max_length(struct crm *crm)
{
	(void)crm;
	return 1000000000LL;
}
static int pg_in_transaction(struct crm *crm) { return in_transaction(PG(crm)); }

static char *pg_login(struct crm *crm)
{
	drain(PG(crm));
	PGresult *res = PQexec(PG(crm)->conn, "SELECT session_user");
	char *login = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 ? xstrdup(PQgetvalue(res, 0, 0))
										  : NULL;
	PQclear(res);
	return login;
}

static int pg_session_set(struct crm *crm, int n, const char *const *names, const char *const *values)
{
	/* One round trip for them all: SELECT set_config($1, $2, false), set_config($3, $4, false), ... */
	struct pg_conn *pc = PG(crm);
	struct sbuf sql = { 0 };
	const char **vals = calloc((size_t)(2 * n + 1), sizeof *vals);
	if (!vals)
		abort();
	drain(pc);
	sb_puts(&sql, "SELECT 1");
	for (int i = 0; i < n; i++) {
		char part[64];
		snprintf(part, sizeof part, ", set_config($%d, $%d, false)", 2 * i + 1, 2 * i + 2);
		sb_puts(&sql, part);
		vals[2 * i] = names[i];
		vals[2 * i + 1] = values[i];
	}
	PGresult *res = PQexecParams(pc->conn, sql.s, 2 * n, NULL, vals, NULL, NULL, 0);
	int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? CRM_SQL_OK : status_of(pc, res);
	PQclear(res);
	free(vals);
	free(sql.s);
	return rc;
}

static void pg_close(struct crm *crm)
{
	struct pg_conn *pc = PG(crm);
	if (!pc)
		return;
	PQfinish(pc->conn);
	nexts_forget(pc);
	free(pc->piped);
	for (size_t i = 0; i < pc->n_id_tables; i++)
		free(pc->id_tables[i]);
	free(pc->id_tables);
	free(pc->errmsg);
	free(pc->cause_msg);
	free(pc);
	crm->db = NULL;
}

/* ---------------------------------------------------------------- documents: large objects */

struct pg_blob {
	struct pg_conn *pc;
	PGconn *conn;
	int fd;
	long long size;
};

static int pg_blob_create(struct crm *crm, const char *sha256, long long size, long long *blob)
{
	struct pg_conn *pc = PG(crm);
	drain(pc);
	/* Made by crm_blob_new (migration 016), SECURITY DEFINER: the large object belongs to the
	 * schema owner, not to this login, so whoever may remove the document can have it unlinked;
	 * it is at its final size, as SQLite's zeroblob (a file that grows while it is copied does not
	 * fit, core/document.c checks), readable by the team and writable by this login. */
	char sizearg[32];
	snprintf(sizearg, sizeof sizearg, "%lld", size);
	const char *newvals[1] = { sizearg };
	PGresult *made = PQexecParams(pc->conn, "SELECT crm_blob_new($1::bigint)", 1, NULL, newvals, NULL, NULL, 0);
	if (PQresultStatus(made) != PGRES_TUPLES_OK || PQntuples(made) != 1) {
		int mrc = status_of(pc, made);
		PQclear(made);
		return mrc;
	}
	Oid oid = (Oid)strtoul(PQgetvalue(made, 0, 0), NULL, 10);
	PQclear(made);
	int rc;
	char oidbuf[16], sizebuf[32];
	snprintf(oidbuf, sizeof oidbuf, "%u", oid);
	snprintf(sizebuf, sizeof sizebuf, "%lld", size);
	const char *vals[3] = { sha256, sizebuf, oidbuf };
	PGresult *res = PQexecParams(pc->conn, "INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) "
				     "RETURNING id", 3, NULL, vals, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_TUPLES_OK ? CRM_SQL_OK : status_of(pc, res);
	if (rc == CRM_SQL_OK)
		*blob = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

static int pg_blob_open(struct crm *crm, long long blob, int write, struct crm_blob **out)
{
	struct pg_conn *pc = PG(crm);
	char idbuf[32];
	snprintf(idbuf, sizeof idbuf, "%lld", blob);
	const char *vals[1] = { idbuf };
	drain(pc);
	PGresult *res = PQexecParams(pc->conn, "SELECT content, size FROM blobs WHERE id = $1", 1, NULL, vals, NULL,
				     NULL, 0);
	*out = NULL;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? CRM_SQL_ERROR : status_of(pc, res);
		if (rc == CRM_SQL_ERROR)
			set_error(pc, "no such document content");
		PQclear(res);
		return rc;
	}
	Oid oid = (Oid)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	int fd = lo_open(pc->conn, oid, write ? INV_READ | INV_WRITE : INV_READ);
	if (fd < 0)
		return status_of(pc, NULL);
	struct pg_blob *b = malloc(sizeof *b);
	if (!b)
		abort();
	b->pc = pc;
	b->conn = pc->conn;
	b->fd = fd;
	pg_int64 end = lo_lseek64(pc->conn, fd, 0, SEEK_END);
	b->size = end < 0 ? 0 : (long long)end;
	*out = (struct crm_blob *)b;
	return CRM_SQL_OK;
}

static long long pg_blob_size(struct crm_blob *blob)
{
	struct pg_blob *b = (struct pg_blob *)blob;
	return b->size;
}

static int pg_blob_read(struct crm_blob *blob, void *buf, int n, long long off)
{
	struct pg_blob *b = (struct pg_blob *)blob;
	drain(b->pc);
	if (lo_lseek64(b->conn, b->fd, off, SEEK_SET) < 0)
		return CRM_SQL_ERROR;
	char *p = buf;
	while (n > 0) {
		int got = lo_read(b->conn, b->fd, p, (size_t)n);
		if (got <= 0)
			return CRM_SQL_ERROR;
		p += got;
		n -= got;
	}
	return CRM_SQL_OK;
}

static int pg_blob_write(struct crm_blob *blob, const void *buf, int n, long long off)
{
	struct pg_blob *b = (struct pg_blob *)blob;
	drain(b->pc);
	if (lo_lseek64(b->conn, b->fd, off, SEEK_SET) < 0)
		return CRM_SQL_ERROR;
	const char *p = buf;
	while (n > 0) {
		int put = lo_write(b->conn, b->fd, p, (size_t)n);
		if (put <= 0)
			return CRM_SQL_ERROR;
		p += put;
		n -= put;
	}
	return CRM_SQL_OK;
}

static int pg_blob_close(struct crm_blob *blob)
{
	struct pg_blob *b = (struct pg_blob *)blob;
	if (!b)
		return CRM_SQL_OK;
	drain(b->pc);
	int rc = lo_close(b->conn, b->fd) < 0 ? CRM_SQL_ERROR : CRM_SQL_OK;
	free(b);
	return rc;
}

/* ---------------------------------------------------------------- schema */

/* The schema version is the one row of crm_schema; a database with tables but no crm_schema is
 * another program's. */
static int pg_schema_version(struct crm *crm, int *version, int *foreign)
{
	struct pg_conn *pc = PG(crm);
	drain(pc);
	PGresult *res = PQexec(pc->conn, "SELECT to_regclass('crm_schema') IS NOT NULL, (SELECT count(*) FROM "
				       "pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace)");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = status_of(pc, res);
		PQclear(res);
		return rc;
	}
	int have_table = *PQgetvalue(res, 0, 0) == 't';
	long long tables = atoll(PQgetvalue(res, 0, 1));
	PQclear(res);
	*version = 0;
	*foreign = !have_table && tables > 0;
	if (!have_table)
		return CRM_SQL_OK;
	res = PQexec(pc->conn, "SELECT coalesce(max(version), 0) FROM crm_schema");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = status_of(pc, res);
		PQclear(res);
		return rc;
	}
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return CRM_SQL_OK;
}

static int pg_set_schema_version(struct crm *crm, int version)
{
	char sql[160];
	snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS crm_schema (version integer NOT NULL); "
		 "DELETE FROM crm_schema; INSERT INTO crm_schema VALUES (%d)", version);
	return exec_simple(PG(crm), sql);
}

/* Two first commands on a new database must not both create it: migrations hold a lock that
 * lasts the session's migration (an advisory lock, released at the end). */
static int pg_migrate_begin(struct crm *crm) { return exec_simple(PG(crm), "SELECT pg_advisory_lock(4242001)"); }
static int pg_migrate_end(struct crm *crm) { return exec_simple(PG(crm), "SELECT pg_advisory_unlock(4242001)"); }
static int pg_migrate_check(struct crm *crm, struct crm_err *err)
{
	(void)crm;
	(void)err;
	return CRM_OK; /* foreign keys are checked as each statement runs */
}

/* A table's numbers come from the identity sequence of its id column (none: 0). */
static int pg_seq_get(struct crm *crm, const char *table, long long *last)
{
	struct pg_conn *pc = PG(crm);
	const char *vals[1] = { table };
	*last = 0;
	drain(pc);
	PGresult *res = PQexecParams(pc->conn, "SELECT pg_get_serial_sequence($1, 'id')", 1, NULL, vals, NULL, NULL, 0);
	int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? CRM_SQL_OK : status_of(pc, res);
	if (rc != CRM_SQL_OK || PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return rc;
	}
	char *sql = NULL;
	size_t n = strlen(PQgetvalue(res, 0, 0)) + 80;
	sql = malloc(n);
	if (!sql)
		abort();
	snprintf(sql, n, "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %s",
		 PQgetvalue(res, 0, 0));
	PQclear(res);
	res = PQexec(pc->conn, sql);
	free(sql);
	rc = PQresultStatus(res) == PGRES_TUPLES_OK ? CRM_SQL_OK : status_of(pc, res);
	if (rc == CRM_SQL_OK && PQntuples(res) == 1)
		*last = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

static int pg_seq_set(struct crm *crm, const char *table, long long last)
{
	struct pg_conn *pc = PG(crm);
	char num[32];
	snprintf(num, sizeof num, "%lld", last);
	const char *vals[2] = { table, num };
	drain(pc);
	PGresult *res = PQexecParams(pc->conn, "SELECT setval(pg_get_serial_sequence($1, 'id'), greatest($2::bigint, 1), "
				     "$2::bigint > 0) WHERE pg_get_serial_sequence($1, 'id') IS NOT NULL", 2, NULL, vals,
				     NULL, NULL, 0);
	int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? CRM_SQL_OK : status_of(pc, res);
	PQclear(res);
	return rc;
}

/* ---------------------------------------------------------------- what an import plans by */

/* One row of a catalog query with text parameters: 1 when it returned a row whose first column
 * is true. */
static int catalog_true(struct pg_conn *pc, const char *sql, int n, const char *const *vals)
{
	drain(pc);
	PGresult *res = PQexecParams(pc->conn, sql, n, NULL, vals, NULL, NULL, 0);
	int yes = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && *PQgetvalue(res, 0, 0) == 't';
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		status_of(pc, res);
	PQclear(res);
	return yes;
}

static int pg_has_column(struct crm *crm, const char *table, const char *column)
{
	const char *vals[2] = { table, column };
	return catalog_true(PG(crm), "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) "
			    "AND attname = $2 AND attnum > 0 AND NOT attisdropped)", 2, vals);
}

/* As SQLite lists them: the primary key (SQLite's rowid) is no index; partial ones count. */
static int pg_unique_over(struct crm *crm, const char *table, const char *const *columns, int n)
{
	struct sbuf list = { 0 };
	sb_puts(&list, "{");
	for (int i = 0; i < n; i++) { /* an array literal of plain column names */
		if (i)
			sb_puts(&list, ",");
		sb_puts(&list, "\"");
		for (const char *c = columns[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				sb_puts(&list, "\\");
			sb_put(&list, c, 1);
		}
		sb_puts(&list, "\"");
	}
	sb_puts(&list, "}");
	char count[16];
	snprintf(count, sizeof count, "%d", n);
	const char *vals[3] = { table, list.s, count };
	int yes = catalog_true(PG(crm), "SELECT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass($1) "
			       "AND i.indisunique AND NOT i.indisprimary AND i.indnkeyatts = $3::int "
			       "AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum > 0 "
			       "AND a.attnum = ANY (i.indkey::int2[]) AND a.attname = ANY ($2::text[])) = $3::int)", 3, vals);
	free(list.s);
	return yes;
}

/* Generated from core/sql/pg/NNN_*.sql by the Makefile, in order, NULL-terminated. */
extern const char *const crm_migrations_pg[];

const struct crm_store_ops crm_store_pg = {
	.name = "postgresql",
	.migrations = crm_migrations_pg,
	.unicode_nocase = 1,
	/* Writers never lose an update: two transactions that would are told apart by
	 * SERIALIZABLE, and the loser is retried (CRM_SQL_BUSY_RETRY). */
	.begin_write = "BEGIN ISOLATION LEVEL SERIALIZABLE",
	.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	/* A queue's takers lock the row they take and pass over the others' (no serialization
	 * failure for two senders that each take a different notification). */
	.begin_queue = "BEGIN ISOLATION LEVEL READ COMMITTED",
	.skip_locked = "FOR UPDATE SKIP LOCKED",
	.references = "SELECT cl.relname::text, a.attname::text FROM pg_constraint c "
		      "JOIN pg_class cl ON cl.oid = c.conrelid "
		      "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
		      "WHERE c.contype = 'f' AND c.confrelid = to_regclass(?1) ORDER BY 1, 2",
	.prepare = pg_prepare,
	.exec = pg_exec,
	.errmsg = pg_errmsg,
	.last_id = pg_last_id,
	.changes = pg_changes,
	.total_changes = pg_total_changes,
	.max_length = pg_max_length,
	.in_transaction = pg_in_transaction,
	.session_set = pg_session_set,
	.login = pg_login,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.set_schema_version = pg_set_schema_version,
	.migrate_begin = pg_migrate_begin,
	.migrate_check = pg_migrate_check,
	.migrate_end = pg_migrate_end,
	.blob_create = pg_blob_create,
	.blob_open = pg_blob_open,
	.blob_size = pg_blob_size,
	.blob_read = pg_blob_read,
	.blob_write = pg_blob_write,
	.blob_close = pg_blob_close,
	.seq_get = pg_seq_get,
	.seq_set = pg_seq_set,
	.search = {
		.rm = "DELETE FROM search_index WHERE kind = ?1 AND record_id = ?2",
		.put = "INSERT INTO search_index (kind, record_id, label, body, tsv) VALUES (?1, ?2, ?3, ?4, "
		       "setweight(to_tsvector('simple', coalesce(?5, '')), 'A') || to_tsvector('simple', coalesce(?6, ''))) "
		       "ON CONFLICT (kind, record_id) DO UPDATE SET label = EXCLUDED.label, body = EXCLUDED.body, "
		       "tsv = EXCLUDED.tsv",
		.clear = "DELETE FROM search_index",
		.query = "SELECT s.kind, s.record_id, s.label, s.body FROM search_index s "
			 "WHERE s.tsv @@ to_tsquery('simple', ?1) AND (?2 IS NULL OR s.kind = ?2) "
			 "ORDER BY ts_rank(s.tsv, to_tsquery('simple', ?1)) DESC, s.record_id, s.kind LIMIT ?3",
		.open = "", .between = " <-> ", .close = ":*", .and = " & ",
		.ids = "FROM search_index WHERE tsv @@ to_tsquery('simple', ?)",
		.after_commit = 1,
		.lock = "SELECT count(pg_advisory_xact_lock(r)) FROM unnest(?1::bigint[]) r",
		.in = " = ANY (?1::bigint[])",
		.put_many = "INSERT INTO search_index (kind, record_id, label, body, tsv) SELECT k, r, l, b, "
			    "setweight(to_tsvector('simple', coalesce(lw, '')), 'A') || to_tsvector('simple', coalesce(bw, '')) "
			    "FROM unnest(?1::text[], ?2::bigint[], ?3::text[], ?4::text[], ?5::text[], ?6::text[]) "
			    "AS u(k, r, l, b, lw, bw) "
			    "ON CONFLICT (kind, record_id) DO UPDATE SET label = EXCLUDED.label, body = EXCLUDED.body, "
			    "tsv = EXCLUDED.tsv",
		.rm_many = "DELETE FROM search_index WHERE kind = ?1 AND record_id = ANY (?2::bigint[])",
	},
	.has_column = pg_has_column,
	.unique_over = pg_unique_over,
	.ahead_begin = pg_ahead_begin,
	.ahead_failed = pg_ahead_failed,
	.ahead_end = pg_ahead_end,
};

int crm_store_is_url(const char *path)
{
	return path && (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0);
}

/* The URL without its password, for messages, files and listings: none in the userinfo
 * ("alice:pw@" becomes "alice@") and no password=... parameter in the query string. */
char *crm_store_url_display(const char *url)
{
	char *d = xstrdup(url);
	char *scheme = strstr(d, "://");
	if (!scheme)
		return d;
	char *auth = scheme + 3, *at = strchr(auth, '@'), *slash = strchr(auth, '/'), *q = strchr(auth, '?');
	if (at && (!slash || at < slash) && (!q || at < q)) {
		char *colon = memchr(auth, ':', (size_t)(at - auth));
		if (colon)
			memmove(colon, at, strlen(at) + 1);
	}
	char *query = strchr(d, '?');
	if (!query)
		return d;
	char *p = query + 1;
	while (*p) {
		char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len >= 9 && strncmp(p, "password=", 9) == 0) {
			/* drop the parameter and its separator */
			if (amp)
				memmove(p, amp + 1, strlen(amp + 1) + 1);
			else if (p[-1] == '&' || p[-1] == '?')
				p[-1] = '\0';
			else
				*p = '\0';
			continue;
		}
		p = amp ? amp + 1 : p + len;
	}
	return d;
}

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int load_id_tables(struct pg_conn *pc)
{
	/* pg_catalog, not information_schema: its views cost milliseconds a command. */
	drain(pc);
	PGresult *res = PQexec(pc->conn, "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
				       "WHERE a.attname = 'id' AND NOT a.attisdropped AND c.relkind = 'r' AND "
				       "c.relnamespace = current_schema()::regnamespace");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = status_of(pc, res);
		PQclear(res);
		return rc;
	}
	for (size_t i = 0; i < pc->n_id_tables; i++)
		free(pc->id_tables[i]);
	free(pc->id_tables);
	pc->n_id_tables = (size_t)PQntuples(res);
	pc->id_tables = calloc(pc->n_id_tables ? pc->n_id_tables : 1, sizeof *pc->id_tables);
	if (!pc->id_tables)
		abort();
	for (size_t i = 0; i < pc->n_id_tables; i++)
		pc->id_tables[i] = xstrdup(PQgetvalue(res, (int)i, 0));
	PQclear(res);
	return CRM_SQL_OK;
}

int crm_store_pg_open(struct crm *crm, int readonly, long timeout_ms, struct crm_err *err)
{
	int lrc = crm_lazy_pq(err);
	if (lrc)
		return lrc;
	struct pg_conn *pc = calloc(1, sizeof *pc);
	if (!pc)
		abort();
	crm->db = pc;
	crm->store = &crm_store_pg;
	pc->conn = PQconnectdb(crm->db_path);
	char *shown = crm_db_location_display(crm->db_path);
	int rc = CRM_OK;
	if (PQstatus(pc->conn) != CONNECTION_OK) {
		set_error(pc, PQerrorMessage(pc->conn));
		rc = crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", shown, pc->errmsg);
		goto out;
	}
	char sql[256];
	/* Quiet notices, UTC times, a lock wait as long as SQLite's busy timeout; a read-only
	 * command's session refuses every write, as SQLite's query_only does. */
	snprintf(sql, sizeof sql, "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET lock_timeout = %ld; "
		 "SET default_transaction_read_only = %s", timeout_ms, readonly ? "on" : "off");
	if (exec_simple(pc, sql) != CRM_SQL_OK) {
		rc = crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", shown, pc->errmsg);
		goto out;
	}
	/* 'localtime' (date filters) is the client's zone, as on SQLite, not the server's: the
	 * session's TimeZone is set from it, bound as a value; a zone the server does not know
	 * leaves UTC. */
	char zone[512];
	crm_zone_name(crm->env.tz, zone, sizeof zone);
	const char *tzname[] = { "TimeZone" }, *tzval[] = { zone };
	if (strcmp(zone, "UTC") != 0 && pg_session_set(crm, 1, tzname, tzval) != CRM_SQL_OK)
		exec_simple(pc, "SET TIME ZONE 'UTC'");
	PQsetNoticeProcessor(pc->conn, ignore_notice, NULL);
	if (load_id_tables(pc) != CRM_SQL_OK)
		rc = crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", shown, pc->errmsg);
out:
	free(shown);
	return rc;
}

/* After migrations: new tables may have an id column. */
int crm_store_pg_ready(struct crm *crm, struct crm_err *err)
{
	if (load_id_tables(PG(crm)) != CRM_SQL_OK)
		return crm_error(err, CRM_EFAIL, "reading the schema: %s", PG(crm)->errmsg);
	return CRM_OK;
}

const char *crm_store_pg_client_version(void)
{
	static char text[32];
	struct crm_err err;
	if (crm_lazy_pq(&err) != CRM_OK)
		return NULL;
	int v = PQlibVersion(); /* 150010 for 15.10 (major * 10000 + minor since version 10) */
	snprintf(text, sizeof text, "%d.%d", v / 10000, v % 10000);
	return text;
}
