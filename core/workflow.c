/* Status workflows read from the configuration: which moves exist, who may take them, what
 * they need, whether the whole is sound, and its picture as a Graphviz graph. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/auth.h"
#include "crm/crm.h"
#include "crm/printer.h"
#include "crm/record.h"
#include "crm/ticket.h"
#include "crm/workflow.h"
#include "crm/near.h"
#include "db.h"
#include "util.h"

const char *crm_wf_where(const struct crm_conf_node *n)
{
	static char buf[600];
	const char *src = crm_conf_source(n);
	if (!src)
		src = "configuration";
	if (n && crm_conf_line(n) > 0)
		snprintf(buf, sizeof buf, "%s:%d:%d", src, crm_conf_line(n), crm_conf_column(n));
	else
		snprintf(buf, sizeof buf, "%s", src);
	return buf;
}

/* A scalar or a sequence of scalars (or, with keys_ok, a map's keys) as an array of borrowed
 * strings. Returns 0, or -1 when an item is not a plain word. */
static int string_list(const struct crm_conf_node *n, int keys_ok, const char ***out, int *count)
{
	*out = NULL;
	*count = 0;
	if (!n)
		return 0;
	if (crm_conf_type(n) == CRM_CONF_SCALAR) {
		const char *s = crm_conf_scalar(n);
		if (!s || !*s)
			return 0;
		*out = xcalloc(1, sizeof **out);
		(*out)[0] = s;
		*count = 1;
		return 0;
	}
	if (crm_conf_type(n) == CRM_CONF_MAP && !keys_ok)
		return -1;
	size_t len = crm_conf_count(n);
	*out = xcalloc(len ? len : 1, sizeof **out);
	for (size_t i = 0; i < len; i++) {
		const char *s = crm_conf_type(n) == CRM_CONF_MAP ? crm_conf_key(n, i)
								 : crm_conf_scalar(crm_conf_child(n, i));
		if (!s || !*s) {
			free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[(*count)++] = s;
	}
	return 0;
}

const char *crm_workflow_status(const struct crm_workflow *wf, const char *name)
{
	for (int i = 0; name && i < wf->nstatuses; i++)
		if (strcasecmp(wf->statuses[i], name) == 0)
			return wf->statuses[i];
	return NULL;
}

int crm_workflow_parts_editable(const struct crm_workflow *wf, const char *status)
{
	if (!wf->nparts_editable)
		return 1;
	for (int i = 0; status && i < wf->nparts_editable; i++)
		if (strcasecmp(wf->parts_editable[i], status) == 0)
			return 1;
	return 0;
}

int crm_workflow_is_resolved(const struct crm_workflow *wf, const char *status)
{
	for (int i = 0; status && i < wf->nresolved; i++)
		if (strcasecmp(wf->resolved[i], status) == 0)
			return 1;
	return 0;
}

void crm_workflow_free(struct crm_workflow *wf)
{
	if (!wf)
		return;
	free(wf->statuses);
	free(wf->resolved);
	free(wf->parts_editable);
	for (int i = 0; i < wf->ntr; i++) {
		free(wf->tr[i].from);
		free(wf->tr[i].roles);
		free(wf->tr[i].users);
		free(wf->tr[i].required);
		free(wf->tr[i].clear);
	}
	free(wf->tr);
	free(wf->effects);
	free(wf);
}

/* Every status in list must be one of the workflow's ("*" too when star_ok). */
static int known_statuses(const struct crm_workflow *wf, const char **list, int n, int star_ok,
			  const struct crm_conf_node *at, const char *what, struct crm_err *err)
{
	for (int i = 0; i < n; i++) {
		if (star_ok && strcmp(list[i], "*") == 0)
			continue;
		if (!crm_workflow_status(wf, list[i]))
			return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s names unknown status '%s'",
					 crm_wf_where(at), wf->kind, what, list[i]);
	}
	return CRM_OK;
}

static int load_transition(struct crm_workflow *wf, const struct crm_conf_node *n, int index,
			   struct crm_wf_transition *t, struct crm_err *err)
{
	char what[64];
	snprintf(what, sizeof what, "transition %d", index + 1);
	t->node = n;
	if (crm_conf_type(n) != CRM_CONF_MAP)
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s is not a map of name, from, to, "
				 "roles, users, permission, required and clear", crm_wf_where(n), wf->kind, what);
	static const char *const keys[] = { "name", "from", "to", "roles", "users", "permission", "required", "clear",
					    NULL };
	for (size_t i = 0; i < crm_conf_count(n); i++) {
		int ok = 0;
		for (int j = 0; keys[j]; j++)
			ok |= strcmp(crm_conf_key(n, i), keys[j]) == 0;
		if (!ok)
			return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s has unknown key '%s' (name, from, "
					 "to, roles, users, permission, required, clear)", crm_wf_where(crm_conf_child(n, i)),
					 wf->kind, what, crm_conf_key(n, i));
	}
	t->to = crm_conf_scalar(crm_conf_get(n, "to"));
	if (!t->to || !*t->to)
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s has no 'to' status", crm_wf_where(n),
				 wf->kind, what);
	const char *canon = crm_workflow_status(wf, t->to);
	if (!canon)
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s goes to unknown status '%s'",
				 crm_wf_where(crm_conf_get(n, "to")), wf->kind, what, t->to);
	t->to = canon;
	t->name = crm_conf_scalar(crm_conf_get(n, "name"));
	if (!t->name || !*t->name)
		t->name = t->to; /* unnamed: called after where it goes */
	if (string_list(crm_conf_get(n, "from"), 0, &t->from, &t->nfrom) || t->nfrom == 0)
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s ('%s') needs 'from': a status, a "
				 "list of them, or \"*\"", crm_wf_where(n), wf->kind, what, t->name);
	int rc = known_statuses(wf, t->from, t->nfrom, 1, crm_conf_get(n, "from"), what, err);
	if (rc)
		return rc;
	if (string_list(crm_conf_get(n, "roles"), 0, &t->roles, &t->nroles))
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: roles of %s must be a list of role "
				 "names", crm_wf_where(crm_conf_get(n, "roles")), wf->kind, what);
	if (string_list(crm_conf_get(n, "users"), 0, &t->users, &t->nusers))
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: users of %s must be a list of paths to a "
				 "user (project.manager)", crm_wf_where(crm_conf_get(n, "users")), wf->kind, what);
	if (string_list(crm_conf_get(n, "required"), 0, &t->required, &t->nrequired))
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: required of %s must be a list of field "
				 "names", crm_wf_where(crm_conf_get(n, "required")), wf->kind, what);
	if (string_list(crm_conf_get(n, "clear"), 0, &t->clear, &t->nclear))
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: clear of %s must be a list of field "
				 "names", crm_wf_where(crm_conf_get(n, "clear")), wf->kind, what);
	const struct crm_conf_node *perm = crm_conf_get(n, "permission");
	t->permission = crm_conf_scalar(perm);
	if (perm && (!t->permission || !*t->permission || !strchr(t->permission, '.')))
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: permission of %s is one permission, "
				 "<noun>.<verb>", crm_wf_where(perm), wf->kind, what);
	return CRM_OK;
}

