/* Escalation: alerts for open tickets past their service-level targets and for open tasks past
 * their due time, once per lateness. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/alert.h"
#include "crm/date.h"
#include "crm/notify.h"
#include "crm/kind.h"
#include "crm/offer.h"
#include "crm/plan.h"
#include "crm/sla.h"
#include "crm/ticket.h"
#include "crm/workflow.h"
#include "util.h"
#include "db.h"

/* Logins, comma-separated, from a query with ?1 bound to an id or a name. */
static char *logins(struct crm *crm, const char *sql, long long id, const char *name)
{
	crm_stmt *st;
	struct crm_err err = { 0 };
	struct strbuf b = { 0 };
	if (crm_stmt_get(crm, sql, &st, &err) != CRM_OK)
		return NULL;
	if (name)
		crm_bind_text(st, 1, name);
	else
		crm_bind_int64(st, 1, id);
	while (crm_step(st) == CRM_SQL_ROW) {
		const char *l = (const char *)crm_col_text(st, 0);
		if (l)
			sb_addf(&b, "%s%s", b.len ? "," : "", l);
	}
	crm_stmt_done(st);
	return b.len ? sb_take(&b) : NULL;
}

/* Who hears of a late ticket: the assignee's manager (or, for a group's ticket, its members'
 * managers), falling back to the holders of alerts.role; or, with alerts.to: role, those. */
static char *recipients(struct crm *crm, long long assignee, const char *group)
{
	const char *to = crm_config_get(crm->cfg, "alerts.to");
	const char *role = crm_config_get(crm->cfg, "alerts.role");
	char *r = NULL;
	if (!to || strcmp(to, "manager") == 0) {
		if (assignee)
			r = logins(crm, "SELECT m.login FROM users u JOIN users m ON m.id = u.manager_id WHERE u.id = ?1",
				   assignee, NULL);
		else if (group)
			r = logins(crm, "SELECT DISTINCT m.login FROM users u JOIN users m ON m.id = u.manager_id WHERE "
				   "instr(',' || lower(replace(coalesce(u.groups, ''), ' ', '')) || ',', ',' || lower(?1) "
				   "|| ',') > 0 ORDER BY m.login", 0, group);
	}
	if (!r)
		r = logins(crm, "SELECT login FROM users WHERE instr(',' || replace(coalesce(roles, ''), ' ', '') "
			   "|| ',', ',' || ?1 || ',') > 0 ORDER BY login", 0, role && *role ? role : "manager");
	return r;
}

struct late {
	long long ticket, cycle, assignee;
	char *group;
	const char *target;
	char due[32];
};

static int raise_one(struct crm *crm, const struct late *l, long long *raised, struct crm_err *err)
{
	char *to = recipients(crm, l->assignee, l->group);
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT OR IGNORE INTO alerts (raised, ticket_id, target, cycle, due, recipients) "
			  "VALUES (?, ?, ?, ?, ?, ?)", &st, err);
	if (rc) {
		free(to);
		return rc;
	}
	crm_bind_text(st, 1, stamp);
	crm_bind_int64(st, 2, l->ticket);
	crm_bind_text(st, 3, l->target);
	crm_bind_int64(st, 4, l->cycle);
	crm_bind_text(st, 5, l->due);
	crm_bind_text(st, 6, to ? to : "");
	rc = crm_step(st);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE) {
		free(to);
		return crm_db_error(crm, rc, "raising an alert", err);
	}
	rc = CRM_OK;
	if (crm_store_changes(crm) == 1) {
		long long alert = crm_store_last_id(crm);
		struct strbuf what = { 0 };
		sb_addf(&what, "raised alert %lld: %s was due %s", alert, l->target, l->due);
		rc = crm_ticket_action(crm, l->ticket, "alert", l->target, NULL, NULL, what.s, err);
		if (!rc) {
			struct strbuf text = { 0 };
			sb_addf(&text, "The %s target was missed: it was due %s. Alert %lld goes to %s.", l->target,
				l->due, alert, to ? to : "nobody");
			rc = crm_notify_ticket(crm, l->ticket, "alert", "escalated the ticket", text.s,
					       CRM_NOTIFY_ASSIGNEE, to, err);
			sb_free(&text);
		}
		sb_free(&what);
		(*raised)++;
	}
	free(to);
	return rc;
}

