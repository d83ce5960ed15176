/* Status workflows from the configuration (workflow.<kind>): statuses, the initial one, the
 * resolved ones, and transitions each allowed to some roles and needing some fields. */
#ifndef CRM_WORKFLOW_H
#define CRM_WORKFLOW_H

#include "crm/config.h"
#include "crm/error.h"
#include "crm/kind.h"

/* Strings point into the configuration, which must outlive the workflow. */
struct crm_wf_transition {
	const char *name;
	const char **from;      /* "*" stands for every status */
	int nfrom;
	const char *to;
	const char **roles;     /* none: any role may take it */
	int nroles;
	const char **required;  /* fields that must have a value once it is taken */
	int nrequired;
	const struct crm_conf_node *node; /* where it is written, for messages */
};

struct crm_workflow {
	const char *kind;
	const char **statuses;
	int nstatuses;
	const char *initial;
	const char **resolved;  /* statuses in which a record is no longer open */
	int nresolved;
	struct crm_wf_transition *tr;
	int ntr;
	const struct crm_conf_node *node;
};

/* Read workflow.<kind>. Anything malformed or naming an unknown status is CRM_ECONFIG with
 * "FILE:LINE:COLUMN: what is wrong". */
int crm_workflow_load(const struct crm_config *cfg, const char *kind, struct crm_workflow **out,
		      struct crm_err *err);
void crm_workflow_free(struct crm_workflow *wf);

/* The configuration's spelling of a status (case ignored), or NULL if it is not one. */
const char *crm_workflow_status(const struct crm_workflow *wf, const char *name);
int crm_workflow_is_resolved(const struct crm_workflow *wf, const char *status);

/* Does the transition leave `from`? May a user holding `roles` (comma-separated) take it? */
int crm_workflow_leaves(const struct crm_wf_transition *t, const char *from);
int crm_workflow_may(const struct crm_wf_transition *t, const char *roles);

/* The transition a user holding `roles` takes from status `from` towards `to`, which names a
 * transition or a status. No transition from `from` fits: CRM_ECONFLICT, the message naming
 * the moves that are allowed; one fits but not the roles: CRM_EPERM. */
int crm_workflow_move(const struct crm_workflow *wf, const char *from, const char *to,
		      const char *roles, const struct crm_wf_transition **out, struct crm_err *err);

/* Semantic problems: statuses unreachable from the initial one, roles the configuration does
 * not define, dead ends (an open status with no way out, or none leading to a resolved
 * status), required fields the kind (if not NULL) does not have. Each is one line in
 * *problems (caller frees with crm_workflow_problems_free); returns how many. */
int crm_workflow_check(const struct crm_workflow *wf, const struct crm_config *cfg,
		       const struct crm_kind *k, char ***problems);
void crm_workflow_problems_free(char **problems, int n);

/* The workflow as a Graphviz DOT digraph; caller frees. */
char *crm_workflow_dot(const struct crm_workflow *wf);

/* "FILE:LINE:COLUMN" of a configuration node (or its source alone); static buffer. */
const char *crm_wf_where(const struct crm_conf_node *n);

#endif
