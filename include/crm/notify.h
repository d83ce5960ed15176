/* Notifications: an outbox filled by every ticket operation and emptied by `crm notify send`
 * through the command the configuration names (notify.command, e.g. "sendmail -t"), which
 * reads one whole message (headers, blank line, body) on its standard input.
 *
 * Delivery is at least once and, for senders that overlap, exactly once: a sender claims one
 * message at a time in a write transaction (a lease), runs the command, and marks the message
 * delivered only when the command exited 0; a failure is retried later with a growing delay. */
#ifndef CRM_NOTIFY_H
#define CRM_NOTIFY_H

#include "crm/crm.h"
#include "crm/printer.h"

/* Who a ticket notification goes to. */
enum crm_notify_to {
	CRM_NOTIFY_CONCERNED = 1 << 0, /* assignee (or the group's members), reporter, contact, watchers */
	CRM_NOTIFY_ASSIGNEE  = 1 << 1, /* the assignee (or the group's members) only */
};

/* Queue one message per recipient (by e-mail address, each once, the acting user left out)
 * about an operation on a ticket. extra_logins (comma-separated, may be NULL) adds users. */
int crm_notify_ticket(struct crm *crm, long long ticket_id, const char *event, const char *what,
		      const char *text, unsigned to, const char *extra_logins, struct crm_err *err);

struct crm_notify_result {
	long long delivered, failed;
};

/* Deliver what is due. Returns CRM_OK when the run itself worked (failures are counted in
 * res and retried by a later run), CRM_ECONFIG without a command. */
int crm_notify_send(struct crm *crm, long long limit, struct crm_notify_result *res,
		    struct crm_err *err);

/* The outbox, newest last; pending_only: not yet delivered. */
int crm_notify_list(struct crm *crm, int pending_only, struct crm_printer *p, struct crm_err *err);

#endif
