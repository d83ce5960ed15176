/* The agenda and the calendar's rows (crm/agenda.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/agenda.h"
#include "crm/kind.h"
#include "crm/record.h"
#include "crm/workflow.h"
#include "db.h"
#include "util.h"

struct ids {
	long long *v;
	int n, cap;
};

static void ids_add(struct ids *l, long long id)
{
	if (l->n == l->cap)
		l->v = realloc(l->v, (size_t)(l->cap = l->cap ? l->cap * 2 : 16) * sizeof *l->v);
	if (!l->v)
		abort();
	l->v[l->n++] = id;
}

/* Numbers a query selects (one column), appended to l; ?1 bound to arg. */
static int ids_of(struct crm *crm, const char *sql, long long arg, struct ids *l, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, arg);
	int step;
	while ((step = crm_step(st)) == CRM_SQL_ROW)
		ids_add(l, crm_col_int64(st, 0));
	crm_finalize(st);
	return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading whose tasks", err);
}

#define GROUPS_OF_USER "SELECT g.id FROM groups g, users u WHERE u.id = ?1 AND instr(',' || " \
	"lower(replace(coalesce(u.groups, ''), ' ', '')) || ',', ',' || lower(g.name) || ',') > 0"
#define TEAM_OF_USER "WITH RECURSIVE under(id) AS (SELECT id FROM users WHERE manager_id = ?1 UNION " \
	"SELECT u.id FROM users u JOIN under ON u.manager_id = under.id) SELECT id FROM under"

/* The users and groups whose tasks scope s takes in. */
static int whose(struct crm *crm, const struct crm_agenda_scope *s, struct ids *users, struct ids *groups,
		 struct crm_err *err)
{
	long long id;
	if (s->group) {
		int rc = crm_record_resolve(crm, crm_kind_find("group"), s->group, &id, err);
		if (!rc)
			ids_add(groups, id);
		return rc;
	}
	const char *login = s->user ? s->user : crm_user(crm);
	struct crm_err none = { 0 };
	int rc = crm_record_resolve(crm, crm_kind_find("user"), login, &id, s->user ? err : &none);
	if (rc)
		return s->user ? rc : CRM_OK; /* acting as a login with no user record: nothing is theirs */
	if (s->team)
		return ids_of(crm, TEAM_OF_USER, id, users, err);
	ids_add(users, id);
	return ids_of(crm, GROUPS_OF_USER, id, groups, err);
}

static void in_list(struct strbuf *b, const struct ids *l)
{
	sb_add(b, "(");
	for (int i = 0; i < l->n; i++)
		sb_addf(b, "%s%lld", i ? ", " : "", l->v[i]);
	sb_add(b, ")");
}

/* ?1..?nst the statuses, then ?nst+1 to, ?nst+2 from_due, ?nst+3 from_start. */
static void part(struct strbuf *b, const char *col, const struct ids *l, int nst, int from_due)
{
	struct strbuf sts = { 0 };
	for (int i = 0; i < nst; i++)
		sb_addf(&sts, "%s?%d", i ? ", " : "", i + 1);
	if (b->len)
		sb_add(b, " UNION ALL ");
	sb_addf(b, "SELECT id FROM tasks WHERE %s IN ", col);
	in_list(b, l);
	sb_addf(b, " AND status COLLATE NOCASE IN (%s) AND due < ?%d", sts.s, nst + 1);
	if (from_due)
		sb_addf(b, " AND due >= ?%d", nst + 2);
	sb_addf(b, " UNION ALL SELECT id FROM tasks WHERE %s IN ", col);
	in_list(b, l);
	sb_addf(b, " AND status COLLATE NOCASE IN (%s) AND due IS NULL AND start_at >= ?%d AND start_at < ?%d", sts.s,
		nst + 3, nst + 1);
	sb_free(&sts);
}

#define SELECT_ITEMS "SELECT t.id, t.title, t.type, t.status, t.priority, coalesce(t.due, t.start_at), t.due, " \
	"t.start_at, t.end_at, t.all_day, u.login, g.name, a.name FROM tasks t " \
	"LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN groups g ON g.id = t.group_id " \
	"LEFT JOIN accounts a ON a.id = t.account_id WHERE t.id IN ("

