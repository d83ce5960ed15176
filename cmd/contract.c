/* crm contract: the generic verbs, sign (a shortcut of the workflow's transition named sign,
 * which needs the contract.sign permission), and the contract's product and service lines. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "crm/auth.h"
#include "crm/finance.h"
#include "crm/record.h"
#include "crm/workflow.h"

/* Signing takes the transition named sign (workflow.contract), like ticket resolve: the engine
 * checks the move and its permission and records it in history like any other change. The
 * contracts named by argv[1..] are signed together or not at all. */
struct sign {
	struct cli *cli;
	const struct crm_kind *k;
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
			rc = crm_workflow_take(crm, s->k, id, "sign", NULL, 0, NULL, &changed, err);
		if (!rc && !changed)
			cli_info(s->cli, "contract %s is signed already", s->argv[i]);
	}
	return rc;
}

static int contract_sign(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli);
	const struct crm_kind *k = cli_kind(cli);
	struct crm_err err = { 0 };
	struct sign s = { cli, k, argc, argv };
	return crm_atomic(cli->crm, sign_all, &s, &err) ? cli_fail(&err) : 0;
}

/* deliver <contract> <line>: the line delivered, and once its draft invoice (crm/finance.h). */
struct deliver {
	long long contract, txn;
	const char *line, *day;
	int created;
};

static int deliver_one(struct crm *crm, void *ctx, struct crm_err *err)
{
	struct deliver *d = ctx;
	return crm_contract_deliver(crm, d->contract, d->line, d->day, &d->txn, &d->created, err);
}

static int contract_deliver(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage(cli);
	struct crm_err err = { 0 };
	struct deliver d = { 0, 0, argv[2], cli_get(cli, "date"), 0 };
	if (crm_record_resolve(cli->crm, cli_kind(cli), argv[1], &d.contract, &err) ||
	    crm_atomic(cli->crm, deliver_one, &d, &err))
		return cli_fail(&err);
	if (!d.created)
		cli_info(cli, "contract line '%s' was invoiced already, by transaction %lld", argv[2], d.txn);
	printf("%lld\n", d.txn);
	return 0;
}

static const struct cmd_opt deliver_opts[] = {
	{ "date", 0, OPT_VALUE, "date", "the day it was delivered (default: today)" },
	{ NULL, 0, 0, NULL, NULL },
};

/* line list [<contract>]: the generic list, of one contract's lines. */
static const struct cmd_verb line_verbs[] = {
	{ "list", "ls", rec_sub_list, CMD_READ, "[<contract>] [<filter>...]", "list contract lines, all or a contract's",
	  { cmd_list_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

/* What is special to contracts; add, list, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_contract_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a contract with its lines, activities and documents", { NULL }, NULL, NULL },
	{ "sign", NULL, contract_sign, CMD_WRITE, "<contract>...", "take the transition named sign: sign contracts under review (needs contract.sign)", { NULL }, NULL, NULL },
	{ "deliver", NULL, contract_deliver, CMD_WRITE, "<contract> <line>", "mark a contract line delivered (by its "
	  "number or product) and bill it once: a draft invoice transaction for its amount", { deliver_opts }, NULL, NULL },
	{ "line", NULL, NULL, CMD_READ, "<verb>", "add, list or remove the contract's product and service lines "
	  "(needs contract.line to change them)", { NULL }, line_verbs, "contract_line" },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
