/* Tickets: support requests that move through the configured workflow (workflow.ticket), are
 * measured against service levels (sla), and queue a notification on every operation.
 *
 * Each operation runs in one transaction: the change through the record engine (validated,
 * with history), an action row (shown by `ticket show`), the SLA clock, the notifications. */
#ifndef CRM_TICKET_H
#define CRM_TICKET_H

#include "crm/crm.h"
#include "crm/printer.h"
#include "crm/record.h"

/* Register the SQL functions the ticket kind's computed fields use (crm_open does this). */
int crm_ticket_attach(struct crm *crm, struct crm_err *err);

/* The computed fields open, response_due, resolution_due and breach evaluated in C, once a
 * row for all four, over the stored columns CRM_TICKET_CLOCK_SQL selects (in that order; tickets
 * aliased t): what the SQL functions of those fields compute, without parsing the row's times
 * once a column, and without SQL functions (a backend may have none). */
#define CRM_TICKET_CLOCK_SQL "t.status, t.priority, t.opened, t.responded, t.resolved, t.paused_seconds, t.paused_since"
struct crm_ticket_clock;
struct crm_ticket_sla {
	int open, breach;                        /* 1, 0, or -1 for null */
	char response_due[32], resolution_due[32]; /* stored UTC timestamps, "" for null */
};
/* Reads workflow.ticket and sla; a configuration error reads as the SQL functions' would. */
int crm_ticket_clock_new(struct crm *crm, struct crm_ticket_clock **out, struct crm_err *err);
void crm_ticket_clock_free(struct crm_ticket_clock *c);
/* status, priority, opened, responded, resolved, paused_since: the columns' text (NULL for null). */
void crm_ticket_clock_eval(const struct crm_ticket_clock *c, const char *status, const char *priority,
			   const char *opened, const char *responded, const char *resolved,
			   long long paused_seconds, const char *paused_since, struct crm_ticket_sla *out);

/* Is the ticket configuration (workflow.ticket, sla, tickets) usable? CRM_ECONFIG if not. */
int crm_ticket_config_check(struct crm *crm, struct crm_err *err);

/* Open a ticket in the workflow's initial status, reported by the current user, with the
 * default priority unless set. assign is a login, "@group", or NULL. */
int crm_ticket_open(struct crm *crm, const char *title, const struct crm_assign *set, int nset,
		    const char *assign, long long *id, struct crm_err *err);

/* Change fields other than status (which moves only by transitions). */
int crm_ticket_edit(struct crm *crm, long long id, const struct crm_assign *set, int nset,
		    struct crm_err *err);

int crm_ticket_comment(struct crm *crm, long long id, const char *text, struct crm_err *err);

/* Give the ticket to a user (login), a group ("@group"), or nobody ("" or NULL). */
int crm_ticket_assign(struct crm *crm, long long id, const char *to, struct crm_err *err);

/* Take the transition named `to`, or leading to status `to`, setting fields on the way and
 * adding comment (may be NULL). Illegal from the current status: CRM_ECONFLICT naming the
 * allowed moves; not for the user's roles: CRM_EPERM; a required field left empty:
 * CRM_EINVALID. *taken (may be NULL) receives the transition's name, static until the next call. */
int crm_ticket_transition(struct crm *crm, long long id, const char *to, const struct crm_assign *set,
			  int nset, const char *comment, const char **taken, struct crm_err *err);

/* Watch (or with stop, stop watching): a user by login (NULL: the current user) or a contact
 * by reference. */
int crm_ticket_watch(struct crm *crm, long long id, const char *login, const char *contact, int stop,
		     struct crm_err *err);

/* Record an action on a ticket (used by alerts and attachments). */
int crm_ticket_action(struct crm *crm, long long id, const char *action, const char *name,
		      const char *from, const char *to, const char *text, struct crm_err *err);

/* A document was attached to the ticket: the action row and the notification. */
int crm_ticket_attached(struct crm *crm, long long id, const char *name, struct crm_err *err);

/* Sections of `ticket show`. With nested set, each is written as a list of maps into a
 * structural printer (after the caller's key); otherwise as a table. p may be NULL to count
 * the rows only; *count (may be NULL) receives how many there are. */
int crm_ticket_transitions_print(struct crm *crm, long long id, struct crm_printer *p, int nested,
				 long long *count, struct crm_err *err);
/* comments: 1 for the comments, 0 for the other actions. */
int crm_ticket_actions_print(struct crm *crm, long long id, int comments, struct crm_printer *p,
			     int nested, long long *count, struct crm_err *err);
int crm_ticket_watchers_print(struct crm *crm, long long id, struct crm_printer *p, int nested,
			      long long *count, struct crm_err *err);
/* A ticket's history is crm_history_print's, as for every kind (crm/record.h). */

/* The current user's roles, comma-separated ("" when not a crm user); caller frees. */
char *crm_user_roles(struct crm *crm);

#endif
