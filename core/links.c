/* Fields that are not plain columns, and the rules that tie records together. The record
 * engine (record.c) calls these; the SQL here is built from the descriptors in kinds.c, every
 * user value is bound. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/record.h"
#include "crm/auth.h"
#include "links.h"
#include "db.h"

void crm_field_sql(struct strbuf *b, const struct crm_field *f)
{
	if (f->type == CRM_F_LINKS)
		sb_addf(b, "(SELECT group_concat(target_id, ',') FROM (SELECT l.target_id FROM %s l "
			   "WHERE l.record_id = t.id ORDER BY l.target_id) AS ids)", f->column);
	else if (f->column[0] == '(')
		sb_add(b, f->column);
	else
		sb_addf(b, "t.%s", f->column);
}

void crm_links_label_sql(struct strbuf *b, const struct crm_field *f, int as_list)
{
	const struct crm_kind *rk = crm_kind_find(f->ref);
	/* The innermost t is the linked kind's own alias (label_sql is written over t); the
	 * middle query sees only l, so its t.id is the outer record. As a list value the labels
	 * are separated by CRM_LIST_SEP (a literal U+001F: PostgreSQL has no char()) and no links is
	 * the empty list, not NULL. A subquery in FROM has an alias, which PostgreSQL requires. */
	sb_add(b, as_list ? "(SELECT coalesce(group_concat(label, '\037'), '')" : "(SELECT group_concat(label, ', ')");
	sb_addf(b, " FROM (SELECT (SELECT %s FROM %s t WHERE t.id = l.target_id) "
		   "AS label FROM %s l WHERE l.record_id = t.id ORDER BY 1 COLLATE NOCASE) AS labels)",
		rk->label_sql, rk->table, f->column);
}

/* ---------------------------------------------------------------- id sets */

struct idset {
	long long *v;
	int n, cap;
};

static void ids_add(struct idset *s, long long id)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
	}
	s->v[s->n++] = id;
}

static void ids_remove(struct idset *s, long long id)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i] == id) {
			s->v[i] = s->v[--s->n];
			return;
		}
}

static void ids_parse(struct idset *s, const char *text)
{
	for (const char *p = text; p && *p;) {
		ids_add(s, atoll(p));
		p = strchr(p, ',');
		if (p)
			p++;
	}
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* "3,5,9", or NULL for an empty set. */
static char *ids_text(struct idset *s)
{
	if (!s->n)
		return NULL;
	qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_id);
	struct strbuf b = { 0 };
	for (int i = 0; i < s->n; i++)
		sb_addf(&b, "%s%lld", i ? "," : "", s->v[i]);
	return sb_take(&b);
}

static char *trim(char *w)
{
	while (isspace((unsigned char)*w))
		w++;
	size_t n = strlen(w);
	while (n && isspace((unsigned char)w[n - 1]))
		w[--n] = '\0';
	return w;
}

/* ---------------------------------------------------------------- assign, write, describe */

/* One item of a link value: [+|-]reference, added to or taken from the set. Quiet (err NULL):
 * an item that does not resolve changes nothing and is only reported by the return. */
static int assign_one(struct crm *crm, const struct crm_kind *rk, struct idset *set, char *text, int blank_ok,
		      struct crm_err *err)
{
	char *item = trim(text);
	char op = 0;
	if (*item == '+' || *item == '-')
		op = *item++;
	item = trim(item);
	if (!*item)
		return blank_ok ? CRM_OK : CRM_ENOTFOUND;
	long long id;
	struct crm_err scratch = { 0 };
	int rc = crm_record_resolve(crm, rk, item, &id, err ? err : &scratch);
	if (rc)
		return rc;
	if (op == '-')
		ids_remove(set, id);
	else
		ids_add(set, id);
	return CRM_OK;
}

