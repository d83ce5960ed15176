/* crm process: runs of the task processes configured under processes.<name> (crm-process(1)):
 * start makes a run and its first step; list and show are the generic ones over the run view
 * (show lists the steps' tasks). The steps that follow are made by the workflow of tasks. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include "cmd.h"
#include "crm/date.h"
#include "crm/process.h"

static int process_start(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(cli);
	struct crm_err err = { 0 };
	int now_rc = cli_now(cli);
	if (now_rc)
		return now_rc;
	struct crm_process_links l = { cli_get(cli, "account"), cli_get(cli, "contact"), cli_get(cli, "project"),
				       cli_get(cli, "ticket"), NULL };
	long long run = 0, task = 0;
	if (crm_process_start(cli->crm, argv[1], &l, &run, &task, &err))
		return cli_fail(&err);
	printf("%lld\n", run);
	if (task)
		cli_info(cli, "step 1: task %lld", task);
	return 0;
}

static const struct cmd_opt start_opts[] = {
	{ "account", 0, OPT_VALUE, "ref", "the account its tasks concern", NULL },
	{ "contact", 0, OPT_VALUE, "ref", "the contact its tasks concern", NULL },
	{ "project", 0, OPT_VALUE, "ref", "the project its tasks belong to", NULL },
	{ "ticket", 0, OPT_VALUE, "ref", "the ticket its tasks are for", NULL },
	{ "now", 0, OPT_VALUE, "time", "start as of this time (the first due date counts from it)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

const struct cmd_verb cmd_process_verbs[] = {
	{ "start", NULL, process_start, CMD_WRITE, "<name>",
	  "start a configured process: record the run and make its first step's task; prints the run's number",
	  { start_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a run of a process with its steps and their statuses", { NULL }, NULL,
	  NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
