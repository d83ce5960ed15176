/* Project templates and plans (issue 11, point 6; crm/plan.h). A template lives in the
 * configuration (project_templates.<name>); a plan lives in the records the engine keeps: the
 * project's tasks (their predecessors in task_after, the task kind's field after), its
 * deliverables and its milestones. Every record is written by the record engine (validated, in
 * history); a task's release is a transition of workflow.task, taken through the engine. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/date.h"
#include "crm/kind.h"
#include "crm/near.h"
#include "crm/plan.h"
#include "crm/process.h"
#include "crm/record.h"
#include "crm/workflow.h"
#include "db.h"
#include "util.h"

/* ---------------------------------------------------------------- configuration */

static const char *scalar(const struct crm_conf_node *map, const char *key)
{
	const struct crm_conf_node *v = map && crm_conf_type(map) == CRM_CONF_MAP ? crm_conf_get(map, key) : NULL;
	return v ? crm_conf_scalar(v) : NULL;
}

static int where(struct crm_err *err, const struct crm_conf_node *n, const char *path, const char *what)
{
	return crm_error(err, CRM_ECONFIG, "%s:%d:%d: %s: %s (see crm-config(5))", crm_conf_source(n), crm_conf_line(n),
			 crm_conf_column(n), path, what);
}

static int offset_ok(const char *v)
{
	char out[40];
	struct crm_err ignored = { 0 };
	return v && (v[0] == '+' || v[0] == '-') && crm_date_parse(v, 0, out, sizeof out, &ignored) == CRM_OK;
}

/* The keys an item names under `after`: a scalar is one key, a list several. */
static size_t after_count(const struct crm_conf_node *item)
{
	const struct crm_conf_node *a = crm_conf_type(item) == CRM_CONF_MAP ? crm_conf_get(item, "after") : NULL;
	if (!a)
		return 0;
	return crm_conf_type(a) == CRM_CONF_SEQ ? crm_conf_count(a) : 1;
}

static const char *after_key(const struct crm_conf_node *item, size_t i, const struct crm_conf_node **at)
{
	const struct crm_conf_node *a = crm_conf_get(item, "after");
	*at = crm_conf_type(a) == CRM_CONF_SEQ ? crm_conf_child(a, i) : a;
	return crm_conf_scalar(*at);
}

/* One template's items: tasks first, then deliverables, with their keys (NULL: none). */
struct items {
	const struct crm_conf_node *tasks, *dels, *mils;
	size_t ntasks, ndels, nmils;
};

static void items_of(const struct crm_conf_node *t, struct items *it)
{
	it->tasks = crm_conf_get(t, "tasks");
	it->dels = crm_conf_get(t, "deliverables");
	it->mils = crm_conf_get(t, "milestones");
	it->ntasks = it->tasks && crm_conf_type(it->tasks) == CRM_CONF_SEQ ? crm_conf_count(it->tasks) : 0;
	it->ndels = it->dels && crm_conf_type(it->dels) == CRM_CONF_SEQ ? crm_conf_count(it->dels) : 0;
	it->nmils = it->mils && crm_conf_type(it->mils) == CRM_CONF_SEQ ? crm_conf_count(it->mils) : 0;
}

/* Index of key among tasks (0..ntasks) and, with dels, deliverables (ntasks..); -1 if none. */
static long find_key(const struct items *it, const char *key, int dels)
{
	for (size_t i = 0; key && i < it->ntasks; i++) {
		const char *k = scalar(crm_conf_child(it->tasks, i), "key");
		if (k && strcmp(k, key) == 0)
			return (long)i;
	}
	for (size_t i = 0; key && dels && i < it->ndels; i++) {
		const char *k = scalar(crm_conf_child(it->dels, i), "key");
		if (k && strcmp(k, key) == 0)
			return (long)(it->ntasks + i);
	}
	return -1;
}

