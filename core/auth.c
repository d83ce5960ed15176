/* Permissions: the roles a user holds (users.roles), what each role grants (roles: of the
 * built-in defaults and the system configuration, and the roles table of the database), and
 * who may act as whom. */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/auth.h"
#include "crm/date.h"
#include "util.h"
#include "db.h"

/* Permissions over users and roles (user.add, user.edit, user.role, user.as, ...) are how one
 * gets more: a pattern reaches them only when it is a bare "*" or names them exactly, so that
 * "user.*", "*.add" or "*.edit" granted for convenience is no way to promote oneself. */
static int privileged(const char *permission)
{
	return strncmp(permission, "user.", 5) == 0;
}

static int grant_matches(const char *g, const char *permission)
{
	if (!g)
		return 0;
	if (privileged(permission))
		return strcmp(g, "*") == 0 || strcmp(g, permission) == 0;
	return fnmatch(g, permission, 0) == 0;
}

int crm_role_grants(const struct crm_config *cfg, const char *role, const char *permission)
{
	const struct crm_conf_node *roles = crm_config_node(cfg, "roles");
	const struct crm_conf_node *grants = crm_conf_get(roles, role);
	if (!grants)
		return 0;
	if (crm_conf_type(grants) == CRM_CONF_SCALAR)
		return grant_matches(crm_conf_scalar(grants), permission);
	size_t n = crm_conf_count(grants);
	for (size_t i = 0; i < n; i++)
		if (grant_matches(crm_conf_scalar(crm_conf_child(grants, i)), permission))
			return 1;
	return 0;
}

/* The roles of login in *roles (malloc'd, "" for none): CRM_OK, CRM_ENOTFOUND when login is no
 * crm user (err untouched), or a database error. */
