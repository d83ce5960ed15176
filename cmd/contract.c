/* crm contract: the generic verbs, sign (the step of the signing flow that needs the
 * contract.sign permission), and the contract's product and service lines. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "crm/auth.h"
#include "crm/flow.h"
#include "crm/record.h"

/* Signing is an edit of the flow's field, so the engine checks the move and the permission
 * and records it in history like any other change. */
/* The contracts named by argv[1..] are signed together or not at all. */
struct sign {
	struct cli *cli;
	const struct crm_kind *k;
	const struct crm_assign *set;
	const char *to;
	int argc;
	char **argv;
};

static int sign_all(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct sign *s = ctx;
	int rc = 0;
	for (int i = 1; i < s->argc && !rc; i++) {
		long long id;
		int changed;
		rc = crm_record_resolve(crm, s->k, s->argv[i], &id, err);
		if (!rc)
			rc = crm_record_edit(crm, s->k, id, s->set, 1, &changed, err);
		if (!rc && !changed)
			cli_info(s->cli, "contract %s is %s already", s->argv[i], s->to);
	}
	return rc;
}

static int contract_sign(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli);
	const struct crm_kind *k = cli_kind(cli);
	const char *field = crm_flow_field(cli->cfg, "contract");
	const struct crm_conf_node *perms = crm_config_node(cli->cfg, "flows.contract.permissions");
	/* The status that needs contract.sign is the one signing reaches ("signed" by default). */
	const char *to = "signed";
	for (size_t i = 0; perms && i < crm_conf_count(perms); i++) {
		const char *perm = crm_conf_scalar(crm_conf_child(perms, i));
		if (perm && strcmp(perm, "contract.sign") == 0)
			to = crm_conf_key(perms, i);
	}
	struct crm_assign set[] = { { field ? field : "status", to } };
	struct crm_err err = { 0 };
	struct sign s = { cli, k, set, to, argc, argv };
	return crm_atomic(cli->crm, sign_all, &s, &err) ? cli_fail(&err) : 0;
}

static int contract_line(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli);
	const char *sub = argv[1];
	struct crm_err err = { 0 };
	if (sub_is(sub, "list", "ls"))
		return sub_list(cli, "contract_line", "contract", argc - 2, argv + 2);
	if (crm_auth_check(cli->crm, "contract.line", &err))
		return cli_fail(&err);
	if (sub_is(sub, "add", NULL)) {
		static const char *const pos[] = { "contract", "product" };
		return sub_add(cli, "contract_line", pos, 2, argc - 2, argv + 2);
	}
	if (sub_is(sub, "rm", "remove"))
		return sub_rm(cli, "contract_line", argc - 2, argv + 2);
	return cli_error(CRM_EUSAGE, "unknown contract line verb '%s' (add, list, rm)", sub);
}

const struct cmd_verb cmd_contract_verbs[] = {
	{ "add", NULL, rec_add, CMD_WRITE, "<title> --account <ref>|--project <ref> [--type <type>] [--value <amount>] "
	  "[--currency <code>] [--start <date>] [--end <date>] [--resource <login>]... [--contact <ref>]... "
	  "[--<field> <value>]...", "add a contract (in draft); prints its number" },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...] [--fields <f,...>] [--sort <field>] [--limit <n>]",
	  "list contracts (expires.before:+60d: those ending within 60 days)" },
	{ "show", NULL, rel_show, CMD_READ, "<contract>", "show a contract with its lines, activities and documents" },
	{ "edit", NULL, rec_edit, CMD_WRITE, "<contract>|<filter>... --<field> <value>... [--yes]",
	  "change contracts; --status moves it along the signing flow" },
	{ "sign", NULL, contract_sign, CMD_WRITE, "<contract>...", "sign contracts under review (needs contract.sign)" },
	{ "rm", "remove", rec_rm, CMD_WRITE, "<contract>...|<filter>... [--yes]", "remove contracts nothing refers to" },
	{ "history", NULL, rec_history, CMD_READ, "<contract>", "show who changed a contract, when and how" },
	{ "line", NULL, contract_line, CMD_READ,
	  "add <contract> <product>... [--quantity <n>] [--price <amount>] | list [<contract>] | rm <line>...",
	  "add, list or remove the contract's product and service lines" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