static int unknown_key(struct crm_err *err, const struct items *it, const struct crm_conf_node *at, const char *path,
		       const char *key, int dels)
{
	const char **names = xmalloc((it->ntasks + it->ndels + 1) * sizeof *names);
	size_t n = 0;
	for (size_t i = 0; i < it->ntasks; i++)
		if (scalar(crm_conf_child(it->tasks, i), "key"))
			names[n++] = scalar(crm_conf_child(it->tasks, i), "key");
	for (size_t i = 0; dels && i < it->ndels; i++)
		if (scalar(crm_conf_child(it->dels, i), "key"))
			names[n++] = scalar(crm_conf_child(it->dels, i), "key");
	const char *near = key ? crm_near(key, names, n) : NULL;
	char msg[400];
	snprintf(msg, sizeof msg, "after: no %s with the key '%.100s'%s%.100s%s", dels ? "task or deliverable" : "task",
		 key ? key : "", near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	free(names);
	return where(err, at, path, msg);
}

/* Depth-first search for a cycle through task i; state 1 on the path, 2 done. */
static int cycle_from(const struct items *it, size_t i, int *state, size_t *path, size_t depth, size_t *len)
{
	state[i] = 1;
	path[depth] = i;
	const struct crm_conf_node *t = crm_conf_child(it->tasks, i), *at;
	for (size_t j = 0; j < after_count(t); j++) {
		long p = find_key(it, after_key(t, j, &at), 0);
		if (p < 0)
			continue;
		if (state[p] == 1) { /* the cycle is path[k..depth] where path[k] == p */
			size_t k = 0;
			while (path[k] != (size_t)p)
				k++;
			memmove(path, path + k, (depth - k + 1) * sizeof *path);
			*len = depth - k + 1;
			return 1;
		}
		if (state[p] == 0 && cycle_from(it, (size_t)p, state, path, depth + 1, len))
			return 1;
	}
	state[i] = 2;
	return 0;
}

static int check_template(const struct crm_config *cfg, const struct crm_conf_node *t, const char *path,
			  struct crm_err *err)
{
	char sp[400], msg[600];
	if (crm_conf_type(t) != CRM_CONF_MAP)
		return where(err, t, path, "a template is a map: {tasks: [...], deliverables: [...], milestones: [...]}");
	struct items it;
	items_of(t, &it);
	static const char *const parts[] = { "tasks", "deliverables", "milestones" };
	const struct crm_conf_node *lists[] = { it.tasks, it.dels, it.mils };
	for (int p = 0; p < 3; p++)
		if (lists[p] && crm_conf_type(lists[p]) != CRM_CONF_SEQ) {
			snprintf(msg, sizeof msg, "%s is a list", parts[p]);
			return where(err, lists[p], path, msg);
		}
	for (size_t i = 0; i < it.ntasks; i++) {
		const struct crm_conf_node *s = crm_conf_child(it.tasks, i);
		snprintf(sp, sizeof sp, "%s.tasks[%zu]", path, i + 1);
		int rc = crm_process_step_check(cfg, s, sp, "task", 1, err);
		if (rc)
			return rc;
	}
	for (int p = 1; p < 3; p++)
		for (size_t i = 0; i < (p == 1 ? it.ndels : it.nmils); i++) {
			const struct crm_conf_node *d = crm_conf_child(lists[p], i);
			snprintf(sp, sizeof sp, "%s.%s[%zu]", path, parts[p], i + 1);
			if (crm_conf_type(d) != CRM_CONF_MAP)
				return where(err, d, sp, p == 1 ? "each deliverable is a map: {name: ..., offset: +10d, owner: ...}"
								: "each milestone is a map: {name: ..., offset: +10d, after: [...]}");
			const char *name = scalar(d, "name"), *offset = scalar(d, "offset");
			if (!name || !*name)
				return where(err, d, sp, p == 1 ? "a deliverable needs a name" : "a milestone needs a name");
			if (crm_conf_get(d, "offset") && !offset_ok(offset)) {
				snprintf(msg, sizeof msg, "offset '%.100s' is not a signed date offset (+2d, +1w)", offset ? offset : "");
				return where(err, crm_conf_get(d, "offset"), sp, msg);
			}
		}
	/* keys: unique among tasks and deliverables together */
	for (size_t i = 0; i < it.ntasks + it.ndels; i++) {
		const struct crm_conf_node *n = i < it.ntasks ? crm_conf_child(it.tasks, i) : crm_conf_child(it.dels, i - it.ntasks);
		const char *key = scalar(n, "key");
		if (crm_conf_get(n, "key") && (!key || !*key))
			return where(err, crm_conf_get(n, "key"), path, "a key is a word");
		if (key && find_key(&it, key, 1) != (long)i) {
			snprintf(msg, sizeof msg, "the key '%.100s' is given twice", key);
			return where(err, crm_conf_get(n, "key"), path, msg);
		}
	}
	/* after: tasks wait for tasks; milestones are finished by tasks and deliverables */
	for (int p = 0; p < 3; p += 2)
		for (size_t i = 0; i < (p == 0 ? it.ntasks : it.nmils); i++) {
			const struct crm_conf_node *n = crm_conf_child(lists[p], i), *at;
			snprintf(sp, sizeof sp, "%s.%s[%zu]", path, parts[p], i + 1);
			for (size_t j = 0; j < after_count(n); j++) {
				const char *key = after_key(n, j, &at);
				if (find_key(&it, key, p == 2) < 0)
					return unknown_key(err, &it, at, sp, key, p == 2);
			}
		}
	const struct crm_conf_node *alerts = crm_conf_get(t, "alerts");
	if (alerts && crm_conf_type(alerts) != CRM_CONF_SEQ)
		return where(err, alerts, path, "alerts is a list: [{when: late, item: task, after: 2d, notify: manager}]");
	for (size_t i = 0; alerts && i < crm_conf_count(alerts); i++) {
		const struct crm_conf_node *a = crm_conf_child(alerts, i);
		snprintf(sp, sizeof sp, "%s.alerts[%zu]", path, i + 1);
		int rc = crm_plan_alert_rule(cfg, a, NULL, err);
		if (rc) {
			snprintf(msg, sizeof msg, "%.500s", err->msg);
			return where(err, a, sp, msg);
		}
	}
	if (it.ntasks) {
		int *state = calloc(it.ntasks, sizeof *state);
		size_t *cyc = calloc(it.ntasks + 1, sizeof *cyc), len = 0;
		int found = 0;
		for (size_t i = 0; i < it.ntasks && !found; i++)
			found = state[i] == 0 && cycle_from(&it, i, state, cyc, 0, &len);
		int rc = CRM_OK;
		if (found) {
			struct strbuf b = { 0 };
			for (size_t k = 0; k < len; k++)
				sb_addf(&b, "%s -> ", scalar(crm_conf_child(it.tasks, cyc[k]), "key"));
			sb_add(&b, scalar(crm_conf_child(it.tasks, cyc[0]), "key"));
			snprintf(msg, sizeof msg, "a cycle in after: %.400s (tasks that wait for each other never start)", b.s);
			sb_free(&b);
			rc = where(err, crm_conf_child(it.tasks, cyc[0]), path, msg);
		}
		free(state);
		free(cyc);
		return rc;
	}
	return CRM_OK;
}

int crm_plan_alert_rule(const struct crm_config *cfg, const struct crm_conf_node *a, struct crm_plan_rule *out,
			struct crm_err *err)
{
	if (crm_conf_type(a) != CRM_CONF_MAP)
		return crm_error(err, CRM_ECONFIG, "each alert rule is a map: {when: late, item: task, after: 2d, notify: manager}");
	const char *when = scalar(a, "when"), *item = scalar(a, "item"), *after = scalar(a, "after");
	const char *notify = scalar(a, "notify");
	if (when && strcmp(when, "late") != 0)
		return crm_error(err, CRM_ECONFIG, "when: '%.100s' is not known (late)", when);
	if (!item || (strcmp(item, "task") != 0 && strcmp(item, "deliverable") != 0 && strcmp(item, "milestone") != 0))
		return crm_error(err, CRM_ECONFIG, "item: '%.100s' is not task, deliverable or milestone", item ? item : "");
	char off[64];
	snprintf(off, sizeof off, "+%.60s", after ? after : "0d");
	if ((crm_conf_get(a, "after") && !after) || (after && (after[0] == '+' || after[0] == '-')) || !offset_ok(off))
		return crm_error(err, CRM_ECONFIG, "after: '%.100s' is not a time (2d, 1w)", after ? after : "");
	if (notify && strcmp(notify, "manager") != 0 && strcmp(notify, "owner") != 0) {
		const char *role = strncmp(notify, "role:", 5) == 0 ? notify + 5 : NULL;
		if (!role || !*role)
			return crm_error(err, CRM_ECONFIG, "notify: '%.100s' is not manager, owner or role:<role>", notify);
		const struct crm_conf_node *roles = crm_config_node(cfg, "roles");
		if (!roles || !crm_conf_get(roles, role))
			return crm_error(err, CRM_ECONFIG, "notify: no role '%.100s' (roles)", role);
	}
	if (out) {
		out->item = item;
		out->notify = notify ? notify : "manager";
		snprintf(out->after, sizeof out->after, "%s", off);
		out->after[0] = '-';
	}
	return CRM_OK;
}

int crm_plan_config_check(const struct crm_config *cfg, struct crm_err *err)
{
	const struct crm_conf_node *ts = crm_config_node(cfg, "project_templates");
	if (!ts)
		return CRM_OK;
	if (crm_conf_type(ts) != CRM_CONF_MAP)
		return where(err, ts, "project_templates", "a map of template names to their tasks, deliverables and milestones");
	for (size_t i = 0; i < crm_conf_count(ts); i++) {
		char path[300];
		snprintf(path, sizeof path, "project_templates.%.200s", crm_conf_key(ts, i));
		int rc = check_template(cfg, crm_conf_child(ts, i), path, err);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

const char **crm_plan_templates(const struct crm_config *cfg, size_t *n)
{
	const struct crm_conf_node *ts = crm_config_node(cfg, "project_templates");
	*n = ts && crm_conf_type(ts) == CRM_CONF_MAP ? crm_conf_count(ts) : 0;
	const char **names = xmalloc((*n + 1) * sizeof *names);
	for (size_t i = 0; i < *n; i++)
		names[i] = crm_conf_key(ts, i);
	names[*n] = NULL;
	return names;
}

/* ---------------------------------------------------------------- making a plan */

static const struct crm_conf_node *template_node(struct crm *crm, const char *name, struct crm_err *err)
{
	char key[300];
	snprintf(key, sizeof key, "project_templates.%.280s", name);
	const struct crm_conf_node *t = strchr(name, '.') ? NULL : crm_config_node(crm->cfg, key);
	if (t && crm_conf_type(t) == CRM_CONF_MAP)
		return t;
	size_t n;
	const char **names = crm_plan_templates(crm->cfg, &n);
	const char *near = crm_near(name, names, n);
	if (near)
		crm_error(err, CRM_EINVALID, "no project template '%s' (project_templates); did you mean '%s'?", name, near);
	else
		crm_error(err, CRM_EINVALID, "no project template '%s' (project_templates%s)", name,
			  n ? ": crm config get project_templates lists them" : " is empty");
	free(names);
	return NULL;
}

/* A failure of item `what` of template `name`: said as the template's, and invalid data (an
 * unknown assignee is not a missing record of the user's command, but bad data in the plan). */
static int item_err(struct crm_err *err, int rc, const char *name, const char *what, const char *label)
{
	char msg[sizeof err->msg];
	snprintf(msg, sizeof msg, "project template %.100s, %s '%.100s': %.700s; nothing written", name, what, label,
		 err->msg);
	return crm_error(err, rc == CRM_ENOTFOUND ? CRM_EINVALID : rc, "%s", msg);
}

/* The due day of an item at `offset` from base; "" without an offset. */
static int due_of(const struct crm_conf_node *item, time_t base, char *out, size_t size, struct crm_err *err)
{
	const char *offset = scalar(item, "offset");
	*out = '\0';
	return offset ? crm_date_parse_day(offset, base, out, size, err) : CRM_OK;
}

/* The numbers of the records keys name, as a comma list; ids[] by item index. */
static void ids_of(const struct items *it, const struct crm_conf_node *item, const long long *ids, int want_dels,
		   struct strbuf *out)
{
	const struct crm_conf_node *at;
	for (size_t j = 0; j < after_count(item); j++) {
		long p = find_key(it, after_key(item, j, &at), 1);
		if (p >= 0 && (p >= (long)it->ntasks) == want_dels && ids[p])
			sb_addf(out, "%s%lld", out->len ? "," : "", ids[p]);
	}
}

static int make_plan(struct crm *crm, const char *name, const struct crm_conf_node *t, long long project,
		     struct crm_err *err)
{
	crm_stmt *st;
	char start[40] = "", pid[24];
	snprintf(pid, sizeof pid, "%lld", project);
	int rc = crm_prepare(crm, "SELECT start_date FROM projects WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, project);
	if (crm_step(st) == CRM_SQL_ROW && crm_col_text(st, 0))
		snprintf(start, sizeof start, "%s", (const char *)crm_col_text(st, 0));
	crm_finalize(st);
	time_t base = *start ? crm_time_parse_iso(start) : crm_time(crm);
	if (base == (time_t)-1)
		base = crm_time(crm);
	const struct crm_workflow *wf = NULL;
	const struct crm_kind *tk = crm_kind_find("task");
	if ((rc = crm_workflow_get(crm, tk, &wf, err)))
		return rc;
	int can_wait = wf && crm_workflow_is_status(wf, "waiting");

	struct items it;
	items_of(t, &it);
	long long *ids = calloc(it.ntasks + it.ndels + 1, sizeof *ids);
	/* Tasks in the template's order, each after its predecessors (there is no cycle). */
	for (size_t made = 0; made < it.ntasks && !rc;) {
		size_t before = made;
		for (size_t i = 0; i < it.ntasks && !rc; i++) {
			const struct crm_conf_node *s = crm_conf_child(it.tasks, i), *at;
			int ready = !ids[i];
			for (size_t j = 0; ready && j < after_count(s); j++) {
				long pre = find_key(&it, after_key(s, j, &at), 0);
				ready = pre < 0 || ids[pre] != 0;
			}
			if (!ready)
				continue;
			char due[40];
			struct strbuf after = { 0 };
			char *login = NULL;
			const char *title = scalar(s, "title"), *assignee = scalar(s, "assignee"), *role = scalar(s, "role");
			rc = due_of(s, base, due, sizeof due, err);
			if (!rc && !assignee && role && !(rc = crm_role_user(crm, role, &login, err)))
				assignee = login;
			ids_of(&it, s, ids, 0, &after);
			struct crm_assign set[12];
			int n = 0;
			set[n++] = (struct crm_assign){ "title", title };
			set[n++] = (struct crm_assign){ "project", pid };
			if (scalar(s, "type"))
				set[n++] = (struct crm_assign){ "type", scalar(s, "type") };
			if (scalar(s, "priority"))
				set[n++] = (struct crm_assign){ "priority", scalar(s, "priority") };
			if (*due)
				set[n++] = (struct crm_assign){ "due", due };
			if (assignee)
				set[n++] = (struct crm_assign){ "assignee", assignee };
			const char *ap = scalar(s, "approval");
			if (ap && (!strcasecmp(ap, "yes") || !strcasecmp(ap, "true") || !strcmp(ap, "1") || !strcasecmp(ap, "on")))
				set[n++] = (struct crm_assign){ "approval", "yes" };
			if (after.len) {
				set[n++] = (struct crm_assign){ "after", after.s };
				if (can_wait)
					set[n++] = (struct crm_assign){ "status", "waiting" };
			}
			if (!rc)
				rc = crm_record_add(crm, tk, set, n, &ids[i], err);
			if (rc)
				rc = item_err(err, rc, name, "task", scalar(s, "key") ? scalar(s, "key") : title);
			free(login);
			sb_free(&after);
			made += !rc;
		}
		if (!rc && made == before) /* the configuration check rules this out */
			rc = crm_error(err, CRM_ECONFIG, "project template %s: its tasks wait for each other", name);
	}
	const struct crm_kind *dk = crm_kind_find("deliverable"), *mk = crm_kind_find("milestone");
	for (size_t i = 0; i < it.ndels && !rc; i++) {
		const struct crm_conf_node *d = crm_conf_child(it.dels, i);
		char due[40];
		struct crm_assign set[6];
		int n = 0;
		set[n++] = (struct crm_assign){ "name", scalar(d, "name") };
		set[n++] = (struct crm_assign){ "project", pid };
		if (!(rc = due_of(d, base, due, sizeof due, err)) && *due)
			set[n++] = (struct crm_assign){ "due", due };
		if (scalar(d, "owner"))
			set[n++] = (struct crm_assign){ "owner", scalar(d, "owner") };
		if (!rc)
			rc = crm_record_add(crm, dk, set, n, &ids[it.ntasks + i], err);
		if (rc)
			rc = item_err(err, rc, name, "deliverable", scalar(d, "name"));
	}
	for (size_t i = 0; i < it.nmils && !rc; i++) {
		const struct crm_conf_node *m = crm_conf_child(it.mils, i);
		char due[40];
		struct strbuf tasks = { 0 }, dels = { 0 };
		ids_of(&it, m, ids, 0, &tasks);
		ids_of(&it, m, ids, 1, &dels);
		struct crm_assign set[6];
		int n = 0;
		long long mid;
		set[n++] = (struct crm_assign){ "name", scalar(m, "name") };
		set[n++] = (struct crm_assign){ "project", pid };
		if (!(rc = due_of(m, base, due, sizeof due, err)) && *due)
			set[n++] = (struct crm_assign){ "due", due };
		if (tasks.len)
			set[n++] = (struct crm_assign){ "tasks", tasks.s };
		if (dels.len)
			set[n++] = (struct crm_assign){ "deliverables", dels.s };
		if (!rc)
			rc = crm_record_add(crm, mk, set, n, &mid, err);
		if (rc)
			rc = item_err(err, rc, name, "milestone", scalar(m, "name"));
		sb_free(&tasks);
		sb_free(&dels);
	}
	free(ids);
	if (!rc && !(rc = crm_prepare(crm, "UPDATE projects SET template = ? WHERE id = ?", &st, err))) {
		crm_bind_text(st, 1, name);
		crm_bind_int64(st, 2, project);
		int step = crm_step(st);
		crm_finalize(st);
		if (step != CRM_SQL_DONE)
			rc = crm_db_error(crm, step, "recording the project's template", err);
	}
	return rc;
}

int crm_plan_project_add(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset, void *ctx,
			 long long *id, struct crm_err *err)
{
	const char *name = ctx;
	if (!name)
		return crm_record_add(crm, k, set, nset, id, err);
	const struct crm_conf_node *t = template_node(crm, name, err);
	if (!t)
		return CRM_EINVALID;
	/* The plan counts from the project's start: today unless given. */
	const struct crm_field *sf = crm_kind_field(k, "start", NULL);
	struct crm_assign *all = xmalloc(((size_t)nset + 1) * sizeof *all);
	int n = 0, has_start = 0;
	for (int i = 0; i < nset; i++) {
		all[n++] = set[i];
		has_start |= crm_kind_field(k, set[i].field, NULL) == sf && set[i].value && *set[i].value;
	}
	if (!has_start)
		all[n++] = (struct crm_assign){ "start", "today" };
	int rc = crm_tx_begin(crm, err);
	if (!rc) {
		if (!(rc = crm_record_add(crm, k, all, n, id, err)) && !(rc = make_plan(crm, name, t, *id, err)))
			rc = crm_tx_commit(crm, err);
		else
			crm_tx_rollback(crm);
	}
	free(all);
	return rc;
}

/* ---------------------------------------------------------------- the workflow effect */

struct idstat {
	long long id;
	char *status;
};

static int read_idstats(struct crm *crm, const char *sql, long long arg, struct idstat **out, int *n,
			struct crm_err *err)
{
	*out = NULL;
	*n = 0;
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err), step, cap = 0;
	if (rc)
		return rc;
	crm_bind_int64(st, 1, arg);
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		if (*n == cap)
			*out = xrealloc(*out, (size_t)(cap = cap ? cap * 2 : 8) * sizeof **out);
		const char *s = (const char *)crm_col_text(st, 1);
		(*out)[(*n)++] = (struct idstat){ crm_col_int64(st, 0), xstrdup(s ? s : "") };
	}
	crm_finalize(st);
	return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading a plan's tasks", err);
}

static void idstats_free(struct idstat *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].status);
	free(v);
}