int crm_links_assign(struct crm *crm, const struct crm_kind *k, const struct crm_field *f, char **ids,
		     int first, const char *value, struct crm_err *err)
{
	(void)k;
	const struct crm_kind *rk = crm_kind_find(f->ref);
	if (!value || !*value) {
		free(*ids);
		*ids = NULL;
		return CRM_OK;
	}
	struct idset set = { 0 };
	char *copy = xstrdup(value);
	char *w = trim(copy);
	/* A plain first reference replaces what was there; +ref and -ref change it. */
	if (!first || *w == '+' || *w == '-')
		ids_parse(&set, *ids);
	int rc = CRM_OK;
	if (strchr(w, CRM_LIST_SEP)) {
		/* Items of a JSON array, each one whole name whatever commas it holds. */
		char *save = NULL;
		for (char *item = strtok_r(w, CRM_LIST_SEP_STR, &save); item && !rc; item = strtok_r(NULL, CRM_LIST_SEP_STR, &save))
			rc = assign_one(crm, rk, &set, item, 1, err);
	} else {
		/* A comma list, where a name may hold commas itself ("Acme, Inc.", as an export
		 * joins them): from each item on, the longest run of items (up to 8) that names a
		 * record. */
		size_t len = strlen(w), nitems = 1;
		for (size_t i = 0; i < len; i++)
			nitems += w[i] == ',';
		size_t *at = xmalloc((nitems + 1) * sizeof *at); /* where each item starts; at[n] ends */
		size_t n = 0;
		at[n++] = 0;
		for (size_t i = 0; i < len; i++)
			if (w[i] == ',')
				at[n++] = i + 1;
		at[n] = len + 1;
		for (size_t i = 0; i < n && !rc;) {
			/* a name holds a few commas at most: runs of up to 8 items, so that a list of
			 * hundreds costs a few look-ups an item, not one for every longer run */
			size_t j = n - i > 8 ? i + 8 : n;
			int done = 0;
			while (!done && --j > i) { /* items i..j together, longest first */
				char *run = xstrndup(w + at[i], at[j + 1] - 1 - at[i]);
				done = assign_one(crm, rk, &set, run, 0, NULL) == CRM_OK;
				free(run);
			}
			if (!done) {
				char *item = xstrndup(w + at[i], at[i + 1] - 1 - at[i]);
				rc = assign_one(crm, rk, &set, item, 1, err);
				free(item);
			}
			i = j + 1;
		}
		free(at);
	}
	free(copy);
	if (!rc) {
		free(*ids);
		*ids = ids_text(&set);
	}
	free(set.v);
	return rc;
}

