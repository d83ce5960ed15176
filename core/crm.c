/* Opening the database: location, permissions, pragmas, migrations, first admin. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <pwd.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crm/crm.h"
#include "crm/money.h"
#include "crm/auth.h"
#include "crm/custom.h"
#include "crm/search.h"
#include "fold.h"
#include "crm/workflow.h"
#include "crm/date.h"
#include "crm/ticket.h"
#include "db.h"

/* Both backends number their migrations alike: the schema version is one across them. */
int crm_schema_version(void)
{
	int n = 0;
	while (crm_store_sqlite.migrations[n])
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

char *crm_os_login(void)
{
	uid_t uid = getuid();
	struct passwd *pw = getpwuid(uid);
	if (pw && pw->pw_name && *pw->pw_name)
		return xstrdup(pw->pw_name);
	char num[32];
	snprintf(num, sizeof num, "#%lu", (unsigned long)uid);
	return xstrdup(num);
}

char *crm_current_login(const struct crm_config *cfg, const struct crm_env *env)
{
	(void)env;
	const char *set = cfg ? crm_config_get(cfg, "user") : NULL;
	if (set && *set)
		return xstrdup(set);
	return crm_os_login();
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
	if (rc == CRM_SQL_BUSY_RETRY) {
		if (crm)
			crm->retry = 1;
		return crm_error(err, CRM_EBUSY, "%s: another writer changed the same records at the same time; "
				 "nothing was written, try again", doing);
	}
	const char *msg = crm && crm->db ? crm_store_errmsg(crm, 0) : crm_store_errmsg(NULL, rc);
	if (primary == CRM_SQL_BUSY || primary == CRM_SQL_LOCKED)
		return crm_error(err, CRM_EBUSY, "database '%s' is busy (%s); try again",
				 crm && crm->db_shown ? crm->db_shown : "?", doing);
	if (primary == CRM_SQL_CONSTRAINT)
		return crm_error(err, CRM_ECONFLICT, "%s: %s", doing, msg);
	/* A server's grants are the login's, not crm's roles: say so, and where the grants are
	 * written, rather than "cannot write" for what may be a read. */
	if (primary == CRM_SQL_PERM)
		return crm_error(err, CRM_EPERM, "%s: database '%s' refuses this login: %s; the "
				 "database's owner grants a login access (README, \"What exit 5 does and "
				 "does not guarantee\")", doing, crm && crm->db_shown ? crm->db_shown : "?", msg);
	if (primary == CRM_SQL_READONLY || primary == CRM_SQL_CANTOPEN)
		return crm_error(err, CRM_EFAIL, "%s: cannot write database '%s': %s", doing,
				 crm && crm->db_shown ? crm->db_shown : "?", msg);
	/* SQLite rolls the transaction back: say so, and where the space ran out */
	if (primary == CRM_SQL_FULL)
		return crm_error(err, CRM_EFAIL, "%s: the disk holding database '%s' is full; nothing was written",
				 doing, crm && crm->db_shown ? crm->db_shown : "?");
	if (primary == CRM_SQL_NOTADB || primary == CRM_SQL_CORRUPT)
		return crm_error(err, CRM_EFAIL, "'%s' is not a crm database or is damaged: %s",
				 crm && crm->db_shown ? crm->db_shown : "?", msg);
	return crm_error(err, CRM_EFAIL, "%s: %s", doing, msg);
}

int crm_prepare(struct crm *crm, const char *sql, crm_stmt **st, struct crm_err *err)
{
	int rc = crm->store->prepare(crm, sql, 0, st);
	if (rc != CRM_SQL_OK)
		return crm_db_error(crm, rc, "preparing a query", err);
	return CRM_OK;
}

/* A small open-addressing table from SQL text to a prepared statement. */
struct crm_stmt_cache {
	size_t cap, used;
	char **sql;
	crm_stmt **st;
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

int crm_stmt_get(struct crm *crm, const char *sql, crm_stmt **st, struct crm_err *err)
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
	int rc = crm->store->prepare(crm, sql, 1, st);
	if (rc != CRM_SQL_OK)
		return crm_db_error(crm, rc, "preparing a query", err);
	c->sql[i] = xstrdup(sql);
	c->st[i] = *st;
	c->used++;
	return CRM_OK;
}

void crm_stmt_done(crm_stmt *st)
{
	if (st) {
		crm_reset(st);
		crm_clear_bindings(st);
	}
}

int crm_query_int64(struct crm *crm, long long *out, struct crm_err *err, const char *sql, const char *binds, ...)
{
	crm_stmt *st;
	*out = 0;
	int rc = crm_stmt_get(crm, sql, &st, err);
	if (rc)
		return rc;
	va_list ap;
	va_start(ap, binds);
	for (int i = 0; binds[i]; i++)
		if (binds[i] == 't')
			crm_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			crm_bind_int64(st, i + 1, va_arg(ap, long long));
	va_end(ap);
	int src = crm_step(st);
	if (src == CRM_SQL_ROW)
		*out = crm_col_int64(st, 0);
	crm_stmt_done(st);
	return src == CRM_SQL_ROW || src == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, src, "reading the database", err);
}