/* ---------------------------------------------------------------- effects */

/* Each kind's effects live with the kind (core/ticket.c); this lists the tables. */
extern const struct crm_wf_effect crm_ticket_effects[], crm_task_effects[], crm_offer_effects[];
static const struct crm_wf_effect *const effect_tables[] = { crm_ticket_effects, crm_task_effects, crm_offer_effects };

const struct crm_wf_effect *crm_wf_effect_find(const char *kind, const char *name)
{
	for (size_t i = 0; i < sizeof effect_tables / sizeof *effect_tables; i++)
		for (const struct crm_wf_effect *e = effect_tables[i]; e->name; e++)
			if ((!e->kind || strcmp(e->kind, kind) == 0) && strcmp(e->name, name) == 0)
				return e;
	return NULL;
}

static void effect_names(struct strbuf *b, const char *kind)
{
	for (size_t i = 0; i < sizeof effect_tables / sizeof *effect_tables; i++)
		for (const struct crm_wf_effect *e = effect_tables[i]; e->name; e++)
			if (!e->kind || strcmp(e->kind, kind) == 0)
				sb_addf(b, "%s%s", b->len ? ", " : "", e->name);
}

int crm_workflow_load(const struct crm_config *cfg, const char *kind, struct crm_workflow **out,
		      struct crm_err *err)
{
	*out = NULL;
	char path[128];
	snprintf(path, sizeof path, "workflow.%s", kind);
	const struct crm_conf_node *n = crm_config_node(cfg, path);
	if (!n)
		return crm_error(err, CRM_ECONFIG, "no workflow for %s in the configuration (%s)", kind, path);
	if (crm_conf_type(n) != CRM_CONF_MAP)
		return crm_error(err, CRM_ECONFIG, "%s: %s must be a map (statuses, initial, resolved, "
				 "transitions, effects)", crm_wf_where(n), path);
	struct crm_workflow *wf = xcalloc(1, sizeof *wf);
	wf->kind = kind;
	wf->node = n;
	int rc = CRM_OK;
	const struct crm_conf_node *st = crm_conf_get(n, "statuses");
	if (string_list(st, 1, &wf->statuses, &wf->nstatuses) || wf->nstatuses == 0) {
		rc = crm_error(err, CRM_ECONFIG, "%s: %s.statuses must list the statuses",
			       crm_wf_where(st ? st : n), path);
		goto fail;
	}
	for (int i = 0; i < wf->nstatuses; i++)
		for (int j = 0; j < i; j++)
			if (strcasecmp(wf->statuses[i], wf->statuses[j]) == 0) {
				rc = crm_error(err, CRM_ECONFIG, "%s: %s.statuses: '%s' is listed twice",
					       crm_wf_where(st), path, wf->statuses[i]);
				goto fail;
			}
	const struct crm_conf_node *init = crm_conf_get(n, "initial");
	wf->initial = init ? crm_workflow_status(wf, crm_conf_scalar(init)) : wf->statuses[0];
	if (!wf->initial) {
		rc = crm_error(err, CRM_ECONFIG, "%s: %s.initial: '%s' is not one of the statuses",
			       crm_wf_where(init), path, crm_conf_scalar(init) ? crm_conf_scalar(init) : "");
		goto fail;
	}
	const struct crm_conf_node *res = crm_conf_get(n, "resolved");
	if (string_list(res, 0, &wf->resolved, &wf->nresolved)) {
		rc = crm_error(err, CRM_ECONFIG, "%s: %s.resolved must list statuses", crm_wf_where(res), path);
		goto fail;
	}
	if ((rc = known_statuses(wf, wf->resolved, wf->nresolved, 0, res, "resolved", err)))
		goto fail;
	for (int i = 0; i < wf->nresolved; i++)
		wf->resolved[i] = crm_workflow_status(wf, wf->resolved[i]);
	const struct crm_conf_node *pe = crm_conf_get(n, "parts_editable");
	if (string_list(pe, 0, &wf->parts_editable, &wf->nparts_editable)) {
		rc = crm_error(err, CRM_ECONFIG, "%s: %s.parts_editable must list statuses", crm_wf_where(pe), path);
		goto fail;
	}
	if ((rc = known_statuses(wf, wf->parts_editable, wf->nparts_editable, 0, pe, "parts_editable", err)))
		goto fail;
	for (int i = 0; i < wf->nparts_editable; i++)
		wf->parts_editable[i] = crm_workflow_status(wf, wf->parts_editable[i]);
	const struct crm_conf_node *trs = crm_conf_get(n, "transitions");
	if (trs && crm_conf_type(trs) != CRM_CONF_SEQ) {
		rc = crm_error(err, CRM_ECONFIG, "%s: %s.transitions must be a list", crm_wf_where(trs), path);
		goto fail;
	}
	wf->ntr = (int)crm_conf_count(trs);
	wf->tr = xcalloc((size_t)(wf->ntr ? wf->ntr : 1), sizeof *wf->tr);
	for (int i = 0; i < wf->ntr; i++)
		if ((rc = load_transition(wf, crm_conf_child(trs, (size_t)i), i, &wf->tr[i], err)))
			goto fail;
	const struct crm_conf_node *eff = crm_conf_get(n, "effects");
	const char **names;
	if (string_list(eff, 0, &names, &wf->neffects)) {
		rc = crm_error(err, CRM_ECONFIG, "%s: %s.effects must list effects by name", crm_wf_where(eff), path);
		goto fail;
	}
	wf->effects = xcalloc((size_t)(wf->neffects ? wf->neffects : 1), sizeof *wf->effects);
	for (int i = 0; i < wf->neffects; i++)
		if (!(wf->effects[i] = crm_wf_effect_find(kind, names[i]))) {
			struct strbuf known = { 0 };
			effect_names(&known, kind);
			rc = crm_error(err, CRM_ECONFIG, "%s: %s.effects: no effect '%s' for %s (%s)",
				       crm_wf_where(eff), path, names[i], kind, known.len ? known.s : "none");
			sb_free(&known);
			free(names);
			goto fail;
		}
	free(names);
	*out = wf;
	return CRM_OK;
fail:
	crm_workflow_free(wf);
	return rc;
}

