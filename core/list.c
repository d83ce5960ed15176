/* Distribution lists (crm/list.h): static members in link tables (migration 022), dynamic
 * lists as saved filters, both read through the record engine's query so that members print
 * with the member kind's columns in every format. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/list.h"
#include "crm/csvin.h"
#include "crm/date.h"
#include "crm/filter.h"
#include "crm/record.h"
#include "db.h"
#include "members.h"
#include "util.h"

static const struct crm_members members = { "list", "list_contacts", "list_accounts" };

struct list_info {
	long long id;
	char *name;
	int dynamic;
	char of[16];  /* contact, account, any */
	char *filter; /* a dynamic list's terms */
};

static void info_free(struct list_info *l)
{
	free(l->name);
	free(l->filter);
}

static int info_load(struct crm *crm, long long id, struct list_info *l, struct crm_err *err)
{
	memset(l, 0, sizeof *l);
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT name, lower(type), lower(member_kind), filter_terms FROM lists WHERE id = ?",
			      &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int src = crm_step(st);
	if (src == CRM_SQL_ROW) {
		const char *t;
		l->id = id;
		l->name = xstrdup((const char *)crm_col_text(st, 0));
		t = (const char *)crm_col_text(st, 1);
		l->dynamic = t && strcmp(t, "dynamic") == 0;
		t = (const char *)crm_col_text(st, 2);
		snprintf(l->of, sizeof l->of, "%s", t ? t : "contact");
		t = (const char *)crm_col_text(st, 3);
		l->filter = t && *t ? xstrdup(t) : NULL;
	}
	crm_stmt_done(st);
	if (src == CRM_SQL_ROW)
		return CRM_OK;
	if (src == CRM_SQL_DONE)
		return crm_error(err, CRM_ENOTFOUND, "list '%lld' not found", id);
	return crm_db_error(crm, src, "reading a list", err);
}

int crm_list_resolve(struct crm *crm, const char *ref, long long *id, struct crm_err *err)
{
	return crm_record_resolve(crm, crm_kind_find("list"), ref, id, err);
}

int crm_list_about(struct crm *crm, long long list, int *dynamic, const char **of, struct crm_err *err)
{
	struct list_info l;
	int rc = info_load(crm, list, &l, err);
	if (rc)
		return rc;
	*dynamic = l.dynamic;
	*of = strcmp(l.of, "account") == 0 ? "account" : strcmp(l.of, "any") == 0 ? "any" : "contact";
	info_free(&l);
	return CRM_OK;
}

/* ---------------------------------------------------------------- saved filters */

int crm_list_filter_words(const char *filter, char **store, const char ***words)
{
	size_t len = filter ? strlen(filter) : 0;
	char *out = xmalloc(len + 1), *w = out;
	const char **v = xcalloc(len / 2 + 2, sizeof *v);
	int n = 0;
	const char *s = filter ? filter : "";
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		v[n++] = w;
		int quoted = 0;
		for (; *s && (quoted || !(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				*w++ = *s;
		}
		*w++ = '\0';
	}
	*store = out;
	*words = v;
	return n;
}

/* Compile a list's filter over kind k; the message names the list's filter. */
static int compile_saved(struct crm *crm, const struct crm_kind *k, const char *filter, struct crm_filter *f,
			 struct crm_err *err)
{
	char *store;
	const char **words;
	int n = crm_list_filter_words(filter, &store, &words);
	int rc = crm_filter_compile(k, words, n, crm->now, f, err);
	free(store);
	free(words);
	if (rc) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return crm_error(err, CRM_EUSAGE, "list filter '%s' over %s: %s", filter, k->plural, msg);
	}
	return CRM_OK;
}

/* ---------------------------------------------------------------- the descriptor's rule */

static const char *val(const struct crm_kind *k, const char *const *vals, const char *name)
{
	const struct crm_field *f = crm_kind_field(k, name, NULL);
	return f ? vals[f - k->fields] : NULL;
}