static void cache_free(struct crm_stmt_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->sql[i]) {
			crm_finalize(c->st[i]);
			free(c->sql[i]);
		}
	free(c->sql);
	free(c->st);
	free(c);
}

static int exec(struct crm *crm, const char *sql, const char *doing, struct crm_err *err)
{
	int rc = crm->store->exec(crm, sql);
	return rc == CRM_SQL_OK ? CRM_OK : crm_db_error(crm, rc, doing, err);
}

/* Transactions begin and end around every write, so around every row of an import: their
 * statements are kept prepared rather than compiled each time. */
static int tx_exec(struct crm *crm, const char *sql, const char *doing, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, sql, &st, err);
	if (rc)
		return rc;
	rc = crm_step(st);
	if (rc != CRM_SQL_DONE)
		rc = crm_db_error(crm, rc, doing, err);
	else
		rc = CRM_OK;
	crm_stmt_done(st);
	return rc;
}

static int tx_begin(struct crm *crm, const char *begin, struct crm_err *err)
{
	if (crm->tx_flat && crm->tx_depth) {
		if (crm->tx_depth == 1)
			crm->tx_flat_mark = crm_store_total_changes(crm);
		crm->tx_depth++;
		return CRM_OK;
	}
	int rc = tx_exec(crm, crm->tx_depth ? "SAVEPOINT crm" : begin, "starting a transaction", err);
	if (rc == CRM_OK)
		crm->tx_depth++;
	return rc;
}

int crm_tx_begin(struct crm *crm, struct crm_err *err)
{
	return tx_begin(crm, crm->store->begin_write, err);
}

int crm_tx_begin_queue(struct crm *crm, struct crm_err *err)
{
	return tx_begin(crm, crm->store->begin_queue, err);
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
	if (crm->tx_depth == 1 && crm->nsearch_todo && !crm->store->search.after_commit) {
		int wrc = crm_search_write_pending(crm, err);
		if (wrc) {
			crm_tx_rollback(crm);
			return wrc;
		}
	}
	int rc = tx_exec(crm, crm->tx_depth > 1 ? "RELEASE crm" : "COMMIT", "committing", err);
	if (rc == CRM_OK)
		crm->tx_depth--;
	else
		crm_tx_rollback(crm);
	if (crm->tx_depth == 0) {
		if (rc == CRM_OK)
			crm_search_flush(crm); /* what is written stays written, whatever this does */
		else
			crm_search_drop(crm);
	}
	return rc;
}

void crm_tx_rollback(struct crm *crm)
{
	if (crm->tx_depth <= 0)
		return;
	if (crm->tx_flat && crm->tx_depth > 1) {
		/* Nothing to undo when nothing was written (a failed statement undoes itself). */
		if (crm->tx_depth > 2 || crm_store_total_changes(crm) != crm->tx_flat_mark)
			crm->tx_flat = 2;
		crm->tx_depth--;
		return;
	}
	if (crm->tx_flat > 1)
		crm->tx_flat = 1;
	if (crm->tx_depth > 1)
		crm->store->exec(crm, "ROLLBACK TO crm; RELEASE crm");
	else
		crm->store->exec(crm, "ROLLBACK");
	crm->tx_depth--;
	if (crm->tx_depth == 0)
		crm_search_drop(crm);
}

