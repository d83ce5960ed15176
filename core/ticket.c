/* Tickets: opening, comments, assignment, workflow transitions with their roles and required
 * fields, the SLA clock, watchers; and the SQL functions behind the ticket kind's computed
 * fields (open, response_due, resolution_due, breach, responsible, managers) as a server's
 * session settings (an in-process backend registers them itself: core/store_sqlite.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/date.h"
#include "crm/notify.h"
#include "crm/sla.h"
#include "crm/search.h"
#include "crm/ticket.h"
#include "crm/workflow.h"
#include "util.h"
#include "db.h"

#define MAX_SET 160

/* ---------------------------------------------------------------- the same, in C over a row */

struct crm_ticket_clock {
	struct crm *crm;
	struct crm_workflow *wf;
	struct crm_sla *sla;
};

int crm_ticket_clock_new(struct crm *crm, struct crm_ticket_clock **out, struct crm_err *err)
{
	struct crm_ticket_clock *c = xcalloc(1, sizeof *c);
	struct crm_err e = { 0 };
	c->crm = crm;
	*out = NULL;
	if (crm_workflow_load(crm->cfg, "ticket", &c->wf, &e) || crm_sla_load(crm->cfg, &c->sla, &e)) {
		crm_ticket_clock_free(c);
		/* as a query evaluating the SQL functions reports it */
		return crm_error(err, CRM_EFAIL, "reading records: %s", e.msg);
	}
	*out = c;
	return CRM_OK;
}

void crm_ticket_clock_free(struct crm_ticket_clock *c)
{
	if (!c)
		return;
	crm_workflow_free(c->wf);
	crm_sla_free(c->sla);
	free(c);
}

static time_t text_time(const char *s)
{
	time_t t = s && *s ? crm_time_parse_iso(s) : 0;
	return t == (time_t)-1 ? 0 : t;
}

void crm_ticket_clock_eval(const struct crm_ticket_clock *c, const char *status, const char *priority,
			   const char *opened, const char *responded, const char *resolved,
			   long long paused_seconds, const char *paused_since, struct crm_ticket_sla *out)
{
	struct crm_sla_ticket t = { .priority = priority, .opened = text_time(opened),
				    .responded = text_time(responded), .resolved = text_time(resolved),
				    .paused_since = text_time(paused_since), .paused_seconds = paused_seconds };
	struct crm_sla_state s;
	out->open = status ? !crm_workflow_is_resolved(c->wf, status) : -1;
	out->response_due[0] = out->resolution_due[0] = '\0';
	out->breach = -1;
	crm_sla_eval(c->sla, &t, c->crm->now, &s); /* all zero for a ticket never opened */
	if (s.response_due)
		crm_time_format_utc(s.response_due, out->response_due, sizeof out->response_due);
	if (s.resolution_due)
		crm_time_format_utc(s.resolution_due, out->resolution_due, sizeof out->resolution_due);
	if (t.opened)
		out->breach = s.response_breach || s.resolution_breach;
}

/* The users a group holds: "users.groups" is a comma list. */
#define IN_GROUP "instr(',' || lower(replace(coalesce(groups, ''), ' ', '')) || ',', ',' || lower(?%d) || ',') > 0"

/* A database server cannot call back into crm: its schema defines the functions in SQL over the
 * session's settings (core/sql/pg/), which say what the configuration says: resolved statuses,
 * targets per priority, paused statuses, the clock. Lists are separated by US (char 31), targets
 * by RS (char 30). */
