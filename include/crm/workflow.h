/* Status workflows from the configuration (workflow.<kind>): statuses, the initial one, the
 * resolved ones, transitions (each allowed to some roles or to holders of a permission, needing
 * some fields and clearing others) and the effects that run after every transition.
 *
 * One status machine for every kind that has a status: the kind's descriptor flags the field
 * (CRM_FF_WORKFLOW), the configuration describes the machine, and the record engine
 * (core/record.c) enforces it on every add and edit, so verbs, imports and pick-list rules
 * all obey it. Effects are named hooks implemented in C per kind (a ticket's in
 * core/ticket.c); which of them run is configuration (workflow.<kind>.effects). */
#ifndef CRM_WORKFLOW_H
#define CRM_WORKFLOW_H

#include "crm/config.h"
#include "crm/error.h"
#include "crm/kind.h"
#include "crm/record.h"

struct crm;
struct crm_workflow;
struct crm_wf_transition;
struct crm_wf_effect;

/* Strings point into the configuration, which must outlive the workflow. */
struct crm_wf_transition {
	const char *name;
	const char **from;      /* "*" stands for every status */
	int nfrom;
	const char *to;
	const char **roles;     /* none: any role may take it */
	int nroles;
	const char *permission; /* a permission it needs ("contract.sign"), or NULL */
	const char **users;     /* paths to users on the record who may take it whatever their
				 * roles ("project.manager": the task's project's manager) */
	int nusers;
	const char **required;  /* fields that must have a value once it is taken */
	int nrequired;
	const char **clear;     /* fields emptied on the way (resolution, on reopen) */
	int nclear;
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
	const struct crm_wf_effect **effects; /* run after every transition, in order */
	int neffects;
	const char **parts_editable; /* the statuses in which its parts (records whose reference
				      * flagged CRM_FF_PART names it: an offer's lines) may be added,
				      * changed or removed; none: any */
	int nparts_editable;
	const struct crm_conf_node *node;
};

/* A transition being taken, as the effects see it. */
struct crm_wf_event {
	const struct crm_kind *kind;
	const struct crm_workflow *wf;
	const struct crm_wf_transition *t;
	long long id;        /* the record (0 before a new record is written) */
	const char *from;    /* where it was (the initial status for a new record) */
	const char *comment; /* given with the transition by a verb, or NULL */
	/* Before the write only: read a field's value as it will be written, or give it one
	 * (ignored for a field the user set in the same write). */
	const char *(*get)(void *ctx, const char *field);
	int (*set)(void *ctx, const char *field, const char *value, struct crm_err *err);
	void *ctx;
	/* The engine's: a new record may start further on, along the shortest path of
	 * transitions its user may take from the initial status; each step is one transition. */
	const struct crm_wf_transition *path[16];
	const char *froms[16];
	int npath;
};

/* A named effect: before runs ahead of the write (and may set fields, so that the change is
 * one history entry), after runs once the record is written, in the same transaction. */
struct crm_wf_effect {
	const char *kind; /* the kind it belongs to, or NULL for any */
	const char *name;
	int (*before)(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err);
	int (*after)(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err);
	const char *help;
	/* Optional: a record was added (what NULL) or edited (what: "changed f1, f2", the fields
	 * given that changed, its workflow field left out), in the same transaction. */
	int (*written)(struct crm *crm, const struct crm_kind *k, long long id, const char *what,
		       struct crm_err *err);
};

/* Every effect there is, NULL-terminated (core/workflow.c lists each kind's table). */
const struct crm_wf_effect *crm_wf_effect_find(const char *kind, const char *name);

/* Read workflow.<kind>. Anything malformed, naming an unknown status or an unknown effect is
 * CRM_ECONFIG with "FILE:LINE:COLUMN: what is wrong"; no workflow.<kind> is CRM_ENOTFOUND. */
int crm_workflow_load(const struct crm_config *cfg, const char *kind, struct crm_workflow **out,
		      struct crm_err *err);
void crm_workflow_free(struct crm_workflow *wf);

/* The configuration's spelling of a status (case ignored), or NULL if it is not one. */
const char *crm_workflow_status(const struct crm_workflow *wf, const char *name);
int crm_workflow_is_resolved(const struct crm_workflow *wf, const char *status);

/* May the parts of a record in this status change (workflow.<kind>.parts_editable)? */
int crm_workflow_parts_editable(const struct crm_workflow *wf, const char *status);

/* Does the transition leave `from`? May a user holding `roles` (comma-separated) take it (or
 * perhaps, when it names users, which crm_workflow_allowed tells)? */
int crm_workflow_leaves(const struct crm_wf_transition *t, const char *from);
int crm_workflow_may(const struct crm_wf_transition *t, const char *roles);

