/* crm campaign (issue 12, item 7): marketing campaigns. add, list, show, edit, rm, history,
 * import, export and transition are the generic verbs over kind campaign; here is what only
 * campaigns have: the workflow's usual moves as verbs, members (added as a list's are: the same
 * references, --where filters and core, crm/campaign.h), responses and the report
 * (crm-campaign(1)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/campaign.h"
#include "crm/list.h"
#include "crm/record.h"

static int resolve_campaign(struct cli *cli, const char *ref, long long *id)
{
	struct crm_err err = { 0 };
	return crm_campaign_resolve(cli->crm, ref, id, &err) ? cli_fail(&err) : 0;
}

static int c_start(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "start");
}

static int c_complete(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "complete");
}

static int c_cancel(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "cancel");
}

static const char *plural(int accounts, long long n)
{
	return accounts ? (n == 1 ? "account" : "accounts") : (n == 1 ? "contact" : "contacts");
}

struct add_ctx {
	struct cli *cli;
	long long campaign, list, *ids, changed, asked;
	int accounts, nrefs;
};

/* References, then --where, then --list: one transaction (crm_atomic), all or nothing. */
static int add_all(struct crm *crm, void *vctx, struct crm_err *err)
{
	struct add_ctx *a = vctx;
	long long n = 0;
	int rc = CRM_OK;
	if (a->nrefs) {
		rc = crm_campaign_add_members(crm, a->campaign, a->accounts, a->ids, a->nrefs, &n, err);
		a->changed += n;
		a->asked += a->nrefs;
	}
	if (!rc && cli_has(a->cli, "where")) {
		const char **terms;
		char **stores;
		int nstores, nterms = cmd_where_terms(a->cli, &terms, &stores, &nstores);
		n = 0;
		rc = crm_campaign_add_where(crm, a->campaign, a->accounts, terms, nterms, &n, err);
		a->changed += n;
		a->asked += n;
		for (int i = 0; i < nstores; i++)
			free(stores[i]);
		free(stores);
		free(terms);
	}
	if (!rc && a->list) {
		n = 0;
		rc = crm_campaign_add_list(crm, a->campaign, a->list, &n, err);
		a->changed += n;
		a->asked += n;
	}
	return rc;
}

static int c_add_member(struct cli *cli, int argc, char **argv)
{
	struct add_ctx a = { .cli = cli, .nrefs = argc - 2, .accounts = cli_has(cli, "account") };
	const char *list = cli_get(cli, "list");
	int rc;
	if ((rc = resolve_campaign(cli, argv[1], &a.campaign)))
		return rc;
	if (!a.nrefs && !cli_has(cli, "where") && !list)
		return cli_error(CRM_EUSAGE, "add-member needs references, --where or --list");
	if (list) {
		struct crm_err err = { 0 };
		if (crm_list_resolve(cli->crm, list, &a.list, &err))
			return cli_fail(&err);
	}
	if (a.nrefs && (rc = cmd_member_ids(cli, a.accounts, a.nrefs, argv + 2, &a.ids)))
		return rc;
	struct crm_err err = { 0 };
	const char *what = list && !a.nrefs && !cli_has(cli, "where") ? "members" : plural(a.accounts, a.changed);
	if ((rc = crm_atomic(cli->crm, add_all, &a, &err)))
		rc = cli_fail(&err);
	else if (a.asked > a.changed)
		cli_info(cli, "added %lld %s to campaign '%s' (%lld already members)", a.changed,
			 strcmp(what, "members") ? plural(a.accounts, a.changed) : a.changed == 1 ? "member" : "members",
			 argv[1], a.asked - a.changed);
	else
		cli_info(cli, "added %lld %s to campaign '%s'", a.changed,
			 strcmp(what, "members") ? plural(a.accounts, a.changed) : a.changed == 1 ? "member" : "members",
			 argv[1]);
	free(a.ids);
	return rc;
}

static int c_rm_member(struct cli *cli, int argc, char **argv)
{
	long long campaign, *ids = NULL, changed = 0;
	int accounts = cli_has(cli, "account"), rc;
	if ((rc = resolve_campaign(cli, argv[1], &campaign)))
		return rc;
	struct crm_err err = { 0 };
	int all = cli_has(cli, "all");
	if (all && argc > 2)
		return cli_error(CRM_EUSAGE, "rm-member takes references or --all, not both");
	if (!all && argc < 3)
		return cli_error(CRM_EUSAGE, "rm-member needs references, or --all");
	if (all) {
		if ((rc = crm_campaign_clear(cli->crm, campaign, &changed, &err)))
			return cli_fail(&err);
		cli_info(cli, "removed %lld %s from campaign '%s'", changed, changed == 1 ? "member" : "members", argv[1]);
		return 0;
	}
	if ((rc = cmd_member_ids(cli, accounts, argc - 2, argv + 2, &ids)))
		return rc;
	if ((rc = crm_campaign_rm_members(cli->crm, campaign, accounts, ids, argc - 2, &changed, &err)))
		rc = cli_fail(&err);
	else if (changed < argc - 2)
		cli_info(cli, "removed %lld %s from campaign '%s' (%lld not members)", changed, plural(accounts, changed),
			 argv[1], (long long)(argc - 2) - changed);
	else
		cli_info(cli, "removed %lld %s from campaign '%s'", changed, plural(accounts, changed), argv[1]);
	free(ids);
	return rc;
}