static int user_roles(struct crm *crm, const char *login, char **roles, struct crm_err *err)
{
	crm_stmt *st;
	*roles = NULL;
	int rc = crm_prepare(crm, "SELECT roles FROM users WHERE login = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, login);
	rc = crm_step(st);
	if (rc == CRM_SQL_ROW) {
		const char *r = (const char *)crm_col_text(st, 0);
		*roles = xstrdup(r ? r : "");
		rc = CRM_OK;
	} else {
		rc = rc == CRM_SQL_DONE ? CRM_ENOTFOUND : crm_db_error(crm, rc, "reading the user's roles", err);
	}
	crm_finalize(st);
	return rc;
}

/* CRM_OK when one of roles (comma-separated, of user login) grants permission, -1 when none
 * does, CRM_ECONFIG for a role defined nowhere. */
static int roles_grant(struct crm *crm, const char *login, const char *roles, const char *permission,
		       struct crm_err *err)
{
	char *copy = xstrdup(roles), *save = NULL;
	const struct crm_conf_node *defined = crm_config_node(crm->cfg, "roles");
	int rc = -1;
	for (char *r = strtok_r(copy, ",", &save); r && rc < 0; r = strtok_r(NULL, ",", &save)) {
		if (!crm_conf_get(defined, r))
			rc = crm_error(err, CRM_ECONFIG,
				       "role '%s' of user '%s' is not defined in the configuration (roles:)", r,
				       login);
		else if (crm_role_grants(crm->cfg, r, permission))
			rc = CRM_OK;
	}
	free(copy);
	return rc;
}

int crm_auth_check(struct crm *crm, const char *permission, struct crm_err *err)
{
	char *roles;
	int rc = user_roles(crm, crm->user, &roles, err);
	if (rc == CRM_ENOTFOUND)
		return crm_error(err, CRM_EPERM,
				 "permission denied: '%s' is not a crm user, so may not %s; an admin can add "
				 "them with 'crm user add %s --roles agent'", crm->user, permission, crm->user);
	if (rc)
		return rc;
	rc = roles_grant(crm, crm->user, roles, permission, err);
	if (rc < 0)
		rc = crm_error(err, CRM_EPERM, "permission denied: user '%s' (roles: %s) may not %s", crm->user,
			       *roles ? roles : "none", permission);
	free(roles);
	return rc;
}

int crm_auth_identity(struct crm *crm, struct crm_err *err)
{
	if (strcmp(crm->user, crm->real_user) == 0)
		return CRM_OK;
	/* Logins are compared without regard to case: "--as ROOT" by root is root itself,
	 * recorded as the system spells it. */
	if (strcasecmp(crm->user, crm->real_user) == 0) {
		free(crm->user);
		crm->user = xstrdup(crm->real_user);
		return CRM_OK;
	}
	char *roles;
	int rc = user_roles(crm, crm->real_user, &roles, err);
	if (rc == CRM_ENOTFOUND)
		return crm_error(err, CRM_EPERM,
				 "permission denied: '%s' may not act as '%s' (--as, CRM_USER or user:): the "
				 "%s login '%s' is not a crm user; only an admin, or a role granting "
				 "%s, may act as someone else", crm->real_user, crm->user,
				 crm->login_is_db ? "database" : "system", crm->real_user, CRM_PERM_ACT_AS);
	if (rc)
		return rc;
	rc = roles_grant(crm, crm->real_user, roles, CRM_PERM_ACT_AS, err);
	if (rc < 0)
		rc = crm_error(err, CRM_EPERM,
			       "permission denied: '%s' (roles: %s) may not act as '%s' (--as, CRM_USER or "
			       "user:): only an admin, or a role granting %s, may act as someone else",
			       crm->real_user, *roles ? roles : "none", crm->user, CRM_PERM_ACT_AS);
	free(roles);
	return rc;
}

/* The grants of role (none when it is defined nowhere): *n of them, the i-th by grant_at. */
static size_t grant_count(const struct crm_conf_node *grants)
{
	if (!grants)
		return 0;
	return crm_conf_type(grants) == CRM_CONF_SCALAR ? 1 : crm_conf_count(grants);
}

static const char *grant_at(const struct crm_conf_node *grants, size_t i)
{
	return crm_conf_type(grants) == CRM_CONF_SCALAR ? crm_conf_scalar(grants)
							 : crm_conf_scalar(crm_conf_child(grants, i));
}

/* CRM_OK when the current user's roles grant each of the n patterns (a pattern as one:
 * "contact.*" needs "contact.*" or wider); else CRM_EPERM, "may not <what>, which grants <g>". */
static int holds_all(struct crm *crm, const char *const *grants, size_t n, const char *what, const char *why,
		     struct crm_err *err)
{
	char *mine;
	int rc = user_roles(crm, crm->user, &mine, err);
	if (rc == CRM_ENOTFOUND) {
		mine = xstrdup("");
		rc = CRM_OK;
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *g = grants[i];
		if (!g || !*g)
			continue;
		rc = *mine ? roles_grant(crm, crm->user, mine, g, err) : -1;
		if (rc < 0)
			rc = crm_error(err, CRM_EPERM, "permission denied: user '%s' (roles: %s) may not %s, which "
				       "grants %s: %s", crm->user, *mine ? mine : "none", what, g, why);
	}
	free(mine);
	return rc;
}

/* holds_all over what role grants in the configuration. */
static int holds_role(struct crm *crm, const char *role, const char *what, const char *why, struct crm_err *err)
{
	const struct crm_conf_node *grants = crm_conf_get(crm_config_node(crm->cfg, "roles"), role);
	size_t n = grant_count(grants);
	const char **list = xcalloc(n + 1, sizeof *list);
	for (size_t i = 0; i < n; i++)
		list[i] = grant_at(grants, i);
	int rc = holds_all(crm, list, n, what, why, err);
	free(list);
	return rc;
}

int crm_auth_may_give(struct crm *crm, const char *role, struct crm_err *err)
{
	char what[160];
	snprintf(what, sizeof what, "give role '%s'", role);
	return holds_role(crm, role, what, "only what one's own roles grant can be given", err);
}

/* Is login an admin: does one of their roles grant a bare "*"? */
static int admin_login(struct crm *crm, const char *login, struct crm_err *err)
{
	char *mine;
	if (user_roles(crm, login, &mine, err))
		return 0;
	const struct crm_conf_node *defined = crm_config_node(crm->cfg, "roles");
	char *save = NULL;
	int admin = 0;
	for (char *r = strtok_r(mine, ",", &save); r && !admin; r = strtok_r(NULL, ",", &save)) {
		const struct crm_conf_node *grants = crm_conf_get(defined, r);
		for (size_t i = 0; i < grant_count(grants) && !admin; i++)
			admin = grant_at(grants, i) && strcmp(grant_at(grants, i), "*") == 0;
	}
	free(mine);
	return admin;
}

static int is_admin(struct crm *crm, struct crm_err *err)
{
	return admin_login(crm, crm->user, err);
}

int crm_auth_clock(struct crm *crm, struct crm_err *err)
{
	if (!crm->env.now || !*crm->env.now || admin_login(crm, crm->real_user, err))
		return CRM_OK;
	crm_err_clear(err);
	return crm_error(err, CRM_EPERM, "permission denied: CRM_NOW would date this change; only an admin's "
			 "login sets the clock crm records (unset CRM_NOW)");
}

int crm_auth_may_change_user(struct crm *crm, const char *login, const char *roles, int renames,
			     struct crm_err *err)
{
	int self = login && strcasecmp(login, crm->user) == 0;
	if (self && !renames)
		return CRM_OK;
	if (is_admin(crm, err))
		return CRM_OK;
	if (renames && !self)
		return crm_error(err, CRM_EPERM, "permission denied: user '%s' may not change the login of user '%s': "
				 "only an admin may rename another user", crm->user, login ? login : "?");
	char *copy = xstrdup(roles ? roles : ""), *save = NULL;
	int rc = CRM_OK;
	for (char *r = strtok_r(copy, ",", &save); r && !rc; r = strtok_r(NULL, ",", &save)) {
		char what[256];
		snprintf(what, sizeof what, "change user '%s', who holds role '%s'", login ? login : "?", r);
		rc = holds_role(crm, r, what, "only an admin, or one who holds all that, may change them", err);
	}
	free(copy);
	return rc;
}

/* ---- roles kept in the database ---- */

/* Splits comma-separated grants into a NULL-terminated array of pointers into copy. */
static int split(char *copy, const char **out, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *g = strtok_r(copy, ",", &save); g && n < max; g = strtok_r(NULL, ",", &save))
		out[n++] = g;
	return n;
}