const struct crm_wf_transition *crm_workflow_transition(const struct crm_workflow *wf, const char *from,
							  const char *name)
{
	for (int i = 0; name && i < wf->ntr; i++)
		if (strcasecmp(wf->tr[i].name, name) == 0 && (!from || crm_workflow_leaves(&wf->tr[i], from)))
			return &wf->tr[i];
	return NULL;
}

int crm_workflow_required(const struct crm_wf_transition *t, const char *(*get)(void *, const char *),
			  void *ctx, struct crm_err *err)
{
	struct strbuf missing = { 0 };
	const char *first = NULL;
	for (int i = 0; i < t->nrequired; i++) {
		const char *v = get(ctx, t->required[i]);
		if (v && *v)
			continue;
		sb_addf(&missing, "%s%s", missing.len ? ", " : "", t->required[i]);
		if (!first)
			first = t->required[i];
	}
	if (!first)
		return CRM_OK;
	char opt[128]; /* the option spells the field with dashes: --reject-reason */
	snprintf(opt, sizeof opt, "%s", first);
	for (char *p = opt; *p; p++)
		if (*p == '_')
			*p = '-';
	int rc = crm_error(err, CRM_EINVALID, "transition '%s' needs %s (give --%s <value> or --set %s=...)",
			   t->name, missing.s, opt, first);
	snprintf(err->field, sizeof err->field, "%s", first);
	sb_free(&missing);
	return rc;
}

int crm_workflow_leaves(const struct crm_wf_transition *t, const char *from)
{
	for (int i = 0; i < t->nfrom; i++)
		if (strcmp(t->from[i], "*") == 0 || strcasecmp(t->from[i], from) == 0)
			return 1;
	return 0;
}

int crm_workflow_may(const struct crm_wf_transition *t, const char *roles)
{
	if (t->nroles == 0 || t->nusers)
		return 1;
	char *copy = xstrdup(roles ? roles : ""), *save = NULL;
	int ok = 0;
	for (char *r = strtok_r(copy, ", ", &save); r && !ok; r = strtok_r(NULL, ", ", &save))
		for (int i = 0; i < t->nroles && !ok; i++)
			ok = strcmp(t->roles[i], "*") == 0 || strcmp(t->roles[i], r) == 0;
	free(copy);
	return ok;
}

static void join_roles(struct strbuf *b, const struct crm_wf_transition *t)
{
	for (int i = 0; i < t->nroles; i++)
		sb_addf(b, "%s%s", i ? ", " : "", t->roles[i]);
}

int crm_workflow_move(const struct crm_workflow *wf, const char *from, const char *to,
		      const char *roles, const struct crm_wf_transition **out, struct crm_err *err)
{
	*out = NULL;
	const char *canon_to = crm_workflow_status(wf, to);
	const struct crm_wf_transition *denied = NULL;
	/* A transition's name wins over a status of the same spelling ("reopen" vs "open"). */
	for (int pass = 0; pass < 2 && !*out; pass++) {
		int matched = 0;
		for (int i = 0; i < wf->ntr && !*out; i++) {
			const struct crm_wf_transition *t = &wf->tr[i];
			if (!crm_workflow_leaves(t, from))
				continue;
			if (pass == 0 ? strcasecmp(t->name, to) != 0 : !canon_to || strcmp(t->to, canon_to) != 0)
				continue;
			matched = 1;
			if (crm_workflow_may(t, roles))
				*out = t;
			else if (!denied)
				denied = t;
		}
		if (matched && !*out)
			break; /* named moves exist but are not this user's: do not fall back to others */
	}
	if (*out)
		return CRM_OK;
	if (denied) {
		struct strbuf r = { 0 };
		join_roles(&r, denied);
		int rc = crm_error(err, CRM_EPERM, "transition '%s' from '%s' is for the roles %s only (yours: %s)",
				   denied->name, from, r.s, roles && *roles ? roles : "none");
		sb_free(&r);
		return rc;
	}
	int known = canon_to != NULL;
	for (int i = 0; i < wf->ntr; i++)
		known |= strcasecmp(wf->tr[i].name, to) == 0;
	struct strbuf allowed = { 0 };
	for (int i = 0; i < wf->ntr; i++) {
		const struct crm_wf_transition *t = &wf->tr[i];
		if (!crm_workflow_leaves(t, from))
			continue;
		sb_addf(&allowed, "%s%s", allowed.len ? ", " : "", t->name);
		if (strcasecmp(t->name, t->to) != 0)
			sb_addf(&allowed, " (to %s)", t->to);
	}
	/* a misspelt transition: the nearest of those allowed from here */
	const char *names[64];
	size_t n = 0;
	for (int i = 0; i < wf->ntr && n < 64; i++)
		if (crm_workflow_leaves(&wf->tr[i], from))
			names[n++] = wf->tr[i].name;
	const char *near = known ? NULL : crm_near(to, names, n);
	int rc = crm_error(err, CRM_ECONFLICT, "cannot go from '%s' to '%s'%s%s%s%s; allowed: %s", from, to,
			   known ? "" : " (no such status or transition", near ? "; did you mean '" : "",
			   near ? near : "", known ? "" : near ? "'?)" : ")", allowed.len ? allowed.s : "none");
	sb_free(&allowed);
	return rc;
}

