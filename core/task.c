/* Tasks (issue 11): what the task kind needs beyond the record engine: the workflow effect that
 * creates a repeating task's next occurrence, and the next occurrences `task show` lists. The
 * kind itself is described in core/kinds.c; every verb is the engine's. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/date.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/plan.h"
#include "crm/process.h"
#include "crm/record.h"
#include "crm/recur.h"
#include "crm/task.h"
#include "crm/workflow.h"
#include "db.h"
#include "util.h"

/* The columns a new occurrence copies (as the engine's fields), then those it moves. */
static const char *const copied[] = { "title", "type", "priority", "all_day", "assignee", "group", "account",
				      "project", "ticket", "contract", "activity", "notes", "repeat" };
#define NCOPIED (sizeof copied / sizeof *copied)
#define TASK_SQL "SELECT title, type, priority, all_day, assignee_id, group_id, account_id, project_id, ticket_id, " \
	"contract_id, activity_id, notes, rrule, start_at, end_at, due, coalesce(series_id, id), " \
	"(SELECT group_concat(target_id, ',') FROM task_contacts WHERE record_id = t.id) FROM tasks t WHERE id = ?"

struct task_row {
	char *v[NCOPIED];
	char *start, *end, *due, *contacts;
	long long series;
};

static void row_free(struct task_row *r)
{
	for (size_t i = 0; i < NCOPIED; i++)
		free(r->v[i]);
	free(r->start);
	free(r->end);
	free(r->due);
	free(r->contacts);
}

static char *col(crm_stmt *st, int i)
{
	const char *t = crm_col_type(st, i) == CRM_COL_NULL ? NULL : crm_col_text(st, i);
	return t ? xstrdup(t) : NULL;
}

static int row_load(struct crm *crm, long long id, struct task_row *r, struct crm_err *err)
{
	memset(r, 0, sizeof *r);
	crm_stmt *st;
	int rc = crm_prepare(crm, TASK_SQL, &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int step = crm_step(st);
	if (step == CRM_SQL_ROW) {
		for (size_t i = 0; i < NCOPIED; i++)
			r->v[i] = col(st, (int)i);
		r->start = col(st, NCOPIED);
		r->end = col(st, NCOPIED + 1);
		r->due = col(st, NCOPIED + 2);
		r->series = crm_col_int64(st, NCOPIED + 3);
		r->contacts = col(st, NCOPIED + 4);
	} else {
		rc = step == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "task '%lld' not found", id)
					  : crm_db_error(crm, step, "reading a task", err);
	}
	crm_finalize(st);
	return rc;
}

/* When the series began: its first task's due time (or start), else this one's. */
static time_t series_start(struct crm *crm, const struct task_row *r, time_t anchor)
{
	crm_stmt *st;
	struct crm_err ignored = { 0 };
	time_t t = anchor;
	if (crm_prepare(crm, "SELECT coalesce(due, start_at) FROM tasks WHERE id = ?", &st, &ignored))
		return t;
	crm_bind_int64(st, 1, r->series);
	if (crm_step(st) == CRM_SQL_ROW && crm_col_type(st, 0) != CRM_COL_NULL) {
		time_t first = crm_time_parse_iso(crm_col_text(st, 0));
		if (first != (time_t)-1 && first <= anchor)
			t = first;
	}
	crm_finalize(st);
	return t;
}

static time_t when(const char *iso)
{
	return iso ? crm_time_parse_iso(iso) : (time_t)-1;
}

static void shifted(const char *iso, time_t delta, char *out, size_t size)
{
	crm_time_format_utc(crm_time_parse_iso(iso) + delta, out, size);
}

/* recur: a repeating task that reaches a resolved status brings its next occurrence, once: a
 * task of the same series already due then (done twice, reopened and done) is not made again. */