static int schema_version(struct crm *crm, int *version, int *foreign, struct crm_err *err)
{
	int rc = crm->store->schema_version(crm, version, foreign);
	return rc == CRM_SQL_OK ? CRM_OK : crm_db_error(crm, rc, "reading the schema version", err);
}

/* The login that creates the database becomes its first admin, so first use needs no set-up;
 * so does the user it acts as (--as, CRM_USER, user:) when that is someone else: the system
 * login, so that it may go on acting as others, and the named user, as asked. */
static int add_first_admin(struct crm *crm, struct crm_err *err)
{
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	const char *logins[] = { crm->user, crm->real_user };
	int n = strcmp(crm->user, crm->real_user) != 0 ? 2 : 1, rc = CRM_OK;
	for (int i = 0; i < n && !rc; i++) {
		crm_stmt *st;
		rc = crm_prepare(crm, "INSERT INTO users (login, roles, created, updated) VALUES (?, 'admin', ?, ?)",
				 &st, err);
		if (rc)
			return rc;
		crm_bind_text(st, 1, logins[i]);
		crm_bind_text(st, 2, stamp);
		crm_bind_text(st, 3, stamp);
		rc = crm_step(st);
		crm_finalize(st);
		rc = rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "adding the first admin", err);
	}
	return rc;
}

static int newer_schema(struct crm *crm, int have, int want, struct crm_err *err)
{
	return crm_error(err, CRM_EFAIL,
			 "database '%s' was written by a newer crm (schema %d; this crm knows %d); "
			 "upgrade crm to use it", crm->db_shown, have, want);
}

static int migrate(struct crm *crm, struct crm_err *err)
{
	int have, foreign, want = crm_schema_version(), rc;
	if ((rc = schema_version(crm, &have, &foreign, err)))
		return rc;
	if (have > want)
		return newer_schema(crm, have, want, err);
	if (have == want)
		return CRM_OK;
	if ((rc = crm->store->migrate_begin(crm)) != CRM_SQL_OK)
		return crm_db_error(crm, rc, "preparing the schema migration", err);
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	/* Re-read inside the write lock: another process may have migrated meanwhile. */
	if ((rc = schema_version(crm, &have, &foreign, err)))
		goto fail;
	/* ... perhaps a newer crm: its schema is not written over with an older version. */
	if (have > want) {
		rc = newer_schema(crm, have, want, err);
		goto fail;
	}
	if (have == want)
		goto fail; /* nothing left to do: rc is 0, the empty transaction is rolled back */
	for (int v = have; v < want; v++) {
		char doing[64];
		snprintf(doing, sizeof doing, "applying schema migration %d", v + 1);
		if ((rc = exec(crm, crm->store->migrations[v], doing, err)))
			goto fail;
	}
	if ((rc = crm->store->migrate_check(crm, err)))
		goto fail;
	if (have == 0) {
		crm->created = 1;
		if ((rc = add_first_admin(crm, err)))
			goto fail;
	}
	/* The search index is filled from the records kept so far (and the first admin). */
	if (((have < CRM_SEARCH_MIGRATION && want >= CRM_SEARCH_MIGRATION) ||
	     (have < CRM_SEARCH_KINDS_MIGRATION && want >= CRM_SEARCH_KINDS_MIGRATION) ||
	     (have < CRM_SEARCH_WORDS_MIGRATION && want >= CRM_SEARCH_WORDS_MIGRATION)) &&
	    ((rc = crm_custom_configure(crm->cfg, err)) || (rc = crm_search_rebuild(crm, NULL, err))))
		goto fail;
	if ((rc = crm->store->set_schema_version(crm, want)) != CRM_SQL_OK) {
		rc = crm_db_error(crm, rc, "recording the schema version", err);
		goto fail;
	}
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	if ((foreign = crm->store->migrate_end(crm)) != CRM_SQL_OK && !rc)
		rc = crm_db_error(crm, foreign, "finishing the schema migration", err);
	return rc;
}

