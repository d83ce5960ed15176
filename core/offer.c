/* Offers (issue 12, crm/offer.h): what the record engine does not do for every kind. Every write
 * goes through the engine (crm_record_add, crm_record_edit, crm_workflow_take), so history,
 * checks and workflows hold as for any record. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include "crm/offer.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/money.h"
#include "crm/workflow.h"
#include "fold.h"
#include "pdf.h"
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

int crm_offer_section_check(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
			    struct crm_err *err)
{
	int oi = field_index(k, "offer"), ni = field_index(k, "name");
	if (oi < 0 || ni < 0 || !vals[oi] || !vals[ni])
		return CRM_OK;
	crm_stmt *st;
	int rc;
	if (id) { /* an edit that keeps its offer and its name (another change) is not looked at again:
		   * a database of before this rule may hold two of a name, each still to be edited */
		if ((rc = crm_stmt_get(crm, "SELECT offer_id, name FROM offer_sections WHERE id = ?1", &st, err)))
			return rc;
		crm_bind_int64(st, 1, id);
		int kept = 0;
		if (crm_step(st) == CRM_SQL_ROW && crm_col_int64(st, 0) == atoll(vals[oi])) {
			const char *was = (const char *)crm_col_text(st, 1);
			char *a = crm_fold(was ? was : ""), *b = crm_fold(vals[ni]);
			kept = strcmp(a, b) == 0;
			free(a);
			free(b);
		}
		crm_stmt_done(st);
		if (kept)
			return CRM_OK;
	}
	rc = crm_stmt_get(crm, "SELECT t.name, (SELECT o.number FROM offers o WHERE o.id = t.offer_id) "
			      "FROM offer_sections t WHERE t.offer_id = ?1 AND crm_fold(t.name) = ?2 AND t.id <> ?3 "
			      "LIMIT 1", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, atoll(vals[oi]));
	crm_bind_text_own(st, 2, crm_fold(vals[ni]));
	crm_bind_int64(st, 3, id);
	int step = crm_step(st);
	if (step == CRM_SQL_ROW) {
		const char *theirs = (const char *)crm_col_text(st, 0), *number = (const char *)crm_col_text(st, 1);
		rc = crm_error(err, CRM_ECONFLICT, "offer '%s' already has a section '%s'%s%s%s; a section's name "
			       "names it within its offer", number ? number : vals[oi], vals[ni],
			       theirs && strcmp(theirs, vals[ni]) != 0 ? " (as '" : "", theirs && strcmp(theirs, vals[ni]) != 0 ? theirs : "",
			       theirs && strcmp(theirs, vals[ni]) != 0 ? "')" : "");
		snprintf(err->field, sizeof err->field, "name");
	} else if (step != CRM_SQL_DONE) {
		rc = crm_db_error(crm, step, "looking for a section of the same name", err);
	}
	crm_stmt_done(st);
	return rc;
}

int crm_offer_line_words(struct crm *crm, const char *words, int *product, struct crm_err *err)
{
	const struct crm_kind *pk = crm_kind_find("product");
	long long id;
	struct crm_err e = { 0 };
	int rc = crm_record_resolve(crm, pk, words, &id, &e);
	*product = rc == CRM_OK;
	if (rc != CRM_ENOTFOUND) {
		if (rc && err)
			*err = e;
		return rc;
	}
	struct crm_err hint = { 0 };
	crm_record_near(crm, pk, words, &hint);
	if (!hint.msg[0])
		return CRM_OK; /* free text */
	crm_error(err, CRM_EINVALID, "product '%s' not found%s (--description '%s' makes a free-text line)", words,
		  hint.msg, words);
	if (err)
		snprintf(err->field, sizeof err->field, "product");
	return CRM_EINVALID;
}

/* ---------------------------------------------------------------- the section gate */

/* sections: an offer moving into approved, or sent, needs every one of its sections approved
 * (sent too: an offer approved before its sections were locked, or a workflow that sends a draft). */
static int fx_sections(struct crm *crm, const struct crm_wf_event *ev, struct crm_err *err)
{
	if (!ev->t || !ev->id || (strcasecmp(ev->t->to, "approved") != 0 && strcasecmp(ev->t->to, "sent") != 0))
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
		rc = crm_error(err, CRM_ECONFLICT, "cannot %s: section%s %s not approved", ev->t->name ? ev->t->name :
			       ev->t->to, nopen == 1 ? "" : "s", open.s);
	sb_free(&open);
	rows_free(&r);
	return rc;
}