/* Who hears of an overdue task: the manager of its project; else its assignee's manager, or its
 * group's; else the holders of alerts.role (default manager). With alerts.to: role, those. */
static char *task_recipients(struct crm *crm, long long project, long long assignee, long long group)
{
	const char *to = crm_config_get(crm->cfg, "alerts.to");
	const char *role = crm_config_get(crm->cfg, "alerts.role");
	char *r = NULL;
	if (!to || strcmp(to, "manager") == 0) {
		if (project)
			r = logins(crm, "SELECT m.login FROM projects p JOIN users m ON m.id = p.manager_id WHERE p.id = ?1",
				   project, NULL);
		if (!r && assignee)
			r = logins(crm, "SELECT m.login FROM users u JOIN users m ON m.id = u.manager_id WHERE u.id = ?1",
				   assignee, NULL);
		if (!r && group)
			r = logins(crm, "SELECT m.login FROM groups g JOIN users m ON m.id = g.manager_id WHERE g.id = ?1",
				   group, NULL);
	}
	if (!r)
		r = logins(crm, "SELECT login FROM users WHERE instr(',' || replace(coalesce(roles, ''), ' ', '') "
			   "|| ',', ',' || ?1 || ',') > 0 ORDER BY login", 0, role && *role ? role : "manager");
	return r;
}

struct overdue {
	long long task, project, assignee, group;
	char *title, *due;
};

/* One alert for an overdue task (none when it has one for this due time) and its messages to
 * the recipients who have an address. */

/* A mail about alert to each of the logins in to (comma-separated) who has an address, once per
 * address, queued as event. */
static int queue_alert_mail(struct crm *crm, const char *event, const char *stamp, const char *subject,
			    const char *body, const char *to, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT INTO notifications (created, ticket_id, event, recipient, subject, body, "
			      "next_attempt) SELECT ?1, NULL, ?5, min(u.email), ?2, ?3, ?1 FROM users u "
			      "WHERE instr(',' || ?4 || ',', ',' || u.login || ',') > 0 AND coalesce(u.email, '') <> '' "
			      "GROUP BY lower(u.email) ORDER BY lower(u.email)", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, stamp);
	crm_bind_text(st, 2, subject);
	crm_bind_text(st, 3, body);
	crm_bind_text(st, 4, to);
	crm_bind_text(st, 5, event);
	int step = crm_step(st);
	crm_stmt_done(st);
	return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "queueing notifications", err);
}
static int raise_task(struct crm *crm, const struct overdue *o, long long *raised, struct crm_err *err)
{
	char *to = task_recipients(crm, o->project, o->assignee, o->group);
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "INSERT OR IGNORE INTO alerts (raised, task_id, target, cycle, due, recipients) "
			      "VALUES (?, ?, 'due', 0, ?, ?)", &st, err);
	if (rc) {
		free(to);
		return rc;
	}
	crm_bind_text(st, 1, stamp);
	crm_bind_int64(st, 2, o->task);
	crm_bind_text(st, 3, o->due);
	crm_bind_text(st, 4, to ? to : "");
	rc = crm_step(st);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE) {
		free(to);
		return crm_db_error(crm, rc, "raising an alert", err);
	}
	rc = CRM_OK;
	int fresh = crm_store_changes(crm) == 1;
	if (fresh)
		(*raised)++;
	if (fresh && to) {
		long long alert = crm_store_last_id(crm);
		struct strbuf subject = { 0 }, body = { 0 };
		sb_addf(&subject, "[crm task #%lld] overdue: %s", o->task, o->title);
		sb_addf(&body, "Task #%lld, %s, was due %s and is not done.\nAlert %lld goes to %s.\n", o->task,
			o->title, o->due, alert, to);
		rc = queue_alert_mail(crm, "task-alert", stamp, subject.s, body.s, to, err);
		sb_free(&subject);
		sb_free(&body);
	}
	free(to);
	return rc;
}

