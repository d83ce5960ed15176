/* Marketing campaigns (crm/campaign.h): members kept like a static list's (core/members.h),
 * responses and attribution through the record engine, and the report, summed in integers. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/campaign.h"
#include "crm/list.h"
#include "crm/money.h"
#include "crm/near.h"
#include "db.h"
#include "members.h"
#include "util.h"

static const struct crm_members members = { "campaign", "campaign_contacts", "campaign_accounts" };

int crm_campaign_resolve(struct crm *crm, const char *ref, long long *id, struct crm_err *err)
{
	int rc = crm_record_resolve(crm, crm_kind_find("campaign"), ref, id, err);
	if (rc != CRM_ENOTFOUND)
		return rc;
	/* Did you mean: campaigns are few, their names are read through once. */
	crm_stmt *st;
	if (crm_prepare(crm, "SELECT name FROM campaigns ORDER BY id", &st, NULL))
		return rc;
	char **names = NULL;
	size_t n = 0, cap = 0;
	while (crm_step(st) == CRM_SQL_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		const char *s = (const char *)crm_col_text(st, 0);
		names[n++] = xstrdup(s ? s : "");
	}
	crm_finalize(st);
	const char *near = crm_near(ref, (const char *const *)names, n);
	if (near)
		crm_error(err, CRM_ENOTFOUND, "campaign '%s' not found; did you mean '%s'?", ref, near);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---------------------------------------------------------------- members */

int crm_campaign_add_members(struct crm *crm, long long campaign, int accounts, const long long *ids, int nids,
			     long long *changed, struct crm_err *err)
{
	return crm_members_change(crm, &members, campaign, accounts, 1, ids, nids, changed, err);
}

int crm_campaign_rm_members(struct crm *crm, long long campaign, int accounts, const long long *ids, int nids,
			    long long *changed, struct crm_err *err)
{
	return crm_members_change(crm, &members, campaign, accounts, 0, ids, nids, changed, err);
}

int crm_campaign_add_where(struct crm *crm, long long campaign, int accounts, const char *const *terms,
			   int nterms, long long *changed, struct crm_err *err)
{
	return crm_members_add_where(crm, &members, campaign, accounts, terms, nterms, changed, err);
}

int crm_campaign_clear(struct crm *crm, long long campaign, long long *changed, struct crm_err *err)
{
	return crm_members_clear(crm, &members, campaign, changed, err);
}

struct from_list {
	long long campaign, list, changed;
};

/* A static list's members are who its link tables hold (the term lists:<number> over contacts
 * and over accounts); a dynamic list's, who its saved filter matches over its kind. */
static int add_list(struct crm *crm, void *vctx, struct crm_err *err)
{
	struct from_list *a = vctx;
	int dynamic;
	const char *of;
	int rc = crm_list_about(crm, a->list, &dynamic, &of, err);
	if (rc)
		return rc;
	long long n = 0;
	if (dynamic) {
		crm_stmt *st;
		char *filter = NULL;
		if ((rc = crm_stmt_get(crm, "SELECT filter_terms FROM lists WHERE id = ?", &st, err)))
			return rc;
		crm_bind_int64(st, 1, a->list);
		if (crm_step(st) == CRM_SQL_ROW && crm_col_text(st, 0))
			filter = xstrdup((const char *)crm_col_text(st, 0));
		crm_stmt_done(st);
		char *store;
		const char **words;
		int nw = crm_list_filter_words(filter, &store, &words);
		rc = crm_members_add_where(crm, &members, a->campaign, strcmp(of, "account") == 0, words, nw, &n, err);
		a->changed += n;
		free(store);
		free(words);
		free(filter);
		return rc;
	}
	char term[48];
	snprintf(term, sizeof term, "lists:%lld", a->list);
	const char *terms[] = { term };
	for (int accounts = 0; accounts < 2 && !rc; accounts++) {
		n = 0;
		rc = crm_members_add_where(crm, &members, a->campaign, accounts, terms, 1, &n, err);
		a->changed += n;
	}
	return rc;
}

int crm_campaign_add_list(struct crm *crm, long long campaign, long long list, long long *changed,
			  struct crm_err *err)
{
	struct from_list a = { campaign, list, 0 };
	int rc = crm_atomic(crm, add_list, &a, err);
	if (changed)
		*changed = rc ? 0 : a.changed;
	return rc;
}

int crm_campaign_members_print(struct crm *crm, long long campaign, int accounts, const char *const *terms,
			       int nterms, const char *const *fields, int nfields, const char *sort,
			       long long limit, struct crm_printer *p, struct crm_err *err)
{
	char where[160];
	/* through the link table's target index: the campaign's members, not a scan of contacts */
	snprintf(where, sizeof where, "t.id IN (SELECT m.record_id FROM %s m WHERE m.target_id = %lld)",
		 accounts ? members.accounts : members.contacts, campaign);
	struct crm_query q = { .kind = crm_kind_find(accounts ? "account" : "contact"), .terms = terms,
			       .nterms = nterms, .fields = fields, .nfields = nfields, .sort = sort, .limit = limit,
			       .where = where };
	return crm_query_print(crm, &q, p, NULL, err);
}

