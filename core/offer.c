/* Offers (issue 12, crm/offer.h): what the record engine does not do for every kind. Every write
 * goes through the engine (crm_record_add, crm_record_edit, crm_workflow_take), so history,
 * checks and workflows hold as for any record. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/offer.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/money.h"
#include "crm/workflow.h"
#include "util.h"
#include "db.h"

/* ---------------------------------------------------------------- reading through the engine */

/* The rows of kind k matching terms, the given fields as text (NULL for none); *out is n rows
 * of nfields strings each. */
struct rows {
	char **v;
	int n, nf;
};

static void rows_free(struct rows *r)
{
	for (int i = 0; i < r->n * r->nf; i++)
		free(r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static int rows_get(struct crm *crm, const char *kind, const char *term, const char *const *fields, int nf,
		    struct rows *out, struct crm_err *err)
{
	out->v = NULL;
	out->n = 0;
	out->nf = nf;
	const char *terms[1] = { term };
	struct crm_query q = { .kind = crm_kind_find(kind), .terms = terms, .nterms = 1, .fields = fields,
			       .nfields = nf, .sort = "id" };
	struct crm_cursor *c;
	int rc = crm_query_open(crm, &q, &c, err);
	if (rc)
		return rc;
	const struct crm_value *cells;
	int got, cap = 0;
	while ((got = crm_cursor_next(c, &cells, err)) == 1) {
		if (out->n == cap)
			out->v = xrealloc(out->v, (size_t)(cap = cap ? cap * 2 : 8) * (size_t)nf * sizeof *out->v);
		for (int i = 0; i < nf; i++)
			out->v[out->n * nf + i] = cells[i].text ? xstrdup(cells[i].text) : NULL;
		out->n++;
	}
	crm_cursor_close(c);
	if (got < 0) {
		rows_free(out);
		return -got;
	}
	return CRM_OK;
}

static int row_of(struct crm *crm, const char *kind, long long id, const char *const *fields, int nf,
		  struct rows *out, struct crm_err *err)
{
	char term[48];
	snprintf(term, sizeof term, "id:%lld", id);
	int rc = rows_get(crm, kind, term, fields, nf, out, err);
	if (!rc && out->n == 0)
		rc = crm_error(err, CRM_ENOTFOUND, "%s %lld not found", kind, id);
	return rc;
}

/* The assignments of the non-empty values of one row (names[i] = row[i]), after what *n has. */
static void assign_row(struct crm_assign *set, int *n, const char *const *names, char *const *row, int nf)
{
	for (int i = 0; i < nf; i++)
		if (row[i] && *row[i])
			set[(*n)++] = (struct crm_assign){ names[i], row[i] };
}

/* ---------------------------------------------------------------- a line's rules */

static int field_index(const struct crm_kind *k, const char *name)
{
	for (int i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return i;
	return -1;
}

int crm_offer_line_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			 struct crm_err *err)
{
	(void)id;
	int qi = field_index(k, "quantity"), oi = field_index(k, "offer"), ci = field_index(k, "currency");
	long long q;
	if (qi >= 0 && vals[qi] && crm_dec_parse(vals[qi], 3, &q) == CRM_DEC_OK && q <= 0) {
		crm_error(err, CRM_EINVALID, "quantity '%s' must be more than 0", vals[qi]);
		snprintf(err->field, sizeof err->field, "quantity");
		return CRM_EINVALID;
	}
	if (oi < 0 || !vals[oi] || ci < 0 || !vals[ci] || !*vals[ci])
		return CRM_OK;
	static const char *const fields[] = { "currency", "number" };
	struct rows r;
	int rc = row_of(crm, "offer", atoll(vals[oi]), fields, 2, &r, err);
	if (rc)
		return rc;
	const char *cur = r.v[0] ? r.v[0] : crm_config_get(crm->cfg, "currency");
	if (cur && strcasecmp(cur, vals[ci]) != 0) {
		crm_error(err, CRM_EINVALID, "the line's currency '%s' is not offer %s's, %s", vals[ci],
			  r.v[1] ? r.v[1] : "", cur);
		snprintf(err->field, sizeof err->field, "currency");
		rc = CRM_EINVALID;
	}
	rows_free(&r);
	return rc;
}

/* ---------------------------------------------------------------- the section gate */

/* sections: an offer moving into approved needs every one of its sections approved. */
static int fx_sections(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	if (!ev->t || !ev->id || strcasecmp(ev->t->to, "approved") != 0)
		return CRM_OK;
	char term[48];
	snprintf(term, sizeof term, "offer_id:%lld", ev->id);
	static const char *const fields[] = { "name", "status" };
	struct rows r;
	int rc = rows_get(crm, "offer_section", term, fields, 2, &r, err);
	if (rc)
		return rc;
	struct strbuf open = { 0 };
	int nopen = 0;
	for (int i = 0; i < r.n; i++)
		if (!r.v[i * 2 + 1] || strcasecmp(r.v[i * 2 + 1], "approved") != 0) {
			sb_addf(&open, "%s'%s' (%s)", nopen++ ? ", " : "", r.v[i * 2] ? r.v[i * 2] : "",
				r.v[i * 2 + 1] ? r.v[i * 2 + 1] : "");
		}
	if (nopen)
		rc = crm_error(err, CRM_ECONFLICT, "cannot approve: section%s %s not approved", nopen == 1 ? "" : "s",
			       open.s);
	sb_free(&open);
	rows_free(&r);
	return rc;
}

const struct crm_wf_effect crm_offer_effects[] = {
	{ "offer", "sections", fx_sections, NULL, "an offer is approved only when every one of its sections is", NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

/* ---------------------------------------------------------------- copying lines and sections */

static const char *const line_fields[] = { "product_id", "description", "unit", "quantity", "price", "currency",
					   "discount", "tax_rate", "notes" };
static const char *const line_names[] = { "product", "description", "unit", "quantity", "price", "currency",
					  "discount", "tax_rate", "notes" };
#define NLINE ((int)(sizeof line_fields / sizeof *line_fields))
static const char *const section_fields[] = { "name", "owner_id", "body" };
static const char *const section_names[] = { "name", "owner", "body" };
#define NSECTION ((int)(sizeof section_fields / sizeof *section_fields))

/* Offer from's lines and sections added to offer to (sections start in draft). */
static int copy_parts(struct crm *crm, long long from, long long to, struct crm_err *err)
{
	char term[48], oid[24];
	snprintf(term, sizeof term, "offer_id:%lld", from);
	snprintf(oid, sizeof oid, "%lld", to);
	struct rows r;
	int rc = rows_get(crm, "offer_section", term, section_fields, NSECTION, &r, err);
	for (int i = 0; !rc && i < r.n; i++) {
		struct crm_assign set[NSECTION + 1];
		int n = 0;
		set[n++] = (struct crm_assign){ "offer", oid };
		assign_row(set, &n, section_names, r.v + i * NSECTION, NSECTION);
		long long sid;
		rc = crm_record_add(crm, crm_kind_find("offer_section"), set, n, &sid, err);
	}
	rows_free(&r);
	if (rc)
		return rc;
	rc = rows_get(crm, "offer_line", term, line_fields, NLINE, &r, err);
	for (int i = 0; !rc && i < r.n; i++) {
		struct crm_assign set[NLINE + 1];
		int n = 0;
		set[n++] = (struct crm_assign){ "offer", oid };
		assign_row(set, &n, line_names, r.v + i * NLINE, NLINE);
		long long lid;
		rc = crm_record_add(crm, crm_kind_find("offer_line"), set, n, &lid, err);
	}
	rows_free(&r);
	return rc;
}

/* ---------------------------------------------------------------- templates */

/* offers.templates.<name>: sections (name, owner, body) and lines (the line's fields). */
static int apply_config_template(struct crm *crm, const struct crm_conf_node *t, long long id,
				 struct crm_err *err)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", id);
	static const char *const parts[] = { "sections", "lines" }, *const kinds[] = { "offer_section", "offer_line" };
	for (int p = 0; p < 2; p++) {
		const struct crm_conf_node *list = crm_conf_get(t, parts[p]);
		for (size_t i = 0; list && i < crm_conf_count(list); i++) {
			const struct crm_conf_node *item = crm_conf_child(list, i);
			struct crm_assign set[32];
			int n = 0;
			set[n++] = (struct crm_assign){ "offer", oid };
			for (size_t j = 0; j < crm_conf_count(item) && n < 32; j++) {
				const char *v = crm_conf_scalar(crm_conf_child(item, j));
				if (crm_conf_key(item, j) && v)
					set[n++] = (struct crm_assign){ crm_conf_key(item, j), v };
			}
			if (n == 1 && crm_conf_scalar(item)) /* a section given by its name alone */
				set[n++] = (struct crm_assign){ p == 0 ? "name" : "product", crm_conf_scalar(item) };
			long long pid;
			int rc = crm_record_add(crm, crm_kind_find(kinds[p]), set, n, &pid, err);
			if (rc) {
				char *why = xstrdup(err->msg);
				crm_error(err, rc, "%s: template %s: %s", crm_wf_where(item), parts[p], why);
				free(why);
				return rc;
			}
		}
	}
	return CRM_OK;
}

int crm_offer_add(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset, void *ctx,
		  long long *id, struct crm_err *err)
{
	const char *name = ctx;
	if (!name)
		return crm_record_add(crm, k, set, nset, id, err);
	char path[256];
	snprintf(path, sizeof path, "offers.templates.%s", name);
	const struct crm_conf_node *t = strchr(name, '.') ? NULL : crm_config_node(crm->cfg, path);
	long long from = 0;
	int rc;
	if (!t) { /* an offer marked as a template */
		if ((rc = crm_record_resolve(crm, k, name, &from, err))) {
			if (rc == CRM_ENOTFOUND)
				crm_error(err, CRM_ENOTFOUND, "offer template '%s' not found (offers.templates, or an "
					  "offer with template: yes)", name);
			return rc;
		}
		static const char *const f[] = { "template" };
		struct rows r;
		if ((rc = row_of(crm, "offer", from, f, 1, &r, err)))
			return rc;
		int is = r.v[0] && strcmp(r.v[0], "1") == 0;
		rows_free(&r);
		if (!is)
			return crm_error(err, CRM_EINVALID, "offer '%s' is not a template (edit it with --template yes)",
					 name);
	}
	if ((rc = crm_tx_begin(crm, err)))
		return rc;
	rc = crm_record_add(crm, k, set, nset, id, err);
	if (!rc)
		rc = t ? apply_config_template(crm, t, *id, err) : copy_parts(crm, from, *id, err);
	if (!rc)
		return crm_tx_commit(crm, err);
	crm_tx_rollback(crm);
	return rc;
}

/* ---------------------------------------------------------------- revisions */

static const char *const offer_copy_fields[] = { "title", "account_id", "contact_id", "opportunity_id", "project_id",
						 "description", "budget", "currency", "valid_until", "owner_id",
						 "notes", "number", "version" };
static const char *const offer_copy_names[] = { "title", "account", "contact", "opportunity", "project",
						"description", "budget", "currency", "valid_until", "owner", "notes" };
#define NOFFER_COPY 11

int crm_offer_revise(struct crm *crm, long long id, long long *new_id, struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find("offer");
	struct rows r;
	int rc = row_of(crm, "offer", id, offer_copy_fields, NOFFER_COPY + 2, &r, err);
	if (rc)
		return rc;
	const char *number = r.v[NOFFER_COPY] ? r.v[NOFFER_COPY] : "";
	long long version = r.v[NOFFER_COPY + 1] ? atoll(r.v[NOFFER_COPY + 1]) : 1;
	/* the number of version 1: the last "-v<digits>" taken off */
	size_t base = strlen(number);
	const char *v = strrchr(number, '-');
	if (v && v[1] == 'v' && v[2] && strspn(v + 2, "0123456789") == strlen(v + 2))
		base = (size_t)(v - number);
	char num[300], ver[24], rev[24];
	snprintf(num, sizeof num, "%.*s-v%lld", (int)base, number, version + 1);
	snprintf(ver, sizeof ver, "%lld", version + 1);
	snprintf(rev, sizeof rev, "%lld", id);
	struct crm_assign set[NOFFER_COPY + 3];
	int n = 0;
	assign_row(set, &n, offer_copy_names, r.v, NOFFER_COPY);
	set[n++] = (struct crm_assign){ "number", num };
	set[n++] = (struct crm_assign){ "version", ver };
	set[n++] = (struct crm_assign){ "revises", rev };
	if ((rc = crm_tx_begin(crm, err))) {
		rows_free(&r);
		return rc;
	}
	int changed;
	rc = crm_workflow_take(crm, k, id, "supersede", NULL, 0, NULL, &changed, err);
	if (!rc)
		rc = crm_record_add(crm, k, set, n, new_id, err);
	if (!rc)
		rc = copy_parts(crm, id, *new_id, err);
	rows_free(&r);
	if (!rc)
		return crm_tx_commit(crm, err);
	crm_tx_rollback(crm);
	return rc;
}

/* ---------------------------------------------------------------- acceptance */

int crm_offer_accept(struct crm *crm, long long id, int create_contract, long long *contract_id,
		     struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find("offer");
	*contract_id = 0;
	int rc = crm_tx_begin(crm, err), changed;
	if (rc)
		return rc;
	rc = crm_workflow_take(crm, k, id, "accept", NULL, 0, NULL, &changed, err);
	if (rc || !create_contract)
		goto done;
	static const char *const f[] = { "number", "title", "account_id", "project_id", "contact_id", "currency", "net",
					 "contract_id" };
	struct rows r;
	if ((rc = row_of(crm, "offer", id, f, 8, &r, err)))
		goto done;
	if (r.v[7]) {
		rc = crm_error(err, CRM_ECONFLICT, "offer %s has contract %s already", r.v[0], r.v[7]);
		rows_free(&r);
		goto done;
	}
	char title[600];
	snprintf(title, sizeof title, "%s %s", r.v[0] ? r.v[0] : "", r.v[1] ? r.v[1] : "");
	struct crm_assign set[8];
	int n = 0;
	set[n++] = (struct crm_assign){ "title", title };
	static const char *const names[] = { "account", "project", "contacts", "currency", "value" };
	assign_row(set, &n, names, r.v + 2, 5);
	rc = crm_record_add(crm, crm_kind_find("contract"), set, n, contract_id, err);
	rows_free(&r);
	if (rc)
		goto done;
	char term[48], cid[24];
	snprintf(term, sizeof term, "offer_id:%lld", id);
	snprintf(cid, sizeof cid, "%lld", *contract_id);
	static const char *const lf[] = { "description", "quantity", "price", "discount", "tax_rate", "notes" };
	if ((rc = rows_get(crm, "offer_line", term, lf, 6, &r, err)))
		goto done;
	for (int i = 0; i < r.n && !rc; i++) {
		char **l = r.v + i * 6;
		struct strbuf notes = { 0 };
		if (l[3] && strcmp(l[3], "0") != 0)
			sb_addf(&notes, "discount %s%%", l[3]);
		if (l[4])
			sb_addf(&notes, "%stax %s%%", notes.len ? ", " : "", l[4]);
		if (l[5])
			sb_addf(&notes, "%s%s", notes.len ? "; " : "", l[5]);
		struct crm_assign ls[5];
		int m = 0;
		ls[m++] = (struct crm_assign){ "contract", cid };
		ls[m++] = (struct crm_assign){ "product", l[0] };
		if (l[1])
			ls[m++] = (struct crm_assign){ "quantity", l[1] };
		if (l[2])
			ls[m++] = (struct crm_assign){ "price", l[2] };
		if (notes.len)
			ls[m++] = (struct crm_assign){ "notes", notes.s };
		long long lid;
		rc = crm_record_add(crm, crm_kind_find("contract_line"), ls, m, &lid, err);
		sb_free(&notes);
	}
	rows_free(&r);
	if (!rc) {
		struct crm_assign link = { "contract", cid };
		rc = crm_record_edit(crm, k, id, &link, 1, NULL, err);
	}
done:
	if (!rc)
		return crm_tx_commit(crm, err);
	crm_tx_rollback(crm);
	*contract_id = 0;
	return rc;
}

/* ---------------------------------------------------------------- expiry */

int crm_offer_expire(struct crm *crm, long long *expired, struct crm_err *err)
{
	const struct crm_kind *k = crm_kind_find("offer");
	const struct crm_workflow *wf;
	int rc = crm_workflow_get(crm, k, &wf, err);
	if (rc || !wf)
		return rc;
	char today[16];
	if ((rc = crm_date_parse_day("today", crm->now, today, sizeof today, err)))
		return rc;
	/* open offers (the statuses transition expire leaves) past their date, templates aside */
	struct strbuf sql = { 0 };
	sb_add(&sql, "SELECT t.id, t.number, t.title, t.valid_until, u.login, u.email FROM offers t "
	       "LEFT JOIN users u ON u.id = t.owner_id WHERE t.valid_until < ? AND coalesce(t.template, 0) = 0 "
	       "AND t.status COLLATE NOCASE IN ('', ");
	int nfrom = 0;
	for (int i = 0; i < wf->nstatuses; i++) {
		const struct crm_wf_transition *t = crm_workflow_transition(wf, wf->statuses[i], "expire");
		if (t && strcasecmp(t->name, "expire") == 0)
			sb_add(&sql, nfrom++ ? ", ?" : "?");
	}
	sb_add(&sql, ") ORDER BY t.id");
	if (!nfrom) {
		sb_free(&sql);
		return CRM_OK;
	}
	crm_stmt *st;
	rc = crm_prepare(crm, sql.s, &st, err);
	sb_free(&sql);
	if (rc)
		return rc;
	int pos = 0;
	crm_bind_text(st, ++pos, today);
	for (int i = 0; i < wf->nstatuses; i++) {
		const struct crm_wf_transition *t = crm_workflow_transition(wf, wf->statuses[i], "expire");
		if (t && strcasecmp(t->name, "expire") == 0)
			crm_bind_text(st, ++pos, wf->statuses[i]);
	}
	struct rows r = { NULL, 0, 6 };
	int cap = 0, src;
	while ((src = crm_step(st)) == CRM_SQL_ROW) { /* collected first: each expiry writes */
		if (r.n == cap)
			r.v = xrealloc(r.v, (size_t)(cap = cap ? cap * 2 : 8) * 6 * sizeof *r.v);
		for (int i = 0; i < 6; i++) {
			const char *s = (const char *)crm_col_text(st, i);
			r.v[r.n * 6 + i] = s ? xstrdup(s) : NULL;
		}
		r.n++;
	}
	crm_finalize(st);
	if (src != CRM_SQL_DONE)
		rc = crm_db_error(crm, src, "reading offers", err);
	char stamp[32];
	crm_time_format_utc(crm->now, stamp, sizeof stamp);
	for (int i = 0; i < r.n && !rc; i++) {
		char **o = r.v + i * 6;
		int changed;
		if ((rc = crm_workflow_take(crm, k, atoll(o[0]), "expire", NULL, 0, "validity date passed", &changed, err)))
			break;
		(*expired)++;
		if (!o[5] || !*o[5])
			continue;
		struct strbuf subject = { 0 }, body = { 0 };
		sb_addf(&subject, "[crm offer %s] expired: %s", o[1], o[2] ? o[2] : "");
		sb_addf(&body, "Offer %s, %s, was valid until %s and has expired.\n", o[1], o[2] ? o[2] : "", o[3]);
		if (!(rc = crm_stmt_get(crm, "INSERT INTO notifications (created, ticket_id, event, recipient, subject, "
					"body, next_attempt) VALUES (?1, NULL, 'offer-expired', ?2, ?3, ?4, ?1)", &st, err))) {
			crm_bind_text(st, 1, stamp);
			crm_bind_text(st, 2, o[5]);
			crm_bind_text(st, 3, subject.s);
			crm_bind_text(st, 4, body.s);
			src = crm_step(st);
			crm_stmt_done(st);
			if (src != CRM_SQL_DONE)
				rc = crm_db_error(crm, src, "queueing notifications", err);
		}
		sb_free(&subject);
		sb_free(&body);
	}
	rows_free(&r);
	return rc;
}
