/* One show for every kind (see crm/show.h): the sections as data, and the one function that
 * renders a record with them through any printer. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crm/record.h"
#include "crm/attr.h"
#include "crm/custom.h"
#include "crm/finance.h"
#include "crm/campaign.h"
#include "crm/list.h"
#include "crm/show.h"
#include "crm/task.h"
#include "crm/ticket.h"
#include "crm/workflow.h"
#include "util.h"

/* ---------------------------------------------------------------- sections that are not queries */

/* Every kind with a workflow status field (ticket, project, contract) shows this one first. */
static int transitions(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		       struct crm_err *err)
{
	return crm_workflow_transitions_print(crm, k, id, p, err);
}

static int ticket_comments(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			   struct crm_err *err)
{
	(void)k;
	return crm_ticket_actions_print(crm, id, 1, p, 0, NULL, err);
}

static int ticket_actions(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			  struct crm_err *err)
{
	(void)k;
	return crm_ticket_actions_print(crm, id, 0, p, 0, NULL, err);
}

static int ticket_watchers(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			   struct crm_err *err)
{
	(void)k;
	return crm_ticket_watchers_print(crm, id, p, 0, NULL, err);
}

/* The same history as `crm history <kind> <ref>`, imports included. */
static int history(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		   struct crm_err *err)
{
	return crm_history_print(crm, k, id, p, err);
}

/* An account's receivables by currency, its open invoices and what the credit rules say of it,
 * as of today (CRM_NOW). */
static int receivables(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		       struct crm_err *err)
{
	(void)k;
	return crm_receivables_print(crm, id, NULL, 0, p, err);
}

static int open_invoices(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			 struct crm_err *err)
{
	(void)k;
	return crm_open_invoices_print(crm, id, NULL, p, err);
}

static int credit(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p, struct crm_err *err)
{
	(void)k;
	return crm_credit_print(crm, id, p, err);
}

static int invoice_open(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			struct crm_err *err)
{
	(void)k;
	return crm_invoice_open_print(crm, id, p, err);
}

/* ---------------------------------------------------------------- the sections */

#define DOCUMENT_FIELDS "id,name,size,type,created"
#define ACTIVITY_FIELDS "id,at,type,summary,result,contacts"
#define PROJECT_FIELDS "id,name,status,income,margin,manager"
#define CONTRACT_FIELDS "id,title,status,value,currency,end"
#define OFFER_FIELDS "id,number,version,title,status,total,currency,valid_until,owner"
#define TASK_FIELDS "id,title,type,status,due,assignee,group"
#define TRANSACTION_FIELDS "id,type,number,date,due,amount,currency,status,applies_to"
#define CONTACT_FIELDS "id,first_name,last_name,title,email,phone"