#define MAX_GRANTS 256

int crm_roles_load(struct crm *crm, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT name, grants FROM roles ORDER BY id", &st, err);
	if (rc)
		return rc;
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const char *name = (const char *)crm_col_text(st, 0);
		const char *grants = (const char *)crm_col_text(st, 1);
		char *copy = xstrdup(grants ? grants : ""), path[256];
		const char *list[MAX_GRANTS];
		int n = split(copy, list, MAX_GRANTS);
		snprintf(path, sizeof path, "roles.%s", name ? name : "");
		crm_config_set_list(crm->cfg, path, list, (size_t)n, CRM_ROLES_DATABASE);
		free(copy);
	}
	rc = rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading the roles", err);
	crm_finalize(st);
	return rc;
}

/* A role's name becomes a configuration key and an item of users.roles: no dot, comma, space or
 * control character, not a bare number. */
static int check_name(const char *name, struct crm_err *err)
{
	int digits = 1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p <= ' ' || *p == '.' || *p == ',' || *p == 0x7f)
			return crm_error(err, CRM_EINVALID, "invalid role name '%s': no dots, commas, spaces or "
					 "control characters", name);
		digits &= *p >= '0' && *p <= '9';
	}
	if (!*name || digits)
		return crm_error(err, CRM_EINVALID, "invalid role name '%s'", name);
	return CRM_OK;
}

