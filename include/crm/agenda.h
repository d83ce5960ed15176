/* The agenda and the calendar (issue 11): whose open tasks and events fall when. The rows come
 * from the tasks table through its indexes (assignee or group, status, due); cmd/ lays them
 * out (cmd/agenda.c: the agenda's sections, the calendar's grid). */
#ifndef CRM_AGENDA_H
#define CRM_AGENDA_H

#include "crm/crm.h"
#include "crm/printer.h"

/* Whose: a user (login; NULL the current user) with the groups they belong to, or one group
 * alone, or the team of the current user (everyone under them, at any level). */
struct crm_agenda_scope {
	const char *user;
	const char *group;
	int team;
};

struct crm_agenda_item {
	long long id;
	char *title, *type, *status, *priority;
	char *at;    /* when: the due time, else the start (UTC) */
	char *due, *start, *end;
	int all_day;
	char *assignee, *group, *account;
};

/* The tasks of scope s that are open (all_statuses 0) or in any status but a resolved one
 * other than done (1), due in [from, to) or, without a due time, starting in [from, to), in
 * order of when. from may be NULL (no lower bound on due times; starts still need one: pass
 * from_start). Times are UTC timestamps. *items (caller frees with crm_agenda_free) */
int crm_agenda_items(struct crm *crm, const struct crm_agenda_scope *s, const char *from_due, const char *from_start,
		     const char *to, int all_statuses, struct crm_agenda_item **items, int *n, struct crm_err *err);
void crm_agenda_free(struct crm_agenda_item *items, int n);

/* The query plan of the agenda's query for scope s (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
 * PostgreSQL) as rows of one column, detail: for tests and for checking the indexes serve it. */
int crm_agenda_explain(struct crm *crm, const struct crm_agenda_scope *s, struct crm_printer *p, struct crm_err *err);

#endif
