/* Task processes and contact forms (issue 11, points 5 and 4; crm/process.h). A process's
 * steps and a form's fields live in the configuration; what a run has done lives in
 * process_runs and in its tasks (process_id, process_step, unique together). Every task is
 * written by the record engine (crm_record_add: validated, in history); only the run's own row
 * is written here. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/date.h"
#include "crm/kind.h"
#include "crm/process.h"
#include "crm/record.h"
#include "crm/task.h"
#include "crm/workflow.h"
#include "db.h"
#include "util.h"

/* ---------------------------------------------------------------- configuration */

static const char *scalar(const struct crm_conf_node *map, const char *key)
{
	const struct crm_conf_node *v = map ? crm_conf_get(map, key) : NULL;
	return v ? crm_conf_scalar(v) : NULL;
}

static int truthy(const char *v)
{
	return v && (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
		     strcasecmp(v, "on") == 0);
}

static int bool_ok(const char *v)
{
	return !v || truthy(v) || strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
	       strcasecmp(v, "off") == 0;
}

/* An offset is a signed date expression, +2d, +1w, +3h... (crm_date_parse's). */
static int offset_ok(const char *v)
{
	char out[40];
	struct crm_err ignored = { 0 };
	return v && (v[0] == '+' || v[0] == '-') && crm_date_parse(v, 0, out, sizeof out, &ignored) == CRM_OK;
}

static int where_err(struct crm_err *err, const struct crm_conf_node *n, const char *path, const char *what)
{
	return crm_error(err, CRM_ECONFIG, "%s:%d:%d: %s: %s (see crm-config(5))", crm_conf_source(n), crm_conf_line(n),
			 crm_conf_column(n), path, what);
}

int crm_process_step_check(const struct crm_config *cfg, const struct crm_conf_node *s, const char *path,
			   const char *what, int roles, struct crm_err *err)
{
	char msg[256];
	if (crm_conf_type(s) != CRM_CONF_MAP) {
		snprintf(msg, sizeof msg, "each %s is a map: {title: ..., offset: +2d, assignee: ...}", what);
		return where_err(err, s, path, msg);
	}
	const char *title = scalar(s, "title"), *offset = scalar(s, "offset"), *role = scalar(s, "role");
	if (!title || !*title) {
		snprintf(msg, sizeof msg, "a %s needs a title", what);
		return where_err(err, s, path, msg);
	}
	if (crm_conf_get(s, "offset") && !offset_ok(offset)) {
		snprintf(msg, sizeof msg, "offset '%.100s' is not a signed date offset (+2d, +1w, +3h)", offset ? offset : "");
		return where_err(err, crm_conf_get(s, "offset"), path, msg);
	}
	if (roles && role) {
		char key[200];
		snprintf(key, sizeof key, "roles.%s", role);
		if (!crm_config_node(cfg, key)) {
			snprintf(msg, sizeof msg, "no role '%.100s' in roles", role);
			return where_err(err, crm_conf_get(s, "role"), path, msg);
		}
		if (crm_conf_get(s, "assignee")) {
			snprintf(msg, sizeof msg, "a %s has an assignee or a role, not both", what);
			return where_err(err, s, path, msg);
		}
	}
	if (roles && !bool_ok(scalar(s, "approval")))
		return where_err(err, crm_conf_get(s, "approval"), path, "approval is yes or no");
	return CRM_OK;
}