/* Overdue tasks: open (by workflow.task) with a due time before now and no alert for it yet. An
 * index search by status and due time (tasks_due), not a read of every task. */
static int raise_tasks(struct crm *crm, long long *raised, struct crm_err *err)
{
	struct crm_workflow *wf = NULL;
	int rc = crm_workflow_load(crm->cfg, "task", &wf, err);
	if (rc)
		return rc;
	struct strbuf sql = { 0 };
	sb_add(&sql, "SELECT t.id, t.title, t.due, t.project_id, t.assignee_id, t.group_id FROM tasks t "
	       "WHERE t.status COLLATE NOCASE IN (");
	int nopen = 0;
	for (int i = 0; i < wf->nstatuses; i++)
		if (!crm_workflow_is_resolved(wf, wf->statuses[i]))
			sb_add(&sql, nopen++ ? ", ?" : "?");
	sb_add(&sql, ") AND t.due < ? AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.task_id = t.id AND a.due = t.due "
	       "AND a.rule = '') "
	       "ORDER BY t.id");
	crm_stmt *st;
	rc = nopen ? crm_prepare(crm, sql.s, &st, err) : CRM_OK;
	sb_free(&sql);
	if (rc || !nopen) {
		crm_workflow_free(wf);
		return rc;
	}
	int pos = 0;
	for (int i = 0; i < wf->nstatuses; i++)
		if (!crm_workflow_is_resolved(wf, wf->statuses[i]))
			crm_bind_text(st, ++pos, wf->statuses[i]);
	char now[32];
	crm_time_format_utc(crm->now, now, sizeof now);
	crm_bind_text(st, ++pos, now);
	struct overdue *late = NULL;
	int n = 0, cap = 0, src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) { /* collected first: each raise writes */
		if (n == cap)
			late = xrealloc(late, (size_t)(cap = cap ? cap * 2 : 16) * sizeof *late);
		const char *title = (const char *)crm_col_text(st, 1), *due = (const char *)crm_col_text(st, 2);
		late[n++] = (struct overdue){ crm_col_int64(st, 0), crm_col_int64(st, 3), crm_col_int64(st, 4),
					      crm_col_int64(st, 5), xstrdup(title ? title : ""), xstrdup(due ? due : "") };
	}
	crm_finalize(st);
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading tasks", err);
	for (int i = 0; i < n && !rc; i++)
		rc = raise_task(crm, &late[i], raised, err);
	for (int i = 0; i < n; i++) {
		free(late[i].title);
		free(late[i].due);
	}
	free(late);
	crm_workflow_free(wf);
	return rc;
}

/* ---------------------------------------------------------------- a project's late items */

/* A late item of a plan: a task, deliverable or milestone, its project, its owner (a task's
 * assignee, a deliverable's owner) and group (a task's). */
struct plan_item {
	long long id, project, owner, group;
	char *title, *due;
};

static void plan_items_free(struct plan_item *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].due);
	}
	free(v);
}

/* Who hears of a late item: notify is manager (the project's manager), owner (the task's
 * assignee or its group's manager, the deliverable's owner; a milestone has none: the project's
 * manager) or role:<role>; with no one, the holders of alerts.role (default manager). */
static char *item_recipients(struct crm *crm, const char *kind, const struct plan_item *it, const char *notify)
{
	char *r = NULL;
	if (strncmp(notify, "role:", 5) == 0)
		r = logins(crm, "SELECT login FROM users WHERE instr(',' || replace(coalesce(roles, ''), ' ', '') "
			   "|| ',', ',' || ?1 || ',') > 0 ORDER BY login", 0, notify + 5);
	else if (strcmp(notify, "owner") == 0 && strcmp(kind, "milestone") != 0) {
		if (it->owner)
			r = logins(crm, "SELECT login FROM users WHERE id = ?1", it->owner, NULL);
		else if (it->group)
			r = logins(crm, "SELECT m.login FROM groups g JOIN users m ON m.id = g.manager_id WHERE g.id = ?1",
				   it->group, NULL);
	}
	if (!r && strncmp(notify, "role:", 5) != 0)
		r = logins(crm, "SELECT m.login FROM projects p JOIN users m ON m.id = p.manager_id WHERE p.id = ?1",
			   it->project, NULL);
	if (!r) {
		const char *role = crm_config_get(crm->cfg, "alerts.role");
		r = logins(crm, "SELECT login FROM users WHERE instr(',' || replace(coalesce(roles, ''), ' ', '') "
			   "|| ',', ',' || ?1 || ',') > 0 ORDER BY login", 0, role && *role ? role : "manager");
	}
	return r;
}

