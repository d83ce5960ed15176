/* Opening the database: location, permissions, pragmas, migrations, first admin. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crm/crm.h"
#include "crm/custom.h"
#include "fold.h"
#include "crm/workflow.h"
#include "crm/date.h"
#include "crm/ticket.h"
#include "db.h"

/* Generated from core/sql/NNN_*.sql by the Makefile, in order, NULL-terminated. */
extern const char *const crm_migrations[];

int crm_schema_version(void)
{
	int n = 0;
	while (crm_migrations[n])
		n++;
	return n;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

char *crm_default_db_path(const struct crm_config *cfg, const struct crm_env *env)
{
	const char *set = cfg ? crm_config_get(cfg, "database") : NULL;
	if (set && *set)
		return xstrdup(set);
	const char *xdg = env ? env->xdg_data_home : NULL;
	if (xdg)
		return path_join(xdg, "crm/crm.db");
	const char *home = env ? env->home : NULL;
	if (!home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	return path_join(home, ".local/share/crm/crm.db");
}

char *crm_current_login(const struct crm_config *cfg, const struct crm_env *env)
{
	const char *set = cfg ? crm_config_get(cfg, "user") : NULL;
	if (set && *set)
		return xstrdup(set);
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name)
		return xstrdup(pw->pw_name);
	return xstrdup(env && env->logname ? env->logname : "unknown");
}

/* mkdir -p for the database's directory; private (0700) since it holds the customer data. */
static int make_parents(const char *path, struct crm_err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return CRM_OK;
	}
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				int rc = crm_error(err, CRM_EFAIL, "cannot create directory '%s': %s", dir,
						   strerror(errno));
				free(dir);
				return rc;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	free(dir);
	return CRM_OK;
}

int crm_db_error(struct crm *crm, int rc, const char *doing, struct crm_err *err)
{
	int primary = rc & 0xff;
	const char *msg = crm && crm->db ? sqlite3_errmsg(crm->db) : sqlite3_errstr(rc);
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return crm_error(err, CRM_EBUSY, "database '%s' is busy (%s); try again",
				 crm && crm->db_path ? crm->db_path : "?", doing);
	if (primary == SQLITE_CONSTRAINT)
		return crm_error(err, CRM_ECONFLICT, "%s: %s", doing, msg);
	if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
		return crm_error(err, CRM_EFAIL, "%s: cannot write database '%s': %s", doing,
				 crm && crm->db_path ? crm->db_path : "?", msg);
	if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
		return crm_error(err, CRM_EFAIL, "'%s' is not a crm database or is damaged: %s",
				 crm && crm->db_path ? crm->db_path : "?", msg);
	return crm_error(err, CRM_EFAIL, "%s: %s", doing, msg);
}

