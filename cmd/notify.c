/* crm notify: deliver the queued notifications (for cron) and list them (crm-notify(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/notify.h"

static int notify_send(struct cli *cli, int argc, char **argv)
{
	long long limit = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (cli_opt(argc, argv, &i, "--limit", &v, &rc)) {
			char *end;
			if (rc)
				return rc;
			limit = strtoll(v, &end, 10);
			if (*end || limit < 0)
				return cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
		} else {
			return cli_error(CRM_EUSAGE, "unexpected argument '%s' for notify send", argv[i]);
		}
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

static int notify_list(struct cli *cli, int argc, char **argv)
{
	int pending = 0, rc = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pending") == 0)
			pending = 1;
		else
			return cli_error(CRM_EUSAGE, "unexpected argument '%s' for notify list", argv[i]);
	}
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_notify_list(cli->crm, pending, p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

const struct cmd_verb cmd_notify_verbs[] = {
	{ "send", NULL, notify_send, CMD_WRITE, "[--limit <n>]",
	  "deliver queued notifications through notify.command (for cron)" },
	{ "list", "ls", notify_list, CMD_READ, "[--pending]", "list notifications (--pending: not delivered yet)" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