static int fx_recur(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	if (!crm_workflow_is_resolved(ev->wf, ev->t->to) || (ev->from && crm_workflow_is_resolved(ev->wf, ev->from)))
		return CRM_OK;
	struct task_row r;
	int rc = row_load(crm, ev->id, &r, err);
	const char *rule = rc ? NULL : r.v[12];
	const char *anchor_iso = r.due ? r.due : r.start;
	time_t anchor = when(anchor_iso), next;
	if (rc || !rule || anchor == (time_t)-1) {
		if (!rc)
			row_free(&r);
		return rc;
	}
	char zone[128];
	crm_zone_name(crm->env.tz, zone, sizeof zone);
	int n = crm_rrule_after(rule, zone, series_start(crm, &r, anchor), anchor, &next, 1, err);
	if (n <= 0) {
		row_free(&r);
		return n < 0 ? CRM_EINVALID : CRM_OK; /* the series has ended */
	}
	time_t delta = next - anchor;
	char due[32] = "", start[32] = "", end[32] = "", series[32], at[32];
	if (r.due)
		shifted(r.due, delta, due, sizeof due);
	if (r.start)
		shifted(r.start, delta, start, sizeof start);
	if (r.end)
		shifted(r.end, delta, end, sizeof end);
	crm_time_format_utc(next, at, sizeof at);
	snprintf(series, sizeof series, "%lld", r.series);
	/* Made already? */
	crm_stmt *st;
	int exists = 0;
	if (!(rc = crm_prepare(crm, "SELECT count(*) FROM tasks WHERE (series_id = ?1 OR id = ?1) "
			       "AND coalesce(due, start_at) = ?2", &st, err))) {
		crm_bind_int64(st, 1, r.series);
		crm_bind_text(st, 2, at);
		exists = crm_step(st) == CRM_SQL_ROW && crm_col_int64(st, 0) > 0;
		crm_finalize(st);
	}
	if (!rc && !exists) {
		struct crm_assign set[NCOPIED + 5];
		int nset = 0;
		for (size_t i = 0; i < NCOPIED; i++)
			if (r.v[i])
				set[nset++] = (struct crm_assign){ copied[i], r.v[i] };
		if (*due)
			set[nset++] = (struct crm_assign){ "due", due };
		if (*start)
			set[nset++] = (struct crm_assign){ "start", start };
		if (*end)
			set[nset++] = (struct crm_assign){ "end", end };
		if (r.contacts)
			set[nset++] = (struct crm_assign){ "contacts", r.contacts };
		set[nset++] = (struct crm_assign){ "series", series };
		long long id;
		rc = crm_record_add(crm, ev->kind, set, nset, &id, err);
	}
	row_free(&r);
	return rc;
}

int crm_task_repeat_norm(const char *in, char **out, struct crm_err *err)
{
	return crm_rrule_normalize(in, out, err);
}

const struct crm_wf_effect crm_task_effects[] = {
	{ "task", "recur", NULL, fx_recur, "a repeating task that is done (or cancelled) brings its next occurrence, once" },
	{ "task", "process", crm_process_fx_before, crm_process_fx_after, "a step of a process run that is done (or "
	  "cancelled) brings the next step, once; a task marked approval: yes is not taken by done (submit, then approve)" },
	{ "task", "plan", NULL, crm_plan_fx_after, "a task that is done (or cancelled) releases the tasks waiting for it "
	  "(after) whose other predecessors are finished too: transition release; a task given predecessors not all "
	  "finished waits (transition wait)", crm_plan_fx_written },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_task_occurrences_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			       struct crm_err *err)
{
	(void)k;
	struct task_row r;
	int rc = row_load(crm, id, &r, err);
	if (rc)
		return rc;
	static const char *const names[] = { "due" };
	crm_printer_columns(p, names, 1);
	time_t anchor = when(r.due ? r.due : r.start);
	if (r.v[12] && anchor != (time_t)-1) {
		time_t next[5];
		char zone[128];
		crm_zone_name(crm->env.tz, zone, sizeof zone);
		int n = crm_rrule_after(r.v[12], zone, series_start(crm, &r, anchor), anchor, next, 5, err);
		if (n < 0)
			rc = CRM_EINVALID;
		for (int i = 0; i < n; i++) {
			char at[32];
			crm_time_format_utc(next[i], at, sizeof at);
			struct crm_value v = { CRM_V_TIME, at };
			crm_printer_row(p, &v);
		}
	}
	row_free(&r);
	return rc;
}

