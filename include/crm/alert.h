/* Escalation: `crm alert run` (for cron) raises an alert, once per lateness, for every open
 * ticket past a service-level target, addressed to the assignee's manager (alerts.to: manager)
 * or to the holders of a role (alerts.to: role, alerts.role), and for every open task past its due
 * time, addressed to its project's manager, else its assignee's or group's manager (or the
 * role's holders); and queues their notifications. */
#ifndef CRM_ALERT_H
#define CRM_ALERT_H

#include "crm/crm.h"
#include "crm/printer.h"

/* Raise what is due at crm->now; *raised (may be NULL) receives how many were new. Running it
 * again raises nothing new: an alert is unique per ticket, target and opening, and per task and
 * due time. Open offers past their validity date expire in the same run, their owners told
 * (crm/offer.h); *expired (may be NULL) counts them, and *unsent (may be NULL) receives the
 * expiry notices that could not go, a line each (NULL when none; caller frees). */
int crm_alert_run(struct crm *crm, long long *raised, long long *expired, char **unsent, struct crm_err *err);

/* Acknowledge an alert; *already (may be NULL) is set when it was acknowledged before. */
int crm_alert_ack(struct crm *crm, long long id, int *already, struct crm_err *err);

#endif
