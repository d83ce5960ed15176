/* Escalation: `crm alert run` (for cron) raises an alert, once per lateness, for every open
 * ticket past a service-level target, addressed to the assignee's manager (alerts.to: manager)
 * or to the holders of a role (alerts.to: role, alerts.role), and queues its notification. */
#ifndef CRM_ALERT_H
#define CRM_ALERT_H

#include "crm/crm.h"
#include "crm/printer.h"

/* Raise what is due at crm->now; *raised (may be NULL) receives how many were new. Running it
 * again raises nothing new: an alert is unique per ticket, target and opening. */
int crm_alert_run(struct crm *crm, long long *raised, struct crm_err *err);

/* Alerts, oldest first: unacknowledged ones unless all; only the current user's if mine. */
int crm_alert_list(struct crm *crm, int all, int mine, struct crm_printer *p, struct crm_err *err);

/* Acknowledge an alert; *already (may be NULL) is set when it was acknowledged before. */
int crm_alert_ack(struct crm *crm, long long id, int *already, struct crm_err *err);

#endif
