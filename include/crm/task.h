/* Tasks and events (issue 11): what the task kind needs beyond the record engine (core/task.c). */
#ifndef CRM_TASK_H
#define CRM_TASK_H

#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"

/* The next occurrences of a repeating task (up to five, after its own due time or start), as a
 * table with one column, due: a section of `task show`. None for a task that does not repeat. */
int crm_task_occurrences_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			       struct crm_err *err);

/* Check and normalise a task's repeat: a friendly form or an RRULE (crm/recur.h); a field's .norm. */
int crm_task_repeat_norm(const char *in, char **out, struct crm_err *err);

#endif