int crm_plan_fx_after(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	if (!crm_workflow_is_resolved(ev->wf, ev->t->to) || (ev->from && crm_workflow_is_resolved(ev->wf, ev->from)))
		return CRM_OK;
	struct idstat *deps;
	int ndeps;
	int rc = read_idstats(crm, "SELECT t.id, t.status FROM task_after a JOIN tasks t ON t.id = a.record_id "
			      "WHERE a.target_id = ? ORDER BY t.id", ev->id, &deps, &ndeps, err);
	for (int i = 0; i < ndeps && !rc; i++) {
		if (!crm_workflow_transition(ev->wf, deps[i].status, "release"))
			continue;
		struct idstat *pre;
		int npre, ready = 1;
		if ((rc = read_idstats(crm, "SELECT t.id, t.status FROM task_after a JOIN tasks t ON t.id = a.target_id "
				       "WHERE a.record_id = ?", deps[i].id, &pre, &npre, err)))
			break;
		for (int j = 0; j < npre; j++)
			ready &= crm_workflow_is_resolved(ev->wf, pre[j].status);
		idstats_free(pre, npre);
		if (ready)
			rc = crm_workflow_take(crm, ev->kind, deps[i].id, "release", NULL, 0, NULL, NULL, err);
	}
	idstats_free(deps, ndeps);
	return rc;
}