/* One alert about a late item (none when it has one for this due date and rule) and its
 * messages to the recipients with an address. */
static int raise_item(struct crm *crm, const char *kind, const struct plan_item *it, const char *rule,
		      const char *notify, long long *raised, struct crm_err *err)
{
	char *to = item_recipients(crm, kind, it, notify);
	char stamp[32], sql[200];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO alerts (raised, %s_id, target, rule, cycle, due, recipients) "
		 "VALUES (?, ?, 'due', ?, 0, ?, ?)", kind);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, sql, &st, err);
	if (rc) {
		free(to);
		return rc;
	}
	crm_bind_text(st, 1, stamp);
	crm_bind_int64(st, 2, it->id);
	crm_bind_text(st, 3, rule);
	crm_bind_text(st, 4, it->due);
	crm_bind_text(st, 5, to ? to : "");
	int step = crm_step(st);
	crm_stmt_done(st);
	if (step != CRM_SQL_DONE) {
		free(to);
		return crm_db_error(crm, step, "raising an alert", err);
	}
	int fresh = crm_store_changes(crm) == 1;
	if (fresh)
		(*raised)++;
	if (fresh && to) {
		long long alert = crm_store_last_id(crm);
		struct strbuf subject = { 0 }, body = { 0 };
		int milestone = strcmp(kind, "milestone") == 0;
		sb_addf(&subject, "[crm %s #%lld] %s: %s", kind, it->id, milestone ? "not reached" : "late", it->title);
		sb_addf(&body, "The %s #%lld, %s, of project #%lld was due %s and is %s.\n", kind, it->id, it->title,
			it->project, it->due, milestone ? "not reached" : strcmp(kind, "task") == 0 ? "not done" : "not delivered");
		if (*rule)
			sb_addf(&body, "Alert rule %s of the project's template.\n", rule);
		sb_addf(&body, "Alert %lld goes to %s.\n", alert, to);
		rc = queue_alert_mail(crm, "plan-alert", stamp, subject.s, body.s, to, err);
		sb_free(&subject);
		sb_free(&body);
	}
	free(to);
	return rc;
}

/* The statuses of kind's workflow that are not resolved (nor, for a deliverable, delivered: it
 * waits for the client's word, not its owner's work), as "?, ?" bound from *pos on. */
static void open_statuses(const struct crm_workflow *wf, const char *kind, struct strbuf *sql, const char ***out,
			  int *n)
{
	*out = xmalloc(((size_t)wf->nstatuses + 1) * sizeof **out);
	*n = 0;
	for (int i = 0; i < wf->nstatuses; i++)
		if (!crm_workflow_is_resolved(wf, wf->statuses[i]) &&
		    !(strcmp(kind, "deliverable") == 0 && strcasecmp(wf->statuses[i], "delivered") == 0)) {
			sb_add(sql, *n ? ", ?" : "?");
			(*out)[(*n)++] = wf->statuses[i];
		}
	if (!*n)
		sb_add(sql, "NULL");
}

/* The late items of kind: due before cutoff (a time for tasks, a day for the others), not
 * finished (a milestone: naming tasks or deliverables not all finished, and not marked), with
 * no alert of this rule for this due date; of projects made from template (NULL: any). */