static int session_settings(struct crm *crm, struct crm_err *err)
{
	struct crm_workflow *wf = NULL;
	struct crm_sla *sla = NULL;
	int rc;
	if ((rc = crm_workflow_load(crm->cfg, "ticket", &wf, err)) || (rc = crm_sla_load(crm->cfg, &sla, err))) {
		crm_workflow_free(wf);
		return rc;
	}
	struct strbuf resolved = { 0 }, targets = { 0 }, paused = { 0 };
	for (int i = 0; i < wf->nresolved; i++)
		sb_addf(&resolved, "%s%s", i ? "\x1f" : "", wf->resolved[i]);
	const char *pr;
	for (int i = 0; (pr = crm_sla_priority(sla, i)); i++)
		sb_addf(&targets, "%s%s\x1f%lld\x1f%lld", i ? "\x1e" : "", pr, crm_sla_target(sla, pr, CRM_SLA_RESPONSE),
			crm_sla_target(sla, pr, CRM_SLA_RESOLUTION));
	for (int i = 0; (pr = crm_sla_paused_status(sla, i)); i++)
		sb_addf(&paused, "%s%s", i ? "\x1f" : "", pr);
	char now[32], today[32];
	crm_time_format_utc(crm->now, now, sizeof now);
	struct crm_err derr = { 0 };
	if (crm_date_parse_day("today", crm->now, today, sizeof today, &derr))
		today[0] = '\0'; /* crm_today() then says the server's day */
	const char *names[] = { "crm.resolved", "crm.sla", "crm.paused", "crm.now", "crm.today" };
	const char *values[] = { resolved.s ? resolved.s : "", targets.s ? targets.s : "", paused.s ? paused.s : "", now,
				 today };
	int src = crm_store_session_set(crm, 5, names, values);
	if (src != CRM_SQL_OK)
		rc = crm_db_error(crm, src, "setting up the ticket functions", err);
	sb_free(&resolved);
	sb_free(&targets);
	sb_free(&paused);
	crm_workflow_free(wf);
	crm_sla_free(sla);
	return rc;
}

int crm_ticket_attach(struct crm *crm, struct crm_err *err)
{
	/* A backend that runs SQL in this process registers the functions (core/store_sqlite.c);
	 * a server's schema defines them over the session's settings. */
	if (crm->store->attach_ticket_functions)
		return crm->store->attach_ticket_functions(crm, err);
	return session_settings(crm, err);
}

/* ---------------------------------------------------------------- configuration */

struct tconf {
	const struct crm_workflow *wf; /* the engine's, loaded once */
	struct crm_sla *sla;
};

static void tconf_free(struct tconf *c)
{
	crm_sla_free(c->sla);
	c->wf = NULL;
	c->sla = NULL;
}

static const struct crm_kind *ticket_kind(void)
{
	return crm_kind_find("ticket");
}

static int tconf_load(struct crm *crm, struct tconf *c, struct crm_err *err)
{
	memset(c, 0, sizeof *c);
	int rc = crm_workflow_get(crm, ticket_kind(), &c->wf, err);
	if (!rc && !c->wf)
		rc = crm_error(err, CRM_ECONFIG, "tickets have no workflow (workflow.ticket)");
	if (!rc)
		rc = crm_sla_load(crm->cfg, &c->sla, err);
	if (rc)
		tconf_free(c);
	return rc;
}

int crm_ticket_config_check(struct crm *crm, struct crm_err *err)
{
	struct tconf c;
	int rc = tconf_load(crm, &c, err);
	tconf_free(&c);
	return rc;
}

/* The clock stops in paused statuses and in resolved ones. */
static int clock_stopped(const struct tconf *c, const char *status)
{
	return crm_sla_paused(c->sla, status) || crm_workflow_is_resolved(c->wf, status);
}

/* ---------------------------------------------------------------- the ticket row */

struct trow {
	char *title, *status, *priority, *paused_since, *responded, *group;
	long long paused_seconds, cycle, assignee_id;
};

static void trow_free(struct trow *r)
{
	free(r->title);
	free(r->status);
	free(r->priority);
	free(r->paused_since);
	free(r->responded);
	free(r->group);
	memset(r, 0, sizeof *r);
}

static char *col_dup(crm_stmt *st, int i)
{
	const char *t = (const char *)crm_col_text(st, i);
	return t ? xstrdup(t) : NULL;
}

static int trow_load(struct crm *crm, long long id, struct trow *r, struct crm_err *err)
{
	memset(r, 0, sizeof *r);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT title, status, priority, paused_since, responded, assignee_group, "
			  "paused_seconds, cycle, assignee_id FROM tickets WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	rc = crm_step(st);
	if (rc == CRM_SQL_ROW) {
		r->title = col_dup(st, 0);
		r->status = col_dup(st, 1);
		r->priority = col_dup(st, 2);
		r->paused_since = col_dup(st, 3);
		r->responded = col_dup(st, 4);
		r->group = col_dup(st, 5);
		r->paused_seconds = crm_col_int64(st, 6);
		r->cycle = crm_col_int64(st, 7);
		r->assignee_id = crm_col_int64(st, 8);
		rc = CRM_OK;
	} else if (rc == CRM_SQL_DONE) {
		rc = crm_error(err, CRM_ENOTFOUND, "ticket %lld not found", id);
	} else {
		rc = crm_db_error(crm, rc, "reading a ticket", err);
	}
	crm_stmt_done(st);
	return rc;
}