static long long count_of(struct crm *crm, const char *sql, long long id)
{
	long long n;
	return crm_query_int64(crm, &n, NULL, sql, "i", id) ? 0 : n;
}

int crm_list_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
		   struct crm_err *err)
{
	const char *name = val(k, vals, "name"), *type = val(k, vals, "type"), *of = val(k, vals, "of"),
		   *filter = val(k, vals, "filter");
	if (!name)
		name = "?";
	int dynamic = type && strcasecmp(type, "dynamic") == 0;
	if (!type || (!dynamic && strcasecmp(type, "static") != 0))
		return crm_error(err, CRM_EINVALID, "list '%s': type '%s' is neither static nor dynamic", name,
				 type ? type : "");
	if (!of || (strcasecmp(of, "contact") && strcasecmp(of, "account") && strcasecmp(of, "any")))
		return crm_error(err, CRM_EINVALID, "list '%s': of '%s' is not contact, account or any", name,
				 of ? of : "");
	if (dynamic) {
		if (strcasecmp(of, "any") == 0)
			return crm_error(err, CRM_EINVALID,
					 "dynamic list '%s' filters contacts or accounts: --of contact or --of account", name);
		if (!filter || !*filter)
			return crm_error(err, CRM_EINVALID, "dynamic list '%s' needs a filter (--filter 'country:DE ...')",
					 name);
		struct crm_filter f;
		int rc = compile_saved(crm, crm_kind_find(of), filter, &f, err);
		if (rc)
			return rc;
		crm_filter_free(&f);
	} else if (filter && *filter) {
		return crm_error(err, CRM_EINVALID,
				 "static list '%s' keeps no filter; add who matches one with crm list add-member '%s' --where '%s'",
				 name, name, filter);
	}
	if (!id)
		return CRM_OK;
	long long contacts = count_of(crm, "SELECT count(*) FROM list_contacts WHERE target_id = ?", id);
	long long accounts = count_of(crm, "SELECT count(*) FROM list_accounts WHERE target_id = ?", id);
	if (dynamic && contacts + accounts)
		return crm_error(err, CRM_ECONFLICT,
				 "list '%s' has %lld members; a dynamic list has none of its own (crm list rm-member '%s' --all)",
				 name, contacts + accounts, name);
	if (strcasecmp(of, "contact") == 0 && accounts)
		return crm_error(err, CRM_ECONFLICT, "list '%s' has %lld account members; remove them first", name, accounts);
	if (strcasecmp(of, "account") == 0 && contacts)
		return crm_error(err, CRM_ECONFLICT, "list '%s' has %lld contact members; remove them first", name, contacts);
	return CRM_OK;
}

/* ---------------------------------------------------------------- members */

struct members_q {
	struct crm_query q;
	struct crm_filter inner;  /* a dynamic list of accounts, as contacts */
	int has_inner;
	char *where;
	char *store;              /* the saved filter's words, then the caller's terms */
	const char **terms;
	const char **fields;
};

static void members_q_free(struct members_q *m)
{
	if (m->has_inner)
		crm_filter_free(&m->inner);
	free(m->where);
	free(m->store);
	free(m->terms);
	free(m->fields);
}

