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

/* line list [<contract>]: the generic list, of one contract's lines. */
static const struct cmd_verb line_verbs[] = {
	{ "list", "ls", rec_sub_list, CMD_READ, "[<contract>] [<filter>...]", "list contract lines, all or a contract's",
	  { cmd_list_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

/* What is special to contracts; add, list, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_contract_verbs[] = {
	{ "show", NULL, rel_show, CMD_READ, "%r", "show a contract with its lines, activities and documents", { NULL }, NULL, NULL },
	{ "sign", NULL, contract_sign, CMD_WRITE, "<contract>...", "sign contracts under review (needs contract.sign)", { NULL }, NULL, NULL },
	{ "line", NULL, NULL, CMD_READ, "<verb>", "add, list or remove the contract's product and service lines "
	  "(needs contract.line to change them)", { NULL }, line_verbs, "contract_line" },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
