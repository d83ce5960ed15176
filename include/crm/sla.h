/* Service levels: response and resolution targets per priority, and statuses that pause the
 * clock (configuration key sla). The clock runs on wall-clock time, every day of the week. */
#ifndef CRM_SLA_H
#define CRM_SLA_H

#include <time.h>
#include "crm/config.h"
#include "crm/error.h"

enum crm_sla_which { CRM_SLA_RESPONSE, CRM_SLA_RESOLUTION };

struct crm_sla;

/* A duration as "90m", "4h", "2d", "1w", "30s" or a sum of them ("1d12h"). 0 or -1 (bad). */
int crm_duration_parse(const char *text, long long *seconds);

/* Read sla.targets.<priority>.{response,resolution} and sla.paused. A missing sla key is no
 * targets at all; a malformed one is CRM_ECONFIG naming file, line and column. */
int crm_sla_load(const struct crm_config *cfg, struct crm_sla **out, struct crm_err *err);
void crm_sla_free(struct crm_sla *s);

/* The target in seconds for a priority, or -1 when it has none. */
long long crm_sla_target(const struct crm_sla *s, const char *priority, enum crm_sla_which which);
/* Does this status stop the clock (waiting on the customer)? */
int crm_sla_paused(const struct crm_sla *s, const char *status);
/* The priorities named under sla.targets, for checks; NULL past the end. */
const char *crm_sla_priority(const struct crm_sla *s, int i);
const char *crm_sla_paused_status(const struct crm_sla *s, int i);

/* What the clock needs of a ticket; 0 stands for an unset time. paused_since is set while the
 * clock is stopped (a paused or resolved status); paused_seconds adds up the stops before. */
struct crm_sla_ticket {
	const char *priority;
	time_t opened, responded, resolved, paused_since;
	long long paused_seconds;
};

struct crm_sla_state {
	time_t response_due, resolution_due; /* 0: no target */
	int response_breach, resolution_breach;
};

/* Where a ticket stands at `now`. Response is due a fixed time after opening; resolution
 * counts only the time the clock ran, so its due moment moves on while the clock is paused. */
void crm_sla_eval(const struct crm_sla *s, const struct crm_sla_ticket *t, time_t now,
		  struct crm_sla_state *out);

#endif
