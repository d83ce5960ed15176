/* Recurrence rules (RFC 5545 RRULE) through libical, loaded when first needed (core/lazy.c). */
#ifndef CRM_RECUR_H
#define CRM_RECUR_H

#include <time.h>
#include "crm/error.h"

/* The RRULE for what a user typed: "daily", "weekly", "monthly", "yearly", "every 2 weeks"
 * ("every N days|weeks|months|years", "every day|week|month|year"), or an RRULE itself
 * ("FREQ=WEEKLY;BYDAY=MO", an "RRULE:" prefix allowed), checked and written canonically by
 * libical. *out (caller frees) is NULL for an empty value. A rule libical cannot parse:
 * CRM_EINVALID. */
int crm_rrule_normalize(const char *in, char **out, struct crm_err *err);

/* Up to max occurrences of rrule for a series starting at dtstart, strictly after `after`, into
 * out; returns how many (0 when the series has ended), or -1 with err set. The rule is followed
 * on the wall clock of zone (an IANA name, crm_zone_name; NULL or "UTC": UTC), as RFC 5545 does
 * for a DTSTART with a TZID: a weekly 09:00 stays at 09:00 local across a change of daylight
 * saving time, and so moves in UTC. Times in and out are UTC. */
int crm_rrule_after(const char *rrule, const char *zone, time_t dtstart, time_t after, time_t *out, int max,
		    struct crm_err *err);

#endif