int crm_process_config_check(const struct crm_config *cfg, struct crm_err *err)
{
	char path[300];
	const struct crm_conf_node *ps = crm_config_node(cfg, "processes"), *fs = crm_config_node(cfg, "forms");
	if (ps && crm_conf_type(ps) != CRM_CONF_MAP)
		return where_err(err, ps, "processes", "a map of process names to their steps");
	for (size_t i = 0; ps && i < crm_conf_count(ps); i++) {
		const struct crm_conf_node *p = crm_conf_child(ps, i);
		snprintf(path, sizeof path, "processes.%.200s", crm_conf_key(ps, i));
		if (crm_conf_type(p) != CRM_CONF_SEQ || crm_conf_count(p) == 0)
			return where_err(err, p, path, "a process is a list of steps, at least one");
		for (size_t j = 0; j < crm_conf_count(p); j++) {
			char sp[340];
			snprintf(sp, sizeof sp, "%s[%zu]", path, j + 1);
			int rc = crm_process_step_check(cfg, crm_conf_child(p, j), sp, "step", 1, err);
			if (rc)
				return rc;
		}
	}
	if (fs && crm_conf_type(fs) != CRM_CONF_MAP)
		return where_err(err, fs, "forms", "a map of form names to their fields, follow-ups and process");
	for (size_t i = 0; fs && i < crm_conf_count(fs); i++) {
		const struct crm_conf_node *f = crm_conf_child(fs, i);
		snprintf(path, sizeof path, "forms.%.200s", crm_conf_key(fs, i));
		if (crm_conf_type(f) != CRM_CONF_MAP)
			return where_err(err, f, path, "a form is a map: {fields: [...], follow_up: [...], process: <name>}");
		const struct crm_conf_node *fields = crm_conf_get(f, "fields"), *fu = crm_conf_get(f, "follow_up");
		if (fields && crm_conf_type(fields) != CRM_CONF_SEQ)
			return where_err(err, fields, path, "fields is a list of field names");
		if (fu && crm_conf_type(fu) != CRM_CONF_SEQ)
			return where_err(err, fu, path, "follow_up is a list of {title, offset, assignee}");
		for (size_t j = 0; fu && j < crm_conf_count(fu); j++) {
			char sp[340];
			snprintf(sp, sizeof sp, "%s.follow_up[%zu]", path, j + 1);
			int rc = crm_process_step_check(cfg, crm_conf_child(fu, j), sp, "step", 0, err);
			if (rc)
				return rc;
		}
		const char *proc = scalar(f, "process");
		char key[240], msg[200];
		snprintf(key, sizeof key, "processes.%.200s", proc ? proc : "");
		if (proc && !crm_config_node(cfg, key)) {
			snprintf(msg, sizeof msg, "no process '%.100s' in processes", proc);
			return where_err(err, crm_conf_get(f, "process"), path, msg);
		}
	}
	return CRM_OK;
}

/* ---------------------------------------------------------------- runs and steps */

static const struct crm_conf_node *process_node(struct crm *crm, const char *name)
{
	char key[300];
	snprintf(key, sizeof key, "processes.%.280s", name);
	const struct crm_conf_node *p = strchr(name, '.') ? NULL : crm_config_node(crm->cfg, key);
	return p && crm_conf_type(p) == CRM_CONF_SEQ ? p : NULL;
}

int crm_role_user(struct crm *crm, const char *role, char **login, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT login FROM users WHERE ',' || replace(coalesce(roles, ''), ' ', '') || ',' "
			     "LIKE ? ORDER BY id LIMIT 1", &st, err);
	if (rc)
		return rc;
	struct strbuf pat = { 0 };
	sb_addf(&pat, "%%,%s,%%", role);
	crm_bind_text(st, 1, pat.s);
	int step = crm_step(st);
	if (step == CRM_SQL_ROW)
		*login = xstrdup((const char *)crm_col_text(st, 0));
	else
		rc = step == CRM_SQL_DONE ? crm_error(err, CRM_EINVALID, "no user has the role '%s' a step or task is given to", role)
					  : crm_db_error(crm, step, "finding a user by role", err);
	crm_finalize(st);
	sb_free(&pat);
	return rc;
}

struct run_row {
	char *name;
	long long steps, links[5]; /* account, contact, project, ticket, activity; 0: none */
};