static int members_q_build(struct crm *crm, long long list, const struct crm_list_query *lq, struct members_q *m,
			   struct crm_err *err)
{
	memset(m, 0, sizeof *m);
	struct list_info l;
	int rc = info_load(crm, list, &l, err);
	if (rc)
		return rc;
	int accounts = lq->accounts && lq->reach == CRM_REACH_ALL;
	if (lq->accounts && lq->reach != CRM_REACH_ALL) {
		rc = crm_error(err, CRM_EUSAGE, "who a mailing reaches are contacts, not accounts");
		goto out;
	}
	if (accounts && strcmp(l.of, "contact") == 0) {
		rc = crm_error(err, CRM_EUSAGE, "list '%s' is a list of contacts, not of accounts", l.name);
		goto out;
	}
	const struct crm_kind *k = crm_kind_find(accounts ? "account" : "contact");
	/* The terms: a dynamic list's own, when they are over the kind listed, then the caller's. */
	const char **saved = NULL;
	int nsaved = 0;
	if (l.dynamic && strcmp(l.of, k->name) == 0)
		nsaved = crm_list_filter_words(l.filter, &m->store, &saved);
	m->terms = xcalloc((size_t)(nsaved + lq->nterms + 1), sizeof *m->terms);
	for (int i = 0; i < nsaved; i++)
		m->terms[i] = saved[i];
	for (int i = 0; i < lq->nterms; i++)
		m->terms[nsaved + i] = lq->terms[i];
	free(saved);
	struct strbuf w = { 0 };
	if (!l.dynamic && accounts) {
		sb_addf(&w, "t.id IN (SELECT l.record_id FROM list_accounts l WHERE l.target_id = %lld)", list);
	} else if (!l.dynamic) {
		/* Its contacts, and the contacts of its accounts: each found through an index. */
		sb_addf(&w, "t.id IN (SELECT l.record_id FROM list_contacts l WHERE l.target_id = %lld UNION "
			    "SELECT c.id FROM list_accounts a JOIN contacts c ON c.account_id = a.record_id "
			    "WHERE a.target_id = %lld)", list, list);
	} else if (strcmp(l.of, "account") == 0 && !accounts) {
		/* A dynamic list of accounts stands for their contacts. */
		if ((rc = compile_saved(crm, crm_kind_find("account"), l.filter, &m->inner, err)))
			goto out;
		m->has_inner = 1;
		sb_addf(&w, "t.account_id IN (SELECT t.id FROM accounts t WHERE %s)", m->inner.sql);
		m->q.where_binds = (const char *const *)m->inner.binds;
		m->q.nwhere_binds = m->inner.nbinds;
	}
	if (lq->reach == CRM_REACH_EMAIL)
		sb_addf(&w, "%st.email IS NOT NULL AND t.email <> '' AND coalesce(t.do_not_email, 0) = 0", w.len ? " AND " : "");
	else if (lq->reach == CRM_REACH_MAIL)
		sb_addf(&w, "%scoalesce(t.do_not_mail, 0) = 0", w.len ? " AND " : "");
	m->where = w.len ? sb_take(&w) : NULL;
	sb_free(&w);
	/* Contacts by default with what a mailing must honour. */
	const char *const *fields = lq->fields;
	int nfields = lq->nfields;
	if (!fields && !accounts) {
		m->fields = xcalloc((size_t)k->nfields + 3, sizeof *m->fields);
		for (int i = 0; i < k->nfields; i++)
			if (k->fields[i].flags & CRM_FF_LIST)
				m->fields[nfields++] = k->fields[i].name;
		m->fields[nfields++] = "do_not_email";
		m->fields[nfields++] = "do_not_mail";
		fields = m->fields;
	}
	m->q.kind = k;
	m->q.terms = m->terms;
	m->q.nterms = nsaved + lq->nterms;
	m->q.fields = fields;
	m->q.nfields = nfields;
	m->q.sort = lq->sort;
	m->q.limit = lq->limit;
	m->q.where = m->where;
out:
	info_free(&l);
	if (rc)
		members_q_free(m);
	return rc;
}

int crm_list_members_open(struct crm *crm, long long list, const struct crm_list_query *q, struct crm_cursor **out,
			  struct crm_err *err)
{
	struct members_q m;
	int rc = members_q_build(crm, list, q, &m, err);
	if (rc)
		return rc;
	rc = crm_query_open(crm, &m.q, out, err); /* binds are copied: m may go */
	members_q_free(&m);
	return rc;
}

