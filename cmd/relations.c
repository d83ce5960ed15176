/* Relationship views: a record followed by the records around it (a project's costs,
 * activities, contracts and documents; a contact's projects and activities), as text for
 * people or as one nested map for json/yaml. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/date.h"
#include "crm/record.h"

/* One line of a section: the non-empty cells, two spaces apart, times in local time. */
static void text_row(const struct crm_value *cells, int n)
{
	fputs("  ", stdout);
	int first = 1;
	for (int i = 0; i < n; i++) {
		if (!cells[i].text || !*cells[i].text)
			continue;
		char local[64];
		const char *t = cells[i].text;
		if (cells[i].type == CRM_V_TIME) {
			crm_time_local_display(t, local, sizeof local);
			t = local;
		}
		printf("%s%s", first ? "" : "  ", t);
		first = 0;
	}
	putchar('\n');
}

int rel_section(struct cli *cli, struct crm_printer *p, const char *title, const char *key, const char *kind,
		const char *const *terms, int nterms, const char *const *fields, int nfields, long long limit)
{
	struct crm_query q = { .kind = crm_kind_find(kind), .terms = terms, .nterms = nterms,
			       .fields = fields, .nfields = nfields, .limit = limit };
	struct crm_cursor *c;
	struct crm_err err = { 0 };
	if (crm_query_open(cli->crm, &q, &c, &err))
		return cli_fail(&err);
	const struct crm_value *cells;
	const char *const *names = crm_cursor_names(c);
	int n = crm_cursor_ncols(c), rc, rows = 0;
	if (p) {
		crm_printer_key(p, key);
		crm_printer_begin_list(p);
	}
	while ((rc = crm_cursor_next(c, &cells, &err)) == 1) {
		if (p) {
			crm_printer_begin_map(p);
			for (int i = 0; i < n; i++) {
				crm_printer_key(p, names[i]);
				crm_printer_value(p, &cells[i]);
			}
			crm_printer_end(p);
		} else {
			if (!rows)
				printf("\n%s\n", title);
			text_row(cells, n);
		}
		rows++;
	}
	if (p)
		crm_printer_end(p);
	crm_cursor_close(c);
	if (rc < 0)
		return cli_fail(&err);
	if (!p && limit && rows == limit)
		printf("  (the %lld most recent; more with 'crm %s list')\n", limit, kind);
	return 0;
}

static const char *const activity_cols[] = { "id", "at", "type", "summary", "result", "contacts" };
static const char *const project_cols[] = { "id", "name", "status", "income", "margin", "manager" };
static const char *const contract_cols[] = { "id", "title", "status", "value", "currency", "end" };
static const char *const document_cols[] = { "id", "name", "size", "type", "created" };
static const char *const cost_cols[] = { "id", "date", "amount", "what" };
static const char *const line_cols[] = { "id", "product", "quantity", "price", "amount" };
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A section of the records of `kind` whose `field` names record id. */
static int part(struct cli *cli, struct crm_printer *p, const char *title, const char *key, const char *kind,
		const char *field, long long id, const char *const *cols, int ncols, long long limit)
{
	char term[96];
	snprintf(term, sizeof term, "%s:%lld", field, id);
	const char *terms[] = { term };
	return rel_section(cli, p, title, key, kind, terms, 1, cols, ncols, limit);
}

/* The documents attached to record id of kind. */
static int documents(struct cli *cli, struct crm_printer *p, const char *kind, long long id)
{
	char noun[64], rec[48];
	snprintf(noun, sizeof noun, "noun:%s", kind);
	snprintf(rec, sizeof rec, "record:%lld", id);
	const char *terms[] = { noun, rec };
	return rel_section(cli, p, "Documents", "documents", "document", terms, 2, document_cols, N(document_cols), 0);
}

int rel_account_sections(struct cli *cli, struct crm_printer *p, long long id)
{
	int rc = part(cli, p, "Projects", "projects", "project", "account", id, project_cols, N(project_cols), 0);
	if (!rc)
		rc = part(cli, p, "Contracts", "contracts", "contract", "account", id, contract_cols, N(contract_cols), 0);
	if (!rc)
		rc = part(cli, p, "Recent activities", "activities", "activity", "account", id, activity_cols,
			  N(activity_cols), 10);
	if (!rc)
		rc = documents(cli, p, "account", id);
	return rc;
}

/* The sections each kind's show adds after its fields. */
static int sections(struct cli *cli, struct crm_printer *p, const char *kind, long long id)
{
	int rc = 0;
	if (strcmp(kind, "contact") == 0) {
		rc = part(cli, p, "Projects", "projects", "project", "contacts", id, project_cols, N(project_cols), 0);
		if (!rc)
			rc = part(cli, p, "Contracts", "contracts", "contract", "contacts", id, contract_cols,
				  N(contract_cols), 0);
		if (!rc)
			rc = part(cli, p, "Activities", "activities", "activity", "contacts", id, activity_cols,
				  N(activity_cols), 20);
	} else if (strcmp(kind, "project") == 0) {
		rc = part(cli, p, "Costs", "cost_entries", "cost", "project", id, cost_cols, N(cost_cols), 0);
		if (!rc)
			rc = part(cli, p, "Contracts", "contracts", "contract", "project", id, contract_cols,
				  N(contract_cols), 0);
		if (!rc)
			rc = part(cli, p, "Activities", "activities", "activity", "projects", id, activity_cols,
				  N(activity_cols), 20);
		if (!rc)
			rc = documents(cli, p, kind, id);
	} else if (strcmp(kind, "contract") == 0) {
		rc = part(cli, p, "Lines", "lines", "contract_line", "contract", id, line_cols, N(line_cols), 0);
		if (!rc)
			rc = part(cli, p, "Activities", "activities", "activity", "contract", id, activity_cols,
				  N(activity_cols), 20);
		if (!rc)
			rc = documents(cli, p, kind, id);
	} else {
		rc = documents(cli, p, kind, id);
	}
	return rc;
}

int rel_show(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	if (argc != 2)
		return cli_usage(cli);
	long long id;
	int rrc = rec_need_ref(cli, argc, argv, &id);
	if (rrc)
		return rrc;
	if (rec_show_as_row(cli))
		return rec_print_row(cli, k, id);
	int rc = 0;
	struct crm_printer *p = NULL;
	if (cli_structured(cli)) {
		if (!(p = cli_printer(cli, NULL, &rc)))
			return rc;
		crm_printer_begin_map(p);
	}
	rc = rec_print_fields(cli, p, k, id, "");
	if (!rc)
		rc = sections(cli, p, k->name, id);
	if (p) {
		crm_printer_end(p);
		int frc = cli_printer_finish(cli, p);
		rc = rc ? rc : frc;
	}
	return rc;
}
