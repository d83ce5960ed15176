/* Roles and permissions, checked before any change; who may act as whom. */
#ifndef CRM_AUTH_H
#define CRM_AUTH_H

#include "crm/crm.h"

/* The permission that lets the system login act as another crm user (--as, CRM_USER, user:).
 * Admins have it through "*"; a role granting it makes a configured list of others. */
#define CRM_PERM_ACT_AS "user.as"
/* The source crm config and crm user role list give a role kept in the database. */
#define CRM_ROLES_DATABASE "database"

/* CRM_OK when one of the current user's roles grants `permission` ("account.add"); otherwise
 * CRM_EPERM with a message naming the user, the roles and the permission. A role defined
 * nowhere is CRM_ECONFIG. */
int crm_auth_check(struct crm *crm, const char *permission, struct crm_err *err);

/* May the system login (crm_real_user, which no option or variable sets) act as the current
 * user? Always when they are the same; otherwise only when the system login is a crm user one
 * of whose roles grants CRM_PERM_ACT_AS. CRM_EPERM saying so when not. A new database makes the
 * system login an admin (crm_open), so its creator may go on acting as others. */
int crm_auth_identity(struct crm *crm, struct crm_err *err);

/* May the current user give role (a user's roles: user add, user edit, an import)? Only when
 * their own roles grant each permission the role grants (a pattern as one: "contact.*" needs
 * "contact.*" or wider), so no one hands out more than they hold. CRM_EPERM saying so when not.
 * Permissions over users and roles (user.*) are reached only by a bare "*" or their exact name
 * (crm_role_grants), whatever other patterns say. */
int crm_auth_may_give(struct crm *crm, const char *role, struct crm_err *err);

/* CRM_NOW (a fixed clock) dates what a change records (history, actions, stamps): honoured for
 * a change only when the system login that runs it (crm_real_user, whatever --as says) is an
 * admin; anyone else setting it gets CRM_EPERM, so no one backdates history. */
int crm_auth_clock(struct crm *crm, struct crm_err *err);

/* May the current user change (or remove) user login, who holds roles (comma-separated)?
 * Themselves always, but for renaming: only an admin (a role granting a bare "*") renames
 * another user; anyone else only changes a user all of whose roles they could give
 * (crm_auth_may_give), so no one demotes, renames or removes a user who holds more than they
 * do. CRM_EPERM saying so when not. */
int crm_auth_may_change_user(struct crm *crm, const char *login, const char *roles, int renames,
			     struct crm_err *err);

/* Does the role's permission list (roles.<role> in the configuration, where crm_roles_load
 * puts the database's) grant permission? */
int crm_role_grants(const struct crm_config *cfg, const char *role, const char *permission);

/* Puts the roles the database defines into the configuration (roles.<name>, source
 * CRM_ROLES_DATABASE), beside those of the built-in defaults and the system configuration.
 * crm_open calls it. */
int crm_roles_load(struct crm *crm, struct crm_err *err);

/* Defines role name in the database as granting the n permission patterns (none: a role that
 * grants nothing). create: a new role (CRM_ECONFLICT when the database has it already); else a
 * redefinition of one the database has (CRM_ENOTFOUND when it has none). A name the built-in or
 * system configuration defines is CRM_ECONFLICT (it is changed there); a bad name or pattern is
 * CRM_EINVALID. Leaves a history row (kind "role", changes {"grants": [old, new]}). */
int crm_role_define(struct crm *crm, const char *name, const char *const *grants, int n, int create,
		    struct crm_err *err);

/* Removes the database's role name: CRM_ENOTFOUND when there is none, CRM_ECONFLICT when only the
 * configuration defines it or while users hold it. Leaves a history row. */
int crm_role_remove(struct crm *crm, const char *name, struct crm_err *err);

#endif
