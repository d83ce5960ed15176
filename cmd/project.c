/* crm project: the generic verbs, show with totals and everything around the project, its cost
 * entries (crm project cost add|list|rm|...), served by the generic verbs over kind cost, add
 * from a template with its whole plan, and the plan itself (crm/plan.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include "cmd.h"
#include "crm/date.h"
#include "crm/plan.h"

/* cost list [<project>]: the generic list, of one project's costs. */
static const struct cmd_verb cost_verbs[] = {
	{ "list", "ls", rec_sub_list, CMD_READ, "[<project>] [<filter>...]", "list cost entries, all or a project's",
	  { cmd_list_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

/* add [--template <name>]: the generic add, or the project and its plan in one transaction. */
static int project_add(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = rec_add_id(cli, argc, argv, NULL, 0, crm_plan_project_add, (void *)cli_get(cli, "template"), &id);
	if (!rc)
		printf("%lld\n", id); /* the number alone, so id=$(crm project add …) works */
	return rc;
}

/* plan <project> [--now <time>]: tasks, deliverables, milestones, progress, what is late. */
static int project_plan(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	struct crm_err err = { 0 };
	int now_rc = cli_now(cli);
	if (now_rc)
		return now_rc;
	long long id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	int late = 0;
	rc = crm_plan_print(cli->crm, id, p, &late, &err);
	cli->out.failed = rc != 0;
	int frc = cli_printer_finish(cli, p);
	if (rc)
		return cli_fail(&err);
	if (late)
		cli_info(cli, "%d late", late);
	return frc;
}

static const struct cmd_opt add_opts[] = {
	{ "template", 0, OPT_VALUE, "name", "make its plan from project_templates.<name>: tasks, deliverables, milestones, "
	  "due from the project's start (--start, default today)" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt plan_opts[] = {
	{ "now", 0, OPT_VALUE, "time", "what is late as of this time (default: now)" },
	{ NULL, 0, 0, NULL, NULL },
};

/* What is special to projects; list, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_project_verbs[] = {
	{ "add", NULL, project_add, CMD_WRITE | CMD_FIELDS, "%P", "add a project, with --template its whole plan; prints "
	  "its number", { add_opts, cmd_set_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a project with its totals, costs, contracts, activities and documents", { NULL }, NULL, NULL },
	{ "plan", NULL, project_plan, CMD_READ, "%r", "the project's plan: tasks with what they wait for, deliverables, "
	  "milestones, progress and what is late", { plan_opts }, NULL, NULL },
	{ "cost", NULL, NULL, CMD_READ, "<verb>", "add, list or remove the project's cost entries (needs project.cost to change them)",
	  { NULL }, cost_verbs, "cost" },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