int crm_links_write(struct crm *crm, const struct crm_field *f, long long id, const char *ids,
		    struct crm_err *err)
{
	struct strbuf sql = { 0 };
	crm_stmt *st;
	sb_addf(&sql, "DELETE FROM %s WHERE record_id = ?", f->column);
	int rc = crm_stmt_get(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int src = crm_step(st);
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE)
		return crm_db_error(crm, src, "changing links", err);
	if (!ids)
		return CRM_OK;
	sb_addf(&sql, "INSERT INTO %s (record_id, target_id) VALUES (?, ?)", f->column);
	rc = crm_stmt_get(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	for (const char *p = ids; p && *p;) {
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, atoll(p));
		src = crm_step(st);
		crm_stmt_done(st);
		if (src != CRM_SQL_DONE)
			return crm_db_error(crm, src, "linking records", err);
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return CRM_OK;
}

char *crm_links_describe(struct crm *crm, const struct crm_field *f, const char *ids)
{
	const struct crm_kind *rk = crm_kind_find(f->ref);
	struct strbuf b = { 0 };
	for (const char *p = ids; p && *p;) {
		long long id = atoll(p);
		char *label = crm_record_label(crm, rk, id);
		sb_addf(&b, "%s%lld (%s)", b.len ? ", " : "", id, label ? label : "removed");
		free(label);
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return sb_take(&b);
}

static long long count_query(struct crm *crm, const char *sql, const char *text, long long id)
{
	crm_stmt *st;
	long long n = 0;
	/* kept prepared: an import asks for every row's implied account */
	if (crm_stmt_get(crm, sql, &st, NULL) != CRM_OK)
		return 0;
	int pos = 1;
	if (text)
		crm_bind_text(st, pos++, text);
	crm_bind_int64(st, pos, id);
	if (crm_step(st) == CRM_SQL_ROW)
		n = crm_col_int64(st, 0);
	crm_stmt_done(st);
	return n;
}

long long crm_links_count(struct crm *crm, const struct crm_field *f, long long target)
{
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT count(*) FROM %s WHERE target_id = ?", f->column);
	long long n = count_query(crm, sql.s, NULL, target);
	sb_free(&sql);
	return n;
}

long long crm_documents_count(struct crm *crm, const struct crm_kind *k, long long id)
{
	if (strcmp(k->name, "document") == 0)
		return 0;
	return count_query(crm, "SELECT count(*) FROM documents WHERE noun = ? AND record_id = ?", k->name, id);
}

/* ---------------------------------------------------------------- implied account */

/* The account field of a kind, when it has one referring to accounts. */
static int account_field(const struct crm_kind *k)
{
	for (int i = 0; i < k->nfields; i++)
		if (k->fields[i].type == CRM_F_REF && strcmp(k->fields[i].name, "account") == 0 &&
		    strcmp(k->fields[i].ref, "account") == 0)
			return i;
	return -1;
}

/* The account of record id of kind rk (0 if none). */
static long long account_of(struct crm *crm, const struct crm_kind *rk, int af, long long id)
{
	struct strbuf sql = { 0 };
	sb_addf(&sql, "SELECT %s FROM %s WHERE id = ?", rk->fields[af].column, rk->table);
	long long n = count_query(crm, sql.s, NULL, id);
	sb_free(&sql);
	return n;
}

static void set_text(char **slot, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	free(*slot);
	*slot = xstrdup(buf);
}

int crm_imply_account(struct crm *crm, const struct crm_kind *k, char **vals, struct crm_err *err)
{
	int acc = account_field(k);
	if (acc < 0)
		return CRM_OK;
	const struct crm_kind *accounts = crm_kind_find("account");
	/* References first: they must agree. (A location's account is checked by the engine.) */
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (f->type != CRM_F_REF || i == acc || !vals[i] || strcmp(f->name, "location") == 0)
			continue;
		const struct crm_kind *rk = crm_kind_find(f->ref);
		int af = rk ? account_field(rk) : -1;
		if (af < 0 || rk == k)
			continue;
		long long owner = account_of(crm, rk, af, atoll(vals[i]));
		if (!owner)
			continue;
		if (!vals[acc]) {
			set_text(&vals[acc], owner);
		} else if (atoll(vals[acc]) != owner) {
			char *rn = crm_record_label(crm, rk, atoll(vals[i]));
			char *on = crm_record_label(crm, accounts, owner);
			char *an = crm_record_label(crm, accounts, atoll(vals[acc]));
			int rc = crm_error(err, CRM_EINVALID, "%s '%s' belongs to account '%s', not '%s'", crm_noun(rk->name),
					   rn ? rn : "?", on ? on : "?", an ? an : "?");
			free(rn);
			free(on);
			free(an);
			return rc;
		}
	}
	/* Linked records that belong to one account (an activity's projects) must belong to the
	 * record's; people are left free, since a meeting may have guests from elsewhere. */
	for (int i = 0; vals[acc] && i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (f->type != CRM_F_LINKS || !vals[i] || strcmp(f->ref, "contact") == 0)
			continue;
		const struct crm_kind *rk = crm_kind_find(f->ref);
		int af = rk ? account_field(rk) : -1;
		if (af < 0 || rk == k)
			continue;
		for (const char *p = vals[i]; p && *p;) {
			long long owner = account_of(crm, rk, af, atoll(p));
			if (owner && owner != atoll(vals[acc])) {
				char *rn = crm_record_label(crm, rk, atoll(p));
				char *on = crm_record_label(crm, accounts, owner);
				char *an = crm_record_label(crm, accounts, atoll(vals[acc]));
				int rc = crm_error(err, CRM_EINVALID, "%s '%s' belongs to account '%s', not '%s'", crm_noun(rk->name),
						   rn ? rn : "?", on ? on : "?", an ? an : "?");
				free(rn);
				free(on);
				free(an);
				return rc;
			}
			p = strchr(p, ',');
			if (p)
				p++;
		}
	}
	if (vals[acc])
		return CRM_OK;
	/* Linked records (the contacts of a meeting) give the account only when they agree. */
	long long only = 0;
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (f->type != CRM_F_LINKS || !vals[i])
			continue;
		const struct crm_kind *rk = crm_kind_find(f->ref);
		int af = rk ? account_field(rk) : -1;
		if (af < 0)
			continue;
		for (const char *p = vals[i]; p && *p;) {
			long long owner = account_of(crm, rk, af, atoll(p));
			if (owner && only && owner != only)
				return CRM_OK;
			if (owner)
				only = owner;
			p = strchr(p, ',');
			if (p)
				p++;
		}
	}
	if (only)
		set_text(&vals[acc], only);
	return CRM_OK;
}