/* ---------------------------------------------------------------- check */

struct problems {
	char **items;
	int n, cap;
};

static void problem(struct problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct problems *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->items = xrealloc(p->items, (size_t)p->cap * sizeof *p->items);
	}
	p->items[p->n++] = s;
}

static int status_index(const struct crm_workflow *wf, const char *name)
{
	for (int i = 0; i < wf->nstatuses; i++)
		if (strcasecmp(wf->statuses[i], name) == 0)
			return i;
	return -1;
}

/* mark[i] = 1 for every status reachable from those already marked (forward), or from which a
 * marked one is reachable (backward). */
static void spread(const struct crm_workflow *wf, char *mark, int backward)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < wf->ntr; i++) {
			const struct crm_wf_transition *t = &wf->tr[i];
			int to = status_index(wf, t->to);
			for (int s = 0; s < wf->nstatuses; s++) {
				if (!crm_workflow_leaves(t, wf->statuses[s]))
					continue;
				int a = backward ? to : s, b = backward ? s : to;
				if (mark[a] && !mark[b]) {
					mark[b] = 1;
					changed = 1;
				}
			}
		}
	}
}

/* The kind a reference path leads to from k ("project.manager": project, then its manager),
 * filling fields with each step's field; NULL when a step is not a reference field of its kind. */
static const struct crm_kind *path_kind(const struct crm_kind *k, const char *path, const struct crm_field **fields,
					int *nsteps)
{
	char *copy = xstrdup(path), *save = NULL;
	*nsteps = 0;
	for (char *seg = strtok_r(copy, ".", &save); seg && k; seg = strtok_r(NULL, ".", &save)) {
		const struct crm_field *f = crm_kind_field(k, seg, NULL);
		if (!f || f->type != CRM_F_REF || f->column[0] == '(' || *nsteps == 8) {
			k = NULL;
			break;
		}
		fields[(*nsteps)++] = f;
		k = crm_kind_find(f->ref);
	}
	free(copy);
	return *nsteps ? k : NULL;
}

int crm_workflow_check(const struct crm_workflow *wf, const struct crm_config *cfg,
		       const struct crm_kind *k, char ***out)
{
	struct problems p = { 0 };
	int ns = wf->nstatuses;
	/* Problems of statuses point at the list of them (the workflow map may merge files). */
	const struct crm_conf_node *at = crm_conf_get(wf->node, "statuses");
	char where[600];
	snprintf(where, sizeof where, "%s", crm_wf_where(at ? at : wf->node));
	char *reach = xcalloc((size_t)ns, 1), *finish = xcalloc((size_t)ns, 1);
	reach[status_index(wf, wf->initial)] = 1;
	spread(wf, reach, 0);
	for (int i = 0; i < ns; i++)
		if (!reach[i])
			problem(&p, "%s: workflow.%s: status '%s' is unreachable from '%s'", where,
				wf->kind, wf->statuses[i], wf->initial);
	if (wf->nresolved == 0)
		problem(&p, "%s: workflow.%s: no resolved statuses, so nothing is ever resolved",
			where, wf->kind);
	for (int i = 0; i < wf->nresolved; i++)
		finish[status_index(wf, wf->resolved[i])] = 1;
	spread(wf, finish, 1);
	for (int i = 0; i < ns; i++) {
		if (crm_workflow_is_resolved(wf, wf->statuses[i]))
			continue;
		int out_moves = 0;
		for (int j = 0; j < wf->ntr; j++)
			out_moves += crm_workflow_leaves(&wf->tr[j], wf->statuses[i]) &&
				     strcasecmp(wf->tr[j].to, wf->statuses[i]) != 0;
		if (!out_moves)
			problem(&p, "%s: workflow.%s: status '%s' is a dead end: no transition leaves it",
				where, wf->kind, wf->statuses[i]);
		else if (wf->nresolved && !finish[i])
			problem(&p, "%s: workflow.%s: status '%s' is a dead end: no resolved status can be "
				"reached from it", where, wf->kind, wf->statuses[i]);
	}
	const struct crm_conf_node *roles = crm_config_node(cfg, "roles");
	for (int i = 0; i < wf->ntr; i++) {
		const struct crm_wf_transition *t = &wf->tr[i];
		for (int j = 0; j < t->nroles; j++)
			if (strcmp(t->roles[j], "*") != 0 && !crm_conf_get(roles, t->roles[j]))
				problem(&p, "%s: workflow.%s: transition '%s' names unknown role '%s' (roles: "
					"defines them)", crm_wf_where(crm_conf_get(t->node, "roles")), wf->kind,
					t->name, t->roles[j]);
		for (int j = 0; j < t->nusers; j++) {
			const struct crm_field *steps[8];
			int n;
			const struct crm_kind *to = k ? path_kind(k, t->users[j], steps, &n) : NULL;
			if (k && (!to || strcmp(to->name, "user") != 0))
				problem(&p, "%s: workflow.%s: transition '%s': users names '%s', which is not a "
					"path of reference fields to a user (project.manager)",
					crm_wf_where(crm_conf_get(t->node, "users")), wf->kind, t->name, t->users[j]);
		}
		for (int j = 0; k && j < t->nrequired; j++)
			if (!crm_kind_field(k, t->required[j], NULL))
				problem(&p, "%s: workflow.%s: transition '%s' requires unknown field '%s'",
					crm_wf_where(crm_conf_get(t->node, "required")), wf->kind, t->name,
					t->required[j]);
		for (int j = 0; k && j < t->nclear; j++) {
			const struct crm_field *f = crm_kind_field(k, t->clear[j], NULL);
			if (!f || (f->flags & (CRM_FF_READONLY | CRM_FF_REQUIRED | CRM_FF_WORKFLOW)))
				problem(&p, "%s: workflow.%s: transition '%s' clears %s field '%s'",
					crm_wf_where(crm_conf_get(t->node, "clear")), wf->kind, t->name,
					f ? "the required or read-only" : "unknown", t->clear[j]);
		}
	}
	if (k && !crm_workflow_field(k))
		problem(&p, "%s: workflow.%s: %s has no status for a workflow to govern", crm_wf_where(wf->node),
			wf->kind, k->plural);
	free(reach);
	free(finish);
	*out = p.items;
	return p.n;
}