static int late_items(struct crm *crm, const char *kind, const char *cutoff, const char *rule, const char *template,
		      struct plan_item **out, int *n, struct crm_err *err)
{
	*out = NULL;
	*n = 0;
	struct crm_workflow *wf = NULL;
	const char **sts = NULL;
	int nst = 0, rc = CRM_OK;
	struct strbuf sql = { 0 };
	int milestone = strcmp(kind, "milestone") == 0, task = strcmp(kind, "task") == 0;
	sb_addf(&sql, "SELECT t.id, t.project_id, %s, %s, %s, t.due FROM %ss t ",
		task ? "t.assignee_id" : milestone ? "NULL" : "t.owner_id", task ? "t.group_id" : "NULL",
		task ? "t.title" : "t.name", kind);
	if (template)
		sb_add(&sql, "JOIN projects p ON p.id = t.project_id AND p.template = ? ");
	sb_add(&sql, "WHERE t.project_id IS NOT NULL AND t.due < ? AND ");
	if (milestone) {
		const struct crm_field *f = crm_kind_field(crm_kind_find("milestone"), "reached", NULL);
		sb_addf(&sql, "t.reached_on IS NULL AND (EXISTS (SELECT 1 FROM milestone_tasks m WHERE m.record_id = t.id) "
			"OR EXISTS (SELECT 1 FROM milestone_deliverables m WHERE m.record_id = t.id)) AND %s = 0 ", f->column);
	} else {
		if ((rc = crm_workflow_load(crm->cfg, kind, &wf, err))) {
			sb_free(&sql);
			return rc;
		}
		sb_add(&sql, "t.status COLLATE NOCASE IN (");
		open_statuses(wf, kind, &sql, &sts, &nst);
		sb_add(&sql, ") ");
	}
	sb_addf(&sql, "AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.%s_id = t.id AND a.due = t.due AND a.rule = ?) "
		"ORDER BY t.id", kind);
	crm_stmt *st;
	rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (!rc) {
		int pos = 0;
		if (template)
			crm_bind_text(st, ++pos, template);
		crm_bind_text(st, ++pos, cutoff);
		for (int i = 0; i < nst; i++)
			crm_bind_text(st, ++pos, sts[i]);
		crm_bind_text(st, ++pos, rule);
		int cap = 0, step;
		while ((step = crm_step(st)) == CRM_SQL_ROW) { /* collected first: each raise writes */
			if (*n == cap)
				*out = xrealloc(*out, (size_t)(cap = cap ? cap * 2 : 16) * sizeof **out);
			const char *title = (const char *)crm_col_text(st, 4), *due = (const char *)crm_col_text(st, 5);
			(*out)[(*n)++] = (struct plan_item){ crm_col_int64(st, 0), crm_col_int64(st, 1), crm_col_int64(st, 2),
							     crm_col_int64(st, 3), xstrdup(title ? title : ""),
							     xstrdup(due ? due : "") };
		}
		crm_finalize(st);
		if (step != CRM_SQL_DONE)
			rc = crm_db_error(crm, step, "reading a plan's items", err);
	}
	free(sts);
	crm_workflow_free(wf);
	return rc;
}

/* The cut-off of lateness at offset back from now ("-2d"): a day for deliverables and milestones
 * (due days), for tasks the time as long before now (due times). */
static int cutoff_of(struct crm *crm, const char *kind, const char *offset, char *out, size_t size, struct crm_err *err)
{
	int rc = crm_date_parse_day(offset, crm->now, out, size, err);
	if (rc || strcmp(kind, "task") != 0)
		return rc;
	char today[40];
	if ((rc = crm_date_parse_day("today", crm->now, today, sizeof today, err)))
		return rc;
	time_t back = crm_time_parse_iso(today) - crm_time_parse_iso(out);
	crm_time_format_utc(crm->now - back, out, size);
	return CRM_OK;
}

static int raise_kind(struct crm *crm, const char *kind, const char *offset, const char *rule, const char *template,
		      const char *notify, long long *raised, struct crm_err *err)
{
	char cutoff[40];
	struct plan_item *items;
	int n, rc = cutoff_of(crm, kind, offset, cutoff, sizeof cutoff, err);
	if (!rc)
		rc = late_items(crm, kind, cutoff, rule, template, &items, &n, err);
	if (rc)
		return rc;
	for (int i = 0; i < n && !rc; i++)
		rc = raise_item(crm, kind, &items[i], rule, notify, raised, err);
	plan_items_free(items, n);
	return rc;
}

/* Late deliverables and milestones not reached, to the project's manager; then the alert rules
 * of the templates projects were made from. */