/* Move the SLA clock along a status change. */
static int clock_move(struct crm *crm, const struct tconf *c, long long id, const struct trow *r,
		      const char *to, struct crm_err *err)
{
	int was = clock_stopped(c, r->status), now_stopped = clock_stopped(c, to);
	long long paused = r->paused_seconds, cycle = r->cycle;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	const char *since = r->paused_since;
	if (!was && now_stopped) {
		since = stamp;
	} else if (was && !now_stopped) {
		time_t from = since ? crm_time_parse_iso(since) : (time_t)-1;
		if (from != (time_t)-1 && crm->now > from)
			paused += (long long)(crm->now - from);
		since = NULL;
	}
	/* Out of a resolved status is a new opening: it may be late, and alerted on, again. */
	if (crm_workflow_is_resolved(c->wf, r->status) && !crm_workflow_is_resolved(c->wf, to))
		cycle++;
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "UPDATE tickets SET paused_seconds = ?, paused_since = ?, cycle = ? WHERE id = ?",
			  &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, paused);
	crm_bind_text_copy(st, 2, since);
	crm_bind_int64(st, 3, cycle);
	crm_bind_int64(st, 4, id);
	rc = crm_step(st);
	crm_stmt_done(st);
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "moving the service-level clock", err);
}

int crm_ticket_action(struct crm *crm, long long id, const char *action, const char *name,
		      const char *from, const char *to, const char *text, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_check_utf8(strcmp(action, "comment") == 0 ? "the comment" : "the text", text, err);
	if (rc || (rc = crm_stmt_get(crm, "INSERT INTO ticket_actions (ticket_id, at, \"user\", action, name, "
				     "from_status, to_status, text, real_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err)))
		return rc;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	crm_bind_int64(st, 1, id);
	crm_bind_text_copy(st, 2, stamp);
	crm_bind_text(st, 3, crm->user);
	crm_bind_text(st, 4, action);
	crm_bind_text(st, 5, name);
	crm_bind_text(st, 6, from);
	crm_bind_text(st, 7, to);
	crm_bind_text(st, 8, text);
	crm_bind_text(st, 9, crm_real_user_differs(crm) ? crm->real_user : NULL);
	rc = crm_step(st);
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(crm, rc, "recording a ticket action", err);
	/* A comment is searched as part of its ticket, a row of its own (crm/search.h). */
	return strcmp(action, "comment") == 0 ? crm_search_comment(crm, crm_store_last_id(crm), text, err) : CRM_OK;
}

char *crm_user_roles(struct crm *crm)
{
	crm_stmt *st;
	struct crm_err err = { 0 };
	char *roles = NULL;
	if (crm_stmt_get(crm, "SELECT roles FROM users WHERE login = ?", &st, &err) == CRM_OK) {
		crm_bind_text(st, 1, crm->user);
		if (crm_step(st) == CRM_SQL_ROW)
			roles = col_dup(st, 0);
		crm_stmt_done(st);
	}
	return roles ? roles : xstrdup("");
}

/* A group one can assign to is one that somebody belongs to. */
static int check_group(struct crm *crm, const char *group, struct crm_err *err)
{
	if (!*group || strchr(group, ','))
		return crm_error(err, CRM_EINVALID, "'@%s' is not a group name", group);
	crm_stmt *st;
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM users WHERE " IN_GROUP, 1);
	int rc = crm_stmt_get(crm, sql, &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, group);
	long long n = crm_step(st) == CRM_SQL_ROW ? crm_col_int64(st, 0) : 0;
	crm_stmt_done(st);
	if (!n)
		return crm_error(err, CRM_EINVALID, "no user belongs to group '%s' (see crm user list groups:%s)",
				 group, group);
	return CRM_OK;
}

/* Prefix an error from the workflow or the engine with the ticket it is about. */
static int about(struct crm_err *err, long long id, int rc)
{
	if (rc && err && strncmp(err->msg, "ticket ", 7) != 0) {
		struct strbuf msg = { 0 };
		sb_addf(&msg, "ticket %lld: %s", id, err->msg);
		size_t n = msg.len < sizeof err->msg - 1 ? msg.len : sizeof err->msg - 1;
		memcpy(err->msg, msg.s, n);
		err->msg[n] = '\0';
		sb_free(&msg);
	}
	return rc;
}

static int names_status(const struct crm_assign *set, int nset)
{
	const struct crm_kind *k = ticket_kind();
	for (int i = 0; i < nset; i++) {
		const struct crm_field *f = crm_kind_field(k, set[i].field, NULL);
		if (f && strcmp(f->name, "status") == 0)
			return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- operations */

int crm_ticket_open(struct crm *crm, const char *title, const struct crm_assign *set, int nset,
		    const char *assign, long long *id, struct crm_err *err)
{
	struct tconf c;
	int rc = tconf_load(crm, &c, err);
	if (rc)
		return rc;
	if (nset > MAX_SET - 8) {
		tconf_free(&c);
		return crm_error(err, CRM_EUSAGE, "too many fields");
	}
	if (names_status(set, nset)) {
		rc = crm_error(err, CRM_EUSAGE, "a ticket opens in status '%s'; move it with crm ticket "
			       "transition", c.wf->initial);
		tconf_free(&c);
		return rc;
	}
	struct crm_assign all[MAX_SET];
	int n = 0;
	/* The priority and the reporter are the descriptor's defaults, the "open" action and the
	 * notification the workflow's effects: an import opens tickets the same way. */
	if (title)
		all[n++] = (struct crm_assign){ "title", title };
	if (assign && assign[0] == '@') {
		if ((rc = check_group(crm, assign + 1, err))) {
			tconf_free(&c);
			return rc;
		}
		all[n++] = (struct crm_assign){ "group", assign + 1 };
	} else if (assign && *assign) {
		all[n++] = (struct crm_assign){ "assignee", assign };
	}
	for (int i = 0; i < nset; i++)
		all[n++] = set[i];
	if ((rc = crm_tx_begin(crm, err))) {
		tconf_free(&c);
		return rc;
	}
	rc = crm_record_add(crm, ticket_kind(), all, n, id, err);
	struct trow r = { 0 };
	if (!rc && clock_stopped(&c, c.wf->initial) && !(rc = trow_load(crm, *id, &r, err))) {
		/* Opened straight into a stopped clock (an unusual workflow): start it stopped. */
		free(r.status);
		r.status = xstrdup("");
		rc = clock_move(crm, &c, *id, &r, c.wf->initial, err);
	}
	if (!rc)
		rc = crm_tx_commit(crm, err);
	else
		crm_tx_rollback(crm);
	trow_free(&r);
	tconf_free(&c);
	return rc;
}

int crm_ticket_edit(struct crm *crm, long long id, const struct crm_assign *set, int nset,
		    struct crm_err *err)
{
	/* --status <transition>|<status> is the transition: the same as crm ticket transition. */
	if (names_status(set, nset)) {
		struct crm_assign rest[MAX_SET];
		const char *to = NULL;
		int n = 0;
		for (int i = 0; i < nset && n < MAX_SET; i++)
			if (names_status(&set[i], 1))
				to = set[i].value;
			else
				rest[n++] = set[i];
		if (!to || !*to)
			return crm_error(err, CRM_EINVALID, "ticket %lld: the status cannot be emptied", id);
		return crm_ticket_transition(crm, id, to, rest, n, NULL, NULL, err);
	}
	/* The "edit" action and the notification are the workflow's effects (import too). An
	 * edit's error reads as every kind's edit and as the same refusal on open does (a credit
	 * rule, an unknown account): no "ticket N:" before it. */
	return crm_record_edit(crm, ticket_kind(), id, set, nset, NULL, err);
}

/* A verb that records an action of its own (assign, comment, transition) edits without the
 * "edit" action and notification of the `written` effects. */
static int quiet;

static int quiet_edit(struct crm *crm, long long id, const struct crm_assign *set, int nset,
		      struct crm_err *err)
{
	quiet++;
	int rc = crm_record_edit(crm, ticket_kind(), id, set, nset, NULL, err);
	quiet--;
	return rc;
}

/* The first comment or transition answers the ticket. */
static int mark_responded(struct crm *crm, long long id, const struct trow *r, struct crm_err *err)
{
	if (r->responded)
		return CRM_OK;
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	struct crm_assign a = { "responded", stamp };
	return quiet_edit(crm, id, &a, 1, err);
}

int crm_ticket_comment(struct crm *crm, long long id, const char *text, struct crm_err *err)
{
	if (!text || !*text)
		return crm_error(err, CRM_EUSAGE, "an empty comment says nothing");
	struct trow r;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if (!(rc = trow_load(crm, id, &r, err))) {
		rc = mark_responded(crm, id, &r, err);
		if (!rc)
			rc = crm_ticket_action(crm, id, "comment", NULL, NULL, NULL, text, err);
		if (!rc)
			rc = crm_notify_ticket(crm, id, "comment", "commented", text, CRM_NOTIFY_CONCERNED, NULL, err);
		trow_free(&r);
	}
	if (!rc)
		rc = crm_tx_commit(crm, err);
	else
		crm_tx_rollback(crm);
	return rc;
}

int crm_ticket_assign(struct crm *crm, long long id, const char *to, struct crm_err *err)
{
	struct trow r;
	int rc = crm_tx_begin(crm, err);
	if (rc)
		return rc;
	if ((rc = trow_load(crm, id, &r, err))) {
		crm_tx_rollback(crm);
		return rc;
	}
	struct crm_assign a[2];
	struct strbuf what = { 0 };
	if (to && to[0] == '@') {
		rc = check_group(crm, to + 1, err);
		a[0] = (struct crm_assign){ "assignee", NULL };
		a[1] = (struct crm_assign){ "group", to + 1 };
		sb_addf(&what, "assigned it to group %s", to + 1);
	} else if (to && *to) {
		a[0] = (struct crm_assign){ "assignee", to };
		a[1] = (struct crm_assign){ "group", NULL };
		sb_addf(&what, "assigned it to %s", to);
	} else {
		a[0] = (struct crm_assign){ "assignee", NULL };
		a[1] = (struct crm_assign){ "group", NULL };
		sb_add(&what, "unassigned it");
	}
	/* Whoever had it hears that it went. */
	char *before = NULL;
	if (!rc && r.assignee_id)
		before = crm_record_label(crm, crm_kind_find("user"), r.assignee_id);
	if (!rc)
		rc = quiet_edit(crm, id, a, 2, err);
	if (!rc)
		rc = crm_ticket_action(crm, id, "assign", NULL, NULL, NULL, what.s, err);
	if (!rc)
		rc = crm_notify_ticket(crm, id, "assigned", what.s, NULL, CRM_NOTIFY_CONCERNED, before, err);
	if (!rc)
		rc = crm_tx_commit(crm, err);
	else
		crm_tx_rollback(crm);
	free(before);
	sb_free(&what);
	trow_free(&r);
	return about(err, id, rc);
}

int crm_ticket_transition(struct crm *crm, long long id, const char *to, const struct crm_assign *set,
			  int nset, const char *comment, const char **taken, struct crm_err *err)
{
	static char taken_name[128];
	struct tconf c;
	if (taken)
		*taken = NULL;
	if (names_status(set, nset))
		return crm_error(err, CRM_EUSAGE, "give the status to move to as the transition, not as a field");
	if (nset > MAX_SET - 4)
		return crm_error(err, CRM_EUSAGE, "too many fields");
	int rc = tconf_load(crm, &c, err);
	if (rc)
		return rc;
	struct trow r = { 0 };
	char *roles = crm_user_roles(crm);
	const struct crm_wf_transition *t = NULL;
	if ((rc = crm_tx_begin(crm, err)))
		goto out;
	if ((rc = trow_load(crm, id, &r, err)))
		goto fail;
	if ((rc = about(err, id, crm_workflow_move(c.wf, r.status, to, roles, &t, err))) ||
	    (rc = about(err, id, crm_workflow_allowed(crm, t, roles, NULL, err))))
		goto fail;
	if (comment && *comment && (rc = crm_ticket_action(crm, id, "comment", NULL, NULL, NULL, comment, err)))
		goto fail;
	/* The workflow takes the transition through the engine: stamps, cleared and required
	 * fields, the clock, the action row and the notifications are its effects. */
	quiet++;
	rc = crm_workflow_take(crm, ticket_kind(), id, t->name, set, nset, comment, NULL, err);
	quiet--;
	/* its errors about the fields given with it (a credit rule, an unknown account) read as an
	 * edit's; the workflow's own name the ticket already */
	if (rc)
		goto fail;
	if ((rc = crm_tx_commit(crm, err)))
		goto out;
	if (taken) {
		snprintf(taken_name, sizeof taken_name, "%s", t->name);
		*taken = taken_name;
	}
	goto out;
fail:
	crm_tx_rollback(crm);
out:
	free(roles);
	trow_free(&r);
	tconf_free(&c);
	return rc;
}

/* ---------------------------------------------------------------- workflow effects */

/* stamps: the first answer, and when it was resolved (emptied when it is no longer). */
static int fx_stamps(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	int was = crm_workflow_is_resolved(ev->wf, ev->from), will = crm_workflow_is_resolved(ev->wf, ev->t->to);
	int rc = CRM_OK;
	if (!was && will)
		rc = ev->set(ev->ctx, "resolved", stamp, err);
	else if (was && !will)
		rc = ev->set(ev->ctx, "resolved", NULL, err);
	const char *responded = ev->get(ev->ctx, "responded");
	if (!rc && (!responded || !*responded))
		rc = ev->set(ev->ctx, "responded", stamp, err);
	return rc;
}

/* clock: the service-level clock stops and starts with the status. */
static int fx_clock(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	struct tconf c = { ev->wf, NULL };
	int rc = crm_sla_load(crm->cfg, &c.sla, err);
	struct trow r = { 0 };
	if (!rc && !(rc = trow_load(crm, ev->id, &r, err))) {
		free(r.status);
		r.status = xstrdup(ev->from);
		rc = clock_move(crm, &c, ev->id, &r, ev->t->to, err);
	}
	trow_free(&r);
	crm_sla_free(c.sla);
	return rc;
}

/* action: a row in the ticket's actions (`ticket show`). */
static int fx_action(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	return crm_ticket_action(crm, ev->id, "transition", ev->t->name, ev->from, ev->t->to, NULL, err);
}

/* action, when a ticket is opened or edited (by a verb or an import): "open" and "edit". */
static int fx_action_written(struct crm *crm, const struct crm_kind *k, long long id, const char *what,
			     struct crm_err *err)
{
	if (quiet)
		return CRM_OK;
	if (what)
		return crm_ticket_action(crm, id, "edit", NULL, NULL, NULL, what, err);
	const struct crm_workflow *wf;
	int rc = crm_workflow_get(crm, k, &wf, err);
	char *title = rc ? NULL : crm_record_label(crm, k, id);
	if (!rc)
		rc = crm_ticket_action(crm, id, "open", NULL, NULL, wf ? wf->initial : NULL, title, err);
	free(title);
	return rc;
}

/* notify, when a ticket is opened or edited; an import sends none. */
static int fx_notify_written(struct crm *crm, const struct crm_kind *k, long long id, const char *what,
			     struct crm_err *err)
{
	(void)k;
	if (quiet || crm->batch_id)
		return CRM_OK;
	return what ? crm_notify_ticket(crm, id, "changed", what, NULL, CRM_NOTIFY_CONCERNED, NULL, err)
		    : crm_notify_ticket(crm, id, "opened", "opened the ticket", NULL, CRM_NOTIFY_CONCERNED, NULL, err);
}

/* notify: a message to those concerned; an import sends none (crm-ticket(1)). */
static int fx_notify(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	if (crm->batch_id)
		return CRM_OK;
	struct strbuf what = { 0 };
	sb_addf(&what, "moved it from %s to %s (%s)", ev->from, ev->t->to, ev->t->name);
	int rc = crm_notify_ticket(crm, ev->id, ev->t->name, what.s, ev->comment, CRM_NOTIFY_CONCERNED, NULL, err);
	sb_free(&what);
	return rc;
}

const struct crm_wf_effect crm_ticket_effects[] = {
	{ "ticket", "stamps", fx_stamps, NULL, "set responded on the first transition, resolved on reaching a resolved status" },
	{ "ticket", "clock", NULL, fx_clock, "stop and start the service-level clock (sla.paused, resolved statuses)" },
	{ "ticket", "action", NULL, fx_action, "record the opening, edits and transitions among the ticket's actions",
	  fx_action_written },
	{ "ticket", "notify", NULL, fx_notify, "notify the assignee, the watchers and the contact",
	  fx_notify_written },
	{ NULL, NULL, NULL, NULL, NULL },
};

int crm_ticket_attached(struct crm *crm, long long id, const char *name, struct crm_err *err)
{
	int rc = crm_ticket_action(crm, id, "attach", NULL, NULL, NULL, name, err);
	if (!rc) {
		struct strbuf what = { 0 };
		sb_addf(&what, "attached %s", name);
		rc = crm_notify_ticket(crm, id, "attached", what.s, NULL, CRM_NOTIFY_CONCERNED, NULL, err);
		sb_free(&what);
	}
	return rc;
}

int crm_ticket_watch(struct crm *crm, long long id, const char *login, const char *contact, int stop,
		     struct crm_err *err)
{
	long long who = 0;
	const struct crm_kind *k = crm_kind_find(contact ? "contact" : "user");
	const char *ref = contact ? contact : login ? login : crm->user;
	int rc = crm_record_resolve(crm, k, ref, &who, err);
	if (rc)
		return rc;
	struct trow r;
	if ((rc = crm_tx_begin(crm, err)))
		return rc;
	if ((rc = trow_load(crm, id, &r, err))) {
		crm_tx_rollback(crm);
		return rc;
	}
	trow_free(&r);
	crm_stmt *st;
	const char *sql = stop ? (contact ? "DELETE FROM ticket_watchers WHERE ticket_id = ? AND contact_id = ?"
					  : "DELETE FROM ticket_watchers WHERE ticket_id = ? AND user_id = ?")
			       : (contact ? "INSERT OR IGNORE INTO ticket_watchers (ticket_id, contact_id) VALUES (?, ?)"
					  : "INSERT OR IGNORE INTO ticket_watchers (ticket_id, user_id) VALUES (?, ?)");
	if (!(rc = crm_stmt_get(crm, sql, &st, err))) {
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, who);
		int src = crm_step(st);
		crm_stmt_done(st);
		if (src != CRM_SQL_DONE)
			rc = crm_db_error(crm, src, "changing the watchers", err);
	}
	if (!rc && crm_store_changes(crm)) {
		char *label = crm_record_label(crm, k, who);
		struct strbuf what = { 0 };
		sb_addf(&what, "%s %s", stop ? "stopped:" : "watching:", label ? label : ref);
		rc = crm_ticket_action(crm, id, stop ? "unwatch" : "watch", NULL, NULL, NULL, what.s, err);
		sb_free(&what);
		free(label);
	}
	if (!rc)
		rc = crm_tx_commit(crm, err);
	else
		crm_tx_rollback(crm);
	return rc;
}

/* ---------------------------------------------------------------- show */

/* Rows into a printer: a table, or (nested) a list of maps after the caller's key. */
struct emitter {
	struct crm_printer *p;
	int nested;
	const char *const *names;
	int n;
};

static void emit_begin(struct emitter *e)
{
	if (!e->p)
		return;
	if (e->nested)
		crm_printer_begin_list(e->p);
	else
		crm_printer_columns(e->p, e->names, e->n);
}

static void emit_row(struct emitter *e, const struct crm_value *cells)
{
	if (!e->p)
		return;
	if (!e->nested) {
		crm_printer_row(e->p, cells);
		return;
	}
	crm_printer_begin_map(e->p);
	for (int i = 0; i < e->n; i++) {
		crm_printer_key(e->p, e->names[i]);
		crm_printer_value(e->p, &cells[i]);
	}
	crm_printer_end(e->p);
}

static void emit_end(struct emitter *e)
{
	if (e->p && e->nested)
		crm_printer_end(e->p);
}

static void join_list(struct strbuf *b, const char *const *items, int n)
{
	for (int i = 0; i < n; i++)
		sb_addf(b, "%s%s", i ? (char[]){ CRM_LIST_SEP, 0 } : "", items[i]);
}

int crm_ticket_transitions_print(struct crm *crm, long long id, struct crm_printer *p, int nested,
				 long long *count, struct crm_err *err)
{
	struct tconf c;
	int rc = tconf_load(crm, &c, err);
	if (rc)
		return rc;
	struct trow r;
	if ((rc = trow_load(crm, id, &r, err))) {
		tconf_free(&c);
		return rc;
	}
	static const char *const names[] = { "name", "from", "to", "roles", "needs" };
	struct emitter e = { p, nested, names, 5 };
	char *roles = crm_user_roles(crm);
	long long n = 0;
	emit_begin(&e);
	for (int i = 0; i < c.wf->ntr; i++) {
		const struct crm_wf_transition *t = &c.wf->tr[i];
		struct crm_err denied = { 0 };
		if (!crm_workflow_leaves(t, r.status) || crm_workflow_allowed(crm, t, roles, NULL, &denied))
			continue;
		struct strbuf rl = { 0 }, need = { 0 };
		join_list(&rl, t->roles, t->nroles);
		join_list(&need, t->required, t->nrequired);
		struct crm_value cells[5] = {
			{ CRM_V_TEXT, t->name }, { CRM_V_TEXT, r.status }, { CRM_V_TEXT, t->to },
			{ CRM_V_LIST, rl.s ? rl.s : "" }, { CRM_V_LIST, need.s ? need.s : "" },
		};
		emit_row(&e, cells);
		sb_free(&rl);
		sb_free(&need);
		n++;
	}
	emit_end(&e);
	if (count)
		*count = n;
	free(roles);
	trow_free(&r);
	tconf_free(&c);
	return CRM_OK;
}

int crm_ticket_actions_print(struct crm *crm, long long id, int comments, struct crm_printer *p,
			     int nested, long long *count, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT at, \"user\", action, name, from_status, to_status, text FROM ticket_actions "
			  "WHERE ticket_id = ? AND (action = 'comment') = ? ORDER BY id", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	crm_bind_int64(st, 2, comments != 0);
	static const char *const cnames[] = { "at", "user", "text" };
	static const char *const anames[] = { "at", "user", "action", "detail" };
	struct emitter e = { p, nested, comments ? cnames : anames, comments ? 3 : 4 };
	long long n = 0;
	emit_begin(&e);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		const char *text = (const char *)crm_col_text(st, 6);
		struct crm_value cells[4] = {
			{ CRM_V_TIME, (const char *)crm_col_text(st, 0) },
			{ CRM_V_TEXT, (const char *)crm_col_text(st, 1) },
		};
		struct strbuf detail = { 0 };
		if (comments) {
			cells[2] = (struct crm_value){ text ? CRM_V_TEXT : CRM_V_NULL, text };
		} else {
			const char *name = (const char *)crm_col_text(st, 3);
			const char *from = (const char *)crm_col_text(st, 4);
			const char *to = (const char *)crm_col_text(st, 5);
			cells[2] = (struct crm_value){ CRM_V_TEXT, (const char *)crm_col_text(st, 2) };
			/* A transition is "name: from -> to"; other actions say what they did in text. */
			if (from && to)
				sb_addf(&detail, "%s%s%s -> %s", name ? name : "", name ? ": " : "", from, to);
			else if (to)
				sb_addf(&detail, "in %s", to);
			if (text)
				sb_addf(&detail, "%s%s", detail.len ? "; " : "", text);
			cells[3] = (struct crm_value){ detail.len ? CRM_V_TEXT : CRM_V_NULL, detail.s };
		}
		emit_row(&e, cells);
		sb_free(&detail);
		n++;
	}
	emit_end(&e);
	crm_stmt_done(st);
	if (count)
		*count = n;
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading ticket actions", err);
}

int crm_ticket_watchers_print(struct crm *crm, long long id, struct crm_printer *p, int nested,
			      long long *count, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT CASE WHEN w.user_id IS NOT NULL THEN 'user' ELSE 'contact' END, "
			  "coalesce(u.login, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))), "
			  "coalesce(u.email, c.email) FROM ticket_watchers w LEFT JOIN users u ON u.id = w.user_id "
			  "LEFT JOIN contacts c ON c.id = w.contact_id WHERE w.ticket_id = ? ORDER BY w.id", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	static const char *const names[] = { "kind", "name", "email" };
	struct emitter e = { p, nested, names, 3 };
	long long n = 0;
	emit_begin(&e);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		struct crm_value cells[3];
		for (int i = 0; i < 3; i++) {
			const char *t = (const char *)crm_col_text(st, i);
			cells[i] = (struct crm_value){ t ? CRM_V_TEXT : CRM_V_NULL, t };
		}
		emit_row(&e, cells);
		n++;
	}
	emit_end(&e);
	crm_stmt_done(st);
	if (count)
		*count = n;
	return rc == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, rc, "reading the watchers", err);
}