static int run_load(struct crm *crm, long long run, struct run_row *r, struct crm_err *err)
{
	memset(r, 0, sizeof *r);
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT name, steps, account_id, contact_id, project_id, ticket_id, activity_id "
			     "FROM process_runs WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, run);
	int step = crm_step(st);
	if (step == CRM_SQL_ROW) {
		r->name = xstrdup((const char *)crm_col_text(st, 0));
		r->steps = crm_col_int64(st, 1);
		for (int i = 0; i < 5; i++)
			r->links[i] = crm_col_type(st, 2 + i) == CRM_COL_NULL ? 0 : crm_col_int64(st, 2 + i);
	} else {
		rc = step == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "process run %lld not found", run)
					  : crm_db_error(crm, step, "reading a process run", err);
	}
	crm_finalize(st);
	return rc;
}

/* Step n (from 1) of run `run`, due its offset after `base`; nothing if the process has no such
 * step (any more) or the step was made already. Its task's number in *task (0: none made). */
static int make_step(struct crm *crm, long long run, long long n, time_t base, long long *task, struct crm_err *err)
{
	*task = 0;
	struct run_row r;
	int rc = run_load(crm, run, &r, err);
	if (rc)
		return rc;
	const struct crm_conf_node *p = process_node(crm, r.name);
	const struct crm_conf_node *s = p && n >= 1 && (size_t)n <= crm_conf_count(p) ? crm_conf_child(p, (size_t)n - 1) : NULL;
	crm_stmt *st;
	int exists = 0;
	if (s && !(rc = crm_prepare(crm, "SELECT count(*) FROM tasks WHERE process_id = ? AND process_step = ?", &st, err))) {
		crm_bind_int64(st, 1, run);
		crm_bind_int64(st, 2, n);
		exists = crm_step(st) == CRM_SQL_ROW && crm_col_int64(st, 0) > 0;
		crm_finalize(st);
	}
	if (!s || rc || exists) {
		free(r.name);
		return rc;
	}
	char due[40] = "", nums[7][24];
	const char *offset = scalar(s, "offset"), *assignee = scalar(s, "assignee"), *role = scalar(s, "role");
	char *login = NULL;
	if (offset && (rc = crm_date_parse(offset, base, due, sizeof due, err)))
		goto out;
	if (!assignee && role) {
		if ((rc = crm_role_user(crm, role, &login, err)))
			goto out;
		assignee = login;
	}
	struct crm_assign set[16];
	int nset = 0;
	static const char *const link_fields[] = { "account", "contacts", "project", "ticket", "activity" };
	set[nset++] = (struct crm_assign){ "title", scalar(s, "title") };
	if (scalar(s, "type"))
		set[nset++] = (struct crm_assign){ "type", scalar(s, "type") };
	if (*due)
		set[nset++] = (struct crm_assign){ "due", due };
	if (assignee)
		set[nset++] = (struct crm_assign){ "assignee", assignee };
	if (truthy(scalar(s, "approval")))
		set[nset++] = (struct crm_assign){ "approval", "yes" };
	for (int i = 0; i < 5; i++)
		if (r.links[i]) {
			snprintf(nums[i], sizeof nums[i], "%lld", r.links[i]);
			set[nset++] = (struct crm_assign){ link_fields[i], nums[i] };
		}
	snprintf(nums[5], sizeof nums[5], "%lld", run);
	snprintf(nums[6], sizeof nums[6], "%lld", n);
	set[nset++] = (struct crm_assign){ "process", nums[5] };
	set[nset++] = (struct crm_assign){ "step", nums[6] };
	if ((rc = crm_record_add(crm, crm_kind_find("task"), set, nset, task, err))) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "process %.200s, step %lld: %.700s", r.name, n, err->msg);
		memcpy(err->msg, msg, sizeof msg);
		goto out;
	}
	char now[32];
	crm_time_format_utc(crm_time(crm), now, sizeof now);
	if (!(rc = crm_prepare(crm, "UPDATE process_runs SET step = ?, updated = ? WHERE id = ? AND step < ?", &st, err))) {
		crm_bind_int64(st, 1, n);
		crm_bind_text(st, 2, now);
		crm_bind_int64(st, 3, run);
		crm_bind_int64(st, 4, n);
		int step = crm_step(st);
		if (step != CRM_SQL_DONE)
			rc = crm_db_error(crm, step, "moving a process run on", err);
		crm_finalize(st);
	}
