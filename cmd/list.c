/* crm list (issue 14): distribution lists. add, list, show, edit, rm, history, import and export
 * are the generic verbs over kind list; here is what only lists have: their members
 * (crm/list.h, crm-list(1)). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/list.h"
#include "crm/record.h"

static int resolve_list(struct cli *cli, const char *ref, long long *id)
{
	struct crm_err err = { 0 };
	int rc = crm_list_resolve(cli->crm, ref, id, &err);
	return rc ? cli_fail(&err) : 0;
}

/* Accounts or contacts: --account or --contact, else what the list holds (any: contacts). */
static int member_accounts(struct cli *cli, long long list, int *accounts)
{
	int dynamic;
	const char *of;
	struct crm_err err = { 0 };
	if (crm_list_about(cli->crm, list, &dynamic, &of, &err))
		return cli_fail(&err);
	if (cli_has(cli, "account") && cli_has(cli, "contact"))
		return cli_error(CRM_EUSAGE, "--account and --contact exclude each other");
	*accounts = cli_has(cli, "account") || (!cli_has(cli, "contact") && strcmp(of, "account") == 0);
	return 0;
}

static const char *plural(int accounts, long long n)
{
	return accounts ? (n == 1 ? "account" : "accounts") : (n == 1 ? "contact" : "contacts");
}

/* The references given, resolved; the first that names nothing stops (nothing is changed). Also
 * crm campaign add-member's (cmd.h). */
int cmd_member_ids(struct cli *cli, int accounts, int argc, char **argv, long long **ids)
{
	const struct crm_kind *k = crm_kind_find(accounts ? "account" : "contact");
	*ids = calloc((size_t)argc + 1, sizeof **ids);
	for (int i = 0; i < argc; i++) {
		struct crm_err err = { 0 };
		if (crm_record_resolve(cli->crm, k, argv[i], &(*ids)[i], &err)) {
			free(*ids);
			*ids = NULL;
			return cli_fail(&err);
		}
	}
	return 0;
}

/* --where values (each a filter, as a dynamic list saves one) as terms. Also crm campaign's. */
int cmd_where_terms(struct cli *cli, const char ***terms, char ***stores, int *nstores)
{
	const char *v[64];
	int nv = cli_getv(cli, "where", v, 64), n = 0;
	*stores = calloc((size_t)nv + 1, sizeof **stores);
	*nstores = nv;
	*terms = NULL;
	for (int i = 0; i < nv; i++) {
		const char **w;
		int nw = crm_list_filter_words(v[i], &(*stores)[i], &w);
		*terms = realloc(*terms, (size_t)(n + nw + 1) * sizeof **terms);
		for (int j = 0; j < nw; j++)
			(*terms)[n++] = w[j];
		free(w);
	}
	return n;
}

static void csv_unknown(void *ctx, long long line, const char *value, const struct crm_err *why)
{
	const char *file = ctx;
	fprintf(stderr, "crm: %s: line %lld: '%s': %s\n", file, line, value, why->msg);
}

struct add_ctx {
	struct cli *cli;
	long long list, *ids, changed, asked;
	int accounts, nrefs;
	const char *csv;
};

/* References, then --where, then --from-csv: one transaction (crm_atomic), all or nothing. */
static int add_all(struct crm *crm, void *vctx, struct crm_err *err)
{
	struct add_ctx *a = vctx;
	long long n = 0;
	int rc = CRM_OK;
	if (a->nrefs) {
		rc = crm_list_add_members(crm, a->list, a->accounts, a->ids, a->nrefs, &n, err);
		a->changed += n;
		a->asked += a->nrefs;
	}
	if (!rc && cli_has(a->cli, "where")) {
		const char **terms;
		char **stores;
		int nstores, nterms = cmd_where_terms(a->cli, &terms, &stores, &nstores);
		n = 0;
		rc = crm_list_add_where(crm, a->list, a->accounts, terms, nterms, &n, err);
		a->changed += n;
		a->asked += n;
		for (int i = 0; i < nstores; i++)
			free(stores[i]);
		free(stores);
		free(terms);
	}
	if (!rc && a->csv) {
		FILE *f = strcmp(a->csv, "-") == 0 ? stdin : fopen(a->csv, "r");
		if (!f)
			return crm_error(err, CRM_EFAIL, "cannot read '%s': %s", a->csv, strerror(errno));
		n = 0;
		rc = crm_list_add_csv(crm, a->list, a->accounts, f, a->csv, csv_unknown, (void *)a->csv, &n, err);
		a->changed += n;
		a->asked += n;
		if (f != stdin)
			fclose(f);
	}
	return rc;
}

static int list_add_member(struct cli *cli, int argc, char **argv)
{
	struct add_ctx a = { .cli = cli, .nrefs = argc - 2, .csv = cli_get(cli, "from-csv") };
	int rc;
	if ((rc = resolve_list(cli, argv[1], &a.list)) || (rc = member_accounts(cli, a.list, &a.accounts)))
		return rc;
	if (!a.nrefs && !cli_has(cli, "where") && !a.csv)
		return cli_error(CRM_EUSAGE, "add-member needs references, --where or --from-csv");
	if (a.nrefs && (rc = cmd_member_ids(cli, a.accounts, a.nrefs, argv + 2, &a.ids)))
		return rc;
	struct crm_err err = { 0 };
	if ((rc = crm_atomic(cli->crm, add_all, &a, &err)))
		rc = cli_fail(&err);
	else if (a.asked > a.changed)
		cli_info(cli, "added %lld %s to list '%s' (%lld already members)", a.changed, plural(a.accounts, a.changed),
			 argv[1], a.asked - a.changed);
	else
		cli_info(cli, "added %lld %s to list '%s'", a.changed, plural(a.accounts, a.changed), argv[1]);
	free(a.ids);
	return rc;
}