/* The transition named `name` that leaves `from`, or NULL. */
const struct crm_wf_transition *crm_workflow_transition(const struct crm_workflow *wf, const char *from,
							  const char *name);

/* Is every field t requires given a value by get(ctx, field)? CRM_OK, or CRM_EINVALID naming
 * the missing ones (err->field the first). */
int crm_workflow_required(const struct crm_wf_transition *t, const char *(*get)(void *, const char *),
			  void *ctx, struct crm_err *err);

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

/* ---- the engine's side (needs a database connection) ---- */

/* The field of kind k a workflow governs (flagged CRM_FF_WORKFLOW), or NULL. */
const struct crm_field *crm_workflow_field(const struct crm_kind *k);

/* workflow.<kind> of the connection's configuration, loaded once per process and
 * configuration; *out NULL (and CRM_OK) when the kind has no workflow field. */
int crm_workflow_get(struct crm *crm, const struct crm_kind *k, const struct crm_workflow **out,
		     struct crm_err *err);
void crm_workflow_reset(void);

/* A verb taking a named transition on one record says so before writing it (name NULL to
 * forget): the engine then takes that transition (even back to the same status) and hands the
 * comment to the effects. */
void crm_workflow_intend(const struct crm_kind *k, long long id, const char *name, const char *comment);

/* Has a verb said which transition record id of kind k takes? */
int crm_workflow_intended(const struct crm_kind *k, long long id);
/* Is name one of wf's statuses (case-insensitively)? */
int crm_workflow_is_status(const struct crm_workflow *wf, const char *name);

/* May the current user take t on the record ev names (ev->kind, ev->id and, before a write,
 * ev->get; NULL: no record)? Roles (comma-separated, the user's) or one of t's users, and the
 * permission. */
int crm_workflow_allowed(struct crm *crm, const struct crm_wf_transition *t, const char *roles,
			 const struct crm_wf_event *ev, struct crm_err *err);

/* The engine's check of a write that moves record id (0: new) of kind k from status `from`
 * (NULL: new) to `to`. Fills ev (whose get, set and ctx the caller has set) with the
 * transition taken, or ev->t NULL when none is: staying put, a new record starting in the
 * initial status, or leaving a status the workflow does not know (written before it was
 * configured). Runs the effects' before hooks, empties the fields the transition clears and
 * checks those it requires. CRM_ECONFLICT for a move no transition allows, CRM_EPERM for one
 * the user may not take (err->field is the status field in both), CRM_EINVALID for a missing
 * field. label names the record in messages. */
int crm_workflow_enter(struct crm *crm, const struct crm_workflow *wf, long long id, const char *label,
		       const char *from, const char *to, struct crm_wf_event *ev, struct crm_err *err);
/* After the write: the effects' after hooks, when a transition was taken. */
int crm_workflow_entered(struct crm *crm, struct crm_wf_event *ev, long long id, struct crm_err *err);
/* While on (an import revert), a status may go back to what it was without a transition: the
 * effects run for one step named "revert" (stamps, clock, the ticket's action). */
void crm_workflow_reverting(int on);
/* The engine, after adding (what NULL) or editing a record of a kind with a workflow: runs the
 * configured effects' `written` hooks in order (the ticket's open and edit actions). */
int crm_workflow_written(struct crm *crm, const struct crm_kind *k, long long id, const char *what,
			 struct crm_err *err);

/* Take the transition named `name` on record id of kind k (the shortcut verbs: contract sign),
 * setting fields on the way, through the engine like any edit. A record already where that
 * transition leads is left alone (*changed, which may be NULL, is 0). */
int crm_workflow_take(struct crm *crm, const struct crm_kind *k, long long id, const char *name,
		      const struct crm_assign *set, int nset, const char *comment, int *changed,
		      struct crm_err *err);

/* Move record id of kind k by the transition named `to`, or to the status `to` (the generic
 * verb transition); *taken (may be NULL) is the transition's name, in a static buffer. */
int crm_workflow_go(struct crm *crm, const struct crm_kind *k, long long id, const char *to,
		    const struct crm_assign *set, int nset, const char *comment, const char **taken,
		    struct crm_err *err);

/* The transitions the current user may take from record id's status, as rows name, from, to,
 * roles, needs (the generic verb transitions and show's section). */
struct crm_printer;
int crm_workflow_transitions_print(struct crm *crm, const struct crm_kind *k, long long id,
				   struct crm_printer *p, struct crm_err *err);

/* "FILE:LINE:COLUMN" of a configuration node (or its source alone); static buffer. */
const char *crm_wf_where(const struct crm_conf_node *n);

#endif