int crm_config_values(const struct crm_config *cfg, long *timeout_out, struct crm_err *err)
{
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
			return rc;
		}
	}
	const struct crm_conf_node *cnode = crm_config_node(cfg, "currency");
	if (cnode) {
		const char *cur = crm_conf_scalar(cnode);
		char *canon = NULL;
		struct crm_err ignored = { 0 };
		if (!cur || crm_currency_norm(cur, &canon, &ignored)) {
			rc = crm_error(err, CRM_ECONFIG, "%s:%d:%d: currency must be an ISO 4217 code (EUR, RON, JPY), not %s%s%s",
				       crm_conf_source(cnode), crm_conf_line(cnode), crm_conf_column(cnode),
				       cur ? "'" : "", cur ? cur : "a list or map", cur ? "'" : "");
			return rc;
		}
		free(canon);
	}
	/* a pick-list is its values (a list, or a map whose keys they are): a single text would
	 * let anything through */
	const struct crm_conf_node *lists = crm_config_node(cfg, "picklists");
	for (size_t i = 0; i < crm_conf_count(lists); i++) {
		const struct crm_conf_node *l = crm_conf_child(lists, i);
		if (crm_conf_type(lists) == CRM_CONF_MAP && crm_conf_type(l) != CRM_CONF_SEQ &&
		    crm_conf_type(l) != CRM_CONF_MAP)
			return crm_error(err, CRM_ECONFIG, "%s:%d:%d: picklists.%s must be a list of values ([a, b] in "
					 "the file), not '%s'", crm_conf_source(l), crm_conf_line(l), crm_conf_column(l),
					 crm_conf_key(lists, i), crm_conf_scalar(l) ? crm_conf_scalar(l) : "");
	}
	*timeout_out = timeout_ms;
	return CRM_OK;
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
	crm->db_shown = crm_db_location_display(crm->db_path);
	crm->user = crm_current_login(cfg, env);
	crm->real_user = crm_os_login();
	crm->readonly = (flags & CRM_OPEN_READONLY) != 0;
	int rc;
	long timeout_ms;
	if ((rc = crm_config_values(cfg, &timeout_ms, err)))
		goto fail;
	int server = crm_store_is_url(crm->db_path);
	struct stat sb;
	int exists = server || stat(crm->db_path, &sb) == 0;
	if (!exists && crm->readonly) {
		/* A read never creates: not the file, not its directory. */
		if (errno == ENOENT)
			rc = crm_error(err, CRM_EFAIL, "no database at '%s'; a command that writes, or 'crm init', "
				       "creates it", crm->db_shown);
		else
			rc = crm_error(err, CRM_EFAIL, "cannot open database '%s': %s", crm->db_shown, strerror(errno));
		goto fail;
	}
	if (!exists && (rc = make_parents(crm->db_path, err)))
		goto fail;
	if ((rc = server ? crm_store_pg_open(crm, crm->readonly, timeout_ms, err)
			 : crm_store_sqlite_open(crm, crm->readonly, timeout_ms, err)))
		goto fail;
	/* On a server the database login is the identity: the real user, and the current user
	 * unless --as, CRM_USER or user: names another (which crm_auth_identity then checks). */
	char *login = crm->store->login ? crm->store->login(crm) : NULL;
	if (login) {
		const char *set = cfg ? crm_config_get(cfg, "user") : NULL;
		if (!set || !*set) {
			free(crm->user);
			crm->user = xstrdup(login);
		}
		free(crm->real_user);
		crm->real_user = login;
		crm->login_is_db = 1;
	}
	/* A database from a newer crm is refused before anything (even the journal mode) is written. */
	int have, foreign;
	if ((rc = schema_version(crm, &have, &foreign, err)))
		goto fail;
	if (have > crm_schema_version()) {
		rc = crm_error(err, CRM_EFAIL,
			       "database '%s' was written by a newer crm (schema %d; this crm knows %d); "
			       "upgrade crm to use it", crm->db_shown, have, crm_schema_version());
		goto fail;
	}
	if (foreign) {
		rc = crm_error(err, CRM_EFAIL, "'%s' is not a crm database (it holds tables of another "
			       "program); left unchanged", crm->db_shown);
		goto fail;
	}
	if (crm->readonly) {
		/* A read-only open neither sets up nor upgrades the database: that is a write. */
		if (have == 0)
			rc = crm_error(err, CRM_EFAIL, "'%s' is an empty %s, not a crm database yet; a command "
				       "that writes, or 'crm init', sets it up", crm->db_shown, server ? "database" : "file");
		else if (have < crm_schema_version())
			rc = crm_error(err, CRM_EFAIL, "database '%s' has schema %d and this crm needs %d; a command "
				       "that writes, or 'crm init', upgrades it", crm->db_shown, have,
				       crm_schema_version());
		if (rc)
			goto fail;
	} else {
		if (!server && (rc = crm_store_sqlite_ready(crm, err)))
			goto fail;
		if ((rc = migrate(crm, err)))
			goto fail;
		if (server && (rc = crm_store_pg_ready(crm, err)))
			goto fail;
	}
	/* The roles the database defines join the configured ones. */
	if ((rc = crm_roles_load(crm, err)))
		goto fail;
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
		crm->store->close(crm);
	crm_custom_reset();
	crm_workflow_reset();
	free(crm->db_path);
	free(crm->db_shown);
	free(crm->user);
	free(crm->real_user);
	free(crm->search_todo);
	free(crm->search_lag);
	free(crm);
}

