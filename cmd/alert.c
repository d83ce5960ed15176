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
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (cli_opt(argc, argv, &i, "--now", &v, &rc)) {
			if (rc)
				return rc;
			/* Run as if at another moment: for tests, and to backfill a missed run. */
			char iso[32];
			struct crm_err err = { 0 };
			if (crm_date_parse(v, crm_time(cli->crm), iso, sizeof iso, &err))
				return cli_error(CRM_EUSAGE, "--now takes a date or time, not '%s'", v);
			time_t t = crm_time_parse_iso(iso);
			if (t == (time_t)-1)
				return cli_error(CRM_EUSAGE, "--now takes a date or time, not '%s'", v);
			crm_set_time(cli->crm, t);
		} else {
			return cli_error(CRM_EUSAGE, "unexpected argument '%s' for alert run", argv[i]);
		}
	}
	long long raised;
	struct crm_err err = { 0 };
	if (crm_alert_run(cli->crm, &raised, &err))
		return cli_fail(&err);
	cli_info(cli, "%lld alert%s raised", raised, raised == 1 ? "" : "s");
	return 0;
}

static int alert_list(struct cli *cli, int argc, char **argv)
{
	int all = 0, mine = 0, rc = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (strcmp(argv[i], "--mine") == 0)
			mine = 1;
		else
			return cli_error(CRM_EUSAGE, "unexpected argument '%s' for alert list", argv[i]);
	}
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_alert_list(cli->crm, all, mine, p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
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

const struct cmd_verb cmd_alert_verbs[] = {
	{ "run", NULL, alert_run, CMD_WRITE, "[--now <time>]",
	  "raise an alert, once, for each open ticket past its service level (for cron)" },
	{ "list", "ls", alert_list, CMD_READ, "[--all] [--mine]", "list unacknowledged alerts (--all: every one)" },
	{ "ack", NULL, alert_ack, CMD_WRITE, "<alert>...", "acknowledge alerts" },
	{ NULL, NULL, NULL, 0, NULL, NULL },
};
