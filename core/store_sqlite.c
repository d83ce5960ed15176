/* The SQLite backend of the storage interface (core/store.h): the embedded default, one file.
 * Everything that knows it is SQLite lives here: opening modes, pragmas, the schema version in
 * PRAGMA user_version, foreign-key checks around migrations, incremental blob I/O. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "crm/date.h"
#include "crm/sla.h"
#include "crm/workflow.h"
#include "db.h"
#include "fold.h"
#include "store.h"
#include "util.h"

#define SQ(crm) ((sqlite3 *)(crm)->db)

struct sq_stmt {
	crm_stmt base;
	sqlite3_stmt *st;
};

#define ST(s) (((struct sq_stmt *)(s))->st)

static int sq_step(crm_stmt *s) { return sqlite3_step(ST(s)); }
static void sq_reset(crm_stmt *s) { sqlite3_reset(ST(s)); }
static void sq_clear(crm_stmt *s) { sqlite3_clear_bindings(ST(s)); }
static void sq_finalize(crm_stmt *s)
{
	sqlite3_finalize(ST(s));
	free(s);
}
static void sq_bind_text(crm_stmt *s, int i, const char *v, int how)
{
	sqlite3_bind_text(ST(s), i, v, -1, how == 0 ? SQLITE_STATIC : how == 1 ? SQLITE_TRANSIENT : free);
}
static void sq_bind_int64(crm_stmt *s, int i, long long v) { sqlite3_bind_int64(ST(s), i, v); }
static void sq_bind_double(crm_stmt *s, int i, double v) { sqlite3_bind_double(ST(s), i, v); }
static void sq_bind_null(crm_stmt *s, int i) { sqlite3_bind_null(ST(s), i); }
static const char *sq_col_text(crm_stmt *s, int i) { return (const char *)sqlite3_column_text(ST(s), i); }
static long long sq_col_int64(crm_stmt *s, int i) { return sqlite3_column_int64(ST(s), i); }
static double sq_col_double(crm_stmt *s, int i) { return sqlite3_column_double(ST(s), i); }
static int sq_col_type(crm_stmt *s, int i) { return sqlite3_column_type(ST(s), i); }
static int sq_col_count(crm_stmt *s) { return sqlite3_column_count(ST(s)); }

static const struct crm_stmt_ops sq_stmt_ops = {
	sq_step, sq_reset, sq_clear, sq_finalize, sq_bind_text, sq_bind_int64, sq_bind_double, sq_bind_null,
	sq_col_text, sq_col_int64, sq_col_double, sq_col_type, sq_col_count,
};

static int sq_prepare(struct crm *crm, const char *sql, int persistent, crm_stmt **out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(SQ(crm), sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st);
		*out = NULL;
		return rc;
	}
	struct sq_stmt *s = malloc(sizeof *s);
	if (!s)
		abort();
	s->base.ops = &sq_stmt_ops;
	s->st = st;
	*out = &s->base;
	return SQLITE_OK;
}

static int sq_exec(struct crm *crm, const char *sql) { return sqlite3_exec(SQ(crm), sql, NULL, NULL, NULL); }
static const char *sq_errmsg(struct crm *crm, int rc)
{
	return crm && crm->db && !rc ? sqlite3_errmsg(SQ(crm)) : sqlite3_errstr(rc);
}
static long long sq_last_id(struct crm *crm) { return sqlite3_last_insert_rowid(SQ(crm)); }
static long long sq_changes(struct crm *crm) { return sqlite3_changes64(SQ(crm)); }
static long long sq_total_changes(struct crm *crm) { return sqlite3_total_changes64(SQ(crm)); }
static long long sq_max_length(struct crm *crm) { return sqlite3_limit(SQ(crm), SQLITE_LIMIT_LENGTH, -1); }
static int sq_in_transaction(struct crm *crm) { return !sqlite3_get_autocommit(SQ(crm)); }
static void sq_close(struct crm *crm)
{
	sqlite3_close(SQ(crm));
	crm->db = NULL;
}

/* Documents live in blobs.content; a new one is a zeroblob of its final size, filled in place
 * (SQLite writes its pages without holding the content in memory, content being the row's last
 * column). */