/* ---------------------------------------------------------------- responses */

struct respond {
	long long campaign, contact, activity;
	const char *result, *summary, *at, *body;
};

static int respond(struct crm *crm, void *vctx, struct crm_err *err)
{
	struct respond *r = vctx;
	int rc = crm_members_change(crm, &members, r->campaign, 0, 1, &r->contact, 1, NULL, err);
	if (rc)
		return rc;
	const struct crm_kind *campaign = crm_kind_find("campaign");
	char *name = crm_record_label(crm, campaign, r->campaign);
	char cid[32], pid[32], *summary = NULL;
	snprintf(cid, sizeof cid, "%lld", r->campaign);
	snprintf(pid, sizeof pid, "%lld", r->contact);
	if (!r->summary) {
		size_t len = strlen(name ? name : "") + strlen(r->result) + 32;
		summary = xmalloc(len);
		snprintf(summary, len, "Response to %s: %s", name ? name : cid, r->result);
	}
	struct crm_assign set[7] = {
		{ "summary", r->summary ? r->summary : summary }, { "type", "response" }, { "campaign", cid },
		{ "contacts", pid }, { "result", r->result },
	};
	int nset = 5;
	if (r->at)
		set[nset++] = (struct crm_assign){ "at", r->at };
	if (r->body)
		set[nset++] = (struct crm_assign){ "body", r->body };
	rc = crm_record_add(crm, crm_kind_find("activity"), set, nset, &r->activity, err);
	free(summary);
	free(name);
	return rc;
}

int crm_campaign_respond(struct crm *crm, long long campaign, long long contact, const char *result,
			 const char *summary, const char *at, const char *body, long long *activity,
			 struct crm_err *err)
{
	if (!result || !*result)
		return crm_error(err, CRM_EUSAGE, "a response needs a result (--result interested, ...)");
	struct respond r = { campaign, contact, 0, result, summary, at, body };
	int rc = crm_atomic(crm, respond, &r, err);
	if (activity)
		*activity = rc ? 0 : r.activity;
	return rc;
}

/* ---------------------------------------------------------------- the report */

/* One number of a statement with the campaign's number bound to every placeholder. */
static long long one(struct crm *crm, const char *sql, long long id, int nbinds, int *rc, struct crm_err *err)
{
	crm_stmt *st;
	long long n = 0;
	if (*rc || (*rc = crm_stmt_get(crm, sql, &st, err)))
		return 0;
	for (int i = 1; i <= nbinds; i++)
		crm_bind_int64(st, i, id);
	int src = crm_step(st);
	if (src == CRM_SQL_ROW)
		n = crm_col_int64(st, 0);
	else
		*rc = crm_db_error(crm, src, "reading a campaign", err);
	crm_stmt_done(st);
	return n;
}

static void row(struct crm_printer *p, const char *measure, enum crm_vtype type, const char *value,
		const char *currency)
{
	struct crm_value cells[3] = {
		{ CRM_V_TEXT, measure }, { value ? type : CRM_V_NULL, value },
		{ currency && *currency ? CRM_V_TEXT : CRM_V_NULL, currency && *currency ? currency : NULL },
	};
	const char *const cur[3] = { NULL, type == CRM_V_REAL && currency ? currency : NULL, NULL };
	crm_printer_row_money(p, cells, cur);
}

static void count_row(struct crm_printer *p, const char *measure, long long n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", n);
	row(p, measure, CRM_V_INT, buf, NULL);
}

static void money_row(struct crm_printer *p, const char *measure, int has, long long v, const char *currency)
{
	char buf[32];
	if (has)
		crm_dec_format(v, crm_currency_digits(currency), buf, sizeof buf);
	row(p, measure, CRM_V_REAL, has ? buf : NULL, currency ? currency : "");
}

/* a / b rounded half away from zero (a >= 0, b > 0) */
static long long divide(long long a, long long b)
{
	return (a / b) + ((a % b) * 2 >= b ? 1 : 0);
}

#define RESPONSE "a.campaign_id = ? AND a.result IS NOT NULL AND a.result <> ''"
#define OPEN_SQL "lower(o.stage) NOT IN ('won', 'lost')"