/* Does "changed a, b, c" name field f? */
static int names_field(const char *what, const char *f)
{
	size_t n = strlen(f);
	for (const char *w = strstr(what, f); w; w = strstr(w + 1, f))
		if ((w == what || w[-1] == ' ') && (w[n] == '\0' || w[n] == ','))
			return 1;
	return 0;
}

int crm_plan_fx_written(struct crm *crm, const struct crm_kind *k, long long id, const char *what, struct crm_err *err)
{
	if (what && !names_field(what, "after"))
		return CRM_OK;
	const struct crm_workflow *wf = NULL;
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc || !wf)
		return rc;
	struct idstat *self, *pre;
	int nself, npre, ready = 1;
	if ((rc = read_idstats(crm, "SELECT id, status FROM tasks WHERE id = ?", id, &self, &nself, err)))
		return rc;
	if ((rc = read_idstats(crm, "SELECT t.id, t.status FROM task_after a JOIN tasks t ON t.id = a.target_id "
			       "WHERE a.record_id = ?", id, &pre, &npre, err))) {
		idstats_free(self, nself);
		return rc;
	}
	for (int j = 0; j < npre; j++)
		ready &= crm_workflow_is_resolved(wf, pre[j].status);
	/* a task given predecessors waits for them; one left with none unfinished is released */
	const char *move = !ready ? "wait" : what ? "release" : NULL;
	if (nself && move && crm_workflow_transition(wf, self[0].status, move))
		rc = crm_workflow_take(crm, k, id, move, NULL, 0, NULL, NULL, err);
	idstats_free(self, nself);
	idstats_free(pre, npre);
	return rc;
}

