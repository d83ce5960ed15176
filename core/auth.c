/* Permissions: the roles a user holds (users.roles) and what each role grants (config roles). */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "crm/auth.h"
#include "util.h"
#include "db.h"

int crm_role_grants(const struct crm_config *cfg, const char *role, const char *permission)
{
	const struct crm_conf_node *roles = crm_config_node(cfg, "roles");
	const struct crm_conf_node *grants = crm_conf_get(roles, role);
	if (!grants)
		return 0;
	if (crm_conf_type(grants) == CRM_CONF_SCALAR) {
		const char *g = crm_conf_scalar(grants);
		return g && fnmatch(g, permission, 0) == 0;
	}
	size_t n = crm_conf_count(grants);
	for (size_t i = 0; i < n; i++) {
		const char *g = crm_conf_scalar(crm_conf_child(grants, i));
		if (g && fnmatch(g, permission, 0) == 0)
			return 1;
	}
	return 0;
}

int crm_auth_check(struct crm *crm, const char *permission, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT roles FROM users WHERE login = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, crm->user);
	rc = crm_step(st);
	if (rc != CRM_SQL_ROW) {
		crm_finalize(st);
		if (rc != CRM_SQL_DONE)
			return crm_db_error(crm, rc, "reading the user's roles", err);
		return crm_error(err, CRM_EPERM,
				 "permission denied: '%s' is not a crm user, so may not %s; an admin can add "
				 "them with 'crm user add %s --roles agent'", crm->user, permission, crm->user);
	}
	const char *roles = (const char *)crm_col_text(st, 0);
	char *copy = xstrdup(roles ? roles : ""), *save = NULL;
	const struct crm_conf_node *defined = crm_config_node(crm->cfg, "roles");
	rc = -1;
	for (char *r = strtok_r(copy, ",", &save); r && rc < 0; r = strtok_r(NULL, ",", &save)) {
		if (!crm_conf_get(defined, r))
			rc = crm_error(err, CRM_ECONFIG,
				       "role '%s' of user '%s' is not defined in the configuration (roles:)", r,
				       crm->user);
		else if (crm_role_grants(crm->cfg, r, permission))
			rc = CRM_OK;
	}
	if (rc < 0)
		rc = crm_error(err, CRM_EPERM, "permission denied: user '%s' (roles: %s) may not %s", crm->user,
			       roles && *roles ? roles : "none", permission);
	free(copy);
	crm_finalize(st);
	return rc;
}