out:
	free(login);
	free(r.name);
	return rc;
}

/* In the caller's transaction. */
static int start(struct crm *crm, const char *name, const struct crm_process_links *links, long long *run,
		 long long *task, struct crm_err *err)
{
	const struct crm_conf_node *p = process_node(crm, name);
	if (!p)
		return crm_error(err, CRM_ENOTFOUND, "no process '%s' in the configuration (processes.%s)", name, name);
	static const char *const kinds[] = { "account", "contact", "project", "ticket", "activity" };
	const char *refs[5] = { links->account, links->contact, links->project, links->ticket, links->activity };
	long long ids[5] = { 0 };
	int rc = CRM_OK;
	for (int i = 0; i < 5 && !rc; i++)
		if (refs[i])
			rc = crm_record_resolve(crm, crm_kind_find(kinds[i]), refs[i], &ids[i], err);
	if (rc)
		return rc;
	char now[32];
	crm_time_format_utc(crm_time(crm), now, sizeof now);
	crm_stmt *st;
	if ((rc = crm_prepare(crm, "INSERT INTO process_runs (name, steps, step, account_id, contact_id, project_id, "
			      "ticket_id, activity_id, started_by, created, updated) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err)))
		return rc;
	crm_bind_text(st, 1, name);
	crm_bind_int64(st, 2, (long long)crm_conf_count(p));
	for (int i = 0; i < 5; i++)
		if (ids[i])
			crm_bind_int64(st, 3 + i, ids[i]);
		else
			crm_bind_null(st, 3 + i);
	crm_bind_text(st, 8, crm_user(crm));
	crm_bind_text(st, 9, now);
	crm_bind_text(st, 10, now);
	int step = crm_step(st);
	crm_finalize(st);
	if (step != CRM_SQL_DONE)
		return crm_db_error(crm, step, "recording a process run", err);
	*run = crm_store_last_id(crm);
	return make_step(crm, *run, 1, crm_time(crm), task, err);
}

int crm_process_start(struct crm *crm, const char *name, const struct crm_process_links *links, long long *run,
		      long long *task, struct crm_err *err)
{
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if (!(rc = start(crm, name, links, run, task, err)))
		return crm_tx_commit(crm, err);
	crm_tx_rollback(crm);
	return rc;
}

/* ---------------------------------------------------------------- the workflow effect */

int crm_process_fx_before(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	(void)crm;
	if (!ev->t || !ev->t->name || strcmp(ev->t->name, "done") != 0 || !ev->get)
		return CRM_OK;
	if (truthy(ev->get(ev->ctx, "approval")))
		return crm_error(err, CRM_ECONFLICT, "task %lld needs approval: submit it, and an approver approves it",
				 ev->id);
	return CRM_OK;
}

int crm_process_fx_after(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	if (!crm_workflow_is_resolved(ev->wf, ev->t->to) || (ev->from && crm_workflow_is_resolved(ev->wf, ev->from)))
		return CRM_OK;
	crm_stmt *st;
	long long run = 0, n = 0;
	int rc = crm_prepare(crm, "SELECT process_id, process_step FROM tasks WHERE id = ? AND process_id IS NOT NULL",
			     &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, ev->id);
	if (crm_step(st) == CRM_SQL_ROW) {
		run = crm_col_int64(st, 0);
		n = crm_col_int64(st, 1);
	}
	crm_finalize(st);
	long long task;
	return run ? make_step(crm, run, n + 1, crm_time(crm), &task, err) : CRM_OK;
}

/* ---------------------------------------------------------------- forms */

static const struct crm_conf_node *form_node(struct crm *crm, const char *name, struct crm_err *err)
{
	char key[300];
	snprintf(key, sizeof key, "forms.%.280s", name);
	const struct crm_conf_node *f = strchr(name, '.') ? NULL : crm_config_node(crm->cfg, key);
	if (!f || crm_conf_type(f) != CRM_CONF_MAP)
		crm_error(err, CRM_ENOTFOUND, "no form '%s' in the configuration (forms.%s)", name, name);
	return f && crm_conf_type(f) == CRM_CONF_MAP ? f : NULL;
}

int crm_form_check(struct crm *crm, const struct crm_kind *k, const char *name, const struct crm_assign *set,
		   int nset, struct crm_err *err)
{
	const struct crm_conf_node *f = form_node(crm, name, err);
	if (!f)
		return CRM_ENOTFOUND;
	const struct crm_conf_node *fields = crm_conf_get(f, "fields");
	struct strbuf missing = { 0 };
	int nmissing = 0;
	for (size_t i = 0; fields && i < crm_conf_count(fields); i++) {
		const char *want = crm_conf_scalar(crm_conf_child(fields, i));
		if (!want)
			continue;
		const struct crm_field *wf = crm_kind_field(k, want, NULL);
		int found = 0;
		for (int j = 0; j < nset && !found; j++) {
			const struct crm_field *g = crm_kind_field(k, set[j].field, NULL);
			found = set[j].value && *set[j].value &&
				(wf ? g == wf : strcasecmp(set[j].field, want) == 0);
		}
		if (!found) {
			sb_addf(&missing, "%s%s", nmissing ? ", " : "", want);
			nmissing++;
		}
	}
	int rc = CRM_OK;
	if (nmissing)
		rc = crm_error(err, CRM_EINVALID, "form '%s': missing %s (the form needs %s); nothing written", name, missing.s,
			       nmissing > 1 ? "them" : "it");
	sb_free(&missing);
	return rc;
}

int crm_form_apply(struct crm *crm, const char *name, long long activity, int *ntasks, struct crm_err *err)
{
	*ntasks = 0;
	const struct crm_conf_node *f = form_node(crm, name, err);
	if (!f)
		return CRM_ENOTFOUND;
	const struct crm_conf_node *fu = crm_conf_get(f, "follow_up");
	int rc = CRM_OK;
	for (size_t i = 0; fu && i < crm_conf_count(fu) && !rc; i++) {
		const struct crm_conf_node *s = crm_conf_child(fu, i);
		const char *offset = scalar(s, "offset");
		long long task;
		rc = crm_task_follow_up_by(crm, activity, offset ? offset : "today", scalar(s, "title"), scalar(s, "assignee"),
					   &task, err);
		*ntasks += !rc;
	}
	const char *proc = scalar(f, "process");
	if (!rc && proc) {
		/* The run concerns what the activity did: its account, its first contact, its project. */
		crm_stmt *st;
		char refs[4][24] = { "", "", "", "" };
		if ((rc = crm_prepare(crm, "SELECT account_id, (SELECT min(target_id) FROM activity_contacts WHERE record_id = a.id), "
				      "(SELECT min(target_id) FROM activity_projects WHERE record_id = a.id) FROM activities a WHERE id = ?",
				      &st, err)))
			return rc;
		crm_bind_int64(st, 1, activity);
		if (crm_step(st) == CRM_SQL_ROW)
			for (int i = 0; i < 3; i++)
				if (crm_col_type(st, i) != CRM_COL_NULL)
					snprintf(refs[i], sizeof refs[i], "%lld", crm_col_int64(st, i));
		crm_finalize(st);
		snprintf(refs[3], sizeof refs[3], "%lld", activity);
		struct crm_process_links l = { *refs[0] ? refs[0] : NULL, *refs[1] ? refs[1] : NULL, *refs[2] ? refs[2] : NULL,
					       NULL, refs[3] };
		long long run, task;
		rc = start(crm, proc, &l, &run, &task, err);
		*ntasks += !rc && task;
	}
	return rc;
}
