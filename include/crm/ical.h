/* iCalendar (RFC 5545) files of tasks and events, through libical (loaded when first needed). */
#ifndef CRM_ICAL_H
#define CRM_ICAL_H

#include "crm/crm.h"

/* A VCALENDAR of the tasks numbered ids: a VEVENT for an event, meeting or call, a VTODO for the
 * others, with a stable UID (the one an import gave, else crm-task-<number>@crm), SUMMARY,
 * DESCRIPTION, DTSTART/DTEND or DUE in UTC, STATUS, PRIORITY and the RRULE of a repeating one.
 * *out (caller frees) is the text. */
int crm_ical_write(struct crm *crm, const long long *ids, int n, char **out, struct crm_err *err);

/* Every VEVENT (and VTODO) of an iCalendar text becomes a task, or updates the one with its UID
 * (so an invitation imported twice is one event): title, start, end, notes, all day. Through
 * the record engine (validated, in history); call inside one transaction (crm_atomic). */
int crm_ical_import(struct crm *crm, const char *text, int *created, int *updated, struct crm_err *err);

#endif
