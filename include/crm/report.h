/* Ticket reports: a summary (counts by status, priority and assignee, open age, time to
 * resolve, service-level breaches) over the tickets a filter selects, and the same as an Excel
 * workbook with the tickets themselves, charts and a sheet saying how it was made. */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include "crm/crm.h"

struct crm_report_count {
	char *key;     /* a status, a priority, an assignee ("@group" for a group, "(nobody)") */
	long long n, open, breached;
};

struct crm_ticket_report {
	long long total, open, breached, open_breached;
	struct crm_report_count *by_status, *by_priority, *by_assignee;
	int nstatus, npriority, nassignee;
	/* Open tickets' age in hours: average, oldest, and how many under 1 day, 1-3, 3-7, over 7. */
	double age_avg, age_max;
	long long age_buckets[4];
	/* Resolved tickets: how many, and the average hours from opening to resolution. */
	long long resolved;
	double resolve_avg;
};

/* Summarise the tickets the filter terms select (crm_filter_compile), at crm->now. Statuses
 * come in workflow order, priorities in pick-list order, assignees by count. */
int crm_report_tickets(struct crm *crm, const char *const *terms, int nterms, struct crm_ticket_report *out,
		       struct crm_err *err);
void crm_report_free(struct crm_ticket_report *r);

/* What the About sheet records. */
struct crm_report_meta {
	const char *command, *filter, *user, *time;
};

/* Write the workbook: Tickets (every field, typed cells, bold frozen header, autofilter,
 * widths; custom fields as columns), Summary (the tables above, charts of tickets by status
 * and by priority), About (command, filter, user, time). */
int crm_report_tickets_xlsx(struct crm *crm, const char *const *terms, int nterms, const char *path,
			    const struct crm_report_meta *meta, struct crm_err *err);

#endif