/* ---------------------------------------------------------------- showing a plan */

/* Rows of text cells, read whole before anything else runs (on PostgreSQL a cursor holds the
 * connection). */
struct table {
	char **cells;
	int nrows, ncols;
};

static const char *cell(const struct table *t, int r, int c)
{
	return t->cells[r * t->ncols + c];
}

static int read_table(struct crm *crm, const char *sql, long long arg, int ncols, struct table *t, struct crm_err *err)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err), step, cap = 0;
	if (rc)
		return rc;
	crm_bind_int64(st, 1, arg);
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		if (t->nrows == cap)
			t->cells = xrealloc(t->cells, (size_t)(cap = cap ? cap * 2 : 16) * (size_t)ncols * sizeof *t->cells);
		for (int c = 0; c < ncols; c++) {
			const char *v = crm_col_type(st, c) == CRM_COL_NULL ? NULL : (const char *)crm_col_text(st, c);
			t->cells[t->nrows * ncols + c] = v ? xstrdup(v) : NULL;
		}
		t->nrows++;
	}
	crm_finalize(st);
	return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading a project's plan", err);
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

static struct crm_value text_or_null(const char *s, enum crm_vtype type)
{
	return (struct crm_value){ s && *s ? type : CRM_V_NULL, s && *s ? s : NULL };
}

