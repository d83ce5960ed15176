/* Roles from the configuration, permissions checked before any change. */
#ifndef CRM_AUTH_H
#define CRM_AUTH_H

#include "crm/crm.h"

/* CRM_OK when one of the current user's roles grants `permission` ("account.add"); otherwise
 * CRM_EPERM with a message naming the user, the roles and the permission. A role the
 * configuration does not define is CRM_ECONFIG. */
int crm_auth_check(struct crm *crm, const char *permission, struct crm_err *err);

/* Does the role's permission list (config roles.<role>) grant permission? */
int crm_role_grants(const struct crm_config *cfg, const char *role, const char *permission);

#endif
