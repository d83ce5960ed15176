/* crm project: the generic verbs, show with totals and everything around the project, and its
 * cost entries (crm project cost add|list|rm|...), served by the generic verbs over kind cost. */
#include "cmd.h"

/* cost list [<project>]: the generic list, of one project's costs. */
static const struct cmd_verb cost_verbs[] = {
	{ "list", "ls", rec_sub_list, CMD_READ, "[<project>] [<filter>...]", "list cost entries, all or a project's",
	  { cmd_list_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

/* What is special to projects; add, list, edit, rm, history, import, export are generic. */
const struct cmd_verb cmd_project_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a project with its totals, costs, contracts, activities and documents", { NULL }, NULL, NULL },
	{ "cost", NULL, NULL, CMD_READ, "<verb>", "add, list or remove the project's cost entries (needs project.cost to change them)",
	  { NULL }, cost_verbs, "cost" },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
