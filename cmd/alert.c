/* crm alert: raise alerts for late tickets (for cron), list and acknowledge them
 * (crm-alert(1)). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/alert.h"
#include "crm/date.h"

static int alert_run(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli);
	int rc = cli_now(cli);
	if (rc)
		return rc;
	long long raised, expired;
	char *unsent = NULL;
	struct crm_err err = { 0 };
	if (crm_alert_run(cli->crm, &raised, &expired, &unsent, &err))
		return cli_fail(&err);
	cli_info(cli, "%lld alert%s raised", raised, raised == 1 ? "" : "s");
	if (expired)
		cli_info(cli, "%lld offer%s expired", expired, expired == 1 ? "" : "s");
	/* a notice that could not go is said even with -q (the expiry itself is done: exit 0, as
	 * for a ticket's alert that reaches nobody) */
	for (char *line = unsent, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		fprintf(stderr, "crm: warning: %s\n", line);
		if (!next)
			break;
	}
	free(unsent);
	return 0;
}

static int alert_ack(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli);
	for (int i = 1; i < argc; i++) {
		char *end;
		long long id = strtoll(argv[i], &end, 10);
		if (*end || id <= 0)
			return cli_error(CRM_EUSAGE, "alert numbers only, not '%s'", argv[i]);
		int already;
		struct crm_err err = { 0 };
		if (crm_alert_ack(cli->crm, id, &already, &err))
			return cli_fail(&err);
		if (already)
			cli_info(cli, "alert %lld was acknowledged already", id);
	}
	return 0;
}

static const struct cmd_opt run_opts[] = {
	{ "now", 0, OPT_VALUE, "time", "run as if at this time" },
	{ NULL, 0, 0, NULL, NULL },
};

/* The generic list of alerts, unacknowledged ones unless --all, those sent to you with --mine. */
static const struct cmd_opt list_opts[] = {
	{ "all", 0, OPT_UNLESS, NULL, "acknowledged ones too", "acked:" },
	{ "mine", 0, 0, NULL, "only those sent to you", "to:%u" },
	{ NULL, 0, 0, NULL, NULL },
};

/* Alerts are listed, shown and exported like records; alert run raises them, ack closes them. */
const struct cmd_verb cmd_alert_verbs[] = {
	{ "run", NULL, alert_run, CMD_WRITE, "", "raise an alert, once, for each open ticket past its service level and each late task, deliverable and milestone (for cron)",
	  { run_opts }, NULL, NULL },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...]", "list unacknowledged alerts (--all: every one)",
	  { list_opts, cmd_list_opts }, NULL, NULL },
	{ "ack", NULL, alert_ack, CMD_WRITE, "<alert>...", "acknowledge alerts", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