int crm_list_members_print(struct crm *crm, long long list, const struct crm_list_query *q, struct crm_printer *p,
			   long long *count, struct crm_err *err)
{
	struct members_q m;
	int rc = members_q_build(crm, list, q, &m, err);
	if (rc)
		return rc;
	rc = crm_query_print(crm, &m.q, p, count, err);
	members_q_free(&m);
	return rc;
}

/* ---------------------------------------------------------------- adding and removing */

/* The list, static, taking members of this kind. */
static int static_for(struct crm *crm, long long list, int accounts, struct list_info *l, struct crm_err *err)
{
	int rc = info_load(crm, list, l, err);
	if (rc)
		return rc;
	if (l->dynamic)
		rc = crm_error(err, CRM_ECONFLICT, "list '%s' is dynamic: its members are who its filter matches (%s)",
			       l->name, l->filter ? l->filter : "");
	else if (accounts && strcmp(l->of, "contact") == 0)
		rc = crm_error(err, CRM_EUSAGE, "list '%s' is a list of contacts, not of accounts", l->name);
	else if (!accounts && strcmp(l->of, "account") == 0)
		rc = crm_error(err, CRM_EUSAGE, "list '%s' is a list of accounts; name them with --account", l->name);
	if (rc)
		info_free(l);
	return rc;
}

static int change(struct crm *crm, long long list, int accounts, int add, const long long *ids, int nids,
		  long long *changed, struct crm_err *err)
{
	struct list_info l;
	int rc = static_for(crm, list, accounts, &l, err);
	if (rc) {
		if (changed)
			*changed = 0;
		return rc;
	}
	rc = crm_members_change(crm, &members, list, accounts, add, ids, nids, changed, err);
	info_free(&l);
	return rc;
}

int crm_list_add_members(struct crm *crm, long long list, int accounts, const long long *ids, int nids,
			 long long *changed, struct crm_err *err)
{
	return change(crm, list, accounts, 1, ids, nids, changed, err);
}

int crm_list_rm_members(struct crm *crm, long long list, int accounts, const long long *ids, int nids,
			long long *changed, struct crm_err *err)
{
	return change(crm, list, accounts, 0, ids, nids, changed, err);
}

int crm_list_clear(struct crm *crm, long long list, long long *changed, struct crm_err *err)
{
	struct list_info l;
	int rc = info_load(crm, list, &l, err);
	if (rc)
		return rc;
	info_free(&l);
	return crm_members_clear(crm, &members, list, changed, err);
}

int crm_list_add_where(struct crm *crm, long long list, int accounts, const char *const *terms, int nterms,
		       long long *changed, struct crm_err *err)
{
	struct list_info l;
	int rc = static_for(crm, list, accounts, &l, err);
	if (rc) {
		if (changed)
			*changed = 0;
		return rc;
	}
	info_free(&l);
	return crm_members_add_where(crm, &members, list, accounts, terms, nterms, changed, err);
}