void crm_workflow_problems_free(char **problems, int n)
{
	for (int i = 0; i < n; i++)
		free(problems[i]);
	free(problems);
}

/* ---------------------------------------------------------------- graph */

static void dot_string(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addn(b, "\\", 1);
		if (*s == '\n')
			sb_add(b, "\\n");
		else
			sb_addn(b, s, 1);
	}
}

char *crm_workflow_dot(const struct crm_workflow *wf)
{
	struct strbuf b = { 0 };
	sb_add(&b, "digraph \"");
	dot_string(&b, wf->kind);
	sb_add(&b, "\" {\n\trankdir=LR;\n\tnode [shape=box, style=rounded];\n"
		   "\t\"\" [shape=point];\n\t\"\" -> \"");
	dot_string(&b, wf->initial);
	sb_add(&b, "\";\n");
	for (int i = 0; i < wf->nstatuses; i++) {
		sb_add(&b, "\t\"");
		dot_string(&b, wf->statuses[i]);
		sb_add(&b, crm_workflow_is_resolved(wf, wf->statuses[i]) ? "\" [peripheries=2];\n" : "\";\n");
	}
	for (int i = 0; i < wf->ntr; i++) {
		const struct crm_wf_transition *t = &wf->tr[i];
		struct strbuf label = { 0 };
		dot_string(&label, t->name);
		if (t->nroles || t->nusers) {
			sb_add(&label, "\\n[");
			for (int j = 0; j < t->nroles + t->nusers; j++) {
				if (j)
					sb_add(&label, ", ");
				dot_string(&label, j < t->nroles ? t->roles[j] : t->users[j - t->nroles]);
			}
			sb_add(&label, "]");
		}
		if (t->permission) {
			sb_add(&label, "\\n[");
			dot_string(&label, t->permission);
			sb_add(&label, "]");
		}
		if (t->nclear) {
			sb_add(&label, "\\nclears ");
			for (int j = 0; j < t->nclear; j++) {
				if (j)
					sb_add(&label, ", ");
				dot_string(&label, t->clear[j]);
			}
		}
		if (t->nrequired) {
			sb_add(&label, "\\nneeds ");
			for (int j = 0; j < t->nrequired; j++) {
				if (j)
					sb_add(&label, ", ");
				dot_string(&label, t->required[j]);
			}
		}
		for (int s = 0; s < wf->nstatuses; s++) {
			if (!crm_workflow_leaves(t, wf->statuses[s]))
				continue;
			sb_add(&b, "\t\"");
			dot_string(&b, wf->statuses[s]);
			sb_add(&b, "\" -> \"");
			dot_string(&b, t->to);
			sb_addf(&b, "\" [label=\"%s\"];\n", label.s ? label.s : "");
		}
		sb_free(&label);
	}
	sb_add(&b, "}\n");
	return sb_take(&b);
}

/* ---------------------------------------------------------------- the engine's side */

const struct crm_field *crm_workflow_field(const struct crm_kind *k)
{
	for (int i = 0; k && i < k->nfields; i++)
		if (k->fields[i].flags & CRM_FF_WORKFLOW)
			return &k->fields[i];
	return NULL;
}

/* Loaded once per process and configuration: an import checks every row against it. */
static struct {
	const struct crm_config *cfg;
	char kind[32];
	struct crm_workflow *wf;
	struct crm_err err;
} cache[16];
static int ncache;

void crm_workflow_reset(void)
{
	for (int i = 0; i < ncache; i++)
		crm_workflow_free(cache[i].wf);
	memset(cache, 0, sizeof cache);
	ncache = 0;
}

int crm_workflow_get(struct crm *crm, const struct crm_kind *k, const struct crm_workflow **out,
		     struct crm_err *err)
{
	*out = NULL;
	if (!crm_workflow_field(k))
		return CRM_OK;
	int i = 0;
	for (; i < ncache; i++)
		if (cache[i].cfg == crm->cfg && strcmp(cache[i].kind, k->name) == 0)
			break;
	if (i == ncache) {
		if (ncache == (int)(sizeof cache / sizeof *cache))
			crm_workflow_reset(), i = 0;
		ncache++;
		cache[i].cfg = crm->cfg;
		snprintf(cache[i].kind, sizeof cache[i].kind, "%s", k->name);
		crm_workflow_load(crm->cfg, k->name, &cache[i].wf, &cache[i].err);
		/* The kind names point at descriptors that outlive the cache. */
		if (cache[i].wf)
			cache[i].wf->kind = k->name;
	}
	if (!cache[i].wf) {
		if (err)
			*err = cache[i].err;
		return cache[i].err.code;
	}
	*out = cache[i].wf;
	return CRM_OK;
}

static struct {
	const char *kind, *name, *comment;
	long long id;
} intent;

static int reverting;

void crm_workflow_reverting(int on)
{
	reverting = on;
}

void crm_workflow_intend(const struct crm_kind *k, long long id, const char *name, const char *comment)
{
	intent.kind = name ? k->name : NULL;
	intent.id = id;
	intent.name = name;
	intent.comment = comment;
}

int crm_workflow_intended(const struct crm_kind *k, long long id)
{
	return intent.kind && strcmp(intent.kind, k->name) == 0 && intent.id == id;
}

int crm_workflow_is_status(const struct crm_workflow *wf, const char *name)
{
	return status_index(wf, name) >= 0;
}

/* Is the current user the one path names on ev's record? The first step's value is the one
 * about to be written (ev->get) or, without it, the stored one; each further step is read. */