/* The query for scope s, or NULL when it takes in no one; *sts the statuses to bind. */
static int build(struct crm *crm, const struct crm_agenda_scope *s, int all_statuses, int from_due,
		 char **sql, const char ***sts, int *nst, struct crm_err *err)
{
	struct ids users = { 0 }, groups = { 0 };
	*sql = NULL;
	*sts = NULL;
	*nst = 0;
	const struct crm_workflow *wf;
	int rc = whose(crm, s, &users, &groups, err);
	if (!rc)
		rc = crm_workflow_get(crm, crm_kind_find("task"), &wf, err);
	if (!rc && wf && (users.n || groups.n)) {
		*sts = xcalloc((size_t)wf->nstatuses + 1, sizeof **sts);
		for (int i = 0; i < wf->nstatuses; i++)
			if (all_statuses || !crm_workflow_is_resolved(wf, wf->statuses[i]))
				(*sts)[(*nst)++] = wf->statuses[i];
		struct strbuf in = { 0 }, b = { 0 };
		if (users.n)
			part(&in, "assignee_id", &users, *nst, from_due);
		if (groups.n)
			part(&in, "group_id", &groups, *nst, from_due);
		sb_addf(&b, SELECT_ITEMS "%s) ORDER BY coalesce(t.due, t.start_at), t.id", in.s);
		sb_free(&in);
		*sql = sb_take(&b);
	}
	free(users.v);
	free(groups.v);
	return rc;
}

static void bind_all(crm_stmt *st, const char **sts, int nst, const char *from_due, const char *from_start,
		     const char *to)
{
	for (int i = 0; i < nst; i++)
		crm_bind_text(st, i + 1, sts[i]);
	crm_bind_text(st, nst + 1, to);
	if (from_due)
		crm_bind_text(st, nst + 2, from_due);
	crm_bind_text(st, nst + 3, from_start);
}

static char *col(crm_stmt *st, int i)
{
	const char *t = crm_col_type(st, i) == CRM_COL_NULL ? NULL : crm_col_text(st, i);
	return t ? xstrdup(t) : NULL;
}

int crm_agenda_items(struct crm *crm, const struct crm_agenda_scope *s, const char *from_due, const char *from_start,
		     const char *to, int all_statuses, struct crm_agenda_item **items, int *n, struct crm_err *err)
{
	char *sql;
	const char **sts;
	int nst, cap = 0;
	*items = NULL;
	*n = 0;
	int rc = build(crm, s, all_statuses, from_due != NULL, &sql, &sts, &nst, err);
	if (rc || !sql) {
		free(sts);
		return rc;
	}
	crm_stmt *st;
	if (!(rc = crm_prepare(crm, sql, &st, err))) {
		bind_all(st, sts, nst, from_due, from_start, to);
		int step;
		while ((step = crm_step(st)) == CRM_SQL_ROW) {
			if (*n == cap)
				*items = realloc(*items, (size_t)(cap = cap ? cap * 2 : 32) * sizeof **items);
			if (!*items)
				abort();
			struct crm_agenda_item *it = &(*items)[(*n)++];
			it->id = crm_col_int64(st, 0);
			it->title = col(st, 1);
			it->type = col(st, 2);
			it->status = col(st, 3);
			it->priority = col(st, 4);
			it->at = col(st, 5);
			it->due = col(st, 6);
			it->start = col(st, 7);
			it->end = col(st, 8);
			it->all_day = crm_col_type(st, 9) != CRM_COL_NULL && crm_col_int64(st, 9) != 0;
			it->assignee = col(st, 10);
			it->group = col(st, 11);
			it->account = col(st, 12);
		}
		if (step != CRM_SQL_DONE)
			rc = crm_db_error(crm, step, "reading the agenda", err);
		crm_finalize(st);
	}
	free(sql);
	free(sts);
	if (rc) {
		crm_agenda_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return rc;
}

void crm_agenda_free(struct crm_agenda_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		struct crm_agenda_item *it = &items[i];
		free(it->title);
		free(it->type);
		free(it->status);
		free(it->priority);
		free(it->at);
		free(it->due);
		free(it->start);
		free(it->end);
		free(it->assignee);
		free(it->group);
		free(it->account);
	}
	free(items);
}

int crm_agenda_explain(struct crm *crm, const struct crm_agenda_scope *s, struct crm_printer *p, struct crm_err *err)
{
	char *sql;
	const char **sts;
	int nst;
	int rc = build(crm, s, 0, 0, &sql, &sts, &nst, err); /* the agenda's own: overdue has no lower bound */
	static const char *const names[] = { "detail" };
	crm_printer_columns(p, names, 1);
	if (rc || !sql) {
		free(sts);
		return rc;
	}
	int pg = strcmp(crm->store->name, "sqlite") != 0;
	struct strbuf b = { 0 };
	sb_addf(&b, "%s%s", pg ? "EXPLAIN " : "EXPLAIN QUERY PLAN ", sql);
	crm_stmt *st;
	if (!(rc = crm_prepare(crm, b.s, &st, err))) {
		bind_all(st, sts, nst, NULL, "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
		int step;
		while ((step = crm_step(st)) == CRM_SQL_ROW) {
			/* SQLite: id, parent, notused, detail; PostgreSQL: one column */
			struct crm_value v = { CRM_V_TEXT, crm_col_text(st, pg ? 0 : 3) };
			crm_printer_row(p, &v);
		}
		if (step != CRM_SQL_DONE)
			rc = crm_db_error(crm, step, "explaining the agenda", err);
		crm_finalize(st);
	}
	sb_free(&b);
	free(sql);
	free(sts);
	return rc;
}