/* ---------------------------------------------------------------- pick-list rules */

int crm_apply_pick_rules(struct crm *crm, const struct crm_kind *k, char *const *old,
			 char *const *vals, struct crm_err *err)
{
	/* A rule edits other records, whose own values may carry rules: a loop in the
	 * configuration must end in an error, not a crash. */
	static int depth;
	if (depth > 8)
		return crm_error(err, CRM_ECONFIG, "pick-list rules change records in a loop; check picklists:");
	for (int i = 0; i < k->nfields; i++) {
		const struct crm_field *f = &k->fields[i];
		if (!f->picklist || f->type != CRM_F_TEXT || !vals[i] || (old && old[i] && strcmp(old[i], vals[i]) == 0))
			continue;
		char path[160];
		snprintf(path, sizeof path, "picklists.%s", f->picklist);
		const struct crm_conf_node *list = crm_config_node(crm->cfg, path);
		if (!list || crm_conf_type(list) != CRM_CONF_MAP)
			continue;
		const struct crm_conf_node *rule = crm_conf_get(list, vals[i]);
		if (!rule || crm_conf_type(rule) != CRM_CONF_MAP)
			continue;
		for (size_t r = 0; r < crm_conf_count(rule); r++) {
			const char *kname = crm_conf_key(rule, r);
			const struct crm_conf_node *changes = crm_conf_child(rule, r);
			const struct crm_kind *tk = crm_kind_find(kname);
			if (!tk || tk == k || crm_conf_type(changes) != CRM_CONF_MAP)
				return crm_error(err, CRM_ECONFIG,
						 "%s:%d: picklists.%s.%s: '%s' should name another kind of record "
						 "with a map of field: value", crm_conf_source(changes),
						 crm_conf_line(changes), f->picklist, vals[i], kname);
			/* A rule does only what its user could do by hand: "<kind>.edit" for the records
			 * it changes (their workflow's guards checked by the edit itself), and never
			 * users, whose roles and logins are changed only through 'crm user edit'. Its
			 * source may then be any file: it grants nothing. */
			if (strcmp(tk->name, "user") == 0)
				return crm_error(err, CRM_ECONFIG, "%s:%d: picklists.%s.%s: a pick-list rule may not "
						 "change users; 'crm user edit' does", crm_conf_source(changes),
						 crm_conf_line(changes), f->picklist, vals[i]);
			int has = 0;
			for (int j = 0; j < k->nfields && !has; j++)
				has = (k->fields[j].type == CRM_F_REF || k->fields[j].type == CRM_F_LINKS) &&
				      strcmp(k->fields[j].ref, tk->name) == 0 && vals[j] && *vals[j];
			if (has) {
				char perm[96];
				snprintf(perm, sizeof perm, "%s.edit", tk->name);
				int prc = crm_auth_check(crm, perm, err);
				if (prc)
					return prc;
			}
			size_t nset = crm_conf_count(changes);
			struct crm_assign *set = xcalloc(nset, sizeof *set);
			int rc = CRM_OK;
			for (size_t c = 0; c < nset && !rc; c++) {
				set[c].field = crm_conf_key(changes, c);
				set[c].value = crm_conf_scalar(crm_conf_child(changes, c));
				if (!crm_kind_field(tk, set[c].field, NULL) || !set[c].value)
					rc = crm_error(err, CRM_ECONFIG, "%s:%d: picklists.%s.%s.%s: unknown field '%s' "
						       "or not a single value", crm_conf_source(changes),
						       crm_conf_line(changes), f->picklist, vals[i], kname, set[c].field);
			}
			/* Every record of that kind this one refers to or links. */
			for (int j = 0; j < k->nfields && !rc; j++) {
				const struct crm_field *g = &k->fields[j];
				if ((g->type != CRM_F_REF && g->type != CRM_F_LINKS) || strcmp(g->ref, tk->name) != 0 || !vals[j])
					continue;
				for (const char *p = vals[j]; p && *p && !rc;) {
					depth++;
					rc = crm_record_edit(crm, tk, atoll(p), set, (int)nset, NULL, err);
					depth--;
					p = strchr(p, ',');
					if (p)
						p++;
				}
			}
			free(set);
			if (rc)
				return rc;
		}
	}
	return CRM_OK;
}