static int sq_blob_create(struct crm *crm, const char *sha256, long long size, long long *blob)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(SQ(crm), "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, zeroblob(?))",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int64(st, 3, size);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	*blob = sqlite3_last_insert_rowid(SQ(crm));
	return SQLITE_OK;
}

static int sq_blob_open(struct crm *crm, long long blob, int write, struct crm_blob **b)
{
	sqlite3_blob *h = NULL;
	int rc = sqlite3_blob_open(SQ(crm), "main", "blobs", "content", blob, write, &h);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(h);
		*b = NULL;
		return rc;
	}
	*b = (struct crm_blob *)h;
	return SQLITE_OK;
}
static long long sq_blob_size(struct crm_blob *b) { return sqlite3_blob_bytes((sqlite3_blob *)b); }
static int sq_blob_read(struct crm_blob *b, void *buf, int n, long long off)
{
	return off > 0x7fffffff ? SQLITE_TOOBIG : sqlite3_blob_read((sqlite3_blob *)b, buf, n, (int)off);
}
static int sq_blob_write(struct crm_blob *b, const void *buf, int n, long long off)
{
	return off > 0x7fffffff ? SQLITE_TOOBIG : sqlite3_blob_write((sqlite3_blob *)b, buf, n, (int)off);
}
static int sq_blob_close(struct crm_blob *b) { return b ? sqlite3_blob_close((sqlite3_blob *)b) : SQLITE_OK; }

/* The schema version is PRAGMA user_version; version 0 with tables is another program's file.
 * Both are read in one statement, so a crm creating the database meanwhile is not mistaken for a
 * stranger. */