int crm_task_attendees_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			     struct crm_err *err)
{
	(void)k;
	static const char *const names[] = { "role", "email", "name", "status", "contact", "user" };
	crm_printer_columns(p, names, 6);
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT a.role, a.email, a.name, a.status, a.contact_id, u.login FROM task_attendees a "
			     "LEFT JOIN users u ON u.id = a.user_id WHERE a.task_id = ? ORDER BY a.position", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int step;
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		struct crm_value row[6];
		for (int i = 0; i < 6; i++) {
			int null = crm_col_type(st, i) == CRM_COL_NULL;
			row[i] = (struct crm_value){ null ? CRM_V_NULL : i == 4 ? CRM_V_INT : CRM_V_TEXT,
						     null ? NULL : crm_col_text(st, i) };
		}
		crm_printer_row(p, row);
	}
	crm_finalize(st);
	return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading an event's attendees", err);
}

int crm_task_follow_up(struct crm *crm, long long activity, const char *due, const char *title, long long *task,
		       struct crm_err *err)
{
	return crm_task_follow_up_by(crm, activity, due, title, NULL, task, err);
}

int crm_task_follow_up_by(struct crm *crm, long long activity, const char *due, const char *title, const char *assignee,
			  long long *task, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT summary, account_id, contract_id, "
			     "(SELECT group_concat(target_id, ',') FROM activity_contacts WHERE record_id = a.id), "
			     "(SELECT min(target_id) FROM activity_projects WHERE record_id = a.id), "
			     "(SELECT count(*) FROM activity_projects WHERE record_id = a.id) "
			     "FROM activities a WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, activity);
	int step = crm_step(st);
	if (step != CRM_SQL_ROW) {
		crm_stmt_done(st);
		return step == CRM_SQL_DONE ? crm_error(err, CRM_ENOTFOUND, "activity %lld not found", activity)
					    : crm_db_error(crm, step, "reading the activity to follow up", err);
	}
	char *cols[5];
	for (int i = 0; i < 5; i++)
		cols[i] = crm_col_text(st, i) ? xstrdup((const char *)crm_col_text(st, i)) : NULL;
	int one_project = crm_col_int64(st, 5) == 1;
	crm_stmt_done(st);
	char num[24];
	struct strbuf fallback = { 0 };
	snprintf(num, sizeof num, "%lld", activity);
	if (!title || !*title) {
		sb_addf(&fallback, "Follow up: %s", cols[0] ? cols[0] : num);
		title = fallback.s;
	}
	/* What the follow-up concerns is what the activity did; it is the current user's to do. */
	struct crm_assign set[8];
	int n = 0;
	set[n++] = (struct crm_assign){ "title", title };
	set[n++] = (struct crm_assign){ "due", due };
	set[n++] = (struct crm_assign){ "assignee", assignee ? assignee : crm->user };
	set[n++] = (struct crm_assign){ "activity", num };
	if (cols[1])
		set[n++] = (struct crm_assign){ "account", cols[1] };
	if (cols[2])
		set[n++] = (struct crm_assign){ "contract", cols[2] };
	if (cols[3])
		set[n++] = (struct crm_assign){ "contacts", cols[3] };
	if (cols[4] && one_project)
		set[n++] = (struct crm_assign){ "project", cols[4] };
	rc = crm_record_add(crm, crm_kind_find("task"), set, n, task, err);
	if (rc && err) { /* said as the follow-up's, not the activity's */
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "follow-up: %.1000s", err->msg);
		memcpy(err->msg, msg, sizeof msg);
	}
	for (int i = 0; i < 5; i++)
		free(cols[i]);
	sb_free(&fallback);
	return rc;
}

int crm_activity_add_following_up(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset,
				  void *ctx, long long *id, struct crm_err *err)
{
	struct crm_follow_up *fu = ctx;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if (fu->form && (rc = crm_form_check(crm, k, fu->form, set, nset, err)))
		return crm_tx_rollback(crm), rc;
	if (!(rc = crm_record_add(crm, k, set, nset, id, err)) &&
	    !(rc = fu->due ? crm_task_follow_up(crm, *id, fu->due, fu->title, &fu->task, err) : CRM_OK) &&
	    !(rc = fu->form ? crm_form_apply(crm, fu->form, *id, &fu->ntasks, err) : CRM_OK))
		return crm_tx_commit(crm, err);
	crm_tx_rollback(crm);
	return rc;
}