/* "<noun>.<verb>" patterns: no commas or spaces (the list is stored comma-separated). */
static int check_grant(const char *g, struct crm_err *err)
{
	if (!*g)
		return crm_error(err, CRM_EINVALID, "an empty permission");
	/* A pattern is compared with the patterns one holds as text (crm_auth_may_give): with "*"
	 * the only wildcard, a held pattern that matches a given one's text covers all it grants
	 * (each "*" given is matched by a "*" held); "?", "[...]" or "\\" would break that ("?*"
	 * matches the text "*" yet grants as much). */
	for (const unsigned char *p = (const unsigned char *)g; *p; p++)
		if (*p <= ' ' || *p == ',' || *p == 0x7f || *p == '?' || *p == '[' || *p == ']' || *p == '\\')
			return crm_error(err, CRM_EINVALID, "invalid permission '%s': a pattern like account.add or "
					 "contact.* (no commas or spaces; '*' is the only wildcard)", g);
	return CRM_OK;
}

/* The role's row in the database: its id (0 when none) and grants (malloc'd, NULL when none). */
static int db_role(struct crm *crm, const char *name, long long *id, char **grants, struct crm_err *err)
{
	crm_stmt *st;
	*id = 0;
	*grants = NULL;
	int rc = crm_prepare(crm, "SELECT id, grants FROM roles WHERE name = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, name);
	rc = crm_step(st);
	if (rc == CRM_SQL_ROW) {
		*id = crm_col_int64(st, 0);
		const char *g = (const char *)crm_col_text(st, 1);
		*grants = xstrdup(g ? g : "");
	}
	rc = rc == CRM_SQL_ROW || rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading the role", err);
	crm_finalize(st);
	return rc;
}

/* One history row (kind "role") for a change of a role's grants. */
static int role_history(struct crm *crm, long long id, const char *action, const char *old, const char *new,
			struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "INSERT INTO history (at, user, kind, record_id, action, changes, real_user) "
			     "VALUES (?, ?, 'role', ?, ?, json_object('grants', json_array(?, ?)), ?)", &st, err);
	if (rc)
		return rc;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_bind_text_copy(st, 1, stamp);
	crm_bind_text(st, 2, crm->user);
	crm_bind_int64(st, 3, id);
	crm_bind_text(st, 4, action);
	if (old)
		crm_bind_text(st, 5, old);
	if (new)
		crm_bind_text(st, 6, new);
	if (crm_real_user_differs(crm))
		crm_bind_text(st, 7, crm->real_user);
	rc = crm_step(st);
	crm_finalize(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "recording the role's history", err);
}

/* Runs one statement with ?1 name and, for a definition (grants not NULL), ?2 grants and ?3
 * the time stamp. */
static int role_write(struct crm *crm, const char *sql, const char *name, const char *grants, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_bind_text(st, 1, name);
	if (grants) {
		crm_bind_text(st, 2, grants);
		crm_bind_text_copy(st, 3, stamp);
	}
	rc = crm_step(st);
	crm_finalize(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "writing the role", err);
}