static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *out = xmalloc(n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

int crm_list_add_csv(struct crm *crm, long long list, int accounts, FILE *in, const char *name,
		     void (*unknown)(void *ctx, long long line, const char *value, const struct crm_err *why),
		     void *ctx, long long *changed, struct crm_err *err)
{
	struct list_info l;
	int rc = static_for(crm, list, accounts, &l, err);
	if (rc)
		return rc;
	info_free(&l);
	const struct crm_kind *k = crm_kind_find(accounts ? "account" : "contact");
	struct crm_csvin *r;
	struct crm_csvin_opts o = { 0 };
	if ((rc = crm_csvin_open(&r, in, name, &o, err)))
		return rc;
	static const char *const heads[] = { "email", "e-mail", "id", "ref", "contact", "account", "name" };
	long long *ids = NULL, bad = 0;
	int nids = 0, cap = 0, col = 0, first = 1;
	struct crm_csv_row row;
	while ((rc = crm_csvin_next(r, &row, err)) == 1) {
		if (first) {
			first = 0;
			int found = -1;
			for (size_t h = 0; h < sizeof heads / sizeof *heads && found < 0; h++)
				for (int i = 0; i < row.nfields && found < 0; i++) {
					char *t = trimmed(row.fields[i]);
					if (strcasecmp(t, heads[h]) == 0)
						found = i;
					free(t);
				}
			if (found >= 0) {
				col = found;
				continue;
			}
		}
		char *v = col < row.nfields ? trimmed(row.fields[col]) : xstrdup("");
		long long id;
		struct crm_err why = { 0 };
		if (!*v) {
			crm_error(&why, CRM_EINVALID, "no %s named (empty)", crm_noun(k->name));
			bad++;
			if (unknown)
				unknown(ctx, row.line, v, &why);
		} else if (crm_record_resolve(crm, k, v, &id, &why)) {
			bad++;
			if (unknown)
				unknown(ctx, row.line, v, &why);
		} else {
			if (nids == cap) {
				cap = cap ? cap * 2 : 64;
				ids = xrealloc(ids, (size_t)cap * sizeof *ids);
			}
			ids[nids++] = id;
		}
		free(v);
	}
	crm_csvin_close(r);
	if (rc < 0)
		rc = -rc;
	else if (bad)
		rc = crm_error(err, CRM_EINVALID, "%s: %lld %s naming no %s; nothing added", name, bad,
			       bad == 1 ? "row" : "rows", crm_noun(k->name));
	else
		rc = change(crm, list, accounts, 1, ids, nids, changed, err);
	if (rc && changed)
		*changed = 0;
	free(ids);
	return rc;
}

/* ---------------------------------------------------------------- show sections */

static void row4(struct crm_printer *p, const char *id, const char *name, const char *type, const char *how)
{
	static const char *const keys[] = { "id", "name", "type", "how" };
	const char *v[] = { id, name, type, how };
	crm_printer_begin_map(p);
	for (int i = 0; i < 4; i++) {
		crm_printer_key(p, keys[i]);
		struct crm_value cv = { i == 0 ? CRM_V_INT : CRM_V_TEXT, v[i] };
		if (!v[i])
			cv.type = CRM_V_NULL;
		crm_printer_value(p, &cv);
	}
	crm_printer_end(p);
}

/* Does record id of kind k match the saved filter? */
static int matches(struct crm *crm, const struct crm_kind *k, const char *filter, long long id, struct crm_err *err)
{
	char *store;
	const char **words;
	int n = crm_list_filter_words(filter, &store, &words);
	const char **terms = xcalloc((size_t)n + 1, sizeof *terms);
	char idterm[48];
	snprintf(idterm, sizeof idterm, "id:%lld", id);
	terms[0] = idterm;
	for (int i = 0; i < n; i++)
		terms[i + 1] = words[i];
	const char *fields[] = { "id" };
	struct crm_query q = { .kind = k, .terms = terms, .nterms = n + 1, .fields = fields, .nfields = 1, .limit = 1 };
	struct crm_cursor *c;
	int rc = crm_query_open(crm, &q, &c, err);
	if (!rc) {
		const struct crm_value *cells;
		rc = crm_cursor_next(c, &cells, err);
		crm_cursor_close(c);
	} else {
		rc = -rc;
	}
	free(terms);
	free(words);
	free(store);
	return rc; /* 1 matches, 0 not, negative: -status */
}

/* The dynamic lists over `of` that record id matches, each a row saying how. */
static int dynamic_rows(struct crm *crm, const char *of, long long id, const char *how, struct crm_printer *p,
			struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT id, name, type, filter_terms FROM lists WHERE lower(type) = 'dynamic' "
			     "AND lower(member_kind) = ? ORDER BY lower(name), id", &st, err);
	if (rc)
		return rc;
	crm_bind_text_copy(st, 1, of);
	const struct crm_kind *k = crm_kind_find(of);
	/* The lists are read first: the queries run while the statement is open would share it. */
	struct row {
		char *id, *name, *type, *filter;
	} *rows = NULL;
	int n = 0, cap = 0, src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			rows = xrealloc(rows, (size_t)cap * sizeof *rows);
		}
		rows[n].id = xstrdup((const char *)crm_col_text(st, 0));
		rows[n].name = xstrdup((const char *)crm_col_text(st, 1));
		rows[n].type = xstrdup((const char *)crm_col_text(st, 2));
		const char *f = (const char *)crm_col_text(st, 3);
		rows[n].filter = xstrdup(f ? f : "");
		n++;
	}
	crm_finalize(st);
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading the lists", err);
	for (int i = 0; i < n; i++) {
		if (!rc) {
			struct crm_err ignored = { 0 };
			int m = matches(crm, k, rows[i].filter, id, &ignored);
			if (m == 1)
				row4(p, rows[i].id, rows[i].name, rows[i].type, how);
			else if (m < 0) /* a filter that no longer compiles (a custom field gone) */
				row4(p, rows[i].id, rows[i].name, rows[i].type, "its filter fails");
		}
		free(rows[i].id);
		free(rows[i].name);
		free(rows[i].type);
		free(rows[i].filter);
	}
	free(rows);
	return rc;
}

