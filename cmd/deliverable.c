/* crm deliverable and crm milestone: the parts of a project's plan (crm/plan.h), served by the
 * generic verbs; deliverables take the usual moves of workflow.deliverable as verbs; a
 * milestone's list, show and export take --now, as crm project plan does, since whether one
 * naming nothing is reached depends on the day. */
#include "cmd.h"

static int deliverable_deliver(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "deliver");
}

static int deliverable_accept(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "accept");
}

static int deliverable_reject(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "reject");
}

const struct cmd_verb cmd_deliverable_verbs[] = {
	{ "deliver", NULL, deliverable_deliver, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named deliver",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "accept", NULL, deliverable_accept, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named accept",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "reject", NULL, deliverable_reject, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named reject",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

/* list, show, export [--now <time>]: the generic verbs, with the command's clock moved first. */
static int milestone_list(struct cli *cli, int argc, char **argv)
{
	int rc = cli_now(cli);
	return rc ? rc : rec_list(cli, argc, argv);
}

static int milestone_show(struct cli *cli, int argc, char **argv)
{
	int rc = cli_now(cli);
	return rc ? rc : rec_show(cli, argc, argv);
}

static int milestone_export(struct cli *cli, int argc, char **argv)
{
	int rc = cli_now(cli);
	return rc ? rc : rec_export(cli, argc, argv);
}

static const struct cmd_opt now_opts[] = {
	{ "now", 0, OPT_VALUE, "time", "whether one naming nothing is reached, as of this day or time (default: now)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_milestone_verbs[] = {
	{ "list", "ls", milestone_list, CMD_READ, "[<filter>...]", "list milestones", { cmd_list_opts, now_opts }, NULL, NULL },
	{ "show", NULL, milestone_show, CMD_READ, "%r", "show a milestone", { now_opts }, NULL, NULL },
	{ "export", NULL, milestone_export, CMD_READ, "[<filter>...]", "export milestones to csv, tsv, json, ndjson, yaml or xlsx",
	  { cmd_export_opts, now_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
