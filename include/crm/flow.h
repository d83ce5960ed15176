/* Status flows from the configuration (flows.<kind>): which field a kind's flow governs, where
 * a new record starts, which moves are allowed, and which need a permission of their own. */
#ifndef CRM_FLOW_H
#define CRM_FLOW_H

#include "crm/crm.h"

/* The field kind's flow governs (flows.<kind>.field), or NULL when the kind has no flow. */
const char *crm_flow_field(const struct crm_config *cfg, const char *kind);

/* The value a new record starts at (flows.<kind>.start), or NULL. */
const char *crm_flow_start(const struct crm_config *cfg, const char *kind);

/* May the current user move record `label` of kind from `from` (NULL: new or unset) to `to`?
 * A move the steps (flows.<kind>.steps.<from>: [to, ...]) do not list is CRM_ECONFLICT;
 * reaching a value that names a permission (flows.<kind>.permissions.<to>) needs it
 * (CRM_EPERM otherwise). Staying put is always allowed. */
int crm_flow_check(struct crm *crm, const char *kind, const char *label, const char *from,
		   const char *to, struct crm_err *err);

#endif