static int path_names_me(struct crm *crm, const struct crm_wf_event *ev, const char *path)
{
	const struct crm_field *steps[8];
	int n;
	const struct crm_kind *to = path_kind(ev->kind, path, steps, &n);
	if (!to || strcmp(to->name, "user") != 0)
		return 0;
	long long ref = 0;
	const char *v = ev->get ? ev->get(ev->ctx, steps[0]->name) : NULL;
	const struct crm_kind *at = ev->kind;
	int i = 0;
	if (v)
		ref = atoll(v), at = crm_kind_find(steps[0]->ref), i = 1;
	else if (!ev->id)
		return 0;
	else
		ref = ev->id;
	for (; i < n && ref > 0; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?", steps[i]->column, at->table);
		crm_stmt *st;
		struct crm_err ignored = { 0 };
		if (crm_stmt_get(crm, sql, &st, &ignored))
			return 0;
		crm_bind_int64(st, 1, ref);
		ref = crm_step(st) == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
		crm_stmt_done(st);
		at = crm_kind_find(steps[i]->ref);
	}
	if (ref <= 0)
		return 0;
	crm_stmt *st;
	struct crm_err ignored = { 0 };
	if (crm_stmt_get(crm, "SELECT login FROM users WHERE id = ?", &st, &ignored))
		return 0;
	crm_bind_int64(st, 1, ref);
	int me = crm_step(st) == CRM_SQL_ROW && crm_col_text(st, 0) &&
		 strcasecmp((const char *)crm_col_text(st, 0), crm->user) == 0;
	crm_stmt_done(st);
	return me;
}

int crm_workflow_allowed(struct crm *crm, const struct crm_wf_transition *t, const char *roles,
			 const struct crm_wf_event *ev, struct crm_err *err)
{
	int ok = t->nroles == 0 && t->nusers == 0;
	char *copy = xstrdup(roles ? roles : ""), *save = NULL;
	for (char *r = strtok_r(copy, ", ", &save); r && !ok; r = strtok_r(NULL, ", ", &save))
		for (int i = 0; i < t->nroles && !ok; i++)
			ok = strcmp(t->roles[i], "*") == 0 || strcmp(t->roles[i], r) == 0;
	free(copy);
	for (int i = 0; i < t->nusers && !ok && ev && ev->kind; i++)
		ok = path_names_me(crm, ev, t->users[i]);
	if (!ok) {
		struct strbuf r = { 0 };
		join_roles(&r, t);
		for (int i = 0; i < t->nusers; i++)
			sb_addf(&r, "%s%s's %s", i ? ", " : t->nroles ? " and the " : "the ", ev && ev->kind ?
				ev->kind->name : "record", t->users[i]);
		int rc = crm_error(err, CRM_EPERM, "transition '%s' is for %s%s only (yours: %s)", t->name,
				   t->nroles ? "the roles " : "", r.s, roles && *roles ? roles : "none");
		sb_free(&r);
		return rc;
	}
	if (t->permission && crm_auth_check(crm, t->permission, err))
		return crm_error(err, CRM_EPERM, "permission denied: user '%s' may not take transition '%s' "
				 "(needs %s)", crm->user, t->name, t->permission);
	return CRM_OK;
}

/* "<kind> '<label>': " before the message, and the status field named as the one at fault. */
static int about_record(const struct crm_workflow *wf, const char *label, const char *field, int rc,
			struct crm_err *err)
{
	if (!err)
		return rc;
	struct strbuf b = { 0 };
	sb_addf(&b, "%s '%s': %s", crm_noun(wf->kind), label ? label : "new", err->msg);
	size_t n = b.len < sizeof err->msg - 1 ? b.len : sizeof err->msg - 1;
	memcpy(err->msg, b.s, n);
	err->msg[n] = '\0';
	sb_free(&b);
	if (field && !err->field[0])
		snprintf(err->field, sizeof err->field, "%s", field);
	return rc;
}

/* The shortest path of transitions this user may take from the initial status to `to`
 * (breadth first over the statuses). 1 when there is one, 0 when there is none, -1 when there
 * would be one but for the user's roles or permissions. */
static int path_to(struct crm *crm, const struct crm_workflow *wf, const char *to, const char *roles,
		   struct crm_wf_event *ev)
{
	int ns = wf->nstatuses, found = 0, blocked = 0;
	int *via = xcalloc((size_t)ns, sizeof *via), *prev = xcalloc((size_t)ns, sizeof *prev);
	int *queue = xcalloc((size_t)ns, sizeof *queue), head = 0, tail = 0;
	for (int i = 0; i < ns; i++)
		via[i] = -1;
	int start = status_index(wf, wf->initial), goal = status_index(wf, to);
	via[start] = -2;
	queue[tail++] = start;
	while (head < tail && !found) {
		int s = queue[head++];
		for (int i = 0; i < wf->ntr; i++) {
			const struct crm_wf_transition *t = &wf->tr[i];
			int d = status_index(wf, t->to);
			if (via[d] != -1 || !crm_workflow_leaves(t, wf->statuses[s]))
				continue;
			struct crm_err ignored = { 0 };
			if (crm_workflow_allowed(crm, t, roles, ev, &ignored)) {
				blocked = 1;
				continue;
			}
			via[d] = i;
			prev[d] = s;
			queue[tail++] = d;
			found |= d == goal;
		}
	}
	int n = 0;
	for (int s = goal; found && via[s] >= 0; s = prev[s])
		n++;
	if (found && n <= (int)(sizeof ev->path / sizeof *ev->path)) {
		ev->npath = n;
		for (int s = goal; via[s] >= 0; s = prev[s]) {
			ev->path[--n] = &wf->tr[via[s]];
			ev->froms[n] = wf->statuses[prev[s]];
		}
	}
	free(via);
	free(prev);
	free(queue);
	return found && ev->npath ? 1 : blocked ? -1 : 0;
}