int crm_role_define(struct crm *crm, const char *name, const char *const *grants, int n, int create,
		    struct crm_err *err)
{
	int rc = check_name(name, err);
	for (int i = 0; i < n && !rc; i++)
		rc = check_grant(grants[i], err);
	if (rc)
		return rc;
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(grants[i]) + 1;
	char *joined = xcalloc(1, len), *old = NULL, *now = NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, grants[i]);
	}
	const struct crm_conf_node *defined = crm_conf_get(crm_config_node(crm->cfg, "roles"), name);
	long long id;
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	if ((rc = db_role(crm, name, &id, &old, err)))
		goto fail;
	if (create && id) {
		rc = crm_error(err, CRM_ECONFLICT, "role '%s' is defined already; 'crm user role edit' "
			       "redefines it", name);
		goto fail;
	}
	if (!id && defined) {
		rc = crm_error(err, CRM_ECONFLICT, "role '%s' is defined by the %s configuration, not in the "
			       "database; change it there", name, strcmp(crm_conf_source(defined), "built-in") == 0 ?
			       "built-in" : "system");
		goto fail;
	}
	if (!create && !id) {
		rc = crm_error(err, CRM_ENOTFOUND, "role '%s' not found; 'crm user role add' defines it", name);
		goto fail;
	}
	/* No one defines a role granting more than they hold, nor changes one that does. */
	char what[160];
	snprintf(what, sizeof what, "define role '%s'", name);
	if ((rc = holds_all(crm, grants, (size_t)n, what, "only what one's own roles grant can be given", err)))
		goto fail;
	if (old) {
		char *copy = xstrdup(old);
		const char *list[MAX_GRANTS];
		int nold = split(copy, list, MAX_GRANTS);
		snprintf(what, sizeof what, "change role '%s'", name);
		rc = holds_all(crm, list, (size_t)nold, what, "only one who holds all it grants may change it", err);
		free(copy);
		if (rc)
			goto fail;
	}
	if (id)
		rc = role_write(crm, "UPDATE roles SET grants = ?2, updated = ?3 WHERE name = ?1", name, joined, err);
	else
		rc = role_write(crm, "INSERT INTO roles (name, grants, created, updated) VALUES (?1, ?2, ?3, ?3)",
				name, joined, err);
	if (!rc && !id)
		rc = db_role(crm, name, &id, &now, err);
	if (!rc)
		rc = role_history(crm, id, old ? "edit" : "add", old, joined, err);
	if (!rc)
		rc = crm_tx_commit(crm, err);
	if (rc)
		goto fail;
	char path[256];
	snprintf(path, sizeof path, "roles.%s", name);
	crm_config_set_list(crm->cfg, path, grants, (size_t)n, CRM_ROLES_DATABASE);
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	free(old);
	free(now);
	free(joined);
	return rc;
}

int crm_role_remove(struct crm *crm, const char *name, struct crm_err *err)
{
	long long id;
	char *old = NULL, *holders = NULL;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if ((rc = db_role(crm, name, &id, &old, err)))
		goto fail;
	if (!id) {
		const struct crm_conf_node *n = crm_conf_get(crm_config_node(crm->cfg, "roles"), name);
		rc = n ? crm_error(err, CRM_ECONFLICT, "role '%s' is defined by the %s configuration, not in the "
				   "database; change it there", name,
				   strcmp(crm_conf_source(n), "built-in") == 0 ? "built-in" : "system")
		       : crm_error(err, CRM_ENOTFOUND, "role '%s' not found", name);
		goto fail;
	}
	/* Users holding it would be left with a role defined nowhere: every write of theirs
	 * refused with exit 78. */
	crm_stmt *st;
	if ((rc = crm_prepare(crm, "SELECT login FROM users WHERE instr(',' || replace(coalesce(roles, ''), "
			      "' ', '') || ',', ',' || ? || ',') > 0 ORDER BY login", &st, err)))
		goto fail;
	crm_bind_text(st, 1, name);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const char *login = crm_col_text(st, 0);
		size_t have = holders ? strlen(holders) : 0, add = strlen(login ? login : "");
		holders = xrealloc(holders, have + add + 3);
		snprintf(holders + have, add + 3, "%s%s", have ? ", " : "", login ? login : "");
	}
	rc = rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "finding the role's users", err);
	crm_finalize(st);
	if (!rc && holders)
		rc = crm_error(err, CRM_ECONFLICT, "role '%s' is held by %s; take it from them first (crm user "
			       "edit <login> --roles ...)", name, holders);
	if (!rc)
		rc = role_write(crm, "DELETE FROM roles WHERE name = ?1", name, NULL, err);
	if (!rc)
		rc = role_history(crm, id, "rm", old, NULL, err);
	if (!rc)
		rc = crm_tx_commit(crm, err);
	if (rc)
		goto fail;
	free(old);
	return CRM_OK;
fail:
	crm_tx_rollback(crm);
	free(old);
	free(holders);
	return rc;
}
