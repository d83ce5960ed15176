/* Mail merge (issue 14.4, include/crm/merge.h): a template checked against the contact's kind
 * and the kinds its references lead to, the members' values read once through the engine's
 * query, then rendered for each: text, an e-mail through the outbox, or pages of a PDF. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/attr.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/list.h"
#include "crm/merge.h"
#include "crm/outreach.h"
#include "crm/record.h"
#include "pdf.h"
#include "mailout.h"
#include "util.h"
#include "db.h"

/* Where a placeholder's value comes from. */
enum src { S_NAME, S_TODAY, S_CONTACT, S_REF };

struct var {
	enum src src;
	int ref;  /* S_REF: index into refs */
	int col;  /* S_CONTACT: column of the contact query; S_REF: of the ref's query */
};

/* A reference of the contact the template follows (account, location), and the fields it
 * needs of the record referred to. */
struct ref {
	const struct crm_field *field; /* the contact's REF field */
	const struct crm_kind *kind;   /* the kind it refers to */
	char **fields;
	int nfields;
	int idcol; /* the column of the contact query holding its number */
};

/* A referred record's values, formatted, read once however many members share it. */
struct ref_row {
	int ref;
	long long id;
	char **texts;
	int *sets;
};

struct crm_merge {
	struct crm_tpl *tpl;
	struct var *vars;
	struct ref refs[8];
	int nrefs;
	char **cfields; /* the contact query's fields */
	int ncfields;
	struct crm_merge_member *members;
	int nmembers;
	struct ref_row *rows;
	int nrows;
	char today[16];
};

enum { C_ID, C_FIRST, C_LAST, C_EMAIL, C_DNE, C_DNM, C_BASE };

