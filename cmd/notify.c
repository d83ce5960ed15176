/* crm notify: deliver the queued notifications (for cron) and list them (crm-notify(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/notify.h"

static int notify_send(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	long long limit = 0;
	const char *v = cli_get(cli, "limit");
	if (argc > 1)
		return cli_usage(cli);
	if (v) {
		char *end;
		limit = strtoll(v, &end, 10);
		if (!*v || *end || limit < 0)
			return cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
	}
	struct crm_notify_result res;
	struct crm_err err = { 0 };
	if (crm_notify_send(cli->crm, limit, &res, &err))
		return cli_fail(&err);
	if (res.failed)
		/* Exit 1 so that cron reports it; the failed ones are retried by a later run. */
		return cli_error(CRM_EFAIL, "%lld notification%s delivered, %lld failed (retried later; crm notify "
				 "list --pending)", res.delivered, res.delivered == 1 ? "" : "s", res.failed);
	if (res.delivered || cli->verbose)
		cli_info(cli, "%lld notification%s delivered", res.delivered, res.delivered == 1 ? "" : "s");
	return 0;
}

static const struct cmd_opt send_opts[] = {
	{ "limit", 0, OPT_VALUE, "n", "deliver at most n" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt list_opts[] = {
	{ "pending", 0, 0, NULL, "only those not delivered yet", "delivered:" },
	{ NULL, 0, 0, NULL, NULL },
};

/* Notifications are listed, shown and exported like records; notify send delivers them. */
const struct cmd_verb cmd_notify_verbs[] = {
	{ "send", NULL, notify_send, CMD_WRITE, "", "deliver queued notifications through notify.command (for cron)",
	  { send_opts }, NULL, NULL },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...]", "list notifications (--pending: not delivered yet)",
	  { list_opts, cmd_list_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