const struct crm_wf_effect crm_offer_effects[] = {
	{ "offer", "sections", fx_sections, NULL, "an offer is approved or sent only when every one of its sections is approved", NULL },
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
		if (l[4])
			sb_addf(&notes, "tax %s%%", l[4]);
		if (l[5])
			sb_addf(&notes, "%s%s", notes.len ? "; " : "", l[5]);
		struct crm_assign ls[6];
		int m = 0;
		ls[m++] = (struct crm_assign){ "contract", cid };
		ls[m++] = (struct crm_assign){ "product", l[0] };
		if (l[1])
			ls[m++] = (struct crm_assign){ "quantity", l[1] };
		if (l[2])
			ls[m++] = (struct crm_assign){ "price", l[2] };
		if (l[3]) /* the contract's lines add up to the offer's net */
			ls[m++] = (struct crm_assign){ "discount", l[3] };
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

int crm_offer_expire(struct crm *crm, long long *expired, char **unsent, struct crm_err *err)
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
	struct strbuf notes = { 0 }; /* the notices that could not go, a line each */
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
		int changed, reach = o[5] && *o[5];
		struct strbuf why = { 0 };
		sb_add(&why, "validity date passed");
		if (!reach) { /* expired all the same; the notice that cannot go is said, not dropped */
			if (o[4])
				sb_addf(&why, "; owner %s has no e-mail address, not notified", o[4]);
			else
				sb_add(&why, "; no owner to notify");
			sb_addf(&notes, "%soffer %s expired; %s%s%s, so its expiry notice was not sent", notes.len ? "\n" : "",
				o[1] ? o[1] : o[0], o[4] ? "its owner '" : "it has no owner", o[4] ? o[4] : "",
				o[4] ? "' has no e-mail address" : "");
		}
		rc = crm_workflow_take(crm, k, atoll(o[0]), "expire", NULL, 0, why.s, &changed, err);
		sb_free(&why);
		if (rc)
			break;
		(*expired)++;
		if (!reach)
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
	if (!rc && unsent && notes.len)
		*unsent = sb_take(&notes);
	sb_free(&notes);
	return rc;
}

/* ---------------------------------------------------------------- the document */

struct doc {
	struct rows offer, sections, lines;
};

static const char *const doc_offer_fields[] = { "number", "version", "title", "account", "contact", "description",
						"valid_until", "currency", "subtotal", "discount", "net", "tax",
						"total", "created", "owner", "status" };
enum { D_NUMBER, D_VERSION, D_TITLE, D_ACCOUNT, D_CONTACT, D_DESCRIPTION, D_VALID, D_CURRENCY, D_SUBTOTAL,
       D_DISCOUNT, D_NET, D_TAX, D_TOTAL, D_CREATED, D_OWNER, D_STATUS, D_N };
static const char *const doc_section_fields[] = { "name", "body" };
static const char *const doc_line_fields[] = { "description", "quantity", "unit", "price", "discount", "tax_rate",
					       "net", "total" };
#define DOC_NLINE 8

static void doc_free(struct doc *d)
{
	rows_free(&d->offer);
	rows_free(&d->sections);
	rows_free(&d->lines);
}