static int sq_schema_version(struct crm *crm, int *version, int *foreign)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(SQ(crm), "SELECT (SELECT user_version FROM pragma_user_version), "
				    "(SELECT count(*) FROM sqlite_master)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		*foreign = *version == 0 && sqlite3_column_int(st, 1) > 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int sq_set_schema_version(struct crm *crm, int version)
{
	char pragma[48];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
	return sq_exec(crm, pragma);
}

/* Migrations rebuild tables (SQLite cannot change a constraint in place), which with foreign
 * keys on would delete what other tables refer to. So they run with foreign keys off, which
 * only takes outside a transaction, and are checked before they commit. */
static int sq_migrate_begin(struct crm *crm) { return sq_exec(crm, "PRAGMA foreign_keys = OFF"); }
static int sq_migrate_end(struct crm *crm) { return sq_exec(crm, "PRAGMA foreign_keys = ON"); }

static int sq_migrate_check(struct crm *crm, struct crm_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(SQ(crm), "PRAGMA foreign_key_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return crm_db_error(crm, rc, "checking references after the schema migration", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = crm_error(err, CRM_EFAIL, "the schema migration of '%s' would leave %s row %lld referring to a "
			       "missing %s; nothing was changed", crm->db_path, (const char *)sqlite3_column_text(st, 0),
			       (long long)sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		rc = crm_db_error(crm, rc, "checking references after the schema migration", err);
	else
		rc = CRM_OK;
	sqlite3_finalize(st);
	return rc;
}

/* Numbers of AUTOINCREMENT tables are kept in sqlite_sequence; other tables number from their
 * largest row (0 here). */
static int sq_seq_get(struct crm *crm, const char *table, long long *last)
{
	sqlite3_stmt *st;
	*last = 0;
	int rc = sqlite3_prepare_v2(SQ(crm), "SELECT seq FROM sqlite_sequence WHERE name = ?", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc == SQLITE_ERROR ? SQLITE_OK : rc; /* no AUTOINCREMENT table at all */
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int sq_seq_set(struct crm *crm, const char *table, long long last)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(SQ(crm), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND "
				    "sql LIKE '%AUTOINCREMENT%'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? SQLITE_OK : rc;
	rc = sqlite3_prepare_v2(SQ(crm), "DELETE FROM sqlite_sequence WHERE name = ?", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	rc = sqlite3_prepare_v2(SQ(crm), "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, last);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Generated from core/sql/NNN_*.sql by the Makefile, in order, NULL-terminated. */
extern const char *const crm_migrations[];

/* An import: each row is a savepoint (the engine's): SQLite copies the pages a savepoint changes
 * to a sub-journal, which must stay in memory rather than become a temporary file written to for
 * every row. A bigger page cache keeps the indexes' pages from being spilled to the WAL and
 * written again: 44 MiB, what the 64 MiB an import may use leaves after the program itself
 * (about 15 MiB); a million contacts' e-mail index is about 50 MiB, and every MiB of cache saves
 * reading and writing its pages again. Both are for this connection only. */
#define BULK_SETTINGS "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -45056"

/* ---------------------------------------------------------------- the ticket kind's SQL functions
 * Its computed fields (open, response_due, resolution_due, breach, responsible, managers) are
 * these functions over the configured workflow and service levels (core/ticket.c). */

/* Per connection: the workflow and service levels, read on first use. */
struct fn_ctx {
	struct crm *crm;
	struct crm_workflow *wf;
	struct crm_sla *sla;
	int tried;
	char msg[1024];
};

static void fn_ctx_free(void *p)
{
	struct fn_ctx *c = p;
	crm_workflow_free(c->wf);
	crm_sla_free(c->sla);
	free(c);
}

static struct fn_ctx *fn_ctx_get(sqlite3_context *cx)
{
	struct fn_ctx *c = sqlite3_user_data(cx);
	if (!c->tried) {
		struct crm_err err = { 0 };
		c->tried = 1;
		if (crm_workflow_load(c->crm->cfg, "ticket", &c->wf, &err) || crm_sla_load(c->crm->cfg, &c->sla, &err))
			snprintf(c->msg, sizeof c->msg, "%s", err.msg);
	}
	if (c->msg[0]) {
		sqlite3_result_error(cx, c->msg, -1);
		return NULL;
	}
	return c;
}

static time_t arg_time(sqlite3_value *v)
{
	const char *s = (const char *)sqlite3_value_text(v);
	time_t t = s && *s ? crm_time_parse_iso(s) : 0;
	return t == (time_t)-1 ? 0 : t;
}

/* The SLA arguments: priority, opened, responded, resolved, paused_seconds, paused_since. */
static void arg_sla(sqlite3_value **argv, struct crm_sla_ticket *t)
{
	t->priority = (const char *)sqlite3_value_text(argv[0]);
	t->opened = arg_time(argv[1]);
	t->responded = arg_time(argv[2]);
	t->resolved = arg_time(argv[3]);
	t->paused_seconds = sqlite3_value_int64(argv[4]);
	t->paused_since = arg_time(argv[5]);
}

static void fn_open(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct fn_ctx *c = fn_ctx_get(cx);
	const char *status = (const char *)sqlite3_value_text(argv[0]);
	if (!c)
		return;
	if (!status)
		sqlite3_result_null(cx);
	else
		sqlite3_result_int(cx, !crm_workflow_is_resolved(c->wf, status));
}

static void fn_sla_due(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct fn_ctx *c = fn_ctx_get(cx);
	if (!c)
		return;
	const char *which = (const char *)sqlite3_value_text(argv[0]);
	struct crm_sla_ticket t;
	struct crm_sla_state s;
	arg_sla(argv + 1, &t);
	crm_sla_eval(c->sla, &t, c->crm->now, &s);
	time_t due = which && strcmp(which, "response") == 0 ? s.response_due : s.resolution_due;
	if (!due) {
		sqlite3_result_null(cx);
		return;
	}
	char buf[32];
	crm_time_format_utc(due, buf, sizeof buf);
	sqlite3_result_text(cx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_sla_breach(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct fn_ctx *c = fn_ctx_get(cx);
	if (!c)
		return;
	struct crm_sla_ticket t;
	struct crm_sla_state s;
	arg_sla(argv, &t);
	if (!t.opened) {
		sqlite3_result_null(cx);
		return;
	}
	crm_sla_eval(c->sla, &t, c->crm->now, &s);
	sqlite3_result_int(cx, s.response_breach || s.resolution_breach);
}


/* crm_today(): the command's day (crm_time, so CRM_NOW and --now), as crm_date_parse_day says
 * 'today'; PostgreSQL's reads the session's crm.today (core/sql/pg/038). */
static void fn_today(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	struct fn_ctx *c = sqlite3_user_data(cx);
	char day[32];
	struct crm_err err = { 0 };
	if (crm_date_parse_day("today", c->crm->now, day, sizeof day, &err))
		sqlite3_result_error(cx, err.msg, -1);
	else
		sqlite3_result_text(cx, day, -1, SQLITE_TRANSIENT);
}

static void fn_logins(sqlite3_context *cx, sqlite3_value **argv, const char *sql)
{
	struct fn_ctx *c = sqlite3_user_data(cx);
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL && sqlite3_value_type(argv[1]) == SQLITE_NULL) {
		sqlite3_result_null(cx);
		return;
	}
	crm_stmt *st;
	struct crm_err err = { 0 };
	if (crm_stmt_get(c->crm, sql, &st, &err)) {
		sqlite3_result_error(cx, err.msg, -1);
		return;
	}
	for (int i = 0; i < 2; i++)
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			crm_bind_null(st, i + 1);
		else if (sqlite3_value_type(argv[i]) == SQLITE_INTEGER)
			crm_bind_int64(st, i + 1, sqlite3_value_int64(argv[i]));
		else
			crm_bind_text_copy(st, i + 1, (const char *)sqlite3_value_text(argv[i]));
	if (crm_step(st) == CRM_SQL_ROW && crm_col_type(st, 0) != CRM_COL_NULL)
		sqlite3_result_text(cx, (const char *)crm_col_text(st, 0), -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(cx);
	crm_stmt_done(st);
}

/* The assignee, or while there is none the group's members. */
#define RESPONSIBLE_IDS \
	"SELECT ?1 AS id WHERE ?1 IS NOT NULL " \
	"UNION SELECT id FROM users WHERE ?1 IS NULL AND ?2 IS NOT NULL AND " \
	"instr(',' || lower(replace(coalesce(groups, ''), ' ', '')) || ',', ',' || lower(?2) || ',') > 0"

static void fn_responsible(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	fn_logins(cx, argv, "SELECT group_concat(login, ',') FROM (SELECT u.login FROM users u WHERE u.id IN ("
		  RESPONSIBLE_IDS ") ORDER BY u.login)");
}

/* Managers at every level above those responsible (depth-limited: a cycle cannot loop). */
static void fn_managers(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	fn_logins(cx, argv,
		  "WITH RECURSIVE resp(id) AS (" RESPONSIBLE_IDS "), "
		  "chain(id, depth) AS (SELECT u.manager_id, 1 FROM users u JOIN resp r ON u.id = r.id "
		  "WHERE u.manager_id IS NOT NULL UNION SELECT u.manager_id, c.depth + 1 FROM users u "
		  "JOIN chain c ON u.id = c.id WHERE u.manager_id IS NOT NULL AND c.depth < 64) "
		  "SELECT group_concat(login, ',') FROM (SELECT DISTINCT u.login FROM users u "
		  "JOIN chain c ON u.id = c.id ORDER BY u.login)");
}

static int sq_attach_ticket_functions(struct crm *crm, struct crm_err *err)
{
	static const struct {
		const char *name;
		int nargs;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = {
		{ "crm_ticket_open", 1, fn_open },
		{ "crm_sla_due", 7, fn_sla_due },
		{ "crm_sla_breach", 6, fn_sla_breach },
		{ "crm_ticket_responsible", 2, fn_responsible },
		{ "crm_ticket_managers", 2, fn_managers },
		{ "crm_today", 0, fn_today },
	};
	sqlite3 *db = SQ(crm);
	struct fn_ctx *c = xcalloc(1, sizeof *c);
	c->crm = crm;
	/* The first function owns the context and frees it when the connection closes. */
	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
		int rc = sqlite3_create_function_v2(db, fns[i].name, fns[i].nargs, SQLITE_UTF8, c, fns[i].fn,
						    NULL, NULL, i == 0 ? fn_ctx_free : NULL);
		if (rc != CRM_SQL_OK) {
			if (i == 0)
				fn_ctx_free(c);
			return crm_db_error(crm, rc, "registering the ticket functions", err);
		}
	}
	return CRM_OK;
}

/* ---------------------------------------------------------------- what an import plans by */

static int sq_has_column(struct crm *crm, const char *table, const char *column)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(SQ(crm), "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* An INTEGER PRIMARY KEY is the rowid, which pragma_index_list does not list. */
static int sq_unique_over(struct crm *crm, const char *table, const char *const *columns, int n)
{
	char sql[1024];
	int len = snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_index_list(?1) il WHERE il.\"unique\" "
			   "AND (SELECT count(*) FROM pragma_index_info(il.name)) = ?2 "
			   "AND (SELECT count(*) FROM pragma_index_info(il.name) ii WHERE ii.name IN (");
	for (int i = 0; i < n && len < (int)sizeof sql - 16; i++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?%d", i ? ", " : "", i + 3);
	snprintf(sql + len, sizeof sql - (size_t)len, ")) = ?2");
	sqlite3_stmt *st;
	int unique = 0;
	if (sqlite3_prepare_v2(SQ(crm), sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, n);
		for (int i = 0; i < n; i++)
			sqlite3_bind_text(st, i + 3, columns[i], -1, SQLITE_STATIC);
		unique = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	}
	sqlite3_finalize(st);
	return unique;
}

const struct crm_store_ops crm_store_sqlite = {
	.name = "sqlite",
	.bulk = BULK_SETTINGS,
	.migrations = crm_migrations,
	.begin_write = "BEGIN IMMEDIATE",
	.begin_read = "BEGIN",
	.begin_queue = "BEGIN IMMEDIATE",
	.skip_locked = "",
	.references = "SELECT m.name, p.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p "
		      "WHERE m.type = 'table' AND p.\"table\" = ?1 ORDER BY 1, 2",
	.prepare = sq_prepare,
	.exec = sq_exec,
	.errmsg = sq_errmsg,
	.last_id = sq_last_id,
	.changes = sq_changes,
	.total_changes = sq_total_changes,
	.max_length = sq_max_length,
	.in_transaction = sq_in_transaction,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.set_schema_version = sq_set_schema_version,
	.migrate_begin = sq_migrate_begin,
	.migrate_check = sq_migrate_check,
	.migrate_end = sq_migrate_end,
	.blob_create = sq_blob_create,
	.blob_open = sq_blob_open,
	.blob_size = sq_blob_size,
	.blob_read = sq_blob_read,
	.blob_write = sq_blob_write,
	.blob_close = sq_blob_close,
	.seq_get = sq_seq_get,
	.seq_set = sq_seq_set,
	.has_column = sq_has_column,
	.unique_over = sq_unique_over,
	.attach_ticket_functions = sq_attach_ticket_functions,
	.search = {
		.rm = "DELETE FROM search_index WHERE rowid = ?7",
		/* ?1..?4 (kind, number, label, body) are not kept: the row's number says them */
		.put = "INSERT OR REPLACE INTO search_index (rowid, lterms, bterms) VALUES (?7, ?5, ?6)",
		.add = "INSERT INTO search_index (rowid, lterms, bterms) VALUES (?7, ?5, ?6)",
		/* made anew as migration 036 made it: a DELETE took each row's words out of the
		 * index one by one, a third of a rebuild */
		.clear = "DROP TABLE search_index; CREATE VIRTUAL TABLE search_index USING fts5(lterms, bterms, "
			 "tokenize = 'unicode61 remove_diacritics 0', prefix = '3')",
		/* bm25: the label's words weigh ten times the body's. A kind's rows have its code
		 * as rowid % 32, a ticket's comments (negative numbers) the code less 32. */
		.query = "SELECT rowid FROM search_index WHERE search_index MATCH ?1 "
			 "AND (?2 IS NULL OR rowid % 32 IN (?2, ?2 - 32)) "
			 "ORDER BY bm25(search_index, 10.0, 1.0), rowid LIMIT ?3",
		.open = "\"", .between = " ", .close = "\"*", .and = " AND ",
		.words_only = 1,
		.ids = "FROM search_index WHERE search_index MATCH ?",
	},
};

/* crm_fold(text) in SQL: filters compare folded keys with it. */
static void fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	char *f = crm_fold((const char *)sqlite3_value_text(argv[0]));
	sqlite3_result_text(ctx, f, -1, free);
}

int crm_store_sqlite_attach_fold(void *db)
{
	return sqlite3_create_function_v2(db, "crm_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					  NULL, fold_fn, NULL, NULL, NULL);
}

/* "file:" URI of a path, for SQLite's query parameters. */
static char *file_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *uri = malloc(5 + 3 * n + strlen(query) + 1), *o = uri;
	if (!uri)
		abort();
	o += sprintf(o, "file:");
	while (path[0] == '/' && path[1] == '/') /* "file://" would name a host */
		path++;
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("/._-~", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	strcpy(o, query);
	return uri;
}

/* A read-only command's connection: it creates nothing and writes nothing.
 * - A file the user may write is opened read-write without SQLITE_OPEN_CREATE, with
 *   PRAGMA query_only: SQLite refuses every write, and closing removes the -wal and -shm files
 *   as any connection does (a SQLITE_OPEN_READONLY connection would leave them behind).
 * - A file the user may only read, with a -wal file (changes not yet checkpointed, or a writer
 *   at work): SQLITE_OPEN_READONLY, which reads the -wal through a read-only -shm.
 * - A file the user may only read without a -wal file: everything is in the file, which is
 *   opened immutable, so that SQLite makes no -shm either: one made now would have the file's
 *   read-only mode and stop its owner writing after a chmod u+w. */
static int open_readonly(const char *path, sqlite3 **db)
{
	const int flags = SQLITE_OPEN_NOMUTEX;
	if (access(path, W_OK) == 0) {
		int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | flags, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(*db, "PRAGMA query_only = ON", NULL, NULL, NULL);
		return rc;
	}
	size_t n = strlen(path) + 5;
	char *wal = malloc(n);
	if (!wal)
		abort();
	snprintf(wal, n, "%s-wal", path);
	int has_wal = access(wal, F_OK) == 0;
	free(wal);
	if (has_wal)
		return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY | flags, NULL);
	char *uri = file_uri(path, "?immutable=1");
	int rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | flags, NULL);
	free(uri);
	return rc;
}

int crm_store_sqlite_open(struct crm *crm, int readonly, long timeout_ms, struct crm_err *err)
{
	/* One thread uses one connection: no locking on each call, no memory statistics (a lock on
	 * each allocation). The setting only takes before SQLite's first use; later it is refused,
	 * which is harmless. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3 *db = NULL;
	/* Create with 0600: the file's permissions are the security boundary. */
	mode_t old = umask(077);
	int rc = readonly ? open_readonly(crm->db_path, &db)
			  : sqlite3_open_v2(crm->db_path, &db,
					    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	umask(old);
	crm->db = db;
	crm->store = &crm_store_sqlite;
	if (rc != SQLITE_OK)
		return crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", crm->db_path,
				 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	/* SQLite opens a file it may not write read-only without a word, and its first read would
	 * make a -shm file with the database's read-only mode, which would keep the owner from
	 * writing after a chmod u+w. A command that writes stops here instead, having touched
	 * nothing. */
	if (!readonly && sqlite3_db_readonly(db, "main") == 1)
		return crm_error(err, CRM_EFAIL, "cannot write database '%s': permission denied (commands that only "
				 "read can use it)", crm->db_path);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, (int)timeout_ms);
	crm_store_sqlite_attach_fold(db); /* folded keys: written by migration 006, compared by filters */
	if ((rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL)) != SQLITE_OK)
		return crm_db_error(crm, rc, "enabling foreign keys", err);
	return CRM_OK;
}

/* After the schema check: a database that writes keeps its journal in WAL mode. */
int crm_store_sqlite_ready(struct crm *crm, struct crm_err *err)
{
	int rc = sqlite3_exec(SQ(crm), "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	return rc == SQLITE_OK ? CRM_OK : crm_db_error(crm, rc, "opening the database", err);
}

const char *crm_store_sqlite_version(void)
{
	return sqlite3_libversion();
}