int crm_workflow_enter(struct crm *crm, const struct crm_workflow *wf, long long id, const char *label,
		       const char *from, const char *to, struct crm_wf_event *ev, struct crm_err *err)
{
	const struct crm_field *sf = crm_workflow_field(ev->kind);
	const char *field = sf ? sf->name : "status";
	int intended = intent.name && id && intent.id == id && strcmp(intent.kind, ev->kind->name) == 0;
	ev->wf = wf;
	ev->t = NULL;
	ev->id = id;
	ev->npath = 0;
	ev->comment = intended ? intent.comment : NULL;
	if (!to || !*to) {
		if (!from || !*from)
			return CRM_OK;
		return about_record(wf, label, field, crm_error(err, CRM_EINVALID, "the %s cannot be emptied "
				    "(it moves along workflow.%s)", field, wf->kind), err);
	}
	const char *canon_from = from ? crm_workflow_status(wf, from) : wf->initial;
	if (!canon_from)
		return CRM_OK; /* written before the workflow knew it: free to move on */
	if (!intended && strcasecmp(canon_from, to) == 0)
		return CRM_OK;
	int rc = CRM_OK;
	if (reverting && from) {
		/* An import revert puts back the status the batch moved: no transition of the
		 * workflow's, but one step named "revert" so that the effects record it. */
		static struct crm_wf_transition back;
		const char *canon_to = crm_workflow_status(wf, to);
		back = (struct crm_wf_transition){ .name = "revert", .to = canon_to ? canon_to : to };
		ev->path[0] = &back;
		ev->froms[0] = canon_from;
		ev->npath = 1;
		goto effects;
	}
	char *roles = crm_user_roles(crm);
	if (from || intended) {
		const struct crm_wf_transition *t = NULL;
		rc = crm_workflow_move(wf, canon_from, intended ? intent.name : to, roles, &t, err);
		if (!rc && strcasecmp(t->to, to) != 0)
			rc = crm_error(err, CRM_ECONFLICT, "transition '%s' goes to '%s', not '%s'", t->name, t->to, to);
		if (!rc)
			rc = crm_workflow_allowed(crm, t, roles, ev, err);
		if (!rc) {
			ev->path[0] = t;
			ev->froms[0] = canon_from;
			ev->npath = 1;
		}
	} else {
		int found = path_to(crm, wf, to, roles, ev);
		if (found < 0)
			rc = crm_error(err, CRM_EPERM, "cannot start in '%s': the transitions from '%s' that lead "
				       "there are not yours to take", to, wf->initial);
		else if (!found)
			rc = crm_error(err, CRM_ECONFLICT, "cannot start in '%s': no transitions lead there from '%s'",
				       to, wf->initial);
	}
	free(roles);
	if (rc)
		return about_record(wf, label, field, rc, err);
effects:
	for (int step = 0; step < ev->npath && !rc; step++) {
		ev->t = ev->path[step];
		ev->from = ev->froms[step];
		for (int i = 0; i < wf->neffects && !rc; i++)
			if (wf->effects[i]->before)
				rc = wf->effects[i]->before(crm, ev, err);
		for (int i = 0; i < ev->t->nclear && !rc; i++)
			rc = ev->set(ev->ctx, ev->t->clear[i], NULL, err);
	}
	for (int step = 0; step < ev->npath && !rc; step++)
		if ((rc = crm_workflow_required(ev->path[step], ev->get, ev->ctx, err)))
			return about_record(wf, label, NULL, rc, err);
	return rc;
}

int crm_workflow_entered(struct crm *crm, struct crm_wf_event *ev, long long id, struct crm_err *err)
{
	int rc = CRM_OK;
	ev->id = id;
	for (int step = 0; step < ev->npath && !rc; step++) {
		ev->t = ev->path[step];
		ev->from = ev->froms[step];
		for (int i = 0; i < ev->wf->neffects && !rc; i++)
			if (ev->wf->effects[i]->after)
				rc = ev->wf->effects[i]->after(crm, ev, err);
	}
	return rc;
}

int crm_workflow_written(struct crm *crm, const struct crm_kind *k, long long id, const char *what,
			 struct crm_err *err)
{
	const struct crm_workflow *wf;
	int rc = crm_workflow_get(crm, k, &wf, err);
	for (int i = 0; !rc && wf && i < wf->neffects; i++)
		if (wf->effects[i]->written)
			rc = wf->effects[i]->written(crm, k, id, what, err);
	return rc;
}

static int go(struct crm *crm, const struct crm_kind *k, long long id, const char *name, int exact,
	      const struct crm_assign *set, int nset, const char *comment, int *changed,
	      const char **taken, struct crm_err *err);

int crm_workflow_take(struct crm *crm, const struct crm_kind *k, long long id, const char *name,
		      const struct crm_assign *set, int nset, const char *comment, int *changed,
		      struct crm_err *err)
{
	return go(crm, k, id, name, 1, set, nset, comment, changed, NULL, err);
}

int crm_workflow_go(struct crm *crm, const struct crm_kind *k, long long id, const char *to,
		    const struct crm_assign *set, int nset, const char *comment, const char **taken,
		    struct crm_err *err)
{
	if (strcmp(k->name, "ticket") == 0) /* a ticket's comment is one of its actions */
		return crm_ticket_transition(crm, id, to, set, nset, comment, taken, err);
	const struct crm_field *sf = crm_workflow_field(k);
	for (int i = 0; sf && i < nset; i++)
		if (strcmp(set[i].field, sf->name) == 0)
			return crm_error(err, CRM_EUSAGE, "give the %s to move to as the transition, not as a field",
					 sf->name);
	return go(crm, k, id, to, 0, set, nset, comment, NULL, taken, err);
}

