/* Status workflows read from the configuration: which moves exist, who may take them, what
 * they need, whether the whole is sound, and its picture as a Graphviz graph. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/workflow.h"
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
	for (int i = 0; i < wf->ntr; i++) {
		free(wf->tr[i].from);
		free(wf->tr[i].roles);
		free(wf->tr[i].required);
	}
	free(wf->tr);
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
				 "roles and required", crm_wf_where(n), wf->kind, what);
	static const char *const keys[] = { "name", "from", "to", "roles", "required", NULL };
	for (size_t i = 0; i < crm_conf_count(n); i++) {
		int ok = 0;
		for (int j = 0; keys[j]; j++)
			ok |= strcmp(crm_conf_key(n, i), keys[j]) == 0;
		if (!ok)
			return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: %s has unknown key '%s' (name, from, "
					 "to, roles, required)", crm_wf_where(crm_conf_child(n, i)), wf->kind,
					 what, crm_conf_key(n, i));
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
	if (string_list(crm_conf_get(n, "required"), 0, &t->required, &t->nrequired))
		return crm_error(err, CRM_ECONFIG, "%s: workflow.%s: required of %s must be a list of field "
				 "names", crm_wf_where(crm_conf_get(n, "required")), wf->kind, what);
	return CRM_OK;
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
				 "transitions)", crm_wf_where(n), path);
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
	*out = wf;
	return CRM_OK;
fail:
	crm_workflow_free(wf);
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
	if (t->nroles == 0)
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
	int rc = crm_error(err, CRM_ECONFLICT, "cannot go from '%s' to '%s'%s; allowed: %s", from, to,
			   known ? "" : " (no such status or transition)",
			   allowed.len ? allowed.s : "none");
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
		for (int j = 0; k && j < t->nrequired; j++)
			if (!crm_kind_field(k, t->required[j], NULL))
				problem(&p, "%s: workflow.%s: transition '%s' requires unknown field '%s'",
					crm_wf_where(crm_conf_get(t->node, "required")), wf->kind, t->name,
					t->required[j]);
	}
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
		if (t->nroles) {
			sb_add(&label, "\\n[");
			for (int j = 0; j < t->nroles; j++) {
				if (j)
					sb_add(&label, ", ");
				dot_string(&label, t->roles[j]);
			}
			sb_add(&label, "]");
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