int crm_campaign_report_print(struct crm *crm, long long id, struct crm_printer *p, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_stmt_get(crm, "SELECT budget, actual_cost, currency FROM campaigns WHERE id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int src = crm_step(st), has_budget = 0, has_cost = 0;
	long long budget = 0, cost = 0;
	char currency[16] = "";
	if (src == CRM_SQL_ROW) {
		has_budget = crm_col_type(st, 0) != CRM_COL_NULL;
		has_cost = crm_col_type(st, 1) != CRM_COL_NULL;
		budget = crm_col_int64(st, 0);
		cost = crm_col_int64(st, 1);
		const char *c = (const char *)crm_col_text(st, 2);
		snprintf(currency, sizeof currency, "%s", c ? c : "");
	}
	crm_stmt_done(st);
	if (src == CRM_SQL_DONE)
		return crm_error(err, CRM_ENOTFOUND, "campaign '%lld' not found", id);
	if (src != CRM_SQL_ROW)
		return crm_db_error(crm, src, "reading a campaign", err);

	/* Every count through an index on the campaign's number: the members' target index, the
	 * activities', opportunities' and accounts' campaign index. */
	long long contacts = one(crm, "SELECT count(*) FROM campaign_contacts WHERE target_id = ?", id, 1, &rc, err);
	long long accounts = one(crm, "SELECT count(*) FROM campaign_accounts WHERE target_id = ?", id, 1, &rc, err);
	long long responses = one(crm, "SELECT count(*) FROM activities a WHERE " RESPONSE, id, 1, &rc, err);
	/* from the campaign's responses (a join let SQLite scan every activity's contacts) */
	long long responders = one(crm, "SELECT count(DISTINCT l.target_id) FROM activity_contacts l "
				   "WHERE l.record_id IN (SELECT a.id FROM activities a WHERE " RESPONSE ") "
				   "AND EXISTS (SELECT 1 FROM campaign_contacts m WHERE m.record_id = l.target_id "
				   "AND m.target_id = ?)", id, 2, &rc, err);
	long long opportunities = one(crm, "SELECT count(*) FROM opportunities o WHERE o.campaign_id = ?", id, 1, &rc, err);
	long long won = one(crm, "SELECT count(*) FROM opportunities o WHERE o.campaign_id = ? AND lower(o.stage) = 'won'",
			    id, 1, &rc, err);
	long long prospects = one(crm, "SELECT count(*) FROM accounts WHERE campaign_id = ? AND lower(lifecycle_stage) = 'prospect'",
				  id, 1, &rc, err);
	if (rc)
		return rc;

	static const char *const names[] = { "measure", "value", "currency" };
	crm_printer_columns(p, names, 3);
	count_row(p, "members", contacts + accounts);
	count_row(p, "contacts", contacts);
	count_row(p, "accounts", accounts);
	count_row(p, "responses", responses);
	if ((rc = crm_stmt_get(crm, "SELECT lower(a.result), count(*) FROM activities a WHERE " RESPONSE
			       " GROUP BY lower(a.result) ORDER BY lower(a.result)", &st, err)))
		return rc;
	crm_bind_int64(st, 1, id);
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		char measure[96];
		snprintf(measure, sizeof measure, "responses:%s", (const char *)crm_col_text(st, 0));
		count_row(p, measure, crm_col_int64(st, 1));
	}
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE)
		return crm_db_error(crm, src, "reading responses", err);
	count_row(p, "responders", responders);
	char rate[32];
	if (contacts)
		crm_dec_format(divide(responders * 1000, contacts), 1, rate, sizeof rate);
	row(p, "response_rate", CRM_V_REAL, contacts ? rate : NULL, NULL);
	count_row(p, "opportunities", opportunities);
	count_row(p, "won", won);
	/* Values per currency, summed in integers, never mixed. */
	if ((rc = crm_stmt_get(crm, "SELECT coalesce(o.currency, ''), "
			       "sum(CASE WHEN " OPEN_SQL " THEN coalesce(o.value, 0) ELSE 0 END), "
			       "sum(CASE WHEN lower(o.stage) = 'won' THEN coalesce(o.value, 0) ELSE 0 END) "
			       "FROM opportunities o WHERE o.campaign_id = ? GROUP BY coalesce(o.currency, '') ORDER BY 1",
			       &st, err)))
		return rc;
	crm_bind_int64(st, 1, id);
	while ((src = crm_step(st)) == CRM_SQL_ROW) {
		const char *c = (const char *)crm_col_text(st, 0);
		char cur[16];
		snprintf(cur, sizeof cur, "%s", c ? c : "");
		money_row(p, "pipeline", 1, crm_col_int64(st, 1), cur);
		money_row(p, "won_value", 1, crm_col_int64(st, 2), cur);
	}
	crm_stmt_done(st);
	if (src != CRM_SQL_DONE)
		return crm_db_error(crm, src, "reading opportunities", err);
	count_row(p, "prospects", prospects);
	money_row(p, "budget", has_budget, budget, currency);
	money_row(p, "cost", has_cost, cost, currency);
	money_row(p, "cost_per_response", has_cost && responses, responses ? divide(cost, responses) : 0, currency);
	money_row(p, "cost_per_won", has_cost && won, won ? divide(cost, won) : 0, currency);
	return CRM_OK;
}

/* ---------------------------------------------------------------- show sections */

int crm_campaign_of_record_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
				 struct crm_err *err)
{
	return crm_members_of_record_print(crm, &members, "status", k, id, p, err);
}