static int c_members(struct cli *cli, int argc, char **argv)
{
	long long campaign, limit = 0;
	int rc, accounts = cli_has(cli, "accounts");
	if ((rc = resolve_campaign(cli, argv[1], &campaign)))
		return rc;
	const char *v;
	if ((v = cli_get(cli, "limit"))) {
		char *end;
		limit = strtoll(v, &end, 10);
		if (!*v || *end || limit < 0)
			return cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
	}
	const char *fields[128];
	char *fieldcopy = NULL;
	int nfields = rec_fields_option(cli, crm_kind_find(accounts ? "account" : "contact"), fields, 128, &fieldcopy);
	if (nfields < 0)
		return 0; /* --fields help */
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (p) {
		struct crm_err err = { 0 };
		rc = crm_campaign_members_print(cli->crm, campaign, accounts, (const char *const *)argv + 2, argc - 2,
						nfields ? fields : NULL, nfields, cli_get(cli, "sort"), limit, p, &err);
		cli->out.failed = rc != 0;
		int frc = cli_printer_finish(cli, p);
		rc = rc ? cli_fail(&err) : frc;
	}
	free(fieldcopy);
	return rc;
}

static int c_respond(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	long long campaign, contact, activity;
	int rc;
	if ((rc = resolve_campaign(cli, argv[1], &campaign)))
		return rc;
	struct crm_err err = { 0 };
	if (crm_record_resolve(cli->crm, crm_kind_find("contact"), argv[2], &contact, &err))
		return cli_fail(&err);
	if (crm_campaign_respond(cli->crm, campaign, contact, cli_get(cli, "result"), cli_get(cli, "summary"),
				 cli_get(cli, "at"), cli_get(cli, "body"), &activity, &err))
		return cli_fail(&err);
	printf("%lld\n", activity);
	return 0;
}

static int c_report(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	long long campaign;
	int rc;
	if ((rc = resolve_campaign(cli, argv[1], &campaign)))
		return rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (p) {
		struct crm_err err = { 0 };
		rc = crm_campaign_report_print(cli->crm, campaign, p, &err);
		cli->out.failed = rc != 0;
		int frc = cli_printer_finish(cli, p);
		rc = rc ? cli_fail(&err) : frc;
	}
	return rc;
}

static const struct cmd_opt add_member_opts[] = {
	{ "where", 0, OPT_VALUE | OPT_MULTI, "filter", "add every contact (or account) this filter matches" },
	{ "list", 0, OPT_VALUE, "list", "add the members of this distribution list (a dynamic one's as its filter matches now)" },
	{ "account", 0, 0, NULL, "the references and --where name accounts, not contacts" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt rm_member_opts[] = {
	{ "all", 0, 0, NULL, "remove every member" },
	{ "account", 0, 0, NULL, "the references name accounts, not contacts" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt members_opts[] = {
	{ "accounts", 0, 0, NULL, "the member accounts, not the member contacts" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt respond_opts[] = {
	{ "result", 0, OPT_VALUE, "result", "what came of it: interested, not_interested, registered, attended, ... (picklists.activity_result)" },
	{ "summary", 0, OPT_VALUE, "text", "the activity's summary (default: Response to <campaign>: <result>)" },
	{ "at", 0, OPT_VALUE, "time", "when (default: now)" },
	{ "body", 0, OPT_VALUE, "text", "notes" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_campaign_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r",
	  "show a campaign with its transitions, responses, opportunities, the accounts it brought and its history",
	  { NULL }, NULL, NULL },
	{ "start", NULL, c_start, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named start",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "complete", NULL, c_complete, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named complete",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "cancel", NULL, c_cancel, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named cancel",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "members", NULL, c_members, CMD_READ, "%r [<filter>...]", "the member contacts (or --accounts)",
	  { cmd_list_opts, members_opts }, NULL, NULL },
	{ "add-member", NULL, c_add_member, CMD_WRITE, "%r [<ref>...]",
	  "add contacts or accounts, by reference, filter or list (one already there stays once)", { add_member_opts },
	  NULL, NULL },
	{ "rm-member", NULL, c_rm_member, CMD_WRITE, "%r [<ref>...]", "remove members", { rm_member_opts }, NULL, NULL },
	{ "respond", NULL, c_respond, CMD_WRITE, "%r <contact>",
	  "record a contact's response (an activity with a result); prints its number", { respond_opts }, NULL, NULL },
	{ "report", NULL, c_report, CMD_READ, "%r",
	  "members, responses by result, response rate, opportunities, pipeline and won value, cost per response and per win",
	  { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