static int list_rm_member(struct cli *cli, int argc, char **argv)
{
	long long list, *ids = NULL, changed = 0;
	int accounts, rc;
	if ((rc = resolve_list(cli, argv[1], &list)) || (rc = member_accounts(cli, list, &accounts)))
		return rc;
	struct crm_err err = { 0 };
	int all = cli_has(cli, "all");
	if (all && argc > 2)
		return cli_error(CRM_EUSAGE, "rm-member takes references or --all, not both");
	if (!all && argc < 3)
		return cli_error(CRM_EUSAGE, "rm-member needs references, or --all");
	if (all) {
		if ((rc = crm_list_clear(cli->crm, list, &changed, &err)))
			return cli_fail(&err);
		cli_info(cli, "removed %lld %s from list '%s'", changed, changed == 1 ? "member" : "members", argv[1]);
		return 0;
	}
	if ((rc = cmd_member_ids(cli, accounts, argc - 2, argv + 2, &ids)))
		return rc;
	if ((rc = crm_list_rm_members(cli->crm, list, accounts, ids, argc - 2, &changed, &err)))
		rc = cli_fail(&err);
	else if (changed < argc - 2)
		cli_info(cli, "removed %lld %s from list '%s' (%lld not members)", changed, plural(accounts, changed),
			 argv[1], (long long)(argc - 2) - changed);
	else
		cli_info(cli, "removed %lld %s from list '%s'", changed, plural(accounts, changed), argv[1]);
	free(ids);
	return rc;
}

static int list_members(struct cli *cli, int argc, char **argv)
{
	long long list;
	int rc;
	if ((rc = resolve_list(cli, argv[1], &list)))
		return rc;
	struct crm_list_query q = { .terms = (const char *const *)argv + 2, .nterms = argc - 2,
				    .sort = cli_get(cli, "sort"), .accounts = cli_has(cli, "accounts") };
	const char *reach = cli_get(cli, "reachable"), *v;
	if (reach && strcmp(reach, "email") == 0)
		q.reach = CRM_REACH_EMAIL;
	else if (reach && strcmp(reach, "mail") == 0)
		q.reach = CRM_REACH_MAIL;
	else if (reach)
		return cli_error(CRM_EUSAGE, "--reachable takes email or mail, not '%s'", reach);
	if ((v = cli_get(cli, "limit"))) {
		char *end;
		q.limit = strtoll(v, &end, 10);
		if (!*v || *end || q.limit < 0)
			return cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
	}
	const char *fields[128];
	char *fieldcopy = NULL;
	int nfields = rec_fields_option(cli, crm_kind_find(q.accounts ? "account" : "contact"), fields, 128, &fieldcopy);
	if (nfields < 0)
		return 0; /* --fields help */
	q.fields = nfields ? fields : NULL;
	q.nfields = nfields;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (p) {
		struct crm_err err = { 0 };
		rc = crm_list_members_print(cli->crm, list, &q, p, NULL, &err);
		cli->out.failed = rc != 0;
		int frc = cli_printer_finish(cli, p);
		rc = rc ? cli_fail(&err) : frc;
	}
	free(fieldcopy);
	return rc;
}

static const struct cmd_opt add_member_opts[] = {
	{ "where", 0, OPT_VALUE | OPT_MULTI, "filter", "add every contact (or account) this filter matches" },
	{ "from-csv", 0, OPT_VALUE, "file", "add those a CSV column names (email, id, ...); one unknown adds none" },
	{ "account", 0, 0, NULL, "the references name accounts (a list of any)" },
	{ "contact", 0, 0, NULL, "the references name contacts (the default but for a list of accounts)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt rm_member_opts[] = {
	{ "all", 0, 0, NULL, "remove every member" },
	{ "account", 0, 0, NULL, "the references name accounts (a list of any)" },
	{ "contact", 0, 0, NULL, "the references name contacts (the default but for a list of accounts)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt members_opts[] = {
	{ "reachable", 0, OPT_VALUE, "email|mail", "only contacts one may e-mail (an address, not do_not_email) or write to (not do_not_mail)" },
	{ "accounts", 0, 0, NULL, "the member accounts, not their contacts" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_list_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a list with its member counts and history", { NULL }, NULL, NULL },
	{ "members", NULL, list_members, CMD_READ, "%r [<filter>...]",
	  "the members, as contacts (a member account stands for its contacts) with do_not_email and do_not_mail",
	  { cmd_list_opts, members_opts }, NULL, NULL },
	{ "add-member", NULL, list_add_member, CMD_WRITE, "%r [<ref>...]",
	  "add contacts or accounts to a static list (one already there stays once)", { add_member_opts }, NULL, NULL },
	{ "rm-member", NULL, list_rm_member, CMD_WRITE, "%r [<ref>...]", "remove members from a static list",
	  { rm_member_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
