/* Project templates and plans (issue 11, point 6; core/plan.c).
 *
 * A template is project_templates.<name> in the configuration: tasks (each a process step,
 * crm/process.h, with a key and the keys of the tasks it waits for, after), deliverables (name,
 * offset, owner) and milestones (name, offset, and the keys of the tasks and deliverables that
 * finish it). Offsets count from the project's start. `crm project add --template` makes the
 * project and its whole plan in one transaction: tasks linked to the project, due at their
 * offsets, a task with predecessors in status waiting until they are all done or cancelled (the
 * workflow effect plan of workflow.task then releases it: status open); deliverables and
 * milestones are records of their own kinds (core/kinds.c). */
#ifndef CRM_PLAN_H
#define CRM_PLAN_H

#include "crm/crm.h"
#include "crm/config.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"
#include "crm/workflow.h"

/* project_templates: beyond their keys (crm_config_check): a task without a title, a bad offset,
 * an unknown role, a key given twice, an unknown key in after, a cycle of tasks waiting for each
 * other, a deliverable or milestone without a name, a bad alert rule: CRM_ECONFIG naming
 * file:line:column. */
int crm_plan_config_check(const struct crm_config *cfg, struct crm_err *err);

/* One of a template's alert rules (project_templates.<name>.alerts[n]): {when: late, item: task |
 * deliverable | milestone, after: 2d, notify: manager | owner | role:<role>}. CRM_ECONFIG saying
 * what is wrong (without the place); else, with out, the rule: item and notify (default manager)
 * point into the configuration, after is the offset back from now ("-2d"; default "-0d"). */
struct crm_plan_rule {
	const char *item, *notify;
	char after[64];
};
int crm_plan_alert_rule(const struct crm_config *cfg, const struct crm_conf_node *a, struct crm_plan_rule *out,
			struct crm_err *err);

/* The names of the configured templates, for completion and "did you mean"; *n of them, in
 * configuration order; the array (not the strings) is the caller's to free. */
const char **crm_plan_templates(const struct crm_config *cfg, size_t *n);

/* A rec_add_fn for projects: ctx the template's name (NULL: a plain add). An unknown template is
 * CRM_EINVALID with a did-you-mean. The project (its start today unless given) and its plan in
 * one transaction; any failure leaves nothing written. */
int crm_plan_project_add(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset, void *ctx,
			 long long *id, struct crm_err *err);

/* The workflow effect plan of tasks (core/task.c lists it): a task that reaches a resolved status
 * releases (transition release) each task waiting for it whose predecessors are all resolved. */
int crm_plan_fx_after(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err);
/* Its written hook: a task added or edited with predecessors not all resolved, and open, waits
 * (transition wait); a waiting task whose predecessors an edit leaves all resolved (or none) is
 * released. */
int crm_plan_fx_written(struct crm *crm, const struct crm_kind *k, long long id, const char *what,
			struct crm_err *err);

/* Project id's plan as one table (columns section, id, title, after, who, due, status, late): its
 * tasks, deliverables and milestones, then a row progress (title "N/M done", status "P%": tasks
 * done and deliverables accepted over those not cancelled). Late, as of crm_time: a task not
 * resolved past its due time, a deliverable planned or rejected past its due day, a milestone not
 * reached past its due day (one naming no task or deliverable is reached on its day, at crm_time). Counts in *late (may be NULL). */
int crm_plan_print(struct crm *crm, long long project, struct crm_printer *p, int *late, struct crm_err *err);

#endif
