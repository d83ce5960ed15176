/* crm task: the generic verbs over kind task (add, list, show, edit, rm, history, import,
 * export, transition, transitions), and the workflow's usual moves as verbs of their own
 * (crm-task(1)). */
#include "cmd.h"

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
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a task with the transitions you may take and its history", { NULL }, NULL, NULL },
	{ "done", NULL, task_done, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named done",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "cancel", NULL, task_cancel, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named cancel",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "reopen", NULL, task_reopen, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named reopen",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