static int go(struct crm *crm, const struct crm_kind *k, long long id, const char *name, int exact,
	      const struct crm_assign *set, int nset, const char *comment, int *changed,
	      const char **taken, struct crm_err *err)
{
	static char taken_name[128];
	if (taken)
		*taken = NULL;
	const struct crm_workflow *wf;
	const struct crm_field *sf = crm_workflow_field(k);
	if (changed)
		*changed = 0;
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc)
		return rc;
	if (!wf)
		return crm_error(err, CRM_EUSAGE, "%s have no workflow", k->plural);
	char term[48];
	snprintf(term, sizeof term, "id:%lld", id);
	/* the record named in messages by the first of its positional fields that is not a
	 * reference (a section: its name, not its offer), else by its number */
	char first[64] = "id", words[256], *save = NULL;
	snprintf(words, sizeof words, "%s", k->positional ? k->positional : "");
	/* a label that is a natural key (an offer's number) first: the user names it so */
	const struct crm_field *lf = strncmp(k->label_sql, "t.", 2) == 0 ? crm_kind_field(k, k->label_sql + 2, NULL)
									   : NULL;
	if (lf && (lf->flags & CRM_FF_KEY)) {
		snprintf(first, sizeof first, "%s", lf->name);
		words[0] = '\0';
	}
	for (char *w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		const struct crm_field *f = crm_kind_field(k, w, NULL);
		if (f && f->type != CRM_F_REF && f->type != CRM_F_LINKS) {
			snprintf(first, sizeof first, "%s", f->name);
			break;
		}
	}
	/* a part by its whole and its name (OF-2026-0001/Introduction), as it is named */
	const struct crm_field *whole = crm_kind_whole_field(k);
	const char *terms[] = { term }, *fields[] = { sf->name, first, whole ? whole->name : NULL };
	struct crm_query q = { .kind = k, .terms = terms, .nterms = 1, .fields = fields, .nfields = whole ? 3 : 2 };
	struct crm_cursor *cur;
	if ((rc = crm_query_open(crm, &q, &cur, err)))
		return rc;
	const struct crm_value *cells;
	char *from = NULL, *label = NULL;
	if ((rc = crm_cursor_next(cur, &cells, err)) == 1) {
		from = cells[0].text ? xstrdup(cells[0].text) : NULL;
		if (whole && cells[2].text && *cells[2].text && strcmp(first, "id") != 0)
		{
			struct strbuf q2 = { 0 };
			sb_addf(&q2, "%s/%s", cells[2].text, cells[1].text ? cells[1].text : "");
			label = sb_take(&q2);
		}
		else
			label = xstrdup(cells[1].text ? cells[1].text : "");
		rc = CRM_OK;
	} else {
		rc = rc < 0 ? -rc : crm_error(err, CRM_ENOTFOUND, "%s %lld not found", k->name, id);
	}
	crm_cursor_close(cur);
	const struct crm_wf_transition *t = NULL;
	if (!rc && exact && from && !crm_workflow_transition(wf, from, name)) {
		/* Already where it leads: nothing to do. */
		for (int i = 0; i < wf->ntr; i++)
			if (strcasecmp(wf->tr[i].name, name) == 0 && strcasecmp(wf->tr[i].to, from) == 0)
				goto out;
	}
	char *roles = rc ? NULL : crm_user_roles(crm);
	if (!rc && (rc = crm_workflow_move(wf, from ? from : wf->initial, name, roles, &t, err)) == CRM_OK &&
	    exact && strcasecmp(t->name, name) != 0)
		rc = crm_error(err, CRM_ECONFLICT, "cannot %s from '%s'", name, from ? from : wf->initial);
	free(roles);
	if (rc) {
		if (rc != CRM_ENOTFOUND)
			about_record(wf, label, sf->name, rc, err);
		goto out;
	}
	struct crm_assign *all = xcalloc((size_t)nset + 1, sizeof *all);
	for (int i = 0; i < nset; i++)
		all[i] = set[i];
	all[nset] = (struct crm_assign){ sf->name, t->to };
	crm_workflow_intend(k, id, t->name, comment);
	rc = crm_record_edit(crm, k, id, all, nset + 1, NULL, err);
	crm_workflow_intend(k, 0, NULL, NULL);
	free(all);
	if (!rc && changed)
		*changed = 1;
	if (!rc && taken) {
		snprintf(taken_name, sizeof taken_name, "%s", t->name);
		*taken = taken_name;
	}
out:
	free(from);
	free(label);
	return rc;
}

int crm_workflow_transitions_print(struct crm *crm, const struct crm_kind *k, long long id,
				   struct crm_printer *p, struct crm_err *err)
{
	if (strcmp(k->name, "ticket") == 0)
		return crm_ticket_transitions_print(crm, id, p, 0, NULL, err);
	const struct crm_workflow *wf;
	const struct crm_field *sf = crm_workflow_field(k);
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc)
		return rc;
	if (!wf || !sf)
		return crm_error(err, CRM_EUSAGE, "%s have no workflow", k->plural);
	char term[48];
	snprintf(term, sizeof term, "id:%lld", id);
	const char *terms[] = { term }, *fields[] = { sf->name };
	struct crm_query q = { .kind = k, .terms = terms, .nterms = 1, .fields = fields, .nfields = 1 };
	struct crm_cursor *cur;
	if ((rc = crm_query_open(crm, &q, &cur, err)))
		return rc;
	const struct crm_value *cells;
	char *from = NULL;
	if ((rc = crm_cursor_next(cur, &cells, err)) == 1) {
		from = xstrdup(cells[0].text ? cells[0].text : wf->initial);
		rc = CRM_OK;
	} else {
		rc = rc < 0 ? -rc : crm_error(err, CRM_ENOTFOUND, "%s %lld not found", k->name, id);
	}
	crm_cursor_close(cur);
	if (rc)
		return rc;
	static const char *const names[] = { "name", "from", "to", "roles", "needs" };
	crm_printer_columns(p, names, 5);
	char *roles = crm_user_roles(crm);
	struct crm_wf_event on = { .kind = k, .wf = wf, .id = id };
	for (int i = 0; i < wf->ntr; i++) {
		const struct crm_wf_transition *t = &wf->tr[i];
		struct crm_err denied = { 0 };
		if (!crm_workflow_leaves(t, from) || crm_workflow_allowed(crm, t, roles, &on, &denied))
			continue;
		struct strbuf rl = { 0 }, need = { 0 };
		for (int j = 0; j < t->nroles; j++)
			sb_addf(&rl, "%s%s", j ? ", " : "", t->roles[j]);
		for (int j = 0; j < t->nusers; j++) /* and who else: "project.manager" */
			sb_addf(&rl, "%s%s", rl.len ? ", " : "", t->users[j]);
		for (int j = 0; j < t->nrequired; j++)
			sb_addf(&need, "%s%s", j ? ", " : "", t->required[j]);
		struct crm_value row[5] = {
			{ CRM_V_TEXT, t->name }, { CRM_V_TEXT, from }, { CRM_V_TEXT, t->to },
			{ rl.len ? CRM_V_TEXT : CRM_V_NULL, rl.s }, { need.len ? CRM_V_TEXT : CRM_V_NULL, need.s },
		};
		crm_printer_row(p, row);
		sb_free(&rl);
		sb_free(&need);
	}
	free(roles);
	free(from);
	return CRM_OK;
}
