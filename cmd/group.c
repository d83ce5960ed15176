/* crm group: groups of users, the generic verbs over kind group; show lists the members and the
 * group's open tasks (crm-group(1)). Members are the users whose groups name it. */
#include "cmd.h"

const struct cmd_verb cmd_group_verbs[] = {
	{ "show", NULL, rec_show, CMD_READ, "%r", "show a group with its members and open tasks", { NULL }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