int crm_prepare(struct crm *crm, const char *sql, sqlite3_stmt **st, struct crm_err *err)
{
	int rc = sqlite3_prepare_v2(crm->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return crm_db_error(crm, rc, "preparing a query", err);
	return CRM_OK;
}

/* A small open-addressing table from SQL text to a prepared statement. */
struct crm_stmt_cache {
	size_t cap, used;
	char **sql;
	sqlite3_stmt **st;
};

/* FNV-1a over the length and the first and last 48 bytes: statements that share both are told
 * apart by strcmp, and an import looks statements up several times a row. */
static size_t hash_sql(const char *s)
{
	size_t n = strlen(s), h = 1469598103934665603u ^ n;
	for (size_t i = 0; i < n && i < 48; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	for (size_t i = n > 96 ? n - 48 : (n > 48 ? 48 : n); i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static void cache_grow(struct crm_stmt_cache *c)
{
	struct crm_stmt_cache n = { c->cap ? c->cap * 2 : 64, c->used, NULL, NULL };
	n.sql = calloc(n.cap, sizeof *n.sql);
	n.st = calloc(n.cap, sizeof *n.st);
	if (!n.sql || !n.st)
		abort();
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->sql[i])
			continue;
		size_t j = hash_sql(c->sql[i]) & (n.cap - 1);
		while (n.sql[j])
			j = (j + 1) & (n.cap - 1);
		n.sql[j] = c->sql[i];
		n.st[j] = c->st[i];
	}
	free(c->sql);
	free(c->st);
	*c = n;
}

int crm_stmt(struct crm *crm, const char *sql, sqlite3_stmt **st, struct crm_err *err)
{
	if (!crm->stmts) {
		crm->stmts = calloc(1, sizeof *crm->stmts);
		if (!crm->stmts)
			abort();
	}
	struct crm_stmt_cache *c = crm->stmts;
	if (2 * (c->used + 1) > c->cap)
		cache_grow(c);
	size_t i = hash_sql(sql) & (c->cap - 1);
	while (c->sql[i]) {
		if (strcmp(c->sql[i], sql) == 0) {
			*st = c->st[i];
			return CRM_OK;
		}
		i = (i + 1) & (c->cap - 1);
	}
	int rc = sqlite3_prepare_v3(crm->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK)
		return crm_db_error(crm, rc, "preparing a query", err);
	c->sql[i] = xstrdup(sql);
	c->st[i] = *st;
	c->used++;
	return CRM_OK;
}

void crm_stmt_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

static void cache_free(struct crm_stmt_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->sql[i]) {
			sqlite3_finalize(c->st[i]);
			free(c->sql[i]);
		}
	free(c->sql);
	free(c->st);
	free(c);
}

static int exec(struct crm *crm, const char *sql, const char *doing, struct crm_err *err)
{
	int rc = sqlite3_exec(crm->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CRM_OK : crm_db_error(crm, rc, doing, err);
}

/* Transactions begin and end around every write, so around every row of an import: their
 * statements are kept prepared rather than compiled each time. */
static int tx_exec(struct crm *crm, const char *sql, const char *doing, struct crm_err *err)
{
	sqlite3_stmt *st;
	int rc = crm_stmt(crm, sql, &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		rc = crm_db_error(crm, rc, doing, err);
	else
		rc = CRM_OK;
	crm_stmt_done(st);
	return rc;
}

int crm_tx_begin(struct crm *crm, struct crm_err *err)
{
	if (crm->tx_flat && crm->tx_depth) {
		if (crm->tx_depth == 1)
			crm->tx_flat_mark = sqlite3_total_changes64(crm->db);
		crm->tx_depth++;
		return CRM_OK;
	}
	int rc = tx_exec(crm, crm->tx_depth ? "SAVEPOINT crm" : "BEGIN IMMEDIATE", "starting a transaction", err);
	if (rc == CRM_OK)
		crm->tx_depth++;
	return rc;
}

int crm_tx_commit(struct crm *crm, struct crm_err *err)
{
	if (crm->tx_flat && crm->tx_depth > 1) {
		crm->tx_depth--;
		return CRM_OK;
	}
	if (crm->tx_flat > 1 && crm->tx_depth == 1) {
		/* A nested part failed and could not be undone alone: all of it is undone. */
		crm_tx_rollback(crm);
		return crm_error(err, CRM_EFAIL, "a part of the transaction failed; nothing was written");
	}
	int rc = tx_exec(crm, crm->tx_depth > 1 ? "RELEASE crm" : "COMMIT", "committing", err);
	if (rc == CRM_OK)
		crm->tx_depth--;
	else
		crm_tx_rollback(crm);
	return rc;
}

void crm_tx_rollback(struct crm *crm)
{
	if (crm->tx_depth <= 0)
		return;
	if (crm->tx_flat && crm->tx_depth > 1) {
		/* Nothing to undo when nothing was written (a failed statement undoes itself). */
		if (crm->tx_depth > 2 || sqlite3_total_changes64(crm->db) != crm->tx_flat_mark)
			crm->tx_flat = 2;
		crm->tx_depth--;
		return;
	}
	if (crm->tx_flat > 1)
		crm->tx_flat = 1;
	if (crm->tx_depth > 1)
		sqlite3_exec(crm->db, "ROLLBACK TO crm; RELEASE crm", NULL, NULL, NULL);
	else
		sqlite3_exec(crm->db, "ROLLBACK", NULL, NULL, NULL);
	crm->tx_depth--;
}

static int user_version(struct crm *crm, int *version, struct crm_err *err)
{
	sqlite3_stmt *st;
	int rc = crm_prepare(crm, "PRAGMA user_version", &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = crm_db_error(crm, rc, "reading the schema version", err);
		sqlite3_finalize(st);
		return rc;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return CRM_OK;
}

/* The login that creates the database becomes its first admin, so first use needs no set-up. */
static int add_first_admin(struct crm *crm, struct crm_err *err)
{
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	sqlite3_stmt *st;
	int rc = crm_prepare(crm, "INSERT INTO users (login, roles, created, updated) VALUES (?, 'admin', ?, ?)",
			     &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, crm->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, stamp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? CRM_OK : crm_db_error(crm, rc, "adding the first admin", err);
}

/* After a migration: every reference still names a record. */
static int check_foreign_keys(struct crm *crm, struct crm_err *err)
{
	sqlite3_stmt *st;
	int rc = crm_prepare(crm, "PRAGMA foreign_key_check", &st, err);
	if (rc)
		return rc;
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

static int migrate(struct crm *crm, struct crm_err *err)
{
	int have, want = crm_schema_version(), rc;
	if ((rc = user_version(crm, &have, err)))
		return rc;
	if (have > want)
		return crm_error(err, CRM_EFAIL,
				 "database '%s' was written by a newer crm (schema %d; this crm knows %d); "
				 "upgrade crm to use it", crm->db_path, have, want);
	if (have == want)
		return CRM_OK;
	/* Migrations rebuild tables (SQLite cannot change a constraint in place), which with
	 * foreign keys on would delete what other tables refer to. So they run with foreign keys
	 * off, which only takes outside a transaction, and are checked before they commit. */
	if ((rc = exec(crm, "PRAGMA foreign_keys = OFF", "preparing the schema migration", err)))
		return rc;
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	/* Re-read inside the write lock: another process may have migrated meanwhile. */
	if ((rc = user_version(crm, &have, err)))
		goto fail;
	for (int v = have; v < want; v++) {
		char doing[64];
		snprintf(doing, sizeof doing, "applying schema migration %d", v + 1);
		if ((rc = exec(crm, crm_migrations[v], doing, err)))
			goto fail;
	}
	if ((rc = check_foreign_keys(crm, err)))
		goto fail;
	if (have == 0) {
		crm->created = 1;
		if ((rc = add_first_admin(crm, err)))
			goto fail;
	}
	char pragma[48];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", want);
	if ((rc = exec(crm, pragma, "recording the schema version", err)))
		goto fail;
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	if (exec(crm, "PRAGMA foreign_keys = ON", "enabling foreign keys", rc ? NULL : err))
		rc = rc ? rc : CRM_EFAIL;
	return rc;
}

/* Schema version 0 but tables: another program's SQLite file, not to be turned into a crm one.
 * Version and tables are read in one statement, so a crm creating the database meanwhile is not
 * mistaken for a stranger. */
static int refuse_foreign(struct crm *crm, struct crm_err *err)
{
	sqlite3_stmt *st;
	int rc = crm_prepare(crm, "SELECT (SELECT user_version FROM pragma_user_version), "
			     "(SELECT count(*) FROM sqlite_master)", &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = crm_db_error(crm, rc, "reading the schema", err);
		sqlite3_finalize(st);
		return rc;
	}
	int version = sqlite3_column_int(st, 0), tables = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	if (version == 0 && tables > 0)
		return crm_error(err, CRM_EFAIL, "'%s' is not a crm database (it holds tables of another "
				 "program); left unchanged", crm->db_path);
	return CRM_OK;
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
static int open_readonly(struct crm *crm)
{
	const int flags = SQLITE_OPEN_NOMUTEX;
	if (access(crm->db_path, W_OK) == 0) {
		int rc = sqlite3_open_v2(crm->db_path, &crm->db, SQLITE_OPEN_READWRITE | flags, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(crm->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
		return rc;
	}
	size_t n = strlen(crm->db_path);
	char *wal = malloc(n + 5);
	if (!wal)
		abort();
	memcpy(wal, crm->db_path, n);
	memcpy(wal + n, "-wal", 5);
	int has_wal = access(wal, F_OK) == 0;
	free(wal);
	if (has_wal)
		return sqlite3_open_v2(crm->db_path, &crm->db, SQLITE_OPEN_READONLY | flags, NULL);
	char *uri = file_uri(crm->db_path, "?immutable=1");
	int rc = sqlite3_open_v2(uri, &crm->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | flags, NULL);
	free(uri);
	return rc;
}

int crm_open(struct crm **out, struct crm_config *cfg, const struct crm_env *env, unsigned flags,
	     struct crm_err *err)
{
	struct crm *crm = calloc(1, sizeof *crm);
	if (!crm)
		abort();
	crm->cfg = cfg;
	if (env)
		crm->env = *env;
	crm->now = crm_now(crm->env.now);
	crm->db_path = crm_default_db_path(cfg, env);
	crm->user = crm_current_login(cfg, env);
	crm->readonly = (flags & CRM_OPEN_READONLY) != 0;
	int rc;
	/* Checked before the file is touched: atoi would turn "5s" into 5 ms and "soon" into 0. */
	const struct crm_conf_node *tnode = crm_config_node(cfg, "busy_timeout");
	const char *timeout = crm_conf_scalar(tnode);
	long timeout_ms = 5000;
	if (tnode) {
		char *end = NULL;
		errno = 0;
		timeout_ms = timeout && *timeout ? strtol(timeout, &end, 10) : -1;
		if (timeout_ms < 0 || timeout_ms > 24L * 3600 * 1000 || errno || (end && *end)) {
			rc = crm_error(err, CRM_ECONFIG,
				       "%s:%d:%d: busy_timeout must be a number of milliseconds, not %s%s%s",
				       crm_conf_source(tnode), crm_conf_line(tnode), crm_conf_column(tnode),
				       timeout ? "'" : "", timeout ? timeout : "a list or map", timeout ? "'" : "");
			goto fail;
		}
	}
	struct stat sb;
	int exists = stat(crm->db_path, &sb) == 0;
	if (!exists && crm->readonly) {
		/* A read never creates: not the file, not its directory. */
		if (errno == ENOENT)
			rc = crm_error(err, CRM_EFAIL, "no database at '%s'; a command that writes, or 'crm init', "
				       "creates it", crm->db_path);
		else
			rc = crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", crm->db_path, strerror(errno));
		goto fail;
	}
	if (!exists && (rc = make_parents(crm->db_path, err)))
		goto fail;
	/* Create with 0600: the file's permissions are the security boundary. */
	/* One thread uses one connection: no locking on each call, no memory statistics (a lock on
	 * each allocation). The setting only takes before SQLite's first use; later it is refused,
	 * which is harmless. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	mode_t old = umask(077);
	rc = crm->readonly ? open_readonly(crm)
			   : sqlite3_open_v2(crm->db_path, &crm->db,
					     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		rc = crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", crm->db_path,
			       crm->db ? sqlite3_errmsg(crm->db) : sqlite3_errstr(rc));
		goto fail;
	}
	/* SQLite opens a file it may not write read-only without a word, and its first read would
	 * make a -shm file with the database's read-only mode, which would keep the owner from
	 * writing after a chmod u+w. A command that writes stops here instead, having touched
	 * nothing. */
	if (!crm->readonly && sqlite3_db_readonly(crm->db, "main") == 1) {
		rc = crm_error(err, CRM_EFAIL, "cannot write database '%s': permission denied (commands that only "
			       "read can use it)", crm->db_path);
		goto fail;
	}
	sqlite3_extended_result_codes(crm->db, 1);
	sqlite3_busy_timeout(crm->db, (int)timeout_ms);
	crm_fold_attach(crm->db); /* folded keys: written by migration 006, compared by filters */
	if ((rc = exec(crm, "PRAGMA foreign_keys = ON", "enabling foreign keys", err)))
		goto fail;
	/* A database from a newer crm is refused before anything (even the journal mode) is written. */
	int have;
	if ((rc = user_version(crm, &have, err)))
		goto fail;
	if (have > crm_schema_version()) {
		rc = crm_error(err, CRM_EFAIL,
			       "database '%s' was written by a newer crm (schema %d; this crm knows %d); "
			       "upgrade crm to use it", crm->db_path, have, crm_schema_version());
		goto fail;
	}
	if (have == 0 && (rc = refuse_foreign(crm, err)))
		goto fail;
	if (crm->readonly) {
		/* A read-only open neither sets up nor upgrades the database: that is a write. */
		if (have == 0)
			rc = crm_error(err, CRM_EFAIL, "'%s' is an empty file, not a crm database yet; a command "
				       "that writes, or 'crm init', sets it up", crm->db_path);
		else if (have < crm_schema_version())
			rc = crm_error(err, CRM_EFAIL, "database '%s' has schema %d and this crm needs %d; a command "
				       "that writes, or 'crm init', upgrades it", crm->db_path, have,
				       crm_schema_version());
		if (rc)
			goto fail;
	} else {
		if ((rc = exec(crm, "PRAGMA journal_mode = WAL", "opening the database", err)))
			goto fail;
		if ((rc = migrate(crm, err)))
			goto fail;
	}
	/* Custom fields join the kinds; the ticket kind's computed fields need their functions. */
	if ((rc = crm_custom_configure(cfg, err)) || (rc = crm_custom_check_tables(crm, err)) ||
	    (rc = crm_ticket_attach(crm, err)))
		goto fail;
	*out = crm;
	return CRM_OK;
fail:
	crm_close(crm);
	*out = NULL;
	return rc;
}

void crm_close(struct crm *crm)
{
	if (!crm)
		return;
	cache_free(crm->stmts);
	if (crm->db)
		sqlite3_close(crm->db);
	crm_custom_reset();
	crm_workflow_reset();
	free(crm->db_path);
	free(crm->user);
	free(crm);
}

const char *crm_storage_version(void)
{
	return sqlite3_libversion();
}

const char *crm_user(const struct crm *crm)
{
	return crm->user;
}

const char *crm_db_path(const struct crm *crm)
{
	return crm->db_path;
}

time_t crm_time(const struct crm *crm)
{
	return crm->now;
}

void crm_set_time(struct crm *crm, time_t now)
{
	crm->now = now;
}

int crm_created(const struct crm *crm)
{
	return crm->created;
}

int crm_atomic(struct crm *crm, int (*fn)(struct crm *crm, void *ctx, struct crm_err *err), void *ctx,
	       struct crm_err *err)
{
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	rc = fn(crm, ctx, err);
	if (rc) {
		crm_tx_rollback(crm);
		return rc;
	}
	return crm_tx_commit(crm, err);
}