/* Both backends' libraries: "SQLite 3.40.1, libpq 15.10" (libpq "not installed" when it cannot
 * be loaded, since a SQLite-only install need not have it). */
const char *crm_storage_version(void)
{
	static char text[128];
	const char *pq = crm_store_pg_client_version();
	snprintf(text, sizeof text, "SQLite %s, libpq %s", crm_store_sqlite_version(), pq ? pq : "not installed");
	return text;
}

/* The storage interface's connection-wide calls, over the connection's backend. */
int crm_store_prepare(struct crm *crm, const char *sql, crm_stmt **st)
{
	return crm->store->prepare(crm, sql, 0, st);
}

int crm_store_exec(struct crm *crm, const char *sql)
{
	return crm->store->exec(crm, sql);
}

const char *crm_store_errmsg(struct crm *crm, int rc)
{
	return crm ? crm->store->errmsg(crm, rc) : crm_store_sqlite.errmsg(NULL, rc);
}

long long crm_store_last_id(struct crm *crm)
{
	return crm->store->last_id(crm);
}

long long crm_store_changes(struct crm *crm)
{
	return crm->store->changes(crm);
}

long long crm_store_total_changes(struct crm *crm)
{
	return crm->store->total_changes(crm);
}

long long crm_store_max_length(struct crm *crm)
{
	return crm->store->max_length(crm);
}

void crm_store_bulk(struct crm *crm)
{
	if (crm->store->bulk && crm->tx_depth == 0)
		crm->store->exec(crm, crm->store->bulk);
}

int crm_store_in_transaction(struct crm *crm)
{
	return crm->store->in_transaction(crm);
}

int crm_store_session_set(struct crm *crm, int n, const char *const *names, const char *const *values)
{
	return crm->store->session_set ? crm->store->session_set(crm, n, names, values) : CRM_SQL_OK;
}

int crm_store_has_column(struct crm *crm, const char *table, const char *column)
{
	return crm->store->has_column(crm, table, column);
}

int crm_store_unique_over(struct crm *crm, const char *table, const char *const *columns, int n)
{
	return crm->store->unique_over(crm, table, columns, n);
}

int crm_store_ahead_begin(struct crm *crm)
{
	return crm->store->ahead_begin ? crm->store->ahead_begin(crm) : 0;
}

int crm_store_ahead_failed(struct crm *crm)
{
	return crm->store->ahead_failed ? crm->store->ahead_failed(crm) : 0;
}

int crm_store_ahead_end(struct crm *crm)
{
	return crm->store->ahead_end ? crm->store->ahead_end(crm) : CRM_SQL_OK;
}

const char *crm_store_backend(const struct crm *crm)
{
	return crm->store->name;
}

const char *crm_store_references(const struct crm *crm)
{
	return crm->store->references;
}