static int raise_plans(struct crm *crm, long long *raised, struct crm_err *err)
{
	int rc = raise_kind(crm, "deliverable", "today", "", NULL, "manager", raised, err);
	if (!rc)
		rc = raise_kind(crm, "milestone", "today", "", NULL, "manager", raised, err);
	const struct crm_conf_node *ts = crm_config_node(crm->cfg, "project_templates");
	for (size_t i = 0; !rc && ts && crm_conf_type(ts) == CRM_CONF_MAP && i < crm_conf_count(ts); i++) {
		const struct crm_conf_node *alerts = crm_conf_get(crm_conf_child(ts, i), "alerts");
		for (size_t j = 0; !rc && alerts && j < crm_conf_count(alerts); j++) {
			struct crm_plan_rule r;
			char name[300];
			if ((rc = crm_plan_alert_rule(crm->cfg, crm_conf_child(alerts, j), &r, err)))
				break;
			snprintf(name, sizeof name, "%.200s#%zu", crm_conf_key(ts, i), j + 1);
			rc = raise_kind(crm, r.item, r.after, name, crm_conf_key(ts, i), r.notify, raised, err);
		}
	}
	return rc;
}

int crm_alert_run(struct crm *crm, long long *raised_out, long long *expired_out, char **unsent_out,
		  struct crm_err *err)
{
	char *unsent = NULL;
	if (unsent_out)
		*unsent_out = NULL;
	struct crm_workflow *wf = NULL;
	struct crm_sla *sla = NULL;
	int rc = crm_workflow_load(crm->cfg, "ticket", &wf, err);
	if (!rc)
		rc = crm_sla_load(crm->cfg, &sla, err);
	if (rc) {
		crm_workflow_free(wf);
		return rc;
	}
	long long raised = 0, expired = 0;
	struct late *late = NULL;
	int nlate = 0, cap = 0;
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	/* Only what may need an alert is read: open tickets (status through tickets_status), opened
	 * at least the shortest target ago (paused time only makes a ticket later), still missing
	 * an alert it could get this cycle. With nothing new that is an index search, not every
	 * ticket ever opened. */
	long long shortest = -1;
	const char *prio;
	for (int i = 0; (prio = crm_sla_priority(sla, i)); i++)
		for (int which = 0; which < 2; which++) {
			long long target = crm_sla_target(sla, prio, which ? CRM_SLA_RESOLUTION : CRM_SLA_RESPONSE);
			if (target >= 0 && (shortest < 0 || target < shortest))
				shortest = target;
		}
	struct strbuf sql = { 0 };
	sb_add(&sql, "SELECT id, status, priority, opened, responded, resolved, paused_seconds, paused_since, "
	       "cycle, assignee_id, assignee_group FROM tickets t WHERE t.status COLLATE NOCASE IN (");
	int nopen = 0;
	for (int i = 0; i < wf->nstatuses; i++)
		if (!crm_workflow_is_resolved(wf, wf->statuses[i]))
			sb_add(&sql, nopen++ ? ", ?" : "?");
	sb_add(&sql, ") AND t.opened <= ? AND (NOT EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = t.id AND "
	       "a.target = 'resolution' AND a.cycle = t.cycle) OR (t.responded IS NULL AND NOT EXISTS (SELECT 1 "
	       "FROM alerts a WHERE a.ticket_id = t.id AND a.target = 'response' AND a.cycle = t.cycle))) ORDER BY id");
	crm_stmt *st;
	rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		goto fail;
	int pos = 0;
	for (int i = 0; i < wf->nstatuses; i++)
		if (!crm_workflow_is_resolved(wf, wf->statuses[i]))
			crm_bind_text(st, ++pos, wf->statuses[i]);
	char cutoff[32] = "";
	if (shortest >= 0) /* else no ticket has a target: none is late */
		crm_time_format_utc(crm->now - (time_t)shortest, cutoff, sizeof cutoff);
	crm_bind_text(st, ++pos, cutoff);
	/* Collected first, then raised: each raise writes to other tables and runs queries. */
	int src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		const char *status = (const char *)crm_col_text(st, 1);
		if (!status || crm_workflow_is_resolved(wf, status))
			continue;
		struct crm_sla_ticket t = { (const char *)crm_col_text(st, 2), 0, 0, 0, 0,
					    crm_col_int64(st, 6) };
		const char *times[4] = { (const char *)crm_col_text(st, 3), (const char *)crm_col_text(st, 4),
					 (const char *)crm_col_text(st, 5), (const char *)crm_col_text(st, 7) };
		time_t *dst[4] = { &t.opened, &t.responded, &t.resolved, &t.paused_since };
		for (int i = 0; i < 4; i++) {
			time_t v = times[i] ? crm_time_parse_iso(times[i]) : 0;
			*dst[i] = v == (time_t)-1 ? 0 : v;
		}
		struct crm_sla_state s;
		crm_sla_eval(sla, &t, crm->now, &s);
		/* An answer that came late is history; only a ticket still unanswered is escalated. */
		int response = s.response_breach && !t.responded;
		for (int which = 0; which < 2; which++) {
			if (which == 0 ? !response : !s.resolution_breach)
				continue;
			if (nlate == cap) {
				cap = cap ? cap * 2 : 16;
				late = xrealloc(late, (size_t)cap * sizeof *late);
			}
			struct late *l = &late[nlate++];
			const char *g = (const char *)crm_col_text(st, 10);
			l->ticket = crm_col_int64(st, 0);
			l->cycle = crm_col_int64(st, 8);
			l->assignee = crm_col_int64(st, 9);
			l->group = g ? xstrdup(g) : NULL;
			l->target = which == 0 ? "response" : "resolution";
			crm_time_format_utc(which == 0 ? s.response_due : s.resolution_due, l->due, sizeof l->due);
		}
	}
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "reading tickets", err);
		goto fail;
	}
	for (int i = 0; i < nlate && !rc; i++)
		rc = raise_one(crm, &late[i], &raised, err);
	if (!rc)
		rc = raise_tasks(crm, &raised, err);
	if (!rc)
		rc = raise_plans(crm, &raised, err);
	if (!rc)
		rc = crm_offer_expire(crm, &expired, &unsent, err);
	if (rc)
		goto fail;
	rc = crm_tx_commit(crm, err);
	goto out;