#define LINKED(table, alias) "(SELECT group_concat(x, ',') FROM (SELECT l.target_id AS x FROM " table " l " \
	"WHERE l.record_id = " alias ".id ORDER BY l.target_id) q)"

int crm_plan_print(struct crm *crm, long long project, struct crm_printer *p, int *nlate, struct crm_err *err)
{
	const struct crm_kind *tk = crm_kind_find("task"), *dk = crm_kind_find("deliverable");
	const struct crm_kind *mk = crm_kind_find("milestone");
	const struct crm_workflow *twf = NULL, *dwf = NULL;
	int rc = crm_workflow_get(crm, tk, &twf, err);
	if (!rc)
		rc = crm_workflow_get(crm, dk, &dwf, err);
	if (rc)
		return rc;
	char sql[2048];
	struct table tasks = { 0 }, dels = { 0 }, mils = { 0 };
	rc = read_table(crm, "SELECT t.id, t.title, " LINKED("task_after", "t") ", "
			"coalesce(u.login, '@' || g.name), t.due, t.status FROM tasks t "
			"LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN groups g ON g.id = t.group_id "
			"WHERE t.project_id = ? ORDER BY CASE WHEN t.due IS NULL THEN 1 ELSE 0 END, t.due, t.id", project, 6, &tasks, err);
	if (!rc)
		rc = read_table(crm, "SELECT t.id, t.name, u.login, t.due, t.status FROM deliverables t "
				"LEFT JOIN users u ON u.id = t.owner_id WHERE t.project_id = ? "
				"ORDER BY CASE WHEN t.due IS NULL THEN 1 ELSE 0 END, t.due, t.id", project, 5, &dels, err);
	if (!rc) {
		snprintf(sql, sizeof sql, "SELECT t.id, t.name, " LINKED("milestone_tasks", "t") ", "
			 LINKED("milestone_deliverables", "t") ", t.due, %s, t.reached_on FROM milestones t WHERE t.project_id = ? "
			 "ORDER BY CASE WHEN t.due IS NULL THEN 1 ELSE 0 END, t.due, t.id",
			 crm_kind_field(mk, "reached", NULL)->column);
		rc = read_table(crm, sql, project, 7, &mils, err);
	}
	if (rc) {
		table_free(&tasks);
		table_free(&dels);
		table_free(&mils);
		return rc;
	}
	char now[32], today[32];
	crm_time_format_utc(crm_time(crm), now, sizeof now);
	crm_date_parse_day("today", crm_time(crm), today, sizeof today, err);
	static const char *const names[] = { "section", "id", "title", "after", "who", "due", "status", "late" };
	crm_printer_columns(p, names, 8);
	int done = 0, total = 0, late_count = 0;
	for (int r = 0; r < tasks.nrows; r++) {
		const char *status = cell(&tasks, r, 5), *due = cell(&tasks, r, 4);
		int resolved = crm_workflow_is_resolved(twf, status), cancelled = !strcasecmp(status, "cancelled");
		int late = !resolved && due && strcmp(due, now) < 0;
		total += !cancelled;
		done += resolved && !cancelled;
		late_count += late;
		struct crm_value row[8] = {
			{ CRM_V_TEXT, "task" }, { CRM_V_INT, cell(&tasks, r, 0) }, text_or_null(cell(&tasks, r, 1), CRM_V_TEXT),
			text_or_null(cell(&tasks, r, 2), CRM_V_TEXT), text_or_null(cell(&tasks, r, 3), CRM_V_TEXT),
			text_or_null(due, CRM_V_TIME), { CRM_V_TEXT, status }, { CRM_V_BOOL, late ? "1" : "0" },
		};
		crm_printer_row(p, row);
	}
	for (int r = 0; r < dels.nrows; r++) {
		const char *status = cell(&dels, r, 4), *due = cell(&dels, r, 3);
		int resolved = crm_workflow_is_resolved(dwf, status), cancelled = !strcasecmp(status, "cancelled");
		/* delivered, waiting for the client's word, is not the owner's lateness */
		int late = !resolved && strcasecmp(status, "delivered") != 0 && due && strcmp(due, today) < 0;
		total += !cancelled;
		done += resolved && !cancelled;
		late_count += late;
		struct crm_value row[8] = {
			{ CRM_V_TEXT, "deliverable" }, { CRM_V_INT, cell(&dels, r, 0) }, text_or_null(cell(&dels, r, 1), CRM_V_TEXT),
			{ CRM_V_NULL, NULL }, text_or_null(cell(&dels, r, 2), CRM_V_TEXT), text_or_null(due, CRM_V_DATE),
			{ CRM_V_TEXT, status }, { CRM_V_BOOL, late ? "1" : "0" },
		};
		crm_printer_row(p, row);
	}
	for (int r = 0; r < mils.nrows; r++) {
		const char *due = cell(&mils, r, 4), *t = cell(&mils, r, 2), *d = cell(&mils, r, 3);
		/* marked; or its tasks and deliverables finished; or, naming none, its date come (at --now) */
		int reached = cell(&mils, r, 6) ? 1 : t || d ? cell(&mils, r, 5) && strcmp(cell(&mils, r, 5), "1") == 0
				 : due && strcmp(due, today) <= 0;
		int late = !reached && due && strcmp(due, today) < 0;
		late_count += late;
		struct strbuf after = { 0 };
		if (t)
			sb_addf(&after, "task %s", t);
		if (d)
			sb_addf(&after, "%sdeliverable %s", t ? "; " : "", d);
		struct crm_value row[8] = {
			{ CRM_V_TEXT, "milestone" }, { CRM_V_INT, cell(&mils, r, 0) }, text_or_null(cell(&mils, r, 1), CRM_V_TEXT),
			text_or_null(after.s, CRM_V_TEXT), { CRM_V_NULL, NULL }, text_or_null(due, CRM_V_DATE),
			{ CRM_V_TEXT, reached ? "reached" : "open" }, { CRM_V_BOOL, late ? "1" : "0" },
		};
		crm_printer_row(p, row);
		sb_free(&after);
	}
	char frac[64], pct[16];
	snprintf(frac, sizeof frac, "%d/%d done", done, total);
	snprintf(pct, sizeof pct, "%d%%", total ? done * 100 / total : 0);
	struct crm_value row[8] = {
		{ CRM_V_TEXT, "progress" }, { CRM_V_NULL, NULL }, { CRM_V_TEXT, frac }, { CRM_V_NULL, NULL },
		{ CRM_V_NULL, NULL }, { CRM_V_NULL, NULL }, { CRM_V_TEXT, pct }, { CRM_V_NULL, NULL },
	};
	crm_printer_row(p, row);
	if (nlate)
		*nlate = late_count;
	table_free(&tasks);
	table_free(&dels);
	table_free(&mils);
	return CRM_OK;
}