static int add_name(char ***names, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return i;
	*names = xrealloc(*names, (size_t)(*n + 1) * sizeof **names);
	(*names)[*n] = xstrdup(name);
	return (*n)++;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void crm_merge_close(struct crm_merge *m)
{
	if (!m)
		return;
	int nv = m->tpl ? crm_tpl_nvars(m->tpl) : 0;
	for (int i = 0; i < m->nmembers; i++) {
		struct crm_merge_member *mb = &m->members[i];
		free(mb->name);
		free(mb->email);
		for (int v = 0; v < nv && mb->vals; v++)
			if (m->vars[v].src != S_REF && m->vars[v].src != S_TODAY)
				free((char *)mb->vals[v].text);
		free(mb->vals);
	}
	free(m->members);
	for (int i = 0; i < m->nrows; i++) {
		free_names(m->rows[i].texts, m->refs[m->rows[i].ref].nfields);
		free(m->rows[i].sets);
	}
	free(m->rows);
	for (int i = 0; i < m->nrefs; i++)
		free_names(m->refs[i].fields, m->refs[i].nfields);
	free_names(m->cfields, m->ncfields);
	free(m->vars);
	crm_tpl_free(m->tpl);
	free(m);
}

/* The field of kind k called name, or attr.<key>: its name for a query in *qname (static or
 * name itself); NULL when none. */
static const struct crm_field *field_of(const struct crm_kind *k, const char *name)
{
	if (strncmp(name, "attr.", 5) == 0) {
		struct crm_err e = { 0 };
		return crm_attr_key_check(name + 5, &e) ? NULL : crm_attr_field(k, name + 5);
	}
	int as_id = 0;
	return crm_kind_field(k, name, &as_id);
}

static int unknown(const struct crm_tpl *t, const char *name, int line, const char *near, struct crm_err *err)
{
	if (near)
		return crm_error(err, CRM_EINVALID,
				 "template '%s' line %d: unknown placeholder '{{%s}}' (did you mean '{{%s}}'?)",
				 crm_tpl_name(t), line, name, near);
	return crm_error(err, CRM_EINVALID,
			 "template '%s' line %d: unknown placeholder '{{%s}}' (a contact field, attr.<key>, "
			 "account.<field>, name or today)",
			 crm_tpl_name(t), line, name);
}

/* Resolve every placeholder (before anything is read). */
static int resolve(struct crm_merge *m, const struct crm_kind *contact, struct crm_err *err)
{
	int nv = crm_tpl_nvars(m->tpl);
	m->vars = xcalloc((size_t)(nv ? nv : 1), sizeof *m->vars);
	static const char *const base[C_BASE] = { "id", "first_name", "last_name", "email", "do_not_email",
						  "do_not_mail" };
	for (int i = 0; i < C_BASE; i++)
		add_name(&m->cfields, &m->ncfields, base[i]);
	for (int i = 0; i < nv; i++) {
		int line;
		const char *name = crm_tpl_var(m->tpl, i, &line);
		struct var *v = &m->vars[i];
		const char *dot = strchr(name, '.');
		if (strcmp(name, "name") == 0) {
			v->src = S_NAME;
		} else if (strcmp(name, "today") == 0) {
			v->src = S_TODAY;
		} else if (!dot || strncmp(name, "attr.", 5) == 0) {
			if (!field_of(contact, name)) {
				const char *near = dot ? NULL : crm_kind_near_field(contact, name);
				/* the account's field of that name, or one near it: {{country}} is account.country */
				const struct crm_kind *acc = crm_kind_find("account");
				const struct crm_field *af = near || dot ? NULL : crm_kind_field(acc, name, NULL);
				const char *anear = af ? af->name : near || dot ? NULL : crm_kind_near_field(acc, name);
				char full[160];
				if (anear)
					snprintf(full, sizeof full, "account.%s", anear);
				return unknown(m->tpl, name, line, anear ? full : near, err);
			}
			v->src = S_CONTACT;
			v->col = add_name(&m->cfields, &m->ncfields, name);
		} else {
			char head[64];
			snprintf(head, sizeof head, "%.*s", (int)(dot - name), name);
			int as_id = 0;
			const struct crm_field *f = crm_kind_field(contact, head, &as_id);
			if (!f || as_id || f->type != CRM_F_REF) {
				const char *near = crm_kind_near_field(contact, head);
				char nearfull[160];
				if (near)
					snprintf(nearfull, sizeof nearfull, "%s%s", near, dot);
				return unknown(m->tpl, name, line, near ? nearfull : NULL, err);
			}
			const struct crm_kind *rk = crm_kind_find(f->ref);
			if (!field_of(rk, dot + 1)) {
				const char *near = strncmp(dot + 1, "attr.", 5) ? crm_kind_near_field(rk, dot + 1) : NULL;
				char nearfull[160];
				if (near)
					snprintf(nearfull, sizeof nearfull, "%s.%s", head, near);
				return unknown(m->tpl, name, line, near ? nearfull : NULL, err);
			}
			int r = 0;
			while (r < m->nrefs && m->refs[r].field != f)
				r++;
			if (r == m->nrefs) {
				if (m->nrefs == (int)(sizeof m->refs / sizeof *m->refs))
					return crm_error(err, CRM_EINVALID, "template '%s': too many references", crm_tpl_name(m->tpl));
				m->refs[r].field = f;
				m->refs[r].kind = rk;
				char idname[80];
				snprintf(idname, sizeof idname, "%s_id", f->name);
				m->refs[r].idcol = add_name(&m->cfields, &m->ncfields, idname);
				m->nrefs++;
			}
			v->src = S_REF;
			v->ref = r;
			v->col = add_name(&m->refs[r].fields, &m->refs[r].nfields, dot + 1);
		}
	}
	return CRM_OK;
}

/* A cell as crm shows it: NULL for none; *set as #if reads it. */
static char *format(const struct crm_value *v, const char *currency, int *set)
{
	*set = 0;
	if (v->type == CRM_V_NULL || !v->text || !*v->text)
		return NULL;
	char buf[64];
	switch (v->type) {
	case CRM_V_BOOL:
		*set = strcmp(v->text, "1") == 0 || strcmp(v->text, "true") == 0;
		return xstrdup(*set ? "yes" : "no");
	case CRM_V_TIME:
		crm_time_local_display(v->text, buf, sizeof buf);
		*set = 1;
		return xstrdup(buf);
	case CRM_V_LIST: {
		struct strbuf b = { 0 };
		for (const char *s = v->text; *s; s++) {
			if (*s == CRM_LIST_SEP)
				sb_add(&b, ", ");
			else
				sb_addn(&b, s, 1);
		}
		*set = b.len > 0;
		return b.len ? sb_take(&b) : (sb_free(&b), NULL);
	}
	default:
		*set = 1;
		if (currency && *currency) {
			struct strbuf b = { 0 };
			sb_addf(&b, "%s %s", v->text, currency);
			return sb_take(&b);
		}
		return xstrdup(v->text);
	}
}

static int ref_row(struct crm *crm, struct crm_merge *m, int r, long long id, struct ref_row **out,
		   struct crm_err *err)
{
	for (int i = 0; i < m->nrows; i++)
		if (m->rows[i].ref == r && m->rows[i].id == id) {
			*out = &m->rows[i];
			return CRM_OK;
		}
	struct ref *rf = &m->refs[r];
	char term[40];
	snprintf(term, sizeof term, "id:%lld", id);
	const char *terms[1] = { term };
	struct crm_query q = { .kind = rf->kind, .terms = terms, .nterms = 1,
			       .fields = (const char *const *)rf->fields, .nfields = rf->nfields };
	struct crm_cursor *c;
	int rc = crm_query_open(crm, &q, &c, err);
	if (rc)
		return rc;
	m->rows = xrealloc(m->rows, (size_t)(m->nrows + 1) * sizeof *m->rows);
	struct ref_row *row = &m->rows[m->nrows++];
	row->ref = r;
	row->id = id;
	row->texts = xcalloc((size_t)rf->nfields, sizeof *row->texts);
	row->sets = xcalloc((size_t)rf->nfields, sizeof *row->sets);
	const struct crm_value *cells;
	int got = crm_cursor_next(c, &cells, err);
	if (got > 0) {
		const char *const *cur = crm_cursor_currencies(c);
		for (int i = 0; i < rf->nfields; i++)
			row->texts[i] = format(&cells[i], cur ? cur[i] : NULL, &row->sets[i]);
	}
	crm_cursor_close(c);
	*out = row;
	return got < 0 ? -got : CRM_OK;
}

/* The members and their contact values, then what their references lead to. */
static int load(struct crm *crm, struct crm_merge *m, const struct crm_kind *contact, long long list,
		const char *const *terms, int nterms, struct crm_err *err)
{
	struct crm_cursor *c;
	int rc;
	if (list) {
		struct crm_list_query lq = { .terms = terms, .nterms = nterms, .fields = (const char *const *)m->cfields,
					     .nfields = m->ncfields, .reach = CRM_REACH_ALL };
		rc = crm_list_members_open(crm, list, &lq, &c, err);
	} else {
		struct crm_query q = { .kind = contact, .terms = terms, .nterms = nterms,
				       .fields = (const char *const *)m->cfields, .nfields = m->ncfields };
		rc = crm_query_open(crm, &q, &c, err);
	}
	if (rc)
		return rc;
	int nv = crm_tpl_nvars(m->tpl), cap = 0;
	const struct crm_value *cells;
	int got;
	char **texts = xcalloc((size_t)m->ncfields, sizeof *texts);
	int *sets = xcalloc((size_t)m->ncfields, sizeof *sets);
	long long *rid = NULL; /* nmembers x nrefs */
	while ((got = crm_cursor_next(c, &cells, err)) > 0) {
		long long id = strtoll(cells[C_ID].text, NULL, 10);
		const char *const *cur = crm_cursor_currencies(c);
		for (int i = 0; i < m->ncfields; i++)
			texts[i] = format(&cells[i], cur ? cur[i] : NULL, &sets[i]);
		if (m->nmembers == cap) {
			cap = cap ? 2 * cap : 64;
			m->members = xrealloc(m->members, (size_t)cap * sizeof *m->members);
			rid = xrealloc(rid, (size_t)cap * (size_t)(m->nrefs ? m->nrefs : 1) * sizeof *rid);
		}
		struct crm_merge_member *mb = &m->members[m->nmembers];
		memset(mb, 0, sizeof *mb);
		mb->contact = id;
		struct strbuf name = { 0 };
		sb_add(&name, texts[C_FIRST] ? texts[C_FIRST] : "");
		if (texts[C_FIRST] && texts[C_LAST])
			sb_add(&name, " ");
		sb_add(&name, texts[C_LAST] ? texts[C_LAST] : "");
		mb->name = sb_take(&name);
		mb->email = texts[C_EMAIL] ? xstrdup(texts[C_EMAIL]) : NULL;
		mb->do_not_email = sets[C_DNE];
		mb->do_not_mail = sets[C_DNM];
		mb->vals = xcalloc((size_t)(nv ? nv : 1), sizeof *mb->vals);
		for (int v = 0; v < nv; v++) {
			const struct var *var = &m->vars[v];
			if (var->src == S_NAME) {
				mb->vals[v].text = xstrdup(mb->name);
				mb->vals[v].set = *mb->name != 0;
			} else if (var->src == S_CONTACT) {
				mb->vals[v].text = texts[var->col] ? xstrdup(texts[var->col]) : NULL;
				mb->vals[v].set = sets[var->col];
			}
		}
		for (int r = 0; r < m->nrefs; r++) {
			const char *t = cells[m->refs[r].idcol].text;
			rid[m->nmembers * m->nrefs + r] = cells[m->refs[r].idcol].type == CRM_V_NULL || !t ? 0 : strtoll(t, NULL, 10);
		}
		m->nmembers++;
		for (int i = 0; i < m->ncfields; i++) {
			free(texts[i]);
			texts[i] = NULL;
		}
	}
	crm_cursor_close(c);
	free(texts);
	free(sets);
	rc = got < 0 ? -got : CRM_OK;
	for (int i = 0; !rc && i < m->nmembers; i++) {
		struct crm_merge_member *mb = &m->members[i];
		for (int v = 0; !rc && v < nv; v++) {
			const struct var *var = &m->vars[v];
			if (var->src == S_TODAY) {
				mb->vals[v].text = m->today;
				mb->vals[v].set = 1;
			} else if (var->src == S_REF) {
				long long id = rid[i * m->nrefs + var->ref];
				struct ref_row *row;
				if (!id)
					continue;
				if ((rc = ref_row(crm, m, var->ref, id, &row, err)))
					break;
				mb->vals[v].text = row->texts[var->col];
				mb->vals[v].set = row->sets[var->col];
			}
		}
	}
	free(rid);
	return rc;
}

int crm_merge_open(struct crm *crm, const char *tpl_name, const char *tpl_text, long long list,
		   const char *const *terms, int nterms, struct crm_merge **out, struct crm_err *err)
{
	*out = NULL;
	struct crm_merge *m = xcalloc(1, sizeof *m);
	const struct crm_kind *contact = crm_kind_find("contact");
	int rc = crm_tpl_parse(tpl_name, tpl_text, &m->tpl, err);
	if (!rc)
		rc = resolve(m, contact, err);
	if (!rc)
		rc = crm_date_parse_day("today", crm_time(crm), m->today, sizeof m->today, err);
	if (!rc)
		rc = load(crm, m, contact, list, terms, nterms, err);
	if (rc) {
		crm_merge_close(m);
		return rc;
	}
	*out = m;
	return CRM_OK;
}

const struct crm_tpl *crm_merge_template(const struct crm_merge *m)
{
	return m->tpl;
}

int crm_merge_count(const struct crm_merge *m)
{
	return m->nmembers;
}

const struct crm_merge_member *crm_merge_member(const struct crm_merge *m, int i)
{
	return &m->members[i];
}

char *crm_merge_render(const struct crm_merge *m, int i, enum crm_tpl_part part)
{
	return crm_tpl_render(m->tpl, part, m->members[i].vals);
}

/* ---- e-mail ---- */

char *crm_merge_eml(struct crm *crm, const struct crm_merge *m, int i, const char *subject, struct crm_err *err)
{
	const struct crm_merge_member *mb = &m->members[i];
	if (!mb->email) {
		crm_error(err, CRM_EINVALID, "contact %lld (%s) has no e-mail address", mb->contact, mb->name);
		return NULL;
	}
	char *from = NULL, *to = NULL, *subj = NULL, *body = NULL, *msg = NULL;
	if (crm_user_mailbox(crm, &from, err))
		return NULL;
	if (!(to = crm_mail_mailbox(mb->name, mb->email, err)))
		goto done;
	subj = subject ? xstrdup(subject) : crm_merge_render(m, i, CRM_TPL_SUBJECT);
	body = crm_merge_render(m, i, CRM_TPL_BODY);
	const char *nf = crm_config_get(crm->cfg, "notify.from");
	char message_id[96];
	snprintf(message_id, sizeof message_id, "crm-merge-%lld.%lld@crm", mb->contact, (long long)crm_time(crm));
	struct crm_mail_out mo = { .from = from ? from : nf && *nf ? nf : "crm@localhost", .to = to, .subject = subj,
				   .body = body, .date = crm_time(crm), .message_id = message_id };
	msg = crm_mail_compose(&mo, err);
done:
	free(from);
	free(to);
	free(subj);
	free(body);
	return msg;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* The contacts already e-mailed under run, sorted. */
static int sent_before(struct crm *crm, const char *run, long long **ids, int *n, struct crm_err *err)
{
	*ids = NULL;
	*n = 0;
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT contact_id FROM merge_sent WHERE run = ?", &st, err), cap = 0;
	if (rc)
		return rc;
	crm_bind_text(st, 1, run);
	while ((rc = crm_step(st)) == CRM_SQL_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*ids = xrealloc(*ids, (size_t)cap * sizeof **ids);
		}
		(*ids)[(*n)++] = crm_col_int64(st, 0);
	}
	crm_stmt_done(st);
	if (rc != CRM_SQL_DONE)
		return crm_db_error(crm, rc, "reading what the merge sent before", err);
	if (*n)
		qsort(*ids, (size_t)*n, sizeof **ids, cmp_ll);
	return CRM_OK;
}

static int send_one(struct crm *crm, const struct crm_merge *m, int i, const char *run, const char *subject,
		    struct crm_err *err)
{
	const struct crm_merge_member *mb = &m->members[i];
	char *subj = subject ? xstrdup(subject) : crm_merge_render(m, i, CRM_TPL_SUBJECT);
	char *body = crm_merge_render(m, i, CRM_TPL_BODY);
	struct crm_email_sent sent = { 0 };
	int rc = crm_tx_begin(crm, err), began = !rc;
	if (!rc && !*subj)
		rc = crm_error(err, CRM_EINVALID, "the subject for contact %lld (%s) is empty", mb->contact, mb->name);
	if (!rc)
		rc = crm_contact_email(crm, mb->contact, subj, body, NULL, 0, &sent, err);
	if (!rc) {
		crm_stmt *st;
		char stamp[32];
		crm_time_format_utc(crm_time(crm), stamp, sizeof stamp);
		rc = crm_stmt_get(crm, "INSERT INTO merge_sent (run, contact_id, activity_id, sent) VALUES (?, ?, ?, ?)",
				  &st, err);
		if (!rc) {
			crm_bind_text(st, 1, run);
			crm_bind_int64(st, 2, mb->contact);
			crm_bind_int64(st, 3, sent.activity);
			crm_bind_text(st, 4, stamp);
			int s = crm_step(st);
			crm_stmt_done(st);
			if (s != CRM_SQL_DONE)
				rc = crm_db_error(crm, s, "remembering a merge's e-mail", err);
		}
	}
	if (rc) {
		if (began)
			crm_tx_rollback(crm);
	} else {
		rc = crm_tx_commit(crm, err);
	}
	free(sent.to);
	free(subj);
	free(body);
	return rc;
}

int crm_merge_email(struct crm *crm, const struct crm_merge *m, const char *run, const char *subject,
		    long long limit, struct crm_merge_sent *out, struct crm_err *err)
{
	memset(out, 0, sizeof *out);
	if (!subject && !crm_tpl_has_subject(m->tpl))
		return crm_error(err, CRM_EUSAGE,
				 "template '%s' has no Subject: header; give one on its first line or --subject TEXT",
				 crm_tpl_name(m->tpl));
	long long *done;
	int ndone, rc = sent_before(crm, run, &done, &ndone, err);
	for (int i = 0; !rc && i < m->nmembers; i++) {
		const struct crm_merge_member *mb = &m->members[i];
		if (ndone && bsearch(&mb->contact, done, (size_t)ndone, sizeof *done, cmp_ll))
			out->already++;
		else if (mb->do_not_email)
			out->do_not_email++;
		else if (!mb->email)
			out->no_email++;
		else if (limit > 0 && out->sent >= limit)
			out->left++;
		else if (!(rc = send_one(crm, m, i, run, subject, err)))
			out->sent++;
	}
	free(done);
	return rc;
}

/* ---- PDF letters ---- */

/* Each letter on pages of its own, through the PDF writer offers use too (core/pdf.h). */
int crm_merge_pdf(const struct crm_merge *m, const int *which, int n, FILE *out, int *pages, struct crm_err *err)
{
	char **texts = xcalloc((size_t)(n ? n : 1), sizeof *texts);
	for (int l = 0; l < n; l++)
		texts[l] = crm_merge_render(m, which[l], CRM_TPL_BODY);
	int rc = crm_pdf_write(out, "crm merge", (const char *const *)texts, n, 0, NULL, 0, pages, err);
	for (int l = 0; l < n; l++)
		free(texts[l]);
	free(texts);
	return rc;
}