const struct crm_show_section crm_show_sections[] = {
	/* kind, under, key, title, related, filter, fields, sort, limit, print */
	{ "account", NULL, "locations", "Locations", "location", "account_id:{id}",
	  "id,name,address,city,postal_code,country", NULL, 0, NULL },
	{ "account", "locations", "contacts", NULL, "contact", "location_id:{id}", CONTACT_FIELDS, NULL, 0, NULL },
	{ "account", NULL, "contacts", "Contacts without a location", "contact", "account_id:{id} location_id:",
	  CONTACT_FIELDS, NULL, 0, NULL },
	{ "account", NULL, "subsidiaries", "Subsidiaries", "account", "parent_id:{id}",
	  "id,name,country,lifecycle_stage", NULL, 0, NULL },
	{ "account", NULL, "projects", "Projects", "project", "account_id:{id}", PROJECT_FIELDS, NULL, 0, NULL },
	{ "account", NULL, "contracts", "Contracts", "contract", "account_id:{id}", CONTRACT_FIELDS, NULL, 0, NULL },
	{ "account", NULL, "activities", "Recent activities", "activity", "account_id:{id}", ACTIVITY_FIELDS, NULL,
	  10, NULL },
	{ "account", NULL, "documents", "Documents", "document", "noun:{kind} record:{id}", DOCUMENT_FIELDS, NULL, 0,
	  NULL },
	{ "account", NULL, "opportunities", "Open opportunities", "opportunity", "account_id:{id} open:yes",
	  "id,title,stage,value,currency,probability,close,owner", NULL, 0, NULL },
	{ "account", NULL, "offers", "Open offers", "offer", "account_id:{id} open:yes template:no", OFFER_FIELDS, NULL, 0,
	  NULL },
	{ "account", NULL, "tickets", "Open tickets", "ticket", "account_id:{id} open:yes",
	  "id,title,status,priority,assignee,opened", NULL, 0, NULL },
	{ "account", NULL, "tasks", "Open tasks", "task", "account_id:{id} open:yes", TASK_FIELDS, NULL, 0, NULL },
	{ "account", NULL, "lists", "Lists", NULL, NULL, NULL, NULL, 0, crm_list_of_record_print },
	{ "account", NULL, "credit", "Credit", NULL, NULL, NULL, NULL, 0, credit },
	{ "account", NULL, "receivables", "Receivables", NULL, NULL, NULL, NULL, 0, receivables },
	{ "account", NULL, "open_invoices", "Open invoices", NULL, NULL, NULL, NULL, 0, open_invoices },
	{ "account", NULL, "transactions", "Recent transactions", "transaction", "account_id:{id}", TRANSACTION_FIELDS,
	  "-date", 10, NULL },
	{ "account", NULL, "financials", "Financial reports", "financial", "account_id:{id}",
	  "id,year,revenue,profit,currency,employees,source", "-year", 0, NULL },
	{ "account", NULL, "campaigns", "Campaigns", NULL, NULL, NULL, NULL, 0, crm_campaign_of_record_print },

	{ "contact", NULL, "projects", "Projects", "project", "contacts:{id}", PROJECT_FIELDS, NULL, 0, NULL },
	{ "contact", NULL, "contracts", "Contracts", "contract", "contacts:{id}", CONTRACT_FIELDS, NULL, 0, NULL },
	{ "contact", NULL, "opportunities", "Open opportunities", "opportunity", "contact_id:{id} open:yes",
	  "id,title,stage,value,currency,probability,close,owner", NULL, 0, NULL },
	{ "contact", NULL, "activities", "Activities", "activity", "contacts:{id}", ACTIVITY_FIELDS, NULL, 20, NULL },
	{ "contact", NULL, "tasks", "Open tasks", "task", "contacts:{id} open:yes", TASK_FIELDS, NULL, 0, NULL },
	{ "contact", NULL, "lists", "Lists", NULL, NULL, NULL, NULL, 0, crm_list_of_record_print },
	{ "contact", NULL, "campaigns", "Campaigns", NULL, NULL, NULL, NULL, 0, crm_campaign_of_record_print },

	{ "project", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "project", NULL, "cost_entries", "Costs", "cost", "project_id:{id}", "id,date,amount,what", NULL, 0, NULL },
	{ "project", NULL, "contracts", "Contracts", "contract", "project_id:{id}", CONTRACT_FIELDS, NULL, 0, NULL },
	{ "project", NULL, "activities", "Activities", "activity", "projects:{id}", ACTIVITY_FIELDS, NULL, 20, NULL },
	{ "project", NULL, "tasks", "Open tasks", "task", "project_id:{id} open:yes", TASK_FIELDS, NULL, 0, NULL },
	{ "project", NULL, "deliverables", "Deliverables", "deliverable", "project_id:{id}", "id,name,status,due,owner", NULL, 0,
	  NULL },
	{ "project", NULL, "milestones", "Milestones", "milestone", "project_id:{id}", "id,name,due,reached", NULL, 0, NULL },
	{ "project", NULL, "documents", "Documents", "document", "noun:{kind} record:{id}", DOCUMENT_FIELDS, NULL, 0,
	  NULL },

	{ "contract", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "contract", NULL, "lines", "Lines", "contract_line", "contract_id:{id}", "id,product,quantity,price,amount,delivered",
	  NULL, 0, NULL },
	{ "contract", NULL, "transactions", "Transactions", "transaction", "contract_id:{id}", TRANSACTION_FIELDS,
	  NULL, 0, NULL },
	{ "contract", NULL, "activities", "Activities", "activity", "contract_id:{id}", ACTIVITY_FIELDS, NULL, 20,
	  NULL },
	{ "contract", NULL, "documents", "Documents", "document", "noun:{kind} record:{id}", DOCUMENT_FIELDS, NULL, 0,
	  NULL },

	{ "activity", NULL, "documents", "Documents", "document", "noun:{kind} record:{id}", DOCUMENT_FIELDS, NULL, 0,
	  NULL },
	{ "activity", NULL, "follow_ups", "Follow-ups", "task", "activity_id:{id}", TASK_FIELDS, NULL, 0, NULL },

	{ "ticket", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "ticket", NULL, "comments", "Comments", NULL, NULL, NULL, NULL, 0, ticket_comments },
	{ "ticket", NULL, "actions", "Actions", NULL, NULL, NULL, NULL, 0, ticket_actions },
	{ "ticket", NULL, "watchers", "Watchers", NULL, NULL, NULL, NULL, 0, ticket_watchers },
	{ "ticket", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "ticket", NULL, "attachments", "Attachments", "document", "noun:{kind} record:{id}", DOCUMENT_FIELDS, NULL,
	  0, NULL },

	{ "task", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "task", NULL, "occurrences", "Next occurrences", NULL, NULL, NULL, NULL, 0, crm_task_occurrences_print },
	{ "task", NULL, "attendees", "Attendees", NULL, NULL, NULL, NULL, 0, crm_task_attendees_print },
	{ "task", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "deliverable", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "deliverable", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "milestone", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },

	{ "opportunity", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "opportunity", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },

	{ "transaction", NULL, "allocation", "Paid and open", NULL, NULL, NULL, NULL, 0, invoice_open },
	{ "transaction", NULL, "payments", "Payments and credit notes", "transaction", "applies_to_id:{id}",
	  TRANSACTION_FIELDS, NULL, 0, NULL },
	{ "transaction", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "financial", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },

	{ "process", NULL, "steps", "Steps", "task", "process:{id}", "id,step,title,status,due,assignee,group,approval",
	  "step", 0, NULL },

	{ "list", NULL, "counts", "Members", NULL, NULL, NULL, NULL, 0, crm_list_counts_print },
	{ "list", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },

	{ "campaign", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "campaign", NULL, "responses", "Responses", "activity", "campaign_id:{id} result.not:", ACTIVITY_FIELDS, NULL, 20, NULL },
	{ "campaign", NULL, "opportunities", "Opportunities", "opportunity", "campaign_id:{id}",
	  "id,title,account,stage,value,currency,close,owner", NULL, 0, NULL },
	{ "campaign", NULL, "prospects", "Accounts it brought", "account", "campaign_id:{id}",
	  "id,name,lifecycle_stage,industry,country", NULL, 0, NULL },
	{ "campaign", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "offer", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "offer", NULL, "sections", "Sections", "offer_section", "offer_id:{id}", "id,name,owner,status", "id", 0, NULL },
	{ "offer", NULL, "lines", "Lines", "offer_line", "offer_id:{id}",
	  "id,product,description,quantity,unit,price,discount,tax_rate,net,tax,total", "id", 0, NULL },
	{ "offer", NULL, "revisions", "Revised by", "offer", "revises_id:{id}", OFFER_FIELDS, NULL, 0, NULL },
	{ "offer", NULL, "documents", "Documents", "document", "noun:{kind} record:{id}", DOCUMENT_FIELDS, NULL, 0,
	  NULL },
	{ "offer", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "offer_section", NULL, "transitions", "Transitions you may take", NULL, NULL, NULL, NULL, 0, transitions },
	{ "offer_section", NULL, "history", "History", NULL, NULL, NULL, NULL, 0, history },
	{ "contract", NULL, "offers", "Offers", "offer", "contract_id:{id}", OFFER_FIELDS, NULL, 0, NULL },

	{ "group", NULL, "users", "Members", "user", "groups:{label}", "id,login,name,email", NULL, 0, NULL },
	{ "group", NULL, "tasks", "Open tasks", "task", "group_id:{id} open:yes", TASK_FIELDS, NULL, 0, NULL },

	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

/* ---------------------------------------------------------------- rendering */

#define MAX_WORDS 16

/* Split a space- or comma-separated template into words, "{id}" and "{kind}" filled in. The
 * words point into *store, which the caller frees. */
static int words(struct crm *crm, const char *tmpl, char sep, const char *kind, long long id, char **store,
		 const char **out)
{
	struct strbuf b = { 0 };
	char num[32];
	snprintf(num, sizeof num, "%lld", id);
	for (const char *s = tmpl; *s;) {
		if (strncmp(s, "{label}", 7) == 0) { /* a group's name, for its members' groups */
			char *label = crm_record_label(crm, crm_kind_find(kind), id);
			sb_add(&b, label ? label : "");
			free(label);
			s += 7;
		} else if (strncmp(s, "{id}", 4) == 0) {
			sb_add(&b, num);
			s += 4;
		} else if (strncmp(s, "{kind}", 6) == 0) {
			sb_add(&b, kind);
			s += 6;
		} else {
			sb_addn(&b, s++, 1);
		}
	}
	*store = sb_take(&b);
	int n = 0;
	char *save = NULL, seps[2] = { sep, '\0' };
	for (char *w = strtok_r(*store, seps, &save); w && n < MAX_WORDS; w = strtok_r(NULL, seps, &save))
		out[n++] = w;
	return n;
}

/* The sections of k under `under` (NULL: the record's own) for record id of kind `of` (k itself,
 * or the kind of the rows a nested section hangs from). */
static int sections(struct crm *crm, const struct crm_kind *k, const char *under, const char *of, long long id,
		    unsigned flags, struct crm_printer *p, struct crm_err *err);

/* For the group of record id (CRM_SHOW_GROUP): a term <f>_id:<n> where <f> of the related kind
 * rk refers to k becomes <f>.within:<n>, the record and every one under it. NULL: kept. */
static char *group_term(const struct crm_kind *k, const struct crm_kind *rk, const char *term)
{
	const char *colon = strchr(term, ':');
	if (!colon || colon - term < 4 || strncmp(colon - 3, "_id", 3) != 0)
		return NULL;
	char *name = xstrndup(term, (size_t)(colon - 3 - term));
	const struct crm_field *f = crm_kind_field(rk, name, NULL);
	char *out = NULL;
	if (f && f->type == CRM_F_REF && f->ref && strcmp(f->ref, k->name) == 0) {
		struct strbuf b = { 0 };
		sb_addf(&b, "%s.within%s", name, colon);
		out = sb_take(&b);
	}
	free(name);
	return out;
}

/* The records of a section: a map each (with the sections nested under this one), and a note
 * when the limit may have cut the list short. */
static int related(struct crm *crm, const struct crm_kind *k, const struct crm_show_section *s, const char *of,
		   long long id, unsigned flags, struct crm_printer *p, long long *count, struct crm_err *err)
{
	const struct crm_kind *rk = crm_kind_find(s->related);
	if (!rk)
		return crm_error(err, CRM_EFAIL, "show %s: section '%s' lists an unknown kind '%s'", k->name, s->key,
				 s->related);
	char *tstore, *fstore;
	const char *terms[MAX_WORDS], *fields[MAX_WORDS];
	int nterms = words(crm, s->filter ? s->filter : "", ' ', of, id, &tstore, terms);
	int nfields = words(crm, s->fields ? s->fields : "", ',', of, id, &fstore, fields);
	char *grouped[MAX_WORDS] = { 0 };
	const char *whose = NULL; /* the group's rows say whose they are: the field grouped on */
	for (int i = 0; (flags & CRM_SHOW_GROUP) && !s->under && i < nterms; i++)
		if ((grouped[i] = group_term(k, rk, terms[i]))) {
			terms[i] = grouped[i];
			whose = grouped[i];
		}
	char whose_name[64] = "";
	if (whose && p && nfields > 0 && nfields < MAX_WORDS) {
		snprintf(whose_name, sizeof whose_name, "%.*s", (int)(strchr(whose, '.') - whose), whose);
		int present = 0;
		for (int i = 0; i < nfields; i++)
			present |= strcmp(fields[i], whose_name) == 0;
		if (!present && strcmp(rk->name, k->name) != 0)
			fields[nfields++] = whose_name;
	}
	struct crm_query q = { .kind = rk, .terms = terms, .nterms = nterms, .fields = nfields ? fields : NULL,
			       .nfields = nfields, .sort = s->sort, .limit = s->limit };
	struct crm_cursor *c;
	int rc = p ? crm_query_open(crm, &q, &c, err) : crm_query_count(crm, &q, count, err);
	if (rc || !p) { /* p NULL: counting only, done */
		free(tstore);
		free(fstore);
		for (int i = 0; i < MAX_WORDS; i++)
			free(grouped[i]);
		return rc;
	}
	int n = crm_cursor_ncols(c), idcol = -1;
	const char *const *names = crm_cursor_names(c);
	for (int i = 0; i < n && idcol < 0; i++)
		if (strcmp(names[i], "id") == 0)
			idcol = i;
	/* Sections nested under this one (a location's contacts), looked for once, not per row. */
	int nested = 0;
	for (const struct crm_show_section *u = crm_show_sections; u->kind && !nested; u++)
		nested = strcmp(u->kind, k->name) == 0 && u->under && strcmp(u->under, s->key) == 0;
	const struct crm_value *cells;
	long long rows = 0;
	/* A section of the record's own, without sections under its rows, is a table: aligned
	 * columns under their names in the text view, the same list of maps in every other
	 * format. Rows with rows under them (a location and its contacts) stay lines, indented. */
	int table = !nested && !s->under;
	if (table)
		crm_printer_columns(p, names, n);
	while (table && (rc = crm_cursor_next(c, &cells, err)) == 1) {
		crm_printer_row(p, cells);
		rows++;
	}
	while (!table && (rc = crm_cursor_next(c, &cells, err)) == 1) {
		crm_printer_begin_map(p);
		for (int i = 0; i < n; i++) {
			crm_printer_key(p, names[i]);
			crm_printer_value(p, &cells[i]);
		}
		int sub = CRM_OK;
		if (nested && idcol >= 0 && cells[idcol].text)
			sub = sections(crm, k, s->key, rk->name, atoll(cells[idcol].text), flags, p, err);
		crm_printer_end(p);
		rows++;
		if (sub) {
			rc = sub;
			break;
		}
	}
	crm_cursor_close(c);
	free(tstore);
	free(fstore);
	for (int i = 0; i < MAX_WORDS; i++)
		free(grouped[i]);
	if (count)
		*count = rows;
	if (rc < 0)
		return -rc;
	if (rc)
		return rc;
	if (p && s->limit && rows == s->limit) {
		char note[160];
		snprintf(note, sizeof note, "(the %lld most recent; more with 'crm %s list')", s->limit, rk->name);
		crm_printer_note(p, note);
	}
	return CRM_OK;
}

static int sections(struct crm *crm, const struct crm_kind *k, const char *under, const char *of, long long id,
		    unsigned flags, struct crm_printer *p, struct crm_err *err)
{
	for (const struct crm_show_section *s = crm_show_sections; s->kind; s++) {
		if (strcmp(s->kind, k->name) != 0 || (under ? !s->under || strcmp(s->under, under) : s->under != NULL))
			continue;
		crm_printer_section(p, s->key, s->title);
		crm_printer_begin_list(p);
		int rc = s->print ? s->print(crm, k, id, p, err) : related(crm, k, s, of, id, flags, p, NULL, err);
		crm_printer_end(p);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* The group's totals: how many records it is, and how many records of each kind that refers
 * to it it has (all of them, not only those a section shows; and the open ones where a kind has
 * an open field). */
static int group_totals(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
			struct crm_err *err)
{
	static const char *const cols[] = { "section", "records" };
	crm_printer_columns(p, cols, 2);
	const struct crm_field *up = crm_kind_parent_field(k);
	struct strbuf filter = { 0 };
	sb_addf(&filter, "%s_id:{id}", up->name);
	struct crm_show_section members = { k->name, NULL, k->plural, NULL, k->name, filter.s, "id", NULL, 0, NULL };
	long long under = 0;
	int rc = related(crm, k, &members, k->name, id, CRM_SHOW_GROUP, NULL, &under, err);
	sb_free(&filter);
	char num[32];
	snprintf(num, sizeof num, "%lld", under + 1);
	struct crm_value row[2] = { { CRM_V_TEXT, k->plural }, { CRM_V_INT, num } };
	if (!rc)
		crm_printer_row(p, row);
	/* every kind that refers to k: all its records in the group, and the open ones */
	for (int i = 0; !rc && crm_kinds[i]; i++) {
		const struct crm_kind *rk = crm_kinds[i];
		const struct crm_field *f = NULL;
		for (int j = 0; strcmp(rk->name, k->name) != 0 && j < rk->nfields && !f; j++)
			if (rk->fields[j].type == CRM_F_REF && rk->fields[j].ref && strcmp(rk->fields[j].ref, k->name) == 0 &&
			    rk->fields[j].column[0] != '(')
				f = &rk->fields[j];
		if (!f)
			continue;
		int has_open = crm_kind_field(rk, "open", NULL) != NULL;
		for (int open = 0; !rc && open <= has_open; open++) {
			struct strbuf filter = { 0 }, title = { 0 };
			sb_addf(&filter, "%s_id:{id}%s", f->name, open ? " open:yes" : "");
			sb_addf(&title, "%s%s", open ? "open " : "", rk->plural);
			struct crm_show_section all = { k->name, NULL, rk->plural, NULL, rk->name, filter.s, "id", NULL, 0, NULL };
			long long n = 0;
			rc = related(crm, k, &all, k->name, id, CRM_SHOW_GROUP, NULL, &n, err);
			snprintf(num, sizeof num, "%lld", n);
			struct crm_value r[2] = { { CRM_V_TEXT, title.s }, { CRM_V_INT, num } };
			if (!rc)
				crm_printer_row(p, r);
			sb_free(&filter);
			sb_free(&title);
		}
	}
	return rc;
}

int crm_show_print(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		   struct crm_err *err)
{
	return crm_show_print_with(crm, k, id, 0, p, err);
}

/* Which of the record's columns show keeps where: 0 among the record's own fields, 1 held for
 * its custom section, 2 left out (a custom field outside its scope and empty; one with a value
 * is shown, to hide nothing). n + 1 bytes, freed by the caller. */
static unsigned char *show_plan(struct crm *crm, const struct crm_kind *k, long long id, const char *const *names,
				const struct crm_value *cells, int n)
{
	unsigned char *held = xcalloc((size_t)n + 1, 1);
	for (int i = 0; i < n; i++) {
		const struct crm_field *f = crm_kind_field(k, names[i], NULL);
		if (f && (f->flags & CRM_FF_CUSTOM) && !cells[i].text && crm_custom_scope(f)) {
			/* a scope naming nothing (said by every write of the field) hides the empty field */
			int in;
			struct crm_err ignored = { 0 };
			if (crm_custom_in_scope(crm, k, f, id, &in, &ignored) || !in) {
				held[i] = 2;
				continue;
			}
		}
		if (f && (f->flags & CRM_FF_CUSTOM) && crm_custom_section(f))
			held[i] = 1;
	}
	return held;
}

/* The section of column i when it is held for one (NULL otherwise). */
static const char *held_section(const struct crm_kind *k, const char *const *names, const unsigned char *held, int i)
{
	return held[i] == 1 ? crm_custom_section(crm_kind_field(k, names[i], NULL)) : NULL;
}

/* Whether column i is the first of its section (the section is shown there). */
static int section_first(const struct crm_kind *k, const char *const *names, const unsigned char *held, int i)
{
	const char *section = held_section(k, names, held, i);
	for (int j = 0; section && j < i; j++) {
		const char *other = held_section(k, names, held, j);
		if (other && strcmp(other, section) == 0)
			return 0;
	}
	return section != NULL;
}

/* Every field of record id of k, as one row: *c is open on it and *cells holds it (close *c). */
static int open_record_row(struct crm *crm, const struct crm_kind *k, long long id, struct crm_cursor **c,
			   const struct crm_value **cells, struct crm_err *err)
{
	char term[48];
	snprintf(term, sizeof term, "id:%lld", id);
	const char *terms[] = { term }, *all[] = { "all" };
	struct crm_query q = { .kind = k, .terms = terms, .nterms = 1, .fields = all, .nfields = 1 };
	int rc = crm_query_open(crm, &q, c, err);
	if (rc)
		return rc;
	if ((rc = crm_cursor_next(*c, cells, err)) != 1) {
		crm_cursor_close(*c);
		*c = NULL;
		return rc < 0 ? -rc : crm_error(err, CRM_ENOTFOUND, "%s '%lld' not found", k->name, id);
	}
	return CRM_OK;
}

int crm_show_print_row(struct crm *crm, const struct crm_kind *k, long long id, struct crm_printer *p,
		       struct crm_err *err)
{
	struct crm_cursor *c;
	const struct crm_value *cells;
	int rc = open_record_row(crm, k, id, &c, &cells, err);
	if (rc)
		return rc;
	int n = crm_cursor_ncols(c);
	const char *const *names = crm_cursor_names(c), *const *curs = crm_cursor_currencies(c);
	/* The keys JSON and YAML have, flat: the record's own fields, then each section's fields
	 * as <section key>.<field>, in the same order. */
	unsigned char *held = show_plan(crm, k, id, names, cells, n);
	char **cols = xcalloc((size_t)n + 1, sizeof *cols);
	struct crm_value *row = xcalloc((size_t)n + 1, sizeof *row);
	const char **rcur = xcalloc((size_t)n + 1, sizeof *rcur);
	int m = 0;
	for (int i = 0; i < n; i++)
		if (!held[i]) {
			cols[m] = xstrdup(names[i]);
			rcur[m] = curs ? curs[i] : NULL;
			row[m++] = cells[i];
		}
	for (int i = 0; i < n; i++) {
		if (!section_first(k, names, held, i))
			continue;
		const char *section = held_section(k, names, held, i);
		const char *key = crm_custom_section_key(crm_kind_field(k, names[i], NULL));
		for (int j = i; j < n; j++) {
			const char *other = held_section(k, names, held, j);
			if (!other || strcmp(other, section) != 0)
				continue;
			struct strbuf b = { 0 };
			sb_addf(&b, "%s.%s", key, names[j]);
			cols[m] = sb_take(&b);
			rcur[m] = curs ? curs[j] : NULL;
			row[m++] = cells[j];
		}
	}
	crm_printer_columns(p, (const char *const *)cols, m);
	crm_printer_row_money(p, row, rcur);
	for (int i = 0; i < m; i++)
		free(cols[i]);
	free(cols);
	free(row);
	free(rcur);
	free(held);
	crm_cursor_close(c);
	return CRM_OK;
}

int crm_show_print_with(struct crm *crm, const struct crm_kind *k, long long id, unsigned flags,
			struct crm_printer *p, struct crm_err *err)
{
	if ((flags & CRM_SHOW_GROUP) && !crm_kind_parent_field(k))
		return crm_error(err, CRM_EUSAGE, "%s have no parent: there is no group to show", k->plural);
	struct crm_cursor *c;
	const struct crm_value *cells;
	int rc = open_record_row(crm, k, id, &c, &cells, err);
	if (rc)
		return rc;
	int n = crm_cursor_ncols(c);
	const char *const *names = crm_cursor_names(c);
	crm_printer_begin_map(p);
	/* Custom fields with a section of their own wait for it; one outside its scope and empty
	 * is not shown (one with a value is, to hide nothing). */
	unsigned char *held = show_plan(crm, k, id, names, cells, n);
	for (int i = 0; i < n; i++)
		if (!held[i]) {
			crm_printer_key(p, names[i]);
			crm_printer_value(p, &cells[i]);
		}
	for (int i = 0; i < n; i++) {
		if (!section_first(k, names, held, i))
			continue;
		const char *section = held_section(k, names, held, i);
		crm_printer_section(p, crm_custom_section_key(crm_kind_field(k, names[i], NULL)), section);
		crm_printer_begin_map(p);
		for (int j = i; j < n; j++) {
			const char *other = held_section(k, names, held, j);
			if (other && strcmp(other, section) == 0) {
				crm_printer_key(p, names[j]);
				crm_printer_value(p, &cells[j]);
			}
		}
		crm_printer_end(p);
	}
	free(held);
	crm_cursor_close(c);
	/* Every record's attributes (crm attr), first of its sections. */
	for (int i = 0; crm_kinds[i]; i++)
		if (strcmp(crm_kinds[i]->name, k->name) == 0) {
			crm_printer_section(p, "attributes", "Attributes");
			crm_printer_begin_list(p);
			rc = crm_attr_rows(crm, k, id, p, err);
			crm_printer_end(p);
			if (rc) {
				crm_printer_end(p);
				return rc;
			}
		}
	rc = sections(crm, k, NULL, k->name, id, flags, p, err);
	if (!rc && (flags & CRM_SHOW_GROUP)) {
		crm_printer_section(p, "group_totals", "Group totals");
		crm_printer_begin_list(p);
		rc = group_totals(crm, k, id, p, err);
		crm_printer_end(p);
	}
	crm_printer_end(p);
	return rc;
}