fail:
	crm_tx_rollback(crm);
	raised = 0;
out:
	for (int i = 0; i < nlate; i++)
		free(late[i].group);
	free(late);
	crm_workflow_free(wf);
	crm_sla_free(sla);
	if (raised_out)
		*raised_out = raised;
	if (expired_out)
		*expired_out = rc ? 0 : expired;
	if (!rc && unsent_out)
		*unsent_out = unsent;
	else
		free(unsent);
	return rc;
}

int crm_alert_ack(struct crm *crm, long long id, int *already, struct crm_err *err)
{
	if (already)
		*already = 0;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	crm_stmt *st;
	if ((rc = crm_prepare(crm, "SELECT acked IS NOT NULL FROM alerts WHERE id = ?", &st, err)))
		goto fail;
	crm_bind_int64(st, 1, id);
	int src = crm_step(st);
	int was = src == CRM_SQL_ROW ? crm_col_int(st, 0) : 0;
	crm_finalize(st);
	if (src == CRM_SQL_DONE) {
		rc = crm_error(err, CRM_ENOTFOUND, "alert %lld not found", id);
		goto fail;
	}
	if (src != CRM_SQL_ROW) {
		rc = crm_db_error(crm, src, "reading an alert", err);
		goto fail;
	}
	if (was) {
		if (already)
			*already = 1;
		return crm_tx_commit(crm, err);
	}
	if ((rc = crm_prepare(crm, "UPDATE alerts SET acked = ?, acked_by = ? WHERE id = ?", &st, err)))
		goto fail;
	crm_bind_text(st, 1, stamp);
	crm_bind_text(st, 2, crm->user);
	crm_bind_int64(st, 3, id);
	src = crm_step(st);
	crm_finalize(st);
	if (src != CRM_SQL_DONE) {
		rc = crm_db_error(crm, src, "acknowledging an alert", err);
		goto fail;
	}
	return crm_tx_commit(crm, err);
fail:
	crm_tx_rollback(crm);
	return rc;
}
