/* Tasks and events (issue 11): what the task kind needs beyond the record engine (core/task.c). */
#ifndef CRM_TASK_H
#define CRM_TASK_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"

/* The next occurrences of a repeating task (up to five, after its own due time or start), as a
 * table with one column, due: a section of `task show`. None for a task that does not repeat. */
int crm_task_occurrences_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			       struct crm_err *err);

/* Who an imported invitation names (ORGANIZER, ATTENDEEs; task_attendees), in its order, with the
 * contact and user of each address: a show section. */
int crm_task_attendees_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			     struct crm_err *err);

/* Check and normalise a task's repeat: a friendly form or an RRULE (crm/recur.h); a field's .norm. */
int crm_task_repeat_norm(const char *in, char **out, struct crm_err *err);

/* The follow-up task of activity `activity`, in the caller's transaction: titled `title` (NULL:
 * "Follow up: <summary>"), due `due` (a date expression: +3d, friday, 2026-12-01), assigned to the
 * current user, concerning the activity's account, contacts, contract and its project when it has
 * one only; linked to the activity. Its number in *task. */
int crm_task_follow_up(struct crm *crm, long long activity, const char *due, const char *title, long long *task,
		       struct crm_err *err);

/* The same, assigned to `assignee` (a login or @group; NULL: the current user). */
int crm_task_follow_up_by(struct crm *crm, long long activity, const char *due, const char *title, const char *assignee,
			  long long *task, struct crm_err *err);

/* Add an activity (crm_record_add's arguments) and, in the same transaction, its follow-up task
 * (crm_task_follow_up) as fu (a struct crm_follow_up) asks (due NULL: none), and with a form
 * (crm/process.h) first its required fields checked, then its follow-ups and process; the task's
 * number in fu->task, how many the form made in fu->ntasks. */
struct crm_follow_up {
	const char *due, *title;
	long long task;
	const char *form;
	int ntasks;
};
int crm_activity_add_following_up(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset,
				  void *fu, long long *id, struct crm_err *err);

#endif
