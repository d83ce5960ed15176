/* crm task: the generic verbs over kind task (add, list, show, edit, rm, history, import,
 * export, transition, transitions), and the workflow's usual moves as verbs of their own
 * (crm-task(1)). */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/ical.h"

/* Does -o name an iCalendar file? */
static int to_ics(const struct cli *cli)
{
	size_t n = cli->output ? strlen(cli->output) : 0;
	return n > 4 && strcmp(cli->output + n - 4, ".ics") == 0;
}

/* export: the generic one, or with -o FILE.ics the tasks as VTODO and VEVENT (crm/ical.h). */
static int task_export(struct cli *cli, int argc, char **argv)
{
	if (!to_ics(cli))
		return rec_export(cli, argc, argv);
	long long *ids = NULL;
	int n = 0, rc = rec_select_ids(cli, cli_kind(cli), argv + 1, argc - 1, &ids, &n);
	char *text = NULL;
	struct crm_err err = { 0 };
	if (!rc && crm_ical_write(cli->crm, ids, n, &text, &err))
		rc = cli_fail(&err);
	if (!rc)
		rc = rec_write_text(cli, text);
	free(text);
	free(ids);
	return rc;
}

static int task_done(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "done");
}

static int task_cancel(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "cancel");
}

static int task_reopen(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "reopen");
}

const struct cmd_verb cmd_task_verbs[] = {
	{ "export", NULL, task_export, CMD_READ, "[<filter>...]",
	  "export tasks to csv, tsv, json, ndjson, yaml, xlsx, or iCalendar (-o FILE.ics)", { cmd_export_opts }, NULL, NULL },
	{ "import", NULL, cmd_ics_import, CMD_WRITE, "<file>|-", "import tasks from a CSV file, or from an iCalendar file "
	  "(FILE.ics: VTODO and VEVENT with their DUE, DTSTART and DTEND, updated by UID when imported again)",
	  { cmd_import_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a task with the transitions you may take and its history", { NULL }, NULL, NULL },
	{ "done", NULL, task_done, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named done",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "cancel", NULL, task_cancel, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named cancel",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "reopen", NULL, task_reopen, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named reopen",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
