/* crm deliverable and crm milestone: the parts of a project's plan (crm/plan.h), served by the
 * generic verbs; deliverables take the usual moves of workflow.deliverable as verbs. */
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
