/* Task processes and contact forms (issue 11, points 5 and 4; core/process.c).
 *
 * A process is a named sequence of steps in the configuration, processes.<name>: a list of
 * {title, offset, assignee | role, approval, type}. Starting one records a run (kind process, a
 * view: crm process list/show) and makes step 1 as a task linked to the run's records; when the
 * task of step n reaches a resolved status (the workflow effect `process` of workflow.task),
 * step n+1 is made, once. A step's due date is its offset from the moment the previous step
 * was resolved (step 1: from the start); a step without offset has no due date.
 *
 * A form is forms.<name>: {fields: [...], follow_up: [{title, offset, assignee}], process}: an
 * activity logged with it must carry each field; it brings its follow-up tasks and starts its
 * process, linked to the activity. */
#ifndef CRM_PROCESS_H
#define CRM_PROCESS_H

#include "crm/crm.h"
#include "crm/config.h"
#include "crm/kind.h"
#include "crm/workflow.h"

/* The records a run concerns, by reference as the user wrote them (NULL: none). */
struct crm_process_links {
	const char *account, *contact, *project, *ticket, *activity;
};

/* processes: and forms: beyond their keys (crm_config_check): a step without a title, a bad
 * offset, an unknown role, both assignee and role, a form's process that is not configured:
 * CRM_ECONFIG naming file:line:column. */
int crm_process_config_check(const struct crm_config *cfg, struct crm_err *err);

/* One step of a process, follow-up of a form or task of a project template (what: "step",
 * "follow-up", "task", for messages): a map with a title, a signed offset if any, and with roles
 * set a configured role (not with an assignee) and approval yes or no. CRM_ECONFIG at path. */
int crm_process_step_check(const struct crm_config *cfg, const struct crm_conf_node *s, const char *path,
			   const char *what, int roles, struct crm_err *err);

/* The first user (by number) holding role `role`, malloc'd in *login; CRM_EINVALID if none. */
int crm_role_user(struct crm *crm, const char *role, char **login, struct crm_err *err);

/* Start process `name` (CRM_ENOTFOUND if not configured): the run and its step 1, in one
 * transaction; their numbers in *run and *task. */
int crm_process_start(struct crm *crm, const char *name, const struct crm_process_links *links, long long *run,
		      long long *task, struct crm_err *err);

/* The workflow effect of tasks (core/task.c lists it): before, a task marked approval: yes may not
 * take the transition named done; after, a process step that is resolved brings the next. */
int crm_process_fx_before(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err);
int crm_process_fx_after(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err);

/* Form `name`'s required fields against an activity's assignments (field names as the user gave
 * them): CRM_ENOTFOUND for an unknown form, CRM_EINVALID naming every missing field. */
int crm_form_check(struct crm *crm, const struct crm_kind *activity_kind, const char *name,
		   const struct crm_assign *set, int nset, struct crm_err *err);
/* In the caller's transaction: form `name`'s follow-up tasks for activity `activity`, and its
 * process started about it. How many tasks it made in *ntasks. */
int crm_form_apply(struct crm *crm, const char *name, long long activity, int *ntasks, struct crm_err *err);

#endif