const char *crm_store_skip_locked(const struct crm *crm)
{
	return crm->store->skip_locked;
}

int crm_blob_create(struct crm *crm, const char *sha256, long long size, long long *blob)
{
	return crm->store->blob_create(crm, sha256, size, blob);
}

int crm_blob_open(struct crm *crm, long long blob, int write, struct crm_blob **b)
{
	return crm->store->blob_open(crm, blob, write, b);
}

long long crm_blob_size(struct crm *crm, struct crm_blob *b)
{
	return crm->store->blob_size(b);
}

int crm_blob_read(struct crm *crm, struct crm_blob *b, void *buf, int n, long long offset)
{
	return crm->store->blob_read(b, buf, n, offset);
}

int crm_blob_write(struct crm *crm, struct crm_blob *b, const void *buf, int n, long long offset)
{
	return crm->store->blob_write(b, buf, n, offset);
}

int crm_blob_close(struct crm *crm, struct crm_blob *b)
{
	return crm->store->blob_close(b);
}

int crm_store_seq_get(struct crm *crm, const char *table, long long *last)
{
	return crm->store->seq_get(crm, table, last);
}

int crm_store_seq_set(struct crm *crm, const char *table, long long last)
{
	return crm->store->seq_set(crm, table, last);
}

const char *crm_user(const struct crm *crm)
{
	return crm->user;
}

const char *crm_real_user(const struct crm *crm)
{
	return crm->real_user;
}

char *crm_db_location_display(const char *location)
{
	return crm_store_is_url(location) ? crm_store_url_display(location) : strdup(location);
}

const char *crm_db_path(const struct crm *crm)
{
	return crm->db_shown;
}

time_t crm_time(const struct crm *crm)
{
	return crm->now;
}

int crm_set_time(struct crm *crm, time_t now, struct crm_err *err)
{
	crm->now = now;
	/* A server's functions read the clock from the session (core/ticket.c): move it there too. */
	if (crm->store->attach_ticket_functions)
		return CRM_OK;
	char stamp[32], today[32];
	crm_time_format_utc(now, stamp, sizeof stamp);
	int rc = crm_date_parse_day("today", now, today, sizeof today, err);
	if (rc)
		return rc;
	const char *names[] = { "crm.now", "crm.today" }, *values[] = { stamp, today };
	int src = crm_store_session_set(crm, 2, names, values);
	return src != CRM_SQL_OK ? crm_db_error(crm, src, "setting the clock", err) : CRM_OK;
}

int crm_created(const struct crm *crm)
{
	return crm->created;
}

int crm_retry_pending(const struct crm *crm)
{
	return crm && crm->retry;
}

int crm_take_retry(struct crm *crm)
{
	int r = crm && crm->retry;
	if (crm)
		crm->retry = 0;
	return r;
}

/* A transaction that lost to a concurrent one (CRM_SQL_BUSY_RETRY) is run again, a few times,
 * after a short random wait: SERIALIZABLE turns lost updates into such failures. */
#define ATOMIC_TRIES 8

int crm_atomic(struct crm *crm, int (*fn)(struct crm *crm, void *ctx, struct crm_err *err), void *ctx,
	       struct crm_err *err)
{
	int rc = CRM_OK;
	for (int attempt = 0; attempt < ATOMIC_TRIES; attempt++) {
		if (attempt)
			crm_retry_wait(attempt);
		crm->retry = 0;
		if ((rc = crm_tx_begin(crm, err)))
			return rc;
		rc = fn(crm, ctx, err);
		if (rc)
			crm_tx_rollback(crm);
		else
			rc = crm_tx_commit(crm, err);
		if (!rc || !crm->retry || crm->tx_depth > 0)
			return rc; /* an outer transaction retries as a whole */
	}
	return rc;
}

void crm_retry_wait(int attempt)
{
	/* 5 to 5 * 2^attempt ms, random: two writers that collided do not collide again in step. */
	static unsigned seed;
	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	long max_us = 5000L << (attempt < 6 ? attempt : 6);
	long us = 5000 + (long)(rand_r(&seed) % (unsigned)max_us);
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}