int crm_list_of_record_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			     struct crm_err *err)
{
	int contact = strcmp(k->name, "contact") == 0;
	int rc = crm_members_of_record_print(crm, &members, NULL, k, id, p, err);
	if (rc)
		return rc;
	long long account = 0;
	if (contact) {
		account = count_of(crm, "SELECT coalesce(account_id, 0) FROM contacts WHERE id = ?", id);
		if ((rc = dynamic_rows(crm, "contact", id, "matches its filter", p, err)))
			return rc;
		if (account)
			return dynamic_rows(crm, "account", account, "its account matches the filter", p, err);
		return CRM_OK;
	}
	return dynamic_rows(crm, "account", id, "matches its filter", p, err);
}

static long long members_count(struct crm *crm, long long list, int accounts, enum crm_list_reach reach,
			       struct crm_err *err, int *rc)
{
	const char *fields[] = { "id" };
	struct crm_list_query q = { .fields = fields, .nfields = 1, .reach = reach, .accounts = accounts };
	struct crm_cursor *c;
	long long n = 0;
	if ((*rc = crm_list_members_open(crm, list, &q, &c, err)))
		return 0;
	const struct crm_value *cells;
	int r;
	while ((r = crm_cursor_next(c, &cells, err)) == 1)
		n++;
	crm_cursor_close(c);
	if (r < 0)
		*rc = -r;
	return n;
}

int crm_list_counts_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			  struct crm_err *err)
{
	(void)k;
	struct list_info l;
	int rc = info_load(crm, id, &l, err);
	if (rc)
		return rc;
	const char *keys[] = { "accounts", "contacts", "reachable_by_email", "reachable_by_mail" };
	long long v[4] = { 0, 0, 0, 0 };
	int has[4] = { strcmp(l.of, "contact") != 0, 1, 1, 1 };
	for (int i = 0; i < 4 && !rc; i++)
		if (has[i])
			v[i] = members_count(crm, id, i == 0, i == 2 ? CRM_REACH_EMAIL : i == 3 ? CRM_REACH_MAIL : CRM_REACH_ALL,
					     err, &rc);
	if (!rc) {
		crm_printer_begin_map(p);
		for (int i = 0; i < 4; i++) {
			if (!has[i])
				continue;
			char num[32];
			snprintf(num, sizeof num, "%lld", v[i]);
			crm_printer_key(p, keys[i]);
			struct crm_value cv = { CRM_V_INT, num };
			crm_printer_value(p, &cv);
		}
		crm_printer_end(p);
	}
	info_free(&l);
	return rc;
}