static int doc_load(struct crm *crm, long long id, struct doc *d, struct crm_err *err)
{
	memset(d, 0, sizeof *d);
	char term[48];
	snprintf(term, sizeof term, "offer_id:%lld", id);
	int rc = row_of(crm, "offer", id, doc_offer_fields, D_N, &d->offer, err);
	if (!rc)
		rc = rows_get(crm, "offer_section", term, doc_section_fields, 2, &d->sections, err);
	if (!rc)
		rc = rows_get(crm, "offer_line", term, doc_line_fields, DOC_NLINE, &d->lines, err);
	if (rc)
		doc_free(d);
	return rc;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Markdown text: a cell's | and line breaks would end the cell or the row. */
static void md_cell(struct strbuf *b, const char *s)
{
	sb_add(b, "| ");
	for (const char *p = nz(s); *p; p++) {
		if (*p == '|')
			sb_add(b, "\\|");
		else if (*p == '\n' || *p == '\r')
			sb_add(b, " ");
		else
			sb_addn(b, p, 1);
	}
	sb_add(b, " ");
}

static const char *const total_names[] = { "Subtotal", "Discount", "Net", "Tax", "Total" };

int crm_offer_markdown(struct crm *crm, long long id, char **out, struct crm_err *err)
{
	struct doc d;
	int rc = doc_load(crm, id, &d, err);
	if (rc)
		return rc;
	char **o = d.offer.v;
	struct strbuf b = { 0 };
	sb_addf(&b, "# Offer %s\n\n", nz(o[D_NUMBER]));
	sb_addf(&b, "Version %s, %.10s", nz(o[D_VERSION]), nz(o[D_CREATED]));
	if (o[D_VALID])
		sb_addf(&b, ", valid until %s", o[D_VALID]);
	sb_add(&b, "\n\n");
	sb_addf(&b, "**Client:** %s  \n", nz(o[D_ACCOUNT]));
	if (o[D_CONTACT])
		sb_addf(&b, "**Contact:** %s  \n", o[D_CONTACT]);
	sb_addf(&b, "**Object:** %s\n\n", nz(o[D_TITLE]));
	if (o[D_DESCRIPTION])
		sb_addf(&b, "%s\n\n", o[D_DESCRIPTION]);
	for (int i = 0; i < d.sections.n; i++) {
		char **s = d.sections.v + i * 2;
		sb_addf(&b, "## %s\n\n", nz(s[0]));
		if (s[1])
			sb_addf(&b, "%s\n\n", s[1]);
	}
	sb_addf(&b, "## Prices (%s)\n\n", nz(o[D_CURRENCY]));
	sb_add(&b, "| # | Description | Quantity | Unit | Unit price | Discount % | Tax % | Net | Total |\n"
		   "|---:|---|---:|---|---:|---:|---:|---:|---:|\n");
	for (int i = 0; i < d.lines.n; i++) {
		char **l = d.lines.v + i * DOC_NLINE, num[16];
		snprintf(num, sizeof num, "%d", i + 1);
		md_cell(&b, num);
		for (int j = 0; j < DOC_NLINE; j++)
			md_cell(&b, l[j]);
		sb_add(&b, "|\n");
	}
	sb_add(&b, "\n| | |\n|---|---:|\n");
	for (int i = 0; i < 5; i++)
		sb_addf(&b, "| %s%s%s | %s%s %s%s |\n", i == 4 ? "**" : "", total_names[i], i == 4 ? "**" : "",
			i == 4 ? "**" : "", o[D_SUBTOTAL + i] ? o[D_SUBTOTAL + i] : "0", nz(o[D_CURRENCY]),
			i == 4 ? "**" : "");
	if (o[D_VALID])
		sb_addf(&b, "\nThis offer is valid until %s.\n", o[D_VALID]);
	doc_free(&d);
	*out = sb_take(&b);
	return CRM_OK;
}

/* Pango markup of the same document, the line table on tab stops (offer_tabs). */
static const struct crm_pdf_tab offer_tabs[] = {
	{ 18, 0 }, { 230, 1 }, { 238, 0 }, { 318, 1 }, { 362, 1 }, { 400, 1 }, { 453, 1 },
};

static void mk(struct strbuf *b, const char *s)
{
	char *e = g_markup_escape_text(nz(s), -1);
	sb_add(b, e);
	g_free(e);
}

int crm_offer_pdf(struct crm *crm, long long id, FILE *out, int *pages, struct crm_err *err)
{
	struct doc d;
	int rc = doc_load(crm, id, &d, err);
	if (rc)
		return rc;
	char **o = d.offer.v;
	struct strbuf b = { 0 };
	sb_add(&b, "<span size=\"x-large\" weight=\"bold\">Offer ");
	mk(&b, o[D_NUMBER]);
	sb_add(&b, "</span>\n");
	sb_add(&b, "Version ");
	mk(&b, o[D_VERSION]);
	sb_addf(&b, ", %.10s", nz(o[D_CREATED]));
	if (o[D_VALID]) {
		sb_add(&b, ", valid until ");
		mk(&b, o[D_VALID]);
	}
	sb_add(&b, "\n\n<b>Client:</b> ");
	mk(&b, o[D_ACCOUNT]);
	if (o[D_CONTACT]) {
		sb_add(&b, "\n<b>Contact:</b> ");
		mk(&b, o[D_CONTACT]);
	}
	sb_add(&b, "\n<b>Object:</b> ");
	mk(&b, o[D_TITLE]);
	sb_add(&b, "\n");
	if (o[D_DESCRIPTION]) {
		sb_add(&b, "\n");
		mk(&b, o[D_DESCRIPTION]);
		sb_add(&b, "\n");
	}
	for (int i = 0; i < d.sections.n; i++) {
		char **s = d.sections.v + i * 2;
		sb_add(&b, "\n<span size=\"large\" weight=\"bold\">");
		mk(&b, s[0]);
		sb_add(&b, "</span>\n");
		if (s[1]) {
			mk(&b, s[1]);
			sb_add(&b, "\n");
		}
	}
	sb_add(&b, "\n<span size=\"large\" weight=\"bold\">Prices (");
	mk(&b, o[D_CURRENCY]);
	sb_add(&b, ")</span>\n<span size=\"small\"><b>#\tDescription\tQuantity\tUnit\tPrice\tDisc. %\tTax %\tTotal</b>\n");
	for (int i = 0; i < d.lines.n; i++) {
		char **l = d.lines.v + i * DOC_NLINE;
		sb_addf(&b, "%d\t", i + 1);
		static const int cols[] = { 0, 1, 2, 3, 4, 5, 7 };
		for (int j = 0; j < 7; j++) {
			/* a long description is cut at the tab stop's room rather than pushing the row */
			const char *v = l[cols[j]];
			if (j == 0 && v && g_utf8_strlen(v, -1) > 40) {
				char *cut = g_utf8_substring(v, 0, 39);
				mk(&b, cut);
				sb_add(&b, "…");
				g_free(cut);
			} else {
				mk(&b, v);
			}
			sb_add(&b, j < 6 ? "\t" : "\n");
		}
	}
	/* the totals under the lines' total column, the label two columns before */
	for (int i = 0; i < 5; i++) {
		sb_addf(&b, "%s\t\t\t\t\t%s", i == 4 ? "<b>" : "", total_names[i]);
		if (i == 4) {
			sb_add(&b, " ");
			mk(&b, o[D_CURRENCY]);
		}
		sb_add(&b, "\t\t");
		mk(&b, o[D_SUBTOTAL + i] ? o[D_SUBTOTAL + i] : "0");
		sb_add(&b, i == 4 ? "</b>\n" : "\n");
	}
	sb_add(&b, "</span>");
	if (o[D_VALID]) {
		sb_add(&b, "\nThis offer is valid until ");
		mk(&b, o[D_VALID]);
		sb_add(&b, ".\n");
	}
	doc_free(&d);
	const char *docs[1] = { b.s };
	rc = crm_pdf_write(out, "crm offer preview", docs, 1, 1, offer_tabs,
			   (int)(sizeof offer_tabs / sizeof *offer_tabs), pages, err);
	sb_free(&b);
	return rc;
}

int crm_offer_lines_print(struct crm *crm, long long id, struct crm_printer *p, struct crm_err *err)
{
	struct doc d;
	int rc = doc_load(crm, id, &d, err);
	if (rc)
		return rc;
	static const char *const names[] = { "#", "description", "quantity", "unit", "price", "discount", "tax_rate",
					     "net", "total" };
	crm_printer_columns(p, names, 9);
	const char *cur = d.offer.v[D_CURRENCY] ? d.offer.v[D_CURRENCY] : "";
	const char *money[9] = { NULL, NULL, NULL, NULL, cur, NULL, NULL, cur, cur };
	for (int i = 0; i < d.lines.n; i++) {
		char **l = d.lines.v + i * DOC_NLINE, num[16];
		snprintf(num, sizeof num, "%d", i + 1);
		struct crm_value cells[9] = { { CRM_V_INT, num } };
		for (int j = 0; j < DOC_NLINE; j++) {
			enum crm_vtype t = j == 0 || j == 2 ? CRM_V_TEXT : CRM_V_REAL;
			cells[j + 1] = (struct crm_value){ l[j] ? t : CRM_V_NULL, l[j] };
		}
		crm_printer_row_money(p, cells, money);
	}
	for (int i = 0; i < 5; i++) {
		const char *v = d.offer.v[D_SUBTOTAL + i] ? d.offer.v[D_SUBTOTAL + i] : "0";
		struct crm_value cells[9] = { { CRM_V_NULL, NULL }, { CRM_V_TEXT, total_names[i] } };
		cells[8] = (struct crm_value){ CRM_V_REAL, v };
		crm_printer_row_money(p, cells, money);
	}
	doc_free(&d);
	return CRM_OK;
}
